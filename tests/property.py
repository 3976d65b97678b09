#!/usr/bin/env python3
"""The property test: manuscripts nobody here wrote. tests/gen.py makes
them from fixed seeds, mixing everything the README documents; each is set
in both editions (every fifth also vertically, and those with recipients
as client editions), and for every one:

- the exit status is 0 or 1, never a signal nor 3 (an internal error),
  and 1 exactly when the manuscript is not valid (a note never defined);
  every error names file:line:col;
- an accepted manuscript gives a PDF that qpdf --check passes, tagged as
  tests/pdftags.py asks, in which jpcheck finds no kinsoku fault and every
  paragraph reads back (pdftotext), and an EPUB that EPUBCheck passes (one
  Java run for all);
- the output folder holds the outputs and nothing else.

    tests/property.py                 seeds 1..KM_PROPERTY_COUNT (200)
    tests/property.py --from S --count N [--keep DIR]
                                      the long mode: N manuscripts from
                                      seed S (thousands), kept in DIR

Run by CTest with KM_BIN, KUMIHAN_DATA and KM_TESTS, like e2e.py; the
ASan build in .ci/run runs it too."""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402
import pdftags  # noqa: E402

BIN = os.environ.get("KM_BIN", "build/kumihan")
ROOT = os.environ.get("KUMIHAN_DATA", os.path.dirname(HERE))
JPCHECK = os.path.join(ROOT, "..", "shared", "tools", "jpcheck.py")
EPUBCHECK = "/usr/share/java/epubcheck.jar"
BATCH = os.path.join(HERE, "EpubCheckBatch.java")
TATEGAKI = os.path.join(ROOT, "styles", "tategaki.yaml")
NUMBERED = os.path.join(HERE, "data", "numbered.yaml")
LOCATED = re.compile(r"^[^:\n]+:\d+:\d+: error: ", re.M)
NOTE_MARK = re.compile(r"\d+(,\d+)*\)")


def kumihan(*args):
    r = subprocess.run([BIN, *args], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, errors="replace")
    return r.returncode, r.stderr


def status_faults(what, rc, err, valid):
    """What is wrong with an exit status and its messages."""
    faults = []
    if rc < 0:
        faults.append("%s: killed by signal %d" % (what, -rc))
    elif rc not in (0, 1):
        faults.append("%s: exit %d: %s" % (what, rc, err[-500:]))
    elif (rc == 0) != valid:
        faults.append("%s: exit %d for a %s manuscript: %s"
                      % (what, rc, "valid" if valid else "invalid", err[-500:]))
    for line in err.splitlines():
        if ": error: " in line and not LOCATED.match(line):
            faults.append("%s: an error without file:line:col: %s" % (what, line))
    return faults


def squeeze(s):
    return NOTE_MARK.sub("", re.sub(r"[\s\u00ad]+", "", s))


def readback_faults(ms, pdf):
    """Paragraphs of the manuscript not found in the PDF's text (cropped
    to the text block: no running heads, folios or markings)."""
    text = subprocess.run(["pdftotext", "-raw", "-x", "0", "-y", "80", "-W", "595",
                           "-H", "690", pdf, "-"], stdout=subprocess.PIPE,
                          text=True, errors="replace").stdout
    flat = squeeze(text)
    # a figure deferred to the next page's top stands inside the paragraph
    # that goes on there: its caption is taken out first
    for cap in ms.captions:
        flat = re.sub(r"[図表]\d+" + re.escape(squeeze(cap)) + r"(（続き）)?", "", flat)
    # a note mark after a number ("x + 1" then "2)") reads as one number:
    # such a paragraph is looked for again without its digits
    bare = re.sub(r"[\d,)]", "", flat)
    return ["paragraph not in the PDF: %s" % p[:80]
            for p in ms.paragraphs if squeeze(p) and squeeze(p) not in flat
            and re.sub(r"[\d,)]", "", squeeze(p)) not in bare]


