/* The report's own parts (model.h), found in plain Markdown: the title
 * block under the report's title, lead lines, the closing notes or
 * glossary with the markers that cite them, attachments; roles set with
 * <!-- role: NAME --> win over the guess. Unnumbered headings get their
 * number by place here too. */
#include "resolve_int.h"
#include "xalloc.h"
#include <stdlib.h>

/* Unnumbered headings get the number their place gives them in the
 * 一、（一）1.（1） scheme: the first tier at level 2 when a single level-1
 * heading is the report's title, else at level 1. A level numbered as
 * written keeps that scheme, and the count runs on from written numbers. */
static void auto_numbers(cmark_node *root)
{
    int h1 = 0;
    for (cmark_node *c = cmark_node_first_child(root); c; c = cmark_node_next(c))
        h1 += is_type(c, CMARK_NODE_HEADING) && info_of(c)->level == 1;
    int base = h1 == 1 ? 2 : 1;
    int count[MAX_LEVEL + 2] = {0};
    for (cmark_node *c = cmark_node_first_child(root); c; c = cmark_node_next(c)) {
        struct node_info *info = info_of(c);
        if (!is_type(c, CMARK_NODE_HEADING) || info->empty || info->part != PART_BODY ||
            info->attachment_title || info->level > MAX_LEVEL)
            continue;
        for (int l = info->level + 1; l <= MAX_LEVEL; l++)
            count[l] = 0;
        int tier = info->level - base;
        if (tier < 0 || tier > NUM_PAREN_ARABIC)
            continue;
        count[info->level] = info->scheme != NUM_NONE ? info->number : count[info->level] + 1;
        if (info->scheme == NUM_NONE) {
            char num[32];
            model_number_text((enum numbering)tier, count[info->level], num, sizeof num);
            info->auto_number = xstrdup(num);
        }
    }
}

/* ---- roles ---------------------------------------------------------------- */

static enum part part_named(const char *s)
{
    for (int p = 0; p < PART_COUNT; p++)
        if (!strcmp(s, model_part_name((enum part)p)))
            return (enum part)p;
    if (!strcmp(s, "glossary"))
        return PART_NOTES;
    return PART_COUNT;
}

/* Edit distance of two short ASCII names (for "did you mean"). */
static int distance(const char *a, const char *b)
{
    size_t n = strlen(b);
    if (n > 31)
        return 99;
    int row[32];
    for (size_t j = 0; j <= n; j++)
        row[j] = (int)j;
    for (size_t i = 1; a[i - 1]; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= n; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            best = up + 1 < best ? up + 1 : best;
            best = row[j - 1] + 1 < best ? row[j - 1] + 1 : best;
            row[j] = best;
            diag = up;
        }
    }
    return row[n];
}

static const char *closest_part(const char *name)
{
    const char *best = NULL;
    int d = 3; /* further than two edits is no likely typo */
    for (int p = 0; p < PART_COUNT; p++)
        if (distance(name, model_part_name((enum part)p)) < d)
            d = distance(name, model_part_name((enum part)p)), best = model_part_name((enum part)p);
    return best;
}

/* <!-- role: NAME --> sets the role of the block after it. */
static void explicit_roles(struct model *m, cmark_node *root)
{
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        struct node_info *info = info_of(n);
        if (ev != CMARK_EVENT_ENTER || info->marker != MARK_ROLE)
            continue;
        const char *name = info->comment + 5;
        while (*name == ' ')
            name++;
        enum part p = part_named(name);
        cmark_node *next = cmark_node_next(n);
        if (p == PART_COUNT) {
            diag_add(m->d, DIAG_ERROR, m->file, cmark_node_get_start_line(n), 1,
                     "unknown role '%s' (use subtitle, speaker, salutation, lead, notes, note, "
                     "attachment or body)", name);
            const char *near = closest_part(name);
            if (near) {
                char *hint = xasprintf("did you mean '%s'?", near);
                diag_set_hint(m->d, hint);
                free(hint);
            }
        } else if (next) {
            info_of(next)->part = p;
            info_of(next)->part_set = true;
        }
    }
    cmark_iter_free(it);
}

static bool has_year_date(const char *s)
{
    const char *y = strstr(s, "年"), *mo = y ? strstr(y, "月") : NULL;
    return y && mo && strstr(mo, "日") && y - s >= 4;
}

/* ——2025年1月7日在…会议上, with or without the dashes. */
static bool is_subtitle(const char *s)
{
    static const char *const stops[] = {"。", "；", "，", NULL};
    if (model_count_chars(s) > 60 || model_contains_any(s, stops))
        return false;
    if (starts(s, "——") || starts(s, "—"))
        return true;
    return has_year_date(s) && strstr(s, "在") && (ends(s, "会议上") || ends(s, "大会上") || ends(s, "会上"));
}

