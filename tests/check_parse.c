/* Parser and document tree: table-driven cases over `kumihan dump`'s text
 * form, every diagnostic with its location, golden dumps, and hostile
 * input that must not crash. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/dump.h"
#include "parse/cite.h"
#include "parse/md.h"
#include "parse/pre.h"
#include "parse/url.h"

static char *dump_of(const char *src, diag *dg)
{
    doc *d = parse_buffer("t.md", src, strlen(src), dg);
    if (!d)
        return NULL;
    buf b = {0};
    doc_dump(d, &b);
    doc_free(d);
    return buf_detach(&b);
}

static char *diags_of(const char *src, size_t n)
{
    diag dg;
    diag_init(&dg);
    doc *d = parse_buffer("t.md", src, n, &dg);
    doc_free(d);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    diag_print(&dg, f);
    fclose(f);
    diag_free(&dg);
    return out;
}

/* ---- the tree ---------------------------------------------------------- */
static const struct { const char *src, *want, *why; } trees[] = {
    {"日本\n語です。", "text 1:1 \"日本語です。\"",
     "a soft break between Japanese characters is not a space"},
    {"Hello\nworld", "text 1:1 \"Hello world\"", "between Latin words it is"},
    {"中国\nAIの", "\"中国AIの\"", "beside a Japanese character it is not"},
    {"# A\n\n## B\n\n###### C", "heading 5:1 level=6", "heading levels"},
    {"3. a\n4. b", "list 1:1 ordered start=3 tight", "ordered list start"},
    {"- a\n\n- b", "list 1:1 bullet loose", "loose list"},
    {"> q\n> r", "quote 1:1\n    paragraph 1:3", "block quote"},
    {"```c\nx;\n```", "codeblock 1:1 \"x;\\n\"", "fenced code"},
    {"a\n\n***\n\nb", "hr 3:1", "thematic break"},
    {"*a* **b** `c`", "emph 1:1\n      text 1:2 \"a\"", "emphasis"},
    {"*a* **b** `c`", "strong 1:5", "strong"},
    {"*a* **b** `c`", "code 1:12 \"c\"", "code span"},
    {"[x](http://e.jp/a)", "link 1:1 \"http://e.jp/a\"", "link"},
    {"see <https://e.jp/>", "link 1:5 autolink \"https://e.jp/\"", "autolink"},
    {"see https://e.jp/x ok", "autolink \"https://e.jp/x\"", "GFM autolink"},
    {"a  \nb", "text 1:1 \"a\"\n    break 1:1\n    text 2:1 \"b\"", "hard line break"},
    {"| a | b |\n|---|---|\n| 1 | 2 |", "row 1:1 header", "GFM table"},
    {"x[^a] y[^b] z[^a]\n\n[^b]: B\n[^a]: A",
     "noteref 1:2 note=1 ref=1", "numbered by first reference"},
    {"x[^a] y[^b] z[^a]\n\n[^b]: B\n[^a]: A", "noteref 1:14 note=1 ref=2",
     "the same note keeps its number"},
    {"x[^a] y[^b] z[^a]\n\n[^b]: B\n[^a]: A", "note 2 [^b] 3:1 refs=1",
     "note b is the second"},
    {"---\ntitle: \"T\"\ndate: 2025-01-02\nkeywords: [a, b]\n---\n\nx",
     "meta title \"T\"\nmeta lang \"ja\"\nmeta date \"2025-01-02\"", "front matter"},
    {"---\ntitle: T\nkeywords: [a, b]\n---\n\nx", "meta keywords \"a, b\"",
     "keywords as a list"},
    {"---\ntitle: T\n---\n\nx", "paragraph 5:1", "lines count from the file"},
    {"---\ntitle: T\ndate: 2025-10\n---\n\nx", "meta date \"2025-10\"",
     "a reduced-precision date: year and month"},
    {"---\ntitle: T\ndate: 2025\n---\n\nx", "meta date \"2025\"",
     "a reduced-precision date: the year"},
    /* figures and tables (issue 14) */
    {"![会場](a.jpg)", "figure 1:1 \"a.jpg\" number=1\n    text 1:3 \"会場\"",
     "an image alone in its paragraph is a figure, its alt text the caption"},
    {"![会場](a.jpg){#fig:hall width=60%}",
     "figure 1:1 \"a.jpg\" number=1 #fig:hall width=60%\n    text 1:3 \"会場\"",
     "attributes give the label and width, and are not text"},
    {"![c](a.png)\n{#fig:x width=50mm}", "#fig:x width=141.732pt",
     "attributes on the next line; a width in mm"},
    {"文中の ![i](a.png) 画像", "paragraph 1:1\n    text 1:1 \"文中の \"\n"
     "    image 1:11 \"a.png\"", "an image inside text stays inline"},
    {"![a](1.png)\n\n![b](2.png)\n\n| x |\n|---|\n| 1 |\n\n![c](3.png)",
     "figure 9:1 \"3.png\" number=3", "figures are numbered through the body"},
    {"表: 規模の比較 {#tbl:scale}\n\n| a | b |\n|:--|--:|\n| 1 | 2 |",
     "table 3:1 align=lr number=1 #tbl:scale\n    caption 1:1\n"
     "      text 1:6 \"規模の比較\"", "a caption before the table, its label "
     "taken off its text; GFM alignment"},
    {"| a |\n|:-:|\n| 1 |\n\nTable: After it.",
     "table 1:1 align=c number=1\n    caption 5:1\n      text 5:8 \"After it.\"",
     "pandoc's caption after the table"},
    {"表： 全角のコロン\n\n| a |\n|---|\n| 1 |", "caption 1:1",
     "a full-width colon"},
    {"![c](a.png){#fig:a}\n\n[@fig:a]と[@tbl:b]を見よ。\n\n| a |\n|---|\n| 1 |\n\n"
     "表: t {#tbl:b}", "xref 3:1 @fig:a number=1\n    text 3:9 \"と\"\n"
     "    xref 3:12 @tbl:b number=1", "cross-references, at their columns"},
    {"![c](a.png){#fig:a}\n\nsee [@fig:a], then [x](http://e.jp/)",
     "text 3:1 \"see \"\n    xref 3:5 @fig:a number=1\n    text 3:13 \", then \"",
     "a cross-reference beside a link"},
    {"![c](%E5%9B%B3.png)", "figure 1:1 \"%E5%9B%B3.png\"",
     "a percent-encoded path as written (decoded when the file is read)"},
    /* ruby and inline HTML (issue 15) */
    {"社名は{華為技術|ファーウェイ}。", "text 1:1 \"社名は\"\n    ruby 1:10 "
     "\"ファーウェイ\"\n      text 1:11 \"華為技術\"\n    text 1:43 \"。\"",
     "group ruby, VFM's form"},
    {"{漢字|かん|じ}", "ruby 1:1 mono \"かん|じ\"\n      text 1:2 \"漢字\"",
     "mono ruby, a reading per character (Denden)"},
    {"{a\\|b|エー}", "ruby 1:1 \"エー\"\n      text 1:2 \"a|b\"",
     "an escaped bar is part of the base"},
    {"{x}{y|ワイ}", "text 1:1 \"{x}\"\n    ruby 1:4 \"ワイ\"",
     "braces without a bar are text"},
    {"<ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>",
     "ruby 1:1 \"かんじ\"\n      text 1:7 \"漢字\"", "HTML ruby, <rp> dropped"},
    {"m<sup>2</sup>とCO<sub>2</sub>", "sup 1:2\n      text 1:7 \"2\"",
     "superscript"},
    {"m<sup>2</sup>とCO<sub>2</sub>", "sub 1:19\n      text 1:24 \"2\"",
     "subscript"},
    {"<span class=\"note x\">注</span>", "span 1:1 class=note x",
     "span with its class"},
    {"<span class='a\"><script>'>x</span>", "span 1:1 class=a",
     "a class is letters, digits, - and _ only"},
    {"一<br>二", "text 1:1 \"一\"\n    break 1:4", "<br> is a line break"},
    /* deletions and additions, as an amendment shows them */
    {"~~取消し~~と<u>追加</u>、<del>削</del><ins>加</ins><s>旧</s>",
     "strike 1:1\n      text 1:3 \"取消し\"\n    text 1:14 \"と\"\n    underline 1:17\n"
     "      text 1:20 \"追加\"\n    text 1:30 \"、\"\n    strike 1:33\n      text 1:38 \"削\"\n"
     "    underline 1:47\n      text 1:52 \"加\"\n    strike 1:61\n      text 1:64 \"旧\"",
     "~~ and <u>"},
    {"10~20円と30~40円", "text 1:1 \"10~20円と30~40円\"", "a single ~ is a range, not a strike"},
    /* emphasis beside Japanese punctuation (markdown-cjk-friendly) */
    {"これは**「重要」**です。", "text 1:1 \"これは\"\n    strong 1:10\n      text 1:12 "
     "\"「重要」\"\n    text 1:26 \"です。\"", "** around brackets, letters outside"},
    {"書類。*発送日と受領日を混同しないこと。*期間",
     "text 1:1 \"書類。\"\n    emph 1:10\n      text 1:11 \"発送日と受領日を混同しないこと。\"\n"
     "    text 1:60 \"期間\"", "* after 。 closes before a letter"},
    {"書類。\\*発送日。*期間", "text 1:1 \"書類。*発送日。*期間\"", "an escaped * stays"},
    {"注（*1）と注（*2）", "text 1:1 \"注（*1）と注（*2）\"", "*1, *2 as marks stay"},
    {"注：*1 売上高は増加した。注：*2 利益は減少した。",
     "text 1:1 \"注：*1 売上高は増加した。注：*2 利益は減少した。\"", "*1 after ：, 。 stays"},
    {"甲を~~削除する。~~乙とする。~~「丙」~~を削る。", "text 1:1 \"甲を\"\n    strike 1:7\n"
     "      text 1:9 \"削除する。\"\n    text 1:26 \"乙とする。\"\n    strike 1:41\n"
     "      text 1:43 \"「丙」\"\n    text 1:54 \"を削る。\"", "~~ beside 。 and 」"},
    {"注[^1]\nは続く。\n\n[^1]: 注。", "noteref 1:4 note=1 ref=1\n    text 2:1 \"は続く。\"",
     "no space for the line break after a note mark before Japanese"},
    {"注（*1）と（*2）。以上。*印は必須。", "text 1:1 \"注（*1）と（*2）。以上。*印は必須。\"",
     "an odd number of runs: asterisks as written"},
    {"研究。**「翻訳」**~~削~~と`c`**「x」**【y】", "text 1:1 \"研究。\"\n    strong 1:10\n"
     "      text 1:12 \"「翻訳」\"\n    strike 1:26\n      text 1:28 \"削\"\n    text 1:33 "
     "\"と\"\n    code 1:37 \"c\"\n    strong 1:39\n      text 1:41 \"「x」\"\n    text 1:50 "
     "\"【y】\"", "beside ~~, ` and 【"},
    {"`。*a` は**「x」**", "code 1:2 \"。*a\"\n    text 1:8 \" は\"\n    strong 1:12\n"
     "      text 1:14 \"「x」\"", "code as written"},
    /* a space typed beside a note mark */
    {"AIの発展 [^1] は著しい[^1] 。Smith[^1] and\n\n[^1]: 注。",
     "text 1:1 \"AIの発展\"\n    noteref 1:13 note=1 ref=1\n    text 1:18 \"は著しい\"\n"
     "    noteref 1:30 note=1 ref=2\n    text 1:35 \"。Smith\"\n    noteref 1:43 note=1 "
     "ref=3\n    text 1:47 \" and\"",
     "no space before a note mark; none after it before Japanese, kept before English"},
};

