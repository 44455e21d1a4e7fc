#define _POSIX_C_SOURCE 200809L
/* The resolve pass (model.h): one walk over the parsed tree gives every
 * node its record (model.c), then passes over the blocks work out what
 * needs context: sections, department scope, and the report's parts
 * (parts.c). The document modules (model.c, resolve.c, parts.c) are the
 * only ones that know the surface syntax of comments (<!-- pagebreak -->,
 * <!-- dept: … -->, <!-- role: … -->, lint directives), heading numbers and
 * note markers. */
#include "resolve_int.h"
#include "buf.h"
#include "indicator.h"
#include "utf8.h"
#include "xalloc.h"
#include <cmark-gfm-core-extensions.h>
#include <stdlib.h>
#include <string.h>

/* A table cell holding a number (digits with + - . , % and spaces, a unit
 * after it): numeric columns are right-aligned. */
static bool text_is_numeric(const char *s)
{
    bool digit = false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= '0' && c <= '9')
            digit = true;
        else if (!strchr("+-.,% ", c) && c < 0x80)
            return false;
        else if (c >= 0x80 && !digit)
            return false; /* a unit may follow the number, not lead it */
    }
    return digit;
}

static bool is_chart_block(cmark_node *n)
{
    const char *info = cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK ? cmark_node_get_fence_info(n) : NULL;
    if (!info)
        return false;
    while (*info == ' ')
        info++;
    return !strncmp(info, "chart", 5) && (info[5] == '\0' || info[5] == ' ');
}

/* ---- the first walk: per-node facts ---------------------------------------- */

/* The text of an HTML comment without <!-- -->, trimmed, or NULL. */
static char *comment_body(const char *s)
{
    if (!s)
        return NULL;
    while (*s == ' ' || *s == '\t' || *s == '\n')
        s++;
    if (strncmp(s, "<!--", 4) != 0)
        return NULL;
    const char *end = strstr(s + 4, "-->");
    if (!end)
        return NULL;
    for (const char *rest = end + 3; *rest; rest++)
        if (*rest != ' ' && *rest != '\t' && *rest != '\n' && *rest != '\r')
            return NULL;
    s += 4;
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\n'))
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
        end--;
    return xstrndup(s, (size_t)(end - s));
}

static bool dept_sep(const char *s, int *len)
{
    *len = *s == ',' ? 1 : starts(s, "，") || starts(s, "、") ? 3 : 0;
    return *len > 0;
}

/* "区科技局， 区工信局" → {"区科技局", "区工信局"}. */
static void split_names(const char *s, char ***out, int *n)
{
    while (*s) {
        while (blank(*s))
            s++;
        const char *start = s;
        int sl = 0;
        while (*s && !dept_sep(s, &sl))
            s++;
        const char *end = s;
        while (end > start && blank(end[-1]))
            end--;
        if (end > start) {
            *out = xreallocarray(*out, (size_t)*n + 2, sizeof **out);
            (*out)[(*n)++] = xstrndup(start, (size_t)(end - start));
            (*out)[*n] = NULL;
        }
        if (*s)
            s += sl;
    }
}

/* lint-disable …: the directive and the rule ids after it. */
static void lint_directive(struct node_info *info)
{
    static const struct {
        const char *word;
        enum lint_directive kind;
    } words[] = {{"lint-disable-next-line", LINT_DISABLE_NEXT_LINE},
                 {"lint-disable", LINT_DISABLE},
                 {"lint-enable", LINT_ENABLE}};
    const char *body = info->comment;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        size_t n = strlen(words[i].word);
        if (strncmp(body, words[i].word, n) || (body[n] && !blank(body[n])))
            continue;
        info->marker = MARK_LINT;
        info->lint = words[i].kind;
        int count = 0;
        for (const char *s = body + n;;) {
            while (*s == ',' || blank(*s))
                s++;
            if (!*s)
                break;
            size_t len = strcspn(s, " ,\t\n\r");
            info->lint_rules = xreallocarray(info->lint_rules, (size_t)count + 2, sizeof *info->lint_rules);
            info->lint_rules[count++] = xstrndup(s, len);
            info->lint_rules[count] = NULL;
            s += len;
        }
        return;
    }
}

static void resolve_comment(struct node_info *info)
{
    char *body = comment_body(cmark_node_get_literal(info->node));
    if (!body)
        return;
    info->comment = body;
    info->marker = !strcmp(body, "pagebreak") ? MARK_PAGEBREAK
                   : !strcmp(body, "signature") ? MARK_SIGNATURE
                   : starts(body, "dept:")      ? MARK_DEPT
                   : starts(body, "role:")      ? MARK_ROLE
                                                : MARK_COMMENT;
    if (info->marker == MARK_COMMENT)
        lint_directive(info);
}

