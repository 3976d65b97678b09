#include "pdf/subset.h"

#include <cairo-ft.h>
#include <hb-subset.h>
#include <hb.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

typedef struct face_subset {
    hb_face_t *face;            /* Pango's face (not owned) */
    char *file;                 /* its font file, or NULL */
    hb_set_t *glyphs;           /* the ids the layout draws */
    hb_blob_t *blob;            /* the cut face, until it is opened */
    hb_map_t *map;              /* old id -> subset id; NULL when the face
                                   is drawn as it is */
    cairo_font_face_t *cf;      /* the subset, for Cairo */
} face_subset;

typedef struct font_entry {
    PangoFont *font;
    size_t face;                /* index into faces */
    cairo_scaled_font_t *sf;    /* made on first use */
    cairo_scaled_font_t *up;    /* sf turned a quarter back (upright
                                   glyphs on a turned page), or NULL */
    FcPattern *pat;             /* pdf_fontset_page: the font, to open */
} font_entry;

struct pdf_fontset {
    face_subset *faces;
    size_t nfaces, cap_faces;
    font_entry *fonts;
    size_t nfonts, cap_fonts;
};

/* What an FT_Face made from memory needs alive: the bytes it reads. */
typedef struct ft_hold {
    FT_Face ft;
    hb_blob_t *blob;
} ft_hold;

static const cairo_user_data_key_t hold_key;

static void hold_free(void *p)
{
    ft_hold *h = p;
    FT_Done_Face(h->ft);
    hb_blob_destroy(h->blob);
    free(h);
}

/* One FreeType library for the process: Cairo may keep a font face (and
 * so its FT_Face) in its caches after the surface is gone. */
static FT_Library ft_library(void)
{
    static FT_Library lib;
    static bool tried;
    if (!tried) {
        tried = true;
        if (FT_Init_FreeType(&lib) != 0)
            lib = NULL;
    }
    return lib;
}

static font_entry *find_font(const pdf_fontset *fs, PangoFont *font)
{
    for (size_t i = 0; i < fs->nfonts; i++)
        if (fs->fonts[i].font == font)
            return &fs->fonts[i];
    return NULL;
}

static font_entry *add_font(pdf_fontset *fs, PangoFont *font)
{
    font_entry *e = find_font(fs, font);
    if (e)
        return e;
    hb_font_t *hf = pango_font_get_hb_font(font);
    hb_face_t *face = hf ? hb_font_get_face(hf) : NULL;
    size_t k = 0;
    while (k < fs->nfaces && fs->faces[k].face != face)
        k++;
    if (k == fs->nfaces) {
        xgrow((void **)&fs->faces, &fs->cap_faces, fs->nfaces + 1,
              sizeof *fs->faces);
        FcChar8 *file = NULL;
        if (face && PANGO_IS_FC_FONT(font) &&
            FcPatternGetString(pango_fc_font_get_pattern(PANGO_FC_FONT(font)),
                               FC_FILE, 0, &file) != FcResultMatch)
            file = NULL;
        fs->faces[fs->nfaces++] = (face_subset){
            .face = face, .file = file ? xstrdup((const char *)file) : NULL,
            .glyphs = hb_set_create()};
    }
    xgrow((void **)&fs->fonts, &fs->cap_fonts, fs->nfonts + 1,
          sizeof *fs->fonts);
    fs->fonts[fs->nfonts] = (font_entry){.font = font, .face = k};
    return &fs->fonts[fs->nfonts++];
}

