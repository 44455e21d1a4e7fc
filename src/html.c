#define _POSIX_C_SOURCE 200809L
/* The HTML preview, written from the cmark tree in one iterator walk, the
 * way layout.c walks it for the PDF, so numbering and content agree:
 * heading ids h-0, h-1, … are the PDF's destinations, footnotes are 注1,
 * 注2, … at the end, table columns align by the same rule, indicators carry
 * the labels of the indicator set.
 *
 * Safety: every text and attribute goes through esc(); raw HTML is never
 * copied (comments only steer page breaks and department tags); links keep
 * their <a> only for http:, https:, mailto: and #anchors; images become
 * their alt text (as in the PDF), so the page requests nothing. */
#include "html.h"
#include "chart.h"
#include "css.h"
#include "utf8.h"
#include "xalloc.h"
#include <cmark-gfm-core-extensions.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define IDEO_SPACE "\xE3\x80\x80" /* U+3000 */

struct toc_entry {
    int level;          /* 1..3 */
    int id;             /* heading number: h-<id> */
    char *text;         /* plain text, unescaped */
};

struct open_section {
    int level;          /* heading level that opened it */
    cmark_node *parent; /* container of the heading */
};

struct html {
    const struct doc *doc;
    const struct style *st;
    struct buf *out;         /* where writing goes now */
    struct buf *plain;       /* plain text of the current block, or NULL */
    int32_t last;            /* last character written in this block, -1 none */
    bool pending_break;      /* a soft break waits for the next character */
    bool signed_off;         /* the signature is written */
    bool at_start;           /* nothing written in this block yet */
    int headings;            /* headings numbered so far */
    struct toc_entry *toc;   /* headings of levels 1-3, in order */
    int ntoc;
    cmark_node **footnotes;  /* definitions, numbered from 1 in this order */
    int nfootnotes;
    int *fn_refs;            /* references written so far, per footnote */
    struct open_section *sections; /* open <section data-dept>, innermost last */
    int nsections;
    cmark_node *dept_node;   /* the block the pending department tag is for */
    char *dept;              /* its names, normalised "a,b" */
};

/* ---- writing ------------------------------------------------------------ */

/* Escapes & < > " ' and drops control characters other than tab and
 * newline, so text is safe in element content and in quoted attributes.
 * = and : are written as references too: the result reads the same, and
 * even a naive scan of the file finds no `on…=` or `javascript:` in text
 * that came from the input. */
static void esc(struct buf *b, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        const char *rep = c == '&'   ? "&amp;"
                          : c == '<'  ? "&lt;"
                          : c == '>'  ? "&gt;"
                          : c == '"'  ? "&quot;"
                          : c == '\'' ? "&#39;"
                          : c == '='  ? "&#61;"
                          : c == ':'  ? "&#58;"
                          : (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f ? ""
                                                                               : NULL;
        if (!rep)
            continue;
        buf_put(b, run, (size_t)(s - run));
        buf_puts(b, rep);
        run = s + 1;
    }
    buf_put(b, run, (size_t)(s - run));
}

static void put(struct html *h, const char *s) { buf_puts(h->out, s); }

/* Copies escaped markup (the chart's SVG), writing = and : in its text
 * content as references, as esc() does everywhere else. */
static void put_markup(struct buf *out, const char *s, size_t n)
{
    bool in_tag = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        in_tag = c == '<' ? true : c == '>' ? false : in_tag;
        if (!in_tag && (c == '=' || c == ':'))
            buf_puts(out, c == '=' ? "&#61;" : "&#58;");
        else
            buf_putc(out, c);
    }
}

static void attr(struct html *h, const char *name, const char *value)
{
    buf_printf(h->out, " %s=\"", name);
    esc(h->out, value);
    buf_putc(h->out, '"');
}

/* Starts the text of a block: plain (may be NULL) collects its characters. */
static void begin_text(struct html *h, struct buf *plain)
{
    h->plain = plain;
    h->last = -1;
    h->pending_break = false;
    h->at_start = true;
}

static void note_last(struct html *h, const char *s, size_t n)
{
    if (!n)
        return;
    size_t p = utf8_prev(s, n);
    int len;
    h->last = utf8_decode(s + p, n - p, &len);
}

/* Text of the document: a leading ideographic space is dropped (the indent
 * does its work), and a soft break is a space only between two characters
 * that are not CJK, exactly as in the PDF. */
static void text(struct html *h, const char *s)
{
    if (!s)
        return;
    if (h->at_start)
        while (!strncmp(s, IDEO_SPACE, 3))
            s += 3;
    size_t n = strlen(s);
    if (!n)
        return;
    if (h->pending_break) {
        int len;
        int32_t c = utf8_decode(s, n, &len);
        h->pending_break = false;
        if (h->last >= 0 && !cjk_is_wide(h->last) && !cjk_is_wide(c) && h->last != ' ' && c != ' ')
            text(h, " ");
    }
    esc(h->out, s);
    if (h->plain)
        buf_puts(h->plain, s);
    note_last(h, s, n);
    h->at_start = false;
}

