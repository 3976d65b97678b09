#include "parse/frontmatter.h"

#include "parse/editions.h"
#include "parse/yread.h"

#include <string.h>
#include <yaml.h>

#include "util/words.h"

typedef enum { F_STRING, F_DATE, F_LIST } field_type;

static const struct field {
    const char *key;
    field_type type;
    size_t offset;
} fields[] = {
    {"title", F_STRING, offsetof(doc_meta, title)},
    {"subtitle", F_STRING, offsetof(doc_meta, subtitle)},
    {"lang", F_STRING, offsetof(doc_meta, lang)},
    {"date", F_DATE, offsetof(doc_meta, date)},
    {"author", F_STRING, offsetof(doc_meta, author)},
    {"publisher", F_STRING, offsetof(doc_meta, publisher)},
    {"rights", F_STRING, offsetof(doc_meta, rights)},
    {"subject", F_STRING, offsetof(doc_meta, subject)},
    {"keywords", F_LIST, offsetof(doc_meta, keywords)},
    {"identifier", F_STRING, offsetof(doc_meta, identifier)},
    {"edition", F_STRING, offsetof(doc_meta, edition)},
    {"contact", F_STRING, offsetof(doc_meta, contact)},
    {"classification", F_STRING, offsetof(doc_meta, classification)},
};

/* Is the line at s[0..n) exactly `mark` followed by optional blanks? */
static bool is_fence(const char *s, size_t n, const char *mark)
{
    size_t m = strlen(mark);
    if (n < m || memcmp(s, mark, m) != 0)
        return false;
    for (size_t i = m; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

/* ISO 8601 at full or reduced precision, as EPUB's dc:date allows:
 * YYYY-MM-DD, YYYY-MM or YYYY. */
static bool valid_date(const char *s)
{
    size_t len = strlen(s);
    if (len != 4 && len != 7 && len != 10)
        return false;
    for (size_t i = 0; i < len; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return false;
    }
    int mo = len >= 7 ? (s[5] - '0') * 10 + (s[6] - '0') : 1;
    int da = len == 10 ? (s[8] - '0') * 10 + (s[9] - '0') : 1;
    return mo >= 1 && mo <= 12 && da >= 1 && da <= 31;
}

typedef struct fm {
    doc *d;
    yaml_parser_t p;
    yread y;   /* reads p, with the front matter's places */
} fm;

/* keywords: a string or a sequence of strings, stored comma-separated */
static const char *read_list(fm *f, yaml_event_t *ev, const char *key)
{
    if (ev->type == YAML_SCALAR_EVENT)
        return arena_strdup(f->d->a, (const char *)ev->data.scalar.value);
    if (ev->type != YAML_SEQUENCE_START_EVENT) {
        diag_error(f->y.dg, yread_at(&f->y, ev->start_mark),
                   "front matter: '%s' must be a string or a list of strings",
                   key);
        f->y.ok = false;
        yread_skip(&f->y, ev);
        return NULL;
    }
    char joined[4096] = "";
    size_t used = 0;
    for (;;) {
        yaml_event_t it;
        if (!yread_next(&f->y, &it))
            return NULL;
        if (it.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&it);
            break;
        }
        if (it.type != YAML_SCALAR_EVENT) {
            diag_error(f->y.dg, yread_at(&f->y, it.start_mark),
                       "front matter: '%s' must list strings only", key);
            f->y.ok = false;
            bool more = yread_skip(&f->y, &it);
            yaml_event_delete(&it);
            if (!more)
                return NULL;
            continue;
        }
        const char *s = (const char *)it.data.scalar.value;
        size_t len = strlen(s);
        if (used + len + 3 < sizeof joined) {
            if (used)
                used += (size_t)snprintf(joined + used, sizeof joined - used, ", ");
            memcpy(joined + used, s, len + 1);
            used += len;
        }
        yaml_event_delete(&it);
    }
    return arena_strdup(f->d->a, joined);
}

static void read_field(fm *f, const char *key, yaml_mark_t key_mark,
                       yaml_event_t *val)
{
    if (strcmp(key, "editions") == 0) { /* the recipients (client editions) */
        if (!editions_read(f->d, &f->p, val, f->d->path, f->y.line0, f->y.dg))
            f->y.ok = false;
        return;
    }
    const struct field *fd = NULL;
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (strcmp(fields[i].key, key) == 0)
            fd = &fields[i];
    const char **slot = fd ? (const char **)((char *)&f->d->meta + fd->offset)
                           : NULL;
    if (!fd) {
        const char *names[sizeof fields / sizeof *fields + 1];
        for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
            names[i] = fields[i].key;
        names[sizeof fields / sizeof *fields] = "editions";
        const char *near = words_nearest(key, names, sizeof names / sizeof *names);
        if (near)
            diag_warning(f->y.dg, yread_at(&f->y, key_mark),
                         "unknown front-matter key '%s': did you mean '%s'?",
                         key, near);
        else
            diag_warning(f->y.dg, yread_at(&f->y, key_mark),
                         "unknown front-matter key '%s'", key);
        yread_skip(&f->y, val);
        return;
    }
    if (fd->type == F_LIST) {
        *slot = read_list(f, val, key);
        return;
    }
    if (val->type != YAML_SCALAR_EVENT) {
        diag_error(f->y.dg, yread_at(&f->y, val->start_mark),
                   "front matter: '%s' must be a string", key);
        f->y.ok = false;
        yread_skip(&f->y, val);
        return;
    }
    const char *s = (const char *)val->data.scalar.value;
    if (strcmp(key, "classification") == 0) {
        diag_loc at = yread_at(&f->y, val->start_mark);
        f->d->meta.classification_line = at.line;
        f->d->meta.classification_col = at.col;
    }
    if (fd->type == F_DATE && !valid_date(s)) {
        diag_error(f->y.dg, yread_at(&f->y, val->start_mark),
                   "front matter: 'date' must be a date YYYY-MM-DD (or YYYY-MM, YYYY), not '%s'",
                   s);
        f->y.ok = false;
        return;
    }
    const char *meant;
    if (strcmp(key, "lang") == 0 && !words_lang_ok(s, &meant)) {
        if (meant)
            diag_error(f->y.dg, yread_at(&f->y, val->start_mark),
                       "front matter: lang '%s' is not a language tag: did you "
                       "mean '%s'? (BCP 47: ja, en, en-US, zh-Hant)", s, meant);
        else
            diag_error(f->y.dg, yread_at(&f->y, val->start_mark),
                       "front matter: lang '%s' is not a language tag (BCP 47: "
                       "ja, en, en-US, zh-Hant)", s);
        f->y.ok = false;
        return;
    }
    *slot = arena_strdup(f->d->a, s);
}

static void read_mapping(fm *f)
{
    for (;;) {
        yaml_event_t k;
        if (!yread_next(&f->y, &k))
            return;
        if (k.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&k);
            return;
        }
        if (k.type != YAML_SCALAR_EVENT) {
            diag_error(f->y.dg, yread_at(&f->y, k.start_mark),
                       "front matter: keys must be plain strings");
            f->y.ok = false;
            yaml_event_delete(&k);
            return;
        }
        yaml_event_t v;
        if (!yread_next(&f->y, &v)) {
            yaml_event_delete(&k);
            return;
        }
        read_field(f, (const char *)k.data.scalar.value, k.start_mark, &v);
        yaml_event_delete(&v);
        yaml_event_delete(&k);
        if (!f->y.ok && f->p.error != YAML_NO_ERROR)
            return;
    }
}

