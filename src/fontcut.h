/* Cut faces for drawing one document. cairo 1.16's PDF backend reads a
 * CJK face's whole CFF table (~20 MB) for every PDF and works on it glyph
 * by glyph; given a face cut down to the document's characters it does the
 * same work on a few hundred kilobytes. The layout keeps the full faces
 * (its metrics and glyph ids stay what they were); each face is cut
 * (HarfBuzz's subsetter) in worker threads while the main thread lays
 * out, and a run Pango shaped with the full face is drawn from the copy
 * glyph for glyph, its glyph ids mapped to the copy's. A run with a glyph
 * the copy lacks is drawn from the full face: a missed character costs
 * size, never a wrong glyph. */
#ifndef BRIEFING_FONTCUT_H
#define BRIEFING_FONTCUT_H
#include "fonts.h"
#include <cairo.h>
#include <pango/pango.h>
#include <stddef.h>

struct font_cut;

/* Starts cutting the faces of st's elements (f's roles) down to the UTF-8
 * text plus what the layout adds (font_subset_unicodes); the roles' other
 * faces are cut when first drawn. Returns at once; never fails (faces that
 * cannot be cut are drawn whole). */
struct font_cut *font_cut_start(struct fonts *f, const struct style *st, const char *text, size_t len);
/* Joins the cutting threads; after this, free f's drawings first. */
void font_cut_free(struct font_cut *c);
/* Before drawing: cuts again, with the glyphs they lack, the faces whose
 * cut misses a glyph of these laid-out layouts (a glyph only shaping
 * substitutes, from a feature the cut did not follow). */
void font_cut_cover(struct font_cut *c, PangoLayout *const *layouts, int n);
/* Draws the line at cr's current point as pango_cairo_show_layout_line
 * does, its glyphs from the cut faces (waits for the cuts the first time).
 * c NULL: from the full faces. */
void font_cut_show_line(struct font_cut *c, cairo_t *cr, PangoLayoutLine *line);
/* Did every run drawn so far come from a cut face (whose CFF charstrings
 * HarfBuzz flattened, leaving no subroutines for the post-pass to inline)? */
bool font_cut_drew_all(const struct font_cut *c);

#endif
