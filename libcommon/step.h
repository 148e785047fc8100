/*
 * step.h - the steps of DESIGN.md section 4, each what one applet does and
 * what prep-all calls in turn. A step reads its part of the config and acts
 * through the action layer (sys.h, nl.h), so it journals, logs and plans
 * like every other; it returns 0, or -1 with @e set, leaving the rollback to
 * its caller.
 */
#ifndef PREPBOX_STEP_H
#define PREPBOX_STEP_H

#include <stdbool.h>

#include "config.h"
#include "err.h"
#include "run.h"

struct step {
	const char *name;  /* "mounts" */
	unsigned keys;	   /* enum config_key bits it carries out */
	bool needs_pid;	   /* acts on the container process: runs after COMMAND */
	/*
	 * What can be known to fail before anything is done, checked without
	 * changing anything and without the container process (which prep-all
	 * may not have yet): the cgroup root and its hierarchies, what is at the
	 * bindNS paths... NULL when there is nothing to check. A failure here
	 * is exit 2: nothing was done.
	 */
	int (*check)(struct run *r, const struct config *c, struct err *e);
	int (*run)(struct run *r, const struct config *c, struct err *e);
};

/* mounts, then mkdir; relative paths inside BUNDLE/rootfs (mount.c) */
extern const struct step step_mount;
/* cgroups under every hierarchy of --cgroup-root (cgroup.c) */
extern const struct step step_cgroup;
/* interfaces into the network namespace of the pid (link.c) */
extern const struct step step_link;
/* bindNS: the pid's namespaces bind-mounted to paths (bindns.c) */
extern const struct step step_bindns;

#endif
