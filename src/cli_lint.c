#include "cli_lint.h"
#include "buf.h"
#include "export.h"
#include "diag.h"
#include "doc.h"
#include "lint.h"
#include "xalloc.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
    "usage: briefing lint IN.md [--format text|json] [--disable RULE]...\n"
    "       briefing lint --list-rules\n"
    "\n"
    "Proofreads a report: punctuation, spacing, brackets, heading numbering,\n"
    "文号 and dates. IN may be - for stdin.\n"
    "\n"
    "options:\n"
    "  --format FORMAT   text (FILE:LINE:COL: warning[rule]: message), or json\n"
    "  --disable RULE    switch a rule off (repeatable, or RULE,RULE)\n"
    "  --list-rules      list the rules with their severity\n"
    "  -h, --help        show this help\n"
    "\n"
    "In the report, <!-- lint-disable RULE --> ... <!-- lint-enable RULE -->\n"
    "or <!-- lint-disable-next-line RULE --> switch rules off for some lines.\n"
    "Exit status: 0 clean or warnings only, 1 errors, 2 usage errors.\n";

struct lint_args {
    const char *in, *format;
    const char **disabled; /* NULL-terminated */
    int ndisabled;
    bool list;
};

static int usage_error(FILE *err, const char *msg, const char *arg)
{
    fprintf(err, "briefing: error: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    fputs("Try 'briefing lint --help'.\n", err);
    return 2;
}

/* Adds each rule of a comma-separated list; returns false on an unknown id. */
static bool add_disabled(struct lint_args *a, char *list, FILE *err)
{
    for (char *id = strtok(list, ","); id; id = strtok(NULL, ",")) {
        if (!lint_rule_known(id)) {
            usage_error(err, "unknown rule (see briefing lint --list-rules)", id);
            return false;
        }
        a->disabled = xreallocarray(a->disabled, (size_t)a->ndisabled + 2, sizeof *a->disabled);
        a->disabled[a->ndisabled++] = id;
        a->disabled[a->ndisabled] = NULL;
    }
    return true;
}

/* The value of --name VALUE or --name=VALUE at argv[*i], or NULL. */
static const char *option_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    *missing = false;
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

/* Returns -1 to go on, else the exit status. Strings in a point into argv
 * or into copies kept in *copies. */
static int parse_args(int argc, char **argv, struct lint_args *a, char ***copies, FILE *out,
                      FILE *err)
{
    int ncopies = 0;
    for (int i = 2; i < argc; i++) {
        const char *v;
        bool missing;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(USAGE, out);
            return 0;
        } else if (!strcmp(argv[i], "--list-rules")) {
            a->list = true;
        } else if ((v = option_value(argc, argv, &i, "--format", &missing))) {
            a->format = v;
        } else if ((v = option_value(argc, argv, &i, "--disable", &missing))) {
            *copies = xreallocarray(*copies, (size_t)ncopies + 2, sizeof **copies);
            (*copies)[ncopies] = xstrdup(v);
            (*copies)[++ncopies] = NULL;
            if (!add_disabled(a, (*copies)[ncopies - 1], err))
                return 2;
        } else if (missing) {
            return usage_error(err, "missing value for", argv[i]);
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage_error(err, "unknown option", argv[i]);
        } else if (!a->in) {
            a->in = argv[i];
        } else {
            return usage_error(err, "more than one input file", argv[i]);
        }
    }
    if (strcmp(a->format, "text") && strcmp(a->format, "json"))
        return usage_error(err, "unknown --format (use text or json)", a->format);
    if (!a->in && !a->list)
        return usage_error(err, "lint needs an input file (or - for stdin)", NULL);
    return -1;
}

static void list_rules(FILE *out)
{
    int n;
    const struct lint_rule_info *r = lint_rules(&n);
    for (int i = 0; i < n; i++)
        fprintf(out, "%-21s %-8s %s\n", r[i].id, r[i].level == DIAG_ERROR ? "error" : "warning",
                r[i].summary);
}

/* A JSON string, or null. */
static void json_value(struct buf *out, const char *s)
{
    if (s)
        json_string(out, s);
    else
        buf_puts(out, "null");
}

static const char *level_name(enum diag_level l)
{
    return l == DIAG_ERROR ? "error" : l == DIAG_WARNING ? "warning" : "note";
}

static void print_json(const struct diag *d, FILE *out)
{
    struct buf b = {0};
    buf_putc(&b, '[');
    for (int i = 0; i < d->count; i++) {
        const struct diag_item *it = &d->items[i];
        buf_puts(&b, i ? ",\n  {\"file\": " : "\n  {\"file\": ");
        json_value(&b, it->file);
        buf_printf(&b, ", \"line\": %d, \"column\": %d, \"severity\": \"%s\", \"rule\": ",
                   it->line, it->line > 0 && it->col < 1 ? 1 : it->col, level_name(it->level));
        json_value(&b, it->rule);
        buf_puts(&b, ", \"message\": ");
        json_value(&b, it->msg);
        buf_puts(&b, ", \"suggestion\": ");
        json_value(&b, it->hint);
        buf_putc(&b, '}');
    }
    buf_puts(&b, d->count ? "\n]\n" : "]\n");
    fputs(b.data, out);
    buf_free(&b);
}

struct ranked {
    struct diag_item item;
    int order;
};

static int by_position(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->item.line != y->item.line)
        return x->item.line < y->item.line ? -1 : 1;
    if (x->item.col != y->item.col)
        return x->item.col < y->item.col ? -1 : 1;
    return x->order - y->order;
}

/* Parse errors (front matter, annotations, charts) and lint findings in
 * one list in source order, as an editor shows them. */
static void sort_items(struct diag *d)
{
    struct ranked *r = xreallocarray(NULL, (size_t)d->count + 1, sizeof *r);
    for (int i = 0; i < d->count; i++)
        r[i] = (struct ranked){d->items[i], i};
    qsort(r, (size_t)d->count, sizeof *r, by_position);
    for (int i = 0; i < d->count; i++)
        d->items[i] = r[i].item;
    free(r);
}

/* Findings are diagnostics: text goes to stderr like every other
 * diagnostic (SPEC §2); JSON is the command's output, on stdout. */
static int run(const struct lint_args *a, FILE *out, FILE *err)
{
    struct diag *d = diag_new();
    struct doc *doc = doc_load(a->in, d);
    if (doc) {
        struct lint_opts opts = {.disabled = a->disabled};
        lint_run(doc, &opts, d);
    }
    sort_items(d);
    if (!strcmp(a->format, "json")) {
        print_json(d, out);
    } else {
        diag_print(d, err);
        /* one closing line, also when there is nothing to report */
        int problems = 0;
        for (int i = 0; i < d->count; i++)
            problems += d->items[i].level == DIAG_ERROR || d->items[i].level == DIAG_WARNING;
        fprintf(err, "%d problem%s in %s\n", problems, problems == 1 ? "" : "s",
                strcmp(a->in, "-") ? a->in : "<stdin>");
    }
    int rc = diag_has_errors(d) ? 1 : 0;
    doc_free(doc);
    diag_free(d);
    return rc;
}

int cli_lint(int argc, char **argv, FILE *out, FILE *err)
{
    struct lint_args a = {.format = "text"};
    char **copies = NULL;
    int rc = parse_args(argc, argv, &a, &copies, out, err);
    if (rc < 0 && a.list) {
        list_rules(out);
        rc = 0;
    } else if (rc < 0) {
        rc = run(&a, out, err);
    }
    for (char **c = copies; c && *c; c++)
        free(*c);
    free(copies);
    free(a.disabled);
    return rc;
}
