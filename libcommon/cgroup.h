/*
 * cgroup.h - creating cgroups under a cgroup root, v1, hybrid or v2
 * (Documentation/admin-guide/cgroup-v2.rst, cgroup-v1/cgroups.rst,
 * cgroup-v1/cpusets.rst). The step itself is step_cgroup (step.h).
 */
#ifndef PREPBOX_CGROUP_H
#define PREPBOX_CGROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "run.h"

/*
 * cgroup_root_version - 2 when @root is a cgroup2 filesystem (statfs(2)
 * f_type CGROUP2_SUPER_MAGIC), 1 for anything else (a v1 or hybrid layout:
 * a directory of hierarchies). Returns -1 with @e set on statfs errors
 * (ENOENT: no such root, EACCES...).
 */
int cgroup_root_version(const char *root, struct err *e);

/*
 * cgroup_hierarchies - the hierarchies of a v1 or hybrid @root: the names of
 * its subdirectories, sorted; symlinks (aliases such as cpu -> cpu,cpuacct)
 * and other files are left out. On success *@vp (@np entries) is owned by the
 * caller: cgroup_free_hierarchies(). Returns 0, or -1 with @e set: opendir or
 * readdir's errno, ENOENT when @root has no hierarchy at all, ENOMEM.
 */
int cgroup_hierarchies(const char *root, char ***vp, size_t *np, struct err *e);

/* cgroup_free_hierarchies - free what cgroup_hierarchies() returned. */
void cgroup_free_hierarchies(char **v, size_t n);

/*
 * A hierarchy cgroups are made in: the cgroup2 root, or one hierarchy of a
 * v1 or hybrid root. cgroup_open() opens them once for all the cgroups of
 * a run, rather than once per cgroup.
 */
struct cgroup_hier {
	char *path;   /* ROOT, or ROOT/H; owned */
	int fd;	      /* an O_PATH descriptor of it, or -1 when it could not be opened */
	int open_err; /* the errno of opening it, when @fd is -1 */
	bool cpuset;  /* it has cpuset.cpus: new cgroups get their parent's (v1 cpuset) */
};

/*
 * cgroup_open - the hierarchies of r->cgroup_root: itself when @version is
 * 2, each of cgroup_hierarchies() when it is 1. One that cannot be opened
 * is kept with its error, for cgroup_create() to report with each cgroup.
 * On success *@vp (@np entries) is the caller's: cgroup_close(). Returns 0,
 * or -1 with @e set as cgroup_hierarchies() says, or ENOMEM.
 */
int cgroup_open(struct run *r, int version, struct cgroup_hier **vp, size_t *np, struct err *e);

/* cgroup_close - close and free what cgroup_open() returned. */
void cgroup_close(struct cgroup_hier *v, size_t n);

/*
 * cgroup_create - make cgroup @name (slash-separated, no ".." component; a
 * leading "/" still means under the root) in the hierarchies @hiers (@nhiers
 * from cgroup_open()): HIER/NAME. Missing parents are made too (mode 0755),
 * each recorded for undo; in a v1 cpuset hierarchy each new level gets its
 * parent's cpuset.cpus and cpuset.mems.
 * When @version is 1, a hierarchy that refuses is passed to r->warn and
 * skipped; it is an error only when no hierarchy took the cgroup. In v2 any
 * failure is an error.
 * Returns 0, or -1 with @e set (mkdir(2)'s errno: EACCES, EAGAIN (the
 * kernel's cgroup.max.descendants), ENOTDIR...; an existing cgroup is fine).
 */
int cgroup_create(struct run *r, int version, const struct cgroup_hier *hiers, size_t nhiers,
		  const char *name, struct err *e);

#endif
