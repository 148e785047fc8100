/*
 * cleanup.c - unmount everything at or below BUNDLE/rootfs (cleanup.h).
 * See umount(2), openat2(2), proc(5) (mountinfo).
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
#include "sys.h"
#include "syscalls.h"

struct target {
	const struct mountinfo_entry *m;
	size_t order; /* position in mountinfo: later mounts stack on earlier ones */
	size_t depth; /* path components below the rootfs */
	bool done;    /* unmounted (or planned, with -n) */
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

/* Whether mount @id is one that a target before @t[@i] stacks on the same point. */
static bool planned_on_top(const struct target *t, size_t i, int id)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (t[j].m->id == id && !strcmp(t[j].m->point, t[i].m->point))
			return true;
	return false;
}

/*
 * Unmounts @t if its path, walked down from the rootfs without symlinks,
 * still leads to that very mount (same mount ID). The unmount goes through
 * the parent directory and the last component, so that no descriptor of ours
 * holds the mount busy. Mounts on the rootfs itself (@rootfd -1) go by the
 * canonical path: the bundle is the caller's, not the container's.
 */
static int unmount_one(struct run *r, int rootfd, const struct target *all, size_t i,
		       size_t skip, struct err *e)
{
	const struct target *t = &all[i];
	char dir[PATH_MAX];
	const char *rel = t->m->point + skip, *name;
	size_t dirlen;
	int fd, id, rc;

	while (*rel == '/')
		rel++;
	fd = rootfd >= 0 ? open_below(rootfd, rel) : open(t->m->point, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, errno, "umount %s: cannot reach it from the rootfs (covered or moved)",
			       t->m->point);
	rc = mountinfo_fd_mount_id(fd, &id, e);
	close(fd);
	if (rc < 0)
		return -1;
	/* With -n the mounts planned before it still cover it: that is expected. */
	if (id != t->m->id && !(r->dry_run && planned_on_top(all, i, id)))
		return err_set(e, EXDEV, "umount %s: another mount covers it now", t->m->point);
	if (rootfd < 0)
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
 * One pass over the targets not done yet, from the canonical rootfs @real:
 * returns how many it unmounted, or (size_t)-1 with @e set when a stop
 * signal came. With @report, each failure goes to r->warn, and @e keeps the
 * last one.
 */
static size_t unmount_pass(struct run *r, const char *real, struct target *t, size_t n,
			   size_t skip, bool report, struct err *e)
{
	struct err w;
	size_t i, done = 0;
	int rootfd = open(real, O_PATH | O_CLOEXEC);

	for (i = 0; i < n; i++) {
		if (t[i].done)
			continue;
		/* The rootfs's own mounts come last; our descriptor would keep them busy. */
		if (t[i].depth == 0 && rootfd >= 0) {
			close(rootfd);
			rootfd = -1;
		}
		if (unmount_one(r, rootfd, t, i, skip, &w) == 0) {
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

int cleanup_rootfs(struct run *r, struct err *e)
{
	char rootfs[PATH_MAX], real[PATH_MAX];
	struct mountinfo mi;
	struct target *t;
	size_t n = 0, i, len, left, done = 0;
	struct err w;

	if (snprintf(rootfs, sizeof(rootfs), "%s/rootfs", r->bundle) >= (int)sizeof(rootfs))
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
	/*
	 * A mount made over the directory that holds an earlier one hides it
	 * until it is gone itself: pass again while a pass unmounts something;
	 * the last pass reports what it still could not reach or unmount.
	 */
	left = len ? n : 0;
	while (left) {
		done = unmount_pass(r, real, t, n, len, false, &w);
		if (done == 0 || done == (size_t)-1)
			break;
		left -= done;
	}
	/* A pass that unmounted nothing: once more, saying why for each. */
	if (left && done == 0) {
		done = unmount_pass(r, real, t, n, len, true, &w);
		if (done != (size_t)-1)
			left -= done;
	}
	free(t);
	mountinfo_free(&mi);
	if (done == (size_t)-1) {
		*e = w;
		return -1;
	}
	if (!len)
		return err_set(e, EINVAL, "cleanup %s: the rootfs is /", rootfs);
	if (left)
		return err_set(e, w.errnum, "cleanup %s: %zu mount%s left", rootfs, left,
			       left == 1 ? "" : "s");
	return 0;
}
