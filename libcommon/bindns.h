/*
 * bindns.h - bindNS: the container process's namespaces bind-mounted onto
 * files, so that other programs can join them later, and so that they live
 * on after the process has exited (DESIGN.md section 4, "bindNS").
 * Follows namespaces(7) (a namespace file bind-mounted elsewhere keeps the
 * namespace alive), mount(2) (MS_BIND), umount(2) (MNT_DETACH) and the
 * /run/netns/NAME convention of ip-netns(8).
 *
 * The step is step_bindns (step.h): for each type, in the order cgroup, ipc,
 * mnt, net, pid, user, uts, the parents of the path are made (mkdir -p), an
 * empty file is made there unless one is there already (never truncating
 * anything), and /proc/PID/ns/TYPE is bound onto it. What may be there:
 *   nothing                   an empty file is made (0644), then bound;
 *   an empty regular file     bound as it is (it is not "made by this run");
 *   a bind of the namespace   left as it is: nothing done, nothing recorded;
 *   a bind of another one     replaced: every namespace bind stacked there
 *                             (an older tool may have stacked several) is
 *                             detached, newest first, then the new one bound,
 *                             so the path holds exactly one; rollback binds
 *                             the old ones back, in their order;
 *   anything else             an error, and left intact: a non-empty file,
 *                             a directory, a symlink (never followed), a
 *                             device, FIFO or socket, or some other mount.
 * Replacing detaches the old bind lazily (umount -l, as `ip netns delete`
 * does): the undo record holds the old namespace open through that very
 * mount, which a plain umount would refuse as busy. Holding it is what lets
 * a rollback put it back when its process has exited since.
 */
#ifndef PREPBOX_BINDNS_H
#define PREPBOX_BINDNS_H

#include "config.h"
#include "err.h"
#include "run.h"

/* What bindns_inspect() found at a bindNS path. */
enum bindns_found {
	BINDNS_MISSING = 0, /* nothing there: an empty file is to be made */
	BINDNS_EMPTY,	    /* an empty regular file, no mount on it: bind onto it */
	BINDNS_SAME,	    /* a bind of the very namespace wanted: nothing to do */
	BINDNS_OTHER,	    /* a bind of another namespace: to be replaced */
};

/*
 * bindns_inspect - look at @name (one component) in the directory @dirfd,
 * without following it if it is a symlink, as the mount point for the
 * namespace open as @nsfd, or, with @nsfd -1, as a mount point at all (a
 * namespace bind is then BINDNS_OTHER, whichever namespace it is).
 * @shown: the path, for messages.
 * @fdp: set to an O_PATH descriptor of what is there (the caller closes it)
 *	for BINDNS_EMPTY, BINDNS_SAME and BINDNS_OTHER; -1 otherwise.
 * Returns an enum bindns_found, or -1 with @e set, *@fdp -1, and nothing
 * changed: ELOOP (a symlink), EISDIR (a directory), EEXIST (a non-empty file,
 * or not a regular file), EBUSY (something other than a namespace is mounted
 * there), or the errno of openat(2)/fstat(2)/fstatfs(2)/reading fdinfo.
 */
int bindns_inspect(int dirfd, const char *name, const char *shown, int nsfd, int *fdp,
		   struct err *e);

/*
 * bindns_bind - bind the namespace open as @nsfd (the run's process's @type
 * namespace, from ns_open()) onto the absolute @path, as described at the top
 * of this file, through the action layer (sys.h). A @path below
 * BUNDLE/rootfs (run_root_for()) is resolved inside the rootfs, directories,
 * file, bind and undo alike, and checked as a mount destination there is
 * (confine_propagation()); any other is used as given. With -n it plans
 * "mkdir -p DIR", "touch PATH", "umount -l PATH" (one per bind replaced) and
 * "mount --bind /proc/PID/ns/TYPE PATH", and changes nothing.
 * Every change is recorded in r->journal; @nsfd stays the caller's.
 * Returns 0, or -1 with @e set (the message names the action and the path):
 * bindns_inspect()'s errors, fs_mkdir_p()'s, run_root_for()'s,
 * confine_propagation()'s, EINVAL (@path is not absolute), EISDIR (@path
 * ends in "." or ".."), ENAMETOOLONG, ENOMEM, and
 * mount(2)'s (EINVAL for a mount namespace bound onto a shared mount, or one
 * not newer than the caller's own, which the kernel refuses as a possible
 * loop; the message says so).
 */
int bindns_bind(struct run *r, enum ns_type type, const char *path, int nsfd, struct err *e);

#endif
