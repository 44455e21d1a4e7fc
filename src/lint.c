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
            lint_report_at(s, RULE_INDICATOR_CONFLICT, ind->line, ind->col,
                      "use one unit for one indicator, or a new id",
                      "indicator %s is '%s' (unit %s) here but '%s' (unit %s) at line %d",
                      ind->id, ind->v.text, ind->v.unit, o->v.text, o->v.unit, o->line);
    }
    free(v);
}

/* ---- suppression ------------------------------------------------------- */

/* The rules a directive names (all when it names none). */
static uint32_t directive_rules(char *const *ids, int line, struct lint_sink *sink)
{
    if (!ids)
        return (1u << RULE_COUNT) - 1;
    uint32_t bits = 0;
    for (; *ids; ids++) {
        int r = lint_rule_index(*ids, strlen(*ids));
        if (r < 0)
            lint_report_line(sink, line, "unknown lint rule '%s' in a lint comment", *ids);
        else
            bits |= 1u << r;
    }
    return bits;
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
        for (; next <= c->end_line && next <= p->nlines; next++)
            mask[next] |= cur;
        uint32_t bits = directive_rules(c->rules, c->line, sink);
        if (c->kind == LINT_DISABLE)
            cur |= bits;
        else if (c->kind == LINT_ENABLE)
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
            int r = lint_rule_index(*id, strlen(*id));
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
    int nrules;
    if (f->rule == RULE_NONE)
        diag_add(d, level, doc->file, f->line, f->col, "%s", f->msg);
    else
        diag_add_rule(d, level, doc->file, f->line, f->col, lint_rules(&nrules)[f->rule].id, "%s",
                      f->msg);
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
