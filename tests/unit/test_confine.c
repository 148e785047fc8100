/*
 * test_confine.c - confine.c's lexical reading of a path, the part of the
 * propagation and bind source checks that needs no kernel (the rest is in
 * mount-confine.bats).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "confine.h"

static void lexical(const char *path, const char *want)
{
	char buf[64];

	assert_non_null(confine_lexical(path, buf, sizeof(buf)));
	assert_string_equal(buf, want);
}

static void test_lexical(void **state)
{
	(void)state;
	lexical("a/b", "a/b");
	lexical("/a//b/", "a/b");
	lexical("./a/./b/.", "a/b");
	lexical("a/../b", "b");
	lexical("a/b/../../c", "c");
	/* ".." at the top stays at the top, as RESOLVE_IN_ROOT has it. */
	lexical("../../x", "x");
	lexical("a/../../..", "");
	lexical("", "");
	lexical("...", "...");
	lexical("a/..b", "a/..b");
}

static void test_lexical_too_long(void **state)
{
	char buf[4];

	(void)state;
	assert_null(confine_lexical("abcd", buf, sizeof(buf)));
	assert_non_null(confine_lexical("abc", buf, sizeof(buf)));
	assert_null(confine_lexical("a/bc", buf, sizeof(buf)));
	assert_non_null(confine_lexical("x/../abc", buf, sizeof(buf)));
	assert_string_equal(buf, "abc");
}

static void rootfs_part(const char *source, const char *want)
{
	char buf[64];
	const char *got = confine_rootfs_part(source, buf, sizeof(buf));

	if (want) {
		assert_non_null(got);
		assert_string_equal(got, want);
	} else {
		assert_null(got);
	}
}

static void test_rootfs_part(void **state)
{
	(void)state;
	rootfs_part("rootfs/etc/f", "etc/f");
	rootfs_part("./rootfs//etc/", "etc");
	rootfs_part("rootfs", ".");
	rootfs_part("x/../rootfs/etc", "etc");
	/* ".." is a word: rootfs/.. is BUNDLE, not the rootfs */
	rootfs_part("rootfs/../etc", NULL);
	rootfs_part("rootfs/../rootfs/a/../b", "b");
	rootfs_part("rootfsx/etc", NULL);
	rootfs_part("data/rootfs", NULL);
	rootfs_part("", NULL);
}

static void test_overlap(void **state)
{
	(void)state;
	assert_true(confine_overlap("/a/b", "/a/b"));
	assert_true(confine_overlap("/a/b", "/a/b/c"));
	assert_true(confine_overlap("/a/b/c/", "/a//b"));
	assert_true(confine_overlap("/a/x/../b", "/a/b/c"));
	assert_true(confine_overlap("/", "/a"));
	assert_false(confine_overlap("/a/b", "/a/bc"));
	assert_false(confine_overlap("/a/b/c", "/a/d"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lexical),
		cmocka_unit_test(test_lexical_too_long),
		cmocka_unit_test(test_rootfs_part),
		cmocka_unit_test(test_overlap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
