/*
 * err.h - the error record every libcommon function fills instead of printing.
 *
 * A failing function returns -1 and leaves in a caller-owned struct err the
 * errno value and one line saying what failed on which object ("mount tmpfs
 * on /run"). Only the applet's main reports it (msg.h), appending
 * strerror(errnum) and, for netlink, the kernel's extended-ack text. The
 * buffers are fixed so that recording an error can never fail itself.
 */
#ifndef PREPBOX_ERR_H
#define PREPBOX_ERR_H

#include <stddef.h>

#define ERR_MSG_MAX 10240 /* room for two paths of PATH_MAX and the words around them */
#define ERR_EXT_MAX 256

struct err {
	int errnum;		/* errno value; 0 when the cause is not a system error */
	char msg[ERR_MSG_MAX];	/* "verb object", no trailing reason, no newline */
	char ext[ERR_EXT_MAX];	/* kernel's extended-ack text (netlink), or "" */
};

/*
 * err_set - record a failure.
 * @e: the record to fill; its previous content is replaced.
 * @errnum: the errno value that explains the failure, or 0 for none (a
 *	config or usage error, where the message says it all).
 * @fmt: printf format of "verb object", e.g. "mount %s on %s". Text longer
 *	than ERR_MSG_MAX - 1 bytes is cut, never overflowed.
 * Returns -1, so a failure site is one line: return err_set(e, errno, ...).
 * Leaves errno as it was.
 */
int err_set(struct err *e, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * err_prefix - put "context: " in front of the message already recorded, as
 * a caller adds what it was doing (".mounts[2] (/run)") to a lower error.
 * @e: a record filled by err_set(); errnum and ext are kept.
 * Returns -1. Leaves errno as it was.
 */
int err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * err_append - add text after the message already recorded, as a caller adds
 * why the kernel refused ("... (onto a shared mount)"). errnum and ext are
 * kept; text that does not fit is cut. Returns -1. Leaves errno as it was.
 */
int err_append(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * err_set_ext - keep the kernel's extended-ack text (NLMSGERR_ATTR_MSG) with
 * the error. @text may be NULL (nothing kept) and need not end in a newline.
 */
void err_set_ext(struct err *e, const char *text);

/*
 * err_format - write the complete one-line message into @buf (@len bytes):
 * "msg: strerror(errnum) (kernel: ext)", each part present when set.
 * Returns @buf.
 */
char *err_format(const struct err *e, char *buf, size_t len);

#endif
