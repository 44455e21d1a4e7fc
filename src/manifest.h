/* The batch manifest (SPEC §3.6): the report, the template, the formats,
 * and the departments with their keywords and indicators. */
#ifndef BRIEFING_MANIFEST_H
#define BRIEFING_MANIFEST_H
#include "diag.h"
#include <stdbool.h>
#include <stddef.h>

struct department {
    char *id, *name;
    char **keywords;      /* NULL-terminated */
    char **indicators;    /* NULL-terminated kpi ids */
    int *indicator_lines; /* line of each indicator id, for diagnostics */
    char *template_name;  /* NULL: the manifest's */
    int line;             /* line of the entry in the manifest */
};

struct manifest {
    char *file;           /* the manifest's path, for diagnostics */
    char *report;         /* path of the report, resolved against the manifest's folder */
    int report_line;
    char *template_name;
    int template_line;
    bool pdf, html, md;   /* formats */
    struct department *depts;
    int ndepts;
};

/* Parses a manifest's YAML; file names it in diagnostics and anchors the
 * relative report path. NULL (with errors in d) on failure. */
struct manifest *manifest_parse(const char *yaml, size_t len, const char *file, struct diag *d);
struct manifest *manifest_load(const char *path, struct diag *d);
void manifest_free(struct manifest *m);

#endif
