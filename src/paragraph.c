/* Styled text and Chinese paragraph layout. Units: Pango units inside
 * Pango calls (1/1024 pt), pt everywhere else. */
#include "paragraph.h"
#include "indicator.h"
#include "model.h"
#include "utf8.h"
#include "wordbreak.h"
#include "xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LINE_SEPARATOR "\xE2\x80\xA8"
#define WORD_JOINER "\xE2\x81\xA0" /* U+2060: no break here, draws nothing */
#define HAN_GAP_CAP 0.09 /* em: the widest gap between CJK characters before others take over */
#define PUNCT_GAP_CAP 0.35 /* em: the widest gap beside a punctuation mark before all share */
#define MIXED_GAP_CAP 0.45 /* em: the widest gap next to a number or Latin word before all share (CLREQ: under ½ em) */
#define RELAYOUT_BUDGET 500000 /* bytes of text laid out again per paragraph */
#define MIN_PASSES 4
#define ZERO_WIDTH_SPACE "\xE2\x80\x8B" /* U+200B: a break may go here, draws nothing */

/* Why a mark was set half-width (the halted[] flags). */
enum { HALT_PAIR = 1, HALT_LINE_END = 2, HALT_SETTLED = 3, HALT_SQUEEZE = 4 };

struct linemark {
    int offset, line; /* text from byte offset on comes from source line */
};

struct rich {
    struct fonts *fonts;
    const struct style *st;
    enum element el;
    const char *file;
    struct buf text;
    PangoAttrList *attrs;
    struct span *links, *dots, *kpis;
    int nlinks, ndots, nkpis;
    struct linemark *lines;
    int nlines;
    int line;
    bool pending_break;   /* a soft break waits for the next character */
    bool at_start;        /* nothing appended yet: leading U+3000 is dropped */
    double tracking;      /* pt of letter-spacing for CJK runs (grid fitting) */
    int (*footnote_number)(void *ctx, cmark_node *ref);
    void *footnote_ctx;
    double size;          /* pt; 0: the element's */
};

static int32_t last_char(const struct buf *b)
{
    if (!b->len)
        return -1;
    size_t p = utf8_prev(b->data, b->len);
    int n;
    return utf8_decode(b->data + p, b->len - p, &n);
}

static void add_attr(PangoAttrList *l, PangoAttribute *a, int start, int end)
{
    a->start_index = (guint)start;
    a->end_index = (guint)end;
    pango_attr_list_insert(l, a);
}

struct rich *rich_new(struct fonts *fonts, const struct style *st, enum element el,
                      const char *file, int line)
{
    struct rich *r = xcalloc(1, sizeof *r);
    r->fonts = fonts;
    r->st = st;
    r->el = el;
    r->file = file;
    r->attrs = pango_attr_list_new();
    r->line = line;
    r->at_start = true;
    r->tracking = style_grid_tracking(st, el);
    return r;
}

void rich_free(struct rich *r)
{
    if (!r)
        return;
    buf_free(&r->text);
    pango_attr_list_unref(r->attrs);
    for (int i = 0; i < r->nlinks; i++)
        free(r->links[i].data);
    free(r->links);
    free(r->dots);
    free(r->kpis);
    free(r->lines);
    free(r);
}

void rich_set_fonts(struct rich *r, struct fonts *fonts) { r->fonts = fonts; }

const char *rich_text(const struct rich *r) { return r->text.data ? r->text.data : ""; }

char *rich_label(const struct rich *r)
{
    struct buf out = {0};
    const char *t = rich_text(r);
    for (size_t i = 0; t[i];) {
        int n;
        int32_t c = utf8_decode(t + i, strlen(t + i), &n);
        if (c != 0x2060 && c != 0x200B)
            buf_put(&out, t + i, (size_t)n);
        i += (size_t)n;
    }
    return out.data ? buf_detach(&out) : xstrdup("");
}

static void mark_line(struct rich *r)
{
    if (r->nlines && r->lines[r->nlines - 1].offset == (int)r->text.len) {
        r->lines[r->nlines - 1].line = r->line;
        return;
    }
    r->lines = xreallocarray(r->lines, (size_t)r->nlines + 1, sizeof *r->lines);
    r->lines[r->nlines++] = (struct linemark){(int)r->text.len, r->line};
}

static bool is_digit(int32_t c) { return c >= '0' && c <= '9'; }

/* The k-th visible character before the end of b (k = 0: the last), our
 * own joiners and break hints skipped; -1 if there is none. */
static int32_t char_back(const struct buf *b, int k)
{
    size_t end = b->len;
    while (end > 0) {
        size_t p = utf8_prev(b->data, end);
        int n;
        int32_t c = utf8_decode(b->data + p, end - p, &n);
        end = p;
        if (c == 0x2060 || c == 0x200B)
            continue;
        if (k-- == 0)
            return c;
    }
    return -1;
}

/* A magnitude or an approximation between a number and its unit. */
static bool is_magnitude(int32_t c)
{
    return c == 0x4E07 /* 万 */ || c == 0x4EBF /* 亿 */ || c == 0x5343 /* 千 */ ||
           c == 0x767E /* 百 */ || c == 0x4F59 /* 余 */ || c == 0x591A /* 多 */;
}

/* GB/T 15835: a number is never parted from what it counts. The Han
 * character after a number is its unit or classifier (39个, 2035年) and
 * the one after a magnitude too (3309.8万元, 10余家); 左右 is one word
 * and follows 3% with it; a date keeps 2月 with 1日; "3.1 %" keeps its
 * unit across the space. */
static bool joins_number(const struct buf *b, int32_t c)
{
    int32_t p0 = char_back(b, 0);
    if (p0 < 0)
        return false;
    /* the character before p0 is looked up only where it matters: this
     * runs for every character of the document */
    if (cjk_is_han(c)) {
        if (c == 0x53F3 /* 右 */ && p0 == 0x5DE6 /* 左 */)
            return true;
        int k = 0;
        int32_t p = p0; /* the k-th character back */
        while (k < 4 && is_magnitude(p))
            p = char_back(b, ++k);
        if (is_digit(p))
            return true;
        return c == 0x5DE6 && (p0 == '%' || p0 == 0x2030) && is_digit(char_back(b, 1));
    }
    if (is_digit(c))
        return p0 == 0x6708 /* 月 */ && is_digit(char_back(b, 1));
    if (p0 == ' ')
        return (c == '%' || c == 0x2030 || c == 0xFF05) && is_digit(char_back(b, 1));
    return false;
}

/* 禁则 (CLREQ strict) that Pango's UAX #14 breaker lacks: it lets · ～ －
 * ／ and —— start a line, and / ／ end one. A word joiner beside them
 * forbids that; it is a default-ignorable character, so it is neither
 * drawn nor copied. */
static bool needs_joiner(int32_t prev, int32_t c)
{
    if (prev < 0 || prev == ' ' || prev == 0x2005 || prev == 0x2060 || prev == 0x2028)
        return false;
    if (prev == 0xFF0F || (prev == '/' && cjk_is_wide(c)))
        return true; /* the 分隔号 ends no line either (GB/T 15834 5.1.9) */
    switch (c) {
    case 0x00B7: case 0xFF5E: case 0xFF0D: case 0xFF0F: case 0x22EF: case 0x2E3A:
        return true;
    case 0x2014:
        return prev != 0x2014;
    default:
        return false;
    }
}

/* Pango 1.50 follows UAX #14 LB19 strictly and never breaks next to “ ” ‘ ’,
 * nor (LB25) between a number and a full-width bracket: "4.4%（2024）" is
 * one unbreakable piece. CLREQ allows a break before an opening quote or
 * bracket and after a closing quote in Chinese text; a zero-width space
 * there (neither drawn nor copied) gives Pango the break opportunity,
 * which keeps justification gaps small. */
static bool needs_break_before(int32_t prev, int32_t c)
{
    if (prev <= ' ' || cjk_no_line_end(prev))
        return false;
    if (c == 0x201C || c == 0x2018)
        return cjk_is_wide(prev);
    return cjk_is_opening(c) && cjk_is_wide(c) && !cjk_is_wide(prev) && prev != '(' && prev != '[';
}

static bool needs_break_after(int32_t prev, int32_t c)
{
    return (prev == 0x201D || prev == 0x2019) && cjk_is_wide(c) && !cjk_no_line_start(c) &&
           c != 0x201C && c != 0x2018;
}

/* Appends text: a pending soft break becomes a space only between two
 * non-CJK characters. Spaces stay as written: our own justification
 * decides which gaps stretch, so a space in Chinese text never takes the
 * whole slack as it would with Pango's. */
