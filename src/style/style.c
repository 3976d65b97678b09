#include "style/style.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "jp/embox.h"
#include "util/buf.h"
#include "util/xalloc.h"

void style_default(style *s)
{
    *s = (style){
        .name = xstrdup("handout"),
        .page_w = 595.276, .page_h = 841.89, /* A4 */
        .margin_top = -1, .margin_inner = -1,
        .body_size = 10, .chars_per_line = 40, .lines_per_page = 38,
        .pitch = 17.5,
        .body_font = xstrdup("Noto Serif CJK JP"),
        .heading_font = xstrdup("Noto Sans CJK JP"),
        .mono_font = xstrdup("Noto Sans Mono CJK JP"),
        .features = xstrdup(""),
        .italic_font = xstrdup("Noto Serif"),
        /* h4 bold, h5 regular and a character in, h6 run-in: a case
         * digest's 事件 / 争点 / 付記 are told apart */
        .heading = {{16, 4, 0, 0, true, false}, {13, 3, 1, 0, true, false},
                    {11, 2, 0, 0, true, false}, {10.5, 2, 0, 0, true, false},
                    {10.5, 1, 0, 1, false, false}, {10, 1, 0, 1, true, true}},
        .note_size = 8, .note_pitch = 13, .ref_size = 6, .ref_rise = 3.5,
        .head_size = 8,
        .kinsoku = KINSOKU_STRICT, .hanging = false,
        .title_page = true, .toc = true, .colophon = true, .tcy_digits = 2, .widows = 2, .orphans = 2,
        .patent_links = true, .heading_numbers_depth = 2,
        .pdf_standard = PDF_STANDARD_A1B,
        .bullet = xstrdup("\xe2\x80\xa2"), /* • */
        .number_format = xstrdup("1."),
        .figure_label = xstrdup("\xe5\x9b\xb3"), /* 図 */
        .table_label = xstrdup("\xe8\xa1\xa8"),  /* 表 */
        .watermark_text = xstrdup("{to}"),
        .caption_size = 9, .table_size = 9,
    };
}

void style_free(style *s)
{
    free((char *)s->path);
    free(s->name);
    free(s->body_font);
    free(s->heading_font);
    free(s->font_dir);
    free(s->where);
    free(s->mono_font);
    free(s->features);
    free(s->italic_font);
    free(s->bullet);
    free(s->number_format);
    free(s->figure_label);
    free(s->table_label);
    free(s->watermark_text);
    memset(s, 0, sizeof *s);
}

bool style_parse_length(const char *str, double *pt)
{
    char *end;
    double v = strtod(str, &end);
    if (end == str || !isfinite(v))
        return false;
    while (*end == ' ')
        end++;
    double f;
    if (!*end || strcmp(end, "pt") == 0)
        f = 1;
    else if (strcmp(end, "mm") == 0)
        f = 72 / 25.4;
    else if (strcmp(end, "cm") == 0)
        f = 720 / 25.4;
    else if (strcmp(end, "Q") == 0 || strcmp(end, "q") == 0)
        f = 72 / 25.4 / 4; /* 1 Q = 0.25 mm */
    else if (strcmp(end, "in") == 0)
        f = 72;
    else
        return false;
    *pt = v * f;
    return true;
}

double style_measure(const style *s)
{
    return s->body_size * s->chars_per_line;
}

double style_block_height(const style *s)
{
    return s->body_size + (s->lines_per_page - 1) * s->pitch;
}

double style_left(const style *s)
{
    return s->margin_inner >= 0 ? s->margin_inner
                                : (s->page_w - style_measure(s)) / 2;
}

double style_top(const style *s)
{
    return s->margin_top >= 0 ? s->margin_top
                              : (s->page_h - style_block_height(s)) / 2;
}

const style_heading *style_heading_at(const style *st, int top_level, int level)
{
    int i = level - top_level + 1; /* the top level gets h1's... */
    if (top_level > 1)
        i = level; /* ...unless the report starts at ##: keep h2 for ## */
    if (i < 1)
        i = 1;
    return &st->heading[(i > STYLE_HEADING_LEVELS ? STYLE_HEADING_LEVELS : i) - 1];
}

