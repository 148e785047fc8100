/*
 * test_mountopt.c - unit tests of the mount option parser (mountopt.h):
 * every option word of DESIGN.md section 4 "Flag options", how words
 * combine (the last one wins, the atime flags exclude each other as in
 * fs/namespace.c path_mount()), bind remounts, propagation, data limits, and
 * the mount(8) words printed in plans.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "mountopt.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Parse a NULL-terminated list of words; returns mountopt_parse()'s result. */
static int parse_v(struct mountopts *m, struct err *e, const char *type, const char *const *w)
{
	size_t n = 0;

	while (w[n])
		n++;
	return mountopt_parse(m, type, (char *const *)w, n, e);
}

#define PARSE(m, e, type, ...) parse_v(m, e, type, (const char *const[]){__VA_ARGS__, NULL})

/* Parse and insist on success. */
static void parse_ok_v(struct mountopts *m, const char *type, const char *const *w)
{
	struct err e = {0};

	assert_int_equal(parse_v(m, &e, type, w), 0);
}

#define PARSE_OK(m, type, ...) parse_ok_v(m, type, (const char *const[]){__VA_ARGS__, NULL})

/*
 * What one word yields: @flags and @prop on a filesystem mount (remount 0),
 * and on a bind mount ("bind" first) flags | MS_BIND and @remount.
 */
struct expect {
	const char *word;
	unsigned long flags;
	unsigned long remount; /* on a bind mount */
	unsigned long prop;    /* the one propagation entry, or 0 for none */
	const char *data;
	bool rro;
};

static void check_word(const struct expect *x)
{
	struct mountopts m;

	PARSE_OK(&m, "tmpfs", x->word);
	assert_int_equal(m.flags, x->flags);
	assert_int_equal(m.remount, 0);
	assert_int_equal(m.npropagation, x->prop ? 1 : 0);
	if (x->prop)
		assert_int_equal(m.propagation[0], x->prop);
	assert_string_equal(m.data, x->data);
	assert_int_equal(m.datalen, strlen(x->data));
	assert_int_equal(m.bind, (x->flags & MS_BIND) != 0);
	assert_int_equal(m.rro, x->rro);

	PARSE_OK(&m, NULL, "bind", x->word);
	assert_int_equal(m.flags, x->flags | MS_BIND);
	assert_int_equal(m.remount, x->remount);
	assert_int_equal(m.npropagation, x->prop ? 1 : 0);
	if (x->prop)
		assert_int_equal(m.propagation[0], x->prop);
	assert_string_equal(m.data, x->data);
	assert_true(m.bind);
	assert_int_equal(m.rro, x->rro);
}

/* One test per word, so a failure names the word. */
#define WORD_TEST(fn, w, fl, rem, pr, da, rr)                                                      \
	static void fn(void **state)                                                               \
	{                                                                                          \
		const struct expect x = {w, fl, rem, pr, da, rr};                                  \
		check_word(&x);                                                                    \
	}

