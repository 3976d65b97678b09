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
