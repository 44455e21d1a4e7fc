/* Chart geometry on awkward data, read from the recording canvas: bars
 * from zero, tight line ranges that say so, per-row scales for mixed
 * magnitudes, progress past 100 %, distinct pie colours, no overlapping
 * labels, bad data reported with its line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "buf.h"
#include "canvas.h"
#include "chart.h"
#include "doc.h"
#include "style.h"
#include "wordbreak.h"
#include "xalloc.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct drawn {
    struct style *st;
    struct diag *d;
    struct buf out;
};

/* Parses yaml as a chart block at line 10 and records it drawn w pt wide. */
static void draw(struct drawn *dr, const char *template, const char *yaml, double w)
{
    dr->d = diag_new();
    dr->st = style_load(template, dr->d);
    struct chart *c = chart_parse(yaml, "t.md", 10, NULL, dr->d);
    assert_non_null(c);
    memset(&dr->out, 0, sizeof dr->out);
    struct canvas_record *rec = canvas_record_new(&dr->out);
    struct canvas cv = canvas_record(rec);
    chart_draw(c, &cv, w, chart_natural_height(c, w, dr->st), dr->st);
    canvas_record_free(rec);
    chart_free(c);
}

static void drawn_free(struct drawn *dr)
{
    buf_free(&dr->out);
    style_free(dr->st);
    diag_free(dr->d);
}

/* The recorded operations of one kind, as lines. */
static int ops(const struct drawn *dr, const char *kind, char lines[][256], int max)
{
    int n = 0;
    for (const char *s = dr->out.data; s && *s && n < max;) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (!strncmp(s, kind, strlen(kind)) && s[strlen(kind)] == ' ')
            snprintf(lines[n++], 256, "%.*s", (int)len, s);
        s += len + (e ? 1 : 0);
    }
    return n;
}

static char L[400][256];

/* Every bar of an all-positive bar chart starts at the axis line. */
static void bars_from_zero(void **state)
{
    (void)state;
    for (int t = 0; t < 3; t++) {
        const char *tpl[] = {"gongwen", "briefing", "report"};
        struct drawn dr;
        draw(&dr, tpl[t], "type: bar\nunit: \"%\"\ndata: [[甲, 5.0], [乙, 7.2], [丙, 3.1]]\n", 400);
        double axis = -1, x, y, w, h;
        int n = ops(&dr, "line", L, 400);
        assert_true(n >= 1);
        assert_int_equal(sscanf(L[0], "line %lf", &axis), 1);
        n = ops(&dr, "rect", L, 400);
        assert_int_equal(n, 3);
        double longest = 0;
        for (int i = 0; i < n; i++) {
            assert_int_equal(sscanf(L[i], "rect %lf %lf %lf %lf", &x, &y, &w, &h), 4);
            assert_true(fabs(x - axis) < 0.11);
            longest = fmax(longest, w);
        }
        /* the axis is the plot's left end: the largest value takes the plot's width */
        assert_true(longest > (400 - axis) * 0.8);
        drawn_free(&dr);
    }
}

/* A column chart of positive values has no axis step below zero (the
 * example's growth rates ran -2…8). */
static void columns_from_zero(void **state)
{
    (void)state;
    struct drawn dr;
    draw(&dr, "briefing", "type: column\nunit: \"%\"\ndata: [[甲, 5.0], [乙, 7.2], [丙, 3.1], [丁, 6.4]]\n", 440);
    int n = ops(&dr, "text", L, 400);
    bool zero = false;
    for (int i = 0; i < n; i++) {
        const char *t = strchr(L[i], '|') + 1;
        assert_false(t[0] == '-');
        zero |= !strncmp(t, "0|", 2);
    }
    assert_true(zero);
    drawn_free(&dr);
}

/* 98.1–99.4 % spreads over the plot, and the chart says the axis does not
 * start at zero; a column chart of the same values still starts at zero. */
