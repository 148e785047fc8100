/*
 * bindns.c - the "bindNS" step (bindns.h, step.h): the container process's
 * namespaces bind-mounted onto files. Follows namespaces(7) (a namespace is
 * identified by the device and inode of its file; a bind mount of the file
 * keeps it alive), mount(2) (MS_BIND), umount(2) (MNT_DETACH), proc(5)
 * (mountinfo) and the /run/netns/NAME convention of ip-netns(8).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "bindns.h"
#include "confine.h"
#include "fs.h"
#include "mountinfo.h"
#include "msg.h"
#include "ns.h"
#include "step.h"
#include "sys.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

/*
 * The type of a bind mount: ignored by the kernel, "none" as mount(8) passes
 * it (valgrind takes a NULL type for a bad pointer).
 */
#define BIND_TYPE "none"

/* More namespace binds stacked on one path than this is not a restart: refuse. */
#define BINDNS_MAX_STACK 64

/*
 * Splits @path (absolute, or relative to a root: run_root_for()) into its
 * directory (@dir; "." for none) and last component (@name). @shown names
 * it in messages.
 */
static int split(const char *path, const char *shown, char *dir, size_t dirsize, char *name,
		 struct err *e)
{
	size_t dirlen, n;
	const char *base = path_split(path, &dirlen);

	n = path_namelen(base);
	if (dirlen + 1 >= dirsize || n > NAME_MAX)
		return err_set(e, ENAMETOOLONG, "mount point %s", shown);
	/* "/run/netns//svc": the directory is "/run/netns", as a plan shows it. */
	while (dirlen > 1 && path[dirlen - 1] == '/')
		dirlen--;
	memcpy(dir, path, dirlen);
	dir[dirlen] = '\0';
	if (!dirlen)
		strcpy(dir, ".");
	memcpy(name, base, n);
	name[n] = '\0';
	if (!n || !strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, "/"))
		return err_set(e, EISDIR, "mount point %s: names a directory, not a file", shown);
	return 0;
}

/*
 * Where the bindNS path @path is: its root (run_root_for(): inside the
 * rootfs when it is below it), the path under that root (@rel, PATH_MAX
 * bytes), its directory (@dir) and its last component (@name). Returns the
 * root, or NULL with @e set: EINVAL (@path is not absolute), EISDIR,
 * ENAMETOOLONG, run_root_for()'s errors.
 */
static const struct fsroot *place(struct run *r, const char *path, char *rel, char *dir,
				  size_t dirsize, char *name, struct err *e)
{
	const struct fsroot *root;

	if (path[0] != '/') {
		err_set(e, EINVAL, "mount point %s: not an absolute path", path);
		return NULL;
	}
	root = run_root_for(r, path, rel, PATH_MAX, e);
	if (!root || split(rel, path, dir, dirsize, name, e) < 0)
		return NULL;
	return root;
}

static const char *file_kind(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFCHR:
		return "character device";
	case S_IFBLK:
		return "block device";
	case S_IFIFO:
		return "FIFO";
	case S_IFSOCK:
		return "socket";
	default:
		return "special file";
	}
}

int bindns_inspect(int dirfd, const char *name, const char *shown, int nsfd, int *fdp,
		   struct err *e)
{
	struct statfs sfs;
	struct stat st;
	int fd, same, id, dirid;

