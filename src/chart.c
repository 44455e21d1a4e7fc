#define _DEFAULT_SOURCE
/* Chart parsing and drawing. Text widths are estimated from character
 * classes (CJK 1 em, digits 0.56 em, other Latin 0.6 em) rather than
 * measured, so that the PDF and the SVG charts have identical geometry;
 * the estimate errs wide, so labels placed by it never overlap. */
#include "chart.h"
#include "buf.h"
#include "utf8.h"
#include "xalloc.h"
#include "yamlnode.h"
#include <math.h>
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
    if (len - 1 > p->c->nseries && p->c->type != CHART_PROGRESS)
        for (int s = p->c->nseries; s < len - 1; s++)
            p->c->series[p->c->nseries++] = xstrdup("");
}

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
            r->note = xstrdup(*ind->period ? ind->period : "");
        } else {
            r->has[0] = value_in_unit(p, n, ind, &r->value[0]);
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
    for (int i = 0; s && i < 8; i++)
        if (!strcmp(s, TYPE_NAMES[i])) {
            p->c->type = (enum chart_type)i;
            return true;
        }
    perr(p, t ? t : root, "unknown chart type '%s' (bar, column, line, pie, donut, progress, kpi, compare)%s",
         s ? s : "(missing)", "");
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
        parse_data(&p, ymap_get(&y, root, "data"));
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
    return c;
}

/* ---- overview -------------------------------------------------------- */

/* The annotations of the ids in only, id by id (all when only is NULL):
 * shallow copies, so only the items array is the caller's to free. */
static struct indicators overview_view(const struct indicators *set, char *const *only)
{
    struct indicators view = {xcalloc((size_t)set->n + 1, sizeof *view.items), 0};
    for (int k = 0; only ? only[k] != NULL : k == 0; k++) {
        bool again = false; /* an id named twice is shown once */
        for (int j = 0; j < k && !again; j++)
            again = !strcmp(only[j], only[k]);
        for (int i = 0; i < set->n && !again; i++)
            if (!only || !strcmp(set->items[i].id, only[k]))
                view.items[view.n++] = set->items[i];
    }
    return view;
}

/* Cards for the first period's indicators (one per id), each noting the
 * other period's value when there is one. */
static struct chart *cards(const struct indicators *set)
{
    struct chart *c = xcalloc(1, sizeof *c);
    c->type = CHART_KPI;
    c->title = xstrdup("主要指标一览");
    c->unit = xstrdup("");
    c->series[c->nseries++] = xstrdup("");
    const char *first_period = set->items[0].period;
    for (int i = 0; i < set->n && c->nrows < 8; i++) {
        const struct indicator *ind = &set->items[i];
        if (strcmp(ind->period, first_period) || indicators_find(set, ind->id, first_period) != ind)
            continue;
        struct chart_row *r = add_row(c, ind->label);
        r->value[0] = ind->v.value;
        r->has[0] = true;
        r->text[0] = xstrdup(ind->v.text);
        for (int j = 0; j < set->n; j++)
            if (!strcmp(set->items[j].id, ind->id) && strcmp(set->items[j].period, first_period)) {
                r->note = xasprintf("%s · %s %s", ind->period, set->items[j].period,
                                    set->items[j].v.text);
                break;
            }
        if (!r->note)
            r->note = xstrdup(ind->period);
    }
    return c;
}

struct chart *chart_overview_cards(const struct indicators *all, char *const *only)
{
    if (!all)
        return NULL;
    struct indicators view = overview_view(all, only);
    struct chart *c = view.n ? cards(&view) : NULL;
    free(view.items);
    return c;
}

/* Indicators with two periods, grouped by unit: the largest group that
 * shares one axis becomes a comparison chart. */
