/* The lint driver: runs every rule over the prose stream, drops what the
 * options and inline lint-disable comments switch off, and adds the rest
 * to the diagnostics in source order. */
#include "lint.h"
#include "buf.h"
#include "lint_prose.h"
#include "lint_rules.h"
#include "utf8.h"
#include "xalloc.h"
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const struct lint_rule_info RULES[RULE_COUNT] = {
    {"halfwidth-punct", DIAG_WARNING, "half-width , ; : ? ! ( ) . next to Chinese text"},
    {"fullwidth-in-latin", DIAG_WARNING,
     "full-width punctuation inside a number or a Latin word, full-width digits and letters"},
    {"space-in-han", DIAG_WARNING, "stray space between Han characters or Chinese punctuation"},
    {"space-number-unit", DIAG_WARNING,
     "space between a number and its Han unit, %, or the Han word before it"},
    {"latin-word", DIAG_WARNING, "an English word inside Chinese prose"},
    {"unbalanced-bracket", DIAG_ERROR,
     "unbalanced or mis-nested （）《》“”‘’【】〔〕 within a paragraph"},
    {"straight-quote", DIAG_WARNING, "ASCII \" or ' in Chinese text"},
    {"heading-numbering", DIAG_ERROR,
     "gaps, repeats or wrong order in 一、（一）1.（1） heading numbering"},
    {"doc-number", DIAG_ERROR, "文号 not in the form 机关代字〔2025〕1号"},
    {"date-format", DIAG_WARNING,
     "dates written 2025-01-13, 2025.1.13 or 2025/1/13 in Chinese text, or 01月 with a zero"},
    {"repeated-word", DIAG_WARNING, "a doubled function word (的的) or repeated word"},
    {"doubled-punct", DIAG_WARNING, "doubled punctuation such as ，， 。。 、、 or ？？？"},
    {"indicator-conflict", DIAG_ERROR, "one indicator written in two different units"},
    {"signed-change", DIAG_WARNING, "a sign after 增长/下降 (增长-3.2%: write 下降3.2%)"},
};

const struct lint_rule_info *lint_rules(int *count)
{
    *count = RULE_COUNT;
    return RULES;
}

static int rule_index(const char *id, size_t n)
{
    for (int i = 0; i < RULE_COUNT; i++)
        if (strlen(RULES[i].id) == n && strncmp(RULES[i].id, id, n) == 0)
            return i;
    return -1;
}

bool lint_rule_known(const char *id) { return rule_index(id, strlen(id)) >= 0; }

/* ---- the sink ---------------------------------------------------------- */

static void vreport(struct lint_sink *s, int rule, enum diag_level level, int line, int col,
                    const char *hint, const char *fmt, va_list ap)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 32;
        s->v = xreallocarray(s->v, (size_t)s->cap, sizeof *s->v);
    }
    struct buf b = {0};
    buf_vprintf(&b, fmt, ap);
    s->v[s->n++] = (struct lint_finding){rule, level, line, col, buf_detach(&b),
                                         hint ? xstrdup(hint) : NULL};
}

static bool is_lead_byte(char c) { return ((unsigned char)c & 0xC0) != 0x80; }

/* prose_pos, but counting from the position reported last when it is on
 * the same line, so that many findings on one long line stay linear. */
static void sink_pos(struct lint_sink *s, size_t off, int *line, int *col)
{
    const struct prose *p = s->p;
    size_t a = s->last_off;
    if (s->last_line && off < p->len && a < p->len &&
        prose_line_start(p, s->last_line) <= off && off < prose_line_start(p, s->last_line + 1)) {
        int c = s->last_col;
        for (size_t i = a; i < off; i++)
            c += is_lead_byte(p->src[i]);
        for (size_t i = off; i < a; i++)
            c -= is_lead_byte(p->src[i]);
        *line = s->last_line;
        *col = c;
    } else {
        prose_pos(p, off, line, col);
    }
    s->last_off = off, s->last_line = *line, s->last_col = *col;
}

