#define _POSIX_C_SOURCE 200809L
/* Template → CSS. Lengths in the template are pt; the sheet writes them as
 * multiples of --pt, which is 1pt on wide screens and in print (so the
 * column is the type area and lines break as in the PDF) and 0.75pt on
 * phones (16 pt body type becomes 16 px). Vertical spacing is padding, not
 * margin, so it adds up like the PDF's grid lines instead of collapsing.
 * Font roles become custom properties holding the template's families, then
 * a CJK fallback stack; a family named with a weight ("Noto Serif CJK SC
 * Bold") is reached through an @font-face alias with local(), which matches
 * that exact face without any request. */
#include "css.h"
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_STACK 48

enum {
    F_NOJUSTIFY = 1, /* headings: never stretched (as layout.c does) */
    F_NOMARGIN = 2,  /* the container carries the side margins */
    F_SPACING = 4    /* space_before/after apply (the PDF uses them for headings and the title) */
};

static const char *const SERIF[] = {"Noto Serif CJK SC", "Source Han Serif SC", "Songti SC",
                                    "SimSun", NULL};
static const char *const SANS[] = {"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
                                   "Microsoft YaHei", NULL};
static const char *const KAI[] = {"LXGW WenKai", "Kaiti SC", "KaiTi", "STKaiti", NULL};
static const char *const MONO[] = {"Noto Sans Mono CJK SC", "Source Han Mono SC",
                                   "DejaVu Sans Mono", NULL};
/* 小标宋 stand-ins: heavy serif faces, by full name */
static const char *const BOLD_SERIF[] = {"Noto Serif CJK SC Bold", "NotoSerifCJKsc-Bold",
                                         "Source Han Serif SC Bold", "SourceHanSerifSC-Bold", NULL};

static const char *const WEIGHT_WORDS[] = {"Thin", "ExtraLight", "Light", "Medium", "SemiBold",
                                           "Semi-Bold", "DemiBold", "Demi-Bold", "Bold",
                                           "ExtraBold", "Extra-Bold", "UltraBold", "Black",
                                           "Heavy", NULL};

/* Numbers with at most three decimals, no trailing zeros. */
static void num(struct buf *o, double v)
{
    char s[32];
    snprintf(s, sizeof s, "%.3f", fabs(v) < 0.0005 ? 0.0 : v);
    char *end = s + strlen(s);
    while (end[-1] == '0')
        *--end = '\0';
    if (end[-1] == '.')
        *--end = '\0';
    buf_puts(o, s);
}

/* A template length: pt scaled by --pt. */
static void len(struct buf *o, double pt)
{
    if (fabs(pt) < 0.0005) {
        buf_putc(o, '0');
        return;
    }
    buf_puts(o, "calc(");
    num(o, pt);
    buf_puts(o, "*var(--pt))");
}

static void color(struct buf *o, struct rgb c)
{
    buf_printf(o, "#%02x%02x%02x", (int)lround(c.r * 255), (int)lround(c.g * 255),
               (int)lround(c.b * 255));
}

/* A CSS string; quotes, backslashes, angle brackets, controls (and, as in
 * the HTML, = and :) are hex-escaped, so it can end neither the string nor
 * the <style>. */
static void css_str(struct buf *o, const char *s)
{
    buf_putc(o, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (strchr("\"\\<>&=:", c) || c < 0x20 || c == 0x7f)
            buf_printf(o, "\\%x ", c);
        else
            buf_putc(o, (char)c);
    }
    buf_putc(o, '"');
}

static bool has_weight_word(const char *family)
{
    const char *sp = strrchr(family, ' ');
    if (!sp)
        return false;
    for (int i = 0; WEIGHT_WORDS[i]; i++)
        if (!strcasecmp(sp + 1, WEIGHT_WORDS[i]))
            return true;
    return false;
}

/* ---- font stacks ------------------------------------------------------ */

enum face {
    FACE_FAMILY,   /* named as a family */
    FACE_WEIGHTED, /* one face by full name, through an @font-face alias */
    FACE_LATIN     /* the latin role: an alias limited to Latin letters and digits */
};

struct stack {
    const char *names[MAX_STACK]; /* borrowed; family names in order */
    enum face kind[MAX_STACK];
    int n;
};

