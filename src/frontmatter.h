/* The YAML front matter block of a report (SPEC §3.1). */
#ifndef BRIEFING_FRONTMATTER_H
#define BRIEFING_FRONTMATTER_H
#include "diag.h"
#include <stdbool.h>
#include <stddef.h>

struct date {
    int year, month, day; /* 0 when absent */
};

struct meta_indicator {
    char *id, *label, *unit;
    int better;              /* +1 up, -1 down, 0 not given */
};

struct meta {
    char *title, *subtitle, *issuer, *doc_number, *issue, *author, *template_name;
    char *classification, *urgency, *recipients, *printer, *copies, *note, *lang;
    char *annotation;        /* 附注 (GB/T 9704 §7.3.6), e.g. 此件公开发布 */
    char *keywords;          /* joined with "、" */
    char *source;            /* 资料来源 of the charts that name none */
    char *bao, *song, *fa;   /* 简报 报尾: 报 (上级), 送 (同级), 发 (下级) */
    char **cc;               /* NULL-terminated list */
    char **overview;         /* indicator ids the overview shows; NULL: every one */
    int overview_line;
    struct date date, print_date;
    int duplex;              /* -1 unset, 0 or 1 */
    int template_line;       /* line of the `template:` key, for diagnostics */
    struct meta_indicator *indicators; /* front matter `indicators:` */
    int nindicators;
};

/* Length in bytes of the front matter block at the start of text, fences
 * included (0 when there is none); the YAML inside is text[*yaml_start ..
 * *yaml_start + *yaml_len). Sets *bad when a block is opened but never closed. */
size_t frontmatter_span(const char *text, size_t len, size_t *yaml_start, size_t *yaml_len,
                        bool *bad);
/* Parses the block's YAML (the text between the --- lines, starting on line
 * 2 of file) into meta. Unknown keys are warnings; bad values errors. */
bool frontmatter_parse(struct meta *m, const char *yaml, size_t len, const char *file,
                       struct diag *d);
void meta_free(struct meta *m);
/* The 简报 报尾 lines, in order 报, 送, 发: which of them (0 报, 1 送, 2 发;
 * the template labels them) and the names (fresh strings, the caller
 * frees them). Without bao/song/fa, recipients (主送, whom a notice goes
 * down to) are 发 and cc are 送. Returns the count (0..3). */
int meta_briefing_tail(const struct meta *m, int kinds[3], char *texts[3]);
/* Parses "2025-01-13" or "2025年1月13日". */
bool date_parse(const char *s, struct date *out);
/* "2025年1月13日" into buf (at least 32 bytes). */
void date_format_cn(const struct date *dt, char *buf, size_t size);

#endif
