/*
 * test_bindns.c - unit tests of the bindNS step (bindns.h) that need no root:
 * what bindns_inspect() makes of each kind of file at a path, the -n plans in
 * mount(8) words (parents, the empty file, the bind; one "mkdir -p" for two
 * types in one directory), the refusals, and a failing bind rolled back with
 * mount(2) and umount2(2) swapped at link time. Binding, replacing and
 * restoring real namespaces is tests/integration/bindns.bats (root).
 *
 * WRAP: mount umount2
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bindns.h"
#include "step.h"

/* The swapped mount(2): counts calls, fails call number mount_fail_at with EINVAL. */
static int mount_calls, mount_fail_at;
static char mount_source[64], mount_type[16];
static unsigned long mount_flags;

int __wrap_mount(const char *source, const char *target, const char *type, unsigned long flags,
		 const void *data);
int __wrap_mount(const char *source, const char *target, const char *type, unsigned long flags,
		 const void *data)
{
	(void)target;
	(void)data;
	snprintf(mount_source, sizeof(mount_source), "%s", source ? source : "(null)");
	snprintf(mount_type, sizeof(mount_type), "%s", type ? type : "(null)");
	mount_flags = flags;
	if (++mount_calls == mount_fail_at) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

static int umount_calls;

int __wrap_umount2(const char *target, int flags);
int __wrap_umount2(const char *target, int flags)
{
	(void)target;
	(void)flags;
	umount_calls++;
	return 0;
}

struct fixture {
	char dir[64];	/* a scratch directory */
	int nsfd;	/* this process's network namespace */
	struct run run; /* pid: this process */
	char out[4096]; /* what was planned on standard output */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_bindns.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->nsfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(f->nsfd >= 0);
	run_init(&f->run);
	f->run.pid = getpid();
	mount_calls = mount_fail_at = umount_calls = 0;
	*state = f;
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	close(f->nsfd);
	run_free(&f->run);
	free(f);
	return 0;
}

/* f->dir/@rel into @buf. */
static char *at(const struct fixture *f, const char *rel, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", f->dir, rel);
	return buf;
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* Standard output goes to a file between capture_start() and capture_end(). */
static int saved_stdout = -1;

static void capture_start(void)
{
	int fd = open("/tmp", O_TMPFILE | O_RDWR, 0600);

	assert_true(fd >= 0);
	fflush(stdout);
	saved_stdout = dup(1);
	assert_true(saved_stdout >= 0);
	assert_int_equal(dup2(fd, 1), 1);
	close(fd);
}

static void capture_end(struct fixture *f)
{
	ssize_t n;

	fflush(stdout);
	n = pread(1, f->out, sizeof(f->out) - 1, 0);
	assert_true(n >= 0);
	f->out[n] = '\0';
	assert_int_equal(dup2(saved_stdout, 1), 1);
	close(saved_stdout);
}

static void test_inspect_kinds(void **state)
{
	struct fixture *f = *state;
	char path[128], target[128], buf[16];
	struct err e;
	int dfd, fd;

	dfd = open(f->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(dfd >= 0);

	assert_int_equal(bindns_inspect(dfd, "none", "none", f->nsfd, &fd, &e), BINDNS_MISSING);
	assert_int_equal(fd, -1);

	write_file(at(f, "empty", path, sizeof(path)), "");
	assert_int_equal(bindns_inspect(dfd, "empty", path, f->nsfd, &fd, &e), BINDNS_EMPTY);
	assert_true(fd >= 0);
	close(fd);

	write_file(at(f, "full", path, sizeof(path)), "keep\n");
	assert_int_equal(bindns_inspect(dfd, "full", path, f->nsfd, &fd, &e), -1);
	assert_int_equal(e.errnum, EEXIST);
	assert_int_equal(fd, -1);
	assert_non_null(strstr(e.msg, "not empty (5 bytes)"));
	fd = open(path, O_RDONLY);
	assert_int_equal(read(fd, buf, sizeof(buf)), 5);
	close(fd);

	assert_int_equal(mkdir(at(f, "dir", path, sizeof(path)), 0755), 0);
	assert_int_equal(bindns_inspect(dfd, "dir", path, f->nsfd, &fd, &e), -1);
	assert_int_equal(e.errnum, EISDIR);

	/* A symlink to an empty file is refused, not followed. */
	assert_int_equal(
		symlink(at(f, "empty", target, sizeof(target)), at(f, "link", path, sizeof(path))),
		0);
	assert_int_equal(bindns_inspect(dfd, "link", path, f->nsfd, &fd, &e), -1);
	assert_int_equal(e.errnum, ELOOP);
	assert_non_null(strstr(e.msg, "symlink"));

	assert_int_equal(mkfifo(at(f, "fifo", path, sizeof(path)), 0600), 0);
	assert_int_equal(bindns_inspect(dfd, "fifo", path, f->nsfd, &fd, &e), -1);
	assert_int_equal(e.errnum, EEXIST);
	assert_non_null(strstr(e.msg, "a FIFO, not an empty file"));
	close(dfd);
}

static void test_plan_fresh(void **state)
{
	struct fixture *f = *state;
	char path[128], want[1024];
	struct err e;
	struct stat st;

	f->run.dry_run = true;
	at(f, "run/netns/svc", path, sizeof(path));
	capture_start();
	assert_int_equal(bindns_bind(&f->run, NS_NET, path, f->nsfd, &e), 0);
	capture_end(f);
	snprintf(want, sizeof(want),
		 "mkdir -p %s/run/netns\ntouch %s\nmount --bind /proc/%d/ns/net %s\n", f->dir, path,
		 (int)getpid(), path);
	assert_string_equal(f->out, want);
	assert_int_equal(stat(at(f, "run", path, sizeof(path)), &st), -1);
	assert_int_equal(f->run.journal.n, 0);
	assert_int_equal(mount_calls, 0);
}

static void test_plan_existing_empty_file(void **state)
{
	struct fixture *f = *state;
	char path[128], want[512];
	struct err e;

	f->run.dry_run = true;
	write_file(at(f, "svc", path, sizeof(path)), "");
	capture_start();
	assert_int_equal(bindns_bind(&f->run, NS_UTS, path, f->nsfd, &e), 0);
	capture_end(f);
	snprintf(want, sizeof(want), "mount --bind /proc/%d/ns/uts %s\n", (int)getpid(), path);
	assert_string_equal(f->out, want);
}

static void test_relative_path_refused(void **state)
{
	struct fixture *f = *state;
	struct err e;

	f->run.dry_run = true;
	assert_int_equal(bindns_bind(&f->run, NS_NET, "run/netns/svc", f->nsfd, &e), -1);
	assert_int_equal(e.errnum, EINVAL);
}

/*
 * A path below BUNDLE/rootfs, named absolutely, is resolved inside the
 * rootfs: the image's symlink run -> DIR/host leads to rootfs/DIR/host, not
 * to the host's DIR/host, where the file would otherwise be made and bound.
 */
static void test_path_below_rootfs(void **state)
{
	struct fixture *f = *state;
	char path[128], host[128], inside[512];
	struct err e;
	struct stat st;

	f->run.bundle = f->dir;
	assert_int_equal(mkdir(at(f, "rootfs", path, sizeof(path)), 0755), 0);
	assert_int_equal(mkdir(at(f, "host", host, sizeof(host)), 0755), 0);
	assert_int_equal(mkdir(at(f, "host/netns", path, sizeof(path)), 0755), 0);
	assert_int_equal(symlink(host, at(f, "rootfs/run", path, sizeof(path))), 0);
	snprintf(inside, sizeof(inside), "mkdir -p %s/rootfs%s/netns", f->dir, host);
	assert_int_equal(system(inside), 0);
	at(f, "rootfs/run/netns/svc", path, sizeof(path));
	if (bindns_bind(&f->run, NS_NET, path, f->nsfd, &e) < 0 && e.errnum == ENOSYS)
		skip(); /* no openat2(2) (valgrind 3.19): nothing confined can be resolved */
	assert_int_equal(mount_calls, 1);
	snprintf(inside, sizeof(inside), "%s/rootfs%s/netns/svc", f->dir, host);
	assert_int_equal(stat(inside, &st), 0);
	assert_int_equal(stat(at(f, "host/netns/svc", host, sizeof(host)), &st), -1);
	assert_int_equal(journal_unwind(&f->run.journal, NULL, NULL), 0);
	assert_int_equal(umount_calls, 1);
	assert_int_equal(stat(inside, &st), -1);
}

/* The step with @paths[type] (NULL for none), as prep-bindns runs it. */
static int run_step(struct fixture *f, char *const paths[NS_COUNT], struct err *e)
{
	struct config c;
	int t;

	memset(&c, 0, sizeof(c));
	for (t = 0; t < NS_COUNT; t++)
		c.bindns[t] = paths[t];
	c.keys = CONFIG_BINDNS;
	return step_bindns.run(&f->run, &c, e);
}

static void test_step_plans_one_mkdir_per_directory(void **state)
{
	struct fixture *f = *state;
	char ipc[128], uts[128], want[1024];
	char *paths[NS_COUNT] = { NULL };
	struct err e;
	int pid = (int)getpid();

	f->run.dry_run = true;
	paths[NS_IPC] = at(f, "ns/ipc", ipc, sizeof(ipc));
	paths[NS_UTS] = at(f, "ns/uts", uts, sizeof(uts));
	capture_start();
	assert_int_equal(run_step(f, paths, &e), 0);
	capture_end(f);
	snprintf(want, sizeof(want),
		 "mkdir -p %s/ns\ntouch %s\nmount --bind /proc/%d/ns/ipc %s\n"
		 "touch %s\nmount --bind /proc/%d/ns/uts %s\n",
		 f->dir, ipc, pid, ipc, uts, pid, uts);
	assert_string_equal(f->out, want);
}

/*
 * A mount namespace the kernel refuses (EINVAL) after an ipc bind: the error
 * says why, and the rollback takes back the bind, the files and directories.
 */
static void test_step_failure_rolls_back(void **state)
{
	struct fixture *f = *state;
	char ipc[128], mnt[128], want[128];
	char *paths[NS_COUNT] = { NULL };
	struct err e;
	struct stat st;

	paths[NS_IPC] = at(f, "a/ipc", ipc, sizeof(ipc));
	paths[NS_MNT] = at(f, "b/c/mnt", mnt, sizeof(mnt));
	mount_fail_at = 2;
	assert_int_equal(run_step(f, paths, &e), -1);
	assert_int_equal(e.errnum, EINVAL);
	assert_non_null(strstr(e.msg, ".bindNS.mnt ("));
	assert_non_null(strstr(e.msg, "a shared one with peers or slaves, or when it is not newer"));
	assert_int_equal(mount_calls, 2);
	/* The bind: from the namespace descriptor, as a bind. */
	assert_int_equal(strncmp(mount_source, "/proc/self/fd/", 14), 0);
	assert_string_equal(mount_type, "none");
	assert_int_equal(mount_flags, MS_BIND);
	assert_int_equal(stat(mnt, &st), 0);

	assert_int_equal(journal_unwind(&f->run.journal, NULL, NULL), 0);
	assert_int_equal(umount_calls, 1);
	snprintf(want, sizeof(want), "%s/a", f->dir);
	assert_int_equal(stat(want, &st), -1);
	snprintf(want, sizeof(want), "%s/b", f->dir);
	assert_int_equal(stat(want, &st), -1);
	assert_int_equal(stat(f->dir, &st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_inspect_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_fresh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_existing_empty_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative_path_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_below_rootfs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_step_plans_one_mkdir_per_directory, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_step_failure_rolls_back, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
