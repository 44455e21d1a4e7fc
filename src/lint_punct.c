/* Punctuation and spacing rules: halfwidth-punct, fullwidth-in-latin,
 * space-in-han, space-number-unit, straight-quote, doubled-punct and
 * unbalanced-bracket. Each is one pass over a segment of the prose. */
#include "lint_rules.h"
#include "utf8.h"
#include "xalloc.h"
#include <stdlib.h>
#include <string.h>

#define CH(i) (p->ch[(i)].c)

static bool in_seg(const struct prose_seg *g, int i) { return i >= g->start && i < g->end; }

static void fmt_cp(char *buf, int32_t c) { buf[utf8_encode(c, buf)] = '\0'; }

/* ---- halfwidth-punct --------------------------------------------------- */

static int32_t fullwidth_of(int32_t c)
{
    switch (c) {
    case ',': return 0xFF0C;
    case ';': return 0xFF1B;
    case ':': return 0xFF1A;
    case '?': return 0xFF1F;
    case '!': return 0xFF01;
    case '(': return 0xFF08;
    case ')': return 0xFF09;
    default: return 0x3002;
    }
}

static void report_halfwidth(const struct prose *p, int i, struct lint_sink *s)
{
    char want[8], hint[32];
    fmt_cp(want, fullwidth_of(CH(i)));
    snprintf(hint, sizeof hint, "use '%s'", want);
    lint_report(s, RULE_HALFWIDTH_PUNCT, p->ch[i].off, hint,
                "half-width '%c' in Chinese text", (char)CH(i));
}

static bool plain_wide(const struct prose *p, const struct prose_seg *g, int i)
{
    int32_t c = in_seg(g, i) ? CH(i) : 0;
    return lint_is_wide(c) && c != 0x2018 && c != 0x2019 && c != 0x201C && c != 0x201D;
}

static bool ascii_alnum(const struct prose *p, const struct prose_seg *g, int i)
{
    return in_seg(g, i) && (lint_is_alpha(CH(i)) || lint_is_digit(CH(i)));
}

/* Chinese on either side; through a curly quote only when the other side
 * is not Latin ("Hello, world?”。" is an English quotation). */
static bool chinese_around(const struct prose *p, const struct prose_seg *g, int i)
{
    if (plain_wide(p, g, i - 1) || plain_wide(p, g, i + 1))
        return true;
    return (lint_chinese_at(p, g, i - 1, -1) || lint_chinese_at(p, g, i + 1, 1)) &&
           !ascii_alnum(p, g, i - 1) && !ascii_alnum(p, g, i + 1);
}

struct paren {
    int at, han; /* index of the '(' and the Han count before it */
};

static void check_pair(const struct prose *p, const struct prose_seg *g, struct paren o,
                       int close, int han, struct lint_sink *s)
{
    bool inside = han > o.han;
    bool notation = !inside && o.at > g->start &&
                    (lint_is_alpha(CH(o.at - 1)) || lint_is_digit(CH(o.at - 1))); /* f(x) */
    if (!notation && (inside || chinese_around(p, g, o.at) || chinese_around(p, g, close))) {
        report_halfwidth(p, o.at, s);
        report_halfwidth(p, close, s);
    }
}

/* ( and ) go full-width as a pair when either side of the pair, or its
 * content, is Chinese: "浓度(PM2.5)" and "(一)" but not "f(x)". */
static void check_parens(const struct prose *p, const struct prose_seg *g, struct lint_sink *s)
{
    struct paren *open = NULL;
    int n = 0, cap = 0, han = 0;
    for (int i = g->start; i < g->end; i++) {
        if (cjk_is_han(CH(i)))
            han++;
        if (CH(i) == '(') {
            if (n == cap) {
                cap = cap ? cap * 2 : 8;
                open = xreallocarray(open, (size_t)cap, sizeof *open);
            }
            open[n++] = (struct paren){i, han};
        } else if (CH(i) == ')' && n > 0) {
            check_pair(p, g, open[--n], i, han, s);
        } else if (CH(i) == ')' && chinese_around(p, g, i)) {
            report_halfwidth(p, i, s);
        }
    }
    for (int k = 0; k < n; k++)
        if (chinese_around(p, g, open[k].at))
            report_halfwidth(p, open[k].at, s);
    free(open);
}

