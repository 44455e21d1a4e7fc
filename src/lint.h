/* Proofreading checks for Chinese official texts (SPEC §6). */
#ifndef BRIEFING_LINT_H
#define BRIEFING_LINT_H
#include "diag.h"
#include "doc.h"
#include <stdbool.h>

struct lint_opts {
    const char **disabled; /* rule ids switched off (NULL-terminated), may be NULL */
    bool warnings_only;    /* report error-level findings as warnings (for render) */
};

/* Adds one finding per problem to d (with rule id, line, column and a fix
 * suggestion as the item's hint), in source order. Inline
 * <!-- lint-disable RULE --> comments are honoured. */
void lint_run(const struct doc *doc, const struct lint_opts *opts, struct diag *d);

struct lint_rule_info {
    const char *id;          /* stable kebab-case id, e.g. "halfwidth-punct" */
    enum diag_level level;   /* severity of its findings */
    const char *summary;     /* one line, for --list-rules and the README */
};

/* The rules in a fixed order; *count receives their number. */
const struct lint_rule_info *lint_rules(int *count);
bool lint_rule_known(const char *id);

#endif
