/*
 * cli.c - the frame around every applet's steps (cli.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "msg.h"
#include "pid.h"

static void usage_error(struct cli *c, const struct err *e)
{
	msg_error(e);
	fprintf(stderr, "Try '%s --help'.\n", msg_prog);
	c->status = EXIT_USAGE;
}

int cli_needs_pid(const struct cli *c, unsigned keys)
{
	return (c->config.keys & keys & (CONFIG_INTERFACES | CONFIG_BINDNS)) != 0;
}

int cli_pid(struct cli *c, struct err *e)
{
	bool missing;
	pid_t pid;
	int fd, rc;

	if (c->opts.pid) {
		if (pid_parse(c->opts.pid, strlen(c->opts.pid), "--pid", false, &pid, e) < 0)
			return -1;
	} else if (c->opts.pid_file) {
		/* A FIFO waits for a writer: a stop signal ends that wait. */
		run_interruptible(true);
		rc = run_stop_signal ? -1 : pid_read_file(c->opts.pid_file, &pid, e);
		run_interruptible(false);
		if (rc < 0 && run_stop_signal)
			return err_set(e, 0, "stopped by signal %d (%s) before the pid in %s was read",
				       (int)run_stop_signal, strsignal(run_stop_signal),
				       c->opts.pid_file);
		if (rc < 0)
			return -1;
	} else {
		return err_set(e, 0, "a container process is needed: give --pid PID or --pid-file FILE");
	}
	fd = pid_open(pid, &missing, e);
	if (fd < 0 && !missing)
		return -1;
	c->run.pid = pid;
	c->run.pidfd = fd;
	return 0;
}

static const char *key_applet(unsigned key)
{
	switch (key) {
	case CONFIG_CGROUPS:
		return "prep-cgroup";
	case CONFIG_MOUNTS:
	case CONFIG_MKDIR:
		return "prep-mount";
	case CONFIG_INTERFACES:
		return "prep-link";
	default:
		return "prep-bindns";
	}
}

int cli_start(struct cli *c, const struct cli_spec *s, int argc, char **argv)
{
	struct stat st;
	struct err e;
	bool help;
	unsigned missing;
	int rc;

	memset(c, 0, sizeof(*c));
	run_init(&c->run);
	rc = opts_parse(&c->opts, argc, argv, s->longopts, s->shortopts, s->want, &help, &e);
	if (rc == OPTS_DONE) {
		if (help)
			fputs(s->usage, stdout);
		else
			printf("%s (prepbox) %s\n", msg_prog, PREPBOX_VERSION);
		c->status = EXIT_DONE;
		return -1;
	}
	if (rc == OPTS_USAGE) {
		usage_error(c, &e);
		return -1;
	}
	msg_level = c->opts.level;
	c->run.dry_run = c->opts.dry_run;
	c->run.bundle = c->opts.bundle;
	if (c->opts.cgroup_root)
		c->run.cgroup_root = c->opts.cgroup_root;
	/* Directories are 0755 and files 0644 whatever the caller's umask. */
	umask(022);

	c->config_name = !c->opts.config ? "runtime.json"
			 : strcmp(c->opts.config, "-") ? c->opts.config : "<stdin>";
	c->run.warn = msg_warn;

	/* A missing runtime.json is an empty config; a missing BUNDLE is a mistake. */
	if (c->opts.bundle && (stat(c->opts.bundle, &st) < 0 ||
			       (!S_ISDIR(st.st_mode) && (errno = ENOTDIR)))) {
		err_set(&e, errno, "bundle %s", c->opts.bundle);
		goto bad;
	}
	if (!(s->want & OPTS_NO_CONFIG)) {
		if (config_load(&c->config, c->opts.config, c->opts.bundle, &e) < 0)
			goto bad;
		if (!c->opts.bundle && config_check_relative(&c->config, c->config_name, &e) < 0)
			goto bad;
		missing = s->all_keys ? c->config.keys & ~s->keys & ~CONFIG_NAMESPACE : 0;
		if (missing) {
			unsigned key = missing & -missing;

			err_set(&e, 0, "%s: .%s: this prepbox was built without %s", c->config_name,
				config_key_name(key), key_applet(key));
			goto bad;
		}
	}
	if (((s->want & OPTS_PID_REQUIRED) || cli_needs_pid(c, s->keys)) && !c->opts.pid &&
	    !c->opts.pid_file) {
		err_set(&e, 0, "%s asks for interfaces or bindNS: give --pid PID or --pid-file FILE",
			c->config_name);
		goto bad;
	}
	/* A pid given is checked now, unless a COMMAND is still to write the pid file. */
	if ((c->opts.pid || (c->opts.pid_file && !c->opts.command)) && cli_pid(c, &e) < 0)
		goto bad;
	if (run_catch_signals() < 0) {
		err_set(&e, errno, "catch signals");
		msg_error(&e);
		c->status = EXIT_FAILED;
		goto out;
	}
	return 0;
bad:
	msg_error(&e);
	c->status = EXIT_USAGE;
out:
	config_free(&c->config);
	run_free(&c->run);
	return -1;
}

static void leftover(const struct err *e, void *arg)
{
	char buf[ERR_MSG_MAX + ERR_EXT_MAX + 128];

	(void)arg;
	msg_errorf("left behind: %s", err_format(e, buf, sizeof(buf)));
}

int cli_check(struct cli *c, const struct step *s, struct err *e)
{
	if (!s->check || !(c->config.keys & s->keys))
		return 0;
	return s->check(&c->run, &c->config, e) < 0 ? CLI_INVALID : 0;
}

int cli_step(struct cli *c, const struct step *s, struct err *e)
{
	int rc = cli_check(c, s, e);

	return rc < 0 ? rc : s->run(&c->run, &c->config, e);
}

int cli_finish(struct cli *c, int rc, const struct err *e)
{
	int status = EXIT_DONE;
	struct err stop;

	if (rc == CLI_INVALID) {
		msg_error(e);
		journal_forget(&c->run.journal);
		config_free(&c->config);
		run_free(&c->run);
		return EXIT_USAGE;
	}

	/* A stop signal after the last action still means: do not keep this run. */
	if (rc == 0 && run_stop_signal) {
		err_set(&stop, 0, "stopped by signal %d (%s)", (int)run_stop_signal,
			strsignal(run_stop_signal));
		e = &stop;
		rc = -1;
	}
	if (rc < 0) {
		msg_error(e);
		if (c->note[0])
			msg_warnf("%s", c->note);
		status = EXIT_FAILED;
		if (c->opts.no_rollback) {
			if (c->run.journal.n)
				msg_warnf("--no-rollback: %zu change%s of this run left in place",
					  c->run.journal.n, c->run.journal.n == 1 ? "" : "s");
		} else if (journal_unwind(&c->run.journal, leftover, NULL) > 0) {
			status = EXIT_LEFTOVER;
		}
	}
	journal_forget(&c->run.journal);
	config_free(&c->config);
	run_free(&c->run);
	return status;
}

int cli_main(const struct cli_spec *s, const struct step *step, int argc, char **argv)
{
	struct cli c;
	struct err e;

	if (cli_start(&c, s, argc, argv) < 0)
		return c.status;
	return cli_finish(&c, cli_step(&c, step, &e), &e);
}
