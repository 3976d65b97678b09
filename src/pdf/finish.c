/* The PDF's finishing with qpdf (see finish.h). */
#include "pdf/finish.h"

#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "util/xalloc.h"

extern const unsigned char km_srgb_icc[]; /* sRGB, built from Debian's */
extern const unsigned long km_srgb_icc_len; /* icc-profiles-free */

void pdf_tags_free(pdf_tags *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].alt);
        free(t->v[i].contents);
    }
    free(t->v);
    *t = (pdf_tags){0};
}

/* A structure element by object number (qpdf's C API keeps every handle
 * it gives out until released: numbers let each phase release its own). */
typedef struct elem {
    int id, parent;
} elem;

typedef struct fin {
    qpdf_data q;
    const pdf_finish_opts *o;
    diag *dg;
    elem *el;
    size_t nel, cap_el;
    /* artifacts: (page object, MCID, kind), to rewrite in the content */
    struct art {
        int page;
        long mcid;
        pdf_artifact kind;
    } *art;
    size_t nart, cap_art;
} fin;

static bool is_elem(qpdf_data q, qpdf_oh o)
{
    return qpdf_oh_is_dictionary(q, o) && qpdf_oh_has_key(q, o, "/S") &&
           !qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, o, "/Type"), "/MCR") &&
           !qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, o, "/Type"), "/OBJR");
}

/* The structure elements in pre-order (the order Cairo began them), with
 * an explicit stack of (element, next kid) by object number, so that the
 * handles can be let go as the walk goes. */
static qpdf_oh kids_of(qpdf_data q, qpdf_oh e)
{
    return qpdf_oh_wrap_in_array(q, qpdf_oh_get_key(q, e, "/K"));
}

static void collect(fin *f, qpdf_oh root)
{
    qpdf_data q = f->q;
    struct frame {
        int id;       /* the element (0: the tree root) */
        int next, n;  /* its next kid to visit, of n */
        qpdf_oh kids; /* its /K (renewed after the handles are let go) */
    } *st = NULL;
    size_t depth = 0, cap = 0, steps = 0;
    qpdf_oh k0 = kids_of(q, root);
    XPUSH(st, depth, cap, ((struct frame){0, 0, qpdf_oh_get_array_n_items(q, k0), k0}));
    while (depth > 0) {
        struct frame *top = &st[depth - 1];
        if (top->next >= top->n) {
            depth--;
            continue;
        }
        qpdf_oh c = qpdf_oh_get_array_item(q, top->kids, top->next++);
        if (!is_elem(q, c) || !qpdf_oh_is_indirect(q, c))
            continue;
        int id = qpdf_oh_get_object_id(q, c);
        XPUSH(f->el, f->nel, f->cap_el, ((elem){id, top->id ? top->id : -1}));
        qpdf_oh ck = kids_of(q, c);
        XPUSH(st, depth, cap,
              ((struct frame){id, 0, qpdf_oh_get_array_n_items(q, ck), ck}));
        if (++steps % 512 == 0) {
            qpdf_oh_release_all(q);
            root = qpdf_oh_get_key(q, qpdf_get_root(q), "/StructTreeRoot");
            for (size_t i = 0; i < depth; i++)
                st[i].kids = kids_of(q, st[i].id ? qpdf_get_object_by_id(q, st[i].id, 0)
                                                 : root);
        }
    }
    free(st);
}