static void append(struct rich *r, const char *s)
{
    if (!r->nlines)
        mark_line(r);
    size_t len = strlen(s);
    size_t i = 0;
    if (r->at_start)
        while (i + 3 <= len && memcmp(s + i, "\xE3\x80\x80", 3) == 0)
            i += 3;
    for (; i < len;) {
        int n;
        int32_t c = utf8_decode(s + i, len - i, &n);
        int32_t prev = last_char(&r->text);
        if (r->pending_break) {
            r->pending_break = false;
            if (prev != ' ' && c != ' ')
                buf_putc(&r->text, ' ');
            prev = last_char(&r->text);
        }
        if (c == ' ' && (prev == ' ' || prev < 0)) {
            i++; /* runs of spaces collapse, as in HTML */
            continue;
        }
        if (needs_joiner(prev, c) || (prev != 0x2060 && joins_number(&r->text, c)))
            buf_puts(&r->text, WORD_JOINER);
        else if (needs_break_before(prev, c) || needs_break_after(prev, c))
            buf_puts(&r->text, ZERO_WIDTH_SPACE);
        buf_put(&r->text, s + i, (size_t)n);
        i += (size_t)n;
        r->at_start = false;
    }
}

void rich_add_text(struct rich *r, const char *text) { append(r, text); }

void rich_set_size(struct rich *r, double size) { r->size = size; }

void rich_add_role_text(struct rich *r, const char *text, enum font_role role)
{
    int start = (int)r->text.len;
    append(r, text);
    add_attr(r->attrs, pango_attr_font_desc_new(fonts_role(r->fonts, role)), start,
             (int)r->text.len);
}

void rich_add_footnote_mark(struct rich *r, int number)
{
    char num[16];
    snprintf(num, sizeof num, "%d", number);
    int start = (int)r->text.len;
    buf_puts(&r->text, num);
    add_attr(r->attrs, pango_attr_baseline_shift_new(PANGO_BASELINE_SHIFT_SUPERSCRIPT), start,
             (int)r->text.len);
    add_attr(r->attrs, pango_attr_font_scale_new(PANGO_FONT_SCALE_SUPERSCRIPT), start,
             (int)r->text.len);
}

static void push_span(struct span **v, int *n, int start, int end, const char *data)
{
    *v = xreallocarray(*v, (size_t)*n + 1, sizeof **v);
    (*v)[(*n)++] = (struct span){start, end, data ? xstrdup(data) : NULL, NULL};
}

/* Attributes for an emphasis style over [start, end). */
static void emphasize(struct rich *r, enum emphasis e, int start, int end)
{
    switch (e) {
    case EMPH_BOLD:
        add_attr(r->attrs, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start, end);
        break;
    case EMPH_KAI:
    case EMPH_HEI:
        add_attr(r->attrs,
                 pango_attr_font_desc_new(fonts_role(r->fonts, e == EMPH_KAI ? ROLE_KAI : ROLE_HEI)),
                 start, end);
        break;
    case EMPH_DOTS:
        push_span(&r->dots, &r->ndots, start, end, NULL);
        break;
    }
}

/* The value reads exactly as written, in the template's indicator style. */
static void highlight_indicator(struct rich *r, cmark_node *n, int start, int end)
{
    const struct elem_style *es = &r->st->el[EL_INDICATOR];
    if (es->color_set)
        add_attr(r->attrs, pango_attr_foreground_new((guint16)(es->color.r * 65535),
                                                     (guint16)(es->color.g * 65535),
                                                     (guint16)(es->color.b * 65535)),
                 start, end);
    if (es->bold)
        add_attr(r->attrs, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start, end);
    push_span(&r->kpis, &r->nkpis, start, end, NULL);
    r->kpis[r->nkpis - 1].ref = model_info(n)->indicator;
}

static void close_inline(struct rich *r, cmark_node *n, int start)
{
    int end = (int)r->text.len;
    if (end <= start)
        return;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_STRONG:
        emphasize(r, r->st->strong, start, end);
        break;
    case CMARK_NODE_EMPH:
        emphasize(r, r->st->emph, start, end);
        break;
    case CMARK_NODE_LINK: {
        const char *url = cmark_node_get_url(n);
        if (indicator_is_link(url)) {
            highlight_indicator(r, n, start, end);
            break;
        }
        if (url && *url)
            push_span(&r->links, &r->nlinks, start, end, url);
        add_attr(r->attrs, pango_attr_foreground_new((guint16)(r->st->link.r * 65535),
                                                     (guint16)(r->st->link.g * 65535),
                                                     (guint16)(r->st->link.b * 65535)),
                 start, end);
        break;
    }
    default:
        if (strcmp(cmark_node_get_type_string(n), "strikethrough") == 0)
            add_attr(r->attrs, pango_attr_strikethrough_new(TRUE), start, end);
        break;
    }
}

static bool is_leaf(cmark_node_type t)
{
    return t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_SOFTBREAK ||
           t == CMARK_NODE_LINEBREAK || t == CMARK_NODE_HTML_INLINE;
}

static void add_leaf(struct rich *r, cmark_node *n)
{
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_TEXT: {
        int start = (int)r->text.len;
        append(r, cmark_node_get_literal(n));
        if (model_info(n)->note) { /* a note marker links to its note */
            char *url = xasprintf("#note-%d", model_info(n)->note);
            push_span(&r->links, &r->nlinks, start, (int)r->text.len, url);
            free(url);
        }
        break;
    }
    case CMARK_NODE_CODE: {
        int start = (int)r->text.len;
        append(r, cmark_node_get_literal(n));
        add_attr(r->attrs, pango_attr_font_desc_new(fonts_role(r->fonts, ROLE_MONO)), start,
                 (int)r->text.len);
        break;
    }
    case CMARK_NODE_SOFTBREAK:
        r->line++;
        mark_line(r);
        r->pending_break = model_info(n)->space; /* as the document model resolved it */
        break;
    case CMARK_NODE_LINEBREAK:
        r->line++;
        r->pending_break = false;
        buf_puts(&r->text, LINE_SEPARATOR);
        mark_line(r);
        break;
    default:
        break; /* raw HTML never reaches the output */
    }
}

void rich_add_inlines(struct rich *r, cmark_node *block)
{
    cmark_iter *it = cmark_iter_new(block);
    cmark_event_type ev;
    int *starts = NULL;
    int depth = 0, cap = 0;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (n == block)
            continue;
        cmark_node_type t = cmark_node_get_type(n);
        if (is_leaf(t)) {
            add_leaf(r, n);
        } else if (ev == CMARK_EVENT_ENTER) {
            if (depth == cap) {
                cap = cap ? cap * 2 : 16;
                starts = xreallocarray(starts, (size_t)cap, sizeof *starts);
            }
            starts[depth++] = (int)r->text.len;
            if (t == CMARK_NODE_FOOTNOTE_REFERENCE && r->footnote_number)
                rich_add_footnote_mark(r, r->footnote_number(r->footnote_ctx, n));
        } else if (depth > 0) {
            close_inline(r, n, starts[--depth]);
        }
    }
    free(starts);
    cmark_iter_free(it);
}

void rich_set_footnotes(struct rich *r, int (*number)(void *ctx, cmark_node *ref), void *ctx)
{
    r->footnote_number = number;
    r->footnote_ctx = ctx;
}

/* ---- layout ---------------------------------------------------------- */

struct chars {
    int32_t *cp;
    int *off;  /* byte offset of each code point; off[n] = text length */
    int n;
};

static struct chars decode_all(const char *s, int len)
{
    struct chars c = {xcalloc((size_t)len + 1, sizeof(int32_t)), xcalloc((size_t)len + 2, sizeof(int)), 0};
    for (int i = 0; i < len;) {
        int n;
        int32_t cp = utf8_decode(s + i, (size_t)(len - i), &n);
        c.cp[c.n] = cp;
        c.off[c.n++] = i;
        i += n;
    }
    c.off[c.n] = len;
    return c;
}

static void chars_free(struct chars *c)
{
    free(c->cp);
    free(c->off);
}

struct measure {
    double width, indent, size, tracking;
};

/* Pango units of letter-spacing on a mark set at half width. Not the
 * OpenType 'halt' feature: fonts lack it (朱雀仿宋 does), so the advance is
 * cut by letter-spacing, and settle_halts() puts the glyph back in place. */
static int halt_spacing(const struct measure *m)
{
    return (int)lround(m->tracking * PANGO_SCALE) - (int)lround(0.5 * m->size * PANGO_SCALE);
}

/* Adds attributes (in text order) to *list as pango_attr_list_insert
 * would, each after those starting at the same place; one merge, since
 * inserting one by one into a long paragraph's list is quadratic. */
static void merge_attrs(PangoAttrList **list, PangoAttribute **add, int n)
{
    if (!n)
        return;
    GSList *old = pango_attr_list_get_attributes(*list); /* copies, in order */
    PangoAttrList *merged = pango_attr_list_new();
    int k = 0;
    for (GSList *l = old; l; l = l->next) {
        PangoAttribute *a = l->data;
        while (k < n && add[k]->start_index < a->start_index)
            pango_attr_list_insert(merged, add[k++]);
        pango_attr_list_insert(merged, a);
    }
    while (k < n)
        pango_attr_list_insert(merged, add[k++]);
    g_slist_free(old);
    pango_attr_list_unref(*list);
    *list = merged;
}

