/* Structure rules: heading-numbering over the headings in order, and the
 * front matter's doc-number and date-format, with 文号 cited in the text. */
#include "lint_rules.h"
#include "buf.h"
#include "utf8.h"
#include "xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CH(i) (p->ch[(i)].c)

/* ---- heading-numbering ------------------------------------------------- */

struct heading_num {
    int scheme, value, at; /* at: index of its first character in p->ch */
};

/* The heading's number as the document model read it. */
static struct heading_num heading_number(const struct prose *p, const struct prose_seg *g)
{
    const struct node_info *info = model_info(g->node);
    struct heading_num nb = {info->scheme, info->number, g->start};
    while (nb.at < g->end && lint_is_space(CH(nb.at)))
        nb.at++;
    return nb;
}

static void number_text(int scheme, int value, char *buf, size_t size)
{
    model_number_text((enum numbering)scheme, value, buf, size);
}

static void report_number(const struct prose *p, const struct heading_num *nb, int want,
                          const char *what, struct lint_sink *s)
{
    char have[32], next[32], hint[48];
    number_text(nb->scheme, nb->value, have, sizeof have);
    number_text(nb->scheme, want, next, sizeof next);
    snprintf(hint, sizeof hint, "number it %s", next);
    lint_report(s, RULE_HEADING_NUMBERING, p->ch[nb->at].off, hint, "heading number %s %s",
                have, what);
}

/* Against the previous numbered heading at the same level and parent.
 * fixed is the number that heading was told to take when it was reported
 * (0 when it was not): the heading after a mistyped one that follows the
 * corrected number is right, and not reported (二、四、四、: the second 四、). */
static bool check_sequence(const struct prose *p, const struct heading_num *nb,
                           const struct heading_num *last, int fixed, struct lint_sink *s)
{
    char prev[32], what[64];
    if (!last) {
        if (nb->value != 1)
            report_number(p, nb, 1, "starts the numbering at this level", s);
        return nb->value != 1;
    }
    if (fixed && last->scheme == nb->scheme && nb->value == fixed + 1)
        return false;
    number_text(last->scheme, last->value, prev, sizeof prev);
    if (last->scheme != nb->scheme) {
        char have[32], want[32], hint[48];
        number_text(nb->scheme, nb->value, have, sizeof have);
        number_text(last->scheme, last->value + 1, want, sizeof want);
        snprintf(hint, sizeof hint, "number it %s", want);
        lint_report(s, RULE_HEADING_NUMBERING, p->ch[nb->at].off, hint,
                    "heading number %s follows %s at the same level", have, prev);
        return true;
    }
    if (nb->value == last->value)
        snprintf(what, sizeof what, "repeats the number before it");
    else if (nb->value > last->value + 1)
        snprintf(what, sizeof what, "skips a number after %s", prev);
    else if (nb->value < last->value)
        snprintf(what, sizeof what, "comes after %s", prev);
    else
        return false;
    report_number(p, nb, last->value + 1, what, s);
    return true;
}

/* The tier must sit below its numbered parent's: no 一、 under （一）. */
static bool check_tier(const struct prose *p, const struct heading_num *nb,
                       const struct heading_num *parent, struct lint_sink *s)
{
    static const char *const tier[] = {"一、", "（一）", "1.", "（1）"};
    if (parent && nb->scheme <= parent->scheme) {
        char have[32], above[32], hint[64];
        number_text(nb->scheme, nb->value, have, sizeof have);
        number_text(parent->scheme, parent->value, above, sizeof above);
        snprintf(hint, sizeof hint, "under %s headings use %s", tier[parent->scheme],
                 tier[parent->scheme < 3 ? parent->scheme + 1 : 3]);
        lint_report(s, RULE_HEADING_NUMBERING, p->ch[nb->at].off, hint,
                    "heading number %s is not a lower tier than its parent %s", have, above);
        return true;
    }
    if (!parent && nb->scheme != NUM_CN)
        lint_report_level(s, RULE_HEADING_NUMBERING, DIAG_WARNING, p->ch[nb->at].off,
                          "number the first level 一、 二、 …",
                          "the first numbered heading level uses %s", tier[nb->scheme]);
    return false;
}

