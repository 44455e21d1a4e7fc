/* Fonts: a private fontconfig set-up (fonts/fonts.conf plus every font file
 * in fonts/), a Pango font map and context configured for print (72 dpi,
 * no hinting, unrounded positions, zh-CN), and the resolution of a
 * template's font roles to installed families. One per thread. */
#ifndef BRIEFING_FONTS_H
#define BRIEFING_FONTS_H
#include "diag.h"
#include "style.h"
#include <ft2build.h>
#include FT_FREETYPE_H
#include <pango/pango.h>

struct fonts;

/* NULL (with an error in d) when fontconfig cannot be set up. */
struct fonts *fonts_new(const struct style *st, struct diag *d);
void fonts_free(struct fonts *f);
PangoContext *fonts_context(struct fonts *f);
/* The description of a role's first installed family (size not set). The
 * first time a role falls back past its preferred family, one warning
 * naming the role and the substitute goes to the diag given to fonts_new. */
const PangoFontDescription *fonts_role(struct fonts *f, enum font_role role);
/* The family actually used for a role, for tests and `briefing templates`. */
const char *fonts_role_family(struct fonts *f, enum font_role role);

/* The font file, face index and family name a role's text is drawn from,
 * in its own weight or bold; false when Pango finds no font file. */
bool fonts_role_face(struct fonts *f, enum font_role role, bool bold, char **file, int *index,
                     char **family);
/* Adds `file`, a cut-down copy of a face of `family`, open as `face`
 * (which must outlive f; NULL lets cairo open the file): every role set in
 * that family then draws the characters the copy has from it, and the
 * rest from the full face. */
bool fonts_add_subset(struct fonts *f, const char *family, const char *file, FT_Face face);

#endif
