#define _POSIX_C_SOURCE 200809L
/* The HTML preview, written from the cmark tree in one iterator walk. What
 * the document means comes from the model (model.h), as for the PDF:
 * heading ids h-N are the PDF's destinations, footnote numbers, table
 * column alignment, department scope (data-dept on each block whose set
 * differs from its container's), soft breaks and roles.
 *
 * Safety: every text and attribute goes through esc(); raw HTML is never
 * copied (comments only steer page breaks and department tags); links keep
 * their <a> only for http:, https:, mailto: and #anchors; images become
 * their alt text (as in the PDF), so the page requests nothing. */
#include "html.h"
#include "chart.h"
#include "css.h"
#include "frame.h"
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

struct html {
    const struct doc *doc;
    const struct style *st;
    struct buf *out;         /* where writing goes now */
    struct buf *plain;       /* plain text of the current block, or NULL */
    int32_t last;            /* last character written in this block, -1 none */
    const struct frame *frame; /* the fixed parts around the text */
    int *note_refs;          /* markers written so far, per note number */
    int nnote_refs;
    bool body_closed;        /* 附件说明 and signature are written */
    bool at_start;           /* nothing written in this block yet */
    struct toc_entry *toc;   /* headings of levels 1-3, in order */
    int ntoc;
    cmark_node **footnotes;  /* definitions, numbered from 1 in this order */
    int nfootnotes;
    int *fn_refs;            /* references written so far, per footnote */
};

static void close_body(struct html *h);
static void para_class(struct html *h, const char *cls, const char *s);

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

/* "↩" back to where note n is cited (anchors prefix-n). */
static void back_link(struct html *h, const char *prefix, int n)
{
    buf_printf(h->out, "<a class=\"fn-back\" href=\"#%s-%d\"", prefix, n);
    attr(h, "aria-label", style_label(h->st, LABEL_BACK));
    put(h, ">↩</a>");
}

/* Starts the text of a block: plain (may be NULL) collects its characters. */
static void begin_text(struct html *h, struct buf *plain)
{
    h->plain = plain;
    h->last = -1;
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
 * does its work). */
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
    esc(h->out, s);
    if (h->plain)
        buf_puts(h->plain, s);
    note_last(h, s, n);
    h->at_start = false;
}

/* ---- footnotes -------------------------------------------------------------- */

/* The definitions, at the end of the tree in the model's numbering. */
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