static qpdf_oh obj(qpdf_data q, int id)
{
    return qpdf_get_object_by_id(q, id, 0);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Takes the elements numbered in `gone` (sorted) out of parent's /K, in
 * one pass. */
/* Orders pairs of ints (parent, id) */
static int cmp_int2(const void *a, const void *b)
{
    const int *x = a, *y = b;
    return x[0] != y[0] ? (x[0] > y[0]) - (x[0] < y[0]) : (x[1] > y[1]) - (x[1] < y[1]);
}

static void drop_kids(qpdf_data q, int parent, const int *gone, size_t ngone)
{
    qpdf_oh p = obj(q, parent);
    qpdf_oh k = qpdf_oh_wrap_in_array(q, qpdf_oh_get_key(q, p, "/K"));
    qpdf_oh keep = qpdf_oh_new_array(q);
    int n = qpdf_oh_get_array_n_items(q, k);
    for (int i = 0; i < n; i++) {
        qpdf_oh c = qpdf_oh_get_array_item(q, k, i);
        int id = qpdf_oh_get_object_id(q, c);
        if (id == 0 || !bsearch(&id, gone, ngone, sizeof *gone, cmp_int))
            qpdf_oh_append_item(q, keep, c);
    }
    qpdf_oh_replace_key(q, p, "/K", keep);
}

static void adopt(qpdf_data q, int parent, int child)
{
    qpdf_oh p = obj(q, parent), c = obj(q, child);
    qpdf_oh k = qpdf_oh_wrap_in_array(q, qpdf_oh_get_key(q, p, "/K"));
    if (qpdf_oh_get_array_n_items(q, k) > 0 && !qpdf_oh_has_key(q, p, "/Pg") &&
        qpdf_oh_has_key(q, c, "/Pg"))
        qpdf_oh_replace_key(q, p, "/Pg", qpdf_oh_get_key(q, c, "/Pg"));
    qpdf_oh_append_item(q, k, c);
    qpdf_oh_replace_key(q, p, "/K", k);
    qpdf_oh_replace_key(q, c, "/P", p);
}

/* An artifact's marked content: every MCID of its /K, on its page. */
static void note_artifact(fin *f, qpdf_oh e, pdf_artifact kind)
{
    qpdf_data q = f->q;
    int page = qpdf_oh_get_object_id(q, qpdf_oh_get_key(q, e, "/Pg"));
    qpdf_oh k = qpdf_oh_wrap_in_array(q, qpdf_oh_get_key(q, e, "/K"));
    for (int i = 0; i < qpdf_oh_get_array_n_items(q, k); i++) {
        qpdf_oh c = qpdf_oh_get_array_item(q, k, i);
        int pg = page;
        if (qpdf_oh_is_dictionary(q, c)) {
            if (qpdf_oh_has_key(q, c, "/Pg"))
                pg = qpdf_oh_get_object_id(q, qpdf_oh_get_key(q, c, "/Pg"));
            c = qpdf_oh_get_key(q, c, "/MCID");
        }
        if (qpdf_oh_is_integer(q, c))
            XPUSH(f->art, f->nart, f->cap_art,
                  ((struct art){pg, qpdf_oh_get_int_value(q, c), kind}));
    }
}

static bool tree_matches(fin *f)
{
    qpdf_data q = f->q;
    const pdf_tags *t = f->o->tags;
    if (f->nel != t->n) {
        diag_error(f->dg, (diag_loc){0},
                   "internal: the PDF has %zu structure elements, the drawing "
                   "made %zu", f->nel, t->n);
        return false;
    }
    for (size_t i = 0; i < t->n; i++) {
        const char *s = qpdf_oh_get_name(q, qpdf_oh_get_key(q, obj(q, f->el[i].id), "/S"));
        if (!s || strcmp(s + 1, t->v[i].name) != 0) {
            diag_error(f->dg, (diag_loc){0},
                       "internal: structure element %zu is %s, the drawing "
                       "made %s", i, s ? s : "?", t->v[i].name);
            return false;
        }
        if (i % 256 == 255)
            qpdf_oh_release_all(q);
    }
    return true;
}

static void attributes(fin *f, const pdf_tag *g, qpdf_oh e)
{
    qpdf_data q = f->q;
    if (g->alt)
        qpdf_oh_replace_key(q, e, "/Alt", qpdf_oh_new_unicode_string(q, g->alt));
    if (g->lang)
        qpdf_oh_replace_key(q, e, "/Lang", qpdf_oh_new_unicode_string(q, g->lang));
    if (g->column_header)
        qpdf_oh_replace_key(q, e, "/A",
                            qpdf_oh_parse(q, "<< /O /Table /Scope /Column >>"));
    if (g->contents) {
        qpdf_oh k = qpdf_oh_wrap_in_array(q, qpdf_oh_get_key(q, e, "/K"));
        for (int j = 0; j < qpdf_oh_get_array_n_items(q, k); j++) {
            qpdf_oh annot = qpdf_oh_get_key_if_dict(
                q, qpdf_oh_get_array_item(q, k, j), "/Obj");
            if (qpdf_oh_is_dictionary(q, annot))
                qpdf_oh_replace_key(q, annot, "/Contents",
                                    qpdf_oh_new_unicode_string(q, g->contents));
        }
    }
}

/* The elements' attributes, and the moves, as the drawing asked: the
 * artifacts and the moved elements leave their parents (each parent's
 * kids rewritten once), then the moved ones join their new parents. */
static bool apply_tags(fin *f)
{
    qpdf_data q = f->q;
    const pdf_tags *t = f->o->tags;
    if (!tree_matches(f))
        return false;
    struct gone {
        int parent, id;
    } *gone = NULL;
    size_t ngone = 0, cap = 0;
    for (size_t i = 0; i < t->n; i++) {
        const pdf_tag *g = &t->v[i];
        qpdf_oh e = obj(q, f->el[i].id);
        attributes(f, g, e);
        if (g->artifact != ART_NONE)
            note_artifact(f, e, g->artifact);
        if (g->artifact != ART_NONE || (g->into > 0 && (size_t)g->into < t->n))
            XPUSH(gone, ngone, cap, ((struct gone){f->el[i].parent, f->el[i].id}));
        if (i % 256 == 255)
            qpdf_oh_release_all(q);
    }
    /* by parent, then id: each parent's run is a sorted list to drop */
    qsort(gone, ngone, sizeof *gone, cmp_int2);
    int *ids = xmalloc((ngone + 1) * sizeof *ids);
    for (size_t i = 0; i < ngone;) {
        size_t j = i;
        while (j < ngone && gone[j].parent == gone[i].parent) {
            ids[j - i] = gone[j].id;
            j++;
        }
        drop_kids(q, gone[i].parent, ids, j - i);
        qpdf_oh_release_all(q);
        i = j;
    }
    free(ids);
    free(gone);
    for (size_t i = 0; i < t->n; i++) {
        const pdf_tag *g = &t->v[i];
        if (g->artifact == ART_NONE && g->into > 0 && (size_t)g->into < t->n)
            adopt(q, f->el[g->into].id, f->el[i].id);
        if (i % 256 == 255)
            qpdf_oh_release_all(q);
    }
    qpdf_oh_release_all(q);
    return true;
}

static const char *artifact_op(pdf_artifact k)
{
    switch (k) {
    case ART_PAGINATION:
        return "/Artifact << /Type /Pagination >> BDC";
    case ART_WATERMARK:
        return "/Artifact << /Type /Pagination /Subtype /Watermark >> BDC";
    default:
        return "/Artifact BMC";
    }
}

static int cmp_art(const void *a, const void *b)
{
    const struct art *x = a, *y = b;
    if (x->page != y->page)
        return (x->page > y->page) - (x->page < y->page);
    return (x->mcid > y->mcid) - (x->mcid < y->mcid);
}

/* (f->art is sorted by page and MCID once all are noted) */
static const struct art *find_art(const fin *f, int page, long mcid)
{
    struct art key = {page, mcid, ART_NONE};
    return bsearch(&key, f->art, f->nart, sizeof *f->art, cmp_art);
}

/* Rewrites "/Private << /MCID n >> BDC" as an Artifact's marked content
 * in one page's content stream; counts what it rewrote. */
static size_t rewrite_page(fin *f, qpdf_oh page)
{
    qpdf_data q = f->q;
    int id = qpdf_oh_get_object_id(q, page);
    qpdf_oh cs = qpdf_oh_get_key(q, page, "/Contents");
    if (!qpdf_oh_is_stream(q, cs))
        return 0;
    unsigned char *data = NULL;
    size_t len = 0;
    QPDF_BOOL filtered = QPDF_FALSE;

    if (qpdf_oh_get_stream_data(q, cs, qpdf_dl_generalized, &filtered, &data,
                                &len) & QPDF_ERRORS || !filtered) {
        free(data);
        return 0;
    }
    static const char head[] = "/" PDF_ARTIFACT_TAG " << /MCID ";
    const size_t hl = sizeof head - 1;
    buf out = {0};
    size_t done = 0, from = 0;
    for (size_t i = 0; i + hl < len;) {
        if (memcmp(data + i, head, hl) != 0) {
            i++;
            continue;
        }
        char *end;
        long mcid = strtol((const char *)data + i + hl, &end, 10);
        static const char tail[] = " >> BDC";
        const struct art *a = find_art(f, id, mcid);
        size_t at = (size_t)((unsigned char *)end - data);
        if (!a || at + sizeof tail - 1 > len ||
            memcmp(end, tail, sizeof tail - 1) != 0) {
            i++;
            continue;
        }
        buf_put(&out, data + from, i - from);
        buf_puts(&out, artifact_op(a->kind));
        i = from = at + sizeof tail - 1;
        done++;
    }
    if (done > 0) {
        buf_put(&out, data + from, len - from);
        qpdf_oh_replace_stream_data(q, cs, (const unsigned char *)out.data,
                                    out.len, qpdf_oh_new_null(q),
                                    qpdf_oh_new_null(q));
    }
    buf_free(&out);
    free(data);
    return done;
}

/* The parent tree's entries for the artifacts' MCIDs: null. `where[k]`
 * is the index in `nums` of the value for StructParents k, or -1. */
static void unparent(fin *f, qpdf_oh page, qpdf_oh nums, const int *where,
                     long nwhere)
{
    qpdf_data q = f->q;
    int id = qpdf_oh_get_object_id(q, page);
    qpdf_oh sp = qpdf_oh_get_key(q, page, "/StructParents");
    if (!qpdf_oh_is_integer(q, sp))
        return;
    long long k = qpdf_oh_get_int_value(q, sp);
    if (k < 0 || k >= nwhere || where[k] < 0)
        return;
    qpdf_oh arr = qpdf_oh_get_array_item(q, nums, where[k]);
    if (!qpdf_oh_is_array(q, arr))
        return;
    struct art first = {id, -1, ART_NONE};
    size_t a = 0, hi = f->nart; /* the page's first artifact */
    while (a < hi) {
        size_t mid = (a + hi) / 2;
        if (cmp_art(&f->art[mid], &first) < 0)
            a = mid + 1;
        else
            hi = mid;
    }
    int len = qpdf_oh_get_array_n_items(q, arr);
    for (; a < f->nart && f->art[a].page == id; a++)
        if (f->art[a].mcid < len)
            qpdf_oh_set_array_item(q, arr, (int)f->art[a].mcid,
                                   qpdf_oh_new_null(q));
}

/* Where each StructParents key's value stands in the flat /Nums array
 * (Cairo writes one, no kids). */
static int *nums_index(qpdf_data q, qpdf_oh nums, long *n)
{
    int len = qpdf_oh_is_array(q, nums) ? qpdf_oh_get_array_n_items(q, nums) : 0;
    long max = -1;
    for (int i = 0; i + 1 < len; i += 2) {
        long long k = qpdf_oh_get_int_value(q, qpdf_oh_get_array_item(q, nums, i));
        if (k > max && k < 10000000)
            max = (long)k;
    }
    int *where = xmalloc((size_t)(max + 2) * sizeof *where);
    for (long k = 0; k <= max; k++)
        where[k] = -1;
    for (int i = 0; i + 1 < len; i += 2) {
        long long k = qpdf_oh_get_int_value(q, qpdf_oh_get_array_item(q, nums, i));
        if (k >= 0 && k <= max)
            where[k] = i + 1;
    }
    *n = max + 1;
    return where;
}

static bool artifacts(fin *f)
{
    qpdf_data q = f->q;
    qpdf_oh tree = qpdf_oh_get_key(q, qpdf_get_root(q), "/StructTreeRoot");
    qpdf_oh nums = qpdf_oh_get_key_if_dict(
        q, qpdf_oh_get_key_if_dict(q, tree, "/ParentTree"), "/Nums");
    qsort(f->art, f->nart, sizeof *f->art, cmp_art);
    long nwhere = 0;
    int *where = nums_index(q, nums, &nwhere);
    tree = qpdf_oh_get_key(q, qpdf_get_root(q), "/StructTreeRoot");
    nums = qpdf_oh_get_key_if_dict(
        q, qpdf_oh_get_key_if_dict(q, tree, "/ParentTree"), "/Nums");
    size_t done = 0;
    int npages = qpdf_get_num_pages(q);
    for (int i = 0; i < npages && f->nart > 0; i++) {
        qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
        done += rewrite_page(f, page);
        if (qpdf_oh_is_array(q, nums))
            unparent(f, page, nums, where, nwhere);
        if (i % 16 == 15) {
            qpdf_oh_release_all(q);
            tree = qpdf_oh_get_key(q, qpdf_get_root(q), "/StructTreeRoot");
            nums = qpdf_oh_get_key_if_dict(
                q, qpdf_oh_get_key_if_dict(q, tree, "/ParentTree"), "/Nums");
        }
    }
    free(where);
    if (done != f->nart) {
        diag_error(f->dg, (diag_loc){0},
                   "internal: %zu of the PDF's %zu artifacts found in the "
                   "pages' content", done, f->nart);
        return false;
    }
    return true;
}

/* ---- metadata --------------------------------------------------------- */

static void xml_text(buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '&')
            buf_puts(b, "&amp;");
        else if (c == '<')
            buf_puts(b, "&lt;");
        else if (c == '>')
            buf_puts(b, "&gt;");
        else if (c >= 0x20 || c == '\t' || c == '\n')
            buf_putc(b, (char)c);
    }
}

