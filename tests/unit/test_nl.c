/*
 * test_nl.c - unit tests of the netlink request layer (nl.h), without root
 * and, but for one read-only lookup of lo, without the kernel: the bytes of
 * each request (checked against layouts written out here field by field, in
 * host byte order as netlink is), the parsing of acknowledgements and errors
 * with and without extended acks, capped and not, sequence and port-id
 * mismatches, data messages, the request loop and the action layer with
 * libmnl's send and receive swapped at link time, and batches: several
 * requests in one datagram, every answer read and given to its request,
 * against the fake and, read-only, against the kernel.
 *
 * netlink(7), rtnetlink(7), Documentation/userspace-api/netlink/intro.rst.
 *
 * WRAP: mnl_socket_sendto mnl_socket_recvfrom
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "autoconf.h"

#if ENABLE_PREP_LINK

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "nl.h"

/* ---- expected bytes, written out ------------------------------------------ */

struct bytes {
	union {
		struct nlmsghdr align;
		unsigned char b[4096];
	};
	size_t n;
};

static void put(struct bytes *x, const void *p, size_t n)
{
	memcpy(x->b + x->n, p, n);
	x->n += n;
}

static void put16(struct bytes *x, uint16_t v)
{
	put(x, &v, sizeof(v));
}

static void put32(struct bytes *x, uint32_t v)
{
	put(x, &v, sizeof(v));
}

static void pad(struct bytes *x)
{
	while (x->n % 4)
		x->b[x->n++] = 0;
}

/* struct nlmsghdr; the length is patched by end(). */
static void hdr(struct bytes *x, uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid)
{
	x->n = 0;
	put32(x, 0);
	put16(x, type);
	put16(x, flags);
	put32(x, seq);
	put32(x, pid);
}

/* struct ifinfomsg: family, pad, type, index, flags, change. */
static void ifinfo(struct bytes *x, int32_t index, uint32_t flags, uint32_t change)
{
	x->b[x->n++] = AF_UNSPEC;
	x->b[x->n++] = 0;
	put16(x, 0);
	put(x, &index, sizeof(index));
	put32(x, flags);
	put32(x, change);
}

static void attr_str(struct bytes *x, uint16_t type, const char *s)
{
	put16(x, (uint16_t)(4 + strlen(s) + 1));
	put16(x, type);
	put(x, s, strlen(s) + 1);
	pad(x);
}

static void attr_u32(struct bytes *x, uint16_t type, uint32_t v)
{
	put16(x, 8);
	put16(x, type);
	put32(x, v);
}

static size_t nest(struct bytes *x, uint16_t type)
{
	size_t at = x->n;

	put16(x, 0);
	put16(x, NLA_F_NESTED | type);
	return at;
}

static void nest_end(struct bytes *x, size_t at)
{
	uint16_t len = (uint16_t)(x->n - at);

	memcpy(x->b + at, &len, sizeof(len));
}

static void end(struct bytes *x)
{
	uint32_t len = (uint32_t)x->n;

	memcpy(x->b, &len, sizeof(len));
}

static void assert_request(const struct nlmsghdr *got, const struct bytes *want)
{
	assert_non_null(got);
	assert_int_equal(got->nlmsg_len, want->n);
	assert_memory_equal(got, want->b, want->n);
}

#define REQ NLM_F_REQUEST | NLM_F_ACK

/* ---- builders -------------------------------------------------------------- */

static uint32_t buf[NL_REQ_SIZE / 4];

