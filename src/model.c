/* The document model's records (model.h): one struct node_info per node,
 * owned by the model and freed with the document, and the text helpers
 * the resolve pass and the parts share. */
#include "resolve_int.h"
#include "buf.h"
#include "xalloc.h"
#include <cmark-gfm-core-extensions.h>
#include <stdio.h>
#include <stdlib.h>

static const struct node_info NEUTRAL = {.id = -1, .scheme = NUM_NONE};

const struct node_info *model_info(cmark_node *n)
{
    const struct node_info *info = n ? cmark_node_get_user_data(n) : NULL;
    return info ? info : &NEUTRAL;
}

static const char *const PART_NAMES[PART_COUNT] = {
    "body", "subtitle", "speaker", "salutation", "lead", "notes", "note", "attachment"};

const char *model_part_name(enum part p) { return PART_NAMES[p]; }

struct node_info *model_record(struct model *m, cmark_node *n)
{
    struct node_info *info = xcalloc(1, sizeof *info);
    info->node = n;
    info->id = -1;
    info->scheme = NUM_NONE;
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 256;
        m->v = xreallocarray(m->v, (size_t)m->cap, sizeof *m->v);
    }
    m->v[m->n++] = info;
    cmark_node_set_user_data(n, info);
    return info;
}

void model_free(struct model *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->n; i++) {
        struct node_info *info = m->v[i];
        free(info->auto_number);
        free(info->text);
        free(info->section);
        for (int k = 0; k < info->ndepts; k++)
            free(info->depts[k]);
        free(info->depts);
        free(info->comment);
        for (char **r = info->lint_rules; r && *r; r++)
            free(*r);
        free(info->lint_rules);
        free(info->align);
        free(info->attachment_name);
        free(info->attachment_label);
        free(info);
    }
    free(m->v);
    free(m->attachments);
    free(m);
}

cmark_node **model_attachments(const struct model *m, int *n)
{
    *n = m->nattachments;
    return m->attachments;
}

bool model_has_attachment_note(const struct model *m) { return m->attachment_note; }

bool model_is_table(cmark_node *n)
{
    return n && !strcmp(cmark_node_get_type_string(n), "table");
}

/* The characters of a block as the outputs set them: text and code, a
 * footnote reference's number (with_refs), soft breaks as resolved. */
char *model_plain_text(cmark_node *block, bool with_refs)
{
    struct buf b = {0};
    cmark_iter *it = cmark_iter_new(block);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *c = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node_type t = cmark_node_get_type(c);
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
            buf_puts(&b, cmark_node_get_literal(c));
        else if (with_refs && t == CMARK_NODE_FOOTNOTE_REFERENCE)
            buf_puts(&b, cmark_node_get_literal(c) ? cmark_node_get_literal(c) : "");
    }
    cmark_iter_free(it);
    if (!b.data)
        return xstrdup("");
    return buf_detach(&b);
}

const char *model_skip_ideo_spaces(const char *s)
{
    while (!strncmp(s, IDEO_SPACE, 3))
        s += 3;
    return s;
}