static void tight_line(void **state)
{
    (void)state;
    const char *data = "unit: \"%\"\ndata: [[2019, 98.1], [2020, 98.6], [2021, 99.4], [2022, 98.9]]\n";
    char *yaml = xasprintf("type: line\n%s", data);
    struct drawn dr;
    draw(&dr, "report", yaml, 400);
    assert_non_null(strstr(dr.out.data, "纵轴不从零开始"));
    assert_int_equal(ops(&dr, "polyline", L, 10), 1);
    double ys[4];
    char *p = strchr(L[0], ' ') + 1;
    p = strchr(p, ' ') + 1;
    for (int i = 0; i < 4; i++) {
        double x;
        assert_int_equal(sscanf(p, "%lf,%lf", &x, &ys[i]), 2);
        p = strchr(p, ' ') ? strchr(p, ' ') + 1 : p;
    }
    assert_true(ys[0] - ys[2] > 60); /* 98.1 and 99.4 far apart, not a flat line */
    assert_null(strstr(dr.out.data, "|0|"));
    drawn_free(&dr);
    free(yaml);
    yaml = xasprintf("type: column\n%s", data);
    draw(&dr, "report", yaml, 400);
    assert_null(strstr(dr.out.data, "纵轴不从零开始"));
    assert_non_null(strstr(dr.out.data, "|0|"));
    drawn_free(&dr);
    free(yaml);
}

/* Percent shares print one % sign; ten slices get ten colours and ten
 * legend lines that do not overlap. */
static void pie_ten_slices(void **state)
{
    (void)state;
    struct drawn dr;
    draw(&dr, "gongwen",
         "type: pie\ntitle: 十个扇区\nunit: \"%\"\ndata: [[制造业, 18.2], [批发零售, 14.1], [建筑业, 12.0], [金融业, 11.3], "
         "[房地产, 9.8], [交通运输, 9.1], [信息服务, 8.4], [住宿餐饮, 6.5], [教育卫生, 5.8], [其他行业, 4.8]]\n",
         440);
    assert_null(strstr(dr.out.data, "%%"));
    assert_non_null(strstr(dr.out.data, "18.2%"));
    int n = ops(&dr, "sector", L, 400);
    assert_int_equal(n, 10);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            assert_string_not_equal(strrchr(L[i], '#'), strrchr(L[j], '#'));
    assert_non_null(strstr(dr.out.data, "|12.0%|"));
    n = ops(&dr, "text", L, 400);
    double prev = -1, prev_x = -1;
    for (int i = 0; i < n; i++) {
        double x, y, size;
        assert_int_equal(sscanf(L[i], "text %lf %lf %lf", &x, &y, &size), 3);
        assert_true(size >= 14 - 2 - 1e-9); /* the 公文 caption is 14 pt */
        if (strstr(L[i], "start |") && strchr(L[i], '%')) {
            /* legend values one under the other, a line apart, in each legend column */
            assert_true(prev < 0 || x != prev_x || y - prev >= size * 1.1);
            prev = y, prev_x = x;
        }
    }
    drawn_free(&dr);
}

/* 30 points: labels thin out, none below caption - 2, none overlapping. */
static void thirty_points(void **state)
{
    (void)state;
    struct buf yaml = {0};
    buf_puts(&yaml, "type: line\nunit: \"%\"\ndata: [");
    for (int i = 0; i < 30; i++)
        buf_printf(&yaml, "%s[%d月%d日, %.2f]", i ? ", " : "", 1 + i / 3, 1 + (i % 3) * 10, 98.1 + i * 0.04);
    buf_puts(&yaml, "]\n");
    struct drawn dr;
    draw(&dr, "briefing", yaml.data, 440);
    int n = ops(&dr, "text", L, 400);
    int dates = 0;
    struct {
        double x0, y0, x1, y1;
    } box[400];
    for (int i = 0; i < n; i++) {
        double x, y, size;
        char anchor[16];
        assert_int_equal(sscanf(L[i], "text %lf %lf %lf %15s", &x, &y, &size, anchor), 4);
        assert_true(size >= 12 - 2 - 1e-9);
        const char *t = strchr(L[i], '|') + 1;
        dates += strstr(t, "月") != NULL;
        int chars = 0;
        for (const char *c = t; *c && *c != '|'; c++)
            chars += ((unsigned char)*c & 0xC0) != 0x80;
        double w = chars * size * 0.55; /* a lower bound: every character at least this wide */
        double x0 = !strcmp(anchor, "middle") ? x - w / 2 : !strcmp(anchor, "end") ? x - w : x;
        box[i].x0 = x0, box[i].x1 = x0 + w, box[i].y0 = y - size * 0.8, box[i].y1 = y + size * 0.1;
        for (int j = 0; j < i; j++)
            assert_false(box[i].x0 < box[j].x1 && box[j].x0 < box[i].x1 && box[i].y0 < box[j].y1 &&
                         box[j].y0 < box[i].y1);
    }
    assert_true(dates >= 3 && dates < 30); /* thinned out, but there */
    drawn_free(&dr);
    buf_free(&yaml);
}

