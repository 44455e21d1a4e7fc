/* CFF font programs (Adobe TN 5176): the CIDs of a CID-keyed font's
 * glyphs, which a PDF's CIDFontType0 addresses them by. */
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

#endif
