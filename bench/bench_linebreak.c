/* The line breaker's speed, alone (cells made without fonts) and with
 * shaping (Pango + HarfBuzz), over the bundled report's body text.
 * usage: bench_linebreak REPORT.md [ROUNDS] -- prints characters/second. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jp/linebreak.h"
#include "parse/md.h"
#include "text/shape.h"
#include "util/utf8.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Breaks one paragraph at a 400 pt measure, as the handout's body. */
static void break_para(jp_cell *cells, size_t n)
{
    jp_para p = {.cells = cells, .n = n, .measure = 400,
                 .kinsoku = KINSOKU_STRICT, .justify = true};
    jp_glue *g = jp_para_glue(&p);
    jp_line *lines;
    jp_break_lines(&p, g, &lines);
    free(lines);
    free(g);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_linebreak REPORT.md [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 2 ? atoi(argv[2]) : 20;
    diag dg;
    diag_init(&dg);
    doc *d = parse_file(argv[1], &dg, false);
    if (!d)
        return 1;
    /* every paragraph's text */
    size_t npara = 0, chars = 0;
    char **texts = NULL;
    for (const doc_node *n = d->root; n; n = doc_next(d->root, n))
        if (n->kind == DOC_PARA) {
            texts = realloc(texts, (npara + 1) * sizeof *texts);
            texts[npara] = doc_plain_text(n);
            chars += utf8_count(texts[npara], strlen(texts[npara]));
            npara++;
        }
    style st;
    style_default(&st);
    /* alone: cells 1 em wide (1/2 for ASCII and half-width punctuation) */
    double t0 = now();
    for (int r = 0; r < rounds; r++)
        for (size_t i = 0; i < npara; i++) {
            size_t len = strlen(texts[i]);
            jp_cell *c = malloc((len + 1) * sizeof *c);
            size_t n = 0;
            for (size_t b = 0; b < len;) {
                uint32_t cp;
                int k = utf8_decode(texts[i] + b, len - b, &cp);
                b += k > 0 ? (size_t)k : 1;
                jp_class cls = jp_class_of(cp);
                c[n++] = (jp_cell){
                    .cls = cls, .cls_last = cls, .first = cp, .last = cp,
                    .advance = jp_is_wide(cp) && !jp_half_body(cls) ? 10 : 5,
                    .em = 10, .flags = cp == ' ' ? JP_SPACE : 0};
            }
            break_para(c, n);
            free(c);
        }
    double alone = now() - t0;
    /* with shaping */
    fonts *f = fonts_new(NULL, &dg);
    t0 = now();
    for (int r = 0; r < rounds; r++)
        for (size_t i = 0; i < npara; i++) {
            size_t len = strlen(texts[i]);
            shape_span sp = {
                .end = len, .family = st.body_font, .size = 10, .link = -1};
            shaped *sh = shape_text(f, texts[i], len, &sp, 1, "", (shape_opts){0});
            break_para(sh->cells, sh->ncells);
            shaped_free(sh);
        }
    double shaped_t = now() - t0;
    printf("paragraphs %zu, characters %zu, rounds %d\n", npara, chars, rounds);
    printf("breaking alone:       %10.0f characters/s\n", chars * rounds / alone);
    printf("shaping and breaking: %10.0f characters/s\n", chars * rounds / shaped_t);
    for (size_t i = 0; i < npara; i++)
        free(texts[i]);
    free(texts);
    fonts_free(f);
    doc_free(d);
    style_free(&st);
    diag_free(&dg);
    return 0;
}
