/*
 * test_confine.c - confine.c's lexical reading of a path, the part of the
 * propagation and bind source checks that needs no kernel: where an absolute
 * path is with respect to the rootfs, and which mounts a mount event reaches
 * through shared and slave mounts, read from a mountinfo file (the rest is
 * in mount-confine.bats).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	/* the absolute form keeps one leading slash, and is "/" for the top */
	{
		char abs[8];

		assert_string_equal(confine_lexical_abs("/a/../b//", abs, sizeof(abs)), "/b");
		assert_string_equal(confine_lexical_abs("/..", abs, sizeof(abs)), "/");
		assert_null(confine_lexical_abs("/abcdefgh", abs, sizeof(abs)));
	}
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

/* confine_under(@top, @path) is @want, with @rel for CONFINE_BELOW. */
static void under(const char *top, const char *path, int want, const char *rel)
{
	char buf[64] = "unset";

	assert_int_equal(confine_under(top, path, buf, sizeof(buf)), want);
	if (rel)
		assert_string_equal(buf, rel);
}

static void test_under(void **state)
{
	(void)state;
	under("/b/rootfs", "/b/rootfs/run/x", CONFINE_BELOW, "run/x");
	under("/b/rootfs", "//b/./rootfs//run/../etc/", CONFINE_BELOW, "etc");
	under("/b/rootfs/", "/b/rootfs/x/../../rootfs/y", CONFINE_BELOW, "y");
	under("/b/rootfs", "/b/rootfs", CONFINE_AT, NULL);
	under("/b/rootfs", "/b/rootfs/x/..", CONFINE_AT, NULL);
	under("/b/rootfs", "/b/rootfs/..", CONFINE_OUTSIDE, NULL);
	under("/b/rootfs", "/b/rootfs.old/x", CONFINE_OUTSIDE, NULL);
	under("/b/rootfs", "/b", CONFINE_OUTSIDE, NULL);
	/* below it and out again: the kernel would take ".." from where a symlink led */
	under("/b/rootfs", "/b/rootfs/run/../../x", CONFINE_THROUGH, NULL);
	under("/b/rootfs", "/b/rootfs/a/b/../../../rootfs2", CONFINE_THROUGH, NULL);
	under("/", "/x", CONFINE_BELOW, "x");
	under("/", "/", CONFINE_AT, NULL);
	under("/b/rootfs",
	      "/b/rootfs/a-name-longer-than-the-buffer/given-for-the-rest-of-the-path/that-is/64",
	      -1, NULL);
}

/* @text as a mountinfo file, read into @mi. */
static void mountinfo_of(const char *text, struct mountinfo *mi)
{
	char file[] = "/tmp/test_confine.XXXXXX";
	struct err e;
	int fd = mkstemp(file);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(mountinfo_read(mi, file, &e), 0);
	unlink(file);
}

static void test_reach(void **state)
{
	/*
	 * vol (shared:1); vol2, its slave and shared itself (shared:2 master:1);
	 * out, a slave of vol2 (master:2); peer, a peer of vol2 (shared:2);
	 * far, a slave of peer's group's slave (master:3 of deep, shared:3 master:2);
	 * other, unrelated (shared:9), and its slave (master:9).
	 */
	static const char text[] =
		"20 1 0:40 / / rw - tmpfs t rw\n"
		"21 20 0:42 / /r/vol rw shared:1 - tmpfs v rw\n"
		"22 20 0:42 / /r/vol2 rw shared:2 master:1 - tmpfs v rw\n"
		"23 20 0:42 / /out rw master:2 - tmpfs v rw\n"
		"24 20 0:42 / /peer rw shared:2 - tmpfs v rw\n"
		"25 20 0:42 / /deep rw shared:3 master:2 - tmpfs v rw\n"
		"26 20 0:42 / /far rw master:3 - tmpfs v rw\n"
		"27 20 0:43 / /other rw shared:9 - tmpfs o rw\n"
		"28 20 0:43 / /other2 rw master:9 - tmpfs o rw\n"
		"29 20 0:42 / /slave-of-vol rw master:1 - tmpfs v rw\n";
	static const bool want1[] = { false, true, true, true, true, true, true, false, false, true };
	static const bool want3[] = { false, false, false, false, false, true, true, false, false,
				      false };
	struct mountinfo mi;
	bool reached[10];
	size_t i;

	(void)state;
	mountinfo_of(text, &mi);
	assert_int_equal(mi.n, 10);
	assert_string_equal(mi.v[1].dev, "0:42");
	assert_int_equal(confine_reach(&mi, 1, reached), 0);
	for (i = 0; i < mi.n; i++)
		assert_int_equal(reached[i], want1[i]);
	/* events of a slave's own group go down, never up to its master */
	assert_int_equal(confine_reach(&mi, 3, reached), 0);
	for (i = 0; i < mi.n; i++)
		assert_int_equal(reached[i], want3[i]);
	mountinfo_free(&mi);
}

