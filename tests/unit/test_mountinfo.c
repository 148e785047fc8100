/*
 * test_mountinfo.c - reading a mountinfo file (mountinfo.h), in the format of
 * proc(5): optional fields, octal escapes, and the superblock options; the
 * mount ID of a descriptor, by statx(2) and by its fallback, fdinfo.
 *
 * WRAP: pb_statx
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mountinfo.h"
#include "syscalls.h"

int __real_pb_statx(int dirfd, const char *path, int flags, unsigned int mask,
		    struct statx *buf);

/* Whether statx(2) fails with ENOSYS, as on a kernel before 4.11. */
static bool no_statx;

int __wrap_pb_statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *buf)
{
	if (no_statx) {
		errno = ENOSYS;
		return -1;
	}
	return __real_pb_statx(dirfd, path, flags, mask, buf);
}

static const char table[] =
	"22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard\n"
	"67 22 0:41 / /b/rootfs/m rw,nosuid,relatime - tmpfs m rw,sync,lazytime\n"
	"68 67 0:40 /victim /b/a\\040b rw shared:2 master:1 - tmpfs x\\040y ro\n";

/* Writes @text into a new file, named in @file ("...XXXXXX"). */
static void write_table(char *file, const char *text)
{
	int fd = mkstemp(file);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void test_fields(void **state)
{
	char file[] = "/tmp/test_mountinfo.XXXXXX";
	struct mountinfo mi;
	struct err e;

	(void)state;
	write_table(file, table);
	assert_int_equal(mountinfo_read(&mi, file, &e), 0);
	unlink(file);
	assert_int_equal(mi.n, 3);
	assert_int_equal(mi.v[1].id, 67);
	assert_int_equal(mi.v[1].parent, 22);
	assert_string_equal(mi.v[1].point, "/b/rootfs/m");
	assert_string_equal(mi.v[1].options, "rw,nosuid,relatime");
	assert_string_equal(mi.v[1].optional, "");
	assert_string_equal(mi.v[1].fstype, "tmpfs");
	assert_string_equal(mi.v[1].source, "m");
	assert_string_equal(mi.v[1].super, "rw,sync,lazytime");
	/* optional fields, and escapes decoded in the paths and the source */
	assert_string_equal(mi.v[0].optional, "shared:1");
	assert_string_equal(mi.v[0].super, "rw,discard");
	assert_string_equal(mi.v[2].optional, "shared:2 master:1");
	assert_string_equal(mi.v[2].point, "/b/a b");
	assert_string_equal(mi.v[2].source, "x y");
	assert_string_equal(mi.v[2].super, "ro");
	mountinfo_free(&mi);
}

static void test_not_mountinfo(void **state)
{
	char file[] = "/tmp/test_mountinfo.XXXXXX";
	struct mountinfo mi;
	struct err e;

	(void)state;
	/* no "-" before the filesystem type */
	write_table(file, "22 1 0:21 / / rw,relatime shared:1 ext4 /dev/vda rw\n");
	assert_int_equal(mountinfo_read(&mi, file, &e), -1);
	assert_int_equal(e.errnum, EINVAL);
	unlink(file);
}

/* The mount ID of /proc, both ways, is the one mountinfo gives its mount point. */
static void test_fd_mount_id(void **state)
{
	int fd, by_statx = -1, by_fdinfo = -2;
	const struct mountinfo_entry *m = NULL;
	struct mountinfo mi;
	struct err e;
	size_t i;

	(void)state;
	if (access("/proc/self/fdinfo", F_OK) < 0)
		skip();
	fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(mountinfo_fd_mount_id(fd, &by_statx, &e), 0);
	no_statx = true;
	assert_int_equal(mountinfo_fd_mount_id(fd, &by_fdinfo, &e), 0);
	no_statx = false;
	close(fd);
	assert_int_equal(by_statx, by_fdinfo);
	assert_int_equal(mountinfo_read(&mi, NULL, &e), 0);
	for (i = 0; i < mi.n; i++)
		if (!strcmp(mi.v[i].point, "/proc"))
			m = &mi.v[i];
	assert_non_null(m);
	assert_int_equal(m->id, by_statx);
	mountinfo_free(&mi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_not_mountinfo),
		cmocka_unit_test(test_fd_mount_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