static void getlink_by_name(void **state)
{
	struct bytes x;

	hdr(&x, RTM_GETLINK, REQ, 0, 0);
	ifinfo(&x, 0, 0, 0);
	attr_str(&x, IFLA_IFNAME, "eth0");
	attr_u32(&x, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	end(&x);
	assert_request(nl_build_getlink(buf, sizeof(buf), 0, "eth0"), &x);
}

static void getlink_by_index(void **state)
{
	struct bytes x;

	/* The index wins: no name is sent, even when one is given. */
	hdr(&x, RTM_GETLINK, REQ, 0, 0);
	ifinfo(&x, 7, 0, 0);
	attr_u32(&x, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	end(&x);
	assert_request(nl_build_getlink(buf, sizeof(buf), 7, "eth0"), &x);
}

static void newlink_veth(void **state)
{
	struct bytes x;
	size_t info, data, peer;

	hdr(&x, RTM_NEWLINK, REQ | NLM_F_CREATE | NLM_F_EXCL, 0, 0);
	ifinfo(&x, 0, 0, 0);
	attr_str(&x, IFLA_IFNAME, "eth0");
	info = nest(&x, IFLA_LINKINFO);
	attr_str(&x, IFLA_INFO_KIND, "veth");
	data = nest(&x, IFLA_INFO_DATA);
	peer = nest(&x, VETH_INFO_PEER);
	ifinfo(&x, 0, 0, 0);
	attr_str(&x, IFLA_IFNAME, "veth-a");
	attr_u32(&x, IFLA_NET_NS_FD, 7);
	nest_end(&x, peer);
	nest_end(&x, data);
	nest_end(&x, info);
	end(&x);
	assert_request(nl_build_newlink(buf, sizeof(buf), "eth0", "veth", "veth-a", 7), &x);
}

static void newlink_veth_peer_here(void **state)
{
	struct bytes x;
	size_t info, data, peer;

	/* -1: the peer stays in the socket's namespace; no IFLA_NET_NS_FD at all. */
	hdr(&x, RTM_NEWLINK, REQ | NLM_F_CREATE | NLM_F_EXCL, 0, 0);
	ifinfo(&x, 0, 0, 0);
	attr_str(&x, IFLA_IFNAME, "a");
	info = nest(&x, IFLA_LINKINFO);
	attr_str(&x, IFLA_INFO_KIND, "veth");
	data = nest(&x, IFLA_INFO_DATA);
	peer = nest(&x, VETH_INFO_PEER);
	ifinfo(&x, 0, 0, 0);
	attr_str(&x, IFLA_IFNAME, "b");
	nest_end(&x, peer);
	nest_end(&x, data);
	nest_end(&x, info);
	end(&x);
	assert_request(nl_build_newlink(buf, sizeof(buf), "a", "veth", "b", -1), &x);
}

static void newlink_kind(void **state)
{
	struct bytes x;
	size_t info;

	hdr(&x, RTM_NEWLINK, REQ | NLM_F_CREATE | NLM_F_EXCL, 0, 0);
	ifinfo(&x, 0, 0, 0);
	attr_str(&x, IFLA_IFNAME, "br0");
	info = nest(&x, IFLA_LINKINFO);
	attr_str(&x, IFLA_INFO_KIND, "bridge");
	nest_end(&x, info);
	end(&x);
	assert_request(nl_build_newlink(buf, sizeof(buf), "br0", "bridge", NULL, -1), &x);
}

static void setns_move(void **state)
{
	struct bytes x;
	const struct nlmsghdr *nlh;

	/* A move: neither NLM_F_CREATE nor NLM_F_EXCL, by index. */
	hdr(&x, RTM_NEWLINK, REQ, 0, 0);
	ifinfo(&x, 12, 0, 0);
	attr_u32(&x, IFLA_NET_NS_FD, 5);
	end(&x);
	nlh = nl_build_setns(buf, sizeof(buf), 12, "eth1", 5, 0, false);
	assert_request(nlh, &x);
	assert_int_equal(nlh->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL), 0);

	/* Moving back by name, up again, with the index it had there. */
	hdr(&x, RTM_NEWLINK, REQ, 0, 0);
	ifinfo(&x, 0, IFF_UP, IFF_UP);
	attr_str(&x, IFLA_IFNAME, "eth1");
	attr_u32(&x, IFLA_NET_NS_FD, 3);
	attr_u32(&x, IFLA_NEW_IFINDEX, 2);
	end(&x);
	assert_request(nl_build_setns(buf, sizeof(buf), 0, "eth1", 3, 2, true), &x);
}

static void dellink(void **state)
{
	struct bytes x;

	hdr(&x, RTM_DELLINK, REQ, 0, 0);
	ifinfo(&x, 9, 0, 0);
	end(&x);
	assert_request(nl_build_dellink(buf, sizeof(buf), 9, "veth-a"), &x);

	hdr(&x, RTM_DELLINK, REQ, 0, 0);
	ifinfo(&x, 0, 0, 0);
	attr_str(&x, IFLA_IFNAME, "veth-a");
	end(&x);
	assert_request(nl_build_dellink(buf, sizeof(buf), 0, "veth-a"), &x);
}

static void builder_errors(void **state)
{
	uint32_t small[12]; /* 48 bytes: a header and an ifinfomsg, little more */

	errno = 0;
	assert_null(nl_build_newlink(buf, sizeof(buf), "0123456789abcdef", "bridge", NULL, -1));
	assert_int_equal(errno, EINVAL);
	assert_non_null(nl_build_newlink(buf, sizeof(buf), "0123456789abcde", "bridge", NULL, -1));
	errno = 0;
	assert_null(nl_build_newlink(buf, sizeof(buf), "", "bridge", NULL, -1));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(nl_build_newlink(buf, sizeof(buf), "a", "", NULL, -1));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(nl_build_newlink(buf, sizeof(buf), "a", "veth", "0123456789abcdef", -1));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(nl_build_getlink(buf, sizeof(buf), 0, NULL));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(nl_build_setns(buf, sizeof(buf), 3, NULL, -1, 0, false));
	assert_int_equal(errno, EINVAL);
	/* Too small a buffer: refused, never overrun. */
	errno = 0;
	assert_null(nl_build_newlink(small, sizeof(small), "eth0", "veth", "veth-a", 7));
	assert_int_equal(errno, EMSGSIZE);
	errno = 0;
	assert_null(nl_build_dellink(small, 16, 1, NULL));
	assert_int_equal(errno, EMSGSIZE);
}

/* ---- replies ------------------------------------------------------------- */

#define PORT 4242u
#define SEQ 77u

/* An NLMSG_ERROR answering a request of @req_len bytes (as sent), @error. */
static void error_msg(struct bytes *x, int32_t error, uint16_t flags, uint32_t seq, uint32_t pid,
		      size_t req_len)
{
	size_t i;

	hdr(x, NLMSG_ERROR, flags, seq, pid);
	put(x, &error, sizeof(error));
	/* The request's header, as echoed back... */
	put32(x, (uint32_t)req_len);
	put16(x, RTM_NEWLINK);
	put16(x, REQ | NLM_F_CREATE | NLM_F_EXCL);
	put32(x, seq);
	put32(x, pid);
	/* ...and, unless capped, its payload. */
	if (!(flags & NLM_F_CAPPED))
		for (i = sizeof(struct nlmsghdr); i < req_len; i++)
			x->b[x->n++] = 0xa5;
}

static void ack(struct bytes *x, uint32_t seq, uint32_t pid)
{
	error_msg(x, 0, NLM_F_CAPPED, seq, pid, sizeof(struct nlmsghdr));
	end(x);
}

static int parse(const struct bytes *x, struct err *e)
{
	return nl_parse_reply(x->b, x->n, SEQ, PORT, NULL, NULL, "create dummy dm0", e);
}

static void reply_ack(void **state)
{
	struct err e = { 0 };
	struct bytes x;

	ack(&x, SEQ, PORT);
	assert_int_equal(parse(&x, &e), 0);
	/* Messages from the kernel with port 0 pass the port check. */
	ack(&x, SEQ, 0);
	assert_int_equal(parse(&x, &e), 0);
}

static void reply_error_ext_capped(void **state)
{
	struct err e = { 0 };
	struct bytes x;

	error_msg(&x, -EOPNOTSUPP, NLM_F_CAPPED | NLM_F_ACK_TLVS, SEQ, PORT, 60);
	attr_str(&x, NLMSGERR_ATTR_MSG, "Unknown device type");
	attr_u32(&x, NLMSGERR_ATTR_OFFS, 36);
	end(&x);
	assert_int_equal(parse(&x, &e), -1);
	assert_int_equal(e.errnum, EOPNOTSUPP);
	assert_string_equal(e.msg, "create dummy dm0");
	assert_string_equal(e.ext, "Unknown device type");
}

static void reply_error_ext_uncapped(void **state)
{
	struct err e = { 0 };
	struct bytes x;

	/* The whole request (56 bytes) comes back first; the attributes follow it. */
	error_msg(&x, -EEXIST, NLM_F_ACK_TLVS, SEQ, PORT, 56);
	attr_str(&x, NLMSGERR_ATTR_MSG, "Interface exists");
	end(&x);
	assert_int_equal(parse(&x, &e), -1);
	assert_int_equal(e.errnum, EEXIST);
	assert_string_equal(e.ext, "Interface exists");
}

static void reply_error_plain(void **state)
{
	struct err e = { 0 };
	struct bytes x;

	error_msg(&x, -EPERM, NLM_F_CAPPED, SEQ, PORT, 60);
	end(&x);
	strcpy(e.ext, "stale");
	assert_int_equal(parse(&x, &e), -1);
	assert_int_equal(e.errnum, EPERM);
	assert_string_equal(e.ext, "");

	/* Attributes without NLM_F_ACK_TLVS are not ours to read. */
	error_msg(&x, -EPERM, NLM_F_CAPPED, SEQ, PORT, 60);
	attr_str(&x, NLMSGERR_ATTR_MSG, "not flagged");
	end(&x);
	assert_int_equal(parse(&x, &e), -1);
	assert_string_equal(e.ext, "");
}

static void reply_error_missing_attr(void **state)
{
	struct err e = { 0 };
	struct bytes x;

	error_msg(&x, -EINVAL, NLM_F_CAPPED | NLM_F_ACK_TLVS, SEQ, PORT, 60);
	attr_u32(&x, NLMSGERR_ATTR_MISS_TYPE, IFLA_IFNAME);
	end(&x);
	assert_int_equal(parse(&x, &e), -1);
	assert_int_equal(e.errnum, EINVAL);
	assert_string_equal(e.ext, "missing attribute 3");
}

static void reply_error_bad_tlvs(void **state)
{
	struct err e = { 0 };
	struct bytes x;

	/* An echoed length pointing past the message: no text, no overrun. */
	error_msg(&x, -EINVAL, NLM_F_ACK_TLVS | NLM_F_CAPPED, SEQ, PORT, 60);
	put16(&x, 200); /* an attribute claiming more than there is */
	put16(&x, NLMSGERR_ATTR_MSG);
	put(&x, "abc", 4);
	end(&x);
	assert_int_equal(parse(&x, &e), -1);
	assert_int_equal(e.errnum, EINVAL);
	assert_string_equal(e.ext, "");

	error_msg(&x, -EINVAL, NLM_F_ACK_TLVS, SEQ, PORT, 16);
	memcpy(x.b + 20, &(uint32_t){ 0xfffff000u }, 4); /* echoed nlmsg_len */
	attr_str(&x, NLMSGERR_ATTR_MSG, "lost");
	end(&x);
	assert_int_equal(parse(&x, &e), -1);
	assert_string_equal(e.ext, "");

	/* A message without a NUL is no string. */
	error_msg(&x, -EINVAL, NLM_F_ACK_TLVS | NLM_F_CAPPED, SEQ, PORT, 60);
	put16(&x, 8);
	put16(&x, NLMSGERR_ATTR_MSG);
	put(&x, "abcd", 4);
	end(&x);
	assert_int_equal(parse(&x, &e), -1);
	assert_string_equal(e.ext, "");
}

static void reply_truncated_error(void **state)
{
	struct err e = { 0 };
	struct bytes x;

	hdr(&x, NLMSG_ERROR, 0, SEQ, PORT);
	put32(&x, (uint32_t)-EPERM); /* error, but no echoed header */
	end(&x);
	assert_int_equal(parse(&x, &e), -1);
	assert_int_equal(e.errnum, EBADMSG);
}

static void reply_seq_mismatch(void **state)
{
	struct err e = { 0 };
	struct bytes x;

	ack(&x, SEQ + 1, PORT);
	assert_int_equal(parse(&x, &e), -1);
	assert_int_equal(e.errnum, EPROTO);
	assert_non_null(strstr(e.msg, "create dummy dm0: "));
	assert_non_null(strstr(e.msg, "sequence"));
}

static void reply_port_mismatch(void **state)
{
	struct err e = { 0 };
	struct bytes x;

	ack(&x, SEQ, PORT + 1);
	assert_int_equal(parse(&x, &e), -1);
	assert_int_equal(e.errnum, EPROTO);
	assert_non_null(strstr(e.msg, "port"));
}

/* An RTM_NEWLINK as the kernel answers RTM_GETLINK. */
static void newlink_msg(struct bytes *x, uint32_t seq, int32_t index, uint32_t flags,
			const char *name, const char *kind)
{
	size_t info;

	hdr(x, RTM_NEWLINK, 0, seq, PORT);
	ifinfo(x, index, flags, 0);
	attr_u32(x, IFLA_MTU, 1500);
	if (name)
		attr_str(x, IFLA_IFNAME, name);
	if (kind) {
		info = nest(x, IFLA_LINKINFO);
		attr_str(x, IFLA_INFO_KIND, kind);
		nest_end(x, info);
	}
	end(x);
}

struct seen {
	int n;
	struct nl_link l;
	int fail;
};

static int on_msg(const struct nlmsghdr *nlh, void *arg, struct err *e)
{
	struct seen *s = arg;

	s->n++;
	if (s->fail)
		return err_set(e, ENOMEM, "caller");
	return nl_parse_link(nlh, &s->l) < 0 ? err_set(e, errno, "parse") : 0;
}

static void reply_data_then_ack(void **state)
{
	struct seen s = { 0 };
	struct err e = { 0 };
	struct bytes x, y;
	unsigned char dgram[8192];

	newlink_msg(&x, SEQ, 4, IFF_UP, "br0", "bridge");
	ack(&y, SEQ, PORT);
	memcpy(dgram, x.b, x.n);
	memcpy(dgram + x.n, y.b, y.n);
	assert_int_equal(nl_parse_reply(dgram, x.n + y.n, SEQ, PORT, on_msg, &s, "look up br0", &e),
			 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.l.index, 4);
	assert_string_equal(s.l.name, "br0");
	assert_string_equal(s.l.kind, "bridge");
	assert_int_equal(s.l.flags, IFF_UP);

	/* Data alone: the acknowledgement is still to come. */
	s.n = 0;
	assert_int_equal(nl_parse_reply(x.b, x.n, SEQ, PORT, on_msg, &s, "look up br0", &e), 1);
	assert_int_equal(s.n, 1);

	/* The caller's error ends it. */
	s.fail = 1;
	assert_int_equal(nl_parse_reply(dgram, x.n + y.n, SEQ, PORT, on_msg, &s, "look up", &e),
			 -1);
	assert_int_equal(e.errnum, ENOMEM);
	assert_string_equal(e.msg, "caller");
}

static void parse_link(void **state)
{
	struct nl_link l;
	struct bytes x;

	newlink_msg(&x, 1, 1, IFF_LOOPBACK | IFF_UP, "lo", NULL);
	assert_int_equal(nl_parse_link(&x.align, &l), 0);
	assert_string_equal(l.name, "lo");
	assert_string_equal(l.kind, "");
	assert_int_equal(l.flags, IFF_LOOPBACK | IFF_UP);

	newlink_msg(&x, 1, 3, 0, NULL, "veth");
	errno = 0;
	assert_int_equal(nl_parse_link(&x.align, &l), -1);
	assert_int_equal(errno, EBADMSG);

	ack(&x, 1, 1);
	assert_int_equal(nl_parse_link(&x.align, &l), -1);
	assert_int_equal(errno, EBADMSG);
}

/* ---- the request loop and the action layer, over a fake kernel ------------------ */

/*
 * Markers the fake kernel replaces with the sequence number of the (first)
 * request it was sent, plus 0 to 7: the requests of a batch are numbered
 * one after the other.
 */
#define SEQ_REQ 0xfffffff0u
#define SEQ_NEXT 0xfffffff1u

static struct {
	bool on;
	struct bytes sent;
	int nsent;
	struct bytes replies[8];
	int nreplies, next;
} fake;

ssize_t __real_mnl_socket_sendto(const struct mnl_socket *nl, const void *req, size_t siz);
ssize_t __real_mnl_socket_recvfrom(const struct mnl_socket *nl, void *buf, size_t siz);

ssize_t __wrap_mnl_socket_sendto(const struct mnl_socket *nl, const void *req, size_t siz)
{
	if (!fake.on)
		return __real_mnl_socket_sendto(nl, req, siz);
	fake.sent.n = 0;
	put(&fake.sent, req, siz);
	fake.nsent++;
	return (ssize_t)siz;
}

ssize_t __wrap_mnl_socket_recvfrom(const struct mnl_socket *nl, void *out, size_t siz)
{
	struct bytes *r;
	struct nlmsghdr *nlh;
	int len;

	if (!fake.on)
		return __real_mnl_socket_recvfrom(nl, out, siz);
	/* Nothing more to read would block: a test that gets here is wrong. */
	assert_true(fake.next < fake.nreplies);
	r = &fake.replies[fake.next++];
	len = (int)r->n;
	for (nlh = (struct nlmsghdr *)r->b; mnl_nlmsg_ok(nlh, len);
	     nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_seq >= SEQ_REQ && nlh->nlmsg_seq < SEQ_REQ + 8)
			nlh->nlmsg_seq = fake.sent.align.nlmsg_seq + (nlh->nlmsg_seq - SEQ_REQ);
	}
	memcpy(out, r->b, r->n);
	return (ssize_t)r->n;
}

