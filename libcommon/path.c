/*
 * path.c - resolving paths, confined to a root when needed (path.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "confine.h"
#include "path.h"
#include "syscalls.h"

const struct fsroot fsroot_host = { AT_FDCWD, false, "" };

/* path_open(), with the openat2(2) RESOLVE_* flags @resolve added. */
static int open_resolve(const struct fsroot *root, const char *path, int oflags,
			unsigned long long resolve, struct err *e)
{
	char shown[4200];
	struct open_how how;
	int fd, tries;

	if (!root->in_root && !resolve) {
		fd = openat(root->fd, path, O_PATH | O_CLOEXEC | oflags);
		if (fd < 0 && e)
			err_set(e, errno, "open %s", path);
		return fd;
	}
	memset(&how, 0, sizeof(how));
	how.flags = (unsigned long long)(O_PATH | O_CLOEXEC | oflags);
	how.resolve = resolve;
	if (root->in_root)
		how.resolve |= RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	/*
	 * With RESOLVE_IN_ROOT the kernel answers EAGAIN when a rename or mount
	 * elsewhere raced with a ".." step; the lookup is safe to repeat.
	 */
	for (tries = 0;; tries++) {
		fd = pb_openat2(root->fd, path, &how);
		if (fd >= 0 || errno != EAGAIN || tries == 16)
			break;
	}
	if (fd < 0 && e) {
		if (errno == ENOSYS)
			err_set(e, ENOSYS, "resolve %s inside %s: this kernel has no openat2(2), "
				"needed to keep the path inside the rootfs", path, root->shown);
		else if (errno == ELOOP && (resolve & RESOLVE_NO_SYMLINKS))
			err_set(e, 0, "%s goes through a symlink, which is not followed here",
				path_show(root, path, shown, sizeof(shown)));
		else
			err_set(e, errno, "open %s%s", path_show(root, path, shown, sizeof(shown)),
				path_hint(root, errno));
	}
	return fd;
}

int path_open(const struct fsroot *root, const char *path, int oflags, struct err *e)
{
	return open_resolve(root, path, oflags, 0, e);
}

int path_open_nosymlinks(const struct fsroot *root, const char *path, int oflags, struct err *e)
{
	return open_resolve(root, path, oflags, RESOLVE_NO_SYMLINKS, e);
}

const char *path_hint(const struct fsroot *root, int errnum)
{
	if (!root->in_root || errnum != ELOOP)
		return "";
	return ": a symlink loop, or a /proc magic link, which is not followed inside the rootfs";
}

const char *path_show(const struct fsroot *root, const char *path, char *buf, size_t len)
{
	size_t n = strlen(root->shown);

	if (!root->in_root) {
		snprintf(buf, len, "%s", path);
		return buf;
	}
	while (*path == '/')
		path++;
	/* A root shown as "/" (BUNDLE /) takes no second slash. */
	snprintf(buf, len, "%s%s%s", root->shown,
		 *path && !(n && root->shown[n - 1] == '/') ? "/" : "", path);
	return buf;
}

size_t path_namelen(const char *name)
{
	size_t n = strlen(name);

	while (n > 1 && name[n - 1] == '/')
		n--;
	return n;
}

const char *path_split(const char *path, size_t *dirlen)
{
	size_t n = path_namelen(path);

	while (n > 0 && path[n - 1] != '/')
		n--;
	*dirlen = n;
	return path + n;
}

