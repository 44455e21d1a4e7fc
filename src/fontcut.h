/* Cut faces for embedding in one document's PDF. A CJK face holds tens
 * of thousands of glyphs; the PDF embeds a copy holding the document's
 * (HarfBuzz's subsetter). The layout keeps the full faces (its metrics
 * and glyph ids stay what they were); each face is cut in worker threads
 * while the main thread lays out, to the document's characters, and the
 * glyphs the layout then used that a cut lacks (substitutes from shaping)
 * are added before anything is drawn. */
#ifndef BRIEFING_FONTCUT_H
#define BRIEFING_FONTCUT_H
#include "fonts.h"
#include <hb.h>
#include <pango/pango.h>
#include <stddef.h>

struct font_cut;
struct cut_face;

/* Starts cutting the faces of st's elements (f's roles) down to the UTF-8
 * text plus what the layout adds (font_subset_unicodes); the roles' other
 * faces, and faces the layout falls back on, are cut when first needed.
 * Returns at once; never fails. */
struct font_cut *font_cut_start(struct fonts *f, const struct style *st, const char *text, size_t len);
/* Faces cut once, to the glyphs drawn, when first needed: for faces
 * already cut down (a batch's subsets), where a first cut to the text's
 * characters costs more than it saves. */
struct font_cut *font_cut_new(void);
void font_cut_free(struct font_cut *c);
/* Before drawing: notes the glyphs of a laid-out layout that their face's
 * cut lacks; font_cut_mend then cuts those faces again with them. */
void font_cut_note(struct font_cut *c, PangoLayout *layout);
void font_cut_mend(struct font_cut *c);
/* Then cuts each face again, to the glyphs noted (what the PDF embeds),
 * two at a time. */
void font_cut_finish(struct font_cut *c);
/* The faces so cut, at most max of them, into out; how many. */
int font_cut_faces(const struct font_cut *c, const struct cut_face **out, int max);
/* The cut of the face a font was made from (its glyph ids are final from
 * now on); NULL when the font has no file or the face could not be cut. */
const struct cut_face *font_cut_face(struct font_cut *c, PangoFont *font);
/* The copy's glyph id for a glyph id of the full face; -1: not in the copy. */
int font_cut_glyph(const struct cut_face *cf, unsigned glyph);
/* The copy: an OpenType file in memory. */
hb_blob_t *font_cut_blob(const struct cut_face *cf);
const char *font_cut_file(const struct cut_face *cf);

#endif
