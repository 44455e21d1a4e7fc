/* A test shim (LD_PRELOAD) that stops the program in the middle of writing
 * an output file, so a test can interrupt it there:
 *   BRIEFING_PAUSE=write   the first write to a file whose name starts with
 *                          "." (the temporary files of atomic output) writes
 *                          half of its bytes, then waits;
 *   BRIEFING_PAUSE=rename  the first rename waits before renaming.
 * While waiting it creates the file named by BRIEFING_PAUSE_READY and
 * sleeps in pause() until a signal arrives (the test sends SIGINT or
 * SIGTERM); if the program's handler returns, the call goes on. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int paused;

static void wait_here(void)
{
    const char *ready = getenv("BRIEFING_PAUSE_READY");
    if (ready) {
        int fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0)
            close(fd);
    }
    pause();
}

static int wants(const char *what)
{
    const char *p = getenv("BRIEFING_PAUSE");
    return p && strcmp(p, what) == 0 && !__atomic_exchange_n(&paused, 1, __ATOMIC_SEQ_CST);
}

static int is_temporary(int fd)
{
    char link[64], path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n <= 0)
        return 0;
    path[n] = 0;
    const char *base = strrchr(path, '/');
    return base && base[1] == '.';
}

ssize_t write(int fd, const void *buf, size_t count)
{
    static ssize_t (*real)(int, const void *, size_t);
    if (!real)
        real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    if (count > 1 && is_temporary(fd) && wants("write")) {
        ssize_t n = real(fd, buf, count / 2);
        wait_here();
        return n;
    }
    return real(fd, buf, count);
}

int rename(const char *from, const char *to)
{
    static int (*real)(const char *, const char *);
    if (!real)
        real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
    if (wants("rename"))
        wait_here();
    return real(from, to);
}
