#include "diag.h"
#include "buf.h"
#include "xalloc.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct diag *diag_new(void) { return xcalloc(1, sizeof(struct diag)); }

void diag_free(struct diag *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->count; i++) {
        free(d->items[i].file);
        free(d->items[i].rule);
        free(d->items[i].msg);
        free(d->items[i].hint);
    }
    free(d->items);
    free(d);
}

static void push(struct diag *d, struct diag_item it)
{
    if (d->count == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 8;
        d->items = xreallocarray(d->items, (size_t)d->cap, sizeof *d->items);
    }
    d->items[d->count++] = it;
    if (it.level == DIAG_ERROR)
        d->errors++;
    else if (it.level == DIAG_WARNING)
        d->warnings++;
}

static void vadd(struct diag *d, enum diag_level level, const char *file, int line, int col,
                 const char *rule, const char *fmt, va_list ap)
{
    struct buf b = {0};
    buf_vprintf(&b, fmt, ap);
    struct diag_item it = {.level = level,
                           .file = file ? xstrdup(file) : NULL,
                           .line = line,
                           .col = col,
                           .rule = rule ? xstrdup(rule) : NULL,
                           .msg = buf_detach(&b)};
    push(d, it);
}

void diag_add(struct diag *d, enum diag_level level, const char *file, int line, int col,
              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vadd(d, level, file, line, col, NULL, fmt, ap);
    va_end(ap);
}

void diag_add_rule(struct diag *d, enum diag_level level, const char *file, int line,
                   int col, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vadd(d, level, file, line, col, rule, fmt, ap);
    va_end(ap);
}

void diag_set_hint(struct diag *d, const char *hint)
{
    if (d->count == 0 || !hint)
        return;
    free(d->items[d->count - 1].hint);
    d->items[d->count - 1].hint = xstrdup(hint);
}

void diag_move(struct diag *dst, struct diag *src)
{
    for (int i = 0; i < src->count; i++)
        push(dst, src->items[i]);
    free(src->items);
    src->items = NULL;
    src->count = src->cap = src->errors = src->warnings = 0;
}

bool diag_has_errors(const struct diag *d) { return d->errors > 0; }

static const char *level_name(enum diag_level l)
{
    return l == DIAG_ERROR ? "error" : l == DIAG_WARNING ? "warning" : "note";
}

void diag_print_level(const struct diag *d, enum diag_level least, FILE *f)
{
    for (int i = 0; i < d->count; i++) {
        const struct diag_item *it = &d->items[i];
        if (it->level < least)
            continue;
        if (it->file && it->line > 0)
            fprintf(f, "%s:%d:%d: ", it->file, it->line, it->col > 0 ? it->col : 1);
        else if (it->file)
            fprintf(f, "%s: ", it->file);
        else
            fputs("briefing: ", f);
        if (it->rule)
            fprintf(f, "%s[%s]: %s", level_name(it->level), it->rule, it->msg);
        else
            fprintf(f, "%s: %s", level_name(it->level), it->msg);
        if (it->hint)
            fprintf(f, " (suggestion: %s)", it->hint);
        fputc('\n', f);
    }
}

void diag_print(const struct diag *d, FILE *f) { diag_print_level(d, DIAG_NOTE, f); }
