/* The frame (frame.h): every string the template adds around the text,
 * computed once, so the PDF and the HTML cannot drift apart. */
#include "frame.h"
#include "buf.h"
#include "resolve.h"
#include "xalloc.h"
#include <stdlib.h>
#include <string.h>

char *frame_fill(const char *label, const char *value)
{
    const char *open = strchr(label, '{');
    const char *close = open ? strchr(open, '}') : NULL;
    if (!close)
        return xstrdup(label);
    return xasprintf("%.*s%s%s", (int)(open - label), label, value ? value : "", close + 1);
}

char *frame_footnote_label(const struct style *st, int n)
{
    char num[16];
    snprintf(num, sizeof num, "%d", n);
    return frame_fill(style_label(st, LABEL_FOOTNOTE), num);
}

static char *dup_or_null(const char *s) { return s ? xstrdup(s) : NULL; }

static char *date_text(const struct date *d)
{
    char buf[64];
    date_format_cn(d, buf, sizeof buf);
    return xstrdup(buf);
}

/* The 简报 报头's title: the template's pattern with {report} (the first
 * level-1 heading, else the title) and {title}. */
static char *masthead_title(const struct doc *doc, const struct style *st)
{
    const char *fmt = st->masthead_title && *st->masthead_title ? st->masthead_title : "{title}";
    const char *title = doc->meta.title ? doc->meta.title : style_label(st, LABEL_BRIEFING);
    const char *first = NULL;
    for (cmark_node *n = cmark_node_first_child(doc->root); n && !first; n = cmark_node_next(n))
        if (cmark_node_get_type(n) == CMARK_NODE_HEADING && model_info(n)->level == 1)
            first = model_info(n)->text;
    struct buf out = {0};
    for (const char *s = fmt; *s;) {
        if (!strncmp(s, "{report}", 8)) {
            buf_puts(&out, first ? first : title);
            s += 8;
        } else if (!strncmp(s, "{title}", 7)) {
            buf_puts(&out, title);
            s += 7;
        } else {
            buf_putc(&out, *s++);
        }
    }
    return buf_detach(&out);
}

static char *cc_list(const struct meta *m)
{
    if (!m->cc || !m->cc[0])
        return NULL;
    struct buf list = {0};
    for (char **p = m->cc; *p; p++) {
        if (p != m->cc)
            buf_puts(&list, "，");
        buf_puts(&list, *p);
    }
    buf_puts(&list, "。");
    return buf_detach(&list);
}

static void colophon_line(struct frame *f, const char *label, char *text, char *right, bool rule)
{
    f->colophon[f->ncolophon++] = (struct frame_line){dup_or_null(label), text, right, rule};
}

/* 版记 (公文: 抄送, 印发机关 and 印发日期) or 报尾 (简报: 报, 送, 发, 印数). */
static void colophon(struct frame *f, const struct meta *m, const struct style *st)
{
    char *cc = cc_list(m);
    if (st->colophon == COLOPHON_BRIEFING) { /* 报 (上级), 送 (同级), 发 (下级) */
        static const enum label tail[3] = {LABEL_BAO, LABEL_SONG, LABEL_FA};
        int kinds[3];
        char *texts[3];
        int k = meta_briefing_tail(m, kinds, texts);
        for (int i = 0; i < k; i++)
            colophon_line(f, style_label(st, tail[kinds[i]]), texts[i], NULL, false);
        free(cc);
        if (m->copies)
            colophon_line(f, NULL, xstrdup(""), frame_fill(style_label(st, LABEL_COPIES), m->copies),
                          false);
        return;
    }
    if (st->colophon != COLOPHON_GONGWEN) {
        free(cc);
        return;
    }
    if (cc)
        colophon_line(f, style_label(st, LABEL_CC), cc, NULL, false);
    const struct date *pd = m->print_date.year ? &m->print_date : m->date.year ? &m->date : NULL;
    if (m->printer || m->print_date.year) {
        char *date = pd ? date_text(pd) : NULL;
        colophon_line(f, NULL, xstrdup(m->printer ? m->printer : ""),
                      date ? frame_fill(style_label(st, LABEL_PRINTED), date) : NULL, f->ncolophon > 0);
        free(date);
    }
}

/* 附件说明 after the body: "附件：1．名称", the next ones under the first
 * name; none when the text has its own (a paragraph opening with 附件：). */
