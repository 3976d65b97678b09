#define _GNU_SOURCE
#include "pagecache.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc/dump.h"
#include "text/hyphen.h"
#include "text/phrase.h"
#include "util/atomic.h"
#include "util/xalloc.h"

enum { KEEP = 64,                      /* entries kept */
       MAX_PAGES = 1000000 };          /* more is not ours */
#define MAX_ENTRY ((size_t)256 << 20)  /* larger is not ours */
static const char MAGIC[8] = "KMPC\0\0\0\1"; /* the format's version last */

/* ---- the key ------------------------------------------------------- */

/* The GNU build id of an object (ld --build-id, Debian's default: a hash
 * of its bytes, which changes with any change to the code), as hex; false
 * when it has none. */
static bool build_id(struct dl_phdr_info *info, buf *out)
{
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE)
            continue;
        const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr);
        const char *end = p + ph->p_memsz;
        while (p + sizeof(ElfW(Nhdr)) <= end) {
            const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
            const char *name = p + sizeof *n;
            const char *desc = name + ((n->n_namesz + 3) & ~3u);
            if (desc + n->n_descsz > end)
                break;
            if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
                memcmp(name, "GNU", 4) == 0 && n->n_descsz > 0) {
                for (size_t k = 0; k < n->n_descsz; k++)
                    buf_printf(out, "%02x", (unsigned char)desc[k]);
                return true;
            }
            p = desc + ((n->n_descsz + 3) & ~3u);
        }
    }
    return false;
}

/* kumihan's own build and every library loaded (FreeType, pixman,
 * librsvg, cmark-gfm... an update to any of them is a new key): each
 * one's name and build id. The program must have one. */
static int objects(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    buf *k = arg;
    bool program = !info->dlpi_name || !info->dlpi_name[0];
    buf_printf(k, "object %s ", program ? "kumihan" : info->dlpi_name);
    if (!build_id(info, k)) {
        if (program)
            return 1; /* no way to tell this build from another */
        buf_puts(k, "-");
    }
    buf_putc(k, '\n');
    return 0;
}

/* A part of the key: its tag, length and bytes */
static void put_part(buf *k, const char *tag, const void *data, size_t n)
{
    buf_printf(k, "%s %zu\n", tag, n);
    buf_put(k, data, n);
    buf_putc(k, '\n');
}

/* The environment that changes how text is shaped or drawn, sorted */
static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void put_environment(buf *k)
{
    static const char *const prefixes[] = {
        "FREETYPE_", "HB_", "PANGO", "FC_", "FONTCONFIG", "CAIRO_",
        "MECAB", "SOURCE_DATE_EPOCH=", "KUMIHAN_DATA=", "TZ="};
    extern char **environ;
    char **v = NULL;
    size_t n = 0, cap = 0;
    for (char **e = environ; e && *e; e++)
        for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
            if (strncmp(*e, prefixes[i], strlen(prefixes[i])) == 0) {
                xgrow((void **)&v, &cap, n + 1, sizeof *v);
                v[n++] = *e;
                break;
            }
    if (n)
        qsort(v, n, sizeof *v, by_name);
    for (size_t i = 0; i < n; i++)
        put_part(k, "env", v[i], strlen(v[i]));
    free(v);
}

/* A file's bytes, with its name */
static void put_file(buf *k, const char *tag, const char *path)
{
    buf_printf(k, "%s %s\n", tag, path ? path : "-");
    buf data = {0};
    bool ok = path && buf_read_file(&data, path);
    put_part(k, ok ? "bytes" : "unreadable", data.data, data.len);
    buf_free(&data);
}

static char *cache_dir(void)
{
    const char *env = getenv("KUMIHAN_CACHE");
    if (env && *env) /* an absolute path, or off (so is anything else) */
        return *env == '/' ? xstrdup(env) : NULL;
    const char *xdg = getenv("XDG_CACHE_HOME");
    if (xdg && *xdg == '/')
        return xasprintf("%s/kumihan", xdg);
    const char *home = getenv("HOME");
    if (home && *home == '/')
        return xasprintf("%s/.cache/kumihan", home);
    return NULL;
}

