/* Block layout and pagination. One iterator walk over the cmark tree turns
 * blocks into a flat list of items (text lines, spaces, rules, table rows,
 * page breaks); pagination then places the items on pages. Coordinates are
 * pt with the origin at the top left of the page; y of a line is its
 * baseline. */
#include "layout.h"
#include "xalloc.h"
#include <cmark-gfm-core-extensions.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout_int.h"

static double block_left(struct builder *b)
{
    double left = 0;
    if (b->quote_depth)
        left += b->quote_depth * b->st->el[EL_QUOTE].margin_left;
    if (b->list_depth > 1)
        left += (b->list_depth - 1) * b->st->el[EL_LIST].margin_left;
    /* absurdly deep nesting stops indenting rather than leave no measure */
    return fmin(left, b->width / 2);
}

/* ---- blocks ---------------------------------------------------------- */


/* An attachment's name: centred in the title's style, a line of air
 * around it (GB/T 9704 §8.2: the title on the third line). */
static void attachment_title(struct builder *b, const char *name, const struct node_info *heading)
{
    const struct elem_style *ts = &b->st->el[EL_TITLE];
    struct para *t = build_text(b, EL_TITLE, name, b->width - ts->margin_left - ts->margin_right,
                                ts->align);
    build_space(b, 1, true);
    b->dest = heading ? heading->id : -1;
    build_lines(b, t, EL_TITLE, ts->margin_left, true, heading ? heading->level : 0,
                heading ? name : NULL);
    build_space(b, 1, true);
}

/* A note entry is the destination of its markers ("note-N") and, when
 * the text cites it, its term (or first line) links back to the first one. */
static void note_anchors(struct para *p, const struct node_info *info)
{
    int len = (int)strlen(pango_layout_get_text(p->layout));
    int end = p->nlines ? p->lines[0]->start_index + p->lines[0]->length : len;
    if (info->term) {
        size_t n = 0;
        for (cmark_node *c = cmark_node_first_child(info->term); c; c = cmark_node_next(c))
            n += cmark_node_get_literal(c) ? strlen(cmark_node_get_literal(c)) : 0;
        end = (int)n < end ? (int)n : end;
    }
    char name[32];
    snprintf(name, sizeof name, "=note-%d", info->note);
    para_add_link(p, 0, end, name);
    if (info->cited) {
        snprintf(name, sizeof name, "#noteref-%d", info->note);
        para_add_link(p, 0, end, name);
    }
}

/* The element that sets a paragraph of the given part. */
static enum element part_element(enum part part)
{
    switch (part) {
    case PART_SUBTITLE: return EL_BYLINE;
    case PART_SPEAKER: return EL_SPEAKER;
    case PART_SALUTATION: return EL_SALUTATION;
    case PART_LEAD: return EL_LEAD;
    case PART_NOTE: return EL_NOTES;
    case PART_ATTACHMENT: return EL_ATTACHMENT;
    default: return EL_BODY;
    }
}

/* Where a paragraph of element el starts, from the type area's left. */
static double paragraph_left(struct builder *b, enum element el)
{
    /* block_left already holds the quote's indent (once per nesting level) */
    return block_left(b) + (el == EL_QUOTE ? 0 : b->st->el[el].margin_left);
}

/* The element and measure of a paragraph where the walk stands. */
static struct para_measure paragraph_measure(struct builder *b, cmark_node *n)
{
    enum element el = b->quote_depth ? EL_QUOTE : b->list_depth ? EL_LIST : part_element(model_info(n)->part);
    const struct elem_style *es = &b->st->el[el];
    return (struct para_measure){el, b->width - paragraph_left(b, el) - es->margin_right, es->indent,
                                 es->align};
}

/* The paragraph laid out, or NULL when it has no text. */
static struct para *lay_paragraph(struct builder *b, cmark_node *n, struct para_measure m)
{
    bool empty = false;
    bool queued = b->pre && cmark_node_parent(n) == b->doc->root; /* as queue_paragraphs does */
    struct para *p = queued ? prelayout_take(b->pre, n, &m, &empty, b->d) : NULL;
    if (p || empty)
        return p;
    struct rich *r = build_rich(b, m.el, n);
    if (b->list_depth && b->item_first_para) {
        /* the marker hangs: wrapped lines align with the item's text */
        int d = (b->list_depth < LIST_LEVELS ? b->list_depth : LIST_LEVELS) - 1;
        char marker[32];
        if (b->list_ordered[d])
            snprintf(marker, sizeof marker, "%d.\xE2\x80\x82", ++b->list_counter[d]);
        else
            snprintf(marker, sizeof marker, "%s\xE2\x80\x82", d % 2 ? "◦" : "•");
        rich_add_text(r, marker);
        m.indent = -build_natural_width(b, marker, m.el);
        b->item_first_para = false;
    } else if (b->list_depth) {
        m.indent = 0;
    }
    rich_add_inlines(r, n);
    if (!*rich_text(r)) {
        rich_free(r);
        return NULL;
    }
    return para_layout(r, m.width, m.indent, m.align, b->d);
}

