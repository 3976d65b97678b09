#include "jp/linebreak.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "jp/kinsoku.h"
#include "util/xalloc.h"

/* A half-width bracket around Japanese text ("(ネ)" in 令和5年(ネ)第10023号,
 * "(訳注)") is a Japanese bracket for spacing: no Japanese-Western space
 * inside it or outside it. Such a cell is spaced as an ideograph; kinsoku
 * still reads its character. */
static const jp_cell *bracket_as_japanese(const jp_para *p, size_t i,
                                          jp_cell *copy)
{
    const jp_cell *c = &p->cells[i];
    uint32_t ch = c->first;
    if (ch >= 0x80 || ch == 0 || c->first != c->last || (c->flags & JP_CODE))
        return c;
    bool open = ch == '(' || ch == '[', close = ch == ')' || ch == ']';
    const jp_cell *in = open && i + 1 < p->n ? &p->cells[i + 1]
                        : close && i > 0   ? &p->cells[i - 1] : NULL;
    if (!in || !jp_is_japanese(open ? in->cls : in->cls_last))
        return c;
    *copy = *c;
    copy->cls = copy->cls_last = JP_CL_19;
    copy->first = copy->last = 0x3007; /* 〇: wide, for spacing only */
    return copy;
}

jp_glue *jp_para_glue(const jp_para *p)
{
    jp_glue *g = xcalloc(p->n + 1, sizeof *g);
    for (size_t i = 1; i < p->n; i++) {
        jp_cell ca, cb;
        const jp_cell *a = bracket_as_japanese(p, i - 1, &ca),
                      *b = bracket_as_japanese(p, i, &cb);
        if (jp_is_sign_before(a, b)) {
            /* a sign is set solid with its numeral... */
            g[i].width = a->kern;
            continue;
        }
        jp_cell as_numeral;
        if (i + 1 < p->n && jp_is_sign_before(b, &p->cells[i + 1])) {
            /* ...and spaced before as the numeral is */
            as_numeral = p->cells[i + 1];
            b = &as_numeral;
        }
        jp_glue_between(a, b, &g[i]);
        if (p->solid_jw && g[i].jw) { /* set solid, stretched if need be */
            g[i].width = 0;
            g[i].shrink[JP_SHRINK_JW] = 0;
        }
        g[i].width += a->kern;
    }
    return g;
}

/* Running sums over the paragraph, so any line's totals cost O(1). */
typedef struct sums {
    double *adv;                          /* cells */
    double *width;                        /* glue */
    double *shrink[JP_SHRINK_LEVELS];     /* per priority */
    double *stretch[JP_STRETCH_LEVELS];   /* per priority (FILL: weights) */
    double *reach;                        /* glue width + non-fill stretch */
} sums;

static void make_sums(const jp_para *p, const jp_glue *g, sums *s)
{
    size_t n = p->n + 1;
    s->adv = xcalloc(n, sizeof(double));
    s->width = xcalloc(n, sizeof(double));
    for (int k = 0; k < JP_SHRINK_LEVELS; k++)
        s->shrink[k] = xcalloc(n, sizeof(double));
    for (int k = 0; k < JP_STRETCH_LEVELS; k++)
        s->stretch[k] = xcalloc(n, sizeof(double));
    s->reach = xcalloc(n, sizeof(double));
    for (size_t i = 0; i < p->n; i++) {
        const jp_glue *gl = &g[i];
        bool in = i > 0; /* g[0] is unused */
        s->adv[i + 1] = s->adv[i] + p->cells[i].advance;
        s->width[i + 1] = s->width[i] + (in ? gl->width : 0);
        for (int k = 0; k < JP_SHRINK_LEVELS; k++)
            s->shrink[k][i + 1] = s->shrink[k][i] + (in ? gl->shrink[k] : 0);
        double r = in ? gl->width : 0;
        for (int k = 0; k < JP_STRETCH_LEVELS; k++) {
            s->stretch[k][i + 1] = s->stretch[k][i] + (in ? gl->stretch[k] : 0);
            if (k < JP_STRETCH_FILL && in)
                r += gl->stretch[k];
        }
        s->reach[i + 1] = s->reach[i] + r;
    }
}

