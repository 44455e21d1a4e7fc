/* Charts (SPEC §3.4): a ```chart block's YAML parsed into a chart model,
 * and the model drawn through a canvas. Geometry depends only on the model
 * and the size, so the PDF and the HTML draw the same chart. */
#ifndef BRIEFING_CHART_H
#define BRIEFING_CHART_H
#include "canvas.h"
#include "diag.h"
#include "indicator.h"
#include "style.h"

#define CHART_MAX_SERIES 6
/* Every Han word the chart code writes itself (titles, notes, units),
 * for fonts cut down to a document's characters. */
#define CHART_WORDS "主要指标一览（前项，共项）单位：资料来源纵轴不从零开始各行按本行较大值缩放合计" \
                    "目标无法计算完成率持平个百分点与对比·"


enum chart_type { CHART_BAR, CHART_COLUMN, CHART_LINE, CHART_PIE, CHART_DONUT, CHART_PROGRESS,
                  CHART_KPI, CHART_COMPARE };

struct chart_row {
    char *label;
    double value[CHART_MAX_SERIES];   /* in the chart's unit */
    char *text[CHART_MAX_SERIES];     /* value as written, for labels and cards; may be NULL */
    bool has[CHART_MAX_SERIES];       /* false: no value for that series */
    char *note;                       /* kpi cards: the comparison line; may be NULL */
    enum { CHANGE_NONE, CHANGE_UNCHANGED, CHANGE_POINTS, CHANGE_PERCENT } change; /* note's ending */
    double delta;                     /* the change, in points or per cent */
};

struct chart {
    enum chart_type type;
    char *title, *unit, *source;      /* unit: the axis unit ("%", "亿元"), may be "" */
    char *series[CHART_MAX_SERIES];   /* series names (periods); nseries >= 1 */
    int nseries;
    struct chart_row *rows;
    int nrows;
    struct rgb colors[8];
    int ncolors;                      /* 0: the template's chart colours */
    double height;                    /* pt; 0: chosen from the content */
    int decimals;                     /* digits after the point in number labels (the most any value has) */
    int line;                         /* line of the block in the report */
};

/* Parses a chart block body (YAML) whose first line is line_offset + 1 of
 * file. References resolve against set. NULL (with errors in d) on failure. */
struct chart *chart_parse(const char *yaml, const char *file, int line_offset,
                          const struct indicators *set, struct diag *d);
/* The key-indicator overview charts built from the annotations: cards of
 * the indicators (kpi), one per id from its first annotation with the
 * other period's value and the change, and a comparison of those with two
 * periods in the commonest unit. only (NULL-terminated ids, from front
 * matter `overview:`) picks and orders them, every one shown; NULL takes
 * the first OVERVIEW_CARDS ids in reading order, leaving out cards one of
 * the document's kpi charts (shown, nshown) has already: a card is not
 * shown twice. Either chart may be NULL when the document has nothing for it. */
struct chart *chart_overview_cards(const struct indicators *set, char *const *only, struct chart *const *shown,
                                   int nshown, const struct style *st);
/* Cards the overview shows without `overview:` (its title says when there are more). */
#define OVERVIEW_CARDS 8
struct chart *chart_overview_compare(const struct indicators *set, char *const *only, const struct style *st);
void chart_free(struct chart *c);
/* The document's 资料来源: front matter `source` (may be NULL), else the
 * one source every chart that names one agrees on; NULL when none. */
const char *chart_document_source(struct chart *const *charts, int n, const char *meta_source);
/* Gives each chart without a source the document's (source may be NULL). */
void chart_fill_source(struct chart *const *charts, int n, const char *source);

/* Height the chart wants at a given width (pt). */
double chart_natural_height(const struct chart *c, double width, const struct style *st);
/* Height to draw it at: its `height:` when given, but never so low that its
 * text would overlap (a pie's legend, a bar's rows, cards), else natural. */
double chart_height(const struct chart *c, double width, const struct style *st);
/* Draws the chart into the box (0, 0, w, h) of the canvas. base is the body
 * text size of the chart's labels; palette from the template. */
void chart_draw(const struct chart *c, const struct canvas *cv, double w, double h,
                const struct style *st);
/* The chart as one <svg> element of class cls with real text; ids never collide. */
void chart_svg(const struct chart *c, double w, double h, const struct style *st,
               const char *font_family, const char *cls, struct buf *out);
/* The width (pt) the HTML preview draws charts at for phones, beside the
 * type-area width it uses on wider screens. */
#define CHART_NARROW_WIDTH 280.0
const char *chart_type_name(enum chart_type t);

#endif
