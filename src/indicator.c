/* Indicator values and the document's indicator set. */
#include "indicator.h"
#include "buf.h"
#include "frontmatter.h"
#include "utf8.h"
#include "xalloc.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Longest first: 超过 before 超. */
static const char *const PREFIXES[] = {"不少于", "不低于", "不超过", "超过", "约", "近", "逾", "超", NULL};
static const char *const QUALIFIERS[] = {"左右", "以上", "以下", "以内", NULL};
/* 多 and 余 also come between the number and its magnitude or unit:
 * 6600多万, 5000余户, 5万余个 */
static const char *const INNER[] = {"多", "余", NULL};
/* 4.5%—5%, 2-3个, 5至10万元 */
static const char *const RANGE_SEPS[] = {"——", "—", "–", "-", "～", "~", "至", "到", NULL};
/* 千 and 百 start units of their own: 千克 千米 千瓦 百分点 */
static const char *const NOT_MAGNITUDE[] = {"千克", "千米", "千瓦", "千伏", "千帕", "百分点", NULL};
static const struct {
    const char *word;
    double scale;
} MAGNITUDES[] = {{"万亿", 1e12}, {"千万", 1e7}, {"百万", 1e6}, {"亿", 1e8}, {"万", 1e4}, {"千", 1e3}, {"百", 1e2}};

static const char *starts_with(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (strncmp(s, *words, strlen(*words)) == 0)
            return *words;
    return NULL;
}

static bool ends_with(const char *s, size_t len, const char *w)
{
    size_t n = strlen(w);
    return len >= n && memcmp(s + len - n, w, n) == 0;
}

/* Digits with optional thousands separators in groups of three and an
 * optional fraction. Returns the bytes read (0 when there is no number). */
static size_t scan_number(const char *s, double *out, int *decimals)
{
    size_t i = 0;
    struct buf digits = {0};
    if (s[i] == '-' || s[i] == '+')
        buf_putc(&digits, s[i++]);
    size_t first = i;
    int group = 0;
    bool comma = false;
    while ((s[i] >= '0' && s[i] <= '9') || (s[i] == ',' && i > first)) {
        if (s[i] == ',') {
            if (comma && group != 3)
                break;
            if (!(s[i + 1] >= '0' && s[i + 1] <= '9'))
                break;
            comma = true;
            group = 0;
        } else {
            buf_putc(&digits, s[i]);
            group++;
        }
        i++;
    }
    if (i == first || (comma && group != 3)) {
        buf_free(&digits);
        return 0;
    }
    *decimals = 0;
    if (s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
        buf_putc(&digits, s[i++]);
        while (s[i] >= '0' && s[i] <= '9') {
            buf_putc(&digits, s[i++]);
            (*decimals)++;
        }
    }
    *out = strtod(digits.data, NULL);
    buf_free(&digits);
    return i;
}

