/* Figures into the PDF (see images.h). */
#include "pdf/images.h"

#include <librsvg/rsvg.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "util/xalloc.h"

typedef struct source {
    bool tried;
    cairo_surface_t *raster; /* PNG, JPEG */
    RsvgHandle *svg;         /* SVG, until it is drawn into `vector` */
    cairo_surface_t *vector;
} source;

struct pdf_images {
    const doc *d;
    diag *dg;
    source *s;
};

pdf_images *pdf_images_new(const doc *d, diag *dg)
{
    pdf_images *pi = xcalloc(1, sizeof *pi);
    pi->d = d;
    pi->dg = dg;
    pi->s = xcalloc(d->nimages + 1, sizeof *pi->s);
    return pi;
}

typedef struct reader {
    const buf *b;
    size_t at;
} reader;

static cairo_status_t read_buf(void *closure, unsigned char *data,
                               unsigned int len)
{
    reader *r = closure;
    if (r->b->len - r->at < len)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->b->data + r->at, len);
    r->at += len;
    return CAIRO_STATUS_SUCCESS;
}

static void free_buf(void *p)
{
    buf *b = p;
    buf_free(b);
    free(b);
}

/* The image's Cairo source, made at its first use. */
static source *get(pdf_images *pi, int index)
{
    source *s = &pi->s[index];
    if (s->tried)
        return s->raster || s->svg || s->vector ? s : NULL;
    s->tried = true;
    const doc_image *im = &pi->d->images[index];
    diag_loc at = {pi->d->path, im->line, im->col};
    buf *b = xcalloc(1, sizeof *b);
    if (!image_read(pi->d, im, b, pi->dg)) {
        free_buf(b);
        return NULL;
    }
    const char *why = NULL;
    switch (im->kind) {
    case IMG_PNG: {
        reader r = {b, 0};
        s->raster = cairo_image_surface_create_from_png_stream(read_buf, &r);
        free_buf(b);
        if (cairo_surface_status(s->raster) != CAIRO_STATUS_SUCCESS)
            why = cairo_status_to_string(cairo_surface_status(s->raster));
        break;
    }
    case IMG_JPEG: {
        /* the surface only carries the size: Cairo writes the JPEG's own
         * bytes (its mime data) as a DCTDecode image and never reads the
         * pixels */
        s->raster = cairo_image_surface_create(CAIRO_FORMAT_RGB24, im->px_w,
                                               im->px_h);
        cairo_status_t st = cairo_surface_set_mime_data(
            s->raster, CAIRO_MIME_TYPE_JPEG, (const unsigned char *)b->data,
            b->len, free_buf, b);
        if (st != CAIRO_STATUS_SUCCESS) {
            free_buf(b);
            why = cairo_status_to_string(st);
        }
        break;
    }
    case IMG_SVG: {
        GError *err = NULL;
        s->svg = rsvg_handle_new_from_data((const guint8 *)b->data, b->len,
                                           &err);
        free_buf(b);
        if (!s->svg) {
            why = err ? err->message : "librsvg cannot read it";
            diag_error(pi->dg, at, "image '%s': %s", im->src, why);
            g_clear_error(&err);
            return NULL;
        }
        break;
    }
    }
    if (why) {
        diag_error(pi->dg, at, "image '%s' cannot be decoded: %s", im->src, why);
        if (s->raster)
            cairo_surface_destroy(s->raster);
        s->raster = NULL;
        return NULL;
    }
    return s;
}

bool pdf_images_draw(pdf_images *pi, cairo_t *cr, int index, double x,
                     double y, double w, double h)
{
    if (index < 0 || (size_t)index >= pi->d->nimages)
        return true;
    source *s = get(pi, index);
    if (!s)
        return false;
    cairo_save(cr);
    if (s->raster) {
        const doc_image *im = &pi->d->images[index];
        cairo_translate(cr, x, y);
        cairo_scale(cr, w / im->px_w, h / im->px_h);
        cairo_set_source_surface(cr, s->raster, 0, 0);
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
        cairo_rectangle(cr, 0, 0, im->px_w, im->px_h);
        cairo_fill(cr);
    } else {
        /* drawn once, at its own size, into a recording surface: the PDF
         * gets it once, as a form, however often it is used */
        const doc_image *im = &pi->d->images[index];
        if (!s->vector) {
            cairo_rectangle_t ext = {0, 0, im->w, im->h};
            s->vector = cairo_recording_surface_create(
                CAIRO_CONTENT_COLOR_ALPHA, &ext);
            cairo_t *rc = cairo_create(s->vector);
            RsvgRectangle vp = {0, 0, im->w, im->h};
            GError *err = NULL;
            bool ok = rsvg_handle_render_document(s->svg, rc, &vp, &err);
            cairo_destroy(rc);
            if (!ok) {
                diag_error(pi->dg, (diag_loc){pi->d->path, im->line, im->col},
                           "image '%s' cannot be drawn: %s", im->src,
                           err ? err->message : "librsvg failed");
                g_clear_error(&err);
                cairo_restore(cr);
                return false;
            }
            g_object_unref(s->svg);
            s->svg = NULL;
        }
        cairo_translate(cr, x, y);
        cairo_scale(cr, w / im->w, h / im->h);
        cairo_set_source_surface(cr, s->vector, 0, 0);
        cairo_rectangle(cr, 0, 0, im->w, im->h);
        cairo_fill(cr);
    }
    cairo_restore(cr);
    return true;
}

void pdf_images_free(pdf_images *pi)
{
    if (!pi)
        return;
    for (size_t i = 0; i < pi->d->nimages; i++) {
        if (pi->s[i].raster)
            cairo_surface_destroy(pi->s[i].raster);
        if (pi->s[i].svg)
            g_object_unref(pi->s[i].svg);
        if (pi->s[i].vector)
            cairo_surface_destroy(pi->s[i].vector);
    }
    free(pi->s);
    free(pi);
}
