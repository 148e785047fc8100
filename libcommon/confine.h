/*
 * confine.h - the rootfs is image content: beyond what openat2(2)
 * RESOLVE_IN_ROOT keeps inside it (path.h), a symlink in the image must not
 * be able to send a mount somewhere whose mount events reach the host. See
 * the kernel's Documentation/filesystems/sharedsubtree.rst.
 */
#ifndef PREPBOX_CONFINE_H
#define PREPBOX_CONFINE_H

#include <stdbool.h>

#include "err.h"
#include "mountinfo.h"
#include "path.h"

/*
 * confine_propagation - check a mount destination resolved inside the rootfs.
 * @root: the rootfs (a confining struct fsroot).
 * @path: the destination relative to the rootfs (as run_root_for() gives it).
 * @fd: the destination as path_open()/fs_mkdir_p() resolved it (O_PATH).
 * When the resolution followed a symlink (the resolved place is not where
 * @path reads, ".." and "." taken lexically), and the mount that holds that
 * place is shared, and a mount the event reaches (confine_reach(): its
 * peers and slaves, and theirs when they are shared in turn) shows the place
 * outside the rootfs (its mount root and mount point, mountinfo fields 4 and
 * 5, say where), a mount made there would appear outside it: refused. A
 * rootfs that is a plain directory on a shared mount (systemd's /) is not
 * refused for that: the mount holding it shows the place inside the rootfs.
 * Where the config itself names such a place (no symlink involved), it is
 * the config's choice, as with mount(8). Peers in other mount namespaces are
 * not in this process's mountinfo.
 * Returns 0, or -1 with @e set: EXDEV (refused; the message names the place
 * and where its mounts would go), ENOMEM, or the errno of reading
 * /proc/self/fd or /proc/self/mountinfo.
 */
int confine_propagation(const struct fsroot *root, const char *path, int fd, struct err *e);

/*
 * confine_reach - the mounts of @mi that a mount event in the peer group
 * @group (> 0) reaches (Documentation/filesystems/sharedsubtree.rst): each
 * mount with shared:@group or master:@group, and, for each of those that is
 * itself shared (shared:H), each mount with shared:H or master:H, and so on
 * until no new group comes. Whether a mount shows the place of the event is
 * not asked here: the kernel walks the slaves of one that does not, too.
 * @reached: @mi->n entries, set true for each mount reached, false otherwise.
 * Returns 0, or -1 with errno ENOMEM.
 */
int confine_reach(const struct mountinfo *mi, int group, bool *reached);

/*
 * confine_rootfs_part - whether the relative bind source @source names the
 * rootfs: taken lexically (confine_lexical()), its first component is
 * "rootfs". Returns the rest, relative to the rootfs ("." for the rootfs
 * itself), in @buf (@len bytes); NULL when it does not name the rootfs or
 * does not fit.
 */
const char *confine_rootfs_part(const char *source, char *buf, size_t len);

/*
 * confine_inside - whether the object open as @fd is in @root's tree: its
 * path (/proc/self/fd) is @root's or below it; or where it is in its
 * filesystem is: the mount it is on (/proc/self/fdinfo mnt_id) is of the
 * same filesystem as the rootfs's mount (mountinfo field 3), and the mount's
 * root (field 4) with what is below its mount point is at or below the
 * rootfs's own place in that filesystem (a bind mount of a directory of the
 * image, or of one above the rootfs, made anywhere); or the object or one of
 * the directories on its path is @root's directory (device and inode).
 * Returns 1 yes, 0 no, -1 with errno set (reading /proc/self/fd, fdinfo or
 * mountinfo, lstat(2)).
 */
int confine_inside(const struct fsroot *root, int fd);

/*
 * confine_path_inside - whether the absolute @path, which need not exist yet,
 * would be in @root's tree: its nearest existing directory is
 * (confine_inside()). Returns 1 yes, 0 no, -1 with errno set.
 */
int confine_path_inside(const struct fsroot *root, const char *path);

