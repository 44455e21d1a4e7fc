#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "cli_lint.h"
#include "cli_import.h"
#include "batch.h"
#include "buf.h"
#include "diag.h"
#include "doc.h"
#include "export.h"
#include "fontcut.h"
#include "fonts.h"
#include "html.h"
#include "layout.h"
#include "lint.h"
#include "output.h"
#include "pdf.h"
#include "png.h"
#include "style.h"
#include "tree.h"
#include "xalloc.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_TEMPLATE "gongwen"

static const char USAGE[] =
    "usage: briefing COMMAND [options]\n"
    "\n"
    "Typesets Chinese government work reports written in annotated Markdown.\n"
    "\n"
    "commands:\n"
    "  render IN.md -o OUT.pdf|OUT.html|OUT.png [-t TEMPLATE]\n"
    "         [--format pdf|html|png|layout|tree] [--pdf-standard none|a-2b]\n"
    "         [--dpi N] [--pages A-B]\n"
    "                   render a report; IN and OUT may be - for stdin/stdout\n"
    "                   (png: an image a page, OUT-1.png, OUT-2.png ...)\n"
    "  indicators IN.md [--format csv|json] [-o OUT] [-t TEMPLATE]\n"
    "                   the annotated indicators as data, with their pages\n"
    "  lint IN.md [--format text|json] [--disable RULE]...\n"
    "                   proofread a report (see briefing lint --help)\n"
    "  batch MANIFEST.yaml -o DIR [-j N] [--format pdf,html,md] [--pdf-standard none|a-2b]\n"
    "                   one summary per department, in parallel, plus DIR/index.html\n"
    "                   (md: each summary's Markdown too, to edit and render again)\n"
    "  import IN.txt|IN.docx|IN.html [-o OUT.md] [--indicators] [--manifest M.yaml]\n"
    "                   annotated Markdown from a report's text or Word file\n"
    "  templates        list the built-in templates\n"
    "\n"
    "options:\n"
    "  -o, --output FILE    where to write (required for render)\n"
    "  -t, --template NAME  a built-in template name or a template file (.yaml)\n"
    "  --format FORMAT      pdf, html (the preview: one self-contained page),\n"
    "                       png (page images, a file a page: OUT-1.png ...),\n"
    "                       layout (a text dump of every line and rule), or\n"
    "                       tree (the resolved document model, one node a line);\n"
    "                       default: from the output file's extension\n"
    "  --pdf-standard STD   a-2b: PDF/A-2b for archiving (XMP metadata, sRGB output\n"
    "                       intent); none: a plain PDF; default: the template's\n"
    "                       pdf_standard key\n"
    "  --dpi N              page images' resolution (default 96; 72: a pixel a point)\n"
    "  --pages A-B          page images of pages A to B only (or one page: A)\n"
    "  -q, --quiet          errors only: no warnings (render, indicators, batch)\n"
    "  -h, --help           show this help\n"
    "  --version            show the version\n";

static enum diag_level least_level = DIAG_NOTE; /* -q raises it to errors */

static void print_diags(const struct diag *d, FILE *err) { diag_print_level(d, least_level, err); }

struct render_opts {
    const char *in, *out, *tmpl, *format;
    int pdf_standard; /* enum pdf_standard, or -1: the template's */
    struct png_opts png;
};

static volatile sig_atomic_t interrupted;

/* SIGINT, SIGTERM, SIGHUP: no half-written file may survive, so the
 * temporary files of writes in progress go, then the default action ends
 * the process. */
