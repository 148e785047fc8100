/*
 * mountwords.c - the pure parts of the mount step (mountwords.h): overlay's
 * option syntax, the flags a remount keeps, and mount(8) words for plans.
 * See mount(2), mount(8), statvfs(3), proc(5) (mountinfo), the kernel's
 * Documentation/filesystems/overlayfs.rst.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

#include "msg.h"
#include "mountwords.h"

#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000
#endif

#define ATIMES (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)

int mount_overlay_next(const char **pos, char *buf, size_t len)
{
	const char *s = *pos, *p;

	if (!s || !*s)
		return 0;
	for (p = s; *p && *p != ','; p++)
		if (*p == '\\' && p[1])
			p++;
	if ((size_t)(p - s) >= len)
		return -1;
	memcpy(buf, s, p - s);
	buf[p - s] = '\0';
	*pos = *p ? p + 1 : p;
	return 1;
}

char *mount_overlay_unescape(char *s)
{
	char *d = s, *p = s;

	/* As ovl_unescape(): a trailing backslash stands for nothing. */
	for (;; p++) {
		if (*p == '\\')
			p++;
		*d++ = *p;
		if (!*p)
			break;
	}
	return s;
}

int mount_overlay_dirs(const char *data, int (*fn)(void *arg, const char *opt, const char *dir),
		       void *arg)
{
	static const char *const names[] = { "upperdir", "workdir", "lowerdir", "lowerdir+",
					     "datadir+" };
	size_t len = strlen(data) + 1, i, n;
	char *opt = malloc(len), *v, *p, *start;
	const char *pos = data;
	int rc = 0, more;

	if (!opt) {
		errno = ENOMEM;
		return -1;
	}
	while (rc == 0 && mount_overlay_next(&pos, opt, len) > 0) {
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			n = strlen(names[i]);
			if (!strncmp(opt, names[i], n) && opt[n] == '=')
				break;
		}
		if (i == sizeof(names) / sizeof(names[0]))
			continue;
		v = opt + n + 1;
		/* lowerdir+= and datadir+= are taken as written: overlay undoes no escape there. */
		if (names[i][n - 1] == '+') {
			rc = fn(arg, names[i], v);
			continue;
		}
		if (strcmp(names[i], "lowerdir")) {
			rc = fn(arg, names[i], mount_overlay_unescape(v));
			continue;
		}
		/* lowerdir: split at each ':' that no backslash escapes, then unescape */
		for (p = start = v; rc == 0; p++) {
			if (*p == '\\' && p[1]) {
				p++;
				continue;
			}
			if (*p && *p != ':')
				continue;
			more = *p != '\0';
			*p = '\0';
			if (*start)
				rc = fn(arg, names[i], mount_overlay_unescape(start));
			if (!more)
				break;
			start = p + 1;
		}
	}
	free(opt);
	return rc;
}

unsigned long mount_flags_from_statvfs(unsigned long f_flag)
{
	static const unsigned long map[][2] = {
		{ ST_RDONLY, MS_RDONLY },
		{ ST_NOSUID, MS_NOSUID },
		{ ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC },
		{ ST_SYNCHRONOUS, MS_SYNCHRONOUS },
		{ ST_MANDLOCK, MS_MANDLOCK },
		{ ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME },
		{ ST_RELATIME, MS_RELATIME },
		{ ST_NOSYMFOLLOW, MS_NOSYMFOLLOW },
	};
	unsigned long flags = 0;
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (f_flag & map[i][0])
			flags |= map[i][1];
	return flags & ATIMES ? flags : flags | MS_STRICTATIME;
}

struct word_flag {
	const char *word;
	unsigned long flag;
};

/* The flags of the words of @map (@n entries) that the comma-separated @opts has. */
static unsigned long words_flags(const char *opts, const struct word_flag *map, size_t n)
{
	unsigned long flags = 0;
	size_t i, len;

	while (*opts) {
		len = strcspn(opts, ",");
		for (i = 0; i < n; i++)
			if (strlen(map[i].word) == len && !strncmp(opts, map[i].word, len))
				flags |= map[i].flag;
		opts += len;
		if (*opts)
			opts++;
	}
	return flags;
}

unsigned long mount_flags_from_mountinfo(const char *opts)
{
	static const struct word_flag map[] = {
		{ "ro", MS_RDONLY },
		{ "nosuid", MS_NOSUID },
		{ "nodev", MS_NODEV },
		{ "noexec", MS_NOEXEC },
		{ "noatime", MS_NOATIME },
		{ "relatime", MS_RELATIME },
		{ "nodiratime", MS_NODIRATIME },
		{ "nosymfollow", MS_NOSYMFOLLOW },
	};
	unsigned long flags = words_flags(opts, map, sizeof(map) / sizeof(map[0]));

	return flags & ATIMES ? flags : flags | MS_STRICTATIME;
}

unsigned long mount_sb_flags_from_mountinfo(const char *opts)
{
	/* fs/proc_namespace.c show_sb_opts(), and "ro" before them */
	static const struct word_flag map[] = {
		{ "ro", MS_RDONLY },	   { "sync", MS_SYNCHRONOUS },
		{ "dirsync", MS_DIRSYNC }, { "lazytime", MS_LAZYTIME },
		{ "mand", MS_MANDLOCK },   { "iversion", MS_I_VERSION },
	};

	return words_flags(opts, map, sizeof(map) / sizeof(map[0]));
}

unsigned long mount_keep(unsigned long has, const struct mountopts *m, unsigned long mask)
{
	unsigned long keep = has & ~m->cleared;

	if (m->flags & ATIMES)
		keep &= ~ATIMES;
	return (keep | m->flags) & mask;
}

const char *mount_cmd(char *buf, size_t len, const char *type, unsigned long flags,
		      const char *data, const char *source, const char *target)
{
	char names[256], opts[CONFIG_DATA_MAX + 300];
	bool remount = flags & MS_REMOUNT;

	if (flags & MOUNTOPT_PROPAGATION) {
		msg_cmd(buf, len, "mount --make-%s %s", mountopt_propagation_name(flags),
			msg_quote(target));
		return buf;
	}
	mountopt_flag_names(flags & ~MS_REMOUNT, names, sizeof(names));
	snprintf(opts, sizeof(opts), "%s%s%s%s%s", remount ? "remount" : "",
		 remount && names[0] ? "," : "", names,
		 (remount || names[0]) && data && *data ? "," : "", data ? data : "");
	if (remount) {
		msg_cmd(buf, len, "mount -o %s %s", msg_quote(opts), msg_quote(target));
		return buf;
	}
	msg_cmd(buf, len, "mount%s%s%s%s %s %s", type ? " -t " : "", type ? msg_quote(type) : "",
		opts[0] ? " -o " : "", opts[0] ? msg_quote(opts) : "",
		msg_quote(source ? source : "none"), msg_quote(target));
	return buf;
}
