#include "batch.h"
#include "buf.h"
#include "canvas.h"
#include "doc.h"
#include "export.h"
#include "fonts.h"
#include "html.h"
#include "layout.h"
#include "lint.h"
#include "manifest.h"
#include "output.h"
#include "pdf.h"
#include "style.h"
#include "summary.h"
#include "xalloc.h"
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_TEMPLATE "briefing"

struct result {
    struct diag *d;     /* this department's findings */
    int pages;
    bool failed;
};

struct run {
    const struct batch_opts *o;
    const struct manifest *m;
    const struct doc *full;
    const struct layout *full_layout;
    struct style *style;            /* the manifest's template, shared read-only */
    int formats;
    struct result *results;
    int next, done;                 /* next department to take; finished count */
    pthread_mutex_t lock;
};

static int page_of_line(void *ctx, int line) { return layout_page_of_line(ctx, line); }

static char *out_path(const struct run *r, const char *id, const char *ext)
{
    return xasprintf("%s/%s.%s", r->o->outdir, id, ext);
}

/* Checks the department's indicator ids against the report. */
static bool known_indicators(const struct run *r, const struct department *dep, struct diag *d)
{
    bool ok = true;
    for (int i = 0; dep->indicators[i]; i++)
        if (!indicators_find(r->full->indicators, dep->indicators[i], NULL)) {
            diag_add(d, DIAG_ERROR, r->m->file, dep->indicator_lines[i], 1,
                     "department '%s': unknown indicator '%s' (not annotated in %s)", dep->id,
                     dep->indicators[i], r->m->report);
            ok = false;
        }
    return ok;
}

static void write_outputs(const struct run *r, const struct department *dep, const struct doc *doc,
                          const struct style *st, struct fonts *fonts, struct result *res)
{
    struct layout *l = layout_new(doc, st, fonts, res->d);
    if (!l || diag_has_errors(res->d)) {
        layout_free(l);
        return;
    }
    res->pages = l->npages;
    struct buf bytes = {0};
    char *path;
    if ((r->formats & BATCH_PDF) && pdf_render(l, fonts, &doc->meta, &bytes, res->d)) {
        path = out_path(r, dep->id, "pdf");
        output_write(path, bytes.data, bytes.len, res->d);
        free(path);
    }
    buf_free(&bytes);
    if ((r->formats & BATCH_HTML) && html_render(doc, st, &bytes, res->d)) {
        path = out_path(r, dep->id, "html");
        output_write(path, bytes.data, bytes.len, res->d);
        free(path);
    }
    buf_free(&bytes);
    layout_free(l);
}

static void render_department(struct run *r, const struct department *dep, struct fonts *fonts,
                              struct result *res)
{
    if (!known_indicators(r, dep, res->d))
        return;
    int n;
    cmark_node **blocks = summary_select(r->full, dep, &n);
    if (n == 0) {
        diag_add(res->d, DIAG_ERROR, r->m->file, dep->line, 1,
                 "department '%s' (%s): nothing in the report is tagged for it or mentions its "
                 "keywords; add <!-- dept: %s --> tags or keywords",
                 dep->id, dep->name, dep->id);
        free(blocks);
        return;
    }
    char *md = summary_markdown(r->full, dep, blocks, n, page_of_line, (void *)r->full_layout,
                                "report.pdf");
    free(blocks);
    char *name = xasprintf("%s (%s)", r->m->report, dep->id);
    struct doc *doc = doc_parse(name, md, strlen(md), res->d);
    free(name);
    free(md);
    if (doc && !diag_has_errors(res->d))
        write_outputs(r, dep, doc, r->style, fonts, res);
    doc_free(doc);
}

