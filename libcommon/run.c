/*
 * run.c - one run of an applet (run.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <search.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "confine.h"
#include "fs.h"
#include "mountinfo.h"
#include "run.h"

#ifndef PREPBOX_FAULT_INJECTION
#define PREPBOX_FAULT_INJECTION 0
#endif

volatile sig_atomic_t run_stop_signal;

void run_init(struct run *r)
{
	const char *fail_at = getenv("PREPBOX_FAIL_AT");

	memset(r, 0, sizeof(*r));
	r->cgroup_root = "/sys/fs/cgroup";
	r->pidfd = -1;
	r->rootfs.fd = -1;
	r->rootfs.in_root = true;
	r->rootfs.shown = "";
	r->rootfs_abs[0] = r->rootfs_abs[1] = r->rootfs;
	if (PREPBOX_FAULT_INJECTION && fail_at)
		r->fail_at = strtoul(fail_at, NULL, 10);
}

/* Uses @fd as the rootfs from now on, under all its names. */
static void use_rootfs(struct run *r, int fd)
{
	r->rootfs.fd = r->rootfs_abs[0].fd = r->rootfs_abs[1].fd = fd;
}

/* Keeps @name (absolute, canonical or lexical) as name @i of the rootfs: "" for "/". */
static int keep_name(struct run *r, int i, const char *name)
{
	r->rootfs_names[i] = strdup(strcmp(name, "/") ? name : "");
	if (!r->rootfs_names[i])
		return -1;
	r->rootfs_abs[i].shown = r->rootfs_names[i];
	return 0;
}

/* BUNDLE/rootfs as given, and made absolute, lexically; -1 with @e set (ENOMEM). */
static int name_rootfs(struct run *r, struct err *e)
{
	char cwd[PATH_MAX], abs[2 * PATH_MAX], lex[2 * PATH_MAX + 1];
	size_t n = strlen(r->bundle);

	/* "b/" and "b//" are "b"; "/" is "", so that its rootfs is "/rootfs" */
	while (n > 0 && r->bundle[n - 1] == '/')
		n--;
	if (asprintf(&r->rootfs_shown, "%.*s/rootfs", (int)n, r->bundle) < 0) {
		r->rootfs_shown = NULL;
		return err_set(e, ENOMEM, "open %s/rootfs", r->bundle);
	}
	r->rootfs.shown = r->rootfs_shown;
	/* Without a working directory, only the realpath names it. */
	if (r->rootfs_shown[0] != '/' && !getcwd(cwd, sizeof(cwd)))
		return 0;
	snprintf(abs, sizeof(abs), "%s/%s", r->rootfs_shown[0] == '/' ? "" : cwd, r->rootfs_shown);
	if (confine_lexical_abs(abs, lex, sizeof(lex)) && keep_name(r, 1, lex) < 0)
		return err_set(e, ENOMEM, "open %s", r->rootfs_shown);
	return 0;
}

