/*
 * cmd.c - run prep-all's COMMAND and wait for it (cmd.h).
 *
 * The stop signals are blocked around fork(2) and taken with sigtimedwait(2)
 * while the command runs, so that none is lost between fork and wait and
 * each is forwarded to the command, whose exit then ends the wait. An exec
 * failure is reported through a close-on-exec pipe, so "no such command"
 * is told apart from a command that exits 127.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "msg.h"
#include "sys.h"

/* The command line as shell words, for plans and messages. */
static void show(char *const argv[], char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; argv[i] && n + 1 < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? " " : "", msg_quote(argv[i]));
}

static void child(char *const argv[], const sigset_t *old, int errfd)
{
	int err;

	run_restore_signals();
	sigprocmask(SIG_SETMASK, old, NULL);
	execvp(argv[0], argv);
	err = errno;
	if (write(errfd, &err, sizeof(err)) < 0)
		_exit(127);
	_exit(127);
}

/* Waits for @pid, forwarding the stop signals to it; returns its wait status. */
static int wait_child(pid_t pid, const sigset_t *set, int *status)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	siginfo_t si;
	pid_t w;
	int sig;

	for (;;) {
		w = waitpid(pid, status, WNOHANG);
		if (w == pid)
			return 0;
		if (w < 0 && errno != EINTR)
			return -1;
		/* SIGCHLD is in @set: a child's exit ends the wait at once. */
		sig = sigtimedwait(set, &si, &tick);
		if (sig > 0 && sig != SIGCHLD) {
			run_stop_signal = sig;
			/*
			 * A terminal's ^C reaches the whole foreground process
			 * group, COMMAND too (si_code SI_KERNEL): passed on only
			 * what was sent to prepbox alone.
			 */
			if (si.si_code != SI_KERNEL)
				kill(pid, sig);
		}
	}
}

int cmd_run(struct run *r, char *const argv[], bool *ran, struct err *e)
{
	char line[4096];
	sigset_t set, old;
	int pipefd[2], status, err, saved;
	ssize_t n;
	pid_t pid;

	*ran = false;
	show(argv, line, sizeof(line));
	if (sys_begin(r, line, e) < 0)
		return -1;
	if (r->dry_run) {
		sys_done(r, line);
		return 0;
	}
	run_caught_signals(&set);
	sigaddset(&set, SIGCHLD);
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return err_set(e, errno, "run %s", line);
	sigprocmask(SIG_BLOCK, &set, &old);
	/* A stop signal that came after sys_begin(): COMMAND must not start. */
	if (run_stop_signal) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(pipefd[0]);
		close(pipefd[1]);
		return err_set(e, 0, "stopped by signal %d (%s) before: %s", (int)run_stop_signal,
			       strsignal(run_stop_signal), line);
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		child(argv, &old, pipefd[1]);
	}
	saved = errno;
	close(pipefd[1]);
	if (pid < 0) {
		close(pipefd[0]);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return err_set(e, saved, "run %s", line);
	}
	msg_action("run %s (pid %d)", line, (int)pid);
	/* The pipe closes on exec: no errno in it means the command started. */
	n = read(pipefd[0], &err, sizeof(err));
	close(pipefd[0]);
	*ran = n != (ssize_t)sizeof(err);
	if (wait_child(pid, &set, &status) < 0) {
		saved = errno;
		sigprocmask(SIG_SETMASK, &old, NULL);
		return err_set(e, saved, "wait for %s", line);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (n == (ssize_t)sizeof(err))
		return err_set(e, err, "run %s", line);
	if (run_stop_signal)
		return err_set(e, 0, "stopped by signal %d (%s) while %s ran", (int)run_stop_signal,
			       strsignal(run_stop_signal), line);
	if (WIFSIGNALED(status))
		return err_set(e, 0, "%s: killed by signal %d (%s)", line, WTERMSIG(status),
			       strsignal(WTERMSIG(status)));
	if (WEXITSTATUS(status) != 0)
		return err_set(e, 0, "%s: exited with status %d", line, WEXITSTATUS(status));
	return 0;
}
