/* What frames the body: the 公文 版头 (red issuing-authority mark, 文号,
 * red rule) and 版记, the 简报 报头 and 报尾, the report's cover page,
 * table of contents and running headers, the signature and date block.
 * Positions follow GB/T 9704-2012 (reference/standards.md §E–§H, §J).
 * Block y values are relative to the top of the type area. */
#include "layout_int.h"
#include "buf.h"
#include "xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MM 2.834645669

static double baseline_in(double top, double height, double size)
{
    return top + height / 2 + EM_CENTER * size;
}

/* A block item: its boxes are collected in it->block. */
static struct item *new_block(struct builder *b)
{
    struct item *it = build_item(b, IT_BLOCK, 0);
    it->block = xcalloc(1, sizeof *it->block);
    return it;
}

static struct para *block_text(struct builder *b, struct item *blk, enum element el,
                               const char *text, double x, double baseline, double width,
                               enum align align)
{
    struct para *p = build_text(b, el, text, width, align);
    for (int i = 0; i < p->nlines; i++)
        layout_line_box(blk->block, p, i, x, baseline + i * b->pitch, el);
    return p;
}

#define MARK_SPREAD_MIN 0.6 /* a 发文机关标志 this share of the measure or more spreads to fill it */

/* ---- title block ----------------------------------------------------- */

static void title_block(struct builder *b, bool space_before)
{
    const struct frame *f = b->frame;
    if (f->title) {
        const struct elem_style *es = &b->st->el[EL_TITLE];
        double width = b->width - es->margin_left - es->margin_right;
        struct para *p = build_text(b, EL_TITLE, f->title, width, es->align);
        if (space_before)
            build_space(b, es->space_before, false);
        bool subtitle = f->subtitle && !f->subtitle_in_text;
        build_lines(b, p, EL_TITLE, es->margin_left, subtitle, 0, NULL);
        if (!subtitle)
            build_space(b, es->space_after, true);
    }
    if (f->subtitle && !f->subtitle_in_text) { /* the front matter's subtitle line, as the title block's */
        const struct elem_style *es = &b->st->el[EL_BYLINE];
        double width = b->width - es->margin_left - es->margin_right;
        struct para *p = build_text(b, EL_BYLINE, f->subtitle, width, es->align);
        build_lines(b, p, EL_BYLINE, es->margin_left, true, 0, NULL);
        build_space(b, b->st->el[EL_TITLE].space_after, true);
    }
    if (f->recipients) {
        const struct elem_style *es = &b->st->el[EL_RECIPIENTS];
        struct rich *r = rich_new(b->fonts, b->st, EL_RECIPIENTS, b->doc->file, 1);
        rich_add_text(r, f->recipients);
        struct para *p = build_para(b, para_layout(r, b->width, es->indent, ALIGN_JUSTIFY, b->d));
        build_lines(b, p, EL_RECIPIENTS, 0, false, 0, NULL);
    }
}

/* ---- 公文 版头 (GB/T 9704 §7.2) --------------------------------------- */

/* 密级 and 紧急程度 flush left on lines 1 and 2 of the type area, 3号黑体. */
static int head_marks(struct builder *b, struct item *blk)
{
    char *const *marks = b->frame->marks;
    int line = 0;
    for (int i = 0; i < 2; i++)
        if (marks[i]) {
            double size = b->st->el[EL_DOC_NUMBER].size;
            /* in 黑体 from the start: changing a laid-out paragraph's attributes
             * would free the lines its boxes point to */
            struct rich *r = rich_new(b->fonts, b->st, EL_DOC_NUMBER, b->doc->file, 0);
            rich_add_role_text(r, marks[i], ROLE_HEI);
            struct para *p = build_para(b, para_layout(r, b->width, 0, ALIGN_LEFT, b->d));
            layout_line_box(blk->block, p, 0, 0, baseline_in(line * b->pitch, b->pitch, size),
                            EL_DOC_NUMBER);
            line++;
        }
    return line;
}

