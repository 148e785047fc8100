/*
 * fs.c - mkdir -p and touch, confined and recorded (fs.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"
#include "msg.h"
#include "sys.h"

static int fail(const struct fsroot *root, const char *path, const char *at, int errnum,
		struct err *e)
{
	char shown[4200], atshown[4200];

	path_show(root, path, shown, sizeof(shown));
	if (!at || !strcmp(at, path))
		return err_set(e, errnum, "mkdir -p %s%s", shown, path_hint(root, errnum));
	return err_set(e, errnum, "mkdir -p %s: at %s%s", shown,
		       path_show(root, at, atshown, sizeof(atshown)), path_hint(root, errnum));
}

int fs_mkdir_p(struct run *r, const struct fsroot *root, const char *path, mode_t mode, int *fdp,
	       struct err *e)
{
	char prefix[PATH_MAX], name[NAME_MAX + 1], shown[4200];
	size_t len = strlen(path), s = 0, n;
	bool made = false, dotdot, last;
	int parent, fd, rc;

	*fdp = -1;
	if (len >= sizeof(prefix))
		return fail(root, path, NULL, ENAMETOOLONG, e);
	fd = path_open(root, path, O_DIRECTORY, NULL);
	if (fd >= 0) {
		*fdp = fd;
		return 0;
	}
	if (errno != ENOENT)
		return fail(root, path, NULL, errno, e);
	if (r->dry_run) {
		path_show_resolved(root, path, shown, sizeof(shown));
		/* Planned by an earlier entry already: there by now. */
		if (run_planned(r, shown))
			return 0;
		/* Checks the stop signal and counts the action, as doing it would. */
		if (sys_begin(r, "mkdir -p", e) < 0)
			return -1;
		msg_plan("mkdir -p %s", msg_quote(shown));
		run_plan(r, shown);
		return 0;
	}

	parent = path_open(root, root->in_root ? "." : "/", O_DIRECTORY, e);
	if (parent < 0)
		return -1;
	for (;;) {
		while (path[s] == '/')
			s++;
		if (!path[s])
			break;
		n = strcspn(path + s, "/");
		memcpy(prefix, path, s + n);
		prefix[s + n] = '\0';
		s += n;
		if (n == 1 && prefix[s - 1] == '.')
			continue;
		dotdot = n == 2 && !strcmp(prefix + s - 2, "..");
		last = !path[s + strspn(path + s, "/")];
		/*
		 * Each prefix is resolved from the root again, so that it stays
		 * confined; but below a directory this call made, or for the last
		 * component of a path just found missing, nothing can be there to
		 * find: mkdirat(2) says EEXIST if a race made it otherwise.
		 */
		if (dotdot || !(made || last)) {
			fd = path_open(root, prefix, O_DIRECTORY, NULL);
			if (fd >= 0) {
				close(parent);
				parent = fd;
				made = false;
				continue;
			}
			if (errno != ENOENT || dotdot) {
				rc = errno;
				close(parent);
				return fail(root, path, prefix, rc, e);
			}
		}
		if (n > NAME_MAX) {
			close(parent);
			return fail(root, path, prefix, ENAMETOOLONG, e);
		}
		memcpy(name, prefix + s - n, n);
		name[n] = '\0';
		rc = sys_mkdirat(r, root, prefix, parent, name, mode, e);
		if (rc < 0) {
			close(parent);
			return -1;
		}
		made = rc == 1;
		if (made)
			fd = openat(parent, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		else /* EEXIST: a dangling symlink, or a race; look again */
			fd = path_open(root, prefix, O_DIRECTORY, NULL);
		if (fd < 0) {
			rc = errno;
			close(parent);
			return fail(root, path, prefix, rc, e);
		}
		close(parent);
		parent = fd;
	}
	*fdp = parent;
	return 0;
}

int fs_touch_p(struct run *r, const struct fsroot *root, const char *path, mode_t mode, int *fdp,
	       int *created, struct err *e)
{
	char dir[PATH_MAX], name[NAME_MAX + 1], shown[4200];
	size_t dirlen, n;
	const char *base;
	int dfd, fd, rc;

	*fdp = -1;
	if (created)
		*created = 0;
	fd = path_open(root, path, 0, NULL);
	if (fd >= 0) {
		*fdp = fd;
		return 0;
	}
	path_show(root, path, shown, sizeof(shown));
	if (errno != ENOENT)
		return err_set(e, errno, "create %s%s", shown, path_hint(root, errno));
	base = path_split(path, &dirlen);
	n = path_namelen(base);
	if (dirlen >= sizeof(dir) || n > NAME_MAX)
		return err_set(e, ENAMETOOLONG, "create %s", shown);
	/* "netns/" is the directory "netns" */
	while (dirlen > 1 && path[dirlen - 1] == '/')
		dirlen--;
	memcpy(dir, path, dirlen);
	dir[dirlen] = '\0';
	memcpy(name, base, n);
	name[n] = '\0';
	if (!strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, "/"))
		return err_set(e, EISDIR, "create %s", shown);
	if (fs_mkdir_p(r, root, dirlen ? dir : ".", 0755, &dfd, e) < 0)
		return -1;
	if (r->dry_run) {
		if (dfd >= 0)
			close(dfd);
		if (sys_begin(r, "touch", e) < 0)
			return -1;
		msg_plan("touch %s", msg_quote(path_show_resolved(root, path, shown, sizeof(shown))));
		if (created)
			*created = 1;
		return 0;
	}
	rc = sys_creatat(r, root, path, dfd, name, mode, e);
	if (rc < 0) {
		close(dfd);
		return -1;
	}
	if (rc == 1)
		fd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	else
		fd = path_open(root, path, 0, NULL);
	rc = rc == 1;
	if (fd < 0) {
		err_set(e, errno, "create %s", shown);
		close(dfd);
		return -1;
	}
	close(dfd);
	if (created)
		*created = rc;
	*fdp = fd;
	return 0;
}

bool fs_same_object(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}
