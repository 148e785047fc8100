/*
 * nlmsg.c - rtnetlink requests and answers as bytes (nlmsg.h): pure
 * functions over caller buffers, on libmnl's attribute API, so that what is
 * sent can be checked without a kernel. rtnetlink(7), and the kernel's
 * include/uapi/linux/if_link.h and veth.h for the attributes.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "nlmsg.h"

bool nl_ifname_ok(const char *name)
{
	return name && name[0] && strnlen(name, NL_IFNAMSIZ) < NL_IFNAMSIZ;
}

static struct nlmsghdr *fail(int errnum)
{
	errno = errnum;
	return NULL;
}

/* The header and struct ifinfomsg every link request starts with. */
static struct nlmsghdr *put_header(void *buf, size_t len, uint16_t type, uint16_t flags, int index)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	if (len < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*ifi)))
		return NULL;
	/* Every byte defined, padding included, so that requests compare equal. */
	memset(buf, 0, len);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index > 0 ? index : 0;
	return nlh;
}

/* The interface numbered @index, or else named @name: a header and IFLA_IFNAME. */
static struct nlmsghdr *put_target(void *buf, size_t len, uint16_t type, int index,
				   const char *name)
{
	struct nlmsghdr *nlh;

	if (index <= 0 && !nl_ifname_ok(name))
		return fail(EINVAL);
	nlh = put_header(buf, len, type, 0, index);
	if (!nlh)
		return fail(EMSGSIZE);
	if (index <= 0 && !mnl_attr_put_strz_check(nlh, len, IFLA_IFNAME, name))
		return fail(EMSGSIZE);
	return nlh;
}

struct nlmsghdr *nl_build_getlink(void *buf, size_t len, int index, const char *name)
{
	struct nlmsghdr *nlh = put_target(buf, len, RTM_GETLINK, index, name);

	if (nlh && !mnl_attr_put_u32_check(nlh, len, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS))
		return fail(EMSGSIZE);
	return nlh;
}

struct nlmsghdr *nl_build_newlink(void *buf, size_t len, const char *name, const char *kind,
				  const char *peer, int peer_netns_fd)
{
	struct nlattr *info, *data, *nest;
	struct nlmsghdr *nlh;

	if (!nl_ifname_ok(name) || !kind || !kind[0] || (peer && !nl_ifname_ok(peer)))
		return fail(EINVAL);
	nlh = put_header(buf, len, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	if (!nlh || !mnl_attr_put_strz_check(nlh, len, IFLA_IFNAME, name))
		return fail(EMSGSIZE);
	info = mnl_attr_nest_start_check(nlh, len, IFLA_LINKINFO);
	if (!info || !mnl_attr_put_strz_check(nlh, len, IFLA_INFO_KIND, kind))
		return fail(EMSGSIZE);
	if (peer) {
		data = mnl_attr_nest_start_check(nlh, len, IFLA_INFO_DATA);
		nest = data ? mnl_attr_nest_start_check(nlh, len, VETH_INFO_PEER) : NULL;
		/* The peer is a link message of its own: ifinfomsg, then attributes. */
		if (!nest || nlh->nlmsg_len + MNL_ALIGN(sizeof(struct ifinfomsg)) > len)
			return fail(EMSGSIZE);
		((struct ifinfomsg *)mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg)))
			->ifi_family = AF_UNSPEC;
		if (!mnl_attr_put_strz_check(nlh, len, IFLA_IFNAME, peer) ||
		    (peer_netns_fd >= 0 &&
		     !mnl_attr_put_u32_check(nlh, len, IFLA_NET_NS_FD, (uint32_t)peer_netns_fd)))
			return fail(EMSGSIZE);
		mnl_attr_nest_end(nlh, nest);
		mnl_attr_nest_end(nlh, data);
	}
	mnl_attr_nest_end(nlh, info);
	return nlh;
}

struct nlmsghdr *nl_build_setns(void *buf, size_t len, int index, const char *name, int netns_fd,
				int new_index, bool up)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	if (netns_fd < 0)
		return fail(EINVAL);
	nlh = put_target(buf, len, RTM_NEWLINK, index, name);
	if (!nlh)
		return NULL;
	if (up) {
		ifi = mnl_nlmsg_get_payload(nlh);
		ifi->ifi_flags = IFF_UP;
		ifi->ifi_change = IFF_UP;
	}
	if (!mnl_attr_put_u32_check(nlh, len, IFLA_NET_NS_FD, (uint32_t)netns_fd) ||
	    (new_index > 0 &&
	     !mnl_attr_put_u32_check(nlh, len, IFLA_NEW_IFINDEX, (uint32_t)new_index)))
		return fail(EMSGSIZE);
	return nlh;
}

struct nlmsghdr *nl_build_dellink(void *buf, size_t len, int index, const char *name)
{
	return put_target(buf, len, RTM_DELLINK, index, name);
}

/* ---- answers -------------------------------------------------------------- */

static void copy_str(char *dst, size_t size, const struct nlattr *attr)
{
	snprintf(dst, size, "%s", mnl_attr_get_str(attr));
}

static int info_attr(const struct nlattr *attr, void *data)
{
	struct nl_link *l = data;

	if (mnl_attr_get_type(attr) == IFLA_INFO_KIND &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		copy_str(l->kind, sizeof(l->kind), attr);
	return MNL_CB_OK;
}

static int link_attr(const struct nlattr *attr, void *data)
{
	struct nl_link *l = data;

	switch (mnl_attr_get_type(attr)) {
	case IFLA_IFNAME:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			copy_str(l->name, sizeof(l->name), attr);
		break;
	case IFLA_LINKINFO:
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) == 0)
			mnl_attr_parse_nested(attr, info_attr, l);
		break;
	}
	return MNL_CB_OK;
}

int nl_parse_link(const struct nlmsghdr *nlh, struct nl_link *l)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	memset(l, 0, sizeof(*l));
	if (nlh->nlmsg_type != RTM_NEWLINK || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi)) {
		errno = EBADMSG;
		return -1;
	}
	l->index = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	mnl_attr_parse(nlh, sizeof(*ifi), link_attr, l);
	if (l->index <= 0 || !l->name[0]) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}
