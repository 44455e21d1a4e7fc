#include "deflater.h"
#include "xalloc.h"
#include <libdeflate.h>
#include <pthread.h>
#include <stdlib.h>

bool deflate_bytes(const void *data, size_t len, int level, struct buf *out)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
    if (!c)
        return false;
    size_t bound = libdeflate_zlib_compress_bound(c, len);
    unsigned char *z = xmalloc(bound);
    size_t n = libdeflate_zlib_compress(c, data, len, z, bound);
    if (n)
        buf_put(out, z, n);
    free(z);
    libdeflate_free_compressor(c);
    return n > 0;
}

struct item {
    struct buf raw, z;
    bool done, ok;
};

struct deflater {
    int level;
    struct item **items; /* each its own block: the thread holds one while the array grows */
    int n, cap;
    int next;            /* the next one to deflate */
    bool stopping;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    pthread_t thread;
};

static void *work(void *arg)
{
    struct deflater *d = arg;
    pthread_mutex_lock(&d->lock);
    for (;;) {
        while (!d->stopping && d->next >= d->n)
            pthread_cond_wait(&d->changed, &d->lock);
        if (d->stopping)
            break;
        struct item *it = d->items[d->next++];
        pthread_mutex_unlock(&d->lock);
        bool ok = deflate_bytes(it->raw.data, it->raw.len, d->level, &it->z);
        if (ok)
            buf_free(&it->raw);
        pthread_mutex_lock(&d->lock);
        it->ok = ok;
        it->done = true;
        pthread_cond_broadcast(&d->changed);
    }
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

struct deflater *deflater_new(int level)
{
    struct deflater *d = xcalloc(1, sizeof *d);
    d->level = level;
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->changed, NULL);
    if (pthread_create(&d->thread, NULL, work, d) != 0) {
        pthread_mutex_destroy(&d->lock);
        pthread_cond_destroy(&d->changed);
        free(d);
        return NULL;
    }
    return d;
}

int deflater_push(struct deflater *d, const void *data, size_t len)
{
    struct item *it = xcalloc(1, sizeof *it);
    buf_put(&it->raw, data, len);
    pthread_mutex_lock(&d->lock);
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 64;
        d->items = xreallocarray(d->items, (size_t)d->cap, sizeof *d->items);
    }
    int k = d->n++;
    d->items[k] = it;
    pthread_cond_broadcast(&d->changed);
    pthread_mutex_unlock(&d->lock);
    return k;
}

bool deflater_take(struct deflater *d, int k, struct buf *out)
{
    pthread_mutex_lock(&d->lock);
    while (!d->items[k]->done)
        pthread_cond_wait(&d->changed, &d->lock);
    struct item *it = d->items[k];
    d->items[k] = NULL;
    pthread_mutex_unlock(&d->lock);
    bool ok = it->ok;
    struct buf *bytes = ok ? &it->z : &it->raw;
    buf_put(out, bytes->data, bytes->len);
    buf_free(&it->raw);
    buf_free(&it->z);
    free(it);
    return ok;
}

void deflater_free(struct deflater *d)
{
    if (!d)
        return;
    pthread_mutex_lock(&d->lock);
    d->stopping = true;
    pthread_cond_broadcast(&d->changed);
    pthread_mutex_unlock(&d->lock);
    pthread_join(d->thread, NULL);
    for (int i = 0; i < d->n; i++)
        if (d->items[i]) {
            buf_free(&d->items[i]->raw);
            buf_free(&d->items[i]->z);
            free(d->items[i]);
        }
    free(d->items);
    pthread_mutex_destroy(&d->lock);
    pthread_cond_destroy(&d->changed);
    free(d);
}