static void collect(pdf_fontset *fs, const lay_line *ln, bool resolve)
{
    const shaped *sh = ln->sh;
    for (size_t g = sh->cell_glyph[ln->start]; g < sh->cell_glyph[ln->end]; g++) {
        const shape_glyph *sg = &sh->glyphs[g];
        font_entry *e = add_font(fs, sh->fonts[sg->font]);
        /* unknown glyphs (and PANGO_GLYPH_EMPTY) are never drawn */
        if (!(sg->id & PANGO_GLYPH_UNKNOWN_FLAG))
            hb_set_add(fs->faces[e->face].glyphs, sg->id);
        if (resolve && !e->pat && PANGO_IS_FC_FONT(e->font)) {
            e->pat = pango_fc_font_get_pattern(PANGO_FC_FONT(e->font));
            FcPatternReference(e->pat);
        }
    }
    if (ln->hyphen && ln->end > ln->start) { /* the added hyphen's glyph */
        int font = sh->glyphs[sh->cell_glyph[ln->end - 1]].font;
        font_entry *e = add_font(fs, sh->fonts[font]);
        hb_set_add(fs->faces[e->face].glyphs, sh->hyphen_gid[font]);
    }
}

/* The same font file as Pango read: as long, and the same 'head' table
 * (its revision, checksum and dates), which a newer version of the font
 * changes though its glyph count and em do not. */
static bool same_font(hb_face_t *a, hb_face_t *b)
{
    hb_blob_t *fa = hb_face_reference_blob(a), *fb = hb_face_reference_blob(b);
    hb_blob_t *ha = hb_face_reference_table(a, HB_TAG('h', 'e', 'a', 'd'));
    hb_blob_t *hb = hb_face_reference_table(b, HB_TAG('h', 'e', 'a', 'd'));
    unsigned la = 0, lb = 0;
    const char *da = hb_blob_get_data(ha, &la), *db = hb_blob_get_data(hb, &lb);
    bool same = hb_blob_get_length(fa) == hb_blob_get_length(fb) && la > 0 &&
                la == lb && memcmp(da, db, la) == 0;
    hb_blob_destroy(fa);
    hb_blob_destroy(fb);
    hb_blob_destroy(ha);
    hb_blob_destroy(hb);
    return same;
}

/* The face to cut: Pango's, read again from its file. Cutting reads the
 * charstrings of every glyph drawn, pages all over a CJK font (26 MB of
 * the report's three faces' 65 MB): a mapping of its own is let go with
 * them, where Pango's would hold them to the end of the run. */
static hb_face_t *face_to_cut(const face_subset *f)
{
    hb_blob_t *blob = f->file ? hb_blob_create_from_file_or_fail(f->file) : NULL;
    hb_face_t *own = blob ? hb_face_create(blob, hb_face_get_index(f->face)) : NULL;
    hb_blob_destroy(blob);
    if (own && same_font(own, f->face))
        return own;
    hb_face_destroy(own); /* changed on disk: Pango's, as it read it */
    return hb_face_reference(f->face);
}

/* Cuts the face down to its glyphs. Layout tables go (Cairo draws glyph
 * ids it is given; keeping GSUB would also pull in every glyph a
 * substitution can reach), and charstrings are desubroutinized: HarfBuzz
 * does that in about half the time it takes to subset subroutines, and
 * Cairo subsets the result again anyway. HarfBuzz alone: faces are cut in
 * two threads (subset_all). (Pango 1.50 makes its hb_face from the font
 * file's bytes, not through FreeType, whose library is not thread-safe;
 * were that to change, this would call FreeType from a second thread.) */
static void subset_cut(face_subset *f)
{
    if (!f->face || hb_set_is_empty(f->glyphs))
        return;
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in)
        return;
    hb_set_union(hb_subset_input_set(in, HB_SUBSET_SETS_GLYPH_INDEX),
                 f->glyphs);
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    static const char tags[][5] = {"GSUB", "GPOS", "GDEF", "BASE", "JSTF",
                                   "vhea", "vmtx", "VORG"};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        hb_set_add(drop, hb_tag_from_string(tags[i], 4));
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_DESUBROUTINIZE);
    hb_face_t *face = face_to_cut(f);
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(face, in);
    hb_subset_input_destroy(in);
    if (plan) {
        hb_face_t *sub = hb_subset_plan_execute_or_fail(plan);
        f->blob = sub ? hb_face_reference_blob(sub) : NULL;
        hb_face_destroy(sub);
        f->map = hb_map_copy(hb_subset_plan_old_to_new_glyph_mapping(plan));
        hb_subset_plan_destroy(plan); /* and with it the face */
    }
    hb_face_destroy(face);
}