#define MAX_LEVEL 7

void lint_headings(const struct prose *p, struct lint_sink *s)
{
    struct heading_num last[MAX_LEVEL], open[MAX_LEVEL];
    bool has_last[MAX_LEVEL] = {false};
    int fixed[MAX_LEVEL] = {0}; /* the number the last heading was told to take, or 0 */
    for (int k = 0; k < MAX_LEVEL; k++)
        open[k].scheme = NUM_NONE;
    for (int i = 0; i < p->nseg; i++) {
        const struct prose_seg *g = &p->seg[i];
        if (g->kind != PROSE_HEADING || g->level < 1 || g->level >= MAX_LEVEL)
            continue;
        int l = g->level;
        for (int k = l + 1; k < MAX_LEVEL; k++) {
            has_last[k] = false;
            open[k].scheme = NUM_NONE;
        }
        struct heading_num nb = heading_number(p, g);
        open[l] = nb;
        if (nb.scheme == NUM_NONE)
            continue;
        const struct heading_num *parent = NULL;
        for (int k = l - 1; k >= 1 && !parent; k--)
            if (open[k].scheme != NUM_NONE)
                parent = &open[k];
        bool reported = !check_tier(p, &nb, parent, s) &&
                        check_sequence(p, &nb, has_last[l] ? &last[l] : NULL, fixed[l], s);
        fixed[l] = reported ? (has_last[l] ? last[l].value + 1 : 1) : 0;
        last[l] = nb;
        has_last[l] = true;
    }
}

/* ---- doc-number -------------------------------------------------------- */

static const char DOCNUM_OPEN[] = "〔[(（【［〈「｛{";
static const char DOCNUM_CLOSE[] = "〕])）】］〉」｝}";
#define HEX_OPEN 0x3014  /* 〔 */
#define HEX_CLOSE 0x3015 /* 〕 */
#define DI 0x7B2C        /* 第 */
#define HAO 0x53F7       /* 号 */


/* The parts of 机关代字〔2025〕1号 in a run of characters; -1 when absent. */
struct docnum {
    int year, open, close, di, num, num_end, hao, end;
};

static void parse_docnum(const struct prose_char *c, int n, struct docnum *d)
{
    memset(d, -1, sizeof *d);
    for (int k = 0; k + 4 <= n && d->year < 0; k++) {
        bool four = true;
        for (int j = k; j < k + 4; j++)
            four = four && lint_is_digit(c[j].c);
        if (four && (k == 0 || !lint_is_digit(c[k - 1].c)) &&
            (k + 4 == n || !lint_is_digit(c[k + 4].c)))
            d->year = k;
    }
    if (d->year < 0)
        return;
    if (d->year > 0 && lint_cp_in(DOCNUM_OPEN, c[d->year - 1].c))
        d->open = d->year - 1;
    int j = d->year + 4;
    if (j < n && lint_cp_in(DOCNUM_CLOSE, c[j].c))
        d->close = j++;
    if (j < n && c[j].c == DI)
        d->di = j++;
    d->num = j;
    while (j < n && lint_is_digit(c[j].c))
        j++;
    d->num_end = j;
    if (j < n && c[j].c == HAO)
        d->hao = j++;
    d->end = j;
}

static void put_cp(struct buf *b, int32_t c)
{
    char u[4];
    buf_put(b, u, (size_t)utf8_encode(c, u));
}