/* 西青区区长 王志平: a short line of a title and a name, no punctuation. */
static bool is_speaker(const char *s, bool after_subtitle)
{
    static const char *const punct[] = {"。", "，", "；", "：", ":", "、", "！", "？", NULL};
    int n = model_count_chars(s);
    if (n < 2 || n > 30 || model_contains_any(s, punct))
        return false;
    bool spaced = strchr(s, ' ') || strstr(s, IDEO_SPACE);
    return spaced || after_subtitle;
}

/* 各位代表： 同志们： — a short address ending in a colon. */
static bool is_salutation(const char *s)
{
    if (model_count_chars(s) > 12 || !(ends(s, "：") || ends(s, ":")))
        return false;
    static const char *const who[] = {"各位", "同志们", "代表", "委员", NULL};
    return model_contains_any(s, who);
}

static void set_part(cmark_node *n, enum part p)
{
    struct node_info *info = info_of(n);
    if (!info->part_set)
        info->part = p;
}

/* The title block under the report's title: subtitle, speaker and
 * salutation, in the first paragraphs after the first level-1 heading (or
 * at the start of a document without one, where the title is in the front
 * matter: there a speaker needs the subtitle before it). */
static void title_block(cmark_node *root)
{
    cmark_node *start = NULL;
    for (cmark_node *c = cmark_node_first_child(root); c && !start; c = cmark_node_next(c))
        if (is_type(c, CMARK_NODE_HEADING) && info_of(c)->level == 1)
            start = c;
    cmark_node *c = start ? model_next_block(start) : cmark_node_first_child(root);
    if (c && info_of(c)->marker != MARK_NONE)
        c = model_next_block(c);
    bool subtitle = false;
    for (int k = 0; c && k < 4 && is_type(c, CMARK_NODE_PARAGRAPH); k++, c = model_next_block(c)) {
        if (info_of(c)->part_set)
            continue;
        char *s = model_block_text(c);
        bool done = false;
        if (!subtitle && is_subtitle(s)) {
            set_part(c, PART_SUBTITLE);
            subtitle = true;
        } else if (is_salutation(s)) {
            set_part(c, PART_SALUTATION);
            done = true;
        } else if ((start || subtitle) && is_speaker(s, subtitle)) {
            set_part(c, PART_SPEAKER);
        } else {
            done = true;
        }
        free(s);
        if (done)
            break;
    }
}

/* 一是… 二是…, or a paragraph opening with a bold sentence. */
static void lead_lines(cmark_node *root)
{
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || !is_type(n, CMARK_NODE_PARAGRAPH) || info_of(n)->part != PART_BODY)
            continue;
        cmark_node *first = cmark_node_first_child(n);
        bool lead = false;
        if (is_type(first, CMARK_NODE_TEXT)) {
            int v;
            const char *s = model_skip_ideo_spaces(cmark_node_get_literal(first));
            size_t len = model_cn_numeral(s, &v);
            lead = len && starts(s + len, "是");
        } else if (is_type(first, CMARK_NODE_STRONG) && cmark_node_next(first)) {
            char *t = model_plain_text(first, false);
            lead = ends(t, "。") || ends(t, "：") || ends(t, "！");
            free(t);
        }
        if (lead)
            set_part(n, PART_LEAD);
    }
    cmark_iter_free(it);
}

/* ---- notes and glossary ----------------------------------------------------- */

static bool is_notes_title(const char *s)
{
    static const char *const names[] = {"注释", "注", "名词解释", "注解", "名词注释", NULL};
    size_t len = strlen(s);
    if (ends(s, "："))
        len -= 3;
    else if (ends(s, ":"))
        len -= 1;
    for (int i = 0; names[i]; i++)
        if (strlen(names[i]) == len && !strncmp(s, names[i], len))
            return true;
    return false;
}

/* A note's own number at the start: ［1］ [1] 1. 1． 1、 （1） (1); its length. */
static size_t note_number(const char *s, int *value)
{
    size_t open = starts(s, "［") || starts(s, "（") ? 3 : *s == '[' || *s == '(' ? 1 : 0;
    size_t n = model_arabic(s + open, value);
    if (!n)
        return 0;
    const char *after = s + open + n;
    if (open) {
        size_t c = starts(after, "］") || starts(after, "）") ? 3 : *after == ']' || *after == ')' ? 1 : 0;
        return c ? open + n + c : 0;
    }
    if (*after == '.' && !(after[1] >= '0' && after[1] <= '9'))
        return n + 1;
    return starts(after, "．") || starts(after, "、") ? n + 3 : 0;
}

/* A glossary entry "1.“两重”：是指…": its number and term (up to the first
 * full-width colon, at most 30 characters, no full stop) become a strong
 * node of their own, the term every output sets apart. */
