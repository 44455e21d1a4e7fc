/* Word boundaries by ICU's break iterator (dictionary-based for Chinese):
 * where a short label (a chart axis label, a card title) may wrap without
 * splitting a word such as 零售 or 增加值. */
#ifndef BRIEFING_WORDBREAK_H
#define BRIEFING_WORDBREAK_H
#include <stddef.h>

/* The byte offsets in s (UTF-8, NUL-terminated) where a line may break
 * between words, ascending, without 0 and strlen(s); *n gets their count.
 * The caller frees the array (NULL when there is none). */
size_t *wordbreak_offsets(const char *s, int *n);

#endif
