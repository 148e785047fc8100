/*
 * mount.c - the "mounts" and "mkdir" step (step_mount, step.h; mountwords.h):
 * DESIGN.md section 4, with the kernel's semantics of mount(2) and
 * Documentation/filesystems/sharedsubtree.rst:
 *
 *   1. mount(source, dest, type, flags, data), onto the destination as it was
 *      resolved (/proc/self/fd/N), created first (mkdir -p, or an empty file
 *      for a bind of a non-directory), inside BUNDLE/rootfs when relative or
 *      below it (run_root_for());
 *   2. for a bind mount, MS_REMOUNT|MS_BIND with the per-mount flags, which
 *      the first call ignores, keeping those the new mount has (statvfs(3));
 *   3. one mount(2) call per propagation option, in order;
 *   4. rro: mount_setattr(2) AT_RECURSIVE, MOUNT_ATTR_RDONLY.
 * Steps 2-4 act on the new mount, reached through the directory that holds
 * the destination: the descriptor of the destination itself still refers to
 * the directory underneath. An entry with "remount" changes the mount that is
 * at the destination instead; an entry with no type whose only options are
 * propagation options changes the propagation of that mount (mount --make-*).
 * Then each mkdir entry: mkdir -p, mode 0755. Before any of it, the step's
 * check (mount_check) looks at what can be known without acting.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "confine.h"
#include "fs.h"
#include "mountwords.h"
#include "mountinfo.h"
#include "msg.h"
#include "step.h"
#include "sys.h"
#include "syscalls.h"


#define CMD_MAX (CONFIG_DATA_MAX + 2 * CONFIG_PATH_MAX + 512)

/* The step's state: BUNDLE as the root of relative bind sources, opened when needed. */
struct ctx {
	struct run *r;
	struct fsroot bundle;
	const struct config *c; /* the config, and the entry running or checked */
	size_t i;
};

/* The new mount on top of @name in @dirfd, and a check that it is not @under's. */
static int open_new_mount(int dirfd, const char *name, int under, const char *shown, struct err *e)
{
	int fd, top_id, under_id;

	fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, errno, "open the new mount at %s", shown);
	if (mountinfo_fd_mount_id(fd, &top_id, e) < 0 ||
	    mountinfo_fd_mount_id(under, &under_id, e) < 0) {
		close(fd);
		return -1;
	}
	/* Changing the flags of whatever else is there would be an incident. */
	if (top_id == under_id) {
		close(fd);
		return err_set(e, EXDEV, "the new mount is not at %s", shown);
	}
	return fd;
}

/*
 * Whether the directory @fd is the root of a mount: its ".." is on another
 * mount, or is itself (the root of the tree). 1 yes, 0 no, -1 with @e set.
 */
static int is_mount_root(int fd, const char *shown, struct err *e)
{
	struct stat a, b;
	int up, id, upid, rc = -1;

	if (fstat(fd, &a) < 0)
		return err_set(e, errno, "stat %s", shown);
	if (!S_ISDIR(a.st_mode))
		return 1; /* a file bind mount: mount(2) says EINVAL if it is not one */
	up = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (up < 0)
		return err_set(e, errno, "open %s/..", shown);
	if (fstat(up, &b) < 0)
		err_set(e, errno, "stat %s/..", shown);
	else if (a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		rc = 1;
	else if (mountinfo_fd_mount_id(fd, &id, e) == 0 && mountinfo_fd_mount_id(up, &upid, e) == 0)
		rc = id != upid;
	close(up);
	return rc;
}

/*
 * The flags of the mount @fd is on, from its line of /proc/self/mountinfo
 * (statvfs(3) mixes the mount's and the superblock's read-only state, and
 * has no lazytime, dirsync or iversion): in @flags, the mount's own (field 6)
 * and the superblock's sync, dirsync, lazytime, mand and iversion (field 11);
 * in @sb_ro, whether the superblock is read-only.
 */
static int mount_state(int fd, unsigned long *flags, bool *sb_ro, struct err *e)
{
	struct mountinfo mi;
	unsigned long sb;
	int id, rc = -1;
	size_t i;

	if (mountinfo_fd_mount_id(fd, &id, e) < 0 || mountinfo_read(&mi, NULL, e) < 0)
		return -1;
	for (i = 0; i < mi.n && rc < 0; i++) {
		if (mi.v[i].id != id)
			continue;
		sb = mount_sb_flags_from_mountinfo(mi.v[i].super);
		*flags = mount_flags_from_mountinfo(mi.v[i].options) | (sb & MOUNTOPT_SB_FLAGS);
		*sb_ro = sb & MS_RDONLY;
		rc = 0;
	}
	if (rc < 0)
		err_set(e, ENOENT, "mount %d in /proc/self/mountinfo", id);
	mountinfo_free(&mi);
	return rc;
}

/*
 * Records the removal of what the kernel will make in the workdir open as
 * @fd (@dir under @root) that is not there yet: overlay makes work/ (and
 * index/), and with "volatile" work/incompat/volatile/dirty, which the
 * unmount leaves and which would make the next mount with this workdir fail.
 */
static int overlay_work(struct run *r, int fd, const struct fsroot *root, const char *dir,
			struct err *e)
{
	static const char *const made[] = { "work", "index", "work/incompat" };
	char sub[CONFIG_PATH_MAX + 16];
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
		if (fstatat(fd, made[i], &st, AT_SYMLINK_NOFOLLOW) == 0 || errno != ENOENT)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, made[i]);
		if (sys_record_rmtree(r, root, sub, e) < 0)
			return -1;
	}
	return 0;
}

