/* Fuzz target: a ```chart block's YAML (SPEC §3.4), resolved against a
 * fixed set of indicators, measured and drawn on the recording and SVG
 * canvases. */
#include "chart.h"
#include "doc.h"
#include "style.h"
#include "xalloc.h"
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Indicators that seeds and mutations can refer to: two periods, several
 * units and magnitudes. */
static const char REPORT[] =
    "# 一、工作回顾\n\n"
    "增长[5%](kpi:gdp@2024 \"地区生产总值增速\")，目标[5%左右](kpi:gdp@2025)，"
    "收入[51,730元](kpi:income@2024 \"居民人均可支配收入\")，"
    "投资[285亿元](kpi:invest@2024 \"固定资产投资\")、[300亿元](kpi:invest@2025)，"
    "新增[2万户](kpi:firms@2024 \"新增市场主体\")，PM2.5[38微克/立方米](kpi:pm25@2024 \"PM2.5\")，"
    "下降[-3.2%](kpi:energy@2024 \"单位能耗\")，[约1.5万亿元](kpi:gdp-total \"生产总值\")。\n";

static struct doc *doc;
static struct style *style;

static void setup(void)
{
    struct diag *d = diag_new();
    doc = doc_parse("fixture.md", REPORT, sizeof REPORT - 1, d);
    style = style_load("briefing", d);
    if (!doc || !style || diag_has_errors(d)) {
        diag_print(d, stderr);
        abort();
    }
    diag_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!doc)
        setup();
    char *yaml = xstrndup((const char *)data, size);
    struct diag *d = diag_new();
    struct chart *c = chart_parse(yaml, "fuzz.md", 10, doc->indicators, d);
    if (c) {
        double w = 400 + (double)(size % 7) * 30;
        double h = chart_height(c, w, style);
        struct buf rec = {0}, svg = {0};
        struct canvas_record *cr = canvas_record_new(&rec);
        struct canvas cv = canvas_record(cr);
        chart_draw(c, &cv, w, h, style);
        canvas_record_free(cr);
        chart_svg(c, w, h, style, "Noto Sans CJK SC", "chart", &svg);
        buf_free(&rec);
        buf_free(&svg);
        chart_free(c);
    }
    diag_free(d);
    free(yaml);
    return 0;
}
