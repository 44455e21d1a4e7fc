#include "batch.h"
#include "utf8.h"
#include "buf.h"
#include "canvas.h"
#include "doc.h"
#include "export.h"
#include "fonts.h"
#include "fontsubset.h"
#include "html.h"
#include "layout.h"
#include "lint.h"
#include "manifest.h"
#include "model.h"
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

/* A template the batch uses: the manifest's (templates[0]) or one a
 * department names. Shared read-only by the workers. */
struct tmpl {
    char *name;
    struct style *style;
};

#define MAX_TEMPLATES 16

struct run {
    const struct batch_opts *o;
    const struct manifest *m;
    const struct doc *full;
    const struct layout *full_layout;
    struct tmpl templates[MAX_TEMPLATES];
    int ntemplates;
    struct font_subsets *subsets;   /* the templates' faces cut down to the batch's text */
    int *dept_template;             /* per department: index in templates, -1 if unusable */
    int formats;
    struct fonts *full_fonts;       /* the full layout's; only job 0 uses them */
    struct result report, *results;
    int next, done;                 /* next job to take (see run_job); departments finished */
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

/* Writes DIR/id.pdf and DIR/id.html of a laid-out document. */
static void write_files(const struct run *r, const char *id, const struct layout *l,
                        const struct doc *doc, struct fonts *fonts, struct diag *d)
{
    struct buf bytes = {0};
    char *path;
    if ((r->formats & BATCH_PDF) && pdf_render(l, fonts, &doc->meta, &bytes, d)) {
        path = out_path(r, id, "pdf");
        output_write(path, bytes.data, bytes.len, d);
        free(path);
    }
    buf_free(&bytes);
    if ((r->formats & BATCH_HTML) && html_render(doc, l->st, &bytes, d)) {
        path = out_path(r, id, "html");
        output_write(path, bytes.data, bytes.len, d);
        free(path);
    }
    buf_free(&bytes);
}

static void write_outputs(const struct run *r, const struct department *dep, const struct doc *doc,
                          const struct style *st, struct fonts *fonts, struct result *res)
{
    struct layout *l = layout_new(doc, st, fonts, res->d);
    if (l && !diag_has_errors(res->d)) {
        res->pages = l->npages;
        write_files(r, dep->id, l, doc, fonts, res->d);
    }
    layout_free(l);
}

static void render_department(struct run *r, const struct department *dep, int t,
                              struct fonts *fonts, struct result *res)
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
                                "report.pdf", r->templates[t].name, r->templates[t].style);
    free(blocks);
    char *name = xasprintf("%s (%s)", r->m->report, dep->id);
    struct doc *doc = doc_parse(name, md, strlen(md), res->d);
    free(name);
    if (doc && !diag_has_errors(res->d))
        write_outputs(r, dep, doc, r->templates[t].style, fonts, res);
    if ((r->formats & BATCH_MD) && !diag_has_errors(res->d)) {
        char *path = out_path(r, dep->id, "md");
        output_write(path, md, strlen(md), res->d);
        free(path);
    }
    free(md);
    doc_free(doc);
}

/* A worker's fonts, one set per template, made when first needed. */
struct worker_fonts {
    struct fonts *fonts[MAX_TEMPLATES];
    struct diag *d;  /* role warnings: the main thread reported them already */
};

static struct fonts *fonts_for(struct run *r, struct worker_fonts *wf, int t)
{
    if (!wf->fonts[t]) {
        wf->fonts[t] = fonts_new(r->templates[t].style, wf->d);
        if (wf->fonts[t])
            font_subsets_apply(r->subsets, wf->fonts[t]);
    }
    return wf->fonts[t];
}

/* Job 0 writes the full report, laid out before the workers started;
 * job k renders department k - 1. */