/* A run of ASCII dots after Chinese text: "。" for one, "……" for more. */
static int check_dots(const struct prose *p, const struct prose_seg *g, int i,
                      struct lint_sink *s)
{
    int j = i;
    while (j < g->end && CH(j) == '.')
        j++;
    if (j - i >= 2 && (lint_chinese_at(p, g, i - 1, -1) || lint_chinese_at(p, g, j, 1))) {
        char *dots = lint_text(p, i, j);
        lint_report(s, RULE_HALFWIDTH_PUNCT, p->ch[i].off, "use the Chinese ellipsis '……'",
                    "'%s' used as an ellipsis in Chinese text", dots);
        free(dots);
    } else if (j - i == 1 && in_seg(g, i - 1) && cjk_is_han(CH(i - 1)) &&
             !(in_seg(g, j) && (lint_is_alpha(CH(j)) || lint_is_digit(CH(j)))))
        report_halfwidth(p, i, s);
    return j;
}

static void halfwidth_punct(const struct prose *p, const struct prose_seg *g,
                            struct lint_sink *s)
{
    for (int i = g->start; i < g->end; i++) {
        int32_t c = CH(i);
        if (c == '.')
            i = check_dots(p, g, i, s) - 1;
        else if (c > 0 && c < 0x80 && strchr(",;:?!", (int)c) && chinese_around(p, g, i))
            report_halfwidth(p, i, s);
    }
    check_parens(p, g, s);
}

/* ---- fullwidth-in-latin ------------------------------------------------ */

