/*
 * run.c - one run of an applet (run.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"

#ifndef PREPBOX_FAULT_INJECTION
#define PREPBOX_FAULT_INJECTION 0
#endif

volatile sig_atomic_t run_stop_signal;

void run_init(struct run *r)
{
	const char *fail_at = getenv("PREPBOX_FAIL_AT");

	memset(r, 0, sizeof(*r));
	r->cgroup_root = "/sys/fs/cgroup";
	r->pidfd = -1;
	r->rootfs.fd = -1;
	r->rootfs.in_root = true;
	r->rootfs.shown = "";
	if (PREPBOX_FAULT_INJECTION && fail_at)
		r->fail_at = strtoul(fail_at, NULL, 10);
}

const struct fsroot *run_rootfs(struct run *r, struct err *e)
{
	size_t n;

	if (r->rootfs.fd >= 0)
		return &r->rootfs;
	if (!r->bundle) {
		err_set(e, EINVAL, "a relative path needs a BUNDLE (it is relative to BUNDLE/rootfs)");
		return NULL;
	}
	if (!r->rootfs_shown) {
		n = strlen(r->bundle);
		while (n > 1 && r->bundle[n - 1] == '/')
			n--;
		if (asprintf(&r->rootfs_shown, "%.*s/rootfs", (int)n, r->bundle) < 0) {
			r->rootfs_shown = NULL;
			err_set(e, ENOMEM, "open %s/rootfs", r->bundle);
			return NULL;
		}
		r->rootfs.shown = r->rootfs_shown;
	}
	r->rootfs.fd = open(r->rootfs_shown, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (r->rootfs.fd < 0) {
		err_set(e, errno, "open rootfs %s", r->rootfs_shown);
		return NULL;
	}
	return &r->rootfs;
}

const struct fsroot *run_root_for(struct run *r, const char *path, struct err *e)
{
	return path[0] == '/' ? &fsroot_host : run_rootfs(r, e);
}

void run_free(struct run *r)
{
	journal_free(&r->journal);
	if (r->rootfs.fd >= 0)
		close(r->rootfs.fd);
	r->rootfs.fd = -1;
	if (r->pidfd >= 0)
		close(r->pidfd);
	r->pidfd = -1;
	free(r->rootfs_shown);
	r->rootfs_shown = NULL;
}

static void on_signal(int sig)
{
	run_stop_signal = sig;
}

/* The signals a run handles, and what they were when prepbox started. */
static const int handled[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD };
static struct sigaction original[sizeof(handled) / sizeof(handled[0])];
static sigset_t caught;

int run_catch_signals(void)
{
	struct sigaction sa, ign, dfl;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	ign = sa;
	ign.sa_handler = SIG_IGN;
	dfl = sa;
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&caught);
	for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++) {
		const struct sigaction *want = &sa;

		if (sigaction(handled[i], NULL, &original[i]) < 0)
			return -1;
		switch (handled[i]) {
		case SIGPIPE:
			/* A reader that went away must not kill a run half way: writes fail instead. */
			want = &ign;
			break;
		case SIGCHLD:
			/* Inherited as ignored, children would be reaped before COMMAND is waited for. */
			want = &dfl;
			break;
		default:
			/* Ignored at start (nohup), a stop signal stays ignored, as shells do. */
			if (original[i].sa_handler == SIG_IGN)
				continue;
			sigaddset(&caught, handled[i]);
		}
		if (sigaction(handled[i], want, NULL) < 0)
			return -1;
	}
	return 0;
}

void run_caught_signals(sigset_t *set)
{
	*set = caught;
}

void run_restore_signals(void)
{
	size_t i;

	for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		sigaction(handled[i], &original[i], NULL);
}
