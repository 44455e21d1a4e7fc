/* `briefing import`: the command line of the importer. */
#ifndef BRIEFING_CLI_IMPORT_H
#define BRIEFING_CLI_IMPORT_H
#include <stdio.h>

/* argv[1] is "import". Exit status: 0 written, 1 input errors (no output
 * file is written), 2 usage errors. */
int cli_import(int argc, char **argv, FILE *out, FILE *err);

#endif