static void resolve_table(struct node_info *info)
{
    cmark_node *t = info->node;
    int ncols = cmark_gfm_extensions_get_table_columns(t);
    if (ncols <= 0)
        return;
    uint8_t *al = cmark_gfm_extensions_get_table_alignments(t);
    info->align = xcalloc((size_t)ncols + 1, 1);
    int nrows = 0;
    for (cmark_node *row = cmark_node_first_child(t); row; row = cmark_node_next(row))
        nrows++;
    for (int c = 0; c < ncols; c++) {
        if (al && (al[c] == 'l' || al[c] == 'c' || al[c] == 'r')) {
            info->align[c] = (char)al[c];
            continue;
        }
        /* a column of numbers goes right */
        bool numeric = nrows > 1;
        int r = 0;
        for (cmark_node *row = cmark_node_first_child(t); row; row = cmark_node_next(row), r++) {
            if (r == 0)
                continue;
            cmark_node *cell = cmark_node_first_child(row);
            for (int k = 0; cell && k < c; k++)
                cell = cmark_node_next(cell);
            char *text = cell ? model_plain_text(cell, true) : xstrdup("");
            if (*text && !text_is_numeric(text))
                numeric = false;
            free(text);
        }
        info->align[c] = numeric ? 'r' : 'l';
    }
}

/* Soft breaks: a space only between two characters that are not CJK. */
static int32_t first_char(const char *s)
{
    int n;
    return s && *s ? utf8_decode(s, strlen(s), &n) : -1;
}

static int32_t last_char(const char *s)
{
    if (!s || !*s)
        return -1;
    size_t len = strlen(s), p = utf8_prev(s, len);
    int n;
    return utf8_decode(s + p, len - p, &n);
}

static void resolve_soft_breaks(cmark_node *block)
{
    cmark_iter *it = cmark_iter_new(block);
    cmark_event_type ev;
    int32_t prev = -1;
    struct node_info *pending = NULL;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node_type t = cmark_node_get_type(n);
        const char *lit = NULL;
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
            lit = cmark_node_get_literal(n);
        else if (t == CMARK_NODE_FOOTNOTE_REFERENCE)
            lit = "0";
        if (t == CMARK_NODE_SOFTBREAK) {
            pending = info_of(n);
        } else if (t == CMARK_NODE_LINEBREAK) {
            pending = NULL;
        } else if (lit && *lit) {
            int32_t c = first_char(lit);
            if (pending)
                pending->space = prev >= 0 && !cjk_is_wide(prev) && !cjk_is_wide(c) &&
                                 prev != ' ' && c != ' ';
            pending = NULL;
            prev = last_char(lit);
        }
    }
    cmark_iter_free(it);
}

static bool is_leaf_block(cmark_node_type t)
{
    return t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING;
}

static void first_walk(struct model *m, cmark_node *root)
{
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    int id = 0;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node *n = cmark_iter_get_node(it);
        struct node_info *info = model_record(m, n);
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_HTML_BLOCK)
            resolve_comment(info);
        if (t == CMARK_NODE_CODE_BLOCK)
            info->chart_block = is_chart_block(n);
        if (t == CMARK_NODE_HEADING) {
            info->level = cmark_node_get_heading_level(n);
            info->text = model_plain_text(n, false);
            char *all = model_plain_text(n, true);
            info->empty = !*model_skip_ideo_spaces(all);
            free(all);
            info->id = info->empty ? -1 : id++;
            const char *s = info->text;
            while (*s == ' ' || starts(s, IDEO_SPACE))
                s += *s == ' ' ? 1 : 3;
            info->scheme = model_parse_number(s, &info->number, &info->number_len);
        }
        if (model_is_table(n))
            resolve_table(info);
    }
    cmark_iter_free(it);
}

/* Inline facts need every record in place first. */
static void inline_walk(cmark_node *root)
{
    int ndefs = 0;
    for (cmark_node *c = cmark_node_first_child(root); c; c = cmark_node_next(c))
        if (is_type(c, CMARK_NODE_FOOTNOTE_DEFINITION))
            info_of(c)->note = ++ndefs;
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node_type t = cmark_node_get_type(n);
        if (is_leaf_block(t) || !strcmp(cmark_node_get_type_string(n), "table_cell"))
            resolve_soft_breaks(n);
        if (t == CMARK_NODE_FOOTNOTE_REFERENCE) {
            /* cmark-gfm numbers references by their definition's place */
            const char *num = cmark_node_get_literal(n);
            int k = num ? atoi(num) : 0;
            info_of(n)->note = k >= 1 && k <= ndefs ? k : 0;
        }
    }
    cmark_iter_free(it);
}

