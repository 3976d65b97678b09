#!/usr/bin/env python3
"""A seeded generator of manuscripts of the firm's kind, mixing everything
the README documents: front matter with and without title, date and
recipients; headings of every level; Japanese, English and mixed
paragraphs; nested lists, quotes, code; pipe tables of 1 to 10 columns;
figures of each image type (PNG, JPEG, SVG, made here); ruby, emphasis
(also beside Japanese punctuation), struck and underlined text,
strong, superscript and subscript; notes used once, many times, never, or
not defined; cross-references; URLs bare, inside Japanese and as links;
long unbreakable words; HTML comments.

    tests/gen.py SEED DIR     writes DIR/mNNNN.md (and its images) and
                              prints its path

As a module: manuscript(seed, dir) -> Manuscript, which also says what a
reader must find in the PDF: every paragraph's text, flat (no white
space, no note marks), and whether the manuscript is valid (an undefined
note makes it an error, at its line).
"""
import os
import random
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

KANJI = ("特許 出願 審査 請求 発明 技術 中国 企業 人工 知能 大会 展示 会場 研究 "
         "開発 製品 市場 規模 知的 財産 権利 侵害 判決 裁判 所 上告 控訴 事件 "
         "争点 当事者 原告 被告 主張 証拠 検討 分析 報告 調査 結果 概要 背景 "
         "目的 方法 課題 対策 動向 比較 評価 実施 公開 登録 番号 明細書 範囲 "
         "請求項 先行 文献 新規性 進歩性 自動 運転 半導体 電池 医療 画像 音声 "
         "翻訳 学習 推論 基盤 模型 計算 資源 政府 政策 規制 指針 標準 国際").split()
KANA = ("の に は を が と で も から まで より へ や など について における "
        "によって として している された される であり である ため こと "
        "もの よう これ それ あれ ここ そこ ただし また さらに なお つまり "
        "しかし そして ところ ほか ごと ずつ ばかり だけ のみ").split()
KATAKANA = ("データ モデル システム ロボット サービス プラットフォーム "
            "アルゴリズム ライセンス クラウド センサー チップ スマート "
            "ファーウェイ テンセント アリババ バイドゥ シャオミ").split()
LATIN = ("AI LLM GPU API SDK WAIC Huawei Tencent Alibaba Baidu SenseTime "
         "DeepSeek Qwen ChatGPT Claude Gemini patent claim license").split()
ENGLISH = ("the a of and to in is that for on with as by this be are was it "
           "or from at an which not have has patent claim court appeal "
           "infringement invalidity prior art specification embodiment "
           "license royalty damages injunction jurisdiction defendant "
           "plaintiff evidence ruling opinion reasoning doctrine "
           "equivalents obviousness anticipation enablement written "
           "description").split()
PUNCT_MID = ["、", "、", "・"]
PUNCT_END = ["。", "。", "。", "！", "？"]
BRACKETS = [("「", "」"), ("『', '』"), ("（", "）"), ("【", "】"), ("〔", "〕")]
BRACKETS[1] = ("『", "』")
URLS = ["https://example.jp/report/2025/waic.html",
        "https://ip.example.net/procedures/appeal.pdf?rev=3#sec-4.2",
        "https://www.example.com/a-very/long_path/with-many-segments/and.dots.html",
        "http://example.org/",
        "https://example.jp/search?q=patent&lang=ja&page=12"]
# patent and case numbers as writers type them (parse/cite.h): links and
# text kept on one line
CITES = ["特開2023-123456", "特表2019-512345", "特許第7,123,456号",
         "実用新案登録第３２４４８４７号", "WO2022/123456 A1", "US 11,234,567 B2",
         "US 2023/0123456 A1", "EP 1 234 567 B1", "CN 112345678 A",
         "特開平10-123456号", "令和4年(ネ)第10023号", "平成30年（行ケ）第10001号"]
LONG_WORDS = ["Pneumonoultramicroscopicsilicovolcanoconiosis",
              "supercalifragilisticexpialidocious" * 2,
              "x" * 90,
              "ａ" * 45]


