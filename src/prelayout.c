#include "prelayout.h"
#include "xalloc.h"
#include <pthread.h>
#include <stdlib.h>

enum job_state { JOB_WAITING, JOB_WORKING, JOB_DONE };

struct job {
    cmark_node *node;
    struct rich *rich;     /* until laid out */
    struct para_measure m;
    enum job_state state;
    struct para *para;     /* once done; NULL for a paragraph without text */
    struct diag *d;        /* its findings, once done */
};

struct prelayout {
    struct fonts *fonts;   /* the thread's */
    struct diag *fonts_d;  /* their role warnings: the walk's fonts gave them already */
    struct job *jobs;      /* moved by prelayout_add: held by index outside the lock */
    int n, cap;
    int next;              /* the next job to lay out */
    int taken;             /* the jobs before it are taken or passed over */
    bool closed, stopping;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    pthread_t thread;
    bool running;
};

/* Lays out job k, waiting; the lock is held, and released meanwhile.
 * fonts: the thread's, or NULL for those the text was built with. */
static void lay_out(struct prelayout *p, int k, struct fonts *fonts)
{
    struct job *j = &p->jobs[k];
    j->state = JOB_WORKING;
    struct rich *r = j->rich;
    struct para_measure m = j->m;
    j->rich = NULL;
    pthread_mutex_unlock(&p->lock);
    struct diag *d = diag_new();
    struct para *para = NULL;
    if (!*rich_text(r)) {
        rich_free(r);
    } else {
        if (fonts)
            rich_set_fonts(r, fonts);
        para = para_layout(r, m.width, m.indent, m.align, d);
    }
    pthread_mutex_lock(&p->lock);
    j = &p->jobs[k];
    j->para = para;
    j->d = d;
    j->state = JOB_DONE;
    pthread_cond_broadcast(&p->changed);
}

static void *worker(void *arg)
{
    struct prelayout *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->stopping && !p->closed && p->next >= p->n)
            pthread_cond_wait(&p->changed, &p->lock);
        if (p->stopping || p->next >= p->n)
            break;
        lay_out(p, p->next++, p->fonts);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

struct prelayout *prelayout_start(struct fonts *f)
{
    struct prelayout *p = xcalloc(1, sizeof *p);
    p->fonts_d = diag_new();
    p->fonts = fonts_clone(f, p->fonts_d);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->changed, NULL);
    p->running = p->fonts && pthread_create(&p->thread, NULL, worker, p) == 0;
    if (!p->running) {
        prelayout_free(p);
        return NULL;
    }
    return p;
}

void prelayout_add(struct prelayout *p, cmark_node *node, struct rich *r, const struct para_measure *m)
{
    pthread_mutex_lock(&p->lock);
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 256;
        p->jobs = xreallocarray(p->jobs, (size_t)p->cap, sizeof *p->jobs);
    }
    p->jobs[p->n++] = (struct job){.node = node, .rich = r, .m = *m};
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
}

void prelayout_close(struct prelayout *p)
{
    pthread_mutex_lock(&p->lock);
    p->closed = true;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
}

static bool same_measure(const struct para_measure *a, const struct para_measure *b)
{
    return a->el == b->el && a->width == b->width && a->indent == b->indent && a->align == b->align;
}

/* Waits for job k: lays it out if the thread has not begun it, or the
 * next one waiting while the thread works on it. */
static void finish(struct prelayout *p, int k)
{
    while (p->jobs[k].state != JOB_DONE) {
        if (p->jobs[k].state == JOB_WAITING || p->next < p->n)
            lay_out(p, p->next++, NULL);
        else
            pthread_cond_wait(&p->changed, &p->lock);
    }
}

struct para *prelayout_take(struct prelayout *p, cmark_node *node, const struct para_measure *m,
                            bool *empty, struct diag *d)
{
    *empty = false;
    pthread_mutex_lock(&p->lock);
    int k = p->taken;
    while (k < p->n && p->jobs[k].node != node)
        k++;
    if (k == p->n) {
        pthread_mutex_unlock(&p->lock);
        return NULL;
    }
    if (p->next < k) /* the ones passed over are not laid out */
        p->next = k;
    p->taken = k + 1;
    finish(p, k);
    struct job *j = &p->jobs[k];
    struct para *para = j->para;
    j->para = NULL;
    bool same = same_measure(&j->m, m);
    if (same) {
        *empty = !para;
        diag_move(d, j->d);
    }
    pthread_mutex_unlock(&p->lock);
    if (!same) {
        para_free(para);
        return NULL;
    }
    return para;
}

void prelayout_stop(struct prelayout *p)
{
    if (!p || !p->running)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    p->running = false;
}

void prelayout_free(struct prelayout *p)
{
    if (!p)
        return;
    prelayout_stop(p);
    for (int i = 0; i < p->n; i++) {
        rich_free(p->jobs[i].rich);
        para_free(p->jobs[i].para);
        diag_free(p->jobs[i].d);
    }
    free(p->jobs);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->changed);
    fonts_free(p->fonts);
    diag_free(p->fonts_d);
    free(p);
}
