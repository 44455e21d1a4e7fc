#define _DEFAULT_SOURCE
/* Unit tests: one function per module feature, run by cmocka. Layout
 * tests use the real template and fonts, as the renderer does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "buf.h"
#include "cff.h"
#include "canvas.h"
#include "canvas_pdf.h"
#include "chart.h"
#include "doc.h"
#include "deflater.h"
#include "fontcut.h"
#include "pdftext.h"
#include "pdfw.h"
#include "fonts.h"
#include "fontsubset.h"
#include "layout.h"
#include "paragraph.h"
#include "style.h"
#include "utf8.h"
#include "xalloc.h"
#include <ft2build.h>
#include FT_FREETYPE_H
#include <libdeflate.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

static void utf8_validation(void **state)
{
    (void)state;
    int line = 0, col = 0;
    assert_true(utf8_validate("中文\nabc", 10, &line, &col));
    const char bad[] = "第一行\n第二\xff行";
    assert_false(utf8_validate(bad, sizeof bad - 1, &line, &col));
    assert_int_equal(line, 2);
    assert_int_equal(col, 3);
    const char nul[] = "ab\0c";
    assert_false(utf8_validate(nul, 4, &line, &col));
    assert_int_equal(col, 3);
}

static void char_classes(void **state)
{
    (void)state;
    assert_true(cjk_no_line_start(0x3002));  /* 。 */
    assert_true(cjk_no_line_start(0x00B7));  /* · */
    assert_true(cjk_no_line_start(0xFF5E));  /* ～ */
    assert_true(cjk_no_line_end(0x300A));    /* 《 */
    assert_false(cjk_no_line_start(0x4E2D)); /* 中 */
    assert_true(cjk_is_han(0x4E2D));
}

static struct doc *parse(const char *md, struct diag *d)
{
    return doc_parse("t.md", md, strlen(md), d);
}

static int count_type(cmark_node *root, cmark_node_type type)
{
    int n = 0;
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(cmark_iter_get_node(it)) == type)
            n++;
    cmark_iter_free(it);
    return n;
}

static void cjk_emphasis(void **state)
{
    (void)state;
    struct diag *d = diag_new();
    struct doc *doc = parse("扎实推进**“三新”“三量”**工作。\n\n**目标：**全面完成。\n\n"
                            "a **b** c, 2\\*3 and `**“x”**y`\n",
                            d);
    assert_non_null(doc);
    assert_int_equal(count_type(doc->root, CMARK_NODE_STRONG), 3);
    char *html = cmark_render_commonmark(doc->root, 0, 0);
    assert_null(strstr(html, "\xEF\xB7\x90")); /* no marker survives */
    assert_non_null(strstr(html, "`**“x”**y`"));  /* code stays code */
    free(html);
    doc_free(doc);
    diag_free(d);
}

static void front_matter(void **state)
{
    (void)state;
    struct diag *d = diag_new();
    struct doc *doc = parse("---\ntitle: 报告\ndate: 2025年1月13日\ncc: [甲, 乙]\nfoo: 1\n---\n# 一、标题\n", d);
    assert_non_null(doc);
    assert_string_equal(doc->meta.title, "报告");
    assert_int_equal(doc->meta.date.day, 13);
    assert_string_equal(doc->meta.cc[1], "乙");
    assert_int_equal(d->warnings, 1);
    assert_int_equal(d->items[0].line, 5);
    cmark_node *h = cmark_node_first_child(doc->root);
    assert_int_equal(cmark_node_get_start_line(h), 7); /* lines stay the file's */
    doc_free(doc);
    diag_free(d);

    d = diag_new();
    assert_null(parse("---\ntitle: 报告\ndate: 2025-02-30\n---\n正文\n", d));
    assert_int_equal(d->errors, 1);
    assert_int_equal(d->items[0].line, 3);
    diag_free(d);

    d = diag_new();
    assert_null(parse("---\ntitle: [unclosed\n---\n", d));
    assert_int_equal(d->errors, 1);
    diag_free(d);

    d = diag_new();
    assert_null(parse("---\ntitle: 报告\n", d));
    assert_int_equal(d->errors, 1);
    diag_free(d);
}

static char *write_temp(const char *text)
{
    char *path = xstrdup("/tmp/briefing-unit-XXXXXX.yaml");
    int fd = mkstemps(path, 5);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void templates(void **state)
{
    (void)state;
    struct diag *d = diag_new();
    struct style *st = style_load("gongwen", d);
    assert_non_null(st);
    assert_int_equal(d->errors, 0);
    assert_float_equal(style_pitch(st), 28.99, 0.01);
    assert_float_equal(style_type_width(st), 442.205, 0.01);
    /* 空两字: two character cells of the 28-a-line grid, not two 16 pt ems */
    assert_float_equal(st->el[EL_BODY].indent, 2 * (16 + (442.205 - 28 * 16) / 27), 0.01);
    style_free(st);

    char *typo = write_temp("extends: gongwen\nstyles:\n  body: {font: fangsong, sise: 12pt}\n");
    st = style_load(typo, d);
    assert_null(st);
    assert_int_equal(d->items[d->count - 1].line, 3);
    assert_non_null(strstr(d->items[d->count - 1].msg, "sise"));
    unlink(typo);
    free(typo);

    char *self = write_temp("extends: ./x.yaml\n");
    char *dir_self = xasprintf("extends: %s\n", self);
    FILE *f = fopen(self, "w");
    fputs(dir_self, f);
    fclose(f);
    diag_free(d);
    d = diag_new();
    assert_null(style_load(self, d));
    assert_non_null(strstr(d->items[0].msg, "cycle"));
    unlink(self);
    free(self);
    free(dir_self);

    char *custom = write_temp("extends: gongwen\npalette: {red: \"#123456\"}\nstyles:\n  body: {size: 12pt}\n");
    diag_free(d);
    d = diag_new();
    st = style_load(custom, d);
    assert_non_null(st);
    assert_float_equal(st->el[EL_BODY].size, 12, 0.001);
    /* 2 character cells: 12 pt spread over the 28-a-line grid */
    assert_float_equal(st->el[EL_BODY].indent, 2 * (12 + (442.205 - 28 * 12) / 27), 0.01);
    assert_float_equal(st->red.r, 0x12 / 255.0, 0.001);
    assert_float_equal(st->el[EL_H2].size, 16, 0.001);    /* inherited */
    style_free(st);
    unlink(custom);
    free(custom);
    diag_free(d);
}

struct fixture {
    struct style *st;
    struct fonts *fonts;
    struct diag *d;
};

static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    f->d = diag_new();
    f->st = style_load("gongwen", f->d);
    f->fonts = fonts_new(f->st, f->d);
    *state = f;
    return f->fonts ? 0 : -1;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    fonts_free(f->fonts);
    style_free(f->st);
    diag_free(f->d);
    free(f);
    return 0;
}

