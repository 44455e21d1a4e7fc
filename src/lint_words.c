/* Word rules: latin-word, repeated-word and date-format in the text.
 * All three lean towards silence: a finding must be a real mistake in a
 * 公文, not a style the writer may have chosen. */
#include "lint_rules.h"
#include "utf8.h"
#include "xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CH(i) (p->ch[(i)].c)

static bool in_seg(const struct prose_seg *g, int i) { return i >= g->start && i < g->end; }

static bool is_alnum(int32_t c) { return lint_is_alpha(c) || lint_is_digit(c); }

bool lint_cp_in(const char *set, int32_t c)
{
    size_t n = strlen(set);
    for (size_t i = 0; i < n;) {
        int len;
        if (utf8_decode(set + i, n - i, &len) == c)
            return true;
        i += (size_t)len;
    }
    return false;
}

static bool word_in(const char *const *list, const char *w)
{
    for (; *list; list++)
        if (strcmp(*list, w) == 0)
            return true;
    return false;
}

/* ---- latin-word -------------------------------------------------------- */

/* Lower-case words that are at home in Chinese text: units and loanwords. */
static const char *const LATIN_OK[] = {
    "km", "cm", "mm", "nm", "kg", "mg", "kw", "kwh", "mw", "mwh", "gw", "gwh", "kv", "ma",
    "ml", "ha", "hz", "khz", "mhz", "ghz", "db", "kb", "mb", "gb", "tb", "pb", "bps", "kbps",
    "mbps", "gbps", "ppm", "ppb", "lux", "rpm", "min", "am", "pm", "app", "apps", "wifi",
    "web", "email", "e-mail", "blog", "vlog", "logo", "ok", NULL};

static const char *const LATIN_HINTS[][2] = {
    {"and", "和"}, {"or", "或"}, {"of", "的"}, {"with", "与"}, {"for", "为"}, {"to", "至"},
    {"vs", "对"},  {"etc", "等"}, {"in", "在"}, {"by", "由"},  {"per", "每"},
};

/* Marks that join two Latin words into one token: "e-mail", "www.gov.cn",
 * and the full-width slips "www．gov" that fullwidth-in-latin reports. */
static bool is_joiner(int32_t c)
{
    return c == '.' || c == '-' || c == '_' || c == '/' || c == '\'' || c == 0x2019 ||
           c == '+' || c == '&' || c == '@' || c == '#' || c == 0xFF0C || c == 0xFF0E ||
           c == 0xFF1B || c == 0xFF1A || c == 0x3002;
}

static int token_end(const struct prose *p, const struct prose_seg *g, int i)
{
    while (in_seg(g, i) && (is_alnum(CH(i)) || (is_joiner(CH(i)) && in_seg(g, i + 1) &&
                                                 is_alnum(CH(i + 1)))))
        i++;
    return i;
}

/* A plain lower-case English word: not an acronym (GDP), a proper noun
 * (Python), a mixed token (PM2.5, 5G), a unit (km), a version or an address. */
static bool plain_word(const struct prose *p, int a, int b)
{
    int letters = 0;
    for (int i = a; i < b; i++) {
        int32_t c = CH(i);
        if (p->ch[i].flags & PC_LINK)
            return false;
        if (c >= 'a' && c <= 'z')
            letters++;
        else if (c != '-' && c != '\'' && c != 0x2019)
            return false;
    }
    if (letters < 2)
        return false;
    char *w = lint_text(p, a, b);
    bool ok = word_in(LATIN_OK, w);
    free(w);
    return !ok;
}

static int skip_spaces(const struct prose *p, const struct prose_seg *g, int i, int dir)
{
    while (in_seg(g, i) && lint_is_space(CH(i)))
        i += dir;
    return i;
}

static bool enclosed(const struct prose *p, const struct prose_seg *g, int a, int b)
{
    return in_seg(g, a - 1) && in_seg(g, b) &&
           (cjk_is_opening(CH(a - 1)) || CH(a - 1) == '(' || CH(a - 1) == '"') &&
           (cjk_is_closing(CH(b)) || CH(b) == ')' || CH(b) == '"');
}

static void report_latin(const struct prose *p, int a, int b, int words, struct lint_sink *s)
{
    char *w = lint_text(p, a, b);
    char hint[64] = "write it in Chinese";
    for (size_t k = 0; k < sizeof LATIN_HINTS / sizeof *LATIN_HINTS; k++)
        if (strcmp(w, LATIN_HINTS[k][0]) == 0)
            snprintf(hint, sizeof hint, "write it in Chinese ('%s')", LATIN_HINTS[k][1]);
    lint_report(s, RULE_LATIN_WORD, p->ch[a].off, hint, "English word%s '%s' in Chinese text",
                words > 1 ? "s" : "", w);
    free(w);
}