START_TEST(test_tree)
{
    diag dg;
    diag_init(&dg);
    char *got = dump_of(trees[_i].src, &dg);
    ck_assert_msg(got != NULL, "%s: did not parse", trees[_i].why);
    ck_assert_msg(strstr(got, trees[_i].want) != NULL, "%s: want\n%s\nin\n%s",
                  trees[_i].why, trees[_i].want, got);
    free(got);
    diag_free(&dg);
}
END_TEST

/* ---- diagnostics, each with where it is -------------------------------- */
static const struct { const char *src; size_t n; const char *want; } diags[] = {
    {"ok\nok\nab\xff" "cd\n", 0, "t.md:3:3: error: invalid UTF-8 (byte 0xFF)"},
    {"ok\nabc\0d\n", 8, "t.md:2:4: error: NUL byte in the manuscript"},
    {"\xe3\x81", 0, "t.md:1:1: error: invalid UTF-8"},
    {"---\ntitle: x\n\nbody", 0, "t.md:1:1: error: unterminated front matter"},
    {"---\ntitle: [a, b]\n---\nx", 0,
     "t.md:2:8: error: front matter: 'title' must be a string"},
    {"---\ndate: 2025-13\n---\nx", 0,
     "t.md:2:7: error: front matter: 'date' must be a date YYYY-MM-DD (or "
     "YYYY-MM, YYYY), not '2025-13'"},
    {"---\ndate: 2025-1\n---\nx", 0, "t.md:2:7: error: front matter: 'date'"},
    {"---\ndate: soon\n---\nx", 0,
     "t.md:2:7: error: front matter: 'date' must be a date YYYY-MM-DD"},
    {"---\ntitle: \"x\n---\nx", 0, "t.md:3:1: error: malformed front matter"},
    {"---\n- a\n---\nx", 0, "t.md:2:1: error: front matter must be a mapping"},
    {"---\ncolour: red\n---\nx", 0,
     "t.md:2:1: warning: unknown front-matter key 'colour'"},
    {"a\nb[^zz] c\n", 0, "t.md:2:2: error: note reference [^zz] has no definition"},
    {"a[^1]\n\n[^1]: x\n[^2]: y\n", 0,
     "t.md:4:1: warning: note [^2] is defined but never referenced"},
    {"a[^1]\n\n[^1]: x\n[^1]: y\n", 0,
     "t.md:4:1: warning: note [^1] is defined twice (first at line 3)"},
    {"x [l](<http://a b/>)\n", 0, "t.md:1:3: warning: URL 'http://a b/' contains a space"},
    {"---\ntitle: T\n---\n\n[^q]\n", 0, "t.md:5:1: error: note reference [^q]"},
    {"ab [x](javascript:alert(1))\n", 0,
     "t.md:1:4: error: link to 'javascript:alert(1)': javascript: links are "
     "not allowed"},
    {"a\n\n<JavaScript:x>\n", 0, "t.md:3:1: error: link to 'JavaScript:x': "
     "javascript: links"},
    {"[t](java&#x09;script:x)\n", 0,
     "t.md:1:1: error: link to 'java\\x09script:x': javascript: links"},
    {"x[^1]\n\n[^1]: [f](file:///etc/passwd)\n", 0,
     "t.md:3:7: error: link to 'file:///etc/passwd': file: links"},
    {"[r][d]\n\n[d]: data:text/html,x\n", 0,
     "t.md:1:1: error: link to 'data:text/html,x': data: links"},
    {"[o](other.md)\n", 0, "t.md:1:1: warning: link to 'other.md' is "
     "relative, which means nothing in a PDF or EPUB sent by mail; set as "
     "text without a link"},
    {"[f](ftp://x.jp/)\n", 0, "t.md:1:1: warning: link to 'ftp://x.jp/': "
     "ftp: links mean nothing to a reader; set as text without a link"},
    /* figures, tables and cross-references */
    {"x\n\n見よ [@fig:none]。\n", 0, "t.md:3:4: error: cross-reference to "
     "'fig:none': no figure or table has that label"},
    {"![a](a.png){#fig:x}\n\n![b](b.png){#fig:x}\n", 0,
     "t.md:3:1: error: label 'fig:x' is used twice (first at line 1)"},
    {"![a](a.png){#hall}\n", 0, "t.md:1:1: error: a figure's label must "
     "start with 'fig:' (read 'hall')"},
    {"![a](a.png){width=120%}\n", 0, "t.md:1:1: error: figure width '120%': "
     "give a share of the text width"},
    {"![a](a.png){height=3}\n", 0, "t.md:1:1: warning: figure attribute "
     "'height=3' is ignored"},
    {"![](a.png)\n", 0, "t.md:1:1: warning: figure 'a.png' has no alt text"},
    {"x\n\n![a](https://example.jp/a.png)\n", 0, "t.md:3:1: error: image "
     "'https://example.jp/a.png' is not a file of the manuscript: nothing is "
     "downloaded"},
    {"![a](../secret.png)\n", 0, "t.md:1:1: error: image '../secret.png': "
     "an image's path must not leave the manuscript's directory"},
    {"![a](img/../../x.png)\n", 0, "must not leave the manuscript's directory"},
    {"![a](/etc/passwd)\n", 0, "t.md:1:1: error: image '/etc/passwd': an "
     "image's path must be relative to the manuscript"},
    {"a ![i](data:image/png;base64,AAAA) b\n", 0, "t.md:1:3: error: image "
     "'data:image/png;base64,AAAA' is not a file of the manuscript"},
    {"![a](%2E%2E/x.png)\n", 0, "must not leave the manuscript's directory"},
    {"| a |\n|---|\n| 1 |\n\n表: t {#x}\n", 0,
     "t.md:5:6: error: a table's label must start with 'tbl:'"},
    {"x\n\nあ{|かな}\n", 0, "t.md:3:2: error: ruby '{|かな}' needs a base and a "
     "reading"},
    {"{漢字|}\n", 0, "t.md:1:1: error: ruby '{漢字|}' needs a base and a reading"},
    {"{漢字|か|ん|じ}\n", 0, "t.md:1:1: error: ruby '{漢字|か|ん|じ}': 3 readings "
     "for 2 base characters"},
    {"<ruby>漢字</ruby>\n", 0, "t.md:1:1: error: <ruby> needs a base and a "
     "reading (<rt>)"},
    {"a</sup>b\n", 0, "t.md:1:2: warning: </sup> closes nothing: ignored"},
    {"a<sup>b\n", 0, "t.md:1:2: warning: <sup> is not closed: it ends with its "
     "paragraph"},
    {"a<b>b</b>\n", 0, "t.md:1:2: warning: raw HTML is set as text"},
    {"a<rt>b</rt>\n", 0, "t.md:1:2: warning: <rt> outside a <ruby> is ignored"},
};