/* compare 18 and 4200: each row on its own scale, so the longer bar of each
 * row has the same length; progress 105 % and 217 % differ visibly. */
static void mixed_magnitudes_and_progress(void **state)
{
    (void)state;
    struct drawn dr;
    draw(&dr, "report", "type: compare\nseries: [2024, 2025目标]\ndata: [[预算收入, 18, 19], [零售总额, 4200, 4400]]\n", 440);
    assert_non_null(strstr(dr.out.data, "各行按本行较大值缩放"));
    int n = ops(&dr, "rect", L, 400);
    double widths[8];
    int nb = 0;
    for (int i = 0; i < n && nb < 8; i++) {
        double x, y, w, h;
        sscanf(L[i], "rect %lf %lf %lf %lf", &x, &y, &w, &h);
        if (w > 20)
            widths[nb++] = w;
    }
    assert_true(nb >= 4);
    assert_true(fabs(widths[1] - widths[3]) < 0.5); /* 19 and 4400, each its row's larger value */
    assert_true(widths[0] > widths[1] * 0.9);      /* 18 is not a sliver next to 19 */
    drawn_free(&dr);
    draw(&dr, "report", "type: progress\nunit: 家\ndata: [[甲, 105, 100], [乙, 217, 100]]\n", 440);
    assert_non_null(strstr(dr.out.data, "（105%）"));
    assert_non_null(strstr(dr.out.data, "（217%）"));
    double ends[2] = {0, 0};
    int row = -1;
    for (const char *s = dr.out.data; s && *s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : "") {
        double x, y, w, h;
        if (!strncmp(s, "text", 4) && strstr(s, " start |") && strstr(s, " start |") < strchr(s, '\n'))
            row++;
        else if (sscanf(s, "rect %lf %lf %lf %lf", &x, &y, &w, &h) == 4 && row >= 0 && row < 2 && w > 2)
            ends[row] = fmax(ends[row], x + w);
    }
    assert_int_equal(row, 1);
    assert_true(ends[1] > ends[0] * 1.5); /* 217 % runs on well past 105 % */
    drawn_free(&dr);
}

/* Bad data is drawn with a warning on its line. */
static void bad_data_warnings(void **state)
{
    (void)state;
    struct {
        const char *yaml, *says;
        int line;
    } cases[] = {
        {"type: pie\ndata: [[甲, 10], [乙, -3]]\n", "slice '乙' is negative", 12},
        {"type: donut\ndata: [[甲, 0], [乙, 0]]\n", "every slice is zero", 12},
        {"type: progress\ndata: [[甲, 5, 0]]\n", "target of 0", 12},
        {"type: column\nseries: [2024]\ndata: [[甲, 1, 2]]\n", "2 values but 1 series name", 13},
        {"type: pie\nunit: \"%\"\ndata: [[甲, 30], [乙, 20]]\n", "shares add up to 50%", 13},
        {"type: bar\ndata: [[甲, 0], [乙, 0]]\n", "every value is zero", 12},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct drawn dr;
        draw(&dr, "report", cases[i].yaml, 400);
        assert_int_equal(dr.d->errors, 0);
        bool found = false;
        for (int k = 0; k < dr.d->count; k++)
            if (strstr(dr.d->items[k].msg, cases[i].says)) {
                found = true;
                assert_int_equal(dr.d->items[k].line, cases[i].line);
                assert_int_equal(dr.d->items[k].level, DIAG_WARNING);
            }
        if (!found)
            fail_msg("no warning '%s'", cases[i].says);
        drawn_free(&dr);
    }
}