/* Whether the absolute @name ("" for "/") leads to the directory open as @fd. */
static bool names_dir(const char *name, int fd)
{
	struct stat a, b;

	return stat(*name ? name : "/", &a) == 0 && fstat(fd, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/*
 * Whether @a and @b are one directory on one mount (device, inode and mount
 * ID; without /proc, device and inode).
 */
static bool same_place(int a, int b)
{
	struct err ignored;
	int ida, idb;

	if (!fs_same_object(a, b))
		return false;
	if (mountinfo_fd_mount_id(a, &ida, &ignored) < 0 ||
	    mountinfo_fd_mount_id(b, &idb, &ignored) < 0)
		return true;
	return ida == idb;
}

/*
 * Opens BUNDLE/rootfs again, and uses it from now on if it is not what the
 * run has: an entry mounted something on it (or above it). The old one stays
 * open in r->rootfs_old, for the records that name it.
 */
static int refresh_rootfs(struct run *r, struct err *e)
{
	int fd = openat(AT_FDCWD, r->rootfs_shown, O_PATH | O_DIRECTORY | O_CLOEXEC), *old;

	r->rootfs_moved = false;
	/* Gone from under a mount: the one the run has is all there is. */
	if (fd < 0 || same_place(fd, r->rootfs.fd)) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	old = realloc(r->rootfs_old, (r->nrootfs_old + 1) * sizeof(*old));
	if (!old) {
		close(fd);
		return err_set(e, ENOMEM, "open rootfs %s", r->rootfs_shown);
	}
	r->rootfs_old = old;
	old[r->nrootfs_old++] = r->rootfs.fd;
	use_rootfs(r, fd);
	return 0;
}

const struct fsroot *run_rootfs(struct run *r, struct err *e)
{
	char *real;
	int fd;

	if (r->rootfs.fd >= 0)
		return r->rootfs_moved && refresh_rootfs(r, e) < 0 ? NULL : &r->rootfs;
	if (!r->bundle) {
		err_set(e, EINVAL, "a relative path needs a BUNDLE (it is relative to BUNDLE/rootfs)");
		return NULL;
	}
	if (!r->rootfs_shown && name_rootfs(r, e) < 0)
		return NULL;
	fd = openat(AT_FDCWD, r->rootfs_shown, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		err_set(e, errno, "open rootfs %s", r->rootfs_shown);
		return NULL;
	}
	if (!r->rootfs_names[0]) {
		real = realpath(r->rootfs_shown, NULL);
		if (!real || keep_name(r, 0, real) < 0) {
			err_set(e, real ? ENOMEM : errno, "find the real path of rootfs %s",
				r->rootfs_shown);
			free(real);
			close(fd);
			return NULL;
		}
		free(real);
		/*
		 * The lexical name is the rootfs's only if it leads there: after a
		 * symlink, ".." in BUNDLE ("/l/../b") goes up from its target.
		 */
		if (r->rootfs_names[1] && !names_dir(r->rootfs_names[1], fd)) {
			free(r->rootfs_names[1]);
			r->rootfs_names[1] = NULL;
			r->rootfs_abs[1].shown = "";
		}
	}
	use_rootfs(r, fd);
	return &r->rootfs;
}

/* @path into @rel (@len bytes); -1 with @e set when it does not fit. */
static int copy_path(const char *path, char *rel, size_t len, struct err *e)
{
	if (snprintf(rel, len, "%s", path) >= (int)len)
		return err_set(e, ENAMETOOLONG, "%s", path);
	return 0;
}

/*
 * The name of the rootfs to show a path found in it under: the lexical one
 * when @path reads as below it or at it (the config's own words), else the
 * realpath. Returns the index into r->rootfs_abs[] / rootfs_names[].
 */
static int shown_as(const struct run *r, const char *path)
{
	char rel[PATH_MAX];
	int place;

	if (!r->rootfs_names[1])
		return 0;
	place = confine_under(*r->rootfs_names[1] ? r->rootfs_names[1] : "/", path, rel,
			      sizeof(rel));
	return place == CONFINE_BELOW || place == CONFINE_AT ? 1 : 0;
}

const struct fsroot *run_root_for(struct run *r, const char *path, char *rel, size_t len,
				  struct err *e)
{
	const struct fsroot *rootfs;
	struct err ignored;
	const char *name;
	int i;

	if (path[0] != '/') {
		rootfs = run_rootfs(r, e);
		return rootfs && copy_path(path, rel, len, e) == 0 ? rootfs : NULL;
	}
	/* Without a rootfs that opens, there is nothing to compare with. */
	rootfs = r->bundle ? run_rootfs(r, &ignored) : NULL;
	if (!rootfs || !r->rootfs_names[0])
		return copy_path(path, rel, len, e) == 0 ? &fsroot_host : NULL;
	i = shown_as(r, path);
	switch (confine_host_walk(rootfs->fd, path, rel, len)) {
	case CONFINE_BELOW:
		return &r->rootfs_abs[i];
	case CONFINE_AT:
		/* The rootfs itself: nothing of the image on the way, by its name. */
		name = r->rootfs_names[i];
		return copy_path(*name ? name : "/", rel, len, e) == 0 ? &fsroot_host : NULL;
	case CONFINE_THROUGH:
		err_set(e, 0,
			"%s goes into the rootfs and out again by \"..\", which a symlink of the "
			"image would lead elsewhere: write it without \"..\"",
			path);
		return NULL;
	case CONFINE_OUTSIDE:
		return copy_path(path, rel, len, e) == 0 ? &fsroot_host : NULL;
	default:
		err_set(e, errno, "%s", path);
		return NULL;
	}
}

/* Where the rootfs, named @name, is from the absolute path @at (enum run_cover). */
static int cover_of(const char *name, const char *at)
{
	char rel[PATH_MAX];

	switch (confine_under(at, *name ? name : "/", rel, sizeof(rel))) {
	case CONFINE_AT:
		return RUN_COVER_ROOTFS;
	case CONFINE_BELOW:
		return RUN_COVER_ABOVE;
	default:
		return RUN_COVER_NONE;
	}
}

int run_covers_path(struct run *r, const char *at)
{
	int i, cover = RUN_COVER_NONE;
	char *real;

	if (!r->bundle || at[0] != '/')
		return RUN_COVER_NONE;
	for (i = 0; i < 2 && !cover; i++)
		if (r->rootfs_names[i])
			cover = cover_of(r->rootfs_names[i], at);
	/* Before the rootfs first opened, its realpath is not known yet. */
	real = cover || r->rootfs_names[0] || !r->rootfs_shown ? NULL
								 : realpath(r->rootfs_shown, NULL);
	if (real)
		cover = cover_of(real, at);
	free(real);
	return cover;
}

int run_covers_rootfs(struct run *r, int fd)
{
	char at[PATH_MAX];

	if (path_of_fd(fd, at, sizeof(at)) < 0 || at[0] != '/')
		return RUN_COVER_NONE;
	return run_covers_path(r, at);
}

/* @s from the working directory when relative, taken lexically, into @buf; NULL if too long. */
static const char *lexical_from_cwd(const char *s, char *buf, size_t len)
{
	char cwd[PATH_MAX], joined[2 * PATH_MAX + 2];

	if (s[0] != '/' && getcwd(cwd, sizeof(cwd)) &&
	    snprintf(joined, sizeof(joined), "%s/%s", cwd, s) < (int)sizeof(joined))
		return confine_lexical(joined, buf, len);
	return confine_lexical(s, buf, len);
}

/*
 * @shown as the plan compares it: from the working directory when relative,
 * taken lexically ("./srv/" is "srv"), and below the rootfs by the rootfs's
 * real name whichever of its names it uses (BUNDLE as given, through a
 * symlink, or absolute); NULL if too long.
 */
static const char *plan_key(const struct run *r, const char *shown, char *buf, size_t len)
{
	const char *names[3] = { r->rootfs_shown, r->rootfs_abs[0].shown, r->rootfs_abs[1].shown };
	char name[PATH_MAX], real[PATH_MAX], rest[PATH_MAX];
	size_t i, n;

	if (!lexical_from_cwd(shown, buf, len))
		return NULL;
	if (!r->rootfs_names[0] || !confine_lexical(r->rootfs_names[0], real, sizeof(real)))
		return buf;
	for (i = 0; i < 3; i++) {
		if (!names[i] || !*names[i] || !lexical_from_cwd(names[i], name, sizeof(name)))
			continue;
		n = strlen(name);
		if (!n || strncmp(buf, name, n) || (buf[n] != '/' && buf[n] != '\0'))
			continue;
		snprintf(rest, sizeof(rest), "%s", buf + n);
		if (snprintf(buf, len, "%s%s", real, rest) >= (int)len)
			return NULL;
		break;
	}
	return buf;
}

static int plan_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

bool run_planned(const struct run *r, const char *shown)
{
	char key[PATH_MAX];

	/* Every directory above a planned one is in the tree: one look-up. */
	return plan_key(r, shown, key, sizeof(key)) && tfind(key, &r->planned, plan_cmp);
}

/* Adds the directory @key (lexical form) to the plan; false when out of memory. */
static bool plan_one(struct run *r, const char *key)
{
	char *dup, **v, **node;
	size_t cap;

	if (tfind(key, &r->planned, plan_cmp))
		return true;
	if (r->nplanned == r->planned_cap) {
		cap = r->planned_cap ? 2 * r->planned_cap : 16;
		v = realloc(r->planned_v, cap * sizeof(*v));
		if (!v)
			return false;
		r->planned_v = v;
		r->planned_cap = cap;
	}
	dup = strdup(key);
	node = dup ? tsearch(dup, &r->planned, plan_cmp) : NULL;
	if (!node) {
		free(dup);
		return false;
	}
	r->planned_v[r->nplanned++] = dup;
	return true;
}

void run_plan(struct run *r, const char *shown)
{
	char key[PATH_MAX];
	size_t n;

	if (!plan_key(r, shown, key, sizeof(key)))
		return;
	/* The directory, then each one above it up to "", the top. */
	n = strlen(key);
	for (;;) {
		key[n] = '\0';
		if (!plan_one(r, key) || n == 0)
			return;
		while (n > 0 && key[n - 1] != '/')
			n--;
		if (n > 0)
			n--;
	}
}

void run_unplan_below(struct run *r, const char *shown)
{
	char key[PATH_MAX], *k;
	size_t i = 0, n;

	if (!plan_key(r, shown, key, sizeof(key)))
		return;
	n = strlen(key);
	while (i < r->nplanned) {
		k = r->planned_v[i];
		if (!strncmp(k, key, n) && k[n] != '\0' && (k[n] == '/' || !n)) {
			tdelete(k, &r->planned, plan_cmp);
			free(k);
			r->planned_v[i] = r->planned_v[--r->nplanned];
		} else {
			i++;
		}
	}
	/* The mount point itself is there. */
	run_plan(r, shown);
}

int run_check_mount_point(const struct run *r, const struct fsroot *root, const char *rel,
			  struct err *e)
{
	const char *real = r->rootfs_names[0] ? r->rootfs_names[0] : root->shown;
	char lex[PATH_MAX];
	size_t len;

	if (!root->in_root)
		return 0;
	len = strlen(real) + 1 + (confine_lexical(rel, lex, sizeof(lex)) ? strlen(lex) : strlen(rel));
	if (len >= PATH_MAX)
		return err_set(e, ENAMETOOLONG, "mount on %s/%s (%zu bytes, the kernel's limit is %d)",
			       root->shown, rel, len, PATH_MAX - 1);
	return 0;
}

void run_free(struct run *r)
{
	int i;

	journal_free(&r->journal);
	if (r->rootfs.fd >= 0)
		close(r->rootfs.fd);
	use_rootfs(r, -1);
	while (r->nrootfs_old > 0)
		close(r->rootfs_old[--r->nrootfs_old]);
	free(r->rootfs_old);
	r->rootfs_old = NULL;
	if (r->pidfd >= 0)
		close(r->pidfd);
	r->pidfd = -1;
	free(r->rootfs_shown);
	r->rootfs_shown = NULL;
	while (r->nplanned > 0) {
		char *k = r->planned_v[--r->nplanned];

		tdelete(k, &r->planned, plan_cmp);
		free(k);
	}
	free(r->planned_v);
	r->planned_v = NULL;
	r->planned_cap = 0;
	for (i = 0; i < 2; i++) {
		free(r->rootfs_names[i]);
		r->rootfs_names[i] = NULL;
		r->rootfs_abs[i].shown = "";
	}
}

static void on_signal(int sig)
{
	run_stop_signal = sig;
}

/* The signals a run handles, and what they were when prepbox started. */
static const int handled[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD };
static struct sigaction original[sizeof(handled) / sizeof(handled[0])];
static sigset_t caught;

void run_interruptible(bool on)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = on ? 0 : SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		if (sigismember(&caught, handled[i]))
			sigaction(handled[i], &sa, NULL);
}

int run_catch_signals(void)
{
	struct sigaction sa, ign, dfl;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	ign = sa;
	ign.sa_handler = SIG_IGN;
	dfl = sa;
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&caught);
	for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++) {
		const struct sigaction *want = &sa;

		if (sigaction(handled[i], NULL, &original[i]) < 0)
			return -1;
		switch (handled[i]) {
		case SIGPIPE:
			/* A reader that went away must not kill a run half way: writes fail instead. */
			want = &ign;
			break;
		case SIGCHLD:
			/* Inherited as ignored, children would be reaped before COMMAND is waited for. */
			want = &dfl;
			break;
		default:
			/* Ignored at start (nohup), a stop signal stays ignored, as shells do. */
			if (original[i].sa_handler == SIG_IGN)
				continue;
			sigaddset(&caught, handled[i]);
		}
		if (sigaction(handled[i], want, NULL) < 0)
			return -1;
	}
	return 0;
}

void run_caught_signals(sigset_t *set)
{
	*set = caught;
}

void run_restore_signals(void)
{
	size_t i;

	for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		sigaction(handled[i], &original[i], NULL);
}
