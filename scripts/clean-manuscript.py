#!/usr/bin/env python3
"""Turn the raw text of the WAIC 2025 report (extracted from a PDF, with the
extraction's damage) into the Markdown manuscript content/waic2025.md.

usage: scripts/clean-manuscript.py [SOURCE [OUTPUT]]
  defaults: ../shared/seed/waic2025-source.txt -> content/waic2025.md

What it repairs, in order (each step is a function below):
  1. the title (first line) goes to the front matter; "全 貌" loses its space;
  2. icon debris at paragraph ends (🗓 🚨, a lone 口 出 山 after 。) is dropped;
  3. paragraphs cut by page breaks are rejoined (a long line that does not
     end a sentence continues on the next non-empty line);
  4. spaces the extraction put where Japanese meets Japanese, digits or Latin
     are removed (the typesetter adds the 1/4-em space itself); spaces
     between Latin words stay; ASCII ( ) : in Japanese text become （ ）：;
  5. section lines become ##, the company and topic lines under them ###
     (the lists below say which: a person chose them);
  6. citations [n] become note references [^n]; references 1-40 become note
     definitions, 41-113 (never cited) a numbered list under ## 参考資料;
  7. URLs: a space between ASCII characters inside a URL was an underscore;
     a space beside Japanese was added by the extraction; ip.reuters.com and
     ip.linkedin.com are jp.; ZK6S]ZFAC is ZK6SJZFAC; reference 110 lost its
     number.

Still doubtful (left as extracted, to be checked against the sources):
  - 24, 29, 68, 87: the slugs end in Japanese cut short ("…中国勢の挑/",
    "…グローバルガバナン/", "…研究者が語る/", "…2025-2035年/"); the sites
    truncate long titles, so they may well be right;
  - 87: "将来性とは?2025" may have had a full-width ？;
  - 68: "可能性:ai研究者が語る/" (the site may write the colon full-width);
  - 78: "smart-mobility.jp/_ct/17744115/p3" (the space became "_ct");
  - 94, 96, 110: PDF links whose file names were rebuilt with underscores.
"""
import re
import sys

SECTIONS = [  # the report's sections (##), as the extraction wrote them
    "開催規模と国際的重要性の飛躍的向上",
    "展示構成と「AI 能力回廊」の戦略的設計",
    "主要企業の新製品・新技術発表",
    "DeepSeek ショックとその影響:効率化への転換",
    "エンボディド AI とロボティクスの爆発的成長",
    "自動運転とスマートモビリティの進展",
    "医療・ヘルスケアにおける AI 応用",
    "中国政府の AI 戦略とガバナンス構想",
    "投資・商業化トレンドとスタートアップエコシステム",
    "WAIC2024 からの変化と進化の方向性",
    "中国 AI 産業の独自の特徴と強み",
    "今後の展望と課題",
    "結論:AI 産業の新たなフェーズへの移行",
]

FRONT_MATTER = """---
title: "{title}"
lang: ja
# The source carries no date: set to the days after its latest cited
# document (2025-10-16). The firm sets its own before publishing.
date: 2025-10-20
publisher: 知的財産調査レポート
subject: 世界人工知能大会（WAIC2025）と中国AI産業の動向
keywords: [WAIC2025, 中国, 人工知能, 知的財産]
rights: 本資料は情報提供を目的とするものであり、法的助言ではありません。記載内容は各出典の公開時点の情報に基づきます。無断での転載・再配布を禁じます。
---
"""

JP = (r"\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
      r"\uf900-\ufaff\uff00-\uffef")
JPC = "[" + JP + "]"
ALNUM = r"[A-Za-z0-9%.,!?)\]]"


def is_jp(ch):
    return re.match(JPC, ch) is not None


def fix_spaces(s):
    """Drop the spaces beside Japanese characters; keep Latin word spaces."""
    s = re.sub(r"(?<=" + JPC + r") +(?=" + JPC + r")", "", s)
    s = re.sub(r"(?<=" + JPC + r") +(?=[A-Za-z0-9(\[])", "", s)
    s = re.sub(r"(?<=" + ALNUM + r") +(?=" + JPC + r")", "", s)
    return s


