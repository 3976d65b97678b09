#!/usr/bin/env python3
"""Client editions end to end (issue 17): one copy per recipient from one
layout, read back with poppler, qpdf and EPUBCheck; the marking on every
page and nothing else changed; reproducible, atomic files; every bad input
at its file:line:col with exit 1 and no output.

Run by CTest with KM_BIN and KUMIHAN_DATA, as e2e.py."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import zipfile

from kmtest import EPUBCHECK, REPORT, epubcheck, flat, run

IDS = ("sample-a", "sample-b", "sample-c")
TO = {"sample-a": "見本株式会社知的財産部御中", "sample-b": "見本商事株式会社法務部御中",
      "sample-c": "見本法律事務所御中"}




def pages(pdf):
    out = subprocess.run(["pdftotext", "-layout", pdf, "-"], stdout=subprocess.PIPE,
                         text=True, check=True).stdout
    return out.split("\f")[:-1]


def unmarked(page, marking):
    """A page's lines of text without those that hold the marking (and
    without the blank lines pdftotext -layout adds around them)."""
    return [flat(l) for l in page.splitlines() if flat(l) and marking not in flat(l)]


class Editions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="km-ed-")
        cls.out = os.path.join(cls.tmp, "editions")
        for kind in ("pdf", "epub"):
            r = run(kind, "-q", "--editions", REPORT, "-o", cls.out)
            assert r.returncode == 0, r.stderr
        cls.plain = os.path.join(cls.tmp, "plain.pdf")
        assert run("pdf", "-q", REPORT, "-o", cls.plain).returncode == 0

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def path(self, i, kind):
        return os.path.join(self.out, "waic2025-%s.%s" % (i, kind))

    def test_all_written(self):
        self.assertEqual(sorted(os.listdir(self.out)),
                         sorted("waic2025-%s.%s" % (i, k) for i in IDS for k in ("pdf", "epub")))

    def test_marking_on_every_page(self):
        """classification｜recipient｜date｜copy number on every page; the
        title page carries it too, and so does the colophon"""
        for n, i in enumerate(IDS, 1):
            cls = "取扱注意" if i == "sample-c" else "社外秘"
            mark = "%s｜%s｜2025年10月20日｜No.%d" % (cls, TO[i], n)
            ps = pages(self.path(i, "pdf"))
            self.assertGreater(len(ps), 10)
            for k, p in enumerate(ps):
                self.assertIn(mark, flat(p), "page %d of %s" % (k + 1, i))
            self.assertGreaterEqual(flat(ps[0]).count(mark), 2)   # title page
            self.assertGreaterEqual(flat(ps[-1]).count(mark), 2)  # colophon

    def test_only_the_marking_differs(self):
        """every line and page break as in the plain edition: each page's
        text without the marking lines is the plain page's"""
        plain = pages(self.plain)
        for i in IDS:
            ps = pages(self.path(i, "pdf"))
            self.assertEqual(len(ps), len(plain), i)
            for k, (a, b) in enumerate(zip(ps, plain)):
                self.assertEqual(unmarked(a, TO[i]), unmarked(b, TO[i]),
                                 "%s page %d" % (i, k + 1))

    def test_colophon_last(self):
        last = flat(pages(self.plain)[-1])
        self.assertIn("2025年10月20日第1版発行", last)
        self.assertIn("発行知的財産調査レポート", last)
        self.assertIn("世界人工知能大会", last)

    def test_metadata(self):
        """the subject names the recipient (the marking is on every page);
        the internal id stays out of the Keywords unless a style asks"""
        for i in IDS:
            info = subprocess.run(["pdfinfo", self.path(i, "pdf")], stdout=subprocess.PIPE,
                                  text=True).stdout
            self.assertNotIn("edition:", info)
            self.assertIn(TO[i], flat(info))
        style = os.path.join(self.tmp, "kw.yaml")
        with open(style, "w") as f:
            f.write("editions:\n  id-in-keywords: true\n")
        pdf = os.path.join(self.tmp, "kw.pdf")
        r = run("pdf", "-q", "-s", style, "--edition", "sample-b", REPORT, "-o", pdf)
        self.assertEqual(r.returncode, 0, r.stderr)
        info = subprocess.run(["pdfinfo", pdf], stdout=subprocess.PIPE, text=True).stdout
        self.assertRegex(info, r"Keywords:.*知的財産, edition:sample-b")

    def test_reproducible(self):
        other = os.path.join(self.tmp, "again")
        os.makedirs(other, exist_ok=True)
        for kind in ("pdf", "epub"):
            # --edition ID -o FILE writes FILE; -o DIR, into DIR
            one = os.path.join(other, "one." + kind)
            self.assertEqual(run(kind, "-q", "--edition", "sample-b", REPORT,
                                 "-o", one).returncode, 0)
            self.assertEqual(run(kind, "-q", "--edition", "sample-b", REPORT,
                                 "-o", other).returncode, 0)
            with open(self.path("sample-b", kind), "rb") as f1, \
                    open(os.path.join(other, "waic2025-sample-b." + kind), "rb") as f2, \
                    open(one, "rb") as f3:
                want = f1.read()
                self.assertEqual(want, f2.read(), kind)
                self.assertEqual(want, f3.read(), kind)
        self.assertEqual(len(os.listdir(other)), 4)

    def test_epubs(self):
        ids = set()
        for i in IDS:
            z = zipfile.ZipFile(self.path(i, "epub"))
            opf = z.read("OEBPS/package.opf").decode()
            uid = re.search(r'<dc:identifier id="uid">([^<]*)<', opf).group(1)
            ids.add(uid)
            self.assertIn(TO[i], flat(re.search(r"<dc:rights>([^<]*)<", opf).group(1)))
            col = z.read("OEBPS/colophon.xhtml").decode()
            self.assertIn('epub:type="colophon" role="doc-colophon"', col)
            self.assertIn(TO[i], flat(col))
            self.assertIn(TO[i], flat(z.read("OEBPS/title.xhtml").decode()))
            nav = z.read("OEBPS/nav.xhtml").decode()
            self.assertIn('epub:type="colophon"', nav)
        self.assertEqual(len(ids), 3)

    @unittest.skipUnless(os.path.exists(EPUBCHECK), "epubcheck absent")
    def test_epubcheck(self):
        for i in IDS:
            out = epubcheck(self.path(i, "epub"))
            self.assertIn("0 fatals / 0 errors / 0 warnings", out, i)

    def test_watermark(self):
        """editions.watermark: the recipient under the text of every page,
        and not in a reader's copy of the text"""
        style = os.path.join(self.tmp, "wm.yaml")
        with open(style, "w") as f:
            f.write("editions:\n  watermark: true\n")
        pdf = os.path.join(self.tmp, "wm.pdf")
        r = run("pdf", "-q", "-s", style, "--edition", "sample-a", REPORT, "-o", pdf)
        self.assertEqual(r.returncode, 0, r.stderr)
        stream = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, "-"],
                                stdout=subprocess.PIPE, check=True).stdout
        self.assertGreaterEqual(stream.count(b"/ActualText <feff>"), len(pages(pdf)))
        self.assertEqual([unmarked(p, TO["sample-a"]) for p in pages(pdf)],
                         [unmarked(p, TO["sample-a"]) for p in
                          pages(self.path("sample-a", "pdf"))])


