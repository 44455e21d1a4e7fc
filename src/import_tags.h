/* Department tags for imported text: <!-- dept: … --> comments placed from
 * a batch manifest's keywords, on a whole section where its heading
 * matches, else on each matching paragraph. */
#ifndef BRIEFING_IMPORT_TAGS_H
#define BRIEFING_IMPORT_TAGS_H
#include "buf.h"
#include "manifest.h"

struct import_tags;

struct import_tags *import_tags_new(const struct manifest *m); /* m may be NULL: no tags */
void import_tags_free(struct import_tags *t);
/* After a heading: tags the section when the heading names a department's
 * keyword; paragraphs inside are then not tagged again for it. */
void import_tags_section(struct import_tags *t, const char *heading, int level, struct buf *out);
/* Before a paragraph: the departments whose keywords it mentions. */
void import_tags_block(struct import_tags *t, const char *text, struct buf *out);

#endif
