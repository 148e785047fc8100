/*
 * pid.c - the container's process (pid.h). See pidfd_open(2),
 * pidfd_send_signal(2), proc(5).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pid.h"
#include "syscalls.h"

int pid_parse(const char *text, size_t len, const char *what, bool from_file, pid_t *pid,
	      struct err *e)
{
	uintmax_t v = 0;
	size_t i;

	if (from_file && len > 0 && text[len - 1] == '\n')
		len--;
	if (len == 0)
		return err_set(e, 0, "%s: empty, expected a pid", what);
	for (i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return err_set(e, 0, "%s: '%.*s' is not a pid (decimal digits only)", what,
				       (int)(len > 32 ? 32 : len), text);
		v = v * 10 + (uintmax_t)(text[i] - '0');
		/* pid_t is int on Linux. */
		if (v > INT_MAX)
			return err_set(e, 0, "%s: '%.*s' is too large for a pid", what,
				       (int)(len > 32 ? 32 : len), text);
	}
	if (v == 0)
		return err_set(e, 0, "%s: 0 is not a process", what);
	*pid = (pid_t)v;
	return 0;
}

int pid_read_file(const char *file, pid_t *pid, struct err *e)
{
	char buf[65], what[4200];
	ssize_t n;
	size_t len = 0;
	int fd;

	snprintf(what, sizeof(what), "pid file %s", file);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, errno, "read %s", what);
	while (len < sizeof(buf)) {
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(e, errno, "read %s", what);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (len == sizeof(buf))
		return err_set(e, 0, "%s: too long for a pid", what);
	return pid_parse(buf, len, what, true, pid, e);
}

int pid_open(pid_t pid, bool *pidfd_missing, struct err *e)
{
	int fd = pb_pidfd_open(pid, 0);

	*pidfd_missing = false;
	if (fd >= 0)
		return fd;
	if (errno == ESRCH)
		return err_set(e, ESRCH, "process %d", (int)pid);
	if (errno == EINVAL)
		return err_set(e, EINVAL, "process %d: a thread, not a process", (int)pid);
	if (errno != ENOSYS)
		return err_set(e, errno, "open process %d", (int)pid);
	*pidfd_missing = true;
	if (kill(pid, 0) < 0 && errno == ESRCH)
		return err_set(e, ESRCH, "process %d", (int)pid);
	e->errnum = 0;
	return -1;
}

int pid_alive(int pidfd, pid_t pid, struct err *e)
{
	int rc = pidfd >= 0 ? pb_pidfd_send_signal(pidfd, 0) : kill(pid, 0);

	if (rc < 0 && errno == ESRCH)
		return err_set(e, ESRCH, "process %d", (int)pid);
	return 0;
}
