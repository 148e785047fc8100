/*
 * link.c - the "interfaces" step (link.h): creating and moving network
 * interfaces into the container's network namespace, and taking that back.
 *
 * Follows DESIGN.md section 4 "interfaces", rtnetlink(7) and ip-link(8),
 * whose words the plan (-n) and the log (-v) use.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if.h>

#include "link.h"
#include "linkundo.h"
#include "msg.h"
#include "nl.h"
#include "ns.h"
#include "sys.h"

#define HOST "in the host namespace"

/*
 * A create waiting in the batch (nl.h) for those of the next entries, until
 * the batch is full or an entry comes that needs an answer before it can go
 * (a move): what its log line, its message and its undo need once the
 * kernel has answered.
 */
struct pending {
	size_t entry;		/* its place in .interfaces */
	const char *name;	/* NAME, made where it belongs */
	const char *peer;	/* a veth's PEER, made in the host namespace; or NULL */
	struct nl *undo_nl;	/* the socket of the namespace the undo deletes it in */
	const char *undo_name;	/* what the undo deletes: PEER of a veth, else NAME */
	const char *undo_where; /* that namespace, for messages */
	int status;		/* the kernel's answer: 0 done, an errno value, -1 none */
	int index;		/* its index there, once looked up; 0 when unknown */
	char cmd[512];		/* the action in ip-link(8) words */
	char what[512];		/* the request in words, for messages */
};

struct links {
	struct run *r;
	int self_ns;	   /* prepbox's own network namespace */
	int target_ns;	   /* the container process's, opened once */
	bool same;	   /* they are one: creates happen here, moves do nothing */
	struct nl root;	   /* a socket in ours */
	struct nl target;  /* a socket in the container's; unused when @same */
	char netns[32];	   /* " netns PID" for the plan; "" when @same */
	const char *there; /* where NAME goes, for messages */
	int kept_root;	   /* the journal's duplicates of the sockets (link_undo_keep); */
	int kept_target;   /* -1 until a record needs one */
	size_t entry;	   /* the entry being done, or that failed */
	struct nl_batch batch;		      /* the creates waiting to be sent... */
	struct pending pending[NL_BATCH_MAX]; /* ...and what became of them */
	size_t npending;
};

/* The socket of the namespace links are created in. */
static struct nl *in_target(struct links *l)
{
	return l->same ? &l->root : &l->target;
}

const char *link_kind(const struct config_iface *iface)
{
	if (iface->add && iface->add[0])
		return iface->add;
	return iface->peer && iface->peer[0] ? "veth" : NULL;
}

static void links_close(struct links *l)
{
	nl_batch_free(&l->batch);
	nl_close(&l->root);
	nl_close(&l->target);
	if (l->target_ns >= 0)
		close(l->target_ns);
	if (l->self_ns >= 0)
		close(l->self_ns);
	l->target_ns = l->self_ns = -1;
}

static int links_open(struct links *l, struct run *r, struct err *e)
{
	int same;

	memset(l, 0, sizeof(*l));
	l->r = r;
	l->self_ns = l->target_ns = -1;
	l->kept_root = l->kept_target = -1;
	if (nl_batch_init(&l->batch, e) < 0)
		return -1;
	l->self_ns = ns_open_self(NS_NET, e);
	if (l->self_ns < 0)
		return -1;
	/* Once, by fd: a pid recycled later cannot redirect what follows. */
	l->target_ns = ns_open(r, NS_NET, e);
	if (l->target_ns < 0)
		return -1;
	same = ns_same(l->target_ns, l->self_ns, e);
	if (same < 0)
		return -1;
	l->same = same;
	l->there = l->same ? HOST : "in the container";
	if (!l->same)
		snprintf(l->netns, sizeof(l->netns), " netns %d", (int)r->pid);
	if (r->dry_run)
		return 0;
	if (nl_open(&l->root, -1, -1, e) < 0)
		return -1;
	if (!l->same && nl_open(&l->target, l->target_ns, l->self_ns, e) < 0)
		return err_prefix(e, "netlink in the network namespace of process %d", (int)r->pid);
	return 0;
}

/* ---- rollback ------------------------------------------------------------ */

/*
 * The journal's duplicate of the socket @nl, for undo records to borrow
 * (@fd2). One per socket, whatever the number of links: it is owned by a
 * record of its own (link_undo_keep), pushed before the first record that
 * borrows it, so that the unwinding, newest first, closes it after them.
 */
