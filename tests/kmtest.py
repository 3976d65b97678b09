"""What the end-to-end test files share: where kumihan and the checkers
are (CTest sets KM_BIN and KUMIHAN_DATA), running the command, and
EPUBCheck."""
import os
import re
import subprocess

BIN = os.environ.get("KM_BIN", "build/kumihan")
ROOT = os.environ.get("KUMIHAN_DATA", ".")
REPORT = os.path.join(ROOT, "content", "waic2025.md")
JPCHECK = os.path.join(ROOT, "..", "shared", "tools", "jpcheck.py")
EPUBCHECK = "/usr/share/java/epubcheck.jar"


def run(*args, **kw):
    """kumihan with these arguments: its exit status, stdout and stderr."""
    return subprocess.run([BIN, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, **kw)


def flat(s):
    """Text without its white space (pdftotext's line breaks and the
    spaces it reads into Japanese-Western spacing)."""
    return re.sub(r"\s+", "", s)


def epubcheck(path):
    """EPUBCheck's report on an EPUB (stdout and stderr together)."""
    return subprocess.run(["java", "-jar", EPUBCHECK, path], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True).stdout


def report_urls():
    """Every URL of the report's notes and references as it is printed: a
    bare <URL>, or the text of [URL](<encoded URL>)."""
    with open(REPORT, encoding="utf-8") as f:
        src = f.read()
    return (re.findall(r"(?<!\()<(https?://[^>\s]+)>", src) +
            re.findall(r"\[(https?://[^\]]+)\]\(", src))


def report_paragraphs():
    """The report's body paragraphs (not headings, lists, notes or
    references), note labels and white space taken out."""
    with open(REPORT, encoding="utf-8") as f:
        body = f.read().split("\n---\n", 1)[1]
    return [re.sub(r"\s+", "", re.sub(r"\[\^\d+\]", "", p))
            for p in body.split("\n\n") if p and p[0] not in "#-[0123456789"]


def raw_text(pdf, *crop):
    """pdftotext -raw of a PDF (content-stream order), with its options
    before the file (a crop: -x -y -W -H)."""
    return subprocess.run(["pdftotext", "-raw", *crop, pdf, "-"],
                          stdout=subprocess.PIPE, text=True).stdout