static struct para *lay(struct fixture *f, enum element el, const char *text, double width)
{
    struct rich *r = rich_new(f->fonts, f->st, el, "t.md", 1);
    rich_add_text(r, text);
    return para_layout(r, width, 0, ALIGN_JUSTIFY, f->d);
}

static char *line_text(struct para *p, int i)
{
    const char *t = pango_layout_get_text(p->layout);
    return xstrndup(t + p->lines[i]->start_index, (size_t)p->lines[i]->length);
}

/* 14 pt table text has no grid tracking: widths are plain em counts. */
static void punctuation_widths(void **state)
{
    struct fixture *f = *state;
    struct para *p = lay(f, EL_TABLE, "好。”好", 400);
    assert_float_equal(p->line_w[0], 14 * 3.5, 0.05); /* 。” take 1.5 em */
    para_free(p);
    p = lay(f, EL_TABLE, "好（“好", 400);
    assert_float_equal(p->line_w[0], 14 * 3.5, 0.05); /* （“ take 1.5 em */
    para_free(p);
    p = lay(f, EL_TABLE, "好——好", 400);
    assert_float_equal(p->line_w[0], 14 * 4, 0.05);   /* —— is exactly 2 em */
    para_free(p);
    p = lay(f, EL_TABLE, "好、“好", 400); /* a break hint sits between 、 and “ */
    assert_float_equal(p->line_w[0], 14 * 3.5, 0.05);
    para_free(p);
    p = lay(f, EL_TABLE, "好……好", 400);
    assert_float_equal(p->line_w[0], 14 * 4, 0.05);
    para_free(p);
}

static void grid_line(void **state)
{
    struct fixture *f = *state;
    double w = style_type_width(f->st);
    const char *text = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十";
    struct para *p = lay(f, EL_BODY, text, w);
    char *first = line_text(p, 0);
    assert_int_equal(strlen(first), 28 * 3); /* 28 characters on a full line */
    assert_float_equal(p->line_w[0], w, 0.3);
    free(first);
    para_free(p);
    /* a first line indented two characters holds 26 (GB/T 9704 7.1: 28 a line) */
    struct rich *r = rich_new(f->fonts, f->st, EL_BODY, "t.md", 1);
    rich_add_text(r, text);
    p = para_layout(r, w, f->st->el[EL_BODY].indent, ALIGN_JUSTIFY, f->d);
    first = line_text(p, 0);
    assert_int_equal(strlen(first), 26 * 3);
    free(first);
    para_free(p);
}

/* CLREQ strict: · ～ —— never start a line; a line-end 。 is half width
 * and the line still reaches the right edge. */
static void kinsoku(void **state)
{
    struct fixture *f = *state;
    double w = 16 * 10;
    const char *cases[] = {"一二三四五六七八九十·十一", "一二三四五六七八九十～十一",
                           "一二三四五六七八九十——十一", "一二三四五六七八九十……十一"};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct para *p = lay(f, EL_TABLE, cases[i], w);
        assert_true(p->nlines >= 2);
        char *second = line_text(p, 1);
        int n;
        int32_t c = utf8_decode(second, strlen(second), &n);
        if (c == 0x2060)
            c = utf8_decode(second + n, strlen(second) - (size_t)n, &n);
        assert_false(cjk_no_line_start(c));
        free(second);
        para_free(p);
    }
    struct para *p = lay(f, EL_TABLE, "一二三四五六七八九。十一二三四五六七八九十一二三", 16 * 10);
    char *first = line_text(p, 0);
    assert_non_null(strstr(first, "。"));
    assert_float_equal(p->line_w[0], 160, 0.1);
    free(first);
    para_free(p);
}

/* A line-end mark halved where that lets the next character up: the
 * character is joined to the one after it and goes back down, so the
 * mark ends the line (at half width, the line justified to the edge),
 * never a half-width mark inside it. In place, no break could move. */
static void halved_line_end_keeps_breaks(void **state)
{
    struct fixture *f = *state;
    /* 10 em on a 10.6 em measure: halving the ， leaves 1.1 em */
    struct para *p = lay(f, EL_TABLE, "一二三四五六七八九，十一二三四五六七", 14 * 10.6);
    char *first = line_text(p, 0), *second = line_text(p, 1);
    assert_string_equal(first, "一二三四五六七八九，");
    assert_memory_equal(second, "十\u2060一", strlen("十\u2060一"));
    assert_float_equal(p->line_w[0], 14 * 10.6, 0.1);
    free(first), free(second);
    para_free(p);
    /* 10 em on 10.2 em: 0.7 em is no room for a character */
    p = lay(f, EL_TABLE, "一二三四五六七八九，十一二三四五六七", 14 * 10.2);
    first = line_text(p, 0), second = line_text(p, 1);
    assert_string_equal(first, "一二三四五六七八九，");
    assert_memory_equal(second, "十一", strlen("十一"));
    assert_float_equal(p->line_w[0], 14 * 10.2, 0.1);
    free(first), free(second);
    para_free(p);
}

static void lone_last_character(void **state)
{
    struct fixture *f = *state;
    /* 11 characters on a 10-character measure would leave 十一。 → 一。 alone */
    struct para *p = lay(f, EL_TABLE, "一二三四五六七八九十一。", 140);
    assert_int_equal(p->nlines, 2);
    char *last = line_text(p, 1);
    int han = 0;
    for (size_t i = 0; i < strlen(last);) {
        int n;
        int32_t c = utf8_decode(last + i, strlen(last) - i, &n);
        han += cjk_is_han(c);
        i += (size_t)n;
    }
    assert_true(han >= 2);
    free(last);
    para_free(p);
}

/* Justification stretches the gaps next to Han only: digits keep their
 * natural advances. */
static void numbers_not_spaced(void **state)
{
    struct fixture *f = *state;
    struct para *p = lay(f, EL_TABLE, "增长20240517元的数字在这一行中间，后面还有很多很多很多字。", 14 * 12);
    PangoLayoutLine *line = p->lines[0];
    for (GSList *r = line->runs; r; r = r->next) {
        PangoGlyphItem *run = r->data;
        const char *text = pango_layout_get_text(p->layout) + run->item->offset;
        if (text[0] < '0' || text[0] > '9')
            continue;
        PangoGlyphString *gs = run->glyphs;
        for (int g = 0; g + 1 < gs->num_glyphs; g++) /* all but the last digit */
            assert_true(gs->glyphs[g].geometry.width < 0.6 * 14 * PANGO_SCALE);
    }
    para_free(p);
}