static void run_job(struct run *r, int job, struct worker_fonts *wf)
{
    if (job == 0) {
        write_files(r, "report", r->full_layout, r->full, r->full_fonts, r->report.d);
        r->report.failed = diag_has_errors(r->report.d);
        return;
    }
    const struct department *dep = &r->m->depts[job - 1];
    struct result *res = &r->results[job - 1];
    int t = r->dept_template[job - 1];
    struct fonts *fonts = t >= 0 ? fonts_for(r, wf, t) : NULL;
    if (fonts)
        render_department(r, dep, t, fonts, res);
    else if (t >= 0)
        diag_add(res->d, DIAG_ERROR, NULL, 0, 0, "cannot set up fonts");
    res->failed = diag_has_errors(res->d);
    pthread_mutex_lock(&r->lock);
    r->done++;
    if (r->o->progress)
        r->o->progress(r->o->progress_ctx, r->done, r->m->ndepts, dep->id, dep->name,
                       res->failed ? "failed" : NULL);
    pthread_mutex_unlock(&r->lock);
}

static void *worker(void *arg)
{
    struct run *r = arg;
    struct worker_fonts wf = {.d = diag_new()};
    for (;;) {
        pthread_mutex_lock(&r->lock);
        int job = r->next <= r->m->ndepts && !(r->o->stop && *r->o->stop) ? r->next++ : -1;
        pthread_mutex_unlock(&r->lock);
        if (job < 0)
            break;
        run_job(r, job, &wf);
    }
    for (int t = 0; t < MAX_TEMPLATES; t++)
        fonts_free(wf.fonts[t]);
    diag_free(wf.d);
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
        if (*ind->period) { /* 2024 values beside 2025 targets: each says which */
            buf_puts(b, "（");
            esc(b, ind->period);
            buf_puts(b, "）");
        }
        buf_puts(b, "</small> ");
        esc(b, ind->v.text);
        buf_puts(b, "</span>");
        shown++;
    }
    if (!shown) {
        buf_puts(b, "<small class=\"none\">");
        esc(b, style_label(r->templates[0].style, LABEL_INDEX_NO_INDICATORS));
        buf_puts(b, "</small>");
    }
}

static char *index_html(const struct run *r)
{
    struct buf b = {0};
    const char *title = r->full->meta.title ? r->full->meta.title : r->m->report;
    buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<title>");
    const struct style *st = r->templates[0].style;
    char *head = style_fill(style_label(st, LABEL_INDEX_TITLE), "report", title, NULL);
    esc(&b, head);
    free(head);
    buf_puts(&b, "</title>\n<style>\n"
                 "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif;"
                 "max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.6}\n"
                 "h1{font-size:1.5rem;border-bottom:3px solid #B8000B;padding-bottom:.4rem}\n"
                 "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.5rem;text-align:left;vertical-align:top}\n"
                 "th{background:#f4f4f4}.fig{display:inline-block;margin:0 1rem .2rem 0}.fig small{color:#666}\n"
                 ".failed{color:#B8000B}a{color:#1F4E79}\n</style>\n</head>\n<body>\n<h1>");
    esc(&b, title);
    buf_puts(&b, "</h1>\n<p>");
    esc(&b, style_label(st, LABEL_INDEX_REPORT));
    if (r->formats & BATCH_PDF)
        buf_puts(&b, "<a href=\"report.pdf\">PDF</a> ");
    if (r->formats & BATCH_HTML)
        buf_puts(&b, "<a href=\"report.html\">HTML</a>");
    char pages[16];
    snprintf(pages, sizeof pages, "%d", r->full_layout->npages);
    char *count = style_fill(style_label(st, LABEL_INDEX_PAGES), "pages", pages, NULL);
    esc(&b, count);
    free(count);
    buf_puts(&b, "</p>\n<table>\n<tr>");
    const enum label heads[] = {LABEL_INDEX_DEPARTMENT, LABEL_INDEX_PAGE_COUNT, LABEL_INDEX_INDICATORS,
                                LABEL_INDEX_FILES};
    for (int k = 0; k < 4; k++) {
        buf_puts(&b, "<th>");
        esc(&b, style_label(st, heads[k]));
        buf_puts(&b, "</th>");
    }
    buf_puts(&b, "</tr>\n");
    for (int i = 0; i < r->m->ndepts; i++) {
        const struct department *dep = &r->m->depts[i];
        const struct result *res = &r->results[i];
        buf_puts(&b, "<tr><td>");
        esc(&b, dep->name);
        if (res->failed) {
            buf_puts(&b, "</td><td colspan=\"3\" class=\"failed\">");
            esc(&b, style_label(st, LABEL_INDEX_FAILED));
            buf_puts(&b, "</td></tr>\n");
            continue;
        }
        buf_printf(&b, "</td><td>%d</td><td>", res->pages);
        index_figures(&b, r, dep);
        buf_puts(&b, "</td><td>");
        const struct { int format; const char *ext, *label; } files[] = {
            {BATCH_PDF, "pdf", "PDF"}, {BATCH_HTML, "html", "HTML"}, {BATCH_MD, "md", "Markdown"}};
        for (int k = 0; k < 3; k++)
            if (r->formats & files[k].format) {
                buf_puts(&b, "<a href=\"");
                esc(&b, dep->id);
                buf_printf(&b, ".%s\">%s</a> ", files[k].ext, files[k].label);
            }
        buf_puts(&b, "</td></tr>\n");
    }
    buf_puts(&b, "</table>\n</body>\n</html>\n");
    return buf_detach(&b);
}

