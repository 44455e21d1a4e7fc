#define _POSIX_C_SOURCE 200809L
#include "import_struct.h"
#include "import_write.h"
#include "utf8.h"
#include "xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct recog {
    const struct ipara_list *l;
    const struct import_opts *o;
    struct diag *d;
    bool *noise;        /* per paragraph */
    struct import_doc out;
    int last[6];        /* last number seen at each heading level 2..5 */
    bool open[6];       /* a heading of that level is open */
    int year;           /* of the report, from the subtitle; 0 unknown */
};

static struct block *add_block(struct recog *r, enum role role, int level, const char *text,
                               size_t len, int line)
{
    struct import_doc *b = &r->out;
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 128;
        b->items = xreallocarray(b->items, (size_t)b->cap, sizeof *b->items);
    }
    struct block *k = &b->items[b->n++];
    *k = (struct block){.role = role, .level = level, .text = xstrndup(text, len), .line = line};
    return k;
}

static bool starts(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

static bool ends(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

static int char_count(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static bool has_sentence_stop(const char *s)
{
    return strstr(s, "。") || strstr(s, "！") || strstr(s, "？") || strstr(s, "；");
}

/* ---- numbering ---------------------------------------------------- */

static int han_digit(const char *s)
{
    static const char *const digits[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    for (int i = 0; i < 10; i++)
        if (starts(s, digits[i]))
            return i;
    if (starts(s, "零"))
        return 0;
    return -1;
}

/* 一 … 九十九 at s; returns its value and stores the bytes read in *len. */
static int han_number(const char *s, size_t *len)
{
    int tens = 0, units, v;
    size_t i = 0;
    if ((v = han_digit(s)) > 0 && starts(s + 3, "十"))
        tens = v, i = 6;
    else if (starts(s, "十"))
        tens = 1, i = 3;
    if (tens && (units = han_digit(s + i)) > 0)
        i += 3;
    else if (tens)
        units = 0;
    else if ((units = han_digit(s)) > 0)
        i = 3;
    else
        return -1;
    *len = i;
    return tens * 10 + units;
}

static int ascii_number(const char *s, size_t *len)
{
    size_t i = 0;
    int v = 0;
    while (i < 3 && s[i] >= '0' && s[i] <= '9')
        v = v * 10 + (s[i++] - '0');
    if (i == 0 || i == 3)
        return -1;
    *len = i;
    return v;
}

/* 一、 (2), （一） (3), 1. (4), （1） (5), or 0; *num and *plen get the number
 * and the prefix length in bytes. */
static int numbering_of(const char *s, int *num, size_t *plen)
{
    size_t n = 0;
    int v;
    if ((v = han_number(s, &n)) > 0 && starts(s + n, "、")) {
        *num = v, *plen = n + 3;
        return 2;
    }
    size_t open = starts(s, "（") ? 3 : s[0] == '(' ? 1 : 0;
    if (open) {
        const char *t = s + open;
        int level = (v = han_number(t, &n)) > 0 ? 3 : (v = ascii_number(t, &n)) > 0 ? 5 : 0;
        if (!level)
            return 0;
        size_t close = starts(t + n, "）") ? 3 : t[n] == ')' ? 1 : 0;
        if (close) {
            *num = v, *plen = open + n + close;
            return level;
        }
        return 0;
    }
    if ((v = ascii_number(s, &n)) > 0) {
        const char *t = s + n;
        size_t sep = (t[0] == '.' && !(t[1] >= '0' && t[1] <= '9')) ? 1
                     : starts(t, "．") || starts(t, "、") ? 3 : 0;
        if (sep) {
            *num = v, *plen = n + sep;
            return 4;
        }
    }
    return 0;
}

/* 01综合, 02 农业: the sections of a statistical communiqué. */
static bool is_stat_heading(const char *s)
{
    if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'))
        return false;
    const char *t = s + 2 + (s[2] == ' ');
    int n;
    int32_t c = utf8_decode(t, strlen(t), &n);
    return cjk_is_han(c) && char_count(t) <= 16 && !has_sentence_stop(t) && !strstr(t, "，");
}

/* ---- noise -------------------------------------------------------- */

static const char *const FOOTER_MARKS[] = {
    "责任编辑", "相关报道", "相关链接", "相关附件", "打印本页", "关闭窗口", "扫一扫",
    "【打印", "【关闭", "分享到", "相关新闻", "相关阅读", NULL};
static const char *const NOISE_LINES[] = {
    "来源：", "来源:", "时间：", "发布时间", "发布日期", "作者：", "编辑：", "字号",
    "【字体", "浏览次数", "访问量", "【打印", "【关闭", "分享到", "首页", "当前位置", NULL};

static bool starts_any(const char *s, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (starts(s, list[i]))
            return true;
    return false;
}

static bool is_hex_id(const char *s)
{
    size_t n = 0;
    while ((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f'))
        n++;
    return n >= 16 && (!s[n] || !strcmp(s + n, ":") || !strcmp(s + n, "："));
}

/* ……作政府工作报告。本报记者 ×× 摄, 张工作政府工作报告。 */
static bool is_photo_caption(const char *s)
{
    int n = char_count(s);
    if (n > 60)
        return false;
    bool credit = (ends(s, "摄") || ends(s, "摄）") || ends(s, "摄)")) &&
                  (strstr(s, "记者") || strstr(s, "摄影"));
    bool speaking = n <= 30 && strstr(s, "作政府工作报告") &&
                    (ends(s, "。") || ends(s, "作政府工作报告"));
    return credit || speaking;
}

static const char *noise_reason(const char *s)
{
    if (is_hex_id(s))
        return "a web page's link id";
    if (char_count(s) <= 30 && starts_any(s, NOISE_LINES))
        return "a web page's interface line";
    if (is_photo_caption(s))
        return "a photo caption";
    return NULL;
}

static void drop(struct recog *r, int i, const char *why)
{
    const struct ipara *p = &r->l->items[i];
    r->noise[i] = true;
    r->out.guessed_noise++;
    size_t len = strlen(p->text), n = ipara_excerpt_len(p->text, len, 48);
    diag_add(r->d, DIAG_NOTE, r->o->file, p->line, 1, "dropped %s: %.*s%s", why, (int)n, p->text,
             n < len ? "…" : "");
}

/* A copy's `source:` / `title:` header lines, the web page's own lines,
 * and everything from a page footer (责任编辑, 相关报道, …) to the end. */
static void find_noise(struct recog *r)
{
    const struct ipara_list *l = r->l;
    for (int i = 0; i < l->n && l->items[i].line == i + 1 && !l->items[i].style_level; i++) {
        const char *s = l->items[i].text;
        size_t k = 0;
        while (s[k] >= 'a' && s[k] <= 'z')
            k++;
        if (k == 0 || s[k] != ':' || s[k + 1] != ' ')
            break;
        drop(r, i, "a copy header line");
    }
    bool footer = false;
    for (int i = 0; i < l->n; i++) {
        if (r->noise[i] || l->items[i].verbatim)
            continue;
        const char *s = l->items[i].text;
        if (!footer && i > l->n / 2 && char_count(s) <= 20 && starts_any(s, FOOTER_MARKS))
            footer = true;
        const char *why = footer ? "the web page's footer" : noise_reason(s);
        if (why)
            drop(r, i, why);
    }
}

/* ---- title block -------------------------------------------------- */

static int next_kept(const struct recog *r, int i)
{
    while (i < r->l->n && r->noise[i])
        i++;
    return i;
}

static bool is_salutation(const char *s)
{
    return starts(s, "各位代表：") || starts(s, "各位代表:") || starts(s, "同志们：");
}

static bool is_subtitle_start(const char *s)
{
    if (starts(s, "——"))
        return true;
    return s[0] >= '0' && s[0] <= '9' && strstr(s, "年") &&
           strstr(s, "在") && char_count(s) <= 60 && !has_sentence_stop(s);
}

static void take_date(struct recog *r, const char *s)
{
    const char *p = s;
    while (*p && !(*p >= '0' && *p <= '9'))
        p++;
    int y, m, dd;
    char tail[8];
    if (sscanf(p, "%4d年%2d月%2d%3s", &y, &m, &dd, tail) == 4 && starts(tail, "日")) {
        r->year = y;
        r->out.date_iso = xasprintf("%04d-%02d-%02d", y, m, dd);
    }
}

/* 国务院总理 → 国务院; 北京市市长 → 北京市人民政府. */
static void take_issuer(struct recog *r, const char *speaker)
{
    static const char *const offices[] = {"人民政府", "国务院"};
    static const char *const posts[] = {"总理", "市长", "省长", "主席", "区长", "县长", "州长",
                                        "代市长", "代省长", NULL};
    for (int k = 0; k < 2; k++) {
        const char *at = strstr(speaker, offices[k]);
        if (at) {
            r->out.issuer = xstrndup(speaker, (size_t)(at - speaker) + strlen(offices[k]));
            return;
        }
    }
    for (int k = 0; posts[k]; k++) {
        const char *at = strstr(speaker, posts[k]);
        if (at && at > speaker) {
            r->out.issuer = xasprintf("%.*s人民政府", (int)(at - speaker), speaker);
            return;
        }
    }
}

/* The subtitle at it[i], given its —— when it lacks one and joined when
 * split over two lines; returns the paragraph after it. */
static int take_subtitle(struct recog *r, int i, int salute)
{
    const struct ipara *it = r->l->items;
    if (i >= salute || !is_subtitle_start(it[i].text))
        return i;
    struct buf sub = {0};
    if (!starts(it[i].text, "——"))
        buf_puts(&sub, "——"), r->out.subtitle_dash_added = true;
    buf_puts(&sub, it[i].text);
    int line = it[i].line;
    i = next_kept(r, i + 1);
    if (!ends(sub.data, "上") && i < salute && ends(it[i].text, "会议上"))
        buf_puts(&sub, it[i].text), i = next_kept(r, i + 1);
    take_date(r, sub.data);
    add_block(r, R_SUBTITLE, 0, sub.data, sub.len, line);
    buf_free(&sub);
    return i;
}

/* The speaker: the short lines before the salutation (国务院总理 / 李　强),
 * joined; returns the paragraph after them. */
static int take_speaker(struct recog *r, int i, int salute)
{
    const struct ipara *it = r->l->items;
    struct buf who = {0};
    int line = i < salute ? it[i].line : 0;
    for (; i < salute && char_count(it[i].text) <= 24 && !has_sentence_stop(it[i].text);
         i = next_kept(r, i + 1)) {
        if (who.len)
            buf_putc(&who, ' '), r->out.speaker_joined = true;
        buf_puts(&who, it[i].text);
    }
    if (who.len) {
        take_issuer(r, who.data);
        add_block(r, R_SPEAKER, 0, who.data, who.len, line);
    }
    buf_free(&who);
    return i;
}

/* 各位代表： alone, with any text after it as the first paragraph. */
static void take_salutation(struct recog *r, int salute)
{
    const struct ipara *p = &r->l->items[salute];
    const char *s = p->text, *colon = strstr(s, "：");
    size_t head = colon ? (size_t)(colon - s) + 3 : (size_t)(strchr(s, ':') - s) + 1;
    add_block(r, R_SALUTATION, 0, s, head, p->line);
    if (s[head])
        add_block(r, R_PARA, 0, s + head, strlen(s + head), p->line);
}

/* Title, subtitle (maybe without its —— or over two lines), speaker (maybe
 * over two lines), salutation. Returns the first paragraph after it. */
static int title_block(struct recog *r)
{
    const struct ipara *it = r->l->items;
    int i = next_kept(r, 0), n = r->l->n;
    if (i >= n || it[i].verbatim || char_count(it[i].text) > 50 || has_sentence_stop(it[i].text) ||
        numbering_of(it[i].text, &(int){0}, &(size_t){0}))
        return i;
    int salute = -1;
    for (int k = i + 1; k < n && k <= i + 8; k++)
        if (!r->noise[k] && is_salutation(it[k].text)) {
            salute = k;
            break;
        }
    if (salute < 0)
        return i;
    add_block(r, R_TITLE, 1, it[i].text, strlen(it[i].text), it[i].line);
    i = take_subtitle(r, next_kept(r, i + 1), salute);
    i = take_speaker(r, i, salute);
    for (; i < salute; i = next_kept(r, i + 1)) /* text before the salutation */
        add_block(r, R_PARA, 0, it[i].text, strlen(it[i].text), it[i].line);
    take_salutation(r, salute);
    return salute + 1;
}

/* ---- body --------------------------------------------------------- */

static bool is_notes_heading(const char *s)
{
    return !strcmp(s, "注释") || !strcmp(s, "注释：") || !strcmp(s, "名词解释") ||
           !strcmp(s, "名词解释：") || !strcmp(s, "注：") || !strcmp(s, "注解");
}

static bool is_attachment(const char *s)
{
    if (!starts(s, "附件"))
        return false;
    const char *t = s + 6;
    while (*t >= '0' && *t <= '9')
        t++;
    return !*t || !strcmp(t, "：") || !strcmp(t, ":");
}

/* A note's own line: 1.“两重”：…, ［1］…, [1]…, （1）…, 词：释义. */
static bool is_note_entry(const char *s)
{
    int num;
    size_t plen;
    if (numbering_of(s, &num, &plen) || starts(s, "［") || starts(s, "[") || starts(s, "注"))
        return true;
    const char *colon = strstr(s, "："), *comma = strstr(s, "，");
    return colon && colon - s <= 60 && (!comma || comma > colon);
}

/* A line that cannot start a paragraph (；。，、）” or a fragment after one
 * that did not end) continues the one before: a web page's broken line. */
static bool is_continuation(const char *s)
{
    int n;
    int32_t c = utf8_decode(s, strlen(s), &n);
    return cjk_no_line_start(c) && c != 0x2014 /* —— */ && c != 0x2026;
}

/* Where the text after a heading's first sentence starts (the whole line
 * when it has no stop), or 0 when the line is too long to be a heading;
 * *heading_len gets the heading's bytes without its stop. */
static size_t intro_split(const char *s, size_t plen, size_t *heading_len)
{
    const char *stop = NULL;
    static const char *const stops[] = {"。", "！", "？"};
    for (int k = 0; k < 3; k++) {
        const char *at = strstr(s + plen, stops[k]);
        if (at && (!stop || at < stop))
            stop = at;
    }
    if (!stop) {
        *heading_len = strlen(s);
        return char_count(s) <= 60 ? *heading_len : 0;
    }
    *heading_len = (size_t)(stop - s);
    char *head = xstrndup(s, *heading_len);
    int n = char_count(head);
    free(head);
    return n <= 50 && *heading_len > plen ? *heading_len + 3 : 0;
}

/* A numbered line in its expected place is a heading; one out of sequence
 * (a list in an attachment, a numbered sentence) is not. */
static int heading_level(struct recog *r, const struct ipara *p, size_t *plen, bool in_attachment)
{
    int num = 0;
    int level = numbering_of(p->text, &num, plen);
    if (!level) {
        if (!in_attachment && is_stat_heading(p->text)) {
            *plen = 0;
            return 2;
        }
        return p->style_level ? p->style_level + 1 : 0;
    }
    if (in_attachment)
        return 0;
    int parent = level == 2 || r->open[level - 1];
    if (!parent || num != r->last[level] + 1)
        return p->style_level ? p->style_level + 1 : 0;
    return level;
}

/* A heading at level opens it and closes every level below; a numbered one
 * also moves its level's count on. */
static void set_counters(struct recog *r, int level, const struct ipara *p)
{
    int num = 0;
    size_t plen;
    int numbered = numbering_of(p->text, &num, &plen);
    if (level < 2 || level > 5)
        return;
    if (numbered == level)
        r->last[level] = num;
    r->open[level] = true;
    for (int k = level + 1; k <= 5; k++)
        r->last[k] = 0, r->open[k] = false;
}

/* 十五五 in a heading: the five-year plan it is about (十 + a digit + 五). */
static const char *five_year_plan(const char *heading)
{
    for (const char *p = strstr(heading, "十"); p; p = strstr(p + 3, "十"))
        if (han_digit(p + 3) > 0 && starts(p + 6, "五"))
            return p;
    return NULL;
}

/* 回顾 sections report last year's results; a five-year plan's section
 * its targets; the others set this year's targets. */
static void section_period(const struct recog *r, const char *heading, char *period, size_t size)
{
    int year = r->year;
    const char *y = heading;
    while (*y && !(y[0] >= '0' && y[0] <= '9' && strstr(y, "年") == y + 4))
        y++;
    int heading_year = *y ? atoi(y) : 0;
    if (strstr(heading, "回顾") || strstr(heading, "成就") || strstr(heading, "成绩")) {
        int ry = heading_year ? heading_year : year ? year - 1 : 0;
        if (ry)
            snprintf(period, size, "%d", ry);
        else
            period[0] = '\0';
    } else if (!heading_year && five_year_plan(heading)) {
        snprintf(period, size, "%.9s目标", five_year_plan(heading)); /* 十五五目标 */
    } else if (year || heading_year) {
        snprintf(period, size, "%d目标", heading_year ? heading_year : year);
    } else {
        period[0] = '\0';
    }
}

static char *period_of(const struct recog *r, const char *heading)
{
    char period[32];
    section_period(r, heading, period, sizeof period);
    return period[0] ? xstrdup(period) : NULL;
}

/* A heading of p->text[0..hlen), and the intro sentence from p->text[split]
 * (if any) as a paragraph after it. */
static void add_heading(struct recog *r, const struct ipara *p, int level, size_t hlen,
                        size_t split)
{
    set_counters(r, level, p);
    struct block *h = add_block(r, R_HEADING, level, p->text, hlen, p->line);
    r->out.guessed_headings++;
    if (level == 2)
        h->period = period_of(r, h->text);
    size_t len = strlen(p->text);
    const char *rest = p->text + (split < len ? split : len);
    if (*rest) {
        struct block *k = add_block(r, R_PARA, 0, rest, strlen(rest), p->line);
        k->bold_len = p->bold_len > split ? p->bold_len - split : 0;
    }
}

static void body(struct recog *r, int from)
{
    const struct ipara *it = r->l->items;
    enum { MAIN, NOTES, ATTACH } part = MAIN;
    for (int i = from; i < r->l->n; i++) {
        if (r->noise[i])
            continue;
        const struct ipara *p = &it[i];
        struct block *prev = r->out.n ? &r->out.items[r->out.n - 1] : NULL;
        if (p->verbatim) {
            add_block(r, R_VERBATIM, 0, p->text, strlen(p->text), p->line);
            continue;
        }
        if (is_notes_heading(p->text)) {
            part = NOTES;
            add_block(r, R_NOTES_HEAD, 2, p->text, strlen(p->text), p->line);
            continue;
        }
        if (is_attachment(p->text)) {
            part = ATTACH;
            add_block(r, R_ATTACH, 2, p->text, strlen(p->text), p->line);
            continue;
        }
        bool joinable = prev && (prev->role == R_PARA || prev->role == R_NOTE);
        if (joinable && (is_continuation(p->text) || (part == NOTES && !is_note_entry(p->text)))) {
            char *joined = xasprintf("%s%s", prev->text, p->text);
            free(prev->text);
            prev->text = joined;
            diag_add(r->d, DIAG_NOTE, r->o->file, p->line, 1,
                     "joined to the paragraph before (a broken line)");
            continue;
        }
        if (part == NOTES) {
            add_block(r, R_NOTE, 0, p->text, strlen(p->text), p->line);
            continue;
        }
        size_t plen = 0, hlen;
        int level = heading_level(r, p, &plen, part == ATTACH);
        size_t split = level ? intro_split(p->text, plen, &hlen) : 0;
        if (level && (split || p->style_level)) {
            add_heading(r, p, level, split ? hlen : strlen(p->text),
                        split ? split : strlen(p->text));
            continue;
        }
        struct block *k = add_block(r, R_PARA, 0, p->text, strlen(p->text), p->line);
        k->bold_len = p->bold_len;
    }
}

static int by_line(const void *a, const void *b)
{
    const struct diag_item *x = a, *y = b;
    return (x->line > y->line) - (x->line < y->line);
}

void import_markdown(const struct ipara_list *l, const struct import_opts *o, struct buf *out,
                     struct diag *d)
{
    struct recog r = {.l = l, .o = o, .d = diag_new()};
    r.noise = xcalloc((size_t)l->n + 1, sizeof *r.noise);
    find_noise(&r);
    body(&r, title_block(&r));
    import_write(&r.out, l, o, out);
    import_doc_free(&r.out);
    /* the notes in line order (noise is found before the structure) */
    if (r.d->count > 1)
        qsort(r.d->items, (size_t)r.d->count, sizeof *r.d->items, by_line);
    diag_move(d, r.d);
    diag_free(r.d);
    free(r.noise);
}
