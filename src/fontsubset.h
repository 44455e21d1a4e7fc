/* Font subsets shared by a batch of documents. Laying out from a CJK
 * face, and cutting it down for each PDF, works on tables of ~20 MB: for
 * many small documents that is most of the work. A batch instead cuts
 * each face its template uses down, once, to the
 * characters its documents can contain (HarfBuzz's subsetter, layout
 * tables kept for the features shaping applies, so it is unchanged), and
 * every fonts object of the batch prefers those copies. A character a copy
 * lacks still comes from the full face, so a missed character costs time,
 * never a wrong glyph. The copies live in anonymous memory files: nothing
 * is written to disk and nothing is left behind. */
#ifndef BRIEFING_FONTSUBSET_H
#define BRIEFING_FONTSUBSET_H
#include "fonts.h"
#include <hb.h>
#include <stdbool.h>
#include <stddef.h>

struct font_subsets;

/* Subsets of the faces the roles of fonts[0..n) use (regular and bold),
 * covering the UTF-8 text and the characters the layout itself adds
 * (numbers, labels, punctuation); roles[r] false leaves role r's faces
 * whole (roles NULL: cut every role's). Never fails: faces that cannot be
 * cut are left out. */
struct font_subsets *font_subsets_new(struct fonts *const *fonts, int n, const char *text,
                                      size_t len, const bool *roles);
/* After every fonts object using the subsets is freed. */
void font_subsets_free(struct font_subsets *s);
/* Makes f prefer the subsets; call before laying anything out with f. */
void font_subsets_apply(const struct font_subsets *s, struct fonts *f);
int font_subsets_count(const struct font_subsets *s);
/* Is file one of the faces a font_subsets cut (a memory file)? */
bool font_subset_file(const char *file);
/* The characters of the UTF-8 text, printable ASCII and what the layout
 * adds (numbers, labels, punctuation, the charts' words). */
hb_set_t *font_subset_unicodes(const char *text, size_t len);

#endif