START_TEST(test_diag)
{
    size_t n = diags[_i].n ? diags[_i].n : strlen(diags[_i].src);
    char *got = diags_of(diags[_i].src, n);
    ck_assert_msg(strstr(got, diags[_i].want) != NULL, "want\n%s\ngot\n%s",
                  diags[_i].want, got);
    free(got);
}
END_TEST

/* A manuscript that cannot be read is the system's trouble, told apart by
 * the diagnostic's kind (the exit status follows it), not by where it is;
 * a diag merged from a thread keeps the kind. */
START_TEST(test_io_error_kind)
{
    diag dg;
    diag_init(&dg);
    ck_assert_ptr_null(parse_file("/nonexistent/dir/m.md", &dg, false));
    ck_assert_uint_eq(dg.errors, 1);
    ck_assert_uint_eq(dg.io_errors, 1);
    ck_assert_int_eq(dg.v[0].severity, DIAG_IO_ERROR);
    diag other;
    diag_init(&other);
    diag_error(&other, (diag_loc){"m.md", 0, 0}, "bad");
    diag_merge(&other, &dg);
    ck_assert_uint_eq(other.errors, 2);
    ck_assert_uint_eq(other.io_errors, 1);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    diag_print(&other, f);
    fclose(f);
    ck_assert_msg(strstr(text, "m.md: error: cannot open: ") != NULL, "%s", text);
    free(text);
    diag_free(&other);
    diag_free(&dg);
}
END_TEST