static void attachment_note(struct frame *f, const struct doc *doc, const struct style *st)
{
    int n;
    cmark_node **att = model_attachments(doc->model, &n);
    if (!n || model_has_attachment_note(doc->model))
        return;
    f->attachment_note = xcalloc((size_t)n, sizeof *f->attachment_note);
    f->nattachment_note = n;
    for (int i = 0; i < n; i++) {
        const struct node_info *info = model_info(att[i]);
        char *text = n == 1 ? xstrdup(info->attachment_name)
                            : xasprintf("%d．%s", info->attachment, info->attachment_name);
        f->attachment_note[i] = (struct frame_line){i == 0 ? xstrdup(style_label(st, LABEL_ATTACHMENTS)) : NULL,
                                                    text, NULL, false};
    }
}

/* The text sets its own subtitle line: the front matter's is not repeated. */
/* The last block of the report's own title block (its speaker line, else its
 * subtitle line): an overview of the figures belongs after the title block,
 * not between a notice's title and its text. A cover page shows the overview
 * before the text, so it keeps it there. */
static cmark_node *overview_anchor(const struct doc *doc, const struct style *st)
{
    if (st->masthead == MASTHEAD_COVER)
        return NULL;
    cmark_node *subtitle = NULL;
    for (cmark_node *n = cmark_node_first_child(doc->root); n; n = cmark_node_next(n)) {
        enum part p = model_info(n)->part;
        if (p == PART_SPEAKER)
            return n;
        if (p == PART_SUBTITLE && !subtitle)
            subtitle = n;
    }
    return subtitle;
}

static bool has_subtitle_line(const struct doc *doc)
{
    for (cmark_node *n = cmark_node_first_child(doc->root); n; n = cmark_node_next(n))
        if (model_info(n)->part == PART_SUBTITLE)
            return true;
    return false;
}

struct frame *frame_new(const struct doc *doc, const struct style *st)
{
    const struct meta *m = &doc->meta;
    struct frame *f = xcalloc(1, sizeof *f);
    f->marks[0] = dup_or_null(m->classification);
    f->marks[1] = dup_or_null(m->urgency);
    if (m->issuer && st->masthead == MASTHEAD_GONGWEN)
        f->issuer_mark = frame_fill(style_label(st, LABEL_ISSUER_MARK), m->issuer);
    f->doc_number = dup_or_null(m->doc_number);
    if (st->masthead == MASTHEAD_BRIEFING)
        f->masthead_title = masthead_title(doc, st);
    f->issue = dup_or_null(m->issue);
    f->issuer = dup_or_null(m->issuer);
    f->date = m->date.year ? date_text(&m->date) : NULL;
    f->date_value = m->date.year ? &m->date : NULL;
    if (m->note) {
        f->editor_note_label = xstrdup(style_label(st, LABEL_EDITOR_NOTE));
        f->editor_note = xstrdup(m->note);
    }
    f->title = dup_or_null(m->title);
    f->subtitle = dup_or_null(m->subtitle);
    f->subtitle_in_text = has_subtitle_line(doc);
    f->overview_after = overview_anchor(doc, st);
    if (m->recipients && st->masthead != MASTHEAD_BRIEFING) {
        size_t len = strlen(m->recipients);
        bool colon = len >= 3 && !strcmp(m->recipients + len - 3, "：");
        f->recipients = xasprintf("%s%s", m->recipients, colon ? "" : "：");
    }
    if (st->signature) {
        f->signer = dup_or_null(m->issuer);
        f->sign_date = dup_or_null(f->date);
    }
    if (m->annotation) {
        bool paren = !strncmp(m->annotation, "（", 3);
        f->annotation = paren ? xstrdup(m->annotation) : xasprintf("（%s）", m->annotation);
    }
    f->contents_title = xstrdup(style_label(st, LABEL_CONTENTS));
    attachment_note(f, doc, st);
    colophon(f, m, st);
    return f;
}

static void line_free(struct frame_line *l)
{
    free(l->label);
    free(l->text);
    free(l->right);
}

void frame_free(struct frame *f)
{
    if (!f)
        return;
    for (int i = 0; i < 2; i++)
        free(f->marks[i]);
    char *strings[] = {f->issuer_mark, f->doc_number, f->masthead_title, f->issue, f->issuer,
                       f->date, f->editor_note_label, f->editor_note, f->title, f->subtitle,
                       f->recipients, f->signer, f->sign_date, f->annotation, f->contents_title};
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++)
        free(strings[i]);
    for (int i = 0; i < f->nattachment_note; i++)
        line_free(&f->attachment_note[i]);
    free(f->attachment_note);
    for (int i = 0; i < f->ncolophon; i++)
        line_free(&f->colophon[i]);
    free(f);
}
