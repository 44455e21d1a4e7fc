/* The chart canvas drawn into a PDF content stream (pdfw.h), its text set
 * with Pango in a template font role and drawn as real, selectable text
 * (pdftext.h). With no content stream it only lays the text out and notes
 * its glyphs for the font cut, so the faces hold them before drawing. */
#ifndef BRIEFING_CANVAS_PDF_H
#define BRIEFING_CANVAS_PDF_H
#include "canvas.h"
#include "fontcut.h"
#include "fonts.h"
#include "pdftext.h"
#include "pdfw.h"

/* The charts' labels laid out when their glyphs were noted, in drawing
 * order, to be drawn without laying them out again. */
struct label_queue {
    PangoLayout **layouts;
    int n, next;
    GHashTable *seen;  /* role, size, weight and text -> its layout: each laid out once */
};
void label_queue_free(struct label_queue *q);

struct canvas_pdf;
/* Draws into c at offset (x, y); c NULL: notes glyphs into cut instead,
 * queueing the labels' layouts in q (which drawing then takes from). */
struct canvas_pdf *canvas_pdf_new(struct pdf_content *c, struct pdf_text *t, struct font_cut *cut,
                                  struct label_queue *q, struct fonts *fonts, enum font_role role,
                                  double x, double y);
void canvas_pdf_free(struct canvas_pdf *c);
struct canvas canvas_pdf(struct canvas_pdf *c);

#endif
