#!/usr/bin/env python3
"""Sources, section and page references, and heading numbers (issue 33,
parts 2 and 3).

NAME.sources.yaml beside a manuscript lists its sources; [@src:id] cites
one as an endnote in the house form (著者「題名」、発行者、日付、URL（参照
日付）), a source cited twice is one note, and a [@sources] paragraph lists
the sources not cited. Unknown ids, bad dates and a broken file are errors
at their file:line:col; a URL without its accessed date, and a source
never used, are warnings.

[@sec:x] names a heading labelled {#sec:x}: its number ("2.1節") when the
style numbers headings, else its title in 「」. references.pages: true adds
the target's printed page, 「（12頁）」, to [@sec:], [@fig:] and [@tbl:]; the
test puts each target pages away from its reference and checks every
printed page against the page the PDF's named destination stands on, and
that the EPUB prints the same. headings.numbers numbers the headings in
the text, the contents, the outline and the EPUB's navigation alike.

Run by CTest with KM_BIN and KUMIHAN_DATA, as e2e.py."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import zipfile

from kmtest import ROOT, EPUBCHECK, epubcheck, flat, run

FILLER = ("知的財産の保護と活用の在り方は、技術の進展とともに変わり続けている。"
          "本節ではその背景を概観し、後の議論に必要な用語を整理する。") * 6


def manuscript(path, labels=True):
    """Headings, a figure and a table, each referred to from pages away."""
    sec = (lambda x: " {#sec:%s}" % x) if labels else (lambda x: "")
    parts = ["---\ntitle: 参照の試験\ndate: 2026-12-01\n---\n",
             "## 序論%s\n\n構成は[@sec:method]に、結果は[@sec:result]と[@fig:one]に、"
             "数値は[@tbl:one]にまとめる。\n" % sec("intro")]
    parts += ["\n" + FILLER + "\n"] * 12
    parts.append("\n## 方法%s\n\n### 試料%s\n\n試料は[@sec:intro]で述べた。\n"
                 % (sec("method"), sec("sample")))
    parts += ["\n" + FILLER + "\n"] * 12
    parts.append("\n![写真](fig.png){#fig:one}\n")
    parts += ["\n" + FILLER + "\n"] * 10
    parts.append("\n## 結果%s\n\n表: 数値 {#tbl:one}\n\n| 項目 | 値 |\n|---|---|\n"
                 "| A | 1 |\n\n最後に[@sec:sample]に戻る。\n" % sec("result"))
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(parts))


# the references in reading order: what each names, and its destination
REFS = [("2節", "sec:method"), ("3節", "sec:result"), ("図1", "fig:one"),
        ("表1", "tbl:one"), ("1節", "sec:intro"), ("2.1節", "sec:sample")]


def dest_pages(pdf):
    """Each named destination's page (1-based: the title page is page 1,
    as its folio counts)."""
    out = subprocess.run(["pdfinfo", "-dests", pdf], stdout=subprocess.PIPE, text=True,
                         check=True).stdout
    return {m.group(2): int(m.group(1))
            for m in re.finditer(r'^\s*(\d+) \[.*\] "([^"]+)"$', out, re.M)}


class SectionReferences(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="km-refs-")
        shutil.copy(os.path.join(ROOT, "content", "images", "pipeline.png"),
                    os.path.join(cls.tmp, "fig.png"))
        cls.src = os.path.join(cls.tmp, "r.md")
        manuscript(cls.src)
        # the house style with numbers "1.1" and references.pages: true
        cls.style = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data",
                                 "numbered.yaml")
        cls.pdf, cls.epub = (os.path.join(cls.tmp, "r." + k) for k in ("pdf", "epub"))
        cls.r = run("pdf", "-q", "-s", cls.style, cls.src, "-o", cls.pdf, "--epub", cls.epub)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def text(self, *args):
        return subprocess.run(["pdftotext", *args, self.pdf, "-"], stdout=subprocess.PIPE,
                              text=True, check=True).stdout

    def test_pages_are_the_targets(self):
        self.assertEqual(self.r.returncode, 0, self.r.stderr)
        dests = dest_pages(self.pdf)
        # a heading's page: the first after the contents that sets it
        pages = [flat(p) for p in self.text().split("\f")]
        heading_page = {t: next(i for i, p in enumerate(pages[2:], 3) if title in p)
                        for t, title in (("sec:intro", "1序論"), ("sec:method", "2方法"),
                                         ("sec:sample", "2.1試料"), ("sec:result", "3結果"))}
        want = []
        for word, target in REFS:
            page = heading_page[target] if target in heading_page else dests[target]
            want.append("%s（%d頁）" % (word, page))
        got = re.findall(r"(?:\d+(?:\.\d+)?節|[図表]\d+)（\d+頁）", flat(self.text()))
        self.assertEqual(got, want)
        # far apart: the test tells a right page from a near one
        self.assertGreater(len({re.search(r"（(\d+)", w).group(1) for w in want}), 3)

    def test_epub_says_the_same(self):
        with zipfile.ZipFile(self.epub) as z:
            xhtml = "".join(z.read(n).decode() for n in sorted(z.namelist())
                            if re.search(r"/s\d+\.xhtml$", n))
            nav = z.read("OEBPS/nav.xhtml").decode()
        got = re.findall(r'<a href="s\d+\.xhtml#([^"]+)" class="xref">([^<]*)</a>', xhtml)
        printed = re.findall(r"(?:\d+(?:\.\d+)?節|[図表]\d+)（\d+頁）", flat(self.text()))
        self.assertEqual([t for _, t in got], printed)
        self.assertEqual([i for i, _ in got][2:4], ["fig-one", "tbl-one"])
        self.assertIn('<span class="secno">2.1　</span>試料', xhtml)
        for title in ("1　序論", "2　方法", "2.1　試料", "3　結果"):
            self.assertIn(">%s</a>" % title, nav)
        if os.path.exists(EPUBCHECK):
            self.assertIn("0 fatals / 0 errors / 0 warnings", epubcheck(self.epub))

    def test_numbers_in_contents_and_text(self):
        pages = self.text("-layout").split("\f")
        contents = flat(pages[1])
        for title in ("1序論", "2方法", "2.1試料", "3結果"):
            self.assertIn(title, contents)
        self.assertIn("2.1試料", flat("".join(pages[2:])))

    def test_titles_without_numbers(self):
        """the house style numbers nothing: a section is named by its
        title in 「」, and no page is given"""
        out = os.path.join(self.tmp, "plain.pdf")
        r = run("pdf", "-q", self.src, "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        text = flat(subprocess.run(["pdftotext", out, "-"], stdout=subprocess.PIPE,
                                   text=True, check=True).stdout)
        self.assertIn("構成は「方法」に、結果は「結果」と図1に", text)
        self.assertNotIn("頁）", text)

    def test_chapter_form(self):
        style = os.path.join(self.tmp, "ch.yaml")
        with open(self.style, encoding="utf-8") as f:
            s = f.read().replace('numbers: "1.1"', 'numbers: "第1章"')
        self.assertIn("第1章", s)
        with open(style, "w", encoding="utf-8") as f:
            f.write(s)
        r = run("dump", "--lines", "-s", style, self.src)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = re.sub(r"<\d+>", "", r.stdout)  # the gaps' widths
        self.assertIn("|第2章　方法|", lines)
        self.assertIn("|2.1　試料|", lines)
        self.assertRegex(lines, r"構成は第2章（\d+頁）に")

    def test_contents_hold_every_numbered_heading(self):
        """titles that fit a contents line alone but not after their
        number: the pages reserved for the contents are counted with the
        numbers, so no entry runs past them (it went after the colophon)"""
        md = os.path.join(self.tmp, "toc.md")
        title = "知的財産の保護と活用の在り方に関する総合的な検討の経緯と今後の展望の課題"
        with open(md, "w", encoding="utf-8") as f:
            f.write("---\ntitle: 目次\ndate: 2026-12-01\n---\n\n" +
                    "".join("## %s\n\n本文。\n\n" % title for _ in range(39)))
        pdf = os.path.join(self.tmp, "toc.pdf")
        r = run("pdf", "-q", "-s", self.style, md, "-o", pdf)
        self.assertEqual(r.returncode, 0, r.stderr)
        pages = [flat(p) for p in subprocess.run(
            ["pdftotext", pdf, "-"], stdout=subprocess.PIPE, text=True,
            check=True).stdout.split("\f") if p.strip()]
        contents = [p for p in pages if p.startswith("目次")]
        self.assertEqual(sum(len(re.findall(r"\d+知的財産", p)) for p in contents), 39)
        self.assertIn("第1版発行", pages[-1])  # the colophon, last

    def test_unknown_label_is_an_error_where_written(self):
        bad = os.path.join(self.tmp, "bad.md")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("## 序論 {#sec:intro}\n\n詳しくは[@sec:nowhere]を見よ。\n")
        r = run("check", bad)
        self.assertEqual(r.returncode, 1)
        self.assertIn("bad.md:3:5: error: cross-reference to 'sec:nowhere'", r.stderr)


class FloatLists(unittest.TestCase):
    """front.figure-list and front.table-list: 図目次 and 表目次 after the
    contents, each entry with its float's printed page, in both editions;
    the EPUB's page-list still has every printed page"""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="km-lists-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def make(self, style_text, name):
        style = os.path.join(self.tmp, name + ".yaml")
        with open(style, "w", encoding="utf-8") as f:
            f.write(style_text)
        pdf, epub = (os.path.join(self.tmp, name + "." + k) for k in ("pdf", "epub"))
        r = run("pdf", "-q", "-s", style, os.path.join(ROOT, "content", "guide.md"),
                "-o", pdf, "--epub", epub)
        self.assertEqual(r.returncode, 0, r.stderr)
        pages = subprocess.run(["pdftotext", pdf, "-"], stdout=subprocess.PIPE, text=True,
                               check=True).stdout.split("\f")
        return pdf, epub, [flat(p) for p in pages if p.strip()]

    def test_lists_with_pages(self):
        pdf, epub, pages = self.make("front:\n  figure-list: true\n  table-list: true\n",
                                     "both")
        dests = dest_pages(pdf)
        self.assertTrue(pages[1].startswith("目次"))
        figs, tbls = pages[2][:-1], pages[3][:-1]  # their folios, 3 and 4, off
        self.assertTrue(figs.startswith("図目次"), figs[:20])
        self.assertTrue(tbls.startswith("表目次"), tbls[:20])
        for label, no, where in (("fig:growth", 1, figs), ("fig:hall", 2, figs),
                                 ("fig:pipeline", 3, figs), ("tbl:scale", 1, tbls)):
            word = "図" if label.startswith("fig") else "表"
            m = re.search(r"%s%d(.*?)[.…·]*(\d+)(?=[図表]\d|$)" % (word, no), where)
            self.assertIsNotNone(m, (label, where))
            self.assertEqual(int(m.group(2)), dests[label], (label, where))
        with zipfile.ZipFile(epub) as z:
            contents = z.read("OEBPS/contents.xhtml").decode()
            nav = z.read("OEBPS/nav.xhtml").decode()
        self.assertIn("<h1>図目次</h1>", contents)
        self.assertIn("<h1>表目次</h1>", contents)
        self.assertIn('href="s002.xhtml#fig-growth"', contents)
        self.assertIn('epub:type="loi"', nav)
        self.assertIn('epub:type="lot"', nav)
        listed = re.findall(r'<a href="[^"]+#page(\d+)">', nav)
        self.assertEqual(listed, [str(i) for i in range(1, len(pages) + 1)])
        if os.path.exists(EPUBCHECK):
            self.assertIn("0 fatals / 0 errors / 0 warnings", epubcheck(epub))

    def test_lists_without_contents(self):
        pdf, epub, pages = self.make("front:\n  toc: false\n  table-list: true\n", "tables")
        self.assertTrue(pages[1].startswith("表目次"), pages[1][:20])
        self.assertFalse(any(p.startswith("目次") or p.startswith("図目次") for p in pages))
        with zipfile.ZipFile(epub) as z:
            contents = z.read("OEBPS/contents.xhtml").decode()
            nav = z.read("OEBPS/nav.xhtml").decode()
        self.assertNotIn("<h1>目次</h1>", contents)
        self.assertIn("<h1>表目次</h1>", contents)
        listed = re.findall(r'<a href="[^"]+#page(\d+)">', nav)
        self.assertEqual(listed, [str(i) for i in range(1, len(pages) + 1)])