/* ---- footnotes -------------------------------------------------------------- */

/* cmark-gfm moves the definitions to the end of the document in the order
 * of their first reference (dropping unreferenced ones) and gives each
 * reference its definition's place as literal: the PDF's 注N. */
static void collect_footnotes(struct html *h)
{
    for (cmark_node *n = cmark_node_first_child(h->doc->root); n; n = cmark_node_next(n)) {
        if (cmark_node_get_type(n) != CMARK_NODE_FOOTNOTE_DEFINITION)
            continue;
        h->footnotes = xreallocarray(h->footnotes, (size_t)h->nfootnotes + 1, sizeof *h->footnotes);
        h->footnotes[h->nfootnotes++] = n;
    }
    h->fn_refs = xcalloc((size_t)h->nfootnotes + 1, sizeof *h->fn_refs);
}

/* ---- inlines --------------------------------------------------------------- */

/* A reference's number (its literal, as layout.c reads it), 0 if unknown. */
static int footnote_number(const struct html *h, cmark_node *ref)
{
    const char *num = cmark_node_get_literal(ref);
    int k = num ? atoi(num) : 0;
    return k >= 1 && k <= h->nfootnotes ? k : 0;
}

static void footnote_ref(struct html *h, cmark_node *ref)
{
    int num = footnote_number(h, ref);
    char digits[16];
    snprintf(digits, sizeof digits, "%d", num);
    if (num <= 0) {
        put(h, "<sup class=\"fn-ref\">");
    } else {
        int k = ++h->fn_refs[num];
        buf_printf(h->out, "<sup class=\"fn-ref\"><a href=\"#fn-%d\" id=\"fnref-%d", num, num);
        if (k > 1)
            buf_printf(h->out, "-%d", k);
        put(h, "\">");
    }
    put(h, digits);
    put(h, num > 0 ? "</a></sup>" : "</sup>");
    if (h->plain)
        buf_puts(h->plain, digits);
    h->last = '0';
    h->at_start = false;
}

/* A page of a PDF beside this file: a summary's "见全文第N页" links to
 * report.pdf#page=N. */
static bool pdf_page_ref(const char *url)
{
    const char *hash = strstr(url, ".pdf#page=");
    if (!hash || hash == url || strcspn(url, ":/\\?") < (size_t)(hash - url))
        return false;
    const char *d = hash + 10;
    return *d && strspn(d, "0123456789") == strlen(d);
}

static bool safe_url(const char *url)
{
    return url && (url[0] == '#' || !strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8) ||
                   !strncasecmp(url, "mailto:", 7) || pdf_page_ref(url));
}

/* An indicator: the value exactly as written, its label and period on
 * hover. The label comes from the indicator set (a title given once, or
 * front matter, serves every occurrence). */
static void kpi_open(struct html *h, cmark_node *link)
{
    const struct indicator *ind = indicator_of(link);
    put(h, "<span class=\"kpi\"");
    if (ind) {
        bool period = ind->period && *ind->period;
        char *hover = xasprintf("%s%s%s", ind->label, period ? " " : "", period ? ind->period : "");
        attr(h, "data-kpi", ind->id);
        if (period)
            attr(h, "data-period", ind->period);
        attr(h, "title", hover);
        free(hover);
    }
    put(h, ">");
}

static void link(struct html *h, cmark_node *n, bool enter)
{
    const char *url = cmark_node_get_url(n), *title = cmark_node_get_title(n);
    if (indicator_is_link(url)) {
        if (enter)
            kpi_open(h, n);
        else
            put(h, "</span>");
    } else if (safe_url(url)) {
        if (!enter) {
            put(h, "</a>");
            return;
        }
        put(h, "<a");
        attr(h, "href", url);
        if (title && *title)
            attr(h, "title", title);
        put(h, ">");
    }
    /* any other destination: the link text alone */
}

static void tag(struct html *h, const char *name, bool enter)
{
    buf_printf(h->out, enter ? "<%s>" : "</%s>", name);
}