/* ---- the run ------------------------------------------------------------ */

/* The index of template `name`, loaded when first named; -1 (errors in d)
 * when it cannot be used. */
static int use_template(struct run *r, const char *name, struct diag *d)
{
    for (int t = 0; t < r->ntemplates; t++)
        if (!strcmp(r->templates[t].name, name))
            return t;
    if (r->ntemplates == MAX_TEMPLATES) {
        diag_add(d, DIAG_ERROR, r->m->file, 0, 0, "a batch uses at most %d templates", MAX_TEMPLATES);
        return -1;
    }
    struct style *st = style_load(name, d);
    if (!st)
        return -1;
    if (r->o->pdf_standard >= 0)
        st->pdf_standard = (enum pdf_standard)r->o->pdf_standard;
    r->templates[r->ntemplates] = (struct tmpl){xstrdup(name), st};
    return r->ntemplates++;
}

/* Templates the departments name; a department whose template cannot be
 * used fails alone. */
static void department_templates(struct run *r)
{
    r->dept_template = xcalloc((size_t)r->m->ndepts, sizeof *r->dept_template);
    for (int i = 0; i < r->m->ndepts; i++) {
        const struct department *dep = &r->m->depts[i];
        struct diag *d = r->results[i].d;
        if (!dep->template_name)
            continue;
        int before = d->errors;
        r->dept_template[i] = use_template(r, dep->template_name, d);
        if (r->dept_template[i] < 0 && d->errors > before)
            diag_add(d, DIAG_ERROR, r->m->file, dep->line, 1,
                     "department '%s': template '%s' cannot be used", dep->id, dep->template_name);
    }
}

/* Does the report set any code (a block other than a chart, or inline)?
 * Summaries hold only the report's own blocks and the batch's words. */
static bool has_code(const struct doc *doc)
{
    bool found = false;
    cmark_iter *it = cmark_iter_new(doc->root);
    for (cmark_event_type ev; !found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type type = cmark_node_get_type(n);
        const struct node_info *info = model_info(n);
        found = ev == CMARK_EVENT_ENTER && (type == CMARK_NODE_CODE ||
                                            (type == CMARK_NODE_CODE_BLOCK && !(info && info->chart_block)));
    }
    cmark_iter_free(it);
    return found;
}

/* Cuts every template's faces down to the characters a summary can hold:
 * the report's, the departments' names and the layout's own labels (which
 * font_subsets_new adds). main_fonts, template 0's, prefer them at once.
 * The code role's faces (monospaced CJK, both weights: 56 ms of CPU) only
 * when the report has code; a face not cut still serves from the full
 * font file, so this costs time, never a glyph. */