/*
 * confine_source - open a relative bind source, relative to BUNDLE (the OCI
 * runtime spec's rule). The image must not choose what it leads to, so it is
 * taken lexically; when it names the rootfs (confine_rootfs_part()) the rest
 * is resolved inside the rootfs without following any symlink (a symlink of
 * the image could lead it onto a mount an earlier entry made of host
 * content, whose flags or peers the new bind would then share): refused
 * then, "name the real path". Any other is walked from BUNDLE one component
 * at a time, BUNDLE's own symlinks followed (an absolute one counts from
 * BUNDLE): those in a directory of BUNDLE's filesystem (st_dev); one on
 * another (an overlay of image directories mounted in BUNDLE: overlay
 * reports the lower layer's device for a symlink, so its directory is
 * looked at) is refused, ELOOP. It is refused as soon as a step lands in
 * the rootfs (confine_inside(): also on a bind mount of a directory of the image, made
 * in BUNDLE by an earlier entry or an admin): beyond that point, an image
 * symlink would count from BUNDLE and reach its config files. "Name it
 * rootfs/...".
 * @bundle, @rootfs: BUNDLE and BUNDLE/rootfs as confining roots.
 * Returns an O_PATH descriptor (the caller closes it), or -1 with @e set:
 * path_open()'s errors, ENAMETOOLONG, ELOOP, errnum 0 for the refusals, or
 * the errno of finding where the object is (/proc/self/fd).
 */
int confine_source(const struct fsroot *bundle, const struct fsroot *rootfs, const char *source,
		   struct err *e);

/*
 * confine_lexical - @path with ".", "//" and ".." taken lexically (".." at
 * the top stays at the top, as RESOLVE_IN_ROOT does), without a leading or
 * trailing slash, into @buf (@len bytes). Returns @buf, or NULL when it does
 * not fit.
 */
char *confine_lexical(const char *path, char *buf, size_t len);

/*
 * confine_lexical_abs - confine_lexical() of @path as an absolute path: with
 * its leading slash ("/" for the top), into @buf (@len bytes). Returns @buf,
 * or NULL when it does not fit.
 */
char *confine_lexical_abs(const char *path, char *buf, size_t len);

/* Where an absolute path is, with respect to a directory (confine_under()). */
enum confine_place {
	CONFINE_OUTSIDE = 0, /* neither at nor below it */
	CONFINE_AT,	     /* the directory itself */
	CONFINE_BELOW,	     /* below it */
	CONFINE_THROUGH,     /* outside, but on the way it went below and came out by ".." */
};

/*
 * confine_under - where the absolute @path, taken lexically
 * (confine_lexical()), is with respect to the directory @top (an absolute
 * path, taken lexically too): an enum confine_place. For CONFINE_BELOW, the
 * rest of @path, relative to @top and lexical ("run/x"), goes into @rel
 * (@len bytes). CONFINE_THROUGH: read one component at a time, @path goes
 * below @top and out again by ".." ("/b/rootfs/run/../../x"); the kernel
 * would take that ".." from wherever a symlink below @top led.
 * Returns the place, or -1 with errno ENAMETOOLONG when a path does not fit.
 */
int confine_under(const char *top, const char *path, char *rel, size_t len);

/*
 * confine_host_walk - where the absolute @path leads with respect to the
 * directory open as @top (the rootfs), walked from / one component at a
 * time by the host's rules: every symlink followed (here, not in the
 * kernel, so that the walk sees each directory it passes), ".." from where
 * the walk is. As soon as it stands in @top (device and inode: through any
 * mount of it, or a host symlink into it), what is left of the path decides,
 * taken lexically: nothing more, CONFINE_AT; below it, CONFINE_BELOW, with
 * the rest ("run/x") in @rel (@len bytes); below and out again by "..",
 * CONFINE_THROUGH (the kernel would take that ".." from wherever a symlink
 * of the image led); up first ("../x"), the walk goes on. Below a component
 * that is not there, the walk counts the components mkdir -p would make and
 * comes back up through them on "..". A walk that never stands in @top is
 * CONFINE_OUTSIDE. Nothing below @top is looked at.
 * Returns the place, or -1 with errno set: ENAMETOOLONG (a name, or the path
 * with a symlink's target, too long), ELOOP (more than 40 symlinks),
 * ENOTDIR (a component that is not a directory), openat(2)'s other errors.
 */
int confine_host_walk(int top, const char *path, char *rel, size_t len);

/*
 * confine_overlap - whether the paths @a and @b, taken lexically
 * (confine_lexical()), are one, or one is below the other: whether making
 * one (mkdir -p, a mount on it) can make or cover the other. Paths too long
 * to read count as overlapping.
 */
bool confine_overlap(const char *a, const char *b);

#endif
