/*
 * cleanup.c - unmount everything at or below BUNDLE/rootfs (cleanup.h).
 * See umount(2), openat2(2), proc(5) (mountinfo), and the kernel's
 * Documentation/filesystems/sharedsubtree.rst: an unmount propagates to the
 * peers of the parent mount, hence the mounts made private first.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "mountinfo.h"
#include "mountwords.h"
#include "sys.h"
#include "syscalls.h"

#define NONE ((size_t)-1)

struct target {
	const struct mountinfo_entry *m;
	size_t order;  /* position in mountinfo: later mounts stack on earlier ones */
	size_t depth;  /* path components below the rootfs */
	size_t parent; /* the target that is its parent mount, or NONE */
	bool private;  /* made private, itself or with a target above it (MS_REC) */
	bool done;     /* unmounted (or planned, with -n) */
};

static int deepest_first(const void *a, const void *b)
{
	const struct target *x = a, *y = b;

	if (x->depth != y->depth)
		return x->depth < y->depth ? 1 : -1;
	return x->order < y->order ? 1 : x->order > y->order ? -1 : 0;
}

static size_t depth(const char *rel)
{
	size_t d = 0;

	for (; *rel; rel++)
		if (*rel != '/' && (rel[1] == '/' || rel[1] == '\0'))
			d++;
	return d;
}

/* Opens @rel below @rootfd without following any symlink; "" is @rootfd itself. */
static int open_below(int rootfd, const char *rel)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};

	return pb_openat2(rootfd, *rel ? rel : ".", &how);
}

