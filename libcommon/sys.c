/*
 * sys.c - the thin action layer (sys.h): every change prepbox makes to the
 * kernel's state, other than netlink requests (nl.c), happens here.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mountopt.h"
#include "msg.h"
#include "sys.h"
#include "syscalls.h"

#define PROPAGATION (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE)

int sys_begin(struct run *r, const char *what, struct err *e)
{
	if (run_stop_signal)
		return err_set(e, 0, "stopped by signal %d (%s) before: %s", (int)run_stop_signal,
			       strsignal(run_stop_signal), what);
	if (++r->actions == r->fail_at)
		return err_set(e, EIO, "%s: injected fault at action %lu", what, r->actions);
	return 0;
}

void sys_done(const struct run *r, const char *cmd)
{
	if (r->dry_run)
		msg_plan("%s", cmd);
	else
		msg_action("%s", cmd);
}

/* Records @fn on (@root, @rel), shown as @shown; the caller reserved the slot. */
static void record(struct run *r, undo_fn fn, const struct fsroot *root, const char *rel,
		   const char *shown)
{
	struct undo u = { .fn = fn, .dirfd = root->fd, .in_root = root->in_root,
			  .fd = -1, .fd2 = -1 };

	/* Memory for the strings is best effort: without the path, the undo reports it. */
	u.path = strdup(rel);
	u.shown = strdup(shown);
	journal_push(&r->journal, &u);
}

/* Opens the directory that holds the object of @u, and names the object. */
static int open_parent(const struct undo *u, char *name, size_t len, struct err *e)
{
	const struct fsroot root = { u->dirfd, u->in_root, "" };
	char dir[4200];
	size_t dirlen, n;
	const char *base;

	if (!u->path)
		return err_set(e, ENOMEM, "undo: the path was not recorded");
	base = path_split(u->path, &dirlen);
	n = path_namelen(base);
	if (n >= len || dirlen >= sizeof(dir))
		return err_set(e, ENAMETOOLONG, "undo %s", u->path);
	memcpy(name, base, n);
	name[n] = '\0';
	memcpy(dir, u->path, dirlen);
	dir[dirlen] = '\0';
	return path_open(&root, dirlen ? dir : ".", O_DIRECTORY, e);
}

static const char *undo_shown(const struct undo *u)
{
	return u->shown ? u->shown : u->path ? u->path : "?";
}

/*
 * Undoes @u by @op(parent directory, name, @flags) on the object it records,
 * found again from its root; @verb names the undo in messages ("rmdir").
 */
static int undo_at(const struct undo *u, int (*op)(int dfd, const char *name, int flags),
		   int flags, const char *verb, struct err *e)
{
	char name[4096];
	int dfd = open_parent(u, name, sizeof(name), e);

	if (dfd < 0)
		return err_prefix(e, "undo: %s %s", verb, undo_shown(u));
	if (op(dfd, name, flags) < 0) {
		err_set(e, errno, "undo: %s %s", verb, undo_shown(u));
		close(dfd);
		return -1;
	}
	close(dfd);
	msg_action("undo: %s %s", verb, undo_shown(u));
	return 0;
}

static int undo_remove(const struct undo *u, int flags, const char *verb, struct err *e)
{
	return undo_at(u, unlinkat, flags, verb, e);
}

static int undo_rmdir(const struct undo *u, struct err *e)
{
	return undo_remove(u, AT_REMOVEDIR, "rmdir", e);
}

static int undo_unlink(const struct undo *u, struct err *e)
{
	return undo_remove(u, 0, "rm", e);
}

/* Deeper than overlay's work/incompat/volatile/dirty: a bound, not a limit. */
#define RMTREE_DEPTH 8

/*
 * Empties the directory @fd (open for reading; closed here), @shown naming
 * it, of what overlay makes in a workdir: directories, and files named
 * "dirty". Anything else is left; so is what is deeper than RMTREE_DEPTH.
 * Keeps going past what it leaves; returns -1 with @e set for one of them.
 */