static int kept_socket(struct links *l, struct nl *nl, struct err *e)
{
	int *kept = nl == &l->root ? &l->kept_root : &l->kept_target;
	struct undo u = { .fn = link_undo_keep, .dirfd = -1, .fd = -1, .fd2 = -1 };

	if (*kept >= 0)
		return *kept;
	if (journal_reserve(&l->r->journal, e) < 0)
		return -1;
	u.fd = fcntl(nl_fd(nl), F_DUPFD_CLOEXEC, 0);
	if (u.fd < 0)
		return err_set(e, errno, "keep a netlink socket for the rollback");
	journal_push(&l->r->journal, &u);
	*kept = u.fd;
	return u.fd;
}

/*
 * Gets an undo record ready before acting, so that recording it cannot fail
 * once the link exists or has moved: a journal slot, and the socket of the
 * namespace (@nl) the link will be in. Nothing with -n.
 */
static int undo_prepare(struct links *l, struct undo *u, undo_fn fn, struct nl *nl,
			const char *name, struct err *e)
{
	memset(u, 0, sizeof(*u));
	u->fn = fn;
	u->dirfd = -1;
	u->fd = u->fd2 = -1;
	snprintf(u->name, sizeof(u->name), "%s", name);
	if (l->r->dry_run)
		return 0;
	u->fd2 = kept_socket(l, nl, e);
	if (u->fd2 < 0 || journal_reserve(&l->r->journal, e) < 0)
		return -1;
	return 0;
}

/*
 * Records @u once the action succeeded. For link_undo_delete, with the new link's
 * index in @nl's namespace: it stays right if something renames the link (by
 * name when the lookup fails).
 */
static void undo_push(struct links *l, struct undo *u, struct nl *nl, const char *where)
{
	int index;

	if (l->r->dry_run)
		return;
	if (u->fn == link_undo_delete && (index = nl_link_index(nl, u->name)) > 0)
		u->num = index;
	u->shown = strdup(where);
	journal_push(&l->r->journal, u);
}

/* ---- one entry at a time ------------------------------------------------------ */

/* After EEXIST: add which name is taken where, when a lookup tells. */
static void say_taken(struct err *e, struct nl *nl, const char *name, const char *where)
{
	struct nl_link info;
	struct err ignored;
	size_t n = strlen(e->msg);

	if (nl_link_get(nl, 0, name, &info, &ignored) == 0 && n < sizeof(e->msg))
		snprintf(e->msg + n, sizeof(e->msg) - n, ": %s is taken %s", name, where);
}

/* Creates what @req says on @nl; the undo deletes @undo_name through @undo_nl. */
static int create(struct links *l, struct nl *nl, struct nlmsghdr *req, const char *cmd,
		  const char *what, struct nl *undo_nl, const char *undo_name,
		  const char *undo_where, struct err *e)
{
	struct undo u;

	if (undo_prepare(l, &u, link_undo_delete, undo_nl, undo_name, e) < 0)
		return -1;
	if (nl_act(l->r, nl, req, cmd, what, e) < 0) {
		if (e->errnum == EEXIST)
			say_taken(e, nl, undo_name, undo_where);
		return -1;
	}
	undo_push(l, &u, undo_nl, undo_where);
	return 0;
}

/* How to call the device that refused to change namespace. */
static const char *device_words(const struct nl_link *info, char *buf, size_t len)
{
	if (info->flags & IFF_LOOPBACK)
		return "the loopback device";
	if (!strcmp(info->kind, "bridge"))
		return "a bridge";
	if (!info->kind[0])
		return "this device";
	snprintf(buf, len, "a %s device", info->kind);
	return buf;
}

static void explain_move(const struct nl_link *info, struct err *e)
{
	char ext[ERR_EXT_MAX], words[64];
	size_t n;

	/*
	 * EINVAL is how dev_change_net_namespace() refuses a netns-local device
	 * (bridge, lo, ...); 6.x adds "The interface netns is immutable".
	 */
	if (e->errnum == EINVAL && (!e->ext[0] || strstr(e->ext, "netns"))) {
		memcpy(ext, e->ext, sizeof(ext));
		err_set(e, EINVAL, "move %s into the container: %s cannot change network namespace",
			info->name, device_words(info, words, sizeof(words)));
		err_set_ext(e, ext);
	} else if (e->errnum == EEXIST) {
		n = strlen(e->msg);
		snprintf(e->msg + n, sizeof(e->msg) - n,
			 ": the container has an interface %s already", info->name);
	}
}

