/*
 * linkundo.h - the undo actions of the interfaces step (link.c), for its
 * journal records (journal.h). Each record uses @fd2, the journal's
 * duplicate of the socket of the namespace the link is in now (it keeps that
 * namespace alive, whether or not the container process is), @name, and
 * @shown, where the link is ("in the container"). See rtnetlink(7).
 */
#ifndef PREPBOX_LINKUNDO_H
#define PREPBOX_LINKUNDO_H

#include "err.h"
#include "journal.h"

/*
 * link_undo_delete - delete the link @u->name (@u->num: its ifindex there,
 * 0 when unknown: by name) with RTM_DELLINK. A link gone already (ENODEV:
 * one end of a veth takes the other) counts as undone; one whose index now
 * names another device is left alone and reported. Returns 0, or -1 with @e
 * set (netlink's errno and the kernel's text).
 */
int link_undo_delete(const struct undo *u, struct err *e);

/*
 * link_undo_move_back - move the link @u->name from the container back to
 * the host namespace (RTM_NEWLINK with IFLA_NET_NS_FD), with the index it
 * had there (@u->num, IFLA_NEW_IFINDEX; another one when that is taken) and
 * up again if it was (@u->in_root). Returns 0, or -1 with @e set (ENODEV: it
 * is gone; EEXIST: the host has that name now).
 */
int link_undo_move_back(const struct undo *u, struct err *e);

/*
 * link_undo_keep - the record that owns a socket duplicate others borrow
 * (@fd): undoes nothing, and is unwound after them. Returns 0.
 */
int link_undo_keep(const struct undo *u, struct err *e);

#endif