/* ---- link targets ------------------------------------------------------ */
/* Written from issue 18's rule and the URL standard's parsing: case and
 * ASCII whitespace or controls anywhere in the scheme do not hide it. */
static const struct { const char *url; url_kind want; const char *scheme; } urls[] = {
    {"https://example.jp/a?b=1", URL_LINK, "https"},
    {"HTTP://EXAMPLE.JP/", URL_LINK, "http"},
    {"mailto:a@example.jp", URL_LINK, "mailto"},
    {"tel:+81-3-0000-0000", URL_LINK, "tel"},
    {"javascript:alert(1)", URL_UNSAFE, "javascript"},
    {"JavaScript:alert(1)", URL_UNSAFE, "javascript"},
    {" javascript:x", URL_UNSAFE, "javascript"},
    {"java\tscript:x", URL_UNSAFE, "javascript"},
    {"java\nscript:x", URL_UNSAFE, "javascript"},
    {"\x01javascript:x", URL_UNSAFE, "javascript"},
    {"VBScript:msgbox", URL_UNSAFE, "vbscript"},
    {"file:///etc/passwd", URL_UNSAFE, "file"},
    {"FILE://host/x", URL_UNSAFE, "file"},
    {"data:text/html,<script>", URL_UNSAFE, "data"},
    {"data:image/png;base64,AAAA", URL_UNSAFE, "data"},
    {"ftp://x.jp/", URL_PLAIN, "ftp"},
    {"c:\\windows", URL_PLAIN, "c"},
    {"other.md", URL_PLAIN, ""},
    {"../x.html", URL_PLAIN, ""},
    {"/abs/path:x", URL_PLAIN, ""},
    {"#section", URL_PLAIN, ""},
    {"", URL_PLAIN, ""},
    {"1http://x", URL_PLAIN, ""},
    {"javascript", URL_PLAIN, ""},
};

START_TEST(test_url_classify)
{
    char scheme[33];
    url_kind k = url_classify(urls[_i].url, scheme, sizeof scheme);
    ck_assert_msg(k == urls[_i].want, "'%s': kind %d, want %d", urls[_i].url,
                  (int)k, (int)urls[_i].want);
    ck_assert_str_eq(scheme, urls[_i].scheme);
}
END_TEST

/* A link refused or unlinked keeps its text: the tree has no link node. */
START_TEST(test_unlinked_text)
{
    diag dg;
    diag_init(&dg);
    char *got = dump_of("[相対](other.md)と[ok](https://e.jp/)\n", &dg);
    ck_assert_ptr_nonnull(got);
    ck_assert_ptr_nonnull(strstr(got, "text 1:2 \"相対と\""));
    ck_assert_ptr_null(strstr(got, "other.md"));
    ck_assert_ptr_nonnull(strstr(got, "link 1:"));
    free(got);
    diag_free(&dg);
}
END_TEST

START_TEST(test_clean_input_no_diag)
{
    const char *src = "# 見出し\n\n本文です。[^1]\n\n[^1]: 注。\n";
    char *got = diags_of(src, strlen(src));
    ck_assert_str_eq(got, "");
    free(got);
}
END_TEST

