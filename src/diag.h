/* Diagnostics: a list of findings with file, line and column. Modules add
 * to it; only the CLI prints it (GCC style, FILE:LINE:COL: error: msg). */
#ifndef BRIEFING_DIAG_H
#define BRIEFING_DIAG_H
#include <stdbool.h>
#include <stdio.h>

enum diag_level { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

struct diag_item {
    enum diag_level level;
    char *file;     /* may be NULL: a finding about the run, not a file */
    int line, col;  /* 1-based; 0 when unknown */
    char *rule;     /* optional rule id, e.g. "halfwidth-punct"; may be NULL */
    char *msg;
    char *hint;     /* optional fix suggestion, printed as "(suggestion: …)" */
};

struct diag {
    struct diag_item *items;
    int count, cap;
    int errors, warnings;
};

struct diag *diag_new(void);
void diag_free(struct diag *d);
void diag_add(struct diag *d, enum diag_level level, const char *file, int line, int col,
              const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void diag_add_rule(struct diag *d, enum diag_level level, const char *file, int line,
                   int col, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* Attaches a fix suggestion to the item added last. */
void diag_set_hint(struct diag *d, const char *hint);
/* Moves every item of src to the end of dst. */
void diag_move(struct diag *dst, struct diag *src);
bool diag_has_errors(const struct diag *d);
/* Writes all items, one per line, to f. */
void diag_print(const struct diag *d, FILE *f);
/* The same, leaving out items below least (-q: errors only). */
void diag_print_level(const struct diag *d, enum diag_level least, FILE *f);

#endif