/* The first line of 14 pt text laid out in width pt, without the break
 * hints that end it. */
static char *first_line(struct fixture *f, const char *text, double width)
{
    struct para *p = lay(f, EL_TABLE, text, width);
    assert_true(p->nlines >= 2);
    char *first = line_text(p, 0);
    size_t n = strlen(first);
    while (n >= 3 && !strcmp(first + n - 3, "\xE2\x80\x8B"))
        first[n -= 3] = '\0';
    para_free(p);
    return first;
}

/* A number may end a line before a full-width bracket: "4.4%（2024）" is
 * not one unbreakable piece (Pango's UAX #14 makes it one), so the line
 * before it is not spaced out. */
static void break_before_bracket_after_number(void **state)
{
    char *first = first_line(*state, "一二三四五六七八九十4.4%（2024）；一二三四五六", 14 * 13);
    assert_string_equal(first + strlen(first) - 4, "4.4%");
    free(first);
}

/* Reduce before expanding: a line that would be spaced out around a number
 * halves its commas instead and takes the number up. */
static void squeeze_before_stretch(void **state)
{
    char *first = first_line(*state, "一二，三四，五六，七八88.8%和其他的一些字", 14 * 13);
    assert_non_null(strstr(first, "88.8%"));
    free(first);
}

/* "8.8亿" is one value: the line breaks before it, not inside it. */
static void number_keeps_magnitude(void **state)
{
    char *first = first_line(*state, "一二三四五六七八九8.8亿元和其他的一些字", 14 * 11);
    assert_null(strstr(first, "8.8"));
    free(first);
}

/* Last visible code point before byte end / first from byte start (our
 * joiners and break hints skipped). */
static int32_t visible_at(const char *t, int pos, int dir)
{
    for (int len = (int)strlen(t); dir < 0 ? pos > 0 : pos < len;) {
        int at = dir < 0 ? (int)utf8_prev(t, (size_t)pos) : pos, n;
        int32_t c = utf8_decode(t + at, strlen(t + at), &n);
        pos = dir < 0 ? at : pos + n;
        if (c != 0x2060 && c != 0x200B && c != ' ')
            return c;
    }
    return -1;
}

/* GB/T 15835: at no measure does a line break part a number from its unit
 * or magnitude (39|个, 3309.8万|元, 10余|家), 3%左|右, 2月|1日, or "3.1 %"
 * at its space. */
static void numbers_keep_units(void **state)
{
    static const char *const texts[] = {
        "一二三四五六七八九十新增39个项目和3309.8万元资金，引进10余家企业",
        "同比增长3.1 %，一二三四五六七八九十预计增长3%左右，2月1日起施行",
    };
    for (size_t k = 0; k < sizeof texts / sizeof *texts; k++)
        for (double w = 14 * 6; w <= 14 * 16; w += 3.5) {
            struct para *p = lay(*state, EL_TABLE, texts[k], w);
            const char *t = pango_layout_get_text(p->layout);
            for (int i = 0; i + 1 < p->nlines; i++) {
                int cut = p->lines[i + 1]->start_index;
                int32_t a = visible_at(t, cut, -1), b = visible_at(t, cut, 1);
                bool digit_a = a >= '0' && a <= '9';
                bool parted = (digit_a && (cjk_is_han(b) || b == '%')) ||
                              (a == 0x4E07 /* 万 */ && b == 0x5143 /* 元 */) ||
                              (a == 0x4F59 /* 余 */ && b == 0x5BB6 /* 家 */) ||
                              (a == 0x5DE6 /* 左 */ && b == 0x53F3 /* 右 */) ||
                              (a == 0x6708 /* 月 */ && b >= '0' && b <= '9');
                if (parted)
                    fail_msg("width %.1f: a line break between U+%04X and U+%04X", w, (unsigned)a,
                             (unsigned)b);
            }
            para_free(p);
        }
}

static void missing_glyph_is_error(void **state)
{
    struct fixture *f = *state;
    struct diag *d = diag_new();
    struct rich *r = rich_new(f->fonts, f->st, EL_BODY, "t.md", 7);
    rich_add_text(r, "生僻字\xF0\xAA\x9A\xA5和\xEE\x80\x80。"); /* U+2A6A5 and a private-use char */
    struct para *p = para_layout(r, 400, 0, ALIGN_JUSTIFY, d);
    assert_true(d->errors >= 1);
    assert_int_equal(d->items[0].line, 7);
    para_free(p);
    diag_free(d);
}

/* Families of a paragraph's glyph runs, in order, joined with "|". */
static char *run_families(struct para *p)
{
    struct buf b = {0};
    for (int i = 0; i < p->nlines; i++)
        for (GSList *l = p->lines[i]->runs; l; l = l->next) {
            PangoGlyphItem *run = l->data;
            PangoFontDescription *fd = pango_font_describe(run->item->analysis.font);
            buf_printf(&b, "%s|", pango_font_description_get_family(fd));
            pango_font_description_free(fd);
        }
    return buf_detach(&b);
}

/* Every glyph's advance and offsets, line by line, as text. */
static char *glyph_geometry(struct para *p)
{
    struct buf b = {0};
    for (int i = 0; i < p->nlines; i++) {
        for (GSList *l = p->lines[i]->runs; l; l = l->next) {
            PangoGlyphString *g = ((PangoGlyphItem *)l->data)->glyphs;
            for (int k = 0; k < g->num_glyphs; k++)
                buf_printf(&b, "%d,%d,%d ", g->glyphs[k].geometry.width,
                           g->glyphs[k].geometry.x_offset, g->glyphs[k].geometry.y_offset);
        }
        buf_puts(&b, "\n");
    }
    return buf_detach(&b);
}

static struct para *lay_mixed(struct fixture *f, struct fonts *fonts)
{
    struct rich *r = rich_new(fonts, f->st, EL_BODY, "t.md", 1);
    rich_add_text(r, "一二三四五龘，“一二”。三四GDP增长5.1%");  /* 龘 is not in the subsets */
    rich_add_footnote_mark(r, 1);
    rich_add_role_text(r, "黑体一二", ROLE_HEI);
    return para_layout(r, 16 * 8, 0, ALIGN_JUSTIFY, f->d);
}

