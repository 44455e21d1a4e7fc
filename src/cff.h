/* CFF font programs (Adobe TN 5176): the CIDs of a CID-keyed font's
 * glyphs, which a PDF's CIDFontType0 addresses them by, and a program
 * cut to the glyphs a document draws. */
#ifndef BRIEFING_CFF_H
#define BRIEFING_CFF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* cid[g] for each glyph g < nglyphs of the CFF table data[0..len): the
 * charset's CID for a CID-keyed font (*cid_keyed set), g itself for a
 * name-keyed one. False when the table does not parse. */
bool cff_glyph_cids(const unsigned char *data, size_t len, unsigned nglyphs, uint16_t *cid,
                    bool *cid_keyed);

/* Does the CFF table parse as a name-keyed font (no ROS)? */
bool cff_name_keyed(const unsigned char *data, size_t len);

/* The CFF table data[0..len) cut to the glyphs kept (keep[g], g <
 * nkeep; glyph 0 always stays), renumbered in their order: charstrings,
 * charset (their CIDs, or names) and FDSelect replaced, everything else
 * (Private DICTs, subroutines) as it was. The caller frees *out
 * (*out_len bytes). False when the table does not parse or an offset
 * after what changed cannot be moved in place (then the caller cuts it
 * another way). */
bool cff_keep_glyphs(const unsigned char *data, size_t len, const bool *keep, size_t nkeep,
                     unsigned char **out, size_t *out_len);

/* Does the CFF table parse, with no subroutines (global or local)? */
bool cff_flat(const unsigned char *data, size_t len);

#endif