/* Labels break between words: 零售, 增加值 and 养老 stay whole. */
static void word_boundaries(void **state)
{
    (void)state;
    const char *s = "社会消费品零售总额";
    int n;
    size_t *at = wordbreak_offsets(s, &n);
    assert_true(n >= 2);
    for (int i = 0; i < n; i++) {
        assert_false(!strncmp(s + at[i], "售", 3)); /* never 零|售 */
    }
    free(at);
    const char *labels[] = {"社会消费品零售总额", "规模以上工业增加值", "城乡居民基本养老保险", "一般公共预算收入",
                            "固定资产投资", "进出口总额", "居民人均可支配收入"};
    struct drawn dr;
    draw(&dr, "briefing",
         "type: column\ndata: [[社会消费品零售总额, 1], [规模以上工业增加值, 2], [城乡居民基本养老保险, 3], "
         "[一般公共预算收入, 4], [固定资产投资, 5], [进出口总额, 6], [居民人均可支配收入, 7]]\n",
         700);
    int wrapped = 0;
    n = ops(&dr, "text", L, 400);
    for (size_t k = 0; k < sizeof labels / sizeof *labels; k++) {
        int nb;
        size_t *b = wordbreak_offsets(labels[k], &nb);
        for (int i = 0; i < n; i++) {
            const char *t = strchr(L[i], '|') + 1;
            size_t len = strlen(t) - 1; /* the first line of a wrapped label ends at a word boundary */
            if (len < strlen(labels[k]) && !strncmp(t, labels[k], len)) {
                bool boundary = false;
                for (int j = 0; j < nb; j++)
                    boundary |= b[j] == len;
                assert_true(boundary);
                wrapped++;
            }
        }
        free(b);
    }
    assert_true(wrapped >= 3);
    drawn_free(&dr);
}

/* The overview compare chart carries the document's 资料来源. */
static void overview_source(void **state)
{
    (void)state;
    struct diag *d = diag_new();
    const char *md = "甲[18亿元](kpi:a@2024 \"收入\")，目标[19亿元](kpi:a@2025目标)。\n\n"
                     "```chart\ntype: bar\ndata: [a@2024]\nsource: 某区统计公报\n```\n";
    struct doc *doc = doc_parse("t.md", md, strlen(md), d);
    struct chart *c = chart_overview_compare(doc->indicators, NULL, NULL);
    assert_non_null(c);
    chart_fill_source(&c, 1, chart_document_source(doc->charts, doc->ncharts, doc->meta.source));
    assert_string_equal(c->source, "某区统计公报");
    chart_free(c);
    doc_free(doc);
    /* front matter source: every chart that names none */
    const char *fm = "---\nsource: 区统计局\n---\n\n```chart\ntype: bar\ndata: [[甲, 1]]\n```\n\n"
                     "```chart\ntype: bar\nsource: 别处\ndata: [[乙, 2]]\n```\n";
    doc = doc_parse("t.md", fm, strlen(fm), d);
    assert_int_equal(doc->ncharts, 2);
    assert_string_equal(doc->charts[0]->source, "区统计局");
    assert_string_equal(doc->charts[1]->source, "别处");
    doc_free(doc);
    diag_free(d);
}

static bool has_row(const struct chart *c, const char *label)
{
    for (int i = 0; c && i < c->nrows; i++)
        if (!strcmp(c->rows[i].label, label))
            return true;
    return false;
}

/* The overview: every listed id (a target-only one too), else the first 8
 * ids with the title saying so; the change against the other period; no
 * card the document's own kpi chart shows. */