/* Text in a batch draws from the cut-down faces where they have the
 * character and from the full face where not; every glyph (punctuation
 * compression, a superscript footnote mark, another role) sits where it
 * sits with the full faces. */
static void font_subsets_fall_back(void **state)
{
    struct fixture *f = *state;
    struct fonts *cut = fonts_new(f->st, f->d);
    const char *chars = "一二三四黑体，“”。GDP增长";
    struct font_subsets *s = font_subsets_new(&cut, 1, chars, strlen(chars), NULL);
    assert_true(font_subsets_count(s) >= 2);
    font_subsets_apply(s, cut);
    struct para *sub = lay_mixed(f, cut), *full = lay_mixed(f, f->fonts);
    char *fams = run_families(sub);
    assert_non_null(strstr(fams, "briefing subset"));
    char *full_face = xasprintf("%s|", fonts_role_family(f->fonts, ROLE_FANGSONG));
    assert_non_null(strstr(fams, full_face)); /* 龘: from the full face */
    free(full_face);
    char *gs = glyph_geometry(sub), *gf = glyph_geometry(full);
    assert_string_equal(gs, gf);
    assert_int_equal(sub->nlines, full->nlines);
    for (int i = 0; i < sub->nlines; i++)
        assert_float_equal(sub->line_w[i], full->line_w[i], 1e-6);
    assert_false(diag_has_errors(f->d));
    free(gs);
    free(gf);
    free(fams);
    para_free(sub);
    para_free(full);
    fonts_free(cut);
    font_subsets_free(s);
}

/* A glyph set for two texts copies as each: the second text (a glyph the
 * font shares between two characters, here made so by hand) goes into
 * the page as ActualText, the ToUnicode map keeps the first. */
static void pdf_text_shared_glyph(void **state)
{
    struct fixture *f = *state;
    struct fonts *own = fonts_new(f->st, f->d);
    const char *chars = "一二";
    struct font_cut *c = font_cut_start(own, f->st, chars, strlen(chars));
    PangoLayout *l = fonts_text_layout(own, ROLE_FANGSONG, chars, 16, false);
    PangoLayoutLine *line = pango_layout_get_line_readonly(l, 0);
    PangoGlyphString *gs = ((PangoGlyphItem *)line->runs->data)->glyphs;
    assert_int_equal(gs->num_glyphs, 2);
    gs->glyphs[1].glyph = gs->glyphs[0].glyph; /* 二 drawn with 一's glyph */
    font_cut_note(c, l);
    font_cut_mend(c);
    struct pdf_text *t = pdf_text_new(c);
    pdf_text_start(t);
    struct pdf_content pc;
    pdf_content_init(&pc, 842);
    pdf_text_line(t, &pc, line, 10, 20, (struct rgb){0, 0, 0});
    assert_non_null(strstr(pc.ops.data, "/Span <</ActualText <FEFF4E8C>>> BDC"));
    assert_null(strstr(pc.ops.data, "<FEFF4E00>")); /* the first text goes by the map */
    pdf_content_free(&pc);
    struct pdfw *w = pdfw_new();
    int res = pdfw_reserve(w);
    assert_true(pdf_text_write(t, w, res, f->d));
    pdfw_free(w);
    pdf_text_free(t);
    g_object_unref(l);
    font_cut_free(c);
    fonts_free(own);
}

/* Every glyph the layout drew is in its face's cut once the cut is
 * mended: 龘, left out of the text the faces were cut to, is added. */
static void font_cut_mends(void **state)
{
    struct fixture *f = *state;
    struct fonts *own = fonts_new(f->st, f->d);
    const char *chars = "一二三四黑体，“”。GDP增长";
    struct font_cut *c = font_cut_start(own, f->st, chars, strlen(chars));
    struct para *p = lay_mixed(f, own);
    font_cut_note(c, p->layout);
    font_cut_mend(c);
    font_cut_finish(c, NULL, NULL);
    int glyphs = 0, missing = 0;
    for (int i = 0; i < p->nlines; i++)
        for (GSList *l = p->lines[i]->runs; l; l = l->next) {
            PangoGlyphItem *run = l->data;
            const struct cut_face *cf = font_cut_face(c, run->item->analysis.font);
            for (int g = 0; g < run->glyphs->num_glyphs; g++) {
                PangoGlyph id = run->glyphs->glyphs[g].glyph;
                if (id == PANGO_GLYPH_EMPTY || id & PANGO_GLYPH_UNKNOWN_FLAG)
                    continue;
                glyphs++;
                missing += !cf || font_cut_glyph(cf, id) < 0;
            }
        }
    assert_true(glyphs > 10);
    assert_int_equal(missing, 0);
    para_free(p);
    font_cut_free(c);
    fonts_free(own);
}

/* Glyphs in the copy of the face a font of the layout's first run is
 * from (after font_cut_finish). */
static unsigned copy_glyphs(struct font_cut *c, PangoLayout *l)
{
    PangoLayoutLine *line = pango_layout_get_line_readonly(l, 0);
    const struct cut_face *cf = font_cut_face(c, ((PangoGlyphItem *)line->runs->data)->item->analysis.font);
    assert_non_null(cf);
    hb_face_t *face = hb_face_create(font_cut_blob(cf), font_cut_index(cf));
    unsigned n = hb_face_get_glyph_count(face);
    hb_face_destroy(face);
    return n;
}

/* The body's face is cut to the document's characters while the layout
 * runs; a face that sets a heading only, once noted, to the characters
 * it set: cutting every face to every character took a fifth of a
 * render's instructions. */
static void font_cut_defers_faces(void **state)
{
    struct fixture *f = *state;
    struct fonts *own = fonts_new(f->st, f->d);
    const char *text = "各地区各部门坚持稳中求进工作总基调完整准确全面贯彻新发展理念加快构建新发展格局着力推动高质量发展";
    enum font_role body = f->st->el[EL_BODY].font;
    enum font_role other = body == ROLE_HEI ? ROLE_KAI : ROLE_HEI;
    struct font_cut *c = font_cut_start(own, f->st, text, strlen(text));
    PangoLayout *lb = fonts_text_layout(own, body, text, 16, f->st->el[EL_BODY].bold);
    PangoLayout *lh = fonts_text_layout(own, other, "总基调", 16, false);
    font_cut_note(c, lb);
    font_cut_note(c, lh);
    font_cut_mend(c);
    font_cut_finish(c, NULL, NULL);
    assert_true(copy_glyphs(c, lb) >= 40); /* the document's characters */
    assert_true(copy_glyphs(c, lh) <= 8);  /* its own three, .notdef, a few more */
    g_object_unref(lb);
    g_object_unref(lh);
    font_cut_free(c);
    fonts_free(own);
}

