/* The canvas drawn with cairo, text set with Pango in a template font
 * role, so chart text in the PDF is real, selectable text. */
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

#endif
