/* Figures worth annotating in imported text: a value with its unit and the
 * phrase it measures (地区生产总值增长5.2%, 城镇新增就业1244万人), given a
 * readable indicator id from templates/indicator-names.tsv or a pinyin slug of
 * the label. Dates, ordinals and article numbers are never taken. */
#ifndef BRIEFING_IMPORT_KPI_H
#define BRIEFING_IMPORT_KPI_H
#include <stddef.h>

struct kpi_span {
    size_t start, end; /* text[start..end) is the value as written */
    char *id, *label;
};

struct import_kpi;

struct import_kpi *import_kpi_new(void);
void import_kpi_free(struct import_kpi *k);
/* The figures in one paragraph of a section whose period is given ("2023",
 * "2024目标"), in text order; returns their count, *spans (caller frees with
 * import_kpi_spans_free). One id and period never get two values. */
int import_kpi_find(struct import_kpi *k, const char *text, const char *period,
                    struct kpi_span **spans);
void import_kpi_spans_free(struct kpi_span *spans, int n);

#endif
