#!/usr/bin/env python3
"""Vertical writing (issue 16), what exists of it: the EPUB of a
writing-mode: vertical-rl style (CSS, right-to-left pages, tate-chu-yoko
spans), and the PDF's clear refusal until its vertical composition exists.

Run by CTest with KM_BIN and KUMIHAN_DATA, as e2e.py."""
import os
import re
import shutil
import tempfile
import unittest
import zipfile

from kmtest import EPUBCHECK, ROOT, epubcheck, run

STYLE = os.path.join(ROOT, "styles", "tategaki.yaml")



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

    def test_css_and_spine(self):
        z = zipfile.ZipFile(self.epub)
        css = z.read("OEBPS/style.css").decode()
        for want in ("writing-mode: vertical-rl", "-epub-writing-mode: vertical-rl",
                     "text-orientation: mixed", "text-combine-upright: all",
                     "-epub-text-combine: horizontal"):
            self.assertIn(want, css)
        opf = z.read("OEBPS/package.opf").decode()
        self.assertIn('page-progression-direction="rtl"', opf)
        # no print edition to number pages after
        self.assertNotIn("printPageNumbers", opf)
        self.assertNotIn('epub:type="page-list"', z.read("OEBPS/nav.xhtml").decode())

    @unittest.skipUnless(os.path.exists(EPUBCHECK), "epubcheck absent")
    def test_epubcheck(self):
        out = epubcheck(self.epub)
        self.assertIn("0 fatals / 0 errors / 0 warnings", out, out[-2000:])

    def test_pdf_refuses(self):
        out = os.path.join(self.tmp, "v.pdf")
        r = run("pdf", "-q", "-s", STYLE, self.src, "-o", out)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"tategaki\.yaml: error: writing-mode: vertical-rl: the "
                         r"PDF is not set vertically yet")
        self.assertFalse(os.path.exists(out))

    def test_long_tcy_warns(self):
        src = os.path.join(self.tmp, "w.md")
        with open(src, "w", encoding="utf-8") as f:
            f.write("本文^ABCDE^です。\n")
        r = run("check", src)
        self.assertRegex(r.stderr, re.escape(src) + r":1:7: warning: tate-chu-yoko "
                         r"'ABCDE' is 5 characters")

    def test_horizontal_unchanged(self):
        """in a horizontal style ^AI^ is its two letters, no carets"""
        r = run("dump", "--lines", self.src)
        text = re.sub(r"<-?\d+>", "", r.stdout)
        self.assertNotIn("^", text)
        self.assertIn("専門家がAIについて", text)


if __name__ == "__main__":
    unittest.main(verbosity=2)