static void note_entry(struct model *m, cmark_node *para, int ordinal)
{
    struct node_info *info = info_of(para);
    info->part = PART_NOTE;
    cmark_node *first = cmark_node_first_child(para);
    int value = 0;
    size_t numlen = 0;
    if (is_type(first, CMARK_NODE_TEXT))
        numlen = note_number(cmark_node_get_literal(first), &value);
    info->note = numlen ? value : ordinal;
    if (is_type(first, CMARK_NODE_STRONG)) {
        info->term = first;
        return;
    }
    if (!is_type(first, CMARK_NODE_TEXT))
        return;
    const char *lit = cmark_node_get_literal(first);
    const char *colon = strstr(lit + numlen, "：");
    if (!colon)
        return;
    char *term = xstrndup(lit + numlen, (size_t)(colon - lit - (ptrdiff_t)numlen));
    bool ok = *term && model_count_chars(term) <= 30 && !strstr(term, "。");
    free(term);
    if (!ok)
        return;
    model_split_text(m, first, (size_t)(colon - lit) + 3);
    cmark_node *strong = cmark_node_new(CMARK_NODE_STRONG);
    cmark_node_insert_before(first, strong);
    cmark_node_append_child(strong, first);
    struct node_info *si = model_record(m, strong);
    si->heading = info_of(first)->heading;
    si->section = xstrdup(info_of(first)->section ? info_of(first)->section : "");
    model_add_names(si, info_of(first)->depts);
    info->term = strong;
}

/* The entry numbered n among the notes, or NULL. */
static struct node_info *entry_numbered(cmark_node **entries, int n, int value)
{
    for (int i = 0; i < n; i++)
        if (info_of(entries[i])->note == value)
            return info_of(entries[i]);
    return NULL;
}

/* Markers ［N］ or [N] in the text before the notes point to note N. */
static void note_markers(struct model *m, cmark_node *root, cmark_node *notes, cmark_node **entries,
                         int nentries)
{
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    cmark_node **texts = NULL;
    int n = 0;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *c = cmark_iter_get_node(it);
        if (c == notes)
            break;
        if (ev == CMARK_EVENT_ENTER && is_type(c, CMARK_NODE_TEXT) &&
            !is_type(cmark_node_parent(c), CMARK_NODE_LINK)) {
            texts = xreallocarray(texts, (size_t)n + 1, sizeof *texts);
            texts[n++] = c;
        }
    }
    cmark_iter_free(it);
    for (int i = 0; i < n; i++) {
        cmark_node *t = texts[i];
        for (;;) {
            const char *lit = cmark_node_get_literal(t);
            const char *hit = NULL;
            size_t len = 0;
            int value = 0;
            for (const char *p = lit; *p && !hit; p++)
                if ((*p == '[' || starts(p, "［")) && (len = note_number(p, &value)) &&
                    (p[len - 1] == ']' || starts(p + len - 3, "］")) &&
                    entry_numbered(entries, nentries, value))
                    hit = p;
            if (!hit)
                break;
            cmark_node *mark = hit > lit ? model_split_text(m, t, (size_t)(hit - lit)) : t;
            cmark_node *rest = model_split_text(m, mark, len);
            info_of(mark)->note = value;
            entry_numbered(entries, nentries, value)->cited = true;
            if (!rest)
                break;
            t = rest;
        }
    }
    free(texts);
}

/* Notes close the report: no heading follows them but an attachment's, and
 * some text comes before them. */
static bool notes_at_end(cmark_node *title)
{
    if (!cmark_node_previous(title))
        return false;
    for (cmark_node *c = cmark_node_next(title); c; c = cmark_node_next(c))
        if (is_type(c, CMARK_NODE_HEADING) && info_of(c)->part != PART_ATTACHMENT &&
            !info_of(c)->attachment_title)
            return false;
    return true;
}

/* The notes section: a 注释 / 名词解释 heading (or a paragraph saying just
 * that) near the end; its paragraphs or list items are the entries. */
