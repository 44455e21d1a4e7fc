#define _DEFAULT_SOURCE /* realpath */
#include "summary.h"
#include "frame.h"
#include "buf.h"
#include "xalloc.h"
#include <stdlib.h>
#include <string.h>

#define MAX_LEVEL 6

/* The source text of lines [first, last] (1-based). */
static char *source_lines(const char *src, int first, int last)
{
    const char *p = src;
    for (int line = 1; line < first && *p; line++) {
        const char *nl = strchr(p, '\n');
        p = nl ? nl + 1 : p + strlen(p);
    }
    const char *e = p;
    for (int line = first; line <= last && *e; line++) {
        const char *nl = strchr(e, '\n');
        e = nl ? nl + 1 : e + strlen(e);
    }
    while (e > p && (e[-1] == '\n' || e[-1] == '\r'))
        e--;
    return xstrndup(p, (size_t)(e - p));
}

static char *block_source(const struct doc *doc, cmark_node *n)
{
    return source_lines(doc->src, cmark_node_get_start_line(n), cmark_node_get_end_line(n));
}

static bool mentions(const struct doc *doc, cmark_node *n, const struct department *dep)
{
    if (!dep->keywords[0] || cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK)
        return false;
    char *text = block_source(doc, n);
    bool hit = false;
    for (char **k = dep->keywords; *k && !hit; k++)
        hit = strstr(text, *k) != NULL;
    free(text);
    return hit;
}

/* The top-level blocks in the department's scope (as the document model
 * resolved it) or mentioning one of its keywords. */
cmark_node **summary_select(const struct doc *doc, const struct department *dep, int *count)
{
    cmark_node **out = NULL;
    int n = 0;
    for (cmark_node *c = cmark_node_first_child(doc->root); c; c = cmark_node_next(c)) {
        cmark_node_type t = cmark_node_get_type(c);
        if (t == CMARK_NODE_HEADING || t == CMARK_NODE_HTML_BLOCK ||
            t == CMARK_NODE_FOOTNOTE_DEFINITION || t == CMARK_NODE_THEMATIC_BREAK)
            continue;
        if (model_in_dept(model_info(c), dep->id, dep->name) || mentions(doc, c, dep)) {
            out = xreallocarray(out, (size_t)n + 1, sizeof *out);
            out[n++] = c;
        }
    }
    *count = n;
    return out;
}

/* ---- Markdown ---------------------------------------------------------- */

static void yaml_quoted(struct buf *b, const char *s)
{
    buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            buf_putc(b, '\\');
        if (*s != '\n')
            buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

static void front_matter(struct buf *b, const struct doc *doc, const struct department *dep,
                         const char *template_name, const struct style *st)
{
    const struct meta *m = &doc->meta;
    buf_puts(b, "---\ntitle: ");
    char *title = frame_fill(style_label(st, LABEL_SUMMARY_TITLE), dep->name);
    yaml_quoted(b, title);
    free(title);
    if (template_name) { /* a file's full path: the summary is read from another folder */
        char *full = style_is_path(template_name) ? realpath(template_name, NULL) : NULL;
        buf_puts(b, "\ntemplate: ");
        yaml_quoted(b, full ? full : template_name);
        free(full);
    }
    if (m->issuer) {
        buf_puts(b, "\nissuer: ");
        yaml_quoted(b, m->issuer);
        buf_puts(b, "\nauthor: ");
        yaml_quoted(b, m->issuer);
    }
    if (m->issue) { /* the masthead's 期号 is the report's; the title names the department */
        buf_puts(b, "\nissue: ");
        yaml_quoted(b, m->issue);
    }
    /* 报尾: the summary goes down to its department (发), up and across as the report does */
    const char *tail[][2] = {{"bao", m->bao}, {"song", m->song}, {"fa", dep->name}};
    for (int i = 0; i < 3; i++)
        if (tail[i][1]) {
            buf_printf(b, "\n%s: ", tail[i][0]);
            yaml_quoted(b, tail[i][1]);
        }
    if (m->date.year)
        buf_printf(b, "\ndate: %04d-%02d-%02d", m->date.year, m->date.month, m->date.day);
    if (m->keywords) {
        buf_puts(b, "\nkeywords: ");
        yaml_quoted(b, m->keywords);
    }
    /* the department's own figures, not every one its blocks happen to hold */
    buf_puts(b, "\noverview: [");
    const char *sep = "";
    for (int i = 0; dep->indicators[i]; i++)
        if (indicators_find(doc->indicators, dep->indicators[i], NULL)) {
            buf_printf(b, "%s%s", sep, dep->indicators[i]);
            sep = ", ";
        }
    buf_puts(b, "]");
    /* every label of the full report, so values keep their names here */
    const struct indicators *set = doc->indicators;
    bool any = false;
    for (int i = 0; i < set->n; i++) {
        if (indicators_find(set, set->items[i].id, NULL) != &set->items[i])
            continue;
        if (!any)
            buf_puts(b, "\nindicators:");
        any = true;
        buf_printf(b, "\n  %s: {label: ", set->items[i].id);
        yaml_quoted(b, set->items[i].label);
        buf_puts(b, "}");
    }
    buf_puts(b, "\n---\n\n");
}

static bool listed(char **ids, int n, const char *id)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(ids[i], id))
            return true;
    return false;
}

