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

int run_catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) < 0)
			return -1;
	return 0;
}
