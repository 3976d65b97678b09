/* The container: mimetype first and stored, the rest deflated, in a fixed
 * order with fixed timestamps, so two builds are byte-identical. The zip
 * is made in memory (libzip) and written to the caller's file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "epub/internal.h"
#include "util/xalloc.h"

/* A name-based UUID (RFC 9562 version 8) from the metadata, so the same
 * manuscript always gets the same identifier. FNV-1a, twice. */
static void make_uuid(const doc *d, const doc_edition *ed, char out[48])
{
    /* an edition's identifier: the document's, and its id */
    const char *parts[] = {d->meta.title, d->meta.date, d->meta.publisher,
                           d->meta.author, d->path, ed ? ed->id : ""};
    unsigned long long h1 = 1469598103934665603ULL, h2 = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        const char *s = parts[i] ? parts[i] : "";
        if (i == 4) { /* the file's name only, not where it lies */
            const char *slash = strrchr(s, '/');
            s = slash ? slash + 1 : s;
        }
        for (; *s; s++) {
            h1 = (h1 ^ (unsigned char)*s) * 1099511628211ULL;
            h2 = (h2 ^ (unsigned char)*s) * 0x100000001b3ULL + 0x3c6ef372ULL;
        }
        h1 = (h1 ^ 0xff) * 1099511628211ULL;
        h2 = (h2 ^ 0xfe) * 0x100000001b3ULL;
    }
    h1 = (h1 & ~0xF000ULL) | 0x8000ULL;                 /* version 8 */
    h2 = (h2 & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL; /* variant */
    snprintf(out, 48, "%08llx-%04llx-%04llx-%04llx-%012llx", h1 >> 32,
             (h1 >> 16) & 0xFFFF, h1 & 0xFFFF, h2 >> 48, h2 & 0xFFFFFFFFFFFFULL);
}

static const char container[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
    "  <rootfiles>\n"
    "    <rootfile full-path=\"OEBPS/package.opf\" media-type=\"application/oebps-package+xml\"/>\n"
    "  </rootfiles>\n"
    "</container>\n";

static time_t fixed_time(const char *iso)
{
    struct tm tm = {0};
    if (sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return 315532800; /* 1980-01-01 */
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_isdst = 0;
    /* the zip's DOS time is local time: interpret the UTC fields as local
     * so every machine writes the same bytes */
    return mktime(&tm);
}

static bool add(zip_t *z, const char *name, const void *data, size_t n,
                bool store, time_t t)
{
    zip_source_t *src = zip_source_buffer(z, data, n, 0);
    if (!src)
        return false;
    zip_int64_t i = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8);
    if (i < 0) {
        zip_source_free(src);
        return false;
    }
    zip_set_file_compression(z, (zip_uint64_t)i, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                             9);
    zip_file_set_mtime(z, (zip_uint64_t)i, t, 0);
    return true;
}

static bool zip_all(epub *e, buf *out)
{
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &err);
    zip_t *z = mem ? zip_open_from_source(mem, ZIP_TRUNCATE, &err) : NULL;
    if (!z) {
        diag_error(e->dg, (diag_loc){0}, "cannot make the EPUB: %s",
                   zip_error_strerror(&err));
        if (mem)
            zip_source_free(mem);
        zip_error_fini(&err);
        return false;
    }
    zip_source_keep(mem);
    time_t t = fixed_time(e->modified);
    bool ok = add(z, "mimetype", "application/epub+zip", 20, true, t) &&
              add(z, "META-INF/container.xml", container, sizeof container - 1,
                  false, t);
    char name[256];
    for (size_t i = 0; ok && i < e->nfiles; i++) {
        snprintf(name, sizeof name, "OEBPS/%s", e->files[i].name);
        /* images are compressed already */
        bool image = strncmp(e->files[i].media, "image/", 6) == 0;
        ok = add(z, name, e->files[i].data.data ? e->files[i].data.data : "",
                 e->files[i].data.len, image, t);
    }
    if (!ok || zip_close(z) != 0) {
        diag_error(e->dg, (diag_loc){0}, "cannot make the EPUB: %s",
                   zip_strerror(z));
        zip_discard(z);
        zip_source_free(mem);
        return false;
    }
    zip_stat_t st;
    if (zip_source_stat(mem, &st) == 0 && zip_source_open(mem) == 0) {
        char chunk[65536];
        zip_int64_t k;
        while ((k = zip_source_read(mem, chunk, sizeof chunk)) > 0)
            buf_put(out, chunk, (size_t)k);
        zip_source_close(mem);
    }
    zip_source_free(mem);
    return out->len > 0;
}

static bool write_all(int fd, const buf *b, diag *dg)
{
    size_t done = 0;
    while (done < b->len) {
        ssize_t k = write(fd, b->data + done, b->len - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            diag_io_error(dg, (diag_loc){0}, "cannot write the EPUB: %s",
                          strerror(errno));
            return false;
        }
        done += (size_t)k;
    }
    return true;
}

void epub_begin(epub *e, const doc *d, const style *st,
                const doc_pagemap *pm, const doc_edition *ed, diag *dg)
{
    *e = (epub){.d = d, .st = st, .pm = pm, .dg = dg,
                .top_level = doc_top_level(d), .back = doc_back_matter(d),
                .ed = ed, .notice = ed ? doc_edition_marking(d, ed) : NULL};
    make_uuid(d, ed, e->uuid);
    doc_timestamp(d, e->modified, sizeof e->modified);
    e->pages = xcalloc(pm->n + 1, sizeof *e->pages);
    for (size_t i = 0; i < pm->n; i++)
        e->pages[i].number = pm->numbers[i];
}

void epub_clear(epub *e)
{
    for (size_t i = 0; i < e->nfiles; i++) {
        free(e->files[i].name);
        free(e->files[i].title);
        buf_free(&e->files[i].data);
    }
    free(e->files);
    for (size_t i = 0; i < e->pm->n; i++)
        free(e->pages[i].file);
    free(e->pages);
    for (size_t i = 0; i < e->ntoc; i++) {
        free(e->toc[i].title);
        free(e->toc[i].href);
    }
    free(e->toc);
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < e->nlists[k]; i++) {
            free(e->lists[k][i].title);
            free(e->lists[k][i].href);
        }
        free(e->lists[k]);
    }
    free(e->notice);
    for (size_t i = 0; e->ref_file && i <= e->d->nnotes; i++)
        free(e->ref_file[i]);
    free(e->ref_file);
    for (size_t i = 0; i < e->nrefs; i++)
        free(e->refs[i].file);
    free(e->refs);
    *e = (epub){0};
}

bool epub_write(const doc *d, const style *st, const doc_pagemap *pm,
                epub_cover cover, const doc_edition *ed, int fd, diag *dg)
{
    epub e;
    epub_begin(&e, d, st, pm, ed, dg);
    epub_content(&e);
    const buf *png = cover.get ? cover.get(cover.ctx) : NULL;
    if (png && png->len) { /* the first file, as readers expect */
        xgrow((void **)&e.files, &e.cap_files, e.nfiles + 1, sizeof *e.files);
        memmove(e.files + 1, e.files, e.nfiles * sizeof *e.files);
        e.files[0] = (epub_file){xstrdup("cover.png"), xstrdup("cover"),
                                 {0}, "image/png", "cover-image"};
        buf_put(&e.files[0].data, png->data, png->len);
        e.nfiles++;
    }
    epub_package(&e);
    buf zipped = {0};
    bool ok = !e.failed && zip_all(&e, &zipped) && write_all(fd, &zipped, dg);
    buf_free(&zipped);
    epub_clear(&e);
    return ok;
}
