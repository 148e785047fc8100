/*
 * opts.c - the shared command line (opts.h), on getopt_long(3).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "opts.h"

static const char *option_name(int c, const struct option *longopts, char *buf, size_t len)
{
	for (; longopts->name; longopts++)
		if (longopts->val == c) {
			snprintf(buf, len, "--%s", longopts->name);
			return buf;
		}
	snprintf(buf, len, "-%c", c);
	return buf;
}

int opts_parse(struct opts *o, int argc, char **argv, const struct option *longopts,
	       const char *shortopts, unsigned want, bool *help, struct err *e)
{
	char spec[64], name[64];
	const char *arg;
	int c, npos = 0;
	bool dashdash = false;

	memset(o, 0, sizeof(*o));
	o->level = MSG_NORMAL;
	*help = false;
	/*
	 * "-" first: non-options come back in order as option 1, so BUNDLE is
	 * told apart from a COMMAND after "--", where getopt stops. ":" first
	 * after it: a missing argument is ':' rather than '?'.
	 */
	snprintf(spec, sizeof(spec), "-:%s", shortopts);
	opterr = 0;
	optind = 0; /* full reset (glibc, musl): parse again from argv[1] */
	while ((c = getopt_long(argc, argv, spec, longopts, NULL)) != -1) {
		switch (c) {
		case 1:
			if (npos++ > 0)
				return err_set(e, 0, "unexpected argument '%s'", optarg);
			o->bundle = optarg;
			break;
		case 'c':
			o->config = optarg;
			break;
		case 'n':
			o->dry_run = true;
			break;
		case 'v':
			o->level = MSG_VERBOSE;
			break;
		case 'q':
			o->level = MSG_QUIET;
			break;
		case OPT_NO_ROLLBACK:
			o->no_rollback = true;
			break;
		case 'p':
			o->pid = optarg;
			break;
		case OPT_PID_FILE:
			o->pid_file = optarg;
			break;
		case OPT_CGROUP_ROOT:
			o->cgroup_root = optarg;
			break;
		case 'h':
			*help = true;
			return OPTS_DONE;
		case 'V':
			return OPTS_DONE;
		case ':':
			return err_set(e, 0, "option %s needs an argument",
				       optopt ? option_name(optopt, longopts, name, sizeof(name))
					      : argv[optind - 1]);
		default:
			arg = argv[optind - 1];
			if (!strncmp(arg, "--", 2) && strchr(arg, '=') && optopt)
				return err_set(e, 0, "option %.*s takes no argument",
					       (int)(strchr(arg, '=') - arg), arg);
			if (!strncmp(arg, "--", 2) || !optopt)
				return err_set(e, 0, "unknown option %s", arg);
			return err_set(e, 0, "unknown option -%c", optopt);
		}
	}
	if (optind > 1 && optind <= argc && !strcmp(argv[optind - 1], "--"))
		dashdash = true;
	if (optind < argc || dashdash) {
		if (!(want & OPTS_COMMAND)) {
			/* No COMMAND here: what follows "--" is positional too. */
			for (; optind < argc; optind++) {
				if (npos++ > 0)
					return err_set(e, 0, "unexpected argument '%s'", argv[optind]);
				o->bundle = argv[optind];
			}
		} else if (optind == argc) {
			return err_set(e, 0, "no COMMAND after --");
		} else {
			o->command = argv + optind;
		}
	}

	if (o->pid && o->pid_file)
		return err_set(e, 0, "give --pid or --pid-file, not both");
	if ((want & OPTS_PID_REQUIRED) && !o->pid && !o->pid_file)
		return err_set(e, 0, "a container process is needed: give --pid PID or --pid-file FILE");
	if ((want & OPTS_NO_CONFIG) && o->config)
		return err_set(e, 0, "this applet reads no config (-c)");
	if (o->bundle && !o->bundle[0])
		return err_set(e, 0, "BUNDLE is empty");
	if (!o->bundle) {
		if (want & OPTS_BUNDLE)
			return err_set(e, 0, "BUNDLE is missing");
		if ((want & OPTS_BUNDLE_OPTIONAL) && !o->config)
			return err_set(e, 0, "give BUNDLE, or the config with -c FILE");
	}
	return OPTS_GO;
}
