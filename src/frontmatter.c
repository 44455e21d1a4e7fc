#include "frontmatter.h"
#include "buf.h"
#include "xalloc.h"
#include "yamlnode.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_fence(const char *line, size_t n, const char *mark)
{
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
        n--;
    return n == 3 && memcmp(line, mark, 3) == 0;
}

size_t frontmatter_span(const char *text, size_t len, size_t *yaml_start, size_t *yaml_len,
                        bool *bad)
{
    *bad = false;
    *yaml_start = *yaml_len = 0;
    const char *nl = memchr(text, '\n', len);
    if (!nl || !is_fence(text, (size_t)(nl - text), "---"))
        return 0;
    for (size_t pos = (size_t)(nl - text) + 1; pos < len;) {
        const char *end = memchr(text + pos, '\n', len - pos);
        size_t n = end ? (size_t)(end - text) - pos : len - pos;
        if (is_fence(text + pos, n, "---") || is_fence(text + pos, n, "...")) {
            *yaml_start = (size_t)(nl - text) + 1;
            *yaml_len = pos - *yaml_start;
            return end ? (size_t)(end - text) + 1 : len;
        }
        pos += n + 1;
    }
    *bad = true;
    return 0;
}

bool date_parse(const char *s, struct date *out)
{
    int y, m, d, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && s[n] == '\0') {
    } else if (sscanf(s, "%4d年%2d月%2d日%n", &y, &m, &d, &n) == 3 && s[n] == '\0') {
    } else {
        return false;
    }
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return false;
    out->year = y, out->month = m, out->day = d;
    return true;
}

void date_format_cn(const struct date *dt, char *buf, size_t size)
{
    snprintf(buf, size, "%d年%d月%d日", dt->year, dt->month, dt->day);
}

/* A scalar, or a sequence of scalars joined with sep. */
static char *text_value(struct ydoc *y, yaml_node_t *v, const char *sep, const char *key,
                        struct diag *d)
{
    if (yscalar(v))
        return xstrdup(yscalar(v));
    if (v && v->type == YAML_SEQUENCE_NODE) {
        struct buf b = {0};
        for (int i = 0; i < yseq_len(v); i++) {
            const char *s = yscalar(yseq_item(y, v, i));
            if (!s) {
                diag_add(d, DIAG_ERROR, y->file, yline(y, v), ycol(v),
                         "front matter '%s': list items must be text", key);
                buf_free(&b);
                return NULL;
            }
            if (i)
                buf_puts(&b, sep);
            buf_puts(&b, s);
        }
        return buf_detach(&b);
    }
    diag_add(d, DIAG_ERROR, y->file, yline(y, v), ycol(v),
             "front matter '%s' must be text or a list of text", key);
    return NULL;
}

static char **list_value(struct ydoc *y, yaml_node_t *v, const char *key, struct diag *d)
{
    int n = yscalar(v) ? 1 : yseq_len(v);
    char **out = xcalloc((size_t)n + 1, sizeof *out);
    if (yscalar(v)) {
        out[0] = xstrdup(yscalar(v));
        return out;
    }
    for (int i = 0; i < n; i++) {
        const char *s = yscalar(yseq_item(y, v, i));
        if (!s) {
            diag_add(d, DIAG_ERROR, y->file, yline(y, v), ycol(v),
                     "front matter '%s': list items must be text", key);
            break;
        }
        out[i] = xstrdup(s);
    }
    return out;
}

static void set_date(struct ydoc *y, yaml_node_t *v, struct date *out, const char *key,
                     struct diag *d)
{
    const char *s = yscalar(v);
    if (!s || !date_parse(s, out))
        diag_add(d, DIAG_ERROR, y->file, yline(y, v), ycol(v),
                 "front matter '%s': expected a date like 2025-01-13 or 2025年1月13日, got '%s'",
                 key, s ? s : "(not text)");
}

/* indicators: {gdp-growth: {label: 地区生产总值增速, unit: "%", better: up}} */
static void parse_indicators(struct meta *m, struct ydoc *y, yaml_node_t *v, struct diag *d)
{
    if (v->type != YAML_MAPPING_NODE) {
        diag_add(d, DIAG_ERROR, y->file, yline(y, v), ycol(v),
                 "front matter 'indicators' must be a map of indicator ids");
        return;
    }
    yaml_node_t *k, *spec;
    for (int i = 0; ymap_pair(y, v, i, &k, &spec); i++) {
        if (!yscalar(k) || !spec || spec->type != YAML_MAPPING_NODE) {
            diag_add(d, DIAG_ERROR, y->file, yline(y, k), ycol(k),
                     "front matter 'indicators': each id needs {label, unit, better}");
            continue;
        }
        struct meta_indicator mi = {.id = xstrdup(yscalar(k))};
        yaml_node_t *fk, *fv;
        for (int j = 0; ymap_pair(y, spec, j, &fk, &fv); j++) {
            const char *f = yscalar(fk), *val = yscalar(fv);
            if (f && val && !strcmp(f, "label"))
                mi.label = xstrdup(val);
            else if (f && val && !strcmp(f, "unit"))
                mi.unit = xstrdup(val);
            else if (f && val && !strcmp(f, "better") && (!strcmp(val, "up") || !strcmp(val, "down")))
                mi.better = !strcmp(val, "up") ? 1 : -1;
            else
                diag_add(d, DIAG_ERROR, y->file, yline(y, fk), ycol(fk),
                         "front matter indicator '%s': unknown or bad key '%s' (label, unit, better: up|down)",
                         mi.id, f ? f : "?");
        }
        m->indicators = xreallocarray(m->indicators, (size_t)m->nindicators + 1, sizeof *m->indicators);
        m->indicators[m->nindicators++] = mi;
    }
}