void style_section_number(const style *st, const int *no, bool ref, char *out,
                          size_t n)
{
    int depth = 0;
    while (depth < STYLE_SECNUM_DEPTH && no[depth] > 0)
        depth++;
    out[0] = '\0';
    if (st->heading_numbers == SECNUM_OFF || depth == 0 ||
        depth > st->heading_numbers_depth)
        return;
    if (st->heading_numbers == SECNUM_CHAPTER && depth == 1) {
        snprintf(out, n, "\xe7\xac\xac%d\xe7\xab\xa0", no[0]); /* 第1章 */
        return;
    }
    size_t len = 0;
    for (int i = 0; i < depth && len < n; i++)
        len += (size_t)snprintf(out + len, n - len, i ? ".%d" : "%d", no[i]);
    if (ref && len < n) /* 2.1節 */
        snprintf(out + len, n - len, "\xe7\xaf\x80");
    else if (st->heading_numbers == SECNUM_DOT && depth == 1 && len < n)
        snprintf(out + len, n - len, ".");
}

char *style_numbered_title(const style *st, const int *no, const char *text)
{
    char num[64];
    style_section_number(st, no, false, num, sizeof num);
    return *num ? xasprintf("%s\xe3\x80\x80%s", num, text) : xstrdup(text);
}

/* ---- the YAML reader ------------------------------------------------ */

typedef enum { V_LEN, V_INT, V_NUM, V_STR, V_BOOL, V_ENUM, V_PAGESIZE,
               V_DIR } vtype;

typedef struct key {
    const char *full; /* "section.name" */
    const char *section, *name;
    vtype type;
    size_t off;
    double min, max;
    const char *const *names; /* V_ENUM: the values, in the enum's order */
} key;

static const char *const kinsoku_names[] = {"strict", "normal", "loose",
                                            "very-loose", NULL};
static const char *const emphasis_names[] = {"bouten", "gothic", "italic",
                                             NULL};
static const char *const writing_names[] = {"horizontal-tb", "vertical-rl",
                                            NULL};
static const char *const latin_space_names[] = {"quarter", "none", NULL};
static const char *const standard_names[] = {"off", "pdf/a-1b", NULL};
static const char *const marking_names[] = {"foot", "head", NULL};
static const char *const para_number_names[] = {"off", "head", NULL};
static const char *const secnum_names[] = {"off", "1.", "1.1",
                                           "\xe7\xac\xac" "1" "\xe7\xab\xa0",
                                           NULL}; /* 第1章 */
static const char *const mark_names[] = {"before-punctuation",
                                         "after-punctuation", NULL};