static void parse_yaml(fm *f, const char *y, size_t n)
{
    yaml_parser_initialize(&f->p);
    yaml_parser_set_input_string(&f->p, (const unsigned char *)y, n);
    yaml_event_t ev;
    bool seen_map = false;
    while (yread_next(&f->y, &ev)) {
        yaml_event_type_t t = ev.type;
        if (t == YAML_MAPPING_START_EVENT && !seen_map) {
            seen_map = true;
            read_mapping(f);
        } else if (t == YAML_SCALAR_EVENT || t == YAML_SEQUENCE_START_EVENT ||
                   t == YAML_MAPPING_START_EVENT) {
            diag_error(f->y.dg, yread_at(&f->y, ev.start_mark),
                       "front matter must be a mapping of keys to values");
            f->y.ok = false;
            yaml_event_delete(&ev);
            break;
        }
        yaml_event_delete(&ev);
        if (t == YAML_STREAM_END_EVENT || !f->y.ok)
            break;
    }
    yaml_parser_delete(&f->p);
}

bool frontmatter_parse(doc *d, const char *src, size_t n, size_t *body_off,
                       int *body_line, diag *dg)
{
    *body_off = 0;
    *body_line = 1;
    const char *eol = memchr(src, '\n', n);
    size_t l0 = eol ? (size_t)(eol - src) : n;
    if (!is_fence(src, l0, "---"))
        return true;
    size_t pos = eol ? l0 + 1 : n;
    int line = 2;
    while (pos < n) {
        const char *e = memchr(src + pos, '\n', n - pos);
        size_t len = e ? (size_t)(e - (src + pos)) : n - pos;
        if (is_fence(src + pos, len, "---") || is_fence(src + pos, len, "...")) {
            fm f = {.d = d};
            f.y = (yread){&f.p, d->path, 2, dg, "front matter", true};
            size_t y0 = l0 + 1;
            parse_yaml(&f, src + y0, pos - y0);
            *body_off = e ? pos + len + 1 : n;
            *body_line = line + 1;
            return f.y.ok;
        }
        pos = e ? pos + len + 1 : n;
        line++;
    }
    diag_error(dg, (diag_loc){d->path, 1, 1},
               "unterminated front matter: no closing '---' line");
    return false;
}
