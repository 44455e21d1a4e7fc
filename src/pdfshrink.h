/* A pass over the PDF cairo wrote: its embedded CFF font subsets lose the
 * subroutines cairo keeps whole (see cff.h), which for Noto CJK more than
 * halves the file. Text, glyph shapes and every other object stay as they
 * were. */
#ifndef BRIEFING_PDFSHRINK_H
#define BRIEFING_PDFSHRINK_H
#include "buf.h"
#include <stdbool.h>
#include <stddef.h>

/* Rewrites the PDF in pdf->data[start..len). False (and the PDF as it
 * was) when the file is not laid out as cairo writes it. */
bool pdfshrink_fonts(struct buf *pdf, size_t start);

#endif
