#!/usr/bin/env python3
"""pdftags.py FILE.pdf...: does a PDF carry what assistive technology
needs, as kumihan promises (README, "What the PDFs conform to")? Read with
qpdf's JSON (qpdf --json=2), so it needs nothing but qpdf and Python:

- the catalog: /Lang, /MarkInfo /Marked true, /ViewerPreferences
  /DisplayDocTitle true, an XMP packet whose dc:title is the Info /Title;
- every page: /Tabs /S, and no content drawn outside marked content
  (text, images, paths: each inside a structure element's marked content
  or an /Artifact);
- the structure tree: no element kumihan uses as a stand-in (/Private),
  an /Alt on every /Figure, a /Scope on every /TH, every /Caption inside
  a /Figure or a /Table, no /Link left at the document's top when there
  is a paragraph to hold it;
- every link annotation: /Contents and the Print flag.

Prints each fault; exits 1 if any file has one, 2 if qpdf fails."""
import base64
import json
import re
import subprocess
import sys


def load(path):
    r = subprocess.run(["qpdf", "--json=2", "--json-key=qpdf", "--json-stream-data=inline",
                        "--decode-level=generalized", path, "-"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode not in (0, 3):
        print("%s: qpdf: %s" % (path, r.stderr.decode(errors="replace").strip()))
        sys.exit(2)
    return json.loads(r.stdout)["qpdf"][1]


class Pdf:
    def __init__(self, path):
        self.objs = load(path)

    def get(self, v):
        """An indirect reference's object (a stream: its dictionary)."""
        if isinstance(v, str) and re.fullmatch(r"\d+ \d+ R", v):
            o = self.objs.get("obj:" + v, {})
            if "stream" in o:
                return o["stream"]["dict"]
            return o.get("value")
        return v

    def data(self, ref):
        o = self.objs.get("obj:" + ref, {})
        d = o.get("stream", {}).get("data")
        return base64.b64decode(d) if d else b""


def text(v):
    """A PDF string as qpdf's JSON writes it: "u:..." or "b:hex"."""
    if not isinstance(v, str):
        return None
    if v.startswith("u:"):
        return v[2:]
    if v.startswith("b:"):
        raw = bytes.fromhex(v[2:])
        return raw[2:].decode("utf-16-be") if raw[:2] == b"\xfe\xff" else raw.decode("latin-1")
    return v


TOKEN = re.compile(rb"""\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)  # a string (one nesting)
                    | <<|>> | <[0-9A-Fa-f\s]*>                      # dict marks, hex string
                    | /[^\s/\[\]()<>{}%]* | \[|\] | %[^\r\n]*
                    | [^\s/\[\]()<>{}%]+""", re.X)
PAINT = {b"Tj", b"TJ", b"'", b'"', b"Do", b"f", b"F", b"f*", b"S", b"s", b"B", b"B*",
         b"b", b"b*", b"sh", b"BI"}


def unmarked(content):
    """Painting operators outside any marked content (BDC/BMC ... EMC)."""
    depth, bad = 0, 0
    for m in TOKEN.finditer(content):
        t = m.group(0)
        if t in (b"BDC", b"BMC"):
            depth += 1
        elif t == b"EMC":
            depth -= 1
        elif t in PAINT and depth <= 0:
            bad += 1
    return bad


def check(path):
    pdf = Pdf(path)
    faults = []
    trailer = pdf.objs["trailer"]["value"]
    root = pdf.get(trailer["/Root"])
    info = pdf.get(trailer.get("/Info")) or {}
    if not text(root.get("/Lang")):
        faults.append("the catalog has no /Lang")
    if not (pdf.get(root.get("/MarkInfo")) or {}).get("/Marked"):
        faults.append("the catalog is not /MarkInfo << /Marked true >>")
    if not (pdf.get(root.get("/ViewerPreferences")) or {}).get("/DisplayDocTitle"):
        faults.append("no /DisplayDocTitle")
    xmp = pdf.data(root["/Metadata"]).decode("utf-8", "replace") if "/Metadata" in root else ""
    title = text(info.get("/Title"))
    m = re.search(r"<dc:title>.*?<rdf:li[^>]*>(.*?)</rdf:li>", xmp, re.S)
    if not m:
        faults.append("no XMP dc:title")
    elif title and m.group(1).replace("&amp;", "&").replace("&lt;", "<") != title:
        faults.append("the XMP dc:title is not the Info /Title")

    pages = []
    todo = [root["/Pages"]]
    while todo:
        node = pdf.get(todo.pop(0))
        if node.get("/Type") == "/Pages":
            todo[0:0] = node["/Kids"]
        else:
            pages.append(node)
    for n, page in enumerate(pages, 1):
        if page.get("/Tabs") != "/S":
            faults.append("p.%d: no /Tabs /S" % n)
        contents = page.get("/Contents")
        refs = contents if isinstance(contents, list) else [contents]
        bad = sum(unmarked(pdf.data(r)) for r in refs if r)
        if bad:
            faults.append("p.%d: %d drawing operators outside marked content "
                          "(neither tagged nor an artifact)" % (n, bad))
        for a in page.get("/Annots", []):
            a = pdf.get(a)
            if a.get("/Subtype") != "/Link":
                continue
            if not text(a.get("/Contents")):
                faults.append("p.%d: a link without /Contents" % n)
            if not int(a.get("/F", 0)) & 4:
                faults.append("p.%d: a link that does not print" % n)

    tree = pdf.get(root.get("/StructTreeRoot"))
    if not tree:
        return faults + ["no structure tree"]
    counts = {}
    stack = [(tree, None)]
    has_p = False
    while stack:
        e, parent = stack.pop()
        s = e.get("/S")
        counts[s] = counts.get(s, 0) + 1
        ps = parent.get("/S") if parent else None
        has_p |= s == "/P"
        if s == "/Private":
            faults.append("a /Private element (an artifact left in the tree)")
        if s == "/Figure" and not text(e.get("/Alt")):
            faults.append("a /Figure without /Alt")
        if s == "/TH" and "/Scope" not in (pdf.get(e.get("/A")) or {}):
            faults.append("a /TH without /Scope")
        if s == "/Caption" and ps not in ("/Figure", "/Table"):
            faults.append("a /Caption in %s, not in its /Figure or /Table" % ps)
        if s == "/Link" and ps == "/Document":
            counts["top-link"] = counts.get("top-link", 0) + 1
        kids = e.get("/K")
        kids = kids if isinstance(kids, list) else [kids]
        for k in reversed(kids):
            k = pdf.get(k)
            if isinstance(k, dict) and "/S" in k:
                stack.append((k, e))
    links = counts.get("/Link", 0)
    if has_p and links and counts.get("top-link", 0) * 2 > links:
        faults.append("%d of %d /Link elements stand outside any paragraph"
                      % (counts["top-link"], links))
    return faults


def main(paths):
    status = 0
    for p in paths:
        faults = check(p)
        for f in faults[:20]:
            print("%s: %s" % (p, f))
        if faults:
            status = 1
        else:
            print("%s: tagged as promised" % p)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