static void cut_fonts(struct run *r, struct fonts *main_fonts, struct diag *d)
{
    struct buf text = {0};
    buf_put(&text, r->full->src, r->full->len);
    for (int i = 0; i < r->m->ndepts; i++)
        buf_puts(&text, r->m->depts[i].name);
    for (int t = 0; t < r->ntemplates; t++) /* the labels the templates add */
        style_labels_text(r->templates[t].style, &text);
    struct fonts *fonts[MAX_TEMPLATES] = {main_fonts};
    for (int t = 1; t < r->ntemplates; t++) /* their role warnings go out once, here */
        fonts[t] = fonts_new(r->templates[t].style, d);
    bool roles[ROLE_COUNT];
    for (int k = 0; k < ROLE_COUNT; k++)
        roles[k] = k != ROLE_MONO || has_code(r->full);
    r->subsets = font_subsets_new(fonts, r->ntemplates, text.data, text.len, roles);
    for (int t = 1; t < r->ntemplates; t++)
        fonts_free(fonts[t]);
    font_subsets_apply(r->subsets, main_fonts);
    buf_free(&text);
}

static bool make_dir(const char *dir, struct diag *d)
{
    if (mkdir(dir, 0777) == 0 || errno == EEXIST)
        return true;
    diag_add(d, DIAG_ERROR, dir, 0, 0, "cannot create the output folder: %s", strerror(errno));
    return false;
}

static int run_departments(struct run *r)
{
    int jobs = r->o->jobs < 1 ? 1 : r->o->jobs > r->m->ndepts + 1 ? r->m->ndepts + 1 : r->o->jobs;
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
    int failed = r->report.failed;
    for (int i = 0; i < r->m->ndepts; i++) {
        if (i + 1 >= r->next) { /* never started: the run was interrupted */
            diag_add(r->results[i].d, DIAG_ERROR, r->m->file, r->m->depts[i].line, 1,
                     "department '%s': not rendered, the run was interrupted", r->m->depts[i].id);
            r->results[i].failed = true;
        }
        failed += r->results[i].failed;
    }
    return failed;
}

static void free_templates(struct run *r)
{
    for (int t = 0; t < r->ntemplates; t++) {
        free(r->templates[t].name);
        style_free(r->templates[t].style);
    }
    free(r->dept_template);
}

/* Every finding, the full report's first, then the departments' in order. */
static void collect_findings(struct run *r, struct diag *d)
{
    if (r->report.d) {
        diag_move(d, r->report.d);
        diag_free(r->report.d);
        r->report.d = NULL;
    }
    for (int i = 0; r->results && i < r->m->ndepts; i++) {
        if (!r->results[i].d)
            continue;
        diag_move(d, r->results[i].d);
        diag_free(r->results[i].d);
        r->results[i].d = NULL;
    }
}

struct tag_check {
    const struct manifest *m;
    const char *file;
    int line;
    bool *named;
    struct diag *d;
};

static void check_tag_name(const char *name, void *ctx)
{
    struct tag_check *tc = ctx;
    bool known = false;
    for (int i = 0; i < tc->m->ndepts; i++)
        if (!strcmp(name, tc->m->depts[i].id) || !strcmp(name, tc->m->depts[i].name))
            known = tc->named[i] = true;
    const char *near = NULL;
    for (int i = 0; !known && i < tc->m->ndepts; i++) {
        const struct department *dep = &tc->m->depts[i];
        if (utf8_edit_distance(name, dep->id) <= 2)
            near = dep->id;
        else if (utf8_edit_distance(name, dep->name) <= 1)
            near = dep->name;
    }
    if (!known && near)
        diag_add(tc->d, DIAG_WARNING, tc->file, tc->line, 1,
                 "dept tag names '%s', which is no department of %s: did you mean '%s'?", name, tc->m->file, near);
    else if (!known)
        diag_add(tc->d, DIAG_WARNING, tc->file, tc->line, 1,
                 "dept tag names '%s', which is no department of %s (by name or id)", name, tc->m->file);
}

