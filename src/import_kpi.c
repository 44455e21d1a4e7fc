#define _POSIX_C_SOURCE 200809L
#include "import_kpi.h"
#include "buf.h"
#include "indicator.h"
#include "style.h"
#include "utf8.h"
#include "xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

struct name_id {
    char *name, *id;
};

struct seen {
    char *key;   /* id@period */
    char *value; /* as written */
};

struct import_kpi {
    struct name_id *names;
    int nnames;
    struct seen *seen;
    int nseen;
    struct name_id *labels; /* the first label of each id */
    int nlabels;
    UTransliterator *pinyin; /* opened on first use */
    bool pinyin_failed;
};

/* Units a figure may carry, longest first where one is a prefix of another. */
static const char *const UNITS[] = {
    "个百分点", "百分点", "万亿元", "亿元", "万元", "元", "美元", "%", "‰", "万人次", "人次",
    "人", "户", "家", "个", "项", "所", "座", "平方公里", "平方米", "立方米", "公里", "千米",
    "千瓦时", "千瓦", "吨", "斤", "亩", "公顷", "套", "辆", "台", "床", "倍", "标箱", "艘",
    "架次", "微克/立方米", NULL};
static const char *const MAGNITUDES[] = {"万亿", "亿", "万", NULL};
static const char *const PREFIXES[] = {"不少于", "不低于", "不超过", "超过", "约", "近", "逾", NULL};
static const char *const SUFFIXES[] = {"左右", "以上", "以下", "以内", NULL};
/* Words between a label and its figure, taken off the label's end. */
static const char *const LINKS[] = {
    "同比增长", "增长", "增加", "上涨", "下降", "降低", "减少", "提高", "提升", "达到", "达", "为",
    "拟安排", "安排",
    "突破", "实现", "完成", "保持在", "控制在", "稳定在", "拟按", "按", "在", "共", "累计",
    "年均", "平均为", "平均", "分别", "均", "到", "至", "比上年", "实际", "名义", "超", "已",
    "预计", "新增加", NULL};
static const char *const RISE[] = {"增长", "上涨", "提高", "提升", "增加", NULL};
static const char *const FALL[] = {"下降", "降低", "减少", NULL};
/* A figure after these is a level reached, not a change. */
static const char *const LEVEL[] = {"到", "至", "达到", "达", "为", NULL};
/* Words in front of a label that are not part of it. */
static const char *const LEADS[] = {"全年", "其中", "今年", "去年", "全市", "全省", "全区",
                                    "全国", "预计", "我国", "一年来", "同时", "力争", "拟安排", "拟",
                                    NULL};

/* How a figure relates to its label: a level (5.2%), or a change after
 * 增长/下降 (a rate with %, an amount otherwise). */
enum change { LEVEL_OF, RISE_OF, FALL_OF };

static bool in_list(const char *s, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (!strcmp(s, list[i]))
            return true;
    return false;
}

static const char *match(const char *s, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (!strncmp(s, list[i], strlen(list[i])))
            return list[i];
    return NULL;
}

static void load_names(struct import_kpi *k)
{
    char *path = xasprintf("%s/templates/indicator-names.tsv", style_datadir());
    FILE *f = fopen(path, "r");
    free(path);
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab)
            continue;
        *tab = '\0';
        char *id = tab + 1;
        id[strcspn(id, "\r\n")] = '\0';
        k->names = xreallocarray(k->names, (size_t)k->nnames + 1, sizeof *k->names);
        k->names[k->nnames++] = (struct name_id){xstrdup(line), xstrdup(id)};
    }
    if (f)
        fclose(f);
}

struct import_kpi *import_kpi_new(void)
{
    struct import_kpi *k = xcalloc(1, sizeof *k);
    load_names(k);
    return k;
}

void import_kpi_free(struct import_kpi *k)
{
    if (!k)
        return;
    for (int i = 0; i < k->nnames; i++)
        free(k->names[i].name), free(k->names[i].id);
    for (int i = 0; i < k->nseen; i++)
        free(k->seen[i].key), free(k->seen[i].value);
    for (int i = 0; i < k->nlabels; i++)
        free(k->labels[i].name), free(k->labels[i].id);
    free(k->labels);
    free(k->names);
    free(k->seen);
    if (k->pinyin)
        utrans_close(k->pinyin);
    free(k);
}

/* ---- ids ---------------------------------------------------------------- */