static void inline_node(struct html *h, cmark_node *n, bool enter)
{
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_TEXT:
        text(h, cmark_node_get_literal(n));
        break;
    case CMARK_NODE_CODE:
        put(h, "<code>");
        text(h, cmark_node_get_literal(n));
        put(h, "</code>");
        break;
    case CMARK_NODE_SOFTBREAK:
        h->pending_break = true;
        break;
    case CMARK_NODE_LINEBREAK:
        put(h, "<br>");
        h->pending_break = false;
        break;
    case CMARK_NODE_EMPH:
        tag(h, "em", enter);
        break;
    case CMARK_NODE_STRONG:
        tag(h, "strong", enter);
        break;
    case CMARK_NODE_LINK:
        link(h, n, enter);
        break;
    case CMARK_NODE_FOOTNOTE_REFERENCE:
        if (enter)
            footnote_ref(h, n);
        break;
    case CMARK_NODE_HTML_INLINE: /* raw HTML never reaches the output */
    case CMARK_NODE_IMAGE:       /* its alt text (the children) stands in */
        break;
    default:
        if (!strcmp(cmark_node_get_type_string(n), "strikethrough"))
            tag(h, "del", enter);
        break; /* block containers inside a footnote: their inlines follow */
    }
}

/* Writes the inline content of a block (paragraph, heading, cell, footnote). */
static void inlines(struct html *h, cmark_node *block)
{
    cmark_iter *it = cmark_iter_new(block);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (n != block)
            inline_node(h, n, ev == CMARK_EVENT_ENTER);
    }
    cmark_iter_free(it);
}

/* Renders a block's inlines into html (and its plain text into plain);
 * returns false when the block has no text, as layout.c skips such blocks. */
static bool render_inlines(struct html *h, cmark_node *block, struct buf *html, struct buf *plain)
{
    struct buf *saved = h->out;
    h->out = html;
    begin_text(h, plain);
    inlines(h, block);
    h->out = saved;
    h->plain = NULL;
    return plain->len > 0;
}

/* ---- department tags ------------------------------------------------------- */

static bool is_sep(const char *s, int *len)
{
    if (*s == ',') {
        *len = 1;
        return true;
    }
    if (!strncmp(s, "，", 3) || !strncmp(s, "、", 3)) {
        *len = 3;
        return true;
    }
    return false;
}

/* "区科技局， 区工信局" → "区科技局,区工信局". */
static char *dept_list(cmark_node *n)
{
    char *names = doc_dept_names(n);
    if (!names)
        return NULL;
    struct buf b = {0};
    const char *s = names;
    while (*s) {
        while (*s == ' ' || *s == '\t' || *s == '\n')
            s++;
        const char *start = s;
        int sl = 0;
        while (*s && !is_sep(s, &sl))
            s++;
        const char *end = s;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
            end--;
        if (end > start) {
            if (b.len)
                buf_putc(&b, ',');
            buf_put(&b, start, (size_t)(end - start));
        }
        if (*s)
            s += sl;
    }
    free(names);
    return buf_detach(&b);
}

static bool is_dept(cmark_node *n)
{
    return n && cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK && doc_html_kind(n) == DOC_HTML_DEPT;
}

/* A tag right after a heading is the heading's (a section); any other tag
 * waits for the block after it. */
static void dept_block(struct html *h, cmark_node *n)
{
    cmark_node *prev = cmark_node_previous(n);
    if (prev && cmark_node_get_type(prev) == CMARK_NODE_HEADING)
        return;
    free(h->dept);
    h->dept = dept_list(n);
    h->dept_node = cmark_node_next(n);
}

/* The data-dept attribute of block n, if a tag waits for it. */
static void dept_attr(struct html *h, cmark_node *n)
{
    if (!h->dept || n != h->dept_node)
        return;
    attr(h, "data-dept", h->dept);
    free(h->dept);
    h->dept = NULL;
    h->dept_node = NULL;
}

static void close_sections(struct html *h, cmark_node *parent, int level)
{
    while (h->nsections && h->sections[h->nsections - 1].parent == parent &&
           h->sections[h->nsections - 1].level >= level) {
        put(h, "</section>\n");
        h->nsections--;
    }
}

static void open_section(struct html *h, cmark_node *heading, int level)
{
    char *names = dept_list(cmark_node_next(heading));
    h->sections = xreallocarray(h->sections, (size_t)h->nsections + 1, sizeof *h->sections);
    h->sections[h->nsections++] = (struct open_section){level, cmark_node_parent(heading)};
    put(h, "<section");
    attr(h, "data-dept", names);
    put(h, ">\n");
    free(names);
}

/* ---- blocks ---------------------------------------------------------------- */

static void add_toc(struct html *h, int level, const char *plain)
{
    if (level > 3)
        return;
    h->toc = xreallocarray(h->toc, (size_t)h->ntoc + 1, sizeof *h->toc);
    h->toc[h->ntoc++] = (struct toc_entry){level, h->headings, xstrdup(plain)};
}

static void heading(struct html *h, cmark_node *n)
{
    struct buf html = {0}, plain = {0};
    int level = cmark_node_get_heading_level(n);
    if (render_inlines(h, n, &html, &plain)) {
        int tagn = level < 1 ? 1 : level > 6 ? 6 : level;
        close_sections(h, cmark_node_parent(n), level);
        if (is_dept(cmark_node_next(n)))
            open_section(h, n, level);
        buf_printf(h->out, "<h%d id=\"h-%d\"", tagn, h->headings);
        dept_attr(h, n);
        put(h, ">");
        buf_put(h->out, html.data, html.len);
        buf_printf(h->out, "</h%d>\n", tagn);
        add_toc(h, level, plain.data);
        h->headings++;
    }
    buf_free(&html);
    buf_free(&plain);
}

