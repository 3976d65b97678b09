#!/usr/bin/env python3
"""Signed copies (README, "Signed copies"): with a test certificate made
here by openssl, `kumihan pdf --sign` signs the report and every client
copy so that pdfsig finds the signature valid and covering the whole
document, openssl cms -verify accepts its bytes, the bytes before the
signed update are exactly the unsigned file's, the file is still PDF/A-1b
and two runs give the same bytes; the EPUB gets a .p7s beside it; a wrong
passphrase, an expired certificate or a missing key writes nothing.

Run by CTest with KM_BIN, KUMIHAN_DATA and SOURCE_DATE_EPOCH, like e2e.py."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

BIN = os.environ.get("KM_BIN", "build/kumihan")
ROOT = os.environ.get("KUMIHAN_DATA", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REPORT = os.path.join(ROOT, "content", "waic2025.md")
PREFLIGHT = os.path.join(ROOT, "..", "shared", "tools", "preflight")
PASS = "test-passphrase"


def run(*args, passphrase=PASS):
    env = dict(os.environ)
    env.pop("KUMIHAN_SIGN_PASS", None)
    if passphrase is not None:
        env["KUMIHAN_SIGN_PASS"] = passphrase
    return subprocess.run([BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=env)


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def signature_parts(pdf):
    """(signed bytes, the CMS's DER) of the file's last signature."""
    with open(pdf, "rb") as f:
        data = f.read()
    a, b, c, d = map(int, re.findall(rb"/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]", data)[-1])
    hexs = data[a + b + 1:c - 1]
    der = bytes.fromhex(hexs.decode())
    # the DER's own length (a SEQUENCE with a long-form length)
    assert der[0] == 0x30 and der[1] & 0x80
    k = der[1] & 0x7F
    n = 2 + k + int.from_bytes(der[2:2 + k], "big")
    return data[a:a + b] + data[c:c + d], der[:n]


class Signed(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = t = tempfile.mkdtemp(prefix="km-sign-")
        openssl("req", "-x509", "-newkey", "rsa:2048", "-keyout", "key.pem", "-out",
                "cert.pem", "-days", "30", "-nodes", "-subj",
                "/CN=kumihan test signer/O=Test Firm", cwd=t)
        openssl("pkcs12", "-export", "-inkey", "key.pem", "-in", "cert.pem", "-out",
                "firm.p12", "-passout", "pass:" + PASS, cwd=t)
        cls.p12 = os.path.join(t, "firm.p12")
        cls.signed = os.path.join(t, "signed.pdf")
        cls.plain = os.path.join(t, "plain.pdf")
        r = run("pdf", "-q", "--sign", cls.p12, REPORT, "-o", cls.signed)
        assert r.returncode == 0, r.stderr
        r = run("pdf", "-q", REPORT, "-o", cls.plain)
        assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def pdfsig(self, pdf):
        return subprocess.run(["pdfsig", pdf], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True).stdout

    def test_pdfsig(self):
        out = self.pdfsig(self.signed)
        self.assertIn("Signature is Valid", out)
        self.assertIn("Total document signed", out)
        self.assertIn("Signature Type: ETSI.CAdES.detached", out)
        self.assertIn("Signing Hash Algorithm: SHA-256", out)

    def test_cms_verify(self):
        data, der = signature_parts(self.signed)
        for name, b in (("data.bin", data), ("sig.der", der)):
            with open(os.path.join(self.tmp, name), "wb") as f:
                f.write(b)
        r = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER",
                            "-in", "sig.der", "-content", "data.bin", "-CAfile", "cert.pem",
                            "-purpose", "any", "-out", os.devnull], cwd=self.tmp,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.assertEqual(r.returncode, 0, r.stdout)
        attrs = subprocess.run(["openssl", "cms", "-cmsout", "-print", "-inform", "DER",
                                "-in", "sig.der"], cwd=self.tmp, stdout=subprocess.PIPE,
                               text=True).stdout
        self.assertIn("id-smime-aa-signingCertificateV2", attrs)  # CAdES

    def test_unsigned_prefix(self):
        n = os.path.getsize(self.plain)
        r = subprocess.run(["cmp", "-n", str(n), self.plain, self.signed])
        self.assertEqual(r.returncode, 0)
        self.assertGreater(os.path.getsize(self.signed), n)

    def test_reproducible(self):
        again = os.path.join(self.tmp, "again.pdf")
        self.assertEqual(run("pdf", "-q", "--sign", self.p12, REPORT, "-o", again).returncode, 0)
        with open(again, "rb") as a, open(self.signed, "rb") as b:
            self.assertEqual(a.read(), b.read())

    @unittest.skipUnless(os.path.exists(PREFLIGHT), "../shared/tools/preflight absent")
    def test_still_pdfa(self):
        r = subprocess.run([PREFLIGHT, self.signed], stdout=subprocess.PIPE, text=True)
        self.assertIn("valid PDF/A-1b", r.stdout)

    def test_editions_signed(self):
        d = os.path.join(self.tmp, "ed")
        r = run("pdf", "-q", "--editions", "--sign", self.p12, REPORT, "-o", d)
        self.assertEqual(r.returncode, 0, r.stderr)
        files = sorted(os.listdir(d))
        self.assertEqual(len(files), 3)
        for f in files:
            out = self.pdfsig(os.path.join(d, f))
            self.assertIn("Signature is Valid", out, f)
            self.assertIn("Total document signed", out, f)

    def test_epub_p7s(self):
        epub = os.path.join(self.tmp, "r.epub")
        r = run("epub", "-q", "--sign", self.p12, REPORT, "-o", epub)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER",
                            "-in", epub + ".p7s", "-content", epub, "-CAfile", "cert.pem",
                            "-purpose", "any", "-out", os.devnull], cwd=self.tmp,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.assertEqual(r.returncode, 0, r.stdout)

    def test_refused_before_writing(self):
        d = os.path.join(self.tmp, "refused")
        os.mkdir(d)
        out = os.path.join(d, "x.pdf")
        r = run("pdf", "--sign", self.p12, REPORT, "-o", out, passphrase="wrong")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("firm.p12: error: the signing key's passphrase is wrong", r.stderr)
        r = run("pdf", "--sign", self.p12, REPORT, "-o", out, passphrase=None)
        self.assertEqual(r.returncode, 1, r.stderr)
        r = run("pdf", "--sign", os.path.join(d, "none.p12"), REPORT, "-o", out)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("cannot read the signing key", r.stderr)
        # an expired certificate, made with openssl ca's own dates
        ca = os.path.join(d, "ca")
        os.mkdir(ca)
        open(os.path.join(ca, "index.txt"), "w").close()
        with open(os.path.join(ca, "serial"), "w") as f:
            f.write("01\n")
        with open(os.path.join(d, "ca.cnf"), "w") as f:
            f.write("[ca]\ndefault_ca=d\n[d]\ndir=./ca\ndatabase=$dir/index.txt\n"
                    "serial=$dir/serial\nnew_certs_dir=$dir\ndefault_md=sha256\n"
                    "policy=p\n[p]\ncommonName=supplied\n")
        openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "k.pem",
                "-out", "r.csr", "-subj", "/CN=old", cwd=d)
        openssl("ca", "-batch", "-selfsign", "-keyfile", "k.pem", "-in", "r.csr", "-out",
                "c.pem", "-startdate", "20200101000000Z", "-enddate", "20210101000000Z",
                "-config", "ca.cnf", cwd=d)
        openssl("pkcs12", "-export", "-inkey", "k.pem", "-in", "c.pem", "-out", "old.p12",
                "-passout", "pass:" + PASS, cwd=d)
        r = run("pdf", "--sign", os.path.join(d, "old.p12"), REPORT, "-o", out)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("the certificate has expired", r.stderr)
        self.assertFalse(os.path.exists(out))
        self.assertEqual(sorted(os.listdir(d)), ["c.pem", "ca", "ca.cnf", "k.pem",
                                                 "old.p12", "r.csr"])


if __name__ == "__main__":
    unittest.main()
