/* Allocation that never returns NULL: running out of memory aborts, so no
 * caller checks. Sizes are overflow-checked. */
#ifndef BRIEFING_XALLOC_H
#define BRIEFING_XALLOC_H
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
