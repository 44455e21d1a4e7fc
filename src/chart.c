#define _DEFAULT_SOURCE
/* Chart parsing and drawing. Text widths are estimated from character
 * classes (CJK 1 em, digits 0.56 em, other Latin 0.6 em) rather than
 * measured, so that the PDF and the SVG charts have identical geometry;
 * the estimate errs wide, so labels placed by it never overlap. */
#include "chart.h"
#include "buf.h"
#include "utf8.h"
#include "wordbreak.h"
#include "xalloc.h"
#include "yamlnode.h"
#include <glib.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const TYPE_NAMES[] = {"bar", "column", "line", "pie", "donut", "progress", "kpi", "compare"};

const char *chart_type_name(enum chart_type t) { return TYPE_NAMES[t]; }

/* ---- model ----------------------------------------------------------- */

static void row_free(struct chart_row *r)
{
    free(r->label);
    free(r->note);
    for (int s = 0; s < CHART_MAX_SERIES; s++)
        free(r->text[s]);
}

void chart_free(struct chart *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->nrows; i++)
        row_free(&c->rows[i]);
    free(c->rows);
    for (int s = 0; s < c->nseries; s++)
        free(c->series[s]);
    free(c->title);
    free(c->unit);
    free(c->source);
    free(c);
}

static struct chart_row *add_row(struct chart *c, const char *label)
{
    c->rows = xreallocarray(c->rows, (size_t)c->nrows + 1, sizeof *c->rows);
    struct chart_row *r = &c->rows[c->nrows++];
    memset(r, 0, sizeof *r);
    r->label = xstrdup(label ? label : "");
    return r;
}

/* ---- parsing --------------------------------------------------------- */

struct parser {
    struct chart *c;
    struct ydoc *y;
    const struct indicators *set;
    struct diag *d;
    char *periods[2];
    int nperiods;
    int sort;
    int series_given;    /* names in series: */
    bool warned_series;
    bool unit_given;
    double unit_scale;   /* magnitude of the chart unit (1e8 for 亿元) */
    char *base_unit;     /* unit without magnitude, to check references against */
};

static void perr(struct parser *p, yaml_node_t *n, const char *fmt, const char *a, const char *b)
{
    char *msg = xasprintf(fmt, a, b);
    diag_add(p->d, DIAG_ERROR, p->y->file, yline(p->y, n), ycol(n), "chart: %s", msg);
    free(msg);
}

