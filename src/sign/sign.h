/* Signing with a firm's certificate (OpenSSL 3's libcrypto, the only
 * module that includes it): the key and certificate read once from a
 * PKCS #12 file, then CMS signatures in the CAdES form PAdES and a
 * detached .p7s use (SHA-256, the ESS signing-certificate-v2 attribute,
 * the signing time given). */
#ifndef KM_SIGN_H
#define KM_SIGN_H
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "util/buf.h"
#include "util/diag.h"

typedef struct signer signer;

/* Reads the key and certificate of `path` (a .p12/.pfx) with `pass` (may
 * be NULL or ""). NULL, with an error at the file, if it cannot be read,
 * the passphrase is wrong, it holds no key and certificate, or the
 * certificate is not valid now (expired, or not yet valid). */
signer *signer_load(const char *path, const char *pass, diag *dg);
void signer_free(signer *s);

/* The DER of a detached CMS SignedData over data[0..n) (CAdES: content
 * type, message digest, signing time `when`, signing-certificate-v2),
 * appended to `der`. False with an error if OpenSSL fails. */
bool signer_sign(const signer *s, const void *data, size_t n, time_t when,
                 buf *der, diag *dg);

/* The signing time: SOURCE_DATE_EPOCH when it is set (reproducible
 * builds), else now. */
time_t signer_time(void);

#endif