static struct chart *compare(const struct indicators *set)
{
    const char *best_unit = NULL;
    int best = 0;
    for (int i = 0; i < set->n; i++) {
        const struct indicator *a = &set->items[i];
        int count = 0;
        for (int j = 0; j < set->n; j++) {
            const struct indicator *b = &set->items[j];
            if (indicators_find(set, b->id, b->period) == b && strcmp(b->period, a->period) &&
                !strcmp(b->v.unit, a->v.unit) && !strcmp(b->v.magnitude, a->v.magnitude) &&
                indicators_find(set, b->id, a->period))
                count++;
        }
        if (count > best)
            best = count, best_unit = a->v.unit;
    }
    if (best == 0)
        return NULL;
    struct chart *c = xcalloc(1, sizeof *c);
    c->type = CHART_COMPARE;
    c->unit = NULL;
    for (int i = 0; i < set->n && c->nrows < 10; i++) {
        const struct indicator *a = &set->items[i];
        if (strcmp(a->v.unit, best_unit) || indicators_find(set, a->id, NULL) != a)
            continue;
        const struct indicator *b = NULL;
        for (int j = i + 1; j < set->n && !b; j++)
            if (!strcmp(set->items[j].id, a->id) && strcmp(set->items[j].period, a->period) &&
                !strcmp(set->items[j].v.unit, a->v.unit) && !strcmp(set->items[j].v.magnitude, a->v.magnitude))
                b = &set->items[j];
        if (!b)
            continue;
        if (!c->unit) {
            c->unit = ivalue_unit_label(&a->v);
            c->series[0] = xstrdup(a->period);
            c->series[1] = xstrdup(b->period);
            c->nseries = 2;
            c->title = xasprintf("%s与%s对比", a->period, b->period);
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
    if (c->nrows == 0) {
        chart_free(c);
        return NULL;
    }
    return c;
}

struct chart *chart_overview_compare(const struct indicators *all, char *const *only)
{
    if (!all)
        return NULL;
    struct indicators view = overview_view(all, only);
    struct chart *c = compare(&view);
    free(view.items);
    return c;
}

/* ---- drawing --------------------------------------------------------- */

struct pen {
    const struct canvas *cv;
    const struct chart *c;
    double title, label, small; /* text sizes */
    struct rgb text, muted, grid, axis;
    const struct rgb *colors;
    int ncolors;
};

static const struct rgb GRID = {0.85, 0.85, 0.85}, AXIS = {0.5, 0.5, 0.5}, MUTED = {0.35, 0.35, 0.35},
                        TRACK = {0.9, 0.9, 0.9};

static struct rgb color_of(const struct pen *p, int i) { return p->colors[i % p->ncolors]; }

static struct rgb tint(struct rgb c, double amount)
{
    return (struct rgb){c.r + (1 - c.r) * amount, c.g + (1 - c.g) * amount, c.b + (1 - c.b) * amount};
}

static double char_em(int32_t c)
{
    if (cjk_is_wide(c))
        return 1.0;
    if (c >= '0' && c <= '9')
        return 0.56;
    if (c == ' ' || c == '.' || c == ',' || c == ':')
        return 0.3;
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

/* Draws s in at most two lines of width w centred at x (anchor) from
 * baseline y; a second line that still does not fit ends in "…". */
static int wrapped_text(const struct pen *p, double x, double y, const char *s, double w,
                        double size, enum anchor a, struct rgb color)
{
    if (est_width(s, size) <= w) {
        p->cv->ops->text(p->cv->ctx, x, y, s, size, false, a, color);
        return 1;
    }
    size_t cut = fit_prefix(s, w, size);
    size_t chars = 0, rest_chars = 0;
    for (size_t i = 0; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (i < cut)
                chars++;
            else
                rest_chars++;
        }
    if (rest_chars <= 2 && chars + rest_chars > 4) {
        /* no lone character on the second line: split in the middle */
        size_t half = (chars + rest_chars + 1) / 2, seen = 0, i = 0;
        for (; s[i] && seen <= half; i++)
            if (((unsigned char)s[i] & 0xC0) != 0x80 && ++seen > half)
                break;
        cut = i;
    }
    char *first = xstrndup(s, cut);
    p->cv->ops->text(p->cv->ctx, x, y, first, size, false, a, color);
    free(first);
    const char *rest = s + cut;
    char *second;
    if (est_width(rest, size) <= w) {
        second = xstrdup(rest);
    } else {
        size_t keep = fit_prefix(rest, w - size, size);
        second = xasprintf("%.*s…", (int)keep, rest);
    }
    p->cv->ops->text(p->cv->ctx, x, y + size * 1.2, second, size, false, a, color);
    free(second);
    return 2;
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

static char *value_label(const struct chart *c, const struct chart_row *r, int s)
{
    if (r->text[s])
        return xstrdup(r->text[s]);
    int d = 0;
    while (d < 3 && fabs(r->value[s] * pow(10, d) - round(r->value[s] * pow(10, d))) > 1e-9)
        d++;
    char *num = format_number(r->value[s], d);
    char *out = xasprintf("%s%s", num, c->unit && !strcmp(c->unit, "%") ? "%" : "");
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
};

static struct scale value_scale(const struct chart *c)
{
    double lo = 0, hi = 0;
    for (int i = 0; i < c->nrows; i++)
        for (int s = 0; s < c->nseries; s++)
            if (c->rows[i].has[s]) {
                lo = fmin(lo, c->rows[i].value[s]);
                hi = fmax(hi, c->rows[i].value[s]);
            }
    if (hi - lo < 1e-12)
        hi = lo + 1;
    struct scale sc = {0, 0, nice_step(hi - lo, 4)};
    sc.lo = floor(lo / sc.step - 1e-9) * sc.step;
    sc.hi = ceil(hi / sc.step - 1e-9) * sc.step;
    if (sc.hi < hi)
        sc.hi += sc.step;
    return sc;
}

static int step_decimals(double step)
{
    int d = 0;
    while (d < 4 && fabs(step * pow(10, d) - round(step * pow(10, d))) > 1e-9)
        d++;
    return d;
}

/* Title, unit and source around the plot; returns the plot's top and
 * bottom through *top and *bottom. */
static void frame(const struct pen *p, double w, double h, double *top, double *bottom)
{
    const struct chart *c = p->c;
    double y = 0;
    if (c->title && *c->title) {
        p->cv->ops->text(p->cv->ctx, w / 2, p->title, c->title, p->title, true, ANCHOR_MIDDLE, p->text);
        y = p->title * 1.6;
    }
    bool legend = c->nseries > 1 && c->type != CHART_PROGRESS && c->type != CHART_KPI;
    if (legend || (c->unit && *c->unit && c->type != CHART_KPI && c->type != CHART_PIE &&
                   c->type != CHART_DONUT && c->type != CHART_PROGRESS)) {
        if (c->unit && *c->unit && c->type != CHART_KPI) {
            char *u = xasprintf("单位：%s", c->unit);
            p->cv->ops->text(p->cv->ctx, 0, y + p->small, u, p->small, false, ANCHOR_START, p->muted);
            free(u);
        }
        if (legend) {
            double x = w;
            for (int s = c->nseries - 1; s >= 0; s--) {
                double tw = est_width(c->series[s], p->small);
                x -= tw;
                p->cv->ops->text(p->cv->ctx, x, y + p->small, c->series[s], p->small, false, ANCHOR_START, p->text);
                x -= p->small * 1.2;
                p->cv->ops->rect(p->cv->ctx, x, y + p->small * 0.15, p->small * 0.85, p->small * 0.85,
                                 color_of(p, s));
                x -= p->small * 1.2;
            }
        }
        y += p->small * 1.8;
    }
    *top = y;
    *bottom = h;
    if (c->source && *c->source) {
        char *s = xasprintf("资料来源：%s", c->source);
        p->cv->ops->text(p->cv->ctx, 0, h - p->small * 0.3, s, p->small, false, ANCHOR_START, p->muted);
        free(s);
        *bottom = h - p->small * 1.7;
    }
}

static void draw_value_axis(const struct pen *p, struct scale sc, double x0, double x1, double y0,
                            double y1)
{
    int d = step_decimals(sc.step);
    for (double v = sc.lo; v <= sc.hi + sc.step * 1e-6; v += sc.step) {
        double y = y1 - (v - sc.lo) / (sc.hi - sc.lo) * (y1 - y0);
        p->cv->ops->line(p->cv->ctx, x0, y, x1, y, fabs(v) < 1e-12 ? 0.8 : 0.4, fabs(v) < 1e-12 ? AXIS : GRID);
        char *t = format_number(v, d);
        p->cv->ops->text(p->cv->ctx, x0 - 4, y + p->small * 0.35, t, p->small, false, ANCHOR_END, p->muted);
        free(t);
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

/* Vertical bars (column) or points joined by lines (line). */
static void draw_columns(const struct pen *p, double w, double h, bool as_line)
{
    const struct chart *c = p->c;
    double top, bottom;
    frame(p, w, h, &top, &bottom);
    struct scale sc = value_scale(c);
    double x0 = axis_label_width(p, sc), x1 = w;
    double label_h = p->label * 2.6;
    double y0 = top + p->label * 1.4, y1 = bottom - label_h;
    draw_value_axis(p, sc, x0, x1, y0, y1);
    double slot = (x1 - x0) / c->nrows;
    double group = slot * 0.7, bw = group / c->nseries;
    double *pts = xcalloc((size_t)c->nrows * 2, sizeof *pts);
    for (int s = 0; s < c->nseries; s++) {
        int np = 0;
        for (int i = 0; i < c->nrows; i++) {
            const struct chart_row *r = &c->rows[i];
            if (!r->has[s])
                continue;
            double zero = y1 - (0 - sc.lo) / (sc.hi - sc.lo) * (y1 - y0);
            double y = y1 - (r->value[s] - sc.lo) / (sc.hi - sc.lo) * (y1 - y0);
            double cx = x0 + slot * i + slot / 2;
            double bx = cx - group / 2 + bw * s;
            double vx = as_line ? cx : bx + bw / 2;
            if (!as_line)
                p->cv->ops->rect(p->cv->ctx, bx, fmin(y, zero), bw * 0.92, fabs(zero - y), color_of(p, s));
            pts[2 * np] = cx, pts[2 * np + 1] = y, np++;
            char *t = value_label(c, r, s);
            double size = fmin(p->small, (as_line ? slot : bw) / fmax(1, est_width(t, 1)) * 0.98);
            double ty = r->value[s] >= 0 ? y - 3 : y + size + 2;
            p->cv->ops->text(p->cv->ctx, vx, ty, t, fmax(size, 5), false, ANCHOR_MIDDLE, p->text);
            free(t);
        }
        if (as_line && np > 1)
            p->cv->ops->polyline(p->cv->ctx, pts, np, 1.6, color_of(p, s));
        for (int k = 0; as_line && k < np; k++)
            p->cv->ops->circle(p->cv->ctx, pts[2 * k], pts[2 * k + 1], 2.4, color_of(p, s));
    }
    free(pts);
    for (int i = 0; i < c->nrows; i++)
        wrapped_text(p, x0 + slot * i + slot / 2, y1 + p->label * 1.2, c->rows[i].label, slot - 4,
                     p->label, ANCHOR_MIDDLE, p->text);
}

/* Horizontal bars: bar, and compare (two periods side by side). */
static void draw_bars(const struct pen *p, double w, double h)
{
    const struct chart *c = p->c;
    double top, bottom;
    frame(p, w, h, &top, &bottom);
    double label_w = 0, value_w = 0;
    for (int i = 0; i < c->nrows; i++) {
        label_w = fmax(label_w, est_width(c->rows[i].label, p->label));
        for (int s = 0; s < c->nseries; s++)
            if (c->rows[i].has[s]) {
                char *t = value_label(c, &c->rows[i], s);
                value_w = fmax(value_w, est_width(t, p->small));
                free(t);
            }
    }
    label_w = fmin(label_w, w * 0.3) + 8;
    double x0 = label_w, x1 = w - value_w - 6;
    struct scale sc = value_scale(c);
    double row_h = (bottom - top) / c->nrows;
    double bar_h = fmin(row_h * 0.7 / c->nseries, p->label * 1.4);
    double zero = x0 + (0 - sc.lo) / (sc.hi - sc.lo) * (x1 - x0);
    p->cv->ops->line(p->cv->ctx, zero, top, zero, bottom, 0.8, AXIS);
    for (int i = 0; i < c->nrows; i++) {
        const struct chart_row *r = &c->rows[i];
        double ry = top + row_h * i;
        double group_top = ry + (row_h - bar_h * c->nseries) / 2;
        int lines = est_width(r->label, p->label) <= label_w - 8 ? 1 : 2;
        wrapped_text(p, label_w - 8, ry + row_h / 2 + p->label * (lines == 1 ? 0.35 : -0.25), r->label,
                     label_w - 8, p->label, ANCHOR_END, p->text);
        for (int s = 0; s < c->nseries; s++) {
            if (!r->has[s])
                continue;
            double x = x0 + (r->value[s] - sc.lo) / (sc.hi - sc.lo) * (x1 - x0);
            double by = group_top + bar_h * s;
            p->cv->ops->rect(p->cv->ctx, fmin(x, zero), by + bar_h * 0.06, fabs(x - zero), bar_h * 0.88,
                             color_of(p, s));
            char *t = value_label(c, r, s);
            p->cv->ops->text(p->cv->ctx, fmax(x, zero) + 3, by + bar_h / 2 + p->small * 0.35, t,
                             fmin(p->small, bar_h * 0.95), false, ANCHOR_START, p->text);
            free(t);
        }
    }
}

static void draw_pie(const struct pen *p, double w, double h, bool donut)
{
    const struct chart *c = p->c;
    double top, bottom;
    frame(p, w, h, &top, &bottom);
    double total = 0;
    for (int i = 0; i < c->nrows; i++)
        total += c->rows[i].has[0] && c->rows[i].value[0] > 0 ? c->rows[i].value[0] : 0;
    double r = fmin((bottom - top) / 2 - 2, w * 0.22);
    double cx = r + 4, cy = (top + bottom) / 2;
    double a = 0;
    for (int i = 0; i < c->nrows && total > 0; i++) {
        double v = c->rows[i].has[0] && c->rows[i].value[0] > 0 ? c->rows[i].value[0] : 0;
        double a1 = a + v / total * 2 * M_PI;
        p->cv->ops->sector(p->cv->ctx, cx, cy, r, donut ? r * 0.55 : 0, a, a1, color_of(p, i));
        a = a1;
    }
    if (donut) {
        char *t = format_number(total, decimals_of(c));
        char *lab = xasprintf("%s%s", t, c->unit ? c->unit : "");
        p->cv->ops->text(p->cv->ctx, cx, cy - p->small * 0.2, "合计", p->small, false, ANCHOR_MIDDLE, p->muted);
        p->cv->ops->text(p->cv->ctx, cx, cy + p->label * 1.1, lab, p->label, true, ANCHOR_MIDDLE, p->text);
        free(t);
        free(lab);
    }
    /* legend: "label  value（share）" on one line, or value on a second line */
    double lx = cx + r + p->label * 1.5, avail = w - lx - p->label * 1.3;
    bool two = false;
    for (int i = 0; i < c->nrows; i++) {
        char *v = value_label(c, &c->rows[i], 0);
        two |= est_width(c->rows[i].label, p->label) + est_width(v, p->label) + p->label * 6 > avail;
        free(v);
    }
    double line_h = fmin(p->label * (two ? 2.8 : 1.8), (bottom - top) / fmax(1, c->nrows));
    double ly = cy - line_h * c->nrows / 2 + p->label * 0.6;
    for (int i = 0; i < c->nrows; i++) {
        const struct chart_row *row = &c->rows[i];
        double y = ly + line_h * i;
        p->cv->ops->rect(p->cv->ctx, lx, y - p->label * 0.8, p->label * 0.8, p->label * 0.8, color_of(p, i));
        char *v = value_label(c, row, 0);
        double share = total > 0 && row->has[0] ? fmax(0, row->value[0]) / total * 100 : 0;
        char *vs = xasprintf("%s%s（%.1f%%）", v, row->text[0] ? "" : c->unit, share);
        double tx = lx + p->label * 1.2;
        if (two) {
            size_t cut = fit_prefix(row->label, avail, p->label);
            char *lab = cut < strlen(row->label)
                            ? xasprintf("%.*s…", (int)fit_prefix(row->label, avail - p->label, p->label), row->label)
                            : xstrdup(row->label);
            p->cv->ops->text(p->cv->ctx, tx, y, lab, p->label, false, ANCHOR_START, p->text);
            p->cv->ops->text(p->cv->ctx, tx, y + p->label * 1.2, vs, p->small, false, ANCHOR_START, p->muted);
            free(lab);
        } else {
            char *t = xasprintf("%s  %s", row->label, vs);
            p->cv->ops->text(p->cv->ctx, tx, y, t, p->label, false, ANCHOR_START, p->text);
            free(t);
        }
        free(vs);
        free(v);
    }
}

static void draw_progress(const struct pen *p, double w, double h)
{
    const struct chart *c = p->c;
    double top, bottom;
    frame(p, w, h, &top, &bottom);
    double row_h = (bottom - top) / fmax(1, c->nrows);
    for (int i = 0; i < c->nrows; i++) {
        const struct chart_row *r = &c->rows[i];
        double y = top + row_h * i + p->label * 1.1;
        p->cv->ops->text(p->cv->ctx, 0, y, r->label, p->label, false, ANCHOR_START, p->text);
        double ratio = r->has[1] && r->value[1] != 0 ? r->value[0] / r->value[1] : 0;
        char *v = value_label(c, r, 0), *t = value_label(c, r, 1);
        char *status = xasprintf("%s / 目标 %s（%.0f%%）", v, t, ratio * 100);
        p->cv->ops->text(p->cv->ctx, w, y, status, p->small, false, ANCHOR_END, p->muted);
        double by = y + p->label * 0.5, bh = p->label * 0.7;
        p->cv->ops->rect(p->cv->ctx, 0, by, w, bh, TRACK);
        p->cv->ops->rect(p->cv->ctx, 0, by, w * fmin(1, fmax(0, ratio)), bh, color_of(p, 0));
        if (ratio > 1)
            p->cv->ops->rect(p->cv->ctx, w - 2, by - 2, 2, bh + 4, color_of(p, 1));
        free(status);
        free(v);
        free(t);
    }
}

static int card_columns(const struct chart *c, double w) { return (int)fmax(1, fmin(c->nrows, fmin(4, floor(w / 100)))); }

static void draw_cards(const struct pen *p, double w, double h)
{
    const struct chart *c = p->c;
    double top, bottom;
    frame(p, w, h, &top, &bottom);
    int cols = card_columns(c, w);
    int rows = (c->nrows + cols - 1) / cols;
    double gap = 6, cw = (w - gap * (cols - 1)) / cols, ch = (bottom - top - gap * (rows - 1)) / fmax(1, rows);
    for (int i = 0; i < c->nrows; i++) {
        const struct chart_row *r = &c->rows[i];
        double x = (cw + gap) * (i % cols), y = top + (ch + gap) * (i / cols);
        struct rgb accent = color_of(p, 0);
        p->cv->ops->rect(p->cv->ctx, x, y, cw, ch, tint(accent, 0.9));
        p->cv->ops->rect(p->cv->ctx, x, y, 3, ch, accent);
        wrapped_text(p, x + 8, y + p->small * 1.5, r->label, cw - 12, p->small, ANCHOR_START, p->muted);
        char *v = value_label(c, r, 0);
        double size = fmin(p->label * 1.7, (cw - 12) / fmax(1, est_width(v, 1)));
        p->cv->ops->text(p->cv->ctx, x + 8, y + ch * 0.5 + size * 0.55, v, size, true, ANCHOR_START, accent);
        free(v);
        if (r->note && *r->note) {
            /* a long note ("2024 · 2025目标 300家以上") gets smaller, and only
             * past a quarter smaller loses its end, visibly */
            double avail = cw - 12, need = est_width(r->note, p->small);
            double nsize = need > avail ? fmax(p->small * 0.75, p->small * avail / need) : p->small;
            char *note = est_width(r->note, nsize) <= avail
                             ? xstrdup(r->note)
                             : xasprintf("%.*s…", (int)fit_prefix(r->note, avail - nsize, nsize), r->note);
            p->cv->ops->text(p->cv->ctx, x + 8, y + ch - p->small * 0.6, note, nsize, false,
                             ANCHOR_START, p->muted);
            free(note);
        }
    }
}

static struct pen make_pen(const struct chart *c, const struct canvas *cv, const struct style *st)
{
    struct pen p = {.cv = cv, .c = c};
    p.title = st->el[EL_CAPTION].size;
    p.label = fmax(8, p.title * 0.75);
    p.small = fmax(7, p.title * 0.65);
    p.text = st->text;
    p.muted = MUTED;
    p.colors = c->ncolors ? c->colors : st->chart;
    p.ncolors = c->ncolors ? c->ncolors : st->nchart;
    return p;
}

double chart_natural_height(const struct chart *c, double width)
{
    double title = 14, label = 10.5;
    double head = (c->title ? title * 1.6 : 0) + label * 1.8 + (c->source ? label * 1.7 : 0);
    switch (c->type) {
    case CHART_BAR:
    case CHART_COMPARE:
        return head + c->nrows * fmax(label * 2.4, c->nseries * label * 1.5);
    case CHART_PROGRESS:
        return head + c->nrows * label * 3.2;
    case CHART_KPI: {
        int cols = card_columns(c, width);
        int rows = (c->nrows + cols - 1) / cols;
        return head + rows * label * 5.4;
    }
    case CHART_PIE:
    case CHART_DONUT:
        return head + fmax(150, c->nrows * label * 1.8);
    default:
        return head + 190;
    }
}

void chart_draw(const struct chart *c, const struct canvas *cv, double w, double h,
                const struct style *st)
{
    struct pen p = make_pen(c, cv, st);
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
}

void chart_svg(const struct chart *c, double w, double h, const struct style *st,
               const char *font_family, struct buf *out)
{
    struct canvas_svg *svg = canvas_svg_new(out, font_family);
    struct canvas cv = canvas_svg(svg);
    buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %.2f %.2f\" "
                    "role=\"img\" font-family=\"%s\">", w, h, canvas_svg_font(svg));
    if (c->title) {
        buf_puts(out, "<title>");
        canvas_svg_escape(out, c->title);
        buf_puts(out, "</title>");
    }
    chart_draw(c, &cv, w, h, st);
    buf_puts(out, "</svg>");
    canvas_svg_free(svg);
}
