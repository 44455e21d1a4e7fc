#include "manifest.h"
#include "doc.h"
#include "style.h"
#include "xalloc.h"
#include "yamlnode.h"
#include <stdlib.h>
#include <string.h>

static char **string_list(struct ydoc *y, yaml_node_t *v, const char *what, int **lines,
                          struct diag *d)
{
    int n = yscalar(v) ? 1 : yseq_len(v);
    if (!yscalar(v) && v->type != YAML_SEQUENCE_NODE) {
        diag_add(d, DIAG_ERROR, y->file, yline(y, v), ycol(v), "manifest: '%s' must be a list", what);
        n = 0;
    }
    char **out = xcalloc((size_t)n + 1, sizeof *out);
    if (lines)
        *lines = xcalloc((size_t)n + 1, sizeof **lines);
    for (int i = 0; i < n; i++) {
        yaml_node_t *item = yscalar(v) ? v : yseq_item(y, v, i);
        const char *s = yscalar(item);
        if (!s || !*s) {
            diag_add(d, DIAG_ERROR, y->file, yline(y, item), ycol(item),
                     "manifest: '%s' items must be text", what);
            s = "";
        }
        out[i] = xstrdup(s);
        if (lines)
            (*lines)[i] = yline(y, item);
    }
    return out;
}

static void strv_free(char **v)
{
    for (char **p = v; p && *p; p++)
        free(*p);
    free(v);
}

static bool valid_id(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
            return false;
    return true;
}

static void parse_department(struct manifest *m, struct ydoc *y, yaml_node_t *n, struct diag *d)
{
    struct department dep = {.line = yline(y, n)};
    if (!n || n->type != YAML_MAPPING_NODE) {
        diag_add(d, DIAG_ERROR, y->file, yline(y, n), ycol(n),
                 "manifest: each department is a map with id and name");
        return;
    }
    yaml_node_t *k, *v;
    for (int i = 0; ymap_pair(y, n, i, &k, &v); i++) {
        const char *key = yscalar(k) ? yscalar(k) : "";
        if (!strcmp(key, "id") && yscalar(v))
            dep.id = xstrdup(yscalar(v));
        else if (!strcmp(key, "name") && yscalar(v))
            dep.name = xstrdup(yscalar(v));
        else if (!strcmp(key, "template") && yscalar(v))
            dep.template_name = style_name_from(yscalar(v), y->file);
        else if (!strcmp(key, "keywords"))
            dep.keywords = string_list(y, v, "keywords", NULL, d);
        else if (!strcmp(key, "indicators"))
            dep.indicators = string_list(y, v, "indicators", &dep.indicator_lines, d);
        else
            diag_add(d, DIAG_ERROR, y->file, yline(y, k), ycol(k),
                     "manifest: unknown department key '%s' (id, name, keywords, indicators, template)", key);
    }
    if (!dep.id || !valid_id(dep.id))
        diag_add(d, DIAG_ERROR, y->file, dep.line, ycol(n),
                 "manifest: a department needs an id made of a-z, 0-9, - and _ (it names the output files)");
    if (!dep.name)
        diag_add(d, DIAG_ERROR, y->file, dep.line, ycol(n), "manifest: department '%s' has no name",
                 dep.id ? dep.id : "?");
    for (int i = 0; i < m->ndepts && dep.id; i++)
        if (!strcmp(m->depts[i].id, dep.id))
            diag_add(d, DIAG_ERROR, y->file, dep.line, ycol(n),
                     "manifest: department id '%s' is used twice (first at line %d)", dep.id, m->depts[i].line);
    if (!dep.keywords)
        dep.keywords = xcalloc(1, sizeof(char *));
    if (!dep.indicators) {
        dep.indicators = xcalloc(1, sizeof(char *));
        dep.indicator_lines = xcalloc(1, sizeof(int));
    }
    if (!dep.id)
        dep.id = xstrdup("");
    if (!dep.name)
        dep.name = xstrdup(dep.id);
    m->depts = xreallocarray(m->depts, (size_t)m->ndepts + 1, sizeof *m->depts);
    m->depts[m->ndepts++] = dep;
}

