#define _POSIX_C_SOURCE 200809L
/* Loading a report: UTF-8 check, front matter, the CJK emphasis fix, and
 * cmark-gfm parsing with the GitHub extensions.
 *
 * CJK emphasis: CommonMark's flanking rules reject `**“三新”**工作` because
 * the closing run sits between punctuation and a letter (commonmark-spec
 * issue 650). Without forking cmark we insert a marker character (the
 * noncharacter U+FDD0, neither punctuation nor space to cmark) between such
 * a delimiter run and the punctuation next to it, then delete every marker
 * from the parsed tree. */
#include "doc.h"
#include "buf.h"
#include "resolve.h"
#include "utf8.h"
#include "xalloc.h"
#include <cmark-gfm-core-extensions.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MARK "\xEF\xB7\x90" /* U+FDD0 */
#define MARK_CP 0xFDD0

char *doc_read_file(const char *path, size_t *len, struct diag *d)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    bool failed = ferror(f);
    if (!is_stdin)
        fclose(f);
    if (failed) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
        buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return buf_detach(&b);
}

static bool is_punct(int32_t c)
{
    if (c < 0x80)
        return c > 0x20 && c < 0x7F && !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
                                          (c >= 'a' && c <= 'z'));
    return (c >= 0x2010 && c <= 0x205E) || (c >= 0x3001 && c <= 0x303F) ||
           (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
           (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65) || c == 0x00B7;
}

static bool is_space(int32_t c)
{
    return c < 0 || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000;
}

static int32_t cp_before(const char *s, size_t pos)
{
    if (pos == 0)
        return -1;
    size_t p = utf8_prev(s, pos);
    int n;
    return utf8_decode(s + p, pos - p, &n);
}

static int32_t cp_at(const char *s, size_t len, size_t pos)
{
    int n;
    return pos < len ? utf8_decode(s + pos, len - pos, &n) : -1;
}

/* Copies text, adding markers next to `*` runs that CommonMark would not let
 * open or close only because of adjacent CJK punctuation. */
static char *mark_emphasis(const char *s, size_t len, size_t *out_len)
{
    struct buf b = {0};
    size_t i = 0;
    while (i < len) {
        if (s[i] != '*' || (i > 0 && s[i - 1] == '\\')) {
            buf_putc(&b, s[i++]);
            continue;
        }
        size_t j = i;
        while (j < len && s[j] == '*')
            j++;
        int32_t before = cp_before(s, i), after = cp_at(s, len, j);
        bool mark_before = is_punct(before) && before != '\\' && !is_space(after) &&
                           !is_punct(after);
        bool mark_after = is_punct(after) && !is_space(before) && !is_punct(before);
        if (mark_before)
            buf_puts(&b, MARK);
        buf_put(&b, s + i, j - i);
        if (mark_after)
            buf_puts(&b, MARK);
        i = j;
    }
    *out_len = b.len;
    return buf_detach(&b);
}

static char *strip_marks(const char *s)
{
    if (!s || !strstr(s, MARK))
        return NULL;
    struct buf b = {0};
    for (const char *p = s; *p;) {
        if (strncmp(p, MARK, 3) == 0) {
            p += 3;
            continue;
        }
        buf_putc(&b, *p++);
    }
    return buf_detach(&b);
}

static void unmark_node(cmark_node *n)
{
    char *t;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
    case CMARK_NODE_CODE_BLOCK:
    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_HTML_INLINE:
        if ((t = strip_marks(cmark_node_get_literal(n)))) {
            cmark_node_set_literal(n, t);
            free(t);
        }
        break;
    case CMARK_NODE_LINK:
    case CMARK_NODE_IMAGE:
        if ((t = strip_marks(cmark_node_get_url(n)))) {
            cmark_node_set_url(n, t);
            free(t);
        }
        if ((t = strip_marks(cmark_node_get_title(n)))) {
            cmark_node_set_title(n, t);
            free(t);
        }
        break;
    default:
        break;
    }
}

static void unmark_tree(cmark_node *root)
{
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
        if (ev == CMARK_EVENT_ENTER)
            unmark_node(cmark_iter_get_node(it));
    cmark_iter_free(it);
}

static cmark_node *parse_markdown(const char *text, size_t len)
{
    cmark_gfm_core_extensions_ensure_registered();
    int opts = CMARK_OPT_FOOTNOTES | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE;
    cmark_parser *p = cmark_parser_new(opts);
    static const char *const exts[] = {"table", "strikethrough", "autolink"};
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
        if (e)
            cmark_parser_attach_syntax_extension(p, e);
    }
    cmark_parser_feed(p, text, len);
    cmark_node *root = cmark_parser_finish(p);
    cmark_parser_free(p);
    return root;
}

