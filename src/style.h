/* Templates: a YAML file describing page, grid, font roles, element styles
 * and palette (SPEC §4). `extends: NAME` loads NAME first and applies the
 * file's keys on top. Lengths are stored in pt. */
#ifndef BRIEFING_STYLE_H
#define BRIEFING_STYLE_H
#include "buf.h"
#include "diag.h"
#include <stdbool.h>
#include <stddef.h>

enum font_role { ROLE_SONG, ROLE_FANGSONG, ROLE_HEI, ROLE_KAI, ROLE_BIAOSONG, ROLE_LATIN,
                 ROLE_MONO, ROLE_COUNT };
enum align { ALIGN_JUSTIFY, ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT };
enum emphasis { EMPH_BOLD, EMPH_KAI, EMPH_HEI, EMPH_DOTS };

enum element { EL_BODY, EL_TITLE, EL_RECIPIENTS, EL_H1, EL_H2, EL_H3, EL_H4, EL_QUOTE, EL_LIST,
               EL_CODE, EL_TABLE, EL_TABLE_HEAD, EL_CAPTION, EL_FOOTNOTE, EL_PAGE_NUMBER,
               EL_INDICATOR, EL_MASTHEAD, EL_DOC_NUMBER, EL_SUBTITLE, EL_SIGNATURE, EL_NOTE,
               EL_COLOPHON, EL_HEADER, EL_TOC,
               /* the report's own parts (model.h) */
               EL_BYLINE, EL_SPEAKER, EL_SALUTATION, EL_LEAD, EL_NOTES, EL_ATTACHMENT, EL_COUNT };
enum masthead { MASTHEAD_NONE, MASTHEAD_GONGWEN, MASTHEAD_BRIEFING, MASTHEAD_COVER };
enum colophon { COLOPHON_NONE, COLOPHON_GONGWEN, COLOPHON_BRIEFING };
enum pdf_standard { PDF_STANDARD_NONE, PDF_STANDARD_A2B, PDF_STANDARD_COUNT };

/* Every label the outputs add to a report's text, in one table (style.c)
 * that a template's `labels:` map may override. {name} fields are filled
 * in by the frame (frame.c). */
enum label {
    LABEL_ISSUER_MARK,     /* "{issuer}文件": the 公文 发文机关标志 */
    LABEL_BRIEFING,        /* "简报": a 简报 报头 without a title */
    LABEL_EDITOR_NOTE,     /* "编者按：" */
    LABEL_CONTENTS,        /* "目　录" */
    LABEL_BAO,             /* "报：" (简报 报尾: to the level above) */
    LABEL_SONG,            /* "送：" (the same level) */
    LABEL_FA,              /* "发：" (the level below) */
    LABEL_CC,              /* "抄送：" */
    LABEL_COPIES,          /* "（共印{copies}份）" */
    LABEL_PRINTED,         /* "{date}印发" */
    LABEL_FOOTNOTE,        /* "注{n}：" */
    LABEL_ATTACHMENTS,     /* "附件：": the 附件说明 */
    LABEL_SUMMARY_TITLE,   /* "{department}重点工作摘编" */
    LABEL_SUMMARY_INDICATORS, /* "主要指标：" */
    LABEL_SUMMARY_PAGE,    /* "见全文第{page}页" */
    /* charts */
    LABEL_CHART_UNIT,      /* "单位：{unit}" */
    LABEL_CHART_SOURCE,    /* "资料来源：{source}" */
    LABEL_CHART_TOTAL,     /* "合计": a donut's centre */
    LABEL_CHART_TARGET,    /* "目标": a progress bar's goal */
    LABEL_CHART_NO_RATE,   /* "无法计算完成率": a goal of zero */
    LABEL_CHART_NOT_FROM_ZERO, /* "（纵轴不从零开始）" */
    LABEL_CHART_ROWS_SCALED,   /* "（各行按本行较大值缩放）" */
    LABEL_OVERVIEW_TITLE,  /* "主要指标一览" */
    LABEL_OVERVIEW_PART,   /* "（前{shown}项，共{total}项）" */
    LABEL_COMPARE_TITLE,   /* "{a}与{b}对比" */
    LABEL_UNCHANGED,       /* "持平": a card's change */
    LABEL_POINTS,          /* "个百分点" */
    /* the HTML preview's names for readers of screens */
    LABEL_OVERVIEW,        /* "主要指标" */
    LABEL_NOTES,           /* "注释" */
    LABEL_BACK,            /* "返回正文" */
    /* a batch's index.html */
    LABEL_INDEX_TITLE,     /* "{report} · 部门摘编" */
    LABEL_INDEX_REPORT,    /* "全文：" */
    LABEL_INDEX_PAGES,     /* "（{pages}页）" */
    LABEL_INDEX_DEPARTMENT, /* "部门" */
    LABEL_INDEX_PAGE_COUNT, /* "页数" */
    LABEL_INDEX_INDICATORS, /* "主要指标" */
    LABEL_INDEX_FILES,     /* "文件" */
    LABEL_INDEX_FAILED,    /* "未生成（见运行日志）" */
    LABEL_INDEX_NO_INDICATORS, /* "（未列主要指标）" */
    LABEL_COUNT
};