static char *slug_of(const char *latin)
{
    struct buf b = {0};
    for (const char *p = latin; *p && b.len < 40; p++) {
        char c = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            buf_putc(&b, c);
        else if (b.len && b.data[b.len - 1] != '-')
            buf_putc(&b, '-');
    }
    if (b.len >= 40 && strchr(b.data, '-'))
        *strrchr(b.data, '-') = '\0', b.len = strlen(b.data); /* not in mid-syllable */
    while (b.len && b.data[b.len - 1] == '-')
        b.data[--b.len] = '\0';
    return b.len ? buf_detach(&b) : (buf_free(&b), xstrdup("figure"));
}

/* 城镇新增就业 → cheng-zhen-xin-zeng-jiu-ye (ICU's Han-Latin transliteration). */
static char *pinyin_slug(struct import_kpi *k, const char *label)
{
    UErrorCode st = U_ZERO_ERROR;
    if (!k->pinyin && !k->pinyin_failed) {
        UChar rules[64];
        u_uastrcpy(rules, "Han-Latin; Latin-ASCII");
        k->pinyin = utrans_openU(rules, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
        k->pinyin_failed = U_FAILURE(st);
        st = U_ZERO_ERROR;
    }
    UChar text[1024];
    int32_t len = 0;
    u_strFromUTF8(text, 256, &len, label, -1, &st);
    int32_t limit = len;
    if (k->pinyin && U_SUCCESS(st))
        utrans_transUChars(k->pinyin, text, &len, 1024, 0, &limit, &st);
    char latin[2048];
    int32_t out = 0;
    if (U_SUCCESS(st))
        u_strToUTF8(latin, sizeof latin - 1, &out, text, len, &st);
    latin[U_SUCCESS(st) ? out : 0] = '\0';
    return slug_of(latin);
}

static int han_count(const char *s)
{
    int n = 0;
    for (size_t i = 0; s[i];) {
        int k;
        n += cjk_is_han(utf8_decode(s + i, strlen(s + i), &k));
        i += (size_t)k;
    }
    return n;
}

/* Rates, money and people: figures worth an indicator even when the data
 * file does not know their name (a count of 个, 项, 座 is not). */
static bool is_measure(const char *value)
{
    return strstr(value, "%") || strstr(value, "百分点") || strstr(value, "元") ||
           strstr(value, "人") || strstr(value, "倍");
}

static bool is_rate(const char *id)
{
    size_t n = strlen(id);
    return !strcmp(id, "cpi") || (n > 5 && !strcmp(id + n - 5, "-rate")) ||
           (n > 6 && !strcmp(id + n - 6, "-ratio"));
}

/* The id and label of a figure: from the data file (the longest name in
 * the label) or a pinyin slug, with -growth/-decline for a rate of change
 * and -increase/-decrease for an amount of change. */
/* percent: 1 for a rate (5.2%, 0.3个百分点), 2 for a multiple (增长5.4倍), 0 else */
static void name_figure(struct import_kpi *k, const char *label, enum change change,
                        int percent, bool worth_a_slug, char **id, char **title)
{
    const struct name_id *best = NULL;
    for (int i = 0; i < k->nnames; i++)
        if (strstr(label, k->names[i].name) &&
            (!best || strlen(k->names[i].name) > strlen(best->name)))
            best = &k->names[i];
    int han = han_count(label);
    bool fresh = best && !strncmp(label, "新增", 6) && strncmp(best->name, "新增", 6) &&
                 !strstr(best->name, "新增");
    char *base = fresh ? xasprintf("%s-new", best->id) /* 新增高新技术企业 */
                 : best ? xstrdup(best->id)
                 : han >= 4 && han <= 14 && worth_a_slug ? pinyin_slug(k, label) : NULL;
    if (!base) { /* 增发, 先发行: a verb, not a name; a long phrase; a mere count */
        *id = *title = NULL;
        return;
    }
    if (change == LEVEL_OF || is_rate(base)) {
        *id = base;
        *title = xstrdup(label);
        return;
    }
    bool up = change == RISE_OF;
    *id = xasprintf("%s-%s", base, percent ? (up ? "growth" : "decline") : (up ? "increase" : "decrease"));
    *title = xasprintf("%s%s", label, percent == 2 ? "增长倍数" : percent ? (up ? "增速" : "降幅")
                                                 : (up ? "增加额" : "减少额"));
    free(base);
}

/* A label given once serves every occurrence of its id. */
static char *label_for(struct import_kpi *k, const char *id, char *title)
{
    for (int i = 0; i < k->nlabels; i++)
        if (!strcmp(k->labels[i].id, id)) {
            free(title);
            return xstrdup(k->labels[i].name);
        }
    k->labels = xreallocarray(k->labels, (size_t)k->nlabels + 1, sizeof *k->labels);
    k->labels[k->nlabels++] = (struct name_id){title, xstrdup(id)};
    return xstrdup(title);
}

/* One id and period never gets two values: a second figure becomes ID-2. */
static char *unique_id(struct import_kpi *k, char *id, const char *period, const char *value)
{
    for (int n = 1;; n++) {
        char *cand = n == 1 ? xstrdup(id) : xasprintf("%s-%d", id, n);
        char *key = xasprintf("%s@%s", cand, period);
        int i = 0;
        while (i < k->nseen && strcmp(k->seen[i].key, key))
            i++;
        if (i == k->nseen) {
            k->seen = xreallocarray(k->seen, (size_t)k->nseen + 1, sizeof *k->seen);
            k->seen[k->nseen++] = (struct seen){key, xstrdup(value)};
            free(id);
            return cand;
        }
        free(key);
        if (!strcmp(k->seen[i].value, value)) {
            free(id);
            return cand;
        }
        free(cand);
    }
}

/* ---- finding figures ----------------------------------------------------- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The number at s: digits, thousands commas, one decimal point. */
static size_t number_len(const char *s)
{
    size_t i = 0;
    while (is_digit(s[i]) || (s[i] == ',' && is_digit(s[i + 1]) && i > 0) ||
           (s[i] == '.' && is_digit(s[i + 1]) && i > 0 && !memchr(s, '.', i)))
        i++;
    return i;
}

static bool is_boundary(int32_t c)
{
    return c == 0xFF0C || c == 0x3002 || c == 0xFF1B || c == 0xFF1A || c == 0x3001 ||
           c == 0xFF08 || c == 0xFF09 || c == 0x201C || c == 0x201D || c == 0x300A ||
           c == 0x300B || c == 0xFF01 || c == 0xFF1F || c == 0x2014 || c == ' ' || c == 0x3000;
}

static bool ends_with(const char *s, size_t len, const char *suffix, size_t *cut)
{
    size_t m = strlen(suffix);
    if (len < m || memcmp(s + len - m, suffix, m))
        return false;
    *cut = len - m;
    return true;
}

/* The phrase a figure measures: its clause before the number, without the
 * verbs that link them (增长, 达到, 为 …) and lead words (全年, 其中 …). */
static char *label_before(const char *text, size_t at, enum change *change)
{
    size_t start = at;
    while (start > 0) {
        size_t prev = utf8_prev(text, start);
        int n;
        if (is_boundary(utf8_decode(text + prev, start - prev, &n)))
            break;
        start = prev;
    }
    size_t len = at - start;
    *change = LEVEL_OF;
    bool decided = false; /* by the link closest to the number */
    for (bool cut = true; cut;) {
        cut = false;
        for (int i = 0; LINKS[i]; i++) {
            size_t rest;
            if (!ends_with(text + start, len, LINKS[i], &rest))
                continue;
            const char *w = LINKS[i] + (strstr(LINKS[i], "同比") == LINKS[i] ? 6 : 0);
            if (!strcmp(w, "分别") || !strcmp(w, "均"))
                return NULL; /* several figures share one phrase: none reads alone */
            if (!decided && (in_list(w, LEVEL) || in_list(w, RISE) || in_list(w, FALL))) {
                *change = in_list(w, RISE) ? RISE_OF : in_list(w, FALL) ? FALL_OF : LEVEL_OF;
                decided = true;
            }
            len = rest, cut = true;
            break;
        }
    }
    for (const char *lead; (lead = match(text + start, LEADS)) && strlen(lead) < len;)
        start += strlen(lead), len -= strlen(lead);
    return xstrndup(text + start, len);
}

static bool label_ok(const char *label)
{
    int han = han_count(label), chars = 0;
    for (const char *p = label; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    /* a number in the label is another figure or a date (127个国家, 2023年);
     * 5G and PM2.5 are names */
    for (const char *p = label; *p; p++) {
        bool latin_next = (p[1] | 32) >= 'a' && (p[1] | 32) <= 'z';
        bool latin_before = p > label && (p[-1] | 32) >= 'a' && (p[-1] | 32) <= 'z';
        if (is_digit(*p) && !latin_next && !latin_before && !strstr(label, "PM2.5") &&
            !is_digit(p[1]) && p[1] != '.')
            return false;
        if (*p == '%')
            return false;
    }
    /* 增速高于全市0.3个百分点: a comparison, not a figure of its own */
    if (strstr(label, "高于") || strstr(label, "低于") || strstr(label, "快于") ||
        strstr(label, "慢于") || !strncmp(label, "增速", 6))
        return false;
    return han >= 2 && chars <= 16 && han * 2 >= chars;
}

/* Reads a figure whose number starts at text[at]; returns its end (0: none)
 * and where its value starts (a qualifier such as 约 comes first). */
static size_t figure_at(const char *text, size_t at, size_t *value_start)
{
    if (at > 0 && (is_digit(text[at - 1]) || text[at - 1] == '.' ||
                   ((text[at - 1] | 32) >= 'a' && (text[at - 1] | 32) <= 'z')))
        return 0;
    size_t before = at >= 3 ? utf8_prev(text, at) : 0;
    if (at >= 3 && (!strncmp(text + before, "第", 3) || !strncmp(text + before, "“", 3)))
        return 0; /* an ordinal, or a name such as “21”条 */
    size_t n = number_len(text + at);
    const char *s = text + at + n;
    if (!n || ((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z'))
        return 0;
    const char *unit = match(s, UNITS);
    if (!unit) {
        const char *mag = match(s, MAGNITUDES);
        if (mag && (unit = match(s + strlen(mag), UNITS)))
            s += strlen(mag);
    }
    if (!unit) {
        /* 3300万 before a stop: a count in 万 or 亿 without a unit */
        const char *mag = match(s, MAGNITUDES);
        int k;
        if (!mag || !is_boundary(utf8_decode(s + strlen(mag), strlen(s + strlen(mag)), &k)))
            return 0;
        unit = mag;
    }
    s += strlen(unit);
    const char *suffix = match(s, SUFFIXES);
    if (suffix)
        s += strlen(suffix);
    int k;
    bool rate_or_money = strstr(unit, "%") || strstr(unit, "元") || strstr(unit, "百分点");
    if (!rate_or_money && *s && cjk_is_han(utf8_decode(s, strlen(s), &k)))
        return 0; /* 3个台阶, 127个国家: a count inside a noun phrase */
    *value_start = at;
    for (int i = 0; PREFIXES[i]; i++) {
        size_t m = strlen(PREFIXES[i]);
        if (at >= m && !strncmp(text + at - m, PREFIXES[i], m)) {
            *value_start = at - m;
            break;
        }
    }
    return (size_t)(s - text);
}

static bool value_parses(const char *text, size_t start, size_t end)
{
    char *v = xstrndup(text + start, end - start);
    struct ivalue iv;
    const char *why;
    bool ok = ivalue_parse(v, &iv, &why);
    if (ok)
        ivalue_free(&iv);
    free(v);
    return ok;
}

int import_kpi_find(struct import_kpi *k, const char *text, const char *period,
                    struct kpi_span **spans)
{
    *spans = NULL;
    int n = 0;
    char *subject = NULL; /* the last label in this sentence */
    for (size_t i = 0; text[i];) {
        if (!strncmp(text + i, "。", 3) || !strncmp(text + i, "；", 3))
            free(subject), subject = NULL;
        size_t start, end = is_digit(text[i]) ? figure_at(text, i, &start) : 0;
        if (!end || !value_parses(text, start, end)) {
            i += is_digit(text[i]) ? number_len(text + i) + !number_len(text + i) : 1;
            continue;
        }
        enum change change;
        char *label = label_before(text, start, &change);
        if (!label) {
            i = end;
            continue;
        }
        bool comparison = !strncmp(label, "比", 3) || !strncmp(label, "较", 3);
        if ((!*label || comparison) && subject && change != LEVEL_OF) {
            free(label);
            label = xstrdup(subject);
        }
        if (label_ok(label)) {
            free(subject);
            subject = xstrdup(label);
            char *value = xstrndup(text + start, end - start);
            int percent = strstr(value, "倍") ? 2 : strstr(value, "%") || strstr(value, "百分点");
            char *id, *title;
            name_figure(k, label, change, percent, is_measure(value), &id, &title);
            if (!id) {
                free(value), free(label);
                i = end;
                continue;
            }
            id = unique_id(k, id, period, value);
            free(value);
            *spans = xreallocarray(*spans, (size_t)n + 1, sizeof **spans);
            (*spans)[n++] = (struct kpi_span){start, end, id, label_for(k, id, title)};
        }
        free(label);
        i = end;
    }
    free(subject);
    return n;
}

void import_kpi_spans_free(struct kpi_span *spans, int n)
{
    for (int i = 0; i < n; i++)
        free(spans[i].id), free(spans[i].label);
    free(spans);
}