static void add_paragraph(struct builder *b, cmark_node *n)
{
    if (model_info(n)->attachment_title && !b->quote_depth && !b->list_depth) {
        attachment_title(b, model_info(n)->text, NULL);
        return;
    }
    struct para_measure m = paragraph_measure(b, n);
    struct para *p = lay_paragraph(b, n, m);
    if (!p)
        return;
    build_para(b, p);
    enum element el = m.el;
    const struct elem_style *es = &b->st->el[el];
    if (model_info(n)->part == PART_NOTE)
        note_anchors(p, model_info(n));
    bool part = el != EL_BODY && el != EL_QUOTE && el != EL_LIST;
    if (part)
        build_space(b, es->space_before, false);
    build_lines(b, p, el, paragraph_left(b, el), false, 0, NULL);
    if (part)
        build_space(b, es->space_after, false);
}

/* Long documents: their plain paragraphs (outside quotes and lists) are
 * queued for laying out ahead, in a second thread (prelayout.h). */
#define PRELAYOUT_MIN_BYTES (256 * 1024)

static void queue_paragraphs(struct builder *b)
{
    if (!(b->pre = prelayout_start(b->fonts)))
        return;
    for (cmark_node *n = cmark_node_first_child(b->doc->root); n; n = cmark_node_next(n)) {
        if (cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH || model_info(n)->attachment_title)
            continue;
        struct para_measure m = paragraph_measure(b, n);
        struct rich *r = build_rich(b, m.el, n);
        rich_add_inlines(r, n);
        prelayout_add(b->pre, n, r, &m);
    }
    prelayout_close(b->pre);
}

/* An attachment (GB/T 9704 §8.2) starts a new page with its 附件 label in
 * 黑体 on the first line, flush left; a name in the same heading follows
 * as the attachment's title. The signature goes before the first one. */
static void add_attachment(struct builder *b, cmark_node *n)
{
    const struct node_info *info = model_info(n);
    matter_close_body(b);
    build_item(b, IT_BREAK, 0);
    const struct elem_style *es = &b->st->el[EL_ATTACHMENT];
    struct para *p = build_text(b, EL_ATTACHMENT, info->attachment_label, b->width, ALIGN_LEFT);
    b->dest = info->id;
    build_lines(b, p, EL_ATTACHMENT, es->margin_left, true, info->level, info->text);
    if (info->attachment_titled)
        attachment_title(b, info->attachment_name, NULL);
}

static void add_heading(struct builder *b, cmark_node *n)
{
    const struct node_info *info = model_info(n);
    if (info->empty)
        return;
    if (info->part == PART_ATTACHMENT) {
        add_attachment(b, n);
        return;
    }
    if (info->attachment_title) {
        attachment_title(b, info->text, info);
        return;
    }
    int level = info->level;
    enum element el = level <= 1 ? EL_H1 : level == 2 ? EL_H2 : level == 3 ? EL_H3 : EL_H4;
    const struct elem_style *es = &b->st->el[el];
    struct rich *r = build_rich(b, el, n);
    if (b->st->number_headings && info->auto_number)
        rich_add_text(r, info->auto_number);
    rich_add_inlines(r, n);
    if (!*rich_text(r)) {
        rich_free(r);
        return;
    }
    char *label = rich_label(r);
    build_space(b, es->space_before, false);
    double width = b->width - es->margin_left - es->margin_right;
    /* a heading that wraps is justified like the text (its last line is
     * not), and never leaves one character alone on its last line */
    struct para *p = build_para(b, para_layout(r, width, es->indent, es->align, b->d));
    b->dest = info->id;
    build_lines(b, p, el, es->margin_left, true, level, label);
    free(label);
    build_space(b, es->space_after, true);
}

static void add_code_block(struct builder *b, cmark_node *n)
{
    const char *code = cmark_node_get_literal(n);
    const struct elem_style *es = &b->st->el[EL_CODE];
    int line = cmark_node_get_start_line(n) + 1;
    for (const char *s = code ? code : ""; *s;) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        char *text = xstrndup(s, len);
        struct rich *r = rich_new(b->fonts, b->st, EL_CODE, b->doc->file, line++);
        rich_add_text(r, *text ? text : " ");
        free(text);
        double width = b->width - block_left(b) - es->margin_left - es->margin_right;
        struct para *p = build_para(b, para_layout(r, width, 0, ALIGN_LEFT, b->d));
        build_lines(b, p, EL_CODE, block_left(b) + es->margin_left, false, 0, NULL);
        s += len + (nl ? 1 : 0);
    }
}