#define OFF(f) offsetof(style, f)
/* a key of a section ("body.font"), and one at the top ("name") */
#define K(sec, nm, ...) {sec "." nm, sec, nm, __VA_ARGS__}
#define T(nm, ...) {nm, "", nm, __VA_ARGS__}
static const key keys[] = {
    T("name", V_STR, OFF(name), 0, 0, NULL),
    T("writing-mode", V_ENUM, OFF(writing), 0, 0, writing_names),
    K("composition", "tate-chu-yoko", V_INT, OFF(tcy_digits), 0, 4, NULL),
    K("composition", "upright-capitals", V_INT, OFF(upright_caps), 0, 6, NULL),
    K("page", "size", V_PAGESIZE, 0, 0, 0, NULL),
    K("page", "width", V_LEN, OFF(page_w), 72, 5000, NULL),
    K("page", "height", V_LEN, OFF(page_h), 72, 5000, NULL),
    K("page", "margin-top", V_LEN, OFF(margin_top), 0, 2000, NULL),
    K("page", "margin-inner", V_LEN, OFF(margin_inner), 0, 2000, NULL),
    K("body", "font", V_STR, OFF(body_font), 0, 0, NULL),
    K("body", "size", V_LEN, OFF(body_size), 4, 72, NULL),
    K("body", "chars-per-line", V_INT, OFF(chars_per_line), 5, 200, NULL),
    K("body", "lines-per-page", V_INT, OFF(lines_per_page), 3, 300, NULL),
    K("body", "line-pitch", V_LEN, OFF(pitch), 4, 200, NULL),
    K("body", "features", V_STR, OFF(features), 0, 0, NULL),
    K("body", "emphasis", V_ENUM, OFF(emphasis), 0, 0, emphasis_names),
    K("body", "italic-font", V_STR, OFF(italic_font), 0, 0, NULL),
    K("headings", "font", V_STR, OFF(heading_font), 0, 0, NULL),
#define HEADING_KEYS(n)                                                      \
    K("headings", "h" #n "-size", V_LEN, OFF(heading[n - 1].size), 4, 144,   \
      NULL),                                                                 \
    K("headings", "h" #n "-lines", V_INT, OFF(heading[n - 1].lines), 1, 20,  \
      NULL),                                                                 \
    K("headings", "h" #n "-before", V_INT, OFF(heading[n - 1].before), 0, 10,\
      NULL),                                                                 \
    K("headings", "h" #n "-indent", V_NUM, OFF(heading[n - 1].indent), 0, 20,\
      NULL),                                                                 \
    K("headings", "h" #n "-bold", V_BOOL, OFF(heading[n - 1].bold), 0, 0,    \
      NULL),                                                                 \
    K("headings", "h" #n "-run-in", V_BOOL, OFF(heading[n - 1].run_in), 0, 0,\
      NULL)
    HEADING_KEYS(1), HEADING_KEYS(2), HEADING_KEYS(3),
    HEADING_KEYS(4), HEADING_KEYS(5), HEADING_KEYS(6),
    K("code", "font", V_STR, OFF(mono_font), 0, 0, NULL),
    K("notes", "size", V_LEN, OFF(note_size), 4, 72, NULL),
    K("notes", "line-pitch", V_LEN, OFF(note_pitch), 4, 200, NULL),
    K("notes", "ref-size", V_LEN, OFF(ref_size), 3, 72, NULL),
    K("notes", "ref-rise", V_LEN, OFF(ref_rise), 0, 72, NULL),
    K("notes", "mark-position", V_ENUM, OFF(mark_position), 0, 0, mark_names),
    K("running-head", "size", V_LEN, OFF(head_size), 4, 72, NULL),
    K("composition", "kinsoku", V_ENUM, OFF(kinsoku), 0, 0, kinsoku_names),
    K("composition", "latin-space", V_ENUM, OFF(latin_space), 0, 0,
      latin_space_names),
    K("composition", "hanging-punctuation", V_BOOL, OFF(hanging), 0, 0, NULL),
    K("front", "title-page", V_BOOL, OFF(title_page), 0, 0, NULL),
    K("front", "toc", V_BOOL, OFF(toc), 0, 0, NULL),
    K("front", "colophon", V_BOOL, OFF(colophon), 0, 0, NULL),
    K("front", "figure-list", V_BOOL, OFF(figure_list), 0, 0, NULL),
    K("front", "table-list", V_BOOL, OFF(table_list), 0, 0, NULL),
    K("editions", "watermark", V_BOOL, OFF(watermark), 0, 0, NULL),
    K("editions", "marking", V_ENUM, OFF(marking), 0, 0, marking_names),
    K("editions", "watermark-text", V_STR, OFF(watermark_text), 0, 0, NULL),
    K("editions", "id-in-keywords", V_BOOL, OFF(id_in_keywords), 0, 0, NULL),
    K("pagination", "widows", V_INT, OFF(widows), 1, 10, NULL),
    K("lists", "bullet", V_STR, OFF(bullet), 0, 0, NULL),
    K("lists", "number", V_STR, OFF(number_format), 0, 0, NULL),
    K("pagination", "orphans", V_INT, OFF(orphans), 1, 10, NULL),
    K("figures", "figure-label", V_STR, OFF(figure_label), 0, 0, NULL),
    K("figures", "table-label", V_STR, OFF(table_label), 0, 0, NULL),
    K("figures", "caption-size", V_LEN, OFF(caption_size), 4, 72, NULL),
    K("tables", "size", V_LEN, OFF(table_size), 4, 72, NULL),
    K("fonts", "dir", V_DIR, 0, 0, 0, NULL),
    K("pdf", "standard", V_ENUM, OFF(pdf_standard), 0, 0, standard_names),
    K("links", "patents", V_BOOL, OFF(patent_links), 0, 0, NULL),
    K("paragraphs", "numbers", V_ENUM, OFF(para_numbers), 0, 0,
      para_number_names),
    K("headings", "numbers", V_ENUM, OFF(heading_numbers), 0, 0, secnum_names),
    K("headings", "numbers-depth", V_INT, OFF(heading_numbers_depth), 1,
      STYLE_SECNUM_DEPTH, NULL),
    K("references", "pages", V_BOOL, OFF(ref_pages), 0, 0, NULL),
};