/* What the callbacks of mount_overlay_dirs() need. */
struct overlay_walk {
	struct run *r;
	struct err *e;
};

/*
 * Whether the kernel, resolving the absolute @dir as given from / (every
 * symlink followed, as overlay does), finds the object open as @fd (device
 * and inode), or, for @fd -1, finds nothing (ENOENT) either.
 */
static bool kernel_finds(const char *dir, int fd)
{
	int kfd = openat(AT_FDCWD, dir, O_PATH | O_CLOEXEC);
	bool same;

	if (kfd < 0)
		return fd < 0 && errno == ENOENT;
	same = fd >= 0 && fs_same_object(kfd, fd);
	close(kfd);
	return same;
}

/*
 * One directory of an overlay (mount_overlay_dirs()): the kernel resolves
 * the string itself, following every symlink on the way, so one under the
 * rootfs (run_root_for()) must be reached there without any
 * (RESOLVE_NO_SYMLINKS): as far as it exists, since an earlier entry may
 * make a lowerdir, and upperdir and workdir are made.
 */
static int overlay_dir_confined(void *arg, const char *opt, const char *dir)
{
	struct overlay_walk *w = arg;
	char rel[CONFIG_PATH_MAX + 8];
	const struct fsroot *root = run_root_for(w->r, dir, rel, sizeof(rel), w->e);
	bool same;
	int fd;

	if (!root) {
		err_prefix(w->e, "overlay %s", opt);
		return 1;
	}
	if (!root->in_root)
		return 0;
	fd = path_open_nosymlinks(root, rel, 0, w->e);
	/*
	 * The kernel resolves the string itself, from /: it must find what was
	 * found here ("/b/rootfs/a/../l" is "l" here, but ".." from wherever the
	 * image's symlink a leads there), or nothing where nothing was found.
	 */
	if (fd >= 0 || errno == ENOENT) {
		same = kernel_finds(dir, fd);
		if (fd >= 0)
			close(fd);
		if (same)
			return 0;
		err_set(w->e, 0,
			"overlay %s=%s is not what it names in the rootfs: overlay would follow "
			"a symlink of the image there (\"..\" after one, too): name the real path",
			opt, dir);
		return 1;
	}
	if (errno == ELOOP)
		err_set(w->e, 0,
			"overlay %s=%s goes through a symlink, which overlay would follow: name "
			"the real path",
			opt, dir);
	else
		err_prefix(w->e, "overlay %s", opt);
	return 1;
}

/*
 * Each directory of the overlay data @data through @fn (which returns 1
 * with @e set for a failure). 0, or -1 with @e set.
 */
static int overlay_each(struct run *r, const char *data,
			int (*fn)(void *arg, const char *opt, const char *dir), struct err *e)
{
	struct overlay_walk w = { r, e };
	int rc = mount_overlay_dirs(data, fn, &w);

	if (rc < 0)
		return err_set(e, errno, "overlay options");
	return rc ? -1 : 0;
}

