/*
 * sys.h - the thin layer every change to the kernel's state goes through.
 *
 * Each sys_* call is one action: it first checks that no stop signal came
 * (run_stop_signal) and counts the action (a test build fails the action
 * numbered PREPBOX_FAIL_AT here, with EIO, before doing anything); with -n it
 * prints the action on standard output in the words of the command that
 * would do it, and does nothing; otherwise it acts, logs the action with -v,
 * and records its inverse in the run's journal when it created something.
 *
 * Objects are named by a root and a path under it (path.h), so that an undo
 * can find them again the same confined way, and so messages show them.
 * All return -1 with @e set on failure ("mkdir /b/rootfs/x: Permission denied").
 */
#ifndef PREPBOX_SYS_H
#define PREPBOX_SYS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "err.h"
#include "path.h"
#include "run.h"

/*
 * sys_mkdirat - mkdir(2) @name (one component) in directory @dirfd, mode @mode.
 * @root, @rel: the same directory as a path under @root, for the message and
 * the undo record (rmdir).
 * Returns 1 when it made the directory, 0 when @name already existed (EEXIST:
 * nothing is recorded, whatever is there), -1 on any other error; with -n,
 * 1 when it plans it, and 2 when an earlier entry planned it (run_planned():
 * it would be there by then, made by that entry).
 */
int sys_mkdirat(struct run *r, const struct fsroot *root, const char *rel, int dirfd,
		const char *name, mode_t mode, struct err *e);

/*
 * sys_creatat - create the empty regular file @name in @dirfd (O_CREAT |
 * O_EXCL, so an existing file is never truncated), mode @mode, as a mount
 * point. Undo: unlink. Returns 1 created, 0 when @name already exists
 * (EEXIST), -1 on any other error.
 */
int sys_creatat(struct run *r, const struct fsroot *root, const char *rel, int dirfd,
		const char *name, mode_t mode, struct err *e);

/*
 * sys_mount - mount(2) onto the object open as @target_fd (through
 * /proc/self/fd, so the path cannot be swapped after it was resolved).
 * @source, @type, @flags, @data: as mount(2); @root, @rel: the target as a
 * path under @root. @cmd: the action in mount(8) words, for -v and -n.
 * A call that makes a new mount (no MS_REMOUNT, no propagation flag) records
 * an unmount; for a recursive bind (MS_BIND|MS_REC), a lazy unmount of the
 * whole tree (MNT_DETACH), since the sub-mounts it brought along were not
 * made one by one. Either undo first makes the mount private with all below
 * it (MS_REC|MS_PRIVATE): an unmount propagates through the parent mount's
 * peer group, and the sub-mounts an rbind copied from a shared host mount
 * are peers of the host's own. A mount that covers BUNDLE/rootfs
 * (run_covers_rootfs()) is undone lazily too: the run may hold the rootfs
 * open on it since (run_rootfs()), which would keep a plain unmount busy.
 * With -n, @target_fd may be -1.
 * errno values are mount(2)'s: ENOENT (missing source), ENODEV (unknown
 * filesystem type), EINVAL (options the filesystem rejects), EPERM...
 */
int sys_mount(struct run *r, const char *source, int target_fd, const struct fsroot *root,
	      const char *rel, const char *type, unsigned long flags, const char *data,
	      const char *cmd, struct err *e);

/*
 * sys_remount - mount(2) with MS_REMOUNT (and MS_BIND when @flags has it) on
 * the existing mount open as @target_fd, @shown naming it; @cmd as for
 * sys_mount(). Unlike a remount of a mount this run made, this changes a
 * mount that was there before, so it records an undo that puts back its
 * per-mount flags (MS_* of MOUNTOPT_PER_MOUNT in @old, as /proc/self/mountinfo
 * showed them) and, when @flags has no MS_BIND (the superblock was
 * reconfigured too), the superblock's read-only state @old_sb_ro and its
 * flags in @old (MS_SYNCHRONOUS, MS_DIRSYNC, MS_LAZYTIME, MS_MANDLOCK,
 * MS_I_VERSION). The filesystem's own options (data) cannot be put back in
 * general and are not.
 * The undo holds a duplicate of @target_fd. errno values are mount(2)'s:
 * EINVAL (not a mount point), EPERM (a locked flag dropped)...
 */
