#include "pdf/pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "pdf/images.h"
#include "pdf/subset.h"
#include "pdf/viewer.h"
#include "util/xalloc.h"

void pdf_date(const doc *d, char *out, size_t n)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long t = strtoll(sde, &end, 10);
        if (!*end && t >= 0) {
            time_t tt = (time_t)t;
            struct tm tm;
            gmtime_r(&tt, &tm);
            strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
            return;
        }
    }
    if (d->meta.date) { /* a reduced-precision date: its first day */
        const char *iso = d->meta.date;
        size_t len = strlen(iso);
        snprintf(out, n, "%s%sT00:00:00Z", iso,
                 len == 4 ? "-01-01" : len == 7 ? "-01" : "");
        return;
    }
    snprintf(out, n, "2000-01-01T00:00:00Z"); /* fixed: reproducible */
}

/* Cairo's attribute strings quote with '...' and escape ' and \ */
static char *quote_attr(const char *s)
{
    buf b = {0};
    for (; *s; s++) {
        if (*s == '\'' || *s == '\\')
            buf_putc(&b, '\\');
        buf_putc(&b, *s);
    }
    return buf_detach(&b);
}

/* One line's glyphs, a cairo_show_text_glyphs call per run of one font,
 * with clusters so the PDF's text is the source text; `silent`: drawn,
 * not text (ruby, emphasis dots, a watermark). */
static void draw_glyphs(cairo_t *cr, const lay_line *ln, pdf_fontset *fs,
                        bool silent)
{
    const shaped *sh = ln->sh;
    size_t c = ln->start;
    cairo_glyph_t *gl = NULL;
    cairo_text_cluster_t *cl = NULL;
    size_t cap_g = 0, cap_c = 0;
    while (c < ln->end) {
        if (sh->cells[c].flags & JP_INDENT) {
            c++;
            continue;
        }
        int font = sh->glyphs[sh->cell_glyph[c]].font;
        bool upright = sh->cell_glyph[c + 1] > sh->cell_glyph[c] &&
                       sh->glyphs[sh->cell_glyph[c]].upright;
        size_t ng = 0, nc = 0;
        size_t b0 = sh->cell_byte[c];
        size_t e = c;
        while (e < ln->end && !(sh->cells[e].flags & JP_INDENT)) {
            size_t g0 = sh->cell_glyph[e], g1 = sh->cell_glyph[e + 1];
            if (g1 > g0 && (sh->glyphs[g0].font != font ||
                            sh->glyphs[g0].upright != upright))
                break;
            xgrow((void **)&gl, &cap_g, ng + (g1 - g0) + 1, sizeof *gl);
            xgrow((void **)&cl, &cap_c, nc + 1, sizeof *cl);
            int drawn = 0;
            double x = ln->x0 + ln->x[e - ln->start];
            for (size_t g = g0; g < g1; g++) {
                const shape_glyph *sg = &sh->glyphs[g];
                bool space = sh->text[sh->cell_byte[e]] == ' ';
                if (!sg->draw && !space)
                    continue;
                unsigned id = pdf_fontset_glyph(fs, sh->fonts[font], sg->id);
                gl[ng++] = (cairo_glyph_t){id, x + sg->dx, ln->y + sg->dy};
                drawn++;
            }
            cl[nc++] = (cairo_text_cluster_t){
                (int)(sh->cell_byte[e + 1] - sh->cell_byte[e]), drawn};
            e++;
        }
        size_t b1 = sh->cell_byte[e];
        if (ln->goes_on && e == ln->end && nc > 0) {
            /* the first part of a code line broken for the measure: its
             * last character carries the rest of the source line, which
             * the continuation draws without text, so a copy gives the
             * line whole */
            size_t all = sh->cell_byte[sh->ncells];
            cl[nc - 1].num_bytes += (int)(all - b1);
            b1 = all;
        }
        cairo_scaled_font_t *sf = upright ? pdf_fontset_upright(fs, sh->fonts[font])
                                          : pdf_fontset_font(fs, sh->fonts[font]);
        if (ng > 0 && silent) {
            /* ruby and emphasis dots are drawn, not text: one cluster of
             * no characters (an empty ActualText), so a reader copies the
             * base text alone, as it is */
            cairo_text_cluster_t none = {0, (int)ng};
            cairo_set_scaled_font(cr, sf);
            cairo_show_text_glyphs(cr, "", 0, gl, (int)ng, &none, 1, 0);
        } else if (ng > 0) {
            cairo_set_scaled_font(cr, sf);
            cairo_show_text_glyphs(cr, sh->text + b0, (int)(b1 - b0), gl, (int)ng,
                                   cl, (int)nc, 0);
        }
        c = e;
    }
    /* the added hyphen: its text is U+00AD SOFT HYPHEN, which a reader's
     * copy drops, so the word comes back whole ("Dy-namics" pastes as
     * "Dynamics"), while its glyph still ends the line where the layout
     * put it */
    if (ln->hyphen && ln->end > ln->start) {
        size_t last = ln->end - 1;
        int font = sh->glyphs[sh->cell_glyph[last]].font;
        unsigned id = pdf_fontset_glyph(fs, sh->fonts[font], sh->hyphen_gid[font]);
        double w = sh->cells[last].hyphen;
        cairo_glyph_t g = {id, ln->x0 + ln->x[ln->end - ln->start] - w, ln->y};
        cairo_text_cluster_t k = {2, 1};
        cairo_set_scaled_font(cr, pdf_fontset_font(fs, sh->fonts[font]));
        cairo_show_text_glyphs(cr, "\xc2\xad", 2, &g, 1, &k, 1, 0);
    }
    free(gl);
    free(cl);
}