static void gongwen_head(struct builder *b)
{
    const struct frame *f = b->frame;
    struct item *blk = new_block(b);
    head_marks(b, blk);
    /* 发文机关标志: top of its em box 35 mm below the type area, red */
    const char *mark = f->issuer_mark;
    double size = b->st->el[EL_MASTHEAD].size;
    double natural = build_natural_width(b, mark, EL_MASTHEAD);
    if (natural > b->width)
        size *= b->width / natural; /* a long name shrinks to fit */
    struct rich *r = rich_new(b->fonts, b->st, EL_MASTHEAD, b->doc->file, 0);
    rich_set_size(r, size);
    rich_add_text(r, mark);
    struct para *p;
    if (natural < MARK_SPREAD_MIN * b->width) {
        /* a short name is centred, not pulled apart over 156 mm (GB/T 9704
         * 7.2.4: 居中排布, 醒目、美观、庄重) */
        p = build_para(b, para_layout(r, b->width, 0, ALIGN_CENTER, b->d));
    } else {
        p = build_para(b, para_layout(r, b->width * 2, 0, ALIGN_LEFT, b->d));
        /* a long one spreads over the whole measure, as the mark is set in 公文 */
        pango_layout_set_width(p->layout, (int)(b->width * PANGO_SCALE));
        pango_layout_set_justify(p->layout, TRUE);
        pango_layout_set_justify_last_line(p->layout, TRUE);
        p->lines[0] = pango_layout_get_line_readonly(p->layout, 0);
        p->line_x[0] = 0;
        p->line_w[0] = b->width;
    }
    double top = 35 * MM;
    double base = top + 0.88 * size;
    layout_line_box(blk->block, p, 0, 0, base, EL_MASTHEAD);
    /* 文号: centred after two blank lines; the red rule 4 mm below it */
    double y = base + 0.12 * size + 2 * b->pitch;
    double rule_y = y + 4 * MM;
    if (f->doc_number) {
        double nsize = b->st->el[EL_DOC_NUMBER].size;
        double nb = baseline_in(y, b->pitch, nsize);
        block_text(b, blk, EL_DOC_NUMBER, f->doc_number, 0, nb, b->width, ALIGN_CENTER);
        rule_y = nb + 0.12 * nsize + 4 * MM;
    }
    layout_rule_box(blk->block, 0, rule_y, b->width, rule_y, b->st->masthead_rule, b->st->red);
    /* the title's em box starts two lines below the rule */
    const struct elem_style *ts = &b->st->el[EL_TITLE];
    double title_box = ts->lines * b->pitch;
    blk->h = rule_y + 2 * b->pitch - (title_box / 2 - 0.5 * ts->size);
}

/* ---- 简报 报头 (reference/standards.md §J) ---------------------------- */

static void briefing_head(struct builder *b)
{
    const struct frame *f = b->frame;
    struct item *blk = new_block(b);
    const char *title = f->masthead_title;
    double size = b->st->el[EL_MASTHEAD].size;
    double natural = build_natural_width(b, title, EL_MASTHEAD);
    if (natural > b->width)
        size *= b->width / natural;
    struct rich *r = rich_new(b->fonts, b->st, EL_MASTHEAD, b->doc->file, 0);
    rich_set_size(r, size);
    rich_add_text(r, title);
    struct para *p = build_para(b, para_layout(r, b->width, 0, ALIGN_CENTER, b->d));
    layout_line_box(blk->block, p, 0, 0, 0, EL_MASTHEAD);
    blk->block->boxes[0].y = 1.2 * size;
    double y = 1.2 * size + 0.12 * size;
    if (f->issue) {
        double isize = b->st->el[EL_DOC_NUMBER].size;
        y += isize * 1.6;
        block_text(b, blk, EL_DOC_NUMBER, f->issue, 0, y, b->width, ALIGN_CENTER);
    }
    /* 编发单位 flush left and the date flush right on one line */
    double ssize = b->st->el[EL_SUBTITLE].size;
    y += ssize * 2.2;
    if (f->issuer)
        block_text(b, blk, EL_SUBTITLE, f->issuer, 0, y, b->width, ALIGN_LEFT);
    if (f->date)
        block_text(b, blk, EL_SUBTITLE, f->date, 0, y, b->width, ALIGN_RIGHT);
    double rule = b->st->masthead_rule;
    y += ssize * 0.5 + rule;
    layout_rule_box(blk->block, 0, y, b->width, y, rule, b->st->red);
    layout_rule_box(blk->block, 0, y + rule + 1.5, b->width, y + rule + 1.5, rule / 3, b->st->red);
    blk->h = ceil((y + rule + 2) / b->pitch) * b->pitch;
}