typedef struct reader {
    style *s;
    diag *dg;
    const char *path;
    yaml_parser_t p;
    bool ok;
} reader;

static diag_loc at(reader *r, yaml_mark_t m)
{
    return (diag_loc){r->path, (int)m.line + 1, (int)m.column + 1};
}

static bool page_size(const char *v, double *w, double *h)
{
    static const struct { const char *n; double w, h; } sizes[] = {
        {"A4", 595.276, 841.89}, {"A5", 419.528, 595.276},
        {"B5", 515.906, 728.504}, /* JIS B5 */
        {"B6", 362.835, 515.906}, {"letter", 612, 792},
    };
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        if (strcmp(v, sizes[i].n) == 0) {
            *w = sizes[i].w;
            *h = sizes[i].h;
            return true;
        }
    return false;
}

diag_loc style_key_at(const style *s, const char *name)
{
    for (size_t i = s->nwhere; i-- > 0;)
        if (strcmp(s->where[i].key, name) == 0)
            return (diag_loc){s->path, s->where[i].line, s->where[i].col};
    return (diag_loc){s->path, 0, 0};
}

static void remember(reader *r, const key *k, yaml_mark_t m)
{
    style *s = r->s;
    s->where = xrealloc(s->where, (s->nwhere + 1) * sizeof *s->where);
    s->where[s->nwhere++] = (style_where){k->full, (int)m.line + 1,
                                         (int)m.column + 1};
}

/* fonts.dir, from the style file's folder */
static void font_dir(reader *r, const char *v)
{
    free(r->s->font_dir);
    const char *slash = strrchr(r->path, '/');
    r->s->font_dir = v[0] == '/' || !slash
                         ? xstrdup(v)
                         : xasprintf("%.*s/%s", (int)(slash - r->path), r->path, v);
}

static void set_value(reader *r, const key *k, const char *v, yaml_mark_t m)
{
    void *slot = (char *)r->s + k->off;
    remember(r, k, m);
    double d;
    char *end;
    switch (k->type) {
    case V_LEN:
        if (!style_parse_length(v, &d) || d < k->min || d > k->max) {
            diag_error(r->dg, at(r, m),
                       "%s.%s: '%s' is not a length from %g to %g pt "
                       "(write it as 10pt, 3.5mm or 14Q)",
                       k->section, k->name, v, k->min, k->max);
            r->ok = false;
            return;
        }
        *(double *)slot = d;
        return;
    case V_INT: {
        long n = strtol(v, &end, 10);
        if (end == v || *end || n < k->min || n > k->max) {
            diag_error(r->dg, at(r, m), "%s.%s: '%s' is not a whole number "
                       "from %g to %g", k->section, k->name, v, k->min, k->max);
            r->ok = false;
            return;
        }
        *(int *)slot = (int)n;
        return;
    }
    case V_NUM:
        d = strtod(v, &end);
        if (end == v || *end || d < k->min || d > k->max) {
            diag_error(r->dg, at(r, m), "%s.%s: '%s' is not a number from %g "
                       "to %g", k->section, k->name, v, k->min, k->max);
            r->ok = false;
            return;
        }
        *(double *)slot = d;
        return;
    case V_STR:
        free(*(char **)slot);
        *(char **)slot = xstrdup(v);
        return;
    case V_DIR:
        font_dir(r, v);
        return;
    case V_BOOL:
        if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0)
            *(bool *)slot = true;
        else if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0)
            *(bool *)slot = false;
        else {
            diag_error(r->dg, at(r, m), "%s.%s: '%s' is not true or false",
                       k->section, k->name, v);
            r->ok = false;
        }
        return;
    case V_ENUM: {
        /* the enums these keys set are int-sized, numbered from 0 in the
         * order of their names */
        int i = 0;
        while (k->names[i] && strcmp(v, k->names[i]) != 0)
            i++;
        if (k->names[i]) {
            *(int *)slot = i;
            return;
        }
        buf b = {0};
        for (int j = 0; k->names[j]; j++)
            buf_printf(&b, "%s%s", j == 0 ? "" : k->names[j + 1] ? ", " : " or ",
                       k->names[j]);
        diag_error(r->dg, at(r, m), "%s%s%s: '%s' is not %s", k->section,
                   *k->section ? "." : "", k->name, v, buf_str(&b));
        buf_free(&b);
        r->ok = false;
        return;
    }
    case V_PAGESIZE:
        if (!page_size(v, &r->s->page_w, &r->s->page_h)) {
            diag_error(r->dg, at(r, m), "page.size: unknown size '%s' (A4, "
                       "A5, B5, B6, letter; or set width and height)", v);
            r->ok = false;
        }
        return;
    }
}

