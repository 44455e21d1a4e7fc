/* `briefing lint`: proofreading findings as GCC-style lines or JSON. */
#ifndef BRIEFING_CLI_LINT_H
#define BRIEFING_CLI_LINT_H
#include <stdio.h>

/* argv[1] is "lint". Findings go to out; usage errors to err. Exit status:
 * 0 clean or warnings only, 1 any error-level finding, 2 usage error. */
int cli_lint(int argc, char **argv, FILE *out, FILE *err);

#endif
