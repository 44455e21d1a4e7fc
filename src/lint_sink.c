/* What the lint rules share: the rule table, the sink their findings go
 * to (with positions counted from byte offsets), character classes and
 * text helpers. The driver (lint.c) runs the rules and filters what they
 * report; it is not part of this library. */
#include "lint.h"
#include "buf.h"
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

int lint_rule_index(const char *id, size_t n)
{
    for (int i = 0; i < RULE_COUNT; i++)
        if (strlen(RULES[i].id) == n && strncmp(RULES[i].id, id, n) == 0)
            return i;
    return -1;
}

bool lint_rule_known(const char *id) { return lint_rule_index(id, strlen(id)) >= 0; }

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

void lint_report_line(struct lint_sink *s, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(s, RULE_NONE, DIAG_WARNING, line, 1, NULL, fmt, ap);
    va_end(ap);
}

void lint_report_at(struct lint_sink *s, enum lint_rule r, int line, int col, const char *hint,
                    const char *fmt, ...)
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
