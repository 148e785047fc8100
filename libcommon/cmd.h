/*
 * cmd.h - running prep-all's COMMAND (runc create ...) between its phases,
 * and waiting for it while still honouring the stop signals. See fork(2),
 * execvp(3), sigtimedwait(2), waitpid(2).
 */
#ifndef PREPBOX_CMD_H
#define PREPBOX_CMD_H

#include <stdbool.h>

#include "err.h"
#include "run.h"

/*
 * cmd_run - run @argv (NULL-terminated; argv[0] looked up in PATH), with
 * prepbox's standard streams and environment, and wait for it to end.
 * SIGINT, SIGTERM and SIGHUP that arrive meanwhile are passed on to the
 * command and recorded in run_stop_signal (the run then rolls back); the
 * command starts with them at their default disposition and unblocked.
 * With -n, plans the command line and runs nothing.
 * @ran: set to true once the command was started (its exec succeeded): from
 *	then on, whatever it did cannot be undone by the rollback.
 * Returns 0 when the command exited with status 0, or -1 with @e set: the
 * exec error (ENOENT: no such command, EACCES...), "exited with status N"
 * or "killed by signal N" (errnum 0), a stop signal, or fork(2)'s errno.
 */
int cmd_run(struct run *r, char *const argv[], bool *ran, struct err *e);

#endif
