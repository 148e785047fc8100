/*
 * nl.c - the netlink request layer on libmnl (nl.h).
 *
 * Follows netlink(7), rtnetlink(7), the kernel's
 * Documentation/userspace-api/netlink/intro.rst (requests, acknowledgements,
 * extended acks) and libmnl's examples/rtnl/rtnl-link-set.c; grown the way
 * iproute2's lib/mnl_utils.c grows them (extended acks, capped acks).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <linux/veth.h>

#include "nl.h"
#include "sys.h"

/*
 * Sequence numbers come from one counter for the whole process rather than
 * one per socket: an undo may reach a socket again through a duplicate of
 * its descriptor (nl_fdopen()), and must never reuse a number. 0 is skipped:
 * libmnl takes it as "do not check".
 */
static unsigned int nl_seq;

static unsigned int next_seq(void)
{
	if (++nl_seq == 0)
		++nl_seq;
	return nl_seq;
}

int nl_open(struct nl *nl, int netns_fd, int self_fd, struct err *e)
{
	struct mnl_socket *sock;
	int one = 1, saved;

	nl->sock = NULL;
	nl->portid = 0;
	/*
	 * A socket belongs to the namespace it was made in, for life: enter the
	 * target only long enough to make it. Nothing else runs in between
	 * (prepbox has a single thread).
	 */
	if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET) < 0)
		return err_set(e, errno, "enter the network namespace (setns)");
	sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	saved = errno;
	if (netns_fd >= 0 && setns(self_fd, CLONE_NEWNET) < 0) {
		err_set(e, errno, "go back to our own network namespace (setns)");
		if (sock)
			mnl_socket_close(sock);
		return -1;
	}
	if (!sock)
		return err_set(e, saved, "open a netlink socket");
	if (mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		err_set(e, errno, "bind a netlink socket");
		mnl_socket_close(sock);
		return -1;
	}
	/* Kernels before 4.12 (4.3) lack these: errors then come without text. */
	(void)mnl_socket_setsockopt(sock, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)mnl_socket_setsockopt(sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->sock = sock;
	nl->portid = mnl_socket_get_portid(sock);
	return 0;
}

int nl_fdopen(struct nl *nl, int fd, struct err *e)
{
	int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);

	nl->sock = NULL;
	nl->portid = 0;
	if (dup_fd < 0)
		return err_set(e, errno, "duplicate the netlink socket");
	nl->sock = mnl_socket_fdopen(dup_fd);
	if (!nl->sock) {
		err_set(e, errno ? errno : ENOMEM, "reopen the netlink socket");
		close(dup_fd);
		return -1;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	return 0;
}

int nl_fd(const struct nl *nl)
{
	return nl->sock ? mnl_socket_get_fd(nl->sock) : -1;
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
	nl->portid = 0;
}

/* ---- request builders ---------------------------------------------------- */

/* ---- replies ------------------------------------------------------------- */

struct reply {
	nl_msg_fn fn;
	void *arg;
	const char *what;
	struct err *e;
	bool failed; /* @e is set */
	bool done;   /* the acknowledgement came */
};