def boxes(pdf, words):
    """Per page, the boxes (x0, y0, x1, y1) of the words that are one of
    `words` or hold it."""
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], stdout=subprocess.PIPE,
                         text=True, check=True).stdout
    res = []
    for page in out.split("<page ")[1:]:
        found = []
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                             r'yMax="([\d.]+)">([^<]*)</word>', page):
            if any(w in m.group(5) for w in words):
                found.append(tuple(float(m.group(k)) for k in range(1, 5)))
        res.append(found)
    return res


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class Placement(unittest.TestCase):
    """Where the marking stands: never over the folio; refused, with the
    reason, where the paper has no room for it; at the head on request."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="km-edplace-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def style(self, text):
        path = os.path.join(self.tmp, "s%d.yaml" % len(os.listdir(self.tmp)))
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_b5_refused(self):
        """The B5 style of the report that found it: 25 mm head margin, 34
        lines at 18 pt: its folio would stand 2 mm from the paper's foot
        and the marking over it; refused at the style, nothing written."""
        st = self.style("page:\n  width: 182mm\n  height: 257mm\n  margin-top: 25mm\n"
                        "body:\n  size: 10.5pt\n  chars-per-line: 40\n"
                        "  lines-per-page: 34\n  line-pitch: 18pt\n")
        out = os.path.join(self.tmp, "out")
        r = run("pdf", "-s", st, "--editions", REPORT, "-o", out)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"s0.yaml: error: the folio stands [\d.]+ mm from "
                         r"the paper's bottom edge; a printer leaves 5 mm blank")
        self.assertFalse(os.path.exists(out) and os.listdir(out))

    def test_narrow_margin_refused(self):
        st = self.style("page:\n  width: 182mm\n  height: 257mm\nbody:\n"
                        "  size: 10pt\n  chars-per-line: 49\n")
        r = run("check", "-s", st, REPORT)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"the text block comes within [\d.]+ mm of the "
                         r"paper's inner \(left\) edge")

    def test_marking_under_the_folio_or_refused(self):
        """Room for the folio but not for the marking under it: the copies
        are refused (the plain file is made); editions.marking: head sets
        them, the marking's box clear of the folio's on every page."""
        geometry = ("page:\n  width: 182mm\n  height: 257mm\n  margin-top: 25mm\n"
                    "body:\n  size: 10pt\n  chars-per-line: 40\n"
                    "  lines-per-page: 35\n  line-pitch: 17pt\n")
        st = self.style(geometry)
        out = os.path.join(self.tmp, "out")
        r = run("pdf", "-s", st, "--editions", REPORT, "-o", out)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"a copy's marking would stand [\d.]+ mm from the "
                         r"paper's bottom edge.*editions.marking: head")
        self.assertEqual(run("pdf", "-q", "-s", st, REPORT, "-o",
                             os.path.join(self.tmp, "plain.pdf")).returncode, 0)
        st = self.style(geometry + "editions:\n  marking: head\n")
        r = run("pdf", "-q", "-s", st, "--edition", "sample-a", REPORT, "-o",
                os.path.join(self.tmp, "head.pdf"))
        self.assertEqual(r.returncode, 0, r.stderr)
        pdf = os.path.join(self.tmp, "head.pdf")
        marks = boxes(pdf, ["見本株式会社"])
        ps = pages(pdf)
        for k, (ms, text) in enumerate(zip(marks, ps)):
            self.assertTrue(ms, "page %d has no marking" % (k + 1))
            folio = re.findall(r"^\s*(\d+)\s*$", text, re.M)
            fboxes = [b for b in boxes(pdf, folio[-1:])[k]] if folio else []
            for m in ms:
                for fb in fboxes:
                    self.assertFalse(overlap(m, fb), "page %d" % (k + 1))
        # at the head, above the text: at the right on odd pages, the
        # left on even ones
        for k in (2, 3):
            (m,) = marks[k]
            self.assertLess(m[3], 70.9 - 17)
            number = int(re.findall(r"^\s*(\d+)\s*$", ps[k], re.M)[-1])
            if number % 2:
                self.assertGreater(m[0], 150)  # ends at the block's right
            else:
                self.assertLess(m[0], 60)      # starts at its left (58 pt)

    def test_watermark_text(self):
        st = self.style("editions:\n  watermark: true\n"
                        "  watermark-text: \"{classification} {copy}\"\n")
        pdf = os.path.join(self.tmp, "wm.pdf")
        r = run("pdf", "-q", "-s", st, "--edition", "sample-b", REPORT, "-o", pdf)
        self.assertEqual(r.returncode, 0, r.stderr)
        raw = subprocess.run(["mutool", "draw", "-F", "stext", "-o", "-", pdf, "3"],
                             stdout=subprocess.PIPE, text=True).stdout
        # drawn light (as glyphs without text): 社外秘 No. 2
        self.assertRegex(raw, r'color="#e0e0e0" c="&#x793e;"/>\n.*c="&#x5916;"')
        self.assertRegex(raw, r'color="#e0e0e0" c="N"')
        bad = self.style("editions:\n  watermark: true\n  watermark-text: \"{name}\"\n")
        r = run("check", "-s", bad, REPORT)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("error: editions.watermark-text: unknown {name}", r.stderr)


class Encryption(unittest.TestCase):
    """encrypt: true on a recipient: AES-256 (R6), printing allowed,
    copying and changing not; an open password from the password-file the
    editions file names, never said; an error with PDF/A."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = t = tempfile.mkdtemp(prefix="km-enc-")
        shutil.copy(REPORT, os.path.join(t, "r.md"))
        shutil.copytree(os.path.join(os.path.dirname(REPORT), "images"),
                        os.path.join(t, "images"))
        cls.secret = "open-sesame-7f3a"
        os.mkdir(os.path.join(t, "keys"))
        with open(os.path.join(t, "keys", "pw.txt"), "w") as f:
            f.write(cls.secret + "\n")
        cls.off = os.path.join(t, "off.yaml")
        with open(cls.off, "w") as f:
            f.write("pdf:\n  standard: off\n")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def editions(self, encrypt_a, pwfile="keys/pw.txt"):
        with open(os.path.join(self.tmp, "r.editions.yaml"), "w") as f:
            f.write("classification: 社外秘\neditions:\n"
                    "  - id: a\n    to: 見本株式会社 御中\n"
                    "    encrypt: %s\n%s"
                    "  - id: b\n    to: 見本法律事務所 御中\n    encrypt: true\n"
                    "  - id: c\n    to: 見本商事 御中\n"
                    % ("true" if encrypt_a else "false",
                       "    password-file: %s\n" % pwfile if encrypt_a and pwfile else ""))

    def make(self, out, *extra):
        return run("pdf", "-q", "-s", self.off, "--editions", *extra,
                   os.path.join(self.tmp, "r.md"), "-o", os.path.join(self.tmp, out))

    def show(self, pdf, password=None):
        args = ["qpdf", "--show-encryption", pdf]
        if password:
            args.insert(1, "--password=" + password)
        return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True).stdout

    def text(self, pdf, password=None):
        args = ["pdftotext"] + (["-upw", password] if password else []) + [pdf, "-"]
        return subprocess.run(args, stdout=subprocess.PIPE, text=True).stdout

    def test_encrypted(self):
        self.editions(True)
        r = self.make("enc")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(self.secret, r.stderr)
        a, b, c = (os.path.join(self.tmp, "enc", "r-%s.pdf" % i) for i in "abc")
        # a: an open password; without it nothing opens
        self.assertIn("invalid password", self.show(a).lower().replace("incorrect", "invalid"))
        info = self.show(a, self.secret)
        for want in ("R = 6", "stream encryption method: AESv3",
                     "print high resolution: allowed", "extract for any purpose: not allowed",
                     "modify other: not allowed"):
            self.assertIn(want, info)
        # b: the permissions only; c: not encrypted
        self.assertIn("R = 6", self.show(b))
        self.assertIn("User password = \n", self.show(b))
        self.assertIn("File is not encrypted", self.show(c))
        for f in (a, b, c):
            with open(f, "rb") as fp:
                self.assertNotIn(self.secret.encode(), fp.read())
        # the text, decrypted, is the same copy's unencrypted
        self.editions(False)
        r = self.make("plain")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.text(a, self.secret),
                         self.text(os.path.join(self.tmp, "plain", "r-a.pdf")))

    def test_not_with_pdfa(self):
        self.editions(True)
        r = run("pdf", "--editions", os.path.join(self.tmp, "r.md"), "-o",
                os.path.join(self.tmp, "pdfa"))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"r.editions.yaml:3:5: error: edition 'a': encrypt: "
                         r"true and the style's pdf.standard: pdf/a-1b cannot go together")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "pdfa")) and
                         os.listdir(os.path.join(self.tmp, "pdfa")))
        r = run("check", os.path.join(self.tmp, "r.md"))
        self.assertIn("cannot go together", r.stderr)

    def test_password_faults(self):
        self.editions(True, pwfile="keys/none.txt")
        r = self.make("nopw")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("edition 'a': cannot read its password-file", r.stderr)
        with open(os.path.join(self.tmp, "keys", "empty.txt"), "w"):
            pass
        self.editions(True, pwfile="keys/empty.txt")
        r = self.make("emptypw")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("password-file 'keys/empty.txt' is empty".replace("keys/", ""),
                      r.stderr.replace(self.tmp + "/keys/", ""))
        # the EPUB is told, not encrypted
        self.editions(True)
        r = run("epub", "-q", "--edition", "a", os.path.join(self.tmp, "r.md"), "-o",
                os.path.join(self.tmp, "a.epub"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("encrypt is for its PDF; the EPUB is not encrypted", r.stderr)


FOR_SOME = """---
title: 条件付きの報告
date: 2025-11-14
editions:
  - id: alpha
    to: アルファ株式会社 御中
  - id: beta
    to: ベータ法律事務所 御中
  - id: gamma
    to: ガンマ商事 御中
---

# はじめに

共通の本文である。注を付ける。[^a]

::: {editions="alpha"}
## アルファ社向け付録

この節は内密の評価メモである。[^b] 鑑定結果を含む。

%s

表: アルファ限定の表

| 項目 | 値 |
|---|---|
| 鑑定額 | 42 |
:::

::: {except="beta"}
ベータには渡さない比較の段落。[^c]
:::

最後の共通段落。[^d]

[^a]: 共通の注。
[^b]: 内密の注。
[^c]: 比較の注。
[^d]: 最後の注。
""" % "\n\n".join(["評価の経緯を詳しく述べる段落である。" * 12] * 30)


def pages_of(pdf):
    return pages(pdf)


class ForSome(unittest.TestCase):
    """::: {editions=...} and {except=...}: text for some copies only,
    absent from every other copy and from the plain build (fail closed):
    not in the PDF's text, outline or files, nor the EPUB's; notes,
    figures and tables numbered per copy; each copy's page-list its own."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="km-forsome-")
        cls.md = os.path.join(cls.tmp, "m.md")
        with open(cls.md, "w") as f:
            f.write(FOR_SOME)
        cls.out = os.path.join(cls.tmp, "ed")
        for kind in ("pdf", "epub"):
            r = run(kind, "-q", "--editions", cls.md, "-o", cls.out)
            assert r.returncode == 0, r.stderr
            r = run(kind, "-q", cls.md, "-o", os.path.join(cls.tmp, "plain." + kind))
            assert r.returncode == 0, r.stderr
            assert "never referenced" not in r.stderr, r.stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def path(self, who, kind):
        if who == "plain":
            return os.path.join(self.tmp, "plain." + kind)
        return os.path.join(self.out, "m-%s.%s" % (who, kind))

    def everything(self, who):
        """All the text a copy gives away: the PDF's text, its objects
        uncompressed (outline, metadata, ToUnicode maps), every file of
        the EPUB."""
        pdf = self.path(who, "pdf")
        text = flat(subprocess.run(["pdftotext", pdf, "-"], stdout=subprocess.PIPE,
                                   text=True).stdout)
        qdf = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, "-"],
                             stdout=subprocess.PIPE).stdout
        z = zipfile.ZipFile(self.path(who, "epub"))
        epub = b"".join(z.read(n) for n in z.namelist())
        return text, qdf, epub

    def assertAbsent(self, who, words):
        text, qdf, epub = self.everything(who)
        for w in words:
            utf16 = w.encode("utf-16-be").hex()
            self.assertNotIn(w, text, who)
            self.assertNotIn(w.encode(), qdf, who)
            self.assertNotIn(utf16, qdf.decode("latin-1").lower(), who)
            self.assertNotIn(w.encode(), epub, who)

    def notes(self, who):
        text = subprocess.run(["pdftotext", self.path(who, "pdf"), "-"],
                              stdout=subprocess.PIPE, text=True).stdout
        return re.findall(r"^(\d+)\) (\S+)", text, re.M)

    def test_fail_closed(self):
        secret = ["内密の評価メモ", "アルファ社向け付録", "内密の注", "鑑定額", "アルファ限定の表"]
        for who in ("plain", "beta", "gamma"):
            self.assertAbsent(who, secret)
        for who in ("plain", "beta"):
            self.assertAbsent(who, ["ベータには渡さない", "比較の注"])
        text, _, epub = self.everything("alpha")
        for w in secret + ["ベータには渡さない"]:
            self.assertIn(w, text)
        self.assertIn("ベータには渡さない".encode(), self.everything("gamma")[2])

    def test_numbered_per_copy(self):
        want = {"plain": ["共通の注。", "最後の注。"], "beta": ["共通の注。", "最後の注。"],
                "gamma": ["共通の注。", "比較の注。", "最後の注。"],
                "alpha": ["共通の注。", "内密の注。", "比較の注。", "最後の注。"]}
        for who, notes in want.items():
            got = self.notes(who)
            self.assertEqual([n for n, _ in got], [str(i) for i in range(1, len(notes) + 1)], who)
            self.assertEqual([t for _, t in got], notes, who)
        text = flat(subprocess.run(["pdftotext", self.path("alpha", "pdf"), "-"],
                                   stdout=subprocess.PIPE, text=True).stdout)
        self.assertIn("表1アルファ限定の表", text)

    def test_page_list_follows_own_pdf(self):
        for who in ("alpha", "beta", "plain"):
            pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
                ["pdfinfo", self.path(who, "pdf")], stdout=subprocess.PIPE,
                text=True).stdout).group(1))
            nav = zipfile.ZipFile(self.path(who, "epub")).read("OEBPS/nav.xhtml").decode()
            listed = [int(p) for p in re.findall(r'<a href="[^"]*#page(\d+)"', nav)]
            self.assertEqual(listed, list(range(1, pages + 1)), who)
        self.assertGreater(len(pages_of(self.path("alpha", "pdf"))),
                           len(pages_of(self.path("beta", "pdf"))))

    def test_errors(self):
        bad = os.path.join(self.tmp, "bad.md")
        with open(bad, "w") as f:
            f.write(FOR_SOME.replace('{except="beta"}', '{except="delta"}') +
                    '\n::: {editions="alpha"}\nnever closed\n')
        r = run("check", bad)
        self.assertEqual(r.returncode, 1, r.stderr)
        at = FOR_SOME.split("\n").index('::: {except="beta"}') + 1
        self.assertIn("bad.md:%d:5: error: except=: no edition 'delta' (the editions "
                      "are: alpha, beta, gamma)" % at, r.stderr)
        end = len(FOR_SOME.split("\n")) + 1
        self.assertRegex(r.stderr, r"bad.md:%d:5: error: this ::: block for editions is "
                         r"never closed" % end)
        r = run("pdf", "--editions", bad, "-o", os.path.join(self.tmp, "badout"))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "badout")) and
                         os.listdir(os.path.join(self.tmp, "badout")))


class BadEditions(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="km-edbad-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def case(self, editions, pattern, front=False, args=("--editions",), code=1):
        src = os.path.join(self.tmp, "m.md")
        body = "本文の段落。\n"
        with open(src, "w", encoding="utf-8") as f:
            if front:
                f.write("---\ntitle: t\n" + editions + "---\n\n" + body)
            else:
                f.write("---\ntitle: t\n---\n\n" + body)
        if not front and editions is not None:
            with open(os.path.join(self.tmp, "m.editions.yaml"), "w", encoding="utf-8") as f:
                f.write(editions)
        out = os.path.join(self.tmp, "out")
        for kind in ("pdf", "epub"):
            r = run(kind, "-q", *args, src, "-o", out)
            self.assertEqual(r.returncode, code, (kind, r.stderr))
            self.assertRegex(r.stderr, pattern.replace("DIR", re.escape(self.tmp)))
            self.assertFalse(os.path.exists(out) and os.listdir(out), os.listdir(out)
                             if os.path.exists(out) else None)
        return src

    def test_duplicate_id(self):
        self.case("- {id: a, to: 甲社 御中}\n- {id: a, to: 乙社 御中}\n",
                  r"DIR/m\.editions\.yaml:2:3: error: edition id 'a' is used twice "
                  r"\(first at line 1\)")

    def test_unsafe_ids(self):
        for bad in ("a/b", "..", "a b", '""', "../x"):
            self.case("- id: %s\n  to: 甲社 御中\n" % bad,
                      r"DIR/m\.editions\.yaml:1:3: error: (edition id '.*' is not a safe "
                      r"file-name token|an edition needs an id)")

    def test_empty_to(self):
        self.case("- id: a\n  to: \"\"\n", r"DIR/m\.editions\.yaml:1:3: error: edition "
                  r"'a' has no recipient")
        self.case("- id: a\n", r"error: edition 'a' has no recipient")

    def test_undrawable_to(self):
        self.case("- id: a\n  to: \"\U0001F600 御中\"\n", r"DIR/m\.editions\.yaml:1:3: error: "
                  r"edition 'a': U\+1F600 cannot be drawn")

    def test_not_yaml(self):
        self.case("- id: a\n  to: [unclosed\n", r"DIR/m\.editions\.yaml:\d+:\d+: error: "
                  r"malformed editions")

    def test_in_front_matter(self):
        """editions: in the front matter, a fault at its line in the manuscript"""
        self.case("editions:\n  - {id: a, to: 甲社}\n  - {id: a, to: 乙社}\n",
                  r"DIR/m\.md:5:5: error: edition id 'a' is used twice", front=True)

    def test_classification_without_recipients(self):
        """classification: 秘 on a manuscript with no recipients: a warning
        at its line and column in check, pdf and epub (the plain edition
        is unmarked); none once an editions file lists them"""
        src = os.path.join(self.tmp, "m.md")
        with open(src, "w", encoding="utf-8") as f:
            f.write("---\ntitle: t\nclassification: 秘\n---\n\n本文の段落。\n")
        for args in (("check",), ("pdf", "-o", os.path.join(self.tmp, "m.pdf")),
                     ("epub", "-o", os.path.join(self.tmp, "m.epub"))):
            r = run(*args[:1], "-q", src, *args[1:])
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertRegex(r.stderr, r"m\.md:3:17: warning: classification '秘' marks "
                             r"the client editions only")
        open(os.path.join(self.tmp, "m.editions.yaml"), "w").close()  # lists none
        r = run("check", "-q", src)
        self.assertRegex(r.stderr, r"m\.md:3:17: warning: classification")
        with open(os.path.join(self.tmp, "m.editions.yaml"), "w", encoding="utf-8") as f:
            f.write("- {id: a, to: 甲社 御中}\n")
        for kind in ("check", "pdf"):
            r = run(kind, "-q", src, "-o", os.path.join(self.tmp, "m2.pdf"))
            self.assertNotIn("classification", r.stderr)

    def test_unknown_edition(self):
        self.case("- {id: a, to: 甲社 御中}\n", r"error: --edition 'zz': no such edition",
                  args=("--edition", "zz"))

    def test_no_editions(self):
        self.case(None, r"error: no editions")

    def test_failure_part_way(self):
        """one edition cannot be written: the others are written whole, it
        is named, nothing half-written is left"""
        src = os.path.join(self.tmp, "m.md")
        with open(src, "w", encoding="utf-8") as f:
            f.write("---\ntitle: t\neditions:\n  - {id: a, to: 甲社}\n  - {id: b, to: 乙社}\n"
                    "  - {id: c, to: 丙社}\n---\n\n本文。\n")
        out = os.path.join(self.tmp, "out")
        os.makedirs(os.path.join(out, "m-b.pdf"))  # in the way of b's file
        r = run("pdf", "-q", "--editions", src, "-o", out)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertRegex(r.stderr, r"these editions were not written: b")
        self.assertEqual(sorted(os.listdir(out)), ["m-a.pdf", "m-b.pdf", "m-c.pdf"])
        self.assertTrue(os.path.isfile(os.path.join(out, "m-a.pdf")))
        self.assertTrue(os.path.isfile(os.path.join(out, "m-c.pdf")))


if __name__ == "__main__":
    unittest.main(verbosity=2)