static void overview_cards(void **state)
{
    (void)state;
    struct diag *d = diag_new();
    struct buf md = {0};
    for (int i = 0; i < 10; i++)
        buf_printf(&md, "指标%d为[%d家](kpi:k%d@2024 \"指标%d\")。\n", i, i + 1, i, i);
    buf_puts(&md, "增长[5.2%](kpi:gdp@2024 \"增速\")，目标[5.5%](kpi:gdp@2025目标)；"
                  "目标[300家](kpi:only-target@2025目标 \"只有目标\")。\n");
    struct doc *doc = doc_parse("t.md", md.data, md.len, d);
    struct chart *c = chart_overview_cards(doc->indicators, NULL, NULL, 0, NULL);
    assert_int_equal(c->nrows, OVERVIEW_CARDS);
    assert_non_null(strstr(c->title, "前8项，共12项"));
    chart_free(c);
    char *only[] = {"only-target", "gdp", NULL};
    c = chart_overview_cards(doc->indicators, only, NULL, 0, NULL);
    assert_int_equal(c->nrows, 2);
    assert_true(has_row(c, "只有目标") && has_row(c, "增速"));
    assert_string_equal(c->title, "主要指标一览");
    assert_non_null(strstr(c->rows[1].note, "2025目标 5.5%"));
    assert_int_equal(c->rows[1].change, CHANGE_POINTS);
    assert_float_equal(c->rows[1].delta, 0.3, 1e-9);
    chart_free(c);
    /* a wrapped note breaks between its parts, not inside "5.5%，+0.3个百分点" */
    c = chart_parse("type: kpi\ndata: [gdp@2024]\n", "t.md", 40, doc->indicators, d);
    struct style *rs = style_load("report", d);
    struct buf rec_out = {0};
    struct canvas_record *cr = canvas_record_new(&rec_out);
    struct canvas ccv = canvas_record(cr);
    chart_draw(c, &ccv, 110, chart_natural_height(c, 110, rs), rs);
    assert_null(strstr(rec_out.data, "5.|"));
    assert_null(strstr(rec_out.data, "|5%"));
    assert_null(strstr(rec_out.data, "|%"));
    canvas_record_free(cr);
    buf_free(&rec_out);
    style_free(rs);
    chart_free(c);
    struct chart *body = chart_parse("type: kpi\ndata: [k0@2024, k1@2024]\n", "t.md", 20, doc->indicators, d);
    c = chart_overview_cards(doc->indicators, NULL, &body, 1, NULL);
    assert_false(has_row(c, "指标0") || has_row(c, "指标1"));
    assert_true(has_row(c, "指标2") && has_row(c, "指标9"));
    chart_free(c);
    chart_free(body);
    /* a row of cards sets its values at one size: the longest one's */
    body = chart_parse("type: kpi\ndata: [[甲, 5%], [乙, \"4,200亿元以上\"], [丙, 7], [丁, 12.5%]]\n", "t.md", 30,
                       doc->indicators, d);
    assert_non_null(body);
    struct buf out = {0};
    struct canvas_record *rec = canvas_record_new(&out);
    struct canvas cv = canvas_record(rec);
    struct style *st = style_load("report", d);
    chart_draw(body, &cv, 440, chart_natural_height(body, 440, st), st);
    double sizes[4];
    int nv = 0;
    for (const char *q = out.data; (q = strstr(q, " bold start |")) && nv < 4; q++) {
        const char *line = q;
        while (line > out.data && line[-1] != '\n')
            line--;
        double x, y;
        sscanf(line, "text %lf %lf %lf", &x, &y, &sizes[nv++]);
    }
    assert_int_equal(nv, 4);
    for (int i = 1; i < 4; i++)
        assert_true(fabs(sizes[i] - sizes[0]) < 1e-6);
    canvas_record_free(rec);
    buf_free(&out);
    style_free(st);
    chart_free(body);
    doc_free(doc);
    buf_free(&md);
    diag_free(d);
}

