/*
 * prep-all - every step of the other applets, in order, with the runtime's
 * COMMAND in between: mounts and mkdir, cgroups, [COMMAND], interfaces,
 * bindNS; one undo journal across all of them (DESIGN.md section 4,
 * "prep-all" and "Rollback").
 *
 *   prep-all --pid-file /run/x.pid BUNDLE -- runc create --bundle BUNDLE --pid-file /run/x.pid x
 *
 * is the whole LinuxKit service start in one line.
 */
#include <stdio.h>

#include "applet.h"
#include "cli.h"
#include "cmd.h"
#include "msg.h"
#include "pid.h"
#include "step.h"

/* The steps, in the order of the applet list; those built in only. */
static const struct step *const steps[] = {
#define APPLET(cmd, cname, step) step,
#include "applets.h"
#undef APPLET
};

#define NSTEPS (sizeof(steps) / sizeof(steps[0]))

static const char usage[] =
	"Usage: prep-all [OPTIONS] [--pid PID | --pid-file FILE] BUNDLE [-- COMMAND [ARG...]]\n"
	"\n"
	"Prepares everything BUNDLE/runtime.json asks for: mounts, then mkdir, then\n"
	"cgroups; then runs COMMAND, if given, and waits for it (a non-zero exit is a\n"
	"failure); then reads the container's pid (--pid, or --pid-file once COMMAND\n"
	"has written it) and creates or moves the interfaces and binds the\n"
	"namespaces. The whole config is checked first; a config with interfaces or\n"
	"bindNS needs --pid or --pid-file. When a step fails, everything this run did,\n"
	"in every phase, is undone; COMMAND itself cannot be, and the message says so.\n"
	"\n"
	"Options:\n" OPTS_PID_HELP OPTS_CGROUP_ROOT_HELP OPTS_COMMON_HELP;

static const struct option longopts[] = {
	OPTS_COMMON_LONG,
	OPTS_PID_LONG,
	OPTS_CGROUP_ROOT_LONG,
	{ NULL, 0, NULL, 0 },
};

/* Runs the steps that act before COMMAND (@after false) or after it. */
static int run_phase(struct cli *c, bool after, struct err *e)
{
	size_t i;

	for (i = 0; i < NSTEPS; i++) {
		if (!steps[i] || steps[i]->needs_pid != after)
			continue;
		if (!(c->config.keys & steps[i]->keys))
			continue;
		if (steps[i]->run(&c->run, &c->config, e) < 0)
			return -1;
	}
	return 0;
}

int prep_all_main(int argc, char **argv)
{
	struct cli_spec spec = {
		.usage = usage,
		.longopts = longopts,
		.shortopts = OPTS_COMMON_SHORT OPTS_PID_SHORT,
		.want = OPTS_BUNDLE | OPTS_COMMAND,
		.all_keys = true,
	};
	struct pid_file_state before = { .exists = false };
	bool ran = false;
	struct cli c;
	struct err e;
	size_t i;
	int rc;

	for (i = 0; i < NSTEPS; i++)
		if (steps[i])
			spec.keys |= steps[i]->keys;
	if (cli_start(&c, &spec, argc, argv) < 0)
		return c.status;

	/* Everything that can be known to fail is checked before anything is done. */
	for (i = 0, rc = 0; i < NSTEPS && rc == 0; i++)
		if (steps[i])
			rc = cli_check(&c, steps[i], &e);
	if (rc == 0)
		rc = run_phase(&c, false, &e);
	/* A pid file from before COMMAND ran names some other process. */
	if (rc == 0 && c.opts.command && !c.run.dry_run && cli_needs_pid(&c, spec.keys) &&
	    c.run.pid == 0)
		pid_file_note(c.opts.pid_file, &before);
	if (rc == 0 && c.opts.command)
		rc = cmd_run(&c.run, c.opts.command, &ran, &e);
	if (rc == 0 && cli_needs_pid(&c, spec.keys) && c.run.pid == 0) {
		/* With -n, COMMAND did not run and the pid file it would write is not there. */
		if (c.run.dry_run) {
			msg_plan("# then interfaces and bindNS for the pid in %s", c.opts.pid_file);
			return cli_finish(&c, 0, &e);
		}
		if (c.opts.command && pid_file_stale(c.opts.pid_file, &before))
			rc = err_set(&e, 0,
				     "read pid file %s: %s did not write it (it is as it was before "
				     "it ran): the pid in it is not the container's",
				     c.opts.pid_file, c.opts.command[0]);
		else
			rc = cli_pid(&c, &e);
	}
	if (rc == 0)
		rc = run_phase(&c, true, &e);
	if (rc < 0 && ran)
		snprintf(c.note, sizeof(c.note), "%s ran; the rollback cannot undo what it did",
			 c.opts.command[0]);
	return cli_finish(&c, rc, &e);
}