/* the seed's table */
WORD_TEST(test_async, "async", 0, 0, 0, "", false)
WORD_TEST(test_atime, "atime", 0, 0, 0, "", false)
WORD_TEST(test_bind, "bind", MS_BIND, 0, 0, "", false)
WORD_TEST(test_defaults, "defaults", 0, 0, 0, "", false)
WORD_TEST(test_dev, "dev", 0, 0, 0, "", false)
WORD_TEST(test_diratime, "diratime", 0, 0, 0, "", false)
WORD_TEST(test_dirsync, "dirsync", MS_DIRSYNC, 0, 0, "", false)
WORD_TEST(test_exec, "exec", 0, 0, 0, "", false)
WORD_TEST(test_mand, "mand", MS_MANDLOCK, 0, 0, "", false)
WORD_TEST(test_noatime, "noatime", MS_NOATIME, MS_NOATIME, 0, "", false)
WORD_TEST(test_nodev, "nodev", MS_NODEV, MS_NODEV, 0, "", false)
WORD_TEST(test_nodiratime, "nodiratime", MS_NODIRATIME, MS_NODIRATIME, 0, "", false)
WORD_TEST(test_noexec, "noexec", MS_NOEXEC, MS_NOEXEC, 0, "", false)
WORD_TEST(test_nomand, "nomand", 0, 0, 0, "", false)
WORD_TEST(test_norelatime, "norelatime", 0, 0, 0, "", false)
WORD_TEST(test_nostrictatime, "nostrictatime", 0, 0, 0, "", false)
WORD_TEST(test_nosuid, "nosuid", MS_NOSUID, MS_NOSUID, 0, "", false)
WORD_TEST(test_private, "private", 0, 0, MS_PRIVATE, "", false)
WORD_TEST(test_rbind, "rbind", MS_BIND | MS_REC, 0, 0, "", false)
WORD_TEST(test_relatime, "relatime", MS_RELATIME, MS_RELATIME, 0, "", false)
/* a remount,bind entry's own call applies the per-mount flags: no second one */
WORD_TEST(test_remount, "remount", MS_REMOUNT, 0, 0, "", false)
WORD_TEST(test_ro, "ro", MS_RDONLY, MS_RDONLY, 0, "", false)
WORD_TEST(test_rw, "rw", 0, 0, 0, "", false)
WORD_TEST(test_shared, "shared", 0, 0, MS_SHARED, "", false)
WORD_TEST(test_slave, "slave", 0, 0, MS_SLAVE, "", false)
WORD_TEST(test_strictatime, "strictatime", MS_STRICTATIME, MS_STRICTATIME, 0, "", false)
WORD_TEST(test_suid, "suid", 0, 0, 0, "", false)
WORD_TEST(test_sync, "sync", MS_SYNCHRONOUS, 0, 0, "", false)
WORD_TEST(test_unbindable, "unbindable", 0, 0, MS_UNBINDABLE, "", false)
/* DESIGN.md's additions */
WORD_TEST(test_rshared, "rshared", 0, 0, MS_SHARED | MS_REC, "", false)
WORD_TEST(test_rslave, "rslave", 0, 0, MS_SLAVE | MS_REC, "", false)
WORD_TEST(test_rprivate, "rprivate", 0, 0, MS_PRIVATE | MS_REC, "", false)
WORD_TEST(test_runbindable, "runbindable", 0, 0, MS_UNBINDABLE | MS_REC, "", false)
WORD_TEST(test_rro, "rro", 0, 0, 0, "", true)
WORD_TEST(test_nosymfollow, "nosymfollow", MS_NOSYMFOLLOW, MS_NOSYMFOLLOW, 0, "", false)
WORD_TEST(test_symfollow, "symfollow", 0, 0, 0, "", false)
WORD_TEST(test_lazytime, "lazytime", MS_LAZYTIME, 0, 0, "", false)
WORD_TEST(test_nolazytime, "nolazytime", 0, 0, 0, "", false)
WORD_TEST(test_silent, "silent", MS_SILENT, 0, 0, "", false)
WORD_TEST(test_loud, "loud", 0, 0, 0, "", false)
WORD_TEST(test_iversion, "iversion", MS_I_VERSION, 0, 0, "", false)
WORD_TEST(test_noiversion, "noiversion", 0, 0, 0, "", false)
/* mount(8)/fstab only: dropped */
WORD_TEST(test_auto, "auto", 0, 0, 0, "", false)
WORD_TEST(test_noauto, "noauto", 0, 0, 0, "", false)
WORD_TEST(test_user, "user", 0, 0, 0, "", false)
WORD_TEST(test_users, "users", 0, 0, 0, "", false)
WORD_TEST(test_nouser, "nouser", 0, 0, 0, "", false)
WORD_TEST(test_owner, "owner", 0, 0, 0, "", false)
WORD_TEST(test_group, "group", 0, 0, 0, "", false)
WORD_TEST(test_netdev, "_netdev", 0, 0, 0, "", false)
WORD_TEST(test_nofail, "nofail", 0, 0, 0, "", false)
WORD_TEST(test_x_systemd, "x-systemd.automount", 0, 0, 0, "", false)
WORD_TEST(test_x_bare, "x-", 0, 0, 0, "", false)
WORD_TEST(test_X_upper, "X-mount.mkdir", 0, 0, 0, "", false)
/* filesystem data */
WORD_TEST(test_data_size, "size=1m", 0, 0, 0, "size=1m", false)
WORD_TEST(test_data_mode, "mode=0755", 0, 0, 0, "mode=0755", false)
WORD_TEST(test_data_bare, "noacl", 0, 0, 0, "noacl", false)
WORD_TEST(test_data_xnodash, "xattr", 0, 0, 0, "xattr", false)
WORD_TEST(test_data_case, "RO", 0, 0, 0, "RO", false)
WORD_TEST(test_data_ro_value, "ro=recursive", 0, 0, 0, "ro=recursive", false)
WORD_TEST(test_data_comma, "uid=0,gid=0", 0, 0, 0, "uid=0,gid=0", false)