/* 按语: front matter `note`, after the masthead, with 编者按： in 黑体. */
static void editor_note(struct builder *b)
{
    const struct frame *f = b->frame;
    if (!f->editor_note)
        return;
    const struct elem_style *es = &b->st->el[EL_NOTE];
    struct rich *r = rich_new(b->fonts, b->st, EL_NOTE, b->doc->file, 0);
    rich_add_role_text(r, f->editor_note_label, ROLE_HEI);
    rich_add_text(r, f->editor_note);
    double width = b->width - es->margin_left - es->margin_right;
    struct para *p = build_para(b, para_layout(r, width, es->indent, ALIGN_JUSTIFY, b->d));
    build_lines(b, p, EL_NOTE, es->margin_left, false, 0, NULL);
    build_space(b, es->space_after, false);
}

/* ---- report cover and contents --------------------------------------- */

static void cover(struct builder *b)
{
    const struct frame *f = b->frame;
    struct item *blk = new_block(b);
    blk->plain = true;
    double h = style_type_height(b->st);
    struct box *band = layout_new_box(blk->block);
    band->kind = BOX_RECT;
    band->x = 0, band->x2 = b->width, band->y = h * 0.22, band->y2 = h * 0.22 + 6;
    band->color = b->st->accent;
    double size = b->st->el[EL_MASTHEAD].size;
    double y = h * 0.22 + 6 + size * 2;
    struct para *t = block_text(b, blk, EL_MASTHEAD, f->title ? f->title : "", 0, y, b->width, ALIGN_LEFT);
    y += size * 1.35 * (t->nlines - 1) + b->pitch * 0.5;
    if (t->nlines > 1)
        for (int i = 0; i < t->nlines; i++)
            blk->block->boxes[blk->block->n - t->nlines + i].y = y - size * 1.35 * (t->nlines - 1 - i) - b->pitch * 0.5;
    if (f->subtitle) {
        y += b->st->el[EL_SUBTITLE].size * 2.2;
        block_text(b, blk, EL_SUBTITLE, f->subtitle, 0, y, b->width, ALIGN_LEFT);
    }
    double bottom = h * 0.85;
    if (f->issuer)
        block_text(b, blk, EL_SUBTITLE, f->issuer, 0, bottom, b->width, ALIGN_LEFT);
    if (f->date)
        block_text(b, blk, EL_SUBTITLE, f->date, 0, bottom + b->st->el[EL_SUBTITLE].size * 1.8,
                   b->width, ALIGN_LEFT);
    blk->h = h;
    build_item(b, IT_BREAK, 0);
}

/* Does the document have a heading the contents would list? */
static bool has_contents(const struct builder *b)
{
    bool found = false;
    cmark_iter *it = cmark_iter_new(b->doc->root);
    cmark_event_type ev;
    while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        const struct node_info *info = model_info(n);
        found = ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_HEADING && !info->empty &&
                info->level <= b->st->toc_depth;
    }
    cmark_iter_free(it);
    return found;
}

