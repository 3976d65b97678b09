#!/usr/bin/env python3
"""The EPUB's page-map cache (src/pagecache.h).

A plain `kumihan epub` keeps what it took from the print layout (the page
map, the cover, the layout's warnings) under a key made of everything the
layout reads; the next run with the same key writes the EPUB without laying
out. The test holds it to what makes that safe: the EPUB from the cache is
byte for byte the one a run without it writes (the bundled report and
guide, vertically, with page references, and a manuscript whose layout
warns); any change to the manuscript, the style, an image or the sources
file, to the file time an undated manuscript prints, or to the environment
that draws, is a miss; a damaged entry is a miss, never a crash or an
error, and a pipe in its place is not waited on; a folder others may write
to is not used; KUMIHAN_CACHE=off writes nothing; and the cache keeps its
64 entries used last.

Run by CTest with KM_BIN and KUMIHAN_DATA, as e2e.py."""
import glob
import hashlib
import os
import shutil
import struct
import tempfile
import unittest

from kmtest import ROOT, run

TATE = os.path.join(ROOT, "styles", "tategaki.yaml")
NUMBERED = os.path.join(ROOT, "tests", "data", "numbered.yaml")


class Cache(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="km-cache-")
        self.dir = os.path.join(self.tmp, "cache")
        self.env = dict(os.environ, KUMIHAN_CACHE=self.dir)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def epub(self, src, name, *opts, cache=True):
        """kumihan epub --timings: (EPUB bytes, stderr without timings,
        whether it laid out)"""
        out = os.path.join(self.tmp, name)
        env = self.env if cache else dict(os.environ, KUMIHAN_CACHE="off")
        r = run("epub", "--timings", *opts, src, "-o", out, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        said = [l for l in r.stderr.splitlines()
                if not l.startswith("kumihan: ") or "wrote" in l]
        laid_out = any(l.startswith("kumihan: layout") for l in r.stderr.splitlines())
        with open(out, "rb") as f:
            return f.read(), said, laid_out

    def entries(self):
        return sorted(glob.glob(os.path.join(self.dir, "*.page")))

    def same_from_cache(self, src, *opts):
        """Cold, then from the cache: the same file and the same words,
        and a run without the cache agrees."""
        first, said1, laid1 = self.epub(src, "a.epub", *opts)
        second, said2, laid2 = self.epub(src, "b.epub", *opts)
        off, said3, _ = self.epub(src, "c.epub", *opts, cache=False)
        self.assertTrue(laid1)
        self.assertFalse(laid2, "the second run laid out again")
        self.assertEqual(first, second)
        self.assertEqual(first, off)
        self.assertEqual([l.replace("b.epub", "a.epub") for l in said2], said1)
        self.assertEqual(said1, [l.replace("c.epub", "a.epub") for l in said3])
        return said1

    def test_report_guide_vertical_numbered(self):
        report = os.path.join(ROOT, "content", "waic2025.md")
        guide = os.path.join(ROOT, "content", "guide.md")
        self.same_from_cache(report)
        self.same_from_cache(guide)
        self.same_from_cache(report, "-s", TATE)
        self.same_from_cache(guide, "-s", NUMBERED)
        self.assertEqual(len(self.entries()), 4)

    def test_layout_warnings_said_again(self):
        # a title longer than the title page holds: the layout leaves the
        # rest off, with a warning
        src = os.path.join(self.tmp, "long.md")
        with open(src, "w", encoding="utf-8") as f:
            f.write("---\ntitle: %s\ndate: 2026-12-01\n---\n\n## 序\n\n本文。\n"
                    % ("長い題名の試験" * 150))
        said = self.same_from_cache(src)
        self.assertTrue(any("warning" in l for l in said), said)

    def test_any_change_is_a_miss(self):
        work = os.path.join(self.tmp, "work")
        shutil.copytree(os.path.join(ROOT, "content", "images"),
                        os.path.join(work, "images"))
        src = os.path.join(work, "m.md")
        text = ("---\ntitle: 変更の試験\ndate: 2026-12-01\n---\n\n## 序\n\n"
                "本文の段落。[@src:a]\n\n![図](images/%s)\n" %
                sorted(os.listdir(os.path.join(work, "images")))[0])
        with open(src, "w", encoding="utf-8") as f:
            f.write(text)
        with open(os.path.join(work, "m.sources.yaml"), "w", encoding="utf-8") as f:
            f.write("- id: a\n  title: 資料\n  author: 著者\n")
        style = os.path.join(work, "s.yaml")
        shutil.copy(os.path.join(ROOT, "styles", "handout.yaml"), style)

        def laid_out():
            return self.epub(src, "m.epub", "-s", style)[2]

        self.assertTrue(laid_out())
        self.assertFalse(laid_out())
        for path, add in ((src, "\n追記。\n"), (style, "\n# a comment\n"),
                          (os.path.join(work, "m.sources.yaml"), "  publisher: 社\n")):
            with open(path, "a", encoding="utf-8") as f:
                f.write(add)
            self.assertTrue(laid_out(), path)
            self.assertFalse(laid_out(), path)
        # an image: its size is what the layout reads (the EPUB takes the
        # file's bytes itself, also from a kept page map)
        image = os.path.join(work, "images", "icon.png")
        with open(src, "a", encoding="utf-8") as f:
            f.write("\n![図](images/icon.png)\n")
        self.assertTrue(laid_out())
        with open(image, "ab") as f:
            f.write(b"\0")
        self.assertFalse(laid_out())
        kept = self.epub(src, "m.epub", "-s", style)[0]
        self.assertEqual(kept, self.epub(src, "n.epub", "-s", style, cache=False)[0])
        shutil.copy(os.path.join(work, "images", "pipeline.png"), image)
        self.assertTrue(laid_out(), image)

    def test_damaged_entries_are_misses(self):
        src = os.path.join(ROOT, "content", "waic2025.md")
        good, _, _ = self.epub(src, "a.epub")
        path = self.entries()[0]
        with open(path, "rb") as f:
            entry = f.read()
        body = entry[:-32]
        n_marks = struct.unpack("<Q", body[16:24])[0]
        damaged = [
            b"",                                   # empty
            entry[:len(entry) // 2],               # cut short
            entry[:100] + bytes([entry[100] ^ 1]) + entry[101:],  # a bit off
            os.urandom(len(entry)),                # noise
        ]
        # checksums that hold over nonsense: a count past the end, a kind
        # out of range, a cover longer than the entry
        png = body.index(b"\x89PNG")
        for cut in (body[:16] + struct.pack("<Q", 1 << 60) + body[24:],
                    body[:24] + struct.pack("<Q", 9) + body[32:],
                    body[:png - 8] + struct.pack("<Q", len(body)) + body[png:]):
            damaged.append(cut + hashlib.sha256(cut).digest())
        self.assertGreater(n_marks, 10)
        for bad in damaged:
            with open(path, "wb") as f:
                f.write(bad)
            again, said, laid_out = self.epub(src, "b.epub")
            self.assertTrue(laid_out)
            self.assertEqual(again, good)
            self.assertFalse([l for l in said if "wrote" not in l], said)
        # and the entry is written anew
        self.assertFalse(self.epub(src, "c.epub")[2])

    def test_the_date_read_from_the_file(self):
        # no date in the front matter: the file's time is the date the
        # title page prints (SOURCE_DATE_EPOCH set or not), so a new time
        # is a new key
        src = os.path.join(self.tmp, "undated.md")
        with open(src, "w", encoding="utf-8") as f:
            f.write("---\ntitle: 日付のない原稿\nauthor: 山田太郎\n---\n\n## 序\n\n本文。\n")
        for stamp in (1704067200, 1749945600):  # 2024-01-01, 2025-06-15
            os.utime(src, (stamp, stamp))
            kept, _, _ = self.epub(src, "a.epub")
            off, _, _ = self.epub(src, "b.epub", cache=False)
            self.assertEqual(kept, off)

    def test_environment_that_draws(self):
        src = os.path.join(ROOT, "content", "waic2025.md")
        self.epub(src, "a.epub")
        self.assertFalse(self.epub(src, "a.epub")[2])
        self.env["FREETYPE_PROPERTIES"] = "cff:no-stem-darkening=0"
        self.assertTrue(self.epub(src, "a.epub")[2])

    def test_not_a_file_or_not_ours(self):
        src = os.path.join(ROOT, "content", "waic2025.md")
        good, _, _ = self.epub(src, "a.epub")
        entry = self.entries()[0]
        os.unlink(entry)
        os.mkfifo(entry)  # a pipe where the entry was: never waited on
        out = os.path.join(self.tmp, "b.epub")
        r = run("epub", "-q", src, "-o", out, env=self.env, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), good)
        os.unlink(entry)
        # a folder others may write to is not used
        os.chmod(self.dir, 0o777)
        self.epub(src, "c.epub")
        self.assertEqual(self.entries(), [])

    def test_off_writes_nothing(self):
        src = os.path.join(ROOT, "content", "waic2025.md")
        self.epub(src, "a.epub", cache=False)
        self.epub(src, "b.epub", cache=False)
        self.assertFalse(os.path.exists(self.dir))

    def test_keeps_the_newest_64(self):
        os.makedirs(self.dir)
        for i in range(70):
            p = os.path.join(self.dir, "%064x.page" % i)
            with open(p, "wb") as f:
                f.write(b"old")
            os.utime(p, (1000 + i, 1000 + i))
        src = os.path.join(ROOT, "content", "waic2025.md")
        self.epub(src, "a.epub")
        names = [os.path.basename(p) for p in self.entries()]
        self.assertEqual(len(names), 64)
        self.assertNotIn("%064x.page" % 0, names)  # the oldest went
        self.assertIn("%064x.page" % 69, names)
        self.assertFalse(self.epub(src, "b.epub")[2])


if __name__ == "__main__":
    unittest.main()
