/*
 * fs.h - mkdir -p and touch, built on the action layer (sys.h): every
 * directory or file they make is recorded for undo, and under a confining
 * root (path.h) every component is resolved inside it, so a ".." or a
 * symlink in the image cannot make them create anything outside.
 */
#ifndef PREPBOX_FS_H
#define PREPBOX_FS_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"
#include "path.h"
#include "run.h"

/*
 * fs_same_object - whether the descriptors @a and @b (O_PATH ones too) are
 * one object: the same device and inode (fstat(2)). The same directory seen
 * through two mounts of it counts as one. Returns false when either fstat
 * fails (EBADF).
 */
bool fs_same_object(int a, int b);

/*
 * fs_mkdir_p - make the directory @path under @root and any missing parents,
 * mode @mode (as mkdir -p). Each directory made is recorded (rmdir on undo);
 * existing ones are left as they are. With -n, plans "mkdir -p PATH" when
 * something is missing, and makes nothing.
 * @fdp: on success, an O_PATH descriptor of the directory (the caller closes
 *	it), or -1 with -n when the directory does not exist yet.
 * Returns 0, or -1 with @e set: ENOTDIR (a file is in the way), ENOENT (a
 * dangling symlink that points nowhere creatable), ENAMETOOLONG, EACCES,
 * ELOOP, ENOSYS (no openat2 for a confined path), and mkdir(2)'s errors.
 */
int fs_mkdir_p(struct run *r, const struct fsroot *root, const char *path, mode_t mode, int *fdp,
	       struct err *e);

/*
 * fs_touch_p - make sure @path under @root exists, creating its parents
 * (0755) and, when nothing is there, an empty regular file with @mode
 * (O_EXCL: an existing file is never truncated). What exists is kept.
 * @fdp, return and errors: as fs_mkdir_p(), but @fdp names the object at
 * @path (which may be a directory or anything that was there).
 * @created: set to 1 when this call created the file, else 0; may be NULL.
 */
int fs_touch_p(struct run *r, const struct fsroot *root, const char *path, mode_t mode, int *fdp,
	       int *created, struct err *e);

#endif
