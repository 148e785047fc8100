/*
 * syscalls.h - system calls that musl (and older glibc) have no wrapper for,
 * as thin syscall(2) wrappers, in one place. Each returns what the system
 * call returns (-1 with errno set on failure; ENOSYS when the kernel lacks it).
 */
#ifndef PREPBOX_SYSCALLS_H
#define PREPBOX_SYSCALLS_H

#include <stdint.h>
#include <sys/types.h>
#include <linux/openat2.h>

struct statx;

/* From linux/mount.h, which clashes with glibc's <sys/mount.h>. */
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

struct pb_mount_attr {
	uint64_t attr_set;
	uint64_t attr_clr;
	uint64_t propagation;
	uint64_t userns_fd;
};

/* openat2(2): open @path relative to @dirfd as @how says (RESOLVE_IN_ROOT...). */
int pb_openat2(int dirfd, const char *path, const struct open_how *how);

/* mount_setattr(2), Linux 5.12: change the attributes of a mount (tree). */
int pb_mount_setattr(int dirfd, const char *path, unsigned int flags,
		     const struct pb_mount_attr *attr);

/* statx(2), Linux 4.11: what @path (or @dirfd with AT_EMPTY_PATH) is, as @mask asks. */
int pb_statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *buf);

/* pidfd_open(2), Linux 5.3: a file descriptor that refers to process @pid. */
int pb_pidfd_open(pid_t pid, unsigned int flags);

/* pidfd_send_signal(2), Linux 5.1: signal 0 checks the process still lives. */
int pb_pidfd_send_signal(int pidfd, int sig);

#endif