static void pwarn(struct parser *p, yaml_node_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void pwarn(struct parser *p, yaml_node_t *n, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_add(p->d, DIAG_WARNING, p->y->file, yline(p->y, n), ycol(n), "chart: %s", msg);
}

static double magnitude_scale(const char *m)
{
    return !strcmp(m, "万亿") ? 1e12 : !strcmp(m, "亿") ? 1e8 : !strcmp(m, "万") ? 1e4
           : !strcmp(m, "千") ? 1e3 : !strcmp(m, "百") ? 1e2 : 1;
}

/* Sets the chart unit from "亿元"-like text: magnitude and base unit. */
static void set_unit(struct parser *p, const char *label)
{
    free(p->c->unit);
    p->c->unit = xstrdup(label);
    struct ivalue v;
    const char *why;
    char *probe = xasprintf("1%s", label);
    free(p->base_unit);
    if (ivalue_parse(probe, &v, &why)) {
        p->unit_scale = magnitude_scale(v.magnitude);
        p->base_unit = xstrdup(v.unit);
        ivalue_free(&v);
    } else {
        p->unit_scale = 1;
        p->base_unit = xstrdup(label);
    }
    free(probe);
}

static const struct indicator *resolve(struct parser *p, yaml_node_t *n, const char *id,
                                       const char *period)
{
    const struct indicator *ind = indicators_find(p->set, id, period);
    if (!ind) {
        if (indicators_find(p->set, id, NULL))
            perr(p, n, "indicator '%s' has no value for period '%s'", id, period ? period : "");
        else if (indicators_nearest_id(p->set, id))
            perr(p, n, "unknown indicator '%s': did you mean '%s'?", id, indicators_nearest_id(p->set, id));
        else
            perr(p, n, "unknown indicator '%s'%s (annotate it in the text as [value](kpi:ID@PERIOD))",
                 id, "");
    }
    return ind;
}

/* The indicator's value in the chart unit; false (with an error) when the
 * units cannot share one axis. */
static bool value_in_unit(struct parser *p, yaml_node_t *n, const struct indicator *ind, double *out)
{
    if (!p->base_unit) {
        char *label = ivalue_unit_label(&ind->v);
        set_unit(p, label);
        free(label);
    }
    if (strcmp(ind->v.unit, p->base_unit) != 0) {
        char *have = ivalue_unit_label(&ind->v);
        perr(p, n, "mixed units: '%s' cannot share an axis with '%s'", have, p->c->unit);
        free(have);
        return false;
    }
    *out = ind->v.value / p->unit_scale;
    return true;
}

static bool number_of(struct parser *p, yaml_node_t *n, double *out, char **text)
{
    const char *s = yscalar(n);
    char *end = NULL;
    double v = s ? strtod(s, &end) : 0;
    if (s && end != s && !*end && isfinite(v)) {
        *out = v;
        *text = NULL;
        return true;
    }
    struct ivalue iv;
    const char *why;
    if (s && ivalue_parse(s, &iv, &why)) {
        *out = iv.value / (p->unit_scale ? p->unit_scale : 1);
        *text = xstrdup(s);
        ivalue_free(&iv);
        return true;
    }
    perr(p, n, "expected a number, got '%s'%s", s ? s : "(not a number)", "");
    return false;
}

/* Data a chart cannot show as given: drawn, with a warning on its line. */
static void check_row(struct parser *p, yaml_node_t *n, const struct chart_row *r, int nvalues)
{
    enum chart_type t = p->c->type;
    if ((t == CHART_PIE || t == CHART_DONUT) && r->has[0] && r->value[0] < 0)
        pwarn(p, n, "slice '%s' is negative (%g): a pie shows parts of a whole, so the slice is left "
                    "out (a bar or column chart shows negative values)", r->label, r->value[0]);
    if (t != CHART_PROGRESS && t != CHART_PIE && t != CHART_DONUT && nvalues > 1 &&
        nvalues > p->series_given && !p->warned_series) {
        pwarn(p, n, "row '%s' has %d values but %d series name%s (name each in series: [2024, 2025目标]); "
                    "the others are drawn unnamed", r->label, nvalues, p->series_given,
              p->series_given == 1 ? "" : "s");
        p->warned_series = true;
    }
}

static void check_data(struct parser *p, yaml_node_t *data)
{
    const struct chart *c = p->c;
    double total = 0, biggest = 0;
    for (int i = 0; i < c->nrows; i++)
        for (int s = 0; s < CHART_MAX_SERIES; s++)
            if (c->rows[i].has[s]) {
                biggest = fmax(biggest, fabs(c->rows[i].value[s]));
                if (s == 0 && c->rows[i].value[0] > 0)
                    total += c->rows[i].value[0];
            }
    if (c->type == CHART_PIE || c->type == CHART_DONUT) {
        if (total <= 0)
            pwarn(p, data, "every slice is zero or negative: the pie is drawn empty");
        else if (c->unit && !strcmp(c->unit, "%") && fabs(total - 100) > 0.5)
            pwarn(p, data, "the shares add up to %g%%, not 100%%: each slice is drawn as its part of %g%%",
                  total, total);
    } else if (c->type == CHART_PROGRESS) {
        for (int i = 0; i < c->nrows; i++)
            if (c->rows[i].has[1] && c->rows[i].value[1] <= 0)
                pwarn(p, data, "'%s' has a target of 0: no share of it can be shown", c->rows[i].label);
    } else if (c->type != CHART_KPI && c->nrows > 0 && biggest == 0) {
        pwarn(p, data, "every value is zero: the chart has nothing to compare");
    }
}

/* [label, v1, v2 …] */
static void literal_row(struct parser *p, yaml_node_t *n)
{
    int len = yseq_len(n);
    const char *label = yscalar(yseq_item(p->y, n, 0));
    if (len < 2 || !label) {
        perr(p, n, "a literal row is [label, value] or [label, value1, value2]%s%s", "", "");
        return;
    }
    if (len - 1 > CHART_MAX_SERIES) {
        perr(p, n, "at most %s values per row%s", "6", "");
        return;
    }
    struct chart_row *r = add_row(p->c, label);
    for (int s = 0; s < len - 1; s++)
        r->has[s] = number_of(p, yseq_item(p->y, n, s + 1), &r->value[s], &r->text[s]);
    check_row(p, n, r, len - 1);
    if (len - 1 > p->c->nseries && p->c->type != CHART_PROGRESS)
        for (int s = p->c->nseries; s < len - 1; s++)
            p->c->series[p->c->nseries++] = xstrdup("");
}

static char *card_note(const struct indicators *set, const struct indicator *ind, struct chart_row *r);
static int decimals_of(const struct chart *c);

/* "id@period": one value */
static void ref_row(struct parser *p, yaml_node_t *n, const char *ref)
{
    const char *at = strchr(ref, '@');
    char *id = at ? xstrndup(ref, (size_t)(at - ref)) : xstrdup(ref);
    const struct indicator *ind = resolve(p, n, id, at ? at + 1 : NULL);
    if (ind) {
        struct chart_row *r = add_row(p->c, ind->label);
        r->text[0] = xstrdup(ind->v.text);
        if (p->c->type == CHART_KPI) {
            r->value[0] = ind->v.value;
            r->has[0] = true;
            r->note = card_note(p->set, ind, r);
        } else {
            r->has[0] = value_in_unit(p, n, ind, &r->value[0]);
            check_row(p, n, r, 1);
        }
    }
    free(id);
}

/* "id" with two periods: compare and progress */
static void pair_row(struct parser *p, yaml_node_t *n, const char *id)
{
    if (p->nperiods < 2) {
        /* the first two periods the id appears with, in reading order */
        for (int i = 0; i < p->set->n && p->nperiods < 2; i++)
            if (!strcmp(p->set->items[i].id, id) &&
                (!p->nperiods || strcmp(p->periods[0], p->set->items[i].period)))
                p->periods[p->nperiods++] = xstrdup(p->set->items[i].period);
        if (p->nperiods < 2) {
            perr(p, n, "indicator '%s' needs values for two periods (set periods: [2024, 2025目标])",
                 id, "");
            return;
        }
    }
    const struct indicator *a = resolve(p, n, id, p->periods[0]);
    const struct indicator *b = a ? resolve(p, n, id, p->periods[1]) : NULL;
    if (!a || !b)
        return;
    struct chart_row *r = add_row(p->c, a->label);
    r->has[0] = value_in_unit(p, n, a, &r->value[0]);
    r->has[1] = value_in_unit(p, n, b, &r->value[1]);
    r->text[0] = xstrdup(a->v.text);
    r->text[1] = xstrdup(b->v.text);
}

static void parse_data(struct parser *p, yaml_node_t *data)
{
    if (!data || data->type != YAML_SEQUENCE_NODE || yseq_len(data) == 0) {
        perr(p, data, "'data' must be a non-empty list of indicator references or rows%s%s", "", "");
        return;
    }
    enum chart_type t = p->c->type;
    bool pairs = t == CHART_COMPARE || (t == CHART_PROGRESS && yscalar(yseq_item(p->y, data, 0)));
    for (int i = 0; i < yseq_len(data); i++) {
        yaml_node_t *item = yseq_item(p->y, data, i);
        const char *ref = yscalar(item);
        if (item->type == YAML_SEQUENCE_NODE)
            literal_row(p, item);
        else if (ref && pairs && !strchr(ref, '@'))
            pair_row(p, item, ref);
        else if (ref && !pairs)
            ref_row(p, item, ref);
        else
            perr(p, item, "a %s chart takes indicator ids without @period, got '%s'",
                 TYPE_NAMES[t], ref ? ref : "?");
    }
    if (pairs && p->nperiods == 2 && p->c->nseries < 2) {
        for (int s = 0; s < p->c->nseries; s++)
            free(p->c->series[s]);
        p->c->series[0] = xstrdup(p->periods[0]);
        p->c->series[1] = xstrdup(p->periods[1]);
        p->c->nseries = 2;
    }
}

static void parse_colors(struct parser *p, yaml_node_t *n)
{
    for (int i = 0; i < yseq_len(n) && i < 8; i++) {
        const char *s = yscalar(yseq_item(p->y, n, i));
        unsigned v;
        int len = 0;
        if (!s || s[0] != '#' || sscanf(s + 1, "%6x%n", &v, &len) != 1 || len != 6) {
            perr(p, n, "colors must be like \"#C00000\", got '%s'%s", s ? s : "?", "");
            return;
        }
        p->c->colors[p->c->ncolors++] = (struct rgb){((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0,
                                                     (v & 255) / 255.0};
    }
}

static int cmp_desc(const void *a, const void *b)
{
    double x = ((const struct chart_row *)a)->value[0], y = ((const struct chart_row *)b)->value[0];
    return (x < y) - (x > y);
}

static const char *const KEYS[] = {"type", "title", "unit", "data", "series", "periods", "source",
                                   "height", "colors", "sort", NULL};

static bool check_keys(struct parser *p, yaml_node_t *root)
{
    yaml_node_t *k, *v;
    bool ok = true;
    for (int i = 0; ymap_pair(p->y, root, i, &k, &v); i++) {
        const char *key = yscalar(k);
        bool known = false;
        for (const char *const *q = KEYS; *q && key; q++)
            known |= !strcmp(*q, key);
        if (!known) {
            perr(p, k, "unknown key '%s' (type, title, unit, data, series, periods, source, "
                       "height, colors, sort)%s", key ? key : "?", "");
            ok = false;
        }
    }
    return ok;
}

static bool parse_type(struct parser *p, yaml_node_t *root)
{
    yaml_node_t *t = ymap_get(p->y, root, "type");
    const char *s = yscalar(t);
    if (!t) {
        perr(p, root, "the chart has no type: add a line such as 'type: column' (bar, column, line, pie, "
                      "donut, progress, kpi, compare)%s%s", "", "");
        return false;
    }
    for (int i = 0; s && i < 8; i++)
        if (!strcmp(s, TYPE_NAMES[i])) {
            p->c->type = (enum chart_type)i;
            return true;
        }
    const char *near = NULL;
    for (int i = 0; s && i < 8 && !near; i++)
        if (utf8_edit_distance(s, TYPE_NAMES[i]) <= 2)
            near = TYPE_NAMES[i];
    if (near)
        perr(p, t, "unknown chart type '%s': did you mean '%s'?", s, near);
    else
        perr(p, t, "unknown chart type '%s' (bar, column, line, pie, donut, progress, kpi, compare)%s",
             s ? s : "?", "");
    return false;
}

static void parse_list(struct parser *p, yaml_node_t *n, char **out, int max, int *count)
{
    for (int i = 0; i < yseq_len(n) && i < max; i++) {
        const char *s = yscalar(yseq_item(p->y, n, i));
        out[(*count)++] = xstrdup(s ? s : "");
    }
}

static void parse_options(struct parser *p, yaml_node_t *root)
{
    struct chart *c = p->c;
    const char *s;
    if ((s = yscalar(ymap_get(p->y, root, "title"))))
        c->title = xstrdup(s);
    if ((s = yscalar(ymap_get(p->y, root, "source"))))
        c->source = xstrdup(s);
    if ((s = yscalar(ymap_get(p->y, root, "unit")))) {
        set_unit(p, s);
        p->unit_given = true;
    }
    yaml_node_t *n;
    if ((n = ymap_get(p->y, root, "series")))
        parse_list(p, n, c->series, CHART_MAX_SERIES, &c->nseries);
    if ((n = ymap_get(p->y, root, "periods")))
        parse_list(p, n, p->periods, 2, &p->nperiods);
    if ((n = ymap_get(p->y, root, "colors")))
        parse_colors(p, n);
    if ((n = ymap_get(p->y, root, "height"))) {
        s = yscalar(n);
        char *end = NULL;
        double v = s ? strtod(s, &end) : 0;
        if (!s || end == s || v <= 0 || v > 1000 || (*end && strcmp(end, "mm") && strcmp(end, "pt")))
            perr(p, n, "height must be like 60mm or 170pt, got '%s'%s", s ? s : "?", "");
        else
            c->height = !strcmp(end, "mm") ? v * 2.834645669 : v;
    }
    if ((s = yscalar(ymap_get(p->y, root, "sort")))) {
        if (!strcmp(s, "desc") || !strcmp(s, "asc"))
            p->sort = !strcmp(s, "desc") ? -1 : 1;
        else
            perr(p, ymap_get(p->y, root, "sort"), "sort must be asc or desc, got '%s'%s", s, "");
    }
}

struct chart *chart_parse(const char *yaml, const char *file, int line_offset,
                          const struct indicators *set, struct diag *d)
{
    struct ydoc y;
    if (!ydoc_load(&y, yaml, strlen(yaml), file, line_offset, d))
        return NULL;
    int errors = d->errors;
    struct chart *c = xcalloc(1, sizeof *c);
    c->line = line_offset;
    struct parser p = {.c = c, .y = &y, .set = set, .d = d, .unit_scale = 1};
    yaml_node_t *root = ydoc_root(&y);
    if (!root || root->type != YAML_MAPPING_NODE) {
        diag_add(d, DIAG_ERROR, file, line_offset + 1, 1,
                 "chart: the block must be YAML keys such as type, title and data");
    } else if (check_keys(&p, root) && parse_type(&p, root)) {
        parse_options(&p, root);
        p.series_given = c->nseries;
        parse_data(&p, ymap_get(&y, root, "data"));
        if (d->errors == errors)
            check_data(&p, ymap_get(&y, root, "data"));
    }
    if (c->nseries == 0)
        c->series[c->nseries++] = xstrdup("");
    if (!c->unit)
        c->unit = xstrdup("");
    if (p.sort && c->nrows > 1) {
        qsort(c->rows, (size_t)c->nrows, sizeof *c->rows, cmp_desc);
        if (p.sort > 0)
            for (int i = 0; i < c->nrows / 2; i++) {
                struct chart_row t = c->rows[i];
                c->rows[i] = c->rows[c->nrows - 1 - i];
                c->rows[c->nrows - 1 - i] = t;
            }
    }
    for (int i = 0; i < p.nperiods; i++)
        free(p.periods[i]);
    free(p.base_unit);
    ydoc_free(&y);
    if (d->errors > errors) {
        chart_free(c);
        return NULL;
    }
    c->decimals = decimals_of(c);
    return c;
}

const char *chart_document_source(struct chart *const *charts, int n, const char *meta_source)
{
    if (meta_source && *meta_source)
        return meta_source;
    const char *shared = NULL;
    for (int i = 0; i < n; i++) {
        const char *s = charts[i]->source;
        if (!s || !*s)
            continue;
        if (shared && strcmp(shared, s))
            return NULL;
        shared = s;
    }
    return shared;
}

void chart_fill_source(struct chart *const *charts, int n, const char *source)
{
    for (int i = 0; source && i < n; i++)
        if (charts[i] && (!charts[i]->source || !*charts[i]->source)) {
            free(charts[i]->source);
            charts[i]->source = xstrdup(source);
        }
}

/* ---- overview -------------------------------------------------------- */

/* The annotations of the ids in only, id by id (all when only is NULL):
 * shallow copies, so only the items array is the caller's to free. */
static struct indicators overview_view(const struct indicators *set, char *const *only)
{
    struct indicators view = {.items = xcalloc((size_t)set->n + 1, sizeof *view.items)};
    for (int k = 0; only ? only[k] != NULL : k == 0; k++) {
        bool again = false; /* an id named twice is shown once */
        for (int j = 0; j < k && !again; j++)
            again = !strcmp(only[j], only[k]);
        for (int i = 0; i < set->n && !again; i++)
            if (!only || !strcmp(set->items[i].id, only[k]))
                view.items[view.n++] = set->items[i];
    }
    indicators_index(&view);
    return view;
}

static void view_free(struct indicators *view)
{
    indicators_unindex(view);
    free(view->items);
}

/* A card's second line: its period, and the other period's value with
 * the change from the earlier to the later one when both are in one unit
 * ("2024 · 2025目标 5%左右，持平", "…，+0.5个百分点", "…，+4.2%"); the
 * change is kept as a kind and a number, worded when drawn (card_note_text)
 * with the template's labels. */
static char *card_note(const struct indicators *set, const struct indicator *ind, struct chart_row *r)
{
    const struct indicator *other = NULL;
    for (int j = 0; j < set->n && !other; j++)
        if (!strcmp(set->items[j].id, ind->id) && strcmp(set->items[j].period, ind->period))
            other = &set->items[j];
    if (!other)
        return xstrdup(ind->period);
    const struct indicator *early = strcmp(ind->period, other->period) < 0 ? ind : other;
    const struct indicator *late = early == ind ? other : ind;
    if (!strcmp(early->v.unit, late->v.unit) && isnan(early->v.high) && isnan(late->v.high)) {
        double d = late->v.value - early->v.value;
        if (fabs(d) <= 1e-9 * fmax(1, fabs(early->v.value)))
            r->change = CHANGE_UNCHANGED;
        else if (!strcmp(early->v.unit, "%"))
            r->change = CHANGE_POINTS, r->delta = d;
        else if (early->v.value > 0)
            r->change = CHANGE_PERCENT, r->delta = d / early->v.value * 100;
    }
    return xasprintf("%s · %s %s", ind->period, other->period, other->v.text);
}

/* Does one of the document's kpi charts show this indicator's card? */
static bool card_shown(const struct indicator *ind, struct chart *const *charts, int n)
{
    for (int k = 0; k < n; k++)
        for (int j = 0; charts[k]->type == CHART_KPI && j < charts[k]->nrows; j++)
            if (!strcmp(charts[k]->rows[j].label, ind->label) && charts[k]->rows[j].text[0] &&
                !strcmp(charts[k]->rows[j].text[0], ind->v.text))
                return true;
    return false;
}

/* One card per id, from its first annotation (a target-only id shows its
 * target). Ids listed in front matter `overview:` are all shown, in their
 * order; otherwise the first OVERVIEW_CARDS ids in reading order that no
 * kpi chart of the document shows already, and the title says so when
 * there are more. */
static struct chart *cards(const struct indicators *set, bool listed, struct chart *const *shown, int nshown,
                           const struct style *st)
{
    struct chart *c = xcalloc(1, sizeof *c);
    c->type = CHART_KPI;
    c->unit = xstrdup("");
    c->series[c->nseries++] = xstrdup("");
    int ids = 0;
    for (int i = 0; i < set->n; i++) {
        const struct indicator *ind = &set->items[i];
        if (indicators_find(set, ind->id, NULL) != ind || (!listed && card_shown(ind, shown, nshown)))
            continue;
        ids++;
        if (!listed && c->nrows == OVERVIEW_CARDS)
            continue;
        struct chart_row *r = add_row(c, ind->label);
        r->value[0] = ind->v.value;
        r->has[0] = true;
        r->text[0] = xstrdup(ind->v.text);
        r->note = card_note(set, ind, r);
    }
    const char *title = style_label(st, LABEL_OVERVIEW_TITLE);
    if (ids > c->nrows) {
        char shown_n[16], total[16];
        snprintf(shown_n, sizeof shown_n, "%d", c->nrows);
        snprintf(total, sizeof total, "%d", ids);
        char *part = style_fill(style_label(st, LABEL_OVERVIEW_PART), "shown", shown_n, "total", total, NULL);
        c->title = xasprintf("%s%s", title, part);
        free(part);
    } else {
        c->title = xstrdup(title);
    }
    c->decimals = decimals_of(c);
    return c;
}

struct chart *chart_overview_cards(const struct indicators *all, char *const *only, struct chart *const *shown,
                                   int nshown, const struct style *st)
{
    if (!all)
        return NULL;
    struct indicators view = overview_view(all, only);
    struct chart *c = view.n ? cards(&view, only != NULL, shown, nshown, st) : NULL;
    if (c && c->nrows == 0) {
        chart_free(c);
        c = NULL;
    }
    view_free(&view);
    return c;
}

/* The ids with a first annotation in another period than a's, in a's
 * unit, that have one in a's period too: the rows of a comparison of a's
 * period with another. */
static int partners(const struct indicators *set, const struct indicator *a)
{
    int count = 0;
    for (int j = 0; j < set->n; j++) {
        const struct indicator *b = &set->items[j];
        if (indicators_find(set, b->id, b->period) == b && strcmp(b->period, a->period) &&
            !strcmp(b->v.unit, a->v.unit) && !strcmp(b->v.magnitude, a->v.magnitude) &&
            indicators_find(set, b->id, a->period))
            count++;
    }
    return count;
}

/* For each item, the next one with its id, or -1. */
static int *next_of_id(const struct indicators *set)
{
    int *next = xcalloc((size_t)set->n + 1, sizeof *next);
    GHashTable *last = g_hash_table_new(g_str_hash, g_str_equal);
    for (int i = set->n - 1; i >= 0; i--) {
        gpointer j;
        next[i] = g_hash_table_lookup_extended(last, set->items[i].id, NULL, &j) ? GPOINTER_TO_INT(j) : -1;
        g_hash_table_insert(last, set->items[i].id, GINT_TO_POINTER(i));
    }
    g_hash_table_destroy(last);
    return next;
}

/* Indicators with two periods, grouped by unit: the largest group that
 * shares one axis becomes a comparison chart. The count depends only on
 * an item's period, unit and magnitude, so it is made once for each: a
 * report of 10,000 annotations in one unit was 10^12 steps. */
static struct chart *compare(const struct indicators *set, const struct style *st)
{
    const char *best_unit = NULL;
    int best = 0;
    GHashTable *counted = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (int i = 0; i < set->n; i++) {
        const struct indicator *a = &set->items[i];
        char *key = g_strdup_printf("%s\x1f%s\x1f%s", a->period, a->v.unit, a->v.magnitude);
        gpointer known;
        int count;
        if (g_hash_table_lookup_extended(counted, key, NULL, &known)) {
            count = GPOINTER_TO_INT(known);
            g_free(key);
        } else {
            count = partners(set, a);
            g_hash_table_insert(counted, key, GINT_TO_POINTER(count));
        }
        if (count > best)
            best = count, best_unit = a->v.unit;
    }
    g_hash_table_destroy(counted);
    if (best == 0)
        return NULL;
    struct chart *c = xcalloc(1, sizeof *c);
    c->type = CHART_COMPARE;
    c->unit = NULL;
    int *next = next_of_id(set);
    for (int i = 0; i < set->n && c->nrows < 10; i++) {
        const struct indicator *a = &set->items[i];
        if (strcmp(a->v.unit, best_unit) || indicators_find(set, a->id, NULL) != a)
            continue;
        const struct indicator *b = NULL;
        for (int j = next[i]; j >= 0 && !b; j = next[j])
            if (strcmp(set->items[j].period, a->period) && !strcmp(set->items[j].v.unit, a->v.unit) &&
                !strcmp(set->items[j].v.magnitude, a->v.magnitude))
                b = &set->items[j];
        if (!b)
            continue;
        if (!c->unit) {
            c->unit = ivalue_unit_label(&a->v);
            c->series[0] = xstrdup(a->period);
            c->series[1] = xstrdup(b->period);
            c->nseries = 2;
            c->title = style_fill(style_label(st, LABEL_COMPARE_TITLE), "a", a->period, "b", b->period, NULL);
        }
        if (strcmp(c->series[0], a->period) || strcmp(c->series[1], b->period))
            continue;
        struct chart_row *r = add_row(c, a->label);
        double scale = magnitude_scale(a->v.magnitude);
        r->value[0] = a->v.value / scale, r->value[1] = b->v.value / scale;
        r->has[0] = r->has[1] = true;
        r->text[0] = xstrdup(a->v.text);
        r->text[1] = xstrdup(b->v.text);
    }
    free(next);
    if (c->nrows == 0) {
        chart_free(c);
        return NULL;
    }
    c->decimals = decimals_of(c);
    return c;
}

struct chart *chart_overview_compare(const struct indicators *all, char *const *only, const struct style *st)
{
    if (!all)
        return NULL;
    struct indicators view = overview_view(all, only);
    struct chart *c = compare(&view, st);
    view_free(&view);
    return c;
}

/* ---- drawing --------------------------------------------------------- */

/* Every text box drawn so far. Labels that may be left out (values over
 * bars, thinned axis labels) are drawn only where they overlap none. */
struct box {
    double x0, y0, x1, y1;
};

struct placed {
    struct box *b;
    int n;
};

struct pen {
    const struct canvas *cv;
    const struct chart *c;
    const struct style *st; /* for its labels */
    double title, label, small; /* text sizes; small is the smallest, caption size - 2 */
    struct rgb text, muted;
    const struct rgb *colors;
    int ncolors;
    struct placed *placed;
};

static const struct rgb GRID = {0.85, 0.85, 0.85}, AXIS = {0.5, 0.5, 0.5}, MUTED = {0.35, 0.35, 0.35},
                        TRACK = {0.9, 0.9, 0.9};

static struct rgb tint(struct rgb c, double amount)
{
    return (struct rgb){c.r + (1 - c.r) * amount, c.g + (1 - c.g) * amount, c.b + (1 - c.b) * amount};
}

static struct rgb shade(struct rgb c, double amount)
{
    return (struct rgb){c.r * (1 - amount), c.g * (1 - amount), c.b * (1 - amount)};
}

/* Series i's colour. Past the palette, lighter and then darker versions
 * of it, so ten pie slices never share a colour. */
static struct rgb color_of(const struct pen *p, int i)
{
    struct rgb base = p->colors[i % p->ncolors];
    int round = i / p->ncolors;
    if (round == 0)
        return base;
    return round % 2 ? tint(base, 0.45) : shade(base, 0.35);
}

static double char_em(int32_t c)
{
    if (cjk_is_wide(c))
        return 1.0;
    if (c >= '0' && c <= '9')
        return 0.58;
    if (c == ' ' || c == '.' || c == ',' || c == ':')
        return 0.32;
    if (c == '%')
        return 0.92;
    if (c >= 'A' && c <= 'Z')
        return 0.72;
    return c < 0x80 ? 0.62 : 1.0;
}

static double est_width(const char *s, double size)
{
    double em = 0;
    for (size_t i = 0; s[i];) {
        int n;
        em += char_em(utf8_decode(s + i, strlen(s + i), &n));
        i += (size_t)n;
    }
    return em * size;
}

/* The longest prefix of s (in bytes) that fits width at size. */
static size_t fit_prefix(const char *s, double width, double size)
{
    double em = 0;
    size_t i = 0;
    while (s[i]) {
        int n;
        double w = char_em(utf8_decode(s + i, strlen(s + i), &n)) * size;
        if (em + w > width && i > 0)
            break;
        em += w;
        i += (size_t)n;
    }
    return i;
}

static struct box text_box(double x, double y, const char *s, double size, bool bold, enum anchor a)
{
    double w = est_width(s, size) * (bold ? 1.05 : 1);
    double x0 = a == ANCHOR_START ? x : a == ANCHOR_MIDDLE ? x - w / 2 : x - w;
    return (struct box){x0, y - size * 0.9, x0 + w, y + size * 0.2};
}

static bool hits_placed(const struct pen *p, struct box b)
{
    for (int i = 0; i < p->placed->n; i++) {
        const struct box *o = &p->placed->b[i];
        if (b.x0 < o->x1 - 0.3 && o->x0 < b.x1 - 0.3 && b.y0 < o->y1 - 0.3 && o->y0 < b.y1 - 0.3)
            return true;
    }
    return false;
}

static void put_text(const struct pen *p, double x, double y, const char *s, double size, bool bold,
                     enum anchor a, struct rgb color)
{
    struct placed *pl = p->placed;
    pl->b = xreallocarray(pl->b, (size_t)pl->n + 1, sizeof *pl->b);
    pl->b[pl->n++] = text_box(x, y, s, size, bold, a);
    p->cv->ops->text(p->cv->ctx, x, y, s, size, bold, a, color);
}

/* Draws an optional label only where it overlaps no other text. */
static bool try_text(const struct pen *p, double x, double y, const char *s, double size, bool bold,
                     enum anchor a, struct rgb color)
{
    if (hits_placed(p, text_box(x, y, s, size, bold, a)))
        return false;
    put_text(p, x, y, s, size, bold, a, color);
    return true;
}

/* The last word boundary at or before max where a line may end: never
 * inside a figure and its unit (300家, 5.1%); at a space or after "，" when
 * there is one (a card's "2025目标 5%左右，持平" breaks between its parts). */
static size_t break_before(const char *s, size_t max)
{
    int n;
    size_t *at = wordbreak_offsets(s, &n), best = 0, part = 0;
    for (int i = 0; i < n && at[i] <= max; i++) {
        char before = s[at[i] - 1], after = s[at[i]];
        if ((before >= '0' && before <= '9') || before == '.' || before == '%' || after == '%')
            continue;
        best = at[i];
        if (before == ' ' || after == ' ' || (at[i] >= 3 && !strncmp(s + at[i] - 3, "，", 3)))
            part = at[i];
    }
    free(at);
    return part ? part : best;
}

static int wrap_at(const char *s, double w, double size, int max, char **lines, bool words, bool *cut_short)
{
    int n = 0;
    *cut_short = false;
    while (*s && n < max) {
        if (est_width(s, size) <= w || n == max - 1) {
            *cut_short = est_width(s, size) > w;
            lines[n++] = *cut_short ? xasprintf("%.*s…", (int)fit_prefix(s, w - size, size), s) : xstrdup(s);
            break;
        }
        size_t cut = fit_prefix(s, w, size);
        size_t word = words ? break_before(s, cut) : 0;
        if (word > 0)
            cut = word;
        size_t keep = cut;
        while (keep > 0 && s[keep - 1] == ' ')
            keep--;
        lines[n++] = xstrndup(s, keep);
        s += cut;
        while (*s == ' ')
            s++;
    }
    return n;
}

/* s broken into lines no wider than w at size, at word boundaries (ICU),
 * inside a word only where one word alone is too wide. At most max lines;
 * when words leave text over, the lines are filled character by character
 * (Chinese may break between any two), and only then does the last line
 * end in "…". */
static int wrap_whole(const char *s, double w, double size, int max, char **lines, bool *cut_short)
{
    int n = wrap_at(s, w, size, max, lines, true, cut_short);
    if (!*cut_short)
        return n;
    for (int i = 0; i < n; i++)
        free(lines[i]);
    return wrap_at(s, w, size, max, lines, false, cut_short);
}

static int wrap_lines(const char *s, double w, double size, int max, char **lines)
{
    bool cut_short;
    return wrap_whole(s, w, size, max, lines, &cut_short);
}

/* Lines s needs at width w, or max + 1 if max lines cannot hold it whole. */
static int lines_needed(const char *s, double w, double size, int max)
{
    char *lines[8];
    bool cut_short;
    int n = wrap_whole(s, w, size, max, lines, &cut_short);
    for (int i = 0; i < n; i++)
        free(lines[i]);
    return cut_short ? max + 1 : n;
}

/* Lines wrap_lines() sets s in. */
static int count_lines(const char *s, double w, double size, int max)
{
    int n = lines_needed(s, w, size, max);
    return n > max ? max : n;
}

/* Draws s in at most max lines of width w from baseline y; returns the
 * number of lines. */
static int wrapped_text(const struct pen *p, double x, double y, const char *s, double w, double size,
                        int max, enum anchor a, struct rgb color)
{
    char *lines[8];
    int n = wrap_lines(s, w, size, max > 8 ? 8 : max, lines);
    for (int i = 0; i < n; i++) {
        put_text(p, x, y + size * 1.25 * i, lines[i], size, false, a, color);
        free(lines[i]);
    }
    return n;
}

static char *format_number(double v, int decimals)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v));
    char *dot = strchr(raw, '.');
    size_t int_len = dot ? (size_t)(dot - raw) : strlen(raw);
    struct buf b = {0};
    if (v < 0 && fabs(v) >= 0.5 * pow(10, -decimals))
        buf_putc(&b, '-');
    for (size_t i = 0; i < int_len; i++) {
        if (i && (int_len - i) % 3 == 0)
            buf_putc(&b, ',');
        buf_putc(&b, raw[i]);
    }
    if (dot)
        buf_puts(&b, dot);
    return buf_detach(&b);
}