static void xmp_alt(buf *b, const char *tag, const char *v)
{
    if (!v)
        return;
    buf_printf(b, "   <%s><rdf:Alt><rdf:li xml:lang=\"x-default\">", tag);
    xml_text(b, v);
    buf_printf(b, "</rdf:li></rdf:Alt></%s>\n", tag);
}

static void xmp_plain(buf *b, const char *tag, const char *v)
{
    if (!v)
        return;
    buf_printf(b, "   <%s>", tag);
    xml_text(b, v);
    buf_printf(b, "</%s>\n", tag);
}

#define PRODUCER "kumihan " KM_VERSION " (cairo, qpdf)"

/* The XMP packet (ISO 16684-1), saying what the Info dictionary says. */
static void xmp(buf *b, const pdf_finish_opts *o)
{
    const pdf_meta *m = &o->meta;
    buf_puts(b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    if (o->pdfa)
        buf_puts(b, "  <rdf:Description rdf:about=\"\" "
                    "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
                    "   <pdfaid:part>1</pdfaid:part>\n"
                    "   <pdfaid:conformance>B</pdfaid:conformance>\n"
                    "  </rdf:Description>\n");
    buf_puts(b, "  <rdf:Description rdf:about=\"\" "
                "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
                "   <dc:format>application/pdf</dc:format>\n");
    xmp_alt(b, "dc:title", m->title);
    if (m->author) {
        buf_puts(b, "   <dc:creator><rdf:Seq><rdf:li>");
        xml_text(b, m->author);
        buf_puts(b, "</rdf:li></rdf:Seq></dc:creator>\n");
    }
    xmp_alt(b, "dc:description", m->subject);
    xmp_alt(b, "dc:rights", m->rights);
    if (m->lang) {
        buf_puts(b, "   <dc:language><rdf:Bag><rdf:li>");
        xml_text(b, m->lang);
        buf_puts(b, "</rdf:li></rdf:Bag></dc:language>\n");
    }
    buf_puts(b, "  </rdf:Description>\n"
                "  <rdf:Description rdf:about=\"\" "
                "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
    xmp_plain(b, "xmp:CreatorTool", "kumihan " KM_VERSION);
    xmp_plain(b, "xmp:CreateDate", m->date);
    xmp_plain(b, "xmp:ModifyDate", m->date);
    xmp_plain(b, "xmp:MetadataDate", m->date);
    buf_puts(b, "  </rdf:Description>\n"
                "  <rdf:Description rdf:about=\"\" "
                "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
    xmp_plain(b, "pdf:Producer", PRODUCER);
    xmp_plain(b, "pdf:Keywords", m->keywords);
    buf_puts(b, "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n");
    /* room to edit the packet in place, as XMP writers leave */
    for (int i = 0; i < 20; i++)
        buf_puts(b, "                                                  \n");
    buf_puts(b, "<?xpacket end=\"w\"?>");
}

/* "2025-08-01T00:00:00Z" -> "D:20250801000000Z" (PDF 7.9.4) */
static void pdf_date_string(const char *iso, char *out, size_t n)
{
    char d[15] = {0};
    size_t k = 0;
    for (const char *s = iso; *s && *s != 'Z' && k < 14; s++)
        if (*s >= '0' && *s <= '9')
            d[k++] = *s;
    while (k < 14)
        d[k++] = '0';
    snprintf(out, n, "D:%sZ", d);
}

static void set_text(qpdf_data q, qpdf_oh dict, const char *key, const char *v)
{
    if (v)
        qpdf_oh_replace_key(q, dict, key, qpdf_oh_new_unicode_string(q, v));
    else
        qpdf_oh_remove_key(q, dict, key);
}

static qpdf_oh new_stream(qpdf_data q, const void *data, size_t len)
{
    qpdf_oh s = qpdf_oh_new_stream(q);
    qpdf_oh_replace_stream_data(q, s, data, len, qpdf_oh_new_null(q),
                                qpdf_oh_new_null(q));
    return s;
}

static void metadata(fin *f)
{
    qpdf_data q = f->q;
    const pdf_meta *m = &f->o->meta;
    qpdf_oh trailer = qpdf_get_trailer(q);
    qpdf_oh info = qpdf_oh_get_key(q, trailer, "/Info");
    if (!qpdf_oh_is_dictionary(q, info)) {
        info = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
        qpdf_oh_replace_key(q, trailer, "/Info", info);
    }
    set_text(q, info, "/Title", m->title);
    set_text(q, info, "/Author", m->author);
    set_text(q, info, "/Subject", m->subject);
    set_text(q, info, "/Keywords", m->keywords);
    set_text(q, info, "/Creator", "kumihan " KM_VERSION);
    set_text(q, info, "/Producer", PRODUCER);
    char date[32];
    pdf_date_string(m->date, date, sizeof date);
    qpdf_oh_replace_key(q, info, "/CreationDate", qpdf_oh_new_string(q, date));
    qpdf_oh_replace_key(q, info, "/ModDate", qpdf_oh_new_string(q, date));

    buf x = {0};
    xmp(&x, f->o);
    qpdf_oh s = new_stream(q, x.data, x.len);
    buf_free(&x);
    qpdf_oh d = qpdf_oh_get_dict(q, s);
    qpdf_oh_replace_key(q, d, "/Type", qpdf_oh_new_name(q, "/Metadata"));
    qpdf_oh_replace_key(q, d, "/Subtype", qpdf_oh_new_name(q, "/XML"));
    qpdf_oh root = qpdf_get_root(q);
    qpdf_oh_replace_key(q, root, "/Metadata", s);
    if (m->lang)
        qpdf_oh_replace_key(q, root, "/Lang", qpdf_oh_new_unicode_string(q, m->lang));
    qpdf_oh_replace_key(q, root, "/ViewerPreferences",
                        qpdf_oh_parse(q, f->o->r2l
                                             ? "<< /DisplayDocTitle true /Direction /R2L >>"
                                             : "<< /DisplayDocTitle true >>"));
}

static void output_intent(fin *f)
{
    qpdf_data q = f->q;
    qpdf_oh icc = new_stream(q, km_srgb_icc, km_srgb_icc_len);
    qpdf_oh_replace_key(q, qpdf_oh_get_dict(q, icc), "/N", qpdf_oh_new_integer(q, 3));
    qpdf_oh oi = qpdf_oh_parse(q, "<< /Type /OutputIntent /S /GTS_PDFA1 "
                                  "/OutputConditionIdentifier (sRGB IEC61966-2.1) "
                                  "/Info (sRGB IEC61966-2.1) "
                                  "/RegistryName (http://www.color.org) >>");
    qpdf_oh_replace_key(q, oi, "/DestOutputProfile", icc);
    qpdf_oh arr = qpdf_oh_new_array(q);
    qpdf_oh_append_item(q, arr, oi);
    qpdf_oh_replace_key(q, qpdf_get_root(q), "/OutputIntents", arr);
}

/* ---- pages, resources, fonts ---------------------------------------- */

/* A CIDSet (PDF/A-1 6.3.5): a bit for each CID the subset holds, which
 * are those Cairo gives widths for (/W), and CID 0. */
static void cidset(qpdf_data q, qpdf_oh cidfont)
{
    qpdf_oh fd = qpdf_oh_get_key(q, cidfont, "/FontDescriptor");
    if (!qpdf_oh_is_dictionary(q, fd) || qpdf_oh_has_key(q, fd, "/CIDSet"))
        return;
    qpdf_oh w = qpdf_oh_get_key(q, cidfont, "/W");
    long max = 0;
    unsigned char *bits = xcalloc(1, 1);
    bits[0] = 0x80;
    int n = qpdf_oh_is_array(q, w) ? qpdf_oh_get_array_n_items(q, w) : 0;
    for (int i = 0; i < n;) {
        long c = (long)qpdf_oh_get_int_value(q, qpdf_oh_get_array_item(q, w, i));
        qpdf_oh next = qpdf_oh_get_array_item(q, w, i + 1);
        long first = c, last;
        if (qpdf_oh_is_array(q, next)) {
            last = c + qpdf_oh_get_array_n_items(q, next) - 1;
            i += 2;
        } else {
            last = (long)qpdf_oh_get_int_value(q, next);
            i += 3;
        }
        if (first < 0 || last > 65535 || last < first)
            continue;
        if (last > max) {
            bits = xrealloc(bits, (size_t)last / 8 + 1);
            memset(bits + max / 8 + 1, 0, (size_t)(last / 8 - max / 8));
            max = last;
        }
        for (long cid = first; cid <= last; cid++)
            bits[cid / 8] |= (unsigned char)(0x80 >> (cid % 8));
    }
    qpdf_oh s = new_stream(q, bits, (size_t)max / 8 + 1);
    free(bits);
    qpdf_oh_replace_key(q, fd, "/CIDSet", s);
}

/* A dictionary's values as an array (qpdf's key iterator is one at a
 * time, and the calls made on each value would reset it). */
static qpdf_oh dict_values(qpdf_data q, qpdf_oh d)
{
    qpdf_oh list = qpdf_oh_new_array(q);
    qpdf_oh_begin_dict_key_iter(q, d);
    while (qpdf_oh_dict_more_keys(q))
        qpdf_oh_append_item(q, list, qpdf_oh_get_key(q, d, qpdf_oh_dict_next_key(q)));
    return list;
}

/* PDF/A-1 in one resource dictionary (and the forms it draws): CIDSets,
 * no interpolation, no transparency groups; false if it needs
 * transparency (a soft mask, a constant alpha, a blend mode). */
static bool resources_pdfa(fin *f, qpdf_oh res, int depth)
{
    qpdf_data q = f->q;
    if (!qpdf_oh_is_dictionary(q, res) || depth > 8)
        return true;
    bool ok = true;
    qpdf_oh fonts = qpdf_oh_get_key(q, res, "/Font");
    if (qpdf_oh_is_dictionary(q, fonts)) {
        qpdf_oh list = dict_values(q, fonts);
        for (int i = 0; i < qpdf_oh_get_array_n_items(q, list); i++) {
            qpdf_oh ft = qpdf_oh_get_array_item(q, list, i);
            qpdf_oh desc = qpdf_oh_get_key(q, ft, "/DescendantFonts");
            if (qpdf_oh_is_array(q, desc))
                cidset(q, qpdf_oh_get_array_item(q, desc, 0));
        }
    }
    qpdf_oh gs = qpdf_oh_get_key(q, res, "/ExtGState");
    if (qpdf_oh_is_dictionary(q, gs)) {
        qpdf_oh list = dict_values(q, gs);
        for (int i = 0; i < qpdf_oh_get_array_n_items(q, list); i++) {
            qpdf_oh g = qpdf_oh_get_array_item(q, list, i);
            qpdf_oh sm = qpdf_oh_get_key(q, g, "/SMask");
            qpdf_oh bm = qpdf_oh_get_key(q, g, "/BM");
            if ((qpdf_oh_is_initialized(q, sm) && !qpdf_oh_is_null(q, sm) &&
                 !qpdf_oh_is_name_and_equals(q, sm, "/None")) ||
                (qpdf_oh_is_number(q, qpdf_oh_get_key(q, g, "/CA")) &&
                 qpdf_oh_get_numeric_value(q, qpdf_oh_get_key(q, g, "/CA")) < 1) ||
                (qpdf_oh_is_number(q, qpdf_oh_get_key(q, g, "/ca")) &&
                 qpdf_oh_get_numeric_value(q, qpdf_oh_get_key(q, g, "/ca")) < 1) ||
                (qpdf_oh_is_name(q, bm) && !qpdf_oh_is_name_and_equals(q, bm, "/Normal") &&
                 !qpdf_oh_is_name_and_equals(q, bm, "/Compatible")))
                ok = false;
        }
    }
    qpdf_oh xo = qpdf_oh_get_key(q, res, "/XObject");
    if (qpdf_oh_is_dictionary(q, xo)) {
        qpdf_oh list = dict_values(q, xo);
        for (int i = 0; i < qpdf_oh_get_array_n_items(q, list); i++) {
            qpdf_oh x = qpdf_oh_get_dict(q, qpdf_oh_get_array_item(q, list, i));
            if (qpdf_oh_has_key(q, x, "/SMask"))
                ok = false;
            if (qpdf_oh_has_key(q, x, "/Interpolate"))
                qpdf_oh_replace_key(q, x, "/Interpolate", qpdf_oh_new_bool(q, QPDF_FALSE));
            if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, x, "/Subtype"), "/Form")) {
                qpdf_oh_remove_key(q, x, "/Group");
                ok &= resources_pdfa(f, qpdf_oh_get_key(q, x, "/Resources"), depth + 1);
            }
        }
    }
    return ok;
}