static bool is_fullwidth_alnum(int32_t c)
{
    return (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
           (c >= 0xFF41 && c <= 0xFF5A);
}

static int fullwidth_run(const struct prose *p, const struct prose_seg *g, int i,
                         struct lint_sink *s)
{
    int j = i;
    char have[64] = "", want[32] = "";
    size_t hn = 0, wn = 0;
    while (j < g->end && is_fullwidth_alnum(CH(j))) {
        if (hn + 4 < sizeof have && wn + 1 < sizeof want) {
            hn += (size_t)utf8_encode(CH(j), have + hn);
            want[wn++] = (char)(CH(j) - 0xFEE0);
        }
        j++;
    }
    have[hn] = want[wn] = '\0';
    char hint[64];
    snprintf(hint, sizeof hint, "write '%s'", want);
    lint_report(s, RULE_FULLWIDTH_IN_LATIN, p->ch[i].off, hint,
                "full-width digits or letters '%s'", have);
    return j;
}

static int digits_from(const struct prose *p, const struct prose_seg *g, int i)
{
    int n = 0;
    while (in_seg(g, i + n) && lint_is_digit(CH(i + n)))
        n++;
    return n;
}

/* "51，730" (a thousands group) or "3，5%" (a decimal comma). */
static void fullwidth_comma(const struct prose *p, const struct prose_seg *g, int i,
                            struct lint_sink *s)
{
    int k = digits_from(p, g, i + 1);
    int after = i + 1 + k;
    bool group = k == 3 && !(in_seg(g, after) && CH(after) == 0xFF0C);
    bool decimal = k >= 1 && in_seg(g, after) && (CH(after) == '%' || CH(after) == 0xFF05);
    int b = i;
    while (in_seg(g, b - 1) && lint_is_digit(CH(b - 1)))
        b--;
    if (in_seg(g, b - 1) && (CH(b - 1) == 0xFF0C || CH(b - 1) == 0x3001))
        return; /* a list of numbers: "1，2，3" */
    char *num = lint_text(p, b, after);
    if (group)
        lint_report(s, RULE_FULLWIDTH_IN_LATIN, p->ch[i].off,
                    "drop the separator or use an ASCII ','",
                    "full-width comma inside the number '%s'", num);
    else if (decimal)
        lint_report(s, RULE_FULLWIDTH_IN_LATIN, p->ch[i].off,
                    "use a decimal point '.' (or '、' between two values)",
                    "full-width comma inside the number '%s'", num);
    free(num);
}

static char ascii_of(int32_t c)
{
    switch (c) {
    case 0xFF0C: return ',';
    case 0xFF0E: return '.';
    case 0x3002: return '.';
    case 0xFF1B: return ';';
    case 0xFF1A: return ':';
    default: return 0;
    }
}

static void latin_mark(const struct prose *p, int i, struct lint_sink *s)
{
    char mark[8], hint[16];
    fmt_cp(mark, CH(i));
    snprintf(hint, sizeof hint, "use '%c'", ascii_of(CH(i)));
    lint_report(s, RULE_FULLWIDTH_IN_LATIN, p->ch[i].off, hint,
                "full-width '%s' inside Latin text", mark);
}

static void fullwidth_in_latin(const struct prose *p, const struct prose_seg *g,
                               struct lint_sink *s)
{
    for (int i = g->start; i < g->end; i++) {
        int32_t c = CH(i);
        if (is_fullwidth_alnum(c)) {
            i = fullwidth_run(p, g, i, s) - 1;
            continue;
        }
        if (!in_seg(g, i - 1) || !in_seg(g, i + 1))
            continue;
        int32_t a = CH(i - 1), b = CH(i + 1);
        if (c == 0xFF0C && lint_is_digit(a) && lint_is_digit(b))
            fullwidth_comma(p, g, i, s);
        else if (c == 0xFF0E && lint_is_digit(a) && lint_is_digit(b))
            lint_report(s, RULE_FULLWIDTH_IN_LATIN, p->ch[i].off, "use '.'",
                        "full-width '．' used as a decimal point");
        else if (ascii_of(c) && lint_is_alpha(a) && lint_is_alpha(b))
            latin_mark(p, i, s);
    }
}

/* ---- spaces ------------------------------------------------------------ */

static bool has_stop(const struct prose *p, const struct prose_seg *g)
{
    for (int i = g->start; i < g->end; i++)
        if (cjk_is_stop(CH(i)) && CH(i) != 0xFF0E)
            return true;
    return false;
}

/* Short lines of short words without sentence punctuation (a speaker line
 * "区长 王志平", a list of names, a table cell) use spaces on purpose. */
static bool spaces_deliberate(const struct prose *p, const struct prose_seg *g)
{
    if (g->kind == PROSE_HEADING || g->end - g->start > 40 || has_stop(p, g))
        return false;
    int word = 0;
    for (int i = g->start; i < g->end; i++) {
        word = lint_is_space(CH(i)) ? 0 : word + 1;
        if (word > 10)
            return false;
    }
    return true;
}

static bool is_numeric(int32_t c)
{
    return lint_is_digit(c) || c == '.' || c == ',' || c == '%' || c == 0x2030;
}

/* The end of the Han word from ch[i] on in direction dir, for the message:
 * two characters before a number (增长), its unit after it (元, 万吨, 以上). */
static int han_word(const struct prose *p, const struct prose_seg *g, int i, int dir)
{
    static const char *const two[] = {"万", "亿", "千", "百", "以", "余", "多", "左", NULL};
    int n = 0, max = 2;
    if (dir > 0 && in_seg(g, i)) {
        char *first = lint_text(p, i, i + 1);
        max = 1;
        for (const char *const *w = two; *w; w++)
            if (!strcmp(first, *w))
                max = 2;
        free(first);
    }
    while (n < max && in_seg(g, i) && cjk_is_han(CH(i)))
        i += dir, n++;
    return i;
}

static void report_number_space(const struct prose *p, int a, int t0, int b, int t1,
                                bool number_first, struct lint_sink *s)
{
    char *left = lint_text(p, t0, a), *right = lint_text(p, b, t1);
    char hint[128];
    snprintf(hint, sizeof hint, "write '%s%s'", left, right);
    if (number_first)
        lint_report(s, RULE_SPACE_NUMBER_UNIT, p->ch[a].off, hint,
                    "space between the number '%s' and '%s'", left, right);
    else
        lint_report(s, RULE_SPACE_NUMBER_UNIT, p->ch[a].off, hint,
                    "space between '%s' and the number '%s'", left, right);
    free(left);
    free(right);
}

/* The spaces ch[a..b) between a number and Han text, either way round. */
static void space_number_unit(const struct prose *p, const struct prose_seg *g, int a, int b,
                              struct lint_sink *s)
{
    int32_t before = CH(a - 1), after = CH(b);
    if (lint_is_digit(before) && (after == '%' || after == 0x2030 || after == 0xFF05) &&
        g->kind != PROSE_CELL) { /* "3.1 %": the typesetter must not have to guess */
        int t0 = a;
        while (in_seg(g, t0 - 1) && is_numeric(CH(t0 - 1)))
            t0--;
        report_number_space(p, a, t0, b, b + 1, true, s);
    } else if ((lint_is_digit(before) || before == '%' || before == 0x2030) && cjk_is_han(after)) {
        int t0 = a;
        while (in_seg(g, t0 - 1) && is_numeric(CH(t0 - 1)))
            t0--;
        if (in_seg(g, t0 - 1) && lint_is_alpha(CH(t0 - 1)))
            return; /* part of a Latin token: "PM2.5 年均" */
        report_number_space(p, a, t0, b, han_word(p, g, b, 1), true, s);
    } else if (cjk_is_han(before) && lint_is_digit(after)) {
        int t1 = b;
        while (in_seg(g, t1) && is_numeric(CH(t1)))
            t1++;
        if ((in_seg(g, t1) && lint_is_alpha(CH(t1))) || CH(t1 - 1) == '.')
            return; /* "采用 5G", "第 1. " */
        report_number_space(p, a, han_word(p, g, a - 1, -1) + 1, b, t1, false, s);
    }
}

static void spaces(const struct prose *p, const struct prose_seg *g, struct lint_sink *s)
{
    bool deliberate = spaces_deliberate(p, g);
    for (int i = g->start + 1; i < g->end; i++) {
        if (!lint_is_space(CH(i)))
            continue;
        int j = i;
        while (j < g->end && lint_is_space(CH(j)))
            j++;
        if (j < g->end) {
            if (lint_chinese_at(p, g, i - 1, -1) && lint_chinese_at(p, g, j, 1)) {
                if (!deliberate)
                    lint_report(s, RULE_SPACE_IN_HAN, p->ch[i].off, "delete the space",
                                "space between Chinese characters");
            } else if (!(p->ch[i - 1].flags & (PC_BREAK | PC_OBJECT)) &&
                       !(p->ch[j].flags & (PC_BREAK | PC_OBJECT))) {
                space_number_unit(p, g, i, j, s);
            }
        }
        i = j;
    }
}

/* ---- straight-quote ---------------------------------------------------- */

static int32_t neighbour(const struct prose *p, const struct prose_seg *g, int i, int dir,
                         int *at)
{
    for (i += dir; in_seg(g, i) && lint_is_space(CH(i)); i += dir)
        ;
    *at = i;
    return in_seg(g, i) ? CH(i) : 0;
}

static void straight_quote(const struct prose *p, const struct prose_seg *g,
                           struct lint_sink *s)
{
    int dq = 0, sq = 0;
    for (int i = g->start; i < g->end; i++) {
        int32_t c = CH(i);
        if (c != '"' && c != '\'')
            continue;
        int pa, na;
        int32_t prev = neighbour(p, g, i, -1, &pa), next = neighbour(p, g, i, 1, &na);
        int *n = c == '"' ? &dq : &sq;
        if (lint_is_digit(in_seg(g, i - 1) ? CH(i - 1) : 0) ||
            (c == '\'' && lint_is_alpha(prev) && lint_is_alpha(next) && pa == i - 1))
            continue; /* 5'30", Xi'an */
        bool chinese = lint_chinese_at(p, g, pa, -1) || lint_chinese_at(p, g, na, 1);
        if (chinese) {
            const char *want = c == '"' ? (*n % 2 ? "”" : "“") : (*n % 2 ? "’" : "‘");
            char hint[32];
            snprintf(hint, sizeof hint, "use '%s'", want);
            lint_report(s, RULE_STRAIGHT_QUOTE, p->ch[i].off, hint,
                        "straight quote %c in Chinese text", (char)c);
        }
        (*n)++;
    }
}

/* ---- doubled-punct ----------------------------------------------------- */

static bool is_pause(int32_t c)
{
    return c == 0xFF0C || c == 0x3002 || c == 0x3001 || c == 0xFF1B || c == 0xFF1A;
}

static int run_of(const struct prose *p, const struct prose_seg *g, int i,
                  bool (*cls)(int32_t))
{
    int j = i;
    while (j < g->end && cls(CH(j)))
        j++;
    return j;
}

static bool is_ask(int32_t c) { return c == 0xFF1F || c == 0xFF01; }

static void doubled_punct(const struct prose *p, const struct prose_seg *g,
                          struct lint_sink *s)
{
    for (int i = g->start; i < g->end; i++) {
        bool pause = is_pause(CH(i));
        if (!pause && !is_ask(CH(i)))
            continue;
        int j = run_of(p, g, i, pause ? is_pause : is_ask);
        char *run = lint_text(p, i, j);
        bool same = true, dots = CH(i) == 0x3002;
        for (int k = i + 1; k < j; k++)
            same = same && CH(k) == CH(i);
        if (pause && same && dots && j - i >= 3)
            lint_report(s, RULE_DOUBLED_PUNCT, p->ch[i].off, "use the ellipsis '……'",
                        "'%s' used as an ellipsis", run);
        else if (pause && j - i >= 2)
            lint_report(s, RULE_DOUBLED_PUNCT, p->ch[i + 1].off,
                        same ? "keep one mark" : "keep the mark that belongs",
                        same ? "punctuation '%s' doubled" : "punctuation marks '%s' in a row",
                        run);
        else if (!pause && j - i >= 3)
            lint_report(s, RULE_DOUBLED_PUNCT, p->ch[i].off, "use one mark (at most two)",
                        "'%s': three or more marks in a row", run);
        free(run);
        i = j - 1;
    }
}

void lint_punct(const struct prose *p, const struct prose_seg *g, struct lint_sink *s)
{
    halfwidth_punct(p, g, s);
    fullwidth_in_latin(p, g, s);
    spaces(p, g, s);
    straight_quote(p, g, s);
    doubled_punct(p, g, s);
}

/* ---- unbalanced-bracket ------------------------------------------------ */

static const int32_t PAIRS[][2] = {
    {0xFF08, 0xFF09}, {0x300A, 0x300B}, {0x201C, 0x201D}, {0x2018, 0x2019},
    {0x3010, 0x3011}, {0x3014, 0x3015}, {0x3008, 0x3009}, {0x300C, 0x300D},
    {0x300E, 0x300F}, {0xFF3B, 0xFF3D}, {0x3016, 0x3017}, {0xFF5B, 0xFF5D},
};
#define NPAIRS ((int)(sizeof PAIRS / sizeof *PAIRS))
#define PAREN 0 /* （）, which the ASCII ( ) may stand in for */

struct opener {
    int pair, at;
    bool ascii;  /* an ASCII '(': tracked, never reported (halfwidth-punct is) */
};

struct bracket_state {
    struct opener *v;
    int n, cap;
    int open[NPAIRS];    /* openers of each pair on the stack, so that a stray
                            closer does not search it: linear on any input */
    int orphans[NPAIRS]; /* openers dropped as mis-nested, awaiting their closer */
};

static int pair_of(int32_t c, int side)
{
    for (int k = 0; k < NPAIRS; k++)
        if (PAIRS[k][side] == c)
            return k;
    return -1;
}

static void push_opener(struct bracket_state *b, int pair, int at, bool ascii)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->v = xreallocarray(b->v, (size_t)b->cap, sizeof *b->v);
    }
    b->v[b->n++] = (struct opener){pair, at, ascii};
    b->open[pair]++;
}