/* An outline as FreeType loads it, unscaled: points, tags, contours. */
static struct buf outline_of(FT_Face face, unsigned glyph)
{
    struct buf b = {0};
    assert_int_equal(FT_Load_Glyph(face, glyph, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING), 0);
    FT_Outline *o = &face->glyph->outline;
    buf_put(&b, o->points, (size_t)o->n_points * sizeof *o->points);
    buf_put(&b, o->tags, (size_t)o->n_points);
    buf_put(&b, o->contours, (size_t)o->n_contours * sizeof *o->contours);
    buf_printf(&b, "%ld", face->glyph->metrics.horiAdvance);
    return b;
}

/* Each glyph a layout drew, loaded from the program a PDF embeds by the
 * code the PDF shows it with (a CID-keyed CFF's CID, a name-keyed one's
 * or a TrueType program's own glyph id), has the copy's outline; the
 * program is smaller than the copy. Returns the glyphs compared. */
static int program_draws_copy(FT_Library lib, struct font_cut *c, PangoLayout *l)
{
    PangoLayoutLine *line = pango_layout_get_line_readonly(l, 0);
    PangoGlyphItem *run = line->runs->data;
    const struct cut_face *cf = font_cut_face(c, run->item->analysis.font);
    assert_non_null(cf);
    unsigned copy_len, prog_len;
    const char *copy = hb_blob_get_data(font_cut_blob(cf), &copy_len);
    const char *prog = hb_blob_get_data(font_cut_program(c, cf), &prog_len);
    FT_Face copy_face, prog_face;
    assert_int_equal(FT_New_Memory_Face(lib, (const FT_Byte *)copy, copy_len, (FT_Long)font_cut_index(cf), &copy_face), 0);
    assert_int_equal(FT_New_Memory_Face(lib, (const FT_Byte *)prog, prog_len, 0, &prog_face), 0);
    hb_face_t *hb = hb_face_create(font_cut_blob(cf), font_cut_index(cf));
    hb_blob_t *cff = hb_face_reference_table(hb, HB_TAG('C', 'F', 'F', ' '));
    unsigned cff_len, nglyphs = hb_face_get_glyph_count(hb);
    const unsigned char *cff_data = (const unsigned char *)hb_blob_get_data(cff, &cff_len);
    uint16_t *cid = xcalloc(nglyphs + 1, sizeof *cid);
    bool cid_keyed = false;
    if (cff_len) {
        assert_true(cff_glyph_cids(cff_data, cff_len, nglyphs, cid, &cid_keyed));
        assert_true(cff_flat(cff_data, cff_len)); /* HarfBuzz's copies are flattened */
    }
    assert_true(prog_len < (cff_len ? cff_len : copy_len));
    int compared = 0;
    for (int g = 0; g < run->glyphs->num_glyphs; g++) {
        int copy_glyph = font_cut_glyph(cf, run->glyphs->glyphs[g].glyph);
        assert_true(copy_glyph >= 0);
        unsigned code = cid_keyed ? cid[copy_glyph] : (unsigned)font_cut_program_glyph(cf, (unsigned)copy_glyph);
        struct buf want = outline_of(copy_face, (unsigned)copy_glyph), got = outline_of(prog_face, code);
        assert_true(want.len > 8);
        assert_int_equal(want.len, got.len);
        assert_memory_equal(want.data, got.data, want.len);
        char want_name[64] = "", got_name[64] = ""; /* a name-keyed program's charset */
        if (FT_HAS_GLYPH_NAMES(copy_face)) {
            assert_int_equal(FT_Get_Glyph_Name(copy_face, (FT_UInt)copy_glyph, want_name, sizeof want_name), 0);
            assert_int_equal(FT_Get_Glyph_Name(prog_face, code, got_name, sizeof got_name), 0);
        }
        assert_string_equal(want_name, got_name);
        buf_free(&want);
        buf_free(&got);
        compared++;
    }
    free(cid);
    hb_blob_destroy(cff);
    hb_face_destroy(hb);
    FT_Done_Face(copy_face);
    FT_Done_Face(prog_face);
    return compared;
}

/* The programs the PDF embeds, for a name-keyed CFF face (the body's), a
 * CID-keyed one (hei) and a TrueType one (kai), cut to the glyphs drawn. */
static void font_programs_draw_copies(void **state)
{
    struct fixture *f = *state;
    struct fonts *own = fonts_new(f->st, f->d);
    /* the body sets the example's text: its program keeps runs of glyphs
     * (a charset of ranges), and the other faces a few glyphs (a list) */
    struct doc *doc = doc_load(EXAMPLE_REPORT, f->d);
    assert_non_null(doc);
    const char *text = strstr(doc->src, "现将"); /* from the first paragraph on */
    assert_non_null(text);
    struct font_cut *c = font_cut_start(own, f->st, doc->src, doc->len);
    PangoLayout *l[3] = {fonts_text_layout(own, f->st->el[EL_BODY].font, text, 16, false),
                         fonts_text_layout(own, ROLE_HEI, "各地区各部门", 16, false),
                         fonts_text_layout(own, ROLE_KAI, "工作总基调", 16, false)};
    for (int i = 0; i < 3; i++)
        font_cut_note(c, l[i]);
    font_cut_mend(c);
    font_cut_finish(c, NULL, NULL);
    FT_Library lib;
    assert_int_equal(FT_Init_FreeType(&lib), 0);
    for (int i = 0; i < 3; i++) {
        assert_true(program_draws_copy(lib, c, l[i]) >= 5);
        g_object_unref(l[i]);
    }
    FT_Done_FreeType(lib);
    font_cut_free(c);
    fonts_free(own);
    doc_free(doc);
}

/* A batch takes the faces it cut whole; a face it falls back on (a
 * character its cut lacks) is cut like a single document's, never
 * embedded from the full font file. */
static void batch_cuts_full_faces(void **state)
{
    struct fixture *f = *state;
    struct fonts *own = fonts_new(f->st, f->d); /* no subsets: every face a full one */
    struct font_cut *c = font_cut_new();
    PangoLayout *l = fonts_text_layout(own, ROLE_HEI, "各地区各部门", 16, false);
    font_cut_note(c, l);
    font_cut_mend(c);
    font_cut_finish(c, NULL, NULL);
    PangoLayoutLine *line = pango_layout_get_line_readonly(l, 0);
    const struct cut_face *cf = font_cut_face(c, ((PangoGlyphItem *)line->runs->data)->item->analysis.font);
    assert_non_null(cf);
    assert_false(font_subset_file(font_cut_file(cf)));
    assert_true(hb_blob_get_length(font_cut_blob(cf)) < 200 * 1024);
    hb_blob_t *program = font_cut_program(c, cf);
    assert_non_null(program);
    assert_true(hb_blob_get_length(program) < 20 * 1024);
    g_object_unref(l);
    font_cut_free(c);
    fonts_free(own);
}

