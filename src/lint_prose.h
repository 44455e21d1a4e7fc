/* The report's prose for the lint rules: the text of every paragraph,
 * heading and table cell as one stream of code points, each with its byte
 * offset in the original source (front matter included, so positions are
 * the file's). Markup is left out and code is replaced by an opaque
 * object, so "增长**5%**" reads "增长5%" and `x` is never linted. */
#ifndef BRIEFING_LINT_PROSE_H
#define BRIEFING_LINT_PROSE_H
#include "doc.h"
#include <stddef.h>
#include <stdint.h>

enum {
    PC_BREAK = 1,   /* a soft or hard line break (c is '\n') */
    PC_OBJECT = 2,  /* code span, inline HTML or footnote mark (c is U+FFFC) */
    PC_LINK = 4,    /* inside the text of a link or autolink */
};

struct prose_char {
    int32_t c;
    uint32_t off;   /* byte offset in the source */
    uint8_t flags;
};

enum prose_kind { PROSE_PARA, PROSE_HEADING, PROSE_CELL };

struct prose_seg {
    int start, end;          /* range in prose.ch */
    enum prose_kind kind;
    int level;               /* heading level; 0 otherwise */
    int line;                /* first source line */
    cmark_node *node;        /* the block, for what the document model knows of it */
};

struct prose_comment {
    int line, end_line;      /* a lint directive comment on lines of its own */
    enum lint_directive kind;
    char *const *rules;      /* rule ids it names (borrowed from the model); NULL: all */
};

struct prose {
    const char *src;         /* the document's source, borrowed */
    size_t len;
    size_t *lines;           /* byte offset of each line's start; lines[0] is line 1 */
    int nlines;
    struct prose_char *ch;
    int nch;
    struct prose_seg *seg;
    int nseg;
    struct prose_comment *comment;
    int ncomment;
};

struct prose *prose_new(const struct doc *doc);
void prose_free(struct prose *p);
/* The 1-based line and column (in code points) of byte offset off. */
void prose_pos(const struct prose *p, size_t off, int *line, int *col);
/* Byte offset of the start of a 1-based line (len past the end). */
size_t prose_line_start(const struct prose *p, int line);

#endif
