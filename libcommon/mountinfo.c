/*
 * mountinfo.c - reading /proc/self/mountinfo (mountinfo.h), following the
 * format of proc(5): "ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] -
 * FSTYPE SOURCE SUPEROPTIONS".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/stat.h>

#include "mountinfo.h"
#include "syscalls.h"

/* Reads all of @file into a NUL-terminated buffer. */
static char *slurp(const char *file, struct err *e)
{
	size_t len = 0, cap = 16384;
	char *buf = malloc(cap), *nb;
	ssize_t n;
	int fd;

	if (!buf) {
		err_set(e, ENOMEM, "read %s", file);
		return NULL;
	}
	fd = openat(AT_FDCWD, file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_set(e, errno, "read %s", file);
		free(buf);
		return NULL;
	}
	for (;;) {
		if (cap - len < 4096) {
			nb = realloc(buf, cap * 2);
			if (!nb) {
				err_set(e, ENOMEM, "read %s", file);
				goto fail;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(e, errno, "read %s", file);
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

void mountinfo_unescape(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

/* Cuts the next space-separated field off *@p. */
static char *field(char **p)
{
	char *s = *p, *end;

	if (!s)
		return NULL;
	end = strchr(s, ' ');
	if (end) {
		*end = '\0';
		*p = end + 1;
	} else {
		*p = NULL;
	}
	return s;
}

static int parse_line(char *line, struct mountinfo_entry *m)
{
	char *p = line, *id, *parent, *sep;

	id = field(&p);
	parent = field(&p);
	m->dev = field(&p);
	m->root = field(&p);
	m->point = field(&p);
	m->options = field(&p);
	if (!id || !parent || !m->dev || !m->root || !m->point || !m->options || !p)
		return -1;
	/* Optional fields run up to a lone "-". */
	if (!strncmp(p, "- ", 2)) {
		m->optional = p - 1;
		*m->optional = '\0';
		p += 2;
	} else {
		sep = strstr(p, " - ");
		if (!sep)
			return -1;
		*sep = '\0';
		m->optional = p;
		p = sep + 3;
	}
	m->fstype = field(&p);
	m->source = field(&p);
	if (!m->fstype || !m->source)
		return -1;
	/* The rest: the kernel escapes spaces in the options it shows. */
	m->super = p ? p : "";
	m->id = atoi(id);
	m->parent = atoi(parent);
	mountinfo_unescape(m->root);
	mountinfo_unescape(m->point);
	mountinfo_unescape(m->source);
	return 0;
}

int mountinfo_read(struct mountinfo *mi, const char *file, struct err *e)
{
	size_t lines = 0, i = 0;
	char *line, *next;

	memset(mi, 0, sizeof(*mi));
	if (!file)
		file = "/proc/self/mountinfo";
	mi->buf = slurp(file, e);
	if (!mi->buf)
		return -1;
	for (line = mi->buf; *line; line++)
		lines += *line == '\n';
	mi->v = calloc(lines + 1, sizeof(*mi->v));
	if (!mi->v) {
		mountinfo_free(mi);
		return err_set(e, ENOMEM, "read %s", file);
	}
	for (line = mi->buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (parse_line(line, &mi->v[i]) < 0) {
			mountinfo_free(mi);
			return err_set(e, EINVAL, "read %s: line %zu is not mountinfo", file, i + 1);
		}
		i++;
	}
	mi->n = i;
	return 0;
}

void mountinfo_free(struct mountinfo *mi)
{
	free(mi->v);
	free(mi->buf);
	memset(mi, 0, sizeof(*mi));
}

int mountinfo_fd_mount_id(int fd, int *id, struct err *e)
{
	char file[64], buf[1024], *p;
	struct statx stx;
	ssize_t n;
	int ffd;

	/* One system call since Linux 5.8; fdinfo before (and under seccomp filters). */
	if (pb_statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) == 0 &&
	    (stx.stx_mask & STATX_MNT_ID)) {
		*id = (int)stx.stx_mnt_id;
		return 0;
	}
	snprintf(file, sizeof(file), "/proc/self/fdinfo/%d", fd);
	ffd = openat(AT_FDCWD, file, O_RDONLY | O_CLOEXEC);
	if (ffd < 0)
		return err_set(e, errno, "read %s", file);
	n = read(ffd, buf, sizeof(buf) - 1);
	close(ffd);
	if (n < 0)
		return err_set(e, errno, "read %s", file);
	buf[n] = '\0';
	p = strstr(buf, "mnt_id:");
	if (!p)
		return err_set(e, ENOTSUP, "read %s: no mnt_id", file);
	*id = atoi(p + strlen("mnt_id:"));
	return 0;
}
