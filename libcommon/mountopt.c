/*
 * mountopt.c - fstab-style mount options to mount(2) arguments (mountopt.h).
 *
 * Follows mount(8) "FILESYSTEM-INDEPENDENT MOUNT OPTIONS" for the words,
 * mount(2) and fs/namespace.c path_mount() for how the kernel reads the
 * flags, and Documentation/filesystems/sharedsubtree.rst for propagation.
 * Pure: no system calls, no allocation, no output.
 */
#include <stdio.h>
#include <string.h>

#include "mountopt.h"

enum kind {
	K_FLAG, /* flags = (flags & ~clear) | set */
	K_PROP, /* set is a propagation entry of its own */
	K_RRO,	/* recursive read-only, through mount_setattr */
	K_NONE, /* "defaults": a word that means "nothing special" */
	K_DROP, /* meaningful to mount(8) or fstab only, never to the kernel */
};

struct word {
	const char *name;
	enum kind kind;
	unsigned long set;
	unsigned long clear;
};

#define ATIMES (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)

static const struct word words[] = {
	{"defaults", K_NONE, 0, 0},
	{"ro", K_FLAG, MS_RDONLY, 0},
	/* rw also clears rro, below */
	{"rw", K_FLAG, 0, MS_RDONLY},
	{"rro", K_RRO, 0, 0},
	{"nosuid", K_FLAG, MS_NOSUID, 0},
	{"suid", K_FLAG, 0, MS_NOSUID},
	{"nodev", K_FLAG, MS_NODEV, 0},
	{"dev", K_FLAG, 0, MS_NODEV},
	{"noexec", K_FLAG, MS_NOEXEC, 0},
	{"exec", K_FLAG, 0, MS_NOEXEC},
	{"sync", K_FLAG, MS_SYNCHRONOUS, 0},
	{"async", K_FLAG, 0, MS_SYNCHRONOUS},
	{"dirsync", K_FLAG, MS_DIRSYNC, 0},
	{"mand", K_FLAG, MS_MANDLOCK, 0},
	{"nomand", K_FLAG, 0, MS_MANDLOCK},
	{"remount", K_FLAG, MS_REMOUNT, 0},
	{"bind", K_FLAG, MS_BIND, 0},
	{"rbind", K_FLAG, MS_BIND | MS_REC, 0},
	/*
	 * path_mount() lets MS_STRICTATIME beat MS_NOATIME and treats no atime
	 * flag as relatime; one of the three, the last named, says it plainly.
	 */
	{"noatime", K_FLAG, MS_NOATIME, ATIMES},
	{"relatime", K_FLAG, MS_RELATIME, ATIMES},
	{"strictatime", K_FLAG, MS_STRICTATIME, ATIMES},
	{"atime", K_FLAG, 0, MS_NOATIME},
	{"norelatime", K_FLAG, 0, MS_RELATIME},
	{"nostrictatime", K_FLAG, 0, MS_STRICTATIME},
	{"nodiratime", K_FLAG, MS_NODIRATIME, 0},
	{"diratime", K_FLAG, 0, MS_NODIRATIME},
	{"nosymfollow", K_FLAG, MS_NOSYMFOLLOW, 0},
	{"symfollow", K_FLAG, 0, MS_NOSYMFOLLOW},
	{"lazytime", K_FLAG, MS_LAZYTIME, 0},
	{"nolazytime", K_FLAG, 0, MS_LAZYTIME},
	{"silent", K_FLAG, MS_SILENT, 0},
	{"loud", K_FLAG, 0, MS_SILENT},
	{"iversion", K_FLAG, MS_I_VERSION, 0},
	{"noiversion", K_FLAG, 0, MS_I_VERSION},
	{"shared", K_PROP, MS_SHARED, 0},
	{"slave", K_PROP, MS_SLAVE, 0},
	{"private", K_PROP, MS_PRIVATE, 0},
	{"unbindable", K_PROP, MS_UNBINDABLE, 0},
	{"rshared", K_PROP, MS_SHARED | MS_REC, 0},
	{"rslave", K_PROP, MS_SLAVE | MS_REC, 0},
	{"rprivate", K_PROP, MS_PRIVATE | MS_REC, 0},
	{"runbindable", K_PROP, MS_UNBINDABLE | MS_REC, 0},
	{"auto", K_DROP, 0, 0},
	{"noauto", K_DROP, 0, 0},
	{"user", K_DROP, 0, 0},
	{"users", K_DROP, 0, 0},
	{"nouser", K_DROP, 0, 0},
	{"owner", K_DROP, 0, 0},
	{"group", K_DROP, 0, 0},
	{"_netdev", K_DROP, 0, 0},
	{"nofail", K_DROP, 0, 0},
};

static const struct word *lookup(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(words[i].name, s))
			return &words[i];
	return NULL;
}