/* Finds the host's interface @name to move (not with -n: then only its name). */
static int find_in_host(struct links *l, const char *name, struct nl_link *info, struct err *e)
{
	memset(info, 0, sizeof(*info));
	snprintf(info->name, sizeof(info->name), "%s", name);
	if (l->r->dry_run || nl_link_get(&l->root, 0, name, info, e) == 0)
		return 0;
	if (e->errnum == ENODEV)
		return err_set(e, ENODEV, "move %s into the container: there is no %s " HOST, name,
			       name);
	return err_prefix(e, "move %s into the container", name);
}

/* The action that moves @info into the container. */
static int send_move(struct links *l, const struct nl_link *info, struct err *e)
{
	uint32_t buf[NL_REQ_SIZE / 4];
	char cmd[256], what[256];
	struct nlmsghdr *req;

	msg_cmd(cmd, sizeof(cmd), "ip link set %s netns %d", msg_quote(info->name),
		 (int)l->r->pid);
	snprintf(what, sizeof(what), "move %s into the container", info->name);
	/* By the index found just now; with -n there is none, and nothing is sent. */
	req = nl_build_setns(buf, sizeof(buf), info->index, info->name, l->target_ns, 0, false);
	if (!req)
		return err_set(e, errno, "%s", what);
	if (nl_act(l->r, &l->root, req, cmd, what, e) == 0)
		return 0;
	explain_move(info, e);
	return -1;
}

/* Moves the host's interface @name into the container; the undo moves it back. */
static int move(struct links *l, const char *name, struct err *e)
{
	struct nl_link info;
	struct undo u;

	if (find_in_host(l, name, &info, e) < 0)
		return -1;
	if (l->same)
		return 0;
	if (undo_prepare(l, &u, link_undo_move_back, &l->target, name, e) < 0)
		return -1;
	u.num = info.index;
	u.in_root = (info.flags & IFF_UP) != 0;
	if (send_move(l, &info, e) < 0)
		return -1;
	undo_push(l, &u, &l->target, "in the container");
	return 0;
}

/*
 * createInRoot: made in the host's namespace (a wireguard socket stays
 * there), then moved. One undo is recorded, deleting it where it ended up;
 * both are made ready before it is created, so neither can fail after.
 */
static int add_in_root(struct links *l, const char *name, const char *kind, struct err *e)
{
	uint32_t buf[NL_REQ_SIZE / 4];
	char cmd[512], what[512];
	struct nlmsghdr *req;
	struct nl_link info;
	struct undo here, there;

	msg_cmd(cmd, sizeof(cmd), "ip link add name %s type %s", msg_quote(name), msg_quote(kind));
	snprintf(what, sizeof(what), "create %s %s " HOST, kind, name);
	req = nl_build_newlink(buf, sizeof(buf), name, kind, NULL, -1);
	if (!req)
		return err_set(e, errno, "%s", what);
	if (l->same)
		return create(l, &l->root, req, cmd, what, &l->root, name, HOST, e);
	if (undo_prepare(l, &here, link_undo_delete, &l->root, name, e) < 0)
		return -1;
	if (undo_prepare(l, &there, link_undo_delete, &l->target, name, e) < 0)
		return -1;
	if (nl_act(l->r, &l->root, req, cmd, what, e) < 0) {
		if (e->errnum == EEXIST)
			say_taken(e, &l->root, name, HOST);
		return -1;
	}
	if (find_in_host(l, name, &info, e) < 0 || send_move(l, &info, e) < 0) {
		undo_push(l, &here, &l->root, HOST);
		return -1;
	}
	undo_push(l, &there, &l->target, "in the container");
	return 0;
}

/* ---- creates, in batches ------------------------------------------------------ */

/*
 * Whether @iface is a create that one request makes where it belongs: a
 * veth (each end where it belongs, whatever createInRoot says), or another
 * kind made in the container. It can wait in a batch; a move, and
 * createInRoot, need an answer before their next request.
 */
static bool batched(const struct config_iface *iface)
{
	const char *kind = link_kind(iface);

	return kind && (!strcmp(kind, "veth") || !iface->create_in_root);
}

/*
 * The index of each link the last batch made, in the namespace its undo
 * deletes it in, so that the undo stays right if something renames it; 0
 * when it cannot be had: the undo then goes by name.
 */