static void contents(struct builder *b)
{
    const struct elem_style *es = &b->st->el[EL_TOC];
    struct para *head = build_text(b, EL_TITLE, b->frame->contents_title, b->width, ALIGN_CENTER);
    build_lines(b, head, EL_TITLE, 0, true, 0, NULL);
    build_space(b, 1, true);
    cmark_iter *it = cmark_iter_new(b->doc->root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        const struct node_info *info = model_info(n);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_HEADING || info->empty)
            continue;
        int level = info->level;
        if (level <= b->st->toc_depth) {
            struct rich *r = build_rich(b, EL_TOC, n);
            if (b->st->number_headings && info->auto_number)
                rich_add_text(r, info->auto_number);
            rich_add_inlines(r, n);
            double indent = (level - 1) * es->size * 2;
            /* room for the dot leader and the page number */
            double width = b->width - indent - es->size * 4;
            struct para *p = build_para(b, para_layout(r, width, 0, ALIGN_LEFT, b->d));
            int first = b->n;
            build_lines(b, p, EL_TOC, indent, false, 0, NULL);
            b->items[b->n - 1].toc_dest = info->id;
            for (int i = first; i < b->n - 1; i++)
                b->items[i].keep = true;
        }
    }
    cmark_iter_free(it);
    build_item(b, IT_BREAK, 0);
}

void matter_overview(struct builder *b)
{
    if (!b->st->overview)
        return;
    b->l->overview[0] = chart_overview_cards(b->doc->indicators, b->doc->meta.overview, b->doc->charts,
                                                b->doc->ncharts, b->st);
    b->l->overview[1] = chart_overview_compare(b->doc->indicators, b->doc->meta.overview, b->st);
    chart_fill_source(b->l->overview, 2,
                      chart_document_source(b->doc->charts, b->doc->ncharts, b->doc->meta.source));
    for (int i = 0; i < 2; i++)
        if (b->l->overview[i])
            build_chart(b, b->l->overview[i]);
}

void matter_front(struct builder *b)
{
    switch (b->st->masthead) {
    case MASTHEAD_GONGWEN:
        if (b->frame->issuer_mark)
            gongwen_head(b);
        title_block(b, !b->frame->issuer_mark);
        if (!b->frame->overview_after)
            matter_overview(b);
        break;
    case MASTHEAD_BRIEFING:
        briefing_head(b);
        editor_note(b);
        title_block(b, true);
        if (!b->frame->overview_after)
            matter_overview(b);
        break;
    case MASTHEAD_COVER:
        cover(b);
        if (b->st->toc_depth > 0 && has_contents(b)) /* no page holding only its title */
            contents(b);
        matter_overview(b);
        break;
    default:
        title_block(b, true);
        if (!b->frame->overview_after)
            matter_overview(b);
        break;
    }
}

/* ---- 附件说明, signature, 附注 (GB/T 9704 §7.3.4–7.3.6) ----------------- */

/* 附件说明 (GB/T 9704 §7.3.4): one blank line after the body, two
 * characters in, later attachments under the first one's name. */
static void attachment_note(struct builder *b)
{
    const struct frame *f = b->frame;
    if (!f->nattachment_note)
        return;
    const struct elem_style *es = &b->st->el[EL_BODY];
    double left = 2 * es->size;
    double hang = build_natural_width(b, f->attachment_note[0].label, EL_BODY);
    build_space(b, 1, false);
    for (int i = 0; i < f->nattachment_note; i++) {
        const struct frame_line *l = &f->attachment_note[i];
        struct rich *r = rich_new(b->fonts, b->st, EL_BODY, b->doc->file, 0);
        if (l->label)
            rich_add_text(r, l->label);
        rich_add_text(r, l->text);
        struct para *p = build_para(b, para_layout(r, b->width - left - (l->label ? 0 : hang),
                                                   l->label ? -hang : 0,
                                                   ALIGN_LEFT, b->d));
        /* a negative indent hangs: the lines after the first start at hang */
        build_lines(b, p, EL_BODY, l->label ? left : left + hang, true, 0, NULL);
    }
}

/* No seal is drawn, so the unsealed layout (GB/T 9704 7.3.5.2), after one
 * blank line and kept with the text before it: the 署名 two characters in
 * from the right edge, the 成文日期 on the next line starting two
 * characters right of the 署名's first; a date longer than that ends two
 * characters in, and the 署名 moves left with it. */