class Manuscript:
    def __init__(self, path):
        self.path = path
        self.paragraphs = []   # flat texts a reader must find in the PDF
        self.captions = []     # flat caption texts (may stand inside a
                               # paragraph's text when a figure is deferred)
        self.valid = True      # False: an undefined note (an error)
        self.features = set()
        self.notes = 0         # notes defined and used
        self.editions = []     # recipients' ids


def flat(s):
    return "".join(s.split())


class Gen:
    def __init__(self, seed, out, bundled=False):
        self.r = random.Random(seed)
        self.seed = seed
        self.out = out
        self.bundled = bundled  # figures from content/images, not made
        self.ms = Manuscript(os.path.join(out, "m%04d.md" % seed))
        self.note_defs = []     # (label, text)
        self.note_labels = []   # defined labels usable as references
        self.labels = {"fig": [], "tbl": [], "sec": []}
        self.pending_refs = []
        self.images = 0
        # sources (NAME.sources.yaml), from a generator of their own so
        # that the rest of each seed's manuscript stays as it was
        self.rs = random.Random(seed * 7919 + 17)
        self.source_ids = []
        if self.rs.random() < 0.3:
            self.source_ids = ["s%d" % i for i in range(1, self.rs.randint(1, 6) + 1)]

    # ---- inline text -------------------------------------------------
    def jp_phrase(self):
        r = self.r
        parts = []
        for _ in range(r.randint(2, 6)):
            c = r.random()
            if c < 0.45:
                parts.append(r.choice(KANJI))
            elif c < 0.75:
                parts.append(r.choice(KANA))
            elif c < 0.88:
                parts.append(r.choice(KATAKANA))
            elif c < 0.95:
                parts.append(r.choice(LATIN))
            else:
                parts.append(str(r.randint(1, 20000)) + r.choice(["件", "年", "%", "億元", "社", "℃"]))
        return "".join(parts)

    def en_words(self, n):
        return " ".join(self.r.choice(ENGLISH) for _ in range(n))

    def inline(self, lang):
        """One inline piece: (markdown, flat text a reader finds)."""
        r = self.r
        c = r.random()
        if lang == "en":
            w = self.en_words(r.randint(3, 12))
            if c < 0.08:
                return "*%s*" % w, w
            if c < 0.12:
                return "**%s**" % w, w
            return w, w
        t = self.jp_phrase()
        # CommonMark does not close emphasis after punctuation when a
        # letter follows ("**50%**off"): a known limit of the syntax
        t = t.rstrip("%℃")
        if self.source_ids and self.rs.random() < 0.04:
            self.ms.features.add("source-cite")
            sid = self.rs.choice(self.source_ids)
            if self.rs.random() < 0.03:  # a source the file does not have
                self.ms.valid = False
                self.ms.features.add("source-unknown")
                sid = "nowhere"
            # after words, as a note mark is; its number: not checked
            return "%s[@src:%s]" % (t, sid), None
        if c < 0.05:
            self.ms.features.add("ruby")
            base = r.choice(KANJI)
            return "{%s|%s}" % (base, "よみがな"[: r.randint(1, 4)]), base
        if c < 0.08:
            self.ms.features.add("emphasis")
            return "*%s*" % t, t
        if c < 0.10:
            self.ms.features.add("strong")
            return "**%s**" % t, t
        if c < 0.12:
            self.ms.features.add("supsub")
            tag = r.choice(["sup", "sub"])
            return "m<%s>2</%s>" % (tag, tag), "m2"
        if c < 0.14:
            self.ms.features.add("code")
            code = r.choice(["grep -E \"a|b\"", "x = y + 1", "make pdf", "機械学習 | ML"])
            return "`%s`" % code, code
        if c < 0.16:
            o, cl = r.choice(BRACKETS)
            return o + t + cl, o + t + cl
        if c < 0.18:
            self.ms.features.add("link")
            u = r.choice(URLS)
            return "[%s](%s)" % (t, u), t
        if c < 0.20:
            self.ms.features.add("autolink")
            u = r.choice(URLS)
            return "<%s>" % u, u
        if c < 0.22:
            self.ms.features.add("bare-url")
            u = r.choice(URLS)
            # a bare URL, a space after it or Japanese right after it
            return "%s%s%s" % (u, r.choice(["", " "]), t), u + t
        if c < 0.23:
            self.ms.features.add("long-word")
            w = r.choice(LONG_WORDS)
            return w, w
        if c < 0.24:
            self.ms.features.add("comment")
            return "<!-- 社内メモ -->" + t, t
        if c < 0.25:
            self.ms.features.add("citation")
            w = r.choice(CITES)
            return w + t, w + t
        if c < 0.27 and self.labels["fig"] + self.labels["tbl"] + self.labels["sec"]:
            self.ms.features.add("xref")
            kind = r.choice([k for k in ("fig", "tbl", "sec") if self.labels[k]])
            lab = r.choice(self.labels[kind])
            return "[@%s:%s]" % (kind, lab), None  # the number: not checked
        if c < 0.285:
            self.ms.features.add("strike")
            return "~~%s~~" % t, t  # struck, still there to read
        if c < 0.30:
            self.ms.features.add("underline")
            return "<u>%s</u>" % t, t
        if c < 0.31:
            # emphasis beside Japanese punctuation: 「**「重要」**は」
            self.ms.features.add("emphasis-punct")
            return "**「%s」**" % t, "「%s」" % t
        return t, t

    def note_ref(self):
        """A note reference: to a defined note (new or reused), rarely to
        one never defined."""
        r = self.r
        c = r.random()
        if c < 0.01:
            self.ms.valid = False
            self.ms.features.add("undefined-note")
            return "[^undef%d]" % r.randint(1, 9)
        if self.note_labels and c < 0.3:
            self.ms.features.add("note-reused")
            return "[^%s]" % r.choice(self.note_labels)
        label = "n%d" % (len(self.note_defs) + 1)
        text = self.jp_phrase() + "。"
        if r.random() < 0.3:
            text += "<%s>" % r.choice(URLS)
        self.note_defs.append((label, text))
        self.note_labels.append(label)
        self.ms.features.add("note")
        return "[^%s]" % label

    def sentence(self, lang):
        r = self.r
        md, fl = [], []
        for i in range(r.randint(1, 5)):
            m, f = self.inline(lang)
            if md and md[-1][-1:] in "*`~" and m[:1] == md[-1][-1:]:
                md.append("、")  # two emphases (code spans, strikes) apart, not one "**"
                fl.append("、")
            md.append(m)
            fl.append(f)
            if lang != "en" and i + 1 < 5 and r.random() < 0.3:
                p = r.choice(PUNCT_MID)
                md.append(p)
                fl.append(p)
            elif lang == "en":
                md.append(" ")
                fl.append(" ")
        end = "." if lang == "en" else r.choice(PUNCT_END)
        md.append(end)
        fl.append(end)
        # a note mark after the sentence's end (never after a digit)
        if r.random() < 0.15:
            md.append(self.note_ref())
        return "".join(md), fl

    def paragraph(self, lang=None):
        r = self.r
        lang = lang or r.choice(["ja"] * 6 + ["en", "mixed"])
        md, fl = [], []
        for _ in range(r.randint(1, 6)):
            lg = lang if lang != "mixed" else r.choice(["ja", "en"])
            m, f = self.sentence(lg)
            md.append(m)
            fl += f
            if lg == "en":
                md.append(" ")
        text = "".join(md).strip()
        # a soft line break in the source now and then
        if len(text) > 40 and r.random() < 0.2:
            k = r.randint(10, len(text) - 10)
            near = text[max(0, k - 120):k + 20]
            if text[k - 1] not in " \\" and text[k] != " " and \
                    not any(c in near for c in "[]()<>`{}*~") and "http" not in near:
                text = text[:k] + "\n" + text[k:]
        if None not in fl:
            self.ms.paragraphs.append(flat("".join(fl)))
        return text

    # ---- blocks --------------------------------------------------------
    def heading(self):
        r = self.r
        level = r.choice([1, 2, 2, 2, 3, 3, 4, 5, 6])
        self.ms.features.add("h%d" % level)
        title = self.jp_phrase()
        if r.random() < 0.2:
            title += "：" + self.jp_phrase()
        if r.random() < 0.3 and level < 6:  # [@sec:s1] may name it
            label = "s%d" % (len(self.labels["sec"]) + 1)
            self.labels["sec"].append(label)
            self.ms.features.add("sec-label")
            title += " {#sec:%s}" % label
        return "#" * level + " " + title

    def items(self, depth):
        r = self.r
        ordered = r.random() < 0.4
        out = []
        for i in range(r.randint(1, 5)):
            mark = "%d." % (i + 1) if ordered else "-"
            pad = "   " * depth if ordered else "  " * depth
            out.append(pad + mark + " " + self.paragraph("ja").replace("\n", " "))
            if depth < 3 and r.random() < 0.2:
                self.ms.features.add("nested-list")
                sub = self.items(depth + 1)
                out.append(sub)
        return "\n".join(out)

    def list_block(self):
        self.ms.features.add("list")
        return self.items(0)

    def quote(self):
        self.ms.features.add("quote")
        body = self.paragraph()
        lines = body.split("\n")
        return "\n".join("> " + l for l in lines)

    def code(self):
        r = self.r
        self.ms.features.add("codeblock")
        lines = []
        for _ in range(r.randint(1, 8)):
            c = r.random()
            if c < 0.2:
                lines.append("")
            elif c < 0.4:
                lines.append("    " + self.en_words(r.randint(2, 8)))
            elif c < 0.5:
                lines.append("x" * r.randint(60, 140))  # longer than a line
            else:
                lines.append("grep -E \"machine learning|機械学習|ML\" " + self.jp_phrase())
        return "```\n" + "\n".join(lines) + "\n```"

    def table(self):
        r = self.r
        cols = r.randint(1, 10)
        rows = r.randint(1, 40 if r.random() < 0.2 else 8)
        self.ms.features.add("table")
        def cell():
            c = r.random()
            if c < 0.3:
                return "{:,}".format(r.randint(0, 10 ** r.randint(1, 7)))
            if c < 0.4:
                return ""
            if c < 0.5:
                return self.en_words(r.randint(1, 4))
            s = self.jp_phrase()
            return s * r.randint(1, 3) if r.random() < 0.3 else s
        head = "| " + " | ".join(self.jp_phrase()[:8] for _ in range(cols)) + " |"
        delim = "|" + "|".join(r.choice(["---", ":--", "--:", ":-:"]) for _ in range(cols)) + "|"
        body = ["| " + " | ".join(cell() for _ in range(cols)) + " |" for _ in range(rows)]
        out = [head, delim] + body
        if r.random() < 0.6:
            label = "t%d" % (len(self.labels["tbl"]) + 1)
            cap = self.jp_phrase()
            self.ms.captions.append(flat(cap))
            self.labels["tbl"].append(label)
            out.insert(0, "表: %s {#tbl:%s}\n" % (cap, label))
        return "\n".join(out)

    def png(self, w, h):
        """A PNG of w x h pixels (RGB or RGBA), made here."""
        r = self.r
        alpha = r.random() < 0.4
        ctype, bpp = (6, 4) if alpha else (2, 3)
        row = bytes([r.randrange(256) for _ in range(bpp)]) * w
        raw = b"".join(b"\0" + row for _ in range(h))
        def chunk(t, d):
            c = struct.pack(">I", len(d)) + t + d
            return c + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
        return (b"\x89PNG\r\n\x1a\n" +
                chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, ctype, 0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))

    def svg(self):
        r = self.r
        w, h = r.randint(50, 800), r.randint(50, 800)
        shapes = "".join('<rect x="%d" y="%d" width="%d" height="%d" fill="#%06x"/>'
                         % (r.randint(0, w), r.randint(0, h), r.randint(1, w),
                            r.randint(1, h), r.randrange(1 << 24))
                         for _ in range(r.randint(1, 6)))
        return ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
                'viewBox="0 0 %d %d">%s<text x="10" y="30">図の文字</text></svg>'
                % (w, h, w, h, shapes)).encode()

    def figure(self):
        r = self.r
        self.images += 1
        kind = r.choice(["png", "png", "jpg", "svg"])
        if self.bundled:
            name = {"png": r.choice(["images/icon.png", "images/pipeline.png"]),
                    "jpg": "images/hall.jpg", "svg": "images/waic-growth.svg"}[kind]
            self.ms.features.add("figure-" + kind)
            return "![%s](%s)" % (self.jp_phrase(), name)
        name = "m%04d-%d.%s" % (self.seed, self.images, kind)
        path = os.path.join(self.out, name)
        if kind == "png":
            shape = r.choice([(200, 1600), (1600, 200), (400, 300), (40, 40), (1200, 900)])
            data = self.png(*shape)
        elif kind == "svg":
            data = self.svg()
        else:
            with open(os.path.join(ROOT, "content", "images", "hall.jpg"), "rb") as f:
                data = f.read()
        with open(path, "wb") as f:
            f.write(data)
        self.ms.features.add("figure-" + kind)
        alt = self.jp_phrase() if r.random() < 0.9 else ""
        attrs = []
        if r.random() < 0.6:
            label = "f%d" % (len(self.labels["fig"]) + 1)
            self.labels["fig"].append(label)
            attrs.append("#fig:" + label)
        if r.random() < 0.4:
            attrs.append("width=" + r.choice(["30%", "50%", "80%", "100%", "40mm", "3cm"]))
        if alt:
            self.ms.captions.append(flat(alt))
        return "![%s](%s)%s" % (alt, name, "{%s}" % " ".join(attrs) if attrs else "")

    def block(self):
        r = self.r
        c = r.random()
        if c < 0.45:
            return self.paragraph()
        if c < 0.58:
            return self.heading()
        if c < 0.66:
            return self.list_block()
        if c < 0.71:
            return self.quote()
        if c < 0.76:
            return self.code()
        if c < 0.85:
            return self.table()
        if c < 0.93:
            return self.figure()
        if c < 0.96:
            self.ms.features.add("rule")
            return "***"
        self.ms.features.add("comment")
        return "<!-- 社内メモ：配布版に出してはいけない -->"

    def front(self):
        r = self.r
        if r.random() < 0.2:
            return ""
        lines = ["---"]
        if r.random() < 0.85:
            t = self.jp_phrase()
            if r.random() < 0.3:
                t += "：" + self.jp_phrase()
            lines.append('title: "%s"' % t)
        if r.random() < 0.7:
            lines.append("date: " + r.choice(["2025-10-20", "2024-02-29", "2025-11", "2025"]))
        if r.random() < 0.5:
            lines.append("lang: " + r.choice(["ja", "ja", "en"]))
        if r.random() < 0.3:
            lines.append("author: " + self.jp_phrase())
        if r.random() < 0.3:
            lines.append("publisher: 知的財産調査レポート")
        if r.random() < 0.25:
            lines.append("classification: 社外秘")
            lines.append("editions:")
            for i in range(r.randint(1, 3)):
                eid = "client-%d" % (i + 1)
                self.ms.editions.append(eid)
                lines.append("  - id: %s" % eid)
                lines.append("    to: 見本株式会社 知的財産部 御中")
            self.ms.features.add("editions")
        lines.append("---")
        return "\n".join(lines) + "\n\n"

    def for_some(self, blocks, paras):
        """With recipients, some paragraphs for some of them only (::: {editions=}
        or {except=}): gone from the plain build, so not read back there.
        Its own random numbers: the rest of each manuscript is as before."""
        if not self.ms.editions:
            return
        r2 = random.Random(self.seed * 7919 + 17)
        hidden = []
        for i, k in sorted(paras.items()):
            if r2.random() < 0.15:
                ids = r2.sample(self.ms.editions, r2.randint(1, len(self.ms.editions)))
                blocks[i] = '::: {%s="%s"}\n%s\n:::' % (
                    r2.choice(["editions", "except"]), " ".join(ids), blocks[i])
                hidden.append(k)
                self.ms.features.add("for-some")
        for k in sorted(hidden, reverse=True):
            del self.ms.paragraphs[k]

    def write_sources(self):
        """NAME.sources.yaml: the sources' fields in the forms writers give
        them, now and then one a warning or an error."""
        rs = self.rs
        lines = ["# the sources of m%04d.md" % self.seed]
        for sid in self.source_ids:
            lines += ["- id: " + sid,
                      "  title: " + rs.choice(["AI事業者ガイドライン（第1.0版）",
                                               "Patent Law and Artificial Intelligence",
                                               "知的財産推進計画2025", "特許行政年次報告書 2024年版",
                                               '"Q&A: 生成AIと著作権"'])]
            if rs.random() < 0.7:
                lines.append("  author: " + rs.choice(["経済産業省", "特許庁", "山田 太郎",
                                                       "WIPO", "Smith, J."]))
            if rs.random() < 0.5:
                lines.append("  publisher: " + rs.choice(["有斐閣", "特許庁", "WIPO"]))
            if rs.random() < 0.8:
                date = rs.choice(["2024-04-19", "2023", "2025-10", "2024-02-29"])
                if rs.random() < 0.03:
                    date = "2024-13-01"
                    self.ms.valid = False
                    self.ms.features.add("source-bad-date")
                lines.append("  date: " + date)
            if rs.random() < 0.7:
                lines.append("  url: " + rs.choice(URLS))
                if rs.random() < 0.8:
                    lines.append("  accessed: 2025-10-01")
        with open(self.ms.path[:-3] + ".sources.yaml", "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        self.ms.features.add("sources")

    def make(self):
        r = self.r
        n = r.randint(1, 40)
        blocks, paras = [], {}
        for _ in range(n):
            before = len(self.ms.paragraphs)
            blocks.append(self.block())
            if len(self.ms.paragraphs) == before + 1:
                paras[len(blocks) - 1] = before  # a paragraph read back
        # the notes, defined at the end (some defined and never used)
        defs = ["[^%s]: %s" % (l, t) for l, t in self.note_defs]
        if r.random() < 0.1:
            defs.append("[^unused]: 使われない注。")
            self.ms.features.add("note-unused")
        self.ms.notes = len(self.note_defs)
        for _, t in self.note_defs:
            pass
        back = ""
        if r.random() < 0.15:
            back = "\n\n## 参考資料\n\n1. " + self.jp_phrase() + "\n2. " + self.jp_phrase()
            self.ms.features.add("back-matter")
        if self.source_ids:
            self.write_sources()
            if self.rs.random() < 0.5:  # the sources not cited, listed
                back = back or "\n\n## 参考資料"
                back += "\n\n[@sources]"
                self.ms.features.add("source-list")
        bom = "\ufeff" if r.random() < 0.05 else ""
        if bom:
            self.ms.features.add("bom")
        front = self.front()
        if all(b.startswith("<!--") for b in blocks) and not back and not defs:
            self.ms.valid = False  # the writer's notes alone: no text to set
        self.for_some(blocks, paras)
        text = bom + front + "\n\n".join(blocks) + back + "\n\n" + "\n\n".join(defs) + "\n"
        with open(self.ms.path, "w", encoding="utf-8") as f:
            f.write(text)
        return self.ms


def manuscript(seed, out, bundled=False):
    """Writes manuscript `seed` (and its images) into `out`; `bundled`:
    its figures are content/images' files, named as a manuscript in
    content/ names them (the fuzzers' seeds)."""
    return Gen(seed, out, bundled).make()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--bundled-images"]
    if len(args) not in (2, 3):
        sys.exit("usage: gen.py [--bundled-images] SEED [LAST] DIR")
    os.makedirs(args[-1], exist_ok=True)
    first = int(args[0])
    last = int(args[1]) if len(args) == 3 else first
    for s in range(first, last + 1):
        print(manuscript(s, args[-1], "--bundled-images" in sys.argv).path)
