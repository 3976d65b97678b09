/* Patent numbers and court case numbers written in running text, as IP
 * lawyers write them: recognised, checked, and (patents) given the
 * address of the office's public record. Pure: no I/O, no allocation.
 *
 * Patents, with half- or full-width digits, an optional space after the
 * prefix, commas or spaces between digit groups:
 *   特開2023-123456, 特開平10-123456, 特表2019-512345  (公開・公表)
 *       -> J-PlatPat's fixed address, .../c1801/PU/JP-2023-123456/11/ja
 *          (era years as JP-H10-…, JP-S63-…; the number zero-padded)
 *   特願2022-123456 -> .../PU/JP-2022-123456/10/ja, 実願… -> /20/ja
 *   JP 2020-123456 A, JP 7123456 B2 (the Western forms) the same
 *   特許第7123456号, 特許7123456号 -> .../PU/JP-7123456/15/ja
 *   実用新案登録第3244847号 -> .../PU/JP-3244847/25/ja
 *   再表2018/123456 (the JPO's re-publication of a WO) and
 *   WO2022/123456 A1 -> PATENTSCOPE, detail.jsf?docId=WO2022123456
 *   US 11,234,567 B2, US Patent No. 11,234,567, US 2023/0123456 A1
 *   (Espacenet's US2023123456A1), EP 1 234 567 B1, CN 112345678 A ->
 *   Espacenet, patent/search?q=pn%3DUS11234567B2
 *   特公, 実開, 実公 (era years), 無効/不服/異議/訂正 (trials), 意匠登録第…号,
 *   商標登録第…号: checked and kept whole; no address is made from
 *   their numbers alone, so they are not linked
 * Court cases: a case number, era year, symbol and number,
 *   令和5年(ネ)第10023号, 平成30年（行ケ）第10001号,
 * checked and kept on one line (the court and date before it are the
 * writer's text). */
#ifndef KM_CITE_H
#define KM_CITE_H
#include <stdbool.h>
#include <stddef.h>

typedef enum cite_kind {
    CITE_PATENT = 1, /* a patent document with a public address (url) */
    CITE_CASE,       /* a court's case number */
    CITE_DOC,        /* a document number whose record has no address
                        made from the number alone (特公, 実開, 無効, 意匠
                        登録第…号): checked and kept whole, not linked */
} cite_kind;

typedef struct cite {
    cite_kind kind;
    size_t len;          /* bytes of the text it covers, from i */
    char url[128];       /* PATENT: the public record; "" if malformed */
    char problem[160];   /* what is wrong with it, or "" */
} cite;

/* A patent number or case number starting at s[i] (s[0..n)), judged
 * against `year` (this year: numbers from the future are wrong). True
 * with *out filled when one starts there, well formed or not (then
 * out->problem says why, and there is no url). */
bool cite_at(const char *s, size_t n, size_t i, int year, cite *out);

/* Does s[0..n) end with an office's name (米国, 韓国, ドイツ…)? */
bool cite_names_office(const char *s, size_t n);

/* What the text before a number says when an office's name was struck
 * out just before it: an office with no address (the number is left
 * unlinked). U+FDD1, a noncharacter no text holds. */
#define CITE_STRUCK_OFFICE "\xef\xb7\x91"

/* The same, with pre[0..npre) the text just before s in the same
 * paragraph, from another run (the 米国 of **米国**特許第…号): an office
 * named there is the office of what follows. */
bool cite_after(const char *pre, size_t npre, const char *s, size_t n,
                size_t i, int year, cite *out);

#endif