/* Indicator ids that the chart blocks among the selected ones refer to:
 * they must be annotated in the summary too, or the charts cannot draw. */
static int chart_ids(const struct doc *doc, cmark_node **blocks, int n, char **out, int max)
{
    int count = 0;
    const struct indicators *set = doc->indicators;
    for (int b = 0; b < n; b++) {
        if (!model_info(blocks[b])->chart)
            continue;
        const char *yaml = cmark_node_get_literal(blocks[b]);
        for (int i = 0; i < set->n && count < max; i++) {
            const char *id = set->items[i].id, *hit = yaml;
            size_t len = strlen(id);
            while ((hit = strstr(hit, id))) {
                char next = hit[len], prev = hit > yaml ? hit[-1] : ' ';
                bool whole = !((next >= 'a' && next <= 'z') || (next >= '0' && next <= '9') || next == '-') &&
                             !((prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9') || prev == '-');
                if (whole && !listed(out, count, id)) {
                    out[count++] = set->items[i].id;
                    break;
                }
                hit += len;
            }
        }
    }
    return count;
}

/* The department's own indicators (and those its charts need), as written
 * in the report, in a line of their own: the summary's overview cards and
 * chart come from them. */
static void indicator_line(struct buf *b, const struct doc *doc, const struct department *dep,
                           cmark_node **blocks, int nblocks, const struct style *st)
{
    const struct indicators *set = doc->indicators;
    size_t given = 0; /* the manifest may list ids the report never uses */
    while (dep->indicators[given])
        given++;
    char **ids = xcalloc((size_t)set->n + given + 1, sizeof *ids);
    int n = 0;
    for (char **id = dep->indicators; *id; id++)
        if (!listed(ids, n, *id))
            ids[n++] = *id;
    int end = n + chart_ids(doc, blocks, nblocks, ids + n, set->n - n);
    int kept = n;
    for (int k = n; k < end; k++) /* those the department does not list already */
        if (!listed(ids, kept, ids[k]))
            ids[kept++] = ids[k];
    n = kept;
    bool any = false;
    for (int k = 0; k < n; k++) {
        bool first = true; /* label：value（period）、value（period） per id */
        for (int i = 0; i < set->n; i++) {
            const struct indicator *ind = &set->items[i];
            if (strcmp(ind->id, ids[k]) || indicators_find(set, ind->id, ind->period) != ind)
                continue;
            if (first)
                buf_printf(b, "%s%s%s%s：", any ? "；" : "**", any ? "" : style_label(st, LABEL_SUMMARY_INDICATORS),
                           any ? "" : "**", ind->label);
            else
                buf_puts(b, "、");
            buf_printf(b, "[%s](kpi:%s%s%s)", ind->v.text, ind->id, *ind->period ? "@" : "", ind->period);
            if (*ind->period)
                buf_printf(b, "（%s）", ind->period);
            first = false;
            any = true;
        }
    }
    if (any)
        buf_puts(b, "。\n\n");
    free(ids);
}

/* The chain of headings above a block, from the document model. */
static void heading_path(cmark_node *block, cmark_node **path)
{
    for (int i = 0; i <= MAX_LEVEL; i++)
        path[i] = NULL;
    for (cmark_node *h = model_info(block)->heading; h; h = model_info(h)->heading) {
        int level = model_info(h)->level;
        if (level >= 1 && level <= MAX_LEVEL)
            path[level] = h;
    }
}

/* Which footnote definitions (by number) the blocks refer to. */
static bool *footnotes_cited(cmark_node **blocks, int n, int ndefs)
{
    bool *cited = xcalloc((size_t)ndefs + 1, sizeof *cited);
    for (int i = 0; i < n; i++) {
        cmark_iter *it = cmark_iter_new(blocks[i]);
        cmark_event_type ev;
        while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
            cmark_node *c = cmark_iter_get_node(it);
            int k = model_info(c)->note;
            if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(c) == CMARK_NODE_FOOTNOTE_REFERENCE &&
                k >= 1 && k <= ndefs)
                cited[k] = true;
        }
        cmark_iter_free(it);
    }
    return cited;
}

