#define _GNU_SOURCE /* memmem */
/* Image files (see image.h). */
#include "image/image.h"

#include <dirent.h>
#include <errno.h>
#include <strings.h>
#include <librsvg/rsvg.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "parse/figures.h"
#include "util/xalloc.h"

enum { IMAGE_MAX_BYTES = 200 * 1024 * 1024 };

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

/* A file beside `path` whose name differs only in letter case (what a
 * writer on a case-blind disk meets when the manuscript moves), or NULL.
 * The caller frees it. */
static char *case_twin(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? xstrndup(path, (size_t)(slash - path + (slash == path)))
                      : xstrdup(".");
    const char *base = slash ? slash + 1 : path;
    char *found = NULL;
    DIR *dp = opendir(dir);
    for (struct dirent *de; dp && (de = readdir(dp)) && !found;)
        if (strcasecmp(de->d_name, base) == 0 && strcmp(de->d_name, base) != 0)
            found = xstrdup(de->d_name);
    if (dp)
        closedir(dp);
    free(dir);
    return found;
}

bool image_read(const doc *d, const doc_image *im, buf *out, diag *dg)
{
    diag_loc at = {d->path, im->line, im->col};
    FILE *f = fopen(im->path, "rb");
    if (!f) {
        int e = errno;
        char *twin = e == ENOENT ? case_twin(im->path) : NULL;
        if (twin)
            diag_error(dg, at, "image '%s': no such file, but there is '%s': "
                       "file names are case-sensitive", im->src, twin);
        else
            diag_error(dg, at, "image '%s': %s", im->src, strerror(e));
        free(twin);
        return false;
    }
    char chunk[65536];
    size_t k;
    bool big = false;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0 && !big) {
        buf_put(out, chunk, k);
        big = out->len > IMAGE_MAX_BYTES;
    }
    bool err = ferror(f);
    fclose(f);
    if (err || big) {
        diag_error(dg, at, "image '%s': %s", im->src,
                   big ? "larger than 200 MB" : strerror(errno));
        return false;
    }
    return true;
}

const char *image_media_type(const doc_image *im)
{
    return im->kind == IMG_PNG ? "image/png"
           : im->kind == IMG_JPEG ? "image/jpeg" : "image/svg+xml";
}

double image_dpi(const doc_image *im, double w)
{
    return w > 0 ? im->px_w / (w / 72.0) : 0;
}

/* PNG: IHDR's size, pHYs's resolution, and every chunk's CRC up to IEND
 * (a truncated or damaged file fails here, not half-way into a PDF). */
static const char *probe_png(doc_image *im, const unsigned char *p, size_t n)
{
    if (n < 33 || memcmp(p + 12, "IHDR", 4) != 0)
        return "a damaged PNG (no header)";
    im->px_w = (int)be32(p + 16);
    im->px_h = (int)be32(p + 20);
    double dpi = 96;
    bool end = false;
    for (size_t at = 8; at + 12 <= n;) {
        uint32_t len = be32(p + at);
        if (len > n - at - 12)
            return "a damaged PNG (truncated)";
        const unsigned char *type = p + at + 4;
        uint32_t crc = (uint32_t)crc32(0, type, len + 4);
        if (crc != be32(p + at + 8 + len))
            return "a damaged PNG (a chunk's checksum is wrong)";
        if (memcmp(type, "pHYs", 4) == 0 && len == 9 && type[12] == 1) {
            double per_m = be32(type + 4);
            if (per_m > 0)
                dpi = per_m * 0.0254;
        }
        if (memcmp(type, "IEND", 4) == 0) {
            end = true;
            break;
        }
        at += 12 + (size_t)len;
    }
    if (!end)
        return "a damaged PNG (truncated)";
    im->w = im->px_w * 72.0 / dpi;
    im->h = im->px_h * 72.0 / dpi;
    return NULL;
}

/* JPEG: the frame header's size, JFIF's density; baseline or progressive
 * (what a PDF's DCTDecode reads), ending in EOI. */