static void *worker(void *arg)
{
    struct run *r = arg;
    struct diag *fd = diag_new();
    struct fonts *fonts = fonts_new(r->style, fd);
    for (;;) {
        pthread_mutex_lock(&r->lock);
        int i = r->next < r->m->ndepts && !(r->o->stop && *r->o->stop) ? r->next++ : -1;
        pthread_mutex_unlock(&r->lock);
        if (i < 0)
            break;
        const struct department *dep = &r->m->depts[i];
        struct result *res = &r->results[i];
        if (fonts)
            render_department(r, dep, fonts, res);
        else
            diag_add(res->d, DIAG_ERROR, NULL, 0, 0, "cannot set up fonts");
        res->failed = diag_has_errors(res->d);
        pthread_mutex_lock(&r->lock);
        r->done++;
        if (r->o->progress)
            r->o->progress(r->o->progress_ctx, r->done, r->m->ndepts, dep->id, dep->name,
                           res->failed ? "failed" : NULL);
        pthread_mutex_unlock(&r->lock);
    }
    fonts_free(fonts);
    diag_free(fd); /* role warnings: the main thread reported them for the full report */
    return NULL;
}

/* ---- index.html -------------------------------------------------------- */

static void esc(struct buf *b, const char *s) { canvas_svg_escape(b, s); }

static void index_figures(struct buf *b, const struct run *r, const struct department *dep)
{
    const struct indicators *set = r->full->indicators;
    int shown = 0;
    for (int i = 0; dep->indicators[i] && shown < 4; i++) {
        const struct indicator *ind = indicators_find(set, dep->indicators[i], NULL);
        if (!ind)
            continue;
        buf_puts(b, "<span class=\"fig\"><small>");
        esc(b, ind->label);
        buf_puts(b, "</small> ");
        esc(b, ind->v.text);
        buf_puts(b, "</span>");
        shown++;
    }
}

static char *index_html(const struct run *r)
{
    struct buf b = {0};
    const char *title = r->full->meta.title ? r->full->meta.title : r->m->report;
    buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<title>");
    esc(&b, title);
    buf_puts(&b, " · 部门摘编</title>\n<style>\n"
                 "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif;"
                 "max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.6}\n"
                 "h1{font-size:1.5rem;border-bottom:3px solid #B8000B;padding-bottom:.4rem}\n"
                 "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.5rem;text-align:left;vertical-align:top}\n"
                 "th{background:#f4f4f4}.fig{display:inline-block;margin:0 1rem .2rem 0}.fig small{color:#666}\n"
                 ".failed{color:#B8000B}a{color:#1F4E79}\n</style>\n</head>\n<body>\n<h1>");
    esc(&b, title);
    buf_puts(&b, "</h1>\n<p>全文：");
    if (r->formats & BATCH_PDF)
        buf_puts(&b, "<a href=\"report.pdf\">PDF</a> ");
    if (r->formats & BATCH_HTML)
        buf_puts(&b, "<a href=\"report.html\">HTML</a>");
    buf_printf(&b, "（%d页）</p>\n<table>\n<tr><th>部门</th><th>页数</th><th>主要指标</th><th>文件</th></tr>\n",
               r->full_layout->npages);
    for (int i = 0; i < r->m->ndepts; i++) {
        const struct department *dep = &r->m->depts[i];
        const struct result *res = &r->results[i];
        buf_puts(&b, "<tr><td>");
        esc(&b, dep->name);
        if (res->failed) {
            buf_puts(&b, "</td><td colspan=\"3\" class=\"failed\">未生成（见运行日志）</td></tr>\n");
            continue;
        }
        buf_printf(&b, "</td><td>%d</td><td>", res->pages);
        index_figures(&b, r, dep);
        buf_puts(&b, "</td><td>");
        const char *exts[] = {"pdf", "html"};
        for (int k = 0; k < 2; k++)
            if (r->formats & (k ? BATCH_HTML : BATCH_PDF)) {
                buf_puts(&b, "<a href=\"");
                esc(&b, dep->id);
                buf_printf(&b, ".%s\">%s</a> ", exts[k], k ? "HTML" : "PDF");
            }
        buf_puts(&b, "</td></tr>\n");
    }
    buf_puts(&b, "</table>\n</body>\n</html>\n");
    return buf_detach(&b);
}

/* ---- the run ------------------------------------------------------------ */

static bool make_dir(const char *dir, struct diag *d)
{
    if (mkdir(dir, 0777) == 0 || errno == EEXIST)
        return true;
    diag_add(d, DIAG_ERROR, dir, 0, 0, "cannot create the output folder: %s", strerror(errno));
    return false;
}

