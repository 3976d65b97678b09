#!/usr/bin/env python3
"""Figures and tables end to end (issue 14): the bundled guide read back
with poppler, EPUBCheck and jpcheck; images as they reach the PDF (JPEG
bytes passed through once, SVG as vectors); floats, long tables and
cross-references; every bad image input refused at its file:line:col
with exit 1 and no output.

Run by CTest with KM_BIN and KUMIHAN_DATA, as e2e.py."""
import html
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import zipfile
import zlib

from kmtest import EPUBCHECK, JPCHECK, ROOT, epubcheck, flat, run

GUIDE = os.path.join(ROOT, "content", "guide.md")
IMAGES = os.path.join(ROOT, "content", "images")



def pdftext(pdf, *opts):
    return subprocess.run(["pdftotext", *opts, pdf, "-"], stdout=subprocess.PIPE,
                          text=True, check=True).stdout


def page_texts(pdf):
    return pdftext(pdf, "-layout").split("\f")


def pdfimages(pdf):
    """(page, type, width, height, enc) per image, smasks left out."""
    out = subprocess.run(["pdfimages", "-list", pdf], stdout=subprocess.PIPE,
                         text=True, check=True).stdout.splitlines()[2:]
    rows = [l.split() for l in out]
    return [(int(r[0]), r[2], int(r[3]), int(r[4]), r[8]) for r in rows
            if r[2] == "image"]


def png(w, h, rgb=(200, 60, 50), dpi=None):
    """A real PNG, written here: w x h of one colour."""
    def chunk(t, c):
        return struct.pack(">I", len(c)) + t + c + struct.pack(">I", zlib.crc32(t + c))
    raw = b"".join(b"\0" + bytes(rgb) * w for _ in range(h))
    phys = chunk(b"pHYs", struct.pack(">IIB", round(dpi / 0.0254), round(dpi / 0.0254), 1)) \
        if dpi else b""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + phys + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def png_header_only(w, h):
    """A PNG that claims w x h but holds one empty row of data: only its
    header may be read before it is refused."""
    def chunk(t, c):
        return struct.pack(">I", len(c)) + t + c + struct.pack(">I", zlib.crc32(t + c))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b""))


SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
       '<rect width="200" height="100" fill="#2f4b7c"/>%s</svg>')

BODY = ("本文の段落である。" * 12 + "\n\n") * 3