static void test_data_order(void **state)
{
	struct mountopts m;

	PARSE_OK(&m, "tmpfs", "size=1m", "nosuid", "mode=755", "x-foo", "uid=0", "noauto",
		 "defaults", "gid=0");
	assert_string_equal(m.data, "size=1m,mode=755,uid=0,gid=0");
	assert_int_equal(m.datalen, strlen("size=1m,mode=755,uid=0,gid=0"));
	assert_int_equal(m.flags, MS_NOSUID);

	PARSE_OK(&m, "overlay", "lowerdir=/a:/b", "upperdir=/u", "workdir=/w");
	assert_string_equal(m.data, "lowerdir=/a:/b,upperdir=/u,workdir=/w");
}

static void test_fstab_only_dropped(void **state)
{
	struct mountopts m;

	PARSE_OK(&m, "tmpfs", "auto", "noauto", "user", "users", "nouser", "owner", "group",
		 "_netdev", "nofail", "x-a", "x-b=c", "X-d");
	assert_int_equal(m.flags, 0);
	assert_int_equal(m.npropagation, 0);
	assert_string_equal(m.data, "");
	assert_int_equal(m.datalen, 0);
}

/* the seed passed "defaults" to tmpfs as data: EINVAL */
static void test_defaults_not_data(void **state)
{
	struct mountopts m;

	PARSE_OK(&m, "tmpfs", "defaults", "size=1m", "defaults");
	assert_int_equal(m.flags, 0);
	assert_string_equal(m.data, "size=1m");

	/* and it resets nothing that was set */
	PARSE_OK(&m, "tmpfs", "ro", "nosuid", "defaults");
	assert_int_equal(m.flags, MS_RDONLY | MS_NOSUID);
}

static void test_empty(void **state)
{
	struct mountopts m;
	struct err e = {0};

	memset(&m, 0xff, sizeof(m));
	assert_int_equal(mountopt_parse(&m, "tmpfs", NULL, 0, &e), 0);
	assert_int_equal(m.flags, 0);
	assert_int_equal(m.remount, 0);
	assert_int_equal(m.npropagation, 0);
	assert_false(m.bind);
	assert_false(m.rro);
	assert_string_equal(m.data, "");
	assert_int_equal(m.datalen, 0);

	memset(&m, 0xff, sizeof(m));
	assert_int_equal(mountopt_parse(&m, NULL, NULL, 0, &e), 0);
	assert_int_equal(m.flags, 0);
	assert_string_equal(m.data, "");

	/* an empty word adds no empty item to the data */
	PARSE_OK(&m, "tmpfs", "", "size=1m", "", "mode=1777", "");
	assert_string_equal(m.data, "size=1m,mode=1777");
}

/* Each pair: the flag after the first word, then after both in each order. */
static void test_negatives(void **state)
{
	static const struct {
		const char *set, *clear;
		unsigned long flag;
	} pairs[] = {
		{"ro", "rw", MS_RDONLY},
		{"nosuid", "suid", MS_NOSUID},
		{"nodev", "dev", MS_NODEV},
		{"noexec", "exec", MS_NOEXEC},
		{"sync", "async", MS_SYNCHRONOUS},
		{"mand", "nomand", MS_MANDLOCK},
		{"noatime", "atime", MS_NOATIME},
		{"nodiratime", "diratime", MS_NODIRATIME},
		{"relatime", "norelatime", MS_RELATIME},
		{"strictatime", "nostrictatime", MS_STRICTATIME},
		{"nosymfollow", "symfollow", MS_NOSYMFOLLOW},
		{"lazytime", "nolazytime", MS_LAZYTIME},
		{"silent", "loud", MS_SILENT},
		{"iversion", "noiversion", MS_I_VERSION},
	};
	struct mountopts m;
	size_t i;

	for (i = 0; i < N(pairs); i++) {
		PARSE_OK(&m, "tmpfs", pairs[i].set, pairs[i].clear);
		assert_int_equal(m.flags, 0);
		PARSE_OK(&m, "tmpfs", pairs[i].clear, pairs[i].set);
		assert_int_equal(m.flags, pairs[i].flag);
		PARSE_OK(&m, "tmpfs", pairs[i].set, pairs[i].clear, pairs[i].set);
		assert_int_equal(m.flags, pairs[i].flag);
		/* a negative word never reaches the data */
		assert_string_equal(m.data, "");
	}
}

