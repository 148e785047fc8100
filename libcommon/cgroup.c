/*
 * cgroup.c - the "cgroups" step: create each cgroup of the config under the
 * cgroup root.
 *
 * A cgroup2 root (statfs(2) says CGROUP2_SUPER_MAGIC) is one hierarchy: the
 * cgroup is ROOT/NAME. Anything else is a v1 or hybrid layout: a tmpfs whose
 * directories are the hierarchies (cpu,cpuacct, memory, ..., unified), and
 * the cgroup is made under each of them; symlinks (cpu -> cpu,cpuacct) are
 * aliases and skipped. See the kernel's Documentation/admin-guide/cgroup-v2.rst,
 * cgroup-v1/cgroups.rst and cgroup-v1/cpusets.rst.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cgroup.h"
#include "step.h"
#include "sys.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#ifndef CGROUP_SUPER_MAGIC
#define CGROUP_SUPER_MAGIC 0x27e0eb
#endif

/* Enough for any cpuset.cpus / cpuset.mems list the kernel prints. */
#define CPUSET_MAX 8192

int cgroup_root_version(const char *root, struct err *e)
{
	struct statfs sfs;

	if (statfs(root, &sfs) < 0)
		return err_set(e, errno, "cgroup root %s", root);
	if (sfs.f_type == CGROUP_SUPER_MAGIC)
		return err_set(e, EINVAL, "cgroup root %s is one v1 hierarchy; give the directory "
			       "that holds the hierarchies (as /sys/fs/cgroup)", root);
	return sfs.f_type == CGROUP2_SUPER_MAGIC ? 2 : 1;
}