static void parse_formats(struct manifest *m, struct ydoc *y, yaml_node_t *v, struct diag *d)
{
    char **f = string_list(y, v, "formats", NULL, d);
    m->pdf = m->html = m->md = false;
    for (char **p = f; *p; p++) {
        if (!strcmp(*p, "pdf"))
            m->pdf = true;
        else if (!strcmp(*p, "html"))
            m->html = true;
        else if (!strcmp(*p, "md"))
            m->md = true;
        else
            diag_add(d, DIAG_ERROR, y->file, yline(y, v), ycol(v),
                     "manifest: unknown format '%s' (pdf, html, md)", *p);
    }
    strv_free(f);
}

static char *resolve(const char *manifest, const char *rel)
{
    const char *slash = strrchr(manifest, '/');
    if (rel[0] == '/' || !slash)
        return xstrdup(rel);
    return xasprintf("%.*s/%s", (int)(slash - manifest), manifest, rel);
}

struct manifest *manifest_parse(const char *yaml, size_t len, const char *file, struct diag *d)
{
    struct ydoc y;
    if (!ydoc_load(&y, yaml, len, file, 0, d))
        return NULL;
    int errors = d->errors;
    struct manifest *m = xcalloc(1, sizeof *m);
    m->file = xstrdup(file);
    m->pdf = m->html = true;
    yaml_node_t *root = ydoc_root(&y), *k, *v;
    if (!root || root->type != YAML_MAPPING_NODE)
        diag_add(d, DIAG_ERROR, file, 1, 1, "manifest: expected keys report, template, formats, departments");
    for (int i = 0; ymap_pair(&y, root, i, &k, &v); i++) {
        const char *key = yscalar(k) ? yscalar(k) : "";
        if (!strcmp(key, "report") && yscalar(v)) {
            m->report = resolve(file, yscalar(v));
            m->report_line = yline(&y, v);
        } else if (!strcmp(key, "template") && yscalar(v)) {
            m->template_name = style_name_from(yscalar(v), file);
            m->template_line = yline(&y, v);
        } else if (!strcmp(key, "formats")) {
            parse_formats(m, &y, v, d);
        } else if (!strcmp(key, "departments") && v->type == YAML_SEQUENCE_NODE) {
            for (int j = 0; j < yseq_len(v); j++)
                parse_department(m, &y, yseq_item(&y, v, j), d);
        } else {
            diag_add(d, DIAG_ERROR, file, yline(&y, k), ycol(k),
                     "manifest: unknown or malformed key '%s' (report, template, formats, departments)", key);
        }
    }
    if (root && !m->report)
        diag_add(d, DIAG_ERROR, file, 1, 1, "manifest: 'report' names the report to summarise");
    if (root && !m->ndepts)
        diag_add(d, DIAG_ERROR, file, 1, 1, "manifest: 'departments' lists at least one department");
    ydoc_free(&y);
    if (d->errors > errors) {
        manifest_free(m);
        return NULL;
    }
    return m;
}

struct manifest *manifest_load(const char *path, struct diag *d)
{
    size_t len;
    char *text = doc_read_file(path, &len, d);
    if (!text)
        return NULL;
    struct manifest *m = manifest_parse(text, len, path, d);
    free(text);
    return m;
}

void manifest_free(struct manifest *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->ndepts; i++) {
        struct department *dep = &m->depts[i];
        free(dep->id);
        free(dep->name);
        free(dep->template_name);
        strv_free(dep->keywords);
        strv_free(dep->indicators);
        free(dep->indicator_lines);
    }
    free(m->depts);
    free(m->file);
    free(m->report);
    free(m->template_name);
    free(m);
}