static int on_data(const struct nlmsghdr *nlh, void *data)
{
	struct reply *rp = data;

	if (rp->fn && rp->fn(nlh, rp->arg, rp->e) < 0) {
		rp->failed = true;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

struct ext {
	const char *msg;
	int miss_type;
};

static int ext_attr(const struct nlattr *attr, void *data)
{
	struct ext *x = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			x->msg = mnl_attr_get_str(attr);
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			x->miss_type = (int)mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

/* Keeps the extended-ack text that follows the error in @nlh, if any. */
static void keep_ext(const struct nlmsghdr *nlh, const struct nlmsgerr *err, struct err *e)
{
	size_t off = sizeof(*err), plen = mnl_nlmsg_get_payload_len(nlh);
	struct ext x = { NULL, -1 };
	char text[64];

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	/* Uncapped, the request we sent comes back before the attributes. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (err->msg.nlmsg_len < sizeof(struct nlmsghdr))
			return;
		off += MNL_ALIGN(err->msg.nlmsg_len - sizeof(struct nlmsghdr));
	}
	if (off >= plen)
		return;
	mnl_attr_parse(nlh, (unsigned int)off, ext_attr, &x);
	if (x.msg) {
		err_set_ext(e, x.msg);
	} else if (x.miss_type >= 0) {
		snprintf(text, sizeof(text), "missing attribute %d", x.miss_type);
		err_set_ext(e, text);
	}
}

static int on_error(const struct nlmsghdr *nlh, void *data)
{
	struct reply *rp = data;
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

	rp->failed = true;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err)) {
		err_set(rp->e, EBADMSG, "%s: truncated netlink error message", rp->what);
		return MNL_CB_ERROR;
	}
	if (err->error == 0) {
		rp->failed = false;
		rp->done = true;
		return MNL_CB_STOP;
	}
	err_set(rp->e, err->error < 0 ? -err->error : EPROTO, "%s", rp->what);
	keep_ext(nlh, err, rp->e);
	return MNL_CB_ERROR;
}

static int on_done(const struct nlmsghdr *nlh, void *data)
{
	struct reply *rp = data;
	int error = 0;

	/* A dump that failed half way says so in NLMSG_DONE's payload. */
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(error))
		memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
	if (error < 0) {
		rp->failed = true;
		err_set(rp->e, -error, "%s", rp->what);
		return MNL_CB_ERROR;
	}
	rp->done = true;
	return MNL_CB_STOP;
}

int nl_parse_reply(const void *buf, size_t len, unsigned int seq, unsigned int portid, nl_msg_fn fn,
		   void *arg, const char *what, struct err *e)
{
	struct reply rp = { fn, arg, what, e, false, false };
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = { NULL };
	int rc;

	ctl[NLMSG_ERROR] = on_error;
	ctl[NLMSG_DONE] = on_done;
	errno = 0;
	rc = mnl_cb_run2(buf, len, seq, portid, on_data, &rp, ctl, MNL_ARRAY_SIZE(ctl));
	if (rc == MNL_CB_ERROR) {
		if (rp.failed)
			return -1;
		/* libmnl's own checks: ESRCH for the port id, EPROTO for the sequence. */
		if (errno == ESRCH)
			return err_set(e, EPROTO, "%s: netlink reply for another port than %u",
				       what, portid);
		if (errno == EPROTO)
			return err_set(e, EPROTO, "%s: netlink reply out of sequence (expected %u)",
				       what, seq);
		return err_set(e, errno ? errno : EPROTO, "%s: netlink reply", what);
	}
	return rc == MNL_CB_STOP && rp.done ? 0 : 1;
}

int nl_request(struct nl *nl, struct nlmsghdr *req, nl_msg_fn fn, void *arg, const char *what,
	       struct err *e)
{
	union {
		struct nlmsghdr align;
		char bytes[NL_RECV_SIZE];
	} buf;
	unsigned int seq;
	ssize_t n;
	int rc;

	if (!nl || !nl->sock)
		return err_set(e, EBADF, "%s: no netlink socket", what);
	seq = next_seq();
	req->nlmsg_seq = seq;
	req->nlmsg_pid = 0;
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return err_set(e, errno, "%s: send the netlink request", what);
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, buf.bytes, sizeof(buf.bytes));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_set(e, errno, "%s: receive the netlink reply", what);
		if (n == 0)
			return err_set(e, EPROTO, "%s: empty netlink reply", what);
		rc = nl_parse_reply(buf.bytes, (size_t)n, seq, nl->portid, fn, arg, what, e);
		if (rc <= 0)
			return rc;
	}
}

/* ---- batches ----------------------------------------------------------------- */

int nl_batch_init(struct nl_batch *b, struct err *e)
{
	b->n = b->answered = b->refused = 0;
	b->sent = false;
	b->mb = mnl_nlmsg_batch_start(b->buf.bytes, NL_BATCH_LIMIT);
	return b->mb ? 0 : err_set(e, ENOMEM, "start a netlink batch");
}

void nl_batch_free(struct nl_batch *b)
{
	if (b->mb)
		mnl_nlmsg_batch_stop(b->mb);
	b->mb = NULL;
}

bool nl_batch_full(const struct nl_batch *b)
{
	return !b->sent &&
	       (b->n == NL_BATCH_MAX || mnl_nlmsg_batch_size(b->mb) + NL_REQ_SIZE > NL_BATCH_LIMIT);
}

size_t nl_batch_add(struct nl_batch *b, const struct nlmsghdr *req, const char *what)
{
	struct nlmsghdr *nlh;

	if (b->sent) {
		b->n = 0;
		b->sent = false;
	}
	nlh = mnl_nlmsg_batch_current(b->mb);
	memcpy(nlh, req, req->nlmsg_len);
	nlh->nlmsg_seq = b->seq[b->n] = next_seq();
	nlh->nlmsg_pid = 0;
	/* Cannot overflow: nl_batch_full() kept NL_REQ_SIZE bytes free. */
	mnl_nlmsg_batch_next(b->mb);
	b->what[b->n] = what;
	b->status[b->n] = -1;
	return b->n++;
}

/* The words of request @i of @b, or of its last one past the end, for messages. */
static const char *batch_what(const struct nl_batch *b, size_t i)
{
	if (b->n == 0)
		return "netlink batch";
	return b->what[i < b->n ? i : b->n - 1];
}

/* The answer NLMSG_ERROR @nlh gives to request @i: done, or a refusal. */
static int batch_answer(struct nl_batch *b, size_t i, const struct nlmsghdr *nlh, struct err *e)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	int errnum;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err))
		return err_set(e, EBADMSG, "%s: truncated netlink error message", b->what[i]);
	errnum = err->error == 0 ? 0 : err->error < 0 ? -err->error : EPROTO;
	b->status[i] = errnum;
	b->answered++;
	if (errnum && b->refused++ == 0) {
		err_set(e, errnum, "%s", b->what[i]);
		keep_ext(nlh, err, e);
	}
	return 0;
}

