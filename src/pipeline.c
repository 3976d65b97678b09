#define _POSIX_C_SOURCE 200809L
#include "pipeline.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc/dump.h"
#include "doc/notes.h"
#include "epub/epub.h"
#include "image/image.h"
#include "parse/editions.h"
#include "layout/layout.h"
#include "parse/md.h"
#include "pagecache.h"
#include "pdf/pdf.h"
#include "sign/sign.h"
#include "style/style.h"
#include "text/fonts.h"
#include "util/atomic.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void timing(const pipeline_opts *o, const char *stage, double *t)
{
    double t1 = now();
    if (o->timings)
        fprintf(stderr, "kumihan: %-8s %8.1f ms\n", stage, (t1 - *t) * 1000);
    *t = t1;
}

/* The style, and its file's bytes read just before style_load reads them
 * (the EPUB cache's key) */
static bool load_style(const pipeline_opts *o, style *st, buf *bytes, diag *dg)
{
    style_default(st);
    if (o->style) {
        buf_read_file(bytes, o->style);
        return style_load(st, o->style, dg);
    }
    char *path = xasprintf("%s/styles/handout.yaml", fonts_data_dir());
    FILE *f = fopen(path, "rb");
    bool ok = true;
    if (f) {
        fclose(f);
        buf_read_file(bytes, path);
        ok = style_load(st, path, dg);
    }
    free(path);
    return ok;
}

/* Characters no configured font can draw (kumihan check). */
static void check_glyphs(const doc *d, const style *st, fonts *f, diag *dg)
{
    for (const doc_node *n = d->root; n; n = doc_next(d->root, n)) {
        if (n->kind != DOC_TEXT)
            continue;
        for (size_t i = 0; i < n->len;) {
            uint32_t cp;
            int k = utf8_decode(n->text + i, n->len - i, &cp);
            i += k > 0 ? (size_t)k : 1;
            if (cp < 0x80 || cp == 0x3000 || fonts_has_char(f, st->body_font, cp))
                continue;
            diag_warning(dg, (diag_loc){d->path, n->line, n->col},
                         "U+%04X cannot be rendered by '%s'", cp, st->body_font);
        }
    }
}

/* Rasters that will print below 150 dpi at the size they are set; for
 * PDF/A, images it cannot hold (an error). */
static void check_images(const doc *d, const style *st, diag *dg)
{
    for (const doc_node *n = d->root; n; n = doc_next(d->root, n)) {
        if ((n->kind == DOC_IMAGE || n->kind == DOC_FIGURE) && n->image >= 0 &&
            d->images[n->image].components == 4 &&
            st->pdf_standard == PDF_STANDARD_A1B)
            diag_error(dg, (diag_loc){d->path, n->line, n->col},
                       "image '%s' is a CMYK JPEG, which a PDF/A-1b file (its "
                       "colours in sRGB) cannot hold: save it as an RGB JPEG, "
                       "or set pdf.standard: off in the style", n->url);
        if (n->kind == DOC_IMAGE && n->image >= 0 &&
            d->images[n->image].h > st->body_size * 1.2)
            diag_warning(dg, (diag_loc){d->path, n->line, n->col},
                         "image '%s' inside text is set at the height of the "
                         "line: %.0f pt tall, it is scaled to %.0f pt (alone "
                         "in its paragraph it would be a figure)", n->url,
                         d->images[n->image].h, st->body_size);
        if (n->kind != DOC_FIGURE || n->image < 0)
            continue;
        const doc_image *im = &d->images[n->image];
        double w, h;
        style turned; /* the frame the layout sizes figures in */
        style_turned(st, &turned);
        layout_figure_size(&turned, n, im, &w, &h);
        if (st->writing == WRITING_VERTICAL)
            w = h; /* its width on the paper */
        double dpi = image_dpi(im, w);
        if (im->kind != IMG_SVG && dpi < 150)
            diag_warning(dg, (diag_loc){d->path, n->line, n->col},
                         "image '%s' prints at %.0f dpi (%d px across %.0f mm); "
                         "print wants 150 dpi or more", n->url, dpi, im->px_w,
                         w / 72 * 25.4);
    }
}

