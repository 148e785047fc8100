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
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pid.h"
#include "syscalls.h"

/* At most this many bytes of a bad pid are shown. */
#define SHOWN_MAX 32

/*
 * @text (@len bytes) for a message, on one line: a newline, carriage return
 * or tab as \n, \r, \t, other bytes outside printable ASCII (and '\') as
 * \xNN, so that "12\r" is not shown as "12"; at most SHOWN_MAX bytes, then
 * "...". @out: SHOWN_MAX * 4 + 4 bytes.
 */
static const char *shown(const char *text, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, n = 0;

	for (i = 0; i < len && i < SHOWN_MAX; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\n' || c == '\r' || c == '\t') {
			out[n++] = '\\';
			out[n++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
		} else if (c < 0x20 || c >= 0x7f || c == '\\') {
			out[n++] = '\\';
			out[n++] = 'x';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 15];
		} else {
			out[n++] = (char)c;
		}
	}
	if (len > SHOWN_MAX)
		for (i = 0; i < 3; i++)
			out[n++] = '.';
	out[n] = '\0';
	return out;
}

int pid_parse(const char *text, size_t len, const char *what, bool from_file, pid_t *pid,
	      struct err *e)
{
	char buf[SHOWN_MAX * 4 + 4];
	uintmax_t v = 0;
	size_t i;

	if (from_file && len > 0 && text[len - 1] == '\n')
		len--;
	if (len == 0)
		return err_set(e, 0, "%s: empty, expected a pid", what);
	for (i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return err_set(e, 0, "%s: '%s' is not a pid (decimal digits only)", what,
				       shown(text, len, buf));
		v = v * 10 + (uintmax_t)(text[i] - '0');
		/* pid_t is int on Linux. */
		if (v > INT_MAX)
			return err_set(e, 0, "%s: '%s' is too large for a pid", what,
				       shown(text, len, buf));
	}
	if (v == 0)
		return err_set(e, 0, "%s: 0 is not a process", what);
	*pid = (pid_t)v;
	return 0;
}

/*
 * Reads the first @size bytes of the file open as @fd (fewer at its end)
 * into @buf: their number, or -1 with errno set. Closes @fd.
 */
static ssize_t read_head(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int saved;

	/* EINTR is returned, not retried: a stop signal ends a wait for a writer. */
	while (len < size) {
		n = read(fd, buf + len, size - len);
		if (n < 0) {
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	return (ssize_t)len;
}

int pid_read_file(const char *file, pid_t *pid, struct err *e)
{
	char buf[65], what[4200];
	ssize_t len;
	int fd;

	snprintf(what, sizeof(what), "pid file %s", file);
	fd = openat(AT_FDCWD, file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, errno, "read %s", what);
	len = read_head(fd, buf, sizeof(buf));
	if (len < 0)
		return err_set(e, errno, "read %s", what);
	if ((size_t)len == sizeof(buf))
		return err_set(e, 0, "%s: too long for a pid", what);
	return pid_parse(buf, (size_t)len, what, true, pid, e);
}

void pid_file_note(const char *file, struct pid_file_state *s)
{
	ssize_t n;
	int fd;

	memset(s, 0, sizeof(*s));
	/*
	 * A regular file only: opening a FIFO would wait for a writer, or let
	 * one that waits go on to write to nobody once it is closed again.
	 * O_NONBLOCK for what is swapped in between.
	 */
	if (stat(file, &s->st) < 0 || !S_ISREG(s->st.st_mode))
		return;
	fd = openat(AT_FDCWD, file, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &s->st) < 0 || !S_ISREG(s->st.st_mode)) {
		close(fd);
		return;
	}
	n = read_head(fd, s->head, sizeof(s->head));
	if (n < 0)
		return;
	s->len = (size_t)n;
	s->exists = true;
}

bool pid_file_stale(const char *file, const struct pid_file_state *s)
{
	struct pid_file_state now;

	if (!s->exists)
		return false;
	pid_file_note(file, &now);
	return now.exists && now.st.st_dev == s->st.st_dev && now.st.st_ino == s->st.st_ino &&
	       now.len == s->len && !memcmp(now.head, s->head, s->len);
}

/*
 * The process (thread group) that the thread @pid belongs to, from the Tgid
 * line of /proc/PID/status (there for a thread too, though /proc lists only
 * processes); 0 when it cannot be read.
 */
static pid_t thread_group(pid_t pid)
{
	char path[32], line[128];
	int tgid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Tgid:", 5)) {
			tgid = (int)strtol(line + 5, NULL, 10);
			break;
		}
	fclose(f);
	return tgid > 0 ? (pid_t)tgid : 0;
}

/*
 * Whether @pid has exited but is not reaped yet (state Z or X in
 * /proc/PID/stat): it still has a pid, and a pidfd, but no namespaces.
 */
static bool exited(pid_t pid)
{
	char path[32], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	/* "PID (COMM) STATE ...": COMM may hold anything, so from the last ')'. */
	p = strrchr(buf, ')');
	return p && (p[1] == ' ') && (p[2] == 'Z' || p[2] == 'X');
}

int pid_open(pid_t pid, bool *pidfd_missing, struct err *e)
{
	int fd = pb_pidfd_open(pid, 0);
	pid_t tgid;

	*pidfd_missing = false;
	if (fd >= 0 && exited(pid)) {
		close(fd);
		return err_set(e, ESRCH, "process %d has exited (a zombie, not reaped yet: it has "
			       "no namespaces any more)", (int)pid);
	}
	if (fd >= 0)
		return fd;
	if (errno == ESRCH)
		return err_set(e, ESRCH, "process %d", (int)pid);
	/* a thread that leads no thread group: EINVAL, or ENOENT on newer kernels (6.18) */
	if (errno == EINVAL || errno == ENOENT) {
		int saved = errno;

		tgid = thread_group(pid);
		if (tgid > 0 && tgid != pid)
			return err_set(e, 0, "pid %d is a thread of process %d, not a process",
				       (int)pid, (int)tgid);
		/* gone in between */
		if (saved == ENOENT && tgid == 0)
			return err_set(e, ESRCH, "process %d", (int)pid);
		return err_set(e, saved, "open process %d", (int)pid);
	}
	if (errno != ENOSYS)
		return err_set(e, errno, "open process %d", (int)pid);
	if (kill(pid, 0) < 0 && errno == ESRCH)
		return err_set(e, ESRCH, "process %d", (int)pid);
	/* kill(2) takes a thread's id too */
	tgid = thread_group(pid);
	if (tgid > 0 && tgid != pid)
		return err_set(e, 0, "pid %d is a thread of process %d, not a process", (int)pid,
			       (int)tgid);
	*pidfd_missing = true;
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
