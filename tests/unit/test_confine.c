/*
 * test_confine.c - confine.c's lexical reading of a path, the part of the
 * propagation check that needs no kernel (the rest is in mount-confine.bats).
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lexical),
		cmocka_unit_test(test_lexical_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