bool pagecache_key_of(const doc *d, const buf *style_bytes, const char *style_path,
                      fonts *f, pagecache_key *key)
{
    char *dir = cache_dir();
    if (!dir)
        return false;
    free(dir);
    buf k = {0};
    buf_put(&k, MAGIC, sizeof MAGIC);
    buf_putc(&k, '\n');
    if (dl_iterate_phdr(objects, &k) != 0) {
        buf_free(&k);
        return false;
    }
    put_environment(&k);
    /* the manuscript as named (the warnings name it) and as written, and
     * the tree it was read as (what the date and the year made of it);
     * the files it names: the sources, the images' sizes (the EPUB takes
     * their bytes itself) */
    put_file(&k, d->path, d->path);
    buf tree = {0};
    doc_dump(d, &tree);
    put_part(&k, "tree", tree.data, tree.len);
    buf_free(&tree);
    put_file(&k, "sources", d->sources_file);
    for (size_t i = 0; i < d->nimages; i++) {
        const doc_image *im = &d->images[i];
        buf_printf(&k, "image %s %d %d %d %d %.17g %.17g\n", im->path, (int)im->kind,
                   im->px_w, im->px_h, im->components, im->w, im->h);
    }
    buf_printf(&k, "style %s\n", style_path ? style_path : "-");
    put_part(&k, "bytes", style_bytes ? style_bytes->data : NULL,
             style_bytes ? style_bytes->len : 0);
    fonts_identity(f, &k);
    hyph_identity(d->meta.lang, &k);
    phrase_identity(&k);
    char date[64];
    doc_timestamp(d, date, sizeof date);
    buf_printf(&k, "date %s %s\n", date, d->meta.date ? d->meta.date : "-");
    unsigned int n = 0;
    bool ok = EVP_Digest(k.data, k.len, key->h, &n, EVP_sha256(), NULL) && n == 32;
    buf_free(&k);
    return ok;
}

/* The cache's folder is this user's alone: entries are trusted (a
 * checksum is no signature) */
static bool ours(const char *dir)
{
    struct stat sb;
    return stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode) &&
           sb.st_uid == geteuid() && (sb.st_mode & 022) == 0;
}

static char *entry_path(const char *dir, const pagecache_key *key)
{
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", key->h[i]);
    return xasprintf("%s/%s.page", dir, hex);
}

/* ---- the entry's bytes ----------------------------------------------- */

static void put_u64(buf *b, uint64_t v)
{
    unsigned char c[8];
    for (int i = 0; i < 8; i++)
        c[i] = (unsigned char)(v >> (8 * i));
    buf_put(b, c, 8);
}

static void put_str(buf *b, const char *s)
{
    put_u64(b, s ? strlen(s) + 1 : 0);
    if (s)
        buf_put(b, s, strlen(s) + 1);
}

typedef struct reader {
    const unsigned char *p, *end;
    bool ok;
} reader;

static uint64_t get_u64(reader *r)
{
    if (!r->ok || r->end - r->p < 8) {
        r->ok = false;
        return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)r->p[i] << (8 * i);
    r->p += 8;
    return v;
}

static int64_t get_int(reader *r, int64_t lo, int64_t hi)
{
    int64_t v = (int64_t)get_u64(r);
    if (v < lo || v > hi)
        r->ok = false;
    return r->ok ? v : 0;
}

/* A count of items of at least `each` bytes that the rest can hold */
static size_t get_count(reader *r, size_t each)
{
    uint64_t n = get_u64(r);
    if (r->ok && n > (uint64_t)(r->end - r->p) / each)
        r->ok = false;
    return r->ok ? (size_t)n : 0;
}

/* A string (NULL for none), NUL-terminated as written */
static char *get_str(reader *r)
{
    size_t n = get_count(r, 1);
    if (!r->ok || n == 0)
        return NULL;
    if (r->p[n - 1] != '\0' || memchr(r->p, '\0', n) != r->p + n - 1) {
        r->ok = false;
        return NULL;
    }
    char *s = xstrdup((const char *)r->p);
    r->p += n;
    return s;
}