/* The page a layout's lines are drawn on. Vertical text was laid out on
 * the page turned a quarter anticlockwise (style_turned): its frame is
 * turned back, a quarter clockwise about the paper's top right corner,
 * which makes the turned page's lines columns running down the paper,
 * right to left. The folio stands on the paper itself. */
typedef struct frame {
    bool turned;
    double paper_w;
    cairo_matrix_t paper; /* the paper's own frame */
} frame;

static frame frame_begin(cairo_t *cr, bool turned, double paper_w)
{
    frame f = {.turned = turned, .paper_w = paper_w};
    cairo_get_matrix(cr, &f.paper);
    if (turned) {
        cairo_translate(cr, paper_w, 0);
        cairo_rotate(cr, G_PI / 2);
    }
    return f;
}

/* A rectangle of the frame (top left x, y and size w, h) on the paper. */
static void frame_rect(const frame *f, double x, double y, double w, double h,
                       double out[4])
{
    if (f->turned) {
        out[0] = f->paper_w - y - h;
        out[1] = x;
        out[2] = h;
        out[3] = w;
    } else {
        out[0] = x;
        out[1] = y;
        out[2] = w;
        out[3] = h;
    }
}

/* Draws in the paper's own frame until paper_end: what is placed on the
 * paper (the folio, figures, destinations and link areas). */
static cairo_matrix_t paper_begin(cairo_t *cr, const frame *f)
{
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    cairo_set_matrix(cr, &f->paper);
    return m;
}

static void paper_end(cairo_t *cr, const cairo_matrix_t *m)
{
    cairo_set_matrix(cr, m);
}

static void draw_line(cairo_t *cr, const lay_line *ln, pdf_fontset *fs,
                      const frame *f)
{
    if (f->turned && ln->role == ROLE_FOLIO) {
        cairo_matrix_t m = paper_begin(cr, f);
        draw_glyphs(cr, ln, fs, false);
        paper_end(cr, &m);
        return;
    }
    draw_glyphs(cr, ln, fs, ln->role == ROLE_RUBY || ln->role == ROLE_MARK ||
                                ln->going_on);
}

