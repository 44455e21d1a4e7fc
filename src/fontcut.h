/* Cut faces for embedding in one document's PDF. A CJK face holds tens
 * of thousands of glyphs; the PDF embeds a copy holding the document's
 * (HarfBuzz's subsetter). The layout keeps the full faces (its metrics
 * and glyph ids stay what they were). The body's face is cut in a worker
 * thread while the main thread lays out, to the document's characters;
 * every other face once the layout is noted, to the characters it set;
 * the glyphs the layout used that a cut lacks (substitutes from shaping)
 * are added before anything is drawn. */
#ifndef BRIEFING_FONTCUT_H
#define BRIEFING_FONTCUT_H
#include "fonts.h"
#include <hb.h>
#include <pango/pango.h>
#include <stddef.h>

struct font_cut;
struct cut_face;

/* Starts cutting the face of st's body text (f's role) down to the UTF-8
 * text plus what the layout adds (font_subset_unicodes); the other faces
 * the layout uses (the roles', fallbacks) are cut by font_cut_mend, to
 * the characters noted in them. Returns at once; never fails. */
struct font_cut *font_cut_start(struct fonts *f, const struct style *st, const char *text, size_t len);
/* Faces cut once, to the glyphs drawn, when first needed: for faces
 * already cut down (a batch's subsets), where a first cut to the text's
 * characters costs more than it saves. */
struct font_cut *font_cut_new(void);
void font_cut_free(struct font_cut *c);
/* Before drawing: notes the glyphs of a laid-out layout (and the
 * characters, for faces not cut yet); font_cut_mend then cuts the faces
 * not cut yet, and cuts again those whose cut lacks a glyph noted. */
void font_cut_note(struct font_cut *c, PangoLayout *layout);
void font_cut_mend(struct font_cut *c);
/* Then cuts each face noted again, to the glyphs noted (what the PDF
 * embeds): a CFF face at once (its program's glyphs are numbered before
 * drawing), the others in two threads, drawing going on meanwhile; calls
 * done(arg, face, program) in those threads for each face. */
void font_cut_finish(struct font_cut *c, void (*done)(void *, const struct cut_face *, hb_blob_t *),
                     void *arg);
/* Waits for the final cuts (and their done calls). */
void font_cut_wait(struct font_cut *c);
/* The faces noted that a PDF embeds, *n of them (the caller frees the array). */
const struct cut_face **font_cut_faces(const struct font_cut *c, int *n);
/* The program the PDF embeds for the face: a bare CFF table or a
 * TrueType file, in memory (waits for the final cuts); NULL when the cut
 * failed. */
hb_blob_t *font_cut_program(struct font_cut *c, const struct cut_face *cf);
/* The cut of the face a font was made from, once finishing has begun;
 * NULL when the font has no file, the face could not be cut or no glyph
 * of it was noted. */
const struct cut_face *font_cut_face(struct font_cut *c, PangoFont *font);
/* The copy's glyph id (also the program's) for a glyph id of the full
 * face; -1: not in the program (a glyph that was not noted). */
int font_cut_glyph(const struct cut_face *cf, unsigned glyph);
/* The program's glyph id for one of the copy's (a CFF face's once
 * finishing has begun, another's after font_cut_program); -1: left out. */
int font_cut_program_glyph(const struct cut_face *cf, unsigned copy_glyph);
/* The copy (glyph metrics, CIDs): an OpenType file in memory, or the
 * face's own file (a face taken whole), and the face's index in it. */
hb_blob_t *font_cut_blob(const struct cut_face *cf);
unsigned font_cut_index(const struct cut_face *cf);
const char *font_cut_file(const struct cut_face *cf);

#endif
