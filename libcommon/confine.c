/*
 * confine.c - no mount event from the rootfs may reach the host through a
 * symlink in the image (confine.h). Documentation/filesystems/
 * sharedsubtree.rst: a mount made under a shared mount is also made under
 * each of its peers and slaves; proc(5) mountinfo: "shared:N", "master:N".
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "confine.h"
#include "mountinfo.h"

char *confine_lexical(const char *path, char *buf, size_t len)
{
	size_t n = 0, c;

	if (len == 0)
		return NULL;
	buf[0] = '\0';
	while (*path) {
		while (*path == '/')
			path++;
		c = strcspn(path, "/");
		if (c == 0)
			break;
		if (c == 1 && path[0] == '.') {
			/* nothing */
		} else if (c == 2 && path[0] == '.' && path[1] == '.') {
			while (n > 0 && buf[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
		} else {
			if (n + (n > 0) + c >= len)
				return NULL;
			if (n > 0)
				buf[n++] = '/';
			memcpy(buf + n, path, c);
			n += c;
		}
		buf[n] = '\0';
		path += c;
	}
	return buf;
}

static int fd_path(int fd, char *buf, size_t len)
{
	char proc[64];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, buf, len - 1);
	if (n < 0)
		return -1;
	if ((size_t)n >= len - 1) {
		errno = ENAMETOOLONG;
		return -1;
	}
	buf[n] = '\0';
	return 0;
}

/* Whether mountinfo's optional fields @opt have "@tag:@group" (tag "shared" or "master"). */
static int has_group(const char *opt, const char *tag, int group)
{
	size_t n = strlen(tag);

	while (*opt) {
		if (!strncmp(opt, tag, n) && opt[n] == ':' && atoi(opt + n + 1) == group)
			return 1;
		opt += strcspn(opt, " ");
		opt += strspn(opt, " ");
	}
	return 0;
}

static int below(const char *p, const char *dir, size_t len)
{
	return !strncmp(p, dir, len) && (p[len] == '\0' || p[len] == '/');
}

int confine_propagation(const struct fsroot *root, const char *path, int fd, struct err *e)
{
	char top[PATH_MAX], got[PATH_MAX], lex[PATH_MAX], want[2 * PATH_MAX];
	const struct mountinfo_entry *m = NULL;
	struct mountinfo mi;
	const char *shared;
	size_t i, len;
	int id, group, rc = 0;

	if (!root->in_root)
		return 0;
	if (fd_path(root->fd, top, sizeof(top)) < 0 || fd_path(fd, got, sizeof(got)) < 0)
		return err_set(e, errno, "find where %s led (is /proc mounted?)", path);
	if (!confine_lexical(path, lex, sizeof(lex)))
		return err_set(e, ENAMETOOLONG, "%s", path);
	snprintf(want, sizeof(want), "%s%s%s", top, lex[0] && strcmp(top, "/") ? "/" : "", lex);
	/* Where the config's own words lead: the config's choice. */
	if (!strcmp(got, want))
		return 0;
	if (mountinfo_fd_mount_id(fd, &id, e) < 0 || mountinfo_read(&mi, NULL, e) < 0)
		return -1;
	for (i = 0; i < mi.n && !m; i++)
		if (mi.v[i].id == id)
			m = &mi.v[i];
	shared = m ? strstr(m->optional, "shared:") : NULL;
	if (shared) {
		group = atoi(shared + strlen("shared:"));
		len = strlen(top);
		for (i = 0; i < mi.n && rc == 0; i++) {
			if (!has_group(mi.v[i].optional, "shared", group) &&
			    !has_group(mi.v[i].optional, "master", group))
				continue;
			if (below(mi.v[i].point, top, len))
				continue;
			rc = err_set(e, EXDEV,
				     "%s leads through a symlink in the image to %s, on a mount shared "
				     "with %s (peer group %d): a mount there would appear outside "
				     "the rootfs",
				     path, got, mi.v[i].point, group);
		}
	}
	mountinfo_free(&mi);
	return rc;
}
