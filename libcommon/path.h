/*
 * path.h - resolving and creating paths, confined to a root when the path
 * comes from the image.
 *
 * Relative paths in the config name things inside BUNDLE/rootfs, which is
 * image content and not trusted: they are resolved with openat2(2)
 * RESOLVE_IN_ROOT, so that neither ".." nor a symlink (absolute ones are taken
 * relative to the rootfs) can lead outside it, and every later operation
 * works on the resolved descriptor. So are absolute ones below the rootfs
 * (run_root_for(), run.h); other absolute paths come from the trusted config
 * and are resolved as given. See openat2(2), path_resolution(7).
 */
#ifndef PREPBOX_PATH_H
#define PREPBOX_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "err.h"

/* Where paths are resolved. */
struct fsroot {
	int fd;		   /* a directory (the rootfs, O_PATH), or AT_FDCWD */
	bool in_root;	   /* resolve with RESOLVE_IN_ROOT against fd */
	const char *shown; /* fd as messages show it ("/b/rootfs"); "" for AT_FDCWD */
};

/* The root for absolute, trusted paths: AT_FDCWD, nothing confined. */
extern const struct fsroot fsroot_host;

/*
 * path_open - open @path under @root, with O_PATH | O_CLOEXEC | @oflags
 * (O_DIRECTORY, O_NOFOLLOW... are honoured). Under a confining root, ".." and
 * symlinks stay inside it and magic links (/proc/self/root) are refused.
 * Returns the descriptor, or -1 with errno set and @e set (the message names
 * the path as shown, and adds path_hint()'s words): ENOENT, ENOTDIR, ELOOP (a
 * magic link or symlink loop), EXDEV, ENOSYS (a kernel before 5.6 has no
 * openat2: confined paths cannot be resolved safely, so they are refused),
 * and any error of openat(2).
 * @e may be NULL when only errno is wanted.
 */
int path_open(const struct fsroot *root, const char *path, int oflags, struct err *e);

/*
 * path_open_nosymlinks - as path_open(), but no symlink is followed, the last
 * component included (openat2(2) RESOLVE_NO_SYMLINKS, also for fsroot_host):
 * for a place the image must not choose through a symlink (a bind source
 * inside the rootfs, the mount a remount changes). A symlink on the way is
 * ELOOP, and @e says so ("PATH goes through a symlink, which is not
 * followed here", errnum 0). Other errors as path_open().
 */
int path_open_nosymlinks(const struct fsroot *root, const char *path, int oflags, struct err *e);

/*
 * path_show - @path as messages show it: "ROOT/path" under a confining root,
 * @path itself otherwise. Writes into @buf (@len bytes, cut if longer) and
 * returns @buf.
 */
const char *path_show(const struct fsroot *root, const char *path, char *buf, size_t len);

/*
 * path_show_fd - the object open as @fd (found under @root) as messages show
 * it: where it really is (/proc/self/fd: no symlink, "." or ".." left), as
 * "ROOT/path" when that is below @root, else its absolute path. Writes into
 * @buf (@len bytes, cut if longer) and returns @buf.
 */
const char *path_show_fd(const struct fsroot *root, int fd, char *buf, size_t len);

/*
 * path_show_resolved - @path under @root as the plan (-n) shows it: under a
 * confining root, its longest leading part that exists, resolved as the run
 * will resolve it (RESOLVE_IN_ROOT: a symlink of the image is followed inside
 * the rootfs) and shown where it really is, then the rest as written, taken
 * lexically; so the plan names the place the run acts on, not what the
 * image's symlink would mean on the host. As path_show() for the host root,
 * and when nothing can be resolved. Writes into @buf (@len bytes, cut if
 * longer) and returns @buf.
 */
const char *path_show_resolved(const struct fsroot *root, const char *path, char *buf, size_t len);

/*
 * path_hint - what a message about resolving under @root should add to
 * strerror(@errnum): under a confining root, ELOOP is either a symlink loop
 * or a magic link that RESOLVE_NO_MAGICLINKS refused (the kernel says the
 * same for both), so ": a symlink loop, or a /proc magic link, which is not
 * followed inside the rootfs"; "" otherwise.
 */
const char *path_hint(const struct fsroot *root, int errnum);

/*
 * path_split - the last component of @path and the length of the part before
 * it: for "a/b/c/" returns "c/" and sets *dirlen to 4 ("a/b/"). A path with
 * one component gives *dirlen 0. Trailing slashes stay on the name; callers
 * that pass it to *at() calls strip them with path_namelen().
 */
const char *path_split(const char *path, size_t *dirlen);

/* path_namelen - the length of @name without trailing slashes. */
size_t path_namelen(const char *name);

/*
 * path_of_fd - the path the kernel gives the object open as @fd: the target
 * of the magic link /proc/self/fd/FD (readlink(2), proc(5)), which is d_path()
 * seen from this process's root: no symlink, "." or "..", but "(unreachable)"
 * before it for what is outside that root and " (deleted)" after it for what
 * was removed. Callers that compare it take a leading "/" as the sign it is a
 * path. Into @buf, @len bytes, NUL-terminated.
 * Returns 0, or -1 with errno set: ENOENT (no /proc mounted, or @fd is not
 * open), ENAMETOOLONG (it does not fit in @len bytes).
 */
int path_of_fd(int fd, char *buf, size_t len);

/*
 * path_locate - where the object open as @fd (found under @root) really is:
 * its path from /proc/self/fd (no symlink, "." or ".." left), relative to
 * @root when @root confines (absolute for fsroot_host), and the directory
 * that holds it, resolved under @root again and checked (device and inode)
 * to hold that very object under that name. Used to reach what gets mounted
 * on top of @fd later, and to name it for the undo, by a path that does not
 * depend on symlinks.
 * @rel, @len: receives the path ("run/x"); @dirfdp: receives an O_PATH
 *	descriptor of its directory, owned by the caller.
 * Returns 0, or -1 with @e set: EXDEV (the object is not below @root, or its
 * name no longer leads to it), EINVAL (it is @root itself, or the root of
 * the file system tree), ENAMETOOLONG, and readlink(2)/openat2(2) errors.
 */
int path_locate(const struct fsroot *root, int fd, char *rel, size_t len, int *dirfdp,
		struct err *e);

#endif