static bool in_tight_list(cmark_node *n)
{
    cmark_node *item = cmark_node_parent(n);
    if (!item || cmark_node_get_type(item) != CMARK_NODE_ITEM)
        return false;
    cmark_node *list = cmark_node_parent(item);
    return list && cmark_node_get_list_tight(list);
}

static void paragraph(struct html *h, cmark_node *n)
{
    struct buf html = {0}, plain = {0};
    if (render_inlines(h, n, &html, &plain)) {
        bool bare = in_tight_list(n) && n != h->dept_node;
        if (!bare) {
            put(h, "<p");
            dept_attr(h, n);
            put(h, ">");
        }
        buf_put(h->out, html.data, html.len);
        put(h, bare ? "\n" : "</p>\n");
    }
    buf_free(&html);
    buf_free(&plain);
}

/* A chart drawn by the same chart code as the PDF, at the type-area width,
 * as inline SVG with real <text> (its size scales with the column). */
static void chart_figure(struct html *h, const struct chart *c, cmark_node *n, const char *cls)
{
    double w = style_type_width(h->st);
    double ht = chart_height(c, w, h->st);
    struct buf font = {0}, svg = {0};
    css_font_stack(h->st, h->st->chart_font, &font);
    buf_printf(h->out, "<figure class=\"%s\"", cls);
    if (n)
        dept_attr(h, n);
    put(h, ">");
    chart_svg(c, w, ht, h->st, font.data, CHART_NARROW_WIDTH < w ? "chart wide" : "chart", &svg);
    if (CHART_NARROW_WIDTH < w) /* phones: the chart drawn again for a narrow column */
        chart_svg(c, CHART_NARROW_WIDTH, chart_height(c, CHART_NARROW_WIDTH, h->st), h->st, font.data,
                  "chart narrow", &svg);
    put_markup(h->out, svg.data ? svg.data : "", svg.len);
    put(h, "</figure>\n");
    buf_free(&font);
    buf_free(&svg);
}

/* A ```chart block. One the chart code could not read (its error is
 * reported, so the CLI writes nothing) leaves an empty placeholder. */
static void chart_block(struct html *h, cmark_node *n)
{
    const struct chart *c = doc_chart(n);
    if (c) {
        chart_figure(h, c, n, "chart");
        return;
    }
    put(h, "<figure class=\"chart\" data-pending=\"\"");
    dept_attr(h, n);
    put(h, "></figure>\n");
}

/* The key-indicator overview the template opens with (as the PDF does). */
static void overview(struct html *h)
{
    if (!h->st->overview || !h->doc->indicators)
        return;
    char *const *only = h->doc->meta.overview;
    struct chart *c[2] = {chart_overview_cards(h->doc->indicators, only, h->doc->charts, h->doc->ncharts),
                          chart_overview_compare(h->doc->indicators, only)};
    chart_fill_source(c, 2, chart_document_source(h->doc->charts, h->doc->ncharts, h->doc->meta.source));
    if (c[0] || c[1])
        put(h, "<section class=\"overview\" aria-label=\"主要指标\">\n");
    for (int i = 0; i < 2; i++)
        if (c[i])
            chart_figure(h, c[i], NULL, "chart overview");
    if (c[0] || c[1])
        put(h, "</section>\n");
    chart_free(c[0]);
    chart_free(c[1]);
}

static void code_block(struct html *h, cmark_node *n)
{
    if (doc_is_chart_block(n)) {
        chart_block(h, n);
        return;
    }
    put(h, "<pre");
    dept_attr(h, n);
    put(h, "><code>");
    esc(h->out, cmark_node_get_literal(n) ? cmark_node_get_literal(n) : "");
    put(h, "</code></pre>\n");
}

static void signature(struct html *h);

static void html_block(struct html *h, cmark_node *n)
{
    switch (doc_html_kind(n)) {
    case DOC_HTML_PAGEBREAK:
        put(h, "<div class=\"pagebreak\"></div>\n");
        break;
    case DOC_HTML_DEPT:
        dept_block(h, n);
        break;
    case DOC_HTML_SIGNATURE:
        signature(h);
        break;
    default:
        break; /* raw HTML is dropped */
    }
}

