/* Figures into the PDF (see images.h). */
#include "pdf/images.h"

#include <librsvg/rsvg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "util/xalloc.h"

typedef struct source {
    bool tried;
    cairo_surface_t *raster; /* PNG, JPEG */
    RsvgHandle *svg;         /* SVG, until it is drawn into `vector` */
    cairo_surface_t *vector;
    bool picture;            /* an SVG with transparency, for PDF/A: drawn
                                onto white as 300 dpi pixels */
} source;

struct pdf_images {
    const doc *d;
    bool opaque;
    diag *dg;
    source *s;
};

pdf_images *pdf_images_new(const doc *d, bool opaque, diag *dg)
{
    pdf_images *pi = xcalloc(1, sizeof *pi);
    pi->d = d;
    pi->opaque = opaque;
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

/* A PNG drawn onto white, without alpha; true if any pixel was not
 * opaque (the picture changed). */
static bool flatten(cairo_surface_t **sf)
{
    cairo_surface_t *in = *sf;
    if (cairo_image_surface_get_format(in) != CAIRO_FORMAT_ARGB32)
        return false;
    int w = cairo_image_surface_get_width(in);
    int h = cairo_image_surface_get_height(in);
    int stride = cairo_image_surface_get_stride(in);
    cairo_surface_flush(in);
    const unsigned char *px = cairo_image_surface_get_data(in);
    bool seen = false;
    for (int y = 0; y < h && !seen; y++) {
        const uint32_t *row = (const uint32_t *)(px + (size_t)y * (size_t)stride);
        for (int x = 0; x < w && !seen; x++)
            seen = (row[x] >> 24) != 0xff;
    }
    cairo_surface_t *out = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(out);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_surface(cr, in, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(in);
    *sf = out;
    return seen;
}

/* Does an SVG use what PDF/A-1 cannot hold (opacity, masks, filters,
 * pictures inside it, colours with alpha)? Read from its text: a word
 * in a comment makes a picture of an image that needed none, never the
 * other way round. */
static bool svg_translucent(const buf *b)
{
    static const char *const words[] = {"opacity", "rgba(", "hsla(", "<mask",
                                        "<filter", "<image", "blend-mode",
                                        "transparent"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        size_t k = strlen(words[i]);
        for (size_t at = 0; at + k <= b->len; at++)
            if (memcmp(b->data + at, words[i], k) == 0)
                return true;
    }
    return false;
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
        else if (pi->opaque && flatten(&s->raster))
            diag_warning(pi->dg, at,
                         "image '%s': its transparency is flattened onto white "
                         "(PDF/A-1b has none)", im->src);
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
        s->picture = pi->opaque && svg_translucent(b);
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

static void draw_raster(cairo_t *cr, cairo_surface_t *sf, double x, double y,
                        double w, double h)
{
    int pw = cairo_image_surface_get_width(sf);
    int ph = cairo_image_surface_get_height(sf);
    cairo_translate(cr, x, y);
    cairo_scale(cr, w / pw, h / ph);
    cairo_set_source_surface(cr, sf, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_rectangle(cr, 0, 0, pw, ph);
    cairo_fill(cr);
}

static bool render_svg(pdf_images *pi, const doc_image *im, source *s,
                       cairo_t *rc, double w, double h)
{
    RsvgRectangle vp = {0, 0, w, h};
    GError *err = NULL;
    bool ok = rsvg_handle_render_document(s->svg, rc, &vp, &err);
    if (!ok) {
        diag_error(pi->dg, (diag_loc){pi->d->path, im->line, im->col},
                   "image '%s' cannot be drawn: %s", im->src,
                   err ? err->message : "librsvg failed");
        g_clear_error(&err);
    }
    return ok;
}

/* An SVG with transparency, for PDF/A: pixels at 300 dpi of the size it
 * is drawn at, on white. */
static bool svg_picture(pdf_images *pi, const doc_image *im, source *s,
                        double w, double h)
{
    int pw = (int)(w / 72 * 300 + 0.5), ph = (int)(h / 72 * 300 + 0.5);
    s->raster = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw > 0 ? pw : 1,
                                           ph > 0 ? ph : 1);
    cairo_t *rc = cairo_create(s->raster);
    cairo_set_source_rgb(rc, 1, 1, 1);
    cairo_paint(rc);
    cairo_scale(rc, pw / w, ph / h);
    bool ok = render_svg(pi, im, s, rc, w, h);
    cairo_destroy(rc);
    g_object_unref(s->svg);
    s->svg = NULL;
    if (ok)
        diag_warning(pi->dg, (diag_loc){pi->d->path, im->line, im->col},
                     "image '%s' uses transparency, which PDF/A-1b has not: "
                     "it is set as a 300 dpi picture on white", im->src);
    return ok;
}

bool pdf_images_draw(pdf_images *pi, cairo_t *cr, int index, double x,
                     double y, double w, double h)
{
    if (index < 0 || (size_t)index >= pi->d->nimages)
        return true;
    source *s = get(pi, index);
    if (!s)
        return false;
    const doc_image *im = &pi->d->images[index];
    if (s->picture && !s->raster && !svg_picture(pi, im, s, w, h))
        return false;
    cairo_save(cr);
    if (s->raster) {
        draw_raster(cr, s->raster, x, y, w, h);
    } else {
        /* drawn once, at its own size, into a recording surface: the PDF
         * gets it once, as a form, however often it is used */
        if (!s->vector) {
            cairo_rectangle_t ext = {0, 0, im->w, im->h};
            s->vector = cairo_recording_surface_create(
                CAIRO_CONTENT_COLOR_ALPHA, &ext);
            cairo_t *rc = cairo_create(s->vector);
            bool ok = render_svg(pi, im, s, rc, im->w, im->h);
            cairo_destroy(rc);
            if (!ok) {
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