/* The full report, once: laid out for the page references, written as
 * report.pdf / report.html beside the summaries. */
static struct layout *full_report(struct run *r, struct fonts *fonts, struct diag *d)
{
    struct layout *l = layout_new(r->full, r->style, fonts, d);
    if (!l || diag_has_errors(d))
        return l;
    struct buf bytes = {0};
    char *path;
    if ((r->formats & BATCH_PDF) && pdf_render(l, fonts, &r->full->meta, &bytes, d)) {
        path = out_path(r, "report", "pdf");
        output_write(path, bytes.data, bytes.len, d);
        free(path);
    }
    buf_free(&bytes);
    if ((r->formats & BATCH_HTML) && html_render(r->full, r->style, &bytes, d)) {
        path = out_path(r, "report", "html");
        output_write(path, bytes.data, bytes.len, d);
        free(path);
    }
    buf_free(&bytes);
    return l;
}

static int run_departments(struct run *r)
{
    int jobs = r->o->jobs < 1 ? 1 : r->o->jobs > r->m->ndepts ? r->m->ndepts : r->o->jobs;
    pthread_t *threads = xcalloc((size_t)jobs, sizeof *threads);
    int started = 0;
    for (int i = 0; i < jobs; i++)
        if (pthread_create(&threads[i], NULL, worker, r) == 0)
            started++;
    if (!started)
        worker(r);
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    free(threads);
    int failed = 0;
    for (int i = 0; i < r->m->ndepts; i++) {
        if (i >= r->next) { /* never started: the run was interrupted */
            diag_add(r->results[i].d, DIAG_ERROR, r->m->file, r->m->depts[i].line, 1,
                     "department '%s': not rendered, the run was interrupted", r->m->depts[i].id);
            r->results[i].failed = true;
        }
        failed += r->results[i].failed;
    }
    return failed;
}

int batch_run(const struct batch_opts *o, struct diag *d)
{
    struct manifest *m = manifest_load(o->manifest, d);
    if (!m)
        return -1;
    struct run r = {.o = o, .m = m, .formats = o->formats ? o->formats
                                                         : (m->pdf ? BATCH_PDF : 0) | (m->html ? BATCH_HTML : 0)};
    int failed = -1;
    struct doc *full = NULL;
    struct fonts *fonts = NULL;
    struct layout *l = NULL;
    if (access(m->report, R_OK) != 0) {
        diag_add(d, DIAG_ERROR, m->file, m->report_line, 1, "cannot read the report '%s': %s", m->report,
                 strerror(errno));
        goto out;
    }
    const char *tmpl = m->template_name ? m->template_name : DEFAULT_TEMPLATE;
    int before = d->errors;
    r.style = style_load(tmpl, d);
    if (!r.style) {
        if (d->errors > before)
            diag_add(d, DIAG_ERROR, m->file, m->template_line, 1, "template '%s' cannot be used", tmpl);
        goto out;
    }
    full = doc_load(m->report, d);
    if (!full || diag_has_errors(d) || !make_dir(o->outdir, d))
        goto out;
    r.full = full;
    fonts = fonts_new(r.style, d);
    l = fonts ? full_report(&r, fonts, d) : NULL;
    if (!l || diag_has_errors(d))
        goto out;
    r.full_layout = l;
    r.results = xcalloc((size_t)m->ndepts, sizeof *r.results);
    for (int i = 0; i < m->ndepts; i++)
        r.results[i].d = diag_new();
    pthread_mutex_init(&r.lock, NULL);
    failed = run_departments(&r);
    pthread_mutex_destroy(&r.lock);
    for (int i = 0; i < m->ndepts; i++) {
        diag_move(d, r.results[i].d);
        diag_free(r.results[i].d);
    }
    if (!(o->stop && *o->stop)) {
        char *index = index_html(&r);
        char *path = out_path(&r, "index", "html");
        output_write(path, index, strlen(index), d);
        free(path);
        free(index);
    }
    free(r.results);
out:
    layout_free(l);
    fonts_free(fonts);
    doc_free(full);
    style_free(r.style);
    manifest_free(m);
    return failed;
}
