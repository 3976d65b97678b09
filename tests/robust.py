#!/usr/bin/env python3
"""No crash on any manuscript, nothing left behind however a run ends.

- the twelve-line manuscript with one note that crashed a third of the
  runs (a pointer into the galley kept across an append) is set 100 times
  in each edition, always whole;
- a paragraph, a #### heading, a tall figure and a 37-row, six-column table
  whose cells wrap (refused by the layout's own check before) is set;
- kumihan killed with SIGKILL in the middle of writing a PDF or an EPUB
  leaves nothing in the output folder: the output has no name until it is
  complete (O_TMPFILE);
- the property test (tests/property.py) in its short form.

Run by CTest with KM_BIN, KUMIHAN_DATA and KM_TESTS, like e2e.py."""
import concurrent.futures
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import zlib

from kmtest import BIN, REPORT, run

HERE = os.path.dirname(os.path.abspath(__file__))

TWELVE = """---
title: 試験
date: 2025-11-14
---

## 見出し

本文です。

本文です。

本文です。[^1]

[^1]: 注。
"""


def png(w, h):
    row = b"\0" + b"\x80\x40\x20" * w
    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * h)) + chunk(b"IEND", b""))


class Robust(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="km-robust-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_twelve_lines_a_hundred_times(self):
        src = os.path.join(self.tmp, "twelve.md")
        with open(src, "w", encoding="utf-8") as f:
            f.write(TWELVE)
        out = os.path.join(self.tmp, "out")
        os.mkdir(out)

        def once(i):
            kind = "pdf" if i % 2 == 0 else "epub"
            r = run(kind, "-q", src, "-o", os.path.join(out, "%d.%s" % (i, kind)))
            return i, r.returncode, r.stderr

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            results = list(pool.map(once, range(200)))
        for i, rc, err in results:
            self.assertEqual(rc, 0, (i, err))
        self.assertEqual(len(os.listdir(out)), 200, sorted(os.listdir(out))[:5])

    def test_tall_figure_and_long_wrapping_table(self):
        with open(os.path.join(self.tmp, "tall.png"), "wb") as f:
            f.write(png(200, 1600))
        cell = "出願人の名称と所在地を記載する欄"
        rows = "\n".join("| " + " | ".join("%s%d" % (cell[: 4 + (r + c) % 12], r)
                                         for c in range(6)) + " |" for r in range(37))
        text = ("---\ntitle: 図と長い表\n---\n\n本文の段落。\n\n#### 小さな見出し\n\n"
                "![縦に長い図](tall.png)\n\n| 一 | 二 | 三 | 四 | 五 | 六 |\n"
                "|---|---|---|---|---|---|\n" + rows + "\n")
        src = os.path.join(self.tmp, "tall.md")
        with open(src, "w", encoding="utf-8") as f:
            f.write(text)
        for kind in ("pdf", "epub"):
            r = run(kind, "-q", src, "-o", os.path.join(self.tmp, "t." + kind))
            self.assertEqual(r.returncode, 0, r.stderr)

    def kill_while_writing(self, kind, src, out_dir):
        """Starts kumihan, kills it with SIGKILL once it has its output
        open, and returns True if it was killed while writing."""
        target = os.path.join(out_dir, "big." + kind)
        p = subprocess.Popen([BIN, kind, "-q", src, "-o", target],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        fd_dir = "/proc/%d/fd" % p.pid
        deadline = time.monotonic() + 60
        writing = False
        while p.poll() is None and time.monotonic() < deadline:
            try:
                links = [os.readlink(os.path.join(fd_dir, f)) for f in os.listdir(fd_dir)]
            except OSError:
                links = []
            if any(l.startswith(os.path.realpath(out_dir)) for l in links):
                writing = True
                break
            time.sleep(0.002)
        p.send_signal(signal.SIGKILL)
        p.wait()
        return writing and p.returncode == -signal.SIGKILL

    def test_sigkill_leaves_nothing(self):
        with open(REPORT, encoding="utf-8") as f:
            report = f.read()
        front, body = report.split("\n---\n", 1)
        src = os.path.join(self.tmp, "big.md")
        with open(src, "w", encoding="utf-8") as f:
            f.write(front + "\n---\n" + body * 6)
        for kind in ("pdf", "epub"):
            out = os.path.join(self.tmp, "out-" + kind)
            os.mkdir(out)
            killed = any(self.kill_while_writing(kind, src, out) for _ in range(5))
            self.assertTrue(killed, "never caught writing the %s" % kind)
            self.assertEqual(os.listdir(out), [], kind)
            # and a run to its end writes the file under its name alone
            r = run(kind, "-q", src, "-o", os.path.join(out, "big." + kind))
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(os.listdir(out), ["big." + kind])

    def test_property(self):
        """tests/property.py's fixed set (KM_PROPERTY_COUNT, 200)."""
        r = subprocess.run([sys.executable, os.path.join(HERE, "property.py")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        print(r.stdout.splitlines()[-1] if r.stdout else "", file=sys.stderr)
        self.assertEqual(r.returncode, 0, r.stdout[-6000:])


if __name__ == "__main__":
    unittest.main()