	*fdp = -1;
	fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? BINDNS_MISSING : err_set(e, errno, "open %s", shown);
	if (fstat(fd, &st) < 0 || fstatfs(fd, &sfs) < 0) {
		err_set(e, errno, "stat %s", shown);
		goto fail;
	}
	/* An nsfs file outside /proc is always a bind mount of a namespace. */
	if (sfs.f_type == NSFS_MAGIC && nsfd < 0) {
		*fdp = fd;
		return BINDNS_OTHER;
	}
	if (sfs.f_type == NSFS_MAGIC) {
		same = ns_same(fd, nsfd, e);
		if (same < 0)
			goto fail;
		*fdp = fd;
		return same ? BINDNS_SAME : BINDNS_OTHER;
	}
	if (S_ISLNK(st.st_mode)) {
		err_set(e, ELOOP, "mount point %s: a symlink (not followed)", shown);
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		err_set(e, EISDIR, "mount point %s: a directory, not an empty file", shown);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(e, EEXIST, "mount point %s: a %s, not an empty file", shown,
			file_kind(st.st_mode));
		goto fail;
	}
	if (st.st_size != 0) {
		err_set(e, EEXIST, "mount point %s: not empty (%lld bytes), left as it is", shown,
			(long long)st.st_size);
		goto fail;
	}
	/* A file with a mount of its own is on another mount than its directory. */
	if (mountinfo_fd_mount_id(fd, &id, e) < 0 || mountinfo_fd_mount_id(dirfd, &dirid, e) < 0)
		goto fail;
	if (id != dirid) {
		err_set(e, EBUSY,
			"mount point %s: something other than a namespace is mounted there", shown);
		goto fail;
	}
	*fdp = fd;
	return BINDNS_EMPTY;
fail:
	close(fd);
	return -1;
}

static const struct mountinfo_entry *mount_by_id(const struct mountinfo *mi, int id)
{
	size_t i;

	for (i = 0; i < mi->n; i++)
		if (mi->v[i].id == id)
			return &mi->v[i];
	return NULL;
}

/*
 * The type of the namespace bound on the mount @fd is on, into @buf: its
 * mountinfo root reads "net:[4026532254]". "ns" when that cannot be read.
 */
static void kind_of(int fd, char *buf, size_t len)
{
	const struct mountinfo_entry *m;
	struct mountinfo mi;
	struct err e;
	size_t n;
	int id;

	snprintf(buf, len, "ns");
	if (mountinfo_fd_mount_id(fd, &id, &e) < 0 || mountinfo_read(&mi, NULL, &e) < 0)
		return;
	m = mount_by_id(&mi, id);
	n = m ? strcspn(m->root, ":[") : 0;
	if (n && n < len && m->root[n] == ':')
		snprintf(buf, len, "%.*s", (int)n, m->root);
	mountinfo_free(&mi);
}

/* The old namespace of an undo record as ip and lsns show it: "net:[4026532254]". */
static const char *old_shown(const struct undo *u, char *buf, size_t len)
{
	snprintf(buf, len, "%s:[%lu]", u->name, (unsigned long)u->num);
	return buf;
}

/*
 * Undo of a replaced bind: binds the old namespace (u->fd, held open through
 * its detached mount; nsfs files may be bound from anywhere) back onto
 * u->path. The new bind was unwound before; binds stacked below the old one
 * (restored by the undo records after this one's) are what it goes back on.
 * Should the new bind have stayed (its unmount failed, a leftover that is
 * reported), the old one still goes on top: the path then shows the old
 * namespace again, which is what other services look for.
 */
static int undo_rebind(const struct undo *u, struct err *e)
{
	const struct fsroot root = { u->dirfd, u->in_root, "" };
	char dir[PATH_MAX], name[NAME_MAX + 1], src[64], dst[64], old[64];
	const char *shown = u->shown ? u->shown : u->path;
	int dfd, fd, rc;

	old_shown(u, old, sizeof(old));
	if (!u->path)
		return err_set(e, ENOMEM, "undo: mount --bind %s: the path was not recorded", old);
	if (split(u->path, shown, dir, sizeof(dir), name, e) < 0)
		return err_prefix(e, "undo: mount --bind %s", old);
	dfd = path_open(&root, dir, O_DIRECTORY, NULL);
	if (dfd < 0)
		return err_set(e, errno, "undo: mount --bind %s %s", old, shown);
	fd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	close(dfd);
	if (fd < 0)
		return err_set(e, errno, "undo: mount --bind %s %s", old, shown);
	snprintf(src, sizeof(src), "/proc/self/fd/%d", u->fd);
	snprintf(dst, sizeof(dst), "/proc/self/fd/%d", fd);
	rc = mount(src, dst, BIND_TYPE, MS_BIND, NULL);
	if (rc < 0)
		err_set(e, errno, "undo: mount --bind %s %s", old, shown);
	else /* the -v log of an undo, as the action layer's own undos write it */
		msg_action("undo: mount --bind %s %s", old, msg_quote(shown));
	close(fd);
	return rc;
}