static void on_interrupt(int sig)
{
    interrupted = 1;
    output_remove_temporaries();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Every command writes its output atomically. A file-size limit makes a
 * write fail (EFBIG, reported and cleaned up) instead of killing the
 * process with its temporary file left behind. */
static void guard_outputs(void)
{
    signal(SIGINT, on_interrupt);
    signal(SIGTERM, on_interrupt);
    signal(SIGHUP, on_interrupt);
    signal(SIGXFSZ, SIG_IGN);
}

static int usage_error(FILE *err, const char *msg, const char *arg)
{
    fprintf(err, "briefing: error: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    fputs("Try 'briefing --help'.\n", err);
    return 2;
}

/* The format the output file's extension names: NULL for one that names
 * none we write (report.docx must not get a PDF under its name). No
 * extension, or stdout, is a PDF. */
static const char *guess_format(const char *out)
{
    const char *slash = strrchr(out, '/'), *dot = strrchr(out, '.');
    if (!dot || (slash && dot < slash) || !strcmp(out, "-"))
        return "pdf";
    static const char *const EXT[][2] = {{".pdf", "pdf"}, {".html", "html"}, {".htm", "html"},
                                         {".txt", "layout"}, {".png", "png"}};
    for (size_t i = 0; i < sizeof EXT / sizeof *EXT; i++)
        if (!strcasecmp(dot, EXT[i][0]))
            return EXT[i][1];
    return NULL;
}

/* --pdf-standard's value: an enum pdf_standard, or -1 after a usage error. */
static int parse_pdf_standard(const char *s, FILE *err)
{
    const char *near;
    enum pdf_standard std = style_pdf_standard(s, &near);
    if (std != PDF_STANDARD_COUNT)
        return (int)std;
    fprintf(err, "briefing: error: unknown --pdf-standard: %s (use none or a-2b%s%s%s)\n", s,
            near ? "; did you mean " : "", near ? near : "", near ? "?" : "");
    fputs("Try 'briefing --help'.\n", err);
    return -1;
}

/* --dpi N: from 1 to 2400. */
static bool parse_dpi(const char *s, double *dpi)
{
    char *end;
    *dpi = strtod(s, &end);
    return end != s && !*end && *dpi >= 1 && *dpi <= 2400;
}

/* --pages A-B or A: 1-based, A <= B. */
static bool parse_pages(const char *s, struct png_opts *o)
{
    char *end;
    long a = strtol(s, &end, 10), b = a;
    if (*end == '-')
        b = strtol(end + 1, &end, 10);
    if (*end || a < 1 || b < a || b > 1000000)
        return false;
    o->first = (int)a, o->last = (int)b;
    return true;
}

static int parse_render(int argc, char **argv, struct render_opts *o, FILE *out, FILE *err)
{
    o->pdf_standard = -1;
    o->png.dpi = 96;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(USAGE, out);
            return 0;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (!has_value)
                return usage_error(err, "missing value for", a);
            o->out = argv[++i];
        } else if (!strcmp(a, "-t") || !strcmp(a, "--template")) {
            if (!has_value)
                return usage_error(err, "missing value for", a);
            o->tmpl = argv[++i];
        } else if (!strcmp(a, "--format")) {
            if (!has_value)
                return usage_error(err, "missing value for", a);
            o->format = argv[++i];
        } else if (!strcmp(a, "--pdf-standard")) {
            if (!has_value)
                return usage_error(err, "missing value for", a);
            if ((o->pdf_standard = parse_pdf_standard(argv[++i], err)) < 0)
                return 2;
        } else if (!strcmp(a, "--dpi") || !strcmp(a, "--pages")) {
            if (!has_value)
                return usage_error(err, "missing value for", a);
            bool dpi = !strcmp(a, "--dpi");
            if (dpi ? !parse_dpi(argv[++i], &o->png.dpi) : !parse_pages(argv[++i], &o->png))
                return usage_error(err, dpi ? "--dpi takes a number from 1 to 2400"
                                            : "--pages takes A-B or A (page numbers from 1)", argv[i]);
        } else if (a[0] == '-' && a[1]) {
            return usage_error(err, "unknown option", a);
        } else if (!o->in) {
            o->in = a;
        } else {
            return usage_error(err, "more than one input file", a);
        }
    }
    if (!o->in)
        return usage_error(err, "render needs an input file (or - for stdin)", NULL);
    if (!o->out)
        return usage_error(err, "render needs -o OUT (or -o - for stdout)", NULL);
    if (!o->format && !(o->format = guess_format(o->out)))
        return usage_error(err, "unknown output extension (write .pdf, .html, .png or .txt for the layout "
                                "dump, or give --format pdf|html|png|layout|tree)", o->out);
    if (strcmp(o->format, "pdf") && strcmp(o->format, "html") && strcmp(o->format, "png") &&
        strcmp(o->format, "layout") && strcmp(o->format, "tree"))
        return usage_error(err, "unknown --format (use pdf, html, png, layout or tree)", o->format);
    if (!strcmp(o->format, "png") && !strcmp(o->out, "-"))
        return usage_error(err, "page images go to files: give -o OUT.png", NULL);
    return -1;
}


/* A report on its way out: each stage is NULL when it was not reached. */
struct job {
    struct doc *doc;
    struct style *st;
    struct fonts *fonts;
    struct font_cut *cut;
    struct layout *l;
};

