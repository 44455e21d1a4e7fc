#include "export.h"
#include "xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static void csv_field(struct buf *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        buf_puts(out, s);
        return;
    }
    buf_putc(out, '"');
    for (; *s; s++) {
        if (*s == '"')
            buf_putc(out, '"');
        buf_putc(out, *s);
    }
    buf_putc(out, '"');
}

/* "约…以上": the words before and after the number that qualify it. */
static char *qualifier(const struct ivalue *v)
{
    return xasprintf("%s%s%s", v->prefix, *v->prefix && *v->qualifier ? "…" : "", v->qualifier);
}

/* One row per id and period: for each annotation, the index of the next
 * one with the same id and period (-1 at the last); first[i] is true for
 * the first of each. The same id and period with different values is an
 * error before export, so the first speaks for all. */
static int *occurrence_chains(const struct indicators *set, bool **first)
{
    int *next = xcalloc((size_t)set->n + 1, sizeof *next);
    int *last = xcalloc((size_t)set->n + 1, sizeof *last);
    *first = xcalloc((size_t)set->n + 1, sizeof **first);
    for (int i = 0; i < set->n; i++) {
        const struct indicator *head = indicators_find(set, set->items[i].id, set->items[i].period);
        int h = (int)(head - set->items);
        next[i] = -1;
        if (h == i) {
            (*first)[i] = true;
            last[i] = i;
        } else {
            next[last[h]] = i;
            last[h] = i;
        }
    }
    free(last);
    return next;
}

static void number_or_empty(struct buf *out, double v)
{
    if (!isnan(v))
        buf_printf(out, "%.15g", v);
}

/* The page of annotation i, when the layout gave pages. */
static int page_at(const int *pages, int i) { return pages ? pages[i] : 0; }

void export_csv(const struct indicators *set, const int *pages, struct buf *out)
{
    buf_puts(out, "\xEF\xBB\xBF" "id,label,period,value,number,unit,qualifier,section,line,page,"
                  "number_high,occurrences\r\n");
    bool *first;
    int *next = occurrence_chains(set, &first);
    for (int i = 0; i < set->n; i++) {
        if (!first[i])
            continue;
        const struct indicator *ind = &set->items[i];
        const char *text[] = {ind->id, ind->label, ind->period, ind->v.text};
        for (int k = 0; k < 4; k++) {
            csv_field(out, text[k]);
            buf_putc(out, ',');
        }
        buf_printf(out, "%.15g,", ind->v.value);
        csv_field(out, ind->v.unit);
        buf_putc(out, ',');
        char *q = qualifier(&ind->v);
        csv_field(out, q);
        free(q);
        buf_putc(out, ',');
        csv_field(out, ind->section);
        buf_printf(out, ",%d,%d,", ind->line, page_at(pages, i));
        number_or_empty(out, ind->v.high);
        buf_putc(out, ',');
        for (int k = i; k >= 0; k = next[k]) /* line:page of every annotation, ; between */
            buf_printf(out, "%s%d:%d", k == i ? "" : ";", set->items[k].line, page_at(pages, k));
        buf_puts(out, "\r\n");
    }
    free(next);
    free(first);
}

void json_string(struct buf *out, const char *s)
{
    buf_putc(out, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            buf_printf(out, "\\%c", c);
        else if (c == '\n')
            buf_puts(out, "\\n");
        else if (c == '\t')
            buf_puts(out, "\\t");
        else if (c < 0x20 || c == 0x7F)
            buf_printf(out, "\\u%04x", c);
        else
            buf_putc(out, (char)c);
    }
    buf_putc(out, '"');
}

static void json_key(struct buf *out, const char *key, const char *value, bool last)
{
    buf_printf(out, "\"%s\": ", key);
    json_string(out, value);
    buf_puts(out, last ? "" : ", ");
}

void export_json(const struct indicators *set, const int *pages, struct buf *out)
{
    bool *first;
    int *next = occurrence_chains(set, &first);
    int rows = 0, done = 0;
    for (int i = 0; i < set->n; i++)
        rows += first[i];
    buf_puts(out, "[\n");
    for (int i = 0; i < set->n; i++) {
        if (!first[i])
            continue;
        const struct indicator *ind = &set->items[i];
        buf_puts(out, "  {");
        json_key(out, "id", ind->id, false);
        json_key(out, "label", ind->label, false);
        json_key(out, "period", ind->period, false);
        json_key(out, "value", ind->v.text, false);
        buf_printf(out, "\"number\": %.15g, ", ind->v.value);
        if (!isnan(ind->v.high))
            buf_printf(out, "\"number_high\": %.15g, ", ind->v.high);
        json_key(out, "unit", ind->v.unit, false);
        json_key(out, "magnitude", ind->v.magnitude, false);
        char *q = qualifier(&ind->v);
        json_key(out, "qualifier", q, false);
        free(q);
        json_key(out, "section", ind->section, false);
        buf_printf(out, "\"line\": %d, \"column\": %d, \"page\": %d, \"occurrences\": [", ind->line,
                   ind->col, page_at(pages, i));
        for (int k = i; k >= 0; k = next[k])
            buf_printf(out, "%s{\"line\": %d, \"column\": %d, \"page\": %d}", k == i ? "" : ", ",
                       set->items[k].line, set->items[k].col, page_at(pages, k));
        buf_printf(out, "]}%s\n", ++done < rows ? "," : "");
    }
    buf_puts(out, "]\n");
    free(next);
    free(first);
}