static void free_sums(sums *s)
{
    free(s->adv);
    free(s->width);
    for (int k = 0; k < JP_SHRINK_LEVELS; k++)
        free(s->shrink[k]);
    for (int k = 0; k < JP_STRETCH_LEVELS; k++)
        free(s->stretch[k]);
    free(s->reach);
}

/* Totals of the line [i, j): glue strictly inside it (boundaries i+1..j-1) */
typedef struct tot {
    double natural;
    double shrink[JP_SHRINK_LEVELS];
    double stretch[JP_STRETCH_LEVELS];
    double max_shrink;
} tot;

static tot totals(const sums *s, size_t i, size_t j)
{
    tot t;
    t.natural = s->adv[j] - s->adv[i] + s->width[j] - s->width[i + 1];
    t.max_shrink = 0;
    for (int k = 0; k < JP_SHRINK_LEVELS; k++) {
        t.shrink[k] = s->shrink[k][j] - s->shrink[k][i + 1];
        t.max_shrink += t.shrink[k];
    }
    for (int k = 0; k < JP_STRETCH_LEVELS; k++)
        t.stretch[k] = s->stretch[k][j] - s->stretch[k][i + 1];
    return t;
}

/* How much each priority level costs when used to the full. Shrinking
 * (oikomi) is preferred to stretching (oidashi); spacing out kana and kanji
 * costs far more than widening word or Japanese-Western spaces, so the
 * total fit looks for other breaks before it letter-spaces a line. */
static const double shrink_cost[JP_SHRINK_LEVELS] = {1, 3, 3, 4};
static const double stretch_cost[JP_STRETCH_FILL] = {1, 4, 40};

/* Spends `*left` over priority levels in order, each up to its capacity;
 * returns the cost: per level, cost[k] * (share of the level used)^2. */
static double spend(const double *cap, const double *cost, int levels,
                    double *left)
{
    double b = 0;
    for (int k = 0; k < levels && *left > 1e-9; k++) {
        if (cap[k] <= 0)
            continue;
        double use = *left < cap[k] ? *left : cap[k];
        double r = use / cap[k];
        b += 100 * cost[k] * r * r;
        *left -= use;
    }
    return b;
}

/* Badness of setting a line whose natural width is t.natural + aki in
 * `measure`. Returns -1 if the line cannot be set (overfull). A line that
 * ends at an emergency break (`cells` > 0: it has that many) may be
 * letter-spaced, as jp_justify sets it. */
static double badness(tot t, double aki, double measure, bool last,
                      double em, size_t cells)
{
    double need = measure - (t.natural + aki);
    if (need < -1e-6) {
        if (-need > t.max_shrink + 1e-6)
            return -1;
        double left = -need;
        return spend(t.shrink, shrink_cost, JP_SHRINK_LEVELS, &left);
    }
    if (last || need < 1e-6)
        return 0;
    double left = need;
    double b = spend(t.stretch, stretch_cost, JP_STRETCH_FILL, &left);
    if (left <= 1e-9)
        return b;
    if (t.stretch[JP_STRETCH_FILL] > 0) {
        double per = left / t.stretch[JP_STRETCH_FILL] / em; /* em a gap */
        return b + 5000 + 50000 * per * per;
    }
    if (cells > 1) { /* letter-spacing: past 0.02 em it shows, and soon
                        costs more than another emergency break would */
        double per = left / (double)(cells - 1) / em / 0.02;
        return b + 5000 + 5000 * per * per;
    }
    /* nothing can stretch (a URL, a piece of a long word): the line
     * stays short rather than break a rule, but only when no breaking
     * can justify, however widely it must space: a justified line is the
     * rule (JLREQ 3.8), a short one a fault */
    return b + 1e9 + left;
}

static bool can_hang(const jp_cell *c)
{
    return c->cls_last == JP_CL_06 || c->cls_last == JP_CL_07;
}

typedef struct node {
    double demerits;
    size_t prev;        /* where the line ending here starts */
    int prev_run;       /* the state it comes from there */
    double end_aki;
    bool hang;
} node;

/* Hyphenation is the last resort of a justified line, as in TeX: each
 * hyphen costs as a line of badness 40 would (TeX's \hyphenpenalty 50),
 * two in a row more (\doublehyphendemerits). A third in a row, and a
 * hyphen on a paragraph's second-to-last line, are not allowed. So the
 * breaker keeps, for every break, the best way to reach it with 0, 1 or 2
 * hyphenated lines in a row just before it: RUNS states. */