struct rgb {
    double r, g, b;
};

struct elem_style {
    enum font_role font;
    double size;          /* pt */
    bool bold;
    enum align align;
    double indent;        /* first-line indent, pt (em values resolved at load) */
    double margin_left, margin_right;
    double lines;         /* grid lines per text line (1 = the body pitch) */
    double space_before, space_after;  /* in grid lines */
    struct rgb color;
    bool color_set;       /* false: the palette's text colour */
};

struct page_number_style {
    char *format;         /* "{page}" is replaced by the number */
    double below;         /* from the type-area bottom to the number's centre line, pt */
    double inset;         /* from the type-area edge, pt */
    enum { PN_OUTSIDE, PN_CENTER, PN_RIGHT, PN_NONE } position;
};

struct style {
    char *name;           /* built-in name or file path */
    char *description;
    double page_w, page_h, margin_top, margin_left, margin_right, margin_bottom;
    bool duplex;
    int grid_lines, grid_chars;
    char **fonts[ROLE_COUNT];  /* NULL-terminated family lists */
    double cjk_latin_space;    /* em */
    enum emphasis strong, emph;
    struct rgb text, red, rule, link, accent;
    struct rgb chart[8];       /* chart series colours */
    int nchart;
    struct elem_style el[EL_COUNT];
    struct page_number_style page_number;
    bool overview;             /* open with the key-indicator overview */
    enum masthead masthead;    /* 版头 (gongwen), 报头 (briefing) or a cover page (report) */
    char *masthead_title;      /* briefing: "《{report}》简报"; {report} = first # heading, {title} */
    double masthead_rule;      /* thickness of the red rule under the masthead, pt */
    enum colophon colophon;    /* 版记 (gongwen) or 报尾 (briefing) on the last page */
    bool signature;            /* issuer and date after the body (or at <!-- signature -->) */
    int toc_depth;             /* table of contents down to this heading level; 0: none */
    bool running_header;       /* the current part's title at the top of each page */
    bool number_headings;      /* unnumbered headings get their 一、（一）1.（1） number */
    enum font_role chart_font; /* role for chart text */
    enum pdf_standard pdf_standard; /* PDF/A-2b on request */
    char *labels[LABEL_COUNT]; /* a template's own labels; NULL: the default */
};

/* Loads a template by built-in name (looked up in the templates folder) or
 * by path (anything containing '/' or ending in .yaml). NULL on error. */
struct style *style_load(const char *name_or_path, struct diag *d);
/* A template named in `file` (a manifest, a report, another template): a
 * relative path is taken from file's folder; a built-in name stays. */
char *style_name_from(const char *name, const char *file);
/* Names a template file rather than a built-in template (a '/' or .yaml). */
bool style_is_path(const char *name);
/* Parses a template from memory as if it were the file `name` (which
 * relative `extends:` paths and diagnostics use). NULL on error. */
struct style *style_parse_text(const char *text, size_t len, const char *name, struct diag *d);
void style_free(struct style *s);

/* Derived geometry, pt. */
double style_type_width(const struct style *s);
double style_type_height(const struct style *s);
double style_pitch(const struct style *s);       /* body line pitch */
/* Space added between characters of el so grid_chars fill the measure
 * (GB/T 9704: 28 characters a line); 0 off the grid or at another size. */
double style_grid_tracking(const struct style *s, enum element el);

/* The template's label, or the default one. */
const char *style_label(const struct style *s, enum label l);
/* label with its {fields} filled: pairs of field name (without braces) and
 * value, ending with NULL. A field not given stays as written. */
char *style_fill(const char *label, ...);
/* Every label's text, for cutting fonts down to what a document can show. */
void style_labels_text(const struct style *s, struct buf *out);
const char *style_role_name(enum font_role r);
const char *style_element_name(enum element e);
/* The folder with templates/ and fonts/ (env BRIEFING_DATADIR, the source
 * tree, or the install prefix). */
const char *style_datadir(void);
/* The standard a PDF conforms to by name ("none", "a-2b"); PDF_STANDARD_COUNT
 * for an unknown name, with *near the likely intended one (or NULL). */
enum pdf_standard style_pdf_standard(const char *name, const char **near);
/* Built-in template names, NULL-terminated; caller frees with style_names_free. */
char **style_builtin_names(void);
void style_names_free(char **names);

#endif