static cmark_node *nth_child(cmark_node *n, int i)
{
    cmark_node *c = cmark_node_first_child(n);
    while (c && i-- > 0)
        c = cmark_node_next(c);
    return c;
}

/* Column alignment as the document model resolved it. */
static enum align column_align(cmark_node *table, int col)
{
    const char *al = model_info(table)->align;
    char c = al && col < (int)strlen(al) ? al[col] : 'l';
    return c == 'r' ? ALIGN_RIGHT : c == 'c' ? ALIGN_CENTER : ALIGN_LEFT;
}

static void add_table(struct builder *b, cmark_node *n)
{
    int ncols = cmark_gfm_extensions_get_table_columns(n);
    int nrows = 0;
    for (cmark_node *row = cmark_node_first_child(n); row; row = cmark_node_next(row))
        nrows++;
    if (ncols <= 0 || nrows <= 0)
        return;
    struct table *t = xcalloc(1, sizeof *t);
    b->tables = xreallocarray(b->tables, (size_t)b->ntables + 1, sizeof *b->tables);
    b->tables[b->ntables++] = t;
    t->ncols = ncols, t->nrows = nrows;
    t->header = cmark_gfm_extensions_get_table_row_is_header(cmark_node_first_child(n));
    struct rich **texts = xcalloc((size_t)(nrows * ncols), sizeof *texts);
    double *natural = xcalloc((size_t)ncols, sizeof *natural);
    double pad = b->st->el[EL_TABLE].size * 0.5;
    int r = 0;
    for (cmark_node *row = cmark_node_first_child(n); row; row = cmark_node_next(row), r++) {
        enum element el = r == 0 && t->header ? EL_TABLE_HEAD : EL_TABLE;
        for (int c = 0; c < ncols; c++) {
            cmark_node *cell = nth_child(row, c);
            struct rich *rt = build_rich(b, el, cell ? cell : row);
            if (cell)
                rich_add_inlines(rt, cell);
            texts[r * ncols + c] = rt;
            double w = build_natural_width(b, rich_text(rt), el) + 2 * pad;
            if (w > natural[c])
                natural[c] = w;
        }
    }
    /* columns get their natural width when everything fits, else a share
     * of the measure that favours short columns (no column under 3 em) */
    double total = 0, avail = b->width - block_left(b);
    for (int c = 0; c < ncols; c++)
        total += natural[c];
    double min_w = 3 * b->st->el[EL_TABLE].size + 2 * pad;
    t->colx = xcalloc((size_t)ncols + 1, sizeof *t->colx);
    double x = block_left(b);
    double scale = total > avail ? avail / total : 1;
    double fixed = 0;
    for (int c = 0; c < ncols; c++)
        fixed += fmax(min_w, natural[c] * scale);
    for (int c = 0; c < ncols; c++) {
        t->colx[c] = x;
        double w = fmax(min_w, natural[c] * scale);
        if (total > avail)
            w *= avail / fixed;
        else
            w += (avail - total) / ncols;
        x += w;
    }
    t->colx[ncols] = x;
    t->width = x - t->colx[0];
    t->cells = xcalloc((size_t)(nrows * ncols), sizeof *t->cells);
    t->row_h = xcalloc((size_t)nrows, sizeof *t->row_h);
    t->line_h = b->st->el[EL_TABLE].size * 1.5;
    enum align *aligns = xcalloc((size_t)ncols, sizeof *aligns);
    for (int c = 0; c < ncols; c++)
        aligns[c] = column_align(n, c);
    for (r = 0; r < nrows; r++) {
        int lines = 1;
        for (int c = 0; c < ncols; c++) {
            enum align al = r == 0 && t->header ? ALIGN_CENTER : aligns[c];
            double w = t->colx[c + 1] - t->colx[c] - 2 * pad;
            struct para *p = build_para(b, para_layout(texts[r * ncols + c], w, 0, al, b->d));
            texts[r * ncols + c] = NULL;
            t->cells[r * ncols + c] = p;
            if (p->nlines > lines)
                lines = p->nlines;
        }
        t->row_h[r] = ceil((lines * t->line_h + pad) / b->pitch - EPS) * b->pitch;
        struct item *it = build_item(b, IT_ROW, t->row_h[r]);
        it->table = t;
        it->row = r;
        it->keep = r == 0 && t->header;
        it->grid = true;
        if (r == 0)
            t->header_item = b->n - 1;
    }
    free(aligns);
    free(texts);
    free(natural);
}