/* The report's footnotes that the summary's blocks cite, as written, so
 * the summary numbers and prints them as the report does. */
static void footnote_definitions(struct buf *b, const struct doc *doc, cmark_node **blocks, int n)
{
    int ndefs = 0;
    for (cmark_node *c = cmark_node_first_child(doc->root); c; c = cmark_node_next(c))
        ndefs += cmark_node_get_type(c) == CMARK_NODE_FOOTNOTE_DEFINITION;
    if (!ndefs)
        return;
    bool *cited = footnotes_cited(blocks, n, ndefs);
    for (cmark_node *c = cmark_node_first_child(doc->root); c; c = cmark_node_next(c)) {
        int k = model_info(c)->note;
        if (cmark_node_get_type(c) == CMARK_NODE_FOOTNOTE_DEFINITION && k >= 1 && k <= ndefs &&
            cited[k]) {
            char *text = block_source(doc, c);
            buf_printf(b, "%s\n\n", text);
            free(text);
        }
    }
    free(cited);
}

char *summary_markdown(const struct doc *doc, const struct department *dep, cmark_node **blocks,
                       int n, int (*page_of_line)(void *ctx, int line), void *ctx,
                       const char *full_pdf, const char *template_name, const struct style *st)
{
    struct buf b = {0};
    front_matter(&b, doc, dep, template_name, st);
    cmark_node *shown[MAX_LEVEL + 1] = {0};
    bool h1 = false;
    for (int i = 0; i < n; i++) {
        cmark_node *path[MAX_LEVEL + 1];
        heading_path(blocks[i], path);
        if (!h1 && !path[1]) {
            for (cmark_node *c = cmark_node_first_child(doc->root); c && !path[1]; c = cmark_node_next(c))
                if (cmark_node_get_type(c) == CMARK_NODE_HEADING && model_info(c)->level == 1)
                    path[1] = c;
        }
        for (int l = 1; l <= MAX_LEVEL; l++) {
            if (!path[l] || path[l] == shown[l])
                continue;
            char *h = block_source(doc, path[l]);
            buf_printf(&b, "%s\n\n", h);
            free(h);
            shown[l] = path[l];
            for (int k = l + 1; k <= MAX_LEVEL; k++)
                shown[k] = NULL;
            if (l == 1 && !h1) {
                h1 = true;
                indicator_line(&b, doc, dep, blocks, n, st);
            }
        }
        char *text = block_source(doc, blocks[i]);
        buf_printf(&b, "%s\n\n", text);
        free(text);
        int page = page_of_line(ctx, cmark_node_get_start_line(blocks[i]));
        if (page > 0 && cmark_node_get_type(blocks[i]) != CMARK_NODE_CODE_BLOCK) {
            char num[16];
            snprintf(num, sizeof num, "%d", page);
            char *see = frame_fill(style_label(st, LABEL_SUMMARY_PAGE), num);
            buf_printf(&b, "（[%s](%s#page=%d)）\n\n", see, full_pdf, page);
            free(see);
        }
    }
    if (!h1)
        indicator_line(&b, doc, dep, blocks, n, st);
    footnote_definitions(&b, doc, blocks, n);
    return buf_detach(&b);
}
