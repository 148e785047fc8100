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
	/*
	 * The rootfs as absolute config paths name it (run_root_for()), fd as
	 * rootfs.fd: [0] shown as its realpath(3), found when it first opened;
	 * [1] as BUNDLE/rootfs made absolute (from the working directory) and
	 * taken lexically, kept only when that leads to the same directory.
	 * shown is "" until known, and for "/".
	 */
	struct fsroot rootfs_abs[2];
	char *rootfs_names[2];	/* owned storage for rootfs_abs[].shown, or NULL */
	int *rootfs_old;	/* descriptors of the rootfs before a mount covered it */
	size_t nrootfs_old;	/* (kept open: the journal's records may name them) */
	bool rootfs_moved;	/* a mount of this run covered the rootfs since it opened */
	/*
	 * With -n: the directories planned so far and every directory above
	 * them, in lexical form ("" the top): a tsearch(3) tree to look them
	 * up, and an array of the same strings to find those below a mount.
	 */
	void *planned;
	char **planned_v;
	size_t nplanned, planned_cap;

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
 * O_PATH | O_DIRECTORY and kept for the run, with its realpath(3) (once).
 * After a mount of the run on the rootfs (sys_mount() sets rootfs_moved), it
 * is opened again, and when BUNDLE/rootfs no longer leads to the directory
 * kept (another directory, or the same one on another mount, as a bind of
 * the rootfs onto itself), the new one is used from then on; the old descriptor stays open
 * for the journal's records until run_free().
 * Returns it, or NULL with @e set: EINVAL when the run has no BUNDLE (a
 * relative path needs one), ENOMEM, or the error of opening or finding
 * BUNDLE/rootfs (ENOENT...).
 */
const struct fsroot *run_rootfs(struct run *r, struct err *e);

/*
 * run_root_for - the root @path is resolved against, and @path as a path
 * under it, for every path of the config that names a place to create or
 * mount on (destinations, mkdir entries, absolute bind sources, overlay
 * directories, bindNS paths):
 *   a relative path:  the rootfs (run_rootfs()), @path as it is;
 *   an absolute path that leads below the rootfs (confine_host_walk(): walked
 *	by the host's rules until it stands in the rootfs directory): the
 *	rootfs, as run->rootfs_abs[] (shown under the lexical name when @path
 *	reads so, else the realpath), and the lexical rest
 *	("/b/rootfs/run/../x" is "x"). The image must not choose where an
 *	absolute path leads any more than a relative one;
 *   the rootfs itself, named absolutely: fsroot_host, and the lexical form
 *	(nothing of the image is on the way; a mount there covers the rootfs);
 *   any other absolute path: fsroot_host, and @path as given (the config is
 *	trusted). So is every absolute path when the run has no BUNDLE, or
 *	BUNDLE/rootfs does not open: there is no rootfs to compare with.
 * @rel, @len: receives the path under the root returned.
 * Returns the root, or NULL with @e set: as run_rootfs() for a relative
 * path; ENAMETOOLONG; errnum 0 for an absolute path that goes below the
 * rootfs and out again by ".." ("/b/rootfs/run/../../x": the kernel would
 * take that ".." from wherever a symlink of the image led).
 */
const struct fsroot *run_root_for(struct run *r, const char *path, char *rel, size_t len,
				  struct err *e);

/* What a mount on a directory would do to the rootfs (run_covers_rootfs()). */
enum run_cover {
	RUN_COVER_NONE = 0, /* nothing: the directory is neither it nor above it */
	RUN_COVER_ROOTFS,   /* the directory is the rootfs: the mount becomes it */
	RUN_COVER_ABOVE,    /* the directory is above the rootfs: the mount hides it */
};

/*
 * run_covers_rootfs - what a mount on the directory open as @fd would do to
 * BUNDLE/rootfs, by the directory's path (/proc/self/fd) compared with the
 * rootfs's names (its realpath, BUNDLE/rootfs made absolute), lexically: an
 * enum run_cover. prep-mount refuses a mount above the rootfs (it would hide
 * the bundle from the runtime); a mount on the rootfs itself is undone
 * lazily (sys_mount()): run_rootfs() may have opened the rootfs again on it
 * since, which would keep it busy. RUN_COVER_NONE without a BUNDLE, or when
 * the path cannot be read.
 */
int run_covers_rootfs(struct run *r, int fd);

/* run_covers_path - run_covers_rootfs() for the absolute path @at, taken lexically. */
int run_covers_path(struct run *r, const char *at);

/*
 * run_planned - with -n, whether the directory @shown (as messages show it)
 * is planned already: it, or a directory below it, was given to run_plan().
 * An earlier entry's "mkdir -p" is then not planned again.
 */
bool run_planned(const struct run *r, const char *shown);

/*
 * run_plan - with -n, note that the directory @shown is planned (best
 * effort: without memory, it may be planned twice).
 */
void run_plan(struct run *r, const char *shown);

/*
 * run_unplan_below - with -n, forget the planned directories strictly below
 * @shown: a planned mount on @shown hides them, and the run makes them again;
 * @shown itself, the mount point, is planned (there by then). Paths are
 * compared lexically (confine_lexical()).
 */
void run_unplan_below(struct run *r, const char *shown);

/*
 * run_check_mount_point - whether a mount point at @rel under @root (as
 * run_root_for() gave them) can be named by the kernel: under the rootfs,
 * its real path (realpath(3) of the rootfs, then @rel taken lexically) must
 * be shorter than PATH_MAX, or mountinfo, umount(2) and /proc/self/fd
 * cannot give it back. Symlinks of the image on the way may still make it
 * longer; that is found when the mount is made. Returns 0, or -1 with @e
 * set (ENAMETOOLONG, with the length).
 */
int run_check_mount_point(const struct run *r, const struct fsroot *root, const char *rel,
			  struct err *e);

/* run_free - close what the run opened and free the journal (not unwinding it). */
void run_free(struct run *r);

/*
 * The signal that asked the run to stop (SIGINT, SIGTERM, SIGHUP), or 0.
 * Set by the handler run_catch_signals() installs; the action layer checks it
 * before every action, so a run stops at a step boundary and rolls back.
 */
extern volatile sig_atomic_t run_stop_signal;

/*
 * run_interruptible - with @on, a stop signal caught by run_catch_signals()
 * interrupts the system call in progress (EINTR, no SA_RESTART: sigaction(2),
 * signal(7)), for a wait that may last, as opening a FIFO for a writer; off
 * again, calls are restarted. Does nothing for signals not caught.
 */
void run_interruptible(bool on);

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
