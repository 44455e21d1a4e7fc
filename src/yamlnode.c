#include "yamlnode.h"
#include "xalloc.h"
#include <stdlib.h>
#include <string.h>

static int by_key_text(const void *a, const void *b)
{
    const yaml_node_t *x = *(yaml_node_t *const *)a, *y = *(yaml_node_t *const *)b;
    int c = strcmp(yscalar((yaml_node_t *)x), yscalar((yaml_node_t *)y));
    return c ? c : (x->start_mark.index > y->start_mark.index) - (x->start_mark.index < y->start_mark.index);
}

/* YAML forbids a key twice in one map, but libyaml keeps both; every
 * reader here would take one and drop (or leak) the other. Sorting keeps
 * a map of many keys linear-logarithmic. */
static bool unique_keys(struct ydoc *y, yaml_node_t *map, struct diag *d)
{
    size_t n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start), m = 0;
    yaml_node_t **keys = xcalloc(n ? n : 1, sizeof *keys);
    yaml_node_t *k, *v;
    for (int i = 0; ymap_pair(y, map, i, &k, &v); i++)
        if (yscalar(k))
            keys[m++] = k;
    qsort(keys, m, sizeof *keys, by_key_text);
    bool ok = true;
    for (size_t i = 1; i < m && ok; i++)
        if (!strcmp(yscalar(keys[i - 1]), yscalar(keys[i]))) {
            diag_add(d, DIAG_ERROR, y->file, yline(y, keys[i]), ycol(keys[i]),
                     "key '%s' is given twice in the same map (first at line %d)", yscalar(keys[i]),
                     yline(y, keys[i - 1]));
            ok = false;
        }
    free(keys);
    return ok;
}

static bool check_keys(struct ydoc *y, struct diag *d)
{
    for (yaml_node_t *n = y->doc.nodes.start; n < y->doc.nodes.top; n++)
        if (n->type == YAML_MAPPING_NODE && !unique_keys(y, n, d))
            return false;
    return true;
}

bool ydoc_load(struct ydoc *y, const char *text, size_t len, const char *file,
               int line_offset, struct diag *d)
{
    memset(y, 0, sizeof *y);
    y->file = file;
    y->line_offset = line_offset;
    yaml_parser_t p;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    bool ok = yaml_parser_load(&p, &y->doc);
    if (!ok) {
        yaml_mark_t m = p.problem_mark.line || p.problem_mark.column ? p.problem_mark
                                                                      : p.context_mark;
        diag_add(d, DIAG_ERROR, file, (int)m.line + 1 + line_offset, (int)m.column + 1,
                 "malformed YAML: %s%s%s", p.problem ? p.problem : "syntax error",
                 p.context ? " " : "", p.context ? p.context : "");
    } else {
        y->loaded = true;
    }
    yaml_parser_delete(&p);
    if (ok && !check_keys(y, d)) {
        ydoc_free(y);
        return false;
    }
    return ok;
}

void ydoc_free(struct ydoc *y)
{
    if (y->loaded)
        yaml_document_delete(&y->doc);
    y->loaded = false;
}

yaml_node_t *ydoc_root(struct ydoc *y) { return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL; }

const char *yscalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

bool ymap_pair(struct ydoc *y, yaml_node_t *map, int i, yaml_node_t **key, yaml_node_t **value)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return false;
    yaml_node_pair_t *p = map->data.mapping.pairs.start + i;
    if (p >= map->data.mapping.pairs.top)
        return false;
    *key = yaml_document_get_node(&y->doc, p->key);
    *value = yaml_document_get_node(&y->doc, p->value);
    return true;
}

yaml_node_t *ymap_get(struct ydoc *y, yaml_node_t *map, const char *key)
{
    yaml_node_t *k, *v;
    for (int i = 0; ymap_pair(y, map, i, &k, &v); i++) {
        const char *s = yscalar(k);
        if (s && strcmp(s, key) == 0)
            return v;
    }
    return NULL;
}

int yseq_len(yaml_node_t *n)
{
    if (!n || n->type != YAML_SEQUENCE_NODE)
        return 0;
    return (int)(n->data.sequence.items.top - n->data.sequence.items.start);
}

yaml_node_t *yseq_item(struct ydoc *y, yaml_node_t *seq, int i)
{
    if (i < 0 || i >= yseq_len(seq))
        return NULL;
    return yaml_document_get_node(&y->doc, seq->data.sequence.items.start[i]);
}

int yline(const struct ydoc *y, const yaml_node_t *n)
{
    return n ? (int)n->start_mark.line + 1 + y->line_offset : y->line_offset + 1;
}

int ycol(const yaml_node_t *n) { return n ? (int)n->start_mark.column + 1 : 1; }

bool ynumber(struct ydoc *y, yaml_node_t *n, double *out, struct diag *d)
{
    const char *s = yscalar(n);
    char *end = NULL;
    double v = s ? strtod(s, &end) : 0;
    if (!s || end == s || *end) {
        diag_add(d, DIAG_ERROR, y->file, yline(y, n), ycol(n), "expected a number, got '%s'",
                 s ? s : "(not a scalar)");
        return false;
    }
    *out = v;
    return true;
}