static void container(struct html *h, cmark_node *n, bool enter)
{
    cmark_node_type t = cmark_node_get_type(n);
    bool ordered = t == CMARK_NODE_LIST && cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
    const char *name = t == CMARK_NODE_BLOCK_QUOTE ? "blockquote"
                       : t == CMARK_NODE_ITEM      ? "li"
                       : ordered                   ? "ol"
                                                   : "ul";
    if (!enter) {
        close_sections(h, n, 0);
        buf_printf(h->out, "</%s>\n", name);
        return;
    }
    buf_printf(h->out, "<%s", name);
    if (ordered && cmark_node_get_list_start(n) != 1)
        buf_printf(h->out, " start=\"%d\"", cmark_node_get_list_start(n));
    dept_attr(h, n);
    put(h, t == CMARK_NODE_ITEM ? ">" : ">\n");
}

/* ---- tables ---------------------------------------------------------------- */

struct cells {
    int ncols, nrows;
    struct buf *html, *plain; /* nrows * ncols, row by row */
    char *align;              /* per column: 'l', 'c' or 'r' */
};

static cmark_node *nth_child(cmark_node *n, int i)
{
    cmark_node *c = cmark_node_first_child(n);
    while (c && i-- > 0)
        c = cmark_node_next(c);
    return c;
}

/* GFM alignment wins; otherwise a column of numbers goes right. */
static char column_align(cmark_node *table, const struct cells *c, int col)
{
    uint8_t *al = cmark_gfm_extensions_get_table_alignments(table);
    if (al && (al[col] == 'l' || al[col] == 'c' || al[col] == 'r'))
        return (char)al[col];
    bool numeric = c->nrows > 1;
    for (int r = 1; r < c->nrows; r++) {
        const char *t = c->plain[r * c->ncols + col].data;
        if (t && *t && !doc_text_is_numeric(t))
            numeric = false;
    }
    return numeric ? 'r' : 'l';
}

/* Renders every cell first: the alignment depends on the whole column. */
static bool cells_render(struct html *h, cmark_node *table, struct cells *c)
{
    c->ncols = cmark_gfm_extensions_get_table_columns(table);
    for (cmark_node *row = cmark_node_first_child(table); row; row = cmark_node_next(row))
        c->nrows++;
    if (c->ncols <= 0 || c->nrows <= 0)
        return false;
    c->html = xcalloc((size_t)(c->nrows * c->ncols), sizeof *c->html);
    c->plain = xcalloc((size_t)(c->nrows * c->ncols), sizeof *c->plain);
    int r = 0;
    for (cmark_node *row = cmark_node_first_child(table); row; row = cmark_node_next(row), r++)
        for (int col = 0; col < c->ncols; col++) {
            cmark_node *cell = nth_child(row, col);
            if (cell)
                render_inlines(h, cell, &c->html[r * c->ncols + col], &c->plain[r * c->ncols + col]);
        }
    c->align = xcalloc((size_t)c->ncols + 1, 1);
    for (int col = 0; col < c->ncols; col++)
        c->align[col] = column_align(table, c, col);
    return true;
}

static void cells_free(struct cells *c)
{
    for (int i = 0; c->html && i < c->nrows * c->ncols; i++) {
        buf_free(&c->html[i]);
        buf_free(&c->plain[i]);
    }
    free(c->html);
    free(c->plain);
    free(c->align);
}

static void table_row(struct html *h, const struct cells *c, int r, bool head)
{
    put(h, "<tr>");
    for (int col = 0; col < c->ncols; col++) {
        struct buf *cell = &c->html[r * c->ncols + col];
        char al = c->align[col];
        if (head)
            put(h, "<th>"); /* centred, as in the PDF */
        else if (al == 'r' || al == 'c')
            buf_printf(h->out, "<td class=\"al-%c\">", al);
        else
            put(h, "<td>");
        if (cell->data)
            buf_put(h->out, cell->data, cell->len);
        put(h, head ? "</th>" : "</td>");
    }
    put(h, "</tr>\n");
}

/* In a scrolling wrapper, so a wide table never widens a phone's page. */
static void table(struct html *h, cmark_node *n)
{
    struct cells c = {0};
    if (cells_render(h, n, &c)) {
        bool header = cmark_gfm_extensions_get_table_row_is_header(cmark_node_first_child(n));
        int first = header ? 1 : 0;
        put(h, "<div class=\"table-wrap\"");
        dept_attr(h, n);
        put(h, "><table>\n");
        if (header) {
            put(h, "<thead>");
            table_row(h, &c, 0, true);
            put(h, "</thead>\n");
        }
        if (c.nrows > first) {
            put(h, "<tbody>\n");
            for (int r = first; r < c.nrows; r++)
                table_row(h, &c, r, false);
            put(h, "</tbody>");
        }
        put(h, "</table></div>\n");
    }
    cells_free(&c);
}

/* ---- the walk ------------------------------------------------------------- */