static void stack_add(struct stack *s, const char *name, enum face kind)
{
    for (int i = 0; i < s->n; i++)
        if (!strcasecmp(s->names[i], name))
            return;
    if (s->n < MAX_STACK) {
        s->names[s->n] = name;
        s->kind[s->n++] = kind;
    }
}

static void stack_add_list(struct stack *s, char *const *list, bool latin)
{
    for (int i = 0; list && list[i]; i++)
        if (*list[i])
            stack_add(s, list[i], latin ? FACE_LATIN
                                  : has_weight_word(list[i]) ? FACE_WEIGHTED : FACE_FAMILY);
}

static const char *const *fallback(enum font_role r)
{
    switch (r) {
    case ROLE_HEI:
        return SANS;
    case ROLE_KAI:
        return KAI;
    case ROLE_MONO:
        return MONO;
    default:
        return SERIF;
    }
}

static const char *generic(enum font_role r)
{
    return r == ROLE_HEI ? "sans-serif" : r == ROLE_MONO ? "monospace" : "serif";
}

static void build_stack(const struct style *st, enum font_role r, struct stack *s)
{
    s->n = 0;
    if (r != ROLE_MONO)
        stack_add_list(s, st->fonts[ROLE_LATIN], true);
    stack_add_list(s, st->fonts[r], false);
    if (r == ROLE_BIAOSONG)
        stack_add(s, BOLD_SERIF[0], FACE_WEIGHTED);
    for (const char *const *f = fallback(r); *f; f++)
        stack_add(s, *f, FACE_FAMILY);
}

/* Latin faces come first in every stack, so their index is the same in all. */
static void alias_name(struct buf *o, enum font_role r, const struct stack *s, int i)
{
    if (s->kind[i] == FACE_LATIN)
        buf_printf(o, "\"bf-latin-%d\"", i);
    else
        buf_printf(o, "\"bf-%s-%d\"", style_role_name(r), i);
}

/* One @font-face per alias; the latin ones (written once, with the latin
 * role) cover Latin letters and digits only, so quotes “” and other
 * punctuation still come from the CJK font, full width. */
static void font_faces(struct buf *o, enum font_role r, const struct stack *s)
{
    for (int i = 0; i < s->n; i++) {
        if (s->kind[i] == FACE_FAMILY || (s->kind[i] == FACE_LATIN) != (r == ROLE_LATIN))
            continue;
        buf_puts(o, "@font-face{font-family:");
        alias_name(o, r, s, i);
        if (s->kind[i] == FACE_LATIN)
            buf_puts(o, ";unicode-range:U+0000-00FF,U+0100-024F");
        buf_puts(o, ";src:");
        bool fallback_face = !strcmp(s->names[i], BOLD_SERIF[0]);
        const char *const one[] = {s->names[i], NULL};
        const char *const *srcs = fallback_face ? BOLD_SERIF : one;
        for (int k = 0; srcs[k]; k++) {
            buf_puts(o, k ? ",local(" : "local(");
            css_str(o, srcs[k]);
            buf_putc(o, ')');
        }
        buf_puts(o, "}\n");
    }
}

static void stack_list(struct buf *o, enum font_role r, const struct stack *s)
{
    for (int i = 0; i < s->n; i++) {
        if (s->kind[i] != FACE_FAMILY)
            alias_name(o, r, s, i);
        else
            css_str(o, s->names[i]);
        buf_putc(o, ',');
    }
    buf_puts(o, generic(r));
}

static void font_var(struct buf *o, enum font_role r, const struct stack *s)
{
    buf_printf(o, "--f-%s:", style_role_name(r));
    stack_list(o, r, s);
    buf_puts(o, ";\n");
}