/* ---- the bundled report ------------------------------------------------ */
START_TEST(test_manuscript)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/content/waic2025.md", getenv("KUMIHAN_DATA"));
    diag dg;
    diag_init(&dg);
    doc *d = parse_file(path, &dg, false);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(dg.errors, 0);
    ck_assert_uint_eq(dg.warnings, 0);
    /* 40 sources cited 127 times: 40 notes, not 127 */
    ck_assert_uint_eq(d->nnotes, 40);
    int refs = 0, maxno = 0;
    for (const doc_node *n = d->root; n; n = doc_next(d->root, n))
        if (n->kind == DOC_NOTEREF) {
            refs++;
            ck_assert_int_ge(n->note, 1);
            ck_assert_int_le(n->note, 40);
            /* numbered by first reference: a new number is the next one */
            if (n->ref == 1)
                ck_assert_int_eq(n->note, ++maxno);
        }
    ck_assert_int_eq(refs, 127);
    int total = 0;
    for (size_t i = 0; i < d->nnotes; i++) {
        ck_assert_int_eq(d->notes[i].number, (int)i + 1);
        total += d->notes[i].nrefs;
    }
    ck_assert_int_eq(total, 127);
    ck_assert_str_eq(d->meta.lang, "ja");
    ck_assert_ptr_nonnull(strstr(d->meta.title, "全貌"));
    doc_free(d);
    diag_free(&dg);
}
END_TEST

/* ---- golden dumps (tests/golden/NAME.md beside NAME.tree) ---------------- */
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
    return buf_detach(&b);
}

static const char *goldens[] = {"basic", "notes", "japanese"};

START_TEST(test_golden)
{
    char md[512], tree[512];
    const char *dir = getenv("KM_TESTS");
    snprintf(md, sizeof md, "%s/golden/%s.md", dir, goldens[_i]);
    snprintf(tree, sizeof tree, "%s/golden/%s.tree", dir, goldens[_i]);
    size_t n, m;
    char *src = slurp(md, &n);
    ck_assert_msg(src != NULL, "no %s", md);
    diag dg;
    diag_init(&dg);
    doc *d = parse_buffer("golden.md", src, n, &dg);
    ck_assert_ptr_nonnull(d);
    buf b = {0};
    doc_dump(d, &b);
    if (getenv("KM_UPDATE_GOLDEN")) {
        FILE *f = fopen(tree, "wb");
        fwrite(b.data, 1, b.len, f);
        fclose(f);
    }
    char *want = slurp(tree, &m);
    ck_assert_msg(want != NULL, "no %s (KM_UPDATE_GOLDEN=1 writes it)", tree);
    ck_assert_str_eq(buf_str(&b), want);
    free(want);
    buf_free(&b);
    doc_free(d);
    diag_free(&dg);
    free(src);
}
END_TEST

/* ---- hostile input ------------------------------------------------------- */
START_TEST(test_hostile)
{
    diag dg;
    diag_init(&dg);
    doc *d = parse_buffer("e.md", "", 0, &dg);
    ck_assert_ptr_null(d); /* an empty file has nothing to set: an error */
    ck_assert_uint_eq(dg.errors, 1);

    /* binary garbage: an error, not a crash */
    char junk[4096];
    unsigned s = 12345;
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)((s = s * 1103515245 + 12345) >> 16);
    d = parse_buffer("j.md", junk, sizeof junk, &dg);
    ck_assert_ptr_null(d);
    ck_assert_uint_gt(dg.errors, 0);
    diag_free(&dg);

    /* a 2 MB paragraph */
    size_t big = 2 * 1024 * 1024;
    char *p = malloc(big + 1);
    for (size_t i = 0; i < big; i += 3)
        memcpy(p + i, i + 3 <= big ? "あ" : "aaa", i + 3 <= big ? 3 : big - i);
    p[big - big % 3] = '\0';
    d = parse_buffer("b.md", p, strlen(p), &dg);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->root->first->kind, DOC_PARA);
    ck_assert_uint_eq(d->root->first->first->len, strlen(p));
    doc_free(d);
    free(p);
    diag_free(&dg);
}
END_TEST

static int depth_of(const doc *d)
{
    int max = 0;
    for (const doc_node *n = d->root; n; n = doc_next(d->root, n)) {
        int k = 0;
        for (const doc_node *q = n; q; q = q->parent)
            k++;
        if (k > max)
            max = k;
    }
    return max;
}

START_TEST(test_deep_nesting)
{
    /* lists and quotes nested 5,000 deep: parsed, and the tree's depth is
     * bounded, so every later walk is too */
    const char *unit[] = {"> ", "- ", "1. "};
    for (int u = 0; u < 3; u++) {
        buf b = {0};
        for (int i = 0; i < 5000; i++) {
            if (u == 0)
                buf_puts(&b, unit[0]);
            else {
                for (int k = 0; k < i && k < 5000; k++)
                    buf_puts(&b, u == 1 ? "  " : "   ");
                buf_puts(&b, unit[u]);
                buf_puts(&b, "x\n");
            }
        }
        buf_puts(&b, "deep\n");
        diag dg;
        diag_init(&dg);
        doc *d = parse_buffer("n.md", b.data, b.len, &dg);
        ck_assert_ptr_nonnull(d);
        ck_assert_int_le(depth_of(d), PARSE_MAX_DEPTH + 8);
        doc_free(d);
        diag_free(&dg);
        buf_free(&b);
    }
}
END_TEST

/* The enter/exit walk: containers are entered and left around their
 * children, leaves only entered, and the events nest like the tree. */
