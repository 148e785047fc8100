/*
 * mountopt.h - fstab-style mount options ("nosuid", "size=10m", "rbind",
 * "rshared") split into what mount(2) takes: flags, propagation changes (one
 * mount(2) call each) and filesystem data. See mount(8) "FILESYSTEM-
 * INDEPENDENT MOUNT OPTIONS", mount(2), mount_setattr(2), and the kernel's
 * Documentation/filesystems/sharedsubtree.rst; DESIGN.md section 4 "mounts".
 */
#ifndef PREPBOX_MOUNTOPT_H
#define PREPBOX_MOUNTOPT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/mount.h>

#include "config.h"
#include "err.h"

/* Linux 5.10; glibc before 2.34 lacks it (musl has it). */
#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

/* At most this many propagation options in one mount entry. */
#define MOUNTOPT_PROP_MAX 16

/*
 * The per-mount (vfsmount, not superblock) flags: mount(2) ignores them on a
 * new bind mount, which takes them only from a later MS_REMOUNT|MS_BIND.
 */
#define MOUNTOPT_PER_MOUNT                                                                         \
	(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME | \
	 MS_STRICTATIME | MS_NOSYMFOLLOW)

/* The propagation types; one of them, maybe with MS_REC, per propagation[] entry. */
#define MOUNTOPT_PROPAGATION (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE)
/*
 * The superblock's flags: a plain remount sets them with the per-mount ones,
 * and a bind mount, which shares the source's superblock, cannot.
 */
#define MOUNTOPT_SB_FLAGS (MS_SYNCHRONOUS | MS_MANDLOCK | MS_DIRSYNC | MS_LAZYTIME | MS_I_VERSION)

struct mountopts {
	/*
	 * MS_* for the first mount(2) call: never a propagation type; MS_BIND
	 * (and MS_REC for rbind) when @bind; at most one of MS_NOATIME,
	 * MS_RELATIME, MS_STRICTATIME.
	 */
	unsigned long flags;
	/*
	 * For a new bind mount (@bind, no MS_REMOUNT in @flags): @flags &
	 * MOUNTOPT_PER_MOUNT, to be applied with a second call
	 * MS_REMOUNT|MS_BIND|remount; 0 when no such flag is left set, and
	 * always 0 for any other mount (its first call takes them: a
	 * "remount,bind" entry's first call is that very remount).
	 */
	unsigned long remount;
	/*
	 * The flags a negative word turned off ("rw", "suid", "exec", "atime",
	 * "async"...) and no later word turned on again: what a remount must
	 * drop from the flags the mount already has, where the others are kept
	 * (as mount_setattr(2)'s attr_clr). An atime mode word (noatime,
	 * relatime, strictatime) clears the other two modes.
	 */
	unsigned long cleared;
	/* MS_SHARED, MS_SLAVE, MS_PRIVATE or MS_UNBINDABLE, | MS_REC for the
	   r-forms: one mount(2) call each, in the order given */
	unsigned long propagation[MOUNTOPT_PROP_MAX];
	size_t npropagation;
	bool bind;		    /* bind or rbind in the options, or type "bind" */
	bool rro;		    /* "rro" not followed by "rw": read-only for the
				   whole tree, mount_setattr(AT_RECURSIVE,
				   MOUNT_ATTR_RDONLY); MS_RDONLY is not implied */
	char data[CONFIG_DATA_MAX]; /* filesystem options, comma-joined, in order */
	size_t datalen;		    /* strlen(data), always < CONFIG_DATA_MAX */
};

/*
 * mountopt_parse - split the options of one mount entry.
 * @m: filled on success; zeroed on failure. Owns no memory.
 * @type: the entry's filesystem type, or NULL; "bind" makes it a bind mount
 *	(the caller passes NULL as mount(2)'s type then).
 * @options, @n: the option words, in order; an empty word is skipped.
 *
 * Negative options clear what an earlier one set; the last word wins.
 * noatime, relatime and strictatime exclude each other (the last one named
 * counts); atime, norelatime and nostrictatime clear only their own flag.
 * "rw" clears both "ro" and "rro".
 * bind and rbind add up (rbind,bind is still recursive, as in mount(8)).
 * "defaults" sets nothing; fstab-only words (auto, noauto, user, users,
 * nouser, owner, group, _netdev, nofail, x-*, and X-* as in mount(8)) are
 * dropped; every other word goes to the filesystem as data, as given (a word
 * holding commas included).
 *
 * Returns 0, or -1 with @e set (errnum 0) when the data would be
 * CONFIG_DATA_MAX bytes or more ("mount data is 5000 bytes, the kernel takes
 * at most 4095"), or there are more than MOUNTOPT_PROP_MAX propagation
 * options; the message has no JSON path (the caller adds it). No system
 * call, no allocation.
 */
int mountopt_parse(struct mountopts *m, const char *type, char *const *options, size_t n,
		   struct err *e);

/*
 * mountopt_flag_names - the words of mount(8) for @flags, comma-joined into
 * @buf (@len bytes), for plans and messages, in a fixed order: bind or rbind,
 * ro, nosuid, nodev, noexec, sync, remount, mand, dirsync, nosymfollow,
 * noatime, nodiratime, relatime, strictatime, lazytime, silent, iversion,
 * then a propagation type (rshared... when MS_REC is not rbind's), then any
 * other bits as one hexadecimal number ("0x40000000").
 * Text longer than @len - 1 bytes is cut. Returns @buf ("" for no flags).
 */
const char *mountopt_flag_names(unsigned long flags, char *buf, size_t len);

/*
 * mountopt_propagation_name - "shared", "rslave"... for one entry of
 * mountopts.propagation[] (the word of mount(8) --make-*). Returns a static
 * string; "unknown" for anything else.
 */
const char *mountopt_propagation_name(unsigned long propagation);

#endif
