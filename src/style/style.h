/* Styles (styles/NAME.yaml): page geometry, the grid, fonts and sizes, and the
 * Japanese composition settings. Read by both backends. Lengths are in pt. */
#ifndef KM_STYLE_H
#define KM_STYLE_H
#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"

/* Line-start rules, JLREQ's four conventions (README, "Kinsoku levels"):
 * strict = JLREQ's very strict, normal = its strict (its default),
 * loose, very loose. */
typedef enum {
    KINSOKU_STRICT,
    KINSOKU_NORMAL,
    KINSOKU_LOOSE,
    KINSOKU_VERY_LOOSE,
} kinsoku_level;

/* How *emphasis* is set: sesame dots over each Japanese character (圏点,
 * JLREQ 3.2.5) and Latin in italic; the gothic face throughout; or Latin
 * in italic and Japanese (which has no italic) in the gothic face. */
typedef enum { EMPHASIS_BOUTEN, EMPHASIS_GOTHIC, EMPHASIS_ITALIC } emphasis_style;

typedef enum { WRITING_HORIZONTAL, WRITING_VERTICAL } writing_mode; /* 縦組み */

/* Where a note's reference mark stands by the sentence's 。 or 、: before
 * it, the Japanese convention (遂げている1)。), or after it, as written. */
typedef enum { MARK_BEFORE_STOP, MARK_AFTER_STOP } mark_position;

/* The space between Japanese and Latin letters or numerals: JLREQ's ¼ em
 * (books, reports), or none (court documents, set solid: 令和5年). */
typedef enum { LATIN_SPACE_QUARTER, LATIN_SPACE_NONE } latin_space;

/* Where a client's copy carries its marking (editions.marking): at the
 * foot under the folio, or at the head's outer corner, above the running
 * head (where a 社外秘 legend is looked for). */
typedef enum { MARKING_FOOT, MARKING_HEAD } marking_place;

/* Paragraph numbers (paragraphs.numbers): none, or 【０００１】 at the head
 * of each paragraph at the body's top level, as patent specifications
 * number theirs. */
typedef enum { PARA_NUMBERS_OFF, PARA_NUMBERS_HEAD } para_numbers;

/* Heading numbers (headings.numbers), down to headings.numbers-depth
 * levels below the body's top: none; "1." (1. / 1.1 / 1.1.1); "1.1"
 * (1 / 1.1 / 1.1.1, JIS Z 8301's point system); "第1章" (第1章 / 1.1 /
 * 1.1.1). */
typedef enum { SECNUM_OFF, SECNUM_DOT, SECNUM_DECIMAL, SECNUM_CHAPTER }
    heading_numbers;
enum { STYLE_SECNUM_DEPTH = 4 }; /* the deepest numbers-depth */

/* The marking's size, and how near the paper's edge anything printed may
 * come (most printers leave about 5 mm blank). */
#define STYLE_MARKING_SIZE 7.0
#define STYLE_EDGE (5 / 25.4 * 72)

/* What the PDF conforms to (pdf.standard): nothing claimed, or PDF/A-1b
 * (ISO 19005-1, level B: for archives; no transparency, no encryption). */
typedef enum { PDF_STANDARD_OFF, PDF_STANDARD_A1B } pdf_standard;

enum { STYLE_HEADING_LEVELS = 6 }; /* # .. ###### */

/* One heading level's look (JLREQ 4.1: 見出し). A block heading takes
 * whole grid lines (行取り, gyodori); a run-in one (同行見出し) starts the
 * paragraph after it, in its own face, a full-width space before the
 * text. */
typedef struct style_heading {
    double size;     /* pt */
    int lines;       /* grid lines the heading occupies (gyodori) */
    int before;      /* blank grid lines before (dropped at a page top) */
    double indent;   /* em of its own size from the text block's start */
    bool bold;       /* the heading face's bold, else its regular */
    bool run_in;     /* 同行見出し: on the first line of the paragraph
                        after it (a block when no paragraph follows) */
} style_heading;