static bool is_connective(const struct prose *p, int a, int b)
{
    char *w = lint_text(p, a, b);
    bool found = false;
    for (size_t k = 0; k < sizeof LATIN_HINTS / sizeof *LATIN_HINTS; k++)
        found = found || !strcmp(w, LATIN_HINTS[k][0]);
    free(w);
    return found && plain_word(p, a, b);
}

/* A phrase is a run of words joined by spaces ("smart city"); it is
 * reported once, and only when every word in it is a plain word. In a
 * phrase with a name or a number in it, an English connective (and, or,
 * with …) next to Chinese text is reported alone ("C919 and 国产", not
 * "Tianjin and Hebei"). */
static int latin_phrase(const struct prose *p, const struct prose_seg *g, int a,
                        struct lint_sink *s)
{
    bool plain = true;
    int b = a, words = 0, conn[8], nconn = 0;
    for (int i = a;;) {
        int e = token_end(p, g, i);
        plain = plain && plain_word(p, i, e);
        if (nconn < 8 && is_connective(p, i, e))
            conn[nconn++] = i;
        words++;
        b = e;
        int next = skip_spaces(p, g, e, 1);
        if (next == e || !in_seg(g, next) || !lint_is_alpha(CH(next)))
            break;
        i = next;
    }
    int before = skip_spaces(p, g, a - 1, -1), after = skip_spaces(p, g, b, 1);
    bool unit = in_seg(g, before) && lint_is_digit(CH(before));
    bool chinese = lint_chinese_at(p, g, before, -1) || lint_chinese_at(p, g, after, 1);
    if (plain && !unit && chinese && !enclosed(p, g, a, b))
        report_latin(p, a, b, words, s);
    else if (!plain && !enclosed(p, g, a, b))
        for (int k = 0; k < nconn; k++) {
            int e = token_end(p, g, conn[k]);
            if (lint_chinese_at(p, g, skip_spaces(p, g, conn[k] - 1, -1), -1) ||
                lint_chinese_at(p, g, skip_spaces(p, g, e, 1), 1))
                report_latin(p, conn[k], e, 1, s);
        }
    return b;
}

static void latin_word(const struct prose *p, const struct prose_seg *g, struct lint_sink *s)
{
    for (int i = g->start; i < g->end; i++) {
        if (!is_alnum(CH(i)))
            continue;
        if (lint_is_alpha(CH(i)))
            i = latin_phrase(p, g, i, s) - 1;
        else
            i = token_end(p, g, i) - 1;
    }
}

/* ---- repeated-word ----------------------------------------------------- */

/* Function words that are never doubled in good prose, with the
 * neighbours that make a doubling legitimate: 目的的, 的的确确, 不了了之,
 * 为了了解, 现在在, 实事求是是, 是是否. */
static const struct {
    const char *word, *ok_before, *ok_after;
} FUNCTION_WORDS[] = {
    {"的", "目有端", "确"},
    {"了", "不", "解结却然如"},
    {"和", "", ""},
    {"在", "现存正实所自内外潜好", ""},
    {"是", "求为凡但还就总正更或要只不可倒于真若老便硬", "否"},
    {"也", "", ""},
    {"这", "", ""},
};

/* ABAB forms that are words, not slips: 研究研究, 雪白雪白. */
static const char *const REDUPLICATED[] = {
    "研究", "讨论", "学习", "了解", "考虑", "商量", "介绍", "调查", "整理", "打听", "比较",
    "休息", "活动", "锻炼", "检查", "收拾", "打扫", "准备", "交流", "体验", "思考", "琢磨",
    "议论", "分析", "总结", "关心", "帮助", "练习", "尝试", "欣赏", "认识", "熟悉", "雪白",
    "通红", "冰凉", "笔直", "滚烫", "漆黑", "碧绿", "金黄", "火红", "哪里", "如此", "这样",
    "那样", "是的", "好的", "多少", NULL};