static void test_ro_rw_last_wins(void **state)
{
	struct mountopts m;

	PARSE_OK(&m, "tmpfs", "ro", "rw");
	assert_false(m.flags & MS_RDONLY);
	PARSE_OK(&m, "tmpfs", "rw", "ro");
	assert_true(m.flags & MS_RDONLY);
	PARSE_OK(&m, "tmpfs", "nosuid", "suid");
	assert_false(m.flags & MS_NOSUID);

	/* clearing one flag leaves the others */
	PARSE_OK(&m, "tmpfs", "ro", "nosuid", "nodev", "suid");
	assert_int_equal(m.flags, MS_RDONLY | MS_NODEV);

	/* on a bind mount, what is cleared is not remounted */
	PARSE_OK(&m, NULL, "bind", "ro", "nosuid", "rw");
	assert_int_equal(m.remount, MS_NOSUID);
	PARSE_OK(&m, NULL, "bind", "ro", "rw");
	assert_int_equal(m.remount, 0);
}

/* path_mount(): strictatime beats noatime, none means relatime; here the last word says */
static void test_atime_exclusive(void **state)
{
	static const struct {
		const char *a, *b;
		unsigned long flags;
	} cases[] = {
		{"relatime", "noatime", MS_NOATIME},
		{"noatime", "relatime", MS_RELATIME},
		{"noatime", "strictatime", MS_STRICTATIME},
		{"strictatime", "noatime", MS_NOATIME},
		{"relatime", "strictatime", MS_STRICTATIME},
		{"strictatime", "relatime", MS_RELATIME},
		{"noatime", "noatime", MS_NOATIME},
		/* the negatives clear their own flag only */
		{"relatime", "atime", MS_RELATIME},
		{"strictatime", "atime", MS_STRICTATIME},
		{"noatime", "norelatime", MS_NOATIME},
		{"noatime", "nostrictatime", MS_NOATIME},
		{"strictatime", "norelatime", MS_STRICTATIME},
		/* nodiratime is a flag of its own */
		{"nodiratime", "noatime", MS_NODIRATIME | MS_NOATIME},
		{"nodiratime", "strictatime", MS_NODIRATIME | MS_STRICTATIME},
		{"relatime", "nodiratime", MS_RELATIME | MS_NODIRATIME},
	};
	struct mountopts m;
	size_t i;

	for (i = 0; i < N(cases); i++) {
		PARSE_OK(&m, "tmpfs", cases[i].a, cases[i].b);
		assert_int_equal(m.flags, cases[i].flags);
		PARSE_OK(&m, NULL, "bind", cases[i].a, cases[i].b);
		assert_int_equal(m.flags, MS_BIND | cases[i].flags);
		assert_int_equal(m.remount, cases[i].flags);
	}

	PARSE_OK(&m, "tmpfs", "noatime", "relatime", "strictatime", "noatime");
	assert_int_equal(m.flags, MS_NOATIME);
	PARSE_OK(&m, "tmpfs", "strictatime", "noatime", "atime");
	assert_int_equal(m.flags, 0);
}

static void test_bind_forms(void **state)
{
	struct mountopts m;

	PARSE_OK(&m, "none", "bind");
	assert_true(m.bind);
	assert_int_equal(m.flags, MS_BIND);
	PARSE_OK(&m, NULL, "rbind");
	assert_true(m.bind);
	assert_int_equal(m.flags, MS_BIND | MS_REC);

	/* type "bind" implies bind, with or without options */
	assert_int_equal(mountopt_parse(&m, "bind", NULL, 0, &(struct err){0}), 0);
	assert_true(m.bind);
	assert_int_equal(m.flags, MS_BIND);
	assert_int_equal(m.remount, 0);
	PARSE_OK(&m, "bind", "ro");
	assert_true(m.bind);
	assert_int_equal(m.flags, MS_BIND | MS_RDONLY);
	assert_int_equal(m.remount, MS_RDONLY);
	PARSE_OK(&m, "bind", "rbind");
	assert_int_equal(m.flags, MS_BIND | MS_REC);

	/* as mount(8): rbind and bind add up, in either order */
	PARSE_OK(&m, NULL, "rbind", "bind");
	assert_int_equal(m.flags, MS_BIND | MS_REC);
	PARSE_OK(&m, NULL, "bind", "rbind");
	assert_int_equal(m.flags, MS_BIND | MS_REC);

	/* not a bind mount */
	PARSE_OK(&m, "tmpfs", "ro", "nosuid");
	assert_false(m.bind);
	assert_int_equal(m.flags, MS_RDONLY | MS_NOSUID);
	assert_int_equal(m.remount, 0);
	PARSE_OK(&m, "binder", "ro");
	assert_false(m.bind);
	PARSE_OK(&m, "Bind", "ro");
	assert_false(m.bind);
}

