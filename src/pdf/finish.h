/* What Cairo 1.16 cannot write, added to its PDF with qpdf (libqpdf's C
 * API): the structure elements' attributes (Alt, Lang, a header cell's
 * Scope, a link's Contents), Artifacts, captions inside their figures,
 * links inside their paragraphs, the document's metadata (the Info
 * dictionary and XMP), the viewer's preferences, /Tabs, and for PDF/A-1b
 * the sRGB output intent, CIDSets, printable annotations and no page
 * groups. The /ID comes from the content, so two runs give the same
 * bytes. Internal to pdf/. */
#ifndef KM_PDF_FINISH_H
#define KM_PDF_FINISH_H
#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/diag.h"

typedef enum pdf_artifact {
    ART_NONE,       /* content: stays in the structure tree */
    ART_LAYOUT,     /* a rule, a leader, ruby or dots drawn over the text */
    ART_PAGINATION, /* a running head, a folio, a copy's marking */
    ART_WATERMARK,  /* a copy's watermark */
} pdf_artifact;

/* Artifacts are drawn inside this structure type, which finish takes out
 * of the tree (Cairo 1.16 accepts only standard structure types). */
#define PDF_ARTIFACT_TAG "Private"

/* A structure element as the drawing began it, in the order Cairo makes
 * them (the tree's pre-order). */
typedef struct pdf_tag {
    const char *name;      /* "P", "H2", "Figure", "Link" (static) */
    char *alt;             /* Figure: its /Alt (owned), or NULL */
    char *contents;        /* Link: its annotation's /Contents (owned) */
    const char *lang;      /* /Lang when not the document's, or NULL */
    pdf_artifact artifact;
    bool column_header;    /* TH: /A << /O /Table /Scope /Column >> */
    long into;             /* moved to the end of tag #into's kids (a
                              figure's caption into the figure, a link
                              into its paragraph), or -1 */
} pdf_tag;

typedef struct pdf_tags {
    pdf_tag *v;
    size_t n, cap;
} pdf_tags;

void pdf_tags_free(pdf_tags *t);

typedef struct pdf_meta {
    const char *title, *author, *subject, *keywords, *rights;
    const char *lang;      /* BCP 47 */
    const char *date;      /* ISO 8601 "2025-08-01T00:00:00Z" */
} pdf_meta;

typedef struct pdf_finish_opts {
    const pdf_tags *tags;
    pdf_meta meta;
    bool pdfa;             /* PDF/A-1b */
    bool r2l;              /* bound on the right (vertical books) */
    bool encrypt;          /* AES-256 (R6): printing allowed, copying and
                              changing not; a random owner password */
    const char *password;  /* with encrypt: the open password, or NULL */
} pdf_finish_opts;

/* Rewrites the PDF in `pdf` in place. False with an error when qpdf
 * cannot read it or the tree does not match the tags (a bug), or, for
 * PDF/A, when it holds transparency. */
bool pdf_finish(buf *pdf, const pdf_finish_opts *o, diag *dg);

#endif
