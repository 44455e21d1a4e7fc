/* A canvas that writes each operation as a line of text, for tests. */
#include "canvas.h"
#include <math.h>
#include "xalloc.h"
#include <stdlib.h>

struct canvas_record {
    struct buf *out;
};

static void rec_rect(void *ctx, double x, double y, double w, double h, struct rgb f)
{
    buf_printf(((struct canvas_record *)ctx)->out, "rect %.1f %.1f %.1f %.1f #%02X%02X%02X\n", x, y,
               w, h, (int)(f.r * 255 + .5), (int)(f.g * 255 + .5), (int)(f.b * 255 + .5));
}

static void rec_line(void *ctx, double x1, double y1, double x2, double y2, double w, struct rgb c)
{
    (void)c;
    buf_printf(((struct canvas_record *)ctx)->out, "line %.1f %.1f %.1f %.1f w=%.2f\n", x1, y1, x2,
               y2, w);
}

static void rec_polyline(void *ctx, const double *xy, int n, double w, struct rgb c)
{
    (void)c;
    struct buf *b = ((struct canvas_record *)ctx)->out;
    buf_printf(b, "polyline w=%.2f", w);
    for (int i = 0; i < n; i++)
        buf_printf(b, " %.1f,%.1f", xy[2 * i], xy[2 * i + 1]);
    buf_putc(b, '\n');
}

static void rec_sector(void *ctx, double cx, double cy, double ro, double ri, double a0, double a1,
                       struct rgb f)
{
    buf_printf(((struct canvas_record *)ctx)->out, "sector %.1f %.1f r=%.1f/%.1f %.3f-%.3f #%02X%02X%02X\n", cx,
               cy, ro, ri, a0, a1, (int)lround(f.r * 255), (int)lround(f.g * 255), (int)lround(f.b * 255));
}

static void rec_circle(void *ctx, double cx, double cy, double r, struct rgb f)
{
    (void)f;
    buf_printf(((struct canvas_record *)ctx)->out, "circle %.1f %.1f r=%.1f\n", cx, cy, r);
}

static void rec_text(void *ctx, double x, double y, const char *text, double size, bool bold,
                     enum anchor anchor, struct rgb c)
{
    (void)c;
    static const char *const anchors[] = {"start", "middle", "end"};
    buf_printf(((struct canvas_record *)ctx)->out, "text %.1f %.1f %.1f%s %s |%s|\n", x, y, size,
               bold ? " bold" : "", anchors[anchor], text);
}

static const struct canvas_ops RECORD_OPS = {rec_rect, rec_line, rec_polyline, rec_sector, rec_circle, rec_text};

struct canvas_record *canvas_record_new(struct buf *out)
{
    struct canvas_record *c = xcalloc(1, sizeof *c);
    c->out = out;
    return c;
}

void canvas_record_free(struct canvas_record *c) { free(c); }

struct canvas canvas_record(struct canvas_record *c) { return (struct canvas){&RECORD_OPS, c}; }