enum { HYPHEN_DEMERITS = 2500, DOUBLE_HYPHEN_DEMERITS = 10000, RUNS = 3 };

#define BEST(j, r) best[(j) * RUNS + (size_t)(r)]

static bool reached(const node *best, size_t i)
{
    for (int r = 0; r < RUNS; r++)
        if (BEST(i, r).demerits < DBL_MAX)
            return true;
    return false;
}

/* Offers the line [i, j) with demerits `d` (its own, without hyphens) from
 * every state at i it may follow. */
static void offer(node *best, size_t i, size_t j, double d, bool hyph,
                  bool para_end, double end_aki, bool hang)
{
    for (int r = 0; r < RUNS; r++) {
        const node *from = &BEST(i, r);
        if (from->demerits == DBL_MAX)
            continue;
        if ((hyph && r + 1 >= RUNS) || (para_end && r > 0))
            continue;
        double dd = from->demerits + d;
        if (hyph)
            dd += HYPHEN_DEMERITS + (r > 0 ? DOUBLE_HYPHEN_DEMERITS : 0);
        node *to = &BEST(j, hyph ? r + 1 : 0);
        if (dd < to->demerits)
            *to = (node){dd, i, r, end_aki, hang};
    }
}

/* A last line starting at or after the index this returns holds one
 * character, the rest its closing punctuation, note marks and spaces. */
enum { LONE_DEMERITS = 5000000 };
static size_t lone_tail(const jp_para *p, size_t n)
{
    size_t i = n, content = 0;
    while (i > 0) {
        const jp_cell *c = &p->cells[i - 1];
        bool mark = (c->flags & (JP_NOTEREF | JP_SPACE)) || c->cls == JP_CL_02 ||
                    c->cls == JP_CL_06 || c->cls == JP_CL_07;
        if (!mark && ++content > 1)
            break;
        i--;
    }
    return content > 1 ? i : 0;
}

/* A number parted from its counter or its 第 (「7|月」, 「3|億円」,
 * 「31|か月」, 「第|3項」): JIS X 4051 allows it, a typesetter avoids it.
 * It costs more than any line within JLREQ's spacing limits (3,025 at
 * most), less than a line letter-spaced past them (25 million): a looser
 * or tighter line, or another breaking of the paragraph, is taken instead
 * where one keeps to the limits. */
enum { NUMBER_DEMERITS = 10000 };

static bool digit_cp(uint32_t x)
{
    return (x >= '0' && x <= '9') || (x >= 0xFF10 && x <= 0xFF19);
}

static bool counter_cp(uint32_t x)
{
    return (x >= 0x4E00 && x <= 0x9FFF) || (x >= 0x3400 && x <= 0x4DBF) ||
           x == 0x3005 || x == 0x304B || x == 0x3064 || x == 0x30AB ||
           x == 0x30B1 || x == 0x30F5 || x == 0x30F6; /* 々 か つ カ ケ ヵ ヶ */
}

bool jp_number_split(const jp_cell *a, const jp_cell *b)
{
    return (digit_cp(a->last) && counter_cp(b->first)) ||
           (a->last == 0x7B2C && digit_cp(b->first)); /* 第 */
}

/* Tries every line [i, j) for i from j-1 back to lo, keeping the best in
 * best[j]. With `all` false it leaves out the lines of justified text too
 * short to reach the measure without fill stretch (spacing beyond every
 * JLREQ limit), an emergency line letter-spaced past 0.05 em too: they
 * are most of the candidates, and a breaking that needs one is only
 * looked for when no other exists (see run). */
