#define _POSIX_C_SOURCE 200809L
#include "text/fonts.h"

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/atomic.h"
#include "util/buf.h"
#include "util/xalloc.h"

struct fonts {
    FcConfig *config;
    PangoFontMap *map;
    PangoContext *ctx;
    char *cs_family;    /* the family whose charset is cached */
    FcCharSet *cs;      /* its characters (a copy) */
};

const char *fonts_data_dir(void)
{
    const char *env = getenv("KUMIHAN_DATA");
    return env && *env ? env : KM_SOURCE_DIR;
}

static bool noto_cjk(const char *family)
{
    return strstr(family, "Noto") && strstr(family, "CJK");
}

/* The style's families as fontconfig XML: accepted whatever their format
 * (fonts.conf accepts Noto CJK's Japanese faces alone), and the folders
 * font files may be dropped in. */
static char *style_config(const style *st)
{
    buf b = {0};
    buf_puts(&b, "<?xml version=\"1.0\"?>\n<fontconfig>\n");
    const char *data = fonts_data_dir();
    buf_printf(&b, "  <dir%s>%s/fonts</dir>\n",
               data[0] == '/' ? "" : " prefix=\"cwd\"", data);
    if (st && st->font_dir)
        buf_printf(&b, "  <dir%s>%s</dir>\n",
                   st->font_dir[0] == '/' ? "" : " prefix=\"cwd\"", st->font_dir);
    buf_puts(&b, "  <selectfont><acceptfont>\n");
    const char *fams[] = {st ? st->body_font : NULL, st ? st->heading_font : NULL,
                          st ? st->mono_font : NULL, st ? st->italic_font : NULL};
    for (size_t i = 0; i < 4; i++) {
        if (!fams[i] || noto_cjk(fams[i])) /* fonts.conf's: JP alone */
            continue;
        buf_puts(&b, "    <pattern><patelt name=\"family\"><string>");
        for (const char *p = fams[i]; *p; p++)
            if (*p == '&')
                buf_puts(&b, "&amp;");
            else if (*p == '<')
                buf_puts(&b, "&lt;");
            else
                buf_putc(&b, *p);
        buf_puts(&b, "</string></patelt></pattern>\n");
    }
    buf_puts(&b, "  </acceptfont></selectfont>\n</fontconfig>\n");
    return buf_detach(&b);
}

static bool has_family(FcConfig *cfg, const char *family)
{
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, NULL);
    FcFontSet *set = FcFontList(cfg, pat, os);
    bool found = set && set->nfont > 0;
    if (set)
        FcFontSetDestroy(set);
    FcObjectSetDestroy(os);
    FcPatternDestroy(pat);
    return found;
}

/* A family the style names that kumihan's own folders lack: its files
 * from the machine's fonts, and only its (a Debian font package). */
static void from_machine(FcConfig *cfg, FcConfig **sys, const char *family)
{
    /* Noto CJK comes from fonts/fonts.conf, its Japanese faces alone */
    if (!family || noto_cjk(family) || has_family(cfg, family))
        return;
    if (!*sys)
        *sys = FcInitLoadConfigAndFonts();
    if (!*sys)
        return;
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcObjectSet *os = FcObjectSetBuild(FC_FILE, NULL);
    FcFontSet *set = FcFontList(*sys, pat, os);
    for (int i = 0; set && i < set->nfont; i++) {
        FcChar8 *file;
        if (FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) == FcResultMatch)
            FcConfigAppFontAddFile(cfg, file);
    }
    if (set)
        FcFontSetDestroy(set);
    FcObjectSetDestroy(os);
    FcPatternDestroy(pat);
}

fonts *fonts_new(const style *st, diag *dg)
{
    char *conf = xasprintf("%s/fonts/fonts.conf", fonts_data_dir());
    char *mine = style_config(st);
    FcConfig *cfg = FcConfigCreate();
    if (!FcConfigParseAndLoad(cfg, (const FcChar8 *)conf, FcTrue) ||
        !FcConfigParseAndLoadFromMemory(cfg, (const FcChar8 *)mine, FcTrue) ||
        !FcConfigBuildFonts(cfg)) {
        diag_error(dg, (diag_loc){conf, 0, 0},
                   "cannot load the font configuration");
        FcConfigDestroy(cfg);
        free(conf);
        free(mine);
        return NULL;
    }
    free(conf);
    free(mine);
    if (st) {
        FcConfig *sys = NULL;
        const char *fams[] = {st->body_font, st->heading_font, st->mono_font,
                              st->italic_font};
        for (size_t i = 0; i < 4; i++)
            from_machine(cfg, &sys, fams[i]);
        if (sys)
            FcConfigDestroy(sys);
    }
    /* Ours is also fontconfig's current configuration. Otherwise Pango
     * loads the system's (forty-odd XML files and every installed font,
     * 8 ms) in a thread that creating the font map then waits for; and
     * whatever asks fontconfig without a configuration sees ours too. */
    FcConfigSetCurrent(cfg);
    fonts *f = xcalloc(1, sizeof *f);
    f->config = cfg;
    f->map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(f->map), cfg);
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(f->map), 72);
    f->ctx = pango_font_map_create_context(f->map);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(f->ctx, fo);
    cairo_font_options_destroy(fo);
    pango_cairo_context_set_resolution(f->ctx, 72);
    pango_context_set_round_glyph_positions(f->ctx, FALSE);
    pango_context_set_language(f->ctx, pango_language_from_string("ja"));
    return f;
}