/* Creates an upperdir= or workdir= directory (mount_overlay_dirs()). */
static int overlay_dir_make(void *arg, const char *opt, const char *dir)
{
	struct overlay_walk *w = arg;
	char rel[CONFIG_PATH_MAX + 8];
	const struct fsroot *root;
	bool work = !strcmp(opt, "workdir");
	int fd;

	if (!work && strcmp(opt, "upperdir"))
		return 0;
	/* Absolute: config.c refuses relative ones, even inside one option word. */
	root = run_root_for(w->r, dir, rel, sizeof(rel), w->e);
	if (!root || fs_mkdir_p(w->r, root, rel, 0755, &fd, w->e) < 0)
		return 1;
	if (fd >= 0 && work && overlay_work(w->r, fd, root, rel, w->e) < 0) {
		close(fd);
		return 1;
	}
	if (fd >= 0)
		close(fd);
	return 0;
}

/*
 * The source of a bind mount: an absolute one below the rootfs
 * (run_root_for()) resolved there without following any symlink, as
 * rootfs/... is, and any other absolute one as given; a relative one as
 * confine_source() resolves it (relative to BUNDLE, rootfs/... inside the
 * rootfs). What was resolved is passed as /proc/self/fd/N. @path receives
 * what mount(2) gets, @shown what people see (an absolute one as given,
 * where a relative one really is, for -n and -v alike); *@fdp the
 * descriptor to close (or -1); @st what the source is.
 */
