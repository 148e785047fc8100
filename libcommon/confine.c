/*
 * confine.c - no mount event from the rootfs may reach the host through a
 * symlink in the image (confine.h). Documentation/filesystems/
 * sharedsubtree.rst: a mount made under a shared mount is also made under
 * each of its peers and slaves; proc(5) mountinfo: "shared:N", "master:N".
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "confine.h"
#include "fs.h"
#include "mountinfo.h"

/*
 * Adds the component @c (@clen bytes) to the lexical path @buf (*@n bytes
 * of @len): "." is nothing, ".." drops the last component (none at the
 * top). Returns 0, or -1 when it does not fit.
 */
static int lexical_add(char *buf, size_t *n, size_t len, const char *c, size_t clen)
{
	if (clen == 1 && c[0] == '.')
		return 0;
	if (clen == 2 && c[0] == '.' && c[1] == '.') {
		while (*n > 0 && buf[*n - 1] != '/')
			(*n)--;
		if (*n > 0)
			(*n)--;
	} else {
		if (*n + (*n > 0) + clen >= len)
			return -1;
		if (*n > 0)
			buf[(*n)++] = '/';
		memcpy(buf + *n, c, clen);
		*n += clen;
	}
	buf[*n] = '\0';
	return 0;
}

/*
 * The next component of *@path: its length (0 at the end) and, in *@start,
 * where it begins; *@path moves past it.
 */
static size_t next_component(const char **path, const char **start)
{
	size_t c;

	*path += strspn(*path, "/");
	*start = *path;
	c = strcspn(*path, "/");
	*path += c;
	return c;
}

char *confine_lexical(const char *path, char *buf, size_t len)
{
	const char *comp;
	size_t n = 0, c;

	if (len == 0)
		return NULL;
	buf[0] = '\0';
	while ((c = next_component(&path, &comp)) > 0)
		if (lexical_add(buf, &n, len, comp, c) < 0)
			return NULL;
	return buf;
}

char *confine_lexical_abs(const char *path, char *buf, size_t len)
{
	if (len < 2)
		return NULL;
	buf[0] = '/';
	return confine_lexical(path, buf + 1, len - 1) ? buf : NULL;
}

/* Whether the lexical path @p (@n bytes) is strictly below the lexical directory @top (@tn). */
static bool lexical_below(const char *p, size_t n, const char *top, size_t tn)
{
	if (tn == 0)
		return n > 0;
	return n > tn && !strncmp(p, top, tn) && p[tn] == '/';
}

int confine_under(const char *top, const char *path, char *rel, size_t len)
{
	char t[PATH_MAX], buf[PATH_MAX];
	size_t n = 0, tn, c;
	bool went_below = false;
	const char *comp;

	if (!confine_lexical(top, t, sizeof(t)))
		goto too_long;
	tn = strlen(t);
	buf[0] = '\0';
	while ((c = next_component(&path, &comp)) > 0) {
		if (lexical_add(buf, &n, sizeof(buf), comp, c) < 0)
			goto too_long;
		if (lexical_below(buf, n, t, tn))
			went_below = true;
	}
	if (n == tn && !strcmp(buf, t))
		return CONFINE_AT;
	if (lexical_below(buf, n, t, tn)) {
		if (n - tn >= len)
			goto too_long;
		snprintf(rel, len, "%s", tn ? buf + tn + 1 : buf);
		return CONFINE_BELOW;
	}
	return went_below ? CONFINE_THROUGH : CONFINE_OUTSIDE;
too_long:
	errno = ENAMETOOLONG;
	return -1;
}

/* The N of "@tag:N" (tag "shared" or "master") in mountinfo's optional fields @opt; 0 for none. */
static int group_of(const char *opt, const char *tag)
{
	size_t n = strlen(tag);

	while (*opt) {
		if (!strncmp(opt, tag, n) && opt[n] == ':')
			return atoi(opt + n + 1);
		opt += strcspn(opt, " ");
		opt += strspn(opt, " ");
	}
	return 0;
}