void add_pagebreak(struct builder *b) { build_item(b, IT_BREAK, 0); }

void add_rule(struct builder *b) { build_item(b, IT_RULE, b->pitch)->grid = true; }

static void collect_footnotes(struct builder *b)
{
    cmark_iter *it = cmark_iter_new(b->doc->root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION) {
            b->footnotes = xreallocarray(b->footnotes, (size_t)b->nfootnotes + 1, sizeof *b->footnotes);
            b->footnotes[b->nfootnotes++] = n;
        }
    }
    cmark_iter_free(it);
}

/* Footnotes are set at the end of the document under a short rule. */
static void add_footnotes(struct builder *b)
{
    if (!b->nfootnotes)
        return;
    build_space(b, 1, false);
    const struct elem_style *es = &b->st->el[EL_FOOTNOTE];
    for (int i = 0; i < b->nfootnotes; i++) {
        struct rich *r = build_rich(b, EL_FOOTNOTE, b->footnotes[i]);
        char *num = frame_footnote_label(b->st, model_info(b->footnotes[i])->note);
        rich_add_text(r, num);
        free(num);
        for (cmark_node *c = cmark_node_first_child(b->footnotes[i]); c; c = cmark_node_next(c))
            rich_add_inlines(r, c);
        struct para *p = build_para(b, para_layout(r, b->width - es->margin_left, es->indent,
                                                  ALIGN_JUSTIFY, b->d));
        build_lines(b, p, EL_FOOTNOTE, es->margin_left, false, 0, NULL);
    }
}

static void walk(struct builder *b)
{
    cmark_iter *it = cmark_iter_new(b->doc->root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        bool enter = ev == CMARK_EVENT_ENTER;
        if (enter)
            b->cur_line = cmark_node_get_start_line(n);
        switch (t) {
        case CMARK_NODE_PARAGRAPH:
            if (enter) {
                add_paragraph(b, n);
                if (n == b->frame->overview_after)
                    matter_overview(b);
                cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
            }
            break;
        case CMARK_NODE_HEADING:
            if (enter) {
                add_heading(b, n);
                cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
            }
            break;
        case CMARK_NODE_BLOCK_QUOTE:
            b->quote_depth += enter ? 1 : -1;
            break;
        case CMARK_NODE_LIST:
            if (enter && b->list_depth < LIST_LEVELS) {
                b->list_ordered[b->list_depth] = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
                b->list_counter[b->list_depth] = cmark_node_get_list_start(n) - 1;
            }
            b->list_depth += enter ? 1 : -1;
            break;
        case CMARK_NODE_ITEM:
            if (enter)
                b->item_first_para = true;
            break;
        case CMARK_NODE_CODE_BLOCK:
            if (model_info(n)->chart)
                build_chart(b, model_info(n)->chart);
            else if (!model_info(n)->chart_block)
                add_code_block(b, n);
            break;
        case CMARK_NODE_HTML_BLOCK:
            if (model_info(n)->marker == MARK_PAGEBREAK)
                add_pagebreak(b);
            else if (model_info(n)->marker == MARK_SIGNATURE && b->st->signature)
                matter_close_body(b);
            break;
        case CMARK_NODE_THEMATIC_BREAK:
            add_rule(b);
            break;
        case CMARK_NODE_FOOTNOTE_DEFINITION:
            if (enter)
                cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
            break;
        default:
            if (enter && strcmp(cmark_node_get_type_string(n), "table") == 0) {
                add_table(b, n);
                cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
            }
            break;
        }
    }
    cmark_iter_free(it);
}

/* ---- pagination ------------------------------------------------------ */

#define FLOAT_MIN_LINES 4 /* less room than this left: the page simply ends before a chart */

struct pager {
    struct builder *b;
    struct layout *l;
    double top, left, height;  /* type area */
    double y;                  /* used height on the current page */
    int *placed;               /* item indices on the current page */
    double *placed_y;
    int *nboxes;               /* boxes emitted per placed item */
    int nplaced, cap;
    struct table *last_table;
    int *pending;              /* charts waiting for the next page, in order */
    int npending;
    bool *broken;              /* per page: opened by a page break in the text */
};