static void root_vars(const struct style *st, struct buf *o)
{
    struct stack s;
    for (int r = 0; r < ROLE_COUNT; r++) {
        build_stack(st, (enum font_role)r, &s);
        font_faces(o, (enum font_role)r, &s);
    }
    buf_puts(o, ":root{--pt:1pt;\n");
    for (int r = 0; r < ROLE_COUNT; r++) {
        if (r == ROLE_LATIN)
            continue;
        build_stack(st, (enum font_role)r, &s);
        font_var(o, (enum font_role)r, &s);
    }
    struct { const char *name; struct rgb c; } pal[] = {
        {"text", st->text}, {"red", st->red}, {"rule", st->rule}, {"link", st->link},
        {"accent", st->accent}};
    for (size_t i = 0; i < sizeof pal / sizeof *pal; i++) {
        buf_printf(o, "--%s:", pal[i].name);
        color(o, pal[i].c);
        buf_puts(o, ";");
    }
    buf_puts(o, "\n--pitch:");
    len(o, style_pitch(st));
    buf_puts(o, ";--measure:");
    len(o, style_type_width(st) + 1); /* 1 pt absorbs rounding, like the PDF's slack */
    buf_puts(o, ";}\n");
}

/* ---- elements --------------------------------------------------------- */

/* Letter-spacing that sets grid_chars body characters on the measure, as
 * the PDF does for elements at the body size. */
static double tracking(const struct style *st, enum element e)
{
    double body = st->el[EL_BODY].size;
    if (st->el[e].size != body || st->grid_chars < 2)
        return 0;
    return (style_type_width(st) - st->grid_chars * body) / (st->grid_chars - 1);
}

static const char *align_name(enum align a)
{
    return a == ALIGN_CENTER ? "center" : a == ALIGN_RIGHT ? "right" : a == ALIGN_LEFT ? "left"
                                                                                       : "justify";
}

static void element(struct buf *o, const char *sel, const struct style *st, enum element e,
                    unsigned flags)
{
    const struct elem_style *es = &st->el[e];
    double pitch = style_pitch(st);
    enum align al = es->align == ALIGN_JUSTIFY && (flags & F_NOJUSTIFY) ? ALIGN_LEFT : es->align;
    buf_printf(o, "%s{font-family:var(--f-%s);font-size:", sel, style_role_name(es->font));
    len(o, es->size);
    buf_printf(o, ";font-weight:%s;line-height:", es->bold ? "700" : "400");
    len(o, es->lines * pitch);
    buf_printf(o, ";text-align:%s;", align_name(al));
    if (al == ALIGN_JUSTIFY)
        buf_puts(o, "text-justify:inter-character;");
    buf_puts(o, "text-indent:");
    len(o, es->indent);
    if (!(flags & F_NOMARGIN)) {
        buf_puts(o, ";margin:0 ");
        len(o, es->margin_right);
        buf_puts(o, " 0 ");
        len(o, es->margin_left);
    }
    if (flags & F_SPACING) {
        buf_puts(o, ";padding:");
        len(o, es->space_before * pitch);
        buf_puts(o, " 0 ");
        len(o, es->space_after * pitch);
    }
    buf_puts(o, ";letter-spacing:");
    len(o, tracking(st, e));
    if (es->color_set) {
        buf_puts(o, ";color:");
        color(o, es->color);
    }
    buf_puts(o, "}\n");
}

/* Indicator values: the template's colour and weight, as in the PDF. */
static void indicator(struct buf *o, const struct elem_style *es)
{
    if (!es->color_set && !es->bold)
        return;
    buf_puts(o, ".page .kpi{");
    if (es->color_set) {
        buf_puts(o, "color:");
        color(o, es->color);
        buf_puts(o, ";");
    }
    if (es->bold)
        buf_puts(o, "font-weight:700");
    buf_puts(o, "}\n");
}

static void emphasis(struct buf *o, const char *sel, enum emphasis e)
{
    switch (e) {
    case EMPH_BOLD:
        buf_printf(o, "%s{font-weight:700}\n", sel);
        break;
    case EMPH_HEI:
    case EMPH_KAI:
        buf_printf(o, "%s{font-family:var(--f-%s);font-weight:400}\n", sel,
                   e == EMPH_HEI ? "hei" : "kai");
        break;
    case EMPH_DOTS:
        buf_printf(o,
                   "%s{font-weight:400;-webkit-text-emphasis:filled dot;text-emphasis:filled dot;"
                   "-webkit-text-emphasis-position:under right;"
                   "text-emphasis-position:under right}\n",
                   sel);
        break;
    }
}

static void body_font(const struct style *st, struct buf *o)
{
    const struct elem_style *es = &st->el[EL_BODY];
    buf_printf(o, ".page{font-family:var(--f-%s);font-size:", style_role_name(es->font));
    len(o, es->size);
    buf_puts(o, ";line-height:");
    len(o, es->lines * style_pitch(st));
    buf_puts(o, "}\n");
}

