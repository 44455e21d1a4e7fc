/* Private to the document model's modules: model.c (the records and the
 * text helpers), resolve.c (the pass) and parts.c (the report's parts). */
#ifndef BRIEFING_RESOLVE_INT_H
#define BRIEFING_RESOLVE_INT_H
#include "resolve.h"
#include <stdbool.h>
#include <string.h>

#define MAX_LEVEL 6
#define IDEO_SPACE "\xE3\x80\x80"

struct model {
    struct node_info **v;      /* every record, owned */
    int n, cap;
    cmark_node **attachments;  /* PART_ATTACHMENT headings in order */
    int nattachments;
    bool attachment_note;      /* a paragraph opening with 附件： */
    const char *file;
    struct diag *d;
};

static inline struct node_info *info_of(cmark_node *n) { return cmark_node_get_user_data(n); }
static inline bool is_type(cmark_node *n, cmark_node_type t) { return n && cmark_node_get_type(n) == t; }
static inline bool starts(const char *s, const char *prefix) { return !strncmp(s, prefix, strlen(prefix)); }
static inline bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static inline bool ends(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

/* model.c */
/* A new record for n, hung on it and owned by m. */
struct node_info *model_record(struct model *m, cmark_node *n);
/* The characters of a block as the outputs set them: text and code, and a
 * footnote reference's number when with_refs. Caller frees. */
char *model_plain_text(cmark_node *block, bool with_refs);
/* The plain text without leading ideographic or trailing spaces. Caller frees. */
char *model_block_text(cmark_node *n);
const char *model_skip_ideo_spaces(const char *s);
int model_count_chars(const char *s);
bool model_contains_any(const char *s, const char *const *words);
/* A Chinese numeral 1..99, or up to four digits, at s: its byte length. */
size_t model_cn_numeral(const char *s, int *value);
size_t model_arabic(const char *s, int *value);
/* The heading number text opens with; its byte length in *len. */
enum numbering model_parse_number(const char *s, int *value, size_t *len);
bool model_is_table(cmark_node *n);
/* Adds names (NULL-terminated) to the node's department set, once each. */
void model_add_names(struct node_info *info, char *const *names);
/* The next sibling that is not an annotation comment. */
cmark_node *model_next_block(cmark_node *n);
/* Splits text node t at byte off; returns the new node after it (NULL at the end). */
cmark_node *model_split_text(struct model *m, cmark_node *t, size_t off);

/* parts.c: the title block, lead lines, notes, attachments, automatic
 * heading numbers, and roles set with <!-- role: … -->. */
void parts_resolve(struct model *m, cmark_node *root);

#endif