/* Whether the directory @dir is @path or above it (by path component). */
static bool at_or_above(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

/* Whether target @i is mounted on target @j, or on one mounted on it, and so on. */
static bool mounted_on(const struct target *t, size_t n, size_t i, size_t j)
{
	size_t k, steps;

	for (k = t[i].parent, steps = 0; k != NONE && steps < n; k = t[k].parent, steps++)
		if (k == j)
			return true;
	return false;
}

/*
 * With -n, nothing is unmounted to find out what is in reach: whether target
 * @i would still be covered, by a target not planned yet that was mounted
 * after it, at its mount point or on a directory above it, and that it is
 * not below (a later mount over the directory that holds it hides it).
 */
static bool covered(const struct target *t, size_t n, size_t i)
{
	size_t j;

	for (j = 0; j < n; j++)
		if (!t[j].done && t[j].order > t[i].order &&
		    at_or_above(t[j].m->point, t[i].m->point) && !mounted_on(t, n, i, j))
			return true;
	return false;
}

/* With -n: whether target @i still has a target mounted below it (EBUSY). */
static bool busy(const struct target *t, size_t n, size_t i)
{
	size_t j;

	for (j = 0; j < n; j++)
		if (!t[j].done && t[j].parent == i)
			return true;
	return false;
}

/*
 * Opens the mount point of @t, walked down from the rootfs @rootfd without
 * following symlinks, and checks that it leads to that very mount (mount
 * ID). Mounts on the rootfs itself (@rootfd -1) go by the canonical path:
 * the bundle is the caller's, not the container's.
 */
static int open_target(int rootfd, const struct target *t, size_t skip, struct err *e)
{
	const char *rel = t->m->point + skip;
	int fd, id;

	while (*rel == '/')
		rel++;
	fd = rootfd >= 0 ? open_below(rootfd, rel) : openat(AT_FDCWD, t->m->point, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, errno, "%s: cannot reach it from the rootfs (covered or moved)",
			       t->m->point);
	if (mountinfo_fd_mount_id(fd, &id, e) < 0) {
		close(fd);
		return -1;
	}
	if (id != t->m->id) {
		close(fd);
		return err_set(e, EXDEV, "%s: another mount covers it now", t->m->point);
	}
	return fd;
}

/*
 * Makes @t private with all below it (mount --make-rprivate), through the
 * descriptor open_target() checked. With -n, plans it.
 */
static int make_private(struct run *r, int rootfd, const struct target *t, size_t skip,
			struct err *e)
{
	char cmd[2 * PATH_MAX];
	int fd = -1, rc;

	mount_cmd(cmd, sizeof(cmd), NULL, MS_REC | MS_PRIVATE, NULL, NULL, t->m->point);
	if (!r->dry_run) {
		fd = open_target(rootfd, t, skip, e);
		if (fd < 0)
			return err_prefix(e, "mount --make-rprivate");
	}
	rc = sys_mount(r, NULL, fd, &fsroot_host, t->m->point, NULL, MS_REC | MS_PRIVATE, NULL, cmd,
		       e);
	if (fd >= 0)
		close(fd);
	return rc;
}

/*
 * Unmounts @t through the parent directory and the last component, so that
 * no descriptor of ours holds the mount busy, once open_target() found it.
 */
static int unmount_one(struct run *r, int rootfd, const struct target *t, size_t skip,
		       struct err *e)
{
	char dir[PATH_MAX];
	const char *rel = t->m->point + skip, *name;
	size_t dirlen;
	int fd, rc;

	while (*rel == '/')
		rel++;
	if (!r->dry_run) {
		fd = open_target(rootfd, t, skip, e);
		if (fd < 0)
			return err_prefix(e, "umount");
		close(fd);
	}
	if (r->dry_run || rootfd < 0)
		return sys_umount(r, AT_FDCWD, t->m->point, t->m->point, NULL, e);
	name = path_split(rel, &dirlen);
	if (dirlen >= sizeof(dir))
		return err_set(e, ENAMETOOLONG, "umount %s", t->m->point);
	memcpy(dir, rel, dirlen);
	dir[dirlen] = '\0';
	fd = open_below(rootfd, dir);
	if (fd < 0)
		return err_set(e, errno, "umount %s: cannot reach it from the rootfs", t->m->point);
	rc = sys_umount(r, fd, name, t->m->point, NULL, e);
	close(fd);
	return rc;
}

/*
 * Whether target @i may be unmounted now: an unmount propagates to the
 * peers of the parent mount, so a parent that is a target must have been
 * made private (the sub-mounts an rbind of a shared host mount copied are
 * peers of the host's own). One stacked on its parent is the exception: the
 * parent cannot be reached before it is gone.
 */
static bool parent_private(const struct target *t, size_t i)
{
	const struct target *p = t[i].parent == NONE ? NULL : &t[t[i].parent];

	return !p || p->private || !strcmp(p->m->point, t[i].m->point);
}

/*
 * The targets in reach, not done yet, made private, from the top down
 * (before anything below them is unmounted); one whose parent mount was made
 * private already is private with it. With @report, each failure goes to
 * r->warn and @e keeps the last one. Returns -1 with @e set when a stop
 * signal came or the rootfs cannot be opened, else 0.
 */
static int private_pass(struct run *r, const char *real, struct target *t, size_t n, size_t skip,
			bool report, struct err *e)
{
	int rootfd = openat(AT_FDCWD, real, O_PATH | O_CLOEXEC), rc = 0;
	struct err w;
	size_t i;

	if (rootfd < 0)
		return err_set(e, errno, "cleanup: open %s", real);
	for (i = n; i-- > 0 && rc == 0;) {
		if (t[i].done || t[i].private)
			continue;
		if (t[i].parent != NONE && t[t[i].parent].private) {
			t[i].private = true;
			continue;
		}
		if (r->dry_run && covered(t, n, i))
			continue;
		if (make_private(r, t[i].depth ? rootfd : -1, &t[i], skip, &w) == 0) {
			t[i].private = true;
			continue;
		}
		if (run_stop_signal) {
			*e = w;
			rc = -1;
		} else if (report) {
			if (r->warn)
				r->warn(&w);
			*e = w;
		}
	}
	close(rootfd);
	return rc;
}

/*
 * One pass over the targets not done yet, deepest first, from the canonical
 * rootfs @real: returns how many it unmounted, or (size_t)-1 with @e set
 * when a stop signal came or the rootfs cannot be opened. With @report, each
 * failure goes to r->warn, and @e keeps the last one.
 */
static size_t unmount_pass(struct run *r, const char *real, struct target *t, size_t n, size_t skip,
			   bool report, struct err *e)
{
	struct err w;
	size_t i, done = 0;
	int rootfd = openat(AT_FDCWD, real, O_PATH | O_CLOEXEC);

	if (rootfd < 0) {
		err_set(e, errno, "cleanup: open %s", real);
		return (size_t)-1;
	}
	for (i = 0; i < n; i++) {
		if (t[i].done || (r->dry_run && (covered(t, n, i) || busy(t, n, i))))
			continue;
		/* The rootfs's own mounts come last; our descriptor would keep them busy. */
		if (t[i].depth == 0 && rootfd >= 0) {
			close(rootfd);
			rootfd = -1;
		}
		if (!parent_private(t, i))
			err_set(&w, 0, "umount %s: the mount it is on was not made private",
				t[i].m->point);
		else if (unmount_one(r, rootfd, &t[i], skip, &w) == 0) {
			t[i].done = true;
			done++;
			continue;
		}
		if (run_stop_signal) {
			*e = w;
			done = (size_t)-1;
			break;
		}
		if (report) {
			if (r->warn)
				r->warn(&w);
			*e = w;
		}
	}
	if (rootfd >= 0)
		close(rootfd);
	return done;
}

/* Links each target to the target that is its parent mount, if any. */
static void find_parents(struct target *t, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		t[i].parent = NONE;
		for (j = 0; j < n && t[i].parent == NONE; j++)
			if (j != i && t[j].m->id == t[i].m->parent)
				t[i].parent = j;
	}
}

