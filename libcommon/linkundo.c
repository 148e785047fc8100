/*
 * linkundo.c - taking back what the interfaces step did (linkundo.h):
 * deleting a link it made, moving back a link it moved, over rtnetlink
 * (rtnetlink(7)), through the journal's duplicates of its sockets, so that
 * a rollback works even after the container process is gone.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "linkundo.h"
#include "msg.h"
#include "nl.h"
#include "ns.h"

/*
 * The undo records of this file (journal.h) use @fd2, the journal's
 * duplicate of the socket of the namespace the link is in now (it keeps that
 * namespace alive, whether or not the container process is), @name, and
 * @shown, where the link is ("in the container"). Then:
 *   link_undo_delete: @num, the link's ifindex there (0 when unknown: by @name);
 *   link_undo_move_back: @num, the index it had in the host namespace, to have
 *	again; @in_root, it was up there. It is found by @name in the container,
 *	where the kernel may have given it another index.
 */

int link_undo_delete(const struct undo *u, struct err *e)
{
	uint32_t buf[NL_REQ_SIZE / 4];
	struct nlmsghdr *req;
	struct nl_link info;
	char what[128];
	struct nl nl;
	int rc;

	snprintf(what, sizeof(what), "undo: delete %s %s", u->name, u->shown ? u->shown : "");
	if (nl_fdopen(&nl, u->fd2, e) < 0)
		return err_prefix(e, "%s", what);
	/*
	 * A free index can be taken by a device moved in from elsewhere (it keeps
	 * its number when it can): what has our index must also have our name.
	 */
	rc = u->num > 0 ? nl_link_get(&nl, (int)u->num, NULL, &info, e) : 0;
	if (rc == 0 && u->num > 0 && strcmp(info.name, u->name))
		rc = err_set(e, 0, "%s: interface %ld is %s now, not made by this run: left alone",
			     what, u->num, info.name);
	if (rc == 0) {
		req = nl_build_dellink(buf, sizeof(buf), (int)u->num, u->name);
		rc = req ? nl_request(&nl, req, NULL, NULL, what, e)
			 : err_set(e, errno, "%s", what);
	}
	nl_close(&nl);
	/* Gone already (deleting one end of a veth takes the other): nothing is left. */
	if (rc < 0 && e->errnum == ENODEV)
		return 0;
	if (rc == 0)
		msg_action("%s", what);
	return rc;
}

int link_undo_move_back(const struct undo *u, struct err *e)
{
	uint32_t buf[NL_REQ_SIZE / 4];
	struct nlmsghdr *req;
	char what[128];
	struct nl nl;
	int self, rc;

	snprintf(what, sizeof(what), "undo: move %s back to the host namespace", u->name);
	/* Ours is the host namespace: every setns went back before this. */
	self = ns_open_self(NS_NET, e);
	if (self < 0)
		return err_prefix(e, "%s", what);
	if (nl_fdopen(&nl, u->fd2, e) < 0) {
		close(self);
		return err_prefix(e, "%s", what);
	}
	/* With the index it had: what refers to it by index finds it again. */
	req = nl_build_setns(buf, sizeof(buf), 0, u->name, self, (int)u->num, u->in_root);
	rc = req ? nl_request(&nl, req, NULL, NULL, what, e) : err_set(e, errno, "%s", what);
	if (rc < 0 && u->num > 0 && e->errnum != ENODEV && e->errnum != EEXIST) {
		/*
		 * Its index was taken meanwhile (EBUSY), or the kernel will not
		 * choose: back it goes with another index.
		 */
		req = nl_build_setns(buf, sizeof(buf), 0, u->name, self, 0, u->in_root);
		rc = req ? nl_request(&nl, req, NULL, NULL, what, e)
			 : err_set(e, errno, "%s", what);
	}
	nl_close(&nl);
	close(self);
	if (rc == 0)
		msg_action("%s", what);
	return rc;
}

/* The record that keeps a socket open for those that borrow it: undoes nothing. */
int link_undo_keep(const struct undo *u, struct err *e)
{
	return 0;
}
