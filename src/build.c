/* The item builder shared by the block walk (layout.c) and the frame
 * (matter.c): items for pagination, paragraphs the layout owns, boxes.
 * It calls neither of them. */
#include "layout_int.h"
#include "xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- items ----------------------------------------------------------- */

struct item *build_item(struct builder *b, enum item_kind kind, double h)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 256;
        b->items = xreallocarray(b->items, (size_t)b->cap, sizeof *b->items);
    }
    struct item *it = &b->items[b->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->h = h;
    it->dest = -1;
    it->toc_dest = -1;
    it->src_line = b->cur_line;
    return it;
}

void build_space(struct builder *b, double lines, bool keep)
{
    if (lines > 0)
        build_item(b, IT_SPACE, lines * b->pitch)->keep = keep;
}

struct para *build_para(struct builder *b, struct para *p)
{
    struct layout *l = b->l;
    if (l->nparas == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->paras = xreallocarray(l->paras, (size_t)l->cap, sizeof *l->paras);
    }
    p->id = l->nparas;
    l->paras[l->nparas++] = p;
    return p;
}

/* Lines of a laid-out paragraph as items, with widow/orphan control:
 * the first line keeps with the second, the second-to-last with the last. */
void build_lines(struct builder *b, struct para *p, enum element el, double x,
                       bool keep_all, int heading, const char *label)
{
    const struct elem_style *es = &b->st->el[el];
    int n = p->nlines;
    for (int i = 0; i < n; i++) {
        struct item *it = build_item(b, IT_LINE, es->lines * b->pitch);
        it->para = p;
        it->line = i;
        it->x = x;
        it->el = el;
        it->grid = es->lines == 1;
        it->keep = keep_all || (n > 1 && (i == 0 || i == n - 2));
        if (heading && i == 0) {
            it->heading = heading;
            it->dest = b->dest;
            it->label = label ? xstrdup(label) : NULL;
        }
    }
}

/* Footnote numbers come from the document model. */
static int footnote_number(void *ctx, cmark_node *ref)
{
    (void)ctx;
    return model_info(ref)->note;
}

struct rich *build_rich(struct builder *b, enum element el, cmark_node *n)
{
    struct rich *r = rich_new(b->fonts, b->st, el, b->doc->file, n ? cmark_node_get_start_line(n) : 0);
    rich_set_footnotes(r, footnote_number, b);
    return r;
}

double build_natural_width(struct builder *b, const char *text, enum element el)
{
    PangoLayout *l = pango_layout_new(fonts_context(b->fonts));
    PangoFontDescription *desc = pango_font_description_copy(fonts_role(b->fonts, b->st->el[el].font));
    pango_font_description_set_absolute_size(desc, b->st->el[el].size * PANGO_SCALE);
    pango_layout_set_font_description(l, desc);
    pango_font_description_free(desc);
    pango_layout_set_text(l, text, -1);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    g_object_unref(l);
    return w / (double)PANGO_SCALE;
}

struct para *build_text(struct builder *b, enum element el, const char *text, double width,
                        enum align align)
{
    struct rich *r = rich_new(b->fonts, b->st, el, b->doc->file, 0);
    rich_add_text(r, text);
    return build_para(b, para_layout(r, width, 0, align, b->d));
}

/* A chart is one unsplittable item on whole grid lines, with half a line
 * of air above and below; it moves to the next page when it does not fit. */
void build_chart(struct builder *b, const struct chart *c)
{
    double h = chart_height(c, b->width, b->st);
    double lines = ceil((h + b->pitch) / b->pitch - 1e-9);
    double max = floor(style_type_height(b->st) / b->pitch);
    struct item *it = build_item(b, IT_CHART, fmin(lines, max) * b->pitch);
    it->chart = c;
    it->grid = true;
}

struct box *layout_new_box(struct page *pg)
{
    if (pg->n == pg->cap) {
        pg->cap = pg->cap ? pg->cap * 2 : 64;
        pg->boxes = xreallocarray(pg->boxes, (size_t)pg->cap, sizeof *pg->boxes);
    }
    struct box *bx = &pg->boxes[pg->n++];
    memset(bx, 0, sizeof *bx);
    bx->dest = -1;
    bx->link_dest = -1;
    return bx;
}

void layout_rule_box(struct page *pg, double x1, double y1, double x2, double y2, double w,
                     struct rgb color)
{
    struct box *bx = layout_new_box(pg);
    bx->kind = BOX_RULE;
    bx->x = x1, bx->y = y1, bx->x2 = x2, bx->y2 = y2, bx->width = w;
    bx->color = color;
}

void layout_line_box(struct page *pg, struct para *p, int line, double x, double baseline,
                     enum element el)
{
    struct box *bx = layout_new_box(pg);
    bx->kind = BOX_LINE;
    bx->para = p;
    bx->line = line;
    bx->x = x + p->line_x[line];
    bx->y = baseline;
    bx->el = el;
}

/* ---- fitting a page's tail (GB/T 9704 7.3.5) ----------------------- */

double layout_last_baseline(const struct page *pg)
{
    double y = -INFINITY;
    for (int i = 0; i < pg->n; i++)
        if (pg->boxes[i].kind == BOX_LINE)
            y = fmax(y, pg->boxes[i].y);
    return y;
}

/* Where a page's text starts: its first line, or below the lowest rule
 * above its lines (the 版头's red rule stays where GB/T 9704 puts it). */
double layout_text_top(const struct page *pg)
{
    double first = INFINITY, rule = -INFINITY;
    for (int i = 0; i < pg->n; i++)
        if (pg->boxes[i].kind == BOX_LINE)
            first = fmin(first, pg->boxes[i].y);
    for (int i = 0; i < pg->n; i++)
        if (pg->boxes[i].kind == BOX_RULE && pg->boxes[i].y < layout_last_baseline(pg) - EPS)
            rule = fmax(rule, pg->boxes[i].y);
    return fmax(first, rule);
}

bool layout_has_charts(const struct page *pg)
{
    for (int i = 0; i < pg->n; i++)
        if (pg->boxes[i].kind == BOX_CHART || pg->boxes[i].kind == BOX_RECT)
            return true;
    return false;
}

bool layout_fit_page(struct page *pg, double by)
{
    double from = layout_text_top(pg), last = layout_last_baseline(pg), to = last - by;
    if (!(last > from) || (to - from) / (last - from) < FIT_MIN_SCALE || layout_has_charts(pg) || pg->plain)
        return false;
    double f = (to - from) / (last - from);
    for (int i = 0; i < pg->n; i++) {
        struct box *bx = &pg->boxes[i];
        if (bx->y > from)
            bx->y = from + (bx->y - from) * f;
        if (bx->kind != BOX_LINE && bx->y2 > from)
            bx->y2 = from + (bx->y2 - from) * f;
    }
    pg->fitted = true;
    return true;
}