static int decimals_of(const struct chart *c)
{
    int d = 0;
    for (int i = 0; i < c->nrows; i++)
        for (int s = 0; s < c->nseries; s++) {
            double v = fabs(c->rows[i].value[s]);
            int k = 0;
            while (k < 3 && fabs(v * pow(10, k) - round(v * pow(10, k))) > 1e-9)
                k++;
            if (k > d)
                d = k;
        }
    return d;
}

static bool unit_is_percent(const struct chart *c) { return c->unit && !strcmp(c->unit, "%"); }

/* A value as its label shows it: as written, or the number (with % for a
 * percent chart: other units are on the unit line). */
static char *value_label(const struct chart *c, const struct chart_row *r, int s)
{
    if (r->text[s])
        return xstrdup(r->text[s]);
    char *num = format_number(r->value[s], c->decimals); /* 12.0 beside 18.2, not 12 */
    char *out = xasprintf("%s%s", num, unit_is_percent(c) ? "%" : "");
    free(num);
    return out;
}

static double nice_step(double range, int target)
{
    double raw = range / target;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
}

struct scale {
    double lo, hi, step;
    bool cut; /* the axis does not start at zero (a line chart's tight range) */
};

static void data_range(const struct chart *c, double *lo, double *hi)
{
    *lo = INFINITY, *hi = -INFINITY;
    for (int i = 0; i < c->nrows; i++)
        for (int s = 0; s < c->nseries; s++)
            if (c->rows[i].has[s]) {
                *lo = fmin(*lo, c->rows[i].value[s]);
                *hi = fmax(*hi, c->rows[i].value[s]);
            }
    if (!isfinite(*lo))
        *lo = *hi = 0;
}

