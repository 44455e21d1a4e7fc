/* Writing output files atomically: a temporary file in the same folder,
 * renamed over the target only when complete. "-" writes to stdout. */
#ifndef BRIEFING_OUTPUT_H
#define BRIEFING_OUTPUT_H
#include "diag.h"
#include <stdbool.h>
#include <stddef.h>

bool output_write(const char *path, const void *data, size_t len, struct diag *d);
/* Deletes the temporary files of writes in progress. Async-signal-safe:
 * for a SIGINT handler, so an interrupted run leaves nothing behind. */
void output_remove_temporaries(void);

#endif