/* A label that recurs across a document's charts is laid out once: its
 * later uses take the first one's layout. */
static void chart_labels_laid_out_once(void **state)
{
    struct fixture *f = *state;
    struct fonts *own = fonts_new(f->st, f->d);
    struct font_cut *c = font_cut_new();
    struct label_queue q = {0};
    for (int chart = 0; chart < 2; chart++) {
        struct canvas_pdf *cp = canvas_pdf_new(NULL, NULL, c, &q, own, ROLE_HEI, 0, 0);
        struct canvas cv = canvas_pdf(cp);
        cv.ops->text(cv.ctx, 0, 10, "2025年", 9, false, ANCHOR_START, (struct rgb){0, 0, 0});
        cv.ops->text(cv.ctx, 0, 20, "2025年", 9, true, ANCHOR_START, (struct rgb){0, 0, 0});
        canvas_pdf_free(cp);
    }
    assert_int_equal(q.n, 4);
    assert_ptr_equal(q.layouts[0], q.layouts[2]);
    assert_ptr_equal(q.layouts[1], q.layouts[3]);
    assert_ptr_not_equal(q.layouts[0], q.layouts[1]); /* bold is another label */
    label_queue_free(&q);
    font_cut_free(c);
    fonts_free(own);
}

/* The characters a batch cuts its faces to: each character of the text
 * (repeated ones, control characters, those beyond the Basic
 * Multilingual Plane), printable ASCII and the layout's own. */
static void subset_characters(void **state)
{
    (void)state;
    const char text[] = "增长增长\t\x01𠀀𠀀🙂";
    hb_set_t *set = font_subset_unicodes(text, sizeof text - 1);
    const hb_codepoint_t want[] = {0x589E, 0x957F, '\t', 0x01, 0x20000, 0x1F642, 'A', '~', ' ', 0x3002};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        assert_true(hb_set_has(set, want[i]));
    assert_false(hb_set_has(set, '\n'));
    assert_false(hb_set_has(set, 0x9F98)); /* 龘: in neither the text nor the layout's words */
    hb_set_destroy(set);
}

/* fonts_free returns only when Pango's font map is gone, even with
 * fontconfig sorts still queued on Pango's own thread (each job holds the
 * map): otherwise the map's caches outlive the program and read as leaks
 * under valgrind. Each size below queues a match and a sort. */
static void fonts_free_ends_font_map(void **state)
{
    struct fixture *f = *state;
    struct fonts *own = fonts_new(f->st, f->d);
    PangoContext *ctx = fonts_context(own);
    gpointer probe = pango_context_get_font_map(ctx);
    g_object_add_weak_pointer(G_OBJECT(probe), &probe);
    PangoLayout *pl = pango_layout_new(ctx);
    pango_layout_set_text(pl, "一二三GDP", -1);
    for (int i = 0; i < 400; i++) {
        PangoFontDescription *desc = pango_font_description_from_string(fonts_role_family(own, ROLE_SONG));
        pango_font_description_set_size(desc, 8 * PANGO_SCALE + i * 64);
        pango_layout_set_font_description(pl, desc);
        pango_font_description_free(desc);
        int w, h;
        pango_layout_get_pixel_size(pl, &w, &h);
    }
    g_object_unref(pl);
    fonts_free(own);
    assert_null(probe);
}

static void pagination(void **state)
{
    struct fixture *f = *state;
    /* 21 filler lines, then a heading: it must move to the next page */
    struct buf md = {0};
    for (int i = 0; i < 21; i++)
        buf_puts(&md, "一二三四五六七八九十一二三四五六七八九十一二三四五六\n\n");
    buf_puts(&md, "## 一、标题\n\n正文第一段，内容足够长，需要占用两行以上的位置才能检验孤行控制是否有效，所以继续写。\n");
    struct diag *d = diag_new();
    struct doc *doc = doc_parse("t.md", md.data, md.len, d);
    struct layout *l = layout_new(doc, f->st, f->fonts, d);
    assert_int_equal(l->npages, 2);
    const struct page *p2 = &l->pages[1];
    assert_int_equal(p2->boxes[0].heading, 2);
    char *dump = layout_dump(l);
    assert_non_null(strstr(dump, "page 2\n  line h2"));
    free(dump);
    layout_free(l);
    doc_free(doc);
    diag_free(d);
    buf_free(&md);
}

/* Paragraphs laid out ahead in a second thread (as long documents are)
 * give the layout the walk gives alone, box for box: on the example,
 * with its lists, quotes, notes, tables, charts and attachments, and with
 * findings in the same order. */
static void layout_ahead_same(void **state)
{
    struct fixture *f = *state;
    struct diag *d = diag_new();
    struct doc *doc = doc_load(EXAMPLE_REPORT, d);
    assert_non_null(doc);
    struct buf md = {0}; /* and a paragraph with a glyph no font has */
    buf_put(&md, doc->src, doc->len);
    buf_puts(&md, "\n无字形的字：\xF0\x9F\xAB\xA8。\n");
    doc_free(doc);
    doc = doc_parse("t.md", md.data, md.len, d);
    struct diag *d1 = diag_new(), *d2 = diag_new();
    struct fonts *own = fonts_new(f->st, d);
    struct layout *alone = layout_new_ahead(doc, f->st, own, false, d1);
    struct layout *ahead = layout_new_ahead(doc, f->st, own, true, d2);
    assert_non_null(ahead->pre);
    char *a = layout_dump(alone), *b = layout_dump(ahead);
    assert_true(strlen(a) > 10000);
    assert_string_equal(a, b);
    assert_int_equal(d1->count, d2->count);
    assert_true(d1->count > 0);
    for (int i = 0; i < d1->count; i++)
        assert_string_equal(d1->items[i].msg, d2->items[i].msg);
    free(a);
    free(b);
    layout_free(alone);
    layout_free(ahead);
    fonts_free(own);
    diag_free(d1);
    diag_free(d2);
    doc_free(doc);
    diag_free(d);
    buf_free(&md);
}

/* Data deflated in the deflater's thread comes back whole, each item
 * its own, whatever order they are taken in; what is not taken is freed. */
