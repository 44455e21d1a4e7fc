#define _POSIX_C_SOURCE 200809L
#include "output.h"
#include "xalloc.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

bool output_write(const char *path, const void *data, size_t len, struct diag *d)
{
    if (strcmp(path, "-") == 0) {
        if (!write_all(STDOUT_FILENO, data, len)) {
            diag_add(d, DIAG_ERROR, "<stdout>", 0, 0, "cannot write: %s", strerror(errno));
            return false;
        }
        return true;
    }
    const char *slash = strrchr(path, '/');
    char *tmp = slash ? xasprintf("%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1)
                      : xasprintf(".%s.XXXXXX", path);
    int slot = remember(tmp);
    int fd = mkstemp(tmp);
    if (slot >= 0)
        strcpy(temps[slot], tmp); /* the name mkstemp chose */
    if (fd < 0) {
        forget(slot);
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
        free(tmp);
        return false;
    }
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
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