/*
 * Detaches the namespace bind that @fd (O_PATH, from bindns_inspect(); closed
 * here) is the top of, at @name in @dfd (@rel under @root, @path as the
 * config names it), recording how to bind it back.
 */
static int detach(struct run *r, int dfd, const char *name, const struct fsroot *root,
		  const char *rel, const char *path, int fd, struct err *e)
{
	struct undo u = { .fn = undo_rebind, .dirfd = root->fd, .in_root = root->in_root,
			  .fd = -1, .fd2 = -1 };
	char proc[64];
	struct stat st;

	/*
	 * Reopened from the very file inspected, the old namespace stays open
	 * through its mount, and alive for a rollback after the unmount.
	 */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	u.fd = openat(AT_FDCWD, proc, O_RDONLY | O_CLOEXEC);
	if (u.fd < 0) {
		err_set(e, errno, "open the namespace bound on %s", path);
		close(fd);
		return -1;
	}
	kind_of(fd, u.name, sizeof(u.name));
	close(fd);
	if (fstat(u.fd, &st) < 0) {
		err_set(e, errno, "stat the namespace bound on %s", path);
		goto fail;
	}
	u.num = (long)st.st_ino;
	u.path = strdup(rel);
	u.shown = strdup(path);
	if (!u.path || !u.shown) {
		err_set(e, ENOMEM, "umount -l %s", path);
		goto fail;
	}
	if (sys_umount_lazy(r, dfd, name, path, &u, e) < 0)
		goto fail;
	return 0;
fail:
	free(u.path);
	free(u.shown);
	close(u.fd);
	return -1;
}

/*
 * How many namespace binds are stacked at the mount point whose top @fd is
 * on: each lower one is the parent of the one above, at the same point.
 */
static int stacked(int fd, struct err *e)
{
	const struct mountinfo_entry *m, *p;
	struct mountinfo mi;
	int id, n = 0;

	if (mountinfo_fd_mount_id(fd, &id, e) < 0 || mountinfo_read(&mi, NULL, e) < 0)
		return -1;
	for (m = mount_by_id(&mi, id); m && !strcmp(m->fstype, "nsfs") && n < BINDNS_MAX_STACK;
	     m = p) {
		n++;
		p = mount_by_id(&mi, m->parent);
		if (p && strcmp(p->point, m->point))
			p = NULL;
	}
	mountinfo_free(&mi);
	return n ? n : 1;
}

/*
 * Replaces the namespace bind(s) at @name in @dfd, whose top *@fdp is open
 * on: detaches every one stacked there, newest first. On success *@fdp is the
 * empty file under them (-1 with -n, where the unmounts are only planned).
 */
static int replace(struct run *r, int dfd, const char *name, const struct fsroot *root,
		   const char *rel, const char *path, int nsfd, int *fdp, struct err *e)
{
	int layers, i, found, rc;

	if (r->dry_run) {
		layers = stacked(*fdp, e);
		close(*fdp);
		*fdp = -1;
		if (layers < 0)
			return -1;
		for (i = 0; i < layers; i++)
			if (sys_umount_lazy(r, dfd, name, path, NULL, e) < 0)
				return -1;
		return 0;
	}
	for (i = 0;; i++) {
		if (i == BINDNS_MAX_STACK) {
			close(*fdp);
			*fdp = -1;
			return err_set(e, ELOOP, "replace the binds on %s: more than %d stacked",
				       path, BINDNS_MAX_STACK);
		}
		rc = detach(r, dfd, name, root, rel, path, *fdp, e);
		*fdp = -1;
		if (rc < 0)
			return -1;
		found = bindns_inspect(dfd, name, path, nsfd, fdp, e);
		if (found < 0)
			return -1;
		if (found == BINDNS_EMPTY)
			return 0;
		if (found == BINDNS_MISSING)
			return err_set(e, ENOENT, "mount point %s: gone from under the old bind",
				       path);
	}
}