/* Cuts the faces down to the document's characters while it is laid out,
 * for the PDF to embed. */
static void start_cut(struct job *j)
{
    struct buf text = {0};
    buf_put(&text, j->doc->src, j->doc->len);
    style_labels_text(j->st, &text);
    j->cut = font_cut_start(j->fonts, j->st, text.data, text.len);
    fonts_set_cut(j->fonts, j->cut);
    buf_free(&text);
}

/* Loads the report and its template; lays it out unless HTML is wanted
 * (the browser lays that out), cutting the faces for drawing if asked.
 * Errors land in d. */
static bool job_open(struct job *j, const struct render_opts *o, bool layout, bool cut, struct diag *d)
{
    *j = (struct job){0};
    j->doc = doc_load(o->in, d);
    if (!j->doc || diag_has_errors(d))
        return false;
    /* a template path in the front matter is taken from the report's folder */
    char *tmpl = o->tmpl                     ? xstrdup(o->tmpl)
                 : j->doc->meta.template_name ? style_name_from(j->doc->meta.template_name, o->in)
                                              : xstrdup(DEFAULT_TEMPLATE);
    int before = d->count;
    j->st = style_load(tmpl, d);
    free(tmpl);
    if (!j->st && !o->tmpl && j->doc->meta.template_name) /* front matter `template:`: its line */
        for (int i = before; i < d->count; i++)
            if (!d->items[i].file) {
                d->items[i].file = xstrdup(j->doc->file);
                d->items[i].line = j->doc->meta.template_line;
                d->items[i].col = 1;
            }
    if (!j->st || !layout)
        return j->st != NULL;
    j->fonts = fonts_new(j->st, d);
    if (j->fonts && cut)
        start_cut(j);
    j->l = j->fonts ? layout_new(j->doc, j->st, j->fonts, d) : NULL;
    return j->l && !diag_has_errors(d);
}

static void job_close(struct job *j)
{
    layout_free(j->l);
    font_cut_free(j->cut);
    fonts_free(j->fonts);
    style_free(j->st);
    doc_free(j->doc);
}

/* Page images to OUT minus its .png, then -1.png, -2.png … */
static void png_pages(const struct render_opts *o, const struct job *j, struct diag *d)
{
    const char *dot = strrchr(o->out, '.'), *slash = strrchr(o->out, '/');
    bool ext = dot && (!slash || dot > slash) && !strcasecmp(dot, ".png");
    char *base = xstrndup(o->out, ext ? (size_t)(dot - o->out) : strlen(o->out));
    png_render(j->l, j->fonts, base, &o->png, d);
    free(base);
}

/* Proofreading, its findings warnings only. */
struct proofreading {
    const struct doc *doc;
    struct diag *d;
    pthread_t thread;
    bool running;
};

static void *proofread(void *arg)
{
    struct proofreading *p = arg;
    lint_run(p->doc, &(struct lint_opts){.warnings_only = true}, p->d);
    return NULL;
}

/* Starts proofreading, in a thread of its own when the output is drawn
 * from the layout alone (PDF, page images, the layout dump: nothing else
 * reads the document meanwhile); with HTML or the tree, at once. */
static void proofread_start(struct proofreading *p, bool alongside)
{
    if (!alongside || pthread_create(&p->thread, NULL, proofread, p) != 0)
        proofread(p);
    else
        p->running = true;
}

/* Renders to PDF, HTML, page images or the layout dump; everything that
 * goes wrong lands in d, the proofreading's findings first. */
static void render(const struct render_opts *o, struct diag *d)
{
    struct job j;
    bool html = !strcmp(o->format, "html"), tree = !strcmp(o->format, "tree");
    bool pdf = !strcmp(o->format, "pdf");
    bool ok = job_open(&j, o, !html && !tree, pdf, d);
    if (j.st && o->pdf_standard >= 0)
        j.st->pdf_standard = (enum pdf_standard)o->pdf_standard;
    struct proofreading proof = {.doc = j.doc, .d = diag_new()};
    if (j.doc && !diag_has_errors(d))
        proofread_start(&proof, ok && !html && !tree);
    struct diag *own = diag_new();
    struct buf bytes = {0};
    if (ok && html) {
        ok = html_render(j.doc, j.st, &bytes, own);
    } else if (ok && tree) {
        char *dump = tree_dump(j.doc);
        buf_puts(&bytes, dump);
        free(dump);
    } else if (ok && !strcmp(o->format, "layout")) {
        char *dump = layout_dump(j.l);
        buf_puts(&bytes, dump);
        free(dump);
    } else if (ok && !strcmp(o->format, "png")) {
        png_pages(o, &j, own);
        ok = false; /* each page is written already */
    } else if (ok) {
        ok = pdf_render_releasing(j.l, j.fonts, &j.doc->meta, &bytes, own);
    }
    if (proof.running)
        pthread_join(proof.thread, NULL);
    diag_move(d, proof.d);
    diag_move(d, own);
    diag_free(proof.d);
    diag_free(own);
    if (ok && !diag_has_errors(d))
        output_write(o->out, bytes.data, bytes.len, d);
    buf_free(&bytes);
    job_close(&j);
}