struct text_key {
    const char *name;
    size_t offset;
    const char *sep;
};

#define TK(name, field, sep) {name, offsetof(struct meta, field), sep}
static const struct text_key TEXT_KEYS[] = {
    TK("title", title, ""),         TK("subtitle", subtitle, ""),
    TK("issuer", issuer, "、"),     TK("doc_number", doc_number, ""),
    TK("issue", issue, ""),         TK("author", author, "、"),
    TK("template", template_name, ""), TK("classification", classification, ""),
    TK("urgency", urgency, ""),     TK("recipients", recipients, "，"),
    TK("printer", printer, ""),     TK("copies", copies, ""),
    TK("note", note, ""),           TK("lang", lang, ""),
    TK("keywords", keywords, "、"), TK("source", source, "；"),
    TK("bao", bao, "，"),           TK("song", song, "，"),
    TK("fa", fa, "，"),            TK("annotation", annotation, ""),
};

static void parse_key(struct meta *m, struct ydoc *y, const char *key, yaml_node_t *v,
                      yaml_node_t *k, struct diag *d)
{
    for (size_t i = 0; i < sizeof TEXT_KEYS / sizeof *TEXT_KEYS; i++) {
        if (strcmp(key, TEXT_KEYS[i].name) == 0) {
            char **field = (char **)((char *)m + TEXT_KEYS[i].offset);
            free(*field);
            *field = text_value(y, v, TEXT_KEYS[i].sep, key, d);
            if (strcmp(key, "template") == 0)
                m->template_line = yline(y, v);
            return;
        }
    }
    if (strcmp(key, "date") == 0)
        set_date(y, v, &m->date, key, d);
    else if (strcmp(key, "print_date") == 0)
        set_date(y, v, &m->print_date, key, d);
    else if (strcmp(key, "cc") == 0)
        m->cc = list_value(y, v, key, d);
    else if (strcmp(key, "overview") == 0) {
        m->overview = list_value(y, v, key, d);
        m->overview_line = yline(y, v);
    }
    else if (strcmp(key, "duplex") == 0) {
        const char *s = yscalar(v);
        if (s && (!strcmp(s, "true") || !strcmp(s, "yes")))
            m->duplex = 1;
        else if (s && (!strcmp(s, "false") || !strcmp(s, "no")))
            m->duplex = 0;
        else
            diag_add(d, DIAG_ERROR, y->file, yline(y, v), ycol(v),
                     "front matter 'duplex' must be true or false");
    } else if (strcmp(key, "indicators") == 0) {
        parse_indicators(m, y, v, d);
    } else {
        diag_add(d, DIAG_WARNING, y->file, yline(y, k), ycol(k),
                 "unknown front matter key '%s' (ignored)", key);
    }
}

bool frontmatter_parse(struct meta *m, const char *yaml, size_t len, const char *file,
                       struct diag *d)
{
    memset(m, 0, sizeof *m);
    m->duplex = -1;
    struct ydoc y;
    if (!ydoc_load(&y, yaml, len, file, 1, d))
        return false;
    int errors = d->errors;
    yaml_node_t *root = ydoc_root(&y);
    if (root && root->type != YAML_MAPPING_NODE) {
        diag_add(d, DIAG_ERROR, file, yline(&y, root), ycol(root),
                 "front matter must be a map of 'key: value' lines");
    }
    yaml_node_t *k, *v;
    for (int i = 0; ymap_pair(&y, root, i, &k, &v); i++) {
        const char *key = yscalar(k);
        if (key)
            parse_key(m, &y, key, v, k, d);
    }
    ydoc_free(&y);
    return d->errors == errors;
}

void meta_free(struct meta *m)
{
    for (size_t i = 0; i < sizeof TEXT_KEYS / sizeof *TEXT_KEYS; i++)
        free(*(char **)((char *)m + TEXT_KEYS[i].offset));
    char **lists[] = {m->cc, m->overview};
    for (int k = 0; k < 2; k++) {
        for (char **p = lists[k]; p && *p; p++)
            free(*p);
        free(lists[k]);
    }
    for (int i = 0; i < m->nindicators; i++) {
        free(m->indicators[i].id);
        free(m->indicators[i].label);
        free(m->indicators[i].unit);
    }
    free(m->indicators);
    memset(m, 0, sizeof *m);
}

int meta_briefing_tail(const struct meta *m, int kinds[3], char *texts[3])
{
    char *cc = NULL;
    if (m->cc && m->cc[0]) {
        size_t len = 1;
        for (char **p = m->cc; *p; p++)
            len += strlen(*p) + 3;
        cc = xcalloc(len, 1);
        for (char **p = m->cc; *p; p++) {
            if (p != m->cc)
                strcat(cc, "，");
            strcat(cc, *p);
        }
    }
    const char *bao = m->bao, *song = m->song ? m->song : cc, *fa = m->fa ? m->fa : m->recipients;
    const char *const text[3] = {bao, song, fa};
    int n = 0;
    for (int i = 0; i < 3; i++)
        if (text[i] && *text[i]) {
            kinds[n] = i;
            texts[n++] = xstrdup(text[i]);
        }
    free(cc);
    return n;
}