static void try_lines(const jp_para *p, const sums *s, node *best, size_t j,
                      size_t lo, bool last, bool all, bool emergency,
                      double penalty)
{
    const jp_cell *a = &p->cells[j - 1];
    double em = a->em > 0 ? a->em : 10;
    bool just_last = last || !p->justify;
    double akis[3] = {0, jp_end_aki(a), 0};
    int nopt = akis[1] > 0 && !just_last ? 2 : 1;
    bool hangs = p->hanging && can_hang(a);
    double hang_room = hangs ? a->advance : 0;
    bool hyph = !last && a->hyphen > 0; /* ends with an added hyphen */
    bool para_end = last && j == p->n;
    /* a paragraph's last line of one character and its punctuation or
     * note mark (「た。2,4)」) is pulled up or given company (追い込み) */
    size_t lone = para_end ? lone_tail(p, j) : 0;
    double split = j < p->n && jp_number_split(a, &p->cells[j]) ? NUMBER_DEMERITS : 0;
    for (size_t i = j; i-- > lo;) {
        if (!reached(best, i))
            continue;
        double measure = i == 0 && p->first_measure > 0 ? p->first_measure
                                                         : p->measure;
        /* (a line at an emergency break may also be letter-spaced, up to
         * 0.05 em a gap within the limits) */
        double spacing = emergency ? 0.05 * em * (double)(j - i - 1) : 0;
        if (!all && !just_last &&
            s->adv[j] - s->adv[i] + s->reach[j] - s->reach[i + 1] + akis[1] +
                    (hyph ? a->hyphen : 0) + spacing + 1e-5 < measure)
            continue;
        tot t = totals(s, i, j);
        if (hyph)
            t.natural += a->hyphen;
        if (t.natural - t.max_shrink - hang_room > measure + 1e-6)
            break; /* overfull, and longer lines only more so */
        /* (a wanted break is weighed when a title is balanced: here it
         * would only buy lines) */
        double extra = (i > 0 && i >= lone ? LONE_DEMERITS : 0) +
                       (j < p->n && a->penalty > 0 ? a->penalty : 0) + split;
        for (int o = 0; o < nopt + hangs; o++) {
            bool hang = o == nopt;
            tot th = t;
            if (hang)
                th.natural -= a->advance;
            double b = badness(th, hang ? 0 : akis[o], measure, just_last, em,
                               emergency ? j - i : 0);
            if (b < 0)
                continue;
            double d = (10 + b) * (10 + b) + (hang ? 50 : 0) + penalty + extra;
            offer(best, i, j, d, hyph, para_end, hang ? 0 : akis[o], hang);
        }
    }
}

/* Where a line may end: BREAK_RULE where the rules allow it (or must:
 * a forced break, the paragraph's end); BREAK_EMERGENCY between any two
 * characters of a URL (not before a '/', not after a '.' or '-' that
 * would read as the sentence's; between two digits, BREAK_DIGITS, at
 * thrice the cost: a long id is parted only to spare a spaced-out line)
 * when its own breaks give no good line, and inside a stretch no rule lets
 * break that is wider than the line (a long word, a run of closing
 * brackets), at every cell boundary in it, as CSS's overflow-wrap:
 * anywhere does (preferring places where neither the line's end nor the
 * next one's start is prohibited). So the total fit sets the rest of the
 * paragraph as well as ever: such a line is letter-spaced to the measure,
 * and each such break costs about what a line spaced to JLREQ's limits
 * does, so that a stretch is broken once more rather than the lines before
 * it spaced out to make it start a line. */
enum { BREAK_NONE, BREAK_RULE, BREAK_EMERGENCY, BREAK_DIGITS };
#define EMERGENCY_DEMERITS 1e7

/* Whether a cell ends (first: begins) with an ASCII digit. */
static bool is_digit_cell(const jp_cell *c, bool first)
{
    uint32_t x = first ? c->first : c->last;
    return x >= '0' && x <= '9';
}

bool jp_soft_point(const jp_cell *a, const jp_cell *b)
{
    uint32_t x = a->last;
    if (a->flags & b->flags & JP_CASE) /* never 平成|30年 */
        return (x == ')' || x == 0xFF09) &&
               ((b->flags & JP_SPACE) || (jp_is_wide(b->first) && b->first != 0x3000));
    return (b->flags & JP_SPACE) || x == '-' || x == '/' || x == ',' ||
           x == 0x2010 || x == 0x2212 || x == 0xFF0D || x == 0xFF0F ||
           x == 0xFF0C || (jp_is_wide(x) && !jp_is_wide(b->first));
}