static void encode(const pagecache_entry *e, buf *b)
{
    buf_put(b, MAGIC, sizeof MAGIC);
    const doc_pagemap *pm = &e->map;
    put_u64(b, e->npages);
    put_u64(b, pm->n);
    for (size_t i = 0; i < pm->n; i++) {
        put_u64(b, (uint64_t)pm->marks[i].kind);
        put_u64(b, (uint64_t)(int64_t)pm->marks[i].block);
        put_u64(b, pm->marks[i].off);
        put_u64(b, (uint64_t)(int64_t)pm->numbers[i]);
    }
    put_u64(b, pm->target_page ? (uint64_t)pm->nblocks : UINT64_MAX);
    for (int i = 0; pm->target_page && i < pm->nblocks; i++)
        put_u64(b, (uint64_t)(int64_t)pm->target_page[i]);
    put_u64(b, e->warnings.n);
    for (size_t i = 0; i < e->warnings.n; i++) {
        const diag_entry *w = &e->warnings.v[i];
        put_u64(b, (uint64_t)w->severity);
        put_u64(b, (uint64_t)(int64_t)w->loc.line);
        put_u64(b, (uint64_t)(int64_t)w->loc.col);
        put_str(b, w->file);
        put_str(b, w->msg);
    }
    put_u64(b, e->cover.len);
    buf_put(b, e->cover.data, e->cover.len);
    unsigned char h[32];
    unsigned int n = 0;
    EVP_Digest(b->data, b->len, h, &n, EVP_sha256(), NULL);
    buf_put(b, h, sizeof h);
}

static bool decode(const unsigned char *p, size_t len, pagecache_entry *e)
{
    unsigned char h[32];
    unsigned int n = 0;
    if (len < sizeof MAGIC + 32 || memcmp(p, MAGIC, sizeof MAGIC) != 0 ||
        !EVP_Digest(p, len - 32, h, &n, EVP_sha256(), NULL) ||
        memcmp(h, p + len - 32, 32) != 0)
        return false;
    reader r = {p + sizeof MAGIC, p + len - 32, true};
    *e = (pagecache_entry){0};
    diag_init(&e->warnings);
    doc_pagemap *pm = &e->map;
    e->npages = (size_t)get_int(&r, 0, MAX_PAGES);
    pm->n = get_count(&r, 32);
    if (pm->n != e->npages) /* a mark a page */
        r.ok = false;
    pm->marks = xcalloc(pm->n + 1, sizeof *pm->marks);
    pm->numbers = xcalloc(pm->n + 1, sizeof *pm->numbers);
    for (size_t i = 0; i < pm->n && r.ok; i++) {
        pm->marks[i].kind = (doc_mark_kind)get_int(&r, DOC_MARK_TITLE,
                                                   DOC_MARK_COLOPHON);
        pm->marks[i].block = (int)get_int(&r, -1, INT32_MAX);
        pm->marks[i].off = (size_t)get_int(&r, 0, INT64_MAX);
        pm->numbers[i] = (int)get_int(&r, INT32_MIN, INT32_MAX);
    }
    uint64_t nb = get_u64(&r);
    if (r.ok && nb != UINT64_MAX) {
        if (nb > (uint64_t)(r.end - r.p) / 8 || nb > INT32_MAX / 2) {
            r.ok = false;
        } else {
            pm->nblocks = (int)nb;
            pm->target_page = xcalloc(nb + 1, sizeof *pm->target_page);
            for (size_t i = 0; i < nb && r.ok; i++)
                pm->target_page[i] = (int)get_int(&r, INT32_MIN, INT32_MAX);
        }
    }
    size_t nw = get_count(&r, 40);
    if (nw > 1000) /* diag keeps no more */
        r.ok = false;
    for (size_t i = 0; i < nw && r.ok; i++) {
        diag_severity sev = (diag_severity)get_int(&r, DIAG_WARNING, DIAG_WARNING);
        int line = (int)get_int(&r, 0, INT32_MAX);
        int col = (int)get_int(&r, 0, INT32_MAX);
        char *file = get_str(&r);
        char *msg = get_str(&r);
        if (r.ok && msg)
            diag_warning(&e->warnings, (diag_loc){file, line, col}, "%s", msg);
        else
            r.ok = false;
        (void)sev;
        free(file);
        free(msg);
    }
    size_t nc = get_count(&r, 1);
    if (r.ok && nc > 0) {
        buf_put(&e->cover, r.p, nc);
        r.p += nc;
    }
    if (!r.ok || r.p != r.end) {
        pagecache_entry_free(e);
        return false;
    }
    return true;
}