static void emit_row(struct pager *pg, struct page *page, struct table *t, int r, double top)
{
    const struct style *st = pg->b->st;
    double h = t->row_h[r];
    double x0 = pg->left + t->colx[0], x1 = pg->left + t->colx[t->ncols];
    double thin = 0.5, thick = 1.0;
    layout_rule_box(page, x0, top, x1, top, r == 0 ? thick : thin, st->rule);
    layout_rule_box(page, x0, top + h, x1, top + h, r == t->nrows - 1 ? thick : thin, st->rule);
    for (int c = 0; c <= t->ncols; c++)
        layout_rule_box(page, pg->left + t->colx[c], top, pg->left + t->colx[c], top + h, thin, st->rule);
    double pad = st->el[EL_TABLE].size * 0.5;
    for (int c = 0; c < t->ncols; c++) {
        struct para *p = t->cells[r * t->ncols + c];
        double text_h = p->nlines * t->line_h;
        double y = top + (h - text_h) / 2;
        for (int i = 0; i < p->nlines; i++)
            layout_line_box(page, p, i, pg->left + t->colx[c] + pad,
                     y + i * t->line_h + t->line_h / 2 + EM_CENTER * p->size,
                     r == 0 && t->header ? EL_TABLE_HEAD : EL_TABLE);
    }
}

static struct page *current_page(struct layout *l)
{
    return &l->pages[l->npages - 1];
}

static void new_page(struct pager *pg)
{
    struct layout *l = pg->l;
    l->pages = xreallocarray(l->pages, (size_t)l->npages + 1, sizeof *l->pages);
    memset(&l->pages[l->npages], 0, sizeof *l->pages);
    l->npages++;
    pg->broken = xreallocarray(pg->broken, (size_t)l->npages + 1, sizeof *pg->broken);
    pg->broken[l->npages - 1] = false;
    pg->y = 0;
    pg->nplaced = 0;
    pg->last_table = NULL;
}

/* Draws item idx at the current position and advances. */
static void emit(struct pager *pg, int idx, double y)
{
    struct item *it = &pg->b->items[idx];
    struct page *page = current_page(pg->l);
    double top = pg->top + y;
    switch (it->kind) {
    case IT_LINE: {
        struct para *p = it->para;
        layout_line_box(page, p, it->line, pg->left + it->x, top + it->h / 2 + EM_CENTER * p->size, it->el);
        struct box *bx = &page->boxes[page->n - 1];
        bx->heading = it->heading;
        bx->dest = it->dest;
        bx->link_dest = it->toc_dest;
        bx->label = it->label ? xstrdup(it->label) : NULL;
        break;
    }
    case IT_RULE:
        layout_rule_box(page, pg->left + style_type_width(pg->b->st) / 4, top + it->h / 2,
                 pg->left + style_type_width(pg->b->st) * 3 / 4, top + it->h / 2, 0.5,
                 pg->b->st->rule);
        break;
    case IT_ROW:
        emit_row(pg, page, it->table, it->row, top);
        break;
    case IT_BLOCK:
        for (int i = 0; i < it->block->n; i++) {
            struct box *bx = layout_new_box(page);
            *bx = it->block->boxes[i];
            bx->x += pg->left;
            bx->y += top;
            if (bx->kind != BOX_LINE) {
                bx->x2 += pg->left;
                bx->y2 += top;
            }
            bx->label = bx->label ? xstrdup(bx->label) : NULL;
        }
        break;
    case IT_CHART: {
        struct box *bx = layout_new_box(page);
        bx->kind = BOX_CHART;
        bx->chart = it->chart;
        bx->x = pg->left, bx->x2 = pg->left + style_type_width(pg->b->st);
        bx->y = top + pg->b->pitch / 2, bx->y2 = top + it->h - pg->b->pitch / 2;
        break;
    }
    default:
        break;
    }
}

static double snap(struct pager *pg, double y)
{
    double k = y / pg->b->pitch;
    return fabs(k - round(k)) < 1e-6 ? y : ceil(k) * pg->b->pitch;
}

static void record(struct pager *pg, int idx, double y)
{
    if (pg->nplaced == pg->cap) {
        pg->cap = pg->cap ? pg->cap * 2 : 64;
        pg->placed = xreallocarray(pg->placed, (size_t)pg->cap, sizeof *pg->placed);
        pg->placed_y = xreallocarray(pg->placed_y, (size_t)pg->cap, sizeof *pg->placed_y);
        pg->nboxes = xreallocarray(pg->nboxes, (size_t)pg->cap, sizeof *pg->nboxes);
    }
    pg->placed[pg->nplaced] = idx;
    pg->placed_y[pg->nplaced++] = y;
}

/* Removes the boxes of the last k placed items from the page, returning
 * their indices in order. Boxes are appended per item, so count them. */
static int *take_back(struct pager *pg, int k)
{
    int *moved = xcalloc((size_t)k, sizeof *moved);
    struct page *page = current_page(pg->l);
    int drop = 0;
    for (int i = 0; i < k; i++) {
        moved[i] = pg->placed[pg->nplaced - k + i];
        drop += pg->nboxes[pg->nplaced - k + i];
    }
    for (int i = page->n - drop; i < page->n; i++)
        free(page->boxes[i].label);
    page->n -= drop;
    pg->nplaced -= k;
    return moved;
}

