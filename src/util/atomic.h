/* Outputs are written to a temporary file beside the target and renamed
 * into place only when complete, so a failed run never leaves a broken
 * file at the output path. A path that names a device or a pipe is
 * written directly. */
#ifndef KM_ATOMIC_H
#define KM_ATOMIC_H
#include <stdbool.h>

typedef struct atomic_out {
    char *path; /* the final path (owned) */
    char *tmp;  /* the temporary path in the same directory (owned) */
    int fd;     /* open on tmp, or -1 */
} atomic_out;

/* Creates the temporary file. On failure returns false with errno set. */
bool atomic_open(atomic_out *o, const char *path);
/* Renames tmp to path after an fsync. On failure removes tmp. */
bool atomic_commit(atomic_out *o);
/* Removes tmp, if any, and frees. Safe after commit and on a zeroed o. */
void atomic_abort(atomic_out *o);

#endif