/* make's dependency file: the output depends on the manuscript, the style,
 * its sources file and every image (written as a temporary file, then
 * renamed). */
static bool write_depfile(const pipeline_opts *o, const char *target,
                          const doc *d, const style *st, diag *dg)
{
    buf b = {0};
    buf_printf(&b, "%s: %s", target, o->input);
    if (st->path)
        buf_printf(&b, " \\\n  %s", st->path);
    if (d->sources_file)
        buf_printf(&b, " \\\n  %s", d->sources_file);
    for (size_t i = 0; i < d->nimages; i++)
        buf_printf(&b, " \\\n  %s", d->images[i].path);
    buf_puts(&b, "\n");
    /* as gcc -MP: a target for each image (and the sources file), so that
     * make does not stop when one is removed from the manuscript and the
     * disk */
    if (d->sources_file)
        buf_printf(&b, "\n%s:\n", d->sources_file);
    for (size_t i = 0; i < d->nimages; i++)
        buf_printf(&b, "\n%s:\n", d->images[i].path);
    atomic_out ao = {0};
    ao.fd = -1;
    bool ok = atomic_open(&ao, o->depfile) &&
              write(ao.fd, b.data, b.len) == (ssize_t)b.len &&
              atomic_commit(&ao);
    if (!ok)
        diag_io_error(dg, (diag_loc){o->depfile, 0, 0}, "cannot write: %s",
                      strerror(errno));
    atomic_abort(&ao);
    buf_free(&b);
    return ok;
}

static char *default_output(const char *input, const char *ext)
{
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    const char *dot = strrchr(base, '.');
    size_t n = dot ? (size_t)(dot - base) : strlen(base);
    return xasprintf("out/%.*s.%s", (int)n, base, ext);
}

static bool make_dir(const char *dir, diag *dg)
{
    bool ok = make_dirs(dir, 0777);
    if (!ok)
        diag_error(dg, (diag_loc){dir, 0, 0}, "cannot make the directory: %s",
                   strerror(errno));
    return ok;
}

/* The EPUB's cover, the PDF's title page as a picture, is drawn in a
 * thread of its own while the body is laid out (lay_hooks.title_done) or,
 * without a title page, while the content documents are written. The
 * picture is made in this thread; the other uses Cairo alone. */
typedef struct cover_job {
    pdf_picture *pic;
    pthread_t thread;
    bool started, joined;
    buf png;
    diag err;           /* the thread's own: diag is not thread-safe */
} cover_job;

static void *cover_run(void *arg)
{
    cover_job *j = arg;
    pdf_picture_png(j->pic, &j->png, &j->err);
    return NULL;
}

static void cover_start(const layout *L, void *ctx)
{
    cover_job *j = ctx;
    if (j->pic || L->npages == 0)
        return;
    j->pic = pdf_picture_new(L, 0, 1600.0 / L->paper_h);
    if (pthread_create(&j->thread, NULL, cover_run, j) == 0)
        j->started = true;
    else
        cover_run(j); /* no thread to be had: draw it now */
}

/* The cover's PNG once it is drawn (the layout must outlive the thread:
 * every way out of pipeline_run waits here). */
static const buf *cover_wait(void *ctx)
{
    cover_job *j = ctx;
    if (j->started && !j->joined) {
        pthread_join(j->thread, NULL);
        j->joined = true;
    }
    return &j->png;
}

static void cover_free(cover_job *j, diag *dg)
{
    cover_wait(j);
    diag_merge(dg, &j->err);
    diag_free(&j->err);
    pdf_picture_free(j->pic);
    buf_free(&j->png);
}

/* What every file written shares: the layout, and for the PDF the fonts
 * subset once for all copies, for the EPUB the page map and the cover. */