/* No seal is drawn, so the unsealed layout (GB/T 9704 7.3.5.2), after one
 * blank line and kept with the text before it: the 署名 two characters in
 * from the right edge, the 成文日期 on the next line starting two
 * characters right of the 署名's first; a date longer than that ends two
 * characters in, and the 署名 moves left with it. */
static void signature(struct builder *b)
{
    const struct frame *f = b->frame;
    if (!f->signer && !f->sign_date)
        return;
    const struct elem_style *es = &b->st->el[EL_SIGNATURE];
    if (b->n)
        b->items[b->n - 1].keep = true;
    build_space(b, 1, true);
    double right = b->width - 2 * es->size;
    const char *date = f->sign_date, *issuer = f->signer;
    double date_w = date ? build_natural_width(b, date, EL_SIGNATURE) : 0;
    double issuer_w = issuer ? build_natural_width(b, issuer, EL_SIGNATURE) : 0;
    double issuer_x = right - issuer_w, date_x = issuer ? issuer_x + 2 * es->size : right - date_w;
    if (date_x + date_w > right) {
        date_x = right - date_w;
        issuer_x = date_x - 2 * es->size;
    }
    if (issuer) {
        struct para *p = build_text(b, EL_SIGNATURE, issuer, issuer_w + 1, ALIGN_LEFT);
        build_lines(b, p, EL_SIGNATURE, fmax(0, issuer_x), true, 0, NULL);
    }
    if (date) {
        struct para *p = build_text(b, EL_SIGNATURE, date, date_w + 1, ALIGN_LEFT);
        build_lines(b, p, EL_SIGNATURE, fmax(0, date_x), false, 0, NULL);
    }
}

/* 附注 (GB/T 9704 §7.3.6): on the line after the date, two characters in. */
static void annotation(struct builder *b)
{
    const char *text = b->frame->annotation;
    if (!text)
        return;
    const struct elem_style *es = &b->st->el[EL_BODY];
    struct para *p = build_text(b, EL_BODY, text, b->width - 2 * es->size, ALIGN_LEFT);
    build_lines(b, p, EL_BODY, 2 * es->size, false, 0, NULL);
}

void matter_close_body(struct builder *b)
{
    if (b->body_closed)
        return;
    b->body_closed = true;
    attachment_note(b);
    signature(b);
    annotation(b);
}

/* ---- 版记 and 报尾 on the last page ------------------------------------ */

/* The 版记's boxes, bottom rule on the type area's bottom edge. */
static void colophon_boxes(struct builder *b, struct page *pg, const struct frame_line *lines, int n)
{
    const struct style *st = b->st;
    double size = st->el[EL_COLOPHON].size, inset = size;
    double left = st->margin_left, right = st->margin_left + b->width;
    double bottom = st->margin_top + style_type_height(st);
    double thick = 0.35 * MM, thin = 0.25 * MM;
    int rows = 0;
    struct para **paras = xcalloc((size_t)n, sizeof *paras);
    for (int i = 0; i < n; i++) {
        struct rich *r = rich_new(b->fonts, st, EL_COLOPHON, b->doc->file, 0);
        double hang = lines[i].label ? build_natural_width(b, lines[i].label, EL_COLOPHON) : 0;
        if (lines[i].label)
            rich_add_text(r, lines[i].label);
        rich_add_text(r, lines[i].text);
        paras[i] = build_para(b, para_layout(r, b->width - 2 * inset, -hang, ALIGN_JUSTIFY, b->d));
        rows += paras[i]->nlines;
    }
    double top = bottom - rows * b->pitch;
    layout_rule_box(pg, left, top, right, top, thick, st->rule);
    double y = top;
    for (int i = 0; i < n; i++) {
        if (lines[i].rule_above)
            layout_rule_box(pg, left, y, right, y, thin, st->rule);
        for (int k = 0; k < paras[i]->nlines; k++) {
            layout_line_box(pg, paras[i], k, left + inset, baseline_in(y, b->pitch, size), EL_COLOPHON);
            if (lines[i].right && k == paras[i]->nlines - 1) {
                double w = build_natural_width(b, lines[i].right, EL_COLOPHON);
                struct para *rp = build_text(b, EL_COLOPHON, lines[i].right, w + 1, ALIGN_LEFT);
                layout_line_box(pg, rp, 0, right - inset - w, baseline_in(y, b->pitch, size), EL_COLOPHON);
            }
            y += b->pitch;
        }
    }
    layout_rule_box(pg, left, bottom, right, bottom, thick, st->rule);
    free(paras);
}