static int empty_dir(int fd, const char *shown, int depth, struct err *e)
{
	DIR *dir = fdopendir(fd);
	char path[4200];
	struct dirent *d;
	struct stat st;
	int sub, rc = 0;

	if (!dir) {
		close(fd);
		return err_set(e, errno, "undo: rm -r %s", shown);
	}
	while ((d = readdir(dir))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", shown, d->d_name);
		if (fstatat(dirfd(dir), d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = err_set(e, errno, "undo: rm -r %s", path);
		} else if (S_ISDIR(st.st_mode) && depth < RMTREE_DEPTH) {
			sub = openat(dirfd(dir), d->d_name,
				     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0)
				rc = err_set(e, errno, "undo: rm -r %s", path);
			else if (empty_dir(sub, path, depth + 1, e) < 0)
				rc = -1;
			else if (unlinkat(dirfd(dir), d->d_name, AT_REMOVEDIR) < 0)
				rc = err_set(e, errno, "undo: rmdir %s", path);
		} else if (S_ISREG(st.st_mode) && !strcmp(d->d_name, "dirty")) {
			if (unlinkat(dirfd(dir), d->d_name, 0) < 0)
				rc = err_set(e, errno, "undo: rm %s", path);
		} else {
			rc = err_set(e, 0, "undo: kept %s: not what overlay makes in its workdir",
				     path);
		}
	}
	closedir(dir);
	return rc;
}

/* rm -r, bounded (empty_dir()); nothing there is fine: the kernel may not have made it. */
static int undo_rmtree(const struct undo *u, struct err *e)
{
	char name[4096];
	int dfd = open_parent(u, name, sizeof(name), e), fd, rc = 0;

	if (dfd < 0)
		return errno == ENOENT ? 0 : err_prefix(e, "undo: rm -r %s", undo_shown(u));
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno != ENOENT)
		rc = err_set(e, errno, "undo: rm -r %s", undo_shown(u));
	else if (fd >= 0 && empty_dir(fd, undo_shown(u), 1, e) < 0)
		rc = -1;
	else if (fd >= 0 && unlinkat(dfd, name, AT_REMOVEDIR) < 0)
		rc = err_set(e, errno, "undo: rmdir %s", undo_shown(u));
	else if (fd >= 0)
		msg_action("undo: rm -r %s", undo_shown(u));
	close(dfd);
	return rc;
}

int sys_record_rmtree(struct run *r, const struct fsroot *root, const char *path, struct err *e)
{
	char shown[4200];

	if (journal_reserve(&r->journal, e) < 0)
		return -1;
	if (!r->dry_run)
		record(r, undo_rmtree, root, path, path_show(root, path, shown, sizeof(shown)));
	return 0;
}

static int umount_at(int dirfd, const char *name, int flags)
{
	char proc[4200];

	if (dirfd == AT_FDCWD)
		return umount2(name, UMOUNT_NOFOLLOW | flags);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d/%s", dirfd, name);
	return umount2(proc, UMOUNT_NOFOLLOW | flags);
}

/*
 * Unmounts the mount on @name in @dirfd (umount2(2) @flags), made private
 * first with all that is below it (MS_REC|MS_PRIVATE, through a descriptor
 * of the mount itself: nothing followed, nothing swapped in). An unmount
 * propagates to the peers of the parent mount: a sub-mount that an rbind of
 * a shared host mount copied is a peer of the host's original, and
 * unmounting the copy would unmount the original too. A mount about to go
 * loses its peers and nothing else does.
 */
static int umount_private_at(int dirfd, const char *name, int flags)
{
	char proc[64];
	int fd, rc, saved;

	fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	rc = mount(NULL, proc, NULL, MS_REC | MS_PRIVATE, NULL);
	saved = errno;
	/* our descriptor would keep the mount busy */
	close(fd);
	errno = saved;
	return rc < 0 ? -1 : umount_at(dirfd, name, flags);
}

static int undo_umount_flags(const struct undo *u, int flags, struct err *e)
{
	return undo_at(u, umount_private_at, flags, flags & MNT_DETACH ? "umount -l" : "umount", e);
}

static int undo_umount(const struct undo *u, struct err *e)
{
	return undo_umount_flags(u, 0, e);
}

/*
 * A recursive bind brought sub-mounts this run did not make one by one: they
 * go with it, in one lazy unmount of the whole tree (umount2(2) MNT_DETACH).
 */
static int undo_umount_tree(const struct undo *u, struct err *e)
{
	return undo_umount_flags(u, MNT_DETACH, e);
}