int mountopt_parse(struct mountopts *m, const char *type, char *const *options, size_t n,
		   struct err *e)
{
	/* the size the data would have, counted on past the buffer for the message */
	size_t need = 0, nprop = 0, i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++) {
		const char *o = options[i];
		const struct word *w;
		size_t len;

		if (!o || !*o)
			continue;
		w = lookup(o);
		if (!w) {
			/* mount(8) keeps x-* and X-* for userspace; a filesystem would reject them */
			if ((o[0] == 'x' || o[0] == 'X') && o[1] == '-')
				continue;
			len = strlen(o);
			need += (need ? 1 : 0) + len;
			if (need < sizeof(m->data)) {
				if (m->datalen)
					m->data[m->datalen++] = ',';
				memcpy(m->data + m->datalen, o, len + 1);
				m->datalen += len;
			}
			continue;
		}
		switch (w->kind) {
		case K_FLAG:
			m->flags = (m->flags & ~w->clear) | w->set;
			m->cleared = (m->cleared | w->clear) & ~w->set;
			if (w->clear & MS_RDONLY)
				m->rro = false;
			break;
		case K_PROP:
			/* the kernel takes one propagation type per call, alone (EINVAL otherwise) */
			if (nprop < MOUNTOPT_PROP_MAX)
				m->propagation[nprop] = w->set;
			nprop++;
			break;
		case K_RRO:
			m->rro = true;
			break;
		case K_NONE:
		case K_DROP:
			break;
		}
	}
	if (need >= sizeof(m->data)) {
		memset(m, 0, sizeof(*m));
		return err_set(e, 0, "mount data is %zu bytes, the kernel takes at most %zu", need,
			       sizeof(m->data) - 1);
	}
	if (nprop > MOUNTOPT_PROP_MAX) {
		memset(m, 0, sizeof(*m));
		return err_set(e, 0, "%zu propagation options, at most %d are allowed", nprop,
			       MOUNTOPT_PROP_MAX);
	}
	m->npropagation = nprop;
	/* "bind" is no filesystem type: the seed's mount(2) got ENODEV from it */
	if (type && !strcmp(type, "bind"))
		m->flags |= MS_BIND;
	m->bind = (m->flags & MS_BIND) != 0;
	/* a remount,bind entry's first call already is the remount that applies them */
	if (m->bind && !(m->flags & MS_REMOUNT))
		m->remount = m->flags & MOUNTOPT_PER_MOUNT;
	return 0;
}

struct flagname {
	unsigned long flag;
	const char *name;
};

/* mountopt_flag_names()'s order, after bind/rbind */
static const struct flagname flagnames[] = {
	{MS_RDONLY, "ro"},
	{MS_NOSUID, "nosuid"},
	{MS_NODEV, "nodev"},
	{MS_NOEXEC, "noexec"},
	{MS_SYNCHRONOUS, "sync"},
	{MS_REMOUNT, "remount"},
	{MS_MANDLOCK, "mand"},
	{MS_DIRSYNC, "dirsync"},
	{MS_NOSYMFOLLOW, "nosymfollow"},
	{MS_NOATIME, "noatime"},
	{MS_NODIRATIME, "nodiratime"},
	{MS_RELATIME, "relatime"},
	{MS_STRICTATIME, "strictatime"},
	{MS_LAZYTIME, "lazytime"},
	{MS_SILENT, "silent"},
	{MS_I_VERSION, "iversion"},
};

static const struct flagname propnames[] = {
	{MS_SHARED, "shared"},
	{MS_SLAVE, "slave"},
	{MS_PRIVATE, "private"},
	{MS_UNBINDABLE, "unbindable"},
};

/* Append ",@s" (or "@s" first) to @buf; text past @len - 1 bytes is cut. */
static void append(char *buf, size_t len, size_t *used, const char *s)
{
	int n;

	if (*used + 1 >= len)
		return;
	n = snprintf(buf + *used, len - *used, "%s%s", *used ? "," : "", s);
	if (n < 0)
		return;
	*used += (size_t)n < len - *used ? (size_t)n : len - *used - 1;
}

const char *mountopt_flag_names(unsigned long flags, char *buf, size_t len)
{
	unsigned long rec = flags & MS_REC;
	bool rec_shown = false;
	size_t used = 0, i;
	char hex[32];

	if (!len)
		return buf;
	buf[0] = '\0';
	flags &= ~MS_REC;
	/* MS_REC has no word of its own: it makes rbind, or rshared... */
	if (flags & MS_BIND) {
		append(buf, len, &used, rec ? "rbind" : "bind");
		rec_shown = true;
		flags &= ~MS_BIND;
	}
	for (i = 0; i < sizeof(flagnames) / sizeof(flagnames[0]); i++) {
		if (flags & flagnames[i].flag) {
			append(buf, len, &used, flagnames[i].name);
			flags &= ~flagnames[i].flag;
		}
	}
	for (i = 0; i < sizeof(propnames) / sizeof(propnames[0]); i++) {
		if (flags & propnames[i].flag) {
			append(buf, len, &used, mountopt_propagation_name(propnames[i].flag | rec));
			rec_shown = true;
			flags &= ~propnames[i].flag;
		}
	}
	/* ...else, alone, it is shown with the unnamed bits */
	if (!rec_shown)
		flags |= rec;
	if (flags) {
		snprintf(hex, sizeof(hex), "0x%lx", flags);
		append(buf, len, &used, hex);
	}
	return buf;
}

const char *mountopt_propagation_name(unsigned long propagation)
{
	static const char *const rec[] = {"rshared", "rslave", "rprivate", "runbindable"};
	size_t i;

	for (i = 0; i < sizeof(propnames) / sizeof(propnames[0]); i++) {
		if (propagation == propnames[i].flag)
			return propnames[i].name;
		if (propagation == (propnames[i].flag | MS_REC))
			return rec[i];
	}
	return "unknown";
}
