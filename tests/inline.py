#!/usr/bin/env python3
"""Japanese inline typography end to end (issue 15): ruby, emphasis dots,
gothic strong, superscript and subscript, read back from the PDF (poppler,
qpdf) and the EPUB; jpcheck on text with ruby in every paragraph.

Run by CTest with KM_BIN and KUMIHAN_DATA, as e2e.py."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile

from kmtest import EPUBCHECK, JPCHECK, REPORT, epubcheck, flat, run


TEXT = """---
title: 読み
---

報告書では{華為技術|ファーウェイ}や{騰訊|テンセント}のように、読みの分かりにくい社名に振り仮名を付ける。{漢字|かん|じ}のように一字ずつ付けることもでき、<ruby>百度<rp>（</rp><rt>バイドゥ</rt><rp>）</rp></ruby>のように HTML でも書ける。

*強調の、点*。と**強い語**、面積は m<sup>2</sup>、二酸化炭素は CO<sub>2</sub>。
"""

BASE = ("報告書では華為技術や騰訊のように、読みの分かりにくい社名に振り仮名を付ける。"
        "漢字のように一字ずつ付けることもでき、百度のようにHTMLでも書ける。"
        "強調の、点。と強い語、面積はm2、二酸化炭素はCO2。")




AMEND = """---
title: 補正
---

請求項1の「~~樹脂組成物~~<u>熱可塑性樹脂組成物</u>」とは、温度が<ins>120℃以上</ins>のものをいう。これは**「重要」**です。発送日を確認する。*発送日と受領日を混同しないこと。*期間は翌日から。範囲は10~20円。<br>改行の後。