START_TEST(test_iter)
{
    const char *src = "段落*強調*と`code`。\n\n- 項目\n- \n\n---\n";
    diag dg;
    diag_init(&dg);
    doc *d = parse_buffer("i.md", src, strlen(src), &dg);
    ck_assert_ptr_nonnull(d);
    buf out = {0};
    doc_iter it;
    doc_iter_init(&it, d->root);
    int depth = 0, events = 0;
    while (doc_iter_next(&it)) {
        const char *k = doc_kind_name(it.node->kind);
        buf_printf(&out, it.ev == DOC_ENTER ? "<%s>" : "</%s>", k);
        if (!doc_is_leaf(it.node->kind))
            depth += it.ev == DOC_ENTER ? 1 : -1;
        ck_assert_int_ge(depth, 0);
        ck_assert_int_lt(++events, 100);
    }
    ck_assert_int_eq(depth, 0);
    ck_assert_str_eq(buf_str(&out),
                     "<document><paragraph><text><emph><text></emph><text>"
                     "<code><text></paragraph><list><item><paragraph><text>"
                     "</paragraph></item><item></item></list><hr></document>");
    /* a walk of a leaf is that one event */
    doc_iter_init(&it, d->root->first->first);
    ck_assert(doc_iter_next(&it));
    ck_assert(it.node == d->root->first->first && it.ev == DOC_ENTER);
    ck_assert(!doc_iter_next(&it));
    ck_assert(!doc_iter_next(&it));
    buf_free(&out);
    doc_free(d);
    diag_free(&dg);
}
END_TEST

/* Inputs the fuzzer found (tests/bad/fuzz-*.md): each must parse, and
 * every note reference must name a note. */
static const char *fuzzed[] = {"fuzz-parse-noteref"};

START_TEST(test_fuzz_regressions)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/bad/%s.md", getenv("KM_TESTS"), fuzzed[_i]);
    size_t n;
    char *src = slurp(path, &n);
    ck_assert_ptr_nonnull(src);
    diag dg;
    diag_init(&dg);
    doc *d = parse_buffer(path, src, n, &dg);
    ck_assert_ptr_nonnull(d);
    for (const doc_node *q = d->root; q; q = doc_next(d->root, q))
        if (q->kind == DOC_NOTEREF) {
            ck_assert_int_ge(q->note, 1);
            ck_assert_int_le(q->note, (int)d->nnotes);
        }
    doc_free(d);
    diag_free(&dg);
    free(src);
}
END_TEST

/* ---- text for some editions only (parse/pre.c) ----------------------- */
/* The body as each copy's cmark reads it: the lines of the blocks not for
 * it blank, every line kept (its number), a fence of code left alone. */
static const struct {
    const char *src, *edition, *want, *why;
} conds[] = {
    {"a\n::: {editions=\"x\"}\nb\n:::\nc", "x", "a\n\nb\n\nc",
     "for x: its text, the fences blank"},
    {"a\n::: {editions=\"x\"}\nb\n:::\nc", "y", "a\n\n\n\nc", "for y: none of it"},
    {"a\n::: {editions=\"x\"}\nb\n:::\nc", NULL, "a\n\n\n\nc",
     "the plain build: none (fail closed)"},
    {"a\n::: {editions=\"x\"}\nb\n:::\nc", DOC_EVERY_EDITION, "a\n\nb\n\nc",
     "check: all of it"},
    {"::: {except=\"x y\"}\nb\n:::", "y", "\n\n", "except= leaves out those named"},
    {"::: {except=\"x y\"}\nb\n:::", "z", "\nb\n", "...and keeps it for the others"},
    {"::: {except='x'}\nb\n:::", NULL, "\n\n", "nor the plain build; ' quotes"},
    {"::: {editions=\"x y\"}\n::: {editions=\"y\"}\nb\n:::\nc\n:::", "x",
     "\n\n\n\nc\n", "nested: the inner block is y's alone"},
    {"::: {editions=\"x y\"}\n::: {editions=\"y\"}\nb\n:::\nc\n:::", "y",
     "\n\nb\n\nc\n", "y has both"},
    {"```\n::: {editions=\"x\"}\n```\nd", "y", "```\n::: {editions=\"x\"}\n```\nd",
     "a fence inside code is code"},
    {"::: note\nb\n:::", "y", "::: note\nb\n:::", "another kind of div is left alone"},
    {"::: {editions=\"x\"}\n```\n:::\n```\n:::\nz", "y", "\n\n\n\n\nz",
     "code inside a hidden block is hidden, its ::: is code"},
    {"::: {editions=\"x\"}\nb <!-- c -->\n:::", "y", "\n\n", "a comment in it goes too"},
};

START_TEST(test_conds)
{
    diag dg;
    diag_init(&dg);
    buf out = {0};
    pre_conds c = {0};
    const char *src = conds[_i].src;
    ck_assert(pre_prepare("t.md", src, strlen(src), 1, conds[_i].edition, &out, &c, &dg));
    ck_assert_msg(strcmp(buf_str(&out), conds[_i].want) == 0, "%s: got [%s] want [%s]",
                  conds[_i].why, buf_str(&out), conds[_i].want);
    ck_assert_uint_eq(dg.errors, 0);
    buf_free(&out);
    pre_conds_free(&c);
    diag_free(&dg);
}
END_TEST

