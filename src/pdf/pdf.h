/* The print handout: laid-out pages -> PDF through Cairo. The only module
 * that draws with Cairo. */
#ifndef KM_PDF_H
#define KM_PDF_H
#include <stdbool.h>
#include <stdio.h>

#include "doc/doc.h"
#include "layout/layout.h"
#include "sign/sign.h"
#include "util/buf.h"
#include "util/diag.h"

/* The fonts a PDF draws with, each cut down to the glyphs drawn
 * (pdf/subset.h). */
typedef struct pdf_fontset pdf_fontset;
/* Subset once for the layout and the overlays of every edition to come
 * (a copy made alone is then byte for byte the one made with the
 * others). */
pdf_fontset *pdf_fontset_editions(const layout *L, const lay_overlay *ov,
                                  size_t n);
void pdf_fontset_free(pdf_fontset *fs);

/* How to write one file. */
typedef struct pdf_opts {
    const lay_overlay *overlay; /* one copy's (layout_edition), or NULL:
                                   the plain file */
    pdf_fontset *fonts;         /* from pdf_fontset_editions, or NULL:
                                   subset for this file alone */
    const signer *sign;         /* sign the file (PAdES, an incremental
                                   update after it), or NULL */
    bool encrypt;               /* AES-256: printing allowed, copying and
                                   changing not (never with PDF/A) */
    const char *password;       /* with encrypt: the open password, or NULL
                                   (only the permissions) */
    void (*drawn)(void *ctx);   /* called once the pages are drawn, before
                                   the file is finished: the layout is not
                                   read after it (the caller may free it) */
    void *drawn_ctx;
} pdf_opts;

/* Writes the PDF to the open file descriptor fd (the caller makes it
 * atomic): the pages, with the overlay drawn over them; metadata from the
 * front matter (and the edition's marking); dates from doc_timestamp, so
 * that two builds are byte-identical. `o` may be NULL. Returns false with
 * an error on failure. */
bool pdf_write(const layout *L, const doc *d, const pdf_opts *o, int fd,
               diag *dg);

/* A page to be drawn as a PNG picture, perhaps in another thread while
 * the layout goes on: made in the layout's thread (it asks Pango for the
 * fonts), drawn with Cairo alone. The page must not change meanwhile. */
typedef struct pdf_picture pdf_picture;
pdf_picture *pdf_picture_new(const layout *L, size_t index, double scale);
/* Draws it: an 8-bit grey PNG of the page at `scale` pixels per pt. */
bool pdf_picture_png(const pdf_picture *pic, buf *png, diag *dg);
void pdf_picture_free(pdf_picture *pic);


#endif
