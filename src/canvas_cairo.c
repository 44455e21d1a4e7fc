#define _DEFAULT_SOURCE
#include "canvas_cairo.h"
#include "xalloc.h"
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>

struct canvas_cairo {
    cairo_t *cr;
    struct fonts *fonts;
    enum font_role role;
};

static void set_color(cairo_t *cr, struct rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

static void cc_rect(void *ctx, double x, double y, double w, double h, struct rgb fill)
{
    struct canvas_cairo *c = ctx;
    set_color(c->cr, fill);
    cairo_rectangle(c->cr, x, y, w, h);
    cairo_fill(c->cr);
}

/* A line a pixel wide or thinner is drawn a pixel wide; along the grid, its
 * ends on pixel centres, on one row or column of pixels (as poppler). */
void canvas_cairo_line(cairo_t *cr, double x1, double y1, double x2, double y2, double width)
{
    double w = width, zero = 0;
    cairo_user_to_device_distance(cr, &w, &zero);
    cairo_user_to_device(cr, &x1, &y1);
    cairo_user_to_device(cr, &x2, &y2);
    bool along_grid = fabs(y1 - y2) < 0.5 || fabs(x1 - x2) < 0.5;
    if (w <= 1 + 1e-9 && along_grid) {
        x1 = floor(x1) + 0.5, y1 = floor(y1) + 0.5;
        x2 = floor(x2) + 0.5, y2 = floor(y2) + 0.5;
    }
    w = w < 1 ? 1 : w;
    cairo_save(cr);
    cairo_identity_matrix(cr);
    cairo_set_line_width(cr, w);
    cairo_move_to(cr, x1, y1);
    cairo_line_to(cr, x2, y2);
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void cc_line(void *ctx, double x1, double y1, double x2, double y2, double width, struct rgb color)
{
    struct canvas_cairo *c = ctx;
    set_color(c->cr, color);
    canvas_cairo_line(c->cr, x1, y1, x2, y2, width);
}

static void cc_polyline(void *ctx, const double *xy, int n, double width, struct rgb color)
{
    struct canvas_cairo *c = ctx;
    set_color(c->cr, color);
    cairo_set_line_width(c->cr, width);
    cairo_save(c->cr);
    cairo_set_line_join(c->cr, CAIRO_LINE_JOIN_ROUND);
    for (int i = 0; i < n; i++)
        (i ? cairo_line_to : cairo_move_to)(c->cr, xy[2 * i], xy[2 * i + 1]);
    cairo_stroke(c->cr);
    cairo_restore(c->cr);
}

/* Canvas angles run clockwise from 12 o'clock; cairo's from 3 o'clock. */
static void cc_sector(void *ctx, double cx, double cy, double ro, double ri, double a0, double a1,
                      struct rgb fill)
{
    struct canvas_cairo *c = ctx;
    set_color(c->cr, fill);
    cairo_new_path(c->cr);
    cairo_arc(c->cr, cx, cy, ro, a0 - M_PI / 2, a1 - M_PI / 2);
    if (ri > 0)
        cairo_arc_negative(c->cr, cx, cy, ri, a1 - M_PI / 2, a0 - M_PI / 2);
    else
        cairo_line_to(c->cr, cx, cy);
    cairo_close_path(c->cr);
    cairo_fill(c->cr);
}

static void cc_circle(void *ctx, double cx, double cy, double r, struct rgb fill)
{
    struct canvas_cairo *c = ctx;
    set_color(c->cr, fill);
    cairo_new_path(c->cr);
    cairo_arc(c->cr, cx, cy, r, 0, 2 * M_PI);
    cairo_fill(c->cr);
}

static void cc_text(void *ctx, double x, double y, const char *text, double size, bool bold,
                    enum anchor anchor, struct rgb color)
{
    struct canvas_cairo *c = ctx;
    PangoLayout *l = fonts_text_layout(c->fonts, c->role, text, size, bold);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    double dx = canvas_anchor_shift(anchor, w / (double)PANGO_SCALE);
    set_color(c->cr, color);
    cairo_move_to(c->cr, x - dx, y);
    pango_cairo_show_layout_line(c->cr, pango_layout_get_line_readonly(l, 0));
    g_object_unref(l);
}

static const struct canvas_ops CAIRO_OPS = {cc_rect, cc_line, cc_polyline, cc_sector, cc_circle, cc_text};

struct canvas_cairo *canvas_cairo_new(cairo_t *cr, struct fonts *fonts, enum font_role role)
{
    struct canvas_cairo *c = xcalloc(1, sizeof *c);
    c->cr = cr;
    c->fonts = fonts;
    c->role = role;
    return c;
}

void canvas_cairo_free(struct canvas_cairo *c) { free(c); }

struct canvas canvas_cairo(struct canvas_cairo *c) { return (struct canvas){&CAIRO_OPS, c}; }