static void notes(struct model *m, cmark_node *root)
{
    cmark_node *title = NULL;
    for (cmark_node *c = cmark_node_first_child(root); c; c = cmark_node_next(c)) {
        struct node_info *info = info_of(c);
        bool heading = is_type(c, CMARK_NODE_HEADING) && !info->part_set;
        bool para = is_type(c, CMARK_NODE_PARAGRAPH) && !info->part_set;
        char *s = heading || para ? model_block_text(c) : NULL;
        if ((s && is_notes_title(s)) || info->part == PART_NOTES)
            title = c;
        free(s);
    }
    if (!title || (!info_of(title)->part_set && !notes_at_end(title)))
        return;
    info_of(title)->part = PART_NOTES;
    int level = is_type(title, CMARK_NODE_HEADING) ? info_of(title)->level : MAX_LEVEL + 1;
    int ordinal = 0;
    cmark_node **entries = NULL;
    for (cmark_node *c = cmark_node_next(title); c; c = cmark_node_next(c)) {
        struct node_info *info = info_of(c);
        if ((is_type(c, CMARK_NODE_HEADING) && info->level <= level) || info->part == PART_ATTACHMENT)
            break;
        if (is_type(c, CMARK_NODE_PARAGRAPH) && (!info->part_set || info->part == PART_NOTE)) {
            note_entry(m, c, ++ordinal);
        } else if (is_type(c, CMARK_NODE_LIST)) {
            int k = cmark_node_get_list_start(c);
            for (cmark_node *item = cmark_node_first_child(c); item; item = cmark_node_next(item), k++) {
                cmark_node *p = cmark_node_first_child(item);
                if (is_type(p, CMARK_NODE_PARAGRAPH)) {
                    note_entry(m, p, ++ordinal);
                    if (cmark_node_get_list_type(c) == CMARK_ORDERED_LIST)
                        info_of(p)->note = k;
                    entries = xreallocarray(entries, (size_t)ordinal, sizeof *entries);
                    entries[ordinal - 1] = p;
                }
            }
        }
        if (is_type(c, CMARK_NODE_PARAGRAPH) && info->part == PART_NOTE) {
            entries = xreallocarray(entries, (size_t)ordinal, sizeof *entries);
            entries[ordinal - 1] = c;
        }
    }
    note_markers(m, root, title, entries, ordinal);
    free(entries);
}

/* 附件, 附件1, 附件2：名称 — *num gets the number (0 if none), *label_len
 * the length of "附件2", *name the rest. */
static bool attachment_label(const char *s, int *num, size_t *label_len, const char **name)
{
    const char *start = s;
    if (!starts(s, "附件"))
        return false;
    s += 6;
    while (*s == ' ')
        s++;
    size_t n = model_arabic(s, num);
    s += n;
    *label_len = (size_t)(s - start);
    while (*s == ' ' || starts(s, IDEO_SPACE))
        s += *s == ' ' ? 1 : 3;
    if (starts(s, "：") || *s == ':')
        s += *s == ':' ? 1 : 3;
    else if (*s && !n)
        return false; /* 附件说明 …, 附件的 …: a heading about attachments */
    while (*s == ' ')
        s++;
    *name = s;
    return true;
}

/* ---- attachments (GB/T 9704 §7.3.4, §8.2) ---------------------------------- */

static void attachments(struct model *m, cmark_node *root)
{
    for (cmark_node *c = cmark_node_first_child(root); c; c = cmark_node_next(c)) {
        struct node_info *info = info_of(c);
        bool candidate = is_type(c, CMARK_NODE_HEADING) ||
                         (is_type(c, CMARK_NODE_PARAGRAPH) && !cmark_node_next(cmark_node_first_child(c)));
        char *s = model_block_text(c);
        int num = 0;
        size_t label_len = 0;
        const char *name = NULL;
        if (is_type(c, CMARK_NODE_PARAGRAPH) && (starts(s, "附件：") || starts(s, "附件:"))) {
            m->attachment_note = m->attachment_note || !m->nattachments;
            free(s);
            continue;
        }
        bool label = candidate && attachment_label(s, &num, &label_len, &name) &&
                     (is_type(c, CMARK_NODE_HEADING) || model_count_chars(s) <= 8);
        if ((label && !info->part_set) || info->part == PART_ATTACHMENT) {
            info->part = PART_ATTACHMENT;
            info->attachment = num ? num : m->nattachments + 1;
            cmark_node *next = model_next_block(c);
            info->attachment_label = label ? xstrndup(s, label_len) : xstrdup(s);
            info->attachment_titled = name && *name;
            if (name && *name)
                info->attachment_name = xstrdup(name);
            else if (next && (is_type(next, CMARK_NODE_HEADING) || is_type(next, CMARK_NODE_PARAGRAPH))) {
                info->attachment_name = model_block_text(next);
                info_of(next)->attachment_title = true;
                if (!info_of(next)->text)
                    info_of(next)->text = model_block_text(next);
            }
            else
                info->attachment_name = xstrdup("");
            m->attachments = xreallocarray(m->attachments, (size_t)m->nattachments + 1,
                                           sizeof *m->attachments);
            m->attachments[m->nattachments++] = c;
        }
        free(s);
    }
}

void parts_resolve(struct model *m, cmark_node *root)
{
    explicit_roles(m, root);
    title_block(root);
    attachments(m, root);
    notes(m, root);
    lead_lines(root);
    auto_numbers(root);
}