static void draw_rule(cairo_t *cr, const lay_rule *r)
{
    cairo_save(cr);
    cairo_set_line_width(cr, r->width);
    if (r->dotted) {
        /* leader dots on a 3 pt pitch counted from the page's edge, so
         * the dots of every line stand in the same columns */
        double dash[] = {0.01, 3};
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_dash(cr, dash, 2, fmod(r->x0, 3.0));
    }
    cairo_move_to(cr, r->x0, r->y0);
    cairo_line_to(cr, r->x1, r->y1);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* Figures first, under everything else. A failure to decode leaves the
 * cairo context alone and is reported; the PDF is then not written. On a
 * turned page the image stands upright on the paper, in the place the
 * layout gave it (layout_figure_size sized it so). */
static bool draw_images(cairo_t *cr, const lay_page *pg, pdf_images *pi,
                        const frame *f)
{
    bool ok = true;
    cairo_matrix_t m = paper_begin(cr, f);
    for (size_t i = 0; pi && i < pg->nimages; i++) {
        const lay_image *im = &pg->images[i];
        double r[4];
        frame_rect(f, im->x, im->y, im->w, im->h, r);
        cairo_tag_begin(cr, "Figure", NULL);
        ok &= pdf_images_draw(pi, cr, im->image, r[0], r[1], r[2], r[3]);
        cairo_tag_end(cr, "Figure");
    }
    paper_end(cr, &m);
    return ok;
}

/* A table's structure on one page: Table, a TR per row (lay_line.row),
 * a TH or TD per cell (its tree block). A table split by a page break is
 * a Table on each page. */
typedef struct table_tags {
    bool table;
    int row;             /* the open row's number, or 0 */
    int cell;            /* the open cell's block, or -2 */
    const char *cell_tag;
} table_tags;

static void table_close(cairo_t *cr, table_tags *t)
{
    if (!t->table)
        return;
    if (t->cell_tag)
        cairo_tag_end(cr, t->cell_tag);
    if (t->row)
        cairo_tag_end(cr, "TR");
    cairo_tag_end(cr, "Table");
    *t = (table_tags){0};
}

static void table_cell(cairo_t *cr, table_tags *t, const lay_line *ln)
{
    if (!t->table) {
        cairo_tag_begin(cr, "Table", NULL);
        *t = (table_tags){true, 0, -2, NULL};
    }
    if (ln->row != t->row) {
        if (t->cell_tag)
            cairo_tag_end(cr, t->cell_tag);
        if (t->row)
            cairo_tag_end(cr, "TR");
        cairo_tag_begin(cr, "TR", NULL);
        t->row = ln->row;
        t->cell = -2;
        t->cell_tag = NULL;
    }
    if (ln->block != t->cell) {
        if (t->cell_tag)
            cairo_tag_end(cr, t->cell_tag);
        t->cell_tag = ln->header_row ? "TH" : "TD";
        cairo_tag_begin(cr, t->cell_tag, NULL);
        t->cell = ln->block;
    }
}

static void draw_page(cairo_t *cr, const lay_page *pg, pdf_fontset *fs,
                      bool links, const frame *f)
{
    cairo_set_source_rgb(cr, 0, 0, 0);
    if (links) {
        /* destinations and link areas are given on the paper */
        cairo_matrix_t m = paper_begin(cr, f);
        for (size_t i = 0; i < pg->ndests; i++) {
            char *name = quote_attr(pg->dests[i].name);
            double r[4];
            frame_rect(f, pg->dests[i].x, pg->dests[i].y, 0, 0, r);
            char *a = xasprintf("name='%s' x=%.2f y=%.2f", name, r[0], r[1]);
            cairo_tag_begin(cr, CAIRO_TAG_DEST, a);
            cairo_tag_end(cr, CAIRO_TAG_DEST);
            free(a);
            free(name);
        }
        paper_end(cr, &m);
    }
    for (size_t i = 0; i < pg->nrules; i++)
        draw_rule(cr, &pg->rules[i]);
    /* structure: each block's lines on this page in one element (Cairo
     * 1.16 keeps an element to one page well; one split by a page break
     * becomes two) */
    static const char *const heads[] = {"H1", "H2", "H3", "H4", "H5", "H6"};
    const char *open = NULL;
    int open_block = -2;
    table_tags tt = {0};
    for (size_t i = 0; i < pg->nlines; i++) {
        const lay_line *ln = &pg->lines[i];
        if (links && ln->role == ROLE_CELL) {
            if (open)
                cairo_tag_end(cr, open);
            open = NULL;
            table_cell(cr, &tt, ln);
            draw_line(cr, ln, fs, f);
            continue;
        }
        if (links)
            table_close(cr, &tt);
        const char *tag = NULL;
        if (ln->role == ROLE_HEADING)
            tag = heads[ln->level < 1 ? 0 : ln->level > 6 ? 5 : ln->level - 1];
        else if (ln->role != ROLE_HEAD && ln->role != ROLE_FOLIO &&
                 ln->role != ROLE_RUBY && ln->role != ROLE_MARK) {
            tag = "P";
        }
        bool same = open && tag && strcmp(open, tag) == 0 && ln->block >= 0 &&
                    ln->block == open_block && !ln->para_start;
        if (links && open && !same) {
            cairo_tag_end(cr, open);
            open = NULL;
        }
        if (links && tag && !same) {
            cairo_tag_begin(cr, tag, NULL);
            open = tag;
            open_block = ln->block;
        }
        draw_line(cr, ln, fs, f);
    }
    if (links && open)
        cairo_tag_end(cr, open);
    if (!links)
        return;
    table_close(cr, &tt);
    cairo_matrix_t m = paper_begin(cr, f);
    for (size_t i = 0; i < pg->nlinks; i++) {
        const lay_link *l = &pg->links[i];
        char *target = quote_attr(l->uri ? l->uri : l->dest);
        double r[4];
        frame_rect(f, l->x0, l->y0, l->x1 - l->x0, l->y1 - l->y0, r);
        char *a = xasprintf("rect=[%.2f %.2f %.2f %.2f] %s='%s'", r[0], r[1],
                            r[2], r[3], l->uri ? "uri" : "dest", target);
        cairo_tag_begin(cr, CAIRO_TAG_LINK, a);
        cairo_tag_end(cr, CAIRO_TAG_LINK);
        free(a);
        free(target);
    }
    paper_end(cr, &m);
}

typedef struct sink {
    int fd;
    int err;
    buf *mem;           /* if set, the PDF is kept here, not written */
} sink;

static cairo_status_t write_fd(void *closure, const unsigned char *data,
                               unsigned int len)
{
    sink *s = closure;
    if (s->mem) {
        buf_put(s->mem, data, len);
        return CAIRO_STATUS_SUCCESS;
    }
    while (len > 0) {
        ssize_t k = write(s->fd, data, len);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            s->err = errno;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        data += k;
        len -= (unsigned)k;
    }
    return CAIRO_STATUS_SUCCESS;
}

static void outline(cairo_surface_t *sf, const layout *L)
{
    int parents[8] = {CAIRO_PDF_OUTLINE_ROOT};
    for (size_t i = 0; i < L->noutline; i++) {
        const lay_outline *o = &L->outline[i];
        int lv = o->level < 1 ? 1 : o->level > 7 ? 7 : o->level;
        char *dest = quote_attr(o->dest);
        char *a = xasprintf("dest='%s'", dest);
        int id = cairo_pdf_surface_add_outline(sf, parents[lv - 1], o->title, a,
                                               0);
        for (int k = lv; k < 8; k++)
            parents[k] = id;
        free(a);
        free(dest);
    }
}

static void metadata(cairo_surface_t *sf, const doc *d)
{
    const doc_meta *m = &d->meta;
    char date[64];
    pdf_date(d, date, sizeof date);
    if (m->title)
        cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, m->title);
    const char *author = m->author ? m->author : m->publisher;
    if (author)
        cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_AUTHOR, author);
    if (m->subject)
        cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_SUBJECT, m->subject);
    if (m->keywords)
        cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_KEYWORDS,
                                       m->keywords);
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR,
                                   "kumihan " KM_VERSION);
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATE_DATE, date);
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_MOD_DATE, date);
}