static void footnote_ref(struct html *h, cmark_node *ref)
{
    int num = model_info(ref)->note;
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

/* A note marker ［N］ as written, linked to note N; the first one per note
 * is where the note links back to. */
static void note_ref(struct html *h, cmark_node *n)
{
    int num = model_info(n)->note;
    if (num >= h->nnote_refs) {
        h->note_refs = xreallocarray(h->note_refs, (size_t)num + 1, sizeof *h->note_refs);
        memset(h->note_refs + h->nnote_refs, 0, (size_t)(num + 1 - h->nnote_refs) * sizeof *h->note_refs);
        h->nnote_refs = num + 1;
    }
    if (h->note_refs[num]++)
        buf_printf(h->out, "<a class=\"note-ref\" href=\"#note-%d\">", num);
    else
        buf_printf(h->out, "<a class=\"note-ref\" href=\"#note-%d\" id=\"noteref-%d\">", num, num);
    text(h, cmark_node_get_literal(n));
    put(h, "</a>");
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
    const struct indicator *ind = model_info(link)->indicator;
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
        if (model_info(n)->note)
            note_ref(h, n);
        else
            text(h, cmark_node_get_literal(n));
        break;
    case CMARK_NODE_CODE:
        put(h, "<code>");
        text(h, cmark_node_get_literal(n));
        put(h, "</code>");
        break;
    case CMARK_NODE_SOFTBREAK:
        if (model_info(n)->space)
            text(h, " ");
        break;
    case CMARK_NODE_LINEBREAK:
        put(h, "<br>");
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

/* data-dept="a,b" on a block whose department set is not its container's. */
static void dept_attr(struct html *h, cmark_node *n)
{
    const struct node_info *info = model_info(n);
    if (!info->ndepts || model_same_depts(info, model_info(cmark_node_parent(n))))
        return;
    struct buf names = {0};
    for (int k = 0; k < info->ndepts; k++) {
        if (k)
            buf_putc(&names, ',');
        buf_puts(&names, info->depts[k]);
    }
    attr(h, "data-dept", names.data);
    buf_free(&names);
}

/* ---- blocks ---------------------------------------------------------------- */

static void add_toc(struct html *h, int level, int id, const char *plain)
{
    if (level > 3)
        return;
    h->toc = xreallocarray(h->toc, (size_t)h->ntoc + 1, sizeof *h->toc);
    h->toc[h->ntoc++] = (struct toc_entry){level, id, xstrdup(plain)};
}

static void heading(struct html *h, cmark_node *n)
{
    const struct node_info *info = model_info(n);
    if (info->empty)
        return;
    struct buf html = {0}, plain = {0};
    int level = info->level;
    if (h->st->number_headings && info->auto_number) { /* the template numbers it */
        esc(&html, info->auto_number);
        buf_puts(&plain, info->auto_number);
    }
    struct buf text = {0}, text_plain = {0};
    render_inlines(h, n, &text, &text_plain);
    buf_put(&html, text.data ? text.data : "", text.len);
    buf_put(&plain, text_plain.data ? text_plain.data : "", text_plain.len);
    buf_free(&text);
    buf_free(&text_plain);
    int tagn = level < 1 ? 1 : level > 6 ? 6 : level;
    if (info->part == PART_ATTACHMENT) { /* a new page, the 附件 label top left */
        close_body(h);
        put(h, "<div class=\"pagebreak\"></div>\n");
    }
    buf_printf(h->out, "<h%d id=\"h-%d\"", tagn, info->id);
    if (info->part == PART_ATTACHMENT || info->attachment_title)
        attr(h, "class", info->attachment_title ? "attachment-title" : "attachment-label");
    dept_attr(h, n);
    put(h, ">");
    if (info->part == PART_ATTACHMENT)
        esc(h->out, info->attachment_label);
    else
        buf_put(h->out, html.data, html.len);
    buf_printf(h->out, "</h%d>\n", tagn);
    if (info->part == PART_ATTACHMENT && info->attachment_titled)
        para_class(h, "attachment-title", info->attachment_name);
    add_toc(h, level, info->id, plain.data ? plain.data : "");
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

/* The class of a paragraph that plays a part of the report. */
static const char *part_class(enum part part)
{
    switch (part) {
    case PART_SUBTITLE: return "byline";
    case PART_SPEAKER: return "speaker";
    case PART_SALUTATION: return "salutation";
    case PART_LEAD: return "lead";
    case PART_NOTE: return "note";
    default: return NULL;
    }
}

static bool is_glossary_entry(cmark_node *n)
{
    return n && model_info(n)->part == PART_NOTE && model_info(n)->term;
}

/* A note or glossary entry: its id is the markers' target and, when the
 * text cites it, it links back. Entries with a term (名词解释) make a
 * definition list, term and definition; others stay paragraphs. */
static void note_entry(struct html *h, cmark_node *n)
{
    const struct node_info *info = model_info(n);
    struct buf term = {0}, rest = {0}, plain = {0};
    struct buf *saved = h->out;
    begin_text(h, &plain);
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
        h->out = c == info->term ? &term : &rest;
        cmark_iter *it = cmark_iter_new(c);
        cmark_event_type ev;
        while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
            inline_node(h, cmark_iter_get_node(it), ev == CMARK_EVENT_ENTER);
        cmark_iter_free(it);
    }
    h->out = saved;
    h->plain = NULL;
    bool dl = info->term != NULL;
    if (dl && !is_glossary_entry(cmark_node_previous(n)))
        put(h, "<dl class=\"glossary\">\n");
    buf_printf(h->out, dl ? "<div id=\"note-%d\"" : "<p class=\"note\" id=\"note-%d\"", info->note);
    dept_attr(h, n);
    put(h, dl ? "><dt>" : ">");
    buf_put(h->out, term.data ? term.data : "", term.len);
    if (dl)
        put(h, "</dt><dd>");
    buf_put(h->out, rest.data ? rest.data : "", rest.len);
    if (info->cited)
        back_link(h, "noteref", info->note);
    put(h, dl ? "</dd></div>\n" : "</p>\n");
    if (dl && !is_glossary_entry(cmark_node_next(n)))
        put(h, "</dl>\n");
    buf_free(&term);
    buf_free(&rest);
    buf_free(&plain);
}

static void paragraph(struct html *h, cmark_node *n)
{
    if (model_info(n)->part == PART_NOTE && !in_tight_list(n)) {
        note_entry(h, n);
        return;
    }
    struct buf html = {0}, plain = {0};
    if (render_inlines(h, n, &html, &plain)) {
        const char *cls = model_info(n)->attachment_title ? "attachment-title"
                                                          : part_class(model_info(n)->part);
        bool bare = !cls && in_tight_list(n) && model_same_depts(model_info(n), model_info(cmark_node_parent(n)));
        if (!bare) {
            put(h, "<p");
            if (cls)
                attr(h, "class", cls);
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
    const struct chart *c = model_info(n)->chart;
    if (c) {
        chart_figure(h, c, n, "chart");
        return;
    }
    put(h, "<figure class=\"chart\" data-pending=\"\"");
    dept_attr(h, n);
    put(h, "></figure>\n");
}

/* The key-indicator overview: after the masthead's title block or the
 * report's own (frame->overview_after), as the PDF places it. */
static void overview(struct html *h)
{
    if (!h->st->overview || !h->doc->indicators)
        return;
    char *const *only = h->doc->meta.overview;
    struct chart *c[2] = {chart_overview_cards(h->doc->indicators, only, h->doc->charts, h->doc->ncharts, h->st),
                          chart_overview_compare(h->doc->indicators, only, h->st)};
    chart_fill_source(c, 2, chart_document_source(h->doc->charts, h->doc->ncharts, h->doc->meta.source));
    if (c[0] || c[1])
    {
        put(h, "<section class=\"overview\"");
        attr(h, "aria-label", style_label(h->st, LABEL_OVERVIEW));
        put(h, ">\n");
    }
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
    if (model_info(n)->chart_block) {
        chart_block(h, n);
        return;
    }
    put(h, "<pre");
    dept_attr(h, n);
    put(h, "><code>");
    esc(h->out, cmark_node_get_literal(n) ? cmark_node_get_literal(n) : "");
    put(h, "</code></pre>\n");
}


static void html_block(struct html *h, cmark_node *n)
{
    switch (model_info(n)->marker) {
    case MARK_PAGEBREAK:
        put(h, "<div class=\"pagebreak\"></div>\n");
        break;
    case MARK_SIGNATURE:
        if (h->st->signature)
            close_body(h);
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
        buf_printf(h->out, "</%s>\n", name);
        return;
    }
    buf_printf(h->out, "<%s", name);
    cmark_node *first = cmark_node_first_child(n);
    if (t == CMARK_NODE_ITEM && model_info(first)->part == PART_NOTE) /* a note as a list item */
        buf_printf(h->out, " id=\"note-%d\"", model_info(first)->note);
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
    const char *al = model_info(table)->align;
    c->align = xcalloc((size_t)c->ncols + 1, 1);
    for (int col = 0; col < c->ncols; col++)
        c->align[col] = al && col < (int)strlen(al) ? al[col] : 'l';
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
        case CMARK_NODE_PARAGRAPH:
            paragraph(h, n);
            if (n == h->frame->overview_after)
                overview(h);
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
    put(h, "<ol class=\"footnotes\"");
    attr(h, "aria-label", style_label(h->st, LABEL_NOTES));
    put(h, ">\n");
    for (int i = 0; i < h->nfootnotes; i++) {
        char *label = frame_footnote_label(h->st, model_info(h->footnotes[i])->note);
        buf_printf(h->out, "<li id=\"fn-%d\">", model_info(h->footnotes[i])->note);
        esc(h->out, label);
        free(label);
        begin_text(h, NULL);
        h->at_start = false;
        inlines(h, h->footnotes[i]);
        if (h->fn_refs[i + 1])
            back_link(h, "fnref", i + 1);
        put(h, "</li>\n");
    }
    put(h, "</ol>\n");
}

/* ---- the frame (frame.h): title block and page shell ----------------------- */

static void para_class(struct html *h, const char *cls, const char *s)
{
    buf_printf(h->out, "<p class=\"%s\">", cls);
    esc(h->out, s);
    put(h, "</p>\n");
}

static void doc_date(struct html *h, const char *cls)
{
    const struct date *dt = h->frame->date_value;
    buf_printf(h->out, "<p class=\"%s\"><time datetime=\"%04d-%02d-%02d\">", cls, dt->year,
               dt->month, dt->day);
    esc(h->out, h->frame->date);
    put(h, "</time></p>\n");
}

static void doc_marks(struct html *h)
{
    char *const *m = h->frame->marks;
    if (!m[0] && !m[1])
        return;
    char *marks = xasprintf("%s%s%s", m[0] ? m[0] : "", m[0] && m[1] ? "　" : "", m[1] ? m[1] : "");
    para_class(h, "doc-marks", marks);
    free(marks);
}

/* 版头 of a 公文 template, as the PDF sets it: marks (密级, 紧急程度), the
 * red 发文机关标志 spread over the measure, 文号, red rule; the date goes to
 * the signature. */
static void gongwen_masthead(struct html *h)
{
    const struct frame *f = h->frame;
    put(h, "<header class=\"masthead\">\n");
    doc_marks(h);
    para_class(h, "issuer spread", f->issuer_mark);
    if (f->doc_number)
        para_class(h, "doc-number", f->doc_number);
    put(h, "<div class=\"red-rule\"></div>\n</header>\n");
}

/* 简报 报头 (standards §J): the red title, 期号, 编发单位 and date on one
 * line, a double red rule; then the 编者按 if the front matter has a note. */
static void briefing_masthead(struct html *h)
{
    const struct frame *f = h->frame;
    put(h, "<header class=\"masthead briefing\">\n");
    para_class(h, "issuer", f->masthead_title);
    if (f->issue)
        para_class(h, "doc-number", f->issue);
    if (f->issuer || f->date) {
        put(h, "<p class=\"issue-line\"><span>");
        esc(h->out, f->issuer ? f->issuer : "");
        put(h, "</span>");
        if (f->date) {
            const struct date *dt = f->date_value;
            buf_printf(h->out, "<time datetime=\"%04d-%02d-%02d\">", dt->year, dt->month, dt->day);
            esc(h->out, f->date);
            put(h, "</time>");
        }
        put(h, "</p>\n");
    }
    put(h, "<div class=\"red-rule double\"></div>\n</header>\n");
    if (f->editor_note) {
        put(h, "<p class=\"editor-note\"><span class=\"note-label\">");
        esc(h->out, f->editor_note_label);
        put(h, "</span>");
        esc(h->out, f->editor_note);
        put(h, "</p>\n");
    }
}

/* The report's cover: the PDF's first page, at the top of the preview. */
static void cover(struct html *h)
{
    const struct frame *f = h->frame;
    put(h, "<header class=\"cover\">\n");
    if (f->title)
        para_class(h, "cover-title", f->title);
    if (f->subtitle)
        para_class(h, "cover-subtitle", f->subtitle);
    if (f->issuer)
        para_class(h, "cover-issuer", f->issuer);
    if (f->date)
        doc_date(h, "cover-date");
    put(h, "</header>\n");
}

static void masthead(struct html *h)
{
    const struct frame *f = h->frame;
    if (h->st->masthead == MASTHEAD_GONGWEN) {
        if (f->issuer_mark)
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
    bool date = f->date && !h->st->signature;
    if (h->st->masthead == MASTHEAD_NONE ||
        (!f->issuer && !f->doc_number && !f->marks[0] && !f->marks[1] && !date))
        return;
    put(h, "<header class=\"masthead\">\n");
    doc_marks(h);
    if (f->issuer)
        para_class(h, "issuer", f->issuer);
    if (f->doc_number)
        para_class(h, "doc-number", f->doc_number);
    if (f->issuer)
        put(h, "<div class=\"red-rule\"></div>\n");
    if (date)
        doc_date(h, "doc-date");
    put(h, "</header>\n");
}

/* 附件说明 (GB/T 9704 §7.3.4): label and names in a two-column grid, so
 * later names stand under the first. */
static void attachment_note(struct html *h)
{
    const struct frame *f = h->frame;
    if (!f->nattachment_note)
        return;
    put(h, "<div class=\"attachment-note\">");
    for (int i = 0; i < f->nattachment_note; i++) {
        put(h, "<span>");
        esc(h->out, f->attachment_note[i].label ? f->attachment_note[i].label : "");
        put(h, "</span><span>");
        esc(h->out, f->attachment_note[i].text);
        put(h, "</span>");
    }
    put(h, "</div>\n");
}

/* After the body (at <!-- signature -->, before the first attachment or at
 * the end), once: the 附件说明, then 署名 and 成文日期 (GB/T 9704 §7.3.5)
 * when the template signs. */
static void close_body(struct html *h)
{
    const struct frame *f = h->frame;
    if (h->body_closed)
        return;
    h->body_closed = true;
    attachment_note(h);
    if (f->signer || f->sign_date) {
        put(h, "<div class=\"signature\"><div>\n");
        if (f->signer)
            para_class(h, "signer", f->signer);
        if (f->sign_date)
            doc_date(h, "sign-date");
        put(h, "</div></div>\n");
    }
    if (f->annotation) /* 附注: a body paragraph, its indent two characters */
        para_class(h, "annotation", f->annotation);
}

static void title_block(struct html *h)
{
    const struct frame *f = h->frame;
    masthead(h);
    if (h->st->masthead == MASTHEAD_COVER)
        return; /* the cover carries title, issuer and date */
    if (f->title) {
        put(h, "<div class=\"doc-title\" role=\"heading\" aria-level=\"1\">");
        esc(h->out, f->title);
        put(h, "</div>\n");
    }
    if (f->subtitle && !f->subtitle_in_text) {
        put(h, "<div class=\"doc-subtitle\">");
        esc(h->out, f->subtitle);
        put(h, "</div>\n");
    }
    if (f->recipients)
        para_class(h, "recipients", f->recipients);
}

/* 版记 (公文) or 报尾 (简报) at the end, between rules: the frame's lines,
 * as the PDF sets them on its last page. */
static void colophon(struct html *h)
{
    const struct frame *f = h->frame;
    if (!f->ncolophon)
        return;
    put(h, "<footer class=\"colophon\">\n");
    for (int i = 0; i < f->ncolophon; i++) {
        const struct frame_line *l = &f->colophon[i];
        put(h, l->rule_above ? "<p class=\"rule-above\"><span>" : "<p><span>");
        if (l->label)
            esc(h->out, l->label);
        esc(h->out, l->text);
        put(h, "</span>");
        if (l->right) {
            put(h, "<span>");
            esc(h->out, l->right);
            put(h, "</span>");
        }
        put(h, "</p>\n");
    }
    put(h, "</footer>\n");
}

static void toc(struct html *h)
{
    if (!h->ntoc)
        return;
    put(h, "<nav class=\"toc\"");
    /* "目　录" is spaced out for the eye; a screen reader gets the word */
    struct buf word = {0};
    for (const char *s = h->frame->contents_title; *s; s++)
        if (!strncmp(s, "\u3000", 3))
            s += 2;
        else if (*s != ' ')
            buf_putc(&word, *s);
    attr(h, "aria-label", word.data ? word.data : "");
    buf_free(&word);
    put(h, ">\n<p class=\"toc-title\">");
    esc(h->out, h->frame->contents_title);
    put(h, "</p>\n<ol>\n");
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
    free(h->note_refs);
}

bool html_render(const struct doc *doc, const struct style *st, struct buf *out, struct diag *d)
{
    (void)d; /* nothing here can fail: the document and template are checked */
    struct frame *frame = frame_new(doc, st);
    struct html h = {.doc = doc, .st = st, .last = -1, .frame = frame};
    struct buf body = {0};
    collect_footnotes(&h);
    h.out = &body;
    title_block(&h);
    if (!frame->overview_after)
        overview(&h);
    walk(&h);
    close_body(&h);
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
    frame_free(frame);
    return true;
}