/* Selectors start with .page so that element rules outrank `.page p` in
 * the same order the PDF picks styles: quote over list over body. */
static void elements(const struct style *st, struct buf *o)
{
    body_font(st, o);
    element(o, ".page p", st, EL_BODY, 0);
    element(o, ".page .doc-title", st, EL_TITLE, F_NOJUSTIFY | F_SPACING);
    element(o, ".page .recipients", st, EL_RECIPIENTS, 0);
    element(o, ".page h1", st, EL_H1, F_NOJUSTIFY | F_SPACING);
    element(o, ".page h2", st, EL_H2, F_NOJUSTIFY | F_SPACING);
    element(o, ".page h3", st, EL_H3, F_NOJUSTIFY | F_SPACING);
    element(o, ".page h4,.page h5,.page h6", st, EL_H4, F_NOJUSTIFY | F_SPACING);
    element(o, ".page li,.page li p", st, EL_LIST, F_NOMARGIN);
    element(o, ".page blockquote", st, EL_QUOTE, 0);
    element(o, ".page blockquote p,.page blockquote li", st, EL_QUOTE, F_NOMARGIN);
    element(o, ".page pre", st, EL_CODE, F_NOJUSTIFY);
    element(o, ".page td", st, EL_TABLE, F_NOJUSTIFY | F_NOMARGIN);
    element(o, ".page th", st, EL_TABLE_HEAD, F_NOJUSTIFY | F_NOMARGIN);
    element(o, ".page figcaption", st, EL_CAPTION, F_NOJUSTIFY);
    element(o, ".page .footnotes li", st, EL_FOOTNOTE, 0);
    element(o, ".page .masthead .doc-number", st, EL_DOC_NUMBER, F_NOJUSTIFY);
    if (st->masthead == MASTHEAD_COVER) {
        element(o, ".page .cover .cover-title", st, EL_MASTHEAD, F_NOJUSTIFY | F_NOMARGIN);
        element(o, ".page .cover .cover-subtitle,.page .cover .cover-issuer,.page .cover .cover-date",
                st, EL_SUBTITLE, F_NOJUSTIFY | F_NOMARGIN);
    }
    element(o, ".page .masthead .issue-line", st, EL_SUBTITLE, F_NOJUSTIFY);
    element(o, ".page .doc-subtitle", st, EL_BYLINE, F_NOJUSTIFY);
    element(o, ".page .editor-note", st, EL_NOTE, 0);
    element(o, ".page p.byline", st, EL_BYLINE, F_NOJUSTIFY | F_SPACING);
    element(o, ".page p.speaker", st, EL_SPEAKER, F_NOJUSTIFY | F_SPACING);
    element(o, ".page p.salutation", st, EL_SALUTATION, F_SPACING);
    element(o, ".page p.lead", st, EL_LEAD, 0);
    element(o, ".page p.note,.page dl.glossary>div", st, EL_NOTES, 0);
    buf_puts(o, ".page dl.glossary{margin:0}\n"
                ".page dl.glossary dt,.page dl.glossary dd{display:inline;margin:0}\n");
    element(o, ".page .attachment-label", st, EL_ATTACHMENT, F_NOJUSTIFY);
    element(o, ".page .attachment-title", st, EL_TITLE, F_NOJUSTIFY | F_SPACING);
    element(o, ".page .attachment-note", st, EL_BODY, F_NOMARGIN);
    buf_puts(o, ".page .attachment-note{display:grid;grid-template-columns:max-content 1fr;"
                "text-indent:0;margin:var(--pitch) 0 0 2em}\n");
    element(o, ".page .signature p", st, EL_SIGNATURE, F_NOJUSTIFY | F_NOMARGIN);
    element(o, ".page .colophon p", st, EL_COLOPHON, F_NOJUSTIFY | F_NOMARGIN);
    indicator(o, &st->el[EL_INDICATOR]);
    if (st->masthead == MASTHEAD_COVER)
        buf_puts(o, ".cover{border-top:6pt solid var(--accent,currentColor);padding:calc(2*var(--pitch)) 0 "
                    "calc(3*var(--pitch));margin-bottom:var(--pitch)}\n"
                    ".page .cover p{text-indent:0;letter-spacing:0}\n"
                    ".page .cover .cover-title{line-height:1.35;margin-bottom:var(--pitch)}\n");
    emphasis(o, "strong,b", st->strong);
    emphasis(o, "em,i", st->emph);
}