SOURCES = """\
# the sources of s.md
- id: meti
  title: AI事業者ガイドライン（第1.0版）
  author: 経済産業省・総務省
  publisher: 経済産業省
  date: 2024-04-19
  url: https://www.meti.go.jp/shingikai/mono_info_service/ai_shakai_jisso/20240419_report.html
  accessed: 2025-10-01
- id: aisi
  title: AI Safety Institute approach to evaluations
  author: UK Department for Science, Innovation and Technology
  date: 2024-02
  url: https://www.gov.uk/government/publications/ai-safety-institute-approach-to-evaluations
  accessed: 2025-09-30
- id: book
  title: 知的財産法概説
  author: 山田太郎
  publisher: 有斐閣
  date: 2023
"""
TEXT = """\
---
title: 出典の試験
date: 2026-12-01
---

## 概況

指針[@src:meti]によれば責任は重い。英国の報告[@src:aisi]も同じ立場をとる[^1]。再び指針[@src:meti]に戻る。

[^1]: 補足の注。

## 参考資料

[@sources]
"""
METI = ("経済産業省・総務省「AI事業者ガイドライン（第1.0版）」、経済産業省、2024年4月19日、"
        "https://www.meti.go.jp/shingikai/mono_info_service/ai_shakai_jisso/20240419_report.html"
        "（参照2025年10月1日）")