/* The value axis. Bars and columns always include zero (their length is
 * the value); a line whose values lie close together on one side of zero
 * gets a tight range, and says so (sc.cut). */
static struct scale range_scale(double lo, double hi, bool tight, int nrows)
{
    double span = hi - lo;
    bool cut = tight && nrows > 1 && span > 0 &&
               ((lo > 0 && span < lo * 0.5) || (hi < 0 && span < -hi * 0.5));
    if (cut) {
        lo -= span * 0.15;
        hi += span * 0.15;
    } else {
        lo = fmin(lo, 0);
        hi = fmax(hi, 0);
    }
    if (hi - lo < 1e-12)
        hi = lo + 1;
    struct scale sc = {0, 0, nice_step(hi - lo, 4), cut};
    sc.lo = floor(lo / sc.step + 1e-9) * sc.step;
    sc.hi = ceil(hi / sc.step - 1e-9) * sc.step;
    if (sc.hi <= sc.lo)
        sc.hi = sc.lo + sc.step;
    return sc;
}

static struct scale value_scale(const struct chart *c, bool tight)
{
    double lo, hi;
    data_range(c, &lo, &hi);
    return range_scale(lo, hi, tight, c->nrows);
}

static int step_decimals(double step)
{
    int d = 0;
    while (d < 4 && fabs(step * pow(10, d) - round(step * pow(10, d))) > 1e-9)
        d++;
    return d;
}