static int bind_source(struct ctx *x, const char *source, char *path, size_t len, char *shown,
		       size_t slen, int *fdp, struct stat *st, struct err *e)
{
	const struct fsroot *rootfs;
	char rel[CONFIG_PATH_MAX + 8];

	*fdp = -1;
	if (source[0] == '/') {
		snprintf(shown, slen, "%s", source);
		rootfs = run_root_for(x->r, source, rel, sizeof(rel), e);
		if (!rootfs)
			return err_prefix(e, "bind source");
		if (!rootfs->in_root) {
			snprintf(path, len, "%s", rel);
			return stat(rel, st) < 0 ? err_set(e, errno, "bind source %s", source) : 0;
		}
		*fdp = path_open_nosymlinks(rootfs, rel, 0, e);
		if (*fdp < 0) {
			if (errno == ELOOP)
				err_append(e, ": name the real path");
			return err_prefix(e, "bind source");
		}
		snprintf(path, len, "/proc/self/fd/%d", *fdp);
		return fstat(*fdp, st) < 0 ? err_set(e, errno, "bind source %s", shown) : 0;
	}
	rootfs = run_rootfs(x->r, e);
	if (!rootfs)
		return -1;
	if (x->bundle.fd < 0) {
		x->bundle.fd = openat(AT_FDCWD, x->r->bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (x->bundle.fd < 0)
			return err_set(e, errno, "open bundle %s", x->r->bundle);
		x->bundle.shown = x->r->bundle;
	}
	*fdp = confine_source(&x->bundle, rootfs, source, e);
	if (*fdp < 0)
		return err_prefix(e, "bind source");
	path_show_fd(&x->bundle, *fdp, shown, slen);
	snprintf(path, len, "/proc/self/fd/%d", *fdp);
	return fstat(*fdp, st) < 0 ? err_set(e, errno, "bind source %s", shown) : 0;
}

/* Steps 2 to 4 on the new mount @fd (-1 with -n), shown as @shown. */
static int adjust(struct run *r, const struct mountopts *o, unsigned long has, int fd,
		  const struct fsroot *root, const char *rel, const char *shown, struct err *e)
{
	char cmd[CMD_MAX];
	unsigned long flags;
	size_t i;

	if (o->bind && (o->remount || (has & o->cleared & MOUNTOPT_PER_MOUNT))) {
		flags = MS_REMOUNT | MS_BIND | mount_keep(has, o, MOUNTOPT_PER_MOUNT);
		mount_cmd(cmd, sizeof(cmd), NULL, flags, NULL, NULL, shown);
		if (sys_mount(r, NULL, fd, root, rel, NULL, flags, NULL, cmd, e) < 0)
			return -1;
	}
	for (i = 0; i < o->npropagation; i++) {
		mount_cmd(cmd, sizeof(cmd), NULL, o->propagation[i], NULL, NULL, shown);
		if (sys_mount(r, NULL, fd, root, rel, NULL, o->propagation[i], NULL, cmd, e) < 0)
			return -1;
	}
	if (o->rro) {
		msg_cmd(cmd, sizeof(cmd), "mount -o remount,bind,ro=recursive %s",
			 msg_quote(shown));
		if (sys_mount_setattr(r, fd, AT_RECURSIVE, MOUNT_ATTR_RDONLY, cmd, e) < 0) {
			if (e->errnum == ENOSYS)
				err_prefix(e, "rro needs mount_setattr(2), Linux 5.12");
			return -1;
		}
	}
	return 0;
}

/*
 * The path the bind source @source names: itself when absolute, else
 * BUNDLE/SOURCE made absolute (from the working directory when BUNDLE is
 * relative), into @buf (@len bytes). NULL when it does not fit.
 */
static const char *source_path(const struct run *r, const char *source, char *buf, size_t len)
{
	char cwd[PATH_MAX];
	int n;

	if (source[0] == '/')
		n = snprintf(buf, len, "%s", source);
	else if (r->bundle[0] == '/')
		n = snprintf(buf, len, "%s/%s", r->bundle, source);
	else if (getcwd(cwd, sizeof(cwd)))
		n = snprintf(buf, len, "%s/%s/%s", cwd, r->bundle, source);
	else
		return NULL;
	return n < 0 || (size_t)n >= len ? NULL : buf;
}

/*
 * Where the bind source @source is, to compare with destinations: a place
 * in the rootfs (*@in_root, @buf relative to it: rootfs/... and absolute
 * paths leading there) or on the host (@buf absolute). NULL when it cannot
 * be said.
 */
static const char *source_place(struct ctx *x, const char *source, bool *in_root, char *buf,
				size_t len)
{
	const struct fsroot *root;
	struct err ignored;

	if (source[0] != '/') {
		*in_root = confine_rootfs_part(source, buf, len) != NULL;
		return *in_root ? buf : source_path(x->r, source, buf, len);
	}
	root = run_root_for(x->r, source, buf, len, &ignored);
	if (!root)
		return NULL;
	*in_root = root->in_root;
	return buf;
}

/* An entry with no type whose options are all propagation options. */
static bool propagation_only(const struct config_mount *m, const struct mountopts *o)
{
	return !m->type && !o->bind && o->npropagation && !o->flags && !o->datalen && !o->rro;
}

/*
 * With -n, the bind source @source that an earlier entry would make, as the
 * plan shows it (into @buf, @len bytes): an absolute one as given, rootfs/...
 * under the rootfs's name, any other relative one as BUNDLE/SOURCE.
 */
static void planned_source(struct ctx *x, const char *source, char *buf, size_t len)
{
	char rel[CONFIG_PATH_MAX + 8];
	struct err ignored;

	if (source[0] == '/' || !source_path(x->r, source, buf, len))
		snprintf(buf, len, "%s", source);
	if (source[0] != '/' && confine_rootfs_part(source, rel, sizeof(rel)) &&
	    run_rootfs(x->r, &ignored))
		path_show(&x->r->rootfs, rel, buf, len);
}

/*
 * The absolute host path @path as the host resolves it, into @buf (@len
 * bytes): the realpath(3) of its longest existing part, then the rest taken
 * lexically, as mkdir -p would make it ("/var/run/x" is "/run/x" where
 * var/run -> ../run). NULL when it cannot be said.
 */
static const char *host_canonical(const char *path, char *buf, size_t len)
{
	char part[CONFIG_PATH_MAX + 64], joined[2 * PATH_MAX], *real = NULL, *slash;
	size_t n;

	if (snprintf(part, sizeof(part), "%s", path) >= (int)sizeof(part))
		return NULL;
	while (!(real = realpath(part, NULL))) {
		slash = strrchr(part, '/');
		if ((errno != ENOENT && errno != ENOTDIR) || !slash || slash == part)
			return NULL;
		*slash = '\0';
	}
	n = strlen(part);
	snprintf(joined, sizeof(joined), "%s/%s", real, path + n);
	free(real);
	return confine_lexical_abs(joined, buf, len);
}

/*
 * The relative bind source @source as its entry will find it, into @buf
 * (@len bytes): its longest part that exists, walked from BUNDLE as
 * confine_source() walks it (BUNDLE's symlinks counted from BUNDLE), where
 * that is on the host (/proc/self/fd), then the rest taken lexically. NULL
 * when it cannot be said (BUNDLE or the rootfs does not open, the walk is
 * refused).
 */
static const char *bundle_canonical(struct ctx *x, const char *source, char *buf, size_t len)
{
	char part[CONFIG_PATH_MAX + 64], at[PATH_MAX], joined[2 * PATH_MAX];
	const struct fsroot *rootfs;
	struct err ignored;
	char *slash = NULL;
	int fd, rc;

	rootfs = run_rootfs(x->r, &ignored);
	if (!rootfs || snprintf(part, sizeof(part), "%s", source) >= (int)sizeof(part))
		return NULL;
	if (x->bundle.fd < 0) {
		x->bundle.fd = openat(AT_FDCWD, x->r->bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (x->bundle.fd < 0)
			return NULL;
		x->bundle.shown = x->r->bundle;
	}
	/* The longest part that is there; "" is BUNDLE itself. */
	while ((fd = *part ? confine_source(&x->bundle, rootfs, part, &ignored)
			   : openat(x->bundle.fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		if ((errno != ENOENT && errno != ENOTDIR) || !*part)
			return NULL;
		slash = strrchr(part, '/');
		if (slash)
			*slash = '\0';
		else
			part[0] = '\0';
	}
	rc = path_of_fd(fd, at, sizeof(at));
	close(fd);
	if (rc < 0)
		return NULL;
	snprintf(joined, sizeof(joined), "%s/%s", at, source + strlen(part));
	return confine_lexical_abs(joined, buf, len);
}

/*
 * Whether an entry before the current one (x->i) may make the bind source
 * @source: its destination is the source, above it or below it (compared
 * lexically, each where run_root_for() puts it: both in the rootfs or both
 * on the host). An overlay's upperdir or workdir does not count.
 */
static bool made_earlier(struct ctx *x, const char *source)
{
	char src[CONFIG_PATH_MAX + 64], dest[CONFIG_PATH_MAX + 8];
	char scanon[PATH_MAX], dcanon[PATH_MAX];
	const struct config_mount *m;
	const struct fsroot *root;
	struct mountopts o;
	struct err ignored;
	bool in_root;
	size_t j;

	if (!source_place(x, source, &in_root, src, sizeof(src)))
		return false;
	/*
	 * On the host, where its entry will look: an absolute one by the host's
	 * rules; a relative one as the walk from BUNDLE finds it (BUNDLE's
	 * symlinks counted from BUNDLE).
	 */
	if (!in_root && !(source[0] == '/' ? host_canonical(src, scanon, sizeof(scanon))
					   : bundle_canonical(x, source, scanon, sizeof(scanon))))
		return false;
	for (j = 0; j < x->i; j++) {
		m = &x->c->mounts[j];
		/* A remount or a propagation change makes nothing. */
		if (mountopt_parse(&o, m->type, m->options, m->noptions, &ignored) < 0 ||
		    (o.flags & MS_REMOUNT) || propagation_only(m, &o))
			continue;
		root = run_root_for(x->r, m->destination, dest, sizeof(dest), &ignored);
		if (!root || root->in_root != in_root)
			continue;
		/* On the host, as the host resolves them: /var/run/x is /run/x. */
		if (!in_root && !host_canonical(dest, dcanon, sizeof(dcanon)))
			continue;
		if (confine_overlap(in_root ? dest : dcanon, in_root ? src : scanon))
			return true;
	}
	return false;
}

/*
 * A new mount (steps 1 to 4) of entry @m, options @o, destination @dest
 * under @root (run_root_for()).
 */
static int new_mount(struct ctx *x, const struct config_mount *m, const struct mountopts *o,
		     const struct fsroot *root, const char *dest, struct err *e)
{
	char src[CONFIG_PATH_MAX + 64], srcshown[CONFIG_PATH_MAX + 64];
	char rel[CONFIG_PATH_MAX + 8], shown[CONFIG_PATH_MAX + 64], cmd[CMD_MAX];
	const char *source = m->source, *type = o->bind ? NULL : m->type, *name;
	int srcfd = -1, fd = -1, dirfd = -1, top = -1, rc = -1;
	struct stat st = { .st_mode = S_IFDIR };
	bool overlay = m->type && !o->bind && !strcmp(m->type, "overlay"), planned_src = false;
	unsigned long has = 0;
	struct statvfs sv;
	size_t dirlen;

	/* config.c refuses a bind mount without a source */
	if (o->bind) {
		if (bind_source(x, m->source, src, sizeof(src), srcshown, sizeof(srcshown), &srcfd,
				&st, e) < 0) {
			/* With -n, one that an earlier entry may make: planned as given. */
			if (!x->r->dry_run || e->errnum != ENOENT || !made_earlier(x, m->source))
				goto out;
			planned_source(x, m->source, src, sizeof(src));
			snprintf(srcshown, sizeof(srcshown), "%s", src);
			st.st_mode = S_IFDIR;
			planned_src = true;
		}
		source = src;
	}
	if (!S_ISDIR(st.st_mode) && m->destination[strlen(m->destination) - 1] == '/') {
		err_set(e, ENOTDIR, "bind %s onto %s (a trailing slash means a directory)",
			srcshown, path_show(root, dest, shown, sizeof(shown)));
		goto out;
	}
	/* What the check found may have changed since: earlier entries ran. */
	if (overlay && overlay_each(x->r, o->data, overlay_dir_confined, e) < 0)
		goto out;
	if ((S_ISDIR(st.st_mode) ? fs_mkdir_p(x->r, root, dest, 0755, &fd, e)
				 : fs_touch_p(x->r, root, dest, 0644, &fd, NULL, e)) < 0)
		goto out;
	if (fd >= 0 && run_covers_rootfs(x->r, fd) == RUN_COVER_ABOVE) {
		err_set(e, 0, "%s is above the rootfs %s: a mount there would hide the bundle",
			path_show(root, dest, shown, sizeof(shown)), x->r->rootfs_shown);
		goto out;
	}
	if (fd >= 0 && confine_propagation(root, dest, fd, e) < 0)
		goto out;
	/* Made now: once more, as near to mount(2) as can be. */
	if (overlay && (overlay_each(x->r, o->data, overlay_dir_make, e) < 0 ||
			overlay_each(x->r, o->data, overlay_dir_confined, e) < 0))
		goto out;
	if (fd >= 0) {
		if (path_locate(root, fd, rel, sizeof(rel), &dirfd, e) < 0) {
			err_prefix(e, "destination");
			goto out;
		}
	} else {
		snprintf(rel, sizeof(rel), "%s", dest);
	}
	/* Without the destination open (-n, still to be made), where the run will find it. */
	if (fd >= 0)
		path_show(root, rel, shown, sizeof(shown));
	else
		path_show_resolved(root, rel, shown, sizeof(shown));
	mount_cmd(cmd, sizeof(cmd), type, o->flags, o->datalen ? o->data : NULL,
		  o->bind ? srcshown : source, shown);
	if (sys_mount(x->r, source, fd, root, rel, type, o->flags, o->datalen ? o->data : NULL, cmd,
		      e) < 0)
		goto out;
	if (!x->r->dry_run) {
		name = path_split(rel, &dirlen);
		top = open_new_mount(dirfd, name, fd, shown, e);
		if (top < 0)
			goto out;
	}
	/*
	 * With -n, a bind's new mount would start with its source's flags
	 * (unknown for a source still to be made: none assumed).
	 */
	if (o->bind && !planned_src) {
		if ((top >= 0 ? fstatvfs(top, &sv) : statvfs(source, &sv)) < 0) {
			err_set(e, errno, "statvfs %s", top >= 0 ? shown : srcshown);
			goto out;
		}
		has = mount_flags_from_statvfs(sv.f_flag);
	}
	rc = adjust(x->r, o, has, top, root, rel, shown, e);
out:
	if (top >= 0)
		close(top);
	if (dirfd >= 0)
		close(dirfd);
	if (fd >= 0)
		close(fd);
	if (srcfd >= 0)
		close(srcfd);
	return rc;
}

/*
 * Whether the destination @fd (under @root, shown as @shown) of an entry that
 * changes the mount there is a mount point, and not the rootfs's own mount:
 * the container's root is no mount of the config's (and, through a symlink
 * to "/", was a way to remount the host's filesystem). 0, or -1 with @e set.
 */
static int changeable(const struct fsroot *root, int fd, const char *shown, struct err *e)
{
	int rc = is_mount_root(fd, shown, e), id, rootid;

	if (rc <= 0)
		return rc < 0 ? -1 : err_set(e, EINVAL, "%s is not a mount point", shown);
	if (!root->in_root)
		return 0;
	if (mountinfo_fd_mount_id(fd, &id, e) < 0 ||
	    mountinfo_fd_mount_id(root->fd, &rootid, e) < 0)
		return -1;
	if (id == rootid)
		return err_set(e, EINVAL, "%s resolves to the rootfs itself: use the absolute path",
			       shown);
	return 0;
}

/*
 * An entry that changes the mount already at the destination: "remount", or
 * propagation options alone. A relative destination is resolved without
 * following any symlink: the image must not choose which mount changes.
 * With -n, a destination that an earlier entry would make is planned as given.
 */
static int change_mount(struct ctx *x, const struct config_mount *m, const struct mountopts *o,
			const struct fsroot *root, const char *dest, struct err *e)
{
	char shown[CONFIG_PATH_MAX + 64], cmd[CMD_MAX];
	struct mountopts only = *o;
	unsigned long has, flags, old = 0;
	bool sb_ro = false;
	int fd, rc = -1;

	path_show(root, dest, shown, sizeof(shown));
	fd = root->in_root ? path_open_nosymlinks(root, dest, 0, e) : path_open(root, dest, 0, e);
	if (fd < 0 && !(x->r->dry_run && errno == ENOENT)) {
		if (errno == ELOOP && root->in_root)
			err_append(e, ": name the mount point itself");
		return -1;
	}
	/* With -n, what an earlier entry would mount here is not there yet. */
	if (fd >= 0 && !x->r->dry_run && changeable(root, fd, shown, e) < 0)
		goto out;
	if (fd >= 0 && (o->flags & MS_REMOUNT) && mount_state(fd, &old, &sb_ro, e) < 0)
		goto out;
	/* A plain remount sets the superblock's read-only state too: either keeps it. */
	has = old | (sb_ro ? MS_RDONLY : 0);
	if (o->flags & MS_REMOUNT) {
		flags = o->flags & MS_BIND ? MS_BIND | mount_keep(has, o, MOUNTOPT_PER_MOUNT)
					   : mount_keep(has, o, MOUNTOPT_PER_MOUNT | MOUNTOPT_SB_FLAGS);
		mount_cmd(cmd, sizeof(cmd), NULL, MS_REMOUNT | flags,
			  o->bind || !o->datalen ? NULL : o->data, NULL, shown);
		if (sys_remount(x->r, fd, shown, flags, o->bind || !o->datalen ? NULL : o->data,
				old, sb_ro, cmd, e) < 0)
			goto out;
	}
	/* the remount took the per-mount flags already */
	only.bind = false;
	only.rro = false;
	rc = adjust(x->r, &only, has, fd, root, dest, shown, e);
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

static int mount_entry(struct ctx *x, const struct config_mount *m, struct err *e)
{
	char dest[CONFIG_PATH_MAX + 8];
	const struct fsroot *root;
	struct mountopts o;

	if (mountopt_parse(&o, m->type, m->options, m->noptions, e) < 0)
		return -1;
	root = run_root_for(x->r, m->destination, dest, sizeof(dest), e);
	if (!root)
		return -1;
	if ((o.flags & MS_REMOUNT) || propagation_only(m, &o))
		return change_mount(x, m, &o, root, dest, e);
	return new_mount(x, m, &o, root, dest, e);
}

static int mount_step(struct run *r, const struct config *c, struct err *e)
{
	struct ctx x = { .r = r, .bundle = { -1, true, "" }, .c = c };
	char rel[CONFIG_PATH_MAX + 8];
	const struct fsroot *root;
	size_t i;
	int fd, rc = 0;

	for (i = 0; i < c->nmounts && !rc; i++) {
		x.i = i;
		if (mount_entry(&x, &c->mounts[i], e) < 0)
			rc = err_prefix(e, ".mounts[%zu] (%s)", i, c->mounts[i].destination);
	}
	for (i = 0; i < c->nmkdir && !rc; i++) {
		root = run_root_for(r, c->mkdir[i], rel, sizeof(rel), e);
		if (!root || fs_mkdir_p(r, root, rel, 0755, &fd, e) < 0) {
			rc = err_prefix(e, ".mkdir[%zu] (%s)", i, c->mkdir[i]);
			break;
		}
		if (fd >= 0)
			close(fd);
	}
	if (x.bundle.fd >= 0)
		close(x.bundle.fd);
	return rc;
}

/*
 * The check of entry @i (see mount_check): its destination's root, and its
 * bind source as new_mount() will resolve it, unless an earlier entry may
 * make the source.
 */
static int check_entry(struct ctx *x, const struct config *c, size_t i, struct err *e)
{
	const struct config_mount *m = &c->mounts[i];
	char src[CONFIG_PATH_MAX + 64], shown[CONFIG_PATH_MAX + 64];
	const struct fsroot *rootfs;
	struct mountopts o;
	struct err ignored;
	struct stat st;
	bool in_root;
	int fd, rc;

	x->i = i;
	rootfs = run_root_for(x->r, m->destination, src, sizeof(src), e);
	if (!rootfs || mountopt_parse(&o, m->type, m->options, m->noptions, e) < 0)
		return -1;
	if (run_check_mount_point(x->r, rootfs, src, e) < 0)
		return -1;
	if (m->type && !o.bind && !strcmp(m->type, "overlay") &&
	    overlay_each(x->r, o.data, overlay_dir_confined, e) < 0)
		return -1;
	if (!(o.flags & MS_REMOUNT) && !propagation_only(m, &o) &&
	    run_covers_path(x->r, m->destination) == RUN_COVER_ABOVE)
		return err_set(e, 0, "%s is above the rootfs %s: a mount there would hide the bundle",
			       m->destination, x->r->rootfs_shown);
	if (!o.bind || (o.flags & MS_REMOUNT))
		return 0;
	if (m->source[0] != '/') {
		in_root = confine_rootfs_part(m->source, src, sizeof(src)) != NULL;
		if (in_root && !run_rootfs(x->r, e))
			return -1;
	} else {
		rootfs = run_root_for(x->r, m->source, src, sizeof(src), e);
		if (!rootfs)
			return err_prefix(e, "bind source");
		in_root = rootfs->in_root;
	}
	rc = bind_source(x, m->source, src, sizeof(src), shown, sizeof(shown), &fd, &st, e);
	if (fd >= 0)
		close(fd);
	/*
	 * One missing now that an earlier entry may make is looked for when its
	 * entry runs; so is one in the rootfs that cannot be reached now (a
	 * symlink of the image on the way) where an earlier mount may cover it.
	 */
	if (rc == 0 || ((e->errnum == ENOENT || in_root) && made_earlier(x, m->source)))
		return 0;
	/* So is a host path whose nearest existing directory is in the rootfs. */
	if (m->source[0] == '/' && !in_root && e->errnum == ENOENT) {
		rootfs = run_rootfs(x->r, &ignored);
		if (rootfs && confine_path_inside(rootfs, m->source) == 1)
			return 0;
	}
	return -1;
}

/*
 * What can be known to fail before anything is done (exit 2): BUNDLE/rootfs
 * opens, when a destination, mkdir entry or bind source is relative; no
 * absolute path goes into the rootfs and out again (run_root_for()); an
 * overlay's directories below the rootfs are reached without a symlink;
 * each bind source exists, resolved as its entry will resolve it (with -n
 * too). Not a missing source that an earlier entry may make (made_earlier()),
 * a host path whose nearest existing directory is in the rootfs, or one in
 * the rootfs that cannot be reached now for another reason (an image symlink
 * on the way, which an earlier mount may cover). Those are found when their
 * entry runs (exit 1).
 */
static int mount_check(struct run *r, const struct config *c, struct err *e)
{
	struct ctx x = { .r = r, .bundle = { -1, true, "" }, .c = c };
	char rel[CONFIG_PATH_MAX + 8];
	size_t i;
	int rc = 0;

	/* Every mount is made through /proc/self/fd/N (a chroot may have no /proc). */
	if (c->nmounts && access("/proc/self/fd", F_OK) < 0)
		return err_set(e, errno, "mounts are made through /proc/self/fd, which is not "
				  "there: mount proc first");
	for (i = 0; i < c->nmounts && !rc; i++)
		if (check_entry(&x, c, i, e) < 0)
			rc = err_prefix(e, ".mounts[%zu] (%s)", i, c->mounts[i].destination);
	for (i = 0; i < c->nmkdir && !rc; i++)
		if (!run_root_for(r, c->mkdir[i], rel, sizeof(rel), e))
			rc = err_prefix(e, ".mkdir[%zu] (%s)", i, c->mkdir[i]);
	if (x.bundle.fd >= 0)
		close(x.bundle.fd);
	return rc;
}

const struct step step_mount = {
	.name = "mounts",
	.keys = CONFIG_MOUNTS | CONFIG_MKDIR,
	.needs_pid = false,
	.check = mount_check,
	.run = mount_step,
};