/* ---- the files ------------------------------------------------------- */

bool pagecache_get(const pagecache_key *key, pagecache_entry *e)
{
    char *dir = cache_dir();
    if (!dir)
        return false;
    char *path = ours(dir) ? entry_path(dir, key) : NULL;
    free(dir);
    /* a regular file, never a link or a pipe someone left there */
    int fd = path ? open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) : -1;
    free(path);
    struct stat sb;
    if (fd < 0)
        return false;
    bool ok = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
              (size_t)sb.st_size <= MAX_ENTRY;
    buf b = {0};
    char chunk[65536];
    ssize_t n;
    while (ok && b.len <= MAX_ENTRY && (n = read(fd, chunk, sizeof chunk)) > 0)
        buf_put(&b, chunk, (size_t)n);
    ok = ok && b.len <= MAX_ENTRY &&
         decode((const unsigned char *)b.data, b.len, e);
    if (ok)
        futimens(fd, NULL); /* used now: the last to go */
    close(fd);
    buf_free(&b);
    return ok;
}

/* Removes all but the KEEP newest entries */
static void prune(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return;
    struct old {
        char *path;
        struct timespec t;
    } *v = NULL;
    size_t nv = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dp)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l != 64 + 5 || strcmp(de->d_name + 64, ".page") != 0)
            continue;
        char *p = xasprintf("%s/%s", dir, de->d_name);
        struct stat sb;
        if (stat(p, &sb) != 0) {
            free(p);
            continue;
        }
        xgrow((void **)&v, &cap, nv + 1, sizeof *v);
        v[nv++] = (struct old){p, sb.st_mtim};
    }
    closedir(dp);
    while (nv > KEEP) { /* the oldest goes, one at a time */
        size_t o = 0;
        for (size_t i = 1; i < nv; i++)
            if (v[i].t.tv_sec < v[o].t.tv_sec ||
                (v[i].t.tv_sec == v[o].t.tv_sec && v[i].t.tv_nsec < v[o].t.tv_nsec))
                o = i;
        unlink(v[o].path);
        free(v[o].path);
        v[o] = v[--nv];
    }
    for (size_t i = 0; i < nv; i++)
        free(v[i].path);
    free(v);
}

void pagecache_put(const pagecache_key *key, const pagecache_entry *e)
{
    char *dir = cache_dir();
    if (!dir)
        return;
    make_dirs(dir, 0700);
    struct stat sb;
    char *path = ours(dir) ? entry_path(dir, key) : NULL;
    if (!path || (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode))) {
        free(path);
        free(dir);
        return;
    }
    buf b = {0};
    encode(e, &b);
    atomic_out ao = {0};
    ao.fd = -1;
    if (atomic_open(&ao, path) && fchmod(ao.fd, 0600) == 0 &&
        write(ao.fd, b.data, b.len) == (ssize_t)b.len)
        atomic_commit(&ao);
    atomic_abort(&ao);
    buf_free(&b);
    free(path);
    prune(dir);
    free(dir);
}

void pagecache_entry_free(pagecache_entry *e)
{
    doc_pagemap_free(&e->map);
    buf_free(&e->cover);
    diag_free(&e->warnings);
}
