/* libFuzzer: random code points and widths through the line breaker and
 * justification. The lines must cover every cell once, in order; no line
 * may start with a cell the rules forbid unless it had to (emergency). */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "jp/kinsoku.h"
#include "jp/linebreak.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* code points that matter: kana, kanji, every punctuation class, Latin */
static const uint32_t pool[] = {
    0x3042, 0x30A2, 0x6F22, 0x3001, 0x3002, 0x300C, 0x300D, 0xFF08, 0xFF09,
    0x30FB, 0x30FC, 0x3063, 0x3005, 0x2026, 0x2015, 0xFF01, 0xFF1F, 'a', 'Z',
    '1', '9', ',', '.', '(', ')', ' ', '%', 0xA5, 0x2103, 0x301C, '/', '-',
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    double measure = 20 + data[0] * 2;
    size_t n = (size - 1) / 2;
    jp_cell *c = calloc(n + 1, sizeof *c);
    for (size_t i = 0; i < n; i++) {
        uint8_t a = data[1 + 2 * i], b = data[2 + 2 * i];
        uint32_t cp = pool[a % (sizeof pool / sizeof *pool)];
        jp_class k = jp_class_of(cp);
        unsigned flags = (b & 0x80 ? JP_NOTEREF : 0) | (b & 0x40 ? JP_URL : 0) |
                         (b & 0x20 && b & 0x10 ? JP_FORCED : 0) |
                         (cp == ' ' ? JP_SPACE : 0);
        c[i] = (jp_cell){flags & JP_NOTEREF ? JP_CL_20 : k, k, cp, cp,
                         cp == ' ' ? 0 : 1 + (b & 0x0F), 10, flags};
    }
    jp_para p = {.cells = c, .n = n, .measure = measure,
                 .kinsoku = (kinsoku_level)(data[0] % 4),
                 .hanging = (data[0] & 0x80) != 0, .justify = true,
                 .solid_jw = (data[0] & 0x40) != 0};
    jp_glue *g = jp_para_glue(&p);
    jp_line *lines;
    size_t count = jp_break_lines(&p, g, &lines);
    size_t at = 0;
    double *x = malloc((n + 1) * sizeof *x);
    for (size_t l = 0; l < count; l++) {
        if (lines[l].start != at || lines[l].end <= lines[l].start)
            abort();
        at = lines[l].end;
        double w = jp_justify(&p, g, &lines[l], measure, x);
        if (!isfinite(w))
            abort();
        if (l > 0 && !lines[l - 1].emergency && !(c[lines[l].start].flags & JP_SPACE) &&
            !(c[lines[l].start - 1].flags & JP_FORCED) &&
            !jp_line_start_ok(&c[lines[l].start], p.kinsoku))
            abort();
    }
    if (n > 0 && at != n)
        abort();
    /* the same paragraph a line shorter and longer (the page builder's
     * looseness): exactly that many lines covering it, or none */
    for (int delta = -1; delta <= 1 && count > 1; delta += 2) {
        jp_line *alt = NULL;
        double dem = 0;
        size_t want = count + (size_t)(long)delta;
        size_t got = jp_break_lines_n(&p, g, want, &alt, &dem);
        if (got != 0 && (got != want || !isfinite(dem)))
            abort();
        at = 0;
        for (size_t l = 0; l < got; l++) {
            if (alt[l].start != at || alt[l].end <= alt[l].start)
                abort();
            at = alt[l].end;
        }
        if (got && at != n)
            abort();
        free(alt);
    }
    free(x);
    free(lines);
    free(g);
    free(c);
    return 0;
}
