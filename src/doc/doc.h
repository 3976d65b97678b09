/* The document tree: what the parser builds and both backends read.
 *
 * One arena owns every node and string. Backends take a `const doc *` and
 * never change it; the only rewriting pass (note numbering) runs in
 * doc/notes.c before either backend sees the tree. */
#ifndef KM_DOC_H
#define KM_DOC_H
#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

typedef enum doc_kind {
    /* blocks */
    DOC_ROOT,
    DOC_HEADING,   /* level 1-6 */
    DOC_PARA,
    DOC_LIST,      /* ordered, start, tight */
    DOC_ITEM,
    DOC_QUOTE,
    DOC_HR,
    DOC_CODEBLOCK, /* text = the code, info = the info string */
    DOC_TABLE,     /* align: one of l c r - per column; label, number */
    DOC_TROW,      /* header = true for the head row */
    DOC_TCELL,
    DOC_FIGURE,    /* an image alone in its paragraph: url, image; its
                      inlines are the caption (the alt text); label,
                      number, width */
    DOC_CAPTION,   /* a table's caption, its first child (inlines) */
    /* inlines */
    DOC_TEXT,      /* text */
    DOC_EMPH,
    DOC_STRONG,
    DOC_CODE,      /* text */
    DOC_LINK,      /* url; autolink = true for a bare URL */
    DOC_BREAK,     /* hard line break */
    DOC_NOTEREF,   /* note = number; ref = occurrence (1 = first) */
    DOC_IMAGE,     /* an image inside text: url, image; its inlines are the
                      alt text */
    DOC_XREF,      /* [@fig:x] [@tbl:x]: label; target = the figure or
                      table, number = its number */
    DOC_RUBY,      /* its inlines are the base; text = the reading, or with
                      mono one reading per base character, separated by
                      DOC_RUBY_SEP */
    DOC_SUP,       /* <sup> */
    DOC_SUB,       /* <sub> */
    DOC_SPAN,      /* <span class>: info = the class */
    DOC_TCY,       /* ^AI^: set upright in vertical text (縦中横) */
    DOC_STRIKE,    /* ~~struck~~, <del>, <s>: a deletion, struck through */
    DOC_UNDERLINE, /* <u>, <ins>: an addition (補正の下線), underlined */
} doc_kind;

#define DOC_RUBY_SEP '\x1f' /* between the readings of a mono ruby */

/* A figure's width as written: a share of the text width, or a length. */
typedef struct doc_width {
    double pct;      /* 0 < pct <= 100, or 0 */
    double pt;       /* or a length, or 0: natural size */
} doc_width;

/* An image file the document uses, once however often it appears. */
typedef enum doc_image_kind { IMG_PNG, IMG_JPEG, IMG_SVG } doc_image_kind;
typedef struct doc_image {
    const char *src;     /* as written (arena) */
    const char *path;    /* the file, relative to the working directory */
    doc_image_kind kind;
    int px_w, px_h;      /* pixels (SVG: its size in CSS px) */
    int components;      /* a JPEG's colour components: 1 grey, 3 RGB or
                            YCbCr, 4 CMYK; 0 for the others */
    double w, h;         /* natural size, pt (rasters at their dpi, 96
                            when they name none) */
    int line, col;       /* its first use */
} doc_image;

enum { DOC_SECNUM_DEPTH = 4 }; /* heading levels that take numbers */

typedef struct doc_node doc_node;
struct doc_node {
    doc_kind kind;
    int line, col;   /* where it starts in the source (1-based) */
    int id;          /* blocks: document-order index from 0; inlines: -1 */
    doc_node *parent, *first, *last, *next, *prev;
    const char *text; /* TEXT, CODE, CODEBLOCK (arena) */
    size_t len;
    const char *url;  /* LINK (arena) */
    const char *info; /* CODEBLOCK */
    int level;        /* HEADING */
    int start;        /* LIST (ordered) */
    int note;         /* NOTEREF: 1-based note number */
    int ref;          /* NOTEREF: 1-based occurrence of this note */
    bool ordered, tight, autolink, header;
    const char *label;   /* FIGURE, TABLE: "fig:x" or NULL; XREF: "fig:x";
                            HEADING: "sec:x" or NULL */
    const char *short_title; /* HEADING: its short form for the contents
                            and running heads ({short="..."}), or NULL */
    int number;          /* FIGURE, TABLE: 1-based; XREF: its target's */
    const char *align;   /* TABLE: a char per column, l c r or - */
    int image;           /* FIGURE, IMAGE: index into doc.images, or -1 */
    doc_width width;     /* FIGURE */
    int secno[DOC_SECNUM_DEPTH]; /* HEADING of the body (not the back
                            matter's): its number's counters from the top
                            level down, 0 after the last ({2, 1, 0, 0}:
                            2.1); the style decides which it shows */
    int para_no;          /* PARA at the body's top level: its number,
                            1-based (【０００１】, doc_para_label); 0: none */
    const double *widths; /* TABLE: its columns' shares as the writer gave
                            them ({widths="2 1 3"}), or NULL */
    int nwidths;
    doc_node *target;    /* XREF */
    bool mono;           /* RUBY: one reading per base character */
    bool html;           /* RUBY, SUP, SUB, SPAN: opened by an HTML tag */
    bool cite;           /* LINK: a patent number found in the text, linked
                            to its public record (style links.patents);
                            SPAN: a court's case number found in it */
};