static bool function_double(const struct prose *p, int a, int b, int i)
{
    int32_t c = CH(i);
    for (size_t k = 0; k < sizeof FUNCTION_WORDS / sizeof *FUNCTION_WORDS; k++) {
        int len;
        const char *w = FUNCTION_WORDS[k].word;
        if (utf8_decode(w, strlen(w), &len) != c)
            continue;
        if (i - 2 >= a && lint_cp_in(FUNCTION_WORDS[k].ok_before, CH(i - 2)))
            return false;
        if (i + 1 < b && lint_cp_in(FUNCTION_WORDS[k].ok_after, CH(i + 1)))
            return false;
        bool aabb = (i + 2 < b && CH(i + 1) == CH(i + 2) && CH(i + 1) != c) ||
                    (i - 3 >= a && CH(i - 2) == CH(i - 3) && CH(i - 2) != c);
        return !aabb;
    }
    return false;
}

static bool same_run(const struct prose *p, int i, int j, int len)
{
    for (int k = 0; k < len; k++)
        if (CH(i + k) != CH(j + k))
            return false;
    return true;
}

/* Length of a word repeated at ch[i] (XYXY), 0 when there is none. */
static int repeated_at(const struct prose *p, int i, int b)
{
    for (int len = 4; len >= 2; len--) {
        if (i + 2 * len > b || !same_run(p, i, i + len, len))
            continue;
        bool one_char = true;
        for (int k = 1; k < len; k++)
            one_char = one_char && CH(i + k) == CH(i);
        if (one_char || (len == 2 && CH(i) == 0x4E00)) /* 哈哈哈哈, 一步一步 */
            return 0;
        char *w = lint_text(p, i, i + len);
        bool ok = len == 2 && word_in(REDUPLICATED, w);
        free(w);
        return ok ? 0 : len;
    }
    return 0;
}

static void report_repeat(const struct prose *p, int i, int len, struct lint_sink *s)
{
    char *w = lint_text(p, i, i + len);
    char hint[64];
    snprintf(hint, sizeof hint, "delete one '%s'", w);
    lint_report(s, RULE_REPEATED_WORD, p->ch[i].off, hint, "'%s' repeated", w);
    free(w);
}

/* One run of Han characters, ch[a..b). */
static void repeats_in_run(const struct prose *p, int a, int b, struct lint_sink *s)
{
    for (int i = a; i < b; i++) {
        int len = repeated_at(p, i, b);
        if (len) {
            report_repeat(p, i + len, len, s);
            i += 2 * len - 1;
        } else if (i > a && CH(i) == CH(i - 1) && !(i - 2 >= a && CH(i - 2) == CH(i)) &&
                   function_double(p, a, b, i)) {
            report_repeat(p, i, 1, s);
        }
    }
}

static void repeated_word(const struct prose *p, const struct prose_seg *g,
                          struct lint_sink *s)
{
    for (int i = g->start; i < g->end; i++) {
        if (!cjk_is_han(CH(i)))
            continue;
        int j = i;
        while (j < g->end && cjk_is_han(CH(j)))
            j++;
        repeats_in_run(p, i, j, s);
        i = j;
    }
}

/* ---- date-format ------------------------------------------------------- */

static int digits_at(const struct prose *p, const struct prose_seg *g, int i, int *value)
{
    int n = 0;
    *value = 0;
    while (in_seg(g, i + n) && lint_is_digit(CH(i + n)) && n < 6)
        *value = *value * 10 + (CH(i + n++) - '0');
    return n;
}

/* "2025-01-13", "2025.1.13", "2025/1/13" at ch[i]; returns the end or 0. */
static int numeric_date(const struct prose *p, const struct prose_seg *g, int i, int v[3])
{
    if (digits_at(p, g, i, &v[0]) != 4 || !in_seg(g, i + 4))
        return 0;
    int32_t sep = CH(i + 4);
    if (sep != '-' && sep != '.' && sep != '/')
        return 0;
    int j = i + 5, n = digits_at(p, g, j, &v[1]);
    if (n < 1 || n > 2 || !in_seg(g, j + n) || CH(j + n) != sep)
        return 0;
    j += n + 1;
    n = digits_at(p, g, j, &v[2]);
    j += n;
    if (n < 1 || n > 2 || (in_seg(g, j) && (is_alnum(CH(j)) || CH(j) == sep)))
        return 0;
    bool valid = v[0] >= 1900 && v[0] <= 2099 && v[1] >= 1 && v[1] <= 12 && v[2] >= 1 &&
                 v[2] <= 31;
    return valid ? j : 0;
}