static void find_indexes(struct links *l)
{
	struct pending *p;
	size_t i;
	int index;

	for (i = 0; i < l->npending; i++) {
		p = &l->pending[i];
		if (p->status == 0 && (index = nl_link_index(p->undo_nl, p->undo_name)) > 0)
			p->index = index;
	}
}

/*
 * Sends the creates waiting in the batch; records an undo for each one the
 * kernel made (any of them: it goes on past a refusal), in order, and logs
 * it; then reports the first refusal, with the entry it came from.
 */
static int send_creates(struct links *l, struct err *e)
{
	struct pending *p;
	struct undo u;
	int refused;
	size_t i;

	if (l->npending == 0)
		return 0;
	refused = nl_batch_send(&l->batch, in_target(l), NULL, NULL, e);
	for (i = 0; i < l->npending; i++)
		l->pending[i].status = l->batch.status[i];
	find_indexes(l);
	for (i = 0; i < l->npending; i++) {
		p = &l->pending[i];
		if (p->status != 0)
			continue;
		memset(&u, 0, sizeof(u));
		u.fn = link_undo_delete;
		u.dirfd = -1;
		u.fd = -1;
		u.fd2 = p->undo_nl == &l->root ? l->kept_root : l->kept_target;
		u.num = p->index;
		snprintf(u.name, sizeof(u.name), "%s", p->undo_name);
		u.shown = strdup(p->undo_where);
		journal_push(&l->r->journal, &u);
		sys_done(l->r, p->cmd);
	}
	if (refused != 0) {
		/* @e is about the first request the kernel did not make. */
		for (i = 0; l->pending[i].status == 0; i++)
			;
		p = &l->pending[i];
		l->entry = p->entry;
		if (e->errnum == EEXIST && p->peer) {
			say_taken(e, in_target(l), p->name, l->there);
			say_taken(e, &l->root, p->peer, HOST);
		} else if (e->errnum == EEXIST) {
			say_taken(e, p->undo_nl, p->name, p->undo_where);
		}
	}
	l->npending = 0;
	return refused ? -1 : 0;
}

/*
 * Adds the create @iface asks for to the batch, which goes out when it is
 * full or an entry that cannot wait comes; with -n, plans it at once.
 * A veth is one request, sent in the container's namespace: NAME is made
 * there and PEER in ours (IFLA_NET_NS_FD), and the undo deletes PEER, which
 * deletes both. Another kind is made in the container's namespace.
 */
static int queue_create(struct links *l, const struct config_iface *iface, struct err *e)
{
	const char *kind = link_kind(iface), *name = iface->name, *peer = iface->peer;
	uint32_t buf[NL_REQ_SIZE / 4];
	struct nlmsghdr *req;
	struct pending *p;
	struct err earlier;

	if (nl_batch_full(&l->batch) && send_creates(l, e) < 0)
		return -1;
	p = &l->pending[l->npending];
	memset(p, 0, sizeof(*p));
	p->entry = l->entry;
	p->name = name;
	if (!strcmp(kind, "veth")) {
		if (!peer)
			return err_set(e, 0, "a veth needs a peer");
		p->peer = peer;
		/* ip-link(8) words from the host's side: PEER here, NAME over there. */
		snprintf(p->cmd, sizeof(p->cmd), "ip link add %s type veth peer name %s%s",
			 msg_quote(peer), msg_quote(name), l->netns);
		snprintf(p->what, sizeof(p->what), "create veth %s (peer %s) %s", name, peer,
			 l->there);
		req = nl_build_newlink(buf, sizeof(buf), name, "veth", peer, l->self_ns);
		p->undo_nl = &l->root;
		p->undo_name = peer;
		p->undo_where = HOST;
	} else {
		snprintf(p->cmd, sizeof(p->cmd), "ip link add name %s%s type %s", msg_quote(name),
			 l->netns, msg_quote(kind));
		snprintf(p->what, sizeof(p->what), "create %s %s %s", kind, name, l->there);
		req = nl_build_newlink(buf, sizeof(buf), name, kind, NULL, -1);
		p->undo_nl = in_target(l);
		p->undo_name = name;
		p->undo_where = l->there;
	}
	if (!req)
		return err_set(e, errno, "%s", p->what);
	if (sys_begin(l->r, p->cmd, e) < 0) {
		/* A stop or a fault comes after what was asked before it is done. */
		if (send_creates(l, &earlier) < 0)
			*e = earlier;
		return -1;
	}
	if (l->r->dry_run) {
		sys_done(l->r, p->cmd);
		return 0;
	}
	/* Its undo record cannot fail to be kept once the kernel has made it. */
	if (kept_socket(l, p->undo_nl, e) < 0 ||
	    journal_reserve_n(&l->r->journal, l->npending + 1, e) < 0)
		return -1;
	nl_batch_add(&l->batch, req, p->what);
	l->npending++;
	return 0;
}