/* compare: rows whose values differ by more than 10 times get a scale of
 * their own (bars as a share of the row's larger value). */
static bool mixed_magnitudes(const struct chart *c)
{
    if (c->type != CHART_COMPARE || c->nrows < 2)
        return false;
    double small = INFINITY, big = 0;
    for (int i = 0; i < c->nrows; i++) {
        double m = 0;
        for (int s = 0; s < c->nseries; s++)
            if (c->rows[i].has[s])
                m = fmax(m, fabs(c->rows[i].value[s]));
        if (m > 0) {
            small = fmin(small, m);
            big = fmax(big, m);
        }
    }
    return big > 0 && big / small > 10;
}

static bool has_legend(const struct chart *c)
{
    return c->nseries > 1 && c->type != CHART_PROGRESS && c->type != CHART_KPI && c->type != CHART_PIE &&
           c->type != CHART_DONUT;
}

static bool has_unit_line(const struct chart *c)
{
    return has_legend(c) || (c->unit && *c->unit && c->type != CHART_KPI && c->type != CHART_PIE &&
                             c->type != CHART_DONUT && c->type != CHART_PROGRESS);
}

static double legend_width(const struct pen *p)
{
    double lw = 0;
    for (int s = 0; s < p->c->nseries; s++)
        lw += est_width(p->c->series[s], p->small) + p->small * 2.4;
    return lw;
}

/* The unit line: "单位：%" with notes on the axis, and the legend (on the
 * same line when both fit, else on the next). Returns its height. */
static double unit_line(const struct pen *p, double w, double y, const char *note, bool draw)
{
    const struct chart *c = p->c;
    char *unit = c->unit && *c->unit ? style_fill(style_label(p->st, LABEL_CHART_UNIT), "unit", c->unit, NULL)
                                     : xstrdup("");
    char *u = xasprintf("%s%s", unit, note ? note : "");
    free(unit);
    double uw = est_width(u, p->small), lw = has_legend(c) ? legend_width(p) : 0;
    bool two = *u && lw > 0 && uw + lw + p->small > w;
    if (draw && *u)
        wrapped_text(p, 0, y + p->small, u, w, p->small, 2, ANCHOR_START, p->muted);
    double uh = *u ? p->small * 1.25 * count_lines(u, w, p->small, 2) : 0;
    if (draw && lw > 0) {
        double x = w, ly = y + (two ? uh : 0);
        for (int s = c->nseries - 1; s >= 0; s--) {
            x -= est_width(c->series[s], p->small);
            put_text(p, x, ly + p->small, c->series[s], p->small, false, ANCHOR_START, p->text);
            x -= p->small * 1.2;
            p->cv->ops->rect(p->cv->ctx, x, ly + p->small * 0.1, p->small * 0.85, p->small * 0.85,
                             color_of(p, s));
            x -= p->small * 1.2;
        }
    }
    free(u);
    return (two ? uh + p->small * 1.25 : fmax(uh, lw > 0 ? p->small * 1.25 : 0)) + p->small * 0.55;
}

static const char *axis_note(const struct pen *p)
{
    if (mixed_magnitudes(p->c))
        return style_label(p->st, LABEL_CHART_ROWS_SCALED);
    if (p->c->type == CHART_LINE && value_scale(p->c, true).cut)
        return style_label(p->st, LABEL_CHART_NOT_FROM_ZERO);
    return NULL;
}

static double title_height(const struct pen *p, double w)
{
    const struct chart *c = p->c;
    return c->title && *c->title ? p->title * 1.25 * count_lines(c->title, w, p->title, 2) + p->title * 0.4 : 0;
}

static double source_height(const struct pen *p, double w)
{
    if (!p->c->source || !*p->c->source)
        return 0;
    char *s = style_fill(style_label(p->st, LABEL_CHART_SOURCE), "source", p->c->source, NULL);
    double hh = p->small * 1.25 * count_lines(s, w, p->small, 3) + p->small * 0.4;
    free(s);
    return hh;
}

/* Title, unit line and source around the plot; the plot's top and bottom
 * through *top and *bottom. */
static void frame(const struct pen *p, double w, double h, double *top, double *bottom)
{
    const struct chart *c = p->c;
    double y = 0;
    if (c->title && *c->title) {
        char *lines[2];
        int n = wrap_lines(c->title, w, p->title, 2, lines);
        for (int i = 0; i < n; i++) {
            put_text(p, w / 2, p->title + p->title * 1.25 * i, lines[i], p->title, true, ANCHOR_MIDDLE, p->text);
            free(lines[i]);
        }
        y = title_height(p, w);
    }
    if (has_unit_line(c))
        y += unit_line(p, w, y, axis_note(p), true);
    *top = y;
    *bottom = h;
    double sh = source_height(p, w);
    if (sh > 0) {
        char *s = style_fill(style_label(p->st, LABEL_CHART_SOURCE), "source", c->source, NULL);
        wrapped_text(p, 0, h - sh + p->small * 1.1, s, w, p->small, 3, ANCHOR_START, p->muted);
        free(s);
        *bottom = h - sh - p->small * 0.3;
    }
}

static double frame_height(const struct pen *p, double w)
{
    return title_height(p, w) + (has_unit_line(p->c) ? unit_line(p, w, 0, axis_note(p), false) : 0) +
           source_height(p, w) + p->small * 0.3;
}

