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
 * Creates go out in batches (nl.h): the creates of consecutive entries in one
 * datagram, up to NL_BATCH_MAX, or until an entry that needs an answer first
 * (a move, createInRoot). The kernel makes each one it can, in order, even
 * past one it refuses: each one made is recorded, the first refusal is the
 * error, and the rollback takes back all of them.
 *
 * Rollback: a created link is deleted, a moved one moved back (up again when
 * it was up; its addresses and routes, which the kernel dropped when it
 * moved, are not restored). The journal keeps a duplicate of the socket of
 * each namespace a link is in, which keeps that namespace alive: the
 * container process need not be. One per namespace, not one per link, so
 * that a thousand links do not need a thousand descriptors.
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