typedef struct doc_note {
    int number;          /* 1-based, by first reference */
    const char *label;   /* as written in the source */
    int line, col;       /* the definition */
    int nrefs;           /* how many references point here */
    doc_node *body;      /* a DOC_ROOT holding the definition's blocks */
} doc_note;

/* One recipient's copy of the document (client editions). */
typedef struct doc_edition {
    const char *id;       /* a file-name token: NAME-ID.pdf */
    const char *to;       /* 株式会社〇〇 知的財産部 御中 */
    const char *classification; /* 社外秘; NULL: the document's */
    int copy;             /* the copy number, or 0 */
    bool copy_auto;       /* copy: auto (numbered in order) */
    int encrypt;          /* encrypt: its PDF with AES-256, 1; not, 0;
                             -1 until editions_check gives the default */
    const char *password_file; /* password-file: the open password's file,
                             relative to the working directory, or NULL */
    const char *file;     /* where it is defined (arena) */
    int line, col;
} doc_edition;

/* A block of the manuscript for some editions only (::: {editions="a b"}
 * or {except="c"}; parse/pre.c), as written. */
typedef struct doc_cond {
    const char *ids;     /* space-separated */
    bool except;         /* for all editions but these */
    int line, col;       /* its ::: line */
    int parent;          /* the block it stands in, or -1 */
} doc_cond;

/* Is block i of v (and every block around it) in `edition`'s copy? NULL:
 * the plain build, which has none of them; DOC_EVERY_EDITION: all of
 * them (check reads every word). */
#define DOC_EVERY_EDITION "*"
bool doc_cond_visible(const doc_cond *v, size_t i, const char *edition);

typedef struct doc_meta {
    const char *title;
    const char *subtitle;
    const char *lang;      /* default "ja" */
    const char *date;      /* ISO 8601: YYYY-MM-DD, YYYY-MM or YYYY */
    const char *author;
    const char *publisher;
    const char *rights;    /* distribution notice for the title page */
    const char *subject;
    const char *keywords;  /* comma-separated */
    const char *identifier; /* optional; EPUB derives a UUID otherwise */
    const char *edition;   /* 第1版 (the colophon's edition/printing) */
    const char *contact;   /* the colophon's contact line */
    const char *classification; /* editions' default marking (社外秘) */
    int classification_line, classification_col; /* where the front
                              matter gives it (0: it does not) */
    bool dated_by_file;    /* no date given: `date` is the day the file was
                              last changed */
    bool untitled;         /* no title given: `title` is the file's name,
                              and there is no title page */
} doc_meta;

typedef struct doc {
    arena *a;            /* owns every node and string */
    const char *path;    /* the manuscript's path (arena) */
    doc_meta meta;
    doc_node *root;      /* DOC_ROOT */
    doc_note *notes;     /* nnotes entries, in number order (arena) */
    size_t nnotes;
    int nblocks;         /* ids run 0 .. nblocks-1 */
    doc_image *images;   /* nimages entries (arena) */
    size_t nimages;
    doc_edition *editions; /* neditions entries (arena) */
    size_t neditions, cap_editions;
    doc_cond *conds;       /* the blocks for some editions only (arena) */
    size_t nconds;
    const char *sources_file; /* NAME.sources.yaml, when there is one
                              (parse/sources.h), or NULL */
    bool encrypt;          /* the editions file's encrypt: (the default) */
    const char *password_file; /* its password-file:, resolved, or NULL */
} doc;

doc *doc_new(const char *path);
void doc_free(doc *d);
doc_node *doc_node_new(doc *d, doc_kind kind, int line, int col);
void doc_append(doc_node *parent, doc_node *child);
void doc_prepend(doc_node *parent, doc_node *child);
/* Takes n (and its subtree) out of the tree. */
void doc_remove(doc_node *n);
bool doc_is_block(doc_kind k);
const char *doc_kind_name(doc_kind k);
/* Assigns block ids in reading order: the body (root = 0), then each
 * note's body in note order. */
void doc_number_blocks(doc *d);

/* Pre-order walk with bounded memory: no recursion (README: Conventions
 * in the code).
 * Returns the node after n in document order within `top`, or NULL. */
const doc_node *doc_next(const doc_node *top, const doc_node *n);

/* An enter/exit walk, as cmark's iterator: every node is entered, and
 * every node that can hold children (all but text, code, breaks, note
 * references, code blocks and rules) is also left, after its children.
 * Iterative: the tree's depth costs no stack.
 *
 *     doc_iter it;
 *     doc_iter_init(&it, top);
 *     while (doc_iter_next(&it))
 *         it.ev == DOC_ENTER ? enter(it.node) : leave(it.node);
 */
