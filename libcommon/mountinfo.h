/*
 * mountinfo.h - the kernel's mount table as this process sees it,
 * /proc/self/mountinfo (proc(5), "/proc/pid/mountinfo"; the kernel's
 * Documentation/filesystems/proc.rst).
 */
#ifndef PREPBOX_MOUNTINFO_H
#define PREPBOX_MOUNTINFO_H

#include <stddef.h>

#include "err.h"

struct mountinfo_entry {
	int id;		/* mount ID (unique until unmounted) */
	int parent;	/* mount ID of the parent mount */
	char *dev;	/* the filesystem's device, "major:minor" (st_dev of what is on it) */
	char *root;	/* the directory of the filesystem mounted here, decoded */
	char *point;	/* the mount point, relative to the process's root, decoded */
	char *options;	/* per-mount options: "rw,nosuid,relatime" */
	char *optional; /* optional fields: "shared:1 master:2", or "" */
	char *fstype;	/* "tmpfs" */
	char *source;	/* decoded */
	char *super;	/* superblock options: "rw,sync,lazytime,size=1024k", or "" */
};

struct mountinfo {
	struct mountinfo_entry *v; /* in the kernel's order (roughly: oldest first) */
	size_t n;
	char *buf; /* the text the entries point into */
};

/*
 * mountinfo_read - read and split a mountinfo file (@file, or
 * /proc/self/mountinfo when NULL). The octal escapes the kernel uses in paths
 * (\040 space, \011 tab, \012 newline, \134 backslash) are decoded.
 * Returns 0 with @mi filled (free with mountinfo_free()), or -1 with @e set:
 * open/read errno, ENOMEM, or EINVAL for a line that is not mountinfo.
 */
int mountinfo_read(struct mountinfo *mi, const char *file, struct err *e);

/* mountinfo_free - free what mountinfo_read() filled; @mi is zeroed. */
void mountinfo_free(struct mountinfo *mi);

/* mountinfo_unescape - decode the kernel's \ooo escapes in @s, in place. */
void mountinfo_unescape(char *s);

/*
 * mountinfo_fd_mount_id - the mount ID of the mount @fd is on (the first
 * field of mountinfo, proc(5)): statx(2)'s STATX_MNT_ID (Linux 5.8), else
 * /proc/self/fdinfo/FD ("mnt_id:", Linux 3.15). Returns 0 with *@id set, or
 * -1 with @e set (open/read errno of fdinfo, or ENOTSUP when the field is
 * missing).
 */
int mountinfo_fd_mount_id(int fd, int *id, struct err *e);

#endif