/*
 * Passes of private_pass() and unmount_pass(), while they unmount something:
 * a mount made over the directory that holds an earlier one hides it until
 * it is gone itself. A last pass, once nothing moves, says why for each one
 * left. Returns how many are left, or (size_t)-1 with @e set when a stop
 * signal came or the rootfs cannot be opened.
 */
static size_t unmount_all(struct run *r, const char *real, struct target *t, size_t n, size_t skip,
			  struct err *e)
{
	size_t left = n, done = 1;
	bool report = false;

	while (left && (done || !report)) {
		report = done == 0;
		if (private_pass(r, real, t, n, skip, report, e) < 0)
			return (size_t)-1;
		done = unmount_pass(r, real, t, n, skip, report, e);
		if (done == (size_t)-1)
			return done;
		left -= done;
	}
	return left;
}

int cleanup_rootfs(struct run *r, struct err *e)
{
	char rootfs[PATH_MAX], real[PATH_MAX];
	struct mountinfo mi;
	struct target *t;
	size_t n = 0, i, len, left;
	struct err w = { 0 };

	len = strlen(r->bundle);
	while (len > 0 && r->bundle[len - 1] == '/')
		len--;
	if (snprintf(rootfs, sizeof(rootfs), "%.*s/rootfs", (int)len, r->bundle) >=
	    (int)sizeof(rootfs))
		return err_set(e, ENAMETOOLONG, "cleanup %s/rootfs", r->bundle);
	/* mountinfo shows canonical paths: compare with the canonical rootfs. */
	if (!realpath(rootfs, real))
		return errno == ENOENT ? 0 : err_set(e, errno, "cleanup %s", rootfs);
	if (mountinfo_read(&mi, NULL, e) < 0)
		return -1;
	t = calloc(mi.n + 1, sizeof(*t));
	if (!t) {
		mountinfo_free(&mi);
		return err_set(e, ENOMEM, "cleanup %s", rootfs);
	}
	len = strlen(real);
	if (len == 1) /* a rootfs of "/" would be everything: refuse. */
		len = 0;
	for (i = 0; i < mi.n && len; i++) {
		const char *p = mi.v[i].point;

		if (strncmp(p, real, len) || (p[len] != '\0' && p[len] != '/'))
			continue;
		t[n].m = &mi.v[i];
		t[n].order = i;
		t[n].depth = depth(p + len);
		n++;
	}
	qsort(t, n, sizeof(*t), deepest_first);
	find_parents(t, n);
	left = len ? unmount_all(r, real, t, n, len, &w) : 0;
	free(t);
	mountinfo_free(&mi);
	if (!len)
		return err_set(e, EINVAL, "cleanup %s: the rootfs is /", rootfs);
	if (left == (size_t)-1) {
		*e = w;
		return -1;
	}
	if (left)
		return err_set(e, w.errnum, "cleanup %s: %zu mount%s left", rootfs, left,
			       left == 1 ? "" : "s");
	return 0;
}
