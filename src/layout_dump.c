/* Text dump of a layout: one line per box and one per glyph run of a text
 * line (where it starts, its width and font), positions in pt with the
 * origin at the top left of the page. Tests compare these dumps. */
#include "layout.h"
#include "buf.h"
#include "utf8.h"
#include "xalloc.h"
#include <string.h>

char *layout_line_text(const struct box *b)
{
    PangoLayoutLine *line = b->para->lines[b->line];
    const char *text = pango_layout_get_text(b->para->layout);
    return xstrndup(text + line->start_index, (size_t)line->length);
}

struct line_dots layout_line_dots(const struct box *b)
{
    const struct para *para = b->para;
    PangoLayoutLine *line = para->lines[b->line];
    const char *text = pango_layout_get_text(para->layout);
    int ls = line->start_index, le = line->start_index + line->length;
    double origin = b->x - para->line_x[b->line];
    struct line_dots d = {NULL, 0, b->y + 0.32 * para->size, 0.08 * para->size};
    for (int i = 0; i < para->ndots; i++) {
        const struct span *sp = &para->dots[i];
        for (int off = sp->start > ls ? sp->start : ls; off < sp->end && off < le;) {
            int n;
            if (cjk_is_han(utf8_decode(text + off, (size_t)(le - off), &n))) {
                PangoRectangle pos;
                pango_layout_index_to_pos(para->layout, off, &pos);
                d.x = xreallocarray(d.x, (size_t)d.n + 1, sizeof *d.x);
                d.x[d.n++] = origin + (pos.x + pos.width / 2.0) / PANGO_SCALE;
            }
            off += n;
        }
    }
    return d;
}

/* The glyph runs of a line: where each starts, its width, font and text. */
static void dump_runs(struct buf *out, const struct box *b)
{
    PangoLayoutLine *line = b->para->lines[b->line];
    const char *text = pango_layout_get_text(b->para->layout);
    double x = b->x;
    for (GSList *r = line->runs; r; r = r->next) {
        PangoGlyphItem *run = r->data;
        double w = pango_glyph_string_get_width(run->glyphs) / (double)PANGO_SCALE;
        PangoFontDescription *fd = pango_font_describe(run->item->analysis.font);
        char *font = pango_font_description_to_string(fd);
        buf_printf(out, "    run x=%.2f w=%.2f font=\"%s\" |%.*s|\n", x, w, font,
                   run->item->length, text + run->item->offset);
        g_free(font);
        pango_font_description_free(fd);
        x += w;
    }
}

char *layout_dump(const struct layout *l)
{
    struct buf out = {0};
    const struct style *st = l->st;
    buf_printf(&out, "grid left=%.3f top=%.3f right=%.3f bottom=%.3f pitch=%.3f lines=%d chars=%d body=%.2f\n",
               st->margin_left, st->margin_top, st->margin_left + style_type_width(st),
               st->margin_top + style_type_height(st), style_pitch(st), st->grid_lines, st->grid_chars,
               st->el[EL_BODY].size);
    for (int i = 0; i < l->npages; i++) {
        const struct page *pg = &l->pages[i];
        buf_printf(&out, "page %d%s%s\n", i + 1, pg->plain ? " plain" : "", pg->fitted ? " fitted" : "");
        for (int j = 0; j < pg->n; j++) {
            const struct box *b = &pg->boxes[j];
            if (b->kind == BOX_CHART) {
                buf_printf(&out, "  chart %s %.2f %.2f %.2f %.2f |%s|\n", chart_type_name(b->chart->type),
                           b->x, b->y, b->x2, b->y2, b->chart->title ? b->chart->title : "");
                continue;
            }
            if (b->kind == BOX_RECT) {
                buf_printf(&out, "  rect %.2f %.2f %.2f %.2f\n", b->x, b->y, b->x2, b->y2);
                continue;
            }
            if (b->kind == BOX_RULE) {
                buf_printf(&out, "  %s %.2f %.2f %.2f %.2f w=%.2f rgb=%.2f,%.2f,%.2f\n", b->dotted ? "leader" : "rule", b->x,
                           b->y, b->x2, b->y2, b->width, b->color.r, b->color.g, b->color.b);
                continue;
            }
            char *text = layout_line_text(b);
            buf_printf(&out, "  line %s x=%.2f y=%.2f w=%.2f", style_element_name(b->el), b->x,
                       b->y, b->para->line_w[b->line]);
            if (b->heading)
                buf_printf(&out, " h%d", b->heading);
            if (b->link_dest >= 0)
                buf_printf(&out, " ->h-%d", b->link_dest);
            buf_printf(&out, " |%s|\n", text);
            free(text);
            dump_runs(&out, b);
        }
    }
    return buf_detach(&out);
}