static const char *probe_jpeg(doc_image *im, const unsigned char *p, size_t n)
{
    double dpi = 96;
    size_t at = 2;
    bool frame = false;
    while (at + 4 <= n && !frame) {
        if (p[at] != 0xFF)
            return "a damaged JPEG";
        unsigned m = p[at + 1];
        if (m == 0xFF) {
            at++;
            continue;
        }
        size_t len = be16(p + at + 2);
        if (len < 2 || at + 2 + len > n)
            return "a damaged JPEG (truncated)";
        const unsigned char *seg = p + at + 4;
        if (m == 0xE0 && len >= 16 && memcmp(seg, "JFIF", 5) == 0) {
            unsigned xd = be16(seg + 8);
            if (seg[7] == 1 && xd > 0)
                dpi = xd;
            else if (seg[7] == 2 && xd > 0)
                dpi = xd * 2.54;
        }
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            if (m > 0xC2)
                return "a JPEG coded in a way a PDF cannot carry (only "
                       "baseline and progressive)";
            if (len < 8)
                return "a damaged JPEG";
            im->px_h = (int)be16(seg + 1);
            im->px_w = (int)be16(seg + 3);
            if (seg[5] != 1 && seg[5] != 3 && seg[5] != 4)
                return "a JPEG with an unusual number of colour components";
            im->components = seg[5];
            frame = true;
        }
        at += 2 + len;
    }
    if (!frame || im->px_w == 0 || im->px_h == 0)
        return "a damaged JPEG (no frame header)";
    size_t e = n;
    while (e > 2 && p[e - 1] != 0xD9)
        e--;
    if (e < 2 || p[e - 2] != 0xFF || n - e > 64)
        return "a damaged JPEG (truncated)";
    im->w = im->px_w * 72.0 / dpi;
    im->h = im->px_h * 72.0 / dpi;
    return NULL;
}

/* What an SVG may not do in a document sent to clients: run scripts, or
 * reach outside itself (another file, the network). */
static const char *svg_unsafe(xmlNode *n)
{
    for (; n; n = n->next) {
        if (n->type == XML_DTD_NODE || n->type == XML_ENTITY_DECL)
            return "an SVG with a DOCTYPE or entities";
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)n->name;
        if (strcmp(name, "script") == 0 || strcmp(name, "foreignObject") == 0)
            return "an SVG with a script";
        if (strcmp(name, "style") == 0) {
            xmlChar *css = xmlNodeGetContent(n);
            bool bad = css && (strstr((char *)css, "@import") ||
                               strstr((char *)css, "url(") );
            xmlFree(css);
            if (bad)
                return "an SVG whose style sheet reaches outside it";
        }
        for (xmlAttr *a = n->properties; a; a = a->next) {
            const char *an = (const char *)a->name;
            xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
            const char *vs = v ? (const char *)v : "";
            const char *why = NULL;
            if ((an[0] == 'o' || an[0] == 'O') && (an[1] == 'n' || an[1] == 'N'))
                why = "an SVG with a script (an event handler)";
            else if (strcmp(an, "href") == 0 && vs[0] != '#')
                why = "an SVG with an external reference";
            else {
                const char *u = strstr(vs, "url(");
                for (; u && !why; u = strstr(u + 4, "url(")) {
                    const char *q = u + 4;
                    while (*q == ' ' || *q == '\'' || *q == '"')
                        q++;
                    if (*q != '#')
                        why = "an SVG with an external reference";
                }
            }
            xmlFree(v);
            if (why)
                return why;
        }
        const char *why = svg_unsafe(n->children);
        if (why)
            return why;
    }
    return NULL;
}

