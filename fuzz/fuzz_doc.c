/* Fuzz target: a whole report through the pipeline, as `briefing render`
 * and `briefing lint` run it: parsing (front matter, cmark, indicators,
 * charts), lint, a department summary, the HTML preview, layout, the
 * layout dump and the PDF, all in memory. The input's length picks the template, so every template is
 * exercised without a header that seeds would need. Styles and fonts are
 * made once: setting up fontconfig per input would dominate the run. */
#include "diag.h"
#include "doc.h"
#include "export.h"
#include "fonts.h"
#include "html.h"
#include "layout.h"
#include "lint.h"
#include "pdf.h"
#include "style.h"
#include "summary.h"
#include "tree.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NTEMPLATES 3

static const char *const TEMPLATES[NTEMPLATES] = {"gongwen", "briefing", "report"};
static struct style *styles[NTEMPLATES];
static struct fonts *fonts[NTEMPLATES];
static struct diag *font_diag; /* role fallback warnings; lives as long as the fonts */

/* At exit, so that the replay's leak check sees the caches go: fontconfig
 * points into its patterns by offsets, which LeakSanitizer cannot follow. */
static void teardown(void)
{
    for (int i = 0; i < NTEMPLATES; i++) {
        fonts_free(fonts[i]);
        style_free(styles[i]);
    }
    diag_free(font_diag);
}

static void setup(void)
{
    atexit(teardown);
    font_diag = diag_new();
    for (int i = 0; i < NTEMPLATES; i++) {
        styles[i] = style_load(TEMPLATES[i], font_diag);
        fonts[i] = styles[i] ? fonts_new(styles[i], font_diag) : NULL;
        if (!fonts[i]) {
            diag_print(font_diag, stderr);
            abort();
        }
    }
}

static int first_page(void *ctx, int line)
{
    (void)ctx;
    return line > 0;
}

/* The summary of one department, which must parse as a report again. */
static void summarize(const struct doc *doc)
{
    static char *keywords[] = {"科技", "创新", NULL};
    static char *ids[] = {"gdp-growth", "income", NULL};
    static int lines[] = {3, 4};
    static const struct department dep = {.id = "science", .name = "区科技局",
                                          .keywords = keywords, .indicators = ids,
                                          .indicator_lines = lines, .line = 2};
    int n;
    cmark_node **blocks = summary_select(doc, &dep, &n);
    char *md = summary_markdown(doc, &dep, blocks, n, first_page, NULL, "full.pdf", "briefing", NULL);
    struct diag *d = diag_new();
    doc_free(doc_parse("summary.md", md, strlen(md), d));
    diag_free(d);
    free(md);
    free(blocks);
}

static void typeset(const struct doc *doc, int t, struct diag *d)
{
    struct layout *l = layout_new(doc, styles[t], fonts[t], d);
    if (l && !diag_has_errors(d)) {
        free(layout_dump(l));
        struct buf pdf = {0};
        pdf_render(l, fonts[t], &doc->meta, &pdf, d);
        buf_free(&pdf);
    }
    layout_free(l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!font_diag)
        setup();
    int t = (int)(size % NTEMPLATES);
    struct diag *d = diag_new();
    struct doc *doc = doc_parse("fuzz.md", (const char *)data, size, d);
    if (doc) {
        struct diag *lint = diag_new();
        lint_run(doc, &(struct lint_opts){0}, lint);
        diag_free(lint);
        struct buf out = {0};
        char *tree = tree_dump(doc);
        free(tree);
        export_csv(doc->indicators, NULL, &out);
        export_json(doc->indicators, NULL, &out);
        buf_free(&out);
        /* as the CLI does: annotation errors stop the render */
        if (!diag_has_errors(d)) {
            summarize(doc);
            html_render(doc, styles[t], &out, d);
            buf_free(&out);
            typeset(doc, t, d);
        }
    }
    doc_free(doc);
    diag_free(d);
    return 0;
}