static bool next_event(reader *r, yaml_event_t *ev)
{
    if (yaml_parser_parse(&r->p, ev))
        return true;
    diag_error(r->dg, at(r, r->p.problem_mark), "malformed style: %s",
               r->p.problem ? r->p.problem : "YAML error");
    r->ok = false;
    return false;
}

/* Reads a mapping whose start event was consumed; section "" = top. */
static bool read_map(reader *r, const char *section, int depth)
{
    for (;;) {
        yaml_event_t k;
        if (!next_event(r, &k))
            return false;
        if (k.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&k);
            return true;
        }
        if (k.type != YAML_SCALAR_EVENT) {
            diag_error(r->dg, at(r, k.start_mark), "style keys must be names");
            r->ok = false;
            yaml_event_delete(&k);
            return false;
        }
        const char *name = (const char *)k.data.scalar.value;
        yaml_event_t v;
        if (!next_event(r, &v)) {
            yaml_event_delete(&k);
            return false;
        }
        bool cont = true;
        const key *found = NULL;
        for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
            if (strcmp(keys[i].section, section) == 0 &&
                strcmp(keys[i].name, name) == 0)
                found = &keys[i];
        bool is_section = false;
        for (size_t i = 0; depth == 0 && i < sizeof keys / sizeof *keys; i++)
            if (strcmp(keys[i].section, name) == 0)
                is_section = true;
        if (v.type == YAML_MAPPING_START_EVENT && is_section) {
            cont = read_map(r, name, depth + 1);
        } else if (found && v.type == YAML_SCALAR_EVENT) {
            set_value(r, found, (const char *)v.data.scalar.value, v.start_mark);
        } else if (found || is_section) {
            diag_error(r->dg, at(r, v.start_mark), "%s%s%s: %s", section,
                       *section ? "." : "", name,
                       is_section ? "must be a mapping of settings"
                                  : "must be a single value");
            r->ok = false;
            cont = false;
        } else {
            diag_error(r->dg, at(r, k.start_mark), "unknown style key '%s%s%s'",
                       section, *section ? "." : "", name);
            r->ok = false;
            if (v.type != YAML_SCALAR_EVENT)
                cont = false;
        }
        yaml_event_delete(&v);
        yaml_event_delete(&k);
        if (!cont)
            return false;
    }
}