/* ["bind","ro"] must not leave a writable mount: the seed's bug */
static void test_bind_remount(void **state)
{
	struct mountopts m;

	PARSE_OK(&m, NULL, "bind", "ro");
	assert_int_equal(m.remount, MS_RDONLY);

	PARSE_OK(&m, NULL, "rbind", "ro", "nosuid", "nodev", "noexec", "noatime", "nodiratime",
		 "nosymfollow", "sync", "dirsync", "lazytime", "mand", "iversion", "silent",
		 "size=1m", "rshared");
	assert_int_equal(m.remount, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME |
					    MS_NODIRATIME | MS_NOSYMFOLLOW);
	assert_int_equal(m.remount & ~MOUNTOPT_PER_MOUNT, 0);
	assert_int_equal(m.npropagation, 1);
	assert_int_equal(m.propagation[0], MS_SHARED | MS_REC);
	assert_string_equal(m.data, "size=1m");

	/* superblock flags alone need no remount */
	PARSE_OK(&m, NULL, "bind", "sync", "lazytime", "dirsync", "mand", "silent", "iversion");
	assert_int_equal(m.remount, 0);

	/* a remount entry is itself the call that applies them */
	PARSE_OK(&m, NULL, "remount", "bind", "ro");
	assert_int_equal(m.flags, MS_REMOUNT | MS_BIND | MS_RDONLY);
	assert_int_equal(m.remount, 0);
	PARSE_OK(&m, "bind", "remount", "nosuid");
	assert_int_equal(m.flags, MS_REMOUNT | MS_BIND | MS_NOSUID);
	assert_int_equal(m.remount, 0);

	/* remount without bind: an ordinary remount, all flags in the one call */
	PARSE_OK(&m, "tmpfs", "remount", "ro", "size=2m");
	assert_false(m.bind);
	assert_int_equal(m.flags, MS_REMOUNT | MS_RDONLY);
	assert_int_equal(m.remount, 0);
	assert_string_equal(m.data, "size=2m");
}

/* what a remount drops from the flags a mount already has: the negatives named last */
static void test_cleared(void **state)
{
	struct mountopts m;

	(void)state;
	PARSE_OK(&m, NULL, "bind", "rw", "suid", "exec", "dev", "symfollow", "diratime");
	assert_int_equal(m.cleared, MS_RDONLY | MS_NOSUID | MS_NOEXEC | MS_NODEV |
					    MS_NOSYMFOLLOW | MS_NODIRATIME);
	assert_int_equal(m.remount, 0);
	/* a later positive word takes its flag out again */
	PARSE_OK(&m, NULL, "bind", "rw", "ro", "suid", "nosuid");
	assert_int_equal(m.cleared, 0);
	assert_int_equal(m.remount, MS_RDONLY | MS_NOSUID);
	/* positives alone clear nothing; superblock negatives count too */
	PARSE_OK(&m, "tmpfs", "ro", "nosuid", "dirsync", "size=1m");
	assert_int_equal(m.cleared, 0);
	PARSE_OK(&m, "tmpfs", "remount", "async", "nomand", "loud", "sync");
	assert_int_equal(m.cleared, MS_MANDLOCK | MS_SILENT);
	/* the atime modes exclude each other: naming one clears the other two */
	PARSE_OK(&m, NULL, "bind", "noatime");
	assert_int_equal(m.cleared, MS_RELATIME | MS_STRICTATIME);
	PARSE_OK(&m, NULL, "bind", "strictatime");
	assert_int_equal(m.cleared, MS_RELATIME | MS_NOATIME);
	PARSE_OK(&m, NULL, "bind", "noatime", "atime");
	assert_int_equal(m.cleared, MS_RELATIME | MS_STRICTATIME | MS_NOATIME);
	assert_int_equal(m.flags & (MS_NOATIME | MS_RELATIME | MS_STRICTATIME), 0);
}