static unsigned char *break_kinds(const jp_para *p, const sums *s)
{
    size_t n = p->n;
    unsigned char *k = xcalloc(n + 1, 1);
    double measure = p->measure;
    if (p->first_measure > 0 && p->first_measure < measure)
        measure = p->first_measure;
    size_t from = 0; /* the last place a rule lets a line end */
    for (size_t j = 1; j <= n; j++) {
        const jp_cell *a = &p->cells[j - 1], *b = &p->cells[j];
        if (j < n && !(a->flags & JP_FORCED) &&
            !jp_can_break_at(p->cells, n, j, p->kinsoku)) {
            if ((a->flags & b->flags & JP_SOFT) && jp_soft_point(a, b) &&
                jp_line_end_ok(a) && jp_line_start_ok(b, p->kinsoku)) {
                /* between its groups of digits (7,123,|456, EP 1 234|567)
                 * only where its prefix (特許第|7,123,456号) will not do */
                bool digits = (a->last == ',' || a->last == 0xFF0C ||
                               (b->flags & JP_SPACE)) &&
                              j >= 2 && is_digit_cell(&p->cells[j - 2], false) &&
                              (is_digit_cell(b, true) ||
                               (j + 1 < n && is_digit_cell(&p->cells[j + 1], true)));
                k[j] = digits ? BREAK_DIGITS : BREAK_EMERGENCY;
                continue;
            }
            if ((a->flags & b->flags & JP_URL) && b->first != '/' &&
                a->last != '.' && a->last != '-' &&
                jp_line_end_ok(a) && jp_line_start_ok(b, p->kinsoku))
                k[j] = a->last <= '9' && a->last >= '0' && b->first <= '9' &&
                               b->first >= '0'
                           ? BREAK_DIGITS : BREAK_EMERGENCY;
            continue;
        }
        k[j] = BREAK_RULE;
        if (s->adv[j] - s->adv[from] > measure) {
            /* where neither the line's end nor the next one's start is
             * prohibited, when the stretch has such a place */
            size_t marked = 0;
            for (size_t i = from + 1; i < j; i++)
                if (jp_line_end_ok(&p->cells[i - 1]) &&
                    jp_line_start_ok(&p->cells[i], p->kinsoku)) {
                    /* never inside a number while the stretch has
                     * another place (a word parted, not 1844|3) */
                    if (is_digit_cell(&p->cells[i - 1], false) &&
                        is_digit_cell(&p->cells[i], true))
                        continue;
                    k[i] = BREAK_EMERGENCY;
                    marked++;
                }
            for (size_t i = from + 1; i < j && marked == 0; i++)
                k[i] = BREAK_EMERGENCY;
        }
        from = j;
    }
    return k;
}

/* Total fit: the breaking with the fewest demerits, over the lines that
 * can be set within the limits when there is such a breaking, else over
 * all lines. The first pass is Knuth and Plass's "feasible breaks" pass;
 * it also makes the breaker several times faster, since in Japanese text
 * almost every cell is a break opportunity. */
/* `line_penalty` is added to every line's demerits (negative: more lines
 * are cheaper), for a breaking of a given length; `passes` 1 looks only at
 * lines within the limits. The breaking's demerits go to *total. */
static size_t run(const jp_para *p, const sums *s, jp_line **out,
                  double line_penalty, int passes, double *total)
{
    size_t n = p->n;
    unsigned char *kind = break_kinds(p, s);
    node *best = xmalloc((n + 1) * RUNS * sizeof *best);
    for (int pass = 0; pass < passes; pass++) {
        for (size_t j = 0; j < (n + 1) * RUNS; j++)
            best[j] = (node){DBL_MAX, 0, 0, 0, false};
        BEST(0, 0).demerits = 0;
        size_t floor_i = 0; /* a forced break: no line reaches back past it */
        for (size_t j = 1; j <= n; j++) {
            const jp_cell *a = &p->cells[j - 1];
            bool forced = j < n && (a->flags & JP_FORCED);
            bool last = j == n || forced;
            if (kind[j] == BREAK_NONE)
                continue;
            size_t lo = j > JP_MAX_LINE_CELLS ? j - JP_MAX_LINE_CELLS : 0;
            if (lo < floor_i)
                lo = floor_i;
            try_lines(p, s, best, j, lo, last, pass == 1,
                      kind[j] >= BREAK_EMERGENCY,
                      line_penalty +
                          (kind[j] == BREAK_EMERGENCY ? EMERGENCY_DEMERITS
                           : kind[j] == BREAK_DIGITS ? 3 * EMERGENCY_DEMERITS
                                                     : 0));
            if (forced)
                floor_i = j;
        }
        if (BEST(n, 0).demerits < DBL_MAX)
            break;
    }
    size_t count = 0;
    if (total)
        *total = BEST(n, 0).demerits;
    if (BEST(n, 0).demerits < DBL_MAX) {
        size_t j = n;
        for (int r = 0; j > 0;) {
            const node *nd = &BEST(j, r);
            j = nd->prev;
            r = nd->prev_run;
            count++;
        }
        jp_line *lines = xmalloc(count * sizeof *lines);
        size_t k = count;
        j = n;
        for (int r = 0; j > 0;) {
            const node *nd = &BEST(j, r);
            bool forced = j < n && (p->cells[j - 1].flags & JP_FORCED);
            lines[--k] = (jp_line){nd->prev, j, nd->end_aki, nd->hang,
                                   j == n || forced,
                                   kind[j] >= BREAK_EMERGENCY, r > 0};
            j = nd->prev;
            r = nd->prev_run;
        }
        *out = lines;
    }
    free(best);
    free(kind);
    return count;
}

