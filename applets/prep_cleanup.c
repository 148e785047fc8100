/*
 * prep-cleanup - unmount BUNDLE/rootfs and everything below it, after the
 * container is gone (DESIGN.md section 4, "cleanup"; umount(2)).
 */
#include "cleanup.h"
#include "applet.h"
#include "cli.h"

static const char usage[] =
	"Usage: prep-cleanup [OPTIONS] BUNDLE\n"
	"\n"
	"Unmounts every mount at or below BUNDLE/rootfs, deepest first (a sibling\n"
	"such as BUNDLE/rootfs.old is left alone). First, the top ones (those not on\n"
	"another of them: the rootfs's own when it is a mount) are made private with\n"
	"all below them (mount --make-rprivate): an unmount propagates to the peers\n"
	"of the mount it is on, and the sub-mounts an rbind of a shared host\n"
	"directory copied are peers of the host's own. A mount hidden by a later one\n"
	"over its directory is dealt with once that one is gone. Nothing mounted is\n"
	"not an error, so a second run does nothing. Best effort: a mount that\n"
	"cannot be unmounted is reported and the others still are; the exit status\n"
	"is then 1.\n"
	"\n"
	"Options:\n"
	"  -n, --dry-run       print the commands a run would do, in its order;\n"
	"                      change nothing\n"
	"  -v, --verbose       say each action done, on standard error\n"
	"  -q, --quiet         print errors only\n"
	"  -h, --help          show this help\n"
	"  -V, --version       show the version\n";

static const struct option longopts[] = {
	{ "dry-run", no_argument, NULL, 'n' }, { "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },   { "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' }, { NULL, 0, NULL, 0 },
};

static const struct cli_spec spec = {
	.usage = usage,
	.longopts = longopts,
	.shortopts = "nvqhV",
	.want = OPTS_BUNDLE | OPTS_NO_CONFIG,
};

int prep_cleanup_main(int argc, char **argv)
{
	struct cli c;
	struct err e;
	int rc;

	if (cli_start(&c, &spec, argc, argv) < 0)
		return c.status;
	rc = cleanup_rootfs(&c.run, &e);
	return cli_finish(&c, rc, &e);
}
