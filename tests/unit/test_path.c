/*
 * test_path.c - path_of_fd() (path.h): the path /proc/self/fd gives an open
 * descriptor, cut never, and what it says of what is gone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "path.h"

static void test_of_fd(void **state)
{
	char dir[] = "/tmp/test_path.XXXXXX", real[PATH_MAX], got[PATH_MAX];
	size_t n;
	int fd;

	(void)state;
	if (access("/proc/self/fd", F_OK) < 0)
		skip();
	assert_non_null(mkdtemp(dir));
	assert_non_null(realpath(dir, real));
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(path_of_fd(fd, got, sizeof(got)), 0);
	assert_string_equal(got, real);
	/* room for the path and its NUL, and not one byte less */
	n = strlen(real);
	assert_int_equal(path_of_fd(fd, got, n + 1), 0);
	assert_string_equal(got, real);
	errno = 0;
	assert_int_equal(path_of_fd(fd, got, n), -1);
	assert_int_equal(errno, ENAMETOOLONG);
	/* removed: the kernel's " (deleted)" follows the path */
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(path_of_fd(fd, got, sizeof(got)), 0);
	assert_int_equal(strncmp(got, real, n), 0);
	assert_string_equal(got + n, " (deleted)");
	close(fd);
	/* not open */
	errno = 0;
	assert_int_equal(path_of_fd(fd, got, sizeof(got)), -1);
	assert_int_equal(errno, ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_of_fd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
