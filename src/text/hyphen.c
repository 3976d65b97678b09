#define _XOPEN_SOURCE 700
/* Hyphenation points (see hyphen.h). */
#include "text/hyphen.h"

#include <hyphen.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/xalloc.h"

struct hyphenator {
    HyphenDict *dict;
    char path[256];      /* the pattern file */
    pthread_t thread;    /* loading it, while the text is shaped */
    bool loading;
    bool builtin;        /* dict is km_hyph_en_US, compiled in */
};

#define HYPHEN_DIR "/usr/share/hyphen"

/* The pattern file for `name` ("en_US"), if installed. */
static bool find(const char *name, char *path, size_t n)
{
    snprintf(path, n, "%s/hyph_%s.dic", HYPHEN_DIR, name);
    return access(path, R_OK) == 0;
}

/* libhyphen parses a pattern file's text on every load (17 ms for
 * English's 11,000, which are compiled in instead): a thread of its own
 * does it while the layout starts. */
static void *load(void *arg)
{
    hyphenator *h = arg;
    h->dict = hnj_hyphen_load(h->path);
    return NULL;
}

/* The pattern file for a language ("en-GB": en_GB, then en), else
 * English's; false if none is installed. */
static bool pick(const char *lang, char *path, size_t n)
{
    bool found = false;
    if (lang && strncmp(lang, "ja", 2) != 0 && strlen(lang) < 32) {
        char ll[40]; /* "en-GB" -> "en_GB", then "en" */
        snprintf(ll, sizeof ll, "%s", lang);
        for (char *p = ll; *p; p++)
            if (*p == '-')
                *p = '_';
        found = find(ll, path, n);
        if (!found && strchr(ll, '_')) {
            *strchr(ll, '_') = '\0';
            found = find(ll, path, n);
        }
    }
    return found || find("en_US", path, n);
}

/* English's patterns compiled in (hyphgen, at build time), or NULL */
extern HyphenDict *const km_hyph_en_US;

/* The patterns hyph_new takes: the compiled-in ones for English (*path
 * empty), else the file in *path; false when there are none. */
static bool choose(const char *lang, char *path, size_t n)
{
    bool found = pick(lang, path, n);
    if (km_hyph_en_US) {
        char *mine = found ? realpath(path, NULL) : NULL;
        char *english = realpath(HYPHEN_DIR "/hyph_en_US.dic", NULL);
        if (!found || (mine && english && strcmp(mine, english) == 0))
            *path = '\0';
        free(mine);
        free(english);
        return true;
    }
    return found;
}

void hyph_identity(const char *lang, buf *out)
{
    char path[256];
    if (!choose(lang, path, sizeof path)) {
        buf_puts(out, "hyphen -\n");
    } else if (!*path) {
        buf_puts(out, "hyphen en_US compiled in\n");
    } else {
        buf_puts(out, "hyphen ");
        file_identity(path, out);
    }
}

hyphenator *hyph_new(const char *lang)
{
    char path[256];
    if (!choose(lang, path, sizeof path))
        return NULL;
    hyphenator *h = xcalloc(1, sizeof *h);
    if (!*path) {
        h->dict = km_hyph_en_US;
        h->builtin = true;
        return h;
    }
    snprintf(h->path, sizeof h->path, "%s", path);
    if (pthread_create(&h->thread, NULL, load, h) == 0)
        h->loading = true;
    else
        load(h); /* no thread to be had: load it now */
    return h;
}

/* The patterns, once loaded (NULL if the file would not load). */
static HyphenDict *dict(const hyphenator *hc)
{
    hyphenator *h = (hyphenator *)hc; /* joining is the one change */
    if (h->loading) {
        pthread_join(h->thread, NULL);
        h->loading = false;
    }
    return h->dict;
}

void hyph_free(hyphenator *h)
{
    if (!h)
        return;
    if (dict(h) && !h->builtin)
        hnj_hyphen_free(h->dict);
    free(h);
}

static bool letter(const jp_cell *c)
{
    uint32_t u = c->first;
    return c->first == c->last && u < 0x80 &&
           ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z')) &&
           !(c->flags & (JP_URL | JP_NOBREAK | JP_NOTEREF | JP_CODE));
}

/* The hyphen's glyph and advance in the font of sh's glyph g. */
static double hyphen_of(shaped *sh, size_t g)
{
    int font = sh->glyphs[g].font;
    if (!sh->hyphen_gid)
        sh->hyphen_gid = xcalloc(sh->nfonts ? sh->nfonts : 1, sizeof(unsigned));
    hb_font_t *hf = pango_font_get_hb_font(sh->fonts[font]);
    hb_codepoint_t gid;
    if (!hf || !hb_font_get_nominal_glyph(hf, '-', &gid) || gid == 0)
        return 0;
    sh->hyphen_gid[font] = gid;
    return hb_font_get_glyph_h_advance(hf, gid) / (double)PANGO_SCALE;
}

static void word(const hyphenator *h, shaped *sh, size_t w0, size_t w1)
{
    size_t n = w1 - w0;
    if (n < 5 || n > 64)
        return;
    char lower[65], hyphens[70];
    bool caps = true;
    for (size_t i = 0; i < n; i++) {
        char c = (char)sh->cells[w0 + i].first;
        caps &= c >= 'A' && c <= 'Z';
        lower[i] = (char)(c | 0x20);
    }
    lower[n] = '\0';
    /* neither an acronym nor a capitalised word, a proper name as often
     * as not (Boston Dy-/namics reads as a fault) */
    char first = (char)sh->cells[w0].first;
    if (caps || (first >= 'A' && first <= 'Z'))
        return;
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    HyphenDict *d = dict(h);
    if (d && hnj_hyphen_hyphenate3(d, lower, (int)n, hyphens, NULL, &rep,
                              &pos, &cut, 2, 3, 2, 2) == 0) {
        for (size_t i = 1; i + 3 <= n; i++) /* 2 letters before, 3 after */
            if ((hyphens[i] & 1) && !(rep && rep[i])) {
                size_t k = w0 + i;
                sh->cells[k].hyphen = hyphen_of(sh, sh->cell_glyph[k]);
            }
    }
    if (rep) {
        for (size_t i = 0; i < n; i++)
            free(rep[i]);
        free(rep);
        free(pos);
        free(cut);
    }
}

static bool joins(const jp_cell *c, bool before)
{
    uint32_t u = before ? c->last : c->first;
    return (u >= '0' && u <= '9') || u == '-' || u == '\'' || u == 0x2019 ||
           u == '_' || u == '/' || u == '@' || (before && u == '.');
}

void hyph_mark(const hyphenator *h, shaped *sh)
{
    if (!h)
        return;
    size_t i = 0;
    while (i < sh->ncells) {
        if (!letter(&sh->cells[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < sh->ncells && letter(&sh->cells[j]))
            j++;
        /* a word, not part of a longer token (v2, e-mail, don't, a.b) */
        bool alone = (i == 0 || !joins(&sh->cells[i - 1], true)) &&
                     (j == sh->ncells || !joins(&sh->cells[j], false));
        if (alone)
            word(h, sh, i, j);
        i = j;
    }
}
