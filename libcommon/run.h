/*
 * run.h - one run of an applet: what the command line named, and what the
 * run has changed so far (the undo journal).
 */
#ifndef PREPBOX_RUN_H
#define PREPBOX_RUN_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "err.h"
#include "journal.h"
#include "path.h"

struct run {
	bool dry_run;		/* -n: plan only, change nothing */
	const char *bundle;	/* BUNDLE as given, or NULL */
	const char *cgroup_root; /* --cgroup-root, default /sys/fs/cgroup */
	pid_t pid;		/* the container's pid, 0 when none was given */
	int pidfd;		/* pidfd of @pid (pidfd_open), -1 when none */

	struct fsroot rootfs;	/* BUNDLE/rootfs; fd -1 until run_rootfs() */
	char *rootfs_shown;	/* owned storage for rootfs.shown */

	struct journal journal;	/* what this run did, to undo on failure */
	unsigned long actions;	/* actions attempted so far */
	unsigned long fail_at;	/* test builds: make action number fail_at fail */

	/* A problem that does not stop the run (a v1 hierarchy without the cgroup). */
	void (*warn)(const struct err *e);
};

/*
 * run_init - an empty run: no bundle, no pid, empty journal, dry_run off.
 * In builds with fault injection, PREPBOX_FAIL_AT=N in the environment makes
 * the N-th action fail (see sys.h).
 */
void run_init(struct run *r);

/*
 * run_rootfs - the root for relative config paths: BUNDLE/rootfs opened
 * O_PATH | O_DIRECTORY once and kept for the run.
 * Returns it, or NULL with @e set: EINVAL when the run has no BUNDLE (a
 * relative path needs one), or the error of opening BUNDLE/rootfs (ENOENT...).
 */
const struct fsroot *run_rootfs(struct run *r, struct err *e);

/*
 * run_root_for - the root @path is resolved against: the rootfs for a
 * relative path, fsroot_host for an absolute one. NULL with @e set as
 * run_rootfs() does.
 */
const struct fsroot *run_root_for(struct run *r, const char *path, struct err *e);

/* run_free - close what the run opened and free the journal (not unwinding it). */
void run_free(struct run *r);

/*
 * The signal that asked the run to stop (SIGINT, SIGTERM, SIGHUP), or 0.
 * Set by the handler run_catch_signals() installs; the action layer checks it
 * before every action, so a run stops at a step boundary and rolls back.
 */
extern volatile sig_atomic_t run_stop_signal;

/*
 * run_catch_signals - catch SIGINT, SIGTERM and SIGHUP into run_stop_signal
 * (SA_RESTART, so an action under way completes), except one that was
 * ignored when prepbox started (nohup); ignore SIGPIPE, so that a reader of
 * -v or -n output that goes away cannot kill a run half way (the write fails
 * instead); and set SIGCHLD to its default, so that COMMAND can be waited for.
 * Returns 0 or -1 (errno of sigaction(2)).
 */
int run_catch_signals(void);

/* run_caught_signals - the stop signals run_catch_signals() catches, into @set. */
void run_caught_signals(sigset_t *set);

/*
 * run_restore_signals - put back the dispositions prepbox started with (for
 * COMMAND, between fork and exec: it gets what prepbox got).
 */
void run_restore_signals(void);

#endif
