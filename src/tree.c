/* `briefing render --format tree`: the resolved document model as text,
 * one node a line, indented by depth, with the facts the resolve pass hung
 * on it (what cmark's XML renderer is to cmark). Golden tests read it. */
#include "tree.h"
#include "buf.h"
#include "chart.h"
#include <stdlib.h>
#include <string.h>

static void quoted(struct buf *b, const char *s)
{
    buf_putc(b, '"');
    for (; s && *s; s++) {
        if (*s == '\n')
            buf_puts(b, "\\n");
        else if (*s == '"' || *s == '\\')
            buf_printf(b, "\\%c", *s);
        else
            buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

static void field(struct buf *b, const char *name, const char *value)
{
    buf_printf(b, " %s=", name);
    quoted(b, value);
}

static const char *marker_name(enum marker m)
{
    static const char *const names[] = {"", "pagebreak", "signature", "dept", "role", "lint", "comment"};
    return names[m];
}

static void heading_facts(struct buf *b, const struct node_info *info)
{
    buf_printf(b, " level=%d", info->level);
    if (info->empty)
        buf_puts(b, " empty");
    else
        buf_printf(b, " id=h-%d", info->id);
    if (info->scheme != NUM_NONE) {
        char num[32];
        model_number_text(info->scheme, info->number, num, sizeof num);
        field(b, "number", num);
    }
    if (info->auto_number)
        field(b, "auto", info->auto_number);
}

static void depts(struct buf *b, const struct node_info *info, const struct node_info *parent)
{
    if (!info->ndepts || model_same_depts(info, parent))
        return; /* none, or as its container: said there */
    buf_puts(b, " depts=[");
    for (int k = 0; k < info->ndepts; k++)
        buf_printf(b, "%s%s", k ? "," : "", info->depts[k]);
    buf_putc(b, ']');
}

static void node_line(struct buf *b, cmark_node *n, int depth)
{
    const struct node_info *info = model_info(n);
    cmark_node_type t = cmark_node_get_type(n);
    for (int i = 0; i < depth; i++)
        buf_puts(b, "  ");
    buf_puts(b, t == CMARK_NODE_FOOTNOTE_DEFINITION  ? "footnote_definition"
                : t == CMARK_NODE_FOOTNOTE_REFERENCE ? "footnote_reference"
                                                      : cmark_node_get_type_string(n));
    if (info->part != PART_BODY)
        buf_printf(b, " part=%s", model_part_name(info->part));
    if (t == CMARK_NODE_HEADING)
        heading_facts(b, info);
    if (info->marker != MARK_NONE)
        buf_printf(b, " marker=%s", marker_name(info->marker));
    if (info->note)
        buf_printf(b, " note=%d", info->note);
    if (info->cited)
        buf_puts(b, " cited");
    if (info->attachment) {
        buf_printf(b, " attachment=%d", info->attachment);
        field(b, "label", info->attachment_label);
        field(b, "name", info->attachment_name);
    }
    if (info->attachment_title)
        buf_puts(b, " attachment-title");
    if (info->align)
        buf_printf(b, " align=%s", info->align);
    if (info->chart_block)
        buf_printf(b, " chart=%s", info->chart ? chart_type_name(info->chart->type) : "(invalid)");
    if (info->indicator)
        buf_printf(b, " kpi=%s%s%s", info->indicator->id, *info->indicator->period ? "@" : "",
                   info->indicator->period);
    if (t == CMARK_NODE_SOFTBREAK)
        buf_puts(b, info->space ? " space" : " joined");
    depts(b, info, model_info(cmark_node_parent(n)));
    if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
        buf_putc(b, ' ');
        quoted(b, cmark_node_get_literal(n));
    } else if (t == CMARK_NODE_HTML_BLOCK && info->comment)
        field(b, "comment", info->comment);
    else if (t == CMARK_NODE_HEADING)
        field(b, "section", info->section);
    buf_putc(b, '\n');
}

static int depth_of(cmark_node *n)
{
    int d = 0;
    while ((n = cmark_node_parent(n)))
        d++;
    return d;
}

/* Inline content of paragraphs and headings is shown too: soft breaks,
 * terms and note markers live there. */
char *tree_dump(const struct doc *doc)
{
    struct buf b = {0};
    cmark_iter *it = cmark_iter_new(doc->root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
        if (ev == CMARK_EVENT_ENTER)
            node_line(&b, cmark_iter_get_node(it), depth_of(cmark_iter_get_node(it)));
    cmark_iter_free(it);
    return buf_detach(&b);
}
