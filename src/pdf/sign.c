/* The signed update (see sign.h). qpdf reads the finished file back for
 * the catalog and the first page as they are; the update itself is
 * written here, as PDF 7.5.6 lays an incremental update out, so that the
 * bytes before it stay exactly as they were. */
#include "pdf/sign.h"

#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/xalloc.h"

/* Room for the CMS: a signature and a certificate chain of a few
 * certificates fit in 8 KiB several times over. */
enum { SIG_BYTES = 16384 };

/* A dictionary's text with `key` set to `value` (its old value dropped),
 * every other entry as it is (indirect objects as references). */
static void dict_with(qpdf_data q, qpdf_oh d, const char *key,
                      const char *value, buf *out)
{
    buf_puts(out, "<<");
    qpdf_oh keys = qpdf_oh_new_array(q);
    qpdf_oh_begin_dict_key_iter(q, d);
    while (qpdf_oh_dict_more_keys(q))
        qpdf_oh_append_item(q, keys, qpdf_oh_new_name(q, qpdf_oh_dict_next_key(q)));
    for (int i = 0; i < qpdf_oh_get_array_n_items(q, keys); i++) {
        /* qpdf's C API returns strings valid until its next call */
        char *k = xstrdup(qpdf_oh_get_name(q, qpdf_oh_get_array_item(q, keys, i)));
        if (strcmp(k, key) != 0)
            buf_printf(out, " %s %s", k, qpdf_oh_unparse(q, qpdf_oh_get_key(q, d, k)));
        free(k);
    }
    buf_printf(out, " %s %s >>", key, value);
}

/* The first page's /Annots with the field added. */
static void annots_with(qpdf_data q, qpdf_oh page, int field, buf *out)
{
    qpdf_oh a = qpdf_oh_get_key(q, page, "/Annots");
    buf_puts(out, "[");
    for (int i = 0; qpdf_oh_is_array(q, a) && i < qpdf_oh_get_array_n_items(q, a); i++)
        buf_printf(out, " %s", qpdf_oh_unparse(q, qpdf_oh_get_array_item(q, a, i)));
    buf_printf(out, " %d 0 R ]", field);
}

/* Where the file's last cross-reference section starts (its startxref). */
static long last_xref(const buf *pdf)
{
    const char *s = pdf->data;
    for (size_t i = pdf->len >= 9 ? pdf->len - 9 : 0; i-- > 0;)
        if (memcmp(s + i, "startxref", 9) == 0)
            return strtol(s + i + 9, NULL, 10);
    return -1;
}

typedef struct update {
    int root, page, info, size;
    long prev;
    char *id;          /* the trailer's /ID as written */
    buf catalog, page_dict;
} update;

/* What the update needs of the finished file, read back with qpdf. */
static bool read_back(const buf *pdf, update *u, diag *dg)
{
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    bool ok = !(qpdf_read_memory(q, "kumihan.pdf", pdf->data, pdf->len, NULL) &
                QPDF_ERRORS) && qpdf_get_num_pages(q) > 0;
    if (ok) {
        qpdf_oh trailer = qpdf_get_trailer(q);
        qpdf_oh root = qpdf_get_root(q);
        qpdf_oh page = qpdf_get_page_n(q, 0);
        u->root = qpdf_oh_get_object_id(q, root);
        u->page = qpdf_oh_get_object_id(q, page);
        u->info = qpdf_oh_get_object_id(q, qpdf_oh_get_key(q, trailer, "/Info"));
        u->size = qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, trailer, "/Size"));
        u->id = xstrdup(qpdf_oh_unparse(q, qpdf_oh_get_key(q, trailer, "/ID")));
        int sig = u->size, field = u->size + 1;
        char acro[96];
        snprintf(acro, sizeof acro, "<< /Fields [ %d 0 R ] /SigFlags 3 >>", field);
        dict_with(q, root, "/AcroForm", acro, &u->catalog);
        buf annots = {0};
        annots_with(q, page, field, &annots);
        dict_with(q, page, "/Annots", buf_str(&annots), &u->page_dict);
        buf_free(&annots);
        (void)sig;
        ok = u->root > 0 && u->page > 0 && u->size > 0 && !qpdf_has_error(q) &&
             qpdf_oh_is_indirect(q, page) &&
             !qpdf_oh_is_indirect(q, qpdf_oh_get_key(q, page, "/Annots"));
    }
    if (!ok)
        diag_error(dg, (diag_loc){0}, "internal: cannot read the PDF back "
                   "to sign it");
    qpdf_cleanup(&q);
    return ok;
}

/* The first `needle` in h[0..n), or NULL (the PDF holds NUL bytes). */
static char *find(char *h, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(h + i, needle, k) == 0)
            return h + i;
    return NULL;
}

static void object(buf *b, long *at, int id, const char *body)
{
    *at = (long)b->len;
    buf_printf(b, "%d 0 obj\n%s\nendobj\n", id, body);
}

