#!/usr/bin/env python3
"""Reads a vertical PDF (縦組み) back, as ../shared/tools/jpcheck.py does
horizontal ones, from `pdftotext -bbox`, and reports:

  off-column  a glyph whose centre is not on its column's centre line
  off-pitch   a column that is not on its size's fixed pitch (the grid),
              counted from that size's first column in the document
  ragged      a column that stops short of the block's foot, though the
              next column (one pitch to its left, same size) goes on with
              the same paragraph (it does not start indented)
  kinsoku     a column that starts with a character JLREQ forbids at a
              line start (closing brackets, 、。, small kana, ー, ...) or a
              note mark, or ends with an opening bracket
  tcy         an upright run of digits (縦中横) wider than one em, or
              followed closer than one em

    tests/vcheck.py OUT.pdf [--json] [--first N] [--last N]

Exits 1 if it found a fault, 0 if none.

How the boxes are read. poppler knows no vertical writing for fonts
set horizontally, so each upright character comes back as a word of its
own, its box one advance wide and the font's ascent + descent tall;
Latin turned with the line comes back as a word whose box is that tall
across the column and its advance long. The boxes are in the font's
metrics: Noto CJK (the fonts kumihan sets with) has ascent 1.151 and
descent 0.286 em and its ideographic em box 0.88 em above the baseline
to 0.12 below. From those each word gives its size, the centre line of
its column and where its em box starts and ends along the column.
"""
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

ASC, DESC = 1.151, 0.286        # poppler's box: the font's ascent, descent
BOX = ASC + DESC
EM_TOP = 0.88                   # the em box's top above the baseline
CENTRE = 0.38                   # the em box's centre above the baseline

START_PROHIBITED = set("’”）〕］｝〉》」』】〙〗〟｠»)]}"      # closing brackets
                       "‐゠–〜～"                          # hyphens
                       "？！‼⁇⁈⁉?!"                        # dividing punctuation
                       "・：；:;" "。．." "、，,"           # middle dots, stops, commas
                       "ヽヾゝゞ々〻" "ー"                  # iteration, prolonged
                       "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
                       "ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ")
END_PROHIBITED = set("‘“（〔［｛〈《「『【〘〖〝｟«([{")
NOTE_MARK = re.compile(r"^(\d+[,–-]?)+\)?$")


class Word:
    __slots__ = ("page", "text", "x0", "y0", "x1", "y1", "upright", "em", "cx",
                 "s", "e")

    def __init__(self, page, text, x0, y0, x1, y1):
        self.page, self.text = page, text
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1

    def orient(self, upright):
        x0, y0, x1, y1, text = self.x0, self.y0, self.x1, self.y1, self.text
        self.upright = upright
        if upright:  # one advance wide (at most an em), BOX em tall
            self.em = (y1 - y0) / BOX
            self.cx = (x0 + x1) / 2
            self.s = y0 + (ASC - EM_TOP) * self.em
            # 、。 and closing brackets may end a line on their half body
            # or their full one (JLREQ 3.1.2): read the full one
            self.e = self.s + self.em
        else:        # BOX em wide, its advance long
            self.em = (x1 - x0) / BOX
            self.cx = x0 + (DESC + CENTRE) * self.em
            self.s, self.e = y0, y1


def orient(words):
    """Which words stand upright. A Japanese character does; so does a
    run of digits or letters set upright (縦中横) and a turned word does
    not, told apart by size: the sizes the page's Japanese characters are
    set in are the sizes there are, and a turned word's box across, or an
    upright one's along, is BOX times one of them."""
    sizes = set()
    for w in words:
        if len(w.text) == 1 and ord(w.text) >= 0x2E80:
            w.orient(True)
            sizes.add(w.em)

    def known(em):
        return any(abs(em - k) <= 0.02 * k for k in sizes)
    for w in words:
        if len(w.text) == 1 and ord(w.text) >= 0x2E80:
            continue
        wide, tall = (w.x1 - w.x0) / BOX, (w.y1 - w.y0) / BOX
        up = len(w.text) <= 4 and not known(wide) and known(tall) and \
            w.x1 - w.x0 <= 1.5 * tall
        if len(w.text) == 1 and ord(w.text) >= 0x2000 and not known(wide):
            up = True  # ※ — … and the like
        w.orient(up)