/* The cut face opened for Cairo (in the thread that owns the FreeType
 * library); a face that could not be cut is drawn as it is. */
static void subset_open(face_subset *f)
{
    FT_Library lib = ft_library();
    hb_blob_t *blob = f->blob;
    f->blob = NULL;
    unsigned len = 0;
    const char *data = blob ? hb_blob_get_data(blob, &len) : NULL;
    FT_Face ft = NULL;
    if (!lib || !data || len == 0 ||
        FT_New_Memory_Face(lib, (const FT_Byte *)data, (FT_Long)len, 0, &ft)) {
        hb_blob_destroy(blob);
        hb_map_destroy(f->map);
        f->map = NULL;
        return;
    }
    cairo_font_face_t *cf = cairo_ft_font_face_create_for_ft_face(
        ft, FT_LOAD_NO_HINTING);
    ft_hold *h = xmalloc(sizeof *h);
    *h = (ft_hold){ft, blob};
    if (cairo_font_face_set_user_data(cf, &hold_key, h, hold_free)) {
        cairo_font_face_destroy(cf);
        hold_free(h);
        hb_map_destroy(f->map);
        f->map = NULL;
        return;
    }
    f->cf = cf;
}

/* The faces taken in turn by this thread and one other */
typedef struct cutter {
    pdf_fontset *fs;
    pthread_mutex_t lock;
    size_t next;
} cutter;

static void *cut_faces(void *arg)
{
    cutter *c = arg;
    for (;;) {
        pthread_mutex_lock(&c->lock);
        size_t k = c->next++;
        pthread_mutex_unlock(&c->lock);
        if (k >= c->fs->nfaces)
            return NULL;
        subset_cut(&c->fs->faces[k]);
    }
}

static void subset_all(pdf_fontset *fs)
{
    cutter c = {.fs = fs};
    pthread_mutex_init(&c.lock, NULL);
    pthread_t other;
    bool two = fs->nfaces > 1 &&
               pthread_create(&other, NULL, cut_faces, &c) == 0;
    cut_faces(&c);
    if (two)
        pthread_join(other, NULL);
    pthread_mutex_destroy(&c.lock);
    for (size_t k = 0; k < fs->nfaces; k++)
        subset_open(&fs->faces[k]);
}

pdf_fontset *pdf_fontset_new(const layout *L)
{
    pdf_fontset *fs = xcalloc(1, sizeof *fs);
    for (size_t p = 0; p < L->npages; p++)
        for (size_t i = 0; i < L->pages[p].nlines; i++)
            collect(fs, &L->pages[p].lines[i], false);
    subset_all(fs);
    return fs;
}

pdf_fontset *pdf_fontset_with(const layout *L, const lay_line *const *extra,
                              size_t n)
{
    pdf_fontset *fs = xcalloc(1, sizeof *fs);
    for (size_t p = 0; p < L->npages; p++)
        for (size_t i = 0; i < L->pages[p].nlines; i++)
            collect(fs, &L->pages[p].lines[i], false);
    for (size_t i = 0; i < n; i++)
        collect(fs, extra[i], false);
    subset_all(fs);
    return fs;
}

pdf_fontset *pdf_fontset_page(const lay_page *pg)
{
    pdf_fontset *fs = xcalloc(1, sizeof *fs);
    for (size_t i = 0; i < pg->nlines; i++)
        collect(fs, &pg->lines[i], true);
    return fs;
}