bool pdf_sign(buf *pdf, const signer *s, diag *dg)
{
    update u = {.prev = last_xref(pdf)};
    if (u.prev < 0 || !read_back(pdf, &u, dg)) {
        if (u.prev < 0)
            diag_error(dg, (diag_loc){0}, "internal: no startxref to sign after");
        free(u.id);
        buf_free(&u.catalog);
        buf_free(&u.page_dict);
        return false;
    }
    time_t when = signer_time();
    struct tm tm;
    gmtime_r(&when, &tm);
    char date[32];
    strftime(date, sizeof date, "D:%Y%m%d%H%M%SZ", &tm);
    int sig = u.size, field = u.size + 1;
    size_t base = pdf->len;
    if (base > 0 && pdf->data[base - 1] != '\n')
        buf_putc(pdf, '\n');
    long off[5];
    /* the signature dictionary: its /ByteRange and /Contents filled in
     * below, in place, at their fixed widths */
    buf body = {0};
    buf_printf(&body, "<< /Type /Sig /Filter /Adobe.PPKLite "
                      "/SubFilter /ETSI.CAdES.detached /M (%s)\n"
                      "/ByteRange [0 0000000000 0000000000 0000000000]\n"
                      "/Contents <", date);
    for (int i = 0; i < SIG_BYTES; i++)
        buf_puts(&body, "00");
    buf_puts(&body, "> >>");
    object(pdf, &off[0], sig, buf_str(&body));
    buf_free(&body);
    char widget[256];
    int look = u.size + 2;
    snprintf(widget, sizeof widget,
             "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) "
             "/V %d 0 R /Rect [0 0 0 0] /F 132 /P %d 0 R /AP << /N %d 0 R >> >>",
             sig, u.page, look);
    object(pdf, &off[1], field, widget);
    /* an invisible field still has an appearance (PDF/A-1 6.5.3): empty */
    object(pdf, &off[4], look, "<< /Type /XObject /Subtype /Form /BBox [0 0 0 0] "
                               "/Length 0 >>\nstream\n\nendstream");
    object(pdf, &off[2], u.root, buf_str(&u.catalog));
    object(pdf, &off[3], u.page, buf_str(&u.page_dict));
    long xref = (long)pdf->len;
    const int ids[5] = {sig, field, u.root, u.page, look};
    buf_puts(pdf, "xref\n0 1\n0000000000 65535 f \n");
    /* ascending object numbers, a subsection each */
    int order[5] = {0, 1, 2, 3, 4};
    for (int i = 0; i < 5; i++)
        for (int j = i + 1; j < 5; j++)
            if (ids[order[j]] < ids[order[i]]) {
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
    for (int i = 0; i < 5; i++)
        buf_printf(pdf, "%d 1\n%010ld 00000 n \n", ids[order[i]], off[order[i]]);
    buf_printf(pdf, "trailer\n<< /Size %d /Root %d 0 R", u.size + 3, u.root);
    if (u.info > 0)
        buf_printf(pdf, " /Info %d 0 R", u.info);
    if (u.id && u.id[0] == '[')
        buf_printf(pdf, " /ID %s", u.id);
    buf_printf(pdf, " /Prev %ld >>\nstartxref\n%ld\n%%%%EOF\n", u.prev, xref);
    free(u.id);
    buf_free(&u.catalog);
    buf_free(&u.page_dict);

    /* the byte range: all but the hex string <...> itself */
    char *d = pdf->data;
    size_t rest = pdf->len - (size_t)off[0];
    char *open = find(d + off[0], rest, "/Contents <") + 10;
    size_t a = (size_t)(open - d), b = a + 2 + 2 * SIG_BYTES;
    char range[64];
    snprintf(range, sizeof range, "%010zu %010zu %010zu", a, b, pdf->len - b);
    memcpy(find(d + off[0], rest, "/ByteRange [0 ") + 14, range, 32);
    buf signed_bytes = {0};
    buf_put(&signed_bytes, d, a);
    buf_put(&signed_bytes, d + b, pdf->len - b);
    buf der = {0};
    bool ok = signer_sign(s, signed_bytes.data, signed_bytes.len, when, &der, dg);
    buf_free(&signed_bytes);
    if (ok && der.len > SIG_BYTES) {
        diag_error(dg, (diag_loc){0}, "the signature (%zu bytes, with its "
                   "certificates) is larger than the %d bytes kept for it",
                   der.len, SIG_BYTES);
        ok = false;
    }
    for (size_t i = 0; ok && i < der.len; i++) {
        static const char hex[] = "0123456789ABCDEF";
        pdf->data[a + 1 + 2 * i] = hex[(unsigned char)der.data[i] >> 4];
        pdf->data[a + 1 + 2 * i + 1] = hex[(unsigned char)der.data[i] & 15];
    }
    buf_free(&der);
    return ok;
}
