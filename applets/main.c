/*
 * main.c - the multi-call dispatcher, busybox style (DESIGN.md section 1).
 *
 *   prep-link ARGS            basename(argv[0]) names the applet ("-prep-link",
 *                             as a login shell writes it, too)
 *   prepbox [prep-]APPLET ARGS
 *   prepbox --list | --install [-f] DIR | --help | --version
 */
#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "applet.h"
#include "cli.h"
#include "msg.h"

struct applet {
	const char *name;
	int (*main)(int argc, char **argv);
};

/* Ends with an empty entry: a build may have no applet at all. */
static const struct applet applets[] = {
#define APPLET(cmd, cname, step) { cmd, cname##_main },
#include "applets.h"
#undef APPLET
	{ NULL, NULL },
};

static const char usage[] =
	"Usage: prepbox APPLET [ARGS]       (or call it through a prep-APPLET link)\n"
	"       prepbox --list\n"
	"       prepbox --install [-f] DIR\n"
	"\n"
	"Prepares the host side of a container: mounts, directories, cgroups,\n"
	"network interfaces and namespace bind mounts, from an OCI bundle's\n"
	"runtime.json. APPLET is a name from --list, with or without \"prep-\";\n"
	"`prepbox APPLET --help` tells about each.\n"
	"\n"
	"  --list            print the applets built in, one per line\n"
	"  --install [-f] DIR  make DIR/prep-* symlinks to this binary; -f replaces\n"
	"                    whatever else is there under those names\n"
	"  -h, --help [APPLET]  show this help, or APPLET's\n"
	"  -V, --version     show the version\n";

/* The applet called @name, or "prep-@name"; NULL when there is none. */
static const struct applet *find(const char *name, int short_ok)
{
	size_t i;

	for (i = 0; applets[i].name; i++) {
		if (!strcmp(name, applets[i].name))
			return &applets[i];
		if (short_ok && !strcmp(name, applets[i].name + strlen("prep-")))
			return &applets[i];
	}
	return NULL;
}

static int run_applet(const struct applet *a, int argc, char **argv)
{
	msg_prog = a->name;
	return a->main(argc, argv);
}

