#!/usr/bin/env python3
"""Any manuscript a user writes: every manuscript that `kumihan check`
accepts gives an EPUB that EPUBCheck passes with no error and no warning,
and a PDF with no blank page (every page carries text).

Over every manuscript in tests/ and content/, and over generated ones: no
headings, only headings, only a table, only notes, one character, no
lang, English only, a title only as a heading, a title only from the file
name, lists and quotes and code only, a lone rule.

Run by CTest with KM_BIN, KUMIHAN_DATA and KM_TESTS, like e2e.py."""
import concurrent.futures
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

BIN = os.environ.get("KM_BIN", "build/kumihan")
ROOT = os.environ.get("KUMIHAN_DATA", ".")
TESTS = os.environ.get("KM_TESTS", os.path.join(ROOT, "tests"))
EPUBCHECK = "/usr/share/java/epubcheck.jar"

GENERATED = {
    "no-headings": "本文だけの段落。二つ目の文。\n\n二つ目の段落。\n",
    "only-headings": "## 見出し一\n\n### 見出し二\n\n## 見出し三\n",
    "only-table": "| 企業 | 件数 |\n|---|--:|\n| 華為 | 9,450 |\n",
    "only-notes": "[^1]\n\n[^1]: 注だけの原稿。\n",
    "one-char": "あ\n",
    "no-lang": "---\ntitle: 言語の指定なし\n---\n\n本文。\n",
    "english-only": "Hello world. This is an English paragraph with some "
                    "words to see how the lines come out.\n",
    "english-lang": "---\ntitle: An English report\nlang: en\n---\n\n"
                    "# Summary\n\nPatent claims are everyday text.\n",
    "title-heading": "# 報告書の題名\n\n## 第一節\n\n本文。\n\n## 第二節\n\n本文。\n",
    "title-heading-only": "# 題名だけ\n",
    "file-name-title": "見出しのない本文。\n\n- 箇条一\n- 箇条二\n",
    "blocks-only": "- 一\n- 二\n\n> 引用\n\n```\ncode\n```\n",
    "rule-only": "---\n",
    "front-matter-only-title": "---\ntitle: 題名\n---\n\n本文。\n",
    "date-month": "---\ntitle: 月までの日付\ndate: 2025-10\n---\n\n本文。\n",
    "date-year": "---\ntitle: 年だけの日付\ndate: 2025\n---\n\n本文。\n",
    "notes-and-back": "本文[^a]。\n\n## 参考資料\n\n1. 文献\n\n[^a]: 注。\n",
}


def run(*args):
    return subprocess.run([BIN, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)


def blank_pages(pdf):
    """1-based numbers of the pages that carry no text at all."""
    info = subprocess.run(["pdfinfo", pdf], stdout=subprocess.PIPE, text=True).stdout
    pages = int([l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")][0])
    blank = []
    for p in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), pdf, "-"],
                              stdout=subprocess.PIPE, text=True).stdout
        if not text.strip():
            blank.append(p)
    return pages, blank


class AnyManuscript(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="km-any-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def manuscripts(self):
        found = []
        for pat in ("golden/*.md", "data/*.md", "bad/*.md"):
            found += sorted(glob.glob(os.path.join(TESTS, pat)))
        found += sorted(glob.glob(os.path.join(ROOT, "content", "*.md")))
        for name, text in GENERATED.items():
            p = os.path.join(self.tmp, name + ".md")
            with open(p, "w", encoding="utf-8") as f:
                f.write(text)
            found.append(p)
        return found

    def one(self, md):
        """None when check refuses it; else (name, pdf problems, epubcheck
        output, exit status)."""
        if run("check", md).returncode != 0:
            return None
        base = os.path.join(self.tmp, os.path.basename(md)[:-3])
        problems = []
        for kind in ("pdf", "epub"):
            r = run(kind, "-q", md, "-o", base + "." + kind)
            if r.returncode != 0:
                problems.append("%s exit %d: %s" % (kind, r.returncode, r.stderr))
        if problems:
            return md, problems, "", 1
        pages, blank = blank_pages(base + ".pdf")
        if pages == 0 or blank:
            problems.append("%d pages, blank: %s" % (pages, blank))
        ec = subprocess.run(["java", "-jar", EPUBCHECK, "-q", base + ".epub"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return md, problems, ec.stdout, ec.returncode

    @unittest.skipUnless(os.path.exists(EPUBCHECK), "epubcheck absent")
    def test_every_accepted_manuscript(self):
        mss = self.manuscripts()
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            results = [r for r in pool.map(self.one, mss) if r]
        self.assertGreaterEqual(len(results), len(GENERATED) + 8)
        for md, problems, epubcheck, code in results:
            with self.subTest(manuscript=os.path.basename(md)):
                self.assertEqual(problems, [], md)
                self.assertEqual(code, 0, epubcheck)
                self.assertNotRegex(epubcheck, r"(ERROR|WARNING|FATAL)", epubcheck)

    def test_title_rules(self):
        """No front-matter title: a leading, only level-1 heading is the
        title (and no body heading); without one the file name is, and
        there is no title page."""
        mss = {n: os.path.join(self.tmp, n + ".md") for n in GENERATED}
        self.manuscripts()
        r = run("dump", mss["title-heading"])
        self.assertIn('meta title "報告書の題名"', r.stdout)
        self.assertNotRegex(r.stdout, r"heading .* level=1")
        r = run("dump", mss["english-only"])
        self.assertIn('meta title "english-only"', r.stdout)
        out = os.path.join(self.tmp, "t.pdf")
        for name, first_page in (("title-heading", "報告書の題名"),
                                 ("english-only", "Hello world.")):
            self.assertEqual(run("pdf", "-q", mss[name], "-o", out).returncode, 0)
            text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", out, "-"],
                                  stdout=subprocess.PIPE, text=True).stdout
            self.assertIn(first_page, text.replace("\n", " "))
        # reduced-precision dates on the title page
        for name, printed in (("date-month", "2025年10月"), ("date-year", "2025年")):
            self.assertEqual(run("pdf", "-q", mss[name], "-o", out).returncode, 0)
            text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", out, "-"],
                                  stdout=subprocess.PIPE, text=True).stdout
            text = text.replace(" ", "")  # the Japanese-Western spaces
            self.assertIn(printed, text)
            self.assertNotIn(printed + "1", text)
        # with the title page, the title is not also set as a body heading
        # (the colophon, the last page, names it again)
        self.assertEqual(run("pdf", "-q", mss["title-heading"], "-o", out).returncode, 0)
        text = subprocess.run(["pdftotext", out, "-"], stdout=subprocess.PIPE,
                              text=True).stdout
        pages = text.split("\f")[:-1]
        self.assertEqual("".join(pages[:-1]).count("報告書の題名"), 1, text)
        self.assertIn("報告書の題名", pages[-1])
        self.assertIn("発行", pages[-1])


if __name__ == "__main__":
    unittest.main()
