/*
 * prep-cgroup - create the cgroups of runtime.json (DESIGN.md section 4,
 * "cgroups"; the kernel's Documentation/admin-guide/cgroup-v2.rst and
 * cgroup-v1/cgroups.rst).
 */
#include "applet.h"
#include "cli.h"
#include "step.h"

static const char usage[] =
	"Usage: prep-cgroup [OPTIONS] [BUNDLE]\n"
	"\n"
	"Creates each cgroup named in the \"cgroups\" list of BUNDLE/runtime.json:\n"
	"ROOT/NAME when ROOT is a cgroup2 filesystem, otherwise ROOT/H/NAME under\n"
	"every hierarchy H of a v1 or hybrid ROOT, that is every directory there that\n"
	"is a cgroup filesystem (in a v1 cpuset hierarchy, with the parent's\n"
	"cpuset.cpus and cpuset.mems). Directories this run made are removed again\n"
	"if a later one fails. BUNDLE may be left out with -c.\n"
	"\n"
	"Options:\n" OPTS_CGROUP_ROOT_HELP OPTS_COMMON_HELP;

static const struct option longopts[] = {
	OPTS_COMMON_LONG,
	OPTS_CGROUP_ROOT_LONG,
	{ NULL, 0, NULL, 0 },
};

static const struct cli_spec spec = {
	.usage = usage,
	.longopts = longopts,
	.shortopts = OPTS_COMMON_SHORT,
	.want = OPTS_BUNDLE_OPTIONAL,
	.keys = CONFIG_CGROUPS,
};

int prep_cgroup_main(int argc, char **argv)
{
	return cli_main(&spec, &step_cgroup, argc, argv);
}