/* Whether @name in @dirfd is the root of a cgroup filesystem (v1 or v2): a hierarchy. */
static bool is_hierarchy(int dirfd, const char *name)
{
	struct statfs sfs;
	int fd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	bool yes;

	if (fd < 0)
		return false;
	yes = fstatfs(fd, &sfs) == 0 &&
	      (sfs.f_type == CGROUP_SUPER_MAGIC || sfs.f_type == CGROUP2_SUPER_MAGIC);
	close(fd);
	return yes;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void cgroup_free_hierarchies(char **v, size_t n)
{
	while (n > 0)
		free(v[--n]);
	free(v);
}

int cgroup_hierarchies(const char *root, char ***vp, size_t *np, struct err *e)
{
	char **v = NULL, **nv;
	size_t n = 0, cap = 0;
	struct dirent *d;
	struct stat st;
	DIR *dir;

	dir = opendir(root);
	if (!dir)
		return err_set(e, errno, "list cgroup hierarchies in %s", root);
	while ((errno = 0, d = readdir(dir))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (d->d_type != DT_DIR) {
			if (d->d_type != DT_UNKNOWN ||
			    fstatat(dirfd(dir), d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
			    !S_ISDIR(st.st_mode))
				continue;
		}
		/* A plain directory is no hierarchy: nothing is made in it. */
		if (!is_hierarchy(dirfd(dir), d->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto nomem;
			v = nv;
		}
		v[n] = strdup(d->d_name);
		if (!v[n])
			goto nomem;
		n++;
	}
	if (errno) {
		err_set(e, errno, "list cgroup hierarchies in %s", root);
		goto fail;
	}
	closedir(dir);
	if (n == 0) {
		free(v);
		return err_set(e, ENOENT, "no cgroup hierarchies in %s (no directory there is a "
			       "cgroup filesystem)", root);
	}
	qsort(v, n, sizeof(*v), by_name);
	*vp = v;
	*np = n;
	return 0;
nomem:
	err_set(e, ENOMEM, "list cgroup hierarchies in %s", root);
fail:
	closedir(dir);
	cgroup_free_hierarchies(v, n);
	return -1;
}

/* Reads a cpuset list file of @dirfd into @buf; a missing file gives "". */
static int read_cpuset(int dirfd, const char *name, const char *shown, int shownlen, char *buf,
		       size_t *len, struct err *e)
{
	ssize_t n;
	int fd;

	*len = 0;
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0
				       : err_set(e, errno, "read %.*s/%s", shownlen, shown, name);
	n = read(fd, buf, CPUSET_MAX - 1);
	close(fd);
	if (n < 0)
		return err_set(e, errno, "read %.*s/%s", shownlen, shown, name);
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	*len = (size_t)n;
	return 0;
}

int cgroup_open(struct run *r, int version, struct cgroup_hier **vp, size_t *np, struct err *e)
{
	char **names = NULL;
	struct cgroup_hier *v;
	size_t n = 1, i;
	int rc = 0;

	if (version == 1 && cgroup_hierarchies(r->cgroup_root, &names, &n, e) < 0)
		return -1;
	v = calloc(n, sizeof(*v));
	if (!v) {
		cgroup_free_hierarchies(names, version == 1 ? n : 0);
		return err_set(e, ENOMEM, "open the cgroup hierarchies in %s", r->cgroup_root);
	}
	for (i = 0; i < n; i++) {
		v[i].fd = -1;
		if (version == 2)
			v[i].path = strdup(r->cgroup_root);
		else if (asprintf(&v[i].path, "%s/%s", r->cgroup_root, names[i]) < 0)
			v[i].path = NULL;
		if (!v[i].path) {
			rc = err_set(e, ENOMEM, "open the cgroup hierarchies in %s",
				     r->cgroup_root);
			break;
		}
		v[i].fd = openat(AT_FDCWD, v[i].path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		v[i].open_err = errno;
		/* cgroup2 inherits the parent's cpus when cpuset.cpus is empty: v1 only. */
		v[i].cpuset = version == 1 && v[i].fd >= 0 &&
			      faccessat(v[i].fd, "cpuset.cpus", F_OK, 0) == 0;
	}
	cgroup_free_hierarchies(names, version == 1 ? n : 0);
	if (rc < 0) {
		cgroup_close(v, n);
		return -1;
	}
	*vp = v;
	*np = n;
	return 0;
}

void cgroup_close(struct cgroup_hier *v, size_t n)
{
	while (n > 0) {
		n--;
		if (v[n].fd >= 0)
			close(v[n].fd);
		free(v[n].path);
	}
	free(v);
}

/* Closes a level of the walk; the hierarchy's own descriptor is the run's. */
static void put_level(const struct cgroup_hier *h, int fd)
{
	if (fd >= 0 && fd != h->fd)
		close(fd);
}

/*
 * Makes @name under the hierarchy @h, one level at a time, so that in a v1
 * cpuset hierarchy each new level gets its parent's cpuset.cpus and
 * cpuset.mems: left empty, every process later moved there fails (ENOSPC).
 */
static bool is_dir_at(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

static int create_in(struct run *r, const struct cgroup_hier *h, const char *name, struct err *e)
{
	char cpus[CPUSET_MAX], mems[CPUSET_MAX];
	char path[PATH_MAX], comp[NAME_MAX + 1], file[PATH_MAX + 32];
	size_t len = strlen(h->path), ncpus = 0, nmems = 0, s = 0, n;
	int parent = h->fd, fd = -1, rc, planned = 0, plen;
	bool more;

	if (len >= sizeof(path))
		return err_set(e, ENAMETOOLONG, "cgroup %s in %s", name, h->path);
	if (h->fd < 0)
		return err_set(e, h->open_err, "open cgroup hierarchy %s", h->path);
	memcpy(path, h->path, len + 1);
	for (;;) {
		while (name[s] == '/')
			s++;
		if (!name[s])
			break;
		n = strcspn(name + s, "/");
		if (n > NAME_MAX || len + 1 + n >= sizeof(path)) {
			err_set(e, ENAMETOOLONG, "cgroup %s in %s", name, h->path);
			goto fail;
		}
		memcpy(comp, name + s, n);
		comp[n] = '\0';
		s += n;
		if (!strcmp(comp, "."))
			continue;
		path[len++] = '/';
		memcpy(path + len, comp, n + 1);
		len += n;
		rc = sys_mkdirat(r, &fsroot_host, path, parent, comp, 0755, e);
		if (rc < 0)
			goto fail;
		/*
		 * A new cpuset gets its parent's cpus and mems. A parent that is
		 * only planned (-n) has what the one above it has, read already;
		 * one an earlier entry planned (2) will have its parent's, too.
		 */
		plen = (int)(len - n - 1);
		if (rc >= 1 && h->cpuset && !planned &&
		    (read_cpuset(parent, "cpuset.cpus", path, plen, cpus, &ncpus, e) < 0 ||
		     read_cpuset(parent, "cpuset.mems", path, plen, mems, &nmems, e) < 0))
			goto fail;
		if (r->dry_run && rc >= 1)
			planned = 1;
		/* The new level is opened only to go below it or to write its cpuset. */
		more = name[s + strspn(name + s, "/")] != '\0';
		/* What exists at the last level must be a cgroup, not a control file. */
		if (rc == 0 && !more && !is_dir_at(parent, comp)) {
			err_set(e, ENOTDIR, "%s exists and is not a cgroup", path);
			goto fail;
		}
		fd = -1;
		if (!planned && (more || (rc == 1 && h->cpuset))) {
			fd = openat(parent, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0) {
				err_set(e, errno, "open cgroup %s", path);
				goto fail;
			}
		}
		if (rc == 1 && h->cpuset) {
			snprintf(file, sizeof(file), "%s/cpuset.cpus", path);
			if (sys_writeat(r, fd, "cpuset.cpus", file, cpus, ncpus, e) < 0)
				goto fail_fd;
			snprintf(file, sizeof(file), "%s/cpuset.mems", path);
			if (sys_writeat(r, fd, "cpuset.mems", file, mems, nmems, e) < 0)
				goto fail_fd;
		}
		put_level(h, parent);
		parent = fd;
	}
	put_level(h, parent);
	return 0;
fail_fd:
	put_level(h, fd);
fail:
	put_level(h, parent);
	return -1;
}

static void leftover(const struct err *e, void *arg)
{
	struct run *r = arg;

	if (r->warn)
		r->warn(e);
}

int cgroup_create(struct run *r, int version, const struct cgroup_hier *hiers, size_t nhiers,
		  const char *name, struct err *e)
{
	size_t i, made = 0;
	struct err w;

	if (version == 2) {
		if (create_in(r, &hiers[0], name, e) < 0)
			return err_prefix(e, "cgroup %s", name);
		return 0;
	}
	for (i = 0; i < nhiers; i++) {
		size_t mark = r->journal.n;

		if (create_in(r, &hiers[i], name, &w) == 0) {
			made++;
			continue;
		}
		err_prefix(&w, "cgroup %s", name);
		/* A stop signal ends the run; a v1 hierarchy that refuses does not. */
		if (run_stop_signal) {
			*e = w;
			return -1;
		}
		if (r->warn)
			r->warn(&w);
		/*
		 * Nor does it keep half a cgroup (p of p/q; a cpuset level left
		 * without cpus): what this attempt made there goes now.
		 */
		journal_unwind_to(&r->journal, mark, leftover, r);
	}
	if (made == 0)
		return err_set(e, nhiers ? w.errnum : ENOENT, "cgroup %s: no hierarchy in %s took it%s%s%s",
			       name, r->cgroup_root, nhiers ? " (" : "", nhiers ? w.msg : "",
			       nhiers ? ")" : "");
	return 0;
}

/* Whether cgroup @i of @c was named before: with -n, a plan says each mkdir once. */
static bool named_before(const struct config *c, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (!strcmp(c->cgroups[j], c->cgroups[i]))
			return true;
	return false;
}

static int cgroup_step(struct run *r, const struct config *c, struct err *e)
{
	struct cgroup_hier *hiers = NULL;
	size_t nhiers = 0, i;
	int version, rc = 0;

	if (!c->ncgroups)
		return 0;
	version = cgroup_root_version(r->cgroup_root, e);
	if (version < 0)
		return -1;
	if (cgroup_open(r, version, &hiers, &nhiers, e) < 0)
		return -1;
	for (i = 0; i < c->ncgroups && rc == 0; i++)
		if (!r->dry_run || !named_before(c, i))
			rc = cgroup_create(r, version, hiers, nhiers, c->cgroups[i], e);
	cgroup_close(hiers, nhiers);
	return rc;
}

/* Before anything is done: the root is a cgroup2 mount or holds hierarchies. */
static int cgroup_check(struct run *r, const struct config *c, struct err *e)
{
	char **names;
	size_t n;
	int version;

	(void)c;
	version = cgroup_root_version(r->cgroup_root, e);
	if (version < 0)
		return -1;
	if (version == 2)
		return 0;
	if (cgroup_hierarchies(r->cgroup_root, &names, &n, e) < 0)
		return -1;
	cgroup_free_hierarchies(names, n);
	return 0;
}

const struct step step_cgroup = {
	.name = "cgroups",
	.keys = CONFIG_CGROUPS,
	.needs_pid = false,
	.check = cgroup_check,
	.run = cgroup_step,
};
