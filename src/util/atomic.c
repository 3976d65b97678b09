#define _GNU_SOURCE /* O_TMPFILE, linkat */
#include "util/atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/xalloc.h"

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

bool atomic_open(atomic_out *o, const char *path)
{
    *o = (atomic_out){.path = xstrdup(path), .fd = -1};
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a device or pipe (/dev/stdout, /dev/full): write to it directly */
        o->fd = open(path, O_WRONLY);
        return o->fd >= 0;
    }
    mode_t um = umask(0);
    umask(um);
#ifdef O_TMPFILE
    char *dir = dir_of(path);
    o->fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666 & ~um);
    free(dir);
    if (o->fd >= 0) {
        o->unnamed = true;
        return true;
    }
    /* no such directory, no right to write there: say so; a file system
     * without O_TMPFILE: a named temporary file */
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
        return false;
#endif
    o->tmp = xasprintf("%s.tmp.XXXXXX", path);
    o->fd = mkstemp(o->tmp);
    if (o->fd < 0) {
        int e = errno;
        free(o->tmp);
        o->tmp = NULL;
        errno = e;
        return false;
    }
    /* mkstemp makes 0600; outputs are ordinary files */
    fchmod(o->fd, 0666 & ~um);
    return true;
}

/* Links the unnamed file open on fd to `path`: directly when nothing has
 * the name, else under a hidden name beside it that is renamed over it.
 * /proc/self/fd/N with AT_SYMLINK_FOLLOW needs no privilege (open(2)). */
static bool link_unnamed(int fd, const char *path)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    if (linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0)
        return true;
    if (errno != EEXIST)
        return false;
    char *dir = dir_of(path);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    bool ok = false;
    for (int attempt = 0; attempt < 16 && !ok; attempt++) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        char *tmp = xasprintf("%s/.%s.%ld.%ld", dir, base, (long)getpid(),
                              (long)ts.tv_nsec + attempt);
        if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0) {
            ok = rename(tmp, path) == 0;
            if (!ok) {
                int e = errno;
                unlink(tmp);
                errno = e;
            }
            free(tmp);
            break;
        }
        free(tmp);
        if (errno != EEXIST)
            break;
    }
    free(dir);
    return ok;
}

bool atomic_commit(atomic_out *o)
{
    bool ok = true;
    if (o->fd < 0)
        return false;
    if (fsync(o->fd) != 0 && errno != EINVAL)
        ok = false;
    if (ok && o->unnamed)
        ok = link_unnamed(o->fd, o->path);
    int e = errno;
    if (close(o->fd) != 0 && ok) {
        e = errno;
        ok = false;
    }
    o->fd = -1;
    if (o->tmp) {
        if (ok && rename(o->tmp, o->path) != 0) {
            e = errno;
            ok = false;
        }
        if (!ok)
            unlink(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
    }
    errno = e;
    return ok;
}

void atomic_abort(atomic_out *o)
{
    if (o->fd >= 0)
        close(o->fd); /* an unnamed file goes with its last descriptor */
    o->fd = -1;
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
}

bool make_dirs(const char *dir, unsigned mode)
{
    char *p = xstrdup(dir);
    for (char *q = p + 1; *q; q++)
        if (*q == '/') {
            *q = '\0';
            mkdir(p, (mode_t)mode);
            *q = '/';
        }
    bool ok = mkdir(p, (mode_t)mode) == 0 || errno == EEXIST;
    free(p);
    return ok;
}

void file_identity(const char *path, buf *out)
{
    struct stat sb;
    if (stat(path, &sb) == 0)
        buf_printf(out, "%s %lld %llu:%llu %lld.%09ld %lld.%09ld\n", path,
                   (long long)sb.st_size, (unsigned long long)sb.st_dev,
                   (unsigned long long)sb.st_ino, (long long)sb.st_mtim.tv_sec,
                   sb.st_mtim.tv_nsec, (long long)sb.st_ctim.tv_sec,
                   sb.st_ctim.tv_nsec);
    else
        buf_printf(out, "%s -\n", path);
}
