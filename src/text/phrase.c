#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* madvise */
/* Phrase boundaries from MeCab (see phrase.h). */
#include "text/phrase.h"

#include <dirent.h>
#include <mecab.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util/atomic.h"
#include "util/xalloc.h"

struct phraser {
    mecab_t *m;
    struct span {
        uintptr_t lo, hi;
    } maps[8]; /* the dictionary's files as MeCab mapped them */
    int nmaps;
};

/* MeCab maps its dictionary whole (sys.dic: 47 MB) and reads it where a
 * word leads; the kernel maps the pages around each page read, so after
 * a report's headings most of it counted in the process's memory (43 MB
 * of the report's 77 MB peak). Those are clean pages of a file: after each
 * use they are let go (madvise), and read again from the page cache if
 * a later title needs them. */
static void find_maps(phraser *p)
{
    const mecab_dictionary_info_t *di = mecab_dictionary_info(p->m);
    /* its folder as the maps name it (Debian's dic/debian is a link) */
    char *file = di && di->filename ? realpath(di->filename, NULL) : NULL;
    const char *slash = file ? strrchr(file, '/') : NULL;
    size_t dir = slash ? (size_t)(slash - file) + 1 : 0;
    FILE *f = dir ? fopen("/proc/self/maps", "r") : NULL;
    char line[1024];
    while (f && fgets(line, sizeof line, f) && p->nmaps < 8) {
        unsigned long lo, hi;
        char perms[8];
        int path = 0;
        if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %n", &lo, &hi, perms, &path) < 3 ||
            path == 0 || perms[0] != 'r' || perms[1] != '-')
            continue;
        if (strncmp(line + path, file, dir) == 0)
            p->maps[p->nmaps++] = (struct span){lo, hi};
    }
    if (f)
        fclose(f);
    free(file);
}

static void let_go(const phraser *p)
{
    for (int i = 0; i < p->nmaps; i++)
        madvise((void *)p->maps[i].lo, p->maps[i].hi - p->maps[i].lo, MADV_DONTNEED);
}