| 項目 | 補正前 | 補正後 |
|---|---|---|
| 請求項1 | <del>樹脂</del> | <u>熱可塑性</u><br>樹脂 |
"""


class Amendments(unittest.TestCase):
    """What an amendment shows: a deletion struck through (~~, <del>,
    <s>), an addition underlined (<u>, <ins>), in the PDF as lines over
    the text and in the EPUB as <del> and <u>/<ins>; emphasis beside
    Japanese punctuation (**「重要」**は, 。*…。*期間) taken as emphasis;
    a single ~ left as a range; a <br> without a warning"""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="km-amend-")
        cls.src = os.path.join(cls.tmp, "a.md")
        with open(cls.src, "w", encoding="utf-8") as f:
            f.write(AMEND)
        cls.pdf = os.path.join(cls.tmp, "a.pdf")
        cls.epub = os.path.join(cls.tmp, "a.epub")
        r = run("pdf", "-q", cls.src, "-o", cls.pdf, "--epub", cls.epub)
        assert r.returncode == 0, r.stderr
        cls.stderr = r.stderr + run("check", cls.src).stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_no_warning(self):
        self.assertEqual(self.stderr, "")

    def test_pdf_lines_and_text(self):
        text = flat(subprocess.run(["pdftotext", self.pdf, "-"], stdout=subprocess.PIPE,
                                   text=True, check=True).stdout)
        self.assertIn("「樹脂組成物熱可塑性樹脂組成物」", text)  # struck, still there
        self.assertIn("これは「重要」です", text)
        self.assertIn("混同しないこと。期間", text)
        self.assertIn("10~20円", text)
        self.assertNotIn("*", text)
        trace = subprocess.run(["mutool", "draw", "-F", "trace", "-o", "-", self.pdf],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, check=True).stdout
        # a twentieth of the text's size: 0.5 pt in the body, 0.45 in the table
        lines = re.findall(r'<stroke_path linewidth="\.(?:5|45)"', trace)
        self.assertGreaterEqual(len(lines), 5)

    def test_epub(self):
        with zipfile.ZipFile(self.epub) as z:
            body = "".join(z.read(n).decode() for n in z.namelist()
                           if re.search(r"/s\d+\.xhtml$", n))
        self.assertIn("「<del>樹脂組成物</del><u>熱可塑性樹脂組成物</u>」", body)
        self.assertIn("<ins>120℃以上</ins>", body)
        self.assertIn("<strong>「重要」</strong>", body)
        self.assertIn("<em>発送日と受領日を混同しないこと。</em>", body)
        self.assertIn("<del>樹脂</del>", body)
        self.assertRegex(body, r'<div class="table"><table')
        self.assertNotIn("*", re.sub(r"<[^>]+>", "", body))

    @unittest.skipUnless(os.path.exists(EPUBCHECK), "epubcheck absent")
    def test_epubcheck(self):
        self.assertIn("0 fatals / 0 errors / 0 warnings", epubcheck(self.epub))


class Inline(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="km-inline-")
        cls.src = os.path.join(cls.tmp, "y.md")
        with open(cls.src, "w", encoding="utf-8") as f:
            f.write(TEXT)
        cls.pdf = os.path.join(cls.tmp, "y.pdf")
        cls.epub = os.path.join(cls.tmp, "y.epub")
        for kind, out in (("pdf", cls.pdf), ("epub", cls.epub)):
            r = run(kind, "-q", cls.src, "-o", out)
            assert r.returncode == 0 and r.stderr == "", r.stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_base_copies_exactly(self):
        """pdftotext gives the base text in order: no reading, no dot"""
        for mode in ([], ["-raw"]):
            text = subprocess.run(["pdftotext", *mode, self.pdf, "-"], stdout=subprocess.PIPE,
                                  text=True, check=True).stdout
            # page 1 is the title page; page 2 has its running head (at
            # its start or, in content-stream order, its end) and folio
            body = flat(text.split("\f")[1])
            self.assertEqual(re.sub(r"^読み|\d+$|読み\d*$", "", body), BASE, mode)

    def annotations(self):
        lines = run("dump", "--lines", self.src).stdout
        return re.findall(r"^  ruby +x=([\d.]+) y=([\d.]+) w=([\d.]+) \|(.*)\|$", lines, re.M)

    def test_ruby_readings(self):
        """every reading set once, over its base, half the body size"""
        readings = [re.sub(r"<\d+>", "", t) for _, _, _, t in self.annotations()]
        for r in ("ファーウェイ", "テンセント", "かん", "じ", "バイドゥ"):
            self.assertEqual(readings.count(r), 1, readings)

    def test_emphasis_dots(self):
        """a sesame dot over each character of the emphasis, none over its
        punctuation: 強調の、点 has four; in the PDF each annotation is a
        span with an empty ActualText (drawn, not text)"""
        ann = self.annotations()
        dots = [a for a in ann if a[3] == "\ufe45"]
        self.assertEqual(len(dots), 4)
        stream = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", self.pdf, "-"],
                                stdout=subprocess.PIPE, check=True).stdout
        self.assertEqual(stream.count(b"/ActualText <feff>"), len(ann))

    def test_strong_is_gothic(self):
        fonts = subprocess.run(["pdffonts", self.pdf], stdout=subprocess.PIPE, text=True).stdout
        self.assertRegex(fonts, r"NotoSansCJKjp-Bold")

    def test_sup_sub_in_the_line(self):
        """superscript and subscript: smaller, raised or lowered, on the
        same line (the grid holds: layout_check passed)"""
        out = subprocess.run(["pdftotext", "-bbox", self.pdf, "-"], stdout=subprocess.PIPE,
                             text=True).stdout
        words = [(float(a), float(b), t) for a, b, t in
                 re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', out)]
        i = next(k for k, w in enumerate(words) if w[2] == "m")
        j = next(k for k, w in enumerate(words) if w[2] == "CO")
        (b0, b1, _), (p0, p1, sup) = words[i], words[i + 1]
        (c0, c1, _), (q0, q1, sub) = words[j], words[j + 1]
        self.assertEqual((sup, sub), ("2", "2"))
        self.assertLess(p1 - p0, 0.7 * (b1 - b0))   # smaller
        self.assertLess(p1, b1 - 2)                 # raised
        self.assertGreater(q1, p1 + 2)              # the subscript lower
        self.assertGreater(p0, b0 - 1)              # inside the line
        self.assertLess(q1, c1 + 2)

    def test_epub(self):
        z = zipfile.ZipFile(self.epub)
        body = z.read("OEBPS/s000.xhtml").decode()
        self.assertIn("<ruby>華為技術<rp>（</rp><rt>ファーウェイ</rt><rp>）</rp></ruby>", body)
        self.assertIn("<ruby>漢<rp>（</rp><rt>かん</rt><rp>）</rp></ruby>"
                      "<ruby>字<rp>（</rp><rt>じ</rt><rp>）</rp></ruby>", body)
        self.assertIn("<ruby>百度<rp>（</rp><rt>バイドゥ</rt><rp>）</rp></ruby>", body)
        self.assertIn("<em>強調の、点</em>。", body)
        self.assertIn("<strong>強い語</strong>", body)
        self.assertIn("m<sup>2</sup>", body)
        self.assertIn("CO<sub>2</sub>", body)
        css = z.read("OEBPS/style.css").decode()
        self.assertIn("text-emphasis: filled sesame", css)
        self.assertIn("-epub-text-emphasis-style: filled sesame", css)
        self.assertRegex(css, r'strong \{ font-family: "Noto Sans CJK JP"')

    def test_latin_emphasis_is_italic(self):
        """Latin words under emphasis: italic from body.italic-font (Noto
        Serif Italic in the PDF), no dots over them; in the EPUB a span
        the CSS sets italic without dots"""
        src = os.path.join(self.tmp, "latin.md")
        with open(src, "w", encoding="utf-8") as f:
            f.write("---\ntitle: t\n---\n\n本文の*強調 and emphasis*です。\n")
        lines = run("dump", "--lines", src).stdout
        self.assertEqual(lines.count("\ufe45"), 2)  # 強 and 調 only
        pdf = os.path.join(self.tmp, "latin.pdf")
        epub = os.path.join(self.tmp, "latin.epub")
        for kind, out in (("pdf", pdf), ("epub", epub)):
            self.assertEqual(run(kind, "-q", src, "-o", out).returncode, 0)
        fonts = subprocess.run(["pdffonts", pdf], stdout=subprocess.PIPE, text=True).stdout
        self.assertIn("NotoSerif-Italic", fonts)
        body = zipfile.ZipFile(epub).read("OEBPS/s000.xhtml").decode()
        self.assertIn('<em>強調 <span class="latin">and emphasis</span></em>', body)

    @unittest.skipUnless(os.path.exists(EPUBCHECK), "epubcheck absent")
    def test_epubcheck(self):
        out = epubcheck(self.epub)
        self.assertIn("0 fatals / 0 errors / 0 warnings", out, out[-2000:])

    def test_gothic_emphasis_style(self):
        """body.emphasis: gothic sets *em* in the gothic face, no dots"""
        style = os.path.join(self.tmp, "g.yaml")
        with open(style, "w") as f:
            f.write("body:\n  emphasis: gothic\n")
        lines = run("dump", "--lines", "-s", style, self.src).stdout
        self.assertNotIn("\ufe45", lines)
        r = run("pdf", "-q", "-s", style, self.src, "-o", os.path.join(self.tmp, "g.pdf"))
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_italic_emphasis_style(self):
        """body.emphasis: italic sets Latin in italic and Japanese, which
        has no italic, in the gothic face; no dots"""
        style = os.path.join(self.tmp, "i.yaml")
        with open(style, "w") as f:
            f.write("body:\n  emphasis: italic\n")
        src = os.path.join(self.tmp, "it.md")
        with open(src, "w", encoding="utf-8") as f:
            f.write("---\ntitle: t\n---\n\n本文の*強調 and emphasis*です。\n")
        self.assertNotIn("\ufe45", run("dump", "--lines", "-s", style, src).stdout)
        pdf = os.path.join(self.tmp, "it.pdf")
        self.assertEqual(run("pdf", "-q", "-s", style, src, "-o", pdf).returncode, 0)
        fonts = subprocess.run(["pdffonts", pdf], stdout=subprocess.PIPE, text=True).stdout
        self.assertIn("NotoSerif-Italic", fonts)
        self.assertIn("NotoSansCJKjp", fonts)

    @unittest.skipUnless(os.path.exists(JPCHECK), "../shared/tools/jpcheck.py absent")
    def test_jpcheck_with_ruby_everywhere(self):
        """the report with a ruby on the first two-kanji word of every
        paragraph: still 0 kinsoku, 0 ragged, 0 off-grid, no widow or
        orphan (ruby stands in the line gap and is not text)"""
        with open(REPORT, encoding="utf-8") as f:
            lines = f.read().split("\n")
        body_from = lines.index("---", 1) + 1
        n = 0
        for i in range(body_from, len(lines)):
            l = lines[i]
            if not l or l[0] in "#[|-" or "http" in l:
                continue
            m = re.search(r"[\u4e00-\u9fff]{2}", l)
            if m:
                lines[i] = l[:m.start()] + "{%s|かんじ}" % m.group(0) + l[m.end():]
                n += 1
        self.assertGreater(n, 60)
        src = os.path.join(self.tmp, "rubied.md")
        with open(src, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        pdf = os.path.join(self.tmp, "rubied.pdf")
        r = run("pdf", "-q", src, "-o", pdf)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = subprocess.run([sys.executable, JPCHECK, "--pagination", pdf],
                           stdout=subprocess.PIPE, text=True)
        res = json.loads(r.stdout.splitlines()[0])
        self.assertEqual(res["kinsoku"]["total"], 0, r.stdout)
        self.assertEqual(res["justification"]["deviations"], 0, r.stdout)
        self.assertEqual(res["baseline"]["off_grid"], 0, r.stdout)
        self.assertEqual(res["pagination"], {"widows": 0, "orphans": 0}, r.stdout)
        ruby = len(re.findall(r"^  ruby ", run("dump", "--lines", src).stdout, re.M))
        self.assertGreaterEqual(ruby, n)


if __name__ == "__main__":
    unittest.main(verbosity=2)