int path_of_fd(int fd, char *buf, size_t len)
{
	char proc[64];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, buf, len);
	if (n < 0)
		return -1;
	if ((size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	buf[n] = '\0';
	return 0;
}

/*
 * The part of the path @real that is below the directory @fd ("" or "/x"),
 * or NULL with errno set: EXDEV when @real is not below it.
 */
static const char *below_fd(int fd, const char *real)
{
	char top[4200];
	size_t n;

	if (path_of_fd(fd, top, sizeof(top)) < 0)
		return NULL;
	n = strcmp(top, "/") ? strlen(top) : 0;
	/* d_path() says "(unreachable)" or " (deleted)" for what is not below */
	if (real[0] != '/' || strncmp(real, top, n) || (real[n] != '/' && real[n] != '\0')) {
		errno = EXDEV;
		return NULL;
	}
	return real + n;
}

const char *path_show_fd(const struct fsroot *root, int fd, char *buf, size_t len)
{
	const char *rest = NULL;
	char real[4200];

	if (path_of_fd(fd, real, sizeof(real)) < 0)
		snprintf(real, sizeof(real), "(descriptor %d)", fd);
	else if (root->in_root)
		rest = below_fd(root->fd, real);
	if (rest)
		snprintf(buf, len, "%.*s%s", (int)path_namelen(root->shown), root->shown, rest);
	else
		snprintf(buf, len, "%s", real);
	return buf;
}

/* Whether @p has a ".." component. */
static bool has_dotdot(const char *p)
{
	size_t n;

	for (;;) {
		p += strspn(p, "/");
		if (!*p)
			return false;
		n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return true;
		p += n;
	}
}

/* As many symlinks as the kernel follows in one lookup (MAXSYMLINKS). */
#define SHOW_SYMLINKS 40

const char *path_show_resolved(const struct fsroot *root, const char *path, char *buf, size_t len)
{
	char cur[2 * PATH_MAX], part[2 * PATH_MAX], real[4200], link[PATH_MAX], next[3 * PATH_MAX];
	char joined[3 * PATH_MAX], lex[PATH_MAX], name[NAME_MAX + 1];
	const char *below, *rest, *comp;
	size_t n, c;
	ssize_t got;
	int fd, links;
	char *slash;

	if (!root->in_root || snprintf(cur, sizeof(cur), "%s", path) >= (int)sizeof(cur))
		return path_show(root, path, buf, len);
	for (links = 0; links <= SHOW_SYMLINKS; links++) {
		/* The longest leading part that is there; "" is the root itself. */
		snprintf(part, sizeof(part), "%s", cur);
		while ((fd = path_open(root, *part ? part : ".", 0, NULL)) < 0 && *part) {
			slash = strrchr(part, '/');
			if (slash)
				*slash = '\0';
			else
				part[0] = '\0';
		}
		if (fd < 0)
			break;
		below = path_of_fd(fd, real, sizeof(real)) == 0 ? below_fd(root->fd, real) : NULL;
		n = strlen(part);
		rest = cur + n;
		comp = rest + strspn(rest, "/");
		c = strcspn(comp, "/");
		/*
		 * The first part that is not there may be a symlink of the image
		 * that leads nowhere yet (an earlier entry may make its target):
		 * the run would follow it inside the rootfs, and so does the plan.
		 */
		got = -1;
		if (below && c > 0 && c <= NAME_MAX && !(c == 1 && comp[0] == '.') &&
		    !(c == 2 && comp[0] == '.' && comp[1] == '.')) {
			memcpy(name, comp, c);
			name[c] = '\0';
			got = readlinkat(fd, name, link, sizeof(link) - 1);
		}
		close(fd);
		if (!below)
			break;
		if (got < 0) {
			if (snprintf(joined, sizeof(joined), "%s%s", below, rest) >= (int)sizeof(joined))
				break;
			if (!has_dotdot(rest))
				return path_show(root, joined, buf, len);
			/*
			 * A ".." after a missing directory comes back up to what
			 * is there (mkdir -p makes the directory, then leaves it),
			 * where a symlink of the image may be: taken lexically,
			 * then resolved again, as the run resolves it. The plan
			 * leaves out the directory the run makes on the way.
			 */
			if (!confine_lexical(joined, lex, sizeof(lex)) ||
			    snprintf(cur, sizeof(cur), "%s", lex) >= (int)sizeof(cur))
				break;
			continue;
		}
		link[got] = '\0';
		/* An absolute target counts from the root, a relative one from its directory. */
		if (snprintf(next, sizeof(next), "%s%s%s%s", link[0] == '/' ? "" : below,
			     link[0] == '/' ? "" : "/", link, comp + c) >= (int)sizeof(next) ||
		    snprintf(cur, sizeof(cur), "%s", next) >= (int)sizeof(cur))
			break;
	}
	return path_show(root, path, buf, len);
}

int path_locate(const struct fsroot *root, int fd, char *rel, size_t len, int *dirfdp,
		struct err *e)
{
	char real[4200], dir[4200];
	struct stat want, got;
	const char *p, *name;
	size_t dirlen;
	int dfd;

	*dirfdp = -1;
	if (path_of_fd(fd, real, sizeof(real)) < 0)
		return err_set(e, errno, "find the path of %s",
			       root->in_root ? root->shown : "a target");
	p = real;
	if (root->in_root) {
		p = below_fd(root->fd, real);
		if (!p)
			return err_set(e, errno, "%s is not below %s", real, root->shown);
		while (*p == '/')
			p++;
	}
	if (!*p || !strcmp(real, "/"))
		return err_set(e, EINVAL, "%s is %s itself", real,
			       root->in_root ? root->shown : "the root");
	if (real[0] != '/')
		return err_set(e, EXDEV, "%s is not reachable from this root", real);
	if (strlen(p) >= len)
		return err_set(e, ENAMETOOLONG, "%s", real);
	strcpy(rel, p);
	name = path_split(rel, &dirlen);
	memcpy(dir, rel, dirlen);
	dir[dirlen] = '\0';
	dfd = path_open(root, dirlen ? dir : root->in_root ? "." : "/", O_DIRECTORY, e);
	if (dfd < 0)
		return -1;
	/* The name must still lead to the object, before anything is mounted on it. */
	if (fstat(fd, &want) < 0 || fstatat(dfd, name, &got, AT_SYMLINK_NOFOLLOW) < 0) {
		err_set(e, errno, "%s", real);
		close(dfd);
		return -1;
	}
	if (want.st_dev != got.st_dev || want.st_ino != got.st_ino) {
		close(dfd);
		return err_set(e, EXDEV, "%s: the path no longer leads to the object resolved",
			       real);
	}
	*dirfdp = dfd;
	return 0;
}