static void pop_to(struct bracket_state *b, int n)
{
    while (b->n > n)
        b->open[b->v[--b->n].pair]--;
}

/* before: the closing mark that came first (mis-nesting), or 0. */
static void report_unclosed(const struct prose *p, const struct opener *o, int32_t before,
                            const char *where, struct lint_sink *s)
{
    char open[8], close[8], other[8], hint[64];
    fmt_cp(open, PAIRS[o->pair][0]);
    fmt_cp(close, PAIRS[o->pair][1]);
    if (before) {
        fmt_cp(other, before);
        snprintf(hint, sizeof hint, "close '%s' with '%s' before '%s'", open, close, other);
        lint_report(s, RULE_UNBALANCED_BRACKET, p->ch[o->at].off, hint,
                    "'%s' is still open at '%s' (mis-nested)", open, other);
    } else {
        snprintf(hint, sizeof hint, "add the closing '%s'", close);
        lint_report(s, RULE_UNBALANCED_BRACKET, p->ch[o->at].off, hint,
                    "'%s' is not closed %s", open, where ? where : "");
    }
}

static void close_bracket(const struct prose *p, struct bracket_state *b, int pair, int i,
                          bool ascii, struct lint_sink *s)
{
    int d = b->n - 1;
    if (ascii) { /* only ever closes the innermost ( or （ */
        if (d >= 0 && b->v[d].pair == PAREN)
            pop_to(b, d);
        return;
    }
    if (b->open[pair] == 0)
        d = -1;
    while (d >= 0 && b->v[d].pair != pair)
        d--;
    if (d < 0) {
        if (b->orphans[pair] > 0) {
            b->orphans[pair]--;
            return;
        }
        if (pair_of(CH(i), 1) == 3 && i > 0 && lint_is_alpha(CH(i - 1)))
            return; /* an apostrophe: Xi’an, people’s */
        char open[8], close[8], hint[48];
        fmt_cp(open, PAIRS[pair][0]);
        fmt_cp(close, PAIRS[pair][1]);
        snprintf(hint, sizeof hint, "add the opening '%s' or delete this one", open);
        lint_report(s, RULE_UNBALANCED_BRACKET, p->ch[i].off, hint,
                    "'%s' has no matching '%s'", close, open);
        return;
    }
    for (int k = b->n - 1; k > d; k--)
        if (!b->v[k].ascii) {
            report_unclosed(p, &b->v[k], CH(i), NULL, s);
            b->orphans[b->v[k].pair]++;
        }
    pop_to(b, d);
}

