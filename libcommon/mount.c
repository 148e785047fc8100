/*
 * mount.c - the "mounts" and "mkdir" step (step_mount, step.h; mount.h):
 * DESIGN.md section 4, with the kernel's semantics of mount(2) and
 * Documentation/filesystems/sharedsubtree.rst:
 *
 *   1. mount(source, dest, type, flags, data), onto the destination as it was
 *      resolved (/proc/self/fd/N), created first (mkdir -p, or an empty file
 *      for a bind of a non-directory), inside BUNDLE/rootfs when relative;
 *   2. for a bind mount, MS_REMOUNT|MS_BIND with the per-mount flags, which
 *      the first call ignores, keeping those the new mount has (statvfs(3));
 *   3. one mount(2) call per propagation option, in order;
 *   4. rro: mount_setattr(2) AT_RECURSIVE, MOUNT_ATTR_RDONLY.
 * Steps 2-4 act on the new mount, reached through the directory that holds
 * the destination: the descriptor of the destination itself still refers to
 * the directory underneath. An entry with "remount" changes the mount that is
 * at the destination instead; an entry with no type whose only options are
 * propagation options changes the propagation of that mount (mount --make-*).
 * Then each mkdir entry: mkdir -p, mode 0755.
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

#include "fs.h"
#include "mount.h"
#include "mountinfo.h"
#include "msg.h"
#include "step.h"
#include "sys.h"
#include "syscalls.h"

#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000
#endif

#define ATIMES (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)
/* what a plain remount sets besides the per-mount flags (the superblock's) */
#define SB_FLAGS                                                                                   \
	(MS_SYNCHRONOUS | MS_MANDLOCK | MS_DIRSYNC | MS_LAZYTIME | MS_I_VERSION | MS_SILENT)
#define CMD_MAX (CONFIG_DATA_MAX + 2 * CONFIG_PATH_MAX + 512)

/* The step's state: BUNDLE as the root of relative bind sources, opened when needed. */
struct ctx {
	struct run *r;
	struct fsroot bundle;
};

int mount_overlay_next(const char **pos, char *buf, size_t len)
{
	const char *s = *pos, *p;

	if (!s || !*s)
		return 0;
	for (p = s; *p && *p != ','; p++)
		if (*p == '\\' && p[1])
			p++;
	if ((size_t)(p - s) >= len)
		return -1;
	memcpy(buf, s, p - s);
	buf[p - s] = '\0';
	*pos = *p ? p + 1 : p;
	return 1;
}

char *mount_overlay_unescape(char *s)
{
	char *d = s, *p = s;

	for (; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		*d++ = *p;
	}
	*d = '\0';
	return s;
}

unsigned long mount_flags_from_statvfs(unsigned long f_flag)
{
	static const unsigned long map[][2] = {
		{ ST_RDONLY, MS_RDONLY },
		{ ST_NOSUID, MS_NOSUID },
		{ ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC },
		{ ST_SYNCHRONOUS, MS_SYNCHRONOUS },
		{ ST_MANDLOCK, MS_MANDLOCK },
		{ ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME },
		{ ST_RELATIME, MS_RELATIME },
		{ ST_NOSYMFOLLOW, MS_NOSYMFOLLOW },
	};
	unsigned long flags = 0;
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (f_flag & map[i][0])
			flags |= map[i][1];
	return flags & ATIMES ? flags : flags | MS_STRICTATIME;
}

unsigned long mount_flags_from_mountinfo(const char *opts)
{
	static const struct {
		const char *word;
		unsigned long flag;
	} map[] = {
		{ "ro", MS_RDONLY },
		{ "nosuid", MS_NOSUID },
		{ "nodev", MS_NODEV },
		{ "noexec", MS_NOEXEC },
		{ "noatime", MS_NOATIME },
		{ "relatime", MS_RELATIME },
		{ "nodiratime", MS_NODIRATIME },
		{ "nosymfollow", MS_NOSYMFOLLOW },
	};
	unsigned long flags = 0;
	size_t i, n;

	while (*opts) {
		n = strcspn(opts, ",");
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (strlen(map[i].word) == n && !strncmp(opts, map[i].word, n))
				flags |= map[i].flag;
		opts += n;
		if (*opts)
			opts++;
	}
	return flags & ATIMES ? flags : flags | MS_STRICTATIME;
}