static void note_line_page(struct layout *l, int line, int page)
{
    if (line <= 0 || (l->nline_page && l->line_page[2 * (l->nline_page - 1)] == line &&
                      l->line_page[2 * l->nline_page - 1] <= page))
        return;
    l->line_page = xreallocarray(l->line_page, (size_t)(l->nline_page + 1) * 2, sizeof *l->line_page);
    l->line_page[2 * l->nline_page] = line;
    l->line_page[2 * l->nline_page + 1] = page;
    l->nline_page++;
}

int layout_page_of_line(const struct layout *l, int line)
{
    int best = 0, best_line = 0;
    for (int i = 0; i < l->nline_page; i++) {
        int ln = l->line_page[2 * i], pg = l->line_page[2 * i + 1];
        if (ln >= line && (!best_line || ln < best_line || (ln == best_line && pg < best)))
            best = pg, best_line = ln;
    }
    return best;
}

static void place_at(struct pager *pg, int idx)
{
    struct item *it = &pg->b->items[idx];
    double y = it->grid ? snap(pg, pg->y) : pg->y;
    int before = current_page(pg->l)->n;
    emit(pg, idx, y);
    record(pg, idx, y);
    for (int i = before; i < current_page(pg->l)->n; i++)
        current_page(pg->l)->boxes[i].src_line = it->src_line;
    if (it->plain)
        current_page(pg->l)->plain = true;
    pg->nboxes[pg->nplaced - 1] = current_page(pg->l)->n - before;
    pg->y = y + it->h;
    if (it->kind == IT_ROW)
        pg->last_table = it->table;
}

static void place(struct pager *pg, int idx);

/* A new page, which the charts waiting for it open. */
static void start_page(struct pager *pg)
{
    new_page(pg);
    int *charts = pg->pending, n = pg->npending;
    pg->pending = NULL;
    pg->npending = 0;
    for (int i = 0; i < n; i++)
        place(pg, charts[i]);
    free(charts);
}

/* A chart that does not fit while its page still has room waits for the
 * next page, and the text after it fills this one (a float): otherwise the
 * rest of the page would stay blank. Not when the item before it must stay
 * with it (a heading, a caption); and a chart after a waiting one waits
 * too, so charts keep their order. */
static bool defer_chart(struct pager *pg, int idx, double y)
{
    const struct item *it = &pg->b->items[idx];
    if (it->kind != IT_CHART || pg->nplaced == 0)
        return false;
    bool fits = y + it->h <= pg->height + EPS;
    if (!pg->npending && (fits || pg->b->items[pg->placed[pg->nplaced - 1]].keep ||
                          pg->height - y < FLOAT_MIN_LINES * pg->b->pitch))
        return false;
    pg->pending = xreallocarray(pg->pending, (size_t)pg->npending + 1, sizeof *pg->pending);
    pg->pending[pg->npending++] = idx;
    return true;
}

static void place(struct pager *pg, int idx)
{
    struct item *it = &pg->b->items[idx];
    if (it->kind == IT_BREAK) {
        if (pg->nplaced) { /* waiting charts open the new page, then what follows the break */
            start_page(pg);
            pg->broken = xreallocarray(pg->broken, (size_t)pg->l->npages + 1, sizeof *pg->broken);
            pg->broken[pg->l->npages - 1] = true;
        }
        return;
    }
    if (it->kind == IT_SPACE && pg->nplaced == 0)
        return;
    double y = it->grid ? snap(pg, pg->y) : pg->y;
    if (defer_chart(pg, idx, y))
        return;
    if (y + it->h > pg->height + EPS && pg->nplaced) {
        /* move the chain of items that must stay with this one */
        int k = 0;
        while (k < pg->nplaced && pg->b->items[pg->placed[pg->nplaced - 1 - k]].keep)
            k++;
        if (k == pg->nplaced)
            k = 0; /* the whole page is one chain: break it here */
        int *moved = take_back(pg, k);
        start_page(pg);
        for (int i = 0; i < k; i++)
            place(pg, moved[i]);
        free(moved);
    }
    if (it->kind == IT_ROW && it->row > 0 && it->table->header && pg->last_table != it->table) {
        place_at(pg, it->table->header_item);
    }
    place_at(pg, idx);
}

/* ---- fitting a page's tail (GB/T 9704 7.3.5) ----------------------- */

#define FIT_MAX_LINES 3  /* a page holding this few lines is a stranded tail */

/* Lines only (a 附注, 署名, the last lines of a paragraph), few of them. */
static bool is_tail(const struct page *pg)
{
    int lines = 0;
    for (int i = 0; i < pg->n; i++) {
        if (pg->boxes[i].kind != BOX_LINE || pg->boxes[i].heading)
            return false;
        lines++;
    }
    return lines > 0 && lines <= FIT_MAX_LINES;
}

