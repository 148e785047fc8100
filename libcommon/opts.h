/*
 * opts.h - the command line every applet shares (DESIGN.md section 2),
 * parsed once here with getopt_long(3) so each option is spelled the same
 * everywhere. Each applet lists what it accepts in its own struct option[]
 * built from the OPTS_*_LONG pieces below, and says which positional
 * arguments it takes with enum opts_want.
 */
#ifndef PREPBOX_OPTS_H
#define PREPBOX_OPTS_H

#include <getopt.h>
#include <stdbool.h>

#include "err.h"
#include "msg.h"

/* Long-only options' values (outside the range of short option letters). */
enum {
	OPT_PID_FILE = 0x100,
	OPT_CGROUP_ROOT,
	OPT_NO_ROLLBACK,
};

#define OPTS_COMMON_LONG                                                                      \
	{ "config", required_argument, NULL, 'c' }, { "dry-run", no_argument, NULL, 'n' },    \
		{ "verbose", no_argument, NULL, 'v' }, { "quiet", no_argument, NULL, 'q' },   \
		{ "no-rollback", no_argument, NULL, OPT_NO_ROLLBACK },                        \
		{ "help", no_argument, NULL, 'h' }, { "version", no_argument, NULL, 'V' }
#define OPTS_COMMON_SHORT "c:nvqhV"
#define OPTS_PID_LONG                                                                         \
	{ "pid", required_argument, NULL, 'p' }, { "pid-file", required_argument, NULL, OPT_PID_FILE }
#define OPTS_PID_SHORT "p:"
#define OPTS_CGROUP_ROOT_LONG { "cgroup-root", required_argument, NULL, OPT_CGROUP_ROOT }

/* Help text for the options above, for the applets' usage messages. */
#define OPTS_COMMON_HELP                                                                      \
	"  -c, --config FILE   read the config from FILE (- for standard input)\n"           \
	"                      instead of BUNDLE/runtime.json\n"                             \
	"  -n, --dry-run       check everything, print the plan, change nothing\n"          \
	"  -v, --verbose       say each action done, on standard error\n"                   \
	"  -q, --quiet         print errors only\n"                                          \
	"      --no-rollback   on failure, leave what was done in place\n"                   \
	"  -h, --help          show this help\n"                                             \
	"  -V, --version       show the version\n"
#define OPTS_PID_HELP                                                                         \
	"  -p, --pid PID       the container's process (decimal)\n"                          \
	"      --pid-file FILE read PID from FILE (as runc create --pid-file writes it)\n"
#define OPTS_CGROUP_ROOT_HELP                                                                 \
	"      --cgroup-root DIR  where the cgroup filesystems are (/sys/fs/cgroup)\n"

enum opts_want {
	OPTS_BUNDLE = 1 << 0,	     /* BUNDLE is required */
	OPTS_BUNDLE_OPTIONAL = 1 << 1, /* BUNDLE may be left out when -c is given */
	OPTS_PID_REQUIRED = 1 << 2,  /* --pid or --pid-file must be given */
	OPTS_COMMAND = 1 << 3,	     /* "-- COMMAND [ARG...]" may follow BUNDLE */
	OPTS_NO_CONFIG = 1 << 4,     /* the applet reads no config: -c is refused */
};

struct opts {
	const char *config;	 /* -c FILE, or NULL */
	const char *pid;	 /* --pid text, or NULL */
	const char *pid_file;	 /* --pid-file FILE, or NULL */
	const char *cgroup_root; /* --cgroup-root DIR, or NULL */
	const char *bundle;	 /* BUNDLE, or NULL */
	char **command;		 /* the words after "--" (NULL-terminated), or NULL */
	bool dry_run, no_rollback;
	enum msg_level level;
};

enum opts_result {
	OPTS_GO = 0,	 /* options are fine: do the work */
	OPTS_DONE = 1,	 /* --help or --version was asked for: exit 0 */
	OPTS_USAGE = -1, /* bad command line: @e says why; exit 2 */
};

/*
 * opts_parse - parse @argv (@argc words; argv[0] is the applet's name)
 * against the applet's @longopts and @shortopts, wanting @want.
 * The caller prints @usage for OPTS_DONE from --help; --version prints
 * nothing here either: @o->... is unchanged and the result says which
 * (*@help is set to true for --help, false for --version).
 * Returns an enum opts_result; for OPTS_USAGE, @e holds the message (errnum 0).
 */
int opts_parse(struct opts *o, int argc, char **argv, const struct option *longopts,
	       const char *shortopts, unsigned want, bool *help, struct err *e);

#endif
