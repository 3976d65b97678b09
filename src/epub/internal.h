/* Shared by the epub stages (not a public header). */
#ifndef KM_EPUB_INTERNAL_H
#define KM_EPUB_INTERNAL_H
#include "epub/epub.h"
#include "epub/xml.h"

typedef struct epub_file {
    char *name;       /* "s001.xhtml" (owned) */
    char *title;      /* for the NCX and landmarks (owned) */
    buf data;         /* the document */
    const char *media;
    const char *props; /* manifest properties, or NULL */
} epub_file;

typedef struct epub_page {
    int number;
    char *file;       /* where its marker was written (owned), or NULL */
} epub_page;

typedef struct epub_ref {
    int note, ref;    /* note number, its reference's occurrence (1-based) */
    char *file;       /* the document it stands in (owned) */
} epub_ref;

typedef struct epub_toc {
    char *title;
    int level;        /* 1 = top */
    char *href;       /* file#id (owned) */
} epub_toc;

typedef struct epub {
    const doc *d;
    const style *st;
    const doc_pagemap *pm;
    diag *dg;
    int top_level;
    epub_file *files;
    size_t nfiles, cap_files;
    epub_page *pages;  /* pm->n entries */
    epub_toc *toc;
    size_t ntoc, cap_toc;
    size_t toc_printed; /* the contents' entries as the print lists them
                           (toc, but for the entry an empty one needs) */
    epub_toc *lists[2]; /* the lists of figures [0] and tables [1] the
                           style asks for (front.figure-list, table-list) */
    size_t nlists[2];
    char **ref_file;   /* per note number: file of its first reference */
    epub_ref *refs;    /* every reference to a note, where it stands */
    size_t nrefs, cap_refs;
    const doc_node *back;  /* the closing 参考資料 section, or NULL */
    const doc_edition *ed; /* the recipient's edition, or NULL */
    char *notice;          /* its marking line (owned), or NULL */
    bool failed;       /* a document could not be written whole */
    char uuid[48];
    char modified[32];
} epub;

/* zip.c: an epub for d (its identifier, date, page slots), and what it
 * holds freed. */
void epub_begin(epub *e, const doc *d, const style *st,
                const doc_pagemap *pm, const doc_edition *ed, diag *dg);
void epub_clear(epub *e);

/* xhtml.c: every content document into e->files. */
void epub_content(epub *e);
/* Starts an XHTML content document in the manuscript's language, its
 * <body> open. */
void epub_xhtml_begin(const epub *e, xw *x, const char *title,
                      const char *body_type);
/* Ends the document and adds the file to the package; a document the
 * writer could not make whole is an error (e->failed). */
void epub_finish(epub *e, xw *x, const char *name, const char *title,
                 const char *media, const char *props);
void epub_xhtml_end(epub *e, xw *x, const char *name, const char *title,
                    const char *props);
char *epub_url(const char *url);
bool epub_printed(const epub *e, doc_mark_kind kind);
/* Is there a colophon (the print's last page, or an edition's notice)? */
bool epub_colophon(const epub *e);

/* The package's name of image `index` of d->images: images/imgN.EXT. */
char *epub_image_name(const doc *d, int index);

/* package.c */
void epub_package(epub *e);
char *epub_css(const style *st);

#endif
