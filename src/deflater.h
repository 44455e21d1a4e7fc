/* Data deflated in a thread of its own, first in first out, while the
 * caller goes on: a long report's page contents are deflated while the
 * next pages are drawn. */
#ifndef BRIEFING_DEFLATER_H
#define BRIEFING_DEFLATER_H
#include "buf.h"
#include <stdbool.h>
#include <stddef.h>

/* Appends data deflated (zlib format) at a libdeflate level (1-12) to
 * out; false when it cannot. */
bool deflate_bytes(const void *data, size_t len, int level, struct buf *out);

struct deflater;

/* NULL when no thread can be started (the caller deflates itself). */
struct deflater *deflater_new(int level);
/* Queues a copy of the data; returns its number (0, 1, 2 … in order). */
int deflater_push(struct deflater *d, const void *data, size_t len);
/* Waits for item k (each taken once) and appends its deflated bytes to
 * out; false, and the data as given appended, when libdeflate could not
 * deflate it. */
bool deflater_take(struct deflater *d, int k, struct buf *out);
/* Stops the thread; items not taken are dropped. */
void deflater_free(struct deflater *d);

#endif