/* Attributes to add to a list in one merge (merge_attrs), in any order. */
struct attr_batch {
    PangoAttribute **v;
    int n, cap;
};

static void batch_add(struct attr_batch *b, PangoAttribute *a, int start, int end)
{
    a->start_index = (guint)start;
    a->end_index = (guint)end;
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        b->v = xreallocarray(b->v, (size_t)b->cap, sizeof *b->v);
    }
    b->v[b->n++] = a;
}

/* Adds the batch to *list as inserting each attribute in turn would: a
 * stable sort by start (they come nearly in order), then one merge. */
static void batch_merge(struct attr_batch *b, PangoAttrList **list)
{
    for (int i = 1; i < b->n; i++)
        for (int j = i; j > 0 && b->v[j - 1]->start_index > b->v[j]->start_index; j--) {
            PangoAttribute *t = b->v[j];
            b->v[j] = b->v[j - 1];
            b->v[j - 1] = t;
        }
    merge_attrs(list, b->v, b->n);
    free(b->v);
    *b = (struct attr_batch){0};
}

static PangoAttribute *halt_attr(const struct measure *m, const struct chars *c, int i)
{
    PangoAttribute *a = pango_attr_letter_spacing_new(halt_spacing(m));
    a->start_index = (guint)c->off[i];
    a->end_index = (guint)c->off[i + 1];
    return a;
}

static void halt_char(struct attr_batch *attrs, const struct chars *c, int i, char *halted,
                      const struct measure *m)
{
    if (halted[i])
        return;
    halted[i] = HALT_PAIR;
    batch_add(attrs, halt_attr(m, c, i), c->off[i], c->off[i + 1]);
}

/* Adjacent full-width punctuation takes 1.5 em (CLREQ): the blank that is
 * dropped is the one that keeps brackets hugging the text they enclose. */
static void compress_pairs(struct attr_batch *attrs, const struct chars *c, char *halted,
                           const struct measure *m)
{
    for (int i = 0; i + 1 < c->n; i++) {
        int j = i + 1; /* the next visible character: joiners and break hints are not */
        while (j < c->n && (c->cp[j] == 0x200B || c->cp[j] == 0x2060))
            j++;
        if (j >= c->n)
            break;
        int32_t a = c->cp[i], b = c->cp[j];
        if (!cjk_is_fullwidth_punct(a) || !cjk_is_fullwidth_punct(b))
            continue;
        if (cjk_is_closing(a) || cjk_is_stop(a))
            halt_char(attrs, c, i, halted, m);
        else if (cjk_is_opening(a) && cjk_is_opening(b))
            halt_char(attrs, c, j, halted, m);
    }
}

/* Quotes and dashes come from the CJK font at full width: 1 em for a 一字线, 2 em
 * for ——; without fwid Noto sets —— as a 1.7-em ligature and a lone — at
 * the Latin 0.9 em. */
static void full_width_marks(struct attr_batch *attrs, const struct chars *c)
{
    for (int i = 0; i < c->n; i++) {
        if (c->cp[i] == 0x201C || c->cp[i] == 0x201D || c->cp[i] == 0x2018 || c->cp[i] == 0x2019) {
            /* quotes in zh-CN text are full-width marks (GB/T 15834 4.1);
             * 朱雀仿宋's default ones are 0.33 em */
            batch_add(attrs, pango_attr_font_features_new("fwid 1"), c->off[i], c->off[i + 1]);
            continue;
        }
        int j = i;
        while (j < c->n && c->cp[j] == 0x2014)
            j++;
        if (j > i)
            batch_add(attrs, pango_attr_font_features_new("fwid 1"), c->off[i], c->off[j]);
        i = j;
    }
}

/* Letter-spacing on runs of CJK characters so that grid_chars body
 * characters fill the measure exactly (16 pt type on a 15.79 pt pitch). */
static void add_tracking(struct attr_batch *attrs, const struct chars *c, double tracking)
{
    if (tracking == 0)
        return;
    int units = (int)lround(tracking * PANGO_SCALE);
    int start = -1;
    for (int i = 0; i <= c->n; i++) {
        bool wide = i < c->n && cjk_is_wide(c->cp[i]);
        if (wide && start < 0)
            start = i;
        if (!wide && start >= 0) {
            batch_add(attrs, pango_attr_letter_spacing_new(units), c->off[start], c->off[i]);
            start = -1;
        }
    }
}