void fonts_free(fonts *f)
{
    if (!f)
        return;
    g_object_unref(f->ctx);
    g_object_unref(f->map);
    FcConfigDestroy(f->config);
    if (f->cs)
        FcCharSetDestroy(f->cs);
    free(f->cs_family);
    free(f);
}

PangoContext *fonts_context(fonts *f)
{
    return f->ctx;
}

static FcPattern *match(fonts *f, const char *family, bool *exact)
{
    FcPattern *pat = FcNameParse((const FcChar8 *)"");
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, FC_CHARSET, NULL);
    FcFontSet *set = FcFontList(f->config, pat, os);
    FcObjectSetDestroy(os);
    FcPatternDestroy(pat);
    FcPattern *found = NULL;
    if (set && set->nfont > 0)
        found = FcPatternDuplicate(set->fonts[0]);
    if (set)
        FcFontSetDestroy(set);
    *exact = found != NULL;
    return found;
}

bool fonts_require(fonts *f, const char *family, diag *dg)
{
    bool exact;
    FcPattern *p = match(f, family, &exact);
    if (p)
        FcPatternDestroy(p);
    if (exact)
        return true;
    bool noto = strstr(family, "Noto") && strstr(family, "CJK");
    if (noto && !strstr(family, "JP"))
        diag_error(dg, (diag_loc){0}, "font '%s': kumihan uses the Japanese "
                   "faces of Noto CJK only (Noto Serif CJK JP, Noto Sans CJK "
                   "JP, Noto Sans Mono CJK JP; see fonts/fonts.conf)", family);
    else if (noto)
        diag_error(dg, (diag_loc){0}, "font '%s' is not installed: "
                   "apt-get install fonts-noto-cjk", family);
    else
        diag_error(dg, (diag_loc){0}, "font '%s' is not installed in %s "
                   "(kumihan sees only the fonts that fonts/fonts.conf lists)",
                   family, "/usr/share/fonts/opentype/noto");
    return false;
}

int fonts_check(fonts *f, const style *st, diag *dg)
{
    static const struct { const char *key; size_t off; bool japanese; } used[] = {
        {"body.font", offsetof(style, body_font), true},
        {"headings.font", offsetof(style, heading_font), true},
        {"code.font", offsetof(style, mono_font), true},
        {"body.italic-font", offsetof(style, italic_font), false},
    };
    int rc = 0;
    for (size_t i = 0; i < sizeof used / sizeof *used; i++) {
        const char *family = *(char *const *)((const char *)st + used[i].off);
        diag_loc at = style_key_at(st, used[i].key);
        if (!at.file)
            at = (diag_loc){0};
        if (!has_family(f->config, family)) {
            if (noto_cjk(family) && strstr(family, "JP")) {
                /* the package is missing: the machine's trouble */
                diag_error(dg, at, "font '%s' is not installed: apt-get "
                           "install fonts-noto-cjk", family);
                rc = 2;
                continue;
            }
            if (noto_cjk(family))
                diag_error(dg, at, "%s: font '%s': kumihan uses the Japanese "
                           "faces of Noto CJK only (Noto Serif CJK JP, Noto "
                           "Sans CJK JP, Noto Sans Mono CJK JP)", used[i].key,
                           family);
            else
                diag_error(dg, at, "%s: font '%s' is not installed: put its "
                           "files (OTF, TTF, TTC) in fonts/ or in the folder "
                           "fonts.dir names, or install its Debian package "
                           "(fonts-morisawa-bizud-mincho, fonts-ipaexfont-"
                           "mincho...)", used[i].key, family);
            rc = rc ? rc : 1;
            continue;
        }
        /* あ and 漢: a face for Japanese text must draw them */
        if (used[i].japanese && (!fonts_has_char(f, family, 0x3042) ||
                                 !fonts_has_char(f, family, 0x6F22))) {
            diag_error(dg, at, "%s: font '%s' has no Japanese glyphs (あ, 漢): "
                       "name a Japanese face for it", used[i].key, family);
            rc = rc ? rc : 1;
        }
    }
    return rc;
}

bool fonts_has_char(fonts *f, const char *family, uint32_t cp)
{
    if (!f->cs_family || strcmp(f->cs_family, family) != 0) {
        if (f->cs)
            FcCharSetDestroy(f->cs);
        free(f->cs_family);
        f->cs = NULL;
        f->cs_family = xstrdup(family);
        bool exact;
        FcPattern *p = match(f, family, &exact);
        FcCharSet *cs;
        if (p && FcPatternGetCharSet(p, FC_CHARSET, 0, &cs) == FcResultMatch)
            f->cs = FcCharSetCopy(cs);
        if (p)
            FcPatternDestroy(p);
    }
    return f->cs && FcCharSetHasChar(f->cs, cp);
}

void fonts_identity(fonts *f, buf *out)
{
    char *conf = xasprintf("%s/fonts/fonts.conf", fonts_data_dir());
    file_identity(conf, out);
    free(conf);
    FcSetName sets[] = {FcSetSystem, FcSetApplication};
    for (size_t s = 0; s < 2; s++) {
        FcFontSet *fs = FcConfigGetFonts(f->config, sets[s]);
        for (int i = 0; fs && i < fs->nfont; i++) {
            FcChar8 *file = NULL;
            int index = 0;
            if (FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) != FcResultMatch)
                continue;
            FcPatternGetInteger(fs->fonts[i], FC_INDEX, 0, &index);
            buf_printf(out, "font %d ", index);
            file_identity((const char *)file, out);
        }
    }
}