/* An entry that cannot wait in a batch: a move, or createInRoot. */
static int link_one(struct links *l, const struct config_iface *iface, struct err *e)
{
	const char *kind = link_kind(iface);

	if (!kind)
		return move(l, iface->name, e);
	return add_in_root(l, iface->name, kind, e);
}

static int link_step(struct run *r, const struct config *c, struct err *e)
{
	struct links l;
	size_t i;
	int rc;

	if (!c->nifaces)
		return 0;
	if (links_open(&l, r, e) < 0) {
		links_close(&l);
		return -1;
	}
	/* Creates wait in a batch; what cannot wait sends them first, keeping the order. */
	for (i = 0, rc = 0; i < c->nifaces && rc == 0; i++) {
		l.entry = i;
		if (batched(&c->ifaces[i]))
			rc = queue_create(&l, &c->ifaces[i], e);
		else if ((rc = send_creates(&l, e)) == 0)
			rc = link_one(&l, &c->ifaces[i], e);
	}
	if (rc == 0)
		rc = send_creates(&l, e);
	if (rc < 0)
		err_prefix(e, ".interfaces[%zu] (%s)", l.entry, c->ifaces[l.entry].name);
	/* The journal keeps its own duplicates of the sockets. */
	links_close(&l);
	return rc;
}

/*
 * Whether @name is in the host namespace when entry @i runs: as it is now
 * (@now), then as entries 0..@i-1 change it: a veth's peer is made there; a
 * createInRoot link is made there and moved away, and a moved one leaves.
 * *@by: the last entry that changed it, or -1.
 */
static bool host_has(const struct config *c, size_t i, const char *name, bool now, long *by)
{
	size_t j;

	*by = -1;
	for (j = 0; j < i; j++) {
		const struct config_iface *f = &c->ifaces[j];
		const char *kind = link_kind(f);

		if (kind && !strcmp(kind, "veth")) {
			if (!strcmp(f->peer, name)) {
				now = true;
				*by = (long)j;
			}
		} else if ((!kind || f->create_in_root) && !strcmp(f->name, name)) {
			now = false;
			*by = (long)j;
		}
	}
	return now;
}

static int link_check(struct run *r, const struct config *c, struct err *e)
{
	char by_shown[48] = "";
	const char *kind, *name, *what;
	struct nl root;
	int rc = 0, idx;
	size_t i;
	long by;
	bool has;

	(void)r;
	if (nl_open(&root, -1, -1, e) < 0)
		return -1;
	for (i = 0; i < c->nifaces && rc == 0; i++) {
		const struct config_iface *f = &c->ifaces[i];

		kind = link_kind(f);
		name = !kind ? f->name : !strcmp(kind, "veth") ? f->peer
				       : f->create_in_root ? f->name : NULL;
		if (!name)
			continue;
		/* What cannot be looked up now is left to the entry. */
		idx = nl_link_index(&root, name);
		if (idx < 0 && errno != ENODEV)
			continue;
		has = host_has(c, i, name, idx > 0, &by);
		if (by >= 0)
			snprintf(by_shown, sizeof(by_shown), " (after .interfaces[%ld])", by);
		else
			by_shown[0] = '\0';
		if (!kind && !has)
			rc = err_set(e, ENODEV, ".interfaces[%zu] (%s): there is no %s " HOST
				     " to move%s", i, f->name, name, by_shown);
		else if (kind && has) {
			what = !strcmp(kind, "veth") ? "the veth's peer is made"
						     : "createInRoot makes it first";
			rc = err_set(e, EEXIST, ".interfaces[%zu] (%s): %s is taken " HOST
				     "%s, where %s", i, f->name, name, by_shown, what);
		}
	}
	nl_close(&root);
	return rc;
}

const struct step step_link = {
	.name = "interfaces",
	.keys = CONFIG_INTERFACES,
	.needs_pid = true,
	.check = link_check,
	.run = link_step,
};