/* The corrected 文号, for the suggestion (a fresh string). */
static char *docnum_fixed(const struct prose_char *c, const struct docnum *d)
{
    struct buf b = {0};
    int prefix_end = d->open >= 0 ? d->open : d->year;
    for (int k = 0; k < prefix_end; k++)
        put_cp(&b, c[k].c);
    buf_puts(&b, "〔");
    for (int k = d->year; k < d->year + 4; k++)
        put_cp(&b, c[k].c);
    buf_puts(&b, "〕");
    int num = d->num;
    while (num + 1 < d->num_end && c[num].c == '0')
        num++;
    for (int k = num; k < d->num_end; k++)
        put_cp(&b, c[k].c);
    if (num == d->num_end)
        buf_puts(&b, "N");
    buf_puts(&b, "号");
    return buf_detach(&b);
}

static char *chars_text(const struct prose_char *c, int n)
{
    struct buf b = {0};
    for (int k = 0; k < n; k++)
        put_cp(&b, c[k].c);
    return b.data ? buf_detach(&b) : xstrdup("");
}

static void report_docnum(const struct prose_char *c, int n, int at, const char *hint,
                          const char *what, struct lint_sink *s)
{
    char *text = chars_text(c, n);
    lint_report(s, RULE_DOC_NUMBER, c[at < n ? at : n - 1].off, hint, "文号 '%s' %s", text,
                what);
    free(text);
}

static bool bad_brackets(const struct prose_char *c, const struct docnum *d)
{
    return d->open < 0 || d->close < 0 || c[d->open].c != HEX_OPEN || c[d->close].c != HEX_CLOSE;
}

/* What is wrong with the 文号 parsed as d from c[0..n). */
static void docnum_problems(const struct prose_char *c, int n, const struct docnum *d,
                            struct lint_sink *s)
{
    char *fixed = docnum_fixed(c, d), hint[160];
    snprintf(hint, sizeof hint, "write %s", fixed);
    if (bad_brackets(c, d))
        report_docnum(c, n, d->open >= 0 ? d->open : d->year, hint,
                      "must put the year in 六角括号 〔〕", s);
    if (d->di >= 0)
        report_docnum(c, n, d->di, hint, "must not have 第 before the serial number", s);
    if (d->num < d->num_end && c[d->num].c == '0' && d->num_end - d->num > 1)
        report_docnum(c, n, d->num, hint, "has a leading zero in the serial number", s);
    free(fixed);
}

static void check_docnum_value(const struct prose_char *c, int n, struct lint_sink *s)
{
    struct docnum d;
    parse_docnum(c, n, &d);
    const char *form = "write it as 机关代字〔年份〕N号, e.g. 西青政发〔2025〕1号";
    if (n == 0)
        return;
    if (d.year < 0) {
        report_docnum(c, n, 0, form, "has no four-digit year", s);
        return;
    }
    if ((d.open >= 0 ? d.open : d.year) == 0)
        report_docnum(c, n, 0, form, "has no 机关代字 before the year", s);
    docnum_problems(c, n, &d, s);
    if (d.num == d.num_end)
        report_docnum(c, n, d.num, form, "has no serial number", s);
    else if (d.hao < 0)
        report_docnum(c, n, d.num_end, form, "must end with 号", s);
    else if (d.end < n)
        report_docnum(c, n, d.end, form, "has text after 号", s);
}

/* 文号 cited in the text: a Han character, a bracketed year, a number, 号. */
static void docnums_in_text(const struct prose *p, const struct prose_seg *g,
                            struct lint_sink *s)
{
    for (int i = g->start + 1; i + 7 < g->end; i++) {
        if (!lint_cp_in(DOCNUM_OPEN, CH(i)) || !cjk_is_han(CH(i - 1)) || !lint_is_digit(CH(i + 1)))
            continue;
        int end = i + 16 < g->end ? i + 16 : g->end;
        struct docnum d;
        parse_docnum(&p->ch[i], end - i, &d);
        if (d.year == 1 && d.open == 0 && d.close >= 0 && d.num < d.num_end && d.hao >= 0)
            docnum_problems(&p->ch[i], d.end, &d, s);
    }
}

