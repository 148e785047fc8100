/*
 * prep-link - create or move the "interfaces" of runtime.json into the
 * network namespace of the container's process (DESIGN.md section 4,
 * "interfaces"; rtnetlink(7), ip-link(8)).
 */
#include "applet.h"
#include "cli.h"
#include "step.h"

static const char usage[] =
	"Usage: prep-link [OPTIONS] (--pid PID | --pid-file FILE) [BUNDLE]\n"
	"\n"
	"Sets up each entry of the \"interfaces\" list of BUNDLE/runtime.json in the\n"
	"network namespace of process PID, in order:\n"
	"  \"add\": \"veth\" (or only \"peer\")  a veth pair: NAME in the container,\n"
	"                                   PEER in the host namespace\n"
	"  \"add\": KIND                     a KIND link NAME made in the container;\n"
	"                                   with \"createInRoot\", made in the host\n"
	"                                   namespace and then moved there\n"
	"  no \"add\"                        the host's interface NAME moved there\n"
	"An interface that exists already where one is to be made is an error, never\n"
	"changed. If a later entry fails, the links this run made are deleted and the\n"
	"ones it moved are moved back. A PID in prepbox's own network namespace is\n"
	"fine: links are then made here, and moves do nothing. BUNDLE may be left out\n"
	"with -c. With -n, the plan is printed as ip(8) commands; the interfaces\n"
	"themselves are not looked at.\n"
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
	.keys = CONFIG_INTERFACES,
};

int prep_link_main(int argc, char **argv)
{
	return cli_main(&spec, &step_link, argc, argv);
}
