/* The EPUB writer's XML helpers (epub/xml.c): what they write, and that a
 * call libxml2 refuses makes the whole document fail instead of leaving
 * a silently broken file. And epub/xhtml.c, the tree -> XHTML walk: small
 * manuscripts (tests/golden/xhtml/NAME.md, each node kind entered and left
 * in many nestings) against the documents they give (NAME.xhtml: each
 * body, notes and back matter document's <section>, read by a person once;
 * KM_UPDATE_GOLDEN=1 rewrites them: read the diff). NAME "v-...": set in
 * styles/tategaki.yaml. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epub/internal.h"
#include "epub/xml.h"
#include "image/image.h"
#include "parse/md.h"
#include "util/xalloc.h"

static char *content(xw *x)
{
    return (char *)xmlBufferContent(x->b);
}

START_TEST(test_link_and_element)
{
    xw x;
    xw_open(&x);
    xw_start(&x, "ol");
    xw_link(&x, "a.xhtml#p1", "toc", "目次 & <1>", true);
    xw_link(&x, "b.xhtml", NULL, "本文", false);
    xw_element(&x, "p", "date", "2025年");
    xw_attrf(&x, "value", "%d", 3); /* after content: refused */
    ck_assert(x.failed);
    ck_assert(!xw_close(&x));
    ck_assert_ptr_nonnull(strstr(content(&x),
        "<ol><li><a epub:type=\"toc\" href=\"a.xhtml#p1\">目次 &amp; &lt;1&gt;"
        "</a></li><a href=\"b.xhtml\">本文</a><p class=\"date\">2025年</p>"));
    xmlBufferFree(x.b);
}
END_TEST

START_TEST(test_whole_document)
{
    xw x;
    xw_open(&x);
    xw_start(&x, "html");
    xw_attr(&x, "lang", "ja");
    xw_start(&x, "body");
    xw_attrf(&x, "value", "%d", 12);
    xw_text(&x, "本文");
    xw_end(&x);
    xw_end(&x);
    ck_assert(xw_close(&x));
    ck_assert_str_eq(content(&x), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                  "<html lang=\"ja\"><body value=\"12\">本文</body>"
                                  "</html>\n");
    xmlBufferFree(x.b);
}
END_TEST

/* Once failed, nothing more is written: the error is sticky. */
START_TEST(test_sticky)
{
    xw x;
    xw_open(&x);
    xw_end(&x); /* nothing open: refused */
    ck_assert(x.failed);
    size_t len = (size_t)xmlBufferLength(x.b);
    xw_start(&x, "p");
    xw_text(&x, "more");
    ck_assert_uint_eq((size_t)xmlBufferLength(x.b), len);
    ck_assert(!xw_close(&x));
    xmlBufferFree(x.b);
}
END_TEST

/* ---- the XHTML walk, golden ------------------------------------------- */

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    buf b = {0};
    char chunk[4096];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, k);
    fclose(f);
    *n = b.len;
    return b.data ? b.data : xstrdup("");
}

static char fragments[32][64];
static int nfragments;

static void find_fragments(void)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/golden/xhtml", getenv("KM_TESTS"));
    DIR *dp = opendir(dir);
    if (!dp) {
        fprintf(stderr, "check_epub: no %s (KM_TESTS)\n", dir);
        exit(1);
    }
    struct dirent *de;
    while ((de = readdir(dp)) && nfragments < 32) {
        size_t len = strlen(de->d_name);
        if (len > 3 && strcmp(de->d_name + len - 3, ".md") == 0 && len < 60)
            snprintf(fragments[nfragments++], 64, "%.*s", (int)len - 3,
                     de->d_name);
    }
    closedir(dp);
}

/* The <section> of each content document the walk writes, in order. */
static void sections_of(const epub *e, buf *out)
{
    for (size_t i = 0; i < e->nfiles; i++) {
        const char *name = e->files[i].name;
        if (!(name[0] == 's' && strstr(name, ".xhtml")) &&
            strcmp(name, "notes.xhtml") != 0 && strcmp(name, "back.xhtml") != 0)
            continue;
        const char *s = buf_str(&e->files[i].data);
        const char *a = strstr(s, "<section"), *z = strstr(s, "</body>");
        buf_printf(out, "== %s\n%.*s\n", name, a && z ? (int)(z - a) : 0,
                   a ? a : "");
    }
}

