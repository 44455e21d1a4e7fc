/* The resolve pass: run once by doc_parse after the tree is parsed, it
 * turns every annotation and derived fact into a struct node_info on the
 * node (model.h). It owns those records; model_free releases them with the
 * document. */
#ifndef BRIEFING_RESOLVE_H
#define BRIEFING_RESOLVE_H
#include "diag.h"
#include "model.h"

struct model;
struct indicators;

/* Resolves the structure of the tree under root: headings, sections,
 * departments, markers, roles, notes, attachments, footnotes, soft
 * breaks, tables. Problems (an unknown role name) go to d, at file. */
struct model *model_resolve(cmark_node *root, const char *file, struct diag *d);
/* After the indicators are read: each link gets its indicator, each
 * indicator the section it sits in. */
void model_attach_indicators(struct indicators *set);
/* A ```chart block's parsed chart. */
void model_attach_chart(cmark_node *block, const struct chart *c);
void model_free(struct model *m);

/* Every attachment heading, in order (borrowed; count in *n). */
cmark_node **model_attachments(const struct model *m, int *n);
/* The document has a 附件说明 of its own (a paragraph opening with 附件：). */
bool model_has_attachment_note(const struct model *m);

#endif