static int cmd_render(int argc, char **argv, FILE *out, FILE *err)
{
    struct render_opts o = {0};
    int rc = parse_render(argc, argv, &o, out, err);
    if (rc >= 0)
        return rc;
    struct diag *d = diag_new();
    render(&o, d);
    print_diags(d, err);
    rc = diag_has_errors(d) ? 1 : 0;
    diag_free(d);
    return rc;
}

/* Indicators with the pages they land on in the rendered document. */
static void export_indicators(const struct render_opts *o, struct diag *d)
{
    struct job j;
    if (job_open(&j, o, true, false, d)) {
        struct buf bytes = {0};
        if (!strcmp(o->format, "json"))
            export_json(j.doc->indicators, j.l->indicator_page, &bytes);
        else
            export_csv(j.doc->indicators, j.l->indicator_page, &bytes);
        output_write(o->out, bytes.data, bytes.len, d);
        buf_free(&bytes);
    }
    job_close(&j);
}

static int cmd_indicators(int argc, char **argv, FILE *out, FILE *err)
{
    struct render_opts o = {.out = "-", .format = "csv"};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(USAGE, out);
            return 0;
        }
        if ((!strcmp(a, "-o") || !strcmp(a, "-t") || !strcmp(a, "--format")) && i + 1 >= argc)
            return usage_error(err, "missing value for", a);
        if (!strcmp(a, "-o"))
            o.out = argv[++i];
        else if (!strcmp(a, "-t"))
            o.tmpl = argv[++i];
        else if (!strcmp(a, "--format"))
            o.format = argv[++i];
        else if (a[0] == '-' && a[1])
            return usage_error(err, "unknown option", a);
        else if (!o.in)
            o.in = a;
        else
            return usage_error(err, "more than one input file", a);
    }
    if (!o.in)
        return usage_error(err, "indicators needs an input file (or - for stdin)", NULL);
    if (strcmp(o.format, "csv") && strcmp(o.format, "json"))
        return usage_error(err, "unknown --format (use csv or json)", o.format);
    struct diag *d = diag_new();
    export_indicators(&o, d);
    print_diags(d, err);
    int rc = diag_has_errors(d) ? 1 : 0;
    diag_free(d);
    return rc;
}

/* Progress on stderr: a bar redrawn in place on a terminal, plain lines
 * otherwise (logs, CI). */
struct progress {
    FILE *err;
    bool tty;
    struct timespec start;
};

static double elapsed(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) / 1e9;
}

static void show_progress(void *ctx, int done, int total, const char *id, const char *name,
                          const char *status)
{
    struct progress *p = ctx;
    if (!p->tty) {
        fprintf(p->err, "briefing: batch [%d/%d] %s (%s): %s\n", done, total, id, name,
                status ? status : "written");
        return;
    }
    int width = 24, filled = total ? done * width / total : width;
    fprintf(p->err, "\r\033[K[");
    for (int i = 0; i < width; i++)
        fputc(i < filled ? '#' : '.', p->err);
    fprintf(p->err, "] %d/%d %s%s  %.1fs", done, total, name, status ? " (failed)" : "",
            elapsed(&p->start));
    if (done == total)
        fputc('\n', p->err);
    fflush(p->err);
}


static int parse_formats(const char *s)
{
    int f = 0;
    char *copy = xstrdup(s);
    for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ","))
        f |= !strcmp(tok, "pdf")    ? BATCH_PDF
             : !strcmp(tok, "html") ? BATCH_HTML
             : !strcmp(tok, "md")   ? BATCH_MD
                                    : 0x100;
    free(copy);
    return f;
}