int sys_remount(struct run *r, int target_fd, const char *shown, unsigned long flags,
		const char *data, unsigned long old, bool old_sb_ro, const char *cmd,
		struct err *e);

/*
 * sys_mount_setattr - mount_setattr(2) on the mount open as @target_fd,
 * @flags (AT_RECURSIVE), setting @attr_set. Recorded nothing: the mount it
 * changes was made by this run and its unmount is recorded already. ENOSYS
 * on kernels before 5.12.
 */
int sys_mount_setattr(struct run *r, int target_fd, unsigned int flags,
		      unsigned long long attr_set, const char *cmd, struct err *e);

/*
 * sys_umount - unmount the mount on @name in the directory @dirfd (a
 * component, not followed if it is a symlink: UMOUNT_NOFOLLOW), or on the
 * absolute path @name when @dirfd is AT_FDCWD. Through /proc/self/fd/DIRFD/NAME,
 * so only the last component is looked up again; the caller holds no
 * descriptor on the mount itself, which would make it busy. @shown names it.
 * When @undo is not NULL it is recorded after the unmount succeeded (what
 * puts the mount back).
 * errno: EBUSY (in use, or has mounts below), EINVAL (not a mount point).
 */
int sys_umount(struct run *r, int dirfd, const char *name, const char *shown,
	       const struct undo *undo, struct err *e);

/*
 * sys_umount_lazy - as sys_umount(), but with MNT_DETACH ("umount -l", as
 * `ip netns delete` does): the mount leaves the tree at once even while
 * descriptors still refer to it, and is freed when the last one is closed.
 * For replacing a namespace bind, whose @undo holds the old namespace open
 * through that very mount (a plain unmount would then be EBUSY).
 * The journal takes over @undo's path, shown and fd only when it is recorded:
 * after a failure, or with -n (nothing unmounted, nothing recorded), they
 * stay the caller's to free.
 * errno: EINVAL (not a mount point), EPERM, and umount2(2)'s others.
 */
int sys_umount_lazy(struct run *r, int dirfd, const char *name, const char *shown,
		    const struct undo *undo, struct err *e);

/*
 * sys_record_rmtree - no action now: records that the rollback removes the
 * directory @path under @root, if it is there, with what is in it, where a
 * later action of this run makes the kernel create it (overlay's work/ and
 * index/ in its workdir, and work/incompat/volatile/dirty). Bounded to what
 * the kernel makes there: directories, and files named "dirty"; symlinks are
 * never followed, and anything else is left and reported. Returns 0, or -1
 * with @e set (ENOMEM).
 */
int sys_record_rmtree(struct run *r, const struct fsroot *root, const char *path, struct err *e);

/*
 * sys_writeat - write @len bytes of @buf to the existing file @name in
 * @dirfd (O_WRONLY | O_TRUNC), as "echo BUF > SHOWN" says. Records nothing:
 * used on files inside a directory this run created (cpuset.cpus).
 */
int sys_writeat(struct run *r, int dirfd, const char *name, const char *shown,
		const char *buf, size_t len, struct err *e);

/*
 * sys_begin - the checks that open every action (stop signal, counting,
 * fault injection). For action layers outside this file (nl.h); @what names
 * the action for the message. Returns 0 to go on, -1 with @e set.
 */
int sys_begin(struct run *r, const char *what, struct err *e);

/* sys_done - log a finished action with -v, or plan it with -n. */
void sys_done(const struct run *r, const char *cmd);

#endif