static void draw_value_axis(const struct pen *p, struct scale sc, double x0, double x1, double y0,
                            double y1)
{
    int d = step_decimals(sc.step);
    for (double v = sc.lo; v <= sc.hi + sc.step * 1e-6; v += sc.step) {
        double y = y1 - (v - sc.lo) / (sc.hi - sc.lo) * (y1 - y0);
        p->cv->ops->line(p->cv->ctx, x0, y, x1, y, fabs(v) < 1e-12 ? 0.8 : 0.4, fabs(v) < 1e-12 ? AXIS : GRID);
        char *t = format_number(fabs(v) < sc.step * 1e-6 ? 0 : v, d);
        put_text(p, x0 - 4, y + p->small * 0.35, t, p->small, false, ANCHOR_END, p->muted);
        free(t);
    }
    if (sc.cut) { /* a break mark at the foot of the axis: it does not start at zero */
        double m = p->small * 0.3;
        p->cv->ops->line(p->cv->ctx, x0 - m, y1 + m * 0.6, x0 + m, y1 - m * 0.6, 0.8, AXIS);
        p->cv->ops->line(p->cv->ctx, x0 - m, y1 + m * 1.6, x0 + m, y1 + m * 0.4, 0.8, AXIS);
    }
}

static double axis_label_width(const struct pen *p, struct scale sc)
{
    int d = step_decimals(sc.step);
    double wmax = 0;
    for (double v = sc.lo; v <= sc.hi + sc.step * 1e-6; v += sc.step) {
        char *t = format_number(v, d);
        wmax = fmax(wmax, est_width(t, p->small));
        free(t);
    }
    return wmax + 6;
}

/* How the category labels under columns fit a slot: on as many lines as
 * the longest needs (broken between words, else between characters), up
 * to XLABEL_LINES, so that every column is named. Where that cannot hold
 * them, and for a sequence (years, dates: labels that start with a figure)
 * that needs more than two lines, every k-th label on one line: a reader
 * fills in 2021 between 2020 and 2022. */
#define XLABEL_LINES 4

struct xlabels {
    int lines, every;
};

static bool is_sequence(const struct chart *c)
{
    for (int i = 0; i < c->nrows; i++)
        if (c->rows[i].label[0] < '0' || c->rows[i].label[0] > '9')
            return false;
    return true;
}

static struct xlabels plan_xlabels(const struct pen *p, double slot)
{
    const struct chart *c = p->c;
    double widest = 0;
    int lines = 1;
    for (int i = 0; i < c->nrows; i++) {
        widest = fmax(widest, est_width(c->rows[i].label, p->label));
        int n = lines_needed(c->rows[i].label, slot - 4, p->label, XLABEL_LINES);
        lines = n > lines ? n : lines;
    }
    if (lines <= 2 || (lines <= XLABEL_LINES && !is_sequence(c)))
        return (struct xlabels){lines, 1};
    /* the first label may move right by up to half its width to stay in the plot */
    int every = (int)ceil((widest + p->label + fmax(0, widest / 2 - slot / 2)) / slot);
    return (struct xlabels){1, every < 1 ? 1 : every};
}

/* Vertical bars (column) or points joined by lines (line). */
static void draw_columns(const struct pen *p, double w, double h, bool as_line)
{
    const struct chart *c = p->c;
    double top, bottom;
    frame(p, w, h, &top, &bottom);
    struct scale sc = value_scale(c, as_line);
    double x0 = axis_label_width(p, sc), x1 = w;
    double slot = (x1 - x0) / c->nrows;
    struct xlabels xl = plan_xlabels(p, slot);
    double neg_room = sc.lo < 0 ? p->small * 1.4 : 0;
    double y0 = top + p->small * 1.5, y1 = bottom - p->label * (xl.lines * 1.25 + 0.4) - neg_room;
    if (y1 - y0 < p->label * 3)
        y1 = y0 + p->label * 3;
    draw_value_axis(p, sc, x0, x1, y0, y1);
    for (int i = 0; i < c->nrows; i += xl.every) {
        double ly = y1 + neg_room + p->label * 1.2;
        double room = xl.every > 1 ? slot * xl.every - p->label : slot - 4;
        char *lines[XLABEL_LINES];
        int n = xl.every > 1 ? (lines[0] = est_width(c->rows[i].label, p->label) <= room
                                               ? xstrdup(c->rows[i].label)
                                               : xasprintf("%.*s…", (int)fit_prefix(c->rows[i].label, room - p->label, p->label),
                                                           c->rows[i].label), 1)
                             : wrap_lines(c->rows[i].label, room, p->label, XLABEL_LINES, lines);
        for (int k = 0; k < n; k++) {
            /* centred under its slot, but never out past the plot's ends */
            double half = est_width(lines[k], p->label) / 2;
            double cx = fmin(fmax(x0 + slot * i + slot / 2, x0 + half), x1 - half);
            put_text(p, cx, ly + p->label * 1.25 * k, lines[k], p->label, false, ANCHOR_MIDDLE, p->text);
            free(lines[k]);
        }
    }
    double group = slot * 0.7, bw = group / c->nseries;
    double zero = y1 - (fmax(sc.lo, fmin(0, sc.hi)) - sc.lo) / (sc.hi - sc.lo) * (y1 - y0);
    double *pts = xcalloc((size_t)c->nrows * 2, sizeof *pts);
    for (int s = 0; s < c->nseries; s++) {
        int np = 0;
        for (int i = 0; i < c->nrows; i++) {
            const struct chart_row *r = &c->rows[i];
            if (!r->has[s])
                continue;
            double y = y1 - (r->value[s] - sc.lo) / (sc.hi - sc.lo) * (y1 - y0);
            double cx = x0 + slot * i + slot / 2, bx = cx - group / 2 + bw * s;
            if (!as_line)
                p->cv->ops->rect(p->cv->ctx, bx, fmin(y, zero), bw * 0.92, fabs(zero - y), color_of(p, s));
            pts[2 * np] = cx, pts[2 * np + 1] = y, np++;
        }
        if (as_line && np > 1)
            p->cv->ops->polyline(p->cv->ctx, pts, np, 1.6, color_of(p, s));
        for (int k = 0; as_line && k < np; k++)
            p->cv->ops->circle(p->cv->ctx, pts[2 * k], pts[2 * k + 1], 2.4, color_of(p, s));
    }
    /* value labels: every one that fits beside the others, the rest left to the axis */
    for (int s = 0; s < c->nseries; s++)
        for (int i = 0; i < c->nrows; i++) {
            const struct chart_row *r = &c->rows[i];
            if (!r->has[s])
                continue;
            double y = y1 - (r->value[s] - sc.lo) / (sc.hi - sc.lo) * (y1 - y0);
            double cx = x0 + slot * i + slot / 2;
            double vx = as_line ? cx : cx - group / 2 + bw * s + bw * 0.46;
            char *t = value_label(c, r, s);
            double ty = r->value[s] >= 0 || (as_line && sc.cut) ? y - 4 : y + p->small + 2;
            try_text(p, vx, ty, t, p->small, false, ANCHOR_MIDDLE, p->text);
            free(t);
        }
    free(pts);
}

/* The category labels left of horizontal bars: up to 30 % of the width,
 * in at most BAR_LABEL_LINES lines. */
#define BAR_LABEL_LINES 3

static double bar_label_width(const struct pen *p, double w)
{
    double widest = 0;
    for (int i = 0; i < p->c->nrows; i++)
        widest = fmax(widest, est_width(p->c->rows[i].label, p->label));
    return fmin(widest, w * 0.3) + 8;
}

static double bar_row_height(const struct pen *p, double w)
{
    double label_w = bar_label_width(p, w);
    int lines = 1;
    for (int i = 0; i < p->c->nrows; i++)
        lines = (int)fmax(lines, count_lines(p->c->rows[i].label, label_w - 8, p->label, BAR_LABEL_LINES));
    return fmax(fmax(p->label * 2.8, lines * p->label * 1.25 + p->label * 0.6),
                p->c->nseries * p->small * 1.5 + p->small * 0.6);
}

/* Horizontal bars: bar, and compare (two periods side by side). */
static void draw_bars(const struct pen *p, double w, double h)
{
    const struct chart *c = p->c;
    double top, bottom;
    frame(p, w, h, &top, &bottom);
    double label_w = bar_label_width(p, w), value_w = 0;
    for (int i = 0; i < c->nrows; i++) {
        for (int s = 0; s < c->nseries; s++)
            if (c->rows[i].has[s]) {
                char *t = value_label(c, &c->rows[i], s);
                value_w = fmax(value_w, est_width(t, p->small));
                free(t);
            }
    }
    bool per_row = mixed_magnitudes(c);
    double lo, hi;
    data_range(c, &lo, &hi);
    double x0 = label_w + (lo < 0 ? value_w + 6 : 0), x1 = w - (hi > 0 || per_row ? value_w + 6 : 0);
    double row_h = (bottom - top) / c->nrows;
    double bar_h = fmin(row_h * 0.7 / c->nseries, p->label * 1.4);
    for (int i = 0; i < c->nrows; i++) {
        const struct chart_row *r = &c->rows[i];
        struct scale sc = value_scale(c, false);
        if (per_row) {
            double rlo = 0, rhi = 0;
            for (int s = 0; s < c->nseries; s++)
                if (r->has[s])
                    rlo = fmin(rlo, r->value[s]), rhi = fmax(rhi, r->value[s]);
            sc = (struct scale){rlo, rhi > rlo ? rhi : rlo + 1, 1, false};
        }
        double zero = x0 + (0 - sc.lo) / (sc.hi - sc.lo) * (x1 - x0);
        double ry = top + row_h * i;
        double group_top = ry + (row_h - bar_h * c->nseries) / 2;
        int lines = count_lines(r->label, label_w - 8, p->label, BAR_LABEL_LINES);
        wrapped_text(p, label_w - 8, ry + row_h / 2 + p->label * (0.35 - 0.625 * (lines - 1)), r->label,
                     label_w - 8, p->label, BAR_LABEL_LINES, ANCHOR_END, p->text);
        p->cv->ops->line(p->cv->ctx, zero, ry + 1, zero, ry + row_h - 1, 0.8, AXIS);
        for (int s = 0; s < c->nseries; s++) {
            if (!r->has[s])
                continue;
            double x = x0 + (r->value[s] - sc.lo) / (sc.hi - sc.lo) * (x1 - x0);
            double by = group_top + bar_h * s;
            p->cv->ops->rect(p->cv->ctx, fmin(x, zero), by + bar_h * 0.06, fabs(x - zero), bar_h * 0.88,
                             color_of(p, s));
            char *t = value_label(c, r, s);
            double ty = by + bar_h / 2 + p->small * 0.35;
            if (r->value[s] < 0)
                try_text(p, x - 3, ty, t, p->small, false, ANCHOR_END, p->text);
            else
                try_text(p, x + 3, ty, t, p->small, false, ANCHOR_START, p->text);
            free(t);
        }
    }
}

