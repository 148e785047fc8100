/*
 * nlmsg.h - rtnetlink requests built, and answers read, as bytes: pure
 * functions over caller buffers, for nl.h to send, and for unit tests to
 * check without a kernel. Follows rtnetlink(7).
 */
#ifndef PREPBOX_NLMSG_H
#define PREPBOX_NLMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/netlink.h>

/* Interface names, with the NUL (the kernel's IFNAMSIZ). */
#define NL_IFNAMSIZ 16
/* Link kinds ("veth", "bridge") as the kernel reports them, with the NUL. */
#define NL_KINDSIZ 32

/* An interface as RTM_NEWLINK (the answer to RTM_GETLINK) describes it. */
struct nl_link {
	int index;		/* ifi_index */
	unsigned int flags;	/* ifi_flags: IFF_UP, IFF_LOOPBACK... */
	char name[NL_IFNAMSIZ]; /* IFLA_IFNAME */
	char kind[NL_KINDSIZ];	/* IFLA_LINKINFO/IFLA_INFO_KIND, "" when none (lo, NICs) */
};

/*
 * nl_ifname_ok - whether @name can be sent as an interface name: 1 to
 * NL_IFNAMSIZ - 1 bytes.
 */
bool nl_ifname_ok(const char *name);

/*
 * Request builders. Each writes one complete request into @buf (@len bytes,
 * aligned for struct nlmsghdr) and returns its header, with nlmsg_seq and
 * nlmsg_pid left 0 for nl_request() to fill; they touch nothing else, so
 * their bytes can be checked without a kernel. Every request has
 * NLM_F_REQUEST | NLM_F_ACK, and a struct ifinfomsg of family AF_UNSPEC.
 * They return NULL with errno set: EINVAL for a name of NL_IFNAMSIZ bytes or
 * more (or empty), EMSGSIZE when @len is too small.
 */

/*
 * nl_build_getlink - RTM_GETLINK for the interface numbered @index (> 0),
 * or else named @name (IFLA_IFNAME), with IFLA_EXT_MASK
 * RTEXT_FILTER_SKIP_STATS. The answer is one RTM_NEWLINK (nl_parse_link()),
 * or ENODEV.
 */
struct nlmsghdr *nl_build_getlink(void *buf, size_t len, int index, const char *name);

/*
 * nl_build_newlink - RTM_NEWLINK with NLM_F_CREATE | NLM_F_EXCL: create
 * interface @name of kind @kind (IFLA_LINKINFO/IFLA_INFO_KIND) in the
 * namespace of the socket it is sent on. EXCL makes an existing @name an
 * error (EEXIST) instead of a change to that device.
 * @peer: for kind "veth", the other end's name (IFLA_INFO_DATA/VETH_INFO_PEER:
 *	a struct ifinfomsg, IFLA_IFNAME), or NULL for other kinds.
 * @peer_netns_fd: the network namespace the peer is created in
 *	(IFLA_NET_NS_FD inside VETH_INFO_PEER), or -1 for the socket's.
 * The kernel answers EEXIST (a name is taken), EOPNOTSUPP "Unknown device
 * type" (a kind it lacks), EPERM, EINVAL (attributes the kind needs).
 */
struct nlmsghdr *nl_build_newlink(void *buf, size_t len, const char *name, const char *kind,
				  const char *peer, int peer_netns_fd);

/*
 * nl_build_setns - RTM_NEWLINK without NLM_F_CREATE or NLM_F_EXCL: move the
 * existing interface numbered @index (> 0; or else named @name) of the
 * socket's namespace into the network namespace @netns_fd (IFLA_NET_NS_FD).
 * @new_index: the index it is to have there (IFLA_NEW_IFINDEX), or 0 to let
 *	the kernel keep its index, or pick a new one when that is taken there.
 *	Kernels before 6.5 ignore it; later ones answer EBUSY when it is taken.
 * @up: also set IFF_UP (ifi_flags and ifi_change) once it is there.
 * The last two put a moved interface back the way it was.
 * The kernel answers ENODEV (no such interface), EEXIST (the name is taken
 * there), EINVAL (a device that cannot change namespace: bridge, lo; 6.x
 * says "The interface netns is immutable").
 */
struct nlmsghdr *nl_build_setns(void *buf, size_t len, int index, const char *name, int netns_fd,
				int new_index, bool up);

/*
 * nl_build_dellink - RTM_DELLINK of the interface numbered @index (> 0; or
 * else named @name) in the socket's namespace. Deleting one end of a veth
 * deletes both. The kernel answers ENODEV when there is none, EOPNOTSUPP for
 * a device that cannot be deleted (a NIC).
 */
struct nlmsghdr *nl_build_dellink(void *buf, size_t len, int index, const char *name);

/*
 * nl_parse_link - fill @l from an RTM_NEWLINK message. Pure.
 * Returns 0, or -1 with errno EBADMSG when it is not one or is malformed.
 */
int nl_parse_link(const struct nlmsghdr *nlh, struct nl_link *l);

#endif