pdf_fonts *pdf_fonts_new(const layout *L, const pdf_extra_line *extra,
                         size_t n, const lay_line *more, size_t nmore)
{
    const lay_line **all = xmalloc((n + nmore + 1) * sizeof *all);
    for (size_t i = 0; i < n; i++)
        all[i] = &extra[i].line;
    for (size_t i = 0; i < nmore; i++)
        all[n + i] = &more[i];
    pdf_fontset *fs = pdf_fontset_with(L, all, n + nmore);
    free(all);
    return fs;
}

void pdf_fonts_free(pdf_fonts *fs)
{
    pdf_fontset_free(fs);
}

/* An edition's lines for page i: its marking and notices (text a reader
 * can search), and its watermark under everything (light, turned, and
 * not text: an empty ActualText). */
static void draw_watermark(cairo_t *cr, const pdf_edition *ed, const style *st,
                           pdf_fontset *fs)
{
    if (!ed || !ed->watermark)
        return;
    cairo_save(cr);
    cairo_translate(cr, st->page_w / 2, st->page_h / 2);
    cairo_rotate(cr, -atan2(st->page_h, st->page_w));
    cairo_translate(cr, -ed->watermark_w / 2, 0);
    lay_line wm = *ed->watermark;
    wm.x0 = 0;
    wm.y = 0;
    cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
    draw_glyphs(cr, &wm, fs, true);
    cairo_restore(cr);
}