/* A dept tag that names no department of the manifest, and a department
 * that no tag names (its summary holds only paragraphs with its keywords),
 * are warnings with their lines: a typo on either side passes silently
 * otherwise. */
static void check_tags(const struct manifest *m, struct doc *full, struct diag *d)
{
    struct tag_check tc = {m, full->file, 0, xcalloc((size_t)m->ndepts + 1, sizeof(bool)), d};
    cmark_iter *it = cmark_iter_new(full->root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        const struct node_info *info = model_info(n);
        if (ev != CMARK_EVENT_ENTER || info->marker != MARK_DEPT)
            continue;
        tc.line = cmark_node_get_start_line(n);
        for (int k = 0; k < info->ndepts; k++) /* the names the tag lists */
            check_tag_name(info->depts[k], &tc);
    }
    cmark_iter_free(it);
    struct buf ids = {0};
    int first = -1, count = 0;
    for (int i = 0; i < m->ndepts; i++)
        if (!tc.named[i] && m->depts[i].keywords && m->depts[i].keywords[0]) {
            buf_printf(&ids, "%s%s", ids.len ? ", " : "", m->depts[i].id);
            first = first < 0 ? i : first;
            count++;
        }
    if (count) /* one line: keyword-only departments are legitimate, a typo'd id is not */
        diag_add(d, DIAG_WARNING, m->file, m->depts[first].line, 1,
                 "%d department%s named by no <!-- dept: --> tag in %s (%s): %s only "
                 "paragraphs with %s keywords", count, count == 1 ? " is" : "s are", full->file, ids.data,
                 count == 1 ? "its summary holds" : "their summaries hold", count == 1 ? "its" : "their");
    buf_free(&ids);
    free(tc.named);
}

int batch_run(const struct batch_opts *o, struct diag *d)
{
    struct manifest *m = manifest_load(o->manifest, d);
    if (!m)
        return -1;
    struct run r = {.o = o, .m = m};
    r.formats = o->formats ? o->formats
                           : (m->pdf ? BATCH_PDF : 0) | (m->html ? BATCH_HTML : 0) | (m->md ? BATCH_MD : 0);
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
    if (use_template(&r, tmpl, d) < 0) {
        if (d->errors > before)
            diag_add(d, DIAG_ERROR, m->file, m->template_line, 1, "template '%s' cannot be used", tmpl);
        goto out;
    }
    const struct style *style = r.templates[0].style;
    full = doc_load(m->report, d);
    if (!full || diag_has_errors(d) || !make_dir(o->outdir, d))
        goto out;
    r.full = full;
    check_tags(m, full, d);
    r.report.d = diag_new();
    r.results = xcalloc((size_t)m->ndepts, sizeof *r.results);
    for (int i = 0; i < m->ndepts; i++)
        r.results[i].d = diag_new();
    department_templates(&r);
    fonts = fonts_new(style, d);
    if (fonts)
        cut_fonts(&r, fonts, d);
    /* laid out once, here: every summary points into its pages; the
     * workers wait for it, so a second thread lays paragraphs out ahead */
    l = fonts ? layout_new_ahead(full, style, fonts, true, d) : NULL;
    if (!l || diag_has_errors(d))
        goto out;
    r.full_layout = l;
    r.full_fonts = fonts;
    pthread_mutex_init(&r.lock, NULL);
    failed = run_departments(&r);
    pthread_mutex_destroy(&r.lock);
    collect_findings(&r, d);
    if (!(o->stop && *o->stop)) {
        char *index = index_html(&r);
        char *path = out_path(&r, "index", "html");
        output_write(path, index, strlen(index), d);
        free(path);
        free(index);
    }
out:
    collect_findings(&r, d);
    free(r.results);
    layout_free(l);
    fonts_free(fonts);
    font_subsets_free(r.subsets); /* after every fonts object that used them */
    free_templates(&r);
    doc_free(full);
    manifest_free(m);
    return failed;
}