/* A quotation running over several paragraphs opens each paragraph with
 * “ and closes only the last: an open “ is fine when the next one starts so. */
static bool quote_continues(const struct prose *p, int segi, int pair)
{
    if (pair != 2 && pair != 3)
        return false;
    const struct prose_seg *n = segi + 1 < p->nseg ? &p->seg[segi + 1] : NULL;
    return n && n->kind == PROSE_PARA && n->end > n->start && CH(n->start) == PAIRS[pair][0];
}

void lint_brackets(const struct prose *p, int segi, struct lint_sink *s)
{
    const struct prose_seg *g = &p->seg[segi];
    struct bracket_state b = {0};
    for (int i = g->start; i < g->end; i++) {
        int32_t c = CH(i);
        int k;
        if (c == '(')
            push_opener(&b, PAREN, i, true);
        else if (c == ')')
            close_bracket(p, &b, PAREN, i, true, s);
        else if ((k = pair_of(c, 0)) >= 0)
            push_opener(&b, k, i, false);
        else if ((k = pair_of(c, 1)) >= 0)
            close_bracket(p, &b, k, i, false, s);
    }
    const char *where = g->kind == PROSE_HEADING ? "in this heading"
                        : g->kind == PROSE_CELL  ? "in this table cell"
                                                 : "in this paragraph";
    for (int k = 0; k < b.n; k++)
        if (!b.v[k].ascii && !quote_continues(p, segi, b.v[k].pair))
            report_unclosed(p, &b.v[k], 0, where, s);
    free(b.v);
}
