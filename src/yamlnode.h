/* Thin helpers over libyaml's document API: load a YAML text with its line
 * numbers shifted to the enclosing file, look up keys, read scalars. */
#ifndef BRIEFING_YAMLNODE_H
#define BRIEFING_YAMLNODE_H
#include "diag.h"
#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

struct ydoc {
    yaml_document_t doc;
    bool loaded;
    const char *file;  /* borrowed: the file the text came from */
    int line_offset;   /* line of the text's first line in that file, minus 1 */
};

/* Parses text as one YAML document. On a syntax error adds a diagnostic with
 * the line in `file` and returns false. An empty text gives a NULL root. */
bool ydoc_load(struct ydoc *y, const char *text, size_t len, const char *file,
               int line_offset, struct diag *d);
void ydoc_free(struct ydoc *y);
yaml_node_t *ydoc_root(struct ydoc *y);
/* Value for key in a mapping node, or NULL. */
yaml_node_t *ymap_get(struct ydoc *y, yaml_node_t *map, const char *key);
/* Scalar text, or NULL when the node is not a scalar. */
const char *yscalar(yaml_node_t *n);
/* Item i of a sequence node, or NULL. */
yaml_node_t *yseq_item(struct ydoc *y, yaml_node_t *seq, int i);
int yseq_len(yaml_node_t *n);
int yline(const struct ydoc *y, const yaml_node_t *n);
int ycol(const yaml_node_t *n);
/* Iterates a mapping: *key and *value of pair i; false past the end. */
bool ymap_pair(struct ydoc *y, yaml_node_t *map, int i, yaml_node_t **key, yaml_node_t **value);
/* Parses a scalar as a number; false (and a diagnostic) when it is not one. */
bool ynumber(struct ydoc *y, yaml_node_t *n, double *out, struct diag *d);

#endif