/* The pie legend: "label  value（share）" on one line, or label and value
 * on two; entries fill one column, or two when one is too tall. */
struct legend {
    bool two_lines;
    int columns;
    double line_h, col_w;
};

static struct legend plan_legend(const struct pen *p, const char *const *values, double avail, double room)
{
    const struct chart *c = p->c;
    struct legend lg = {false, 1, 0, avail};
    for (int cols = 1; cols <= 2; cols++) {
        double cw = (avail - (cols - 1) * p->label) / cols - p->label * 1.2;
        lg.two_lines = false;
        for (int i = 0; i < c->nrows; i++)
            lg.two_lines |= est_width(c->rows[i].label, p->label) + est_width(values[i], p->label) + p->label * 1.5 > cw;
        lg.line_h = lg.two_lines ? p->label * 1.3 + p->small * 1.4 : p->label * 1.6;
        lg.columns = cols;
        lg.col_w = cw;
        if (ceil((double)c->nrows / cols) * lg.line_h <= room)
            break;
    }
    return lg;
}

static double pie_total(const struct chart *c)
{
    double total = 0;
    for (int i = 0; i < c->nrows; i++)
        total += c->rows[i].has[0] && c->rows[i].value[0] > 0 ? c->rows[i].value[0] : 0;
    return total;
}

/* "38.4%" for a share written in percent that adds up to 100 with the
 * others; otherwise the value with its share: "448家（90.7%）". */
static char **pie_values(const struct chart *c)
{
    double total = pie_total(c);
    bool shares = unit_is_percent(c) && fabs(total - 100) <= 0.5;
    char **out = xcalloc((size_t)c->nrows + 1, sizeof *out);
    for (int i = 0; i < c->nrows; i++) {
        const struct chart_row *row = &c->rows[i];
        char *v = value_label(c, row, 0);
        bool has_unit = row->text[0] || unit_is_percent(c);
        if (shares || total <= 0 || !row->has[0] || row->value[0] < 0)
            out[i] = xasprintf("%s%s", v, has_unit ? "" : c->unit);
        else
            out[i] = xasprintf("%s%s（%.1f%%）", v, has_unit ? "" : c->unit, row->value[0] / total * 100);
        free(v);
    }
    return out;
}