/* ---- fixed rules ------------------------------------------------------ */

static void base_rules(const struct style *st, struct buf *o)
{
    buf_puts(o,
             "*,*::before,*::after{box-sizing:border-box}\n"
             "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
             "body{margin:0;background:#ecebe6;color:var(--text);line-break:strict;"
             "word-break:normal;overflow-wrap:anywhere}\n");
    buf_printf(o, "body{text-autospace:%s;text-spacing-trim:normal}\n",
               st->cjk_latin_space > 0 ? "normal" : "no-autospace");
    buf_puts(o,
             "em,i{font-style:normal}\n"
             "ul,ol{margin:0;padding:0}\n"
             "li{margin-left:0}\n"
             "blockquote,figure,pre{margin:0}\n"
             "table{border-collapse:collapse;width:100%}\n");
}

static void element_extras(const struct style *st, struct buf *o)
{
    double list_indent = st->el[EL_LIST].margin_left;
    buf_puts(o, ".page ol,.page ul{padding-left:");
    len(o, list_indent > 0 ? list_indent : 2 * st->el[EL_LIST].size);
    /* markers inside, at the start of the first line, as the PDF sets them */
    buf_puts(o, ";list-style-position:inside}\n.page ul ul{list-style-type:circle}\n"
                ".page li>p:first-child{display:inline}\n");
    buf_puts(o,
             ".page pre{white-space:pre;overflow-x:auto;text-indent:0}\n"
             "code{font-family:var(--f-mono);font-size:inherit;letter-spacing:0}\n"
             "del{text-decoration:line-through}\n"
             "a{color:var(--link);text-decoration:underline;text-decoration-thickness:1px;"
             "text-underline-offset:.15em}\n"
             ".kpi{border-bottom:1px dotted var(--accent);cursor:help}\n"
             ".fn-ref{font-size:.6em;line-height:0;vertical-align:super;text-indent:0}\n"
             ".fn-ref a{text-decoration:none}\n"
             ".page .footnotes{list-style:none;padding:var(--pitch) 0 0 0}\n"
             ".fn-back{margin-left:.25em;text-decoration:none}\n"
             ".table-wrap{overflow-x:auto;max-width:100%}\n"
             ".page th,.page td{border:.5pt solid var(--rule);padding:.25em .5em;line-height:1.5;"
             "vertical-align:middle;text-indent:0}\n"
             ".page th{text-align:center}\n"
             ".page td.al-r{text-align:right;font-variant-numeric:tabular-nums}\n"
             ".page td.al-c{text-align:center}\n"
             "thead tr:first-child th{border-top-width:1pt}\n"
             "tbody tr:last-child td{border-bottom-width:1pt}\n"
             "hr{border:0;border-top:.5pt solid var(--rule);width:50%;"
             "margin:calc(var(--pitch)/2) auto}\n"
             ".pagebreak{border-top:1px dashed #c8c6bf;margin:var(--pitch) 0}\n"
             "figure.chart{margin:0;padding:calc(var(--pitch)/2) 0;text-indent:0;"
             "break-inside:avoid}\n"
             "figure.chart svg{display:block;width:100%;height:auto;overflow:visible}\n"
             "figure.chart[data-pending]{border:1px dashed var(--rule);min-height:calc(var(--pitch)*4);"
             "display:flex;align-items:center;justify-content:center}\n");
}

/* 版头, title block and signature. The issuing-authority mark is spread
 * over the measure (as in the PDF) and shrinks on narrow screens. */