/* A page holding only the tail of the text before it (署名, 日期, 附注 or
 * a paragraph's last lines) goes back onto that page, whose lines are set
 * closer: GB/T 9704 7.3.5 fits them by line spacing rather than leave them
 * alone. Not a page the text itself breaks before, nor one whose lines
 * would close up by more than FIT_MIN_SCALE. */
static void fit_tails(struct pager *pg)
{
    struct layout *l = pg->l;
    double pitch = pg->b->pitch;
    int rows = (int)(pg->height / pitch + EPS);
    for (int i = l->npages - 1; i >= 1; i--) {
        struct page *tail = &l->pages[i], *prev = &l->pages[i - 1];
        if (pg->broken[i] || tail->plain || prev->plain || !is_tail(tail) || layout_has_charts(prev))
            continue;
        double shift = rows * pitch; /* the tail continues the grid below this page */
        double full_last = pg->top + (rows - 0.5) * pitch +
                           EM_CENTER * pg->b->st->el[EL_BODY].size; /* the last grid line */
        double joined_last = layout_last_baseline(tail) + shift, from = layout_text_top(prev);
        if ((full_last - from) / (joined_last - from) < FIT_MIN_SCALE)
            continue;
        for (int j = 0; j < tail->n; j++) {
            struct box *bx = layout_new_box(prev);
            *bx = tail->boxes[j];
            bx->y += shift;
        }
        tail = &l->pages[i];
        free(tail->boxes);
        memmove(&l->pages[i], &l->pages[i + 1], (size_t)(l->npages - i - 1) * sizeof *l->pages);
        memmove(&pg->broken[i], &pg->broken[i + 1], (size_t)(l->npages - i - 1) * sizeof *pg->broken);
        l->npages--;
        layout_fit_page(&l->pages[i - 1], joined_last - full_last);
    }
}

static void paginate(struct builder *b)
{
    struct pager pg = {.b = b, .l = b->l};
    pg.top = b->st->margin_top;
    pg.left = b->st->margin_left;
    pg.height = style_type_height(b->st);
    new_page(&pg);
    for (int i = 0; i < b->n; i++)
        place(&pg, i);
    while (pg.npending) /* charts that wait for a page at the end of the text: each gets one */
        start_page(&pg);
    /* a trailing empty page (e.g. a page break at the end) is dropped */
    if (b->l->npages > 1 && current_page(b->l)->n == 0)
        b->l->npages--;
    fit_tails(&pg);
    free(pg.broken);
    free(pg.pending);
    free(pg.placed);
    free(pg.placed_y);
    free(pg.nboxes);
}

/* ---- page numbers ---------------------------------------------------- */

static void add_page_numbers(struct builder *b)
{
    const struct style *st = b->st;
    const struct page_number_style *pn = &st->page_number;
    if (pn->position == PN_NONE)
        return;
    const struct elem_style *es = &st->el[EL_PAGE_NUMBER];
    for (int i = 0; i < b->l->npages; i++) {
        struct page *page = &b->l->pages[i];
        page->number = i + 1;
        if (page->plain)
            continue;
        char num[16];
        snprintf(num, sizeof num, "%d", page->number);
        const char *at = strstr(pn->format, "{page}");
        char *text = xasprintf("%.*s%s%s", (int)(at - pn->format), pn->format, num, at + 6);
        struct rich *r = rich_new(b->fonts, st, EL_PAGE_NUMBER, NULL, 0);
        rich_add_text(r, text);
        free(text);
        struct para *p = build_para(b, para_layout(r, style_type_width(st), 0, ALIGN_LEFT, b->d));
        double w = p->line_w[0];
        double left = st->margin_left, right = st->margin_left + style_type_width(st);
        double x = pn->position == PN_CENTER ? (left + right - w) / 2
                   : pn->position == PN_RIGHT || (page->number % 2) ? right - pn->inset - w
                                                                     : left + pn->inset;
        double baseline = st->margin_top + style_type_height(st) + pn->below + EM_CENTER * es->size;
        layout_line_box(page, p, 0, x - p->line_x[0], baseline, EL_PAGE_NUMBER);
    }
}

/* The page of each indicator (by its place in the document's set): where
 * its value is printed first. Layout output: the document stays as it is. */