typedef enum doc_event { DOC_ENTER, DOC_EXIT } doc_event;
typedef struct doc_iter {
    const doc_node *top;
    const doc_node *node; /* the current node (borrowed), or NULL at the end */
    doc_event ev;
} doc_iter;
void doc_iter_init(doc_iter *it, const doc_node *top);
/* Moves to the next event; false when the walk is over (after top's exit). */
bool doc_iter_next(doc_iter *it);
/* Is n a leaf: entered, never left? */
bool doc_is_leaf(doc_kind k);

/* Note references written one after another ([^2][^1]) are one mark,
 * its numbers sorted: "1,2)". When n is the first reference of such a
 * cluster, returns its references sorted by note number (the caller
 * frees the array) and their count in *count (1 for a lone reference);
 * returns NULL when n is not a note reference or not the first of its
 * cluster. */
const doc_node **doc_ref_cluster(const doc_node *n, size_t *count);

/* The highest heading level among the body's top-level blocks (1 when
 * there are no headings). */
int doc_top_level(const doc *d);

/* The back matter: a closing top-level section titled 参考資料, 参考文献,
 * References, Bibliography or 文献, which printed reports put after the
 * endnotes. NULL if there is none. */
const doc_node *doc_back_matter(const doc *d);

/* The front matter's date the Japanese way: "2025-10-20" -> "2025年10月20日"
 * (anything else as it is; "" without a date). */
void doc_date_ja(const doc *d, char *out, size_t n);

/* The ISO 8601 date-time both editions carry ("2025-08-01T00:00:00Z"):
 * SOURCE_DATE_EPOCH's when it is set, else the front matter's date (its
 * first day when it is a month or a year), so two builds are identical. */
void doc_timestamp(const doc *d, char *out, size_t n);

/* Numbers the paragraphs at the body's top level in order (para_no), as
 * Japanese patent specifications number theirs: both editions show the
 * same numbers, so a pinpoint citation works in either. The back
 * matter's (a closing 参考資料 section) are not numbered. */
void doc_number_paragraphs(doc *d);

/* The figures (kind DOC_FIGURE) or the tables (DOC_TABLE) in their
 * numbers' order: the body's, then the notes'. *n is their count; the
 * caller frees the array. */
const doc_node **doc_floats(const doc *d, doc_kind kind, size_t *n);

/* A figure's or table's entry in a list of figures or tables: "図1　題"
 * ("図1" when it has no caption). The caller frees it. */
char *doc_float_entry(const doc_node *n, const char *word);

/* Counts the body's headings (secno) from its top level down, as
 * 1, 1.1, 1.1.1: the back matter's heading takes none. */
void doc_number_headings(doc *d);

/* What a cross-reference prints: "図1", "表2", a section's number
 * (`secno`, in the style's form) or, without one, its title in 「」; and
 * when page > 0, "（12頁）" after it. The caller frees it. */
char *doc_xref_text(const doc_node *x, const char *figure_word,
                    const char *table_word, const char *secno, int page);

/* A paragraph's number as printed, 【０００１】 (full-width digits), and
 * as an anchor, p0001. */
void doc_para_label(int no, char *out, size_t n);
void doc_para_anchor(int no, char *out, size_t n);

/* The marking every page of an edition carries, and its notice:
 * "社外秘｜株式会社〇〇 知的財産部 御中｜2025年10月20日｜No. 3" (the parts
 * there are). The caller frees it. */
char *doc_edition_marking(const doc *d, const doc_edition *ed);

/* Where a printed page begins in the tree. */
typedef enum doc_mark_kind {
    DOC_MARK_TITLE,     /* the title page */
    DOC_MARK_TOC,       /* a page of the contents */
    DOC_MARK_BLOCK,     /* a page of the text */
    DOC_MARK_COLOPHON,  /* the colophon (奥付) */
} doc_mark_kind;

typedef struct doc_mark {
    doc_mark_kind kind;
    int block;          /* DOC_MARK_BLOCK: tree block id; DOC_MARK_TOC:
                           the contents entry's index */
    size_t off;         /* DOC_MARK_BLOCK: bytes of the block's text before
                           the page begins */
} doc_mark;

/* The page map: what the EPUB takes from the print layout, where each
 * printed page begins and its number (its page-list). The layout fills
 * it (layout_page_map); it holds nothing of the layout's. */
typedef struct doc_pagemap {
    doc_mark *marks;    /* one per printed page, in page order (owned) */
    int *numbers;       /* the printed page numbers (owned) */
    size_t n;
    int *target_page;   /* per block id (nblocks of them): the printed page
                           a cross-reference's target (heading, figure,
                           table) stands on, 0 for the rest (owned) */
    int nblocks;
} doc_pagemap;
void doc_pagemap_free(doc_pagemap *pm);

/* The plain text of a subtree (text, code, link text; no notes). The
 * caller frees it. */
char *doc_plain_text(const doc_node *n);

/* The language of a block's text when it is not the document's: "en" for
 * a paragraph or quote of Latin letters in a Japanese (or other non-Latin)
 * document (ten letters or more, nine in ten of them Latin), so readers
 * hyphenate and speak it as English; NULL otherwise. */
const char *doc_block_lang(const doc *d, const doc_node *block);

#endif