/*
 * bindns_bind(), where @planned says that with -n an earlier type already
 * planned "mkdir -p" of the same directory: it is not planned twice.
 */
static int bind_one(struct run *r, enum ns_type type, const char *path, int nsfd, bool planned,
		    struct err *e)
{
	char dir[PATH_MAX], name[NAME_MAX + 1], rel[PATH_MAX], src[64], cmd[4400], shown[4200];
	int dfd = -1, fd = -1, found, rc = -1;
	const struct fsroot *root = place(r, path, rel, dir, sizeof(dir), name, e);

	if (!root)
		return -1;
	if (!(r->dry_run && planned) && fs_mkdir_p(r, root, dir, 0755, &dfd, e) < 0)
		return -1;
	/* With -n, a directory still to be made has nothing in it. */
	found = dfd >= 0 ? bindns_inspect(dfd, name, path, nsfd, &fd, e) : BINDNS_MISSING;
	if (found == BINDNS_MISSING) {
		if (sys_creatat(r, root, rel, dfd, name, 0644, e) < 0)
			goto out;
		/* Made, or made by someone else just now (EEXIST): look again. */
		if (!r->dry_run) {
			found = bindns_inspect(dfd, name, path, nsfd, &fd, e);
			if (found == BINDNS_MISSING)
				found = err_set(e, ENOENT, "mount point %s: gone once made", path);
		}
	}
	if (found < 0)
		goto out;
	if (found == BINDNS_SAME) {
		rc = 0;
		goto out;
	}
	if (found == BINDNS_OTHER && replace(r, dfd, name, root, rel, path, nsfd, &fd, e) < 0)
		goto out;
	/* As for a mount destination: an image symlink must not lead it onto a shared mount. */
	if (fd >= 0 && confine_propagation(root, rel, fd, e) < 0)
		goto out;
	snprintf(src, sizeof(src), "/proc/self/fd/%d", nsfd);
	/* Where it really is: an image symlink on the way is shown resolved. */
	if (!root->in_root)
		snprintf(shown, sizeof(shown), "%s", path);
	else if (fd >= 0)
		path_show_fd(root, fd, shown, sizeof(shown));
	else
		path_show_resolved(root, rel, shown, sizeof(shown));
	msg_cmd(cmd, sizeof(cmd), "mount --bind /proc/%d/ns/%s %s", (int)r->pid, ns_name(type),
		 msg_quote(shown));
	if (sys_mount(r, src, fd, root, rel, BIND_TYPE, MS_BIND, NULL, cmd, e) < 0) {
		/* mount(2) says only EINVAL; what it checks is said here. */
		if (type == NS_MNT && e->errnum == EINVAL)
			err_append(e, " (the kernel refuses to bind a mount namespace where "
				      "a loop could follow: onto a mount whose mount events reach "
				      "another, a shared one with peers or slaves, or when it is "
				      "not newer than prepbox's own)");
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	return rc;
}

int bindns_bind(struct run *r, enum ns_type type, const char *path, int nsfd, struct err *e)
{
	return bind_one(r, type, path, nsfd, false, e);
}

/* With -n: whether the directory of @path is missing and was planned for @earlier. */
static bool dir_planned(struct run *r, const char *path, const char *earlier)
{
	char dir[PATH_MAX], prev[PATH_MAX], name[NAME_MAX + 1], rel[PATH_MAX];
	const struct fsroot *root, *root2;
	struct err e;
	int fd;

	root = place(r, path, rel, dir, sizeof(dir), name, &e);
	root2 = root ? place(r, earlier, rel, prev, sizeof(prev), name, &e) : NULL;
	if (!root2 || root->fd != root2->fd || strcmp(dir, prev))
		return false;
	fd = path_open(root, dir, O_DIRECTORY, NULL);
	if (fd >= 0)
		close(fd);
	return fd < 0;
}

/*
 * The @type namespace of the run's process. ENOENT is said plainly: a type
 * this kernel lacks, or a process that has exited but is not reaped yet (a
 * zombie has no namespaces left).
 */
static int open_ns(const struct run *r, enum ns_type type, struct err *e)
{
	char self[64];
	int fd = ns_open(r, type, e);

	if (fd < 0 && e->errnum == ENOENT) {
		snprintf(self, sizeof(self), "/proc/self/ns/%s", ns_name(type));
		if (access(self, F_OK) < 0 && errno == ENOENT)
			return err_set(e, ENOENT,
				       "open /proc/%d/ns/%s: this kernel has no %s namespaces",
				       (int)r->pid, ns_name(type), ns_name(type));
		return err_set(e, ENOENT,
			       "open /proc/%d/ns/%s: process %d has exited (a zombie has no "
			       "namespaces)",
			       (int)r->pid, ns_name(type), (int)r->pid);
	}
	return fd;
}

static int bindns_step(struct run *r, const struct config *c, struct err *e)
{
	int fds[NS_COUNT];
	int t, u, rc = 0;
	bool planned;

	for (t = 0; t < NS_COUNT; t++)
		fds[t] = -1;
	/*
	 * Every namespace is taken from the process once, up front, while it is
	 * known to live (ns_open checks the pidfd after opening): a pid that is
	 * gone, or a type the kernel lacks, fails before anything is changed.
	 */
	for (t = 0; t < NS_COUNT && rc == 0; t++) {
		if (!c->bindns[t])
			continue;
		/* Two types on one path never get here: config.c refuses it. */
		fds[t] = open_ns(r, t, e);
		if (fds[t] < 0)
			rc = err_prefix(e, ".bindNS.%s (%s)", ns_name(t), c->bindns[t]);
	}
	for (t = 0; t < NS_COUNT && rc == 0; t++) {
		if (fds[t] < 0)
			continue;
		planned = false;
		for (u = 0; u < t && r->dry_run && !planned; u++)
			planned = c->bindns[u] && dir_planned(r, c->bindns[t], c->bindns[u]);
		if (bind_one(r, t, c->bindns[t], fds[t], planned, e) < 0)
			rc = err_prefix(e, ".bindNS.%s (%s)", ns_name(t), c->bindns[t]);
	}
	for (t = 0; t < NS_COUNT; t++)
		if (fds[t] >= 0)
			close(fds[t]);
	return rc;
}

/*
 * Before anything is done: what is at each path must be something a bind can
 * go on (nothing, an empty file, a namespace bind); the parent directories
 * that exist must be directories.
 */
static int bindns_check(struct run *r, const struct config *c, struct err *e)
{
	char dir[PATH_MAX], name[NAME_MAX + 1], rel[PATH_MAX], shown[PATH_MAX + 64];
	const struct fsroot *root;
	int t, dfd, fd, found, errnum;

	for (t = 0; t < NS_COUNT; t++) {
		if (!c->bindns[t])
			continue;
		root = place(r, c->bindns[t], rel, dir, sizeof(dir), name, e);
		if (!root || run_check_mount_point(r, root, rel, e) < 0)
			return err_prefix(e, ".bindNS.%s (%s)", ns_name(t), c->bindns[t]);
		dfd = path_open(root, dir, O_DIRECTORY, NULL);
		if (dfd < 0 && errno == ENOENT)
			continue;
		errnum = errno;
		if (dfd < 0)
			return err_set(e, errnum, ".bindNS.%s (%s): open %s%s", ns_name(t),
				       c->bindns[t], path_show(root, dir, shown, sizeof(shown)),
				       path_hint(root, errnum));
		found = bindns_inspect(dfd, name, c->bindns[t], -1, &fd, e);
		close(dfd);
		if (found < 0)
			return err_prefix(e, ".bindNS.%s (%s)", ns_name(t), c->bindns[t]);
		if (fd >= 0)
			close(fd);
	}
	return 0;
}

const struct step step_bindns = {
	.name = "bindNS",
	.keys = CONFIG_BINDNS,
	.needs_pid = true,
	.check = bindns_check,
	.run = bindns_step,
};