static void deflater_round_trip(void **state)
{
    (void)state;
    struct deflater *d = deflater_new(PDFW_LEVEL_CONTENT);
    assert_non_null(d);
    struct buf in[3] = {{0}};
    for (int k = 0; k < 3; k++) {
        for (int i = 0; i < 2000 * (k + 1); i++)
            buf_printf(&in[k], "%d %d Td (page %d) Tj\n", i, k, k);
        assert_int_equal(deflater_push(d, in[k].data, in[k].len), k);
    }
    deflater_push(d, "never taken", 11);
    struct libdeflate_decompressor *dc = libdeflate_alloc_decompressor();
    int order[] = {2, 0, 1};
    for (int t = 0; t < 3; t++) {
        int k = order[t];
        struct buf z = {0};
        assert_true(deflater_take(d, k, &z));
        assert_true(z.len < in[k].len / 4);
        char *back = xmalloc(in[k].len);
        size_t n = 0;
        assert_int_equal(libdeflate_zlib_decompress(dc, z.data, z.len, back, in[k].len, &n),
                         LIBDEFLATE_SUCCESS);
        assert_int_equal(n, in[k].len);
        assert_memory_equal(back, in[k].data, n);
        free(back);
        buf_free(&z);
        buf_free(&in[k]);
    }
    libdeflate_free_decompressor(dc);
    deflater_free(d);
}

/* A chart that does not fit waits for the next page and the text after it
 * fills this one; the chart opens the next page. */
static void chart_floats(void **state)
{
    struct fixture *f = *state;
    struct buf md = {0};
    for (int i = 0; i < 12; i++) /* 12 of the 22 lines */
        buf_puts(&md, "一二三四五六七八九十一二三四五六七八九十一二三四五六\n\n");
    buf_puts(&md, "```chart\ntype: bar\nheight: 400\ndata: [[甲, 1], [乙, 2]]\n```\n\n");
    buf_puts(&md, "之后的段落。\n");
    struct diag *d = diag_new();
    struct doc *doc = doc_parse("t.md", md.data, md.len, d);
    struct layout *l = layout_new(doc, f->st, f->fonts, d);
    char *dump = layout_dump(l);
    char *p2 = strstr(dump, "page 2\n");
    assert_non_null(p2);
    assert_true(strstr(dump, "|之后的段落。|") < p2);   /* the text stayed on page 1 */
    assert_true(strncmp(p2, "page 2\n  chart ", 15) == 0); /* the chart opens page 2 */
    free(dump);
    layout_free(l);
    doc_free(doc);
    diag_free(d);
    buf_free(&md);
}

static const char *const CHART_TYPES[] = {"bar", "column", "line", "pie", "donut", "kpi"};

/* A chart of the type: three values, one with a long name that wraps. */
static struct chart *sample_chart(const char *type, struct diag *d)
{
    char *yaml = xasprintf("type: %s\ntitle: 测试图表\nunit: 万吨\n"
                           "data: [[粮食产量, 3.9], [蔬菜产量, 33.3], [很长很长的一个指标名称需要换行, 51730]]\n",
                           type);
    struct chart *c = chart_parse(yaml, "t.md", 10, NULL, d);
    free(yaml);
    assert_non_null(c);
    return c;
}

/* A batch leaves a role's faces whole when its report cannot use them
 * (the code role's, with no code in the report): fewer faces are cut. */
static void font_subsets_leave_roles(void **state)
{
    struct fixture *f = *state;
    const char *chars = "一二三四";
    struct font_subsets *all = font_subsets_new(&f->fonts, 1, chars, strlen(chars), NULL);
    bool roles[ROLE_COUNT];
    for (int r = 0; r < ROLE_COUNT; r++)
        roles[r] = r != ROLE_MONO;
    struct font_subsets *some = font_subsets_new(&f->fonts, 1, chars, strlen(chars), roles);
    assert_true(font_subsets_count(some) >= 1);
    assert_true(font_subsets_count(some) < font_subsets_count(all));
    font_subsets_free(all);
    font_subsets_free(some);
}

static bool has_family(struct fonts *fonts, const char *name)
{
    PangoFontFamily **families;
    int n;
    pango_context_list_families(fonts_context(fonts), &families, &n);
    bool found = false;
    for (int i = 0; i < n; i++)
        found |= !strcmp(pango_font_family_get_name(families[i]), name);
    g_free(families);
    return found;
}

/* Noto CJK's regional faces leave the set-up, the SC ones and any a
 * template names stay. */
static void regional_siblings_dropped(void **state)
{
    struct fixture *f = *state;
    assert_true(has_family(f->fonts, "Noto Sans CJK SC"));
    assert_true(has_family(f->fonts, "Noto Serif CJK SC"));
    assert_false(has_family(f->fonts, "Noto Sans CJK JP"));
    assert_false(has_family(f->fonts, "Noto Serif CJK TC"));
    struct style *st = style_load("gongwen", f->d);
    for (char **v = st->fonts[ROLE_HEI]; *v; v++)
        free(*v);
    st->fonts[ROLE_HEI] = xreallocarray(st->fonts[ROLE_HEI], 2, sizeof(char *));
    st->fonts[ROLE_HEI][0] = xstrdup("Noto Sans CJK JP");
    st->fonts[ROLE_HEI][1] = NULL;
    struct fonts *named = fonts_new(st, f->d);
    assert_true(has_family(named, "Noto Sans CJK JP"));
    assert_false(has_family(named, "Noto Sans CJK KR"));
    assert_string_equal(fonts_role_family(named, ROLE_HEI), "Noto Sans CJK JP");
    fonts_free(named);
    style_free(st);
}

/* A chart drawn onto a tape (which passes each operation on) and the
 * tape played again give the same operations, in the same order, as
 * drawing the chart directly: every kind of chart, every kind of
 * operation (pie and donut sectors, line charts' polylines, cards). */
static void chart_tape_plays_back(void **state)
{
    (void)state;
    struct diag *d = diag_new();
    struct style *st = style_load("gongwen", d);
    for (size_t i = 0; i < sizeof CHART_TYPES / sizeof *CHART_TYPES; i++) {
        struct chart *c = sample_chart(CHART_TYPES[i], d);
        double h = chart_natural_height(c, 400, st);
        struct buf direct = {0}, passed = {0}, played = {0};
        struct canvas_record *r1 = canvas_record_new(&direct), *r2 = canvas_record_new(&passed),
                             *r3 = canvas_record_new(&played);
        struct canvas c1 = canvas_record(r1), c2 = canvas_record(r2), c3 = canvas_record(r3);
        chart_draw(c, &c1, 400, h, st);
        struct canvas_tape *t = canvas_tape_new(c2);
        struct canvas tv = canvas_tape(t);
        chart_draw(c, &tv, 400, h, st);
        canvas_tape_play(t, c3);
        assert_string_equal(direct.data, passed.data);
        assert_string_equal(direct.data, played.data);
        canvas_tape_free(t);
        canvas_record_free(r1), canvas_record_free(r2), canvas_record_free(r3);
        buf_free(&direct), buf_free(&passed), buf_free(&played);
        chart_free(c);
    }
    assert_int_equal(d->errors, 0);
    style_free(st);
    diag_free(d);
}

