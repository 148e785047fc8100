/*
 * confine.h - the rootfs is image content: beyond what openat2(2)
 * RESOLVE_IN_ROOT keeps inside it (path.h), a symlink in the image must not
 * be able to send a mount somewhere whose mount events reach the host. See
 * the kernel's Documentation/filesystems/sharedsubtree.rst.
 */
#ifndef PREPBOX_CONFINE_H
#define PREPBOX_CONFINE_H

#include "err.h"
#include "path.h"

/*
 * confine_propagation - check a mount destination resolved inside the rootfs.
 * @root: the rootfs (a confining struct fsroot).
 * @path: the destination as the config gives it (relative to the rootfs).
 * @fd: the destination as path_open()/fs_mkdir_p() resolved it (O_PATH).
 * When the resolution followed a symlink (the resolved place is not where
 * @path reads, ".." and "." taken lexically), and the mount that holds that
 * place is shared with a peer, or has a slave, whose mount point is outside
 * the rootfs, a mount made there would appear outside it: refused. Where the
 * config itself names such a place (no symlink involved), it is the
 * config's choice, as with mount(8).
 * Returns 0, or -1 with @e set: EXDEV (refused; the message names the place
 * and where its mounts would go), or the errno of reading /proc/self/fd or
 * /proc/self/mountinfo.
 */
int confine_propagation(const struct fsroot *root, const char *path, int fd, struct err *e);

/*
 * confine_lexical - @path with ".", "//" and ".." taken lexically (".." at
 * the top stays at the top, as RESOLVE_IN_ROOT does), without a leading or
 * trailing slash, into @buf (@len bytes). Returns @buf, or NULL when it does
 * not fit.
 */
char *confine_lexical(const char *path, char *buf, size_t len);

#endif