static bool unit_ok(const char *u)
{
    for (size_t i = 0; u[i];) {
        int n;
        int32_t c = utf8_decode(u + i, strlen(u + i), &n);
        bool ok = cjk_is_han(c) || c == '%' || c == 0x2030 || c == '/' || c == 0xFF0F ||
                  c == 0xFF08 || c == 0xFF09 || c == 0x2103 || c == 0x33A1 ||
                  (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == 0xB2 || c == 0xB3;
        if (!ok)
            return false;
        i += (size_t)n;
    }
    return true;
}

/* The text with full-width digits, ％, ． and ： as their ASCII forms (a
 * figure typed with a Chinese input method reads the same). */
static char *ascii_figures(const char *text)
{
    struct buf b = {0};
    for (size_t i = 0; text[i];) {
        int n;
        int32_t c = utf8_decode(text + i, strlen(text + i), &n);
        if (c >= 0xFF10 && c <= 0xFF19)
            buf_putc(&b, (char)('0' + c - 0xFF10));
        else if (c == 0xFF05 || c == 0xFF0E || c == 0xFF1A)
            buf_putc(&b, c == 0xFF05 ? '%' : c == 0xFF0E ? '.' : ':');
        else
            buf_printf(&b, "%.*s", n, text + i);
        i += (size_t)(n > 0 ? n : 1);
    }
    if (!b.data)
        buf_puts(&b, "");
    return buf_detach(&b);
}

static const char *magnitude_at(const char *s, double *scale)
{
    if (starts_with(s, NOT_MAGNITUDE))
        return "";
    for (size_t i = 0; i < sizeof MAGNITUDES / sizeof *MAGNITUDES; i++)
        if (!strncmp(s, MAGNITUDES[i].word, strlen(MAGNITUDES[i].word))) {
            *scale = MAGNITUDES[i].scale;
            return MAGNITUDES[i].word;
        }
    return "";
}

/* "-5%" or "-10" after a first number: the upper end of a range. */
static size_t scan_range(const char *s, bool percent, double *high)
{
    const char *sep = starts_with(s, RANGE_SEPS);
    if (!sep)
        return 0;
    const char *t = s + strlen(sep);
    int decimals;
    size_t n = scan_number(t, high, &decimals);
    if (!n || t[0] == '-' || t[0] == '+')
        return 0;
    t += n;
    if (percent && *t == '%')
        t++;
    return (size_t)(t - s);
}

static bool parse_figure(const char *text, const char *s, struct ivalue *out, const char **why)
{
    const char *prefix = starts_with(s, PREFIXES);
    if (prefix)
        s += strlen(prefix);
    int decimals = 0;
    double number, high = NAN;
    size_t n = scan_number(s, &number, &decimals);
    if (!n) {
        *why = "the link text is not a value (expected a number such as 5, 5.1%, 2.3万人 or 51,730元)";
        return false;
    }
    s += n;
    char *ratio = NULL;
    double second;
    int d2;
    size_t n2;
    if (*s == ':' && (n2 = scan_number(s + 1, &second, &d2)) > 0 && s[1] != '-' && second != 0) {
        ratio = xstrndup(s, n2 + 1); /* 2.50:1 — the unit is ":1", the value the quotient */
        s += n2 + 1;
    }
    bool percent = *s == '%';
    size_t range = ratio ? 0 : scan_range(s + percent, percent, &high);
    if (range)
        s += percent + range;
    const char *inner = starts_with(s, INNER);
    if (inner)
        s += strlen(inner);
    double scale = 1;
    const char *magnitude = ratio ? "" : magnitude_at(s, &scale);
    s += strlen(magnitude);
    if (!inner && (inner = starts_with(s, INNER)))
        s += strlen(inner);
    size_t rest = strlen(s);
    const char *trailing = "";
    for (const char *const *q = QUALIFIERS; *q; q++)
        if (ends_with(s, rest, *q)) {
            trailing = *q;
            rest -= strlen(*q);
            break;
        }
    /* 4.5%—5%: the % read with the range is the unit */
    char *unit = ratio ? xstrdup(ratio) : xasprintf("%s%.*s", range && percent ? "%" : "", (int)rest, s);
    if (!ratio && !unit_ok(unit)) {
        free(unit);
        *why = "the text after the number is not a unit (a unit is Han characters, %, ‰ or a "
               "Latin symbol, e.g. 元, 万人, 微克/立方米)";
        return false;
    }
    out->text = xstrdup(text);
    out->prefix = xstrdup(prefix ? prefix : "");
    out->number = number;
    out->value = ratio ? number / second : number * scale;
    out->high = isnan(high) ? NAN : high * scale;
    out->decimals = decimals;
    out->magnitude = xstrdup(magnitude);
    out->unit = unit;
    out->qualifier = xasprintf("%s%s", inner ? inner : "", trailing);
    free(ratio);
    return true;
}

bool ivalue_parse(const char *text, struct ivalue *out, const char **why)
{
    memset(out, 0, sizeof *out);
    out->high = NAN;
    char *ascii = ascii_figures(text);
    bool ok = parse_figure(text, ascii, out, why);
    free(ascii);
    return ok;
}

void ivalue_free(struct ivalue *v)
{
    free(v->text);
    free(v->prefix);
    free(v->magnitude);
    free(v->unit);
    free(v->qualifier);
    memset(v, 0, sizeof *v);
}

char *ivalue_unit_label(const struct ivalue *v) { return xasprintf("%s%s", v->magnitude, v->unit); }

bool indicator_is_link(const char *url) { return url && strncmp(url, "kpi:", 4) == 0; }

/* ---- collection ------------------------------------------------------ */

/* First item per key (an id, or id and period): 10,000 annotations must
 * not mean 10^8 comparisons. Open addressing, keys owned. */
struct first_table {
    char **keys;
    int *items;
    size_t cap, n;
};

static size_t key_hash(const char *s)
{
    size_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static int first_get(const struct first_table *t, const char *key)
{
    for (size_t i = t->cap ? key_hash(key) & (t->cap - 1) : 0; t->cap && t->keys[i];
         i = (i + 1) & (t->cap - 1))
        if (!strcmp(t->keys[i], key))
            return t->items[i];
    return -1;
}

static void first_insert(struct first_table *t, char *key, int item)
{
    size_t i = key_hash(key) & (t->cap - 1);
    while (t->keys[i])
        i = (i + 1) & (t->cap - 1);
    t->keys[i] = key;
    t->items[i] = item;
    t->n++;
}

/* Records item under key unless the key has an item already. */
static void first_put(struct first_table *t, const char *key, int item)
{
    if (first_get(t, key) >= 0)
        return;
    if (2 * (t->n + 1) > t->cap) {
        struct first_table old = *t;
        t->cap = old.cap ? old.cap * 2 : 64;
        t->keys = xcalloc(t->cap, sizeof *t->keys);
        t->items = xcalloc(t->cap, sizeof *t->items);
        t->n = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.keys[i])
                first_insert(t, old.keys[i], old.items[i]);
        free(old.keys);
        free(old.items);
    }
    first_insert(t, xstrdup(key), item);
}

static void first_free(struct first_table *t)
{
    for (size_t i = 0; i < t->cap; i++)
        free(t->keys[i]);
    free(t->keys);
    free(t->items);
}

struct collector {
    struct indicators *set;
    int cap;                /* of set->items and nodes */
    struct first_table labelled; /* id -> first item with a label */
    struct first_table periods;  /* id@period -> first item */
    const char *src, *file;
    const struct meta *meta;
    struct diag *d;
    cmark_node **nodes;     /* the link node of each item */
    size_t cursor;          /* where the last kpi link was found in src */
    size_t counted;         /* lines are counted up to here */
    int line_at;            /* the line at `counted` */
    size_t line_start;      /* offset of that line's start */
    size_t *hits;           /* where each kpi link's "](kpi:" is in src */
    size_t nhits, hits_cap;
};

static char *plain_text(cmark_node *n)
{
    struct buf b = {0};
    cmark_iter *it = cmark_iter_new(n);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *c = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(c);
        if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE))
            buf_puts(&b, cmark_node_get_literal(c));
    }
    cmark_iter_free(it);
    return buf_detach(&b);
}

