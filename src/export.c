#include "export.h"
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

static const char *qualifier(const struct ivalue *v) { return *v->prefix ? v->prefix : v->qualifier; }

void export_csv(const struct indicators *set, struct buf *out)
{
    buf_puts(out, "\xEF\xBB\xBF" "id,label,period,value,number,unit,qualifier,section,line,page\r\n");
    for (int i = 0; i < set->n; i++) {
        const struct indicator *ind = &set->items[i];
        const char *text[] = {ind->id, ind->label, ind->period, ind->v.text};
        for (int k = 0; k < 4; k++) {
            csv_field(out, text[k]);
            buf_putc(out, ',');
        }
        buf_printf(out, "%.15g,", ind->v.value);
        csv_field(out, ind->v.unit);
        buf_putc(out, ',');
        csv_field(out, qualifier(&ind->v));
        buf_putc(out, ',');
        csv_field(out, ind->section);
        buf_printf(out, ",%d,%d\r\n", ind->line, ind->page);
    }
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

void export_json(const struct indicators *set, struct buf *out)
{
    buf_puts(out, "[\n");
    for (int i = 0; i < set->n; i++) {
        const struct indicator *ind = &set->items[i];
        buf_puts(out, "  {");
        json_key(out, "id", ind->id, false);
        json_key(out, "label", ind->label, false);
        json_key(out, "period", ind->period, false);
        json_key(out, "value", ind->v.text, false);
        buf_printf(out, "\"number\": %.15g, ", ind->v.value);
        json_key(out, "unit", ind->v.unit, false);
        json_key(out, "magnitude", ind->v.magnitude, false);
        json_key(out, "qualifier", qualifier(&ind->v), false);
        json_key(out, "section", ind->section, false);
        buf_printf(out, "\"line\": %d, \"column\": %d, \"page\": %d}%s\n", ind->line, ind->col,
                   ind->page, i + 1 < set->n ? "," : "");
    }
    buf_puts(out, "]\n");
}
