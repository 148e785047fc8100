/*
 * nl.h - the netlink request layer, on libmnl: rtnetlink sockets of one
 * network namespace each, requests built in caller buffers by pure
 * functions, and request-and-acknowledgement exchanges: one request at a
 * time, or a batch of them in one datagram.
 *
 * Follows netlink(7), rtnetlink(7) and the kernel's
 * Documentation/userspace-api/netlink/intro.rst: every request carries
 * NLM_F_ACK and is answered by exactly one NLMSG_ERROR (error 0 is the
 * acknowledgement), after any data messages; replies are checked against the
 * request's sequence number and the socket's port id; sockets ask for
 * extended acknowledgements (NETLINK_EXT_ACK) and capped ones
 * (NETLINK_CAP_ACK), so that a refusal comes with the kernel's own text
 * (NLMSGERR_ATTR_MSG), which is kept in struct err's @ext.
 *
 * This, nlmsg.c and link.c are the only users of libmnl (the Makefile leaves them out
 * when prep-link is turned off). Mutating requests go through nl_act(), the
 * netlink side of the action layer (sys.h): stop signals, action counting
 * and fault injection, -v and -n.
 */
#ifndef PREPBOX_NL_H
#define PREPBOX_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "err.h"
#include "nlmsg.h"
#include "run.h"

/* Largest request built here (a veth with its peer is under 200 bytes). */
#define NL_REQ_SIZE 1024
/* Receive buffer: one datagram of replies (libmnl's MNL_SOCKET_DUMP_SIZE). */
#define NL_RECV_SIZE 32768
struct mnl_socket;

/* A NETLINK_ROUTE socket, bound, living in one network namespace. */
struct nl {
	struct mnl_socket *sock; /* owned; NULL when closed */
	unsigned int portid;	 /* the port id the kernel gave it */
};

/*
 * nl_open - open and bind a NETLINK_ROUTE socket (close-on-exec), with
 * NETLINK_EXT_ACK and NETLINK_CAP_ACK turned on where the kernel has them.
 * @netns_fd: the network namespace the socket is to live in, or -1 for the
 *	current one. The socket is made inside it (setns(2) there, socket(2),
 *	setns(2) back to @self_fd, as `ip -n` does); a socket keeps its
 *	namespace for life, and every request on it is looked up there.
 * @self_fd: the caller's own network namespace (only used with @netns_fd).
 * Returns 0 with @nl open, or -1 with @e set and @nl closed: setns's errno
 *	(EPERM without CAP_SYS_ADMIN, EINVAL when @netns_fd is no network
 *	namespace), socket's or bind's. When going back to @self_fd fails the
 *	message says so: the caller is then in the wrong namespace and must stop.
 */
int nl_open(struct nl *nl, int netns_fd, int self_fd, struct err *e);

/*
 * nl_fdopen - wrap a duplicate of the bound netlink socket @fd (as kept by
 * an undo record) in @nl; @fd itself stays the caller's.
 * Returns 0, or -1 with @e set (dup's errno, ENOMEM).
 */
int nl_fdopen(struct nl *nl, int fd, struct err *e);

/* nl_fd - the socket's descriptor (still owned by @nl), -1 when closed. */
int nl_fd(const struct nl *nl);

/* nl_close - close the socket and free its state; a closed @nl is fine. */
void nl_close(struct nl *nl);

/*
 * nl_msg_fn - called by nl_parse_reply() for each data message (type >=
 * NLMSG_MIN_TYPE) of the reply. Returns 0 to go on, or -1 with @e set to
 * end the exchange with that error.
 */
typedef int (*nl_msg_fn)(const struct nlmsghdr *nlh, void *arg, struct err *e);

/*
 * nl_parse_reply - read one datagram of replies (@len bytes at @buf) to the
 * request numbered @seq on the socket with port id @portid (mnl_cb_run()).
 * Pure: no kernel needed.
 * @fn, @arg: for the data messages; @fn may be NULL.
 * @what: the request in words, for messages ("create veth eth0 ...").
 * Returns 0 when the acknowledgement (NLMSG_ERROR with error 0) or NLMSG_DONE
 * came, 1 when the datagram ended without it (read the next one), or -1 with
 * @e set: the kernel's error (its errno, message @what, and @e->ext set to
 * its extended-ack text, "" when it gave none); EPROTO for a message of
 * another sequence number or port id; EBADMSG for a malformed message; what
 * @fn returned.
 */
int nl_parse_reply(const void *buf, size_t len, unsigned int seq, unsigned int portid, nl_msg_fn fn,
		   void *arg, const char *what, struct err *e);

/*
 * nl_request - send @req (built above) on @nl with the next sequence number
 * of the process (never 0, which would turn off libmnl's check), and read
 * replies until its acknowledgement, passing data messages to @fn.
 * @what: the request in words, the message of every error.
 * Returns 0 when the kernel acknowledged it, or -1 with @e set as
 * nl_parse_reply() says, or with sendto/recvfrom's errno (ENOSPC: a reply
 * larger than NL_RECV_SIZE).
 */
int nl_request(struct nl *nl, struct nlmsghdr *req, nl_msg_fn fn, void *arg, const char *what,
	       struct err *e);

/*
 * nl_link_get - look up the interface numbered @index (> 0), or else named
 * @name, in @nl's namespace (RTM_GETLINK). Read-only: not an action.
 * Returns 0 with @l filled, or -1 with @e set (ENODEV: there is none; the
 * message is "look up NAME").
 */
int nl_link_get(struct nl *nl, int index, const char *name, struct nl_link *l, struct err *e);