typedef struct writer {
    const pipeline_opts *o;
    bool pdf;           /* writing the PDF (else the EPUB) */
    const doc *d;
    layout *L;          /* the overlays' lines join it */
    pdf_fontset *fonts;
    doc_pagemap map;
    cover_job *job;
    const signer *sign;  /* --sign's key, or NULL */
    char **passwords;    /* each edition's open password, or NULL */
    const doc *recipients; /* the document whose editions these are (its
                            plain build's; d may be one copy's own) */
    const style *st;     /* the style as read (L->st is the frame) */
    const style *frame;  /* L->st (a copy: the layout may go before the
                            file is written), or with the page map from the
                            cache the style turned as the layout would */
    size_t npages;
    layout **own;        /* the plain PDF alone: the layout is let go once
                            its pages are drawn (*own NULL then), so that it
                            and qpdf's copy of the file are never held at
                            once */
} writer;

static void let_go(void *ctx)
{
    writer *w = ctx;
    layout_free(*w->own);
    *w->own = NULL;
    w->L = NULL;
}

/* NAME.epub.p7s beside an EPUB: a detached CMS signature of the file as
 * written (atomically, as the EPUB). */
static bool sign_beside(const writer *w, const char *path, diag *dg)
{
    buf data = {0}, der = {0};
    bool ok = buf_read_file(&data, path) &&
              signer_sign(w->sign, data.data, data.len, signer_time(), &der, dg);
    char *p7s = xasprintf("%s.p7s", path);
    atomic_out ao = {0};
    ao.fd = -1;
    if (ok && (!atomic_open(&ao, p7s) || write(ao.fd, der.data, der.len) != (ssize_t)der.len ||
               !atomic_commit(&ao))) {
        diag_io_error(dg, (diag_loc){p7s, 0, 0}, "cannot write: %s",
                      strerror(errno));
        ok = false;
    }
    atomic_abort(&ao);
    free(p7s);
    buf_free(&data);
    buf_free(&der);
    return ok;
}

/* Writes one file, the plain edition (ov NULL) or a copy, atomically;
 * false (with the error) if it failed. */
static bool write_file(writer *w, const char *path, const lay_overlay *ov,
                       diag *dg)
{
    atomic_out ao = {0};
    ao.fd = -1;
    bool ok = atomic_open(&ao, path);
    if (!ok)
        diag_io_error(dg, (diag_loc){path, 0, 0}, "cannot write: %s",
                      strerror(errno));
    if (ok && w->pdf) {
        size_t k = ov ? (size_t)(ov->ed - w->recipients->editions) : 0;
        pdf_opts po = {.overlay = ov, .fonts = w->fonts, .sign = w->sign,
                       .encrypt = ov && ov->ed->encrypt,
                       .password = ov && w->passwords ? w->passwords[k] : NULL,
                       .drawn = w->own && !ov ? let_go : NULL, .drawn_ctx = w};
        ok = pdf_write(w->L, w->d, &po, ao.fd, dg);
    } else if (ok) {
        epub_cover cover = {cover_wait, w->job};
        ok = epub_write(w->d, w->frame, &w->map, cover, ov ? ov->ed : NULL,
                        ao.fd, dg);
    }
    if (ok && !atomic_commit(&ao)) {
        diag_io_error(dg, (diag_loc){path, 0, 0}, "cannot write: %s",
                      strerror(errno));
        ok = false;
    }
    atomic_abort(&ao);
    if (ok && w->sign && !w->pdf)
        ok = sign_beside(w, path, dg);
    return ok;
}

/* The EPUB after the PDF, from the same layout (--epub): its cover is
 * drawn now, while the content documents are written, never beside the
 * PDF's own drawing. */
static bool write_epub_too(writer *w, cover_job *cover, diag *dg)
{
    w->pdf = false;
    cover_start(w->L, cover);
    layout_page_map(w->L, &w->map);
    return write_file(w, w->o->epub, NULL, dg);
}

static pipeline_status write_output(writer *w, diag *dg)
{
    const pipeline_opts *o = w->o;
    char *path = o->output ? xstrdup(o->output)
                           : default_output(o->input, w->pdf ? "pdf" : "epub");
    /* out/ is made where it is missing (kumihan run outside its tree) */
    bool ok = (o->output || make_dir("out", dg)) && write_file(w, path, NULL, dg);
    if (ok && !o->quiet)
        fprintf(stderr, "kumihan: wrote %s (%zu pages)\n", path, w->npages);
    if (ok && o->epub) {
        ok = write_epub_too(w, w->job, dg);
        if (ok && !o->quiet)
            fprintf(stderr, "kumihan: wrote %s\n", o->epub);
    }
    if (ok && o->depfile) {
        char *targets = o->epub ? xasprintf("%s %s", path, o->epub) : xstrdup(path);
        ok = write_depfile(o, targets, w->d, w->frame, dg);
        free(targets);
    }
    free(path);
    return ok ? PIPE_OK : PIPE_IO;
}