bool style_load(style *s, const char *path, diag *dg)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_error(dg, (diag_loc){path, 0, 0}, "cannot open style file");
        return false;
    }
    free((char *)s->path);
    s->path = xstrdup(path);
    reader r = {.s = s, .dg = dg, .path = path, .ok = true};
    yaml_parser_initialize(&r.p);
    yaml_parser_set_input_file(&r.p, f);
    yaml_event_t ev;
    bool done = false;
    while (!done && next_event(&r, &ev)) {
        switch (ev.type) {
        case YAML_MAPPING_START_EVENT:
            if (!read_map(&r, "", 0))
                done = true;
            break;
        case YAML_SCALAR_EVENT:
        case YAML_SEQUENCE_START_EVENT:
            diag_error(dg, at(&r, ev.start_mark),
                       "a style file is a mapping of sections");
            r.ok = false;
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
    yaml_parser_delete(&r.p);
    fclose(f);
    return r.ok && style_validate(s, dg);
}

void style_turned(const style *s, style *out)
{
    *out = *s;
    if (s->writing != WRITING_VERTICAL)
        return;
    out->page_w = s->page_h;
    out->page_h = s->page_w;
    out->margin_inner = s->margin_top;
    out->margin_top = s->margin_inner;
}

/* The watermark's placeholders are those there are. */
static bool watermark_ok(const style *s, diag *dg)
{
    static const char *const names[] = {"{to}", "{classification}", "{copy}",
                                        "{id}"};
    for (const char *p = strchr(s->watermark_text, '{'); p; p = strchr(p + 1, '{')) {
        bool known = false;
        for (size_t i = 0; i < sizeof names / sizeof *names; i++)
            known |= strncmp(p, names[i], strlen(names[i])) == 0;
        if (!known) {
            const char *end = strchr(p, '}');
            diag_error(dg, style_key_at(s, "editions.watermark-text"),
                       "editions.watermark-text: unknown %.*s (it may say "
                       "{to}, {classification}, {copy} and {id})",
                       end ? (int)(end - p + 1) : (int)strlen(p), p);
            return false;
        }
    }
    return true;
}

static double mm(double pt)
{
    return pt / 72 * 25.4;
}

/* The page's furniture inside the paper's printable area: the text block,
 * the running head above it and the folio under it (for vertical text,
 * s is the turned frame: the folio stands at the columns' foot, on the
 * paper, which is the frame's right). */
static bool edges_ok(const style *s, bool vertical, diag *dg)
{
    diag_loc loc = {s->path, 0, 0};
    double left = style_left(s), top = style_top(s);
    double right = s->page_w - left - style_measure(s);
    double bottom = s->page_h - top - style_block_height(s);
    const double sides[4] = {left, right, top, bottom};
    static const char *const names[2][4] = {
        {"inner (left)", "outer (right)", "top", "bottom"},
        {"top", "bottom", "right", "left"}};
    for (int i = 0; i < 4; i++)
        if (sides[i] < STYLE_EDGE) {
            diag_error(dg, loc, "the text block comes within %.1f mm of the "
                       "paper's %s edge; a printer leaves %.0f mm blank: "
                       "fewer characters or lines, a smaller size or pitch, "
                       "or other margins", mm(sides[i]), names[vertical][i],
                       mm(STYLE_EDGE));
            return false;
        }
    double head = top - 2.2 * s->pitch - JP_EM_TOP * s->head_size;
    if (head < STYLE_EDGE) {
        diag_error(dg, loc, "the running head stands %.1f mm from the paper's "
                   "%s edge; a printer leaves %.0f mm blank: a larger %s "
                   "margin, or fewer lines", mm(head), vertical ? "right" : "top",
                   mm(STYLE_EDGE), vertical ? "right" : "top");
        return false;
    }
    double fs = s->head_size + 1;
    double folio = (vertical ? left + style_measure(s)
                             : top + style_block_height(s)) +
                   2.5 * s->pitch + JP_EM_BOTTOM * fs;
    double room = (vertical ? s->page_w : s->page_h) - folio;
    if (room < STYLE_EDGE) {
        diag_error(dg, loc, "the folio stands %.1f mm from the paper's bottom "
                   "edge; a printer leaves %.0f mm blank: fewer %s, a smaller "
                   "pitch, or a smaller %s margin", mm(room), mm(STYLE_EDGE),
                   vertical ? "characters per line" : "lines",
                   vertical ? "top" : "top");
        return false;
    }
    return true;
}

double style_marking_y(const style *s)
{
    if (s->marking == MARKING_HEAD) /* above the running head */
        return style_top(s) - 2.2 * s->pitch - 1.6 * STYLE_MARKING_SIZE;
    return style_top(s) + style_block_height(s) + 3.4 * s->pitch;
}

bool style_check_marking(const style *s, diag *dg)
{
    bool vertical = s->writing == WRITING_VERTICAL;
    style t = *s;
    if (vertical) {
        style_turned(s, &t);
        t.writing = WRITING_HORIZONTAL;
    }
    diag_loc loc = style_key_at(s, "editions.marking");
    double m = style_marking_y(&t);
    double top = m - JP_EM_TOP * STYLE_MARKING_SIZE;
    double foot = m + JP_EM_BOTTOM * STYLE_MARKING_SIZE;
    const char *where = vertical ? (s->marking == MARKING_HEAD ? "right" : "left")
                                 : (s->marking == MARKING_HEAD ? "top" : "bottom");
    if (top < STYLE_EDGE || foot > t.page_h - STYLE_EDGE) {
        diag_error(dg, loc, "a copy's marking would stand %.1f mm from the "
                   "paper's %s edge; a printer leaves %.0f mm blank: %s",
                   mm(top < STYLE_EDGE ? top : t.page_h - foot), where,
                   mm(STYLE_EDGE),
                   s->marking == MARKING_HEAD
                       ? "a larger margin above the text, or editions.marking: foot"
                       : "a larger margin under the text, or editions.marking: head");
        return false;
    }
    /* clear of the folio, which stands under a horizontal page's text */
    double fs = s->head_size + 1;
    double folio = style_top(&t) + style_block_height(&t) + 2.5 * t.pitch;
    if (!vertical && s->marking == MARKING_FOOT &&
        top < folio + JP_EM_BOTTOM * fs + 1) {
        diag_error(dg, loc, "a copy's marking would touch the folio: a larger "
                   "line pitch or bottom margin, or editions.marking: head");
        return false;
    }
    return true;
}

static bool validate(const style *s, bool vertical, diag *dg)
{
    diag_loc loc = {s->path, 0, 0};
    bool ok = true;
    if (style_measure(s) > s->page_w - 20 ||
        style_block_height(s) + 40 > s->page_h) {
        diag_error(dg, loc, "the text block (%.1f x %.1f pt) does not fit "
                   "the page (%.1f x %.1f pt) with room for the running head "
                   "and folio", style_measure(s), style_block_height(s),
                   s->page_w, s->page_h);
        ok = false;
    }
    if (s->pitch < s->body_size) {
        diag_error(dg, loc, "body.line-pitch (%.2f pt) is smaller than the "
                   "body size (%.2f pt)", s->pitch, s->body_size);
        ok = false;
    }
    if (s->table_size > s->pitch || s->caption_size > s->pitch) {
        diag_error(dg, loc, "tables.size and figures.caption-size must not "
                   "exceed body.line-pitch (%.2f pt): their lines sit on the "
                   "body grid", s->pitch);
        ok = false;
    }
    if (!*s->figure_label || !*s->table_label ||
        strlen(s->figure_label) > 32 || strlen(s->table_label) > 32) {
        diag_error(dg, loc, "figures.figure-label and figures.table-label "
                   "must be words of 1 to 32 bytes");
        ok = false;
    }
    if (s->note_pitch < s->note_size) {
        diag_error(dg, loc, "notes.line-pitch is smaller than notes.size");
        ok = false;
    }
    if (!s->number_format || !strchr(s->number_format, '1') ||
        strlen(s->number_format) > 16) {
        diag_error(dg, loc, "lists.number must show where the number goes "
                   "with a 1, as \"1.\" or \"(1)\"");
        ok = false;
    }
    if (s->margin_top >= 0 && s->margin_top + style_block_height(s) > s->page_h) {
        diag_error(dg, loc, "page.margin-top pushes the text block off the page");
        ok = false;
    }
    return ok && edges_ok(s, vertical, dg) && watermark_ok(s, dg);
}

bool style_validate(const style *s, diag *dg)
{
    if (s->writing == WRITING_VERTICAL) { /* the numbers along the lines */
        style t;
        style_turned(s, &t);
        t.writing = WRITING_HORIZONTAL;
        return validate(&t, true, dg);
    }
    return validate(s, false, dg);
}