/* Makes DIR/NAME a symlink to @exe, replacing what is there only with @force. */
static int install_one(const char *dir, const char *name, const char *exe, int force)
{
	char path[PATH_MAX], tmp[PATH_MAX], target[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path) ||
	    snprintf(tmp, sizeof(tmp), "%s/.%s.%ld", dir, name, (long)getpid()) >= (int)sizeof(tmp)) {
		msg_errorf("--install: %s/%s: %s", dir, name, strerror(ENAMETOOLONG));
		return -1;
	}
	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			n = readlink(path, target, sizeof(target) - 1);
			if (n >= 0 && (target[n] = '\0', !strcmp(target, exe)))
				return 0;
		}
		if (S_ISDIR(st.st_mode)) {
			msg_errorf("--install: %s is a directory; left alone", path);
			return -1;
		}
		if (!force) {
			msg_errorf("--install: %s exists and is not a link to %s; left alone "
				   "(-f replaces it)", path, exe);
			return -1;
		}
		/* A link made aside and renamed over: the name never goes missing. */
		unlink(tmp);
		if (symlink(exe, tmp) < 0 || rename(tmp, path) < 0) {
			msg_errorf("--install: replace %s: %s", path, strerror(errno));
			unlink(tmp);
			return -1;
		}
		return 0;
	}
	if (errno != ENOENT || symlink(exe, path) < 0) {
		msg_errorf("--install: link %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int install(int argc, char **argv)
{
	char exe[PATH_MAX];
	const char *dir = NULL;
	struct stat st;
	int force = 0, status = EXIT_DONE, i;
	ssize_t n;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-f")) {
			force = 1;
		} else if (!dir && argv[i][0] && (argv[i][0] != '-' || !strcmp(argv[i], "-"))) {
			dir = argv[i];
		} else {
			msg_errorf("--install: unexpected argument '%s'", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (!dir) {
		msg_errorf("--install: DIR is missing (prepbox --install [-f] DIR)");
		return EXIT_USAGE;
	}
	if (stat(dir, &st) < 0 || (!S_ISDIR(st.st_mode) && (errno = ENOTDIR))) {
		msg_errorf("--install: %s: %s", dir, strerror(errno));
		return EXIT_USAGE;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0) {
		msg_errorf("--install: find this binary (/proc/self/exe): %s", strerror(errno));
		return EXIT_FAILED;
	}
	exe[n] = '\0';
	for (size_t k = 0; applets[k].name; k++)
		if (install_one(dir, applets[k].name, exe, force) < 0)
			status = EXIT_FAILED;
	return status;
}

static int multicall(int argc, char **argv)
{
	const struct applet *a;
	bool help;
	size_t i;

	msg_prog = "prepbox";
	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	/* The options that take no argument take none: a stray word is a usage error. */
	help = !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h");
	if (argc > 2 + help && (help || !strcmp(argv[1], "--version") ||
				!strcmp(argv[1], "-V") || !strcmp(argv[1], "--list"))) {
		msg_errorf("%s: unexpected argument '%s'", argv[1], argv[2 + help]);
		return EXIT_USAGE;
	}
	/* --help APPLET, as busybox has it: the applet's own help. */
	if (help && argc == 3) {
		a = find(argv[2], 1);
		if (!a) {
			msg_errorf("unknown applet '%s' (prepbox --list shows them)", argv[2]);
			return EXIT_NO_APPLET;
		}
		return run_applet(a, 2, (char *[]){ argv[2], "--help", NULL });
	}
	if (help) {
		fputs(usage, stdout);
		return EXIT_DONE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("prepbox %s\n", PREPBOX_VERSION);
		return EXIT_DONE;
	}
	if (!strcmp(argv[1], "--list")) {
		for (i = 0; applets[i].name; i++)
			puts(applets[i].name);
		return EXIT_DONE;
	}
	if (!strcmp(argv[1], "--install"))
		return install(argc - 1, argv + 1);
	if (argv[1][0] == '-') {
		msg_errorf("unknown option %s", argv[1]);
		fputs("Try 'prepbox --help'.\n", stderr);
		return EXIT_USAGE;
	}
	a = find(argv[1], 1);
	if (!a) {
		msg_errorf("unknown applet '%s' (prepbox --list shows them)", argv[1]);
		return EXIT_NO_APPLET;
	}
	return run_applet(a, argc - 1, argv + 1);
}

static int dispatch(int argc, char **argv)
{
	const struct applet *a;
	const char *name;
	char base[256];
	size_t len, start;

	if (argc < 1 || !argv[0] || !argv[0][0]) {
		fputs("prepbox: no program name (argv[0] is empty): call it as prepbox APPLET, "
		      "or through a prep-APPLET link\n", stderr);
		return EXIT_USAGE;
	}
	/* basename(3), as POSIX has it: trailing slashes do not count. */
	len = strlen(argv[0]);
	while (len > 1 && argv[0][len - 1] == '/')
		len--;
	for (start = len; start > 0 && argv[0][start - 1] != '/'; start--)
		;
	if (start == len || len - start >= sizeof(base)) {
		fprintf(stderr, "prepbox: no program name in argv[0] '%s'\n", argv[0]);
		return EXIT_USAGE;
	}
	memcpy(base, argv[0] + start, len - start);
	base[len - start] = '\0';
	name = base[0] == '-' && base[1] ? base + 1 : base;
	a = find(name, 0);
	if (a)
		return run_applet(a, argc, argv);
	if (!strncmp(name, "prepbox", strlen("prepbox")))
		return multicall(argc, argv);
	fprintf(stderr, "prepbox: unknown applet '%s' (prepbox --list shows them)\n", name);
	return EXIT_NO_APPLET;
}

int main(int argc, char **argv)
{
	int status = dispatch(argc, argv);

	/* A plan or a list that did not reach its reader is no success (/dev/full). */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: write standard output: %s\n", msg_prog,
			strerror(errno ? errno : EIO));
		if (status == EXIT_DONE)
			status = EXIT_FAILED;
	}
	return status;
}