/*
 * Batches: requests that go out together in one sendmsg(2), their answers
 * read after (libmnl's mnl_nlmsg_batch, as nftables sends its
 * transactions). The kernel handles the requests of a datagram one after the
 * other, every one of them even after another has failed, and answers each
 * (NLM_F_ACK) in order: a batch has the outcome, request by request, of
 * sending them one at a time, for one round trip instead of one each.
 * A batch holds at most NL_BATCH_MAX requests: the kernel queues all their
 * answers, each a socket buffer of its own, before sendmsg(2) returns, and
 * they must fit in the socket's default receive buffer (an overrun would
 * drop some, and with them what became of their requests).
 */
#define NL_BATCH_MAX 32
/* Bytes of requests in one batch; libmnl wants a buffer twice that. */
#define NL_BATCH_LIMIT (NL_BATCH_MAX * 256)

struct mnl_nlmsg_batch;

struct nl_batch {
	struct mnl_nlmsg_batch *mb; /* libmnl's batch over @buf; owned */
	size_t n;		    /* requests added (since the last send) */
	size_t answered;	    /* of those, answered so far (in order) */
	size_t refused;		    /* of those, refused by the kernel */
	bool sent;		    /* sent: the next nl_batch_add() starts over */
	unsigned int seq[NL_BATCH_MAX];
	const char *what[NL_BATCH_MAX]; /* borrowed, until nl_batch_send() */
	/* After nl_batch_send(): 0 done, an errno value refused, -1 no answer. */
	int status[NL_BATCH_MAX];
	union {
		struct nlmsghdr align;
		char bytes[2 * NL_BATCH_LIMIT];
	} buf;
};

/*
 * nl_batch_init - an empty batch. Returns 0, or -1 with @e set (ENOMEM).
 * nl_batch_free - release it; an unsent batch is dropped, nothing is sent.
 */
int nl_batch_init(struct nl_batch *b, struct err *e);
void nl_batch_free(struct nl_batch *b);

/* nl_batch_full - whether the next request must wait for nl_batch_send(). */
bool nl_batch_full(const struct nl_batch *b);

/*
 * nl_batch_add - copy @req (built above, at most NL_REQ_SIZE bytes) into
 * the batch, with the next sequence number of the process; the batch must
 * not be full. After a send, the first add starts a new batch.
 * @what: the request in words, for its error message; borrowed until
 *	nl_batch_send() returns.
 * Returns the request's position in the batch (0 for the first).
 */
size_t nl_batch_add(struct nl_batch *b, const struct nlmsghdr *req, const char *what);

/*
 * nl_batch_fn - called for each data message answering request number @i
 * of the batch (an RTM_NEWLINK answering an RTM_GETLINK). Returns 0 to go
 * on, or -1 with @e set to end the exchange with that error.
 */
typedef int (*nl_batch_fn)(const struct nlmsghdr *nlh, size_t i, void *arg, struct err *e);

/*
 * nl_batch_parse - read one datagram of answers (@len bytes at @buf) to the
 * batch @b on the socket with port id @portid. Pure: no kernel needed.
 * Each request must be answered in turn, by its data messages (passed to
 * @fn, which may be NULL) and then its NLMSG_ERROR: error 0 is done, any
 * other is a refusal, recorded in @b->status; the first refusal also sets
 * @e: its errno, its @what as the message, @e->ext the kernel's extended-ack
 * text.
 * Returns 0 when every request has been answered, 1 when more is to be read,
 * or -1 with @e set: EPROTO for a message of another port id or out of turn
 * (another sequence number), EBADMSG for a malformed one, what @fn returned.
 */
int nl_batch_parse(struct nl_batch *b, const void *buf, size_t len, unsigned int portid,
		   nl_batch_fn fn, void *arg, struct err *e);

/*
 * nl_batch_send - send the requests of @b on @nl in one datagram, and read
 * the answers to every one of them (nl_batch_parse()). Sending an empty
 * batch does nothing. What became of each request is in @b->status until
 * the next nl_batch_add().
 * Returns the number of requests the kernel refused (0: all done; @e is
 * then the first refusal), or -1 with @e set when the exchange itself failed
 * (sendto/recvfrom's errno, or as nl_batch_parse() says): the requests left
 * without an answer (status -1) may or may not have been done.
 */
int nl_batch_send(struct nl_batch *b, struct nl *nl, nl_batch_fn fn, void *arg, struct err *e);

/*
 * nl_link_index - the index of the interface named @name in @nl's
 * namespace, by SIOCGIFINDEX on the socket (netdevice(7); the kernel takes
 * it on a socket of any family, in the socket's namespace). Read-only. Far
 * cheaper than nl_link_get(), whose answer the kernel builds with every
 * attribute of the link: for the many links whose index is all an undo needs.
 * Returns the index (> 0), or -1 with errno set (ENODEV: there is none).
 */
int nl_link_index(const struct nl *nl, const char *name);

/*
 * nl_act - one mutating request as an action (sys.h): sys_begin() (a stop
 * signal or an injected fault ends it here, before anything is sent); with
 * -n, @cmd is printed as the plan and nothing is sent (@nl may then be NULL);
 * otherwise nl_request(@nl, @req, @what), and @cmd logged with -v.
 * @cmd: the action in iproute2's words ("ip link set eth1 netns 42").
 * Records nothing: the caller reserves and pushes the undo (journal.h).
 * Returns 0, or -1 with @e set as sys_begin() and nl_request() say.
 */
int nl_act(struct run *r, struct nl *nl, struct nlmsghdr *req, const char *cmd, const char *what,
	   struct err *e);

#endif
