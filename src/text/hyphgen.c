/* A build tool, not part of kumihan: loads a libhyphen pattern file (as
 * hnj_hyphen_load does, 17 ms for English's 11,000 patterns) and writes
 * the dictionary it makes as C: static HyphenDict, HyphenState and
 * HyphenTrans tables, so that kumihan has English's patterns compiled in
 * (text/hyphen.c, hyph_builtin) and parses nothing at run time.
 *
 *     hyphgen PATTERNS.dic OUT.c     (no file: a table that says so) */
#include <ctype.h>
#include <hyphen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* n bytes as a writable C array, as libhyphen's own (NULL: NULL) */
static void c_bytes(FILE *out, const char *s, size_t n)
{
    if (!s) {
        fputs("NULL", out);
        return;
    }
    fputs("(char[]){\"", out);
    for (const unsigned char *p = (const unsigned char *)s; p < (const unsigned char *)s + n; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f)
            fprintf(out, "\\%03o", *p);
        else
            fputc(*p, out);
    }
    fputs("\"}", out);
}

static void c_string(FILE *out, const char *s)
{
    c_bytes(out, s, s ? strlen(s) : 0);
}

/* NOHYPHEN's list: nohyphenl + 1 strings one after another */
static void c_list(FILE *out, const char *s, int n)
{
    size_t len = 0;
    for (int k = 0; s && k <= n; k++)
        len += strlen(s + len) + 1;
    c_bytes(out, s, len ? len - 1 : 0); /* the literal ends with the last NUL */
}

/* One level of the dictionary (and the ones after it), as km_hy_dictN */
static int emit(FILE *out, const HyphenDict *d, int level)
{
    int next = -1;
    if (d->nextlevel)
        next = emit(out, d->nextlevel, level + 1);
    for (int i = 0; i < d->num_states; i++) {
        const HyphenState *s = &d->states[i];
        if (s->num_trans == 0)
            continue;
        fprintf(out, "static HyphenTrans km_hy_t%d_%d[] = {", level, i);
        for (int k = 0; k < s->num_trans; k++)
            fprintf(out, "{(char)0x%02x,%d},", (unsigned char)s->trans[k].ch,
                    s->trans[k].new_state);
        fputs("};\n", out);
    }
    fprintf(out, "static HyphenState km_hy_s%d[] = {\n", level);
    for (int i = 0; i < d->num_states; i++) {
        const HyphenState *s = &d->states[i];
        fputs("{", out);
        c_string(out, s->match);
        fputs(",", out);
        c_string(out, s->repl);
        /* (replindex and replcut mean nothing without repl, and libhyphen
         * leaves them unset then) */
        fprintf(out, ",%d,%d,%d,%d,", s->repl ? s->replindex : 0,
                s->repl ? s->replcut : 0, s->fallback_state, s->num_trans);
        if (s->num_trans)
            fprintf(out, "km_hy_t%d_%d},\n", level, i);
        else
            fputs("NULL},\n", out);
    }
    fputs("};\n", out);
    fprintf(out, "static HyphenDict km_hy_dict%d = {.lhmin = %d, .rhmin = %d, "
            ".clhmin = %d, .crhmin = %d, .nohyphen = ", level, d->lhmin,
            d->rhmin, d->clhmin, d->crhmin);
    c_list(out, d->nohyphen, d->nohyphenl);
    fprintf(out, ", .nohyphenl = %d, .num_states = %d, .cset = \"", d->nohyphenl,
            d->num_states);
    for (const unsigned char *p = (const unsigned char *)d->cset; *p; p++)
        fprintf(out, isalnum(*p) || *p == '-' ? "%c" : "\\%03o", *p);
    fprintf(out, "\", .utf8 = %d, .states = km_hy_s%d, .nextlevel = ", d->utf8,
            level);
    if (next >= 0)
        fprintf(out, "&km_hy_dict%d};\n", next);
    else
        fputs("NULL};\n", out);
    return level;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: hyphgen PATTERNS.dic OUT.c\n");
        return 2;
    }
    HyphenDict *d = hnj_hyphen_load(argv[1]);
    FILE *out = fopen(argv[2], "w");
    if (!out) {
        perror(argv[2]);
        return 2;
    }
    fprintf(out, "/* made by hyphgen from %s: do not edit */\n"
                 "#include <hyphen.h>\n#include <stddef.h>\n\n", argv[1]);
    if (d) {
        emit(out, d, 0);
        fprintf(out, "HyphenDict *const km_hyph_en_US = &km_hy_dict0;\n");
        hnj_hyphen_free(d);
    } else {
        fprintf(out, "HyphenDict *const km_hyph_en_US = NULL;\n");
    }
    return fclose(out) == 0 ? 0 : 2;
}