static void free_strings(char **v)
{
    for (int i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

static double pie_radius(const struct pen *p, double w, double room)
{
    return fmax(p->label * 2, fmin(room / 2 - 2, w * 0.22));
}

static void draw_pie(const struct pen *p, double w, double h, bool donut)
{
    const struct chart *c = p->c;
    double top, bottom;
    frame(p, w, h, &top, &bottom);
    double total = pie_total(c);
    double r = pie_radius(p, w, fmin(bottom - top, w * 0.44 + 4));
    double cx = r + 4, cy = top + fmin(bottom - top, 2 * r + 4) / 2;
    double a = 0;
    if (total <= 0)
        p->cv->ops->sector(p->cv->ctx, cx, cy, r, donut ? r * 0.55 : r * 0.98, 0, 2 * M_PI, TRACK);
    for (int i = 0; i < c->nrows && total > 0; i++) {
        double v = c->rows[i].has[0] && c->rows[i].value[0] > 0 ? c->rows[i].value[0] : 0;
        double a1 = a + v / total * 2 * M_PI;
        p->cv->ops->sector(p->cv->ctx, cx, cy, r, donut ? r * 0.55 : 0, a, a1, color_of(p, i));
        a = a1;
    }
    if (donut) {
        char *t = format_number(total, c->decimals);
        char *lab = xasprintf("%s%s", t, c->unit ? c->unit : "");
        put_text(p, cx, cy - p->small * 0.2, style_label(p->st, LABEL_CHART_TOTAL), p->small, false, ANCHOR_MIDDLE, p->muted);
        put_text(p, cx, cy + p->label * 1.1, lab, p->label, true, ANCHOR_MIDDLE, p->text);
        free(t);
        free(lab);
    }
    char **values = pie_values(c);
    double lx = cx + r + p->label * 1.5, avail = w - lx;
    struct legend lg = plan_legend(p, (const char *const *)values, avail, bottom - top);
    int per_col = (c->nrows + lg.columns - 1) / lg.columns;
    double ly = fmax(top + p->label, cy - lg.line_h * per_col / 2 + p->label);
    for (int i = 0; i < c->nrows; i++) {
        const struct chart_row *row = &c->rows[i];
        double x = lx + (i / per_col) * (lg.col_w + p->label * 2.2), y = ly + lg.line_h * (i % per_col);
        p->cv->ops->rect(p->cv->ctx, x, y - p->label * 0.8, p->label * 0.8, p->label * 0.8, color_of(p, i));
        double tx = x + p->label * 1.2;
        if (lg.two_lines) {
            char *lab = est_width(row->label, p->label) <= lg.col_w
                            ? xstrdup(row->label)
                            : xasprintf("%.*s…", (int)fit_prefix(row->label, lg.col_w - p->label, p->label), row->label);
            put_text(p, tx, y, lab, p->label, false, ANCHOR_START, p->text);
            put_text(p, tx, y + p->small * 1.3, values[i], p->small, false, ANCHOR_START, p->muted);
            free(lab);
        } else {
            char *t = xasprintf("%s  %s", row->label, values[i]);
            put_text(p, tx, y, t, p->label, false, ANCHOR_START, p->text);
            free(t);
        }
    }
    free_strings(values);
}

static double pie_height(const struct pen *p, double w)
{
    char **values = pie_values(p->c);
    double r = pie_radius(p, w, w * 0.44 + 4);
    double avail = w - (r + 4 + r + p->label * 1.5);
    struct legend lg = plan_legend(p, (const char *const *)values, avail, 2 * r + 4);
    free_strings(values);
    int per_col = (p->c->nrows + lg.columns - 1) / lg.columns;
    return fmax(2 * r + 8, per_col * lg.line_h + p->label);
}

/* Progress: the value against its target. 100 % sits where the target
 * mark is; a value beyond the target runs on past it in a darker shade. */
static double progress_full(const struct chart *c)
{
    double full = 1;
    for (int i = 0; i < c->nrows; i++)
        if (c->rows[i].has[0] && c->rows[i].has[1] && c->rows[i].value[1] > 0)
            full = fmax(full, c->rows[i].value[0] / c->rows[i].value[1]);
    return fmin(full, 3);
}

static char *progress_status(const struct pen *p, const struct chart_row *r)
{
    const struct chart *c = p->c;
    char *v = value_label(c, r, 0), *t = value_label(c, r, 1);
    bool unit = !r->text[0] && c->unit && !unit_is_percent(c);
    const char *goal = style_label(p->st, LABEL_CHART_TARGET);
    char *out;
    if (!r->has[1] || r->value[1] <= 0)
        out = xasprintf("%s%s / %s %s%s（%s）", v, unit ? c->unit : "", goal, t, unit ? c->unit : "",
                        style_label(p->st, LABEL_CHART_NO_RATE));
    else
        out = xasprintf("%s%s / %s %s%s（%.0f%%）", v, unit ? c->unit : "", goal, t, unit ? c->unit : "",
                        r->value[0] / r->value[1] * 100);
    free(v);
    free(t);
    return out;
}

static bool progress_status_below(const struct pen *p, const struct chart_row *r, double w)
{
    char *s = progress_status(p, r);
    bool below = est_width(r->label, p->label) + est_width(s, p->small) + p->label > w;
    free(s);
    return below;
}

static double progress_row_height(const struct pen *p, const struct chart_row *r, double w)
{
    return p->label * 2.6 + (progress_status_below(p, r, w) ? p->small * 1.3 : 0);
}

static void draw_progress(const struct pen *p, double w, double h)
{
    const struct chart *c = p->c;
    double top, bottom;
    frame(p, w, h, &top, &bottom);
    double full = progress_full(c), y = top;
    for (int i = 0; i < c->nrows; i++) {
        const struct chart_row *r = &c->rows[i];
        double base = y + p->label * 1.1;
        put_text(p, 0, base, r->label, p->label, false, ANCHOR_START, p->text);
        char *status = progress_status(p, r);
        bool below = progress_status_below(p, r, w);
        double by = base + p->label * 0.45, bh = p->label * 0.7;
        if (below)
            put_text(p, 0, by + bh + p->small * 1.1, status, p->small, false, ANCHOR_START, p->muted);
        else
            put_text(p, w, base, status, p->small, false, ANCHOR_END, p->muted);
        double ratio = r->has[1] && r->value[1] > 0 ? fmax(0, r->value[0] / r->value[1]) : 0;
        double target_x = w / full;
        p->cv->ops->rect(p->cv->ctx, 0, by, target_x, bh, TRACK);
        p->cv->ops->rect(p->cv->ctx, 0, by, w * fmin(1, ratio) / full, bh, color_of(p, 0));
        if (ratio > 1)
            p->cv->ops->rect(p->cv->ctx, target_x, by, w * (fmin(ratio, full) - 1) / full, bh,
                             shade(color_of(p, 0), 0.4));
        if (full > 1)
            p->cv->ops->rect(p->cv->ctx, target_x - 0.6, by - 2, 1.2, bh + 4, p->text);
        y += progress_row_height(p, r, w);
        free(status);
    }
}

/* ---- cards ---- */

static int card_columns(const struct chart *c, double w) { return (int)fmax(1, fmin(c->nrows, fmin(4, floor(w / 110)))); }

struct card_grid {
    int cols, rows;
    double cw, gap, pad;
    double label_h, value_h, note_h; /* per card row: the tallest card's parts */
};

static double card_value_size(const struct pen *p, const struct chart *c, int first, int cols, double cw)
{
    double size = p->label * 1.7;
    for (int i = first; i < first + cols && i < c->nrows; i++) {
        char *v = value_label(c, &c->rows[i], 0);
        size = fmin(size, (cw - 12) / fmax(1, est_width(v, 1) * 1.05));
        free(v);
    }
    return fmax(size, p->small);
}

/* A card's comparison line with its change worded by the template. */
static char *card_note_text(const struct pen *p, const struct chart_row *r)
{
    const char *sign = r->delta > 0 ? "+" : "";
    switch (r->change) {
    case CHANGE_UNCHANGED:
        return xasprintf("%s，%s", r->note, style_label(p->st, LABEL_UNCHANGED));
    case CHANGE_POINTS:
        return xasprintf("%s，%s%.*f%s", r->note, sign, r->delta == round(r->delta) ? 0 : 1, r->delta,
                         style_label(p->st, LABEL_POINTS));
    case CHANGE_PERCENT:
        return xasprintf("%s，%s%.1f%%", r->note, sign, r->delta);
    default:
        return xstrdup(r->note);
    }
}

static struct card_grid card_grid(const struct pen *p, double w)
{
    const struct chart *c = p->c;
    struct card_grid g = {card_columns(c, w), 0, 0, 6, 8, 0, 0, 0};
    g.rows = (c->nrows + g.cols - 1) / g.cols;
    g.cw = (w - g.gap * (g.cols - 1)) / g.cols;
    for (int i = 0; i < c->nrows; i++) {
        const struct chart_row *r = &c->rows[i];
        g.label_h = fmax(g.label_h, count_lines(r->label, g.cw - 12, p->small, 3) * p->small * 1.25);
        if (r->note && *r->note) {
            char *note = card_note_text(p, r);
            g.note_h = fmax(g.note_h, count_lines(note, g.cw - 12, p->small, 4) * p->small * 1.25);
            free(note);
        }
    }
    g.value_h = p->label * 1.7 * 1.25;
    return g;
}

static double card_height(const struct card_grid *g)
{
    return g->pad + g->label_h + g->value_h + g->note_h + g->pad;
}

static void draw_cards(const struct pen *p, double w, double h)
{
    const struct chart *c = p->c;
    double top, bottom;
    frame(p, w, h, &top, &bottom);
    struct card_grid g = card_grid(p, w);
    double ch = fmax(card_height(&g), (bottom - top - g.gap * (g.rows - 1)) / g.rows);
    struct rgb accent = color_of(p, 0);
    for (int i = 0; i < c->nrows; i++) {
        const struct chart_row *r = &c->rows[i];
        double x = (g.cw + g.gap) * (i % g.cols), y = top + (ch + g.gap) * (i / g.cols);
        p->cv->ops->rect(p->cv->ctx, x, y, g.cw, ch, tint(accent, 0.9));
        p->cv->ops->rect(p->cv->ctx, x, y, 3, ch, accent);
        wrapped_text(p, x + 8, y + g.pad + p->small, r->label, g.cw - 12, p->small, 3, ANCHOR_START, p->muted);
        double size = card_value_size(p, c, i - i % g.cols, g.cols, g.cw);
        char *v = value_label(c, r, 0);
        put_text(p, x + 8, y + g.pad + g.label_h + p->small * 0.3 + size, v, size, true, ANCHOR_START, accent);
        free(v);
        if (r->note && *r->note) {
            char *note = card_note_text(p, r);
            wrapped_text(p, x + 8, y + g.pad + g.label_h + g.value_h + p->small, note, g.cw - 12, p->small, 4,
                         ANCHOR_START, p->muted);
            free(note);
        }
    }
}

static struct pen make_pen(const struct chart *c, const struct canvas *cv, const struct style *st,
                           struct placed *placed)
{
    struct pen p = {.cv = cv, .c = c, .st = st, .placed = placed};
    double caption = st->el[EL_CAPTION].size > 0 ? st->el[EL_CAPTION].size : 10.5;
    p.title = caption;
    p.label = fmax(8, caption - 1);
    p.small = fmax(7, caption - 2);
    p.text = st->text;
    p.muted = MUTED;
    p.colors = c->ncolors ? c->colors : st->chart;
    p.ncolors = c->ncolors ? c->ncolors : st->nchart;
    return p;
}

double chart_natural_height(const struct chart *c, double width, const struct style *st)
{
    struct placed none = {0};
    struct pen p = make_pen(c, NULL, st, &none);
    double head = frame_height(&p, width);
    switch (c->type) {
    case CHART_BAR:
    case CHART_COMPARE:
        return head + c->nrows * bar_row_height(&p, width);
    case CHART_PROGRESS: {
        double rows = 0;
        for (int i = 0; i < c->nrows; i++)
            rows += progress_row_height(&p, &c->rows[i], width);
        return head + rows;
    }
    case CHART_KPI: {
        struct card_grid g = card_grid(&p, width);
        return head + g.rows * card_height(&g) + (g.rows - 1) * g.gap;
    }
    case CHART_PIE:
    case CHART_DONUT:
        return head + pie_height(&p, width);
    default: {
        double slot = (width - 40) / fmax(1, c->nrows);
        struct xlabels xl = plan_xlabels(&p, slot);
        return head + fmax(150, width * 0.38) + p.label * xl.lines * 1.25;
    }
    }
}

double chart_height(const struct chart *c, double width, const struct style *st)
{
    double natural = chart_natural_height(c, width, st);
    if (c->height <= 0)
        return natural;
    /* a plot may shrink to a few lines; rows, cards and a legend may not */
    bool plot = c->type == CHART_COLUMN || c->type == CHART_LINE;
    struct placed none = {0};
    struct pen p = make_pen(c, NULL, st, &none);
    double least = plot ? frame_height(&p, width) + p.label * 8 : natural;
    return fmax(c->height, least);
}

void chart_draw(const struct chart *c, const struct canvas *cv, double w, double h,
                const struct style *st)
{
    struct placed placed = {0};
    struct pen p = make_pen(c, cv, st, &placed);
    if (c->nrows == 0)
        return;
    switch (c->type) {
    case CHART_COLUMN: draw_columns(&p, w, h, false); break;
    case CHART_LINE: draw_columns(&p, w, h, true); break;
    case CHART_BAR:
    case CHART_COMPARE: draw_bars(&p, w, h); break;
    case CHART_PIE: draw_pie(&p, w, h, false); break;
    case CHART_DONUT: draw_pie(&p, w, h, true); break;
    case CHART_PROGRESS: draw_progress(&p, w, h); break;
    case CHART_KPI: draw_cards(&p, w, h); break;
    }
    free(placed.b);
}

void chart_svg(const struct chart *c, double w, double h, const struct style *st,
               const char *font_family, const char *cls, struct buf *out)
{
    struct canvas_svg *svg = canvas_svg_new(out, font_family);
    struct canvas cv = canvas_svg(svg);
    buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"%s\" viewBox=\"0 0 %.2f %.2f\" "
                    "role=\"img\" font-family=\"%s\">", cls, w, h, canvas_svg_font(svg));
    if (c->title) {
        buf_puts(out, "<title>");
        canvas_svg_escape(out, c->title);
        buf_puts(out, "</title>");
    }
    chart_draw(c, &cv, w, h, st);
    buf_puts(out, "</svg>");
    canvas_svg_free(svg);
}