/* Line and column (in characters) of the '[' opening the link whose
 * destination is url, searching on from the previous link. */
static void locate(struct collector *c, const char *url, int fallback_line, int *line, int *col)
{
    char *needle = xasprintf("](%s", url);
    const char *hit = strstr(c->src + c->cursor, needle);
    if (!hit) /* out of order (e.g. a table): search from the start again */
        hit = strstr(c->src, needle);
    free(needle);
    *line = fallback_line, *col = 1;
    if (!hit)
        return;
    c->cursor = (size_t)(hit - c->src) + 2;
    if (c->nhits == c->hits_cap) {
        c->hits_cap = c->hits_cap ? c->hits_cap * 2 : 64;
        c->hits = xreallocarray(c->hits, c->hits_cap, sizeof *c->hits);
    }
    c->hits[c->nhits++] = (size_t)(hit - c->src);
    const char *open = hit;
    int depth = 0;
    while (open > c->src) {
        open--;
        if (*open == ']')
            depth++;
        else if (*open == '[' && depth-- == 0)
            break;
    }
    /* lines are counted on from the previous link, so a pass stays linear */
    size_t at = (size_t)(open - c->src);
    if (at < c->counted)
        c->counted = 0, c->line_at = 1, c->line_start = 0;
    for (const char *p = c->src + c->counted; p < open; p++)
        if (*p == '\n')
            c->line_at++, c->line_start = (size_t)(p - c->src) + 1;
    c->counted = at;
    int cl = 1;
    for (const char *p = c->src + c->line_start; p < open; p++)
        if (((unsigned char)*p & 0xC0) != 0x80)
            cl++;
    *line = c->line_at, *col = cl;
}

static const struct meta_indicator *meta_for(const struct meta *m, const char *id)
{
    for (int i = 0; m && i < m->nindicators; i++)
        if (!strcmp(m->indicators[i].id, id))
            return &m->indicators[i];
    return NULL;
}

