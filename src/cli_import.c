#include "cli_import.h"
#include "doc.h"
#include "import.h"
#include "manifest.h"
#include "output.h"
#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
    "usage: briefing import IN.txt|IN.docx|IN.html [-o OUT.md] [--indicators] [--manifest M.yaml]\n"
    "\n"
    "Writes annotated Markdown from a report's plain text (UTF-8 or GB18030),\n"
    "Word .docx or saved web page: title block and front matter, headings from\n"
    "the numbering, notes; lines a web page adds are dropped and listed on stderr.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE   where to write (default: - for stdout)\n"
    "  --indicators        annotate figures as kpi: links (ids from the label)\n"
    "  --manifest FILE     tag sections and paragraphs with departments by keyword\n";

static int usage(FILE *err, const char *msg, const char *arg)
{
    fprintf(err, "briefing: error: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    fputs("Try 'briefing import --help'.\n", err);
    return 2;
}

int cli_import(int argc, char **argv, FILE *out, FILE *err)
{
    const char *in = NULL, *dst = "-", *manifest_path = NULL;
    bool indicators = false;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(USAGE, out);
            return 0;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (!has_value)
                return usage(err, "missing value for", a);
            dst = argv[++i];
        } else if (!strcmp(a, "--manifest")) {
            if (!has_value)
                return usage(err, "missing value for", a);
            manifest_path = argv[++i];
        } else if (!strcmp(a, "--indicators")) {
            indicators = true;
        } else if (a[0] == '-' && a[1]) {
            return usage(err, !strcmp(a, "--indicator") ? "unknown option (did you mean --indicators?)"
                                                       : "unknown option", a);
        } else if (!in) {
            in = a;
        } else {
            return usage(err, "more than one input file", a);
        }
    }
    if (!in)
        return usage(err, "import needs an input file (.txt or .docx, or - for stdin)", NULL);
    struct diag *d = diag_new();
    struct manifest *m = manifest_path ? manifest_load(manifest_path, d) : NULL;
    size_t len = 0;
    char *bytes = diag_has_errors(d) ? NULL : doc_read_file(in, &len, d);
    struct import_opts o = {.file = strcmp(in, "-") ? in : "<stdin>", .indicators = indicators,
                            .manifest = m};
    struct buf md = {0};
    if (!diag_has_errors(d) && import_document(bytes ? bytes : "", len, &o, &md, d)) {
        diag_add(d, DIAG_NOTE, o.file, 0, 0, "read as %s", o.encoding);
        output_write(dst, md.data, md.len, d);
    }
    diag_print(d, err);
    int rc = diag_has_errors(d) ? 1 : 0;
    buf_free(&md);
    free(bytes);
    manifest_free(m);
    diag_free(d);
    return rc;
}
