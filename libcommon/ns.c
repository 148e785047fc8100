/*
 * ns.c - the container process's namespaces (ns.h). namespaces(7).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ns.h"
#include "pid.h"

const char *ns_name(enum ns_type type)
{
	return config_ns_names[type];
}

int ns_open(const struct run *r, enum ns_type type, struct err *e)
{
	char path[64];
	int fd;

	if (r->pid <= 0)
		return err_set(e, ESRCH, "open %s namespace: no container process", ns_name(type));
	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)r->pid, ns_name(type));
	fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, errno == ENOENT && kill(r->pid, 0) < 0 ? ESRCH : errno, "open %s",
			       path);
	/* Opened after the pidfd: if that process is still alive, this is its namespace. */
	if (pid_alive(r->pidfd, r->pid, e) < 0) {
		close(fd);
		return err_prefix(e, "open %s", path);
	}
	return fd;
}

int ns_open_self(enum ns_type type, struct err *e)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", ns_name(type));
	fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, errno, "open %s", path);
	return fd;
}

int ns_same(int a, int b, struct err *e)
{
	struct stat sa, sb;

	if (fstat(a, &sa) < 0 || fstat(b, &sb) < 0)
		return err_set(e, errno, "compare namespaces");
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}