static bool pages(fin *f)
{
    qpdf_data q = f->q;
    bool ok = true;
    int n = qpdf_get_num_pages(q);
    for (int i = 0; i < n; i++) {
        qpdf_oh pg = qpdf_get_page_n(q, (size_t)i);
        qpdf_oh_replace_key(q, pg, "/Tabs", qpdf_oh_new_name(q, "/S"));
        qpdf_oh annots = qpdf_oh_get_key(q, pg, "/Annots");
        for (int a = 0; qpdf_oh_is_array(q, annots) &&
                        a < qpdf_oh_get_array_n_items(q, annots); a++)
            qpdf_oh_replace_key(q, qpdf_oh_get_array_item(q, annots, a), "/F",
                                qpdf_oh_new_integer(q, 4)); /* Print */
        if (!f->o->pdfa)
            continue;
        qpdf_oh_remove_key(q, pg, "/Group");
        ok &= resources_pdfa(f, qpdf_oh_get_key(q, pg, "/Resources"), 0);
        qpdf_oh_release_all(q);
    }
    if (!ok)
        diag_error(f->dg, (diag_loc){0},
                   "the PDF needs transparency, which PDF/A-1b forbids");
    return ok;
}

static bool qpdf_failed(fin *f, const char *what)
{
    if (!qpdf_has_error(f->q))
        return false;
    qpdf_error e = qpdf_get_error(f->q);
    diag_error(f->dg, (diag_loc){0}, "internal: %s: %s", what,
               qpdf_get_error_full_text(f->q, e));
    return true;
}

