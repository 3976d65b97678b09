#include "text/fonts.h"

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdlib.h>
#include <string.h>

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

fonts *fonts_new(diag *dg)
{
    char *conf = xasprintf("%s/fonts/fonts.conf", fonts_data_dir());
    FcConfig *cfg = FcConfigCreate();
    if (!FcConfigParseAndLoad(cfg, (const FcChar8 *)conf, FcTrue) ||
        !FcConfigBuildFonts(cfg)) {
        diag_error(dg, (diag_loc){conf, 0, 0},
                   "cannot load the font configuration");
        FcConfigDestroy(cfg);
        free(conf);
        return NULL;
    }
    free(conf);
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