/* Every chart type draws its labels and values through the canvas; the
 * recording shows what was drawn. */
static void chart_recording(void **state)
{
    (void)state;
    struct diag *d = diag_new();
    struct style *st = style_load("gongwen", d);
    for (size_t i = 0; i < sizeof CHART_TYPES / sizeof *CHART_TYPES; i++) {
        struct chart *c = sample_chart(CHART_TYPES[i], d);
        struct buf out = {0};
        struct canvas_record *rec = canvas_record_new(&out);
        struct canvas cv = canvas_record(rec);
        chart_draw(c, &cv, 400, chart_natural_height(c, 400, st), st);
        assert_non_null(strstr(out.data, "|测试图表|"));
        assert_non_null(strstr(out.data, "粮食产量"));
        assert_non_null(strstr(out.data, "51,730"));
        canvas_record_free(rec);
        buf_free(&out);
        chart_free(c);
    }
    assert_int_equal(d->errors, 0);
    /* a card's note that does not fit wraps between words: never a
     * shortened figure such as "300家以…", never a figure split from its unit */
    const char *md = "甲[314家](kpi:a@2024 \"新增科技型企业\")，目标[300家以上](kpi:a@2025目标)；"
                     "乙[1家](kpi:b@2024 \"乙\")；丙[2家](kpi:c@2024 \"丙\")；丁[3家](kpi:e@2024 \"丁\")。\n";
    struct doc *doc = doc_parse("t.md", md, strlen(md), d);
    struct chart *cards = chart_overview_cards(doc->indicators, NULL, NULL, 0, st);
    for (double w = 200; w <= 600; w += 100) {
        struct buf out = {0};
        struct canvas_record *rec = canvas_record_new(&out);
        struct canvas cv = canvas_record(rec);
        chart_draw(cards, &cv, w, chart_natural_height(cards, w, st), st);
        assert_null(strstr(out.data, "…"));
        assert_non_null(strstr(out.data, "300家"));
        assert_non_null(strstr(out.data, "以上"));
        canvas_record_free(rec);
        buf_free(&out);
    }
    chart_free(cards);
    doc_free(doc);
    struct chart *bad = chart_parse("type: bar\ndata: [[a, x]]\n", "t.md", 10, NULL, d);
    assert_null(bad);
    assert_int_equal(d->items[d->count - 1].line, 12);
    style_free(st);
    diag_free(d);
}

static void indicator_values(void **state)
{
    (void)state;
    struct ivalue v;
    const char *why;
    assert_true(ivalue_parse("2.3万人", &v, &why));
    assert_float_equal(v.value, 23000, 1e-6);
    assert_string_equal(v.unit, "人");
    ivalue_free(&v);
    assert_true(ivalue_parse("约5.5亿元以上", &v, &why));
    assert_float_equal(v.value, 5.5e8, 1);
    assert_string_equal(v.prefix, "约");
    assert_string_equal(v.qualifier, "以上");
    ivalue_free(&v);
    assert_true(ivalue_parse("51,730元", &v, &why));
    assert_float_equal(v.value, 51730, 1e-6);
    ivalue_free(&v);
    assert_true(ivalue_parse("-3.2%", &v, &why));
    assert_float_equal(v.value, -3.2, 1e-9);
    ivalue_free(&v);
    assert_true(ivalue_parse("39.5微克/立方米", &v, &why));
    assert_string_equal(v.unit, "微克/立方米");
    ivalue_free(&v);
    assert_true(ivalue_parse("12千克", &v, &why)); /* 千克 is a unit, not 千 × 克 */
    assert_float_equal(v.value, 12, 1e-9);
    ivalue_free(&v);
    assert_false(ivalue_parse("很多", &v, &why));
    assert_false(ivalue_parse("5,73元", &v, &why));
    assert_false(ivalue_parse("5 元", &v, &why));
}

int main(void)
{
    const struct CMUnitTest plain[] = {
        cmocka_unit_test(utf8_validation), cmocka_unit_test(char_classes),
        cmocka_unit_test(cjk_emphasis),    cmocka_unit_test(front_matter),
        cmocka_unit_test(templates),       cmocka_unit_test(indicator_values),
        cmocka_unit_test(chart_recording), cmocka_unit_test(deflater_round_trip),
        cmocka_unit_test(chart_tape_plays_back),
    };
    const struct CMUnitTest typeset[] = {
        cmocka_unit_test(punctuation_widths), cmocka_unit_test(grid_line),
        cmocka_unit_test(kinsoku),            cmocka_unit_test(lone_last_character),
        cmocka_unit_test(halved_line_end_keeps_breaks),
        cmocka_unit_test(numbers_not_spaced), cmocka_unit_test(missing_glyph_is_error),
        cmocka_unit_test(break_before_bracket_after_number), cmocka_unit_test(squeeze_before_stretch),
        cmocka_unit_test(number_keeps_magnitude), cmocka_unit_test(numbers_keep_units),
        cmocka_unit_test(pagination),         cmocka_unit_test(font_subsets_fall_back),
        cmocka_unit_test(font_subsets_leave_roles), cmocka_unit_test(regional_siblings_dropped),
        cmocka_unit_test(font_cut_mends),
        cmocka_unit_test(font_cut_defers_faces), cmocka_unit_test(font_programs_draw_copies),
        cmocka_unit_test(batch_cuts_full_faces), cmocka_unit_test(chart_labels_laid_out_once),
        cmocka_unit_test(subset_characters),
        cmocka_unit_test(pdf_text_shared_glyph),
        cmocka_unit_test(layout_ahead_same),
        cmocka_unit_test(chart_floats),       cmocka_unit_test(fonts_free_ends_font_map),
    };
    int failed = cmocka_run_group_tests_name("model", plain, NULL, NULL);
    failed += cmocka_run_group_tests_name("typesetting", typeset, setup, teardown);
    return failed ? 1 : 0;
}
