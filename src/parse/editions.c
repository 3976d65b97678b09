/* Client editions (see editions.h). */
#include "parse/editions.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parse/yread.h"
#include "util/buf.h"
#include "util/xalloc.h"

typedef struct reader {
    doc *d;
    yread y;
} reader;

static diag_loc at(reader *r, yaml_mark_t m)
{
    return yread_at(&r->y, m);
}

static bool next(reader *r, yaml_event_t *ev)
{
    return yread_next(&r->y, ev);
}

static bool skip(reader *r, const yaml_event_t *start)
{
    return yread_skip(&r->y, start);
}

static doc_edition *add(reader *r, yaml_mark_t m)
{
    doc *d = r->d;
    if (d->neditions == d->cap_editions) {
        size_t nc = d->cap_editions ? d->cap_editions * 2 : 8;
        doc_edition *a = arena_alloc(d->a, nc * sizeof *a);
        if (d->neditions)
            memcpy(a, d->editions, d->neditions * sizeof *a);
        d->editions = a;
        d->cap_editions = nc;
    }
    doc_edition *ed = &d->editions[d->neditions++];
    *ed = (doc_edition){.encrypt = -1,
                        .file = arena_strdup(d->a, r->y.file),
                        .line = r->y.line0 + (int)m.line,
                        .col = (int)m.column + 1};
    return ed;
}

/* A yes/no value: 1, 0, or -1 (an error said). */
static int yes_no(reader *r, const char *key, const char *val, yaml_mark_t m)
{
    if (strcmp(val, "true") == 0 || strcmp(val, "yes") == 0)
        return 1;
    if (strcmp(val, "false") == 0 || strcmp(val, "no") == 0)
        return 0;
    diag_error(r->y.dg, at(r, m), "editions: %s must be true or false (read "
               "'%s')", key, val);
    r->y.ok = false;
    return -1;
}

/* A file named in the editions file: relative to that file's folder. */
static const char *beside_file(reader *r, const char *name)
{
    const char *slash = strrchr(r->y.file, '/');
    if (name[0] == '/' || !slash)
        return arena_strdup(r->d->a, name);
    char *p = xasprintf("%.*s/%s", (int)(slash - r->y.file), r->y.file, name);
    const char *s = arena_strdup(r->d->a, p);
    free(p);
    return s;
}

/* One edition: a mapping of id, to, classification, copy, encrypt and
 * password-file. */
static bool edition(reader *r, const yaml_event_t *start)
{
    doc_edition *ed = add(r, start->start_mark);
    for (;;) {
        yaml_event_t k, v;
        if (!next(r, &k))
            return false;
        if (k.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&k);
            return true;
        }
        if (k.type != YAML_SCALAR_EVENT) {
            diag_error(r->y.dg, at(r, k.start_mark), "editions: keys must be "
                       "plain strings");
            r->y.ok = false;
            yaml_event_delete(&k);
            return false;
        }
        if (!next(r, &v)) {
            yaml_event_delete(&k);
            return false;
        }
        const char *key = (const char *)k.data.scalar.value;
        bool scalar = v.type == YAML_SCALAR_EVENT;
        const char *val = scalar ? (const char *)v.data.scalar.value : NULL;
        if (!scalar) {
            diag_error(r->y.dg, at(r, v.start_mark), "editions: '%s' must be a "
                       "single value", key);
            r->y.ok = false;
            bool more = skip(r, &v);
            yaml_event_delete(&k);
            yaml_event_delete(&v);
            if (!more)
                return false;
            continue;
        }
        if (strcmp(key, "id") == 0) {
            ed->id = arena_strdup(r->d->a, val);
        } else if (strcmp(key, "to") == 0) {
            ed->to = arena_strdup(r->d->a, val);
        } else if (strcmp(key, "classification") == 0) {
            ed->classification = arena_strdup(r->d->a, val);
        } else if (strcmp(key, "copy") == 0) {
            char *end;
            long c = strtol(val, &end, 10);
            if (strcmp(val, "auto") == 0)
                ed->copy_auto = true;
            else if (*val && !*end && c > 0 && c < 1000000)
                ed->copy = (int)c;
            else {
                diag_error(r->y.dg, at(r, v.start_mark), "editions: copy must be "
                           "a number from 1, or auto (read '%s')", val);
                r->y.ok = false;
            }
        } else if (strcmp(key, "encrypt") == 0) {
            int e = yes_no(r, key, val, v.start_mark);
            if (e >= 0)
                ed->encrypt = e;
        } else if (strcmp(key, "password-file") == 0) {
            ed->password_file = beside_file(r, val);
        } else {
            diag_warning(r->y.dg, at(r, k.start_mark), "editions: unknown key "
                         "'%s' (known: id, to, classification, copy, encrypt, "
                         "password-file)", key);
        }
        yaml_event_delete(&k);
        yaml_event_delete(&v);
    }
}

