/* The frame: the fixed parts a template puts around the report's text,
 * worked out once from the front matter, the template and the document
 * model — 版头 / 报头, title block, 主送, signature and date, 附件说明,
 * 版记 / 报尾 — as data. The PDF (matter.c) and the HTML (html.c) only
 * draw it; every label comes from the template's label table (style.h). */
#ifndef BRIEFING_FRAME_H
#define BRIEFING_FRAME_H
#include "doc.h"
#include "style.h"

struct frame_line {
    char *label;        /* "抄送：", "附件："; may be NULL */
    char *text;
    char *right;        /* set flush right on the same line; may be NULL */
    bool rule_above;    /* a thin rule separates it from the line above */
};

#define FRAME_MAX_LINES 4

struct frame {
    char *marks[2];             /* 密级, 紧急程度; NULL when not given */
    char *issuer_mark;          /* 公文: "…文件" when the front matter names an issuer */
    char *doc_number;           /* 文号 */
    char *masthead_title;       /* 简报: the 报头's title */
    char *issue;                /* 简报: 期号 */
    char *issuer;               /* 发文机关 / 编发单位 */
    char *date;                 /* 成文日期 as printed ("2025年1月13日"), NULL when none */
    const struct date *date_value; /* the same as a date, NULL when none */
    char *editor_note_label;    /* "编者按：" when there is a note */
    char *editor_note;
    char *title, *subtitle;
    bool subtitle_in_text;      /* the text has its subtitle line: the title block leaves it out */
    cmark_node *overview_after; /* the report's own title block ends here: the overview follows it;
                                   NULL: the overview follows the masthead's title block */
    char *recipients;           /* 主送 with its colon; NULL where the 报尾 has it (简报) */
    char *signer, *sign_date;   /* when the template signs: 署名 and 成文日期 */
    char *annotation;           /* 附注 in parentheses, after the date */
    char *contents_title;       /* "目　录" */
    struct frame_line *attachment_note; /* 附件说明 (GB/T 9704 §7.3.4), one line per attachment */
    int nattachment_note;
    struct frame_line colophon[FRAME_MAX_LINES]; /* 版记 / 报尾 lines, top to bottom */
    int ncolophon;
};

struct frame *frame_new(const struct doc *doc, const struct style *st);
void frame_free(struct frame *f);
/* "注3：" for footnote n. Caller frees. */
char *frame_footnote_label(const struct style *st, int n);
/* A label with its one {field} filled in by value. Caller frees. */
char *frame_fill(const char *label, const char *value);

#endif
