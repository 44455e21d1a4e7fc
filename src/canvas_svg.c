#define _DEFAULT_SOURCE
/* Canvas operations written as SVG elements with real <text>. */
#include "canvas.h"
#include "xalloc.h"
#include <math.h>
#include <stdlib.h>

struct canvas_svg {
    struct buf *out;
    char *font;  /* CSS font-family list, already escaped for an attribute */
};

static void hex(struct buf *b, struct rgb c)
{
    buf_printf(b, "#%02X%02X%02X", (int)lround(c.r * 255), (int)lround(c.g * 255),
               (int)lround(c.b * 255));
}

void canvas_svg_escape(struct buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': buf_puts(b, "&amp;"); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        case '\'': buf_puts(b, "&#39;"); break;
        default: buf_putc(b, *s);
        }
    }
}

static void svg_rect(void *ctx, double x, double y, double w, double h, struct rgb fill)
{
    struct canvas_svg *c = ctx;
    buf_printf(c->out, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"", x, y, w, h);
    hex(c->out, fill);
    buf_puts(c->out, "\"/>");
}

static void svg_line(void *ctx, double x1, double y1, double x2, double y2, double width,
                     struct rgb color)
{
    struct canvas_svg *c = ctx;
    buf_printf(c->out, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke-width=\"%.2f\" stroke=\"",
               x1, y1, x2, y2, width);
    hex(c->out, color);
    buf_puts(c->out, "\"/>");
}

static void svg_polyline(void *ctx, const double *xy, int n, double width, struct rgb color)
{
    struct canvas_svg *c = ctx;
    buf_puts(c->out, "<polyline fill=\"none\" stroke-linejoin=\"round\" points=\"");
    for (int i = 0; i < n; i++)
        buf_printf(c->out, "%s%.2f,%.2f", i ? " " : "", xy[2 * i], xy[2 * i + 1]);
    buf_printf(c->out, "\" stroke-width=\"%.2f\" stroke=\"", width);
    hex(c->out, color);
    buf_puts(c->out, "\"/>");
}

static void point(double cx, double cy, double r, double a, double *x, double *y)
{
    *x = cx + r * sin(a);
    *y = cy - r * cos(a);
}

static void svg_sector(void *ctx, double cx, double cy, double ro, double ri, double a0, double a1,
                       struct rgb fill)
{
    struct canvas_svg *c = ctx;
    if (a1 - a0 >= 2 * M_PI - 1e-9)
        a1 = a0 + 2 * M_PI - 1e-4; /* a full ring as a nearly closed arc */
    int large = a1 - a0 > M_PI;
    double x0, y0, x1, y1;
    point(cx, cy, ro, a0, &x0, &y0);
    point(cx, cy, ro, a1, &x1, &y1);
    buf_printf(c->out, "<path d=\"M%.2f %.2fA%.2f %.2f 0 %d 1 %.2f %.2f", x0, y0, ro, ro, large, x1, y1);
    if (ri > 0) {
        double x2, y2, x3, y3;
        point(cx, cy, ri, a1, &x2, &y2);
        point(cx, cy, ri, a0, &x3, &y3);
        buf_printf(c->out, "L%.2f %.2fA%.2f %.2f 0 %d 0 %.2f %.2fZ", x2, y2, ri, ri, large, x3, y3);
    } else {
        buf_printf(c->out, "L%.2f %.2fZ", cx, cy);
    }
    buf_puts(c->out, "\" fill=\"");
    hex(c->out, fill);
    buf_puts(c->out, "\"/>");
}

static void svg_circle(void *ctx, double cx, double cy, double r, struct rgb fill)
{
    struct canvas_svg *c = ctx;
    buf_printf(c->out, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\" fill=\"", cx, cy, r);
    hex(c->out, fill);
    buf_puts(c->out, "\"/>");
}

static void svg_text(void *ctx, double x, double y, const char *text, double size, bool bold,
                     enum anchor anchor, struct rgb color)
{
    struct canvas_svg *c = ctx;
    static const char *const anchors[] = {"start", "middle", "end"};
    buf_printf(c->out, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\" text-anchor=\"%s\"%s fill=\"",
               x, y, size, anchors[anchor], bold ? " font-weight=\"bold\"" : "");
    hex(c->out, color);
    buf_puts(c->out, "\">");
    canvas_svg_escape(c->out, text);
    buf_puts(c->out, "</text>");
}

static const struct canvas_ops SVG_OPS = {svg_rect, svg_line, svg_polyline, svg_sector, svg_circle, svg_text};

struct canvas_svg *canvas_svg_new(struct buf *out, const char *font_family)
{
    struct canvas_svg *c = xcalloc(1, sizeof *c);
    c->out = out;
    struct buf f = {0};
    canvas_svg_escape(&f, font_family ? font_family : "sans-serif");
    c->font = buf_detach(&f);
    return c;
}

void canvas_svg_free(struct canvas_svg *c)
{
    if (!c)
        return;
    free(c->font);
    free(c);
}

struct canvas canvas_svg(struct canvas_svg *c) { return (struct canvas){&SVG_OPS, c}; }

const char *canvas_svg_font(const struct canvas_svg *c) { return c->font; }