/* ---- client editions ------------------------------------------------ */

/* Every character of a recipient and a marking the body font can draw:
 * a copy that cannot say whom it is for must not go out. */
static bool check_recipients(const doc *d, const style *st, fonts *f,
                             diag *dg)
{
    bool ok = true;
    for (size_t i = 0; i < d->neditions; i++) {
        const doc_edition *ed = &d->editions[i];
        char *mark = doc_edition_marking(d, ed);
        for (size_t k = 0; mark[k];) {
            uint32_t cp;
            int n = utf8_decode(mark + k, strlen(mark + k), &cp);
            k += n > 0 ? (size_t)n : 1;
            if (cp < 0x80 || fonts_has_char(f, st->body_font, cp))
                continue;
            diag_error(dg, (diag_loc){ed->file, ed->line, ed->col},
                       "edition '%s': U+%04X cannot be drawn by '%s': the copy "
                       "could not say whom it is for", ed->id, cp,
                       st->body_font);
            ok = false;
            break;
        }
        free(mark);
    }
    return ok;
}

/* out/editions/NAME-ID.EXT (or DIR/NAME-ID.EXT with --editions -o DIR;
 * FILE itself with --edition ID -o FILE) */
static bool is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* --edition ID -o FILE writes FILE (into it, if it is a directory) */
static bool one_file(const pipeline_opts *o)
{
    return o->edition && o->output && !is_dir(o->output);
}

static char *edition_path(const pipeline_opts *o, const doc_edition *ed,
                          const char *ext)
{
    if (one_file(o))
        return xstrdup(o->output);
    const char *base = strrchr(o->input, '/');
    base = base ? base + 1 : o->input;
    const char *dot = strrchr(base, '.');
    size_t n = dot ? (size_t)(dot - base) : strlen(base);
    return xasprintf("%s/%.*s-%s.%s", o->output ? o->output : "out/editions",
                     (int)n, base, ed->id, ext);
}


/* The ::: blocks a copy has: a string of 0 and 1, one per block. Copies
 * with the same have the same text, and share a layout. */
static char *variant_key(const doc *d, const doc_edition *ed)
{
    char *k = xmalloc(d->nconds + 1);
    for (size_t i = 0; i < d->nconds; i++)
        k[i] = doc_cond_visible(d->conds, i, ed->id) ? '1' : '0';
    k[d->nconds] = '\0';
    return k;
}

/* A copy's own document and layout, for editions with ::: blocks of their
 * own: the manuscript read again with their text, and laid out anew.
 * PIPE_OK, or why not (its errors recorded). */
static pipeline_status variant(const writer *w, fonts *f, const doc_edition *ed,
                               doc **d, layout **L, diag *dg)
{
    const style *st = w->st;
    size_t errors = dg->errors;
    *d = parse_file_for(w->o->input, ed->id, dg, false);
    if (!*d)
        return PIPE_INPUT;
    if (st->mark_position == MARK_BEFORE_STOP)
        notes_marks_before_punctuation(*d);
    if (!images_load(*d, dg))
        return PIPE_INPUT;
    lay_hooks hooks = {.glyph_warnings = w->pdf};
    *L = layout_run(*d, st, f, dg, &hooks);
    if (!*L)
        return PIPE_IO;
    if (dg->errors > errors)
        return PIPE_INPUT;
    return layout_check(*L, dg) ? PIPE_OK : PIPE_BUG;
}

/* One group of copies with the same text, from one layout: every copy's
 * overlay placed first and the fonts subset once for all of them (a copy
 * made alone is byte for byte the one made with the others), then the
 * asked-for ones written, each atomically. */
