/* Signing with libcrypto (see sign.h). */
#include "sign/sign.h"

#include <errno.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct signer {
    EVP_PKEY *key;
    X509 *cert;
    STACK_OF(X509) *chain; /* the certificates that came with it, or NULL */
};

/* OpenSSL's last error, for a message; "" when it gave none. */
static const char *ssl_reason(void)
{
    unsigned long e = ERR_peek_last_error();
    const char *r = e ? ERR_reason_error_string(e) : NULL;
    return r ? r : "";
}

time_t signer_time(void)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long t = strtoll(sde, &end, 10);
        if (!*end && t >= 0)
            return (time_t)t;
    }
    return time(NULL);
}

signer *signer_load(const char *path, const char *pass, diag *dg)
{
    diag_loc at = {path, 0, 0};
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        diag_io_error(dg, at, "cannot read the signing key: %s",
                      strerror(errno));
        return NULL;
    }
    PKCS12 *p12 = d2i_PKCS12_fp(fp, NULL);
    fclose(fp);
    if (!p12) {
        diag_error(dg, at, "not a PKCS #12 file (.p12, .pfx) with a key and "
                   "a certificate");
        ERR_clear_error();
        return NULL;
    }
    signer *s = xcalloc(1, sizeof *s);
    if (!PKCS12_verify_mac(p12, pass ? pass : "", -1) &&
        !(pass && !*pass && PKCS12_verify_mac(p12, NULL, 0))) {
        diag_error(dg, at, "the signing key's passphrase is wrong (it is read "
                   "from KUMIHAN_SIGN_PASS)");
        goto fail;
    }
    if (!PKCS12_parse(p12, pass ? pass : "", &s->key, &s->cert, &s->chain)) {
        diag_error(dg, at, "cannot open the signing key: %s", ssl_reason());
        goto fail;
    }
    if (!s->key || !s->cert) {
        diag_error(dg, at, "the file holds no %s", !s->key ? "private key"
                                                           : "certificate");
        goto fail;
    }
    if (X509_check_private_key(s->cert, s->key) != 1) {
        diag_error(dg, at, "the key is not the certificate's");
        goto fail;
    }
    time_t now = time(NULL);
    if (X509_cmp_time(X509_get0_notAfter(s->cert), &now) < 0) {
        diag_error(dg, at, "the certificate has expired: a signature made "
                   "with it would not be valid");
        goto fail;
    }
    if (X509_cmp_time(X509_get0_notBefore(s->cert), &now) > 0) {
        diag_error(dg, at, "the certificate is not valid yet");
        goto fail;
    }
    PKCS12_free(p12);
    return s;
fail:
    PKCS12_free(p12);
    signer_free(s);
    ERR_clear_error();
    return NULL;
}

void signer_free(signer *s)
{
    if (!s)
        return;
    EVP_PKEY_free(s->key);
    X509_free(s->cert);
    sk_X509_pop_free(s->chain, X509_free);
    free(s);
}

/* ESS signing-certificate-v2 (RFC 5035): binds the signature to its
 * certificate by the certificate's SHA-256; what CAdES asks for. */
static bool add_signing_cert(CMS_SignerInfo *si, X509 *cert)
{
    ESS_SIGNING_CERT_V2 *sc = OSSL_ESS_signing_cert_v2_new_init(EVP_sha256(),
                                                                cert, NULL, 0);
    if (!sc)
        return false;
    unsigned char *der = NULL;
    int n = i2d_ESS_SIGNING_CERT_V2(sc, &der);
    ESS_SIGNING_CERT_V2_free(sc);
    bool ok = n > 0 && CMS_signed_add1_attr_by_NID(
                           si, NID_id_smime_aa_signingCertificateV2,
                           V_ASN1_SEQUENCE, der, n);
    OPENSSL_free(der);
    return ok;
}

bool signer_sign(const signer *s, const void *data, size_t n, time_t when,
                 buf *der, diag *dg)
{
    const int flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
    bool ok = false;
    BIO *in = BIO_new_mem_buf(data, (int)n);
    CMS_ContentInfo *cms = CMS_sign(NULL, NULL, s->chain, NULL, flags);
    CMS_SignerInfo *si = cms ? CMS_add1_signer(cms, s->cert, s->key,
                                               EVP_sha256(), flags)
                             : NULL;
    ASN1_TIME *t = ASN1_TIME_set(NULL, when);
    if (!in || !si || !t || !add_signing_cert(si, s->cert) ||
        !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, t->type, t, -1) ||
        !CMS_final(cms, in, NULL, flags))
        goto out;
    unsigned char *out = NULL;
    int len = i2d_CMS_ContentInfo(cms, &out);
    if (len > 0) {
        buf_put(der, out, (size_t)len);
        ok = true;
    }
    OPENSSL_free(out);
out:
    if (!ok)
        diag_error(dg, (diag_loc){0}, "cannot sign: %s", ssl_reason());
    ASN1_TIME_free(t);
    CMS_ContentInfo_free(cms);
    BIO_free(in);
    ERR_clear_error();
    return ok;
}