/* Lowest point used on a page, relative to the page top. */
static double used_bottom(const struct page *pg)
{
    double y = 0;
    for (int i = 0; i < pg->n; i++) {
        const struct box *bx = &pg->boxes[i];
        double bottom = bx->kind == BOX_LINE ? bx->y + 0.12 * bx->para->size : fmax(bx->y, bx->y2);
        y = fmax(y, bottom);
    }
    return y;
}

static struct page *append_page(struct layout *l)
{
    l->pages = xreallocarray(l->pages, (size_t)l->npages + 1, sizeof *l->pages);
    struct page *pg = &l->pages[l->npages++];
    memset(pg, 0, sizeof *pg);
    return pg;
}

/* A 报尾 never stands alone on a page: when the text's lines cannot
 * close up enough to make room, its last two lines go over with it (not
 * when that would leave one line of their paragraph behind). */
static void carry_lines(struct builder *b, struct page *from, struct page *to)
{
    int n = from->n, behind = 0;
    if (n < 2)
        return;
    const struct box *a = &from->boxes[n - 2], *c = &from->boxes[n - 1];
    if (a->kind != BOX_LINE || c->kind != BOX_LINE || a->para != c->para || a->heading || c->heading)
        return;
    for (int k = n - 3; k >= 0 && from->boxes[k].kind == BOX_LINE && from->boxes[k].para == a->para; k--)
        behind++;
    if (behind == 1)
        return;
    double first = b->st->margin_top + b->pitch / 2 + EM_CENTER * a->para->size;
    for (int k = 0; k < 2; k++) {
        struct box *bx = layout_new_box(to);
        *bx = from->boxes[n - 2 + k];
        bx->y = first + k * b->pitch;
    }
    from->n -= 2;
}

void matter_back(struct builder *b)
{
    const struct frame_line *lines = b->frame->colophon;
    int n = b->frame->ncolophon;
    if (n == 0)
        return;
    struct layout *l = b->l;
    int rows = n + 1; /* a wrapped line may take one more */
    double need = rows * b->pitch;
    double bottom = b->st->margin_top + style_type_height(b->st);
    struct page *last = &l->pages[l->npages - 1];
    bool fits = bottom - need >= used_bottom(last) + b->pitch;
    bool duplex = b->doc->meta.duplex >= 0 ? b->doc->meta.duplex : b->st->duplex;
    /* a 简报's 报尾 never takes a page of its own: the text's lines close up
     * to make room (as GB/T 9704 7.3.5 fits a 署名); a 公文's 版记 may stand
     * alone on the last page (7.4.1) */
    bool tail = b->st->colophon == COLOPHON_BRIEFING;
    if (tail && !fits && !(duplex && l->npages % 2 == 1) &&
        layout_fit_page(last, used_bottom(last) + b->pitch - (bottom - need)))
        fits = true;
    if (!fits || (duplex && l->npages % 2 == 1)) {
        bool blank = false;
        if (!fits && duplex && l->npages % 2 == 0) {
            append_page(l)->plain = true; /* the 版记 goes on the back of a sheet */
            blank = true;
        }
        last = append_page(l);
        /* a 版记 page after a blank page carries no number (GB/T 9704 §7.5) */
        last->plain = blank || duplex;
        if (tail && !fits && !blank)
            carry_lines(b, &l->pages[l->npages - 2], last);
    }
    colophon_boxes(b, last, lines, n);
}

/* ---- after pagination: contents page numbers and running headers ----- */