void lint_report(struct lint_sink *s, enum lint_rule r, size_t off, const char *hint,
                 const char *fmt, ...)
{
    int line, col;
    sink_pos(s, off, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    vreport(s, r, RULES[r].level, line, col, hint, fmt, ap);
    va_end(ap);
}

void lint_report_level(struct lint_sink *s, enum lint_rule r, enum diag_level level,
                       size_t off, const char *hint, const char *fmt, ...)
{
    int line, col;
    sink_pos(s, off, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    vreport(s, r, level, line, col, hint, fmt, ap);
    va_end(ap);
}

static void report_line(struct lint_sink *s, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void report_line(struct lint_sink *s, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(s, RULE_NONE, DIAG_WARNING, line, 1, NULL, fmt, ap);
    va_end(ap);
}

static void report_at(struct lint_sink *s, enum lint_rule r, int line, int col,
                      const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static void report_at(struct lint_sink *s, enum lint_rule r, int line, int col,
                      const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(s, r, RULES[r].level, line, col, hint, fmt, ap);
    va_end(ap);
}

/* ---- character classes ------------------------------------------------- */

bool lint_is_wide(int32_t c)
{
    return cjk_is_han(c) || (c > 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF0F) ||
           (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
           (c >= 0xFF5B && c <= 0xFF65) || c == 0x2014 || c == 0x2026 || c == 0x00B7 ||
           c == 0x2018 || c == 0x2019 || c == 0x201C || c == 0x201D;
}

bool lint_is_space(int32_t c) { return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0; }
bool lint_is_digit(int32_t c) { return c >= '0' && c <= '9'; }
bool lint_is_alpha(int32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static bool is_curly_quote(int32_t c)
{
    return c == 0x2018 || c == 0x2019 || c == 0x201C || c == 0x201D;
}

/* A curly quote counts only when Chinese text lies beyond it (in direction
 * dir), since English uses the same quotes. */
bool lint_chinese_at(const struct prose *p, const struct prose_seg *g, int i, int dir)
{
    if (i < g->start || i >= g->end || p->ch[i].flags & (PC_BREAK | PC_OBJECT))
        return false;
    int32_t c = p->ch[i].c;
    if (!is_curly_quote(c))
        return lint_is_wide(c);
    i += dir;
    return i >= g->start && i < g->end && lint_is_wide(p->ch[i].c) &&
           !is_curly_quote(p->ch[i].c);
}

char *lint_text(const struct prose *p, int a, int b)
{
    struct buf out = {0};
    for (int i = a; i < b; i++) {
        char u[4];
        buf_put(&out, u, (size_t)utf8_encode(p->ch[i].c, u));
    }
    return out.data ? buf_detach(&out) : xstrdup("");
}

/* ---- indicators -------------------------------------------------------- */

/* The annotations themselves (bad references, text that is not a value,
 * one id and period with two values) are checked by indicators_collect
 * while the document is parsed; lint adds what needs the whole set: one
 * indicator written in different units ("5%" here, "5亿元" there), which
 * no chart can show. */
static int by_id(const void *a, const void *b)
{
    const struct indicator *x = *(const struct indicator *const *)a;
    const struct indicator *y = *(const struct indicator *const *)b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x > y) - (x < y);
}

/* Each occurrence against the first of its id: sorted by id (and reading
 * order within an id), so 10,000 annotations stay n log n. */
static void lint_indicators(const struct indicators *set, struct lint_sink *s)
{
    if (!set || set->n < 2)
        return;
    const struct indicator **v = xcalloc((size_t)set->n, sizeof *v);
    for (int i = 0; i < set->n; i++)
        v[i] = &set->items[i];
    qsort(v, (size_t)set->n, sizeof *v, by_id);
    const struct indicator *o = v[0];
    for (int i = 1; i < set->n; i++) {
        const struct indicator *ind = v[i];
        if (strcmp(o->id, ind->id) != 0)
            o = ind;
        else if (strcmp(o->v.unit, ind->v.unit) != 0)
            report_at(s, RULE_INDICATOR_CONFLICT, ind->line, ind->col,
                      "use one unit for one indicator, or a new id",
                      "indicator %s is '%s' (unit %s) here but '%s' (unit %s) at line %d",
                      ind->id, ind->v.text, ind->v.unit, o->v.text, o->v.unit, o->line);
    }
    free(v);
}

/* ---- suppression ------------------------------------------------------- */

enum directive { DIR_NONE, DIR_DISABLE, DIR_ENABLE, DIR_NEXT_LINE };

static enum directive directive_kind(const char *body, const char **rest)
{
    static const struct {
        const char *word;
        enum directive kind;
    } words[] = {{"lint-disable-next-line", DIR_NEXT_LINE},
                 {"lint-disable", DIR_DISABLE},
                 {"lint-enable", DIR_ENABLE}};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        size_t n = strlen(words[i].word);
        if (strncmp(body, words[i].word, n) == 0 &&
            (body[n] == '\0' || body[n] == ' ' || body[n] == '\t' || body[n] == '\n')) {
            *rest = body + n;
            return words[i].kind;
        }
    }
    return DIR_NONE;
}

/* The rules a directive names (all when it names none). */
static uint32_t directive_rules(const char *s, int line, struct lint_sink *sink)
{
    uint32_t bits = 0;
    bool any = false;
    for (;;) {
        while (*s == ' ' || *s == ',' || *s == '\t' || *s == '\n')
            s++;
        if (!*s)
            break;
        size_t n = strcspn(s, " ,\t\n");
        int r = rule_index(s, n);
        if (r < 0)
            report_line(sink, line, "unknown lint rule '%.*s' in a lint comment", (int)n, s);
        else
            bits |= 1u << r;
        any = true;
        s += n;
    }
    return any ? bits : (1u << RULE_COUNT) - 1;
}

static int next_text_line(const struct prose *p, int line)
{
    for (int l = line + 1; l <= p->nlines; l++) {
        size_t a = prose_line_start(p, l), b = prose_line_start(p, l + 1);
        for (size_t i = a; i < b; i++)
            if (p->src[i] != ' ' && p->src[i] != '\t' && p->src[i] != '\n' && p->src[i] != '\r')
                return l;
    }
    return 0;
}

/* For each line (1-based), the rules switched off there. */
static uint32_t *suppressed_lines(const struct prose *p, struct lint_sink *sink)
{
    uint32_t *mask = xcalloc((size_t)p->nlines + 2, sizeof *mask);
    uint32_t cur = 0;
    int next = 1;
    for (int i = 0; i < p->ncomment; i++) {
        const struct prose_comment *c = &p->comment[i];
        const char *rest;
        enum directive kind = directive_kind(c->body, &rest);
        if (kind == DIR_NONE)
            continue;
        for (; next <= c->end_line && next <= p->nlines; next++)
            mask[next] |= cur;
        uint32_t bits = directive_rules(rest, c->line, sink);
        if (kind == DIR_DISABLE)
            cur |= bits;
        else if (kind == DIR_ENABLE)
            cur &= ~bits;
        else
            mask[next_text_line(p, c->end_line)] |= bits;
    }
    for (; next <= p->nlines; next++)
        mask[next] |= cur;
    return mask;
}

static uint32_t disabled_by_opts(const struct lint_opts *opts)
{
    uint32_t bits = 0;
    if (opts && opts->disabled)
        for (const char **id = opts->disabled; *id; id++) {
            int r = rule_index(*id, strlen(*id));
            if (r >= 0)
                bits |= 1u << r;
        }
    return bits;
}

/* ---- running ----------------------------------------------------------- */

static int by_position(const void *a, const void *b)
{
    const struct lint_finding *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1;
    return strcmp(x->msg, y->msg);
}

static void run_rules(const struct doc *doc, const struct prose *p, struct lint_sink *s)
{
    for (int i = 0; i < p->nseg; i++) {
        lint_punct(p, &p->seg[i], s);
        lint_brackets(p, i, s);
        lint_words(p, &p->seg[i], s);
    }
    lint_headings(p, s);
    lint_meta(p, &doc->meta, s);
    lint_indicators(doc->indicators, s);
}

/* off: rules switched off for the run; lines: per line, by comments. */
static bool muted(const struct lint_finding *f, uint32_t off, const uint32_t *lines, int nlines)
{
    if (f->rule == RULE_NONE)
        return false;
    uint32_t bit = 1u << f->rule;
    return (off & bit) || (f->line >= 1 && f->line <= nlines && (lines[f->line] & bit));
}

static void emit(const struct doc *doc, const struct lint_finding *f, bool warnings_only,
                 struct diag *d)
{
    enum diag_level level = warnings_only && f->level == DIAG_ERROR ? DIAG_WARNING : f->level;
    if (f->rule == RULE_NONE)
        diag_add(d, level, doc->file, f->line, f->col, "%s", f->msg);
    else
        diag_add_rule(d, level, doc->file, f->line, f->col, RULES[f->rule].id, "%s", f->msg);
    diag_set_hint(d, f->hint);
}

void lint_run(const struct doc *doc, const struct lint_opts *opts, struct diag *d)
{
    struct prose *p = prose_new(doc);
    struct lint_sink s = {.p = p};
    run_rules(doc, p, &s);
    uint32_t *lines = suppressed_lines(p, &s);
    uint32_t off = disabled_by_opts(opts);
    if (s.n)
        qsort(s.v, (size_t)s.n, sizeof *s.v, by_position);
    for (int i = 0; i < s.n; i++) {
        const struct lint_finding *f = &s.v[i];
        if (!muted(f, off, lines, p->nlines))
            emit(doc, f, opts && opts->warnings_only, d);
        free(f->msg);
        free(f->hint);
    }
    free(s.v);
    free(lines);
    prose_free(p);
}