static void test_rro_combined(void **state)
{
	struct mountopts m;

	PARSE_OK(&m, NULL, "rbind", "rro");
	assert_true(m.rro);
	/* recursive read-only is mount_setattr's, not MS_RDONLY's */
	assert_int_equal(m.flags, MS_BIND | MS_REC);
	assert_int_equal(m.remount, 0);

	PARSE_OK(&m, NULL, "rbind", "rro", "ro");
	assert_true(m.rro);
	assert_int_equal(m.remount, MS_RDONLY);

	PARSE_OK(&m, NULL, "rbind", "rro", "rw");
	assert_false(m.rro);
	assert_int_equal(m.flags, MS_BIND | MS_REC);
	PARSE_OK(&m, NULL, "rbind", "rw", "rro");
	assert_true(m.rro);
	/* only rw undoes it */
	PARSE_OK(&m, NULL, "rbind", "rro", "suid", "exec", "dev");
	assert_true(m.rro);
}

static void test_propagation(void **state)
{
	struct mountopts m;

	PARSE_OK(&m, "tmpfs", "rshared", "size=1m", "slave", "ro", "private", "runbindable",
		 "shared", "rslave", "rprivate", "unbindable");
	assert_int_equal(m.npropagation, 8);
	assert_int_equal(m.propagation[0], MS_SHARED | MS_REC);
	assert_int_equal(m.propagation[1], MS_SLAVE);
	assert_int_equal(m.propagation[2], MS_PRIVATE);
	assert_int_equal(m.propagation[3], MS_UNBINDABLE | MS_REC);
	assert_int_equal(m.propagation[4], MS_SHARED);
	assert_int_equal(m.propagation[5], MS_SLAVE | MS_REC);
	assert_int_equal(m.propagation[6], MS_PRIVATE | MS_REC);
	assert_int_equal(m.propagation[7], MS_UNBINDABLE);
	/* the kernel rejects a propagation type with other flags: never in flags */
	assert_int_equal(m.flags, MS_RDONLY);
	assert_string_equal(m.data, "size=1m");

	/* repeats are kept, each its own call */
	PARSE_OK(&m, NULL, "private", "private");
	assert_int_equal(m.npropagation, 2);
	assert_int_equal(m.propagation[0], MS_PRIVATE);
	assert_int_equal(m.propagation[1], MS_PRIVATE);
	assert_int_equal(m.flags, 0);

	/* rshared's MS_REC does not make a bind recursive */
	PARSE_OK(&m, NULL, "bind", "rshared");
	assert_int_equal(m.flags, MS_BIND);
	assert_int_equal(m.propagation[0], MS_SHARED | MS_REC);
}

static void test_propagation_max(void **state)
{
	const char *w[MOUNTOPT_PROP_MAX + 2];
	struct mountopts m;
	struct err e = {0};
	size_t i;

	for (i = 0; i < MOUNTOPT_PROP_MAX; i++)
		w[i] = i % 2 ? "rslave" : "private";
	w[MOUNTOPT_PROP_MAX] = "size=1m";
	w[MOUNTOPT_PROP_MAX + 1] = NULL;
	assert_int_equal(parse_v(&m, &e, "tmpfs", w), 0);
	assert_int_equal(m.npropagation, MOUNTOPT_PROP_MAX);
	assert_int_equal(m.propagation[MOUNTOPT_PROP_MAX - 1], MS_SLAVE | MS_REC);

	w[MOUNTOPT_PROP_MAX] = "shared";
	assert_int_equal(parse_v(&m, &e, "tmpfs", w), -1);
	assert_int_equal(e.errnum, 0);
	assert_string_equal(e.msg, "17 propagation options, at most 16 are allowed");
	assert_int_equal(m.npropagation, 0);
}

/* Fill @buf with @len bytes of 'a' after "k=". */
static char *word_of(char *buf, size_t len)
{
	memset(buf, 'a', len);
	memcpy(buf, "k=", 2);
	buf[len] = '\0';
	return buf;
}