START_TEST(test_cond_errors)
{
    static const struct {
        const char *src, *want;
    } bad[] = {
        {"a\n::: {editions=\"x\"}\nb", "t.md:2:5: error: this ::: block for "
                                      "editions is never closed"},
        {"::: {editions=\"\"}\nb\n:::", "t.md:1:5: error: a ::: block names"},
        {"::: {editions=\"x\" except=\"y\"}\nb\n:::", "t.md:1:5: error: a ::: block"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        diag dg;
        diag_init(&dg);
        buf out = {0};
        ck_assert(!pre_prepare("t.md", bad[i].src, strlen(bad[i].src), 1, "x", &out,
                               NULL, &dg));
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        diag_print(&dg, f);
        fclose(f);
        ck_assert_msg(strstr(text, bad[i].want), "%s: got %s", bad[i].src, text);
        free(text);
        buf_free(&out);
        diag_free(&dg);
    }
}
END_TEST

/* ---- patent and case numbers (parse/cite.h), table by table ----------- */
START_TEST(test_cite)
{
    static const struct {
        const char *text;
        int kind;            /* 0: not one */
        size_t len;          /* bytes it covers; 0: all of text */
        const char *url;     /* a part of it; "" when malformed */
        const char *problem; /* a part of the warning, or NULL */
    } t[] = {
        {"特開2023-123456", 1, 0, "c1801/PU/JP-2023-123456/11/ja", NULL},
        {"特開２０２４－０２５５３６", 1, 0, "PU/JP-2024-025536/11/ja", NULL},
        {"特開2024-25536", 1, 0, "", "six digits after its year"},
        {"特開2020ー123456", 1, 0, "PU/JP-2020-123456/11/ja", NULL},
        {"特開2020-123456A", 1, 0, "PU/JP-2020-123456/11/ja", NULL},
        {"特開平4-15611号公報", 1, 19, "PU/JP-H04-015611/11/ja", NULL},
        {"特開昭63-123456", 1, 0, "PU/JP-S63-123456/11/ja", NULL},
        {"特表2019-512345", 1, 0, "PU/JP-2019-512345/11/ja", NULL},
        {"特表2019-123456", 1, 0, "", "begins with 5"},
        {"特開平12-123456", 1, 0, "", "平成 year run from 1 to 11"},
        {"特開1998-123456", 1, 0, "", "before 2000"},
        {"特開2099-123456", 1, 0, "", "future"},
        {"特開23-123456", 1, 0, "", "year in full"},
        {"特開2023-1234567", 1, 0, "", "six digits"},
        {"特許第7,123,456号", 1, 0, "PU/JP-7123456/15/ja", NULL},
        {"特許第 7123456 号", 1, 0, "PU/JP-7123456/15/ja", NULL},
        {"特許6789012号", 1, 0, "PU/JP-6789012/15/ja", NULL},
        {"特許第7,123,45号", 1, 0, "", "grouped in threes"},
        {"特願2022-123456", 1, 0, "PU/JP-2022-123456/10/ja", NULL},
        {"実願2020-001234", 1, 0, "PU/JP-2020-001234/20/ja", NULL},
        {"JP 2020-123456 A", 1, 0, "PU/JP-2020-123456/11/ja", NULL},
        {"JP6789012B2", 1, 0, "PU/JP-6789012/15/ja", NULL},
        {"JP 3244847 U", 1, 0, "PU/JP-3244847/25/ja", NULL},
        {"無効2022-800012", 3, 0, "", NULL},
        {"特公平6-123456", 3, 0, "", NULL},
        {"意匠登録第1700000号", 3, 0, "", NULL},
        {"特許第71234567号", 1, 0, "", "seven digits"},
        {"実用新案登録第3244847号", 1, 0, "PU/JP-3244847/25/ja", NULL},
        {"再表2018/012345", 1, 0, "docId=WO2018012345", NULL},
        {"WO2022/123456 A1", 1, 0, "docId=WO2022123456", NULL},
        {"WO 03/12345", 1, 0, "docId=WO2003012345", NULL},
        {"WO2022123456", 1, 0, "docId=WO2022123456", NULL},
        {"WO2020/12345", 1, 0, "", "six digits"},
        {"WO1975/123456", 1, 0, "", "1978"},
        {"US 11,234,567 B2", 1, 0, "pn%3DUS11234567B2", NULL},
        {"US 11,234,567 A patent", 1, 13, "pn%3DUS11234567", NULL},
        {"US 2023/0123456 A1", 1, 0, "pn%3DUS2023123456A1", NULL},
        {"US Patent No. 10,123,456", 1, 0, "pn%3DUS10123456", NULL},
        {"U.S. Pat. No. 10,123,456", 1, 0, "pn%3DUS10123456", NULL},
        {"US 10,123,45 B2", 1, 0, "", "grouped in threes"},
        {"US20230123456A1", 1, 0, "pn%3DUS2023123456A1", NULL},
        {"US 2023/123456", 1, 0, "", "seven digits"},
        {"EP 1 234 567 B1", 1, 0, "pn%3DEP1234567B1", NULL},
        {"EP 12345 A1", 1, 0, "", "seven digits"},
        {"EP 12345", 0, 0, NULL, NULL},    /* no kind code: a year's length */
        {"US 2019", 0, 0, NULL, NULL},
        {"CN 2023", 0, 0, NULL, NULL},
        {"特開2020-123456 A社", 1, 17, "PU/JP-2020-123456/11/ja", NULL},
        {"特開2020-123456Aの", 1, 18, "PU/JP-2020-123456/11/ja", NULL},
        {"US5123456,5234567", 1, 9, "pn%3DUS5123456", NULL},
        {"訂正2022-390001", 3, 0, "", NULL},
        {"CN 112345678 A", 1, 0, "pn%3DCN112345678A", NULL},
        {"CN11012345A", 1, 0, "", "nine digits"},
        {"令和4年(ネ)第10023号", 2, 0, "", NULL},
        {"平成30年（行ケ）第10001号", 2, 0, "", NULL},
        {"平成元年(オ)第123号", 2, 0, "", NULL},
        {"平成32年(ネ)第1号", 2, 0, "", "平成 runs"},
        {"令和99年(ネ)第1号", 2, 0, "", "令和 runs"},
        {"令和4年(ネ)第1234567号", 2, 0, "", "one to six digits"},
        /* a foreign patent named in Japanese: its office's number */
        {"米国特許第7,123,456号", 1, 0, "pn%3DUS7123456", NULL},
        {"米国特許第10,234,567号", 1, 0, "pn%3DUS10234567", NULL},
        {"欧州特許第1234567号", 1, 0, "pn%3DEP1234567", NULL},
        {"中国特許第112345678号", 1, 0, "pn%3DCN112345678", NULL},
        /* spaced as some writers type it */
        {"米国特許 第 7,123,456 号", 1, 0, "pn%3DUS7123456", NULL},
        {"特許 第 6,123,456 号", 1, 0, "PU/JP-6123456/15/ja", NULL},
        {"米国特許出願公開第2020/0345678号", 1, 0, "pn%3DUS2020345678", NULL},
        {"米国特許公開2020/0345678", 1, 0, "pn%3DUS2020345678", NULL},
        {"米国特許出願公開第10,123,456号", 1, 0, "", "a US publication number is its year"},
        {"米国 特許第6,111,222号", 1, 0, "pn%3DUS6111222", NULL},
        /* not citations */
        {"米国特許商標庁", 0, 0, NULL, NULL},
        {"特開", 0, 0, NULL, NULL},
        {"特許第号", 0, 0, NULL, NULL},
        {"特許権", 0, 0, NULL, NULL},
        {"特許 1234 件", 0, 0, NULL, NULL},
        {"令和4年の判決", 0, 0, NULL, NULL},
        {"令和4年(注)第1号", 0, 0, NULL, NULL},
        {"EP 3", 0, 0, NULL, NULL},
        {"EPA", 0, 0, NULL, NULL},
        {"USB 3.0", 0, 0, NULL, NULL},
        {"CN 123", 0, 0, NULL, NULL},
        {"JP 100", 0, 0, NULL, NULL},
        {"JPY 100", 0, 0, NULL, NULL},
        {"US 1234567X9", 0, 0, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        cite c;
        size_t n = strlen(t[i].text);
        bool got = cite_at(t[i].text, n, 0, 2026, &c);
        ck_assert_msg(got == (t[i].kind != 0), "%s: recognised %d", t[i].text, got);
        if (!got)
            continue;
        ck_assert_msg((int)c.kind == t[i].kind, "%s: kind %d", t[i].text, c.kind);
        ck_assert_msg(c.len == (t[i].len ? t[i].len : n), "%s: len %zu", t[i].text,
                      c.len);
        if (*t[i].url)
            ck_assert_msg(strstr(c.url, t[i].url) != NULL, "%s: %s", t[i].text, c.url);
        else
            ck_assert_msg(c.url[0] == '\0', "%s: linked to %s", t[i].text, c.url);
        if (t[i].problem)
            ck_assert_msg(strstr(c.problem, t[i].problem) != NULL, "%s: '%s'",
                          t[i].text, c.problem);
        else
            ck_assert_msg(c.problem[0] == '\0', "%s: '%s'", t[i].text, c.problem);
    }
    /* an ASCII prefix inside a word is not one: "SEP 1234567" */
    cite c;
    ck_assert(!cite_at("SEP 1234567", 11, 1, 2026, &c));
    /* nor a Japanese registration after another office's name: 特許 of
     * 韓国特許第… or 米国特許… never links to J-PlatPat; after an office
     * Espacenet has, its number links there */
    static const struct {
        const char *text, *url;
    } other[] = {{"韓国特許第1234567号", NULL}, {"米国特許第7,123,456号", "pn%3DUS7123456"},
                 {"ドイツ特許第1234567号", NULL}, {"国際特許第123号", NULL},
                 {"アメリカ特許第7,123,456号", "pn%3DUS7123456"}};
    for (size_t k = 0; k < sizeof other / sizeof *other; k++) {
        const char *at = strstr(other[k].text, "特許");
        bool got = cite_at(other[k].text, strlen(other[k].text),
                           (size_t)(at - other[k].text), 2026, &c);
        ck_assert_msg(other[k].url ? got && strstr(c.url, other[k].url) : !got,
                      "%s: read as a Japanese patent", other[k].text);
    }
    /* the office in an earlier run of the paragraph (**米国**特許第…号) */
    ck_assert(cite_after("\xe7\xb1\xb3\xe5\x9b\xbd", 6, "特許第7,123,456号", 21, 0, 2026, &c) &&
              strstr(c.url, "pn%3DUS7123456") && c.len == 21);
    ck_assert(!cite_after("韓国", 6, "特許第1234567号", strlen("特許第1234567号"), 0, 2026, &c));
    ck_assert(!cite_after("ドイ", 6, "ツ特許第1234567号", strlen("ツ特許第1234567号"), 3, 2026, &c));
    ck_assert(cite_after("玄米", 6, "特許第6,123,456号", strlen("特許第6,123,456号"), 0, 2026, &c) &&
              strstr(c.url, "PU/JP-6123456/15/ja"));
    /* but 米 inside a word is no office (発芽玄米特許第…号 is Japanese) */
    static const char *const ours[] = {"発芽玄米特許第6,123,456号", "日本国特許第6,123,456号"};
    for (size_t k = 0; k < sizeof ours / sizeof *ours; k++) {
        const char *at = strstr(ours[k], "特許");
        ck_assert_msg(cite_at(ours[k], strlen(ours[k]), (size_t)(at - ours[k]), 2026, &c) &&
                          strstr(c.url, "PU/JP-6123456/15/ja"),
                      "%s: not read as a Japanese patent", ours[k]);
    }
}
END_TEST


int main(void)
{
    Suite *s = suite_create("parse");
    TCase *tc = tcase_create("parse");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, test_tree, 0, sizeof trees / sizeof *trees);
    tcase_add_loop_test(tc, test_diag, 0, sizeof diags / sizeof *diags);
    tcase_add_test(tc, test_clean_input_no_diag);
    tcase_add_test(tc, test_io_error_kind);
    tcase_add_test(tc, test_manuscript);
    tcase_add_loop_test(tc, test_golden, 0, sizeof goldens / sizeof *goldens);
    tcase_add_test(tc, test_hostile);
    tcase_add_test(tc, test_cite);
    tcase_add_test(tc, test_deep_nesting);
    tcase_add_test(tc, test_iter);
    tcase_add_loop_test(tc, test_url_classify, 0, sizeof urls / sizeof *urls);
    tcase_add_test(tc, test_unlinked_text);
    tcase_add_loop_test(tc, test_conds, 0, sizeof conds / sizeof *conds);
    tcase_add_test(tc, test_cond_errors);
    tcase_add_loop_test(tc, test_fuzz_regressions, 0,
                        sizeof fuzzed / sizeof *fuzzed);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
