/*
 * applets.h - the one list of applets (busybox's include/applets.src.h).
 *
 * APPLET(command name, C name, step) for each applet, gated by its Kconfig
 * symbol, so that turning an applet off in .config removes it from the
 * prototypes, the dispatch table, --list, --install and prep-all's steps,
 * with no other edit. The step (step.h) is what prep-all runs for it, in
 * this order (steps that need the pid run after COMMAND); NULL for none.
 *
 * No include guard: included several times with different APPLET()s.
 */
#include "autoconf.h"
#include "step.h"

IF_PREP_MOUNT(APPLET("prep-mount", prep_mount, &step_mount))
IF_PREP_CGROUP(APPLET("prep-cgroup", prep_cgroup, &step_cgroup))
IF_PREP_LINK(APPLET("prep-link", prep_link, &step_link))
IF_PREP_BINDNS(APPLET("prep-bindns", prep_bindns, &step_bindns))
IF_PREP_CLEANUP(APPLET("prep-cleanup", prep_cleanup, NULL))
IF_PREP_ALL(APPLET("prep-all", prep_all, NULL))