static const char *probe_svg(doc_image *im, const unsigned char *p, size_t n)
{
    xmlDoc *x = xmlReadMemory((const char *)p, (int)n, im->path, NULL,
                              XML_PARSE_NONET | XML_PARSE_NOERROR |
                              XML_PARSE_NOWARNING);
    if (!x)
        return "not a well-formed SVG";
    xmlNode *root = xmlDocGetRootElement(x);
    const char *why = NULL;
    if (!root || strcmp((const char *)root->name, "svg") != 0)
        why = "not an SVG (its root is not <svg>)";
    else if (x->intSubset || x->extSubset)
        why = "an SVG with a DOCTYPE or entities";
    else
        why = svg_unsafe(root);
    xmlFreeDoc(x);
    if (why)
        return why;
    GError *err = NULL;
    RsvgHandle *h = rsvg_handle_new_from_data(p, n, &err);
    if (!h) {
        g_clear_error(&err);
        return "an SVG librsvg cannot read";
    }
    double w = 0, hh = 0;
    if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hh)) {
        gboolean has_vb;
        RsvgRectangle vb;
        rsvg_handle_get_intrinsic_dimensions(h, NULL, NULL, NULL, NULL, &has_vb,
                                             &vb);
        if (has_vb) {
            w = vb.width;
            hh = vb.height;
        }
    }
    g_object_unref(h);
    if (!(w > 0 && hh > 0 && w < 1e6 && hh < 1e6))
        return "an SVG without a size (give it width and height, or a viewBox)";
    im->px_w = (int)(w + 0.5);
    im->px_h = (int)(hh + 0.5);
    im->w = w * 0.75; /* CSS px: 96 per inch */
    im->h = hh * 0.75;
    return NULL;
}

static const char *probe(doc_image *im, const unsigned char *p, size_t n)
{
    if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) {
        im->kind = IMG_PNG;
        return probe_png(im, p, n);
    }
    if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
        im->kind = IMG_JPEG;
        return probe_jpeg(im, p, n);
    }
    size_t i = 0;
    if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t'))
        i++;
    if (i < n && p[i] == '<' && memmem(p, n < 4096 ? n : 4096, "<svg", 4)) {
        im->kind = IMG_SVG;
        return probe_svg(im, p, n);
    }
    return "not a PNG, JPEG or SVG image";
}

/* The manuscript's directory joined to a relative path. */
static char *beside(const char *manuscript, const char *rel)
{
    const char *slash = strrchr(manuscript, '/');
    if (!slash)
        return xstrdup(rel);
    return xasprintf("%.*s/%s", (int)(slash - manuscript), manuscript, rel);
}

static int load_one(doc *d, doc_node *n, diag *dg, size_t *cap)
{
    diag_loc at = {d->path, n->line, n->col};
    char *rel = figures_image_path(n->url, dg, at);
    if (!rel)
        return -1;
    char *path = beside(d->path, rel);
    free(rel);
    for (size_t i = 0; i < d->nimages; i++)
        if (strcmp(d->images[i].path, path) == 0) {
            free(path);
            return (int)i;
        }
    doc_image im = {.src = arena_strdup(d->a, n->url),
                    .path = arena_strdup(d->a, path), .line = n->line,
                    .col = n->col};
    free(path);
    buf b = {0};
    if (!image_read(d, &im, &b, dg)) {
        buf_free(&b);
        return -1;
    }
    const char *why = probe(&im, (const unsigned char *)b.data, b.len);
    buf_free(&b);
    if (!why && (im.px_w <= 0 || im.px_h <= 0))
        why = "an image of no size";
    if (!why && (double)im.px_w * im.px_h > IMAGE_MAX_PIXELS)
        why = "larger than 50 megapixels; scale it down for print";
    if (why) {
        diag_error(dg, at, "image '%s': %s", n->url, why);
        return -1;
    }
    if (d->nimages == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        doc_image *a = arena_alloc(d->a, nc * sizeof *a);
        if (d->nimages)
            memcpy(a, d->images, d->nimages * sizeof *a);
        d->images = a;
        *cap = nc;
    }
    d->images[d->nimages] = im;
    return (int)d->nimages++;
}

static bool load_tree(doc *d, doc_node *top, diag *dg, size_t *cap)
{
    bool ok = true;
    for (doc_node *n = top; n; n = (doc_node *)doc_next(top, n))
        if (n->kind == DOC_FIGURE || n->kind == DOC_IMAGE) {
            n->image = load_one(d, n, dg, cap);
            ok &= n->image >= 0;
        }
    return ok;
}

bool images_load(doc *d, diag *dg)
{
    size_t cap = 0;
    bool ok = load_tree(d, d->root, dg, &cap);
    for (size_t i = 0; i < d->nnotes; i++)
        ok &= load_tree(d, d->notes[i].body, dg, &cap);
    return ok;
}