unsigned long mount_keep(unsigned long has, const struct mountopts *m, unsigned long mask)
{
	unsigned long keep = has & ~m->cleared;

	if (m->flags & ATIMES)
		keep &= ~ATIMES;
	return (keep | m->flags) & mask;
}

const char *mount_cmd(char *buf, size_t len, const char *type, unsigned long flags,
		      const char *data, const char *source, const char *target)
{
	char names[256], opts[CONFIG_DATA_MAX + 300];
	bool remount = flags & MS_REMOUNT;

	if (flags & MOUNTOPT_PROPAGATION) {
		snprintf(buf, len, "mount --make-%s %s", mountopt_propagation_name(flags),
			 msg_quote(target));
		return buf;
	}
	mountopt_flag_names(flags & ~MS_REMOUNT, names, sizeof(names));
	snprintf(opts, sizeof(opts), "%s%s%s%s%s", remount ? "remount" : "",
		 remount && names[0] ? "," : "", names,
		 (remount || names[0]) && data && *data ? "," : "", data ? data : "");
	if (remount) {
		snprintf(buf, len, "mount -o %s %s", msg_quote(opts), msg_quote(target));
		return buf;
	}
	snprintf(buf, len, "mount%s%s%s%s %s %s", type ? " -t " : "", type ? msg_quote(type) : "",
		 opts[0] ? " -o " : "", opts[0] ? msg_quote(opts) : "",
		 msg_quote(source ? source : "none"), msg_quote(target));
	return buf;
}

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
 * The per-mount flags and the superblock's read-only state of the mount @fd
 * is on, from its line of /proc/self/mountinfo (statvfs(3) mixes the two).
 */
static int mount_state(int fd, unsigned long *flags, bool *sb_ro, struct err *e)
{
	char *line = NULL, *opts, *sep, *super, *end;
	size_t cap = 0;
	int id, rc = -1, i;
	FILE *f;

	if (mountinfo_fd_mount_id(fd, &id, e) < 0)
		return -1;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return err_set(e, errno, "read /proc/self/mountinfo");
	while (rc < 0 && getline(&line, &cap, f) > 0) {
		/* The mount ID first (strtol: scanf would bring in more code than this needs). */
		if (strtol(line, &end, 10) != id || end == line)
			continue;
		/* fields are space-separated: the kernel escapes spaces in paths */
		for (opts = line, i = 0; i < 5 && opts; i++)
			opts = strchr(opts, ' ') ? strchr(opts, ' ') + 1 : NULL;
		sep = strstr(line, " - ");
		super = sep ? strchr(sep + 3, ' ') : NULL;
		super = super ? strchr(super + 1, ' ') : NULL;
		if (!opts || !super)
			break;
		opts[strcspn(opts, " ")] = '\0';
		super++;
		*flags = mount_flags_from_mountinfo(opts);
		*sb_ro = !strncmp(super, "ro", 2) && (super[2] == ',' || super[2] <= ' ');
		rc = 0;
	}
	if (rc < 0)
		err_set(e, ENOENT, "mount %d in /proc/self/mountinfo", id);
	free(line);
	fclose(f);
	return rc;
}

/*
 * Creates the upperdir= and workdir= directories an overlay's @data names.
 * In a workdir it makes, the kernel will make work/ (and index/): the
 * rollback removes them too, or the workdir could not go.
 */
static int overlay_dirs(struct run *r, const char *data, struct err *e)
{
	char opt[CONFIG_DATA_MAX], *dir, sub[CONFIG_DATA_MAX + 16];
	const char *pos = data;
	bool made, work;
	int fd, rc;

	while ((rc = mount_overlay_next(&pos, opt, sizeof(opt))) > 0) {
		work = !strncmp(opt, "workdir=", 8);
		if (work)
			dir = opt + 8;
		else if (!strncmp(opt, "upperdir=", 9))
			dir = opt + 9;
		else
			continue;
		/* Absolute: config.c refuses relative ones, even inside one option word. */
		mount_overlay_unescape(dir);
		fd = path_open(&fsroot_host, dir, O_DIRECTORY, NULL);
		made = fd < 0 && errno == ENOENT;
		if (fd >= 0)
			close(fd);
		if (fs_mkdir_p(r, &fsroot_host, dir, 0755, &fd, e) < 0)
			return -1;
		if (fd >= 0)
			close(fd);
		if (made && work) {
			snprintf(sub, sizeof(sub), "%s/work", dir);
			if (sys_record_rmdir(r, &fsroot_host, sub, e) < 0)
				return -1;
			snprintf(sub, sizeof(sub), "%s/index", dir);
			if (sys_record_rmdir(r, &fsroot_host, sub, e) < 0)
				return -1;
		}
	}
	return rc < 0 ? err_set(e, ENAMETOOLONG, "overlay options") : 0;
}

