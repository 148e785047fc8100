/*
 * link.h - the "interfaces" step (DESIGN.md section 4): network interfaces
 * created in, or moved into, the network namespace of the container's
 * process, over rtnetlink (nl.h; rtnetlink(7), the kernel's
 * Documentation/networking/ for each link kind). The step itself is
 * step_link (step.h): keys CONFIG_INTERFACES, needs the pid.
 *
 * For each entry of .interfaces, in order:
 *   add "veth" (or only a peer): one RTM_NEWLINK, sent on a socket in the
 *	container's namespace, creates NAME there and PEER in the host's;
 *   another add: NAME created in the container's namespace; with
 *	createInRoot, created in the host's and then moved;
 *   no add: the host's existing NAME moved into the container.
 * Creates carry NLM_F_CREATE | NLM_F_EXCL and are sent from a socket that
 * lives in the namespace the link is made in, so an existing interface of the
 * same name there is an error, never changed, and one of that name in the
 * other namespace does not matter (the host's eth0 while the container gets
 * its own). When the process shares prepbox's network namespace, creates
 * happen there and moves do nothing.
 *
 * Rollback: a created link is deleted, a moved one moved back (up again when
 * it was up; its addresses and routes, which the kernel dropped when it
 * moved, are not restored). Undo records own a duplicate of the socket of the
 * namespace the link is in, which keeps that namespace alive: the container
 * process need not be.
 */
#ifndef PREPBOX_LINK_H
#define PREPBOX_LINK_H

#include "config.h"
#include "step.h"

/*
 * link_kind - the kind of link @iface asks for: its "add"; "veth" when it
 * names only a peer; NULL when it asks to move an existing interface.
 */
const char *link_kind(const struct config_iface *iface);

#endif
