#!/usr/bin/env python3
"""The layout is one-directional: no file of src/layout/ calls a function
defined in a file that (directly or through others) calls into it. And
the backends stay apart: no file of src/epub/ includes a header of
layout/, parse/ or pdf/, none of src/pdf/ one of parse/ or epub/, directly
or through the headers it includes (what both need of an edition, and
the page map the EPUB takes from the print layout, are in doc/).

Reads the compiled objects given as arguments (CMake's TARGET_OBJECTS of
kumihan_core), keeps those of src/layout/, and draws an edge A -> B when
A's object uses a symbol that B's defines. Fails on any cycle, naming it,
and on an edge the README's architecture does not allow (the page store
and the paragraph composer call nothing above them)."""
import os
import re
import subprocess
import sys

# files that may call nothing in layout/ but these
LEAVES = {"page": set(), "dump": set(), "galley": set(), "para": {"page"}}


def symbols(obj):
    out = subprocess.run(["nm", "--defined-only", "-g", obj], stdout=subprocess.PIPE,
                         text=True, check=True).stdout
    defined = {l.split()[-1] for l in out.splitlines() if l.strip()}
    out = subprocess.run(["nm", "-u", obj], stdout=subprocess.PIPE, text=True,
                         check=True).stdout
    used = {l.split()[-1] for l in out.splitlines() if l.strip()}
    return defined, used


SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
FORBIDDEN = {"epub": ("layout/", "parse/", "pdf/"), "pdf": ("parse/", "epub/")}


def quoted(path):
    """The headers of src/ a file includes itself."""
    with open(path, encoding="utf-8") as f:
        return [m.group(1) for m in
                (re.match(r'\s*#\s*include\s+"([^"]+)"', l) for l in f) if m]


def includes():
    """Includes across the backends' walls, as "file: header (through
    header...)" lines: each file's own includes and theirs in turn."""
    bad = []
    for module, banned in FORBIDDEN.items():
        folder = os.path.join(SRC, module)
        for name in sorted(os.listdir(folder)):
            seen, todo = set(), [(h, []) for h in quoted(os.path.join(folder, name))]
            while todo:
                h, via = todo.pop()
                if h in seen:
                    continue
                seen.add(h)
                if h.startswith(banned):
                    bad.append("%s/%s: %s%s" % (module, name, h, "".join(
                        " (through %s)" % v for v in via)))
                if os.path.exists(os.path.join(SRC, h)):
                    todo += [(g, via + [h]) for g in quoted(os.path.join(SRC, h))]
    return bad


def main(objs):
    layout = {}
    for o in objs:
        parts = o.replace("\\", "/").split("/")
        if "layout" in parts[:-1] and parts[-2] == "layout":
            layout[parts[-1].split(".")[0]] = symbols(o)
    if len(layout) < 5:
        print("layers: found only %s among the objects" % sorted(layout))
        return 1
    owner = {s: f for f, (d, _) in layout.items() for s in d}
    edges = {f: sorted({owner[s] for s in u if s in owner and owner[s] != f})
             for f, (_, u) in layout.items()}
    bad = 0
    for f, allowed in LEAVES.items():
        extra = set(edges.get(f, [])) - allowed
        if extra:
            print("layers: %s.c calls %s" % (f, ", ".join(sorted(extra))))
            bad += 1
    state = {}

    def visit(f, path):
        state[f] = 1
        for t in edges[f]:
            if state.get(t) == 1:
                print("layers: circle " + " -> ".join(path[path.index(t):] + [t]))
                return False
            if t not in state and not visit(t, path + [t]):
                return False
        state[f] = 2
        return True

    for f in sorted(edges):
        if f not in state and not visit(f, [f]):
            bad += 1
            break
    for b in includes():
        print("layers: includes across a backend's wall: " + b)
        bad += 1
    for f in sorted(edges):
        print("  %-10s -> %s" % (f, " ".join(edges[f]) or "-"))
    print("1 passed, 0 failed" if not bad else "0 passed, 1 failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