def read(pdf, first=None, last=None):
    cmd = ["pdftotext", "-bbox"]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    out = subprocess.run(cmd + [pdf, "-"], stdout=subprocess.PIPE, check=True).stdout
    out = re.sub(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", b"", out)
    pages = []
    for el in ET.fromstring(out).iter():
        if el.tag.rsplit("}", 1)[-1] != "page":
            continue
        words = []
        for w in el.iter():
            if w.tag.rsplit("}", 1)[-1] != "word" or not (w.text or "").strip():
                continue
            x0, y0, x1, y1 = (float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
            if x1 > x0 and y1 > y0:
                words.append(Word(len(pages) + (first or 1), w.text.strip(), x0, y0, x1, y1))
        orient(words)
        pages.append(words)
    return pages


def size_class(em):
    return round(em * 2) / 2


def mode(values, width=0.5):
    bins = {}
    for v in values:
        bins.setdefault(round(v / width), []).append(v)
    if not bins:
        return None
    best = max(bins.values(), key=len)
    return sum(best) / len(best)


class Column:
    def __init__(self, words):
        self.words = sorted(words, key=lambda w: w.s)
        self.em = size_class(sorted(w.em for w in words)[len(words) // 2])
        self.cx = sorted(w.cx for w in words)[len(words) // 2]
        self.page = words[0].page
        self.marks = []           # smaller words beside it (note marks)

    @property
    def start(self):
        return min([w.s for w in self.words] + [m.s for m in self.marks])

    @property
    def end(self):
        return max([w.e for w in self.words] + [m.e for m in self.marks])

    def first_text(self):
        alls = sorted(self.words + self.marks, key=lambda w: w.s)
        return alls[0]

    def last_text(self):
        alls = sorted(self.words + self.marks, key=lambda w: w.e)
        return alls[-1]

    def text(self):
        return "".join(w.text for w in self.words)


def columns(words):
    """A page's columns, right to left: words of one size class whose
    centres lie within a quarter em, with the smaller words (note marks,
    ruby) that stand beside one given to it."""
    by_class = {}
    for w in words:
        by_class.setdefault(size_class(w.em), []).append(w)
    cols = []
    for em, ws in by_class.items():
        ws.sort(key=lambda w: -w.cx)
        group = [ws[0]]
        for w in ws[1:]:
            if abs(group[-1].cx - w.cx) <= 0.25 * em:
                group.append(w)
            else:
                cols.append(Column(group))
                group = [w]
        cols.append(Column(group))
    # a column: three words or more, or two of eight characters (a note's
    # number and its URL, both turned)
    def is_big(c):
        return len(c.words) >= 3 or (len(c.words) == 2 and len(c.text()) >= 8)
    big = [c for c in cols if is_big(c)]
    small = [c for c in cols if not is_big(c)]
    for c in small:
        host = [b for b in big if b.em > c.em * 1.2 and abs(b.cx - c.cx) < 0.9 * b.em and
                b.start - b.em <= c.start <= b.end + 2 * b.em]
        if host:
            min(host, key=lambda b: abs(b.cx - c.cx)).marks.extend(c.words)
    return sorted(big, key=lambda c: -c.cx)


BULLETS = set("•・◦▪‣●○■□◆◇▶►–")


def starts_item(c):
    t = c.first_text().text
    return t[0] in BULLETS or re.match(r"^[0-9０-９]{1,3}[.．)）]", t) is not None


def check(pdf, first=None, last=None):
    """The faults by kind (lists of findings) and what was read."""
    return check_pages(read(pdf, first, last))


def check_pages(pages):
    faults = {"off-column": [], "off-pitch": [], "ragged": [], "kinsoku": [], "tcy": []}
    # the body: the size most characters are set in; its foot, where most of
    # its columns end. What lies more than an em and a half below that
    # (the folio) or beside the body's outermost columns (the running
    # head) is the margin's, and is not read.
    # the folio: a number standing alone under a column's end, the lowest
    # word on its page
    for ws in pages:
        if not ws:
            continue
        low = max(ws, key=lambda w: w.s)
        above = [w for w in ws if w is not low and abs(w.cx - low.cx) < low.em and w.s < low.s]
        if re.fullmatch(r"[0-9]+", low.text) and \
                (not above or low.s - max(w.e for w in above) > 2 * low.em):
            ws.remove(low)
    cols_by_page = [columns(ws) for ws in pages]
    allcols = [c for cs in cols_by_page for c in cs]
    if not allcols:
        return faults, {"pages": len(pages), "columns": 0}
    count = {}
    for c in allcols:
        count[c.em] = count.get(c.em, 0) + len(c.words)
    body = max(count, key=count.get)
    foot0 = mode([c.end for c in allcols if c.em == body])
    right = max(c.cx for c in allcols if c.em == body) + 0.6 * body
    left = min(c.cx for c in allcols if c.em == body) - 0.6 * body
    cols_by_page = [columns([w for w in ws if w.s <= foot0 + 1.5 * body and
                             left <= w.cx <= right]) for ws in pages]
    allcols = [c for cs in cols_by_page for c in cs]
    # the sizes set on a grid of their own: those whose neighbouring
    # columns stand at one distance, the pitch, ten times or more (the
    # body, the notes); headings and titles are not (a heading takes whole
    # grid lines: the body columns after it are back on the grid). The
    # body's grid is counted from its first column in the document;
    # another size's from its first column on the page, at the pitch it
    # has there (the colophon's two lines of note-size rights stand on
    # body lines).
    pitch, ref, page_pitch = {}, {}, {}
    for em in {c.em for c in allcols}:
        gaps = []
        for cs in cols_by_page:
            same = [c for c in cs if c.em == em]
            gaps += [a.cx - b.cx for a, b in zip(same, same[1:])]
        p = mode(gaps, 0.2)
        if p and sum(1 for g in gaps if abs(g - p) < 0.2) >= 10:
            pitch[em] = p
        if em != body:
            for cs in cols_by_page:
                same = [c for c in cs if c.em == em]
                if len(same) >= 2:
                    page_pitch[(em, same[0].page)] = mode(
                        [a.cx - b.cx for a, b in zip(same, same[1:])], 0.2)
    for c in allcols:
        if c.em in pitch:
            ref.setdefault((c.em, None if c.em == body else c.page), c.cx)
    # the head: where the body's earliest column starts (with few columns,
    # all indented, the usual start would be the indent's), but for one
    # that opens with a bracket, whose blank half stands before the head
    starts = [c.words[0].s for c in allcols if c.em == body and
              c.words[0].text[0] not in END_PROHIBITED]
    head = min(starts) if starts else min(c.start for c in allcols if c.em == body)
    # the body's paragraphs, as jpcheck reads horizontal ones: a column
    # ends its paragraph when other text follows it, or a list item, or a
    # column indented more than it; two indented starts in a row are a
    # one-line paragraph. The columns that do not end one must be full.
    full = []
    for cs in cols_by_page:
        starts = True
        for i, c in enumerate(cs):
            if c.em != body:
                starts = True
                continue
            nxt = cs[i + 1] if i + 1 < len(cs) else None
            if nxt is None:  # the page's last: the next page is not read
                break
            ind_c, ind_n = c.start - head, nxt.start - head
            one_line = starts and not starts_item(c) and ind_c >= 0.4 * body and \
                abs(ind_n - ind_c) < 0.2 * body
            ends = (nxt.em != body or starts_item(nxt) or one_line or
                    (ind_n >= 0.4 * body and ind_n > ind_c + 0.4 * body) or
                    c.cx - nxt.cx > 1.2 * pitch.get(body, 1e9))
            if not ends:
                full.append(c)
            starts = ends
    foot = mode([c.end for c in full]) if full else foot0
    for c in allcols:
        where = "p%d x=%.1f %s" % (c.page, c.cx, c.text()[:24])
        for w in c.words:
            if abs(w.cx - c.cx) > 0.1 * c.em:
                faults["off-column"].append("%s: %r at %.2f" % (where, w.text, w.cx))
        if c.em in pitch and pitch[c.em] > 0:
            p = pitch[c.em] if c.em == body else page_pitch.get((c.em, c.page), 1e9)
            k = (ref[(c.em, None if c.em == body else c.page)] - c.cx) / p
            if abs(k - round(k)) * p > 0.5:
                faults["off-pitch"].append("%s: %.2f pitches from the first" % (where, k))
        f, l = c.first_text(), c.last_text()
        # "![alt](...)" in a code column: a token that begins with ASCII
        # punctuation is not a sentence's ! or ?
        token = not f.upright and f.text[0] in "!?:;" and len(f.text) > 1 and \
            f.text[1] not in START_PROHIBITED
        if (f.text[0] in START_PROHIBITED and not token) or \
                (f in c.marks and NOTE_MARK.match(f.text)):
            faults["kinsoku"].append("%s: starts with %r" % (where, f.text))
        if l.text[-1] in END_PROHIBITED:
            faults["kinsoku"].append("%s: ends with %r" % (where, l.text))
        for i, w in enumerate(c.words):
            if w.upright and re.fullmatch(r"[0-9]+", w.text):
                if w.x1 - w.x0 > 1.02 * c.em:
                    faults["tcy"].append("%s: %r is %.2f em wide" % (where, w.text,
                                                                   (w.x1 - w.x0) / c.em))
                if i + 1 < len(c.words) and c.words[i + 1].s - w.s < 0.99 * c.em:
                    faults["tcy"].append("%s: %r is followed %.2f em on" % (
                        where, w.text, (c.words[i + 1].s - w.s) / c.em))
    for c in full:
        if c.end < foot - 0.5:
            faults["ragged"].append("p%d x=%.1f %s: ends %.2f pt short" % (
                c.page, c.cx, c.text()[:24], foot - c.end))
    stats = {"pages": len(pages), "columns": len(allcols), "body": body,
             "tcy": sum(1 for c in allcols for w in c.words
                        if w.upright and re.fullmatch(r"[0-9]+", w.text)),
             "turned": sum(1 for c in allcols for w in c.words if not w.upright),
             "pitch": {str(k): round(v, 2) for k, v in pitch.items()},
             "head": round(head, 2), "foot": round(foot, 2), "full": len(full)}
    return faults, stats


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdf")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--first", type=int)
    ap.add_argument("--last", type=int)
    a = ap.parse_args(argv)
    faults, stats = check(a.pdf, a.first, a.last)
    if a.json:
        print(json.dumps({"faults": faults, "stats": stats}, ensure_ascii=False, indent=1))
    else:
        for kind, items in faults.items():
            for it in items:
                print("%s: %s" % (kind, it))
        print("%s: %s; %s" % (a.pdf, ", ".join("%d %s" % (len(v), k) for k, v in faults.items()),
                              json.dumps(stats, ensure_ascii=False)))
    return 1 if any(faults.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