/* An owner password nobody knows (so the permissions hold): 24 random
 * bytes in hex. */
static bool owner_password(char out[49])
{
    unsigned char r[24];
    size_t got = 0;
    while (got < sizeof r) {
        ssize_t k = getrandom(r + got, sizeof r - got, 0);
        if (k <= 0)
            return false;
        got += (size_t)k;
    }
    for (size_t i = 0; i < sizeof r; i++)
        snprintf(out + 2 * i, 3, "%02x", r[i]);
    return true;
}

bool pdf_finish(buf *pdf, const pdf_finish_opts *o, diag *dg)
{
    fin f = {.q = qpdf_init(), .o = o, .dg = dg};
    qpdf_data q = f.q;
    bool ok = false;
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    if (qpdf_read_memory(q, "kumihan.pdf", pdf->data, pdf->len, NULL) & QPDF_ERRORS) {
        qpdf_failed(&f, "cannot read Cairo's PDF");
        goto out;
    }
    qpdf_oh tree = qpdf_oh_get_key(q, qpdf_get_root(q), "/StructTreeRoot");
    if (o->tags && qpdf_oh_is_dictionary(q, tree)) {
        collect(&f, tree);
        if (!apply_tags(&f))
            goto out;
        if (!artifacts(&f))
            goto out;
    }
    metadata(&f);
    if (o->pdfa)
        output_intent(&f);
    if (!pages(&f))
        goto out;
    if (qpdf_failed(&f, "cannot finish the PDF"))
        goto out;
    qpdf_init_write_memory(q);
    /* the /ID from the content: the same bytes from the same input (qpdf
     * makes an encrypted file's from the clock, as it must) */
    qpdf_set_deterministic_ID(q, o->encrypt ? QPDF_FALSE : QPDF_TRUE);
    qpdf_set_compress_streams(q, QPDF_TRUE);
    /* classic cross-reference tables: PDF/A-1 has no object streams, and
     * a signature's incremental update follows them */
    qpdf_set_object_stream_mode(q, qpdf_o_disable);
    if (o->pdfa)
        qpdf_set_newline_before_endstream(q, QPDF_TRUE);
    if (o->encrypt) {
        char owner[49];
        if (!owner_password(owner)) {
            diag_error(dg, (diag_loc){0}, "cannot encrypt: no random numbers "
                       "for the owner password");
            goto out;
        }
        qpdf_set_r6_encryption_parameters2(
            q, o->password ? o->password : "", owner, QPDF_TRUE /* screen
            readers may read it */, QPDF_FALSE, QPDF_FALSE, QPDF_FALSE,
            QPDF_FALSE, QPDF_FALSE, qpdf_r3p_full, QPDF_TRUE);
        memset(owner, 0, sizeof owner);
    }
    if (qpdf_write(q) & QPDF_ERRORS) {
        qpdf_failed(&f, "cannot write the PDF");
        goto out;
    }
    pdf->len = 0;
    buf_put(pdf, qpdf_get_buffer(q), qpdf_get_buffer_length(q));
    ok = true;
out:
    free(f.el);
    free(f.art);
    qpdf_cleanup(&q);
    return ok;
}