static bool read_sequence(reader *r, const yaml_event_t *start)
{
    if (start->type != YAML_SEQUENCE_START_EVENT) {
        diag_error(r->y.dg, at(r, start->start_mark), "editions must be a list "
                   "of recipients (- id: ..., to: ...)");
        r->y.ok = false;
        return skip(r, start);
    }
    for (;;) {
        yaml_event_t ev;
        if (!next(r, &ev))
            return false;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return true;
        }
        bool more;
        if (ev.type == YAML_MAPPING_START_EVENT) {
            more = edition(r, &ev);
        } else {
            diag_error(r->y.dg, at(r, ev.start_mark), "editions: each recipient "
                       "is a mapping (id:, to:)");
            r->y.ok = false;
            more = skip(r, &ev);
        }
        yaml_event_delete(&ev);
        if (!more)
            return false;
    }
}

bool editions_read(doc *d, yaml_parser_t *p, const yaml_event_t *start,
                   const char *file, int line0, diag *dg)
{
    reader r = {d, {p, file, line0, dg, "editions", true}};
    return read_sequence(&r, start) && r.y.ok;
}

static bool load_stream(doc *d, const char *file, FILE *in, diag *dg)
{
    yaml_parser_t p;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_file(&p, in);
    reader r = {d, {&p, file, 1, dg, "editions", true}};
    yaml_event_t ev;
    bool done = false;
    while (!done && next(&r, &ev)) {
        switch (ev.type) {
        case YAML_SEQUENCE_START_EVENT:
            read_sequence(&r, &ev);
            done = true;
            break;
        case YAML_MAPPING_START_EVENT:
            for (;;) {
                yaml_event_t k, v;
                if (!next(&r, &k))
                    break;
                if (k.type != YAML_SCALAR_EVENT) {
                    yaml_event_delete(&k);
                    break;
                }
                if (!next(&r, &v)) {
                    yaml_event_delete(&k);
                    break;
                }
                const char *key = (const char *)k.data.scalar.value;
                if (strcmp(key, "editions") == 0) {
                    read_sequence(&r, &v);
                } else if (strcmp(key, "classification") == 0 &&
                           v.type == YAML_SCALAR_EVENT) {
                    d->meta.classification = arena_strdup(
                        d->a, (const char *)v.data.scalar.value);
                } else if (strcmp(key, "encrypt") == 0 &&
                           v.type == YAML_SCALAR_EVENT) {
                    d->encrypt = yes_no(&r, key, (const char *)v.data.scalar.value,
                                        v.start_mark) == 1;
                } else if (strcmp(key, "password-file") == 0 &&
                           v.type == YAML_SCALAR_EVENT) {
                    d->password_file = beside_file(
                        &r, (const char *)v.data.scalar.value);
                } else {
                    diag_error(dg, at(&r, k.start_mark), "editions file: "
                               "unknown key '%s' (editions, classification, "
                               "encrypt, password-file)", key);
                    r.y.ok = false;
                    skip(&r, &v);
                }
                yaml_event_delete(&k);
                yaml_event_delete(&v);
                if (!r.y.ok && p.error != YAML_NO_ERROR)
                    break;
            }
            done = true;
            break;
        case YAML_SCALAR_EVENT:
            diag_error(dg, at(&r, ev.start_mark), "an editions file is a list "
                       "of recipients, or a mapping with 'editions:'");
            r.y.ok = false;
            done = true;
            break;
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    return r.y.ok;
}

bool editions_load(doc *d, diag *dg)
{
    if (d->neditions > 0)
        return true;
    char *path = yread_beside(d->path, ".editions.yaml");
    FILE *f = fopen(path, "rb");
    if (!f) {
        bool missing = errno == ENOENT;
        if (!missing)
            diag_error(dg, (diag_loc){path, 0, 0}, "cannot read: %s",
                       strerror(errno));
        free(path);
        return missing;
    }
    const char *file = arena_strdup(d->a, path);
    free(path);
    bool ok = load_stream(d, file, f, dg);
    fclose(f);
    return ok;
}

bool editions_exist(const doc *d)
{
    if (d->neditions > 0)
        return true;
    char *path = yread_beside(d->path, ".editions.yaml");
    struct stat sb;
    bool there = stat(path, &sb) == 0 && sb.st_size > 0; /* empty: none */
    free(path);
    return there;
}

static bool safe_token(const char *s)
{
    if (!s || !*s || strlen(s) > 64 || s[0] == '.' || s[0] == '-')
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
            return false;
    return strstr(s, "..") == NULL;
}

/* Every id a ::: block names is an edition's. */
static bool check_conds(const doc *d, diag *dg)
{
    bool ok = true;
    for (size_t i = 0; i < d->nconds; i++) {
        const doc_cond *c = &d->conds[i];
        for (const char *p = c->ids; *p;) {
            while (*p == ' ')
                p++;
            const char *e = p;
            while (*e && *e != ' ')
                e++;
            if (e == p)
                break;
            char *id = xstrndup(p, (size_t)(e - p));
            if (!editions_find(d, id)) {
                buf known = {0};
                for (size_t k = 0; k < d->neditions; k++)
                    buf_printf(&known, "%s%s", k ? ", " : "",
                               d->editions[k].id ? d->editions[k].id : "?");
                diag_error(dg, (diag_loc){d->path, c->line, c->col},
                           "%s=: no edition '%s' (%s%s)",
                           c->except ? "except" : "editions", id,
                           d->neditions ? "the editions are: " : "no editions "
                           "are defined", buf_str(&known));
                buf_free(&known);
                ok = false;
            }
            free(id);
            p = e;
        }
    }
    return ok;
}

bool editions_check(doc *d, diag *dg)
{
    bool ok = true;
    int copy = 0;
    for (size_t i = 0; i < d->neditions; i++) {
        doc_edition *ed = &d->editions[i];
        diag_loc loc = {ed->file, ed->line, ed->col};
        if (!ed->id) {
            diag_error(dg, loc, "an edition needs an id (a short name for its "
                       "files: letters, digits, - _ .)");
            ok = false;
        } else if (!safe_token(ed->id)) {
            diag_error(dg, loc, "edition id '%s' is not a safe file-name token "
                       "(letters, digits, - _ . only; no spaces, '/' or '..')",
                       ed->id);
            ok = false;
        } else {
            for (size_t j = 0; j < i; j++)
                if (d->editions[j].id && strcmp(d->editions[j].id, ed->id) == 0) {
                    diag_error(dg, loc, "edition id '%s' is used twice (first "
                               "at line %d)", ed->id, d->editions[j].line);
                    ok = false;
                    break;
                }
        }
        bool blank = true;
        for (const char *p = ed->to; p && *p; p++)
            blank &= *p == ' ' || *p == '\t';
        if (blank || !ed->to || !*ed->to) {
            diag_error(dg, loc, "edition '%s' has no recipient: give 'to' (株式"
                       "会社〇〇 知的財産部 御中)", ed->id ? ed->id : "?");
            ok = false;
        }
        if (ed->encrypt < 0)
            ed->encrypt = d->encrypt;
        if (!ed->password_file)
            ed->password_file = d->password_file;
        if (ed->password_file && !ed->encrypt) {
            diag_error(dg, loc, "edition '%s' names a password-file but is not "
                       "encrypted: add encrypt: true", ed->id ? ed->id : "?");
            ok = false;
        }
        if (ed->copy_auto)
            ed->copy = ++copy;
        else if (ed->copy > copy)
            copy = ed->copy;
    }
    return check_conds(d, dg) && ok;
}

const doc_edition *editions_find(const doc *d, const char *id)
{
    for (size_t i = 0; i < d->neditions; i++)
        if (d->editions[i].id && strcmp(d->editions[i].id, id) == 0)
            return &d->editions[i];
    return NULL;
}

