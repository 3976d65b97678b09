/* A signed PDF (PAdES): an incremental update after the finished file with
 * an invisible signature field on the first page and its /Sig dictionary
 * (/SubFilter /ETSI.CAdES.detached), the CMS over every byte but its own.
 * The bytes before the update are the unsigned file's. Internal to pdf/. */
#ifndef KM_PDF_SIGN_H
#define KM_PDF_SIGN_H
#include <stdbool.h>

#include "sign/sign.h"
#include "util/buf.h"
#include "util/diag.h"

/* Appends the signed update to the PDF in `pdf`. False with an error if
 * the file cannot be read back or the signature cannot be made. */
bool pdf_sign(buf *pdf, const signer *s, diag *dg);

#endif
