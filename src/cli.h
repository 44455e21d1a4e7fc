/* The command line: argv in, exit status out. The only module that prints. */
#ifndef BRIEFING_CLI_H
#define BRIEFING_CLI_H
#include <stdio.h>

/* Exit status: 0 success, 1 input or render errors, 2 usage errors. */
int cli_main(int argc, char **argv, FILE *out, FILE *err);

#endif