static void title_rules(const struct style *st, struct buf *o)
{
    const struct elem_style *mh = &st->el[EL_MASTHEAD];
    buf_printf(o, ".masthead{padding-bottom:var(--pitch)}\n"
                  ".page .masthead p{text-indent:0;text-align:center;letter-spacing:0}\n"
                  ".page .masthead .issuer{font-family:var(--f-%s);font-weight:%s;color:",
               style_role_name(mh->font), mh->bold ? "700" : "400");
    color(o, mh->color_set ? mh->color : st->red);
    buf_puts(o, ";font-size:min(");
    len(o, mh->size);
    buf_puts(o, ",7.5vw);line-height:1.3;padding:0 0 var(--pitch)}\n"
                ".page .masthead .issuer.spread{text-align:justify;text-align-last:justify}\n"
                ".page .masthead .doc-marks{font-family:var(--f-hei);text-align:left}\n"
                ".masthead .red-rule{border-top:");
    num(o, st->masthead_rule > 0 ? st->masthead_rule : 1);
    buf_puts(o, "pt solid var(--red);margin-top:4mm}\n"
                ".page .masthead .doc-number{text-align:center}\n"
                ".page .masthead .doc-date{text-align:right}\n"
                ".page .masthead .issue-line{display:flex;justify-content:space-between;"
                "flex-wrap:wrap;gap:0 1em}\n"
                ".masthead .red-rule.double{border-bottom:1px solid var(--red);height:5px}\n"
                ".page .editor-note .note-label{font-family:var(--f-hei)}\n"
                ".page .doc-title{text-wrap:balance}\n"
                ".page .signature{text-align:right;padding:var(--pitch) ");
    len(o, 4 * st->el[EL_SIGNATURE].size);
    buf_puts(o, " 0 0}\n"
                ".page .signature>div{display:inline-block}\n"
                ".page .signature p{text-align:center;text-indent:0}\n"
                ".page .colophon{margin-top:calc(var(--pitch)*2);border-top:.35mm solid var(--rule);"
                "border-bottom:.35mm solid var(--rule)}\n"
                ".page .colophon p{display:flex;justify-content:space-between;gap:1em;"
                "padding:0 1em;text-indent:0}\n"
                ".page .colophon p.rule-above{border-top:.25mm solid var(--rule)}\n");
}

static void toc_rules(struct buf *o)
{
    buf_puts(o,
             ".toc{font-family:var(--f-hei);font-size:.9375rem;line-height:1.5;"
             "color:var(--text);background:#f7f6f2;padding:1rem}\n"
             ".toc-title{font-weight:700;margin:0 0 .5rem}\n"
             ".toc ol{list-style:none;margin:0;padding:0}\n"
             ".toc li{margin:.15rem 0}\n"
             ".toc .toc-2{padding-left:1em}\n"
             ".toc .toc-3{padding-left:2em;font-size:.875rem}\n"
             ".toc a{color:inherit;text-decoration:none}\n"
             ".toc a:hover,.toc a:focus{text-decoration:underline}\n");
}

/* Wide screens: a sticky sidebar beside a sheet one type area wide.
 * Narrow screens (tablets too): the contents above the text, the sheet
 * full width. Phones: body text at least 16 px whatever the template. */
static void screen_rules(const struct style *st, struct buf *o)
{
    double body = st->el[EL_BODY].size > 0 ? st->el[EL_BODY].size : 12;
    char phone_pt[64];
    snprintf(phone_pt, sizeof phone_pt, "%.4fpt", fmax(0.75, 12.0 / body));
    buf_puts(o,
             ".page{background:#fff;max-width:calc(var(--measure) + 2*var(--pad));"
             "margin:0 auto;padding:var(--pad)}\n"
             ":root{--pad:calc(40*var(--pt))}\n"
             "@media screen and (min-width:1001px){\n"
             "body.has-toc{display:grid;grid-template-columns:minmax(12em,17em) "
             "minmax(0,calc(var(--measure) + 2*var(--pad)));justify-content:center;"
             "column-gap:2rem;align-items:start;padding:0 1.5rem}\n"
             "body.has-toc .page{margin:2rem 0;width:100%}\n"
             ".toc{position:sticky;top:0;max-height:100vh;overflow-y:auto;background:none;"
             "padding:2rem 0 2rem 1rem}\n"
             ".page{margin-top:2rem;margin-bottom:2rem;box-shadow:0 1px 4px rgba(0,0,0,.15)}\n"
             "}\n"
             "@media screen and (max-width:1000px){\n"
             ":root{--pt:.75pt;--pad:1rem}\n"
             "body{background:#fff}\n"
             ".toc{max-height:45vh;overflow-y:auto;border-bottom:1px solid #dcdad3}\n"
             "}\n"
             /* phones get each chart drawn for a narrow column (readable labels, no scrolling) */
             "figure.chart svg.narrow{display:none}\n"
             "@media screen and (max-width:600px){\n"
             "figure.chart svg.wide{display:none}\n"
             "figure.chart svg.narrow{display:block}\n");
    buf_printf(o, ":root{--pt:%s}\n}\n", phone_pt);
}