/* confine_host_walk() of "@dir@path" against @dir/b/rootfs: the place, and @rel. */
static int walk(const char *dir, int top, const char *path, char *rel)
{
	char full[512];

	snprintf(full, sizeof(full), "%s%s", dir, path);
	rel[0] = '\0';
	return confine_host_walk(top, full, rel, 256);
}

/*
 * The host's rules up to the rootfs, words after it: a tree of the test's
 * own in a temporary directory, with the image's symlink run -> / that no
 * walk may follow.
 */
static void test_host_walk(void **state)
{
	char dir[] = "/tmp/confine-walk.XXXXXX", p[512], rel[256];
	int top;

	(void)state;
	assert_non_null(mkdtemp(dir));
#define AT(s) (snprintf(p, sizeof(p), "%s%s", dir, s), p)
	assert_int_equal(mkdir(AT("/b"), 0755), 0);
	assert_int_equal(mkdir(AT("/b/rootfs"), 0755), 0);
	assert_int_equal(mkdir(AT("/x"), 0755), 0);
	assert_int_equal(mkdir(AT("/x/y"), 0755), 0);
	assert_int_equal(symlink("/", AT("/b/rootfs/run")), 0);
	assert_int_equal(symlink("../b/rootfs", AT("/x/root")), 0);
	assert_int_equal(symlink("y", AT("/x/l")), 0);
	top = open(AT("/b/rootfs"), O_PATH | O_DIRECTORY);
	assert_true(top >= 0);
	assert_int_equal(walk(dir, top, "/b/rootfs/run/x", rel), CONFINE_BELOW);
	assert_string_equal(rel, "run/x");
	assert_int_equal(walk(dir, top, "/b//rootfs/./run/../etc", rel), CONFINE_BELOW);
	assert_string_equal(rel, "etc");
	/* a host symlink into the rootfs, and ".." after a host symlink */
	assert_int_equal(walk(dir, top, "/x/root/run/x", rel), CONFINE_BELOW);
	assert_string_equal(rel, "run/x");
	assert_int_equal(walk(dir, top, "/x/l/../../b/rootfs/etc", rel), CONFINE_BELOW);
	assert_string_equal(rel, "etc");
	assert_int_equal(walk(dir, top, "/b/rootfs", rel), CONFINE_AT);
	assert_int_equal(walk(dir, top, "/x/root/", rel), CONFINE_AT);
	assert_int_equal(walk(dir, top, "/b/rootfs/run/..", rel), CONFINE_AT);
	/* below, then out: refused by the caller; up first: only passing by */
	assert_int_equal(walk(dir, top, "/b/rootfs/run/../../x", rel), CONFINE_THROUGH);
	assert_int_equal(walk(dir, top, "/b/rootfs/../x/y", rel), CONFINE_OUTSIDE);
	assert_int_equal(walk(dir, top, "/b/rootfs/../rootfs/etc", rel), CONFINE_BELOW);
	assert_string_equal(rel, "etc");
	/* elsewhere, or missing on the way: as given */
	assert_int_equal(walk(dir, top, "/x/y/z", rel), CONFINE_OUTSIDE);
	assert_int_equal(walk(dir, top, "/nope/b/rootfs/etc", rel), CONFINE_OUTSIDE);
	/* ".." after what mkdir -p would make comes back up through it */
	assert_int_equal(walk(dir, top, "/b/nx/ny/../../rootfs/etc", rel), CONFINE_BELOW);
	assert_string_equal(rel, "etc");
	/* what cannot be walked is an error, not a host path */
	assert_int_equal(symlink("l2", AT("/x/l1")), 0);
	assert_int_equal(symlink("l1", AT("/x/l2")), 0);
	assert_int_equal(walk(dir, top, "/x/l1/b", rel), -1);
	assert_int_equal(errno, ELOOP);
	assert_int_equal(close(open(AT("/x/file"), O_CREAT | O_WRONLY, 0644)), 0);
	assert_int_equal(walk(dir, top, "/x/file/../y", rel), -1);
	assert_int_equal(errno, ENOTDIR);
#undef AT
	close(top);
	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lexical),
		cmocka_unit_test(test_lexical_too_long),
		cmocka_unit_test(test_rootfs_part),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_under),
		cmocka_unit_test(test_reach),
		cmocka_unit_test(test_host_walk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
