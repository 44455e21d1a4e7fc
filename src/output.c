#define _POSIX_C_SOURCE 200809L
#include "output.h"
#include "xalloc.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Temporary files being written, for output_remove_temporaries(). */
#define MAX_TEMPS 64
#define TEMP_PATH 1024
static char temps[MAX_TEMPS][TEMP_PATH];
static volatile sig_atomic_t temp_used[MAX_TEMPS];
static pthread_mutex_t temp_lock = PTHREAD_MUTEX_INITIALIZER;

static int remember(const char *path)
{
    if (strlen(path) >= TEMP_PATH)
        return -1;
    pthread_mutex_lock(&temp_lock);
    int slot = -1;
    for (int i = 0; i < MAX_TEMPS && slot < 0; i++)
        if (!temp_used[i]) {
            strcpy(temps[i], path);
            atomic_signal_fence(memory_order_seq_cst); /* the name before the flag */
            temp_used[i] = 1;
            slot = i;
        }
    pthread_mutex_unlock(&temp_lock);
    return slot;
}

static void forget(int slot)
{
    if (slot >= 0)
        temp_used[slot] = 0;
}

void output_remove_temporaries(void)
{
    for (int i = 0; i < MAX_TEMPS; i++)
        if (temp_used[i])
            unlink(temps[i]);
}

static bool write_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* A fresh temporary name beside path: ".NAME.XXXXXX". */
static char *temporary_name(const char *path)
{
    static unsigned counter;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    unsigned long tag = ((unsigned long)getpid() * 2654435761u) ^ (unsigned long)now.tv_nsec ^
                        ((unsigned long)__atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED) << 20);
    const char *slash = strrchr(path, '/');
    return slash ? xasprintf("%.*s/.%s.%06lx", (int)(slash - path), path, slash + 1, tag & 0xFFFFFF)
                 : xasprintf(".%s.%06lx", path, tag & 0xFFFFFF);
}

/* Creates a new temporary file beside path, its name already known to
 * output_remove_temporaries() before the file exists (so an interrupt at
 * any moment leaves nothing behind). Returns the fd, or -1 with errno. */
static int create_temporary(const char *path, char **tmp, int *slot)
{
    for (int attempt = 0; attempt < 100; attempt++) {
        *tmp = temporary_name(path);
        *slot = remember(*tmp);
        int fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
        forget(*slot);
        free(*tmp);
    }
    *tmp = NULL;
    *slot = -1;
    return -1;
}

bool output_write(const char *path, const void *data, size_t len, struct diag *d)
{
    if (strcmp(path, "-") == 0) {
        if (!write_all(STDOUT_FILENO, data, len)) {
            diag_add(d, DIAG_ERROR, "<stdout>", 0, 0, "cannot write: %s", strerror(errno));
            return false;
        }
        return true;
    }
    char *tmp;
    int slot;
    int fd = create_temporary(path, &tmp, &slot);
    if (fd < 0) {
        int saved = errno;
        forget(slot);
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(saved));
        free(tmp);
        return false;
    }
    bool ok = write_all(fd, data, len);
    int saved = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = false;
        saved = errno;
    }
    if (!ok) {
        unlink(tmp);
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(saved));
    }
    forget(slot);
    free(tmp);
    return ok;
}
