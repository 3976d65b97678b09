/* The package around the content: OPF (with EPUB Accessibility 1.1
 * metadata), the navigation document with its page-list, the NCX for older
 * readers, and CSS made from the same style as the PDF. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epub/internal.h"
#include "image/image.h"
#include "jp/embox.h"
#include "util/xalloc.h"

static void add_file(epub *e, const char *name, const char *media,
                     const char *props, buf *data)
{
    xgrow((void **)&e->files, &e->cap_files, e->nfiles + 1, sizeof *e->files);
    epub_file *f = &e->files[e->nfiles++];
    *f = (epub_file){xstrdup(name), xstrdup(name), *data, media, props};
    *data = (buf){0};
}

static void meta(xw *w, const char *prop, const char *value)
{
    xw_start(w, "meta");
    xw_attr(w, "property", prop);
    xw_text(w, value);
    xw_end(w);
}

static void dc(xw *w, const char *name, const char *value, const char *id)
{
    if (!value)
        return;
    xw_start(w, name);
    if (id)
        xw_attr(w, "id", id);
    xw_text(w, value);
    xw_end(w);
}

static void opf(epub *e)
{
    const doc_meta *m = &e->d->meta;
    xw x, *w = &x;
    xw_open(w);
    xw_start(w, "package");
    xw_attr(w, "xmlns", "http://www.idpf.org/2007/opf");
    xw_attr(w, "version", "3.0");
    xw_attr(w, "unique-identifier", "uid");
    xw_attr(w, "xml:lang", (m->lang ? m->lang : "ja"));
    xw_start(w, "metadata");
    xw_attr(w, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
    char urn[64];
    snprintf(urn, sizeof urn, "urn:uuid:%s", e->uuid);
    /* an edition has its own identifier, made from the document's */
    dc(w, "dc:identifier", m->identifier && !e->ed ? m->identifier : urn, "uid");
    dc(w, "dc:title", m->title, NULL);
    dc(w, "dc:language", m->lang ? m->lang : "ja", NULL);
    dc(w, "dc:creator", m->author, NULL);
    dc(w, "dc:publisher", m->publisher, NULL);
    dc(w, "dc:date", m->date, NULL);
    dc(w, "dc:subject", m->subject, NULL);
    if (e->ed) {
        char *r = xasprintf("%s%s%sのために作成された一部（%s）。", m->rights ? m->rights : "",
                            m->rights ? " " : "", e->ed->to, e->notice);
        dc(w, "dc:rights", r, NULL);
        free(r);
    } else {
        dc(w, "dc:rights", m->rights, NULL);
    }
    /* the print edition is the source of the page numbers */
    char *src = xasprintf("%s（PDF版）", m->title ? m->title : "print edition");
    dc(w, "dc:source", src, "print");
    free(src);
    xw_start(w, "meta");
    xw_attr(w, "refines", "#print");
    xw_attr(w, "property", "source-of");
    xw_text(w, "pagination");
    xw_end(w);
    meta(w, "dcterms:modified", e->modified);
    meta(w, "schema:accessMode", "textual");
    meta(w, "schema:accessModeSufficient", "textual");
    bool pictures = e->d->nimages > 0;
    if (pictures) {
        meta(w, "schema:accessMode", "visual");
    }
    const char *features[] = {"tableOfContents", "readingOrder",
                              "structuralNavigation",
                              "pageNavigation", "printPageNumbers",
                              "displayTransformability",
                              pictures ? "alternativeText" : NULL};
    for (size_t i = 0; i < sizeof features / sizeof *features; i++)
        if (features[i])
            meta(w, "schema:accessibilityFeature", features[i]);
    meta(w, "schema:accessibilityHazard", "none");
    char *summary = xasprintf(
        "本書は%s見出しによる構造、目次、印刷版（PDF）と対応するページ番号、"
        "本文と相互にリンクした注を備える。%s",
        pictures ? "" : "文字情報のみで構成され、",
        pictures ? "図には代替テキストとして図の説明文を付す。" : "");
    meta(w, "schema:accessibilitySummary", summary);
    free(summary);
    meta(w, "dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA");
    xw_end(w); /* metadata */

    xw_start(w, "manifest");
    for (size_t i = 0; i < e->nfiles; i++) {
        const epub_file *f = &e->files[i];
        char id[32];
        snprintf(id, sizeof id, "f%zu", i);
        xw_start(w, "item");
        xw_attr(w, "id", (strcmp(f->name, "toc.ncx") == 0 ? "ncx" : id));
        xw_attr(w, "href", (f->name));
        xw_attr(w, "media-type", (f->media));
        if (f->props)
            xw_attr(w, "properties", (f->props));
        xw_end(w);
    }
    xw_end(w);
    xw_start(w, "spine");
    if (e->st->writing == WRITING_VERTICAL) /* a vertical book turns its pages right to left */
        xw_attr(w, "page-progression-direction", "rtl");
    xw_attr(w, "toc", "ncx");
    for (size_t i = 0; i < e->nfiles; i++) {
        const epub_file *f = &e->files[i];
        if (strcmp(f->media, "application/xhtml+xml") != 0 ||
            strcmp(f->name, "nav.xhtml") == 0)
            continue;
        char id[32];
        snprintf(id, sizeof id, "f%zu", i);
        xw_start(w, "itemref");
        xw_attr(w, "idref", (id));
        xw_end(w);
    }
    xw_end(w);
    xw_end(w); /* package */
    epub_finish(e, w, "package.opf", "package.opf", "application/oebps-package+xml", NULL);
}