static void walk(struct html *h)
{
    cmark_iter *it = cmark_iter_new(h->doc->root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        bool enter = ev == CMARK_EVENT_ENTER;
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_DOCUMENT:
            if (!enter)
                close_sections(h, n, 0);
            break;
        case CMARK_NODE_PARAGRAPH:
            paragraph(h, n);
            cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
            break;
        case CMARK_NODE_HEADING:
            heading(h, n);
            cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
            break;
        case CMARK_NODE_BLOCK_QUOTE:
        case CMARK_NODE_LIST:
        case CMARK_NODE_ITEM:
            container(h, n, enter);
            break;
        case CMARK_NODE_CODE_BLOCK:
            code_block(h, n);
            break;
        case CMARK_NODE_HTML_BLOCK:
            html_block(h, n);
            break;
        case CMARK_NODE_THEMATIC_BREAK:
            put(h, "<hr");
            dept_attr(h, n);
            put(h, ">\n");
            break;
        case CMARK_NODE_FOOTNOTE_DEFINITION:
            if (enter)
                cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
            break;
        default:
            if (enter && !strcmp(cmark_node_get_type_string(n), "table")) {
                table(h, n);
                cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
            }
            break;
        }
    }
    cmark_iter_free(it);
}

/* Footnotes at the end, 注1：… as in the PDF, each with a link back. */
static void footnotes(struct html *h)
{
    if (!h->nfootnotes)
        return;
    put(h, "<ol class=\"footnotes\" aria-label=\"注释\">\n");
    for (int i = 0; i < h->nfootnotes; i++) {
        buf_printf(h->out, "<li id=\"fn-%d\">注%d：", i + 1, i + 1);
        begin_text(h, NULL);
        h->at_start = false;
        inlines(h, h->footnotes[i]);
        if (h->fn_refs[i + 1])
            buf_printf(h->out, "<a class=\"fn-back\" href=\"#fnref-%d\" aria-label=\"返回正文\">↩</a>",
                       i + 1);
        put(h, "</li>\n");
    }
    put(h, "</ol>\n");
}

/* ---- title block and page shell ------------------------------------------- */

static void para_class(struct html *h, const char *cls, const char *s)
{
    buf_printf(h->out, "<p class=\"%s\">", cls);
    esc(h->out, s);
    put(h, "</p>\n");
}

static void doc_date(struct html *h, const struct date *dt, const char *cls)
{
    char cn[32];
    date_format_cn(dt, cn, sizeof cn);
    buf_printf(h->out, "<p class=\"%s\"><time datetime=\"%04d-%02d-%02d\">", cls, dt->year,
               dt->month, dt->day);
    esc(h->out, cn);
    put(h, "</time></p>\n");
}

static void doc_marks(struct html *h)
{
    const struct meta *m = &h->doc->meta;
    if (!m->classification && !m->urgency)
        return;
    char *marks = xasprintf("%s%s%s", m->classification ? m->classification : "",
                            m->classification && m->urgency ? "　" : "",
                            m->urgency ? m->urgency : "");
    para_class(h, "doc-marks", marks);
    free(marks);
}

/* 版头 of a 公文 template, as the PDF sets it: marks (密级, 紧急程度), the
 * red 发文机关标志 "…文件" spread over the measure, 文号, red rule; the date
 * goes to the signature. */
static void gongwen_masthead(struct html *h)
{
    const struct meta *m = &h->doc->meta;
    put(h, "<header class=\"masthead\">\n");
    doc_marks(h);
    char *mark = xasprintf("%s文件", m->issuer);
    para_class(h, "issuer spread", mark);
    free(mark);
    if (m->doc_number)
        para_class(h, "doc-number", m->doc_number);
    put(h, "<div class=\"red-rule\"></div>\n</header>\n");
}

/* The 简报 报头 title: the template's pattern with {report} (the first
 * level-1 heading, else the title) and {title}. */
static char *briefing_title(struct html *h)
{
    const char *fmt = h->st->masthead_title && *h->st->masthead_title ? h->st->masthead_title
                                                                       : "{title}";
    const char *title = h->doc->meta.title ? h->doc->meta.title : "简报";
    struct buf first = {0}, html = {0}, out = {0};
    for (cmark_node *n = cmark_node_first_child(h->doc->root); n && !first.len; n = cmark_node_next(n))
        if (cmark_node_get_type(n) == CMARK_NODE_HEADING && cmark_node_get_heading_level(n) == 1)
            render_inlines(h, n, &html, &first);
    for (const char *s = fmt; *s;) {
        if (!strncmp(s, "{report}", 8)) {
            buf_puts(&out, first.len ? first.data : title);
            s += 8;
        } else if (!strncmp(s, "{title}", 7)) {
            buf_puts(&out, title);
            s += 7;
        } else {
            buf_putc(&out, *s++);
        }
    }
    buf_free(&first);
    buf_free(&html);
    return buf_detach(&out);
}

/* 简报 报头 (standards §J): the red title, 期号, 编发单位 and date on one
 * line, a double red rule; then the 编者按 if the front matter has a note. */