static void write_group(writer *w, fonts *f, const bool *in_group,
                        const bool *asked, buf *failed, diag *dg)
{
    const pipeline_opts *o = w->o;
    const doc *r = w->recipients;
    size_t n = r->neditions, m = 0;
    lay_overlay *ov = xcalloc(n + 1, sizeof *ov);
    for (size_t i = 0; i < n; i++)
        if (in_group[i])
            layout_edition(w->L, w->d, f, &r->editions[i], &ov[m++]);
    if (w->pdf)
        w->fonts = pdf_fontset_editions(w->L, ov, m);
    for (size_t i = 0, k = 0; i < n; i++) {
        if (!in_group[i])
            continue;
        const lay_overlay *mine = &ov[k++];
        if (!asked[i])
            continue;
        const doc_edition *ed = &r->editions[i];
        char *path = edition_path(o, ed, w->pdf ? "pdf" : "epub");
        if (!write_file(w, path, mine, dg))
            buf_printf(failed, "%s%s", failed->len ? ", " : "", ed->id);
        else if (!o->quiet)
            fprintf(stderr, "kumihan: wrote %s\n", path);
        free(path);
    }
    if (w->fonts)
        pdf_fontset_free(w->fonts);
    w->fonts = NULL;
    free(ov);
}

/* The editions asked for. Copies with the same ::: blocks (all of them,
 * when there are none) share one layout: those with none of the blocks
 * the plain build's, the others one each group, made here. A failure
 * leaves the finished files whole and none half written, and names the
 * copies that were not written. */