static void nav_list(xw *w, const epub_toc *t, size_t n, size_t *i,
                     int level)
{
    xw_start(w, "ol");
    while (*i < n && t[*i].level >= level) {
        const epub_toc *e = &t[*i];
        xw_start(w, "li");
        xw_link(w, e->href, NULL, e->title, false);
        (*i)++;
        if (*i < n && t[*i].level > level)
            nav_list(w, t, n, i, level + 1);
        xw_end(w);
    }
    xw_end(w);
}

static void nav(epub *e)
{
    xw x, *w = &x;
    epub_xhtml_begin(e, w, "目次", NULL);
    xw_start(w, "nav");
    xw_attr(w, "epub:type", "toc");
    xw_attr(w, "role", "doc-toc");
    xw_attr(w, "id", "toc");
    xw_element(w, "h1", NULL, "目次");
    size_t i = 0;
    nav_list(w, e->toc, e->ntoc, &i, 1);
    xw_end(w);

    /* the lists of figures and tables (loi, lot), when the print has them */
    static const char *const types[] = {"loi", "lot"};
    static const char *const heads[] = {"\xe5\x9b\xb3\xe7\x9b\xae\xe6\xac\xa1",
                                        "\xe8\xa1\xa8\xe7\x9b\xae\xe6\xac\xa1"};
    for (int k = 0; k < 2; k++) {
        if (e->nlists[k] == 0)
            continue;
        xw_start(w, "nav");
        xw_attr(w, "epub:type", types[k]);
        xw_attr(w, "hidden", "");
        xw_element(w, "h1", NULL, heads[k]);
        size_t j = 0;
        nav_list(w, e->lists[k], e->nlists[k], &j, 1);
        xw_end(w);
    }

    xw_start(w, "nav");
    xw_attr(w, "epub:type", "landmarks");
    xw_attr(w, "hidden", "");
    xw_element(w, "h1", NULL, "ランドマーク");
    xw_start(w, "ol");
    if (epub_printed(e, DOC_MARK_TITLE))
        xw_link(w, "title.xhtml", "titlepage", "表紙", true);
    if (epub_printed(e, DOC_MARK_TOC))
        xw_link(w, "contents.xhtml", "toc", "目次", true);
    xw_link(w, "s000.xhtml", "bodymatter", "本文", true);
    if (e->d->nnotes)
        xw_link(w, "notes.xhtml", "endnotes", "注", true);
    if (epub_colophon(e))
        xw_link(w, "colophon.xhtml", "colophon", "奥付", true);
    xw_end(w);
    xw_end(w);

    /* the print edition's pages, in reading order */
    xw_start(w, "nav");
    xw_attr(w, "epub:type", "page-list");
    xw_attr(w, "role", "doc-pagelist");
    xw_attr(w, "hidden", "");
    xw_element(w, "h1", NULL, "ページ");
    xw_start(w, "ol");
    for (size_t p = 0; p < e->pm->n; p++) {
        const epub_page *pg = &e->pages[p];
        if (!pg->file)
            continue;
        char href[64], label[16];
        snprintf(href, sizeof href, "%s#page%d", pg->file, pg->number);
        snprintf(label, sizeof label, "%d", pg->number);
        xw_link(w, href, NULL, label, true);
    }
    xw_end(w);
    xw_end(w);
    epub_xhtml_end(e, w, "nav.xhtml", "目次", "nav");
}

