/* Paragraphs laid out ahead, for long documents: laying out paragraphs is
 * most of their render (Pango shapes and breaks each one), and each one's
 * layout depends only on its text and measure. The block walk queues the
 * document's plain paragraphs with their styled text and measure; a
 * second thread, with fonts of its own, lays them out in order while the
 * walk goes on, and the walk takes each result where it would have laid
 * the paragraph out itself (or lays out one still waiting meanwhile). */
#ifndef BRIEFING_PRELAYOUT_H
#define BRIEFING_PRELAYOUT_H
#include "fonts.h"
#include "paragraph.h"
#include <cmark-gfm.h>

struct prelayout;

/* The measure a paragraph is laid out to. */
struct para_measure {
    enum element el;
    double width, indent;
    enum align align;
};

/* Starts the thread, its fonts a copy of f's (same roles and subsets);
 * NULL when it cannot (the walk then lays out everything itself). */
struct prelayout *prelayout_start(struct fonts *f);
/* Queues node's paragraph: r (consumed) set to m. */
void prelayout_add(struct prelayout *p, cmark_node *node, struct rich *r, const struct para_measure *m);
/* No more paragraphs will be queued. */
void prelayout_close(struct prelayout *p);
/* The paragraph of node, laid out to m, its findings moved to d; NULL
 * when node was not queued or was queued with another measure (the
 * caller lays it out). Nodes are taken in the order they were queued; a
 * queued node passed over is dropped. *empty: the paragraph has no text. */
struct para *prelayout_take(struct prelayout *p, cmark_node *node, const struct para_measure *m,
                            bool *empty, struct diag *d);
/* Stops the thread (dropping what was not taken); the paragraphs taken
 * stay valid until prelayout_free, which frees the fonts they use. */
void prelayout_stop(struct prelayout *p);
void prelayout_free(struct prelayout *p);

#endif