/* Whether @name exists in @dirfd; -1 (a directory planned, not made) has nothing. */
static bool exists(int dirfd, const char *name)
{
	struct stat st;

	return dirfd != -1 && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/*
 * @rel under @root, about to be made, as a plan (-n) or an action (-v) shows
 * it: where the run makes it (path_show_resolved(): an image symlink on the
 * way shown resolved), so that the line names the place acted on. Left as
 * spelled when nobody will see it, to save the look-up.
 */
static const char *show_made(const struct run *r, const struct fsroot *root, const char *rel,
			     char *buf, size_t len)
{
	if (!r->dry_run && msg_level < MSG_VERBOSE)
		return path_show(root, rel, buf, len);
	return path_show_resolved(root, rel, buf, len);
}

int sys_mkdirat(struct run *r, const struct fsroot *root, const char *rel, int dirfd,
		const char *name, mode_t mode, struct err *e)
{
	char shown[4200], cmd[4300];

	show_made(r, root, rel, shown, sizeof(shown));
	msg_cmd(cmd, sizeof(cmd), "mkdir %s", msg_quote(shown));
	if (sys_begin(r, cmd, e) < 0 || journal_reserve(&r->journal, e) < 0)
		return -1;
	if (r->dry_run) {
		/* What exists would be EEXIST: not part of the plan; nor is what is planned. */
		if (exists(dirfd, name))
			return 0;
		if (run_planned(r, shown))
			return 2;
		sys_done(r, cmd);
		run_plan(r, shown);
		return 1;
	}
	if (mkdirat(dirfd, name, mode) < 0) {
		if (errno == EEXIST)
			return 0;
		return err_set(e, errno, "mkdir %s", shown);
	}
	record(r, undo_rmdir, root, rel, shown);
	sys_done(r, cmd);
	return 1;
}

int sys_creatat(struct run *r, const struct fsroot *root, const char *rel, int dirfd,
		const char *name, mode_t mode, struct err *e)
{
	char shown[4200], cmd[4300];
	int fd;

	show_made(r, root, rel, shown, sizeof(shown));
	msg_cmd(cmd, sizeof(cmd), "touch %s", msg_quote(shown));
	if (sys_begin(r, cmd, e) < 0 || journal_reserve(&r->journal, e) < 0)
		return -1;
	if (r->dry_run) {
		if (exists(dirfd, name))
			return 0;
		sys_done(r, cmd);
		return 1;
	}
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0) {
		if (errno == EEXIST)
			return 0;
		return err_set(e, errno, "create %s", shown);
	}
	close(fd);
	record(r, undo_unlink, root, rel, shown);
	sys_done(r, cmd);
	return 1;
}

int sys_mount(struct run *r, const char *source, int target_fd, const struct fsroot *root,
	      const char *rel, const char *type, unsigned long flags, const char *data,
	      const char *cmd, struct err *e)
{
	char shown[4200], proc[64];
	bool lazy, covers;

	path_show(root, rel, shown, sizeof(shown));
	if (sys_begin(r, cmd, e) < 0 || journal_reserve(&r->journal, e) < 0)
		return -1;
	if (r->dry_run) {
		/* A new mount there hides what was planned below it: named as the plan names it. */
		if (!(flags & (MS_REMOUNT | PROPAGATION))) {
			if (target_fd >= 0)
				path_show_fd(root, target_fd, shown, sizeof(shown));
			else
				path_show_resolved(root, rel, shown, sizeof(shown));
			run_unplan_below(r, shown);
		}
		sys_done(r, cmd);
		return 0;
	}
	covers = !(flags & (MS_REMOUNT | PROPAGATION)) &&
		 run_covers_rootfs(r, target_fd) != RUN_COVER_NONE;
	lazy = (flags & (MS_BIND | MS_REC)) == (MS_BIND | MS_REC) || covers;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", target_fd);
	if (mount(source, proc, type, flags, data) < 0)
		return err_set(e, errno, "%s", cmd);
	if (!(flags & (MS_REMOUNT | PROPAGATION)))
		record(r, lazy ? undo_umount_tree : undo_umount, root, rel, shown);
	/* BUNDLE/rootfs may lead elsewhere now: run_rootfs() looks again. */
	if (covers)
		r->rootfs_moved = true;
	sys_done(r, cmd);
	return 0;
}

/* The superblock flags a remount's undo puts back, besides its read-only state. */
/* struct undo.num of a remount's undo: the old per-mount and MOUNTOPT_SB_FLAGS flags, and: */
#define UNDO_SB (1UL << 29)    /* the superblock was reconfigured too... */
#define UNDO_SB_RO (1UL << 30) /* ...and was read-only before */
_Static_assert(!((UNDO_SB | UNDO_SB_RO) &
		 (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME |
		  MS_RELATIME | MS_STRICTATIME | 256 /* MS_NOSYMFOLLOW */ | MOUNTOPT_SB_FLAGS)),
	       "undo bits overlap the mount flags");

static int undo_remount(const struct undo *u, struct err *e)
{
	unsigned long old = (unsigned long)u->num & ~(UNDO_SB | UNDO_SB_RO);
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", u->fd);
	/*
	 * A plain remount sets the superblock's read-only state, its flags and
	 * the mount's flags from the same word; the bind remount after it sets
	 * the mount's flags alone, exactly as they were.
	 */
	if ((u->num & UNDO_SB) &&
	    mount(NULL, proc, NULL,
		  MS_REMOUNT | (old & ~MS_RDONLY) | (u->num & UNDO_SB_RO ? MS_RDONLY : 0),
		  NULL) < 0)
		return err_set(e, errno, "undo: remount %s %s", undo_shown(u),
			       u->num & UNDO_SB_RO ? "read-only" : "read-write");
	if (mount(NULL, proc, NULL, MS_REMOUNT | MS_BIND | (old & ~MOUNTOPT_SB_FLAGS), NULL) < 0)
		return err_set(e, errno, "undo: remount %s with its flags as before",
			       undo_shown(u));
	msg_action("undo: remount %s", undo_shown(u));
	return 0;
}