class Guide(unittest.TestCase):
    """The bundled guide: every figure and table, looked at as the issue asks."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="km-fig-")
        cls.pdf = os.path.join(cls.tmp, "guide.pdf")
        cls.epub = os.path.join(cls.tmp, "guide.epub")
        cls.dep = os.path.join(cls.tmp, "guide.d")
        for kind, out in (("pdf", cls.pdf), ("epub", cls.epub)):
            r = run(kind, "-q", GUIDE, "-o", out, "--depfile", cls.dep)
            assert r.returncode == 0, r.stderr
            assert r.stderr == "", r.stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_check_is_clean(self):
        r = run("check", "--werror", GUIDE)
        self.assertEqual((r.returncode, r.stderr), (0, ""))

    def test_images_in_the_pdf(self):
        """the JPEG and the PNG as images (the PNG twice: figure and icon,
        one object), the SVG as vectors: no image of its own."""
        imgs = pdfimages(self.pdf)
        kinds = sorted({(t, w, h, enc) for _, t, w, h, enc in imgs})
        self.assertIn(("image", 1200, 800, "jpeg"), kinds)
        self.assertIn(("image", 1920, 600, "image"), kinds)
        self.assertIn(("image", 40, 40, "image"), kinds)
        self.assertEqual(len(kinds), 3, imgs)

    def test_jpeg_passes_through(self):
        """the JPEG's own bytes are in the PDF, once: no re-encoding"""
        with open(os.path.join(IMAGES, "hall.jpg"), "rb") as f:
            jpg = f.read()
        with open(self.pdf, "rb") as f:
            pdf = f.read()
        self.assertEqual(pdf.count(jpg), 1)

    def test_captions_and_numbers(self):
        text = pdftext(self.pdf, "-raw").replace(" ", "")
        for cap in ("図1WAIC2024とWAIC2025の規模の比較", "図2展示会場のイメージ",
                    "図3kumihanの処理の流れ", "表1WAICの開催規模の推移",
                    "表2スタイルファイルの主な設定項目"):
            self.assertIn(cap, text.replace("\u3000", ""))
        # cross-references print the numbers
        self.assertIn("図1は", text)
        self.assertIn("表1のように", text)
        self.assertIn("巻末の表2がその例", text)

    def test_figure_under_table_over(self):
        """a figure's caption under its image; a table's caption above its
        header (pdftotext -layout keeps the order on the page)"""
        pages = [p.replace(" ", "").replace("\u3000", "")
                 for p in pdftext(self.pdf, "-raw").split("\f")]
        tp = next(p for p in pages if "表1WAICの開催規模の推移" in p)
        self.assertLess(tp.index("表1WAICの開催規模の推移"), tp.index("延べ35万人"))
        # the picture's bottom above its caption's baseline (dump --lines;
        # the guide's images #1-#3 are its figures 1-3)
        lines = run("dump", "--lines", GUIDE).stdout
        for page in lines.split("\npage ")[1:]:
            imgs = re.findall(r"image\s+x=[\d.]+ y=([\d.]+) w=[\d.]+ h=([\d.]+) #(\d+)", page)
            caps = re.findall(r"caption x=[\d.]+ y=([\d.]+) w=[\d.]+ \|図<25>(\d)", page)
            for y, h, n in imgs:
                for cy, cn in caps:
                    if cn == n:
                        self.assertLess(float(y) + float(h), float(cy))
        self.assertRegex(lines, r"caption x=[\d.]+ y=[\d.]+ w=[\d.]+ \|図<25>2")

    def test_long_table_continues(self):
        """the table longer than a page: its header and caption （続き） again
        on every page it goes on to, and its rows in order"""
        pages = page_texts(self.pdf)
        cont = [p for p in pages if "主な設定項目（続き）" in p.replace(" ", "")]
        self.assertGreaterEqual(len(cont), 1)
        for p in cont:
            self.assertIn("既定値", p)
        rows = [m for p in pages for m in re.findall(r"^\s*([a-z-]+\.[a-z-]+)\s", p, re.M)]
        self.assertEqual(rows[0], "page.size")
        self.assertEqual(rows[-1], "editions.watermark")
        self.assertEqual(len(rows), len(set(rows)), "a row set twice")

    def test_continued_caption_bold(self):
        """the caption repeated over a continued table keeps its bold
        label: the 表 that begins it is set in a bold face"""
        pages = page_texts(self.pdf)
        cont = [i + 1 for i, p in enumerate(pages)
                if "主な設定項目（続き）" in p.replace(" ", "")]
        self.assertTrue(cont)
        for no in cont:
            out = subprocess.run(["mutool", "draw", "-F", "stext", "-o", "-", self.pdf,
                                  str(no)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 text=True).stdout
            font, found = None, None
            for m in re.finditer(r'<font name="([^"]*)"|<char [^>]*c="([^"]*)"', out):
                if m.group(1):
                    font = m.group(1)
                elif html.unescape(m.group(2)) == "表":
                    found = font
                    break
            self.assertIsNotNone(found, no)
            self.assertIn("Bold", found, no)

    def test_links(self):
        """cross-references link to their figure or table in both editions"""
        z = zipfile.ZipFile(self.epub)
        docs = {n: z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml")}
        refs = set()
        for body in docs.values():
            refs |= set(re.findall(r'<a href="([^"#]+)#((?:fig|tbl)-[^"]+)" class="xref">', body))
        self.assertIn("fig-growth", {i for _, i in refs})
        self.assertIn("tbl-keys", {i for _, i in refs})
        for f, i in refs:
            self.assertIn('id="%s"' % i, docs["OEBPS/" + f], (f, i))
        annots = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", self.pdf, "-"],
                                stdout=subprocess.PIPE, check=True).stdout
        self.assertIn(b"fig:growth", annots)
        self.assertIn(b"tbl:keys", annots)
        # structure: a Figure per image, a Table per table part on a page
        # (table 1, and table 2 on each page it spans), its rows and header
        # cells (three a part)
        parts = 1 + sum("主な設定項目" in flat(p) for p in page_texts(self.pdf)[3:])
        self.assertGreaterEqual(parts, 3)
        tags = re.findall(rb"/S /([A-Za-z]+)", annots)
        self.assertEqual(tags.count(b"Figure"), 4)
        self.assertEqual(tags.count(b"Table"), parts)
        self.assertGreater(tags.count(b"TR"), 40)
        self.assertEqual(tags.count(b"TH"), 3 * parts)

    def test_epub_figures_and_tables(self):
        z = zipfile.ZipFile(self.epub)
        names = z.namelist()
        opf = z.read("OEBPS/package.opf").decode()
        for ext, media in (("svg", "image/svg+xml"), ("jpg", "image/jpeg"),
                           ("png", "image/png")):
            name = next(n for n in names if n.endswith("." + ext) and "/images/" in n)
            self.assertRegex(opf, r'href="%s" media-type="%s"' %
                             (re.escape(name[len("OEBPS/"):]), re.escape(media)))
        with open(os.path.join(IMAGES, "hall.jpg"), "rb") as f:
            self.assertIn(f.read(), [z.read(n) for n in names if n.endswith(".jpg")])
        body = "".join(z.read(n).decode() for n in names if n.endswith(".xhtml"))
        self.assertRegex(body, r'<figure id="fig-growth"><img src="images/img\d+\.svg" '
                               r'alt="WAIC2024 と WAIC2025 の規模の比較[^"]*" style="width: 80%"/>'
                               r'<figcaption><span class="label">図1</span>')
        self.assertIn('<table id="tbl-scale"><caption><span class="label">表1</span>', body)
        self.assertIn('<th scope="col" class="r">WAIC2024</th>', body)
        self.assertIn('<td class="r">52,000</td>', body)
        self.assertIn("alternativeText", opf)
        self.assertIn("displayTransformability", opf)

    @unittest.skipUnless(os.path.exists(EPUBCHECK), "epubcheck absent")
    def test_epubcheck(self):
        out = epubcheck(self.epub)
        self.assertIn("0 fatals / 0 errors / 0 warnings", out, out[-3000:])

    @unittest.skipUnless(os.path.exists(JPCHECK), "../shared/tools/jpcheck.py absent")
    def test_jpcheck_zero(self):
        r = subprocess.run([sys.executable, JPCHECK, "--pagination", self.pdf],
                           stdout=subprocess.PIPE, text=True)
        self.assertEqual(r.returncode, 0, r.stdout)

    def test_depfile(self):
        with open(self.dep, encoding="utf-8") as f:
            dep = f.read()
        head = dep.split("\n\n")[0]
        self.assertTrue(head.startswith(self.epub + ": " + GUIDE))
        for img in ("waic-growth.svg", "hall.jpg", "pipeline.png", "icon.png"):
            self.assertIn(os.path.join(IMAGES, img), head)
            self.assertIn("\n%s:\n" % os.path.join(IMAGES, img), dep)


class Placement(unittest.TestCase):
    """Where figures and tables go, on manuscripts made here."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="km-fig-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def build(self, text, files=None, kind="pdf", code=0):
        for name, data in (files or {}).items():
            p = os.path.join(self.tmp, name)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)
        src = os.path.join(self.tmp, "m.md")
        with open(src, "w", encoding="utf-8") as f:
            f.write(text)
        out = os.path.join(self.tmp, "m." + kind)
        r = run(kind, "-q", src, "-o", out)
        self.assertEqual(r.returncode, code, r.stderr)
        return src, out, r

    def test_float_to_next_page(self):
        """a figure that does not fit goes to the next page's top; the text
        after it fills this page; it is set before the next heading"""
        tall = png(400, 500)
        text = ("---\ntitle: t\n---\n\n# 一\n\n" + BODY * 3 + "![高い図](a.png)\n\n"
                + "図の後の段落。" * 20 + "\n\n# 二\n\n見出しの後。\n")
        _, pdf, _ = self.build(text, {"a.png": tall})
        pages = [p.replace(" ", "") for p in page_texts(pdf)]
        fig = next(i for i, p in enumerate(pages) if "図1高い図" in p.replace("\u3000", ""))
        after = next(i for i, p in enumerate(pages) if "図の後の段落" in p)
        self.assertLess(after, fig, "the text after the figure fills the page first")
        heading = next(i for i, p in enumerate(pages) if "見出しの後" in p)
        self.assertLessEqual(fig, heading)
        imgs = pdfimages(pdf)
        self.assertEqual([p for p, *_ in imgs], [fig + 1])

    def test_figure_never_past_its_heading(self):
        tall = png(400, 500)
        text = ("---\ntitle: t\n---\n\n# 一\n\n" + BODY * 3 + "![高い図](a.png)\n\n"
                "# 二\n\n見出しの後。\n")
        _, pdf, _ = self.build(text, {"a.png": tall})
        pages = [p.replace(" ", "").replace("\u3000", "") for p in page_texts(pdf)]
        fig = next(i for i, p in enumerate(pages) if "図1高い図" in p)
        two = next(i for i, p in enumerate(pages) if "見出しの後" in p)
        p = pages[two]
        self.assertTrue(fig < two or p.index("図1高い図") < p.index("見出しの後"))

    def test_width_and_bounds(self):
        """width=50% of the 400 pt measure; an image wider than the text
        block is set at its width, never wider; aspect kept"""
        text = ("---\ntitle: t\n---\n\n" + BODY + "![半分](a.png){width=50%}\n\n"
                "![広い](b.png)\n\n![mm](a.png){width=50mm}\n")
        src, _, _ = self.build(text, {"a.png": png(300, 150, dpi=300),
                                      "b.png": png(3000, 300, dpi=72)})
        r = run("dump", "--lines", src)
        imgs = re.findall(r"image\s+x=([\d.]+) y=[\d.]+ w=([\d.]+) h=([\d.]+)", r.stdout)
        (x1, w1, h1), (x2, w2, h2), (x3, w3, h3) = [tuple(map(float, i)) for i in imgs]
        self.assertAlmostEqual(w1, 200, places=1)
        self.assertAlmostEqual(h1, 100, places=1)
        self.assertAlmostEqual(w2, 400, places=1)
        self.assertAlmostEqual(h2, 40, places=1)
        self.assertAlmostEqual(w3, 50 / 25.4 * 72, places=1)

    def test_body_stays_on_grid(self):
        """figures and tables take whole grid lines: jpcheck finds no
        off-grid line after them"""
        if not os.path.exists(JPCHECK):
            self.skipTest("jpcheck absent")
        text = ("---\ntitle: t\n---\n\n" + BODY + "![図](a.png){width=37%}\n\n" + BODY
                + "表: 表題\n\n| a | b |\n|---|--:|\n| 一 | 1 |\n| 二行になる長い" * 1
                + "セル " + "あ" * 60 + " | 22 |\n\n" + BODY + "![図](s.svg)\n\n" + BODY)
        _, pdf, _ = self.build(text, {"a.png": png(333, 217, dpi=150),
                                      "s.svg": (SVG % "").encode()})
        r = subprocess.run([sys.executable, JPCHECK, pdf], stdout=subprocess.PIPE, text=True)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn('"off_grid": 0', r.stdout)

    def test_low_dpi_and_big_inline_warn(self):
        text = ("---\ntitle: t\n---\n\n" + BODY + "![荒い](a.png)\n\n"
                "文中の ![i](b.png) 画像。\n")
        src, _, _ = self.build(text, {"a.png": png(400, 300, dpi=72),
                                      "b.png": png(200, 200)})
        r = run("check", src)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stderr, re.escape(src) + r":11:1: warning: image 'a.png' prints at "
                         r"72 dpi \(400 px across 141 mm\); print wants 150 dpi")
        self.assertRegex(r.stderr, re.escape(src) + r":13:5: warning: image 'b.png' inside "
                         r"text is set at the height of the line")
        self.assertEqual(run("check", "--werror", src).returncode, 1)

    def test_no_alt_text_warns(self):
        src, _, r = self.build("---\ntitle: t\n---\n\n本文。\n\n![](a.png)\n",
                               {"a.png": png(10, 10)})
        self.assertRegex(r.stderr, re.escape(src) + r":7:1: warning: figure 'a.png' "
                         r"has no alt text")

    def test_same_image_twice_is_one_object(self):
        text = "---\ntitle: t\n---\n\n" + BODY + "![一](a.jpg)\n\n" + BODY + "![二](a.jpg)\n"
        with open(os.path.join(IMAGES, "hall.jpg"), "rb") as f:
            jpg = f.read()
        _, pdf, _ = self.build(text, {"a.jpg": jpg})
        with open(pdf, "rb") as f:
            self.assertEqual(f.read().count(jpg), 1)
        self.assertEqual(len(pdfimages(pdf)), 2)
        _, epub, _ = self.build(text, kind="epub")
        z = zipfile.ZipFile(epub)
        self.assertEqual(len([n for n in z.namelist() if n.endswith(".jpg")]), 1)


class Tables(unittest.TestCase):
    """Column widths that set a table in the fewest lines"""

    def test_court_cases(self):
        """an 8-column table of court cases: CSS's widths gave its long
        names and 事件の種類 five and seven lines and took two pages;
        moved an em at a time to where they save lines, it fits one, and
        no case number is parted (a column is never narrower than its
        longest unbreakable run, the spaces inside counted)"""
        rows = [("令和4年(ネ)第10023号", "知財高裁", "2023-03-02", "株式会社アルファフィルム",
                 "株式会社ベータ", "特許権侵害差止等", "控訴棄却", "均等論の第1要件を否定"),
                ("令和3年(ワ)第12345号", "東京地裁", "2022-11-15", "オメガ電子工業株式会社",
                 "ガンマ株式会社", "損害賠償", "一部認容", "102条2項の推定覆滅を一部認めた"),
                ("平成30年(行ケ)第10001号", "知財高裁", "2019-06-07", "デルタ化学", "特許庁長官",
                 "審決取消", "請求棄却", "進歩性なしとした審決を維持")] * 3
        md = ("---\ntitle: 判例一覧\n---\n\n表: 判例一覧\n\n"
              "| 事件番号 | 裁判所 | 判決日 | 原告 | 被告 | 事件の種類 | 結論 | 要旨 |\n"
              "|---|---|---|---|---|---|---|---|\n" +
              "".join("| " + " | ".join(r) + " |\n" for r in rows))
        tmp = tempfile.mkdtemp(prefix="km-tbl-")
        try:
            src = os.path.join(tmp, "t.md")
            with open(src, "w", encoding="utf-8") as f:
                f.write(md)
            r = run("dump", "--lines", src)
            self.assertEqual(r.returncode, 0, r.stderr)
            pages = [p for p in r.stdout.split("\npage ") if "  cell " in p]
            self.assertEqual(len(pages), 1, "the table took %d pages" % len(pages))
            cells = [re.sub(r"<-?\d+>", "", l) for l in pages[0].splitlines()
                     if l.startswith("  cell ")]
            for number in {r[0] for r in rows}:
                self.assertTrue(any(l.endswith("|%s|" % number) for l in cells), number)
        finally:
            shutil.rmtree(tmp)


    def test_dates_whole_in_cells(self):
        """a 7-column table of figures with dates (a held-out statistics
        memo): no cell line ends on a number whose counter (年, 月, 日,
        か月) starts the next, as 「2021年3|月31日」 and 「2020|年度」 did;
        a date is whole, or parted after its 年"""
        rows = "".join("| %d年度 | 10.2か月 | 14.4か月 | 75.2%% | 22,436 | 1,104 | %d年3月31日 |\n"
                       % (y, y + 1) for y in range(2020, 2025))
        md = ("---\ntitle: 統計\n---\n\n表: 審査期間の推移\n\n"
              "| 年度 | FA期間（平均） | 権利化までの期間（平均） | 特許査定率 | "
              "早期審査申請件数 | スーパー早期審査 | 集計日 |\n"
              "|:---|---:|---:|---:|---:|---:|:---|\n" + rows)
        tmp = tempfile.mkdtemp(prefix="km-tbl-")
        try:
            src = os.path.join(tmp, "d.md")
            with open(src, "w", encoding="utf-8") as f:
                f.write(md)
            r = run("dump", "--lines", src)
            self.assertEqual(r.returncode, 0, r.stderr)
            cells = re.findall(r"^  cell +x=(\S+) .*\|(.*)\|$", r.stdout, re.M)
            parted = [(a, b) for (xa, a), (xb, b) in zip(cells, cells[1:])
                      if xa == xb and re.sub(r"<-?\d+>", "", a)[-1:].isdigit()
                      and re.match(r"[年月日か]", b)]
            self.assertEqual(parted, [])
            text = "\n".join(re.sub(r"<-?\d+>", "", c) for _, c in cells)
            for y in range(2021, 2026):
                self.assertTrue("%d年3月31日" % y in text or "%d年\n3月31日" % y in text, y)
        finally:
            shutil.rmtree(tmp)

    def test_writers_widths(self):
        """{widths="1 1 2"} on the caption line: the columns take those
        shares of the width in the PDF (a column never under its longest
        unbreakable run) and the EPUB's <col>s; a count that does not
        match the columns is an error at the attribute"""
        md = ("---\ntitle: 幅\n---\n\n表: 幅の指定 {#tbl:w widths=\"1 1 2\"}\n\n"
              "| 項目 | 値 | 説明 |\n|---|---|---|\n"
              "| あ | い | うえお |\n| か | き | くけこ |\n")
        tmp = tempfile.mkdtemp(prefix="km-tbl-")
        try:
            src = os.path.join(tmp, "w.md")
            with open(src, "w", encoding="utf-8") as f:
                f.write(md)
            r = run("dump", "--lines", src)
            self.assertEqual(r.returncode, 0, r.stderr)
            xs = sorted({float(x) for x in re.findall(r"^  cell +x=([\d.]+)", r.stdout, re.M)})
            self.assertEqual(len(xs), 3, r.stdout)
            # the handout's measure is 400 pt: 100, 100 and 200
            self.assertAlmostEqual(xs[1] - xs[0], 100, delta=0.5)
            self.assertAlmostEqual(xs[2] - xs[1], 100, delta=0.5)
            epub = os.path.join(tmp, "w.epub")
            self.assertEqual(run("epub", "-q", src, "-o", epub).returncode, 0)
            with zipfile.ZipFile(epub) as z:
                body = "".join(z.read(n).decode() for n in z.namelist()
                               if re.search(r"/s\d+\.xhtml$", n))
            self.assertIn('<colgroup><col style="width: 25.0%"/><col style="width: '
                          '25.0%"/><col style="width: 50.0%"/></colgroup>', body)
            with open(src, "w", encoding="utf-8") as f:
                f.write(md.replace('widths=\"1 1 2\"', 'widths=\"1 2\"'))
            r = run("check", src)
            self.assertEqual(r.returncode, 1)
            self.assertRegex(r.stderr, r"w\.md:5:\d+: error: widths=\"1 2\": give one "
                             r"positive number for each of the table's 3 columns")
        finally:
            shutil.rmtree(tmp)


class BadImages(unittest.TestCase):
    """Each bad image input: an error at file:line:col, exit 1, nothing
    written, in pdf and epub alike."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="km-badimg-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def case(self, ref, files, pattern, line=5, col=1):
        for name, data in files.items():
            p = os.path.join(self.tmp, name)
            if data is None:
                os.makedirs(p, exist_ok=True)
                continue
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)
        src = os.path.join(self.tmp, "m.md")
        with open(src, "w", encoding="utf-8") as f:
            f.write("---\ntitle: t\n---\n\n" + ref + "\n")
        for kind in ("pdf", "epub", "check"):
            out = os.path.join(self.tmp, "out." + kind)
            args = [kind, "-q", src] + (["-o", out] if kind != "check" else [])
            r = run(*args)
            self.assertEqual(r.returncode, 1, (kind, ref, r.stderr))
            self.assertRegex(r.stderr, "^" + re.escape(src) + ":%d:%d: error: %s"
                             % (line, col, pattern), (kind, ref))
            self.assertFalse(os.path.exists(out), out)
        self.assertEqual([f for f in os.listdir(self.tmp) if ".tmp" in f], [])

    def test_missing(self):
        self.case("![a](none.png)", {}, r"image 'none.png': No such file or directory")

    def test_unreadable(self):
        self.case("![a](dir.png)", {"dir.png": None}, r"image 'dir.png': Is a directory")

    def test_corrupt_png(self):
        good = png(50, 50)
        self.case("![a](a.png)", {"a.png": good[:60]}, r"image 'a.png': a damaged PNG")
        bad = bytearray(good)
        bad[40] ^= 0xFF
        self.case("![a](b.png)", {"b.png": bytes(bad)}, r"image 'b.png': a damaged PNG")

    def test_corrupt_jpeg(self):
        with open(os.path.join(IMAGES, "hall.jpg"), "rb") as f:
            jpg = f.read()
        self.case("![a](a.jpg)", {"a.jpg": jpg[:len(jpg) // 2]},
                  r"image 'a.jpg': a damaged JPEG \(truncated\)")

    def test_unsupported(self):
        self.case("![a](a.gif)", {"a.gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"},
                  r"image 'a.gif': not a PNG, JPEG or SVG image")
        self.case("![a](a.png)", {"a.png": b"hello, not an image\n"},
                  r"image 'a.png': not a PNG, JPEG or SVG image")

    def test_outside_the_directory(self):
        self.case("![a](../x.png)", {}, r"image '../x.png': an image's path must not "
                  r"leave the manuscript's directory")
        self.case("![a](/etc/hostname)", {}, r"image '/etc/hostname': an image's path "
                  r"must be relative")
        self.case("本文 ![a](sub/../../x.png)", {}, r"image 'sub/../../x.png'", col=4)

    def test_remote(self):
        self.case("![a](https://example.jp/a.png)", {},
                  r"image 'https://example.jp/a.png' is not a file of the manuscript: "
                  r"nothing is downloaded")

    def test_too_many_pixels(self):
        """refused from its header: 10000 x 6000 is 60 megapixels"""
        self.case("![a](big.png)", {"big.png": png_header_only(10000, 6000)},
                  r"image 'big.png': larger than 50 megapixels")

    def test_svg_script_and_references(self):
        for name, body, why in (
                ("s1.svg", SVG % "<script>alert(1)</script>", "an SVG with a script"),
                ("s2.svg", SVG % '<rect width="1" height="1" onload="alert(1)"/>',
                 r"an SVG with a script \(an event handler\)"),
                ("s3.svg", SVG % '<image href="http://example.jp/x.png" width="1" height="1"/>',
                 "an SVG with an external reference"),
                ("s4.svg", SVG.replace("<svg", '<svg xmlns:xlink="http://www.w3.org/1999/xlink"')
                 % '<image xlink:href="file:///etc/passwd" width="1" height="1"/>',
                 "an SVG with an external reference"),
                ("s5.svg", SVG % '<rect width="1" height="1" style="fill:url(http://e.jp/#a)"/>',
                 "an SVG with an external reference"),
                ("s6.svg", '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]>'
                 + SVG % "&x;", "an SVG with a DOCTYPE or entities"),
                ("s7.svg", SVG % "<foreignObject><p>x</p></foreignObject>",
                 "an SVG with a script")):
            self.case("![a](%s)" % name, {name: body.encode()}, "image '%s': %s" % (name, why))

    def test_table_too_wide(self):
        """a table whose columns cannot fit even at 5 pt: an error at the
        table, no output; a narrower one too wide at 9 pt is set smaller,
        with a warning"""
        head = "| " + " | ".join("h%d" % i for i in range(70)) + " |\n|" + "---|" * 70 + "\n"
        row = "| " + " | ".join("セル" for _ in range(70)) + " |"
        src = os.path.join(self.tmp, "wide.md")
        with open(src, "w", encoding="utf-8") as f:
            f.write("---\ntitle: t\n---\n\n" + head + row + "\n")
        for kind in ("pdf", "epub"):
            out = os.path.join(self.tmp, "wide." + kind)
            r = run(kind, "-q", src, "-o", out)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertRegex(r.stderr, "^" + re.escape(src) + r":5:1: error: a table of 70 "
                             r"columns does not fit the text width \(400 pt\) even at 5 pt")
            self.assertFalse(os.path.exists(out))
        src = os.path.join(self.tmp, "w.md")
        cols = 30
        with open(src, "w", encoding="utf-8") as f:
            f.write("---\ntitle: t\n---\n\n| " + " | ".join("見出し" for _ in range(cols))
                    + " |\n|" + "---|" * cols + "\n| " + " | ".join("12" for _ in range(cols))
                    + " |\n")
        r = run("pdf", "-q", src, "-o", os.path.join(self.tmp, "w.pdf"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stderr, re.escape(src) + r":5:1: warning: a table of 30 columns "
                         r"is set at [\d.]+ pt to fit the text width")

    def test_labels(self):
        self.case("本文 [@fig:none] を見よ。", {}, r"cross-reference to 'fig:none': no figure "
                  r"or table has that label", col=4)


if __name__ == "__main__":
    unittest.main(verbosity=2)