static void ncx(epub *e)
{
    xw x, *w = &x;
    xw_open(w);
    xw_start(w, "ncx");
    xw_attr(w, "xmlns", "http://www.daisy.org/z3986/2005/ncx/");
    xw_attr(w, "version", "2005-1");
    xw_attr(w, "xml:lang", (e->d->meta.lang ? e->d->meta.lang : "ja"));
    xw_start(w, "head");
    char urn[64];
    snprintf(urn, sizeof urn, "urn:uuid:%s", e->uuid);
    xw_start(w, "meta");
    xw_attr(w, "name", "dtb:uid");
    xw_attr(w, "content", (e->d->meta.identifier ? e->d->meta.identifier : urn));
    xw_end(w);
    xw_end(w);
    xw_start(w, "docTitle");
    xw_element(w, "text", NULL, e->d->meta.title);
    xw_end(w);
    xw_start(w, "navMap");
    for (size_t i = 0; i < e->ntoc; i++) {
        char id[24];
        snprintf(id, sizeof id, "n%zu", i + 1);
        xw_start(w, "navPoint");
        xw_attr(w, "id", (id));
        xw_attrf(w, "playOrder", "%zu", i + 1);
        xw_start(w, "navLabel");
        xw_element(w, "text", NULL, (e->toc[i].title));
        xw_end(w);
        xw_start(w, "content");
        xw_attr(w, "src", (e->toc[i].href));
        xw_end(w);
        xw_end(w);
    }
    xw_end(w);
    xw_end(w);
    epub_finish(e, w, "toc.ncx", "toc.ncx", "application/x-dtbncx+xml", NULL);
}

/* The nearest CSS line-break for a kinsoku level (README, "Kinsoku
 * levels"): CSS has no newspaper level, so very-loose is loose. */
static const char *css_line_break(kinsoku_level k)
{
    switch (k) {
    case KINSOKU_STRICT: return "strict";
    case KINSOKU_NORMAL: return "normal";
    default: return "loose";
    }
}

/* The looks of the deeper heading levels, from the style: size, weight,
 * indent, and run-in (同行見出し: the heading and its paragraph on one
 * line). */
static void heading_css(const style *st, buf *b)
{
    for (int k = 4; k <= STYLE_HEADING_LEVELS; k++) {
        const style_heading *hs = &st->heading[k - 1];
        buf_printf(b, ".h%d { font-size: %.2fem; font-weight: %s; "
                   "margin-left: %.2fem; }\n", k, hs->size / st->body_size,
                   hs->bold ? "bold" : "normal", hs->indent);
    }
    buf_puts(b, ".run-in { display: inline; margin-right: 1em; }\n"
                ".run-in + p { display: inline; }\n"
                "/* a note mark keeps the character before it */\n"
                ".nobr { white-space: nowrap; }\n"
                ".backrefs { text-indent: 0; font-size: 90%; }\n");
}

/* The stylesheet's fixed parts, in the order they are written between
 * the rules that take a value from the style. */
static const char css_blocks[] =
    "h3, h4, h5, h6 { font-size: 1em; margin: 1em 0 0.5em; }\n"
    "p { margin: 0; text-indent: 1em; }\n"
    "li > p, .notes p, .back p { text-indent: 0; }\n"
    "ul, ol { margin: 0.5em 0; padding-left: 2em; }\n"
    "/* a quote as in print: two ems in, on the start side only, its\n"
    "   paragraphs without a first-line indent */\n"
    "blockquote { margin: 0.5em 0; margin-inline-start: 2em; }\n"
    "blockquote p { text-indent: 0; }\n";

static const char css_notes[] =
    ".notes li { list-style-type: none; }\n"
    ".notes p, .back li { text-align: start; }\n"
    ".notes li > p:first-child { margin-left: 2.5em; text-indent: -2.5em; }\n"
    ".notes ol { padding-left: 0; }\n"
    ".notes a.backlink { margin-right: 0.5em; }\n"
    "a { overflow-wrap: anywhere; word-break: normal; }\n"
    "/* Latin text hyphenates, as the PDF does */\n"
    ":lang(en) { -epub-hyphens: auto; hyphens: auto; }\n";