static void draw_extra(cairo_t *cr, const pdf_edition *ed, long page,
                       pdf_fontset *fs, const frame *f)
{
    if (!ed)
        return;
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (size_t i = 0; i < ed->nlines; i++)
        if (ed->lines[i].page < 0 || ed->lines[i].page == page)
            draw_line(cr, &ed->lines[i].line, fs, f);
}

bool pdf_write(const layout *L, const doc *d, int fd, diag *dg)
{
    return pdf_write_edition(L, d, NULL, NULL, fd, dg);
}

bool pdf_write_edition(const layout *L, const doc *d, pdf_fonts *shared,
                       const pdf_edition *ed, int fd, diag *dg)
{
    const style *st = L->st;
    /* a vertical book is bound on the right: its PDF is kept in memory
     * for the viewer preference Cairo cannot write (pdf/viewer.h) */
    buf mem = {0};
    bool turned = st->writing == WRITING_VERTICAL;
    sink s = {fd, 0, turned ? &mem : NULL};
    cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(
        write_fd, &s, L->paper_w, L->paper_h);
    cairo_pdf_surface_restrict_to_version(sf, CAIRO_PDF_VERSION_1_5);
    metadata(sf, d);
    if (ed && ed->subject)
        cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_SUBJECT,
                                       ed->subject);
    if (ed && ed->keywords)
        cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_KEYWORDS,
                                       ed->keywords);
    pdf_fontset *fs = shared ? shared : pdf_fontset_new(L);
    pdf_images *pi = pdf_images_new(d, dg);
    bool images_ok = true;
    cairo_t *cr = cairo_create(sf);
    /* the structure root: Cairo 1.16 writes a broken cross-reference table
     * for a page with both text and links unless the content sits inside
     * a structure element */
    cairo_tag_begin(cr, "Document", NULL);
    for (size_t i = 0; i < L->npages; i++) {
        char label[16];
        snprintf(label, sizeof label, "%d", L->pages[i].number);
        cairo_pdf_surface_set_page_label(sf, label);
        cairo_save(cr);
        frame fr = frame_begin(cr, L->st->writing == WRITING_VERTICAL, L->paper_w);
        draw_watermark(cr, ed, st, fs);
        images_ok &= draw_images(cr, &L->pages[i], pi, &fr);
        draw_page(cr, &L->pages[i], fs, true, &fr);
        draw_extra(cr, ed, (long)i, fs, &fr);
        cairo_restore(cr);
        cairo_show_page(cr);
        if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
            break;
    }
    cairo_tag_end(cr, "Document");
    outline(sf, L);
    cairo_status_t cst = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(sf);
    if (cst == CAIRO_STATUS_SUCCESS)
        cst = cairo_surface_status(sf);
    cairo_surface_destroy(sf);
    if (turned && cst == CAIRO_STATUS_SUCCESS) {
        pdf_viewer_r2l(&mem);
        s.mem = NULL;
        if (write_fd(&s, (const unsigned char *)mem.data, (unsigned)mem.len) !=
            CAIRO_STATUS_SUCCESS)
            cst = CAIRO_STATUS_WRITE_ERROR;
    }
    buf_free(&mem);
    if (!shared)
        pdf_fontset_free(fs);
    pdf_images_free(pi);
    if (!images_ok)
        return false; /* the image's error is recorded */
    if (cst != CAIRO_STATUS_SUCCESS) {
        if (s.err)
            diag_error(dg, (diag_loc){0}, "cannot write the PDF: %s",
                       strerror(s.err));
        else
            diag_error(dg, (diag_loc){0}, "cannot write the PDF: %s",
                       cairo_status_to_string(cst));
        return false;
    }
    return true;
}

