/* `briefing batch`: one summary per department of a manifest, rendered in
 * parallel threads (each with its own fonts, all preferring the template's
 * faces cut down once to the batch's characters, see fontsubset.h), plus
 * the full report and an index.html. The full report is parsed and laid
 * out once, before the workers start, and written by the first worker job;
 * every summary points into its pages. Reports progress through a
 * callback; never prints. */
#ifndef BRIEFING_BATCH_H
#define BRIEFING_BATCH_H
#include "diag.h"
#include <signal.h>
#include <stdbool.h>

struct batch_opts {
    const char *manifest, *outdir;
    int jobs;                          /* worker threads, >= 1 */
    int formats;                       /* 0: the manifest's; else BATCH_PDF | BATCH_HTML | BATCH_MD */
    int pdf_standard;                  /* enum pdf_standard for every PDF; -1: each template's */
    /* called (serialised) as departments finish; status NULL for success */
    void (*progress)(void *ctx, int done, int total, const char *id, const char *name,
                     const char *status);
    void *progress_ctx;
    volatile sig_atomic_t *stop;       /* set by a signal handler: finish no more work */
};

enum { BATCH_PDF = 1, BATCH_HTML = 2, BATCH_MD = 4 };

/* Runs the batch. Returns the number of departments that failed, or -1
 * when nothing could run (manifest, report or template errors). Details
 * of every failure are in d. */
int batch_run(const struct batch_opts *o, struct diag *d);

#endif