int sys_remount(struct run *r, int target_fd, const char *shown, unsigned long flags,
		const char *data, unsigned long old, bool old_sb_ro, const char *cmd, struct err *e)
{
	struct undo u = { .fn = undo_remount, .dirfd = AT_FDCWD, .fd = -1, .fd2 = -1 };
	char proc[64];

	if (sys_begin(r, cmd, e) < 0 || journal_reserve(&r->journal, e) < 0)
		return -1;
	if (r->dry_run) {
		sys_done(r, cmd);
		return 0;
	}
	u.fd = fcntl(target_fd, F_DUPFD_CLOEXEC, 0);
	if (u.fd < 0)
		return err_set(e, errno, "%s", cmd);
	u.num = (long)(old | (flags & MS_BIND ? 0 : UNDO_SB) | (old_sb_ro ? UNDO_SB_RO : 0));
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", target_fd);
	if (mount(NULL, proc, NULL, MS_REMOUNT | flags, data) < 0) {
		err_set(e, errno, "%s", cmd);
		close(u.fd);
		return -1;
	}
	u.shown = strdup(shown);
	journal_push(&r->journal, &u);
	sys_done(r, cmd);
	return 0;
}

int sys_mount_setattr(struct run *r, int target_fd, unsigned int flags,
		      unsigned long long attr_set, const char *cmd, struct err *e)
{
	struct pb_mount_attr attr = { .attr_set = attr_set };

	if (sys_begin(r, cmd, e) < 0)
		return -1;
	if (r->dry_run) {
		sys_done(r, cmd);
		return 0;
	}
	if (pb_mount_setattr(target_fd, "", flags | AT_EMPTY_PATH, &attr) < 0)
		return err_set(e, errno, "%s", cmd);
	sys_done(r, cmd);
	return 0;
}

int sys_umount(struct run *r, int dirfd, const char *name, const char *shown,
	       const struct undo *undo, struct err *e)
{
	char cmd[4300];

	msg_cmd(cmd, sizeof(cmd), "umount %s", msg_quote(shown));
	if (sys_begin(r, cmd, e) < 0 || (undo && journal_reserve(&r->journal, e) < 0))
		return -1;
	if (r->dry_run) {
		sys_done(r, cmd);
		return 0;
	}
	if (umount_at(dirfd, name, 0) < 0)
		return err_set(e, errno, "umount %s", shown);
	if (undo)
		journal_push(&r->journal, undo);
	sys_done(r, cmd);
	return 0;
}

int sys_writeat(struct run *r, int dirfd, const char *name, const char *shown,
		const char *buf, size_t len, struct err *e)
{
	char cmd[4400];
	ssize_t n;
	int fd;

	msg_cmd(cmd, sizeof(cmd), "echo %.*s > %s", (int)len, buf, msg_quote(shown));
	if (sys_begin(r, cmd, e) < 0)
		return -1;
	if (r->dry_run) {
		sys_done(r, cmd);
		return 0;
	}
	fd = openat(dirfd, name, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, errno, "open %s", shown);
	n = write(fd, buf, len);
	if (n < 0 || (size_t)n != len) {
		err_set(e, n < 0 ? errno : EIO, "write %s", shown);
		close(fd);
		return -1;
	}
	if (close(fd) < 0)
		return err_set(e, errno, "write %s", shown);
	sys_done(r, cmd);
	return 0;
}

int sys_umount_lazy(struct run *r, int dirfd, const char *name, const char *shown,
		    const struct undo *undo, struct err *e)
{
	char cmd[4300], proc[4200];
	const char *target = name;

	msg_cmd(cmd, sizeof(cmd), "umount -l %s", msg_quote(shown));
	if (sys_begin(r, cmd, e) < 0 || (undo && journal_reserve(&r->journal, e) < 0))
		return -1;
	if (r->dry_run) {
		sys_done(r, cmd);
		return 0;
	}
	if (dirfd != AT_FDCWD) {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d/%s", dirfd, name);
		target = proc;
	}
	if (umount2(target, MNT_DETACH | UMOUNT_NOFOLLOW) < 0)
		return err_set(e, errno, "umount -l %s", shown);
	if (undo)
		journal_push(&r->journal, undo);
	sys_done(r, cmd);
	return 0;
}