typedef struct style {
    const char *path;          /* where it was read from (owned copy) */
    char *name;
    writing_mode writing;      /* writing-mode: horizontal-tb, vertical-rl */
    int tcy_digits;            /* tate-chu-yoko: half-width digit runs up to
                                  this long are set upright */
    int upright_caps;          /* composition.upright-capitals: runs of
                                  capitals up to this long (AI, EU) stand
                                  upright in vertical text, a letter an em;
                                  0: none */
    /* page */
    double page_w, page_h;
    double margin_top;         /* < 0: centre the text block vertically */
    double margin_inner;       /* < 0: centre horizontally */
    /* text block (hanmen): size x chars x lines, and the line pitch */
    double body_size;
    int chars_per_line;
    int lines_per_page;
    double pitch;
    /* fonts (fontconfig families) */
    char *body_font;
    char *heading_font;
    char *mono_font;
    char *features;            /* OpenType features for body text, "" none */
    emphasis_style emphasis;
    char *italic_font;         /* Latin words under emphasis, set italic */
    style_heading heading[STYLE_HEADING_LEVELS];
    /* notes and reference marks */
    double note_size;
    double note_pitch;
    double ref_size;           /* the raised note number in the text */
    mark_position mark_position; /* notes.mark-position */
    double ref_rise;
    /* running head and folio */
    double head_size;
    /* composition */
    kinsoku_level kinsoku;
    latin_space latin_space;   /* composition.latin-space */
    bool hanging;              /* burasage of 、。 */
    bool title_page;
    bool toc;
    bool colophon;             /* a colophon (奥付) as the last page */
    bool figure_list;          /* front.figure-list: a list of figures
                                  (図目次) after the contents */
    bool table_list;           /* front.table-list: a list of tables
                                  (表目次) after it */
    bool watermark;            /* editions: the recipient, light and turned,
                                  under every page's text */
    marking_place marking;     /* editions.marking */
    char *watermark_text;      /* editions.watermark-text: what the
                                  watermark says, {to} {classification}
                                  {copy} {id} standing for the copy's */
    para_numbers para_numbers; /* paragraphs.numbers */
    heading_numbers heading_numbers; /* headings.numbers */
    int heading_numbers_depth; /* headings.numbers-depth: levels numbered */
    bool ref_pages;            /* references.pages: [@sec:] [@fig:] [@tbl:]
                                  say their target's page, 「（12頁）」 */
    bool patent_links;         /* links.patents: patent numbers in the text
                                  link to their public records */
    bool id_in_keywords;       /* editions.id-in-keywords: the copy's id in
                                  the PDF's Keywords (edition:ID) */
    pdf_standard pdf_standard; /* pdf.standard */
    /* pagination: a paragraph broken across pages leaves at least
     * `orphans` lines at the foot of the first and `widows` at the top
     * of the next (the page then ends a grid line or two short) */
    int widows;
    int orphans;
    /* lists: the bullet, and the number's form ("1." "(1)" "1)": the 1
     * stands for the number) */
    char *bullet;
    char *number_format;
    /* figures and tables: the words before their numbers ("図1", "表2"),
     * the size of captions and of table text */
    char *figure_label;
    char *table_label;
    double caption_size;
    double table_size;
    /* fonts.dir: a folder of font files (OTF, TTF, TTC) the style's
     * families may come from, resolved from the style's own folder (owned),
     * or NULL */
    char *font_dir;
    /* where each key was set, for problems seen only later (a font that
     * is not there): style_key_at */
    struct style_where *where;
    size_t nwhere;
} style;

typedef struct style_where {
    const char *key;   /* "body.font" (static) */
    int line, col;
} style_where;

/* Where `key` ("body.font") was set in the style file: its file:line:col,
 * or the file alone (line 0) when the default was kept. */
diag_loc style_key_at(const style *s, const char *key);

/* The built-in default (the same values as styles/handout.yaml). */
/* The look of a heading at tree `level` in a document whose top heading
 * level is `top_level` (## takes h2's when the report's top level is ##;
 * otherwise the top level takes h1's). Both editions use it. */
const style_heading *style_heading_at(const style *st, int top_level,
                                      int level);

/* A heading's number in the style's form, from its counters (no[0] the
 * top level's, ending at the first 0 or at STYLE_SECNUM_DEPTH): "1.1",
 * "第2章"; as a reference names it (`ref`), "2.1節" or "第2章".
 * Empty when the style numbers no headings or not this one (too deep,
 * or no counters). */
void style_section_number(const style *st, const int *no, bool ref, char *out,
                          size_t n);
/* A heading's text as the contents and navigation list it: after its
 * number and a full-width space when it has one ("2.1　試料"). The caller
 * frees it. */
char *style_numbered_title(const style *st, const int *no, const char *text);

void style_default(style *s);
/* Reads a style file over the defaults; every unknown key or bad value is
 * an error with file:line:col. Returns false if any error was recorded. */
bool style_load(style *s, const char *path, diag *dg);
/* Checks the numbers against each other (the text block fits the page,
 * sizes are positive). */
bool style_validate(const style *s, diag *dg);
void style_free(style *s);
/* The frame a page is laid out in: the style itself for horizontal text;
 * for vertical, the page turned a quarter anticlockwise, so that its
 * lines run across it as horizontal ones do (width and height swapped;
 * margin-top, the head above the columns, becomes the left margin, and
 * margin-inner, the right margin before the first column, the top). The
 * PDF turns it back. Strings are shared with s. */
void style_turned(const style *s, style *out);

/* The baseline of a copy's marking in the frame the layout is set in (the
 * turned one for vertical text), at the foot or at the head. */
double style_marking_y(const style *s);
/* Does a copy's marking fit (inside the paper's printable area, clear of
 * the folio)? An error at the style if not; checked when copies are made. */
bool style_check_marking(const style *s, diag *dg);

/* Text block geometry derived from the style. */
double style_measure(const style *s);     /* body_size * chars_per_line */
double style_block_height(const style *s);/* body + (lines-1) * pitch */
double style_left(const style *s);
double style_top(const style *s);

/* Parses "10pt", "3.5mm", "14Q", "1in", "12" (pt). Returns false if bad. */
bool style_parse_length(const char *s, double *pt);

#endif