static void test_data_limit(void **state)
{
	static char a[CONFIG_DATA_MAX + 2048], b[CONFIG_DATA_MAX];
	struct mountopts m;
	struct err e = {0};

	/* 4095 bytes is the most the kernel takes whole */
	PARSE_OK(&m, "tmpfs", word_of(a, 4095));
	assert_int_equal(m.datalen, 4095);
	assert_int_equal(strlen(m.data), 4095);
	PARSE_OK(&m, "tmpfs", word_of(a, 2047), "ro", word_of(b, 2047));
	assert_int_equal(m.datalen, 4095);
	assert_int_equal(m.data[2047], ',');
	assert_int_equal(m.flags, MS_RDONLY);

	/* dropped words do not count */
	PARSE_OK(&m, "tmpfs", word_of(a, 4095), "defaults", "nofail", "x-foo");
	assert_int_equal(m.datalen, 4095);

	assert_int_equal(PARSE(&m, &e, "tmpfs", word_of(a, 4096)), -1);
	assert_int_equal(e.errnum, 0);
	assert_string_equal(e.msg, "mount data is 4096 bytes, the kernel takes at most 4095");

	/* the comma counts too */
	assert_int_equal(PARSE(&m, &e, "tmpfs", word_of(a, 2048), word_of(b, 2047)), -1);
	assert_string_equal(e.msg, "mount data is 4096 bytes, the kernel takes at most 4095");

	assert_int_equal(PARSE(&m, &e, "tmpfs", word_of(a, 5000)), -1);
	assert_int_equal(e.errnum, 0);
	assert_string_equal(e.msg, "mount data is 5000 bytes, the kernel takes at most 4095");
	/* the caller puts the JSON path in front */
	assert_null(strstr(e.msg, ".mounts"));
	assert_int_equal(m.datalen, 0);
	assert_int_equal(m.flags, 0);

	/* counted whole, past the buffer */
	assert_int_equal(
		PARSE(&m, &e, "tmpfs", word_of(a, 4000), word_of(b, 3000), "ro", word_of(a, 4000)),
		-1);
	assert_string_equal(e.msg, "mount data is 11002 bytes, the kernel takes at most 4095");
}

static void test_flag_names(void **state)
{
	static const struct {
		unsigned long flags;
		const char *names;
	} cases[] = {
		{0, ""},
		{MS_BIND, "bind"},
		{MS_BIND | MS_REC, "rbind"},
		{MS_RDONLY, "ro"},
		{MS_NOSUID | MS_RDONLY, "ro,nosuid"},
		{MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NODEV, "bind,ro,nodev,remount"},
		{MS_BIND | MS_REC | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS |
			 MS_REMOUNT | MS_MANDLOCK | MS_DIRSYNC | MS_NOSYMFOLLOW | MS_NOATIME |
			 MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME | MS_LAZYTIME | MS_SILENT |
			 MS_I_VERSION,
		 "rbind,ro,nosuid,nodev,noexec,sync,remount,mand,dirsync,nosymfollow,noatime,"
		 "nodiratime,relatime,strictatime,lazytime,silent,iversion"},
		{MS_SHARED, "shared"},
		{MS_SLAVE | MS_REC, "rslave"},
		{MS_PRIVATE, "private"},
		{MS_UNBINDABLE | MS_REC, "runbindable"},
		/* no word: shown as the bits */
		{MS_REC, "0x4000"},
		{MS_RDONLY | (1UL << 30), "ro,0x40000000"},
	};
	char buf[512];
	size_t i;

	for (i = 0; i < N(cases); i++) {
		memset(buf, 'z', sizeof(buf));
		assert_ptr_equal(mountopt_flag_names(cases[i].flags, buf, sizeof(buf)), buf);
		assert_string_equal(buf, cases[i].names);
	}
}

static void test_flag_names_cut(void **state)
{
	char buf[16];

	memset(buf, 'z', sizeof(buf));
	assert_string_equal(mountopt_flag_names(MS_RDONLY | MS_NOSUID, buf, 5), "ro,n");
	assert_int_equal(buf[5], 'z');
	assert_string_equal(mountopt_flag_names(MS_RDONLY | MS_NOSUID, buf, 3), "ro");
	assert_string_equal(mountopt_flag_names(MS_RDONLY | MS_NOSUID, buf, 4), "ro,");
	assert_string_equal(mountopt_flag_names(MS_RDONLY, buf, 1), "");
	memset(buf, 'z', sizeof(buf));
	mountopt_flag_names(MS_RDONLY, buf, 0);
	assert_int_equal(buf[0], 'z');
}

/* Every flag word parsed alone prints as itself. */
static void test_flag_names_round_trip(void **state)
{
	static const char *const w[] = {
		"bind",	      "rbind",	  "ro",		 "nosuid",   "nodev",	    "noexec",
		"sync",	      "remount",  "mand",	 "dirsync",  "nosymfollow", "noatime",
		"nodiratime", "relatime", "strictatime", "lazytime", "silent",	    "iversion",
	};
	struct mountopts m;
	char buf[64];
	size_t i;

	for (i = 0; i < N(w); i++) {
		PARSE_OK(&m, "tmpfs", w[i]);
		assert_string_equal(mountopt_flag_names(m.flags, buf, sizeof(buf)), w[i]);
	}
}

