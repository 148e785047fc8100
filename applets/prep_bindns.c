/*
 * prep-bindns - bind-mount the namespaces of the container's process to the
 * "bindNS" paths of runtime.json (DESIGN.md section 4, "bindNS"; namespaces(7),
 * mount(2), and ip-netns(8) for the /run/netns/NAME convention).
 */
#include "applet.h"
#include "cli.h"
#include "step.h"

static const char usage[] =
	"Usage: prep-bindns [OPTIONS] (--pid PID | --pid-file FILE) [BUNDLE]\n"
	"\n"
	"Bind-mounts /proc/PID/ns/TYPE onto the path given for TYPE in the \"bindNS\"\n"
	"object of BUNDLE/runtime.json, in the order cgroup, ipc, mnt, net, pid, user,\n"
	"uts, so that the namespace can be joined later (nsenter --net=PATH, or\n"
	"`ip netns exec NAME` for a path /run/netns/NAME) and lives on after the\n"
	"process has exited. Missing parent directories and an empty file are made\n"
	"first; an existing empty file is used as it is. A path that is already a\n"
	"bind of that namespace is left alone; a bind of another namespace (the\n"
	"service was restarted) is replaced, never stacked. A non-empty file, a\n"
	"directory, a symlink or anything else at the path is an error and is left\n"
	"intact. If a later bind fails, what this run did is undone, and replaced\n"
	"binds are put back. The kernel binds a mount namespace only onto a mount\n"
	"whose mount events reach no other (one not shared, or shared with no peer\n"
	"or slave). A path below BUNDLE/rootfs (read as words) is resolved\n"
	"inside the rootfs, as prep-mount resolves a relative destination, so that a\n"
	"symlink of the image cannot lead it out. BUNDLE may be left out with -c\n"
	"(paths are then used as given).\n"
	"\n"
	"Options:\n" OPTS_PID_HELP OPTS_COMMON_HELP;

static const struct option longopts[] = {
	OPTS_COMMON_LONG,
	OPTS_PID_LONG,
	{ NULL, 0, NULL, 0 },
};

static const struct cli_spec spec = {
	.usage = usage,
	.longopts = longopts,
	.shortopts = OPTS_COMMON_SHORT OPTS_PID_SHORT,
	.want = OPTS_BUNDLE_OPTIONAL | OPTS_PID_REQUIRED,
	.keys = CONFIG_BINDNS,
};

int prep_bindns_main(int argc, char **argv)
{
	struct cli c;
	struct err e;

	if (cli_start(&c, &spec, argc, argv) < 0)
		return c.status;
	return cli_finish(&c, cli_step(&c, &step_bindns, &e), &e);
}