/* Each ```chart block's YAML becomes a chart attached to its node; the
 * YAML's first line is the line after the fence. */
static void parse_charts(struct doc *doc, struct diag *d)
{
    cmark_iter *it = cmark_iter_new(doc->root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || !model_info(n)->chart_block)
            continue;
        struct chart *c = chart_parse(cmark_node_get_literal(n), doc->file,
                                      cmark_node_get_start_line(n), doc->indicators, d);
        if (!c)
            continue;
        doc->charts = xreallocarray(doc->charts, (size_t)doc->ncharts + 1, sizeof *doc->charts);
        doc->charts[doc->ncharts++] = c;
        model_attach_chart(n, c);
    }
    cmark_iter_free(it);
    chart_fill_source(doc->charts, doc->ncharts, doc->meta.source); /* front matter `source:` */
}

/* Front matter `overview:` may only name annotated indicators. */
static void check_overview(const struct doc *doc, struct diag *d)
{
    for (char **id = doc->meta.overview; id && *id; id++)
        if (!indicators_find(doc->indicators, *id, NULL) && indicators_nearest_id(doc->indicators, *id))
            diag_add(d, DIAG_ERROR, doc->file, doc->meta.overview_line, 1,
                     "front matter 'overview': '%s' is not an indicator of this report: did you mean '%s'?",
                     *id, indicators_nearest_id(doc->indicators, *id));
        else if (!indicators_find(doc->indicators, *id, NULL))
            diag_add(d, DIAG_ERROR, doc->file, doc->meta.overview_line, 1,
                     "front matter 'overview': '%s' is not an indicator of this report (no "
                     "[value](kpi:%s) annotation)", *id, *id);
}

struct doc *doc_parse(const char *file, const char *data, size_t len, struct diag *d)
{
    int line, col;
    if (!utf8_validate(data, len, &line, &col)) {
        diag_add(d, DIAG_ERROR, file, line, col,
                 "invalid UTF-8 or NUL byte (the report must be UTF-8 text)");
        return NULL;
    }
    struct doc *doc = xcalloc(1, sizeof *doc);
    doc->file = xstrdup(file);
    doc->src = xstrndup(data, len);
    doc->len = len;
    doc->meta.duplex = -1;
    size_t skip = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    bool unclosed;
    size_t ystart, ylen;
    size_t fm = frontmatter_span(data + skip, len - skip, &ystart, &ylen, &unclosed);
    if (unclosed) {
        diag_add(d, DIAG_ERROR, file, 1, 1, "front matter opened with '---' is never closed");
        doc_free(doc);
        return NULL;
    }
    if (fm && !frontmatter_parse(&doc->meta, data + skip + ystart, ylen, file, d)) {
        doc_free(doc);
        return NULL;
    }
    /* blank lines in place of the front matter keep cmark's line numbers true */
    struct buf text = {0};
    for (size_t i = skip; i < skip + fm; i++)
        if (data[i] == '\n')
            buf_putc(&text, '\n');
    size_t mlen;
    char *marked = mark_emphasis(data + skip + fm, len - skip - fm, &mlen);
    buf_put(&text, marked, mlen);
    free(marked);
    doc->root = parse_markdown(text.data ? text.data : "", text.len);
    buf_free(&text);
    unmark_tree(doc->root);
    doc->model = model_resolve(doc->root, doc->file, d);
    doc->indicators = indicators_collect(doc->root, doc->src, doc->file, &doc->meta, d);
    model_attach_indicators(doc->indicators);
    check_overview(doc, d);
    parse_charts(doc, d);
    return doc;
}

struct doc *doc_load(const char *path, struct diag *d)
{
    size_t len;
    char *data = doc_read_file(path, &len, d);
    if (!data)
        return NULL;
    struct doc *doc = doc_parse(strcmp(path, "-") == 0 ? "<stdin>" : path, data, len, d);
    free(data);
    return doc;
}

void doc_free(struct doc *doc)
{
    if (!doc)
        return;
    if (doc->root)
        cmark_node_free(doc->root);
    indicators_free(doc->indicators);
    model_free(doc->model);
    for (int i = 0; i < doc->ncharts; i++)
        chart_free(doc->charts[i]);
    free(doc->charts);
    meta_free(&doc->meta);
    free(doc->file);
    free(doc->src);
    free(doc);
}
