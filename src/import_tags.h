/* Department tags for imported text: <!-- dept: … --> comments placed from
 * a batch manifest's keywords, on a whole section where its heading
 * matches, else on each matching paragraph. */
#ifndef BRIEFING_IMPORT_TAGS_H
#define BRIEFING_IMPORT_TAGS_H
#include "buf.h"
#include "manifest.h"
#include <stdbool.h>

struct import_tags;

struct import_tags *import_tags_new(const struct manifest *m); /* m may be NULL: no tags */
void import_tags_free(struct import_tags *t);
/* After a heading: tags the section when its heading, or every paragraph
 * of it (paras[0..n)), mentions a department's keyword; paragraphs inside
 * are then not tagged again for that department. */
void import_tags_section(struct import_tags *t, const char *heading, int level,
                         const char *const *paras, int n, struct buf *out);
/* Before a paragraph: the departments whose keywords it mentions. Right
 * after a heading a tag would cover the whole section, so a neutral
 * comment goes first there. */
void import_tags_block(struct import_tags *t, const char *text, bool after_heading,
                       struct buf *out);

#endif