/* The fallback when no breaking obeys the rules (a word longer than the
 * line, a run of characters that may not be parted): first fit, taking the
 * last allowed break that fits, else the last place where neither the line
 * end nor the next line's start is prohibited, else the last cell that
 * fits. Each cell is looked at about once: O(n) time. */
static size_t greedy(const jp_para *p, const sums *s, jp_line **out)
{
    size_t n = p->n, count = 0, cap = 0, i = 0;
    jp_line *lines = NULL;
    while (i < n) {
        double measure = i == 0 && p->first_measure > 0 ? p->first_measure
                                                         : p->measure;
        size_t ok = 0, soft = 0, fit = i + 1;
        bool forced = false;
        for (size_t j = i + 1; j <= n; j++) {
            tot t = totals(s, i, j);
            if (t.natural - t.max_shrink > measure + 1e-6 && j > i + 1)
                break;
            fit = j;
            if (j == n)
                ok = j;
            else if (p->cells[j - 1].flags & JP_FORCED) {
                ok = j;
                forced = true;
                break;
            } else if (jp_can_break_at(p->cells, n, j, p->kinsoku)) {
                /* a hyphenation point: with its hyphen */
                if (t.natural + p->cells[j - 1].hyphen - t.max_shrink <=
                    measure + 1e-6)
                    ok = j;
            }
            else if (jp_line_end_ok(&p->cells[j - 1]) &&
                     jp_line_start_ok(&p->cells[j], p->kinsoku))
                soft = j;
        }
        size_t end = ok ? ok : soft ? soft : fit;
        bool last = end == n || (forced && end == ok);
        xgrow((void **)&lines, &cap, count + 1, sizeof *lines);
        lines[count++] = (jp_line){i, end, 0, false, last, ok == 0,
                                   !last && end == ok &&
                                       p->cells[end - 1].hyphen > 0};
        i = end;
    }
    *out = lines;
    return count;
}

size_t jp_break_lines(const jp_para *p, const jp_glue *glue, jp_line **lines)
{
    *lines = NULL;
    if (p->n == 0)
        return 0;
    sums s;
    make_sums(p, glue, &s);
    size_t count = run(p, &s, lines, 0, 2, NULL);
    if (count == 0)
        count = greedy(p, &s, lines);
    free_sums(&s);
    return count;
}