START_TEST(test_xhtml_golden)
{
    const char *name = fragments[_i];
    const char *tests = getenv("KM_TESTS"), *data = getenv("KUMIHAN_DATA");
    char src[1024], want_path[1024], doc_path[1024], style_path[1024];
    snprintf(src, sizeof src, "%s/golden/xhtml/%s.md", tests, name);
    snprintf(want_path, sizeof want_path, "%s/golden/xhtml/%s.xhtml", tests,
             name);
    /* as if it stood in content/, where images/icon.png is */
    snprintf(doc_path, sizeof doc_path, "%s/content/%s.md", data, name);
    snprintf(style_path, sizeof style_path, "%s/styles/%s.yaml", data,
             strncmp(name, "v-", 2) == 0 ? "tategaki" : "handout");
    size_t n, m;
    char *text = slurp(src, &n);
    ck_assert_ptr_nonnull(text);
    diag dg;
    diag_init(&dg);
    style st;
    style_default(&st);
    ck_assert(style_load(&st, style_path, &dg));
    doc *d = parse_buffer(doc_path, text, n, &dg);
    ck_assert_msg(d != NULL, "%s does not parse", src);
    ck_assert(images_load(d, &dg));
    ck_assert_uint_eq(dg.errors, 0);
    doc_pagemap pm = {0};
    epub e;
    epub_begin(&e, d, &st, &pm, NULL, &dg);
    epub_content(&e);
    ck_assert(!e.failed);
    buf got = {0};
    sections_of(&e, &got);
    if (getenv("KM_UPDATE_GOLDEN")) {
        FILE *f = fopen(want_path, "wb");
        fwrite(got.data, 1, got.len, f);
        fclose(f);
    }
    char *want = slurp(want_path, &m);
    ck_assert_msg(want != NULL, "no %s (KM_UPDATE_GOLDEN=1 writes it)",
                  want_path);
    ck_assert_str_eq(buf_str(&got), want);
    free(want);
    buf_free(&got);
    epub_clear(&e);
    doc_free(d);
    style_free(&st);
    diag_free(&dg);
    free(text);
}
END_TEST

/* After a list, a quote, a table, a sup or a span, Latin words under
 * emphasis are still in their span (italic, no dots), as in the print:
 * leaving those elements once lowered the emphasis count. */
START_TEST(test_emphasis_after_blocks)
{
    static const char *const after[] = {
        "- 箇条\n\n", "> 引用\n\n", "| 表 |\n|---|\n| 値 |\n\n",
        "上<sup>1</sup>。\n\n", "<span class=\"x\">ス</span>。\n\n",
        "1. 番号\n    1. 入れ子\n\n"};
    for (size_t i = 0; i < sizeof after / sizeof *after; i++) {
        char *text = xasprintf("%s*強調 and emphasis*\n", after[i]);
        diag dg;
        diag_init(&dg);
        style st;
        style_default(&st);
        doc *d = parse_buffer("e.md", text, strlen(text), &dg);
        ck_assert_ptr_nonnull(d);
        doc_pagemap pm = {0};
        epub e;
        epub_begin(&e, d, &st, &pm, NULL, &dg);
        epub_content(&e);
        buf got = {0};
        sections_of(&e, &got);
        ck_assert_msg(strstr(buf_str(&got), "<em>強調 <span class=\"latin\">"
                                            "and emphasis</span></em>"),
                      "after %s: %s", after[i], buf_str(&got));
        buf_free(&got);
        epub_clear(&e);
        doc_free(d);
        style_free(&st);
        diag_free(&dg);
        free(text);
    }
}
END_TEST

int main(void)
{
    Suite *su = suite_create("epub");
    TCase *tc = tcase_create("xml");
    tcase_add_test(tc, test_link_and_element);
    tcase_add_test(tc, test_whole_document);
    tcase_add_test(tc, test_sticky);
    suite_add_tcase(su, tc);
    find_fragments();
    TCase *tx = tcase_create("xhtml");
    tcase_add_loop_test(tx, test_xhtml_golden, 0, nfragments);
    tcase_add_test(tx, test_emphasis_after_blocks);
    suite_add_tcase(su, tx);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
