/* The lint rules and the sink they report to (lint_sink.c). lint.c runs
 * them, filters their findings (--disable, inline lint-disable comments)
 * and hands them to the diagnostics. Rules live in lint_punct.c (punctuation, spacing,
 * brackets), lint_words.c (Latin words, repeated words, dates, 文号 in the
 * text) and lint_struct.c (heading numbering, front matter). */
#ifndef BRIEFING_LINT_RULES_H
#define BRIEFING_LINT_RULES_H
#include "diag.h"
#include "frontmatter.h"
#include "lint_prose.h"
#include <stdbool.h>

/* In the order of lint_rules() (lint.c). */
enum lint_rule {
    RULE_HALFWIDTH_PUNCT,
    RULE_FULLWIDTH_IN_LATIN,
    RULE_SPACE_IN_HAN,
    RULE_SPACE_NUMBER_UNIT,
    RULE_LATIN_WORD,
    RULE_UNBALANCED_BRACKET,
    RULE_STRAIGHT_QUOTE,
    RULE_HEADING_NUMBERING,
    RULE_DOC_NUMBER,
    RULE_DATE_FORMAT,
    RULE_REPEATED_WORD,
    RULE_DOUBLED_PUNCT,
    RULE_INDICATOR_CONFLICT,
    RULE_SIGNED_CHANGE,
    RULE_COUNT,
    RULE_NONE = -1 /* a finding about the lint comments themselves */
};

struct lint_finding {
    int rule;                /* enum lint_rule or RULE_NONE */
    enum diag_level level;
    int line, col;
    char *msg, *hint;        /* owned; hint may be NULL */
};

struct lint_sink {
    const struct prose *p;
    struct lint_finding *v;
    int n, cap;
    size_t last_off;         /* the position reported last, to count columns */
    int last_line, last_col; /* from there on a long line (0: none yet) */
};

/* Reports a finding of rule r at byte offset off, at the rule's severity. */
void lint_report(struct lint_sink *s, enum lint_rule r, size_t off, const char *hint,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The same with an explicit severity. */
void lint_report_level(struct lint_sink *s, enum lint_rule r, enum diag_level level,
                       size_t off, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* A finding at a line and column (1-based) rather than an offset. */
void lint_report_at(struct lint_sink *s, enum lint_rule r, int line, int col, const char *hint,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* A finding about a lint comment itself (no rule), at a line. */
void lint_report_line(struct lint_sink *s, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The rule with this id (n bytes), or -1. */
int lint_rule_index(const char *id, size_t n);

/* Character classes shared by the rules. */
bool lint_is_wide(int32_t c);   /* Han or full-width (CJK) punctuation */
bool lint_is_space(int32_t c);  /* space, tab, U+3000, no-break space */
bool lint_is_digit(int32_t c);
bool lint_is_alpha(int32_t c);  /* ASCII letter */
/* Is c one of the code points of the UTF-8 string set? */
bool lint_cp_in(const char *set, int32_t c);
/* Whether ch[i], inside segment g, is Chinese text: Han or CJK punctuation. */
bool lint_chinese_at(const struct prose *p, const struct prose_seg *g, int i, int dir);
/* The UTF-8 text of ch[a..b) (a fresh string). */
char *lint_text(const struct prose *p, int a, int b);

void lint_punct(const struct prose *p, const struct prose_seg *seg, struct lint_sink *s);
void lint_brackets(const struct prose *p, int segi, struct lint_sink *s);
void lint_words(const struct prose *p, const struct prose_seg *seg, struct lint_sink *s);
void lint_headings(const struct prose *p, struct lint_sink *s);
void lint_meta(const struct prose *p, const struct meta *m, struct lint_sink *s);

#endif