size_t jp_break_lines_n(const jp_para *p, const jp_glue *glue, size_t want,
                        jp_line **lines, double *demerits)
{
    *lines = NULL;
    if (p->n == 0 || want == 0)
        return 0;
    sums s;
    make_sums(p, glue, &s);
    /* Lagrange: the cheapest breaking when every line costs c more is the
     * lowest of the lines D + c·count, one per breaking, over c. At c = 0
     * it is the paragraph's own breaking; at c = ±1e9, the dearest cost a
     * line is worth, the fewest lines (or the most) that a breaking buys at
     * that price: a count that needs a dearer line (a URL or a number
     * parted, a line spaced past every limit) is not taken. Between two
     * breakings found on either side of `want`, the cost where they weigh
     * the same gives a breaking between them, or one of the two again,
     * which shows that none with `want` lines is ever the cheapest. A few
     * breakings, where a bisection of the cost took 30. */
    const double far = 1e9;
    double mid = 0, total, d_lo = 0, d_hi = 0;
    size_t c_lo = 0, c_hi = 0, got = 0;
    for (int round = 0; round < 64; round++) {
        jp_line *l = NULL;
        got = run(p, &s, &l, mid, 1, &total);
        double own = total - mid * (double)got; /* without the added cost */
        if (got == want) {
            /* a breaking that leaves the last line one character and
             * its punctuation (「る。」) is not offered: it would trade a
             * widow for a line worse than one */
            size_t lone = lone_tail(p, p->n), last = l[got - 1].start;
            if (lone && last >= lone &&
                !(last > 0 && (p->cells[last - 1].flags & JP_FORCED))) {
                free(l);
                got = 0;
                break;
            }
            *lines = l;
            *demerits = own;
            break;
        }
        free(l);
        if (got == 0)
            break; /* no breaking within the limits at all */
        if (got == c_lo || got == c_hi)
            break; /* nothing new at the crossing: none with `want` */
        if (got > want) {
            if (mid >= far)
                break; /* `want` is fewer lines than that price buys */
            c_lo = got;
            d_lo = own;
        } else {
            if (mid <= -far)
                break; /* or more */
            c_hi = got;
            d_hi = own;
        }
        if (c_lo && c_hi)
            mid = (d_hi - d_lo) / (double)(c_lo - c_hi);
        else
            mid = got > want ? far : -far;
    }
    free_sums(&s);
    return got == want ? want : 0;
}

/* Spreads `amount` over the glue of one priority level in proportion to
 * what each gap allows there; returns what was used. */
static double spread(const jp_glue *g, size_t i0, size_t i1, int level,
                     bool shrink, double amount, double *delta)
{
    double total = 0;
    for (size_t i = i0; i < i1; i++)
        total += shrink ? g[i].shrink[level] : g[i].stretch[level];
    if (total <= 0 || amount <= 0)
        return 0;
    double use = amount < total ? amount : total;
    if (!shrink && level == JP_STRETCH_FILL)
        use = amount; /* fill takes whatever is left */
    for (size_t i = i0; i < i1; i++) {
        double part = shrink ? g[i].shrink[level] : g[i].stretch[level];
        delta[i - i0] += (shrink ? -1 : 1) * use * part / total;
    }
    return use;
}

double jp_justify(const jp_para *p, const jp_glue *g, const jp_line *line,
                  double measure, double *x)
{
    size_t s = line->start, e = line->end, n = e - s;
    /* gaps strictly inside the line: boundaries s+1 .. e-1 */
    double *delta = xcalloc(n + 1, sizeof *delta);
    double natural = line->end_aki;
    for (size_t i = s; i < e; i++) {
        natural += p->cells[i].advance;
        if (i > s)
            natural += g[i].width;
    }
    if (line->hang)
        natural -= p->cells[e - 1].advance;
    double hyphen = line->hyphen ? p->cells[e - 1].hyphen : 0;
    natural += hyphen;
    double need = measure - natural;
    bool fit = p->justify && !line->last;
    if (need < 0) { /* shrink even a last line that would overflow */
        double left = -need;
        for (int k = 0; k < JP_SHRINK_LEVELS && left > 1e-9; k++)
            left -= spread(g, s + 1, e, k, true, left, delta);
    } else if (fit && need > 0) {
        double left = need;
        for (int k = 0; k < JP_STRETCH_LEVELS && left > 1e-9; k++)
            left -= spread(g, s + 1, e, k, false, left, delta);
        if (left > 1e-9 && line->emergency) {
            /* emergency: letter-space evenly, even inside words */
            for (size_t i = s + 1; i < e; i++)
                delta[i - s - 1] += left / (double)(n > 1 ? n - 1 : 1);
        }
    }
    double pos = 0;
    for (size_t i = s; i < e; i++) {
        if (i > s)
            pos += g[i].width + delta[i - s - 1];
        x[i - s] = pos;
        pos += p->cells[i].advance;
    }
    pos += line->end_aki + hyphen;
    x[n] = pos;
    free(delta);
    return pos;
}