/*
 * The source of a bind mount: an absolute one as given; a relative one
 * (relative to the bundle, as the OCI runtime spec says) resolved inside
 * BUNDLE, so that a symlink in the image cannot lead out of it, and passed as
 * /proc/self/fd/N. @path receives what mount(2) gets, @shown what people see;
 * *@fdp the descriptor to close (or -1); @st what the source is.
 */
static int bind_source(struct ctx *x, const char *source, char *path, size_t len, char *shown,
		       size_t slen, int *fdp, struct stat *st, struct err *e)
{
	*fdp = -1;
	snprintf(shown, slen, "%s", source);
	if (source[0] == '/') {
		snprintf(path, len, "%s", source);
		return stat(source, st) < 0 ? err_set(e, errno, "bind source %s", source) : 0;
	}
	if (x->bundle.fd < 0) {
		x->bundle.fd = open(x->r->bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (x->bundle.fd < 0)
			return err_set(e, errno, "open bundle %s", x->r->bundle);
		x->bundle.shown = x->r->bundle;
	}
	path_show(&x->bundle, source, shown, slen);
	*fdp = path_open(&x->bundle, source, 0, e);
	if (*fdp < 0)
		return err_prefix(e, "bind source");
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
		snprintf(cmd, sizeof(cmd), "mount -o remount,bind,ro=recursive %s",
			 msg_quote(shown));
		if (sys_mount_setattr(r, fd, AT_RECURSIVE, MOUNT_ATTR_RDONLY, cmd, e) < 0) {
			if (e->errnum == ENOSYS)
				err_prefix(e, "rro needs mount_setattr(2), Linux 5.12");
			return -1;
		}
	}
	return 0;
}

