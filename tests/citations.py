#!/usr/bin/env python3
"""Patent numbers and case numbers in the text (issue 33, part 1): each
patent number a link to its office's public record in both editions
(pdfinfo -url, the EPUB's hrefs), the malformed ones a warning at their
file:line:col and no link, case numbers never parted by a line end, and
the style's links.patents: false leaving the text unlinked.

Run by CTest with KM_BIN and KUMIHAN_DATA, as e2e.py."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import zipfile

from kmtest import ROOT, epubcheck, EPUBCHECK, run

SRC = os.path.join(os.environ.get("KM_TESTS", "tests"), "data", "citations.md")
JPP = "https://www.j-platpat.inpit.go.jp/c1801/PU/JP-"
ESP = "https://worldwide.espacenet.com/patent/search?q=pn%3D"
WIPO = "https://patentscope.wipo.int/search/en/detail.jsf?docId="
# each in the order it stands; the addresses are J-PlatPat's fixed form
# (c1801/PU/JP-…/11 公開・公表, /15 特許, /25 実用新案登録), PATENTSCOPE's
# detail page and Espacenet's search by publication number
LINKS = [
    ("特開2023-123456", JPP + "2023-123456/11/ja"),
    ("特表2019-512345", JPP + "2019-512345/11/ja"),
    ("特許第7,123,456号", JPP + "7123456/15/ja"),
    ("実用新案登録第３２４４８４７号", JPP + "3244847/25/ja"),
    ("WO2022/123456 A1", WIPO + "WO2022123456"),
    ("US 11,234,567 B2", ESP + "US11234567B2"),
    ("US 2023/0123456 A1", ESP + "US2023123456A1"),
    ("EP 1 234 567 B1", ESP + "EP1234567B1"),
    ("CN 112345678 A", ESP + "CN112345678A"),
    ("特開平10-123456号", JPP + "H10-123456/11/ja"),
    ("再表2018/012345", WIPO + "WO2018012345"),
    ("特開2023-123456", JPP + "2023-123456/11/ja"),
    ("特許第7,123,456号", JPP + "7123456/15/ja"),
    ("WO2022/123456 A1", WIPO + "WO2022123456"),
    ("US 11,234,567 B2", ESP + "US11234567B2"),
    ("EP 1 234 567 B1", ESP + "EP1234567B1"),
    ("JP 6789012 B2", JPP + "6789012/15/ja"),
]
CASES = ["令和4年(ネ)第10023号", "平成30年（行ケ）第10001号", "平成元年(オ)第123号",
         "令和99年(ネ)第1号"]


def pdf_urls(pdf):
    out = subprocess.run(["pdfinfo", "-url", pdf], stdout=subprocess.PIPE, text=True,
                         check=True).stdout
    return [l.split()[-1] for l in out.splitlines()[1:]]


def epub_links(epub):
    with zipfile.ZipFile(epub) as z:
        body = "".join(z.read(n).decode() for n in z.namelist()
                       if n.endswith(".xhtml") and "/s" in n)
    return (re.findall(r'<a href="(http[^"]*)">([^<]*)</a>', body),
            re.findall(r'<span class="nobreak">([^<]*)</span>', body))


class Citations(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="km-cite-")
        cls.pdf = os.path.join(cls.tmp, "c.pdf")
        cls.epub = os.path.join(cls.tmp, "c.epub")
        cls.err = {}
        for kind, out in (("pdf", cls.pdf), ("epub", cls.epub)):
            r = run(kind, "-q", SRC, "-o", out)
            assert r.returncode == 0, r.stderr
            cls.err[kind] = r.stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_pdf_links(self):
        # a link that spans two lines would be listed twice: none does
        self.assertEqual(pdf_urls(self.pdf), [u for _, u in LINKS])

    def test_epub_links(self):
        links, cases = epub_links(self.epub)
        self.assertEqual([(u, t) for t, u in LINKS], links)
        self.assertEqual(cases, CASES)

    def test_malformed_warned_where_written(self):
        for kind in ("pdf", "epub"):
            warnings = [l for l in self.err[kind].splitlines() if ": warning: " in l]
            self.assertEqual(len(warnings), 4, self.err[kind])
            line = "%s:20:" % SRC
            for col, what in ((1, "the year is in the future"),
                              (15, "a 特表 number begins with 5"),
                              (29, "an EP publication number has seven digits"),
                              (41, "impossible year: 令和 runs from 元年")):
                self.assertTrue(any(l.startswith("%s%d: warning: " % (line, col)) and what in l
                                    for l in warnings), (col, what, warnings))

    def test_kept_whole(self):
        """in a measure of 16 characters, a case number whole on one line
        or parted only after its bracketed symbol (平成30年（行ケ）|第10001号);
        a patent number parted, if at all, only after its prefix, a
        hyphen, slash or comma or at a space (dump --lines prints each
        line's text), so that no line is spaced past the limits"""
        style = os.path.join(self.tmp, "narrow.yaml")
        with open(os.path.join(ROOT, "styles", "handout.yaml"), encoding="utf-8") as f:
            base = f.read()
        with open(style, "w", encoding="utf-8") as f:
            f.write(re.sub(r"chars-per-line: *\d+", "chars-per-line: 16", base))
        r = run("dump", "--lines", "-s", style, SRC)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [re.sub(r"<-?\d+>", "", m) for m in  # the spacing between cells
                 re.findall(r"^  body .*\|(.*)\|$", r.stdout, re.M)]
        text = "\n".join(lines)
        for whole in CASES:
            sym = re.search(r"[)）]", whole).end()
            self.assertTrue(whole in text or whole[:sym] + "\n" + whole[sym:] in text, whole)
        parted = 0
        for whole, _ in LINKS:
            if whole in text:
                continue
            at = [k for k in range(1, len(whole))
                  if whole[:k] + "\n" + whole[k:].lstrip(" ") in text.replace("\n ", "\n")]
            self.assertTrue(at, whole)
            a, b = whole[at[0] - 1], whole[at[0]]
            self.assertTrue(a in "-/," or b == " " or (ord(a) > 0x2E80 and ord(b) < 0x80),
                            (whole, at))
            parted += 1
        self.assertGreater(parted, 0)  # the measure does part some

    def test_parted_after_prefix_before_digits(self):
        """a patent number that must be parted is parted after its prefix
        (特許第|7,123,456号), not between its groups of digits
        (特許第7,123,|456号, which readers take for two numbers)"""
        md = os.path.join(self.tmp, "prefix.md")
        with open(md, "w", encoding="utf-8") as f:
            f.write("---\ntitle: t\n---\n\nまたライセンス実施。についてChatGPT審査主張知能しかし"
                    "出願を特許第7,123,456号自動17120件プラットフォーム政府に争点対策推論も"
                    "ライセンス。\n")
        r = run("dump", "--lines", md)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [re.sub(r"<-?\d+>", "", l.split("|")[1]) for l in r.stdout.splitlines()
                 if l.startswith("  body ")]
        self.assertTrue(lines[0].endswith("特許第") and lines[1].startswith("7,123,456号"),
                        lines)

    def test_whole_in_the_measure(self):
        """in the handout's 40 characters no patent number is parted: each
        link is one annotation (test_pdf_links) and whole in a line"""
        r = run("dump", "--lines", SRC)
        text = re.sub(r"<-?\d+>", "", r.stdout)
        for whole, _ in LINKS:
            self.assertIn(whole, text, whole)

    def test_links_off(self):
        style = os.path.join(self.tmp, "nolinks.yaml")
        with open(os.path.join(ROOT, "styles", "handout.yaml"), encoding="utf-8") as f:
            base = f.read()
        with open(style, "w", encoding="utf-8") as f:
            f.write(base + "\nlinks:\n  patents: false\n")
        pdf, epub = (os.path.join(self.tmp, "off." + k) for k in ("pdf", "epub"))
        for kind, out in (("pdf", pdf), ("epub", epub)):
            r = run(kind, "-q", "-s", style, SRC, "-o", out)
            self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(pdf_urls(pdf), [])
        links, cases = epub_links(epub)
        self.assertEqual(links, [])
        self.assertEqual(cases, CASES)

    def test_office_in_another_run(self):
        """the office named in emphasis or a link just before 特許第…号 (or
        in katakana, or before a note mark or a space) is that number's
        office in both editions: Espacenet, never J-PlatPat's page for the
        same digits; a paragraph before it names none; an office struck
        out leaves its number unlinked"""
        md = os.path.join(self.tmp, "office.md")
        with open(md, "w", encoding="utf-8") as f:
            f.write("本件は**米国**特許第7,123,456号と*韓国*特許第1234567号、"
                    "アメリカ特許第7,654,321号、[米国](https://example.com/)"
                    "特許第7,111,222号および特許第6,123,456号に関する。\n\n"
                    "**米国**\n\n特許第6,543,210号は日本の特許である。\n\n"
                    "<del>米国</del>特許第6,123,451号、~~米国~~特許第6,123,452号、"
                    "~~旧~~特許第6,123,453号、<u>米国</u>特許第6,123,454号、"
                    "米国[^1]特許第6,123,455号、米国 特許第6,123,456号。\n\n[^1]: 注。\n")
        want = [ESP + "US7123456", ESP + "US7654321", "https://example.com/",
                ESP + "US7111222", JPP + "6123456/15/ja", JPP + "6543210/15/ja",
                JPP + "6123453/15/ja", ESP + "US6123454", ESP + "US6123455",
                ESP + "US6123456"]
        pdf, epub = (os.path.join(self.tmp, "office." + k) for k in ("pdf", "epub"))
        r = run("pdf", "-q", md, "-o", pdf, "--epub", epub)
        self.assertEqual(r.returncode, 0, r.stderr)
        urls = [u for u in pdf_urls(pdf) if u.startswith("http")]
        self.assertEqual(urls, want)
        links, _ = epub_links(epub)
        self.assertEqual([u for u, _ in links], want)

    @unittest.skipUnless(os.path.exists(EPUBCHECK), "epubcheck absent")
    def test_epubcheck(self):
        self.assertIn("0 fatals / 0 errors / 0 warnings", epubcheck(self.epub))


class ParagraphNumbers(unittest.TestCase):
    """paragraphs.numbers: head numbers the body's paragraphs 【０００１】 as
    patent specifications do: the same numbers in the PDF (printed, and
    named destinations p0001) and the EPUB (printed, and anchors #p0001);
    notes, list items, cells and captions are not numbered; off (the
    house styles) prints none"""

    def test_same_numbers_in_both(self):
        tmp = tempfile.mkdtemp(prefix="km-pno-")
        try:
            style = os.path.join(tmp, "pn.yaml")
            with open(os.path.join(ROOT, "styles", "handout.yaml"), encoding="utf-8") as f:
                base = f.read()
            with open(style, "w", encoding="utf-8") as f:
                f.write(base + "\nparagraphs:\n  numbers: head\n")
            pdf, epub = (os.path.join(tmp, "c." + k) for k in ("pdf", "epub"))
            for kind, out in (("pdf", pdf), ("epub", epub)):
                r = run(kind, "-q", "-s", style, SRC, "-o", out)
                self.assertEqual(r.returncode, 0, r.stderr)
            with open(SRC, encoding="utf-8") as f:
                body = f.read().split("---", 2)[2]
            paras = [b for b in re.split(r"\n\s*\n", body)
                     if b.strip() and not b.lstrip().startswith("#")]
            want = ["【%s】" % "".join(chr(0xFF10 + int(d)) for d in "%04d" % i)
                    for i in range(1, len(paras) + 1)]
            text = subprocess.run(["pdftotext", pdf, "-"], stdout=subprocess.PIPE,
                                  text=True, check=True).stdout
            # (pdftotext reads a spaced-out line's gaps as spaces)
            self.assertEqual(re.findall(r"【[０-９]{4}】", re.sub(r"\s+", "", text)), want)
            dests = subprocess.run(["pdfinfo", "-dests", pdf], stdout=subprocess.PIPE,
                                   text=True, check=True).stdout
            self.assertEqual(re.findall(r'"(p\d{4})"', dests),
                             ["p%04d" % i for i in range(1, len(paras) + 1)])
            with zipfile.ZipFile(epub) as z:
                xhtml = "".join(z.read(n).decode() for n in sorted(z.namelist())
                                if re.search(r"/s\d+\.xhtml$", n))
            self.assertEqual(re.findall(r'<p id="(p\d{4})"[^>]*><span class="pno">([^<]*)<',
                                        xhtml),
                             [("p%04d" % i, w) for i, w in enumerate(want, 1)])
            self.assertIn("0 fatals / 0 errors / 0 warnings", epubcheck(epub))
            # the house style: none
            r = run("dump", "--lines", SRC)
            self.assertNotIn("【０００１】", r.stdout)
        finally:
            shutil.rmtree(tmp)


    def test_back_matter_and_loose_lines(self):
        """a closing 参考資料 section's paragraphs are numbered in neither
        edition (the EPUB numbered them); a paragraph's number is set
        solid even on a line spread to its limit"""
        tmp = tempfile.mkdtemp(prefix="km-pno-")
        try:
            style = os.path.join(tmp, "pn.yaml")
            with open(style, "w", encoding="utf-8") as f:
                f.write("paragraphs:\n  numbers: head\n")
            md = os.path.join(tmp, "b.md")
            with open(md, "w", encoding="utf-8") as f:
                f.write("## 判決\n\nマキサカルシトール事件最高裁判決（最判平成29年3月24日"
                        "平成28年(受)第1242号）は、容易に想到できた構成を記載しなかった"
                        "ことだけでは第5要件を欠くとはいえないとした。\n\n"
                        "## 参考資料\n\n本文で引用しなかった資料を掲げる。\n\n1. 資料\n")
            pdf, epub = (os.path.join(tmp, "b." + k) for k in ("pdf", "epub"))
            r = run("pdf", "-q", "-s", style, md, "-o", pdf, "--epub", epub)
            self.assertEqual(r.returncode, 0, r.stderr)
            dests = subprocess.run(["pdfinfo", "-dests", pdf], stdout=subprocess.PIPE,
                                   text=True, check=True).stdout
            self.assertEqual(re.findall(r'"(p\d{4})"', dests), ["p0001"])
            with zipfile.ZipFile(epub) as z:
                names = z.namelist()
                xhtml = "".join(z.read(n).decode() for n in sorted(names)
                                if n.endswith(".xhtml"))
            self.assertEqual(re.findall(r'id="(p\d{4})"', xhtml), ["p0001"])
            self.assertEqual(xhtml.count('class="pno"'), 1)
            lines = run("dump", "--lines", "-s", style, md).stdout
            first = [l for l in lines.splitlines() if "【０００１】" in l][0]
            self.assertIn("|【０００１】", first)
            self.assertNotRegex(first, r"【[０-９<>\d]*<\d+>[０-９]")
        finally:
            shutil.rmtree(tmp)

    def test_run_in_heading_paragraph(self):
        """a paragraph a run-in heading (######) begins: its number before
        the heading in both editions, and its destination p0002 in the
        PDF beside the heading's"""
        tmp = tempfile.mkdtemp(prefix="km-pno-")
        try:
            style = os.path.join(tmp, "pn.yaml")
            with open(style, "w", encoding="utf-8") as f:
                f.write("paragraphs:\n  numbers: head\n")
            md = os.path.join(tmp, "r.md")
            with open(md, "w", encoding="utf-8") as f:
                f.write("## 経緯\n\n最初の段落。\n\n###### 争点\n\n本件の争点は進歩性である。\n\n"
                        "最後の段落。\n")
            pdf, epub = (os.path.join(tmp, "r." + k) for k in ("pdf", "epub"))
            r = run("pdf", "-q", "-s", style, md, "-o", pdf, "--epub", epub)
            self.assertEqual(r.returncode, 0, r.stderr)
            text = re.sub(r"\s+", "", subprocess.run(["pdftotext", pdf, "-"],
                                                     stdout=subprocess.PIPE, text=True,
                                                     check=True).stdout)
            self.assertIn("【０００２】争点本件の争点は進歩性である。【０００３】最後", text)
            dests = subprocess.run(["pdfinfo", "-dests", pdf], stdout=subprocess.PIPE,
                                   text=True, check=True).stdout
            self.assertEqual(re.findall(r'"(p\d{4})"', dests), ["p0001", "p0002", "p0003"])
            with zipfile.ZipFile(epub) as z:
                xhtml = "".join(z.read(n).decode() for n in sorted(z.namelist())
                                if re.search(r"/s\d+\.xhtml$", n))
            plain = re.sub(r"<[^>]+>", "", xhtml)
            self.assertIn("【０００２】争点本件の争点は進歩性である。", plain)
            self.assertEqual(plain.count("【０００２】"), 1)
            self.assertIn('<p id="p0002"', xhtml)
        finally:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    unittest.main()