/* The page (index) of each heading destination, where it first appears;
 * -1 for none. One pass over the boxes, so contents entries cost no scan
 * each. *n gets the number of destinations. */
static int *dest_pages(const struct layout *l, int *n)
{
    int max = -1;
    for (int i = 0; i < l->npages; i++)
        for (int j = 0; j < l->pages[i].n; j++)
            if (l->pages[i].boxes[j].dest > max)
                max = l->pages[i].boxes[j].dest;
    *n = max + 1;
    int *page = xcalloc((size_t)max + 2, sizeof *page);
    for (int d = 0; d <= max; d++)
        page[d] = -1;
    for (int i = l->npages - 1; i >= 0; i--) /* backwards: the first page wins */
        for (int j = 0; j < l->pages[i].n; j++)
            if (l->pages[i].boxes[j].dest >= 0)
                page[l->pages[i].boxes[j].dest] = i;
    return page;
}

static void contents_numbers(struct builder *b)
{
    struct layout *l = b->l;
    const struct elem_style *es = &b->st->el[EL_TOC];
    double right = b->st->margin_left + b->width;
    int ndests;
    int *dest_page = dest_pages(l, &ndests);
    for (int i = 0; i < l->npages; i++) {
        int count = l->pages[i].n;
        for (int j = 0; j < count; j++) {
            struct box *bx = &l->pages[i].boxes[j];
            if (bx->kind != BOX_LINE || bx->link_dest < 0)
                continue;
            int target = bx->link_dest < ndests ? dest_page[bx->link_dest] : -1;
            if (target < 0)
                continue;
            char num[16];
            snprintf(num, sizeof num, "%d", l->pages[target].number);
            double w = build_natural_width(b, num, EL_TOC);
            struct para *p = build_text(b, EL_TOC, num, w + 1, ALIGN_LEFT);
            double y = bx->y;
            double text_end = bx->x + bx->para->line_w[bx->line];
            layout_line_box(&l->pages[i], p, 0, right - w, y, EL_TOC);
            struct box *numbox = &l->pages[i].boxes[l->pages[i].n - 1];
            numbox->link_dest = l->pages[i].boxes[j].link_dest;
            struct box *lead = layout_new_box(&l->pages[i]);
            lead->kind = BOX_RULE;
            lead->dotted = true;
            lead->x = text_end + es->size * 0.5, lead->x2 = right - w - es->size * 0.5;
            lead->y = lead->y2 = y - es->size * 0.1;
            lead->width = es->size * 0.12;
            lead->color = b->st->text;
            bx = &l->pages[i].boxes[j]; /* the array may have moved */
        }
    }
    free(dest_page);
}

/* The report's running header over a thin rule: the part that begins on
 * the page (its first level-1 or level-2 heading), else the part the page
 * continues. */
static void running_headers(struct builder *b)
{
    struct layout *l = b->l;
    const char *current = b->frame->title;
    double size = b->st->el[EL_HEADER].size;
    double y = b->st->margin_top - size * 1.2;
    for (int i = 0; i < l->npages; i++) {
        struct page *pg = &l->pages[i];
        const char *at_top = current, *begins = NULL;
        for (int j = 0; j < pg->n; j++) {
            const struct box *bx = &pg->boxes[j];
            if (bx->heading < 1 || bx->heading > 2 || !bx->label)
                continue;
            if (!begins)
                at_top = begins = bx->label;
            current = bx->label;
        }
        if (pg->plain || !at_top)
            continue;
        struct para *p = build_text(b, EL_HEADER, at_top, b->width, ALIGN_RIGHT);
        layout_line_box(pg, p, 0, b->st->margin_left, y, EL_HEADER);
        layout_rule_box(pg, b->st->margin_left, y + size * 0.5, b->st->margin_left + b->width,
                        y + size * 0.5, 0.5, b->st->accent);
    }
}

void matter_pages(struct builder *b)
{
    if (b->st->toc_depth > 0 && b->st->masthead == MASTHEAD_COVER)
        contents_numbers(b);
    if (b->st->running_header)
        running_headers(b);
}
