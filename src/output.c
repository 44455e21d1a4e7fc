#define _POSIX_C_SOURCE 200809L
#include "output.h"
#include "xalloc.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
    int fd = mkstemp(tmp);
    if (fd < 0) {
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
    free(tmp);
    return ok;
}