/* A new mount (steps 1 to 4) of entry @m, options @o, destination under @root. */
static int new_mount(struct ctx *x, const struct config_mount *m, const struct mountopts *o,
		     const struct fsroot *root, struct err *e)
{
	char src[CONFIG_PATH_MAX + 64], srcshown[CONFIG_PATH_MAX + 64];
	char rel[CONFIG_PATH_MAX + 8], shown[CONFIG_PATH_MAX + 64], cmd[CMD_MAX];
	const char *source = m->source, *type = o->bind ? NULL : m->type, *name;
	int srcfd = -1, fd = -1, dirfd = -1, top = -1, rc = -1;
	struct stat st = { .st_mode = S_IFDIR };
	unsigned long has = 0;
	struct statvfs sv;
	size_t dirlen;

	if (o->bind) {
		if (bind_source(x, m->source, src, sizeof(src), srcshown, sizeof(srcshown), &srcfd,
				&st, e) < 0)
			goto out;
		source = src;
	}
	if ((S_ISDIR(st.st_mode) ? fs_mkdir_p(x->r, root, m->destination, 0755, &fd, e)
				 : fs_touch_p(x->r, root, m->destination, 0644, &fd, NULL, e)) < 0)
		goto out;
	if (m->type && !o->bind && !strcmp(m->type, "overlay") &&
	    overlay_dirs(x->r, o->data, e) < 0)
		goto out;
	if (fd >= 0) {
		if (path_locate(root, fd, rel, sizeof(rel), &dirfd, e) < 0) {
			err_prefix(e, "destination");
			goto out;
		}
	} else {
		snprintf(rel, sizeof(rel), "%s", m->destination);
	}
	path_show(root, rel, shown, sizeof(shown));
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
	/* With -n, a bind's new mount would start with its source's flags. */
	if (o->bind) {
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
 * An entry that changes the mount already at the destination: "remount", or
 * propagation options alone. With -n, a destination that an earlier entry
 * would make is planned as given.
 */
static int change_mount(struct ctx *x, const struct config_mount *m, const struct mountopts *o,
			const struct fsroot *root, struct err *e)
{
	char shown[CONFIG_PATH_MAX + 64], cmd[CMD_MAX];
	struct mountopts only = *o;
	unsigned long has = 0, flags, old = 0;
	bool sb_ro = false;
	struct statvfs sv;
	int fd, rc = -1;

	path_show(root, m->destination, shown, sizeof(shown));
	fd = path_open(root, m->destination, 0, e);
	if (fd < 0 && !(x->r->dry_run && errno == ENOENT))
		return -1;
	/* With -n, what an earlier entry would mount here is not there yet. */
	if (fd >= 0 && !x->r->dry_run) {
		rc = is_mount_root(fd, shown, e);
		if (rc <= 0) {
			rc = rc < 0 ? -1 : err_set(e, EINVAL, "%s is not a mount point", shown);
			goto out;
		}
		rc = -1;
		if ((o->flags & MS_REMOUNT) && mount_state(fd, &old, &sb_ro, e) < 0)
			goto out;
	}
	if (fd >= 0) {
		if (fstatvfs(fd, &sv) < 0) {
			err_set(e, errno, "statvfs %s", shown);
			goto out;
		}
		has = mount_flags_from_statvfs(sv.f_flag);
	}
	if (o->flags & MS_REMOUNT) {
		flags = o->flags & MS_BIND ? MS_BIND | mount_keep(has, o, MOUNTOPT_PER_MOUNT)
					   : mount_keep(has, o, MOUNTOPT_PER_MOUNT | SB_FLAGS);
		mount_cmd(cmd, sizeof(cmd), NULL, MS_REMOUNT | flags,
			  o->bind || !o->datalen ? NULL : o->data, NULL, shown);
		if (sys_remount(x->r, fd, shown, flags, o->bind || !o->datalen ? NULL : o->data,
				old, sb_ro, cmd, e) < 0)
			goto out;
	}
	/* the remount took the per-mount flags already */
	only.bind = false;
	only.rro = false;
	rc = adjust(x->r, &only, has, fd, root, m->destination, shown, e);
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

/* An entry with no type whose options are all propagation options. */
static bool propagation_only(const struct config_mount *m, const struct mountopts *o)
{
	return !m->type && !o->bind && o->npropagation && !o->flags && !o->datalen && !o->rro;
}

/* What can be checked of entry @m before anything is done. */
static int check_entry(struct ctx *x, const struct config_mount *m, struct mountopts *o,
		       struct err *e)
{
	if (mountopt_parse(o, m->type, m->options, m->noptions, e) < 0)
		return -1;
	if ((o->flags & MS_REMOUNT) && o->rro)
		return err_set(e, 0,
			       "rro with remount: the sub-mounts' flags could not be "
			       "rolled back; remount each one");
	if (o->bind && !(o->flags & MS_REMOUNT) && !m->source)
		return err_set(e, 0, "a bind mount needs a source");
	if (o->bind && m->source && m->source[0] != '/' && !(o->flags & MS_REMOUNT) &&
	    !x->r->bundle)
		return err_set(e, 0,
			       "relative bind source \"%s\" needs a BUNDLE (it is relative "
			       "to BUNDLE)",
			       m->source);
	return 0;
}

static int mount_entry(struct ctx *x, const struct config_mount *m, struct err *e)
{
	const struct fsroot *root;
	struct mountopts o;

	if (check_entry(x, m, &o, e) < 0)
		return -1;
	root = run_root_for(x->r, m->destination, e);
	if (!root)
		return -1;
	if ((o.flags & MS_REMOUNT) || propagation_only(m, &o))
		return change_mount(x, m, &o, root, e);
	return new_mount(x, m, &o, root, e);
}

static int mount_step(struct run *r, const struct config *c, struct err *e)
{
	struct ctx x = { .r = r, .bundle = { -1, true, "" } };
	const struct fsroot *root;
	struct mountopts o;
	size_t i;
	int fd, rc = 0;

	/* the whole list is checked before the first action */
	for (i = 0; i < c->nmounts; i++)
		if (check_entry(&x, &c->mounts[i], &o, e) < 0)
			return err_prefix(e, ".mounts[%zu] (%s)", i, c->mounts[i].destination);
	for (i = 0; i < c->nmounts && !rc; i++)
		if (mount_entry(&x, &c->mounts[i], e) < 0)
			rc = err_prefix(e, ".mounts[%zu] (%s)", i, c->mounts[i].destination);
	for (i = 0; i < c->nmkdir && !rc; i++) {
		root = run_root_for(r, c->mkdir[i], e);
		if (!root || fs_mkdir_p(r, root, c->mkdir[i], 0755, &fd, e) < 0) {
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

const struct step step_mount = {
	.name = "mounts",
	.keys = CONFIG_MOUNTS | CONFIG_MKDIR,
	.needs_pid = false,
	.run = mount_step,
};
