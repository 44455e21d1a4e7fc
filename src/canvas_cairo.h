/* The chart canvas drawn with cairo (page images, png.h), its text set
 * with Pango in a template font role and drawn from the full faces. */
#ifndef BRIEFING_CANVAS_CAIRO_H
#define BRIEFING_CANVAS_CAIRO_H
#include "canvas.h"
#include "fonts.h"
#include <cairo.h>

struct canvas_cairo;
/* Draws on cr with its current transformation; text in the given role. */
struct canvas_cairo *canvas_cairo_new(cairo_t *cr, struct fonts *fonts, enum font_role role);
void canvas_cairo_free(struct canvas_cairo *c);
struct canvas canvas_cairo(struct canvas_cairo *c);
/* Strokes a straight line with cr's source, cap and dash (dash lengths in
 * device pixels), as PDF viewers do: a hairline is at least a pixel wide,
 * and one along the pixel grid is one sharp row or column, not two grey. */
void canvas_cairo_line(cairo_t *cr, double x1, double y1, double x2, double y2, double width);

#endif
