/* Text dump of a layout: one line per box, positions in pt with the origin
 * at the top left of the page. Tests compare these dumps. */
#include "layout.h"
#include "buf.h"
#include "xalloc.h"
#include <string.h>

char *layout_line_text(const struct box *b)
{
    PangoLayoutLine *line = b->para->lines[b->line];
    const char *text = pango_layout_get_text(b->para->layout);
    return xstrndup(text + line->start_index, (size_t)line->length);
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
        buf_printf(&out, "page %d%s\n", i + 1, pg->plain ? " plain" : "");
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
        }
    }
    return buf_detach(&out);
}