phraser *phrase_new(void)
{
    mecab_t *m = mecab_new2("");
    if (!m)
        return NULL;
    phraser *p = xcalloc(1, sizeof *p);
    p->m = m;
    find_maps(p);
    let_go(p);
    return p;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void phrase_identity(buf *out)
{
    buf_printf(out, "mecab %s\n", mecab_version());
    file_identity("/etc/mecabrc", out);
    const char *home = getenv("HOME");
    if (home) {
        char *rc = xasprintf("%s/.mecabrc", home);
        file_identity(rc, out);
        free(rc);
    }
    /* the files of each dictionary's folder (sys.dic, matrix.bin,
     * char.bin, unk.dic, dicrc) */
    mecab_t *m = mecab_new2("");
    for (const mecab_dictionary_info_t *di = m ? mecab_dictionary_info(m) : NULL;
         di; di = di->next) {
        buf_printf(out, "dictionary %u\n", di->version);
        char *folder = xstrdup(di->filename ? di->filename : ".");
        char *slash = strrchr(folder, '/');
        if (slash)
            *slash = '\0';
        DIR *dp = slash ? opendir(folder) : NULL;
        struct dirent *de;
        char **names = NULL;
        size_t n = 0, cap = 0;
        while (dp && (de = readdir(dp)) != NULL)
            if (de->d_name[0] != '.') {
                xgrow((void **)&names, &cap, n + 1, sizeof *names);
                names[n++] = xasprintf("%s/%s", folder, de->d_name);
            }
        if (dp)
            closedir(dp);
        if (n)
            qsort(names, n, sizeof *names, by_name);
        for (size_t i = 0; i < n; i++) {
            file_identity(names[i], out);
            free(names[i]);
        }
        free(names);
        free(folder);
    }
    if (m)
        mecab_destroy(m);
}

void phrase_free(phraser *p)
{
    if (!p)
        return;
    mecab_destroy(p->m);
    free(p);
}

/* The IPA dictionary's part of speech: "名詞,接尾,..." -> is it `pos`,
 * with `sub` as its first subdivision when given? */
static bool is(const mecab_node_t *n, const char *pos, const char *sub)
{
    size_t lp = strlen(pos);
    if (!n->feature || strncmp(n->feature, pos, lp) != 0 || n->feature[lp] != ',')
        return false;
    if (!sub)
        return true;
    size_t ls = strlen(sub);
    return strncmp(n->feature + lp + 1, sub, ls) == 0 &&
           n->feature[lp + 1 + ls] == ',';
}

/* A particle, auxiliary or suffix: a word that never starts a phrase */
static bool function_word(const mecab_node_t *n)
{
    return is(n, "助詞", NULL) || is(n, "助動詞", NULL) ||
           is(n, "名詞", "接尾") || is(n, "名詞", "非自立") ||
           is(n, "動詞", "接尾") || is(n, "動詞", "非自立") ||
           is(n, "形容詞", "非自立") || is(n, "形容詞", "接尾");
}

/* Does morpheme n lean on the one before it (no phrase starts at it)? */
static bool attaches(const mecab_node_t *prev, const mecab_node_t *n)
{
    if (!prev)
        return false;
    if (function_word(n))
        return true;
    if (is(n, "記号", NULL) && !is(n, "記号", "括弧開"))
        return true; /* closing brackets and punctuation */
    if (is(prev, "接頭詞", NULL) || is(prev, "記号", "括弧開"))
        return true;
    /* a compound of nouns (技術覇権, 中国AI) is one phrase */
    if (is(prev, "名詞", NULL) && is(n, "名詞", NULL))
        return true;
    return false;
}

/* What a break before morpheme n costs a title, given the one before
 * (demerits, jp_cell.penalty): between a case particle and the verb or
 * adjective it belongs to (世界人工知能大会が|示す中国AIの全貌 parts the
 * clause that qualifies 中国AIの全貌), or between a noun and the brackets
 * that gloss it (大会|（WAIC2025）), or after the ・ that joins a pair, dear;
 * after a ：, where a title parts into its two halves, wanted. */
enum { WEAK_BREAK = 30000, COLON_BREAK = -50000 };
static double break_cost(const mecab_node_t *prev, const mecab_node_t *n)
{
    if (prev && is(prev, "助詞", "格助詞") &&
        (is(n, "動詞", NULL) || is(n, "形容詞", NULL)))
        return WEAK_BREAK;
    if (prev && is(prev, "名詞", NULL) && is(n, "記号", "括弧開"))
        return WEAK_BREAK;
    if (prev && prev->length == 3 && memcmp(prev->surface, "\xef\xbc\x9a", 3) == 0)
        return COLON_BREAK; /* ： */
    /* a ・ joins a pair (知財高裁・|地裁) */
    if (prev && prev->length == 3 && memcmp(prev->surface, "\xe3\x83\xbb", 3) == 0)
        return WEAK_BREAK;
    return 0;
}

void phrase_mark(phraser *p, shaped *sh)
{
    if (!p || sh->len == 0)
        return;
    const mecab_node_t *n = mecab_sparse_tonode2(p->m, sh->text, sh->len);
    if (!n)
        return;
    /* byte offsets where a phrase starts */
    bool *starts = xcalloc(sh->len + 1, sizeof *starts);
    bool *leans = xcalloc(sh->len + 1, sizeof *leans); /* a function word */
    double *cost = xcalloc(sh->len + 1, sizeof *cost);
    const mecab_node_t *prev = NULL;
    for (; n; n = n->next) {
        if (n->stat == MECAB_BOS_NODE || n->stat == MECAB_EOS_NODE)
            continue;
        size_t at = (size_t)(n->surface - sh->text);
        if (at < sh->len)
            leans[at] = function_word(n);
        /* a space the writer typed between two nouns parts them
         * (知財高裁・地裁|特許判決ダイジェスト): MeCab skips it, and would
         * join them into one compound. The line ends before the space,
         * which goes to the next line's start, so the cost goes there. */
        bool spaced = prev && n->rlength > n->length && is(prev, "名詞", NULL) &&
                      is(n, "名詞", NULL);
        if (at < sh->len && (spaced || !attaches(prev, n))) {
            starts[at] = true;
            cost[at] = break_cost(prev, n);
            if (spaced) {
                size_t sp = at - (size_t)(n->rlength - n->length);
                starts[sp] = true;
                cost[sp] = cost[at];
            }
        }
        prev = n;
    }
    for (size_t i = 1; i < sh->ncells; i++) {
        size_t b = sh->cell_byte[i];
        jp_cell *c = &sh->cells[i];
        /* inside a phrase, Japanese holds to what stands beside it (中国AI|の
         * is one phrase); Latin words among themselves keep their own
         * break rules (their spaces) */
        /* (where Latin meets Japanese inside a phrase, Inc.|係争 or
         * 中国|AI, a break is allowed at half a weak break's cost: dearer
         * than at a phrase's end, cheaper than inside a Latin name) */
        uint32_t l = sh->cells[i - 1].last, r = c->first;
        bool seam = ((jp_is_wide(l) && r > ' ' && r < 0x7F) ||
                     (jp_is_wide(r) && l > ' ' && l < 0x7F)) &&
                    !leans[b]; /* never 2025|が示す */
        if (!starts[b] && !seam && (jp_is_wide(r) || jp_is_wide(l)))
            c->flags |= JP_GLUED;
        sh->cells[i - 1].penalty = !starts[b] && seam ? WEAK_BREAK / 2 : cost[b];
        /* a name or phrase in Latin letters holds together, more than a
         * Japanese clause does (対 Brightline Robotics,|Inc. 係争), and so
         * does a case number (令和5年(ネ)|第10041号) */
        const jp_cell *a = &sh->cells[i - 1];
        size_t k = i;
        while (k < sh->ncells && (sh->cells[k].flags & JP_SPACE))
            k++;
        bool latin = (c->flags & JP_SPACE) && k < sh->ncells && a->last > ' ' &&
                     a->last < 0x7F && sh->cells[k].first > ' ' &&
                     sh->cells[k].first < 0x7F;
        if (latin || (a->flags & c->flags & JP_CASE))
            sh->cells[i - 1].penalty = fmax(sh->cells[i - 1].penalty, WEAK_BREAK * 1.5);
    }
    free(cost);
    free(starts);
    free(leans);
    let_go(p);
}
