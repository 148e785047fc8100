/*
 * pid.h - the container's process, from --pid or --pid-file, checked before
 * anything is done: decimal digits only, fits pid_t, positive, and names a
 * live process (not a thread). The process is then held as a pidfd
 * (pidfd_open(2)), so that a recycled pid cannot redirect later steps.
 */
#ifndef PREPBOX_PID_H
#define PREPBOX_PID_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "err.h"

/*
 * pid_parse - read a pid from @text (@len bytes; need not be NUL-terminated).
 * @what: how messages name the source ("--pid", "pid file /run/x.pid").
 * @from_file: allow one final newline, as a pid file may have.
 * Returns 0 with *@pid set, or -1 with @e set (errnum 0: not a pid, with the
 * reason: empty, not decimal digits, zero, too large; the text is shown with
 * control characters and non-ASCII bytes escaped: '12\r').
 */
int pid_parse(const char *text, size_t len, const char *what, bool from_file, pid_t *pid,
	      struct err *e);

/*
 * pid_read_file - pid_parse() the content of @file (at most 64 bytes read;
 * more is an error). Returns 0 or -1 with @e set: errno of open/read
 * (ENOENT...), or errnum 0 for content that is not a pid.
 */
int pid_read_file(const char *file, pid_t *pid, struct err *e);

/* A pid file as it was before COMMAND ran (pid_file_note()). */
struct pid_file_state {
	bool exists;	/* it could be stat(2)ed and read */
	struct stat st; /* its device and inode */
	char head[65];	/* its first bytes, as pid_read_file() reads them */
	size_t len;
};

/*
 * pid_file_note - note @file's state in *@s before COMMAND runs: stat(2) and
 * its first 65 bytes, once the run needs a pid from it after COMMAND. Never
 * fails, never waits: only a regular file is
 * noted (a FIFO is not opened: that would wait for a writer); one that
 * cannot be read, or is something else, is noted as absent (@s->exists
 * false), and is then never stale.
 */
void pid_file_note(const char *file, struct pid_file_state *s);

/*
 * pid_file_stale - whether @file is still what pid_file_note() found: the
 * same device and inode (stat(2)) and the same bytes. Then the pid in it is
 * from before COMMAND ran: an earlier container's, or a process's that took
 * its number since. Its times do not count: a touch, chmod or link of the
 * old file writes no pid. A rename over it (runc) or a new pid written in
 * place is a new pid file; the same pid written in place again would be the
 * same number as the old container's, which a new process has only once that
 * one is gone and its number reused.
 */
bool pid_file_stale(const char *file, const struct pid_file_state *s);

/*
 * pid_open - check that @pid is a live process and return a pidfd for it.
 * Returns the pidfd (close-on-exec), or -1 with @e set: ESRCH (no such
 * process), errnum 0 when @pid is a thread of another process, not a
 * process ("pid 12 is a thread of process 10, not a process"), or
 * pidfd_open's other errors. On a kernel before 5.3 (ENOSYS) the process
 * is checked with kill(2) signal 0 and -1 is returned with @e->errnum 0 and
 * *@pidfd_missing set (the run goes on by pid).
 */
int pid_open(pid_t pid, bool *pidfd_missing, struct err *e);

/*
 * pid_alive - whether the process held as @pidfd (or, when @pidfd is -1,
 * @pid) still lives. Returns 0 when it does, -1 with @e set (ESRCH) when not.
 */
int pid_alive(int pidfd, pid_t pid, struct err *e);

#endif
