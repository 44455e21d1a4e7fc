/* Page images drawn straight from the layout: text with Pango's own cairo
 * drawing from the layout's full faces (no cut faces, no PDF writer), the
 * rest as pdf.c draws it, charts through canvas_cairo. So a page image is
 * also a reference the PDF's pages can be compared with pixel by pixel.
 * The layout measures in pt (72 dpi): the context is scaled by dpi / 72. */
#define _DEFAULT_SOURCE
#include "png.h"
#include "buf.h"
#include "canvas_cairo.h"
#include "chart.h"
#include "output.h"
#include "xalloc.h"
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <unistd.h>

static void set_color(cairo_t *cr, struct rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

/* 着重号, as layout_line_dots places them. */
static void draw_dots(cairo_t *cr, const struct box *b)
{
    struct line_dots d = layout_line_dots(b);
    for (int i = 0; i < d.n; i++) {
        cairo_new_path(cr);
        cairo_arc(cr, d.x[i], d.y, d.r, 0, 2 * M_PI);
        cairo_fill(cr);
    }
    free(d.x);
}

static void draw_line(cairo_t *cr, const struct style *st, const struct box *b)
{
    const struct elem_style *es = &st->el[b->el];
    set_color(cr, es->color_set ? es->color : st->text);
    cairo_move_to(cr, b->x, b->y);
    pango_cairo_show_layout_line(cr, b->para->lines[b->line]);
    if (b->para->ndots)
        draw_dots(cr, b);
}

/* A rule; a dotted one (a dot leader) is round dots a stroke wide. */
static void draw_rule(cairo_t *cr, const struct box *b)
{
    set_color(cr, b->color);
    if (b->dotted) {
        double scale = 1, zero = 0;
        cairo_user_to_device_distance(cr, &scale, &zero);
        double dots[] = {0, b->width * 3 * scale}; /* in device space, as the line is drawn */
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_dash(cr, dots, 2, 0);
    }
    canvas_cairo_line(cr, b->x, b->y, b->x2, b->y2, b->width);
}

static void draw_rect(cairo_t *cr, const struct box *b)
{
    set_color(cr, b->color);
    cairo_rectangle(cr, b->x, b->y, b->x2 - b->x, b->y2 - b->y);
    cairo_fill(cr);
}

static void draw_chart(cairo_t *cr, struct fonts *fonts, const struct style *st, const struct box *b)
{
    cairo_translate(cr, b->x, b->y);
    struct canvas_cairo *cc = canvas_cairo_new(cr, fonts, st->chart_font);
    struct canvas cv = canvas_cairo(cc);
    chart_draw(b->chart, &cv, b->x2 - b->x, b->y2 - b->y, st);
    canvas_cairo_free(cc);
}

/* Each box in a graphics state of its own: a rule's cap and dash, a
 * chart's offset do not reach the next. */
static void draw_page(cairo_t *cr, struct fonts *fonts, const struct style *st, const struct page *pg)
{
    for (int j = 0; j < pg->n; j++) {
        const struct box *b = &pg->boxes[j];
        cairo_save(cr);
        if (b->kind == BOX_LINE)
            draw_line(cr, st, b);
        else if (b->kind == BOX_CHART)
            draw_chart(cr, fonts, st, b);
        else if (b->kind == BOX_RECT)
            draw_rect(cr, b);
        else
            draw_rule(cr, b);
        cairo_restore(cr);
    }
}

static cairo_status_t append(void *closure, const unsigned char *data, unsigned int len)
{
    buf_put(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* One page as PNG bytes on white, appended to out. */
static bool page_png(const struct layout *l, struct fonts *fonts, const struct page *pg, double dpi,
                     struct buf *out)
{
    double scale = dpi / 72;
    int w = (int)ceil(l->st->page_w * scale - 1e-6), h = (int)ceil(l->st->page_h * scale - 1e-6);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    draw_page(cr, fonts, l->st, pg);
    bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_flush(s);
    ok = ok && cairo_surface_write_to_png_stream(s, append, out) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    return ok;
}

char *png_page_name(const char *base, int n) { return xasprintf("%s-%d.png", base, n); }

/* Page n (1-based) drawn and written to name. */
static bool write_page(const struct layout *l, struct fonts *fonts, int n, double dpi,
                       const char *name, struct diag *d)
{
    struct buf bytes = {0};
    bool ok = page_png(l, fonts, &l->pages[n - 1], dpi, &bytes);
    if (!ok)
        diag_add(d, DIAG_ERROR, name, 0, 0, "cannot draw page %d (cairo error)", n);
    ok = ok && output_write(name, bytes.data, bytes.len, d);
    buf_free(&bytes);
    return ok;
}

bool png_render(const struct layout *l, struct fonts *fonts, const char *out_base,
                const struct png_opts *o, struct diag *d)
{
    int first = o->first > 0 ? o->first : 1;
    int last = o->last > 0 && o->last < l->npages ? o->last : l->npages;
    if (first > last) {
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "no page %d: the document has %d pages", first,
                 l->npages);
        return false;
    }
    char **written = xcalloc((size_t)(last - first + 1), sizeof *written);
    int n = 0;
    bool ok = true;
    for (int i = first; ok && i <= last; i++) {
        char *name = png_page_name(out_base, i);
        ok = write_page(l, fonts, i, o->dpi, name, d);
        if (ok)
            written[n++] = name;
        else
            free(name);
    }
    for (int i = 0; i < n; i++) {
        if (!ok)
            unlink(written[i]);
        free(written[i]);
    }
    free(written);
    return ok;
}