static void png_put(png_structp png, png_bytep data, size_t len)
{
    buf_put(png_get_io_ptr(png), data, len);
}

static void png_flush_none(png_structp png)
{
    (void)png;
}

/* The A8 image as an 8-bit grey PNG. Not Cairo's writer: libpng's
 * default adaptive filtering tries five filters on every row, which cost
 * more than the whole layout. A page is mostly runs of white: unfiltered
 * run-length deflate does it in a fifth of the time, 5% larger. */
static bool write_grey_png(cairo_surface_t *sf, buf *out)
{
    int w = cairo_image_surface_get_width(sf);
    int h = cairo_image_surface_get_height(sf);
    int stride = cairo_image_surface_get_stride(sf);
    unsigned char *px = cairo_image_surface_get_data(sf);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
                                              NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return false;
    }
    png_set_write_fn(png, out, png_put, png_flush_none);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_compression_strategy(png, Z_RLE);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
    png_write_info(png, info);
    for (int y = 0; y < h; y++)
        png_write_row(png, px + (size_t)y * (size_t)stride);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return true;
}

struct pdf_picture {
    lay_page page;      /* a copy: the layout's array may move */
    double w, h, scale;
    bool turned;        /* vertical text (frame) */
    pdf_fontset *fs;
};

pdf_picture *pdf_picture_new(const layout *L, size_t index, double scale)
{
    if (index >= L->npages)
        return NULL;
    pdf_picture *pic = xcalloc(1, sizeof *pic);
    pic->page = L->pages[index];
    pic->w = L->paper_w;
    pic->h = L->paper_h;
    pic->turned = L->st->writing == WRITING_VERTICAL;
    pic->scale = scale;
    pic->fs = pdf_fontset_page(&pic->page);
    return pic;
}

void pdf_picture_free(pdf_picture *pic)
{
    if (!pic)
        return;
    pdf_fontset_free(pic->fs);
    free(pic);
}

bool pdf_picture_png(const pdf_picture *pic, buf *png, diag *dg)
{
    pdf_fontset_open(pic->fs);
    int w = (int)(pic->w * pic->scale + 0.5), h = (int)(pic->h * pic->scale + 0.5);
    /* an 8-bit grey image: a quarter of the pixels' bytes to deflate.
     * Opaque is white; the page is drawn by clearing, so ink comes out
     * black. */
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h);
    cairo_t *cr = cairo_create(sf);
    cairo_set_source_rgba(cr, 0, 0, 0, 1);
    cairo_paint(cr);
    cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
    cairo_scale(cr, pic->scale, pic->scale);
    frame fr = frame_begin(cr, pic->turned, pic->w);
    draw_page(cr, &pic->page, pic->fs, false, &fr);
    cairo_destroy(cr);
    cairo_surface_flush(sf);
    cairo_status_t cst = cairo_surface_status(sf);
    bool ok = cst == CAIRO_STATUS_SUCCESS && write_grey_png(sf, png);
    cairo_surface_destroy(sf);
    if (!ok)
        diag_error(dg, (diag_loc){0}, "cannot draw the cover: %s",
                   cst != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(cst)
                                               : "libpng failed");
    return ok;
}