int model_count_chars(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

bool model_contains_any(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (strstr(s, *words))
            return true;
    return false;
}

/* ---- heading numbers (GB/T 9704 §7.3.3) ----------------------------------- */

static const char *const CN_DIGIT[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九"};

static int cn_digit(const char *s)
{
    for (int k = 0; k < 9; k++)
        if (starts(s, CN_DIGIT[k]))
            return k + 1;
    return 0;
}

/* A Chinese numeral 1..99 at s; returns its byte length (0 if none). */
size_t model_cn_numeral(const char *s, int *value)
{
    size_t n = 0;
    int v = 0;
    if (cn_digit(s))
        v = cn_digit(s), n = 3;
    if (starts(s + n, "十")) {
        v = (n ? v : 1) * 10;
        n += 3;
        if (cn_digit(s + n))
            v += cn_digit(s + n), n += 3;
    }
    *value = v;
    return n;
}

size_t model_arabic(const char *s, int *value)
{
    size_t n = 0;
    *value = 0;
    while (n < 4 && s[n] >= '0' && s[n] <= '9')
        *value = *value * 10 + (s[n++] - '0');
    return n;
}

static size_t close_paren(const char *s)
{
    return starts(s, "）") ? 3 : *s == ')' ? 1 : 0;
}

/* The number a heading's text opens with; its byte length in *len. */
enum numbering model_parse_number(const char *s, int *value, size_t *len)
{
    *len = 0;
    size_t open = starts(s, "（") ? 3 : *s == '(' ? 1 : 0, n, c;
    const char *p = s + open;
    if ((n = model_cn_numeral(p, value))) {
        if (open && (c = close_paren(p + n))) {
            *len = open + n + c;
            return NUM_PAREN_CN;
        }
        if (!open && starts(p + n, "、")) {
            *len = n + 3;
            return NUM_CN;
        }
    } else if ((n = model_arabic(p, value))) {
        if (open && (c = close_paren(p + n))) {
            *len = open + n + c;
            return NUM_PAREN_ARABIC;
        }
        const char *after = p + n;
        size_t sep = *after == '.' ? 1 : starts(after, "．") || starts(after, "、") ? 3 : 0;
        if (!open && sep && !(after[sep] >= '0' && after[sep] <= '9')) {
            *len = n + sep;
            return NUM_ARABIC;
        }
    }
    return NUM_NONE;
}

static void cn_format(int v, char *buf, size_t size)
{
    static const char *const d[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (v < 1 || v > 99)
        snprintf(buf, size, "%d", v);
    else if (v < 10)
        snprintf(buf, size, "%s", d[v]);
    else
        snprintf(buf, size, "%s十%s", v >= 20 ? d[v / 10] : "", d[v % 10]);
}

void model_number_text(enum numbering scheme, int value, char *buf, size_t size)
{
    char cn[16];
    cn_format(value, cn, sizeof cn);
    switch (scheme) {
    case NUM_CN: snprintf(buf, size, "%s、", cn); break;
    case NUM_PAREN_CN: snprintf(buf, size, "（%s）", cn); break;
    case NUM_ARABIC: snprintf(buf, size, "%d.", value); break;
    case NUM_PAREN_ARABIC: snprintf(buf, size, "（%d）", value); break;
    default: buf[0] = '\0'; break;
    }
}

/* ---- departments (SPEC §3.5) ---------------------------------------------- */

void model_add_names(struct node_info *info, char *const *names)
{
    for (; names && *names; names++) {
        bool have = false;
        for (int k = 0; k < info->ndepts && !have; k++)
            have = !strcmp(info->depts[k], *names);
        if (have)
            continue;
        info->depts = xreallocarray(info->depts, (size_t)info->ndepts + 2, sizeof *info->depts);
        info->depts[info->ndepts++] = xstrdup(*names);
        info->depts[info->ndepts] = NULL;
    }
}

bool model_same_depts(const struct node_info *a, const struct node_info *b)
{
    if (a->ndepts != b->ndepts)
        return false;
    for (int k = 0; k < a->ndepts; k++)
        if (strcmp(a->depts[k], b->depts[k]))
            return false;
    return true;
}

bool model_in_dept(const struct node_info *info, const char *dep_id, const char *dep_name)
{
    for (int k = 0; k < info->ndepts; k++)
        if ((dep_id && !strcmp(info->depts[k], dep_id)) ||
            (dep_name && !strcmp(info->depts[k], dep_name)))
            return true;
    return false;
}

cmark_node *model_next_block(cmark_node *n)
{
    for (n = cmark_node_next(n); n && info_of(n)->marker != MARK_NONE; n = cmark_node_next(n))
        ;
    return n;
}

char *model_block_text(cmark_node *n)
{
    char *t = model_plain_text(n, false);
    const char *s = model_skip_ideo_spaces(t);
    char *out = xstrdup(s);
    free(t);
    size_t len = strlen(out);
    while (len && (out[len - 1] == ' ' || out[len - 1] == '\n'))
        out[--len] = '\0';
    return out;
}

/* Splits text node t at byte off: t keeps [0, off), the new node after it
 * holds the rest. Returns the new node (or NULL when off is at the end). */
cmark_node *model_split_text(struct model *m, cmark_node *t, size_t off)
{
    const char *lit = cmark_node_get_literal(t);
    if (off >= strlen(lit))
        return NULL;
    cmark_node *rest = cmark_node_new(CMARK_NODE_TEXT);
    cmark_node_set_literal(rest, lit + off);
    char *head = xstrndup(lit, off);
    cmark_node_set_literal(t, head);
    free(head);
    cmark_node_insert_after(t, rest);
    struct node_info *info = model_record(m, rest);
    info->heading = info_of(t)->heading;
    info->section = xstrdup(info_of(t)->section ? info_of(t)->section : "");
    model_add_names(info, info_of(t)->depts);
    return rest;
}