/* ---- front matter ------------------------------------------------------ */

/* The front matter line holding key (0 if none); *value: where its value starts. */
static int front_matter_key(const struct prose *p, const char *key, size_t *value)
{
    size_t bom = p->len >= 3 && memcmp(p->src, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    size_t klen = strlen(key);
    *value = 0;
    if (strncmp(p->src + bom, "---", 3) != 0)
        return 0;
    for (int l = 2; l <= p->nlines; l++) {
        size_t a = prose_line_start(p, l);
        const char *line = p->src + a;
        if (strncmp(line, "---", 3) == 0 || strncmp(line, "...", 3) == 0)
            return 0;
        if (strncmp(line, key, klen) != 0 || line[klen] != ':')
            continue;
        size_t v = a + klen + 1;
        while (v < p->len && (p->src[v] == ' ' || p->src[v] == '\t'))
            v++;
        if (v < p->len && (p->src[v] == '"' || p->src[v] == '\''))
            v++;
        *value = v;
        return l;
    }
    return 0;
}

/* A front matter value as characters, at their source offsets when the
 * value is written plainly there, else all at the value's start. */
static struct prose_char *value_chars(const struct prose *p, const char *value, size_t at,
                                      int *n)
{
    size_t len = strlen(value);
    bool plain = at + len <= p->len && memcmp(p->src + at, value, len) == 0;
    struct prose_char *c = xmalloc((len + 1) * sizeof *c);
    int k = 0;
    for (size_t i = 0; i < len;) {
        int l;
        int32_t cp = utf8_decode(value + i, len - i, &l);
        c[k++] = (struct prose_char){cp, (uint32_t)(plain ? at + i : at), 0};
        i += (size_t)l;
    }
    *n = k;
    return c;
}

static int date_cmp(const struct date *a, const struct date *b)
{
    int x = a->year * 400 + a->month * 32 + a->day, y = b->year * 400 + b->month * 32 + b->day;
    return (x > y) - (x < y);
}

/* A paragraph that is only a date (the 成文日期 line) must match the front matter. */
static void date_line(const struct prose *p, const struct prose_seg *g, const struct meta *m,
                      struct lint_sink *s)
{
    if (g->kind != PROSE_PARA || g->end - g->start > 16 || !m->date.year)
        return;
    char *text = lint_text(p, g->start, g->end);
    struct date dt;
    if (date_parse(text, &dt) && date_cmp(&dt, &m->date) != 0) {
        char want[32], hint[96];
        date_format_cn(&m->date, want, sizeof want);
        snprintf(hint, sizeof hint, "make it %s or correct the front matter", want);
        lint_report(s, RULE_DATE_FORMAT, p->ch[g->start].off, hint,
                    "date line %s differs from the front matter date %s", text, want);
    }
    free(text);
}

static void print_date(const struct prose *p, const struct meta *m, struct lint_sink *s)
{
    if (!m->date.year || !m->print_date.year || date_cmp(&m->print_date, &m->date) >= 0)
        return;
    size_t at;
    front_matter_key(p, "print_date", &at);
    char a[32], b[32];
    date_format_cn(&m->print_date, a, sizeof a);
    date_format_cn(&m->date, b, sizeof b);
    lint_report(s, RULE_DATE_FORMAT, at, "印发日期 is on or after 成文日期",
                "print_date %s is before date %s", a, b);
}

void lint_meta(const struct prose *p, const struct meta *m, struct lint_sink *s)
{
    if (m->doc_number) {
        size_t at;
        int n;
        front_matter_key(p, "doc_number", &at);
        struct prose_char *c = value_chars(p, m->doc_number, at, &n);
        check_docnum_value(c, n, s);
        free(c);
    }
    print_date(p, m, s);
    for (int i = 0; i < p->nseg; i++) {
        docnums_in_text(p, &p->seg[i], s);
        date_line(p, &p->seg[i], m, s);
    }
}