static bool has(const int *v, size_t n, int x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

int confine_reach(const struct mountinfo *mi, int group, bool *reached)
{
	size_t i, n = 1, cap = 8;
	int *groups = malloc(cap * sizeof(*groups)), *more, shared;
	bool grew = true;

	if (!groups)
		return -1;
	groups[0] = group;
	for (i = 0; i < mi->n; i++)
		reached[i] = false;
	/* Until no new group: a receiver that is shared passes events on to its peers and slaves. */
	while (grew) {
		grew = false;
		for (i = 0; i < mi->n; i++) {
			if (reached[i])
				continue;
			shared = group_of(mi->v[i].optional, "shared");
			if (!(shared && has(groups, n, shared)) &&
			    !has(groups, n, group_of(mi->v[i].optional, "master")))
				continue;
			reached[i] = true;
			if (!shared || has(groups, n, shared))
				continue;
			if (n == cap) {
				more = realloc(groups, 2 * cap * sizeof(*groups));
				if (!more) {
					free(groups);
					errno = ENOMEM;
					return -1;
				}
				groups = more;
				cap *= 2;
			}
			groups[n++] = shared;
			grew = true;
		}
	}
	free(groups);
	return 0;
}

static int below(const char *p, const char *dir, size_t len)
{
	return !strncmp(p, dir, len) && (p[len] == '\0' || p[len] == '/');
}

/* What follows the directory @dir in @p ("" or "/x"), or NULL when @p is not below it. */
static const char *after(const char *p, const char *dir)
{
	size_t n = strcmp(dir, "/") ? strlen(dir) : 0;

	return below(p, dir, n) ? p + n : NULL;
}

/* What a failure to read /proc/self/fd/N most likely means. */
static const char *proc_hint(int errnum)
{
	return errnum == ENOENT ? " (is /proc mounted?)" : "";
}

int confine_propagation(const struct fsroot *root, const char *path, int fd, struct err *e)
{
	char top[PATH_MAX], got[PATH_MAX], lex[PATH_MAX], want[2 * PATH_MAX];
	char place[2 * PATH_MAX], there[3 * PATH_MAX];
	const struct mountinfo_entry *m = NULL;
	const char *rel, *in;
	struct mountinfo mi;
	bool *reached = NULL;
	int id, group = 0, rc = 0;
	size_t i;

	if (!root->in_root)
		return 0;
	if (path_of_fd(root->fd, top, sizeof(top)) < 0 || path_of_fd(fd, got, sizeof(got)) < 0)
		return err_set(e, errno, "find where %s led%s", path, proc_hint(errno));
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
	if (m)
		group = group_of(m->optional, "shared");
	/* the place in its filesystem (what is below m's mount point, from m's root) */
	rel = group ? after(got, m->point) : NULL;
	if (rel) {
		reached = calloc(mi.n, sizeof(*reached));
		if (!reached || confine_reach(&mi, group, reached) < 0)
			rc = err_set(e, ENOMEM, "find where a mount on %s would appear", got);
	}
	if (rel && rc == 0) {
		snprintf(place, sizeof(place), "%s%s", strcmp(m->root, "/") ? m->root : "", rel);
		/* Where each mount the event reaches shows the place (m itself shows it at @got). */
		for (i = 0; i < mi.n && rc == 0; i++) {
			if (!reached[i])
				continue;
			in = after(place, mi.v[i].root);
			if (!in)
				continue;
			snprintf(there, sizeof(there), "%s%s",
				 strcmp(mi.v[i].point, "/") || !*in ? mi.v[i].point : "", in);
			if (below(there, top, strlen(top)))
				continue;
			rc = err_set(
				e, EXDEV,
				"%s leads through a symlink in the image to %s, on a mount shared "
				"with %s (peer group %d): a mount there would appear outside "
				"the rootfs, at %s",
				path, got, mi.v[i].point, group, there);
		}
	}
	free(reached);
	mountinfo_free(&mi);
	return rc;
}

const char *confine_rootfs_part(const char *source, char *buf, size_t len)
{
	char lex[PATH_MAX];

	if (!confine_lexical(source, lex, sizeof(lex)) || strncmp(lex, "rootfs", 6) ||
	    (lex[6] != '/' && lex[6] != '\0') || strlen(lex) >= len)
		return NULL;
	snprintf(buf, len, "%s", lex[6] ? lex + 7 : ".");
	return buf;
}

/* The line of @mi for the mount the object open as @fd is on, or NULL. */
static const struct mountinfo_entry *mount_of(const struct mountinfo *mi, int fd)
{
	struct err e;
	size_t i;
	int id;

	if (mountinfo_fd_mount_id(fd, &id, &e) < 0)
		return NULL;
	for (i = 0; i < mi->n; i++)
		if (mi->v[i].id == id)
			return &mi->v[i];
	return NULL;
}

/*
 * Where the object at @p, on the mount @m, is in its filesystem: @m's root
 * (mountinfo field 4) and what is below @m's mount point, into @buf. Only
 * @m's root when @p is not below the mount point (unreachable, deleted).
 */
static const char *position(const struct mountinfo_entry *m, const char *p, char *buf, size_t len)
{
	const char *rest = after(p, m->point);

	if (!rest)
		rest = "";
	snprintf(buf, len, "%s%s", strcmp(m->root, "/") || !*rest ? m->root : "", rest);
	return buf;
}

/*
 * Whether the object at @p, open as @fd, is in the rootfs @dir (open as
 * @top) by where it is in its filesystem: the same filesystem (mountinfo
 * field 3) as the rootfs's mount, at or below the rootfs's own place in it.
 * A bind mount of a directory of the image, wherever it is mounted, shows
 * what is inside. 1 yes, 0 no, -1 with errno set.
 */
static int inside_by_mount(int top, const char *dir, int fd, const char *p)
{
	char rpos[2 * PATH_MAX], opos[2 * PATH_MAX];
	const struct mountinfo_entry *mr, *mo;
	struct mountinfo mi;
	struct err e;
	int in = 0;

	if (mountinfo_read(&mi, NULL, &e) < 0) {
		errno = e.errnum;
		return -1;
	}
	mr = mount_of(&mi, top);
	mo = mount_of(&mi, fd);
	if (!mr || !mo) {
		errno = ENOENT;
		in = -1;
	} else if (!strcmp(mr->dev, mo->dev)) {
		position(mr, dir, rpos, sizeof(rpos));
		position(mo, p, opos, sizeof(opos));
		in = below(opos, rpos, strcmp(rpos, "/") ? strlen(rpos) : 0);
	}
	mountinfo_free(&mi);
	return in;
}

int confine_inside(const struct fsroot *root, int fd)
{
	int top = root->fd, in;
	char dir[PATH_MAX], got[PATH_MAX];
	struct stat want, st;
	char *slash;

	if (path_of_fd(top, dir, sizeof(dir)) < 0 || path_of_fd(fd, got, sizeof(got)) < 0 ||
	    fstat(top, &want) < 0 || fstat(fd, &st) < 0)
		return -1;
	if (below(got, dir, strlen(dir)))
		return 1;
	in = inside_by_mount(top, dir, fd, got);
	if (in != 0)
		return in;
	for (;;) {
		if (st.st_dev == want.st_dev && st.st_ino == want.st_ino)
			return 1;
		slash = strrchr(got, '/');
		if (!slash || slash == got)
			return 0;
		*slash = '\0';
		if (lstat(got, &st) < 0)
			return -1;
	}
}

int confine_path_inside(const struct fsroot *root, const char *path)
{
	char dir[PATH_MAX], *slash;
	int fd = -1, in;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	while (fd < 0 && (slash = strrchr(dir, '/'))) {
		slash[slash == dir] = '\0';
		fd = openat(AT_FDCWD, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	if (fd < 0)
		return -1;
	in = confine_inside(root, fd);
	close(fd);
	return in;
}

/*
 * One step of walk_bundle(): from the directory @cur to @name in it, "."
 * and ".." included (".." stays at BUNDLE, @top). Returns an O_PATH
 * descriptor of what is there, not followed if it is a symlink, or -1 with
 * errno set.
 */
static int step(int cur, int top, const char *name)
{
	if (!strcmp(name, ".") || (!strcmp(name, "..") && fs_same_object(cur, top)))
		return openat(cur, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	return openat(cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
}

/* As many symlinks as the kernel follows in one lookup (MAXSYMLINKS). */
#define WALK_SYMLINKS 40

/*
 * Puts the target of the symlink open as @fd, and a "/", in place of what
 * is before *@p in @rest (@len bytes): the walk goes on through the target,
 * then what was after the link. Returns 0 with *@p at the start of @rest,
 * or -1 with errno set (ENAMETOOLONG when it does not fit).
 */
static int follow(int fd, char *rest, size_t len, const char **p)
{
	char link[PATH_MAX];
	ssize_t n = readlinkat(fd, "", link, sizeof(link));
	size_t tail = strlen(*p);

	if (n < 0)
		return -1;
	if ((size_t)n >= sizeof(link) || (size_t)n + 1 + tail >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memmove(rest + n + 1, *p, tail + 1);
	memcpy(rest, link, (size_t)n);
	rest[n] = '/';
	*p = rest;
	return 0;
}

/*
 * Where the rest of a path, @rest, leads from the directory it starts at,
 * taken lexically: CONFINE_BELOW (its lexical form into @rel, @len bytes),
 * CONFINE_AT, CONFINE_THROUGH (below, then out above), or CONFINE_OUTSIDE
 * when its first move is up ("../x"): it only passes by. -1: ENAMETOOLONG.
 */
static int rest_place(const char *rest, char *rel, size_t len)
{
	const char *start = rest, *comp;
	long depth = 0;
	bool went_below = false;
	size_t c;

	while ((c = next_component(&rest, &comp)) > 0) {
		if (c == 1 && comp[0] == '.')
			continue;
		depth += c == 2 && comp[0] == '.' && comp[1] == '.' ? -1 : 1;
		if (depth > 0)
			went_below = true;
		if (depth < 0)
			return went_below ? CONFINE_THROUGH : CONFINE_OUTSIDE;
	}
	if (depth == 0)
		return CONFINE_AT;
	if (!confine_lexical(start, rel, len)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return CONFINE_BELOW;
}

int confine_host_walk(int top, const char *path, char *rel, size_t len)
{
	char rest[2 * PATH_MAX], name[NAME_MAX + 1];
	const char *p = rest;
	int cur, next = -1, place, links = 0, saved;
	size_t n, missing = 0;
	struct stat st, at, want; /* @next's, @cur's, @top's */

	if (snprintf(rest, sizeof(rest), "%s", path) >= (int)sizeof(rest)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (fstat(top, &want) < 0)
		return -1;
	cur = openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cur < 0)
		return -1;
	if (fstat(cur, &at) < 0)
		goto fail;
	for (;;) {
		if (!missing && at.st_dev == want.st_dev && at.st_ino == want.st_ino) {
			place = rest_place(p, rel, len);
			if (place != CONFINE_OUTSIDE) {
				close(cur);
				return place;
			}
		}
		p += strspn(p, "/");
		if (!*p)
			break;
		n = strcspn(p, "/");
		if (n > NAME_MAX) {
			errno = ENAMETOOLONG;
			goto fail;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		p += n;
		if (!strcmp(name, "."))
			continue;
		/*
		 * Below a component that is not there, mkdir -p makes empty
		 * directories: ".." comes back up through them, to where the
		 * walk is, and the walk goes on from there.
		 */
		if (missing) {
			missing = strcmp(name, "..") ? missing + 1 : missing - 1;
			continue;
		}
		next = openat(cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT) {
			missing = 1;
			continue;
		}
		if (next < 0 || fstat(next, &st) < 0)
			goto fail;
		if (S_ISLNK(st.st_mode)) {
			if (++links > WALK_SYMLINKS) {
				errno = ELOOP;
				goto fail;
			}
			if (follow(next, rest, sizeof(rest), &p) < 0)
				goto fail;
			close(next);
			next = -1;
			if (rest[0] == '/') {
				close(cur);
				cur = openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
				if (cur < 0)
					return -1;
				if (fstat(cur, &at) < 0)
					goto fail;
			}
			continue;
		}
		close(cur);
		cur = next;
		at = st;
		next = -1;
	}
	close(cur);
	return CONFINE_OUTSIDE;
fail:
	saved = errno;
	if (next >= 0)
		close(next);
	close(cur);
	errno = saved;
	return -1;
}

/*
 * Opens @path (relative, taken lexically) below BUNDLE one component at a
 * time, following BUNDLE's symlinks here rather than in the kernel (an
 * absolute one counts from BUNDLE, as with RESOLVE_IN_ROOT), and stops as
 * soon as a step lands in the rootfs: a symlink of BUNDLE may point into
 * the image, but nothing the image holds is looked at, not even on the way
 * through a symlink's target. @source names it in messages.
 */
static int walk_bundle(const struct fsroot *bundle, const struct fsroot *rootfs, const char *source,
		       const char *path, struct err *e)
{
	char rest[PATH_MAX], name[NAME_MAX + 1], shown[PATH_MAX + 64];
	const char *p = rest;
	int cur, next, in, rc, links = 0;
	struct stat st, top, dir;
	bool apart = false; /* a host walk would have gone elsewhere */
	size_t n;

	path_show(bundle, path, shown, sizeof(shown));
	snprintf(rest, sizeof(rest), "%s", path);
	cur = openat(bundle->fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cur < 0 || fstat(cur, &top) < 0) {
		err_set(e, errno, "open %s", bundle->shown);
		goto fail;
	}
	while (*(p += strspn(p, "/"))) {
		n = strcspn(p, "/");
		if (n > NAME_MAX) {
			err_set(e, ENAMETOOLONG, "open %s", shown);
			goto fail;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		p += n;
		/* A symlink's ".." that stops at BUNDLE. */
		if (links && !strcmp(name, "..") && fs_same_object(cur, bundle->fd))
			apart = true;
		next = step(cur, bundle->fd, name);
		if (next < 0 || fstat(next, &st) < 0) {
			err_set(e, errno, "open %s", shown);
			/* Not where a host symlink would have led: say why. */
			if (apart && e->errnum == ENOENT)
				err_append(e, " (a symlink in BUNDLE counts from BUNDLE, an absolute "
					      "one as BUNDLE/..., and \"..\" stops there: name the "
					      "real path)");
			if (next >= 0)
				close(next);
			goto fail;
		}
		if (S_ISLNK(st.st_mode)) {
			/*
			 * BUNDLE's own symlinks only: one on another filesystem
			 * (an overlay of image directories mounted in BUNDLE,
			 * say) may be the image's.
			 */
			if (fstat(cur, &dir) < 0 || dir.st_dev != top.st_dev) {
				err_set(e, 0,
					"%s goes through a symlink at %s, on another filesystem "
					"than BUNDLE's, which is not followed: name the real path",
					source, path_show_fd(bundle, next, shown, sizeof(shown)));
				close(next);
				close(cur);
				errno = ELOOP;
				return -1;
			}
			errno = ELOOP; /* for one link too many */
			rc = ++links > WALK_SYMLINKS ? -1 : follow(next, rest, sizeof(rest), &p);
			if (rc < 0)
				err_set(e, errno, "open %s", shown);
			close(next);
			if (rc < 0)
				goto fail;
			if (rest[0] == '/') {
				apart = true;
				close(cur);
				cur = openat(bundle->fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
				if (cur < 0)
					return err_set(e, errno, "open %s", bundle->shown);
			}
			continue;
		}
		close(cur);
		cur = next;
		in = confine_inside(rootfs, cur);
		if (in != 0) {
			if (in < 0)
				err_set(e, errno, "find where %s led%s", source, proc_hint(errno));
			else
				err_set(e, 0, "%s leads into the rootfs, at %s: name it rootfs/...",
					source, path_show_fd(bundle, cur, shown, sizeof(shown)));
			goto fail;
		}
	}
	return cur;
fail:
	if (cur >= 0)
		close(cur);
	return -1;
}

int confine_source(const struct fsroot *bundle, const struct fsroot *rootfs, const char *source,
		   struct err *e)
{
	char lex[PATH_MAX];
	int fd;

	if (confine_rootfs_part(source, lex, sizeof(lex))) {
		fd = path_open_nosymlinks(rootfs, lex, 0, e);
		if (fd < 0 && errno == ELOOP)
			err_append(e, ": name the real path");
		return fd;
	}
	if (!confine_lexical(source, lex, sizeof(lex)))
		return err_set(e, ENAMETOOLONG, "%s", source);
	return walk_bundle(bundle, rootfs, source, lex, e);
}

bool confine_overlap(const char *a, const char *b)
{
	char la[PATH_MAX], lb[PATH_MAX];
	size_t n;

	if (!confine_lexical(a, la, sizeof(la)) || !confine_lexical(b, lb, sizeof(lb)))
		return true;
	n = strlen(la) < strlen(lb) ? strlen(la) : strlen(lb);
	return n == 0 || (!strncmp(la, lb, n) && (la[n] == '\0' || la[n] == '/') &&
			  (lb[n] == '\0' || lb[n] == '/'));
}