static const char css_pages[] =
    "pre { white-space: pre-wrap; overflow-wrap: anywhere; text-align: start;\n"
    "  text-align-last: start; text-indent: 0; }\n"
    ".titlepage { text-align: center; margin-top: 20%; }\n"
    ".titlepage h1 { font-size: 1.6em; text-align: center; }\n"
    ".titlepage p { text-indent: 0; margin: 1em 0; }\n"
    ".titlepage .rights { font-size: 80%; text-align: justify; margin-top: 4em; }\n"
    ".contents ol { list-style-type: none; padding-left: 0; }\n"
    ".contents li.sub { padding-left: 1em; font-size: 90%; }\n"
    ".colophon { margin-top: 30%; }\n"
    ".colophon h1 { font-size: 1em; }\n"
    ".colophon p, .titlepage .notice { text-indent: 0; }\n"
    ".colophon .title { font-weight: bold; border-top: 1px solid;\n"
    "  padding-top: 0.5em; }\n"
    ".notice { font-size: 90%; border: 1px solid; padding: 0.3em 0.5em; }\n"
    "/* figures and tables, as the print sets them */\n"
    "figure { margin: 1em 0; text-align: center; page-break-inside: avoid;\n"
    "  break-inside: avoid; }\n"
    "figure img { max-width: 100%; max-height: 90vh; height: auto; }\n";

static const char css_cells[] =
    "th, td { padding: 0.2em 0.5em; text-align: start; vertical-align: top; }\n"
    "th.c, td.c { text-align: center; }\n"
    "th.r, td.r { text-align: right; font-variant-numeric: tabular-nums; }\n"
    "/* inline typography: ruby at half size; emphasis as the print sets\n"
    "   it; strong in the gothic face */\n"
    "rt { font-size: 50%; }\n";

/* Emphasis as style.emphasis sets it in print. */
static const char *css_emphasis(emphasis_style k)
{
    switch (k) {
    case EMPHASIS_BOUTEN:
        return "em { font-style: normal; -epub-text-emphasis-style: filled sesame;\n"
               "  text-emphasis: filled sesame; -epub-text-emphasis-position: over right;\n"
               "  text-emphasis-position: over right; }\n"
               "em .latin { font-style: italic; -epub-text-emphasis-style: none;\n"
               "  text-emphasis: none; }\n";
    case EMPHASIS_ITALIC:
        return "em { font-style: normal; font-family: sans-serif; font-weight: bold; }\n"
               "em .latin { font-family: serif; font-weight: normal;\n"
               "  font-style: italic; }\n";
    default:
        return "em { font-style: normal; font-family: sans-serif; font-weight: bold; }\n";
    }
}

static const char css_vertical[] =
    "/* vertical writing (縦組み): columns right to left, Latin turned,\n"
    "   short digit runs upright (縦中横) */\n"
    "html { -epub-writing-mode: vertical-rl; writing-mode: vertical-rl;\n"
    "  -webkit-writing-mode: vertical-rl; }\n"
    "body { -epub-text-orientation: mixed; text-orientation: mixed; }\n"
    ".tcy { -epub-text-combine: horizontal; text-combine-upright: all;\n"
    "  -webkit-text-combine: horizontal; }\n"
    ".upright { -epub-text-orientation: upright; text-orientation: upright;\n"
    "  -webkit-text-orientation: upright; }\n"
    "figure img { max-height: 80vh; max-width: 90vw; }\n";

/* CSS from the style file: the same fonts, sizes, pitch and rules. Fixed
 * rules are static text above; each rule that takes a value from the
 * style is written here, its value beside it. Sizes are relative to the
 * body's. */