static void briefing_masthead(struct html *h)
{
    const struct meta *m = &h->doc->meta;
    char *title = briefing_title(h);
    put(h, "<header class=\"masthead briefing\">\n");
    para_class(h, "issuer", title);
    free(title);
    if (m->issue)
        para_class(h, "doc-number", m->issue);
    if (m->issuer || m->date.year) {
        put(h, "<p class=\"issue-line\"><span>");
        esc(h->out, m->issuer ? m->issuer : "");
        put(h, "</span>");
        if (m->date.year) {
            char cn[32];
            date_format_cn(&m->date, cn, sizeof cn);
            buf_printf(h->out, "<time datetime=\"%04d-%02d-%02d\">", m->date.year, m->date.month,
                       m->date.day);
            esc(h->out, cn);
            put(h, "</time>");
        }
        put(h, "</p>\n");
    }
    put(h, "<div class=\"red-rule double\"></div>\n</header>\n");
    if (m->note) {
        put(h, "<p class=\"editor-note\"><span class=\"note-label\">编者按：</span>");
        esc(h->out, m->note);
        put(h, "</p>\n");
    }
}

/* The head the template asks for; a cover page (report) is not drawn yet:
 * it gets a modest head with what the front matter has. */
/* The report's cover: the PDF's first page, at the top of the preview. */
static void cover(struct html *h)
{
    const struct meta *m = &h->doc->meta;
    put(h, "<header class=\"cover\">\n");
    if (m->title)
        para_class(h, "cover-title", m->title);
    if (m->subtitle)
        para_class(h, "cover-subtitle", m->subtitle);
    if (m->issuer)
        para_class(h, "cover-issuer", m->issuer);
    if (m->date.year)
        doc_date(h, &m->date, "cover-date");
    put(h, "</header>\n");
}

static void masthead(struct html *h)
{
    const struct meta *m = &h->doc->meta;
    if (h->st->masthead == MASTHEAD_GONGWEN) {
        if (m->issuer)
            gongwen_masthead(h);
        return;
    }
    if (h->st->masthead == MASTHEAD_BRIEFING) {
        briefing_masthead(h);
        return;
    }
    if (h->st->masthead == MASTHEAD_COVER) {
        cover(h);
        return;
    }
    bool date = m->date.year > 0 && !h->st->signature;
    if (h->st->masthead == MASTHEAD_NONE ||
        (!m->issuer && !m->doc_number && !m->classification && !m->urgency && !date))
        return;
    put(h, "<header class=\"masthead\">\n");
    doc_marks(h);
    if (m->issuer)
        para_class(h, "issuer", m->issuer);
    if (m->doc_number)
        para_class(h, "doc-number", m->doc_number);
    if (m->issuer)
        put(h, "<div class=\"red-rule\"></div>\n");
    if (date)
        doc_date(h, &m->date, "doc-date");
    put(h, "</header>\n");
}

/* 署名 and 成文日期 (GB/T 9704 §7.3.5), at <!-- signature --> or after the
 * body, once, when the template asks for them. */
static void signature(struct html *h)
{
    const struct meta *m = &h->doc->meta;
    if (!h->st->signature || h->signed_off)
        return;
    h->signed_off = true;
    if (!m->issuer && !m->date.year)
        return;
    put(h, "<div class=\"signature\"><div>\n");
    if (m->issuer)
        para_class(h, "signer", m->issuer);
    if (m->date.year)
        doc_date(h, &m->date, "sign-date");
    put(h, "</div></div>\n");
}

static void title_block(struct html *h)
{
    const struct meta *m = &h->doc->meta;
    masthead(h);
    if (h->st->masthead == MASTHEAD_COVER)
        return; /* the cover carries title, issuer and date */
    if (m->title) {
        put(h, "<div class=\"doc-title\" role=\"heading\" aria-level=\"1\">");
        esc(h->out, m->title);
        put(h, "</div>\n");
    }
    if (m->subtitle) {
        put(h, "<div class=\"doc-subtitle\">");
        esc(h->out, m->subtitle);
        put(h, "</div>\n");
    }
    if (m->recipients && h->st->masthead != MASTHEAD_BRIEFING) { /* 简报: 报送 in the 报尾 */
        size_t len = strlen(m->recipients);
        bool colon = len >= 3 && !strcmp(m->recipients + len - 3, "：");
        put(h, "<p class=\"recipients\">");
        esc(h->out, m->recipients);
        put(h, colon ? "</p>\n" : "：</p>\n");
    }
}

/* One 版记 / 报尾 line: a label, the text, and a flush-right part. */
static void colophon_line(struct html *h, const char *label, const char *text, const char *right,
                          bool rule)
{
    put(h, rule ? "<p class=\"rule-above\"><span>" : "<p><span>");
    if (label)
        esc(h->out, label);
    esc(h->out, text);
    put(h, "</span>");
    if (right) {
        put(h, "<span>");
        esc(h->out, right);
        put(h, "</span>");
    }
    put(h, "</p>\n");
}

