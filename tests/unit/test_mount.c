/*
 * test_mount.c - unit tests of the pure parts of the mounts step (mountwords.h):
 * overlay's option splitting and escapes (fs/overlayfs ovl_next_opt(),
 * ovl_unescape()), the directories its options name, the flags read back
 * from statvfs(3) and mountinfo (proc(5)), what a remount keeps, and the
 * plan text in mount(8) words.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

#include "mountwords.h"

#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000
#endif

static void test_overlay_next(void **state)
{
	const char *pos = "lowerdir=/a\\,b:/c,upperdir=/u\\\\,workdir=/w\\,x,,last";
	char buf[64];

	(void)state;
	assert_int_equal(mount_overlay_next(&pos, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "lowerdir=/a\\,b:/c");
	assert_int_equal(mount_overlay_next(&pos, buf, sizeof(buf)), 1);
	/* an escaped backslash does not escape the comma after it */
	assert_string_equal(buf, "upperdir=/u\\\\");
	assert_int_equal(mount_overlay_next(&pos, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "workdir=/w\\,x");
	assert_int_equal(mount_overlay_next(&pos, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "");
	assert_int_equal(mount_overlay_next(&pos, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "last");
	assert_int_equal(mount_overlay_next(&pos, buf, sizeof(buf)), 0);
	pos = NULL;
	assert_int_equal(mount_overlay_next(&pos, buf, sizeof(buf)), 0);
}

static void test_overlay_next_too_long(void **state)
{
	const char *pos = "upperdir=/a/long/path,x";
	char buf[8];

	(void)state;
	assert_int_equal(mount_overlay_next(&pos, buf, sizeof(buf)), -1);
}

static void test_overlay_unescape(void **state)
{
	char a[] = "/o/up\\,per", b[] = "/o/a\\:b", c[] = "/o/back\\\\slash", d[] = "/o/x\\y",
	     e[] = "/trailing\\", f[] = "/plain";

	(void)state;
	assert_string_equal(mount_overlay_unescape(a), "/o/up,per");
	assert_string_equal(mount_overlay_unescape(b), "/o/a:b");
	assert_string_equal(mount_overlay_unescape(c), "/o/back\\slash");
	/* overlay's rule: a backslash stands for the character after it, any */
	assert_string_equal(mount_overlay_unescape(d), "/o/xy");
	/* ovl_unescape() steps over a trailing one to the end: it stands for nothing */
	assert_string_equal(mount_overlay_unescape(e), "/trailing");
	assert_string_equal(mount_overlay_unescape(f), "/plain");
}

/* What mount_overlay_dirs() passes on: "opt=dir" lines. */
static char seen[512];

static int collect(void *arg, const char *opt, const char *dir)
{
	size_t n = strlen(seen);

	snprintf(seen + n, sizeof(seen) - n, "%s=%s\n", opt, dir);
	return arg && strstr(dir, (const char *)arg) ? 7 : 0;
}

static void test_overlay_dirs(void **state)
{
	(void)state;
	seen[0] = '\0';
	assert_int_equal(mount_overlay_dirs("lowerdir=/a\\:b:/c\\,d::/data,upperdir=/u\\\\,"
					    "workdir=/w,index=off,lowerdir+=/l\\:2,datadir+=/dd,"
					    "redirect_dir=on",
					    collect, NULL),
			 0);
	assert_string_equal(seen, "lowerdir=/a:b\nlowerdir=/c,d\nlowerdir=/data\nupperdir=/u\\\n"
				  "workdir=/w\nlowerdir+=/l\\:2\ndatadir+=/dd\n");
	/* a non-zero return stops the walk and is returned */
	seen[0] = '\0';
	assert_int_equal(mount_overlay_dirs("lowerdir=/x:/stop:/y,upperdir=/u", collect, "stop"), 7);
	assert_string_equal(seen, "lowerdir=/x\nlowerdir=/stop\n");
	seen[0] = '\0';
	assert_int_equal(mount_overlay_dirs("", collect, NULL), 0);
	assert_int_equal(mount_overlay_dirs("lowerdir=", collect, NULL), 0);
	assert_string_equal(seen, "");
}

static void test_flags_from_statvfs(void **state)
{
	(void)state;
	assert_int_equal(mount_flags_from_statvfs(ST_RELATIME), MS_RELATIME);
	assert_int_equal(mount_flags_from_statvfs(ST_RDONLY | ST_NOSUID | ST_NODEV | ST_NOEXEC |
						  ST_NOATIME | ST_NODIRATIME | ST_NOSYMFOLLOW),
			 MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME |
				 MS_NOSYMFOLLOW);
	/* no atime flag is strictatime: a remount without one would be relatime */
	assert_int_equal(mount_flags_from_statvfs(ST_NOSUID), MS_NOSUID | MS_STRICTATIME);
	assert_int_equal(mount_flags_from_statvfs(ST_SYNCHRONOUS | ST_MANDLOCK | ST_RELATIME),
			 MS_SYNCHRONOUS | MS_MANDLOCK | MS_RELATIME);
	/* ST_WRITE, ST_VALID... are not flags mount(2) takes */
	assert_int_equal(mount_flags_from_statvfs(ST_RELATIME | ST_WRITE | 0x20), MS_RELATIME);
}

static void test_flags_from_mountinfo(void **state)
{
	(void)state;
	assert_int_equal(mount_flags_from_mountinfo("rw,relatime"), MS_RELATIME);
	assert_int_equal(mount_flags_from_mountinfo("ro,nosuid,nodev,noexec,noatime"),
			 MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME);
	assert_int_equal(mount_flags_from_mountinfo("rw,nodiratime,nosymfollow"),
			 MS_NODIRATIME | MS_NOSYMFOLLOW | MS_STRICTATIME);
	/* whole words only */
	assert_int_equal(mount_flags_from_mountinfo("rw,nosuidx,relatime,ro2"), MS_RELATIME);
	assert_int_equal(mount_flags_from_mountinfo(""), MS_STRICTATIME);
}

static void test_sb_flags_from_mountinfo(void **state)
{
	(void)state;
	assert_int_equal(mount_sb_flags_from_mountinfo("rw"), 0);
	assert_int_equal(mount_sb_flags_from_mountinfo("ro,sync,lazytime,size=1024k"),
			 MS_RDONLY | MS_SYNCHRONOUS | MS_LAZYTIME);
	assert_int_equal(mount_sb_flags_from_mountinfo("rw,dirsync,mand,iversion"),
			 MS_DIRSYNC | MS_MANDLOCK | MS_I_VERSION);
	/* whole words only: the filesystem's own options are not flags */
	assert_int_equal(mount_sb_flags_from_mountinfo("rw,syncfs,nolazytime,errors=ro"), 0);
	assert_int_equal(mount_sb_flags_from_mountinfo(""), 0);
}

static void parse(struct mountopts *m, const char *type, const char *const *w, size_t n)
{
	struct err e;

	assert_int_equal(mountopt_parse(m, type, (char *const *)w, n, &e), 0);
}

static void test_keep(void **state)
{
	const char *bind_ro[] = { "bind", "ro" }, *bind_rw_nosuid[] = { "bind", "rw", "nosuid" },
		   *bind_noatime[] = { "bind", "noatime" }, *bind_atime[] = { "bind", "atime" },
		   *remount_ro[] = { "remount", "ro", "async" };
	unsigned long locked = MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME;
	struct mountopts m;

	(void)state;
	/* the source's locked flags stay, ro is added */
	parse(&m, NULL, bind_ro, 2);
	assert_int_equal(mount_keep(locked, &m, MOUNTOPT_PER_MOUNT), locked | MS_RDONLY);
	/* rw named: a read-only source's ro goes, nodev stays */
	parse(&m, NULL, bind_rw_nosuid, 3);
	assert_int_equal(mount_keep(MS_RDONLY | MS_NODEV | MS_STRICTATIME, &m, MOUNTOPT_PER_MOUNT),
			 MS_NODEV | MS_NOSUID | MS_STRICTATIME);
	/* an atime mode named replaces the one the mount has */
	parse(&m, NULL, bind_noatime, 2);
	assert_int_equal(mount_keep(MS_RELATIME | MS_NODIRATIME, &m, MOUNTOPT_PER_MOUNT),
			 MS_NOATIME | MS_NODIRATIME);
	assert_int_equal(mount_keep(MS_STRICTATIME, &m, MOUNTOPT_PER_MOUNT), MS_NOATIME);
	/* "atime" only takes noatime away */
	parse(&m, NULL, bind_atime, 2);
	assert_int_equal(mount_keep(MS_NOATIME | MS_NOEXEC, &m, MOUNTOPT_PER_MOUNT), MS_NOEXEC);
	/* the mask: a bind remount changes no superblock flag */
	parse(&m, "tmpfs", remount_ro, 3);
	assert_int_equal(
		mount_keep(MS_SYNCHRONOUS | MS_NOSUID | MS_RELATIME, &m, MOUNTOPT_PER_MOUNT),
		MS_RDONLY | MS_NOSUID | MS_RELATIME);
	assert_int_equal(mount_keep(MS_MANDLOCK | MS_SYNCHRONOUS | MS_RELATIME, &m,
				    MOUNTOPT_PER_MOUNT | MS_SYNCHRONOUS | MS_MANDLOCK),
			 MS_RDONLY | MS_MANDLOCK | MS_RELATIME);
}

static void test_cmd(void **state)
{
	char buf[512];

	(void)state;
	assert_string_equal(
		mount_cmd(buf, sizeof(buf), "tmpfs", MS_NOSUID, "size=1m", "tmpfs", "/b/rootfs/x"),
		"mount -t tmpfs -o nosuid,size=1m tmpfs /b/rootfs/x");
	assert_string_equal(mount_cmd(buf, sizeof(buf), "tmpfs", 0, NULL, NULL, "/x"),
			    "mount -t tmpfs none /x");
	assert_string_equal(mount_cmd(buf, sizeof(buf), "proc", 0, "", "proc", "/x"),
			    "mount -t proc proc /x");
	assert_string_equal(mount_cmd(buf, sizeof(buf), NULL, MS_BIND | MS_REC | MS_RDONLY, NULL,
				      "/src dir", "/x"),
			    "mount -o rbind,ro '/src dir' /x");
	assert_string_equal(mount_cmd(buf, sizeof(buf), NULL, MS_REMOUNT | MS_BIND | MS_RDONLY,
				      NULL, NULL, "/x"),
			    "mount -o remount,bind,ro /x");
	assert_string_equal(mount_cmd(buf, sizeof(buf), NULL, MS_REMOUNT, "size=2m", NULL, "/x"),
			    "mount -o remount,size=2m /x");
	assert_string_equal(mount_cmd(buf, sizeof(buf), "overlay", 0, "lowerdir=/l,upperdir=/u",
				      "overlay", "/x"),
			    "mount -t overlay -o lowerdir=/l,upperdir=/u overlay /x");
	assert_string_equal(mount_cmd(buf, sizeof(buf), NULL, MS_SHARED | MS_REC, NULL, NULL, "/x"),
			    "mount --make-rshared /x");
	assert_string_equal(mount_cmd(buf, sizeof(buf), NULL, MS_SLAVE, NULL, NULL, "/x"),
			    "mount --make-slave /x");
	/* too long: a comment (itself cut, never overflowed), not a command cut short */
	assert_string_equal(mount_cmd(buf, 12, "tmpfs", 0, NULL, "t", "/x"), "# mount: a ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overlay_next),
		cmocka_unit_test(test_overlay_next_too_long),
		cmocka_unit_test(test_overlay_unescape),
		cmocka_unit_test(test_overlay_dirs),
		cmocka_unit_test(test_flags_from_statvfs),
		cmocka_unit_test(test_flags_from_mountinfo),
		cmocka_unit_test(test_sb_flags_from_mountinfo),
		cmocka_unit_test(test_keep),
		cmocka_unit_test(test_cmd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