static void test_propagation_name(void **state)
{
	static const char *const w[] = {"shared",  "slave",  "private",	 "unbindable",
					"rshared", "rslave", "rprivate", "runbindable"};
	struct mountopts m;
	size_t i;

	for (i = 0; i < N(w); i++) {
		PARSE_OK(&m, NULL, w[i]);
		assert_int_equal(m.npropagation, 1);
		assert_string_equal(mountopt_propagation_name(m.propagation[0]), w[i]);
	}
	assert_string_equal(mountopt_propagation_name(MS_SHARED), "shared");
	assert_string_equal(mountopt_propagation_name(MS_PRIVATE | MS_REC), "rprivate");
	assert_string_equal(mountopt_propagation_name(0), "unknown");
	assert_string_equal(mountopt_propagation_name(MS_REC), "unknown");
	assert_string_equal(mountopt_propagation_name(MS_BIND), "unknown");
	assert_string_equal(mountopt_propagation_name(MS_SHARED | MS_SLAVE), "unknown");
	assert_string_equal(mountopt_propagation_name(MS_SHARED | MS_RDONLY), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_async),
		cmocka_unit_test(test_atime),
		cmocka_unit_test(test_bind),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_dev),
		cmocka_unit_test(test_diratime),
		cmocka_unit_test(test_dirsync),
		cmocka_unit_test(test_exec),
		cmocka_unit_test(test_mand),
		cmocka_unit_test(test_noatime),
		cmocka_unit_test(test_nodev),
		cmocka_unit_test(test_nodiratime),
		cmocka_unit_test(test_noexec),
		cmocka_unit_test(test_nomand),
		cmocka_unit_test(test_norelatime),
		cmocka_unit_test(test_nostrictatime),
		cmocka_unit_test(test_nosuid),
		cmocka_unit_test(test_private),
		cmocka_unit_test(test_rbind),
		cmocka_unit_test(test_relatime),
		cmocka_unit_test(test_remount),
		cmocka_unit_test(test_ro),
		cmocka_unit_test(test_rw),
		cmocka_unit_test(test_shared),
		cmocka_unit_test(test_slave),
		cmocka_unit_test(test_strictatime),
		cmocka_unit_test(test_suid),
		cmocka_unit_test(test_sync),
		cmocka_unit_test(test_unbindable),
		cmocka_unit_test(test_rshared),
		cmocka_unit_test(test_rslave),
		cmocka_unit_test(test_rprivate),
		cmocka_unit_test(test_runbindable),
		cmocka_unit_test(test_rro),
		cmocka_unit_test(test_nosymfollow),
		cmocka_unit_test(test_symfollow),
		cmocka_unit_test(test_lazytime),
		cmocka_unit_test(test_nolazytime),
		cmocka_unit_test(test_silent),
		cmocka_unit_test(test_loud),
		cmocka_unit_test(test_iversion),
		cmocka_unit_test(test_noiversion),
		cmocka_unit_test(test_auto),
		cmocka_unit_test(test_noauto),
		cmocka_unit_test(test_user),
		cmocka_unit_test(test_users),
		cmocka_unit_test(test_nouser),
		cmocka_unit_test(test_owner),
		cmocka_unit_test(test_group),
		cmocka_unit_test(test_netdev),
		cmocka_unit_test(test_nofail),
		cmocka_unit_test(test_x_systemd),
		cmocka_unit_test(test_x_bare),
		cmocka_unit_test(test_X_upper),
		cmocka_unit_test(test_data_size),
		cmocka_unit_test(test_data_mode),
		cmocka_unit_test(test_data_bare),
		cmocka_unit_test(test_data_xnodash),
		cmocka_unit_test(test_data_case),
		cmocka_unit_test(test_data_ro_value),
		cmocka_unit_test(test_data_comma),
		cmocka_unit_test(test_data_order),
		cmocka_unit_test(test_fstab_only_dropped),
		cmocka_unit_test(test_defaults_not_data),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_negatives),
		cmocka_unit_test(test_ro_rw_last_wins),
		cmocka_unit_test(test_atime_exclusive),
		cmocka_unit_test(test_bind_forms),
		cmocka_unit_test(test_bind_remount),
		cmocka_unit_test(test_rro_combined),
		cmocka_unit_test(test_cleared),
		cmocka_unit_test(test_propagation),
		cmocka_unit_test(test_propagation_max),
		cmocka_unit_test(test_data_limit),
		cmocka_unit_test(test_flag_names),
		cmocka_unit_test(test_flag_names_cut),
		cmocka_unit_test(test_flag_names_round_trip),
		cmocka_unit_test(test_propagation_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