/* "2025年01月05日" at ch[i]: the end when the month or day has a leading zero. */
static int zero_padded_date(const struct prose *p, const struct prose_seg *g, int i, int v[3])
{
    int j = i, n, y;
    v[0] = v[2] = 0;
    if (digits_at(p, g, j, &y) == 4 && in_seg(g, j + 4) && CH(j + 4) == 0x5E74) {
        v[0] = y;
        j += 5;
    }
    bool zero = in_seg(g, j) && CH(j) == '0';
    n = digits_at(p, g, j, &v[1]);
    if (n < 1 || n > 2 || !in_seg(g, j + n) || CH(j + n) != 0x6708 || v[1] < 1 || v[1] > 12)
        return 0;
    j += n + 1;
    int d;
    n = digits_at(p, g, j, &d);
    if (n >= 1 && n <= 2 && in_seg(g, j + n) && CH(j + n) == 0x65E5 && d >= 1 && d <= 31) {
        zero = zero || CH(j) == '0';
        v[2] = d;
        j += n + 1;
    }
    return zero ? j : 0;
}

static void report_date(const struct prose *p, int i, int end, const int v[3],
                        const char *why, struct lint_sink *s)
{
    char hint[64], *text = lint_text(p, i, end);
    int n = snprintf(hint, sizeof hint, "write ");
    if (v[0])
        n += snprintf(hint + n, sizeof hint - (size_t)n, "%d年", v[0]);
    n += snprintf(hint + n, sizeof hint - (size_t)n, "%d月", v[1]);
    if (v[2])
        snprintf(hint + n, sizeof hint - (size_t)n, "%d日", v[2]);
    lint_report(s, RULE_DATE_FORMAT, p->ch[i].off, hint, "date '%s' %s", text, why);
    free(text);
}

static void date_format(const struct prose *p, const struct prose_seg *g, struct lint_sink *s)
{
    for (int i = g->start; i < g->end; i++) {
        if (!lint_is_digit(CH(i)))
            continue;
        int v[3], end;
        int32_t prev = in_seg(g, i - 1) ? CH(i - 1) : 0;
        bool starts = !is_alnum(prev) && prev != '.' && prev != '-' && prev != '/';
        if (starts && (end = numeric_date(p, g, i, v))) {
            int before = skip_spaces(p, g, i - 1, -1), after = skip_spaces(p, g, end, 1);
            if (lint_chinese_at(p, g, before, -1) || lint_chinese_at(p, g, after, 1))
                report_date(p, i, end, v, "in Chinese text", s);
        } else if (starts && (end = zero_padded_date(p, g, i, v))) {
            report_date(p, i, end, v, "written with leading zeros", s);
        } else {
            end = i + 1;
        }
        while (end < g->end && is_alnum(CH(end)))
            end++;
        i = end - 1;
    }
}

/* ---- signed-change ---------------------------------------------------- */

/* Words that name the direction of a change: a sign after them says it
 * twice (增长-3.2% reads "grew by minus 3.2%"; write 下降3.2%). */
static const struct {
    const char *word, *opposite;
} CHANGE_WORDS[] = {
    {"增长", "下降"}, {"增加", "减少"}, {"上升", "下降"}, {"提高", "降低"}, {"提升", "下降"},
    {"下降", "增长"}, {"减少", "增加"}, {"降低", "提高"}, {"回落", "回升"},
};

static void signed_change(const struct prose *p, const struct prose_seg *g, struct lint_sink *s)
{
    for (int i = g->start + 2; i + 1 < g->end; i++) {
        int32_t c = CH(i);
        if ((c != '-' && c != 0x2212 && c != 0xFF0D && c != '+' && c != 0xFF0B) ||
            !lint_is_digit(CH(i + 1)) || !cjk_is_han(CH(i - 1)))
            continue;
        char *w = lint_text(p, i - 2, i);
        for (size_t k = 0; k < sizeof CHANGE_WORDS / sizeof *CHANGE_WORDS; k++) {
            if (strcmp(w, CHANGE_WORDS[k].word))
                continue;
            int e = i + 1;
            while (in_seg(g, e) && (lint_is_digit(CH(e)) || CH(e) == '.' || CH(e) == '%'))
                e++;
            char *num = lint_text(p, i + 1, e), *as_written = lint_text(p, i - 2, e);
            char hint[96];
            bool minus = c != '+' && c != 0xFF0B;
            snprintf(hint, sizeof hint, "write '%s%s'", minus ? CHANGE_WORDS[k].opposite : w, num);
            lint_report(s, RULE_SIGNED_CHANGE, p->ch[i].off, hint, "'%s': a sign after '%s'",
                        as_written, w);
            free(num);
            free(as_written);
        }
        free(w);
    }
}

void lint_words(const struct prose *p, const struct prose_seg *g, struct lint_sink *s)
{
    latin_word(p, g, s);
    signed_change(p, g, s);
    repeated_word(p, g, s);
    date_format(p, g, s);
}
