/*
 * cleanup.h - prep-cleanup's work: unmount every mount at or below
 * BUNDLE/rootfs, deepest first (umount(8) -R, but confined).
 */
#ifndef PREPBOX_CLEANUP_H
#define PREPBOX_CLEANUP_H

#include "err.h"
#include "run.h"

/*
 * cleanup_rootfs - unmount every mount whose mount point is r->bundle/rootfs
 * or below it (by path component: BUNDLE/rootfs.old is not below it), read
 * from /proc/self/mountinfo, deepest first and, on one mount point, the most
 * recent first. Before that, the top mounts of what is there (those whose
 * parent mount is not one of them: the rootfs's own when it is a mount) are
 * made private with all below them (mount --make-rprivate): an unmount
 * propagates to the peers of the parent mount, and the sub-mounts an rbind
 * of a shared host mount copied are peers of the host's own. Each mount is
 * reached from the rootfs without following symlinks (the container may
 * have changed its tree) and checked by mount ID before it is made private
 * or unmounted. A mount hidden by a later one over the directory that holds
 * it is dealt with once that one is gone. Nothing mounted, or no
 * BUNDLE/rootfs, is success. Best effort: a mount that cannot be unmounted
 * is passed to r->warn and the others still are.
 * With -n, plans the same actions in the same order, checking nothing in
 * the kernel (what would be in reach is read from mountinfo).
 * Returns 0 when nothing is left mounted, or -1 with @e set (the count of
 * mounts left, with the errno of the last failure: EBUSY...).
 */
int cleanup_rootfs(struct run *r, struct err *e);

#endif
