#!/usr/bin/env python3
"""Vertical writing (縦組み) in both editions, with a writing-mode:
vertical-rl style (styles/tategaki.yaml): the EPUB's CSS, right-to-left
pages and tate-chu-yoko spans; the PDF read back by tests/vcheck.py (one
x per column, a fixed pitch, full columns, kinsoku, upright digits one em
wide) on the report and on tests/data, its copy-paste text in reading
order, and its right-to-left binding.

Run by CTest with KM_BIN and KUMIHAN_DATA, as e2e.py."""
import glob
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import zipfile

import vcheck
from kmtest import (EPUBCHECK, REPORT, ROOT, epubcheck, raw_text, report_paragraphs,
                    report_urls, run)

STYLE = os.path.join(ROOT, "styles", "tategaki.yaml")
TESTS = os.path.dirname(os.path.abspath(__file__))



class Vertical(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="km-tate-")
        cls.src = os.path.join(cls.tmp, "v.md")
        with open(cls.src, "w", encoding="utf-8") as f:
            f.write("---\ntitle: 縦組み\n---\n\n2025年7月26日から30カ国の専門家が^AI^に"
                    "ついて語った。WAIC2025は上海で開かれ、800社が参加し、会期は4日間、"
                    "*強調7日*だった。\n")
        cls.epub = os.path.join(cls.tmp, "v.epub")
        r = run("epub", "-q", "-s", STYLE, cls.src, "-o", cls.epub)
        assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_tate_chu_yoko(self):
        """1-2 half-width digits with no Latin beside them upright; 2025,
        800 and WAIC2025 turned; ^AI^ upright as written"""
        body = zipfile.ZipFile(self.epub).read("OEBPS/s000.xhtml").decode()
        tcy = re.findall(r'<span class="tcy">([^<]*)</span>', body)
        self.assertEqual(tcy, ["7", "26", "30", "AI", "4", "7"])
        self.assertIn("2025年", body)
        self.assertIn("WAIC2025は", body)

    def test_upright_capitals(self):
        """composition.upright-capitals (3 in the vertical style): AI, EU
        and LLM alone stand upright, a letter an em, in both editions;
        WAIC, AIoT and Claude stay turned"""
        src = os.path.join(self.tmp, "caps.md")
        with open(src, "w", encoding="utf-8") as f:
            f.write("---\ntitle: 大文字\n---\n\n中国AIの全貌とEUの規則、LLMの評価。"
                    "WAICとAIoTとClaudeは横に寝かせる。\n")
        pdf, epub = (os.path.join(self.tmp, "caps." + k) for k in ("pdf", "epub"))
        r = run("pdf", "-q", "-s", STYLE, src, "-o", pdf, "--epub", epub)
        self.assertEqual(r.returncode, 0, r.stderr)
        body = zipfile.ZipFile(epub).read("OEBPS/s000.xhtml").decode()
        self.assertEqual(re.findall(r'<span class="upright">([^<]*)</span>', body),
                         ["AI", "EU", "LLM"])
        self.assertIn("text-orientation: upright",
                      zipfile.ZipFile(epub).read("OEBPS/style.css").decode())
        words = vcheck.read(pdf, 2, 2)[0]
        up = "".join(w.text for w in sorted(words, key=lambda w: (-round(w.cx), w.y0))
                     if w.upright and w.text.isascii() and w.text.isalpha())
        self.assertEqual(up, "AIEULLM")
        turned = [w.text for w in words if not w.upright]
        for word in ("WAIC", "AIoT", "Claude"):
            self.assertIn(word, turned)

    def test_title_wider_than_the_measure(self):
        """fuzz_pipeline's finds: a title line that fits only closed up (a
        run broken as a last resort) was centred past the text block's
        edge; a title of many lines ran past the title page's foot; the
        layout's self-check stopped the run (exit 3)"""
        for name in ("fuzz-vertical-title.md", "fuzz-vertical-title-page.md"):
            src = os.path.join(os.environ.get("KM_TESTS", "tests"), "bad", name)
            out = os.path.join(self.tmp, "title.pdf")
            r = run("pdf", "-q", "-s", STYLE, src, "-o", out)
            self.assertEqual(r.returncode, 0, name + ": " + r.stderr)
            self.assertNotIn("internal error", r.stderr)

    def test_heading_longer_than_a_page(self):
        """fuzz_pipeline's find: a heading of more lines than a page holds
        (a paragraph written as one) was set whole on one page, past the
        text block; the layout's self-check stopped the run (exit 3). Its
        lines now go on over the next page, each inside the block"""
        src = os.path.join(os.environ.get("KM_TESTS", "tests"), "bad",
                           "fuzz-heading-longer-than-page.md")
        out = os.path.join(self.tmp, "heading.pdf")
        r = run("pdf", "-q", "-s", STYLE, src, "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("internal error", r.stderr)
        r = run("dump", "--lines", "-s", STYLE, src)
        pages = [p for p in r.stdout.split("\npage ") if "  heading " in p
                 and "Representatives" in p]
        self.assertGreater(len(pages), 1, "the heading stood on one page")

    def test_css_and_spine(self):
        z = zipfile.ZipFile(self.epub)
        css = z.read("OEBPS/style.css").decode()
        for want in ("writing-mode: vertical-rl", "-epub-writing-mode: vertical-rl",
                     "text-orientation: mixed", "text-combine-upright: all",
                     "-epub-text-combine: horizontal"):
            self.assertIn(want, css)
        opf = z.read("OEBPS/package.opf").decode()
        self.assertIn('page-progression-direction="rtl"', opf)
        # the vertical print edition numbers the pages
        self.assertIn("printPageNumbers", opf)
        self.assertIn('epub:type="page-list"', z.read("OEBPS/nav.xhtml").decode())

    @unittest.skipUnless(os.path.exists(EPUBCHECK), "epubcheck absent")
    def test_epubcheck(self):
        out = epubcheck(self.epub)
        self.assertIn("0 fatals / 0 errors / 0 warnings", out, out[-2000:])

    def test_long_tcy_warns(self):
        src = os.path.join(self.tmp, "w.md")
        with open(src, "w", encoding="utf-8") as f:
            f.write("本文^ABCDE^です。\n")
        r = run("check", src)
        self.assertRegex(r.stderr, re.escape(src) + r":1:3: warning: tate-chu-yoko "
                         r"'ABCDE' is 5 characters")

    def test_horizontal_unchanged(self):
        """in a horizontal style ^AI^ is its two letters, no carets"""
        r = run("dump", "--lines", self.src)
        text = re.sub(r"<-?\d+>", "", r.stdout)
        self.assertNotIn("^", text)
        self.assertIn("専門家がAIについて", text)


def pdf_of(src, out, *more):
    r = run("pdf", "-q", "-s", STYLE, *more, src, "-o", out)
    assert r.returncode == 0, r.stderr
    return out


class VerticalPDF(unittest.TestCase):
    """The report set vertically, read back."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="km-tate-pdf-")
        cls.pdf = pdf_of(REPORT, os.path.join(cls.tmp, "r.pdf"))
        cls.faults, cls.stats = vcheck.check(cls.pdf)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_read_back_clean(self):
        """0 kinsoku, 0 ragged, 0 off-pitch, 0 off-column, 0 tcy faults;
        and the reading saw what it should: the body at 9 pt on a 16 pt
        pitch, the notes at 7.5 pt on 12 pt, hundreds of full columns,
        upright digits and turned Latin"""
        self.assertEqual({k: v for k, v in self.faults.items() if v}, {})
        st = self.stats
        self.assertEqual(st["body"], 9.0)
        self.assertAlmostEqual(st["pitch"]["9.0"], 16.0, places=1)
        self.assertAlmostEqual(st["pitch"]["7.5"], 12.0, places=1)
        self.assertGreater(st["full"], 150)
        self.assertGreater(st["tcy"], 50)
        self.assertGreater(st["turned"], 300)
        # the block: A5 (420 x 595 pt) with 40 x 9 pt = 360 pt columns,
        # centred: from 117.5 to 477.5 pt down the page
        self.assertAlmostEqual(st["head"], 117.5, delta=0.5)
        self.assertAlmostEqual(st["foot"], 477.5, delta=0.5)

    def test_pages(self):
        """A5 upright; right-bound: the catalog says /Direction /R2L"""
        info = subprocess.run(["pdfinfo", self.pdf], stdout=subprocess.PIPE,
                              text=True).stdout
        self.assertRegex(info, r"Page size:\s+419\.5\d* x 595\.2\d* pts")
        out = subprocess.run(["qpdf", "--show-object=trailer", self.pdf],
                             stdout=subprocess.PIPE, text=True).stdout
        root = re.search(r"/Root (\d+) 0 R", out).group(1)
        cat = subprocess.run(["qpdf", "--show-object=" + root, self.pdf],
                             stdout=subprocess.PIPE, text=True).stdout
        self.assertRegex(cat, r"/ViewerPreferences << (/\w+ \w+ )*/Direction /R2L")
        self.assertIn("/Type /Catalog", cat)
        chk = subprocess.run(["qpdf", "--check", self.pdf], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
        self.assertEqual(chk.returncode, 0, chk.stdout)

    def test_reading_order(self):
        """pdftotext -raw gives every paragraph's text in reading order
        (columns right to left, each top to bottom), character for
        character: cropped to the text block, which leaves out the
        running head and folio, and with poppler's line breaks (it reads
        each upright character as a line) joined"""
        raw = raw_text(self.pdf, "-x", "75", "-y", "100", "-W", "270", "-H", "395")
        squeezed = re.sub(r"\d+(,\d+)*\)", "", re.sub(r"[\s\u00ad]+", "", raw))
        paras = report_paragraphs()
        self.assertGreater(len(paras), 60)
        for src in paras:
            self.assertIn(src, squeezed)
        for s in ("上海で開催された「世界人工知能大会（WAIC2025）」は、中国AI産業の到達点",
                  "定価168元の1日チケットが転売市場で1500元まで高騰し",
                  "30カ国以上から1,200人以上の専門家が集結した。"):
            self.assertIn(s, squeezed)

    def test_urls_exact(self):
        """the notes' URLs, turned with the lines and broken at their own
        break points, read back as written"""
        urls = report_urls()
        self.assertGreater(len(urls), 100)
        joined = re.sub(r"\u00ad?\n", "", raw_text(self.pdf))
        for u in urls:
            self.assertIn(u, joined)

    def test_running_head_on_the_fore_edge(self):
        """the running head stands on the fore-edge side, as the folio:
        right of the first column on even pages, left of the last on odd
        ones (a right-bound book's left-hand pages); in dump --lines the
        frame is turned, so the head's y is above or below the body's"""
        r = run("dump", "--lines", "-s", STYLE, REPORT)
        self.assertEqual(r.returncode, 0, r.stderr)
        seen = set()
        for page in r.stdout.split("\npage ")[1:]:
            head = re.search(r"^  head .* y=([\d.]+)", page, re.M)
            folio = re.search(r"^  folio .*\|(\d+)\|$", page, re.M)
            body = [float(y) for y in re.findall(r"^  body .* y=([\d.]+)", page, re.M)]
            if not (head and folio and body):
                continue
            y, odd = float(head.group(1)), int(folio.group(1)) % 2 == 1
            if odd:
                self.assertGreater(y, max(body), page[:80])
            else:
                self.assertLess(y, min(body), page[:80])
            seen.add(odd)
        self.assertEqual(seen, {True, False})

    def test_tcy_as_the_epub(self):
        """the digit runs the PDF sets upright are the EPUB's tcy spans:
        7 and 26 and 29 upright in 2025年7月26日から29日, 2025 turned"""
        words = vcheck.read(self.pdf, 5, 5)[0]
        # in reading order: columns right to left, each top down (not
        # pdftotext's order, which the running head's side can change)
        words.sort(key=lambda w: (-round(w.cx), w.y0))
        up = [w.text for w in words if w.upright and w.text.isdigit()]
        self.assertEqual(up[:3], ["7", "26", "29"])
        self.assertIn("2025", [w.text for w in words if not w.upright])


class VerticalManuscripts(unittest.TestCase):
    """tests/data set vertically: the same read-back, 0 faults"""

    def test_data(self):
        tmp = tempfile.mkdtemp(prefix="km-tate-data-")
        try:
            found = sorted(glob.glob(os.path.join(TESTS, "data", "*.md")))
            self.assertGreaterEqual(len(found), 5)
            for src in found:
                with self.subTest(src=os.path.basename(src)):
                    pdf = pdf_of(src, os.path.join(tmp, "m.pdf"))
                    faults, stats = vcheck.check(pdf)
                    self.assertEqual({k: v for k, v in faults.items() if v}, {})
                    self.assertGreater(stats["full"], 10)
        finally:
            shutil.rmtree(tmp)


class CheckerFinds(unittest.TestCase):
    """tests/vcheck.py itself: a clean vertical page, spoilt one way at a
    time, gives exactly that fault"""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="km-tate-chk-")
        cls.pdf = pdf_of(REPORT, os.path.join(cls.tmp, "r.pdf"))
        cls.pages = vcheck.read(cls.pdf)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def spoilt(self, change):
        import copy
        pages = copy.deepcopy(self.pages)
        change(pages[4])  # page 5: body text, tate-chu-yoko, Latin
        return vcheck.check_pages(pages)[0]

    def column(self, page, n):
        """the words of page's n-th body column from the right"""
        cols = vcheck.columns(page)
        body = [c for c in cols if c.em == 9.0 and len(c.words) > 20]
        return body[n].words

    def test_clean(self):
        self.assertEqual({k: v for k, v in self.spoilt(lambda p: None).items() if v}, {})

    def test_ragged(self):
        def cut(page):
            for w in self.column(page, 1)[-3:]:
                page.remove(w)
        f = self.spoilt(cut)
        self.assertEqual(len(f["ragged"]), 1, f)

    def test_off_pitch(self):
        def shift(page):
            for w in self.column(page, 2):
                w.x0 += 3
                w.x1 += 3
                w.orient(w.upright)
        f = self.spoilt(shift)
        self.assertEqual(len(f["off-pitch"]), 1, f)

    def test_off_column(self):
        def nudge(page):
            w = self.column(page, 1)[5]
            w.x0 += 2
            w.x1 += 2
            w.orient(w.upright)
        f = self.spoilt(nudge)
        self.assertEqual(len(f["off-column"]), 1, f)

    def test_kinsoku(self):
        def comma_first(page):
            w = self.column(page, 1)[0]
            w.text = "、"
        f = self.spoilt(comma_first)
        self.assertEqual(len(f["kinsoku"]), 1, f)

    def test_tcy_wide(self):
        def widen(page):
            w = next(w for w in page if w.upright and w.text == "26")
            w.x0 -= 1.5
            w.x1 += 1.5
            w.orient(True)
        f = self.spoilt(widen)
        self.assertEqual(len(f["tcy"]), 1, f)


if __name__ == "__main__":
    unittest.main(verbosity=2)