static char *cc_list(const struct meta *m)
{
    if (!m->cc || !m->cc[0])
        return NULL;
    struct buf b = {0};
    for (char **p = m->cc; *p; p++) {
        if (p != m->cc)
            buf_puts(&b, "，");
        buf_puts(&b, *p);
    }
    buf_puts(&b, "。");
    return buf_detach(&b);
}

/* 版记 (公文: 抄送, 印发机关 and 印发日期) or 报尾 (简报: 报, 送, 发, 印数) at
 * the end, between rules, with the lines the PDF sets on its last page. */
static void colophon(struct html *h)
{
    const struct meta *m = &h->doc->meta;
    enum colophon kind = h->st->colophon;
    char *cc = cc_list(m);
    char *copies = m->copies ? xasprintf("（共印%s份）", m->copies) : NULL;
    const struct date *pd = m->print_date.year ? &m->print_date : m->date.year ? &m->date : NULL;
    char date[48] = "", printed[64] = "";
    if (pd) {
        date_format_cn(pd, date, sizeof date);
        snprintf(printed, sizeof printed, "%s印发", date);
    }
    bool briefing = kind == COLOPHON_BRIEFING;
    const char *labels[3];
    char *texts[3];
    int tail = briefing ? meta_briefing_tail(m, labels, texts) : 0; /* 报, 送, 发 */
    bool any = briefing ? tail || copies : cc || m->printer || m->print_date.year;
    if (kind != COLOPHON_NONE && any) {
        put(h, "<footer class=\"colophon\">\n");
        for (int i = 0; i < tail; i++)
            colophon_line(h, labels[i], texts[i], NULL, false);
        if (cc && !briefing)
            colophon_line(h, "抄送：", cc, NULL, false);
        if (briefing && copies)
            colophon_line(h, NULL, "", copies, false);
        if (!briefing && (m->printer || m->print_date.year))
            colophon_line(h, NULL, m->printer ? m->printer : "", pd ? printed : NULL, cc != NULL);
        put(h, "</footer>\n");
    }
    for (int i = 0; i < tail; i++)
        free(texts[i]);
    free(cc);
    free(copies);
}

static void toc(struct html *h)
{
    if (!h->ntoc)
        return;
    put(h, "<nav class=\"toc\" aria-label=\"目录\">\n<p class=\"toc-title\">目录</p>\n<ol>\n");
    for (int i = 0; i < h->ntoc; i++) {
        buf_printf(h->out, "<li class=\"toc-%d\"><a href=\"#h-%d\">", h->toc[i].level, h->toc[i].id);
        esc(h->out, h->toc[i].text);
        put(h, "</a></li>\n");
    }
    put(h, "</ol>\n</nav>\n");
}

static void head(struct html *h)
{
    const struct meta *m = &h->doc->meta;
    put(h, "<!DOCTYPE html>\n<html");
    attr(h, "lang", m->lang && *m->lang ? m->lang : "zh-CN");
    put(h, ">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
           "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n"
           "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
    const char *title = m->title ? m->title : h->ntoc ? h->toc[0].text : h->doc->file;
    esc(h->out, title);
    put(h, "</title>\n");
    if (m->author) {
        put(h, "<meta name=\"author\"");
        attr(h, "content", m->author);
        put(h, ">\n");
    }
    if (m->keywords) {
        put(h, "<meta name=\"keywords\"");
        attr(h, "content", m->keywords);
        put(h, ">\n");
    }
    put(h, "<style>\n");
    css_write(h->st, h->out);
    put(h, "</style>\n</head>\n");
}

static void html_free(struct html *h)
{
    for (int i = 0; i < h->ntoc; i++)
        free(h->toc[i].text);
    free(h->toc);
    free(h->footnotes);
    free(h->fn_refs);
    free(h->sections);
    free(h->dept);
}

bool html_render(const struct doc *doc, const struct style *st, struct buf *out, struct diag *d)
{
    (void)d; /* nothing here can fail: the document and template are checked */
    struct html h = {.doc = doc, .st = st, .last = -1};
    struct buf body = {0};
    collect_footnotes(&h);
    h.out = &body;
    title_block(&h);
    overview(&h);
    walk(&h);
    signature(&h);
    footnotes(&h);
    colophon(&h);
    h.out = out;
    head(&h);
    put(&h, h.ntoc ? "<body class=\"has-toc\">\n" : "<body>\n");
    toc(&h);
    put(&h, "<main class=\"page\">\n");
    buf_put(out, body.data ? body.data : "", body.len);
    put(&h, "</main>\n</body>\n</html>\n");
    buf_free(&body);
    html_free(&h);
    return true;
}
