/* The resolved document model: what every node of the report's cmark tree
 * means, worked out once by the resolve pass (resolve.c) right after
 * parsing and hung on the node as its user_data. The PDF layout, the HTML
 * writer, the summaries, lint and the exports only read it; none of them
 * parses an annotation comment, a heading number or a note marker. */
#ifndef BRIEFING_MODEL_H
#define BRIEFING_MODEL_H
#include <cmark-gfm.h>
#include <stdbool.h>
#include <stddef.h>

struct chart;
struct indicator;

/* The part of the report a block plays. Guessed from plain Markdown and
 * settable with <!-- role: NAME --> before the block. */
enum part {
    PART_BODY,          /* ordinary text */
    PART_SUBTITLE,      /* ——2025年1月7日在…会议上 under the report's title */
    PART_SPEAKER,       /* 西青区区长 王志平 */
    PART_SALUTATION,    /* 各位代表： */
    PART_LEAD,          /* 一是…, or a paragraph opening with a bold lead sentence */
    PART_NOTES,         /* the 注释 / 名词解释 heading */
    PART_NOTE,          /* one note or glossary entry under it */
    PART_ATTACHMENT,    /* 附件 / 附件1 heading: an attachment starts here */
    PART_COUNT
};

/* Heading numbers of GB/T 9704 §7.3.3, in tier order. */
enum numbering { NUM_NONE = -1, NUM_CN, NUM_PAREN_CN, NUM_ARABIC, NUM_PAREN_ARABIC };

/* What an HTML comment on a line of its own says. */
enum marker { MARK_NONE, MARK_PAGEBREAK, MARK_SIGNATURE, MARK_DEPT, MARK_ROLE, MARK_LINT,
              MARK_COMMENT };

/* <!-- lint-disable RULE… -->, <!-- lint-enable RULE… -->,
 * <!-- lint-disable-next-line RULE… --> */
enum lint_directive { LINT_NONE, LINT_DISABLE, LINT_ENABLE, LINT_DISABLE_NEXT_LINE };

struct node_info {
    cmark_node *node;
    enum part part;
    bool part_set;             /* the role was given with <!-- role: … --> */
    /* headings */
    int level;                 /* 1..6 */
    int id;                    /* h-<id> in HTML, the PDF's destination; -1: none (empty) */
    bool empty;                /* no text: no output shows it */
    enum numbering scheme;     /* the number as written, NUM_NONE if unnumbered */
    int number;                /* its value */
    size_t number_len;         /* bytes of the number at the start of text */
    char *auto_number;         /* an unnumbered top-level heading's number by its place, NULL
                                * otherwise; set when the template numbers headings */
    char *text;                /* plain text (headings, note entries, table cells) */
    /* every block */
    cmark_node *heading;       /* the heading whose section holds it (a heading: its parent section's) */
    char *section;             /* heading path "一、… › （一）…", for headings and blocks */
    char **depts;              /* resolved department names (NULL-terminated), NULL: none;
                                * on a dept tag itself, the names it lists */
    int ndepts;
    /* HTML blocks */
    enum marker marker;
    char *comment;             /* the comment's text between <!-- and -->, trimmed */
    enum lint_directive lint;  /* MARK_LINT: what it does */
    char **lint_rules;         /* the rule ids it names (NULL-terminated); NULL: every rule */
    /* footnotes and notes */
    int note;                  /* footnote reference/definition, note entry or marker: its number */
    cmark_node *term;          /* a glossary entry: the inline node holding its term */
    bool cited;                /* a note entry: a marker in the text points to it */
    /* inlines */
    bool space;                /* soft break: set as a space (between two non-CJK characters) */
    /* tables */
    char *align;               /* per column 'l', 'c' or 'r' */
    /* annotations */
    const struct chart *chart; /* a parsed ```chart block */
    bool chart_block;          /* a ```chart block, parsed or not */
    struct indicator *indicator; /* a kpi: link */
    int attachment;            /* PART_ATTACHMENT: 1-based number */
    char *attachment_label;    /* "附件1" as written (without the name) */
    char *attachment_name;     /* its name, for the 附件说明 */
    bool attachment_titled;    /* the name is in this block ("附件1：名称"), not the next */
    bool attachment_title;     /* this block is the name of the attachment label before it */
};

/* The node's resolved data; a neutral record for a node the pass never saw. */
const struct node_info *model_info(cmark_node *n);
/* Writes a heading number ("一、", "（二）", "3.", "（4）") into buf. */
void model_number_text(enum numbering scheme, int value, char *buf, size_t size);
/* Does the department set of n name dep_id or dep_name? */
bool model_in_dept(const struct node_info *info, const char *dep_id, const char *dep_name);
/* Do two nodes have the same department set? */
bool model_same_depts(const struct node_info *a, const struct node_info *b);
const char *model_part_name(enum part p);

#endif