def fix_punct(s):
    """ASCII ( ) : inside Japanese text take their full-width forms."""
    if not re.search(JPC, s):
        return s
    s = s.replace("(", "（").replace(")", "）")
    s = re.sub(r":(?!//)", "：", s)
    s = re.sub(r"(?<=\d)~(?=\d)", "～", s)  # 2000~3000元: a wave dash
    # spaces beside the new full-width brackets were the extraction's too
    s = re.sub(r" +(?=[（）：])", "", s)
    s = re.sub(r"(?<=[（）：]) +", "", s)
    return s


def fix_debris(s):
    s = re.sub(r"\s*[\U0001F5D3\U0001F6A8]\s*$", "", s)
    s = re.sub(r"。\s*[口出山]$", "。", s)
    return s


def cite(s):
    return re.sub(r"\[(\d+)\]", r"[^\1]", s)


def fix_url(u):
    u = u.strip()
    u = u.replace("://ip.reuters.com", "://jp.reuters.com")
    u = u.replace("://ip.linkedin.com", "://jp.linkedin.com")
    u = u.replace("ZK6S]ZFAC", "ZK6SJZFAC")
    # a space beside Japanese was put there by the extraction, and so was
    # one after a colon that follows Japanese ("可能性: ai" in 68)
    u = re.sub(r"(?<=" + JPC + r") +| +(?=" + JPC + r")", "", u)
    u = re.sub(r"(?<=" + JPC + r":) +", "", u)
    # a space between ASCII characters was an underscore
    u = re.sub(r"(?<=[!-~]) +(?=[!-~])", "_", u)
    return u


def link(u):
    """An autolink; a URL with a character that may not stand in a URL
    (the "|" of 24) shows as written but links percent-encoded."""
    if "|" in u:
        return "[%s](<%s>)" % (u, u.replace("|", "%7C"))
    return "<%s>" % u


def ends_sentence(s):
    return re.search(r"[。」）)\]！？]$", s) is not None


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "../shared/seed/waic2025-source.txt"
    dst = sys.argv[2] if len(sys.argv) > 2 else "content/waic2025.md"
    raw = [l.rstrip() for l in open(src, encoding="utf-8").read().split("\n")]
    lines = [l for l in raw]
    while lines and not lines[0].strip():
        lines.pop(0)
    title = fix_spaces(fix_punct(lines.pop(0).strip()))

    body, refs = [], []
    i = 0
    sections = [fix_spaces(fix_punct(s)) for s in SECTIONS]
    current_h2 = None
    while i < len(lines):
        s = lines[i].strip()
        i += 1
        if not s:
            continue
        m = re.match(r"^- (?:(\d+)\. )?(https?://.*)$", s)
        if m:
            num = int(m.group(1)) if m.group(1) else len(refs) + 1
            refs.append((num, fix_url(m.group(2))))
            continue
        s = fix_debris(s)
        # rejoin a paragraph cut by a page break
        while len(s) > 45 and not ends_sentence(s) and not s.startswith("- "):
            j = i
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j >= len(lines):
                break
            s = fix_debris(s + lines[j].strip())
            i = j + 1
        text = fix_spaces(fix_punct(s))
        if s.startswith("- "):
            body.append("- " + cite(fix_spaces(fix_punct(s[2:]))))
            continue
        if text in sections:
            body.append("## " + text)
            current_h2 = text
            continue
        if len(s) < 45 and not ends_sentence(s) and current_h2:
            body.append("### " + text)
            continue
        body.append(cite(text))

    notes = [(n, u) for n, u in refs if n <= 40]
    more = [(n, u) for n, u in refs if n > 40]
    out = [FRONT_MATTER.format(title=title)]
    prev_item = False
    for b in body:
        item = b.startswith("- ")
        if out and not (item and prev_item):
            out.append("")
        out.append(b)
        prev_item = item
    out.append("")
    out.append("## 参考資料")
    out.append("")
    out.append("本文で引用していない調査資料を掲げる。")
    out.append("")
    for n, u in more:
        out.append("%d. %s" % (n, link(u)))
    out.append("")
    for n, u in notes:
        out.append("[^%d]: %s" % (n, link(u)))
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(out).lstrip("\n") + "\n")


if __name__ == "__main__":
    main()
