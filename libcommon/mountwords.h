/*
 * mountwords.h - the pure parts of the "mounts" step (step_mount, step.h;
 * mount.c), worth testing alone: overlay's option syntax, which flags a
 * remount keeps, and the plan text. See mount(2), mount(8), statvfs(3),
 * proc(5) (mountinfo), the kernel's Documentation/filesystems/overlayfs.rst.
 */
#ifndef PREPBOX_MOUNTWORDS_H
#define PREPBOX_MOUNTWORDS_H

#include <stddef.h>

#include "mountopt.h"

/*
 * mount_overlay_next - the next option of overlay data (@*pos in a
 * comma-joined string) as overlay itself splits it: at commas that no
 * backslash escapes (fs/overlayfs ovl_next_opt()). The option is copied, as
 * given, escapes kept, into @buf (@len bytes).
 * Returns 1 with *@pos moved past it, 0 when nothing is left, or -1 when it
 * does not fit in @buf (errno is not touched).
 */
int mount_overlay_next(const char **pos, char *buf, size_t len);

/*
 * mount_overlay_unescape - undo overlay's escapes in @s, in place: a
 * backslash stands for the character after it (so "\," "\:" "\\" are a
 * comma, a colon and a backslash; a trailing one is dropped), as
 * fs/overlayfs ovl_unescape() reads a directory name. Returns @s.
 */
char *mount_overlay_unescape(char *s);

/*
 * mount_overlay_dirs - each directory overlay's data @data names, as
 * overlay reads it (fs/overlayfs/params.c): the values of upperdir= and
 * workdir=, and each element of lowerdir='s ':'-separated list (an empty
 * one, the "::" before data-only layers, is none), escapes undone
 * (mount_overlay_unescape()); the values of lowerdir+= and datadir+= as
 * written, backslashes kept, as overlay opens them. For each, in order,
 * @fn(@arg, OPTION, DIR) is called with the option's name ("lowerdir") and
 * the directory; a non-zero return stops the walk.
 * Returns 0 when all were seen, @fn's non-zero return, or -1 with errno
 * ENOMEM.
 */
int mount_overlay_dirs(const char *data, int (*fn)(void *arg, const char *opt, const char *dir),
		       void *arg);

/*
 * mount_flags_from_statvfs - the MS_* flags that statvfs(3) @f_flag reports
 * (ST_RDONLY, ST_NOSUID, ST_NODEV, ST_NOEXEC, ST_SYNCHRONOUS, ST_MANDLOCK,
 * ST_NOATIME, ST_NODIRATIME, ST_RELATIME, ST_NOSYMFOLLOW), with
 * MS_STRICTATIME when neither ST_NOATIME nor ST_RELATIME is set (a remount
 * without any atime flag would make the mount relatime).
 */
unsigned long mount_flags_from_statvfs(unsigned long f_flag);

/*
 * mount_flags_from_mountinfo - the per-mount MS_* flags of the per-mount
 * options field of /proc/self/mountinfo ("ro,nosuid,relatime"), with
 * MS_STRICTATIME when no atime word is there. Unknown words are ignored.
 */
unsigned long mount_flags_from_mountinfo(const char *opts);

/*
 * mount_sb_flags_from_mountinfo - the superblock's MS_* flags of the
 * superblock options field of /proc/self/mountinfo ("ro,sync,lazytime,
 * size=1024k"): MS_RDONLY, MS_SYNCHRONOUS, MS_DIRSYNC, MS_LAZYTIME,
 * MS_MANDLOCK, MS_I_VERSION. Other words (the filesystem's own) are ignored.
 */
unsigned long mount_sb_flags_from_mountinfo(const char *opts);

/*
 * mount_keep - the flags for a remount of a mount that has @has (MS_* as
 * mount_flags_from_statvfs() gives them) with options @m: what @has has,
 * less what @m's negative words clear (and less its atime mode when @m names
 * one), plus what @m sets; all masked with @mask (MOUNTOPT_PER_MOUNT for a
 * bind remount, which changes nothing else). The kernel refuses (EPERM) to
 * drop a locked flag, and dropping an unlocked one unasked would weaken the
 * mount.
 */
unsigned long mount_keep(unsigned long has, const struct mountopts *m, unsigned long mask);

/*
 * mount_cmd - one mount(2) call in mount(8) words, for -n and -v and
 * messages, into @buf (@len bytes; cut if longer). Returns @buf.
 *   a propagation type in @flags:  mount --make-rshared TARGET
 *   MS_REMOUNT in @flags:          mount -o remount,bind,ro[,DATA] TARGET
 *   otherwise:                     mount [-t TYPE] [-o FLAGS[,DATA]] SOURCE TARGET
 * @type, @data, @source may be NULL (a NULL @source shows as "none"). Words
 * that need it are quoted (msg_quote()).
 */
const char *mount_cmd(char *buf, size_t len, const char *type, unsigned long flags,
		      const char *data, const char *source, const char *target);

#endif
