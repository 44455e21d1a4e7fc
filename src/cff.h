/* CFF font programs: the subsets cairo 1.16 embeds in PDFs keep the whole
 * subroutine machinery of the original (every local subroutine of each
 * CID font dictionary, a slot for every global one): for a few hundred
 * Noto CJK glyphs that is more than the glyphs themselves. Here each glyph
 * gets its subroutines inlined and the subroutines go. */
#ifndef BRIEFING_CFF_H
#define BRIEFING_CFF_H
#include "buf.h"
#include <stdbool.h>
#include <stddef.h>

/* Appends to out the CID-keyed CFF font program in[0..len) without
 * subroutines: every glyph draws as before, under the same glyph index.
 * False (out untouched) for a font laid out otherwise than cairo writes
 * its subsets, one that does not parse, or one without subroutines. */
bool cff_desubroutinize(const unsigned char *in, size_t len, struct buf *out);

#endif
