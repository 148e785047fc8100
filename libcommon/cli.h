/*
 * cli.h - what every applet's main does around its steps: parse the
 * command line (opts.h), load and validate the config (config.h), check the
 * container's pid (pid.h), set up the run (run.h) and its signal handling;
 * and at the end, report the failure, roll back what the run did, and turn
 * the outcome into the exit status of DESIGN.md section 2:
 *   0 done; 1 an action failed and was rolled back; 2 usage or config error,
 *   nothing done; 3 an action failed and the rollback left something behind.
 * These are the only libcommon functions that print (besides the action
 * layer's -v and -n lines): they stand for the applets' mains.
 */
#ifndef PREPBOX_CLI_H
#define PREPBOX_CLI_H

#include <getopt.h>
#include <stdbool.h>

#include "config.h"
#include "err.h"
#include "opts.h"
#include "run.h"
#include "step.h"

enum exit_status {
	EXIT_DONE = 0,
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
	EXIT_LEFTOVER = 3,
	EXIT_NO_APPLET = 127,
};

struct cli_spec {
	const char *usage;		/* full --help text */
	const struct option *longopts;	/* the applet's options (OPTS_*_LONG) */
	const char *shortopts;		/* OPTS_COMMON_SHORT ... */
	unsigned want;			/* enum opts_want */
	unsigned keys;	/* enum config_key bits this applet carries out */
	/*
	 * Every key of the config must be among @keys (prep-all: a key whose
	 * step is not built in is refused, never silently skipped). Otherwise the
	 * keys of other applets are simply not this applet's business.
	 */
	bool all_keys;
};

struct cli {
	struct opts opts;
	struct config config;
	struct run run;
	const char *config_name; /* how messages name the config */
	int status;		 /* exit status when cli_start() says stop */
	char note[512];		 /* said after the error, when the run fails ("" for none) */
};

/*
 * cli_start - everything before the first action: options (--help and
 * --version answered here), the config loaded and validated, the keys this
 * build cannot carry out refused, relative paths refused without BUNDLE, the
 * pid checked when the applet needs one (or, with OPTS_COMMAND, when the
 * config's keys need one), signals caught.
 * Returns 0 to go on, or -1 with @c->status set (0 after --help/--version,
 * 2 after a usage or config error, which is printed).
 */
int cli_start(struct cli *c, const struct cli_spec *s, int argc, char **argv);

/*
 * cli_needs_pid - whether the config asks for work that needs the container's
 * process (interfaces, bindNS) among @keys.
 */
int cli_needs_pid(const struct cli *c, unsigned keys);

/*
 * cli_pid - read and check the pid now (for prep-all after COMMAND wrote the
 * pid file). Returns 0, or -1 with @e set.
 */
int cli_pid(struct cli *c, struct err *e);

/* What cli_check() returns on failure, and cli_finish() turns into exit 2. */
#define CLI_INVALID (-2)

/*
 * cli_check - run the check of step @s (step.h), if it has one, for this
 * run's config. Returns 0, or CLI_INVALID with @e set.
 */
int cli_check(struct cli *c, const struct step *s, struct err *e);

/*
 * cli_step - a one-step applet's work: cli_check() of @s, then, if that
 * passed, its run. Returns 0, CLI_INVALID (the check failed: nothing done), or
 * -1 (the run failed), with @e set; for cli_finish().
 */
int cli_step(struct cli *c, const struct step *s, struct err *e);

/*
 * cli_finish - end the run. @rc < 0: report @e and the note, if any, roll
 * back (unless --no-rollback), report each leftover; @rc == CLI_INVALID:
 * report @e, exit 2 (nothing was done); @rc == 0: keep what was done.
 * Frees the config and the run. Returns the exit status.
 */
int cli_finish(struct cli *c, int rc, const struct err *e);

/*
 * cli_main - the whole of a one-step applet (prep-mount, prep-cgroup,
 * prep-link, prep-bindns): cli_start() with @s on @argc/@argv, cli_step()
 * of @step, cli_finish(). Returns the exit status (section 2 of DESIGN.md).
 */
int cli_main(const struct cli_spec *s, const struct step *step, int argc, char **argv);

#endif
