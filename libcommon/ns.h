/*
 * ns.h - the container process's namespaces, opened once, race-free: the
 * process is held as a pidfd (pid.h); /proc/PID/ns/TYPE is opened and the
 * pidfd is checked afterwards, so a pid recycled in between is caught.
 * See namespaces(7), pidfd_open(2), setns(2).
 */
#ifndef PREPBOX_NS_H
#define PREPBOX_NS_H

#include <stdbool.h>
#include <sys/types.h>

#include "config.h"
#include "err.h"
#include "run.h"

/*
 * ns_open - open the @type namespace of the run's process (r->pid, held by
 * r->pidfd) as /proc/PID/ns/TYPE, read-only, close-on-exec.
 * Returns the descriptor, or -1 with @e set: ESRCH (the process is gone, or
 * its pid now names another one), ENOENT (the kernel lacks that namespace
 * type, or the process is a zombie), EACCES...
 */
int ns_open(const struct run *r, enum ns_type type, struct err *e);

/*
 * ns_open_self - open this process's own @type namespace (/proc/self/ns/TYPE).
 * Returns the descriptor or -1 with @e set (errno of open(2)).
 */
int ns_open_self(enum ns_type type, struct err *e);

/*
 * ns_same - whether descriptors (or files) @a and @b are the same namespace:
 * same device and inode, as namespaces(7) says to compare them.
 * Returns 1 (same), 0 (different), or -1 with @e set (fstat(2)'s errno).
 */
int ns_same(int a, int b, struct err *e);

/* ns_name - "net", "mnt"... of @type (the /proc/PID/ns/ name). */
const char *ns_name(enum ns_type type);

#endif