int nl_batch_parse(struct nl_batch *b, const void *buf, size_t len, unsigned int portid,
		   nl_batch_fn fn, void *arg, struct err *e)
{
	const struct nlmsghdr *nlh = buf;
	int left = (int)len;
	size_t i;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		i = b->answered;
		if (i == b->n)
			return err_set(e, EPROTO, "%s: netlink reply after the last answer",
				       batch_what(b, i));
		if (!mnl_nlmsg_portid_ok(nlh, portid))
			return err_set(e, EPROTO, "%s: netlink reply for another port than %u",
				       b->what[i], portid);
		/* The kernel answers the requests in the order they came. */
		if (nlh->nlmsg_seq != b->seq[i])
			return err_set(e, EPROTO,
				       "%s: netlink reply out of sequence (expected %u, got %u)",
				       b->what[i], b->seq[i], nlh->nlmsg_seq);
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			if (batch_answer(b, i, nlh, e) < 0)
				return -1;
		} else if (nlh->nlmsg_type >= NLMSG_MIN_TYPE) {
			if (fn && fn(nlh, i, arg, e) < 0)
				return -1;
		} else if (nlh->nlmsg_type != NLMSG_NOOP) {
			return err_set(e, EPROTO, "%s: unexpected netlink message type %u",
				       b->what[i], nlh->nlmsg_type);
		}
	}
	if (left != 0)
		return err_set(e, EBADMSG, "%s: malformed netlink reply",
			       batch_what(b, b->answered));
	return b->answered == b->n ? 0 : 1;
}

int nl_batch_send(struct nl_batch *b, struct nl *nl, nl_batch_fn fn, void *arg, struct err *e)
{
	union {
		struct nlmsghdr align;
		char bytes[NL_RECV_SIZE];
	} buf;
	ssize_t n;
	int rc = 1;

	if (b->sent || b->n == 0)
		return 0;
	b->sent = true;
	b->answered = b->refused = 0;
	if (!nl || !nl->sock) {
		rc = err_set(e, EBADF, "%s: no netlink socket", b->what[0]);
	} else if (mnl_socket_sendto(nl->sock, mnl_nlmsg_batch_head(b->mb),
				     mnl_nlmsg_batch_size(b->mb)) < 0) {
		rc = err_set(e, errno, "%s: send the netlink request", b->what[0]);
	}
	while (rc == 1) {
		n = mnl_socket_recvfrom(nl->sock, buf.bytes, sizeof(buf.bytes));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = err_set(e, errno, "%s: receive the netlink reply",
				     batch_what(b, b->answered));
		else if (n == 0)
			rc = err_set(e, EPROTO, "%s: empty netlink reply",
				     batch_what(b, b->answered));
		else
			rc = nl_batch_parse(b, buf.bytes, (size_t)n, nl->portid, fn, arg, e);
	}
	mnl_nlmsg_batch_reset(b->mb);
	return rc < 0 ? -1 : (int)b->refused;
}

/* ---- links ----------------------------------------------------------------- */

struct link_reply {
	struct nl_link *l;
	const char *what;
	bool found;
};

static int on_link(const struct nlmsghdr *nlh, void *arg, struct err *e)
{
	struct link_reply *lr = arg;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return 0;
	if (nl_parse_link(nlh, lr->l) < 0)
		return err_set(e, EBADMSG, "%s: malformed answer", lr->what);
	lr->found = true;
	return 0;
}

int nl_link_get(struct nl *nl, int index, const char *name, struct nl_link *l, struct err *e)
{
	uint32_t buf[NL_REQ_SIZE / 4];
	struct link_reply lr = { l, NULL, false };
	struct nlmsghdr *req;
	char what[64];

	if (index > 0)
		snprintf(what, sizeof(what), "look up interface %d", index);
	else
		snprintf(what, sizeof(what), "look up %s", name ? name : "(null)");
	lr.what = what;
	req = nl_build_getlink(buf, sizeof(buf), index, name);
	if (!req)
		return err_set(e, errno, "%s", what);
	if (nl_request(nl, req, on_link, &lr, what, e) < 0)
		return -1;
	if (!lr.found)
		return err_set(e, ENODEV, "%s", what);
	return 0;
}

int nl_link_index(const struct nl *nl, const char *name)
{
	struct ifreq ifr;

	if (!nl_ifname_ok(name)) {
		errno = EINVAL;
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(nl_fd(nl), SIOCGIFINDEX, &ifr) < 0)
		return -1;
	return ifr.ifr_ifindex;
}

int nl_act(struct run *r, struct nl *nl, struct nlmsghdr *req, const char *cmd, const char *what,
	   struct err *e)
{
	if (sys_begin(r, cmd, e) < 0)
		return -1;
	if (r->dry_run) {
		sys_done(r, cmd);
		return 0;
	}
	if (nl_request(nl, req, NULL, NULL, what, e) < 0)
		return -1;
	sys_done(r, cmd);
	return 0;
}