/* ---- sections ------------------------------------------------------------- */

/* Every node learns the heading whose section holds it and its path. */
static void resolve_sections(cmark_node *root)
{
    cmark_node *stack[MAX_LEVEL + 1] = {0};
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || n == root)
            continue;
        struct node_info *info = info_of(n);
        int level = 0;
        if (is_type(n, CMARK_NODE_HEADING)) {
            level = info->level > MAX_LEVEL ? MAX_LEVEL : info->level;
            for (int l = level; l <= MAX_LEVEL; l++)
                stack[l] = NULL;
        }
        cmark_node *above = NULL;
        struct buf path = {0};
        for (int l = 1; l <= MAX_LEVEL; l++)
            if (stack[l]) {
                above = stack[l];
                if (path.len)
                    buf_puts(&path, " › ");
                buf_puts(&path, info_of(stack[l])->text);
            }
        info->heading = above;
        if (level) {
            stack[level] = n;
            if (path.len)
                buf_puts(&path, " › ");
            buf_puts(&path, info->text);
        }
        info->section = path.data ? buf_detach(&path) : xstrdup("");
    }
    cmark_iter_free(it);
}

static void add_to_subtree(cmark_node *n, char *const *names)
{
    cmark_iter *it = cmark_iter_new(n);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
        if (ev == CMARK_EVENT_ENTER)
            model_add_names(info_of(cmark_iter_get_node(it)), names);
    cmark_iter_free(it);
}

struct tagged {
    int level;       /* a tagged section runs until a heading of this level or higher */
    char **names;
};

static void free_names(char **names)
{
    for (char **p = names; p && *p; p++)
        free(*p);
    free(names);
}

/* In one container: a tag right after a heading covers its section, down
 * to the next heading of the same or a higher level; any other tag covers
 * the block after it. What a container holds inherits the container's. */
static void scope_children(cmark_node *parent)
{
    struct tagged open[MAX_LEVEL + 1];
    int nopen = 0;
    char **pending = NULL;
    for (cmark_node *c = cmark_node_first_child(parent); c; c = cmark_node_next(c)) {
        struct node_info *info = info_of(c);
        if (info->marker == MARK_DEPT) {
            char **names = NULL;
            int n = 0;
            split_names(info->comment + 5, &names, &n);
            model_add_names(info, names); /* the tag's own set: the names it lists */
            cmark_node *prev = cmark_node_previous(c);
            if (is_type(prev, CMARK_NODE_HEADING) && nopen <= MAX_LEVEL) {
                add_to_subtree(prev, names);
                open[nopen++] = (struct tagged){info_of(prev)->level, names};
            } else {
                free_names(pending);
                pending = names;
            }
            continue;
        }
        if (is_type(c, CMARK_NODE_HEADING))
            while (nopen && open[nopen - 1].level >= info->level)
                free_names(open[--nopen].names);
        for (int k = 0; k < nopen; k++)
            add_to_subtree(c, open[k].names);
        if (pending) {
            add_to_subtree(c, pending);
            free_names(pending);
            pending = NULL;
        }
        if (is_type(c, CMARK_NODE_BLOCK_QUOTE) || is_type(c, CMARK_NODE_LIST) ||
            is_type(c, CMARK_NODE_ITEM))
            scope_children(c);
    }
    while (nopen)
        free_names(open[--nopen].names);
    free_names(pending);
}

/* ---- the pass ------------------------------------------------------------- */

struct model *model_resolve(cmark_node *root, const char *file, struct diag *d)
{
    struct model *m = xcalloc(1, sizeof *m);
    m->file = file;
    m->d = d;
    first_walk(m, root);
    inline_walk(root);
    resolve_sections(root);
    scope_children(root);
    parts_resolve(m, root);
    return m;
}

void model_attach_indicators(struct indicators *set)
{
    for (int i = 0; set && i < set->n; i++) {
        struct node_info *info = info_of(set->nodes[i]);
        info->indicator = &set->items[i];
        free(set->items[i].section);
        set->items[i].section = xstrdup(info->section ? info->section : "");
    }
}

void model_attach_chart(cmark_node *block, const struct chart *c) { info_of(block)->chart = c; }