char *epub_css(const style *st)
{
    buf b = {0};
    double body = st->body_size;
    const char *line_break = css_line_break(st->kinsoku);
    buf_printf(&b, "@charset \"UTF-8\";\n"
                   "/* made by kumihan from the style '%s' */\n",
               st->name ? st->name : "handout");
    buf_printf(&b, "html { -epub-line-break: %s; line-break: %s;\n"
                   "  -epub-word-break: normal; word-break: normal; }\n",
               line_break, line_break);
    buf_printf(&b, "body { font-family: \"%s\", \"Noto Serif JP\", "
                   "\"Hiragino Mincho ProN\",\n"
                   "  \"Yu Mincho\", serif; line-height: %.2f; "
                   "text-align: justify;\n"
                   "  /* JLREQ 3.2.2: 1/4 em between Japanese and Latin "
                   "(CSS gives 1/8) */\n"
                   "  text-autospace: ideograph-alpha ideograph-numeric;\n"
                   "  text-spacing-trim: space-first;\n"
                   "  hanging-punctuation: %s; }\n",
               st->body_font, st->pitch / body,
               st->hanging ? "allow-end" : "none");
    buf_printf(&b, "h1, h2, h3, h4, h5, h6 { font-family: \"%s\", "
                   "\"Noto Sans JP\",\n"
                   "  \"Hiragino Sans\", \"Yu Gothic\", sans-serif; "
                   "font-weight: bold;\n"
                   "  line-height: 1.4; text-align: start; }\n",
               st->heading_font);
    buf_printf(&b, "h1 { font-size: %.2fem; margin: 1.75em 0 1em; }\n",
               st->heading[1].size / body);
    buf_printf(&b, "h2 { font-size: %.2fem; margin: 1.2em 0 0.6em; }\n",
               st->heading[2].size / body);
    buf_puts(&b, css_blocks);
    buf_printf(&b, "a.noteref { font-size: %.0f%%; vertical-align: super; "
                   "line-height: 0;\n  text-decoration: none; }\n",
               st->ref_size / body * 100);
    buf_printf(&b, ".notes, .back { font-size: %.0f%%; line-height: %.2f; }\n",
               st->note_size / body * 100, st->note_pitch / st->note_size);
    buf_puts(&b, css_notes);
    buf_printf(&b, "/* code as written: no space added, no bracket trimmed, "
                   "not justified */\n"
                   "code, pre { font-family: \"%s\", monospace; "
                   "font-size: 0.9em;\n"
                   "  text-autospace: no-autospace; "
                   "text-spacing-trim: space-all; }\n",
               st->mono_font);
    buf_puts(&b, css_pages);
    buf_printf(&b, "figcaption, caption { font-size: %.0f%%; "
                   "text-align: center;\n  text-indent: 0; margin: 0.5em 0; }\n",
               st->caption_size / body * 100);
    buf_puts(&b, ".label { font-weight: bold; margin-right: 1em; }\n");
    /* an image in the text stands on the em box's foot, as in print */
    buf_printf(&b, "img.inline { height: 1em; width: auto; "
                   "vertical-align: -%.2fem; }\n", JP_EM_BOTTOM);
    buf_puts(&b, "div.table { overflow: auto; }\n");
    buf_printf(&b, "table { border-collapse: collapse; width: 100%%; "
                   "margin: 1em 0;\n  font-size: %.0f%%; "
                   "border-top: 1.5px solid; border-bottom: 1.5px solid; }\n",
               st->table_size / body * 100);
    buf_printf(&b, "th { font-family: \"%s\", sans-serif; "
                   "font-weight: normal;\n  border-bottom: 0.75px solid; }\n",
               st->heading_font);
    buf_puts(&b, css_cells);
    buf_puts(&b, css_emphasis(st->emphasis));
    buf_printf(&b, "strong { font-family: \"%s\", sans-serif; "
                   "font-weight: bold; }\n",
               st->heading_font);
    buf_puts(&b, "sup, sub { font-size: 60%; line-height: 0; }\n");
    /* an addition's line: under the text, right of it in vertical text
     * (傍線), as in print */
    buf_puts(&b, "u, ins { text-decoration: underline; "
                 "text-underline-position: under right; }\n");
    if (st->writing == WRITING_VERTICAL)
        buf_puts(&b, css_vertical);
    heading_css(st, &b);
    /* a court's case number, or the writer's <span class="nobreak">: kept
     * on one line where lines are long enough to spare it; on a phone's
     * short lines that would space the line before it to gaps */
    buf_puts(&b, "@media (min-width: 30em) { .nobreak { white-space: nowrap; } }\n");
    return buf_detach(&b);
}

/* Every image, as it is (SVG passes through: it was checked for scripts
 * and external references when it was read). */
static void images(epub *e)
{
    for (size_t i = 0; i < e->d->nimages; i++) {
        const doc_image *im = &e->d->images[i];
        buf data = {0};
        if (!image_read(e->d, im, &data, e->dg)) {
            e->failed = true;
            buf_free(&data);
            continue;
        }
        char *name = epub_image_name(e->d, (int)i);
        add_file(e, name, image_media_type(im), NULL, &data);
        free(name);
    }
}

void epub_package(epub *e)
{
    images(e);
    buf css = {0};
    char *s = epub_css(e->st);
    buf_puts(&css, s);
    free(s);
    add_file(e, "style.css", "text/css", NULL, &css);
    nav(e);
    ncx(e);
    opf(e);
}
