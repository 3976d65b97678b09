#!/usr/bin/env python3
"""Archival PDFs (README, "What the PDFs conform to"): the report, the
guide, the vertical report and every sample edition are valid PDF/A-1b
by Apache PDFBox Preflight (../shared/tools/preflight, which installs the
Debian packages it needs), and tagged as tests/pdftags.py asks; a style
that turns PDF/A off makes a file Preflight refuses, and files with the
tags taken out fail pdftags.py, so neither check passes by default.

Run by CTest with KM_BIN and KUMIHAN_DATA, like e2e.py."""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pdftags  # noqa: E402

BIN = os.environ.get("KM_BIN", "build/kumihan")
ROOT = os.environ.get("KUMIHAN_DATA", os.path.dirname(HERE))
PREFLIGHT = os.path.join(ROOT, "..", "shared", "tools", "preflight")
CONTENT = os.path.join(ROOT, "content")
TATEGAKI = os.path.join(ROOT, "styles", "tategaki.yaml")


def rgba_png(w, h, rgba):
    """A PNG of one colour with alpha, made with zlib alone."""
    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body +
                struct.pack(">I", zlib.crc32(kind + body)))
    raw = b"".join(b"\0" + bytes(rgba) * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def run(*args):
    return subprocess.run([BIN, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)


class Archive(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="km-pdfa-")
        cls.files, cls.err = [], {}
        report = os.path.join(CONTENT, "waic2025.md")
        guide = os.path.join(CONTENT, "guide.md")
        for name, args in (("report.pdf", [report]), ("guide.pdf", [guide]),
                           ("report-v.pdf", ["-s", TATEGAKI, report])):
            out = os.path.join(cls.tmp, name)
            r = run("pdf", *args, "-o", out)
            assert r.returncode == 0, r.stderr
            cls.files.append(out)
            cls.err[name] = r.stderr
        for sub, extra in (("ed", []), ("ed-v", ["-s", TATEGAKI])):
            d = os.path.join(cls.tmp, sub)
            r = run("pdf", "-q", "--editions", *extra, report, "-o", d)
            assert r.returncode == 0, r.stderr
            cls.files += sorted(os.path.join(d, f) for f in os.listdir(d))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    @unittest.skipUnless(os.path.exists(PREFLIGHT), "../shared/tools/preflight absent")
    def test_preflight(self):
        self.assertGreaterEqual(len(self.files), 9)
        r = subprocess.run([PREFLIGHT, *self.files], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertEqual(r.stdout.count("valid PDF/A-1b"), len(self.files), r.stdout)

    @unittest.skipUnless(os.path.exists(PREFLIGHT), "../shared/tools/preflight absent")
    def test_preflight_refuses_plain(self):
        """pdf.standard: off claims nothing, and Preflight says so."""
        style = os.path.join(self.tmp, "off.yaml")
        with open(style, "w") as f:
            f.write("pdf:\n  standard: off\n")
        out = os.path.join(self.tmp, "plain.pdf")
        r = run("pdf", "-s", style, os.path.join(CONTENT, "waic2025.md"), "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = subprocess.run([PREFLIGHT, out], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertEqual(pdftags.check(out), [])  # tagged all the same

    def test_tags(self):
        for f in self.files:
            self.assertEqual(pdftags.check(f), [], f)

    def test_xmp(self):
        pdf = pdftags.Pdf(self.files[0])
        root = pdf.get(pdf.objs["trailer"]["value"]["/Root"])
        xmp = pdf.data(root["/Metadata"]).decode()
        for want in ("<pdfaid:part>1</pdfaid:part>", "<pdfaid:conformance>B<",
                     "<dc:language><rdf:Bag><rdf:li>ja</rdf:li>",
                     "<xmp:CreateDate>2025-10-20T00:00:00Z</xmp:CreateDate>"):
            self.assertIn(want, xmp)

    def test_flattened_with_a_warning(self):
        """A PNG with alpha is set on white, and the writer is told; one
        whose alpha is all opaque is set without a word."""
        d = os.path.join(self.tmp, "png")
        os.mkdir(d)
        for name, alpha in (("half.png", 128), ("opaque.png", 255)):
            with open(os.path.join(d, name), "wb") as f:
                f.write(rgba_png(8, 8, (200, 30, 30, alpha)))
        with open(os.path.join(d, "t.md"), "w") as f:
            f.write("---\ntitle: 透明\n---\n\n# 図\n\n![半透明](half.png)\n\n"
                    "![不透明](opaque.png)\n")
        out = os.path.join(d, "t.pdf")
        r = run("pdf", os.path.join(d, "t.md"), "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("t.md:7:1: warning: image 'half.png': its transparency is "
                      "flattened onto white", r.stderr)
        self.assertNotIn("opaque.png': its transparency", r.stderr)
        if os.path.exists(PREFLIGHT):
            r = subprocess.run([PREFLIGHT, out], stdout=subprocess.PIPE, text=True)
            self.assertIn("valid PDF/A-1b", r.stdout)
        self.assertNotIn("warning", self.err["guide.pdf"])

    def test_transparent_svg(self):
        d = os.path.join(self.tmp, "svg")
        os.mkdir(d)
        with open(os.path.join(d, "t.svg"), "w") as f:
            f.write('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
                    '<rect width="100" height="60" fill="blue" fill-opacity="0.5"/></svg>')
        with open(os.path.join(d, "t.md"), "w") as f:
            f.write("---\ntitle: 透明\n---\n\n# 図\n\n![半透明の図](t.svg)\n")
        out = os.path.join(d, "t.pdf")
        r = run("pdf", os.path.join(d, "t.md"), "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("t.md:7:1: warning: image 't.svg' uses transparency", r.stderr)
        if os.path.exists(PREFLIGHT):
            r = subprocess.run([PREFLIGHT, out], stdout=subprocess.PIPE, text=True)
            self.assertIn("valid PDF/A-1b", r.stdout)

    def test_cmyk_jpeg(self):
        """A CMYK JPEG cannot go into a PDF/A-1b file: an error at its line
        (check and pdf, nothing written); the EPUB takes it."""
        d = os.path.join(self.tmp, "cmyk")
        os.mkdir(d)
        with open(os.path.join(CONTENT, "images", "hall.jpg"), "rb") as f:
            jpg = f.read()
        at = jpg.index(b"\xff\xc0")  # the frame header, three components
        n = int.from_bytes(jpg[at + 2:at + 4], "big")
        sof = jpg[at + 4:at + 2 + n]
        four = sof[:5] + b"\x04" + sof[6:] + b"\x04\x11\x01"
        jpg = jpg[:at + 2] + (len(four) + 2).to_bytes(2, "big") + four + jpg[at + 2 + n:]
        with open(os.path.join(d, "c.jpg"), "wb") as f:
            f.write(jpg)
        md = os.path.join(d, "t.md")
        with open(md, "w") as f:
            f.write("---\ntitle: 色\n---\n\n# 図\n\n本文。\n\n![写真](c.jpg)\n")
        for cmd in ("check", "pdf"):
            r = run(cmd, md, "-o", os.path.join(d, "t.pdf")) if cmd == "pdf" else run(cmd, md)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn("t.md:9:1: error: image 'c.jpg' is a CMYK JPEG", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(d, "t.pdf")))

    def test_checker_fails_without_tags(self):
        """Each promise taken out of the report's PDF (through qpdf's JSON)
        is a fault pdftags.py names."""
        src = self.files[1]  # the guide: figures, a table, links
        js = os.path.join(self.tmp, "g.json")
        subprocess.run(["qpdf", "--json-output=2", src, js], check=True)
        with open(js) as f:
            base = json.load(f)

        def variant(name, edit, fault):
            data = json.loads(json.dumps(base))
            objs = data["qpdf"][1]
            for key, o in objs.items():
                v = o.get("value")
                if isinstance(v, dict):
                    edit(v)
            path = os.path.join(self.tmp, name + ".json")
            with open(path, "w") as f:
                json.dump(data, f)
            pdf = os.path.join(self.tmp, name + ".pdf")
            subprocess.run(["qpdf", "--json-input", path, pdf], check=True)
            faults = pdftags.check(pdf)
            self.assertTrue(any(fault in x for x in faults), (name, faults))

        variant("nolang", lambda v: v.pop("/Lang", None)
                if v.get("/Type") == "/Catalog" else None, "no /Lang")
        variant("noalt", lambda v: v.pop("/Alt", None), "without /Alt")
        variant("notabs", lambda v: v.pop("/Tabs", None), "no /Tabs")
        variant("noscope", lambda v: v.pop("/A", None)
                if v.get("/S") == "/TH" else None, "without /Scope")
        variant("nocontents", lambda v: v.pop("/Contents", None)
                if v.get("/Subtype") == "/Link" else None, "without /Contents")
        variant("noprint", lambda v: v.pop("/F", None)
                if v.get("/Subtype") == "/Link" else None, "does not print")
        variant("private", lambda v: v.update({"/S": "/Private"})
                if v.get("/S") == "/Caption" else None, "/Private")

    def test_checker_sees_untagged_content(self):
        self.assertEqual(pdftags.unmarked(b"/P <</MCID 0>> BDC BT (a) Tj ET EMC"), 0)
        self.assertEqual(pdftags.unmarked(b"/Artifact BMC 0 0 m 1 1 l S EMC"), 0)
        self.assertEqual(pdftags.unmarked(b"BT (EMC) Tj ET 0 0 1 1 re f"), 2)


if __name__ == "__main__":
    unittest.main()
