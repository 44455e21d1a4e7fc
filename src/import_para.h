/* The paragraphs of an imported document, before their roles are known:
 * one per line of a text file, or one per Word paragraph. */
#ifndef BRIEFING_IMPORT_PARA_H
#define BRIEFING_IMPORT_PARA_H
#include <stdbool.h>
#include <stddef.h>

struct ipara {
    char *text;       /* UTF-8, no line breaks */
    int line;         /* source line (text) or paragraph number (Word) */
    int style_level;  /* a Word heading style's level 1..6; 0 none */
    size_t bold_len;  /* bytes of a leading bold run (a lead sentence); 0 none */
    bool verbatim;    /* already Markdown (a table): written as is */
};

struct ipara_list {
    struct ipara *items;
    int n, cap;
    char **footnotes; /* Word footnotes, in the order the text refers to them */
    int nfootnotes;
};

/* Appends a paragraph (text[0..len) copied) and returns it. */
struct ipara *ipara_add(struct ipara_list *l, const char *text, size_t len, int line);
/* One paragraph per non-blank line of UTF-8 text; trailing spaces and CRs
 * are trimmed, leading ASCII and ideographic spaces too. */
void ipara_from_text(struct ipara_list *l, const char *utf8);
/* Bytes of s[0..len) to quote in a note: at most max, ending on a whole
 * character. */
size_t ipara_excerpt_len(const char *s, size_t len, size_t max);
void ipara_add_footnote(struct ipara_list *l, const char *text);
void ipara_list_free(struct ipara_list *l);

#endif