void pdf_fontset_open(pdf_fontset *fs)
{
    /* as the layout measured them: unhinted, with grey antialiasing */
    cairo_font_options_t *o = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(o, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(o, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(o, CAIRO_ANTIALIAS_GRAY);
    cairo_matrix_t ctm;
    cairo_matrix_init_identity(&ctm);
    for (size_t i = 0; i < fs->nfonts; i++) {
        font_entry *e = &fs->fonts[i];
        double px;
        if (e->sf || !e->pat ||
            FcPatternGetDouble(e->pat, FC_PIXEL_SIZE, 0, &px) != FcResultMatch)
            continue;
        cairo_font_face_t *cf = cairo_ft_font_face_create_for_pattern(e->pat);
        cairo_matrix_t fm;
        cairo_matrix_init_scale(&fm, px, px);
        e->sf = cairo_scaled_font_create(cf, &fm, &ctm, o);
        cairo_font_face_destroy(cf);
    }
    cairo_font_options_destroy(o);
}

void pdf_fontset_free(pdf_fontset *fs)
{
    if (!fs)
        return;
    for (size_t i = 0; i < fs->nfonts; i++) {
        if (fs->fonts[i].sf)
            cairo_scaled_font_destroy(fs->fonts[i].sf);
        if (fs->fonts[i].up)
            cairo_scaled_font_destroy(fs->fonts[i].up);
        if (fs->fonts[i].pat)
            FcPatternDestroy(fs->fonts[i].pat);
    }
    for (size_t k = 0; k < fs->nfaces; k++) {
        face_subset *f = &fs->faces[k];
        hb_set_destroy(f->glyphs);
        free(f->file);
        if (f->cf)
            cairo_font_face_destroy(f->cf);
        hb_map_destroy(f->map);
    }
    free(fs->faces);
    free(fs->fonts);
    free(fs);
}

cairo_scaled_font_t *pdf_fontset_font(pdf_fontset *fs, PangoFont *font)
{
    font_entry *e = find_font(fs, font);
    if (e && e->sf)
        return e->sf;
    cairo_scaled_font_t *orig =
        pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font));
    if (!e || !fs->faces[e->face].cf)
        return orig;
    /* the subset face at the size and options Pango chose */
    cairo_matrix_t fm, ctm;
    cairo_scaled_font_get_font_matrix(orig, &fm);
    cairo_scaled_font_get_ctm(orig, &ctm);
    cairo_font_options_t *o = cairo_font_options_create();
    cairo_scaled_font_get_font_options(orig, o);
    e->sf = cairo_scaled_font_create(fs->faces[e->face].cf, &fm, &ctm, o);
    cairo_font_options_destroy(o);
    return e->sf;
}

cairo_scaled_font_t *pdf_fontset_upright(pdf_fontset *fs, PangoFont *font)
{
    cairo_scaled_font_t *sf = pdf_fontset_font(fs, font);
    font_entry *e = find_font(fs, font);
    if (!e)
        return sf; /* not in the set: drawn as it is */
    if (!e->up) {
        cairo_matrix_t fm, ctm, turn;
        cairo_scaled_font_get_font_matrix(sf, &fm);
        cairo_scaled_font_get_ctm(sf, &ctm);
        cairo_matrix_init_rotate(&turn, -G_PI / 2);
        cairo_matrix_multiply(&fm, &fm, &turn);
        cairo_font_options_t *o = cairo_font_options_create();
        cairo_scaled_font_get_font_options(sf, o);
        e->up = cairo_scaled_font_create(cairo_scaled_font_get_font_face(sf),
                                         &fm, &ctm, o);
        cairo_font_options_destroy(o);
    }
    return e->up;
}

unsigned pdf_fontset_glyph(const pdf_fontset *fs, PangoFont *font,
                           unsigned glyph)
{
    const font_entry *e = find_font(fs, font);
    if (!e || !fs->faces[e->face].map)
        return glyph;
    hb_codepoint_t id = hb_map_get(fs->faces[e->face].map, glyph);
    return id == HB_MAP_VALUE_INVALID ? 0 : id;
}
