/* Text in a PDF written by hand (pdfw.h): Pango's laid-out lines drawn as
 * glyph runs in the fonts the document embeds, each face once, as a CID
 * font (Identity-H) whose program is the face cut for the document
 * (fontcut.h): CFF as CIDFontType0C, TrueType as CIDFontType2. Every
 * glyph is placed where Pango put it; the widths array and the program
 * agree, and a ToUnicode map gives each glyph the text it was set from
 * (a glyph set for two texts copies as each through ActualText). */
#ifndef BRIEFING_PDFTEXT_H
#define BRIEFING_PDFTEXT_H
#include "diag.h"
#include "fontcut.h"
#include "pdfw.h"
#include <pango/pango.h>

struct pdf_text;

struct pdf_text *pdf_text_new(struct font_cut *cut);
void pdf_text_free(struct pdf_text *t);
/* Once the cut is finished (font_cut_finish): takes up the faces cut and
 * compresses their programs in a thread while pages are drawn. */
void pdf_text_start(struct pdf_text *t);
/* Draws the line with the left end of its baseline at (x, y), in color
 * where its attributes set none. */
void pdf_text_line(struct pdf_text *t, struct pdf_content *c, PangoLayoutLine *line, double x,
                   double y, struct rgb color);
/* Writes the fonts drawn with, and as object id the resource dictionary
 * naming them. False, with the reason in d, when a glyph was drawn from a
 * face that could not be cut (its text would be lost). */
bool pdf_text_write(struct pdf_text *t, struct pdfw *w, int resources, struct diag *d);

#endif
