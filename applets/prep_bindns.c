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
	"first; an existing empty file is used as it is. A path that is already a bind\n"
	"of that namespace is left alone; a bind of another namespace (the service was\n"
	"restarted) is replaced, never stacked. A non-empty file, a directory, a symlink\n"
	"or anything else at the path is an error and is left intact. If a later bind\n"
	"fails, what this run did is undone, and replaced binds are put back. The kernel\n"
	"binds a mount namespace only onto a mount whose mount events reach no other\n"
	"(one not shared, or shared with no peer or slave). A path that leads below\n"
	"BUNDLE/rootfs (walked by the host's rules up to the rootfs directory, then read\n"
	"as words) is resolved inside the rootfs, as prep-mount resolves a relative\n"
	"destination, so that a symlink of the image cannot lead it out. BUNDLE may be\n"
	"left out with -c (paths are then used as given).\n"
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
	return cli_main(&spec, &step_bindns, argc, argv);
}