def composed_lines(md):
    """Each line kumihan composed (dump --lines), page by page: {page:
    [(role, text without white space, text as set)]}."""
    r = subprocess.run([BIN, "dump", "--lines", md], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, text=True, errors="replace")
    pages, page = {}, 0
    for line in r.stdout.splitlines():
        m = re.match(r"page (\d+)", line)
        if m:
            page = int(m.group(1))
            continue
        m = re.match(r"  (\w+) +x=\S+ y=\S+ w=\S+ \|(.*)\|$", line)
        if m and m.group(1) != "ruby":
            text = re.sub(r"<-?\d+>|\\-$", "", m.group(2))
            pages.setdefault(page, []).append((m.group(1), "".join(text.split()), text))
    return pages


def kinsoku_faults(ms, pdf, target):
    """jpcheck's kinsoku findings, but for those on a line that is not
    one kumihan composed (where a table is the page's main text, jpcheck
    reads cells side by side as one line) and numbers "split" at a word
    space (a line ending "4.2" before one starting " 13883")."""
    if not os.path.exists(JPCHECK):
        return []
    j = subprocess.run([sys.executable, JPCHECK, "--max-list", "50", pdf],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if not j.stdout.strip():  # the checker's own failure, not a fault found
        print("note: jpcheck could not read %s: %s" % (pdf, j.stderr.strip()[-200:]),
              file=sys.stderr)
        return []
    report = json.loads(j.stdout.splitlines()[0])
    if not report["kinsoku"]["total"]:
        return []
    lines = composed_lines(ms.path)
    faults = []
    for f in re.finditer(r"^p\.(\d+) kinsoku: ([^|\n]*)\| ?(.*)$", j.stdout, re.M):
        page, text = int(f.group(1)), "".join(f.group(3).split())
        comp = [(t, raw) for role, t, raw in lines.get(page, []) if role not in ("cell", "toc")]
        # (a list's bullet, a line of its own in the dump, is in every item)
        hits = [k for k, (t, _) in enumerate(comp)
                if len(t) > 1 and text and (text in t or t in text)]
        if "number split" in f.group(2) and hits:
            # parted at a word space, or inside a URL (its last resort); the
            # line is the longest that matches (a list item's number, a
            # line of its own in the dump, matches too)
            k = max(hits, key=lambda k: len(comp[k][0]))
            hits = [k] if k + 1 < len(comp) and not comp[k + 1][1].startswith(" ") \
                and "://" not in comp[k][1] else []
        if hits:
            faults.append("jpcheck %s p.%d %s| %s" % (target, page, f.group(2), f.group(3)))
    return faults


def one(ms, out):
    """Sets one manuscript; returns (faults, EPUBs to check)."""
    name = os.path.basename(ms.path)[:-3]
    faults, epubs, expected = [], [], set()
    rc, err = kumihan("check", ms.path)
    faults += status_faults("check", rc, err, ms.valid)
    runs = [("pdf", [], name + ".pdf"), ("epub", [], name + ".epub")]
    if ms.seed % 5 == 0:
        runs += [("pdf", ["-s", TATEGAKI], name + "-v.pdf"),
                 ("epub", ["-s", TATEGAKI], name + "-v.epub")]
    elif ms.seed % 5 == 2:  # numbered headings, references with pages
        runs += [("pdf", ["-s", NUMBERED, "--epub", os.path.join(out, name + "-n.epub")],
                  name + "-n.pdf")]
    for kind, extra, target in runs:
        rc, err = kumihan(kind, "-q", *extra, ms.path, "-o", os.path.join(out, target))
        faults += status_faults(kind + " " + target, rc, err, ms.valid)
        if rc == 0:
            expected.add(target)
            if kind == "epub":
                epubs.append(os.path.join(out, target))
            if "--epub" in extra:
                expected.add(os.path.basename(extra[-1]))
                epubs.append(extra[-1])
    if ms.editions and ms.valid:
        ed = os.path.join(out, "editions")
        for kind in ("pdf", "epub"):
            rc, err = kumihan(kind, "-q", "--editions", ms.path, "-o", ed)
            faults += status_faults(kind + " --editions", rc, err, True)
            for e in ms.editions:
                p = os.path.join(ed, "%s-%s.%s" % (name, e, kind))
                if not os.path.isfile(p):
                    faults.append("edition %s not written" % p)
                elif kind == "epub":
                    epubs.append(p)
        if os.path.isdir(ed):
            expected.add("editions")
            extra = set(os.listdir(ed)) - {"%s-%s.%s" % (name, e, k) for e in ms.editions
                                           for k in ("pdf", "epub")}
            faults += ["left in the output folder: editions/" + f for f in sorted(extra)]
    left = set(os.listdir(out)) - expected
    faults += ["left in the output folder: " + f for f in sorted(left)]
    for target in sorted(t for t in expected if t.endswith(".pdf")):
        pdf = os.path.join(out, target)
        q = subprocess.run(["qpdf", "--check", pdf], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        if q.returncode != 0:
            faults.append("qpdf --check %s: %s" % (target, q.stdout[-300:]))
        faults += ["pdftags %s: %s" % (target, f) for f in pdftags.check(pdf)]
        if target.endswith("-v.pdf"):
            continue  # jpcheck and the read-back are for horizontal pages
        faults += kinsoku_faults(ms, pdf, target)
        faults += readback_faults(ms, pdf)
    return faults, epubs


def epubcheck(paths):
    """EPUBCheck over many EPUBs in one Java run: {path: report} for those
    with an error or a warning."""
    if not paths:
        return {}
    r = subprocess.run(["java", "-cp", EPUBCHECK, BATCH, *paths],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    bad, lines = {}, []
    for line in r.stdout.splitlines():
        m = re.match(r"EPUBCHECK (.*) (\d+)$", line)
        if m:
            if int(m.group(2)):
                bad[m.group(1)] = "\n".join(lines[-20:])
            lines = []
        else:
            lines.append(line)
    missing = [p for p in paths if "EPUBCHECK %s " % p not in r.stdout]
    for p in missing:
        bad[p] = "EPUBCheck gave no verdict: " + r.stdout[-500:]
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--from", dest="first", type=int, default=1)
    ap.add_argument("--count", type=int,
                    default=int(os.environ.get("KM_PROPERTY_COUNT", "200")))
    ap.add_argument("--keep", help="write the manuscripts and outputs here")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    work = a.keep or tempfile.mkdtemp(prefix="km-property-")
    os.makedirs(work, exist_ok=True)
    src = os.path.join(work, "src")
    os.makedirs(src, exist_ok=True)
    start = time.monotonic()

    def job(seed):
        ms = gen.manuscript(seed, src)
        ms.seed = seed
        out = os.path.join(work, "out%04d" % seed)
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        faults, epubs = one(ms, out)
        return ms, faults, epubs

    failed, epubs, features, valid = 0, [], set(), 0
    seeds = range(a.first, a.first + a.count)
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        for ms, faults, eps in pool.map(job, seeds):
            features |= ms.features
            valid += ms.valid
            epubs += eps
            if faults:
                failed += 1
                print("FAIL %s:\n  %s" % (ms.path, "\n  ".join(faults[:12])), flush=True)
    # EPUBCheck: two Java runs side by side over all the EPUBs
    half = (len(epubs) + 1) // 2
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        reports = {}
        for r in pool.map(epubcheck, [epubs[:half], epubs[half:]]):
            reports.update(r)
    for path, rep in sorted(reports.items()):
        failed += 1
        print("FAIL EPUBCheck %s:\n%s" % (path, rep), flush=True)
    took = time.monotonic() - start
    print("property: %d manuscripts (%d valid), %d EPUBs, %d failures, %.0f s "
          "(%.0f manuscripts a minute); features: %s"
          % (a.count, valid, len(epubs), failed, took, a.count * 60 / took,
             " ".join(sorted(features))))
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    # a generator that stopped making some construct would hide it
    need = {"table", "figure-png", "figure-jpg", "figure-svg", "ruby", "note",
            "list", "quote", "codeblock", "h4", "h6", "editions", "bare-url",
            "comment", "long-word", "xref", "undefined-note", "for-some",
            "citation", "sec-label", "sources", "source-cite", "source-list"}
    if a.count >= 100 and not need <= features:
        print("property: the generator made none of: %s" % " ".join(sorted(need - features)))
        failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
