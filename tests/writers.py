#!/usr/bin/env python3
"""What a firm's writers actually type (issue 27): each item with its own
manuscript, in both editions, and the three manuscripts of the firm's kind
in tests/writers/ (a patent landscape memo, a bilingual US-law memo, a
case digest without front matter) set with no kinsoku fault and a clean
EPUBCheck.

Run by CTest with KM_BIN, KUMIHAN_DATA and KM_TESTS, like e2e.py."""
import glob
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import zipfile

from kmtest import BIN, EPUBCHECK, JPCHECK, ROOT, epubcheck, flat, run

TESTS = os.environ.get("KM_TESTS", os.path.join(ROOT, "tests"))
WRITERS = os.path.join(TESTS, "writers")
FONTS = "/usr/share/fonts"


def pdftext(pdf, *opts):
    return subprocess.run(["pdftotext", *opts, pdf, "-"], stdout=subprocess.PIPE,
                          text=True).stdout


def epub_text(epub):
    """Every file of an EPUB, as text."""
    z = zipfile.ZipFile(epub)
    return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


class Writers(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="km-writers-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, name, text):
        p = os.path.join(self.tmp, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(text.encode() if isinstance(text, str) else text)
        return p

    def both(self, md, *extra):
        """The PDF and EPUB of md (exit 0 asserted)."""
        base = os.path.splitext(md)[0]
        for kind in ("pdf", "epub"):
            r = run(kind, "-q", *extra, md, "-o", base + "." + kind)
            self.assertEqual(r.returncode, 0, r.stderr)
        return base + ".pdf", base + ".epub"

    # 1. ------------------------------------------------------------------
    def test_comments_reach_no_reader(self):
        secret = "SECRET-7f3a9c"
        md = self.write("c.md", (
            "---\ntitle: 題\n---\n\n<!-- 社内メモ：%s 山田さん確認待ち -->\n\n"
            "本文<!-- inline %s -->です。\n\n- 箇条 <!-- %s -->\n\n"
            "## 見出し<!-- %s -->\n\n![図の説明<!-- %s -->](img.svg)\n\n"
            "<!--\n%s\n複数行\n-->\n\n`<!-- code -->` は残る。\n\n[^1]\n\n"
            "[^1]: 注<!-- %s -->。\n") % ((secret,) * 7))
        self.write("img.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="20" '
                   'height="10"><rect width="20" height="10"/></svg>')
        r = run("check", md)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")  # check says nothing of comments
        pdf, epub = self.both(md)
        self.assertNotIn(secret, pdftext(pdf))
        self.assertNotIn(secret, epub_text(epub))
        qdf = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, "-"],
                             stdout=subprocess.PIPE).stdout
        self.assertNotIn(secret.encode(), qdf)
        self.assertIn("<!--code-->", flat(pdftext(pdf)))  # code keeps its own
        bad = self.write("u.md", "本文。\n\n<!-- 閉じない\n\nあと。\n")
        r = run("check", bad)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, re.escape(bad) + r":3:1: error: this HTML comment "
                         r"is never closed")

    # 2. ------------------------------------------------------------------
    def test_bare_url_in_japanese(self):
        url = "https://ip.example.net/procedures/appeal.pdf?rev=3#sec-4.2"
        md = self.write("u.md", "---\ntitle: 題\n---\n\n"
                        "手続の詳細は%sに掲載されている。[^7]\n\n[^7]: 注の本文。\n" % url)
        r = run("dump", md)  # (dump's columns are bytes)
        self.assertIn('link 5:19 autolink "%s"' % url, r.stdout)
        self.assertIn('text 5:77 "に掲載されている"', r.stdout)  # 。 after the mark
        self.assertIn("noteref", r.stdout)
        pdf, epub = self.both(md)
        urls = subprocess.run(["pdfinfo", "-url", pdf], stdout=subprocess.PIPE,
                              text=True).stdout
        self.assertIn(url, urls)
        self.assertNotIn(url + "に", urls)
        self.assertIn("に掲載されている1)。", flat(pdftext(pdf)))
        body = zipfile.ZipFile(epub).read("OEBPS/s000.xhtml").decode()
        self.assertIn('href="%s"' % url.replace("&", "&amp;"), body)
        self.assertNotIn("[^7]", pdftext(pdf) + epub_text(epub))

    # 3. ------------------------------------------------------------------
    def test_undefined_note_is_an_error(self):
        md = self.write("n.md", "本文。\n\n- 箇条の中[^x]\n\n| 表 |\n|---|\n| 値[^y] |\n")
        for kind in ("check", "pdf", "epub"):
            out = os.path.join(self.tmp, "n." + kind)
            r = run(kind, md, *(["-o", out] if kind != "check" else []))
            self.assertEqual(r.returncode, 1, kind)
            self.assertRegex(r.stderr, re.escape(md) + r":3:7: error: note reference "
                             r"\[\^x\] has no definition")
            self.assertFalse(os.path.exists(out))
        odd = self.write("o.md", "本文[^a b]。\n")
        r = run("check", odd)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r":1:3: error: '\[\^a b\]' is not a note reference")

    # 4. ------------------------------------------------------------------
    def test_byte_order_mark(self):
        md = self.write("b.md", "\ufeff---\ntitle: 題名の試験\ndate: 2025-11-14\n---\n\n本文。\n")
        r = run("dump", md)
        self.assertIn('meta title "題名の試験"', r.stdout)
        self.assertNotIn("hr", r.stdout)
        pdf, epub = self.both(md)
        self.assertIn("題名の試験", pdftext(pdf, "-f", "1", "-l", "1"))
        self.assertNotIn("title:", pdftext(pdf))
        style = self.write("s.yaml", "\ufeffbody:\n  size: 10pt\n")
        self.assertEqual(run("check", "-s", style, md).returncode, 0)

    # 5. ------------------------------------------------------------------
    def test_code_as_written(self):
        long = "grep -E \"machine learning|機械学習|ML\" " + "/very/long/path" * 12 + " | sort"
        md = self.write("k.md", "本文 ``grep -E \"machine learning|機械学習|ML\"`` の後。\n\n"
                        "```\n%s\n    indented 「括弧」\n```\n" % long)
        pdf, epub = self.both(md)
        raw = pdftext(pdf, "-raw")
        self.assertIn('grep -E "machine learning|機械学習|ML"', raw)
        self.assertIn(long, raw.splitlines())  # the long line copies whole
        lines = run("dump", "--lines", md).stdout
        self.assertIn("mark", lines)  # its continuation mark
        self.assertIn("|    indented 「括弧」|", lines)
        css = zipfile.ZipFile(epub).read("OEBPS/style.css").decode()
        self.assertRegex(css, r"pre \{[^}]*text-align: start")
        self.assertRegex(css, r"text-autospace: no-autospace")

    # 6. ------------------------------------------------------------------
    def test_case_numbers_keep_their_form(self):
        md = self.write("j.md", "知財高判令和5年(ネ)第10023号と(訳注)と (Note) と。\n")
        lines = run("dump", "--lines", md).stdout
        body = [l for l in lines.splitlines() if l.startswith("  body")][0]
        # no space beside a half-width bracket around Japanese
        self.assertIn("年(ネ)第", re.sub(r"<\d>", "", body))
        self.assertNotRegex(body, r"年<[1-9]\d>\(|\)<[1-9]\d>第")
        pdf, _ = self.both(md)
        self.assertIn("年(ネ)第", pdftext(pdf, "-raw"))
        # composition.latin-space: none sets the whole citation solid
        style = self.write("solid.yaml", "composition:\n  latin-space: none\n")
        lines = run("dump", "--lines", "-s", style, md).stdout
        self.assertIn("知財高判令和5年(ネ)第10023号と", lines)

    # 7. ------------------------------------------------------------------
    def test_broken_tables_say_so(self):
        md = self.write("t.md", "| 出願人 | 件数 |\n|---|\n| 華為 | 9 |\n\n本文。\n\n"
                        "| 出願人 | 件数 |\n| 華為 | 9 |\n\n本文。\n\n"
                        "｜出願人｜件数｜\n｜---｜---｜\n\n表: 表のない説明\n\n本文。\n")
        r = run("check", md)
        self.assertEqual(r.returncode, 0, r.stderr)
        f = re.escape(md)
        self.assertRegex(r.stderr, f + r":2:1: warning: not read as a table: its "
                         r"delimiter row has 1 cell and its header 2")
        self.assertRegex(r.stderr, f + r":7:1: warning: not read as a table: a table "
                         r"needs a delimiter row")
        self.assertRegex(r.stderr, f + r":12:1: warning: full-width '｜' does not make "
                         r"a table")
        self.assertRegex(r.stderr, f + r":15:1: warning: '表:' begins a table's caption, "
                         r"but no table")

    # 8, 9. --------------------------------------------------------------
    def test_deeper_headings_and_short_forms(self):
        md = self.write("h.md", "---\ntitle: 判例要約\n---\n\n"
                        "## とても長い見出しで目次にも柱にも入りきらないほど長く書かれた"
                        "第一の節の題名 {short=\"第一の節\"}\n\n本文。\n\n"
                        "#### 事件\n\n事件の本文。\n\n##### 争点\n\n争点の本文。\n\n"
                        "###### 付記\n\n付記の本文。\n\n" + "続く本文。\n\n" * 60)
        lines = run("dump", "--lines", md).stdout.splitlines()
        heads = {l.split("|")[1]: l for l in lines if l.startswith("  heading")}
        x = lambda l: float(re.search(r"x=([\d.]+)", l).group(1))
        self.assertEqual(x(heads["事件"]), 97.64)           # h4: flush
        self.assertAlmostEqual(x(heads["争点"]), 97.64 + 10.5, 2)  # h5: a character in
        self.assertNotIn("付記", heads)                     # h6: run-in...
        self.assertTrue(any("|　付記　付記の本文。|" in l for l in lines))
        # contents and running heads use the short form; the outline the whole
        toc = [l for l in lines if l.startswith("  toc")]
        self.assertTrue(any("|第一の節|" in l for l in toc), toc)
        self.assertTrue(any(l.startswith("page") and "head=第一の節" in l for l in lines))
        pdf, epub = self.both(md)
        outline = subprocess.run(["qpdf", "--json", "--json-key=outlines", pdf],
                                 stdout=subprocess.PIPE, text=True).stdout
        self.assertIn("第一の節の題名", outline)
        nav = zipfile.ZipFile(epub).read("OEBPS/nav.xhtml").decode()
        self.assertIn(">第一の節</a>", nav)
        body = zipfile.ZipFile(epub).read("OEBPS/s000.xhtml").decode()
        self.assertIn('class="h6 run-in"', body)
        self.assertIn('class="h5"', body)

    # 10. -----------------------------------------------------------------
    def test_small_mistakes_named(self):
        md = self.write("l.md", "---\ntitle: 題\nlang: jp\ntitel: x\n---\n\n本文。\n")
        r = run("check", md)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, re.escape(md) + r":3:7: error: front matter: lang "
                         r"'jp' is not a language tag: did you mean 'ja'\?")
        self.assertRegex(r.stderr, re.escape(md) + r":4:1: warning: unknown "
                         r"front-matter key 'titel': did you mean 'title'\?")
        self.write("applicants.svg", '<svg xmlns="http://www.w3.org/2000/svg" '
                   'width="10" height="10"/>')
        md = self.write("i.md", "![出願人](Applicants.SVG)\n")
        r = run("check", md)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no such file, but there is 'applicants.svg': file names are "
                      "case-sensitive", r.stderr)

    # 11. -----------------------------------------------------------------
    def test_columns_and_every_error(self):
        md = self.write("e.md", "---\ntitle: 題\nlang: jp\n---\n\n"
                        "長い日本語の文のあとにルビの誤り{漢字|}がある。[^x]\n\n"
                        "![図](none.png)\n")
        r = run("check", md)
        self.assertEqual(r.returncode, 1)
        f = re.escape(md)
        self.assertRegex(r.stderr, f + r":3:7: error: front matter: lang")
        self.assertRegex(r.stderr, f + r":6:17: error: ruby '\{漢字\|\}'")
        self.assertRegex(r.stderr, f + r":6:26: error: note reference \[\^x\]")
        self.assertRegex(r.stderr, f + r":8:1: error: image 'none.png'")

    # 12. -----------------------------------------------------------------
    def test_outputs_where_asked(self):
        md = self.write("w/r.md", "---\ntitle: 題\neditions:\n  - id: a\n    to: 甲 御中\n"
                        "  - id: b\n    to: 乙 御中\n---\n\n本文。\n\n![](x.svg)\n")
        self.write("w/x.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>')
        cwd = os.path.join(self.tmp, "w")
        r = subprocess.run([os.path.abspath(BIN), "pdf", "r.md"], cwd=cwd,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.isfile(os.path.join(cwd, "out", "r.pdf")))
        one = os.path.join(self.tmp, "one.pdf")
        r = run("pdf", "--edition", "b", md, "-o", one)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.isfile(one))
        r = run("pdf", "--editions", md, "-o", os.path.join(self.tmp, "eds"))
        self.assertEqual(r.stderr.count("has no alt text"), 1, r.stderr)

    # 13. -----------------------------------------------------------------
    def test_epub_language_marks_and_backlinks(self):
        md = self.write("m.md", "日本語の段落です。[^1]\n\n"
                        "This paragraph is written in English throughout.[^1]\n\n"
                        "> An English quote, in a Japanese memo.\n\n[^1]: 注。\n")
        _, epub = self.both(md)
        body = zipfile.ZipFile(epub).read("OEBPS/s000.xhtml").decode()
        self.assertIn('<p lang="en" xml:lang="en">This paragraph', body)
        self.assertIn('<blockquote lang="en" xml:lang="en">', body)
        # the mark before 。 (the Japanese way), kept with the character
        # before it
        self.assertRegex(body, r'<span class="nobr">す<a [^>]*epub:type="noteref"'
                         r'[^>]*>1\)</a></span>。')
        notes = zipfile.ZipFile(epub).read("OEBPS/notes.xhtml").decode()
        self.assertIn('href="s000.xhtml#ref1"', notes)
        self.assertIn('href="s000.xhtml#ref1-2"', notes)
        out = epubcheck(epub)
        self.assertIn("0 fatals / 0 errors / 0 warnings", out, out[-1500:])

    # 14. -----------------------------------------------------------------
    def test_the_firms_typeface(self):
        md = self.write("f.md", "---\ntitle: 書体\n---\n\n## 見出し\n\n本文の明朝。\n")
        ipa = glob.glob(FONTS + "/**/ipaexm.ttf", recursive=True)
        if ipa:  # a file dropped in the style's fonts.dir
            with open(ipa[0], "rb") as f:
                self.write("firm/myfonts/ipaexm.ttf", f.read())
            style = self.write("firm/firm.yaml", "body:\n  font: IPAexMincho\n"
                               "fonts:\n  dir: myfonts\n")
            pdf, _ = self.both(md, "-s", style)
            fonts = subprocess.run(["pdffonts", pdf], stdout=subprocess.PIPE,
                                   text=True).stdout
            self.assertIn("IPAexMincho", fonts)
        if glob.glob(FONTS + "/**/BIZUDMincho-Regular.ttf", recursive=True):
            style = os.path.join(ROOT, "styles", "bizud.yaml")
            pdf, _ = self.both(md, "-s", style)
            fonts = subprocess.run(["pdffonts", pdf], stdout=subprocess.PIPE,
                                   text=True).stdout
            self.assertIn("BIZUDMincho", fonts)
            self.assertIn("BIZUDGothic", fonts)
        bad = self.write("bad.yaml", "body:\n  font: Comic Sans\ncode:\n  font: Noto Serif\n")
        r = run("check", "-s", bad, md)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, re.escape(bad) + r":2:9: error: body.font: font "
                         r"'Comic Sans' is not installed: put its files")
        self.assertRegex(r.stderr, re.escape(bad) + r":4:9: error: code.font: font "
                         r"'Noto Serif' has no Japanese glyphs")
        # nothing else the machine has is seen
        r = run("dump", "--lines", md)
        self.assertEqual(r.returncode, 0)

    # 15. -----------------------------------------------------------------
    def test_no_date(self):
        md = self.write("d.md", "---\ntitle: 日付なし\n---\n\n本文。\n")
        os.utime(md, (1700000000, 1700000000))  # 2023-11-14
        env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
        pdf = os.path.join(self.tmp, "d.pdf")
        r = subprocess.run([BIN, "pdf", "-q", md, "-o", pdf], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        info = subprocess.run(["pdfinfo", pdf], stdout=subprocess.PIPE, text=True).stdout
        self.assertRegex(info, r"CreationDate:\s+Tue Nov 14 00:00:00 2023")
        pages = pdftext(pdf).split("\f")
        self.assertIn("2023年11月14日第1版発行", flat(pages[-2]))

    # the firm's three manuscripts ----------------------------------------
    def test_three_manuscripts(self):
        for name in ("patent-memo", "us-law-memo", "case-digest"):
            src = os.path.join(WRITERS, name + ".md")
            r = run("check", src)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(src, encoding="utf-8") as f:
                md = self.write(name + ".md", f.read())
            pdf, epub = self.both(md)
            if os.path.exists(JPCHECK):
                j = subprocess.run(["python3", JPCHECK, "--max-list", "5", pdf],
                                   stdout=subprocess.PIPE, text=True).stdout
                self.assertIn('"kinsoku": {"total": 0', j, j)
            if os.path.exists(EPUBCHECK):
                out = epubcheck(epub)
                self.assertIn("0 fatals / 0 errors / 0 warnings", out, out[-1500:])


if __name__ == "__main__":
    unittest.main()