static int fake_setup(void **state)
{
	memset(&fake, 0, sizeof(fake));
	fake.on = true;
	return 0;
}

static int fake_teardown(void **state)
{
	fake.on = false;
	run_stop_signal = 0;
	return 0;
}

static int dummy_sock;
#define FAKE_NL                                                                                    \
	{                                                                                          \
		(struct mnl_socket *)&dummy_sock, PORT                                             \
	}

static void request_lookup(void **state)
{
	struct nl nl = FAKE_NL;
	struct err e = { 0 };
	struct nl_link l;
	uint32_t first;

	/* The answer, and the acknowledgement in a datagram of its own. */
	newlink_msg(&fake.replies[0], SEQ_REQ, 5, 0, "eth0", "veth");
	ack(&fake.replies[1], SEQ_REQ, PORT);
	fake.nreplies = 2;
	assert_int_equal(nl_link_get(&nl, 0, "eth0", &l, &e), 0);
	assert_int_equal(l.index, 5);
	assert_string_equal(l.kind, "veth");
	assert_int_equal(fake.nsent, 1);
	assert_int_equal(fake.sent.align.nlmsg_type, RTM_GETLINK);
	assert_int_equal(fake.sent.align.nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	first = fake.sent.align.nlmsg_seq;
	assert_int_not_equal(first, 0);

	/* The next request has the next number; an answer without data is ENODEV. */
	ack(&fake.replies[2], SEQ_REQ, PORT);
	fake.nreplies = 3;
	assert_int_equal(nl_link_get(&nl, 0, "eth9", &l, &e), -1);
	assert_int_equal(e.errnum, ENODEV);
	assert_string_equal(e.msg, "look up eth9");
	assert_int_equal(fake.sent.align.nlmsg_seq, first + 1);
}

static void request_kernel_error(void **state)
{
	struct nl nl = FAKE_NL;
	struct err e = { 0 };
	struct nlmsghdr *req = nl_build_newlink(buf, sizeof(buf), "dm0", "dummy", NULL, -1);

	error_msg(&fake.replies[0], -EOPNOTSUPP, NLM_F_CAPPED | NLM_F_ACK_TLVS, SEQ_REQ, PORT, 48);
	attr_str(&fake.replies[0], NLMSGERR_ATTR_MSG, "Unknown device type");
	end(&fake.replies[0]);
	fake.nreplies = 1;
	assert_int_equal(nl_request(&nl, req, NULL, NULL, "create dummy dm0", &e), -1);
	assert_int_equal(e.errnum, EOPNOTSUPP);
	assert_string_equal(e.msg, "create dummy dm0");
	assert_string_equal(e.ext, "Unknown device type");
}

static void request_stale_reply(void **state)
{
	struct nl nl = FAKE_NL;
	struct err e = { 0 };
	struct nlmsghdr *req = nl_build_dellink(buf, sizeof(buf), 3, NULL);

	ack(&fake.replies[0], SEQ_NEXT, PORT);
	fake.nreplies = 1;
	assert_int_equal(nl_request(&nl, req, NULL, NULL, "delete", &e), -1);
	assert_int_equal(e.errnum, EPROTO);
}

static void request_closed(void **state)
{
	struct nl nl = { NULL, 0 };
	struct err e = { 0 };
	struct nlmsghdr *req = nl_build_dellink(buf, sizeof(buf), 3, NULL);

	assert_int_equal(nl_request(&nl, req, NULL, NULL, "delete", &e), -1);
	assert_int_equal(e.errnum, EBADF);
	assert_int_equal(fake.nsent, 0);
}

static void act_sends_and_counts(void **state)
{
	struct nl nl = FAKE_NL;
	struct err e = { 0 };
	struct run r;
	struct nlmsghdr *req = nl_build_setns(buf, sizeof(buf), 4, NULL, 9, 0, false);

	run_init(&r);
	ack(&fake.replies[0], SEQ_REQ, PORT);
	fake.nreplies = 1;
	assert_int_equal(nl_act(&r, &nl, req, "ip link set eth1 netns 42", "move eth1", &e), 0);
	assert_int_equal(fake.nsent, 1);
	assert_int_equal(r.actions, 1);
	run_free(&r);
}

static void act_dry_run_sends_nothing(void **state)
{
	struct err e = { 0 };
	struct run r;
	struct nlmsghdr *req = nl_build_setns(buf, sizeof(buf), 4, NULL, 9, 0, false);

	run_init(&r);
	r.dry_run = true;
	/* No socket at all: -n must not need one. */
	assert_int_equal(nl_act(&r, NULL, req, "ip link set eth1 netns 42", "move eth1", &e), 0);
	assert_int_equal(fake.nsent, 0);
	assert_int_equal(r.actions, 1);
	run_free(&r);
}

static void act_fault_and_stop(void **state)
{
	struct nl nl = FAKE_NL;
	struct err e = { 0 };
	struct run r;
	struct nlmsghdr *req = nl_build_setns(buf, sizeof(buf), 4, NULL, 9, 0, false);

	run_init(&r);
	r.fail_at = 1;
	assert_int_equal(nl_act(&r, &nl, req, "ip link set eth1 netns 42", "move eth1", &e), -1);
	assert_int_equal(e.errnum, EIO);
	assert_int_equal(fake.nsent, 0);

	r.fail_at = 0;
	run_stop_signal = SIGTERM;
	assert_int_equal(nl_act(&r, &nl, req, "ip link set eth1 netns 42", "move eth1", &e), -1);
	assert_non_null(strstr(e.msg, "stopped by signal"));
	assert_int_equal(fake.nsent, 0);
	run_free(&r);
}

/* ---- batches ------------------------------------------------------------------- */

static void batch_one_datagram_every_answer(void **state)
{
	struct nl nl = FAKE_NL;
	struct err e = { 0 };
	struct nl_batch b;
	const char *names[3] = { "a0", "a1", "a2" };
	const struct nlmsghdr *nlh;
	struct nlmsghdr *req;
	int i, left;

	assert_int_equal(nl_batch_init(&b, &e), 0);
	for (i = 0; i < 3; i++) {
		req = nl_build_newlink(buf, sizeof(buf), names[i], "bridge", NULL, -1);
		assert_int_equal(nl_batch_add(&b, req, names[i]), i);
	}
	/* The second is refused; the kernel goes on with the third all the same. */
	ack(&fake.replies[0], SEQ_REQ, PORT);
	error_msg(&fake.replies[1], -EEXIST, NLM_F_CAPPED | NLM_F_ACK_TLVS, SEQ_REQ + 1, PORT, 48);
	attr_str(&fake.replies[1], NLMSGERR_ATTR_MSG, "Interface exists");
	end(&fake.replies[1]);
	ack(&fake.replies[2], SEQ_REQ + 2, PORT);
	fake.nreplies = 3;
	assert_int_equal(nl_batch_send(&b, &nl, NULL, NULL, &e), 1);
	assert_int_equal(fake.nsent, 1);
	assert_int_equal(fake.next, 3);
	assert_int_equal(b.status[0], 0);
	assert_int_equal(b.status[1], EEXIST);
	assert_int_equal(b.status[2], 0);
	assert_int_equal(e.errnum, EEXIST);
	assert_string_equal(e.msg, "a1");
	assert_string_equal(e.ext, "Interface exists");

	/* One datagram: three requests, numbered one after the other, each with an ack asked. */
	nlh = &fake.sent.align;
	left = (int)fake.sent.n;
	for (i = 0; i < 3; i++, nlh = mnl_nlmsg_next(nlh, &left)) {
		assert_true(mnl_nlmsg_ok(nlh, left));
		assert_int_equal(nlh->nlmsg_type, RTM_NEWLINK);
		assert_int_equal(nlh->nlmsg_flags, REQ | NLM_F_CREATE | NLM_F_EXCL);
		assert_int_equal(nlh->nlmsg_seq, fake.sent.align.nlmsg_seq + (unsigned)i);
	}
	assert_int_equal(left, 0);

	/* Sent: the next add starts a new batch. */
	assert_false(nl_batch_full(&b));
	assert_int_equal(nl_batch_add(&b, nl_build_dellink(buf, sizeof(buf), 3, NULL), "d"), 0);
	nl_batch_free(&b);
}

static void batch_holds_at_most_max(void **state)
{
	struct err e = { 0 };
	struct nl_batch b;
	int i;

	assert_int_equal(nl_batch_init(&b, &e), 0);
	for (i = 0; i < NL_BATCH_MAX; i++) {
		assert_false(nl_batch_full(&b));
		nl_batch_add(&b,
			     nl_build_newlink(buf, sizeof(buf), "veth-long-name", "veth",
					      "peer-long-name", 3),
			     "veth");
	}
	assert_true(nl_batch_full(&b));
	assert_true(b.n == NL_BATCH_MAX);
	/* Nothing was sent: freeing an unsent batch sends nothing. */
	nl_batch_free(&b);
	assert_int_equal(fake.nsent, 0);
}

struct indexes {
	int index[4];
	int calls;
};

static int on_batch_msg(const struct nlmsghdr *nlh, size_t i, void *arg, struct err *e)
{
	struct indexes *x = arg;
	struct nl_link l;

	x->calls++;
	if (nl_parse_link(nlh, &l) < 0)
		return err_set(e, errno, "parse");
	x->index[i] = l.index;
	return 0;
}

static void batch_data_goes_to_its_request(void **state)
{
	struct nl nl = FAKE_NL;
	struct indexes x = { { 0 }, 0 };
	struct err e = { 0 };
	struct nl_batch b;

	assert_int_equal(nl_batch_init(&b, &e), 0);
	nl_batch_add(&b, nl_build_getlink(buf, sizeof(buf), 0, "eth0"), "look up eth0");
	nl_batch_add(&b, nl_build_getlink(buf, sizeof(buf), 0, "eth9"), "look up eth9");
	nl_batch_add(&b, nl_build_getlink(buf, sizeof(buf), 0, "br0"), "look up br0");
	newlink_msg(&fake.replies[0], SEQ_REQ, 5, 0, "eth0", "veth");
	ack(&fake.replies[1], SEQ_REQ, PORT);
	error_msg(&fake.replies[2], -ENODEV, NLM_F_CAPPED, SEQ_REQ + 1, PORT, 40);
	end(&fake.replies[2]);
	newlink_msg(&fake.replies[3], SEQ_REQ + 2, 7, 0, "br0", "bridge");
	ack(&fake.replies[4], SEQ_REQ + 2, PORT);
	fake.nreplies = 5;
	assert_int_equal(nl_batch_send(&b, &nl, on_batch_msg, &x, &e), 1);
	assert_int_equal(x.calls, 2);
	assert_int_equal(x.index[0], 5);
	assert_int_equal(x.index[1], 0);
	assert_int_equal(x.index[2], 7);
	assert_int_equal(b.status[1], ENODEV);
	assert_string_equal(e.msg, "look up eth9");
	nl_batch_free(&b);
}

static void batch_answer_out_of_turn(void **state)
{
	struct nl nl = FAKE_NL;
	struct err e = { 0 };
	struct nl_batch b;

	assert_int_equal(nl_batch_init(&b, &e), 0);
	nl_batch_add(&b, nl_build_dellink(buf, sizeof(buf), 3, NULL), "delete 3");
	nl_batch_add(&b, nl_build_dellink(buf, sizeof(buf), 4, NULL), "delete 4");
	/* The second request's answer before the first's: no guessing. */
	ack(&fake.replies[0], SEQ_REQ + 1, PORT);
	fake.nreplies = 1;
	assert_int_equal(nl_batch_send(&b, &nl, NULL, NULL, &e), -1);
	assert_int_equal(e.errnum, EPROTO);
	assert_non_null(strstr(e.msg, "delete 3: "));
	assert_int_equal(b.status[0], -1);
	assert_int_equal(b.status[1], -1);
	nl_batch_free(&b);
}

static void batch_parse_one_datagram(void **state)
{
	struct err e = { 0 };
	struct nl_batch b;
	unsigned char dgram[8192];
	struct bytes x;
	size_t n = 0;
	int i;

	/* Pure: the answers to three requests in one datagram, then one too many. */
	assert_int_equal(nl_batch_init(&b, &e), 0);
	for (i = 0; i < 3; i++)
		nl_batch_add(&b, nl_build_dellink(buf, sizeof(buf), 3 + i, NULL), "delete");
	for (i = 0; i < 3; i++) {
		ack(&x, b.seq[i], PORT);
		memcpy(dgram + n, x.b, x.n);
		n += x.n;
	}
	assert_int_equal(nl_batch_parse(&b, dgram, n - x.n, PORT, NULL, NULL, &e), 1);
	assert_int_equal(b.answered, 2);
	assert_int_equal(nl_batch_parse(&b, x.b, x.n, PORT, NULL, NULL, &e), 0);
	assert_int_equal(b.answered, 3);
	assert_int_equal(nl_batch_parse(&b, x.b, x.n, PORT, NULL, NULL, &e), -1);
	assert_int_equal(e.errnum, EPROTO);
	/* Another port's message is not ours. */
	b.answered = 0;
	ack(&x, b.seq[0], PORT + 1);
	assert_int_equal(nl_batch_parse(&b, x.b, x.n, PORT, NULL, NULL, &e), -1);
	assert_int_equal(e.errnum, EPROTO);
	assert_non_null(strstr(e.msg, "port"));
	nl_batch_free(&b);
}

/* ---- the kernel, read-only ------------------------------------------------ */

static void kernel_lookup_lo(void **state)
{
	struct err e = { 0 };
	struct nl_link l;
	struct nl nl;

	if (nl_open(&nl, -1, -1, &e) < 0)
		skip();
	assert_int_not_equal(nl.portid, 0);
	assert_int_equal(nl_link_get(&nl, 0, "lo", &l, &e), 0);
	assert_string_equal(l.name, "lo");
	assert_true(l.flags & IFF_LOOPBACK);
	assert_int_equal(nl_link_get(&nl, l.index, NULL, &l, &e), 0);
	assert_string_equal(l.name, "lo");
	assert_int_equal(nl_link_get(&nl, 0, "no-such-if0", &l, &e), -1);
	assert_int_equal(e.errnum, ENODEV);
	/* The index alone, by ioctl on the same socket: the same answer. */
	assert_int_equal(nl_link_index(&nl, "lo"), l.index);
	errno = 0;
	assert_int_equal(nl_link_index(&nl, "no-such-if0"), -1);
	assert_int_equal(errno, ENODEV);
	errno = 0;
	assert_int_equal(nl_link_index(&nl, "0123456789abcdef"), -1);
	assert_int_equal(errno, EINVAL);
	nl_close(&nl);
	nl_close(&nl);
}

/* The kernel answers every request of a datagram, in order, past a refusal. */
static void kernel_batch_lookups(void **state)
{
	struct indexes x = { { 0 }, 0 };
	struct err e = { 0 };
	struct nl_batch b;
	struct nl nl;

	if (nl_open(&nl, -1, -1, &e) < 0)
		skip();
	assert_int_equal(nl_batch_init(&b, &e), 0);
	nl_batch_add(&b, nl_build_getlink(buf, sizeof(buf), 0, "lo"), "look up lo");
	nl_batch_add(&b, nl_build_getlink(buf, sizeof(buf), 0, "no-such-if0"), "look up none");
	nl_batch_add(&b, nl_build_getlink(buf, sizeof(buf), 0, "lo"), "look up lo again");
	assert_int_equal(nl_batch_send(&b, &nl, on_batch_msg, &x, &e), 1);
	assert_int_equal(b.status[0], 0);
	assert_int_equal(b.status[1], ENODEV);
	assert_int_equal(b.status[2], 0);
	assert_int_equal(e.errnum, ENODEV);
	assert_string_equal(e.msg, "look up none");
	assert_int_equal(x.calls, 2);
	assert_int_not_equal(x.index[0], 0);
	assert_int_equal(x.index[2], x.index[0]);
	nl_batch_free(&b);
	nl_close(&nl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(getlink_by_name),
		cmocka_unit_test(getlink_by_index),
		cmocka_unit_test(newlink_veth),
		cmocka_unit_test(newlink_veth_peer_here),
		cmocka_unit_test(newlink_kind),
		cmocka_unit_test(setns_move),
		cmocka_unit_test(dellink),
		cmocka_unit_test(builder_errors),
		cmocka_unit_test(reply_ack),
		cmocka_unit_test(reply_error_ext_capped),
		cmocka_unit_test(reply_error_ext_uncapped),
		cmocka_unit_test(reply_error_plain),
		cmocka_unit_test(reply_error_missing_attr),
		cmocka_unit_test(reply_error_bad_tlvs),
		cmocka_unit_test(reply_truncated_error),
		cmocka_unit_test(reply_seq_mismatch),
		cmocka_unit_test(reply_port_mismatch),
		cmocka_unit_test(reply_data_then_ack),
		cmocka_unit_test(parse_link),
		cmocka_unit_test_setup_teardown(request_lookup, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(request_kernel_error, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(request_stale_reply, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(request_closed, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(act_sends_and_counts, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(act_dry_run_sends_nothing, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(act_fault_and_stop, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(batch_one_datagram_every_answer, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(batch_holds_at_most_max, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(batch_data_goes_to_its_request, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(batch_answer_out_of_turn, fake_setup,
						fake_teardown),
		cmocka_unit_test(batch_parse_one_datagram),
		cmocka_unit_test(kernel_lookup_lo),
		cmocka_unit_test(kernel_batch_lookups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

#else /* !ENABLE_PREP_LINK: no netlink layer in this build */

#include <stdio.h>

/* An empty TAP plan (cmocka's skip reads "not ok ... # SKIP" to TAP counters). */
int main(void)
{
	printf("1..0\n# test_nl: prep-link is not built in (CONFIG_PREP_LINK): nothing to test\n");
	return 0;
}

#endif