static int cmd_batch(int argc, char **argv, FILE *out, FILE *err)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    struct batch_opts o = {.jobs = cores > 0 ? (int)cores : 1, .pdf_standard = -1};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(USAGE, out);
            return 0;
        }
        if ((!strcmp(a, "-o") || !strcmp(a, "-j") || !strcmp(a, "--format") ||
             !strcmp(a, "--pdf-standard")) && i + 1 >= argc)
            return usage_error(err, "missing value for", a);
        if (!strcmp(a, "-o")) {
            o.outdir = argv[++i];
        } else if (!strcmp(a, "--pdf-standard")) {
            if ((o.pdf_standard = parse_pdf_standard(argv[++i], err)) < 0)
                return 2;
        } else if (!strcmp(a, "-j")) {
            char *end;
            long j = strtol(argv[++i], &end, 10);
            if (*end || j < 1 || j > 256)
                return usage_error(err, "-j takes a number of jobs from 1 to 256", argv[i]);
            o.jobs = (int)j;
        } else if (!strcmp(a, "--format")) {
            o.formats = parse_formats(argv[++i]);
            if (!o.formats || o.formats & 0x100)
                return usage_error(err, "--format takes a list of pdf, html and md (e.g. pdf,html)", argv[i]);
        } else if (a[0] == '-' && a[1]) {
            return usage_error(err, "unknown option", a);
        } else if (!o.manifest) {
            o.manifest = a;
        } else {
            return usage_error(err, "more than one manifest", a);
        }
    }
    if (!o.manifest)
        return usage_error(err, "batch needs a manifest (MANIFEST.yaml)", NULL);
    if (!o.outdir)
        return usage_error(err, "batch needs -o DIR", NULL);
    struct progress p = {.err = err, .tty = isatty(fileno(err))};
    clock_gettime(CLOCK_MONOTONIC, &p.start);
    o.progress = show_progress;
    o.progress_ctx = &p;
    o.stop = &interrupted;
    struct diag *d = diag_new();
    int failed = batch_run(&o, d);
    print_diags(d, err);
    if (failed >= 0)
        fprintf(err, "briefing: batch: %s — %s\n",
                failed ? "some summaries failed" : "all summaries written",
                failed ? "see the errors above" : o.outdir);
    int rc = failed != 0 || diag_has_errors(d) ? 1 : 0;
    diag_free(d);
    return rc;
}

static int cmd_templates(FILE *out, FILE *err)
{
    char **names = style_builtin_names();
    int rc = 0;
    for (char **p = names; *p; p++) {
        struct diag *d = diag_new();
        struct style *st = style_load(*p, d);
        fprintf(out, "%-10s %s\n", *p, st && st->description ? st->description : "");
        if (!st) {
            print_diags(d, err);
            rc = 1;
        }
        style_free(st);
        diag_free(d);
    }
    style_names_free(names);
    return rc;
}

int cli_main(int argc, char **argv, FILE *out, FILE *err)
{
    if (argc < 2)
        return usage_error(err, "no command given", NULL);
    /* -q, --quiet: errors only (not for lint, whose findings are its output) */
    least_level = DIAG_NOTE;
    if (strcmp(argv[1], "lint"))
        for (int i = 2; i < argc; i++)
            if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
                least_level = DIAG_ERROR;
                memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof *argv);
                argc--, i--;
            }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(USAGE, out);
        return 0;
    }
    for (int i = 1; i < argc; i++) /* --version works after any command too */
        if (!strcmp(argv[i], "--version")) {
            fprintf(out, "briefing %s\n", BRIEFING_VERSION);
            return 0;
        }
    guard_outputs();
    if (!strcmp(cmd, "render"))
        return cmd_render(argc, argv, out, err);
    if (!strcmp(cmd, "batch"))
        return cmd_batch(argc, argv, out, err);
    if (!strcmp(cmd, "indicators"))
        return cmd_indicators(argc, argv, out, err);
    if (!strcmp(cmd, "lint"))
        return cli_lint(argc, argv, out, err);
    if (!strcmp(cmd, "import"))
        return cli_import(argc, argv, out, err);
    if (!strcmp(cmd, "templates")) {
        for (int i = 2; i < argc; i++)
            if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
                fputs(USAGE, out);
                return 0;
            }
        return cmd_templates(out, err);
    }
    return usage_error(err, "unknown command", cmd);
}