static void record_indicator_pages(struct layout *l, const struct indicators *set)
{
    l->nindicator_page = set ? set->n : 0;
    l->indicator_page = xcalloc((size_t)l->nindicator_page + 1, sizeof *l->indicator_page);
    for (int i = 0; i < l->npages; i++)
        for (int j = 0; j < l->pages[i].n; j++) {
            const struct box *b = &l->pages[i].boxes[j];
            if (b->kind != BOX_LINE || !b->para->nkpis)
                continue;
            PangoLayoutLine *line = b->para->lines[b->line];
            for (int k = 0; k < b->para->nkpis; k++) {
                const struct span *sp = &b->para->kpis[k];
                const struct indicator *ind = sp->ref;
                if (!ind || sp->start >= line->start_index + line->length || sp->end <= line->start_index)
                    continue;
                ptrdiff_t at = ind - set->items;
                if (at >= 0 && at < set->n && !l->indicator_page[at])
                    l->indicator_page[at] = l->pages[i].number ? l->pages[i].number : i + 1;
            }
        }
}

/* ---- public ---------------------------------------------------------- */

static void free_tables(struct builder *b)
{
    for (int i = 0; i < b->ntables; i++) {
        free(b->tables[i]->colx);
        free(b->tables[i]->cells);
        free(b->tables[i]->row_h);
        free(b->tables[i]);
    }
    free(b->tables);
    for (int i = 0; i < b->n; i++) {
        free(b->items[i].label);
        if (b->items[i].block) {
            for (int j = 0; j < b->items[i].block->n; j++)
                free(b->items[i].block->boxes[j].label);
            free(b->items[i].block->boxes);
            free(b->items[i].block);
        }
    }
    free(b->items);
    free(b->footnotes);
}

struct layout *layout_new(const struct doc *doc, const struct style *st, struct fonts *fonts,
                          struct diag *d)
{
    return layout_new_ahead(doc, st, fonts, doc->len >= PRELAYOUT_MIN_BYTES, d);
}

struct layout *layout_new_ahead(const struct doc *doc, const struct style *st, struct fonts *fonts,
                                bool ahead, struct diag *d)
{
    struct layout *l = xcalloc(1, sizeof *l);
    l->st = st;
    struct frame *frame = frame_new(doc, st);
    struct builder b = {.doc = doc, .st = st, .fonts = fonts, .d = d, .l = l, .frame = frame};
    b.pitch = style_pitch(st);
    b.width = style_type_width(st);
    collect_footnotes(&b);
    if (ahead)
        queue_paragraphs(&b);
    matter_front(&b);
    walk(&b);
    prelayout_stop(b.pre);
    l->pre = b.pre;
    matter_close_body(&b);
    add_footnotes(&b);
    paginate(&b);
    matter_back(&b);
    add_page_numbers(&b);
    matter_pages(&b);
    for (int i = 0; i < l->npages; i++)
        for (int j = 0; j < l->pages[i].n; j++)
            note_line_page(l, l->pages[i].boxes[j].src_line, i + 1);
    record_indicator_pages(l, doc->indicators);
    free_tables(&b);
    frame_free(frame);
    return l;
}

static void find_last_pages(struct layout *l)
{
    l->para_last_page = xcalloc((size_t)l->nparas + 1, sizeof *l->para_last_page);
    for (int i = 0; i < l->npages; i++)
        for (int j = 0; j < l->pages[i].n; j++)
            if (l->pages[i].boxes[j].kind == BOX_LINE)
                l->para_last_page[l->pages[i].boxes[j].para->id] = i;
}

void layout_release_page(struct layout *l, int i)
{
    if (!l->para_last_page)
        find_last_pages(l);
    struct page *pg = &l->pages[i];
    int *ids = xcalloc((size_t)pg->n + 1, sizeof *ids), n = 0;
    for (int j = 0; j < pg->n; j++) /* every id first: lines share paragraphs */
        if (pg->boxes[j].kind == BOX_LINE && pg->boxes[j].para) {
            ids[n++] = pg->boxes[j].para->id;
            pg->boxes[j].para = NULL;
        }
    for (int k = 0; k < n; k++)
        if (l->para_last_page[ids[k]] == i && l->paras[ids[k]]) {
            para_free(l->paras[ids[k]]);
            l->paras[ids[k]] = NULL;
        }
    free(ids);
}

void layout_free(struct layout *l)
{
    if (!l)
        return;
    for (int i = 0; i < l->npages; i++) {
        for (int j = 0; j < l->pages[i].n; j++)
            free(l->pages[i].boxes[j].label);
        free(l->pages[i].boxes);
    }
    free(l->pages);
    for (int i = 0; i < l->nparas; i++)
        para_free(l->paras[i]);
    free(l->paras);
    prelayout_free(l->pre); /* after the paragraphs: its fonts are theirs */
    chart_free(l->overview[0]);
    chart_free(l->overview[1]);
    free(l->line_page);
    free(l->indicator_page);
    free(l->para_last_page);
    free(l);
}

