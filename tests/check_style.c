/* Style files: lengths in every unit, the bundled style, and every error a
 * bad style gets, with its file:line:col. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "style/style.h"

static const struct { const char *s; bool ok; double pt; } lengths[] = {
    {"10pt", true, 10}, {"10", true, 10}, {"25.4mm", true, 72},
    {"2.54cm", true, 72}, {"1in", true, 72}, {"4Q", true, 72 / 25.4},
    {"14Q", true, 14 * 0.25 * 72 / 25.4}, {"10px", false, 0},
    {"pt", false, 0}, {"", false, 0}, {"nan", false, 0},
};

START_TEST(test_lengths)
{
    double pt = -1;
    bool ok = style_parse_length(lengths[_i].s, &pt);
    ck_assert_msg(ok == lengths[_i].ok, "'%s'", lengths[_i].s);
    if (ok)
        ck_assert_double_eq_tol(pt, lengths[_i].pt, 1e-9);
}
END_TEST

START_TEST(test_bundled)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/styles/handout.yaml", getenv("KUMIHAN_DATA"));
    style s;
    style_default(&s);
    diag dg;
    diag_init(&dg);
    ck_assert(style_load(&s, path, &dg));
    ck_assert_uint_eq(dg.errors, 0);
    /* JLREQ 2.3: the text block is size x characters x lines + gaps */
    ck_assert_double_eq_tol(style_measure(&s), 400, 1e-9);
    ck_assert_double_eq_tol(style_block_height(&s), 10 + 37 * 17.5, 1e-9);
    ck_assert_double_eq_tol(s.page_w, 595.276, 1e-3);
    ck_assert_int_eq(s.heading[1].lines, 3);
    ck_assert_int_eq(s.heading[2].lines, 2);
    ck_assert_int_eq(s.kinsoku, KINSOKU_STRICT);
    ck_assert(!s.hanging);
    ck_assert_str_eq(s.figure_label, "図");
    ck_assert_str_eq(s.table_label, "表");
    ck_assert_double_eq_tol(s.table_size, 9, 1e-9);
    ck_assert_double_eq_tol(s.caption_size, 9, 1e-9);
    style_free(&s);
    diag_free(&dg);
}
END_TEST

/* The four kinsoku levels by name. */
START_TEST(test_kinsoku_levels)
{
    static const struct { const char *name; kinsoku_level want; } lv[] = {
        {"strict", KINSOKU_STRICT}, {"normal", KINSOKU_NORMAL},
        {"loose", KINSOKU_LOOSE}, {"very-loose", KINSOKU_VERY_LOOSE},
    };
    for (size_t i = 0; i < 4; i++) {
        char path[] = "/tmp/km-style-XXXXXX";
        int fd = mkstemp(path);
        ck_assert_int_ge(fd, 0);
        char yaml[64];
        snprintf(yaml, sizeof yaml, "composition:\n  kinsoku: %s\n", lv[i].name);
        ck_assert(write(fd, yaml, strlen(yaml)) >= 0);
        close(fd);
        style s;
        style_default(&s);
        diag dg;
        diag_init(&dg);
        ck_assert(style_load(&s, path, &dg));
        ck_assert_int_eq(s.kinsoku, lv[i].want);
        style_free(&s);
        diag_free(&dg);
        unlink(path);
    }
}
END_TEST

static const struct { const char *yaml, *want; } bad[] = {
    {"body:\n  size: 10pt\n  colour: red\n", ":3:3: error: unknown style key 'body.colour'"},
    {"body:\n  size: big\n", ":2:9: error: body.size: 'big' is not a length"},
    {"body:\n  chars-per-line: 4.5\n", ":2:19: error: body.chars-per-line: '4.5' is not a whole number"},
    {"composition:\n  kinsoku: lax\n", ":2:12: error: composition.kinsoku: 'lax' "
     "is not strict, normal, loose or very-loose"},
    {"composition:\n  hanging-punctuation: maybe\n", "is not true or false"},
    {"page:\n  size: A3\n", ":2:9: error: page.size: unknown size 'A3'"},
    {"page: A4\n", ":1:7: error: page: must be a mapping of settings"},
    {"body:\n  size: [1, 2]\n", ":2:9: error: body.size: must be a single value"},
    {"body:\n  size: 10pt\n size: 9\n", "error: malformed style"},
    {"- a\n", ":1:1: error: a style file is a mapping of sections"},
    {"body:\n  chars-per-line: 100\n", "error: the text block (1000.0 x"},
    {"body:\n  line-pitch: 8pt\n", "is smaller than the body size"},
    {"tables:\n  size: 20pt\n", "error: tables.size and figures.caption-size "
     "must not exceed body.line-pitch (17.50 pt)"},
    {"figures:\n  caption-size: 18pt\n", "must not exceed body.line-pitch"},
    {"figures:\n  figure-label: \"\"\n", "error: figures.figure-label and "
     "figures.table-label must be words of 1 to 32 bytes"},
    {"figures:\n  label: Fig\n", ":2:3: error: unknown style key 'figures.label'"},
};

START_TEST(test_bad)
{
    char path[] = "/tmp/km-style-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert(write(fd, bad[_i].yaml, strlen(bad[_i].yaml)) >= 0);
    close(fd);
    style s;
    style_default(&s);
    diag dg;
    diag_init(&dg);
    ck_assert(!style_load(&s, path, &dg));
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    diag_print(&dg, f);
    fclose(f);
    ck_assert_msg(strstr(out, bad[_i].want) != NULL, "want %s\ngot %s",
                  bad[_i].want, out);
    ck_assert_msg(strncmp(out, path, strlen(path)) == 0, "names the file: %s", out);
    free(out);
    unlink(path);
    style_free(&s);
    diag_free(&dg);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("style");
    TCase *tc = tcase_create("style");
    tcase_add_loop_test(tc, test_lengths, 0, sizeof lengths / sizeof *lengths);
    tcase_add_test(tc, test_bundled);
    tcase_add_test(tc, test_kinsoku_levels);
    tcase_add_loop_test(tc, test_bad, 0, sizeof bad / sizeof *bad);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
