/* Outputs are written to a file that has no name until it is complete,
 * so no way a run can end (an error, a crash, SIGKILL, power loss) leaves
 * a broken or half-written file beside the target. On Linux the file is
 * made unnamed in the target's directory (O_TMPFILE) and linked into
 * place when complete: straight to the target's name when there is none
 * yet, else to a hidden name that is at once renamed over the target (a
 * window of one system call). Where the file system has no O_TMPFILE, a
 * named temporary file beside the target is renamed instead, and only
 * SIGKILL or power loss can leave it. A path that names a device or a
 * pipe is written directly. */
#ifndef KM_ATOMIC_H
#define KM_ATOMIC_H
#include <stdbool.h>

typedef struct atomic_out {
    char *path; /* the final path (owned) */
    char *tmp;  /* the named temporary file, when there is one (owned) */
    bool unnamed; /* fd is an O_TMPFILE file */
    int fd;     /* open for writing, or -1 */
} atomic_out;

/* Creates the temporary file. On failure returns false with errno set. */
bool atomic_open(atomic_out *o, const char *path);
/* Gives the file its name after an fsync. On failure nothing is left. */
bool atomic_commit(atomic_out *o);
/* Removes what is not committed, and frees. Safe after commit and on a
 * zeroed o with fd -1. */
void atomic_abort(atomic_out *o);

/* Makes a directory and the ones above it that are missing, with `mode`
 * (less the umask); true if it is there at the end, else errno says why. */
bool make_dirs(const char *dir, unsigned mode);

/* What tells a file from another with the same name (its size, inode,
 * and change and modification times), after its path, as one line on out:
 * for a cache key (a file replaced, even with cp -p, is another). */
struct buf;
void file_identity(const char *path, struct buf *out);

#endif