/* Every word a chart adds comes from the template's labels: the unit and
 * source lines, a card's change, a progress goal, the overview's titles. */
static void chart_labels(void **state)
{
    (void)state;
    struct diag *d = diag_new();
    const char *tpl = "extends: report\nlabels: {chart_unit: \"Unit: {unit}\", chart_source: \"Source: {source}\", "
                      "points: \" pts\", chart_target: \"goal\", overview_title: \"Key figures\", "
                      "overview_part: \" ({shown} of {total})\", compare_title: \"{a} vs {b}\"}\n";
    struct style *st = style_parse_text(tpl, strlen(tpl), "t.yaml", d);
    assert_non_null(st);
    struct buf md = {0};
    for (int i = 0; i < 9; i++)
        buf_printf(&md, "指标%d为[%d家](kpi:k%d@2024 \"指标%d\")。\n", i, i + 1, i, i);
    buf_puts(&md, "增长[5.2%](kpi:gdp@2024 \"增速\")，目标[5.5%](kpi:gdp@2025目标)。\n\n"
                  "```chart\ntype: progress\nunit: 家\nsource: 统计局\ndata: [[甲, 5, 10]]\n```\n\n"
                  "```chart\ntype: kpi\ndata: [gdp@2024]\n```\n\n"
                  "```chart\ntype: bar\nunit: 亿元\ndata: [[甲, 5], [乙, 7]]\n```\n");
    struct doc *doc = doc_parse("t.md", md.data, md.len, d);
    assert_false(diag_has_errors(d));
    struct chart *cards = chart_overview_cards(doc->indicators, NULL, NULL, 0, st);
    assert_string_equal(cards->title, "Key figures (8 of 10)");
    struct chart *cmp = chart_overview_compare(doc->indicators, NULL, st);
    assert_string_equal(cmp->title, "2024 vs 2025目标");
    struct buf out = {0};
    for (int i = 0; i < doc->ncharts; i++) {
        struct buf one = {0};
        struct canvas_record *rec = canvas_record_new(&one);
        struct canvas cv = canvas_record(rec);
        chart_draw(doc->charts[i], &cv, 400, chart_natural_height(doc->charts[i], 400, st), st);
        canvas_record_free(rec);
        buf_puts(&out, one.data);
        buf_free(&one);
    }
    assert_non_null(strstr(out.data, "Unit: 亿元"));
    assert_non_null(strstr(out.data, "Source: 统计局"));
    assert_non_null(strstr(out.data, "goal"));
    assert_non_null(strstr(out.data, "+0.3 pts"));
    assert_null(strstr(out.data, "单位"));
    assert_null(strstr(out.data, "资料来源"));
    assert_null(strstr(out.data, "目标 10"));
    buf_free(&out);
    chart_free(cards);
    chart_free(cmp);
    doc_free(doc);
    buf_free(&md);
    style_free(st);
    /* a mistyped label and an unknown field are errors with a hint */
    const char *bad = "labels:\n  chart_sorce: x\n  compare_title: \"{a}与{c}\"\n";
    assert_null(style_parse_text(bad, strlen(bad), "t.yaml", d));
    int found = 0;
    for (int i = 0; i < d->count; i++)
        found += d->items[i].line == 2 && strstr(d->items[i].msg, "did you mean 'chart_source'") != NULL;
    for (int i = 0; i < d->count; i++)
        found += d->items[i].line == 3 && strstr(d->items[i].msg, "{a}{b}") != NULL;
    assert_int_equal(found, 2);
    diag_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bars_from_zero),
        cmocka_unit_test(columns_from_zero),
        cmocka_unit_test(tight_line),
        cmocka_unit_test(pie_ten_slices),
        cmocka_unit_test(thirty_points),
        cmocka_unit_test(mixed_magnitudes_and_progress),
        cmocka_unit_test(bad_data_warnings),
        cmocka_unit_test(word_boundaries),
        cmocka_unit_test(overview_source),
        cmocka_unit_test(overview_cards),
        cmocka_unit_test(chart_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