static int char_index(const struct chars *c, int offset)
{
    int lo = 0, hi = c->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (c->off[mid] < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Last visible character of a line that does not end the paragraph. */
static int line_last_char(const struct chars *c, PangoLayoutLine *line)
{
    int i = char_index(c, line->start_index + line->length) - 1;
    while (i >= 0 && (c->cp[i] == ' ' || c->cp[i] == 0x2005 || c->cp[i] == 0x2028 ||
                      c->cp[i] == 0x200B || c->cp[i] == 0x2060))
        i--;
    return i;
}

/* Inserts a word joiner at byte pos: fixes up attributes and spans. */
static void text_insert_joiner(struct rich *r, int pos)
{
    struct buf text = {0};
    buf_put(&text, r->text.data, (size_t)pos);
    buf_puts(&text, WORD_JOINER);
    buf_put(&text, r->text.data + pos, r->text.len - (size_t)pos);
    buf_free(&r->text);
    r->text = text;
    pango_attr_list_update(r->attrs, pos, 0, 3);
    struct span *sets[3] = {r->links, r->dots, r->kpis};
    int counts[3] = {r->nlinks, r->ndots, r->nkpis};
    for (int k = 0; k < 3; k++)
        for (int j = 0; j < counts[k]; j++) {
            if (sets[k][j].start >= pos)
                sets[k][j].start += 3;
            if (sets[k][j].end > pos)
                sets[k][j].end += 3;
        }
    for (int j = 0; j < r->nlines; j++)
        if (r->lines[j].offset > pos)
            r->lines[j].offset += 3;
}

/* The same before character i, fixing up the decoded characters and the
 * halt flags too. */
static void insert_joiner(struct rich *r, struct chars *c, char **halted, int i)
{
    text_insert_joiner(r, c->off[i]);
    char *old = *halted;
    int n = c->n;
    chars_free(c);
    *c = decode_all(r->text.data, (int)r->text.len);
    *halted = xcalloc((size_t)c->n + 1, 1);
    memcpy(*halted, old, (size_t)i);
    memcpy(*halted + i + 1, old + i, (size_t)(n - i));
    free(old);
}

/* 孤字不成行: when the last line holds one Han character (with at most
 * three marks or digits: 福”。 or 9倍。) or only a short number (5%。),
 * join it to the character before so Pango carries that one down
 * too and justifies the line above. */
static bool avoid_lone_char(struct rich *r, PangoLayout *layout, struct chars *c, char **halted)
{
    GSList *lines = pango_layout_get_lines_readonly(layout);
    if (!lines || !lines->next)
        return false;
    PangoLayoutLine *last = g_slist_last(lines)->data;
    int first = char_index(c, last->start_index);
    int end = char_index(c, last->start_index + last->length);
    int han = 0, other = 0;
    for (int i = first; i < end; i++) {
        if (cjk_is_han(c->cp[i]))
            han++;
        else if (c->cp[i] != ' ' && c->cp[i] != 0x2060 && c->cp[i] != 0x200B)
            other++;
    }
    if (han > 1 || han + other > 4 || han + other == 0 || (han == 0 && other > 3) || first == 0 ||
        c->cp[first - 1] == 0x2060)
        return false;
    if (c->cp[first - 1] == 0x200B) {
        /* the break came from our own zero-width space: make it a joiner */
        memcpy(r->text.data + c->off[first - 1], WORD_JOINER, 3);
        c->cp[first - 1] = 0x2060;
    } else {
        insert_joiner(r, c, halted, first);
    }
    return true;
}

/* A line's width from its glyphs: Pango caches line extents before
 * settle_halts() and justification change the glyphs. */
static int line_width(PangoLayoutLine *line)
{
    int w = 0;
    for (GSList *r = line->runs; r; r = r->next)
        w += pango_glyph_string_get_width(((PangoGlyphItem *)r->data)->glyphs);
    return w;
}

/* Is line's last character i its last glyph, alone in its cluster, and
 * not the line's first? */
static bool ends_line_alone(PangoLayoutLine *line, const struct chars *c, int i)
{
    GSList *last = g_slist_last(line->runs);
    if (!last)
        return false;
    PangoGlyphItem *run = last->data;
    PangoGlyphString *gs = run->glyphs;
    int g = gs->num_glyphs - 1;
    return g >= 0 && !(last == line->runs && g == 0) && run->item->offset + gs->log_clusters[g] == c->off[i] &&
           !(g > 0 && gs->log_clusters[g - 1] == gs->log_clusters[g]);
}

/* Halves the mark that ends line, as laying out again with its spacing
 * would leave it: in a run of its own, half an em narrower. */
static void halve_line_end(PangoLayoutLine *line, const char *text, const struct chars *c, int i,
                           const struct measure *m)
{
    GSList *last = g_slist_last(line->runs);
    PangoGlyphItem *run = last->data;
    int at = c->off[i] - run->item->offset;
    if (at > 0)
        line->runs = g_slist_insert_before(line->runs, last, pango_glyph_item_split(run, text, at));
    run->glyphs->glyphs[run->glyphs->num_glyphs - 1].geometry.width -= (int)lround(0.5 * m->size * PANGO_SCALE);
}

/* Can halving the mark that ends line (the first of the paragraph when
 * first) leave every break where it is? Pango breaks greedily: only if
 * the next line's first character could come up into the half em freed.
 * Pango measures that character and the line with the tracking on both
 * sides, then trims it at the line's ends; the glyphs here are trimmed.
 * Four times the tracking and 1/16 pt keep clear of both. */
static bool halving_keeps_breaks(PangoLayout *layout, PangoLayoutLine *line, PangoLayoutLine *next,
                                 bool first, const struct measure *m)
{
    if (!next->runs)
        return false;
    PangoGlyphString *gs = ((PangoGlyphItem *)next->runs->data)->glyphs;
    if (gs->num_glyphs == 0)
        return false;
    int indent = pango_layout_get_indent(layout);
    int avail = pango_layout_get_width(layout) - (first ? (indent > 0 ? indent : 0) : (indent < 0 ? -indent : 0));
    double room = avail - line_width(line) + 0.5 * m->size * PANGO_SCALE;
    double lower = gs->glyphs[0].geometry.width - fabs(m->tracking) * PANGO_SCALE;
    return lower - (4 * fabs(m->tracking) + 0.0625) * PANGO_SCALE > room;
}

/* A full-width stop or closing mark at a line end takes half a character
 * (GB/T 15834 5.1.10); the line is then justified to the edge. Halving it
 * can make room for the next character, which would leave a half-width
 * mark inside the line: then that character is joined to the one after
 * it, so it goes back down and the mark ends the line again.
 * Where no break can move, the marks are halved in the layout as it
 * stands: the glyph as settle_halts() would leave it after laying the
 * paragraph out again, half an em narrower, in place (laying out again
 * for them was a fifth of the example's layout work). *in_place tells
 * which; the layout's own attributes then lag behind r->attrs, so
 * nothing may lay it out again without giving it r->attrs. */
static bool compress_line_ends(struct rich *r, PangoLayout *layout, struct chars *c, char **halted,
                               const struct measure *m, bool *in_place)
{
    bool changed = false;
    *in_place = true;
    char *ends = xcalloc((size_t)c->n + 1, 1); /* the last character of each line but the last */
    GSList *lines = pango_layout_get_lines_readonly(layout);
    guint nlines = g_slist_length(lines);
    PangoAttribute **halts = xcalloc(nlines + 1, sizeof *halts);
    PangoLayoutLine **halved = xcalloc(nlines + 1, sizeof *halved);
    int nhalts = 0;
    for (GSList *l = lines; l && l->next; l = l->next) {
        int i = line_last_char(c, l->data);
        if (i < 0)
            continue;
        ends[i] = 1;
        if ((cjk_is_stop(c->cp[i]) || cjk_is_closing(c->cp[i])) && !(*halted)[i]) {
            halved[nhalts] = l->data;
            *in_place &= ends_line_alone(l->data, c, i) &&
                         halving_keeps_breaks(layout, l->data, l->next->data, l == lines, m);
            halts[nhalts++] = halt_attr(m, c, i);
            (*halted)[i] = HALT_LINE_END;
            changed = true;
        }
    }
    for (int k = 0; *in_place && k < nhalts; k++)
        halve_line_end(halved[k], pango_layout_get_text(layout), c, char_index(c, (int)halts[k]->start_index), m);
    merge_attrs(&r->attrs, halts, nhalts);
    free(halts);
    free(halved);
    for (int i = 0; i + 2 < c->n; i++) {
        if ((*halted)[i] != HALT_LINE_END || ends[i])
            continue;
        (*halted)[i] = HALT_SETTLED;
        if (c->cp[i + 1] == 0x2060 || c->cp[i + 2] == 0x2060)
            continue;
        insert_joiner(r, c, halted, i + 2);
        changed = true; /* offsets moved: the caller lays out again */
        *in_place = false;
        break;
    }
    free(ends);
    *in_place &= changed;
    return changed;
}

static int source_line(const struct rich *r, int offset)
{
    int line = r->nlines ? r->lines[0].line : r->line;
    for (int i = 0; i < r->nlines && r->lines[i].offset <= offset; i++)
        line = r->lines[i].line;
    return line;
}

/* Characters no installed font can draw are errors: never tofu in print. */
static void check_glyphs(struct rich *r, PangoLayout *layout, struct diag *d)
{
    const char *text = pango_layout_get_text(layout);
    size_t len = strlen(text);
    PangoLayoutIter *it = pango_layout_get_iter(layout);
    int reported = 0;
    do {
        PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
        if (!run)
            continue;
        for (int g = 0; g < run->glyphs->num_glyphs && reported < 5; g++) {
            if (!(run->glyphs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
                continue;
            int off = run->item->offset + run->glyphs->log_clusters[g];
            int n;
            int32_t cp = utf8_decode(text + off, len - (size_t)off, &n);
            if (cp == 0x2028 || cp == '\n' || cp == 0x2005 || cp == ' ')
                continue;
            diag_add(d, DIAG_ERROR, r->file, source_line(r, off), 0,
                     "no installed font has a glyph for U+%04X '%.*s'; add a font that covers "
                     "it to fonts/",
                     (unsigned)cp, n, text + off);
            reported++;
        }
    } while (pango_layout_iter_next_run(it));
    pango_layout_iter_free(it);
}

/* ---- justification -------------------------------------------------- */

/* One cluster of a line: the glyph whose width takes the added space, and
 * the character the cluster starts with. */
struct cluster {
    PangoGlyphInfo *last;
    int32_t cp;
};

enum gap { GAP_NONE, GAP_HAN, GAP_MIXED, GAP_PUNCT };

/* Where justification may add space: between CJK characters, and at the
 * boundary of CJK and Latin/digits; never inside —— …… or a Latin word. */
static enum gap gap_kind(int32_t a, int32_t b)
{
    if ((a == 0x2014 && b == 0x2014) || (a == 0x2026 && b == 0x2026))
        return GAP_NONE;
    if (cjk_is_fullwidth_punct(a) && cjk_is_fullwidth_punct(b))
        return GAP_NONE; /* compressed pairs stay compressed */
    bool wa = cjk_is_wide(a) || a == 0x2005, wb = cjk_is_wide(b) || b == 0x2005;
    if (!wa && !wb)
        return GAP_NONE;
    if (cjk_is_fullwidth_punct(a) || cjk_is_fullwidth_punct(b))
        return GAP_PUNCT;
    if (wa && wb)
        return GAP_HAN;
    return cjk_is_han(wa ? a : b) ? GAP_MIXED : GAP_HAN;
}

struct shares {
    double han, punct, mixed; /* Pango units added per gap of each kind */
};

/* How justification shares slack among the gaps (CLREQ line adjustment):
 * all alike while that keeps them under HAN_GAP_CAP (a wider gap between
 * two Han characters reads as a word space and copies as one); past that
 * the gaps by numbers and Latin words take more, up to MIXED_GAP_CAP, then
 * those beside punctuation (whose blank half is where CLREQ adjusts first),
 * up to PUNCT_GAP_CAP; only then do all grow alike. Returns the slack the
 * caps could not take. */
static double share_slack(double slack, int han, int punct, int mixed, double han_cap, double size,
                          struct shares *out)
{
    int all = han + punct + mixed;
    *out = (struct shares){0, 0, 0};
    if (all == 0)
        return slack;
    if (slack / all <= han_cap || mixed + punct == 0) {
        out->han = out->punct = out->mixed = slack / all;
        return fmax(0, slack / all - han_cap) * all;
    }
    double mixed_cap = MIXED_GAP_CAP * size * PANGO_SCALE, punct_cap = PUNCT_GAP_CAP * size * PANGO_SCALE;
    double left = slack - (han + punct) * han_cap;
    out->han = out->punct = han_cap;
    out->mixed = mixed ? fmin(left / mixed, mixed_cap) : 0;
    left -= mixed * out->mixed;
    if (left > 0 && punct) {
        double add = fmin(left / punct, fmax(0, punct_cap - han_cap));
        out->punct += add;
        left -= punct * add;
    }
    if (left > 0) {
        out->han += left / all;
        out->punct += left / all;
        out->mixed += left / all;
    }
    return fmax(0, left);
}

/* Justifies a line by inter-character spacing (CLREQ): Latin words and
 * numbers keep their natural spacing. The gaps between CJK characters get
 * equal shares up to a small cap (wider gaps read as word spaces, and text
 * extraction turns them into spaces); beyond it the CJK–Latin boundaries
 * take the rest, as CLREQ's expansion order has it. Lines without such a
 * boundary, and lines of Latin text only, use every gap. */
static void justify_line(PangoLayoutLine *line, const char *text, int text_len, int avail,
                         double size, double tracking)
{
    int slack = avail - line_width(line);
    if (slack <= 0)
        return;
    struct cluster *cl = NULL;
    int n = 0, cap = 0;
    for (GSList *r = line->runs; r; r = r->next) {
        PangoGlyphItem *run = r->data;
        PangoGlyphString *gs = run->glyphs;
        for (int g = 0; g < gs->num_glyphs; g++) {
            bool cluster_end = g + 1 == gs->num_glyphs || gs->log_clusters[g + 1] != gs->log_clusters[g];
            if (!cluster_end)
                continue;
            int off = run->item->offset + gs->log_clusters[g];
            int len;
            int32_t cp = utf8_decode(text + off, (size_t)(text_len - off), &len);
            if (cp == 0x2060 || cp == 0x200B || gs->glyphs[g].geometry.width == 0)
                continue; /* joiners and empty glyphs are not gaps */
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                cl = xreallocarray(cl, (size_t)cap, sizeof *cl);
            }
            cl[n++] = (struct cluster){&gs->glyphs[g], cp};
        }
    }
    int han = 0, mixed = 0, punct = 0;
    for (int i = 0; i + 1 < n; i++) {
        enum gap k = gap_kind(cl[i].cp, cl[i + 1].cp);
        han += k == GAP_HAN;
        mixed += k == GAP_MIXED;
        punct += k == GAP_PUNCT;
    }
    /* the grid tracking already opened the gaps a little */
    double han_cap = fmax(0, HAN_GAP_CAP * size - fmax(tracking, 0)) * PANGO_SCALE;
    struct shares sh;
    share_slack(slack, han, punct, mixed, han_cap, size, &sh);
    double rest = han + punct + mixed == 0 && n > 1 ? (double)slack / (n - 1) : 0;
    /* whole units, with the rounding carried so the line ends exactly */
    double want = 0;
    int done = 0;
    for (int i = 0; i + 1 < n; i++) {
        enum gap k = gap_kind(cl[i].cp, cl[i + 1].cp);
        want += k == GAP_HAN ? sh.han : k == GAP_MIXED ? sh.mixed : k == GAP_PUNCT ? sh.punct : rest;
        int target = i + 2 == n ? slack : (int)lround(want);
        cl[i].last->geometry.width += target - done;
        done = target;
    }
    free(cl);
}

/* The width a line may fill: a positive indent shortens the first line, a
 * negative one (hanging) all the others. */
static double line_avail(const struct measure *m, bool first)
{
    return m->width - (first ? fmax(m->indent, 0) : fmax(-m->indent, 0));
}

/* A line ending in a hard line break is set at its natural width. */
static bool ends_hard(const char *text, int len, int end)
{
    return end >= 3 && end <= len && !memcmp(text + end - 3, LINE_SEPARATOR, 3);
}

static void justify(PangoLayout *layout, const struct measure *m)
{
    const char *text = pango_layout_get_text(layout);
    int len = (int)strlen(text); /* once: a huge paragraph has many lines */
    GSList *lines = pango_layout_get_lines_readonly(layout);
    bool first = true;
    for (GSList *l = lines; l && l->next; l = l->next, first = false) {
        PangoLayoutLine *line = l->data;
        if (!ends_hard(text, len, line->start_index + line->length))
            justify_line(line, text, len, (int)lround(line_avail(m, first) * PANGO_SCALE), m->size,
                         m->tracking);
    }
}

/* Pango shifts runs of a second font by a fraction of a point to line up
 * the fonts' baselines; on a print grid every run sits on the line's own
 * baseline, except runs raised on purpose (footnote marks). */
static bool shifted_on_purpose(PangoItem *item)
{
    for (GSList *a = item->analysis.extra_attrs; a; a = a->next)
        if (((PangoAttribute *)a->data)->klass->type == PANGO_ATTR_BASELINE_SHIFT)
            return true;
    return false;
}

static void align_baselines(PangoLayoutLine *line)
{
    for (GSList *r = line->runs; r; r = r->next) {
        PangoGlyphItem *run = r->data;
        if (!shifted_on_purpose(run->item))
            run->y_offset = 0;
    }
}

/* Does every line fit in width (Pango units)? With PANGO_WRAP_WORD a
 * word longer than the line overflows instead of being cut. */
static bool lines_fit(PangoLayout *layout, int width)
{
    for (GSList *l = pango_layout_get_lines_readonly(layout); l; l = l->next)
        if (line_width(l->data) > width)
            return false;
    return true;
}

/* Centred titles break into lines of even length (GB/T 9704 §7.3.1: a
 * trapezoid, never a long line over a lone word): the narrowest width that
 * keeps the number of lines, breaking between words only (no width makes
 * Pango cut a word by characters). Returns the offset that keeps them
 * centred in the full measure. */
static double balance(PangoLayout *layout, double width)
{
    int lines = pango_layout_get_line_count(layout);
    if (lines < 2)
        return 0;
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD);
    if (!lines_fit(layout, (int)(width * PANGO_SCALE) + 8) || pango_layout_get_line_count(layout) != lines) {
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR); /* a word wider than the measure */
        return 0;
    }
    double lo = width / lines, hi = width;
    while (hi - lo > 0.5) {
        double mid = (lo + hi) / 2;
        pango_layout_set_width(layout, (int)(mid * PANGO_SCALE));
        if (pango_layout_get_line_count(layout) > lines || !lines_fit(layout, (int)(mid * PANGO_SCALE) + 8))
            lo = mid;
        else
            hi = mid;
    }
    pango_layout_set_width(layout, (int)(hi * PANGO_SCALE));
    return (width - hi) / 2;
}

static void index_lines(struct para *p)
{
    p->nlines = pango_layout_get_line_count(p->layout);
    p->lines = xcalloc((size_t)p->nlines + 1, sizeof *p->lines);
    p->line_x = xcalloc((size_t)p->nlines + 1, sizeof *p->line_x);
    p->line_w = xcalloc((size_t)p->nlines + 1, sizeof *p->line_w);
    PangoLayoutIter *it = pango_layout_get_iter(p->layout);
    int i = 0;
    do {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        align_baselines(line);
        p->lines[i] = line;
        p->line_x[i] = logical.x / (double)PANGO_SCALE;
        p->line_w[i] = line_width(line) / (double)PANGO_SCALE;
        i++;
    } while (i < p->nlines && pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

/* A pass settles at least one more line from the top, and each lays the
 * whole paragraph out again: a huge paragraph (a million characters) gets
 * a few passes only, so it stays linear; its lines past the budget may
 * keep a half-width mark inside the line. */
static int pass_limit(int lines, int len)
{
    int budget = len > 0 ? RELAYOUT_BUDGET / len : lines + 2;
    return lines + 2 <= budget ? lines + 2 : budget > MIN_PASSES ? budget : MIN_PASSES;
}

/* The layout gets its own copy: Pango skips a list equal to the one it
 * holds, so a list shared with us and changed in place would never take
 * effect. */
static void give_attributes(PangoLayout *layout, PangoAttrList *attrs)
{
    PangoAttrList *copy = pango_attr_list_copy(attrs);
    pango_layout_set_attributes(layout, copy);
    pango_attr_list_unref(copy);
}

/* Stops and closing marks a tight line may set at half width (CLREQ
 * 标点挤压); ？ and ！ keep their full width. */
static bool squeezable(int32_t cp)
{
    return (cjk_is_stop(cp) || cjk_is_closing(cp)) && cp != 0xFF1F && cp != 0xFF01 && cp != 0xFF0E;
}

/* Width of a line's glyphs that start before byte offset end. */
static int width_before(PangoLayoutLine *line, int end)
{
    int w = 0;
    for (GSList *r = line->runs; r; r = r->next) {
        PangoGlyphItem *run = r->data;
        for (int g = 0; g < run->glyphs->num_glyphs; g++)
            if (run->item->offset + run->glyphs->log_clusters[g] < end)
                w += run->glyphs->glyphs[g].geometry.width;
    }
    return w;
}

/* Gaps justification may widen between the visible characters [from, to). */
static int cjk_gaps(const struct chars *c, int from, int to)
{
    int gaps = 0, prev = -1;
    for (int i = from; i < to; i++) {
        if (c->cp[i] == 0x200B || c->cp[i] == 0x2060)
            continue;
        if (prev >= 0)
            gaps += gap_kind(c->cp[prev], c->cp[i]) != GAP_NONE;
        prev = i;
    }
    return gaps;
}

/* Reduce before expanding (CLREQ, JLREQ line adjustment): a line whose
 * slack is more than its CJK gaps can take at their cap would put the rest
 * into the gaps around numbers and Latin words. If halving some of its
 * stops and closing marks makes room for the next line's first piece (up
 * to its first break opportunity), they are halved and the piece comes up.
 * The first such line from the top, one per pass. */
static bool squeeze_loose_line(struct rich *r, PangoLayout *layout, const struct chars *c,
                               char *halted, const struct measure *m)
{
    int n_attrs;
    const PangoLogAttr *la = pango_layout_get_log_attrs_readonly(layout, &n_attrs);
    const char *text = pango_layout_get_text(layout);
    int len = (int)r->text.len;
    double half = 0.5 * m->size * PANGO_SCALE;
    double cap = fmax(0, HAN_GAP_CAP * m->size - fmax(m->tracking, 0)) * PANGO_SCALE;
    bool first = true;
    for (GSList *l = pango_layout_get_lines_readonly(layout); l && l->next; l = l->next, first = false) {
        PangoLayoutLine *line = l->data, *next = l->next->data;
        int end = line->start_index + line->length;
        if (ends_hard(text, len, end))
            continue;
        double slack = line_avail(m, first) * PANGO_SCALE - line_width(line);
        if (slack <= half) /* most lines: the gaps take it easily */
            continue;
        int from = char_index(c, line->start_index), to = char_index(c, end);
        if (slack <= cap * cjk_gaps(c, from, to) + half)
            continue;
        int last = line_last_char(c, line), marks[64], nmarks = 0;
        for (int i = from; i < last && nmarks < 64; i++)
            if (squeezable(c->cp[i]) && !halted[i])
                marks[nmarks++] = i;
        /* the piece ends where a break may go, but a number keeps its unit */
        int k = char_index(c, next->start_index) + 1;
        while (k < c->n && k < n_attrs &&
               (!la[k].is_line_break || (c->cp[k - 1] >= '0' && c->cp[k - 1] <= '9' && cjk_is_han(c->cp[k]))))
            k++;
        double piece = width_before(next, k < c->n ? c->off[k] : len);
        int need = (int)ceil((piece - slack + 0.1 * m->size * PANGO_SCALE) / half);
        if (need < 1 || need > nmarks)
            continue;
        PangoAttribute **halts = xcalloc((size_t)need, sizeof *halts);
        for (int j = 0; j < need; j++) { /* the marks nearest the line's end */
            int i = marks[nmarks - 1 - j];
            halts[need - 1 - j] = halt_attr(m, c, i);
            halted[i] = HALT_SQUEEZE;
        }
        merge_attrs(&r->attrs, halts, need);
        free(halts);
        return true;
    }
    return false;
}

/* Pango's split of letter-spacing around a glyph (distribute_letter_spacing). */
static void spacing_sides(int spacing, int *left, int *right)
{
    *left = spacing / 2;
    if ((spacing & (PANGO_SCALE - 1)) == 0)
        *left = PANGO_UNITS_ROUND(*left);
    *right = spacing - *left;
}

/* Sets each half-width mark as the OpenType 'halt' feature would (advance
 * cut by half an em, an opening mark's ink moved left by as much; the
 * grid tracking as on any character). Pango moved the glyph by half its
 * negative spacing and, at a line's ends, trimmed half of it: both are
 * undone here, on every fresh layout before anything measures its lines. */
static void settle_halts(PangoLayout *layout, const struct chars *c, const char *halted,
                         const struct measure *m)
{
    int track = (int)lround(m->tracking * PANGO_SCALE);
    int half = (int)lround(0.5 * m->size * PANGO_SCALE);
    int hl, hr, tl, tr;
    spacing_sides(track - half, &hl, &hr);
    spacing_sides(track, &tl, &tr);
    for (GSList *l = pango_layout_get_lines_readonly(layout); l; l = l->next) {
        PangoLayoutLine *line = l->data;
        for (GSList *rl = line->runs; rl; rl = rl->next) {
            PangoGlyphItem *run = rl->data;
            PangoGlyphString *gs = run->glyphs;
            for (int g = 0; g < gs->num_glyphs; g++) {
                int off = run->item->offset + gs->log_clusters[g];
                int i = char_index(c, off);
                if (i < c->n && (c->cp[i] == 0x2060 || c->cp[i] == 0x200B)) {
                    /* a joiner added later sits inside a tracked run's
                     * attributes: it must stay empty */
                    gs->glyphs[g].geometry.width = 0;
                    gs->glyphs[g].geometry.x_offset = 0;
                    continue;
                }
                if (i >= c->n || c->off[i] != off || !halted[i] ||
                    (g > 0 && gs->log_clusters[g - 1] == gs->log_clusters[g]))
                    continue;
                bool line_start = rl == line->runs && g == 0;
                bool line_end = !rl->next && g + 1 == gs->num_glyphs;
                PangoGlyphGeometry *geo = &gs->glyphs[g].geometry;
                if (line_start)
                    geo->width += hl - tl;
                else
                    geo->x_offset += tl - hl;
                if (line_end)
                    geo->width += hr - tr;
                if (cjk_is_opening(c->cp[i]))
                    geo->x_offset -= half;
            }
        }
    }
}

/* Added space per gap if justification set the line (a line without gaps
 * counts as very loose). */
static double per_gap(double slack, int gaps) { return gaps > 0 ? slack / gaps : slack * 100; }

/* Makes break opportunity p (before character p) a joined pair. */
static void forbid_break(struct rich *r, struct chars *c, char **halted, int p)
{
    if (c->cp[p - 1] == 0x2060)
        return;
    if (c->cp[p - 1] == 0x200B) { /* our own break hint: it becomes a joiner */
        memcpy(r->text.data + c->off[p - 1], WORD_JOINER, 3);
        c->cp[p - 1] = 0x2060;
    } else {
        insert_joiner(r, c, halted, p);
    }
}

struct halt_at {
    guint start;
    int value;
};

static gboolean is_halt_at(PangoAttribute *a, gpointer data)
{
    const struct halt_at *h = data;
    return a->klass->type == PANGO_ATTR_LETTER_SPACING && a->start_index == h->start &&
           ((PangoAttrInt *)a)->value == h->value;
}

/* Sets a mark halved at a line end at full width again. */
static void unhalt(struct rich *r, const struct chars *c, char *halted, int i, const struct measure *m)
{
    struct halt_at h = {(guint)c->off[i], halt_spacing(m)};
    PangoAttrList *gone = pango_attr_list_filter(r->attrs, is_halt_at, &h);
    if (gone)
        pango_attr_list_unref(gone);
    halted[i] = 0;
}

/* Fitting over the paragraph, one move a pass (CLREQ line adjustment,
 * rather than gaps towards ½ em): a line left loose because the next piece
 * (a number with its unit, a Latin word) does not fit takes the last
 * characters of the line above, so two lines share the space one would
 * have had. The line above breaks earlier because its later break
 * opportunities are joined. */
static bool pull_down(struct rich *r, PangoLayout *layout, struct chars *c, char **halted,
                      const struct measure *m)
{
    int n_attrs;
    const PangoLogAttr *la = pango_layout_get_log_attrs_readonly(layout, &n_attrs);
    const char *text = pango_layout_get_text(layout);
    int len = (int)r->text.len;
    double cap = fmax(0, HAN_GAP_CAP * m->size - fmax(m->tracking, 0)) * PANGO_SCALE;
    bool first = true;
    for (GSList *l = pango_layout_get_lines_readonly(layout); l && l->next && l->next->next;
         l = l->next, first = false) {
        PangoLayoutLine *above = l->data, *line = l->next->data;
        int end = line->start_index + line->length;
        if (ends_hard(text, len, line->start_index) || ends_hard(text, len, end))
            continue;
        int from = char_index(c, line->start_index), to = char_index(c, end);
        double slack = line_avail(m, false) * PANGO_SCALE - line_width(line);
        if (slack <= cap * cjk_gaps(c, from, to))
            continue;
        int a_from = char_index(c, above->start_index), a_last = line_last_char(c, above);
        if (a_last < 0)
            continue;
        double a_slack = line_avail(m, first) * PANGO_SCALE - line_width(above);
        double best = per_gap(slack, cjk_gaps(c, from, to)), a_width = width_before(above, c->off[from]);
        int best_k = -1;
        for (int k = from - 1; k > a_from && k < n_attrs && (k == a_last || !(*halted)[k]); k--) {
            if (!la[k].is_line_break)
                continue;
            double moved = a_width - width_before(above, c->off[k]);
            if (moved > slack)
                break;
            double worst = fmax(per_gap(slack - moved, cjk_gaps(c, k, to)),
                                per_gap(a_slack + moved, cjk_gaps(c, a_from, k)));
            if (worst < best) {
                best = worst;
                best_k = k;
            }
        }
        if (best_k < 0)
            continue;
        if ((*halted)[a_last] == HALT_LINE_END) /* it no longer ends a line */
            unhalt(r, c, *halted, a_last, m);
        for (int p = from; p > best_k; p--) /* from the end: lower indices stay put */
            if (la[p].is_line_break)
                forbid_break(r, c, halted, p);
        return true;
    }
    return false;
}

/* Words that lead into what follows: a title line never ends with one
 * (GB/T 9704 7.3.3: 词意完整). */
static const char *const LEADING_WORDS[] = {"的", "和", "与", "及", "关于", "对于", "对", "在", "为", "向", "从", "把", "将", "并", "或"};

static bool leads_on(const char *w, int len)
{
    for (size_t i = 0; i < sizeof LEADING_WORDS / sizeof *LEADING_WORDS; i++)
        if ((int)strlen(LEADING_WORDS[i]) == len && !memcmp(LEADING_WORDS[i], w, (size_t)len))
            return true;
    return false;
}

/* Titles and headings break between words only (ICU's dictionary
 * segmentation, see wordbreak.h), never after a word that leads on: every
 * other boundary between two Han characters gets a joiner, and so does the
 * break after 的, 关于 … before a Han character or a number. A word longer
 * than the line still breaks (Pango wraps by character when no break fits). */
static void join_words(struct rich *r)
{
    int n;
    size_t *breaks = wordbreak_offsets(rich_text(r), &n);
    const char *t = rich_text(r);
    int len = (int)r->text.len, next = n - 1;
    for (int pos = len; pos > 0;) { /* from the end: earlier offsets stay put */
        int at = (int)utf8_prev(t, (size_t)pos), k;
        int32_t c = utf8_decode(t + at, (size_t)(len - at), &k);
        while (next >= 0 && (int)breaks[next] > at)
            next--;
        bool word_break = next >= 0 && (int)breaks[next] == at;
        if (at > 0) {
            int before = (int)utf8_prev(t, (size_t)at);
            int32_t p = utf8_decode(t + before, (size_t)(at - before), &k);
            int start = word_break && next > 0 ? (int)breaks[next - 1] : 0;
            bool inside = cjk_is_han(p) && cjk_is_han(c) && !word_break;
            bool leads = word_break && (cjk_is_han(c) || is_digit(c)) && leads_on(t + start, at - start);
            if (inside || leads) {
                text_insert_joiner(r, at);
                t = rich_text(r);
            }
        }
        pos = at;
    }
    free(breaks);
}

static bool joins_words(enum element el)
{
    return el == EL_TITLE || el == EL_H1 || el == EL_H2 || el == EL_H3 || el == EL_H4;
}

/* Page numbers in 4号半角 digits (GB/T 9704 7.5) of one width, half an em
 * each, whatever the font's own (proportional) figures: — 1 — and — 7 —
 * take the same room. */
static void tabular_digits(PangoLayout *layout, double size)
{
    const char *text = pango_layout_get_text(layout);
    int half = (int)lround(0.5 * size * PANGO_SCALE);
    for (GSList *l = pango_layout_get_lines_readonly(layout); l; l = l->next)
        for (GSList *rl = ((PangoLayoutLine *)l->data)->runs; rl; rl = rl->next) {
            PangoGlyphItem *run = rl->data;
            for (int g = 0; g < run->glyphs->num_glyphs; g++) {
                char c = text[run->item->offset + run->glyphs->log_clusters[g]];
                PangoGlyphGeometry *geo = &run->glyphs->glyphs[g].geometry;
                if (c >= '0' && c <= '9') {
                    geo->x_offset += (half - geo->width) / 2;
                    geo->width = half;
                }
            }
        }
}

/* ---- total fit: the paragraph's breaks chosen together --------------- */

#define FIT_MAX_CHARS 4000 /* longer paragraphs keep the line-by-line breaks */
#define MAX_FITS 2 /* total fits a paragraph may take (the passes after one may loosen a line) */

static bool invisible(int32_t cp) { return cp == 0x200B || cp == 0x2060 || cp == ' '; }

/* Space that justification could not put in gaps at their caps (han,
 * punct and mixed gaps of each kind): what would open a Han gap past
 * HAN_GAP_CAP or a gap by a number past MIXED_GAP_CAP, in Pango units. */
static double excess_of(int han, int punct, int mixed, double slack, const struct measure *m)
{
    double cap = fmax(0, HAN_GAP_CAP * m->size - fmax(m->tracking, 0)) * PANGO_SCALE;
    struct shares sh;
    return share_slack(slack, han, punct, mixed, cap, m->size, &sh);
}

static double excess(const struct chars *c, int a, int b, double slack, const struct measure *m)
{
    int han = 0, mixed = 0, punct = 0, prev = -1;
    for (int i = a; i < b; i++) {
        if (invisible(c->cp[i]))
            continue;
        if (prev >= 0) {
            enum gap k = gap_kind(c->cp[prev], c->cp[i]);
            han += k == GAP_HAN;
            mixed += k == GAP_MIXED;
            punct += k == GAP_PUNCT;
        }
        prev = i;
    }
    return excess_of(han, punct, mixed, slack, m);
}

/* The gaps of every span of a paragraph in constant time: counts of each
 * kind up to each character, and the first visible character from each. */
struct gap_sums {
    int *han, *punct, *mixed; /* gaps ending before character i, by kind */
    int *next;                /* first visible character at or after i */
};

static struct gap_sums gap_sums_new(const struct chars *c)
{
    int n = c->n;
    struct gap_sums g = {xcalloc((size_t)n + 1, sizeof(int)), xcalloc((size_t)n + 1, sizeof(int)),
                         xcalloc((size_t)n + 1, sizeof(int)), xcalloc((size_t)n + 1, sizeof(int))};
    int prev = -1;
    for (int i = 0; i < n; i++) {
        enum gap k = GAP_NONE;
        if (!invisible(c->cp[i])) {
            if (prev >= 0)
                k = gap_kind(c->cp[prev], c->cp[i]);
            prev = i;
        }
        g.han[i + 1] = g.han[i] + (k == GAP_HAN);
        g.punct[i + 1] = g.punct[i] + (k == GAP_PUNCT);
        g.mixed[i + 1] = g.mixed[i] + (k == GAP_MIXED);
    }
    g.next[n] = n;
    for (int i = n - 1; i >= 0; i--)
        g.next[i] = invisible(c->cp[i]) ? g.next[i + 1] : i;
    return g;
}

static void gap_sums_free(struct gap_sums *g)
{
    free(g->han);
    free(g->punct);
    free(g->mixed);
    free(g->next);
}

/* excess() over characters [a, b) from the sums: the gaps between the
 * visible characters of the span, the one before its first not counted. */
static double span_excess(const struct gap_sums *g, int a, int b, double slack, const struct measure *m)
{
    int f = g->next[a];
    if (f >= b)
        return excess_of(0, 0, 0, slack, m);
    return excess_of(g->han[b] - g->han[f + 1], g->punct[b] - g->punct[f + 1],
                     g->mixed[b] - g->mixed[f + 1], slack, m);
}

static bool any_loose_line(PangoLayout *layout, const struct chars *c, const struct measure *m)
{
    const char *text = pango_layout_get_text(layout);
    int len = (int)strlen(text);
    bool first = true;
    for (GSList *l = pango_layout_get_lines_readonly(layout); l && l->next; l = l->next, first = false) {
        PangoLayoutLine *line = l->data;
        int end = line->start_index + line->length;
        if (ends_hard(text, len, end))
            continue;
        double slack = line_avail(m, first) * PANGO_SCALE - line_width(line);
        if (excess(c, char_index(c, line->start_index), char_index(c, end), slack, m) > 0.05 * m->size * PANGO_SCALE)
            return true;
    }
    return false;
}

/* Advance of each character as set on one unbroken line, with the
 * paragraph's attributes as they are now (the layout's may predate marks
 * halved in place). */
static double *char_widths(PangoLayout *layout, PangoAttrList *attrs, const struct chars *c)
{
    PangoLayout *one = pango_layout_copy(layout);
    pango_layout_set_width(one, -1);
    pango_layout_set_indent(one, 0);
    give_attributes(one, attrs);
    double *w = xcalloc((size_t)c->n + 1, sizeof *w);
    for (GSList *l = pango_layout_get_lines_readonly(one); l; l = l->next)
        for (GSList *rl = ((PangoLayoutLine *)l->data)->runs; rl; rl = rl->next) {
            PangoGlyphItem *run = rl->data;
            for (int g = 0; g < run->glyphs->num_glyphs; g++) {
                int i = char_index(c, run->item->offset + run->glyphs->log_clusters[g]);
                if (i < c->n && c->cp[i] != 0x2060 && c->cp[i] != 0x200B)
                    w[i] += run->glyphs->glyphs[g].geometry.width;
            }
        }
    g_object_unref(one);
    return w;
}

/* Natural width of characters [a, b) as a line: a closing mark or stop at
 * its end takes half (CLREQ), trailing spaces nothing. */
static double line_natural(const struct chars *c, const double *prefix, const char *halted, int a,
                           int b, const struct measure *m)
{
    int e = b;
    while (e > a && (c->cp[e - 1] == ' ' || c->cp[e - 1] == 0x200B || c->cp[e - 1] == 0x2060))
        e--;
    double w = prefix[e] - prefix[a];
    if (e > a && squeezable(c->cp[e - 1]) && !halted[e - 1])
        w -= 0.5 * m->size * PANGO_SCALE;
    return w;
}

/* Chooses all the breaks of the paragraph at once (after Knuth and Plass:
 * the least squared space past the gap caps, then the evenest lines) and
 * makes Pango take them by joining the break opportunities after each
 * chosen one that would still have fitted. Runs only when the breaks
 * taken line by line leave a line loose. */
static bool fit_paragraph(struct rich *r, PangoLayout *layout, struct chars *c, char **halted,
                          const struct measure *m)
{
    int n_attrs, n = c->n;
    if (n > FIT_MAX_CHARS)
        return false;
    const PangoLogAttr *la = pango_layout_get_log_attrs_readonly(layout, &n_attrs);
    double *w = char_widths(layout, r->attrs, c);
    double *prefix = xcalloc((size_t)n + 1, sizeof *prefix);
    for (int i = 0; i < n; i++)
        prefix[i + 1] = prefix[i] + w[i];
    free(w);
    /* candidates: break opportunities, the paragraph end */
    int *cand = xcalloc((size_t)n + 2, sizeof *cand), nc = 0;
    cand[nc++] = 0;
    for (int k = 1; k < n && k < n_attrs; k++)
        if (la[k].is_line_break)
            cand[nc++] = k;
    cand[nc++] = n;
    double *cost = xcalloc((size_t)nc, sizeof *cost);
    int *from = xcalloc((size_t)nc, sizeof *from);
    double slop = 8 + fmax(0, m->tracking) * PANGO_SCALE;
    struct gap_sums sums = gap_sums_new(c);
    bool ok = true;
    for (int j = 1; j < nc && ok; j++) {
        cost[j] = INFINITY;
        from[j] = -1;
        for (int i = j - 1; i >= 0; i--) {
            if (cost[i] == INFINITY)
                continue;
            bool first = cand[i] == 0;
            double avail = line_avail(m, first) * PANGO_SCALE;
            double nat = line_natural(c, prefix, *halted, cand[i], cand[j], m);
            if (nat > avail + slop)
                break; /* earlier starts are longer still */
            double line_cost;
            if (cand[j] == n || la[cand[j]].is_mandatory_break) {
                line_cost = 0; /* the last line is not justified */
            } else {
                double ex = span_excess(&sums, cand[i], cand[j], avail - nat, m) / PANGO_SCALE;
                double sl = (avail - nat) / PANGO_SCALE;
                line_cost = ex * ex * 1e4 + sl * sl;
            }
            if (cost[i] + line_cost < cost[j]) {
                cost[j] = cost[i] + line_cost;
                from[j] = i;
            }
        }
        if (la[cand[j]].is_mandatory_break && cand[j] < n && from[j] < 0)
            ok = false;
    }
    gap_sums_free(&sums);
    bool changed = false;
    if (ok && from[nc - 1] >= 0) {
        /* the chosen breaks, from the last: join what Pango would prefer */
        int j = nc - 1;
        int *chosen = xcalloc((size_t)nc, sizeof *chosen), nchosen = 0;
        while (j > 0) {
            chosen[nchosen++] = j;
            j = from[j];
        }
        for (int t = 0; t < nchosen; t++) {
            int end = chosen[t], start = t + 1 < nchosen ? chosen[t + 1] : 0;
            if (cand[end] == n)
                continue;
            double avail = line_avail(m, cand[start] == 0) * PANGO_SCALE;
            int next = chosen[t - 1]; /* the next line's end: never joined */
            for (int k = next - 1; k > end; k--) /* from the end: lower indices stay put */
                if (line_natural(c, prefix, *halted, cand[start], cand[k], m) <= avail + slop &&
                    c->cp[cand[k] - 1] != 0x2060) {
                    forbid_break(r, c, halted, cand[k]);
                    changed = true;
                }
        }
        free(chosen);
    }
    free(prefix);
    free(cand);
    free(cost);
    free(from);
    return changed;
}

struct para *para_layout(struct rich *r, double width, double indent, enum align align,
                         struct diag *d)
{
    const struct elem_style *es = &r->st->el[r->el];
    PangoLayout *layout = pango_layout_new(fonts_context(r->fonts));
    double size = r->size > 0 ? r->size : es->size;
    PangoFontDescription *desc = pango_font_description_copy(fonts_role(r->fonts, es->font));
    pango_font_description_set_absolute_size(desc, size * PANGO_SCALE);
    if (es->bold)
        pango_font_description_set_weight(desc, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(layout, desc);
    pango_font_description_free(desc);
    /* a display heading (larger than the text) is balanced like a title,
     * flush left; one at text size keeps to the grid, justified */
    bool display = joins_words(r->el) && size > r->st->el[EL_BODY].size + 0.1;
    if (display && align == ALIGN_JUSTIFY)
        align = ALIGN_LEFT;
    if (joins_words(r->el))
        join_words(r);
    const char *text = rich_text(r);
    int len = (int)r->text.len;
    pango_layout_set_text(layout, text, len);
    /* a few units absorb the rounding of the grid tracking; Pango measures a
     * candidate line with the last character's trailing spacing, which it
     * drops once the line is set */
    int slop = 8 + (r->tracking > 0 ? (int)ceil(r->tracking * PANGO_SCALE) : 0);
    pango_layout_set_width(layout, (int)(width * PANGO_SCALE) + slop);
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_indent(layout, (int)lround(indent * PANGO_SCALE));
    pango_layout_set_alignment(layout, align == ALIGN_CENTER  ? PANGO_ALIGN_CENTER
                                       : align == ALIGN_RIGHT ? PANGO_ALIGN_RIGHT
                                                              : PANGO_ALIGN_LEFT);
    struct chars c = decode_all(text, len);
    char *halted = xcalloc((size_t)c.n + 1, 1);
    struct measure m = {width, indent, size, r->tracking};
    /* each set merged at once: inserting one by one into a long
     * paragraph's list is quadratic */
    struct attr_batch batch = {0};
    add_tracking(&batch, &c, r->tracking); /* first: a halved mark's spacing overrides it */
    batch_merge(&batch, &r->attrs);
    compress_pairs(&batch, &c, halted, &m);
    batch_merge(&batch, &r->attrs);
    full_width_marks(&batch, &c);
    batch_merge(&batch, &r->attrs);
    if (es->color_set)
        add_attr(r->attrs, pango_attr_foreground_new((guint16)(es->color.r * 65535),
                                                     (guint16)(es->color.g * 65535),
                                                     (guint16)(es->color.b * 65535)),
                 0, len);
    /* each pass only adds attributes or joiners, so the passes settle quickly */
    give_attributes(layout, r->attrs);
    settle_halts(layout, &c, halted, &m);
    int max_passes = pass_limit(pango_layout_get_line_count(layout), len);
    int fits = 0;
    for (int pass = 0; pass < max_passes && align == ALIGN_JUSTIFY; pass++) {
        /* each step may change the text: lay out afresh before the next */
        /* breaks chosen over the whole paragraph first, when the greedy
         * ones leave a line loose; then line by line */
        bool in_place = false;
        bool changed = (fits < MAX_FITS && any_loose_line(layout, &c, &m) && ++fits &&
                        fit_paragraph(r, layout, &c, &halted, &m)) ||
                       compress_line_ends(r, layout, &c, &halted, &m, &in_place) ||
                       avoid_lone_char(r, layout, &c, &halted) ||
                       squeeze_loose_line(r, layout, &c, halted, &m) ||
                       pull_down(r, layout, &c, &halted, &m);
        if (!changed)
            break;
        if (in_place)
            continue;
        pango_layout_set_text(layout, r->text.data, (int)r->text.len);
        give_attributes(layout, r->attrs);
        settle_halts(layout, &c, halted, &m);
    }
    if (align == ALIGN_JUSTIFY)
        justify(layout, &m);
    if (r->el == EL_PAGE_NUMBER)
        tabular_digits(layout, size);
    double shift = align == ALIGN_CENTER ? balance(layout, width) : 0;
    if (display && align == ALIGN_LEFT)
        balance(layout, width);
    check_glyphs(r, layout, d);
    chars_free(&c);
    free(halted);
    struct para *p = xcalloc(1, sizeof *p);
    p->layout = layout;
    p->size = size;
    p->links = r->links, p->nlinks = r->nlinks;
    p->dots = r->dots, p->ndots = r->ndots;
    p->kpis = r->kpis, p->nkpis = r->nkpis;
    r->links = r->dots = r->kpis = NULL;
    r->nlinks = r->ndots = r->nkpis = 0;
    rich_free(r);
    index_lines(p);
    for (int i = 0; i < p->nlines; i++)
        p->line_x[i] += shift;
    return p;
}

void para_add_link(struct para *p, int start, int end, const char *url)
{
    push_span(&p->links, &p->nlinks, start, end, url);
}

void para_free(struct para *p)
{
    if (!p)
        return;
    g_object_unref(p->layout);
    for (int i = 0; i < p->nlinks; i++)
        free(p->links[i].data);
    free(p->links);
    free(p->dots);
    free(p->kpis);
    free(p->lines);
    free(p->line_x);
    free(p->line_w);
    free(p);
}

int para_line_count(const struct para *p) { return pango_layout_get_line_count(p->layout); }
