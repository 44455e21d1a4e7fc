/* Key indicators (SPEC §3.3): links with a kpi: destination,
 * `[5.5亿元](kpi:subsidy@2024 "中央补贴资金")`. The value reads exactly as
 * written; here it is also taken apart into qualifier, number, magnitude
 * and unit. */
#ifndef BRIEFING_INDICATOR_H
#define BRIEFING_INDICATOR_H
#include "diag.h"
#include <cmark-gfm.h>
#include <stdbool.h>

struct ivalue {
    char *text;       /* as written: "约5.5亿元以上" */
    char *prefix;     /* 约 超过 超 不少于 不低于 不超过 近 逾, or "" */
    double number;    /* the number as written: 5.5 */
    double value;     /* with the magnitude applied: 550000000; a range's lower end;
                       * a ratio's quotient (2.50:1 is 2.5, unit ":1") */
    double high;      /* a range's upper end (4.5%—5%: 5), or NAN */
    int decimals;     /* digits after the decimal point as written */
    char *magnitude;  /* 万 亿 千 百 万亿 千万 百万, or "" */
    char *unit;       /* 元 % 人 微克/立方米 …, or "" */
    char *qualifier;  /* 左右 以上 以下 以内, or 多 余 (6600多万: more than), or "" */
};

/* Parses a value; on failure returns false and a reason in *why (static). */
bool ivalue_parse(const char *text, struct ivalue *out, const char **why);
void ivalue_free(struct ivalue *v);
/* The unit with its magnitude, as a chart axis shows it: "亿元", "%". */
char *ivalue_unit_label(const struct ivalue *v);

struct indicator {
    char *id, *period;  /* period may be "" */
    char *label;        /* from the title, an earlier occurrence or front matter; never NULL */
    struct ivalue v;
    char *section;      /* heading path: "一、2024年工作回顾 › （一）产业焕新见行见效", from the model */
    int line, col;      /* of the '[' in the source */
    int better;         /* +1 higher is better, -1 lower is better, 0 unknown */
};

struct indicator_index;
struct indicators {
    struct indicator *items; /* every annotation, in reading order */
    int n;
    cmark_node **nodes;      /* the link node of each item */
    struct indicator_index *index; /* for indicators_find; NULL: it searches */
};

struct meta;
/* Collects every kpi: link of the tree (with its link node), checks values
 * and conflicts. Errors go to d with the
 * file's line and column. src is the original text (for columns). */
struct indicators *indicators_collect(cmark_node *root, const char *src, const char *file,
                                      const struct meta *m, struct diag *d);
void indicators_free(struct indicators *set);
/* Indexes a set whose items are final for indicators_find (a view made
 * of another set's items too); indicators_collect's sets come indexed. */
void indicators_index(struct indicators *set);
/* Frees the index alone: a view's items belong to the set it shows. */
void indicators_unindex(struct indicators *set);
/* The first indicator with this id and period (period NULL: any). */
const struct indicator *indicators_find(const struct indicators *set, const char *id,
                                        const char *period);
/* An id of the set one or two edits away from id (a likely typo), or NULL. */
const char *indicators_nearest_id(const struct indicators *set, const char *id);
/* Does this URL use the kpi: scheme? */
bool indicator_is_link(const char *url);

#endif
