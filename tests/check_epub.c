/* The EPUB writer's XML helpers (epub/xml.c): what they write, and that a
 * call libxml2 refuses makes the whole document fail instead of leaving
 * a silently broken file. */
#include <check.h>
#include <string.h>

#include "epub/xml.h"

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

int main(void)
{
    Suite *su = suite_create("epub");
    TCase *tc = tcase_create("xml");
    tcase_add_test(tc, test_link_and_element);
    tcase_add_test(tc, test_whole_document);
    tcase_add_test(tc, test_sticky);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
