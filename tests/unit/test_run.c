/*
 * test_run.c - the -n plan of directories (run.h): a directory is planned
 * when it or one below it was, compared lexically; a planned mount forgets
 * what it hides, and keeps itself and what is above it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "run.h"

static void test_plan(void **state)
{
	struct run r;

	(void)state;
	run_init(&r);
	r.dry_run = true;
	assert_false(run_planned(&r, "/"));
	run_plan(&r, "/b/rootfs/a/b");
	/* it, and every directory above it */
	assert_true(run_planned(&r, "/b/rootfs/a/b"));
	assert_true(run_planned(&r, "/b/rootfs/a/b/"));
	assert_true(run_planned(&r, "/b/rootfs/./a//b"));
	assert_true(run_planned(&r, "/b/rootfs/a"));
	assert_true(run_planned(&r, "/b"));
	assert_true(run_planned(&r, "/"));
	/* not below it, nor beside it */
	assert_false(run_planned(&r, "/b/rootfs/a/b/c"));
	assert_false(run_planned(&r, "/b/rootfs/ab"));
	assert_false(run_planned(&r, "/b/rootfs/a-b"));
	assert_false(run_planned(&r, "/b/rootfs/a/bc"));
	/* taken lexically: ".." comes back up */
	assert_true(run_planned(&r, "/b/rootfs/x/../a/b"));
	run_plan(&r, "/b/rootfs/a/c/d");
	run_plan(&r, "/b/rootfs/e");
	/* a mount on a: what was planned below it is hidden, a and above stay */
	run_unplan_below(&r, "/b/rootfs/a");
	assert_false(run_planned(&r, "/b/rootfs/a/b"));
	assert_false(run_planned(&r, "/b/rootfs/a/c"));
	assert_true(run_planned(&r, "/b/rootfs/a"));
	assert_true(run_planned(&r, "/b/rootfs/e"));
	assert_true(run_planned(&r, "/b/rootfs"));
	/* planned again below the mount */
	run_plan(&r, "/b/rootfs/a/c");
	assert_true(run_planned(&r, "/b/rootfs/a/c"));
	/* a mount on the top hides everything but the top */
	run_unplan_below(&r, "/");
	assert_false(run_planned(&r, "/b"));
	assert_true(run_planned(&r, "/"));
	run_free(&r);
}

/* A relative name (BUNDLE given as "b") and the absolute one are one directory. */
static void test_plan_relative(void **state)
{
	char cwd[PATH_MAX], abs[PATH_MAX + 16];
	struct run r;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	run_init(&r);
	r.dry_run = true;
	run_plan(&r, "b/rootfs/x/y");
	snprintf(abs, sizeof(abs), "%s/b/rootfs/x", cwd);
	assert_true(run_planned(&r, abs));
	snprintf(abs, sizeof(abs), "%s/b/rootfs", cwd);
	run_unplan_below(&r, abs);
	assert_false(run_planned(&r, "b/rootfs/x"));
	assert_true(run_planned(&r, "./b/rootfs"));
	run_free(&r);
}

/* Many directories, each planned once however often it is asked for. */
static void test_plan_many(void **state)
{
	char path[64];
	struct run r;
	int i;

	(void)state;
	run_init(&r);
	r.dry_run = true;
	for (i = 0; i < 20000; i++) {
		snprintf(path, sizeof(path), "/b/rootfs/d%05d/x", i);
		assert_false(run_planned(&r, path));
		run_plan(&r, path);
		run_plan(&r, path);
	}
	/* 20000 * 2 directories, /b/rootfs, /b and the top */
	assert_int_equal(r.nplanned, 2 * 20000 + 3);
	for (i = 0; i < 20000; i++) {
		snprintf(path, sizeof(path), "/b/rootfs/d%05d", i);
		assert_true(run_planned(&r, path));
	}
	run_free(&r);
	assert_int_equal(r.nplanned, 0);
	assert_null(r.planned);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_plan_relative),
		cmocka_unit_test(test_plan_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