static void page_number_rule(const struct style *st, struct buf *o, const char *box)
{
    const struct page_number_style *pn = &st->page_number;
    const char *at = strstr(pn->format, "{page}");
    char prefix[256] = "";
    snprintf(prefix, sizeof prefix, "%.*s", at ? (int)(at - pn->format) : 0, pn->format);
    buf_printf(o, "@%s{content:", box);
    css_str(o, prefix);
    buf_puts(o, " counter(page) ");
    css_str(o, at ? at + 6 : "");
    /* literal values: the page context does not see the root's variables */
    struct stack s;
    enum font_role role = st->el[EL_PAGE_NUMBER].font;
    build_stack(st, role, &s);
    buf_puts(o, ";font-family:");
    stack_list(o, role, &s);
    buf_puts(o, ";font-size:");
    num(o, st->el[EL_PAGE_NUMBER].size);
    buf_puts(o, "pt;vertical-align:top;padding-top:");
    num(o, pn->below);
    buf_puts(o, "pt;margin:0 ");
    num(o, pn->inset);
    buf_puts(o, "pt}");
}

static void page_rules(const struct style *st, struct buf *o)
{
    bool a4 = fabs(st->page_w - 595.276) < 1 && fabs(st->page_h - 841.89) < 1;
    buf_puts(o, "@page{size:");
    if (a4)
        buf_puts(o, "A4");
    else
        buf_printf(o, "%.2fpt %.2fpt", st->page_w, st->page_h);
    buf_printf(o, ";margin:%.2fpt %.2fpt %.2fpt %.2fpt", st->margin_top, st->margin_right,
               st->margin_bottom, st->margin_left);
    buf_puts(o, "}\n");
    switch (st->page_number.position) {
    case PN_OUTSIDE: /* odd pages right, even pages left */
        buf_puts(o, "@page :right{");
        page_number_rule(st, o, "bottom-right");
        buf_puts(o, "}\n@page :left{");
        page_number_rule(st, o, "bottom-left");
        buf_puts(o, "}\n");
        break;
    case PN_CENTER:
    case PN_RIGHT:
        buf_puts(o, "@page{");
        page_number_rule(st, o, st->page_number.position == PN_CENTER ? "bottom-center"
                                                                       : "bottom-right");
        buf_puts(o, "}\n");
        break;
    case PN_NONE:
        break;
    }
}

static void print_rules(const struct style *st, struct buf *o)
{
    page_rules(st, o);
    buf_puts(o,
             "@media print{\n"
             ":root{--pt:1pt;--pad:0}\n"
             "body{background:none;display:block}\n"
             ".toc{display:none}\n"
             ".page{max-width:none;margin:0;padding:0;box-shadow:none}\n"
             ".pagebreak{break-after:page;border:0;margin:0}\n"
             "h1,h2,h3,h4,h5,h6,.doc-title{break-after:avoid;break-inside:avoid}\n"
             "p,li{orphans:2;widows:2}\n"
             "tr,figure,pre{break-inside:avoid}\n"
             "thead{display:table-header-group}\n"
             ".table-wrap{overflow:visible}\n"
             ".kpi{border-bottom:0}\n"
             "a{color:inherit;text-decoration:none}\n"
             ".fn-back{display:none}\n"
             "figure.chart[data-pending]{border:0}\n"
             "}\n");
}

void css_font_stack(const struct style *st, enum font_role role, struct buf *out)
{
    struct stack s;
    build_stack(st, role, &s);
    stack_list(out, role, &s);
}

void css_write(const struct style *st, struct buf *out)
{
    root_vars(st, out);
    base_rules(st, out);
    toc_rules(out);
    screen_rules(st, out);
    elements(st, out);
    element_extras(st, out);
    title_rules(st, out);
    print_rules(st, out);
}
