#define _POSIX_C_SOURCE 200809L
#include "util/atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xalloc.h"

bool atomic_open(atomic_out *o, const char *path)
{
    o->path = xstrdup(path);
    o->tmp = NULL;
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a device or pipe (/dev/stdout, /dev/full): write to it directly */
        o->fd = open(path, O_WRONLY);
        return o->fd >= 0;
    }
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
    mode_t um = umask(0);
    umask(um);
    fchmod(o->fd, 0666 & ~um);
    return true;
}

bool atomic_commit(atomic_out *o)
{
    bool ok = true;
    if (o->fd >= 0) {
        if (fsync(o->fd) != 0 && errno != EINVAL)
            ok = false;
        if (close(o->fd) != 0)
            ok = false;
        o->fd = -1;
    }
    if (!o->tmp)
        return ok;
    if (ok && rename(o->tmp, o->path) != 0)
        ok = false;
    if (!ok) {
        int e = errno;
        unlink(o->tmp);
        errno = e;
    }
    free(o->tmp);
    o->tmp = NULL;
    return ok;
}

void atomic_abort(atomic_out *o)
{
    if (o->fd >= 0)
        close(o->fd);
    o->fd = -1;
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
}