static bool valid_id(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

static const char *known_label(struct collector *c, const char *id)
{
    int i = first_get(&c->labelled, id);
    if (i >= 0)
        return c->set->items[i].label;
    const struct meta_indicator *mi = meta_for(c->meta, id);
    return mi && mi->label ? mi->label : NULL;
}

static char *period_key(const struct indicator *ind)
{
    return xasprintf("%s@%s", ind->id, ind->period);
}

static void check_conflict(struct collector *c, const struct indicator *ind)
{
    char *key = period_key(ind);
    int i = first_get(&c->periods, key);
    free(key);
    if (i >= 0) {
        const struct indicator *o = &c->set->items[i];
        bool same = fabs(o->v.value - ind->v.value) <= 1e-9 * fmax(1, fabs(o->v.value)) &&
                    !strcmp(o->v.unit, ind->v.unit) && !strcmp(o->v.qualifier, ind->v.qualifier) &&
                    !strcmp(o->v.prefix, ind->v.prefix);
        if (!same)
            diag_add_rule(c->d, DIAG_ERROR, c->file, ind->line, ind->col, "indicator-conflict",
                     "indicator %s%s%s is '%s' here but '%s' at line %d", ind->id,
                     *ind->period ? "@" : "", ind->period, ind->v.text, o->v.text, o->line);
    }
}

/* Appends ind, and records it as the first of its id and period, and of
 * its id with a label, where it is. */
static void append(struct collector *c, struct indicator *ind, cmark_node *link)
{
    struct indicators *set = c->set;
    if (set->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        set->items = xreallocarray(set->items, (size_t)c->cap, sizeof *set->items);
        c->nodes = xreallocarray(c->nodes, (size_t)c->cap, sizeof *c->nodes);
    }
    c->nodes[set->n] = link;
    set->items[set->n] = *ind;
    char *key = period_key(ind);
    first_put(&c->periods, key, set->n);
    free(key);
    if (*ind->label)
        first_put(&c->labelled, ind->id, set->n);
    set->n++;
}

static void add_link(struct collector *c, cmark_node *link)
{
    const char *url = cmark_node_get_url(link);
    const char *ref = url + 4;
    const char *at = strchr(ref, '@');
    size_t idlen = at ? (size_t)(at - ref) : strlen(ref);
    struct indicator ind = {0};
    locate(c, url, cmark_node_get_start_line(link), &ind.line, &ind.col);
    if (!valid_id(ref, idlen) || (at && (!at[1] || strpbrk(at + 1, " \t")))) {
        diag_add(c->d, DIAG_ERROR, c->file, ind.line, ind.col,
                 "bad indicator reference '%s' (expected kpi:ID or kpi:ID@PERIOD, ID made of "
                 "a-z, 0-9 and -)",
                 url);
        return;
    }
    char *text = plain_text(link);
    const char *why;
    bool ok = ivalue_parse(text, &ind.v, &why);
    if (!ok) {
        diag_add_rule(c->d, DIAG_ERROR, c->file, ind.line, ind.col, "indicator-annotation",
                      "indicator '%s': %s", text, why);
        free(text);
        return;
    }
    free(text);
    ind.id = xstrndup(ref, idlen);
    ind.period = xstrdup(at ? at + 1 : "");
    const char *title = cmark_node_get_title(link);
    const char *label = title && *title ? title : known_label(c, ind.id);
    ind.label = xstrdup(label ? label : "");
    const struct meta_indicator *mi = meta_for(c->meta, ind.id);
    ind.better = mi ? mi->better : 0;
    ind.section = xstrdup(""); /* the document model knows the section */
    check_conflict(c, &ind);
    append(c, &ind, link);
}

/* ---- annotations that did not become indicators ---------------------- */

const char *indicators_nearest_id(const struct indicators *set, const char *id)
{
    const char *best = NULL;
    size_t best_d = strlen(id) >= 8 ? 3 : 2; /* closer than this, or no guess */
    for (int i = 0; set && i < set->n; i++) {
        size_t dist = utf8_edit_distance(id, set->items[i].id);
        if (dist > 0 && dist < best_d)
            best = set->items[i].id, best_d = dist;
    }
    return best;
}

static void line_col(const char *src, size_t at, int *line, int *col)
{
    *line = 1, *col = 1;
    for (size_t i = 0; i < at; i++) {
        if (src[i] == '\n')
            (*line)++, *col = 1;
        else if (((unsigned char)src[i] & 0xC0) != 0x80)
            (*col)++;
    }
}

/* The '[' opening the link text that ends at "](" (at), on its line. */
static size_t link_open(const char *src, size_t at)
{
    int depth = 0;
    for (size_t i = at; i-- > 0 && src[i] != '\n';) {
        if (src[i] == ']')
            depth++;
        else if (src[i] == '[' && depth-- == 0)
            return i;
    }
    return at;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static bool found_at(const struct collector *c, size_t at)
{
    return c->nhits && bsearch(&at, c->hits, c->nhits, sizeof *c->hits, cmp_size) != NULL;
}

/* An unclosed annotation looks like a whole one without its ')':
 * kpi:ID[@PERIOD] then the end of the line, a title or the text going on
 * (not a ']' or '(' of some other bracket soup). */
static bool looks_like_annotation(const char *dest)
{
    const char *p = dest;
    while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')
        p++;
    if (p == dest)
        return false;
    if (*p == '@')
        while (*p && *p != ' ' && *p != '\n' && *p != ']' && *p != '(' && *p != ')' && *p != '[')
            p++;
    return *p != ']' && *p != '(' && *p != '[';
}

static void report_unlinked(struct collector *c, size_t at, const char *scheme)
{
    int line, col;
    size_t open = link_open(c->src, at);
    line_col(c->src, open, &line, &col);
    const char *eol = strchr(c->src + open, '\n');
    if (strcmp(scheme, "kpi")) {
        diag_add_rule(c->d, DIAG_ERROR, c->file, line, col, "indicator-annotation",
                      "link scheme '%s:' is not an indicator: did you mean 'kpi:'?", scheme);
        return;
    }
    /* the end of the destination and title: where the ')' belongs */
    const char *dest = c->src + at + 2, *end = dest;
    while (*end && *end != '\n' && *end != ' ' && *end != ')')
        end++;
    if (*end == ' ' && end[1] == '"' && strchr(end + 2, '"') && strchr(end + 2, '"') < (eol ? eol : end + strlen(end)))
        end = strchr(end + 2, '"') + 1;
    diag_add_rule(c->d, DIAG_ERROR, c->file, line, col, "indicator-annotation",
                  "indicator annotation is not a link (no closing parenthesis): did you mean '%.*s)'?",
                  (int)(end - (c->src + open)), c->src + open);
}

/* The link text before "](" at is a value as written: short, no brackets. */
static bool plain_link_text(const char *src, size_t at)
{
    size_t open = link_open(src, at);
    if (open == at || at - open > 48)
        return false;
    for (size_t i = open + 1; i < at; i++)
        if (src[i] == '[' || src[i] == ']')
            return false;
    return true;
}

/* Does the line at p open or close a fenced code block (```, ~~~)? */
static bool fence_line(const char *p)
{
    while (*p == ' ')
        p++;
    return !strncmp(p, "```", 3) || !strncmp(p, "~~~", 3);
}

/* "](kpi:" that cmark did not read as a link (a missing ')'), and links
 * whose scheme is one letter away from kpi: (kpl:, kp:, kpii:). Text in
 * fenced code blocks is not Markdown. One pass over the text. */
static void check_unlinked(struct collector *c)
{
    if (c->nhits)
        qsort(c->hits, c->nhits, sizeof *c->hits, cmp_size);
    bool fenced = false;
    for (const char *line = c->src; line && *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        if (fence_line(line))
            fenced = !fenced;
        for (const char *p = line; !fenced && (p = memchr(p, ']', len - (size_t)(p - line))); p++) {
            if (p[1] != '(')
                continue;
            size_t at = (size_t)(p - c->src), n = 0;
            while (n < 8 && ((p[2 + n] >= 'a' && p[2 + n] <= 'z') || (p[2 + n] >= 'A' && p[2 + n] <= 'Z')))
                n++;
            if (n == 0 || n >= 8 || p[2 + n] != ':')
                continue;
            char scheme[9];
            snprintf(scheme, sizeof scheme, "%.*s", (int)n, p + 2);
            for (char *q = scheme; *q; q++)
                *q = (char)(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q);
            bool kpi = !strcmp(scheme, "kpi");
            if (kpi ? !found_at(c, at) && looks_like_annotation(p + 6) && plain_link_text(c->src, at)
                    : utf8_edit_distance(scheme, "kpi") == 1 && strcmp(scheme, "api"))
                report_unlinked(c, at, scheme);
        }
        line = eol ? eol + 1 : NULL;
    }
}

/* Labels given later in the text or in the front matter serve earlier
 * occurrences too; an indicator without any label falls back to its id. */
static void fill_labels(struct collector *c)
{
    for (int i = 0; i < c->set->n; i++) {
        struct indicator *ind = &c->set->items[i];
        if (*ind->label)
            continue;
        const char *label = known_label(c, ind->id);
        free(ind->label);
        ind->label = xstrdup(label ? label : ind->id);
        first_put(&c->labelled, ind->id, i); /* later ones take this label */
        const char *near = label ? NULL : indicators_nearest_id(c->set, ind->id);
        if (near)
            diag_add(c->d, DIAG_WARNING, c->file, ind->line, ind->col,
                     "indicator '%s' appears only here, without a label: did you mean '%s'?", ind->id, near);
        else if (!label)
            diag_add(c->d, DIAG_WARNING, c->file, ind->line, ind->col,
                     "indicator '%s' has no label: give one as the link title, e.g. "
                     "[5%%](kpi:%s \"地区生产总值增速\")",
                     ind->id, ind->id);
    }
}

struct indicator_index {
    struct first_table by_period, by_id;
};

/* Indexes set with by_period (the first item of each "id@period"), which
 * the index takes over. */
static void index_with(struct indicators *set, struct first_table *by_period)
{
    indicators_unindex(set);
    struct indicator_index *x = xcalloc(1, sizeof *x);
    x->by_period = *by_period;
    *by_period = (struct first_table){0};
    for (int i = 0; i < set->n; i++)
        first_put(&x->by_id, set->items[i].id, i);
    set->index = x;
}

struct indicators *indicators_collect(cmark_node *root, const char *src, const char *file,
                                      const struct meta *m, struct diag *d)
{
    struct collector c = {.set = xcalloc(1, sizeof(struct indicators)), .src = src,
                          .file = file, .meta = m, .d = d, .line_at = 1};
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        if (cmark_node_get_type(n) == CMARK_NODE_LINK && indicator_is_link(cmark_node_get_url(n)))
            add_link(&c, n);
    }
    cmark_iter_free(it);
    fill_labels(&c);
    check_unlinked(&c);
    free(c.hits);
    c.set->nodes = c.nodes;
    first_free(&c.labelled);
    index_with(c.set, &c.periods); /* the first item of each id and period, as collected */
    return c.set;
}

void indicators_free(struct indicators *set)
{
    if (!set)
        return;
    for (int i = 0; i < set->n; i++) {
        struct indicator *ind = &set->items[i];
        free(ind->id);
        free(ind->period);
        free(ind->label);
        free(ind->section);
        ivalue_free(&ind->v);
    }
    free(set->items);
    free(set->nodes);
    indicators_unindex(set);
    free(set);
}

void indicators_index(struct indicators *set)
{
    struct first_table by_period = {0};
    for (int i = 0; i < set->n; i++) {
        char *key = period_key(&set->items[i]);
        first_put(&by_period, key, i);
        free(key);
    }
    index_with(set, &by_period);
}

void indicators_unindex(struct indicators *set)
{
    if (!set->index)
        return;
    first_free(&set->index->by_period);
    first_free(&set->index->by_id);
    free(set->index);
    set->index = NULL;
}

const struct indicator *indicators_find(const struct indicators *set, const char *id,
                                        const char *period)
{
    if (set && set->index) {
        char small[128], *key = NULL;
        if (period && snprintf(small, sizeof small, "%s@%s", id, period) >= (int)sizeof small)
            key = xasprintf("%s@%s", id, period);
        int i = period ? first_get(&set->index->by_period, key ? key : small) : first_get(&set->index->by_id, id);
        free(key);
        return i >= 0 ? &set->items[i] : NULL;
    }
    for (int i = 0; set && i < set->n; i++)
        if (!strcmp(set->items[i].id, id) && (!period || !strcmp(set->items[i].period, period)))
            return &set->items[i];
    return NULL;
}