# a Western source in the Western form: the comma inside the quotes, its
# dates in English
AISI = ("UKDepartmentforScience,InnovationandTechnology,“AISafetyInstituteapproachtoevaluations,”"
        "February2024,https://www.gov.uk/government/publications/ai-safety-institute-approach-to-"
        "evaluations(accessedSeptember30,2025)")
BOOK = "山田太郎「知的財産法概説」、有斐閣、2023年"


class Sources(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="km-src-")
        self.md = os.path.join(self.tmp, "s.md")
        self.write(TEXT, SOURCES)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, text, sources):
        with open(self.md, "w", encoding="utf-8") as f:
            f.write(text)
        if sources is not None:
            with open(self.md[:-3] + ".sources.yaml", "w", encoding="utf-8") as f:
                f.write(sources)

    def test_house_form_in_both_editions(self):
        pdf, epub = (os.path.join(self.tmp, "s." + k) for k in ("pdf", "epub"))
        r = run("pdf", "-q", self.md, "-o", pdf, "--epub", epub)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        text = flat(subprocess.run(["pdftotext", pdf, "-"], stdout=subprocess.PIPE,
                                   text=True, check=True).stdout)
        text = text.replace("\xad", "")  # the hyphen of evalu-ations
        # one note for the source cited twice, numbered by first citation
        self.assertIn("指針1)によれば責任は重い。英国の報告2)も同じ立場をとる3)。再び指針1)に戻る",
                      text)
        self.assertIn("1)" + METI + "2)" + AISI + "3)補足の注。", text)
        # the list: the source not cited, alone
        self.assertIn("参考資料•" + BOOK, text)
        self.assertEqual(text.count("知的財産法概説"), 1)
        urls = subprocess.run(["pdfinfo", "-url", pdf], stdout=subprocess.PIPE, text=True,
                              check=True).stdout
        self.assertIn("https://www.meti.go.jp/shingikai/mono_info_service/ai_shakai_jisso/"
                      "20240419_report.html", urls)
        with zipfile.ZipFile(epub) as z:
            notes = z.read("OEBPS/notes.xhtml").decode()
            back = z.read("OEBPS/back.xhtml").decode()
        plain = flat(re.sub(r"<[^>]+>", "", notes))
        self.assertIn(METI.replace("（参照2025", "（参照2025"), plain.replace(" ", ""))
        self.assertEqual(flat(re.sub(r"<[^>]+>", "", notes)).count("AI事業者ガイドライン"), 1)
        self.assertIn(BOOK, flat(re.sub(r"<[^>]+>", "", back)))
        if os.path.exists(EPUBCHECK):
            self.assertIn("0 fatals / 0 errors / 0 warnings", epubcheck(epub))

    def test_unknown_id_is_an_error_where_cited(self):
        self.write(TEXT.replace("[@src:aisi]", "[@src:nowhere]"), SOURCES)
        r = run("check", self.md)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"s\.md:8:\d+: error: \[@src:nowhere\]: no source has "
                         r"that id in .*s\.sources\.yaml \(its ids: meti, aisi, book\)")
        # the source it meant is now cited nowhere and listed
        self.assertNotIn("never cited", r.stderr)

    def test_no_sources_file(self):
        os.remove(self.md[:-3] + ".sources.yaml")
        r = run("check", self.md)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"s\.md:8:3: error: \[@src:meti\]: no sources file "
                         r"defines it \(.*s\.sources\.yaml")

    def test_file_problems_where_written(self):
        bad = SOURCES.replace("date: 2024-04-19", "date: 2024-02-30").replace(
            "  accessed: 2025-09-30\n", "").replace("publisher: 有斐閣", "publisher: 有斐閣\n  edition: 2")
        self.write(TEXT.replace("[@sources]", "おわり。"), bad)
        r = run("check", self.md)
        self.assertEqual(r.returncode, 1)
        y = "s.sources.yaml"
        self.assertIn(y + ":6:9: error: source 'meti': date '2024-02-30' is not a date", r.stderr)
        self.assertIn(y + ":9:3: warning: source 'aisi' has a URL but no accessed date", r.stderr)
        self.assertIn(y + ":18:3: warning: sources: unknown key 'edition'", r.stderr)
        self.assertIn(y + ":14:3: warning: source 'book' is never cited", r.stderr)

    def test_broken_file(self):
        self.write(TEXT, "- id: a\n  title: [unclosed\n")
        r = run("check", self.md)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"s\.sources\.yaml:\d+:\d+: error: malformed sources file")
        self.write(TEXT, "id: a\n")
        r = run("check", self.md)
        self.assertEqual(r.returncode, 1)
        self.assertIn("a sources file is a list of sources", r.stderr)

    def test_writers_slips(self):
        """what a writer gets almost right, each said where it stands"""
        text = TEXT.replace("再び指針[@src:meti]に戻る。",
                            "再び[@src: meti]と[@meti]と[@src:metti]に戻る。{#sec:x}\n\n"
                            "- 一覧は[@sources]に。")
        self.write(text, SOURCES.replace("  date: 2023\n", "  date: 2023\n  type: book\n")
                   .replace("accessed: 2025-09-30", "accessed: 2023-09-30"))
        r = run("check", self.md)
        self.assertEqual(r.returncode, 1)
        err = r.stderr
        self.assertIn("s.md:8:55: error: '[@src: meti]' is neither a citation nor a "
                      "cross-reference", err)
        self.assertIn("s.md:8:68: error: '[@meti]' is neither", err)
        self.assertRegex(err, r"s\.md:8:76: error: \[@src:metti\]: no source has that id "
                         r"in .*: did you mean 'meti'\?")
        self.assertIn("s.md:8:92: warning: '{#sec:x}' ends a paragraph, not a heading", err)
        self.assertIn("s.md:10:6: warning: [@sources] lists the sources not cited only as a "
                      "paragraph of its own", err)
        self.assertIn("s.sources.yaml:14:13: warning: source 'aisi' was accessed "
                      "(2023-09-30) before its date (2024-02)", err)
        # a book's title in 『』, as Japanese legal writing cites books
        self.write(TEXT, SOURCES.replace("  date: 2023\n", "  date: 2023\n  type: book\n"))
        pdf = os.path.join(self.tmp, "b.pdf")
        r = run("pdf", "-q", self.md, "-o", pdf)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("山田太郎『知的財産法概説』、有斐閣、2023年", flat(subprocess.run(
            ["pdftotext", pdf, "-"], stdout=subprocess.PIPE, text=True, check=True).stdout))

    def test_empty_list_and_broken_file(self):
        self.write(TEXT.replace("再び指針[@src:meti]に戻る。", "[@src:book]も。"), SOURCES)
        r = run("check", self.md)
        self.assertIn("s.md:14:1: warning: [@sources]: every source is cited", r.stderr)
        # a tab: said as a tab, and no citation judged against a file half read
        self.write(TEXT, SOURCES.replace("  title: 知的財産法概説", "\ttitle: 知的財産法概説"))
        r = run("check", self.md)
        self.assertEqual(r.returncode, 1)
        self.assertIn("YAML takes no tabs", r.stderr)
        self.assertNotIn("no source has that id", r.stderr)

    def test_cited_only_in_a_note(self):
        """a source cited only inside a footnote: its note's backlink is
        the note it is cited in (notes.xhtml), and EPUBCheck is clean"""
        self.write(TEXT.replace("[^1]: 補足の注。", "[^1]: 補足の注。評釈[@src:book]も参照。")
                   .replace("[@sources]", "おわり。"), SOURCES)
        epub = os.path.join(self.tmp, "n.epub")
        r = run("epub", "-q", self.md, "-o", epub)
        self.assertEqual(r.returncode, 0, r.stderr)
        with zipfile.ZipFile(epub) as z:
            notes = z.read("OEBPS/notes.xhtml").decode()
        # note 4 (the book), cited from note 3: its backlink is note 3's
        self.assertRegex(notes, r'<li id="note4"[^>]*>.*?href="notes\.xhtml#ref4"')
        self.assertIn('id="ref4"', notes)
        if os.path.exists(EPUBCHECK):
            self.assertIn("0 fatals / 0 errors / 0 warnings", epubcheck(epub))

    def test_code_is_not_a_citation(self):
        self.write(TEXT.replace("再び指針[@src:meti]に戻る。", "書き方は `[@src:meti]` である。"),
                   SOURCES)
        r = run("dump", self.md)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('code 8:', r.stdout)
        self.assertIn('"[@src:meti]"', r.stdout)
        self.assertIn("refs=1", r.stdout)


if __name__ == "__main__":
    unittest.main()
