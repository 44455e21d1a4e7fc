/* Fonts: a private fontconfig set-up (fonts/fonts.conf plus every font file
 * in fonts/), a Pango font map and context configured for print (72 dpi,
 * no hinting, unrounded positions, zh-CN), and the resolution of a
 * template's font roles to installed families. One per thread. */
#ifndef BRIEFING_FONTS_H
#define BRIEFING_FONTS_H
#include "diag.h"
#include "style.h"
#include <fontconfig/fontconfig.h>
#include <pango/pango.h>

struct fonts;

/* NULL (with an error in d) when fontconfig cannot be set up. */
struct fonts *fonts_new(const struct style *st, struct diag *d);
void fonts_free(struct fonts *f);
/* Fonts of the same style, and the same subsets, for another thread; NULL
 * (with an error in d) as fonts_new. */
struct fonts *fonts_clone(struct fonts *f, struct diag *d);
PangoContext *fonts_context(struct fonts *f);
/* The description of a role's first installed family (size not set). The
 * first time a role falls back past its preferred family, one warning
 * naming the role and the substitute goes to the diag given to fonts_new. */
const PangoFontDescription *fonts_role(struct fonts *f, enum font_role role);
/* The family actually used for a role, for tests and `briefing templates`. */
const char *fonts_role_family(struct fonts *f, enum font_role role);

/* One line of text in a role at a size (pt), bold or not, laid out
 * unbroken: a chart's label. */
PangoLayout *fonts_text_layout(struct fonts *f, enum font_role role, const char *text, double size,
                               bool bold);

/* The font file, face index and family name a role's text is drawn from,
 * in its own weight or bold; false when Pango finds no font file. */
bool fonts_role_face(struct fonts *f, enum font_role role, bool bold, char **file, int *index,
                     char **family);
/* Adds n cut-down faces: faces[i] (a fontconfig pattern, copied; what it
 * points to must outlive f) is a copy of a face of families[i]. Every role
 * set in such a family then draws the characters the copy has from it, and
 * the rest from the full face. */
void fonts_add_subsets(struct fonts *f, const char *const *families, FcPattern *const *faces, int n);

/* The cut faces the document embeds (fontcut.h), not owned; NULL: none
 * cut yet (the PDF writer cuts them). */
struct font_cut;
void fonts_set_cut(struct fonts *f, struct font_cut *cut);
struct font_cut *fonts_cut(const struct fonts *f);

#endif