static pipeline_status write_editions(writer *w, fonts *f, diag *dg)
{
    const pipeline_opts *o = w->o;
    const doc *r = w->recipients;
    size_t n = r->neditions;
    if (!one_file(o) && !make_dir(o->output ? o->output : "out/editions", dg))
        return PIPE_IO;
    bool *asked = xcalloc(n + 1, sizeof *asked);
    bool *done = xcalloc(n + 1, sizeof *done);
    bool *in_group = xcalloc(n + 1, sizeof *in_group);
    char **key = xcalloc(n + 1, sizeof *key);
    for (size_t i = 0; i < n; i++) {
        asked[i] = !o->edition || strcmp(o->edition, r->editions[i].id) == 0;
        key[i] = variant_key(r, &r->editions[i]);
    }
    buf failed = {0};
    pipeline_status rc = PIPE_OK;
    for (size_t i = 0; i < n; i++) {
        if (done[i])
            continue;
        bool wanted = false;
        memset(in_group, 0, (n + 1) * sizeof *in_group);
        for (size_t j = i; j < n; j++) {
            in_group[j] = !done[j] && strcmp(key[j], key[i]) == 0;
            wanted |= in_group[j] && asked[j];
            done[j] |= in_group[j];
        }
        if (!wanted)
            continue;
        if (!strchr(key[i], '1')) { /* the plain build's text */
            write_group(w, f, in_group, asked, &failed, dg);
        } else {
            writer v = *w;
            doc *d = NULL;
            layout *L = NULL;
            pipeline_status vr = variant(w, f, &r->editions[i], &d, &L, dg);
            if (vr == PIPE_OK) {
                v.d = d;
                v.L = L;
                v.frame = L->st;
                v.npages = L->npages;
                if (!w->pdf)
                    layout_page_map(L, &v.map);
                write_group(&v, f, in_group, asked, &failed, dg);
                doc_pagemap_free(&v.map);
            } else {
                for (size_t j = i; j < n; j++)
                    if (in_group[j] && asked[j])
                        buf_printf(&failed, "%s%s", failed.len ? ", " : "",
                                   r->editions[j].id);
                if (vr > rc)
                    rc = vr;
            }
            layout_free(L);
            doc_free(d);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(key[i]);
    free(key);
    free(asked);
    free(done);
    free(in_group);
    if (failed.len) {
        diag_error(dg, (diag_loc){0}, "these editions were not written: %s",
                   buf_str(&failed));
        if (rc == PIPE_OK)
            rc = PIPE_IO;
    }
    buf_free(&failed);
    return rc;
}

/* A password file's first line (without its line end); NULL with an
 * error at the edition if it cannot be read or is empty. The password is
 * never said. */
static char *read_password(const doc_edition *ed, diag *dg)
{
    diag_loc loc = {ed->file, ed->line, ed->col};
    FILE *fp = fopen(ed->password_file, "rb");
    if (!fp) {
        diag_error(dg, loc, "edition '%s': cannot read its password-file '%s': "
                   "%s", ed->id, ed->password_file, strerror(errno));
        return NULL;
    }
    char line[1024] = "";
    bool got = fgets(line, sizeof line, fp) != NULL;
    fclose(fp);
    line[strcspn(line, "\r\n")] = '\0';
    if (!got || !*line) {
        diag_error(dg, loc, "edition '%s': its password-file '%s' is empty",
                   ed->id, ed->password_file);
        return NULL;
    }
    char *pw = xstrdup(line);
    memset(line, 0, sizeof line);
    return pw;
}

/* What encrypting copies asks (and forbids): not with PDF/A, not with a
 * signature; the open passwords read now, before anything is written
 * (*pw: one per edition, NULL where there is none). */
static bool encryption(const pipeline_opts *o, const doc *d, const style *st,
                       char ***pw, diag *dg)
{
    bool ok = true;
    for (size_t i = 0; i < d->neditions; i++) {
        const doc_edition *ed = &d->editions[i];
        if (!ed->encrypt || (o->edition && strcmp(o->edition, ed->id) != 0))
            continue;
        diag_loc loc = {ed->file, ed->line, ed->col};
        if (o->cmd == CMD_EPUB) {
            diag_warning(dg, loc, "edition '%s': encrypt is for its PDF; the "
                         "EPUB is not encrypted", ed->id);
            continue;
        }
        if (st->pdf_standard == PDF_STANDARD_A1B) {
            diag_error(dg, loc, "edition '%s': encrypt: true and the style's "
                       "pdf.standard: pdf/a-1b cannot go together (PDF/A "
                       "forbids encryption): encrypted copies need a style "
                       "with pdf.standard: off", ed->id);
            ok = false;
        }
        if (o->sign) {
            diag_error(dg, loc, "edition '%s': a copy is signed or encrypted, "
                       "not both (kumihan cannot sign an encrypted file yet)",
                       ed->id);
            ok = false;
        }
        if (ed->password_file && o->cmd == CMD_PDF) {
            if (!*pw)
                *pw = xcalloc(d->neditions + 1, sizeof **pw);
            (*pw)[i] = read_password(ed, dg);
            ok &= (*pw)[i] != NULL;
        }
    }
    return ok;
}

static void passwords_free(char **pw, size_t n)
{
    for (size_t i = 0; pw && i < n; i++)
        if (pw[i]) {
            memset(pw[i], 0, strlen(pw[i]));
            free(pw[i]);
        }
    free(pw);
}

/* ---- the EPUB from the cache (pagecache.h) --------------------------- */

/* The plain EPUB written from a kept page map and cover, with the
 * layout's warnings said again. */
static pipeline_status from_cache(const pipeline_opts *o, const doc *d,
                                  const style *st, pagecache_entry *hit,
                                  cover_job *cover, const signer *sign,
                                  diag *dg)
{
    diag_merge(dg, &hit->warnings);
    style frame;
    style_turned(st, &frame);
    cover->png = hit->cover; /* the cover job owns it now */
    hit->cover = (buf){0};
    if (!o->quiet && isatty(STDERR_FILENO))
        fprintf(stderr, "kumihan: %zu pages laid out (kept from an earlier "
                "run); writing the EPUB...\n", hit->npages);
    writer w = {.o = o, .d = d, .job = cover, .sign = sign, .recipients = d,
                .st = st, .frame = &frame, .npages = hit->npages,
                .map = hit->map};
    hit->map = (doc_pagemap){0};
    pipeline_status rc = write_output(&w, dg);
    doc_pagemap_free(&w.map);
    pagecache_entry_free(hit);
    return rc;
}

/* What a plain EPUB took from its layout, kept: the page map, the cover
 * (unless drawing it went wrong) and the layout's warnings, dg's entries
 * from `from` to `to`. */
static void keep(const pagecache_key *key, writer *w, const diag *dg,
                 size_t from, size_t to)
{
    const buf *png = cover_wait(w->job);
    if (w->job->err.n > 0 || dg->dropped > 0)
        return;
    pagecache_entry e = {.map = w->map, .npages = w->npages};
    diag_init(&e.warnings);
    for (size_t i = from; i < to && i < dg->n; i++) {
        const diag_entry *de = &dg->v[i];
        if (de->severity != DIAG_WARNING)
            break; /* (an error stops the run before this) */
        diag_warning(&e.warnings, (diag_loc){de->file, de->loc.line, de->loc.col},
                     "%s", de->msg);
    }
    e.cover = *png;
    pagecache_put(key, &e);
    e.cover = (buf){0};
    e.map = (doc_pagemap){0};
    pagecache_entry_free(&e);
}

pipeline_status pipeline_run(const pipeline_opts *o, diag *dg, buf *out)
{
    double t = now();
    style st = {0};
    pipeline_status rc = PIPE_OK;
    doc *d = NULL;
    fonts *f = NULL;
    layout *L = NULL;
    cover_job cover = {0};
    signer *sign = NULL;
    char **passwords = NULL;
    buf st_bytes = {0};
    if (!load_style(o, &st, &st_bytes, dg)) {
        rc = PIPE_INPUT;
        goto out;
    }
    /* the signing key before anything else: a wrong passphrase or an
     * expired certificate stops the run before any file is written */
    if (o->sign) {
        sign = signer_load(o->sign, getenv("KUMIHAN_SIGN_PASS"), dg);
        if (!sign) {
            rc = dg->io_errors ? PIPE_IO : PIPE_INPUT; /* unreadable, or bad */
            goto out;
        }
    }
    /* check reports every error in one run: it goes on past them */
    bool check = o->cmd == CMD_CHECK;
    d = parse_file(o->input, dg, check);
    timing(o, "parse", &t);
    if (!d) {
        rc = dg->io_errors ? PIPE_IO : PIPE_INPUT; /* unreadable, or bad */
        goto out;
    }
    if (st.mark_position == MARK_BEFORE_STOP) /* 遂げている1)。 */
        notes_marks_before_punctuation(d);
    if (o->cmd == CMD_DUMP) {
        doc_dump(d, out);
        goto out;
    }
    /* the recipients matter when editions are made (and to check) */
    bool editions = o->editions || o->edition || check;
    bool ok = images_load(d, dg);
    if (editions && (ok || check))
        ok = editions_load(d, dg) && editions_check(d, dg) && ok;
    if (!ok && !check) {
        rc = PIPE_INPUT;
        goto out;
    }
    /* 秘 on a manuscript with no recipients: the plain edition it makes
     * is unmarked, which a writer may not expect */
    if (d->meta.classification && d->meta.classification_line > 0 &&
        !editions_exist(d))
        diag_warning(dg, (diag_loc){d->path, d->meta.classification_line,
                                    d->meta.classification_col},
                     "classification '%s' marks the client editions only, and "
                     "this manuscript lists no recipients: the plain edition "
                     "is not marked (list them under 'editions:', or in "
                     "NAME.editions.yaml)", d->meta.classification);
    if ((o->editions || o->edition) && d->neditions == 0) {
        diag_error(dg, (diag_loc){o->input, 0, 0}, "no editions: list the "
                   "recipients under 'editions:' in the front matter or in "
                   "the file beside the manuscript (NAME.editions.yaml)");
        rc = PIPE_INPUT;
        goto out;
    }
    if (o->edition && !editions_find(d, o->edition)) {
        diag_error(dg, (diag_loc){o->input, 0, 0}, "--edition '%s': no such "
                   "edition (the ids are those under 'editions:')", o->edition);
        rc = PIPE_INPUT;
        goto out;
    }
    /* where the copies' marking goes: inside the paper, clear of the
     * folio; encrypted copies' passwords */
    if (d->neditions > 0 && editions) {
        bool fits = style_check_marking(&st, dg); /* both said, always */
        bool sealed = encryption(o, d, &st, &passwords, dg);
        if ((!fits || !sealed) && !check) {
            rc = PIPE_INPUT;
            goto out;
        }
    }
    timing(o, "images", &t);
    f = fonts_new(&st, dg);
    timing(o, "fonts", &t);
    if (!f) {
        rc = PIPE_IO;
        goto out;
    }
    int fonts_rc = fonts_check(f, &st, dg); /* at the style's line */
    if (fonts_rc) {
        rc = fonts_rc == 2 ? PIPE_IO : PIPE_INPUT;
        goto out;
    }
    if (editions && !check_recipients(d, &st, f, dg) && !check) {
        rc = PIPE_INPUT;
        goto out;
    }
    if (check) {
        /* every copy's text read as it will be set: a note referenced in
         * one copy and defined in a block another copy leaves out */
        for (size_t i = 0; d->nconds > 0 && i <= d->neditions; i++)
            doc_free(parse_file_for(o->input, i ? d->editions[i - 1].id : NULL,
                                    dg, false));
        check_glyphs(d, &st, f, dg);
        check_images(d, &st, dg);
        goto out;
    }
    if (o->cmd == CMD_PDF) {
        size_t before = dg->errors;
        check_images(d, &st, dg);
        if (dg->errors > before) {
            rc = PIPE_INPUT;
            goto out;
        }
    }
    /* a plain EPUB whose layout is in the cache is written from it */
    pagecache_key key;
    bool cacheable = o->cmd == CMD_EPUB && !editions && !o->epub &&
                     pagecache_key_of(d, &st_bytes, st.path, f, &key);
    if (cacheable) {
        pagecache_entry hit;
        if (pagecache_get(&key, &hit)) {
            timing(o, "cache", &t);
            rc = from_cache(o, d, &st, &hit, &cover, sign, dg);
            timing(o, "epub", &t);
            goto out;
        }
    }
    lay_hooks hooks = {o->cmd == CMD_EPUB ? cover_start : NULL, &cover,
                       o->cmd == CMD_PDF};
    size_t errors = dg->errors, said_from = dg->n;
    L = layout_run(d, &st, f, dg, &hooks);
    timing(o, "layout", &t);
    if (!L) {
        rc = PIPE_IO;
        goto out;
    }
    if (dg->errors > errors) { /* what the manuscript asks cannot be set */
        rc = PIPE_INPUT;
        goto out;
    }
    /* a layout that breaks its own invariants is kumihan's fault, not
     * the manuscript's: nothing is written (dump --lines still shows it) */
    bool sound = layout_check(L, dg);
    size_t said_to = dg->n;
    if (o->cmd == CMD_LINES)
        layout_dump(L, out);
    if (!sound) {
        rc = PIPE_BUG;
        goto out;
    }
    if (o->cmd == CMD_LINES)
        goto out;
    /* progress, for a person watching a long run */
    if (!o->quiet && isatty(STDERR_FILENO))
        fprintf(stderr, "kumihan: %zu pages laid out; writing the %s...\n",
                L->npages, o->epub ? "PDF and the EPUB"
                           : o->cmd == CMD_PDF ? "PDF" : "EPUB");
    style frame = *L->st;
    bool alone = o->cmd == CMD_PDF && !o->epub && !o->editions && !o->edition;
    writer w = {.o = o, .pdf = o->cmd == CMD_PDF, .d = d, .L = L,
                .job = &cover, .sign = sign,
                .passwords = passwords, .recipients = d, .st = &st,
                .frame = &frame, .npages = L->npages,
                .own = alone ? &L : NULL};
    if (o->cmd == CMD_EPUB) {
        cover_start(L, &cover); /* unless the title page started it */
        layout_page_map(L, &w.map);
    }
    rc = o->editions || o->edition ? write_editions(&w, f, dg)
                                   : write_output(&w, dg);
    if (rc == PIPE_OK && cacheable)
        keep(&key, &w, dg, said_from, said_to);
    doc_pagemap_free(&w.map);
    timing(o, o->cmd == CMD_PDF ? "pdf" : "epub", &t);
out:
    buf_free(&st_bytes);
    cover_free(&cover, dg);
    signer_free(sign);
    passwords_free(passwords, d ? d->neditions : 0);
    layout_free(L);
    fonts_free(f);
    doc_free(d);
    style_free(&st);
    return rc;
}
