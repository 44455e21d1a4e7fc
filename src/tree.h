/* The resolved document model as text (`briefing render --format tree`). */
#ifndef BRIEFING_TREE_H
#define BRIEFING_TREE_H
#include "doc.h"

/* One line per node, indented by depth, with its resolved facts. Caller frees. */
char *tree_dump(const struct doc *doc);

#endif
