/*
 * config.h - runtime.json: the "runtime" section LinuxKit writes for a
 * service (its schema: `runtime` in src/cmd/linuxkit/moby/schema.go), read
 * with cJSON and validated completely before anything is done.
 *
 * Applets never see cJSON: config_parse() turns the document into the typed
 * struct config below, or fails with the JSON path of the first problem:
 *   "runtime.json: .mounts[1].options[0]: expected a string, got a number"
 * See DESIGN.md section 3 for every rule, and two more that stop a run
 * before anything is done rather than halfway: two bindNS types may not
 * name one file (compared by components, so "/run/ns//x/" is "/run/ns/x"),
 * and an option word holding several comma-separated options (overlay splits
 * at each comma no backslash escapes) has each of them checked.
 *
 * config.c applies the rules to the tree; jsontree.c checks its shape (types,
 * keys, arrays); jsontext.c parses the text with cJSON and adds the checks
 * cJSON leaves out; jsonpath.c writes the paths; configfile.c reads the file.
 */
#ifndef PREPBOX_CONFIG_H
#define PREPBOX_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* Largest config file accepted, in bytes. */
#define CONFIG_MAX_SIZE (1024 * 1024)
/* Paths (and cgroup names) must be shorter than this, in bytes (PATH_MAX). */
#define CONFIG_PATH_MAX 4096
/* Mount data (filesystem options, comma-joined) must be shorter than this: the
 * kernel copies one page of it and silently cuts the rest. */
#define CONFIG_DATA_MAX 4096
/* Interface names: at most this many bytes (IFNAMSIZ - 1). */
#define CONFIG_IFNAME_MAX 15

/* The keys of the top-level object, as bits of config.keys. */
enum config_key {
	CONFIG_CGROUPS = 1 << 0,
	CONFIG_MOUNTS = 1 << 1,
	CONFIG_MKDIR = 1 << 2,
	CONFIG_INTERFACES = 1 << 3,
	CONFIG_BINDNS = 1 << 4,
	CONFIG_NAMESPACE = 1 << 5,
};

/* Namespace types in the order bindNS is applied. */
enum ns_type { NS_CGROUP, NS_IPC, NS_MNT, NS_NET, NS_PID, NS_USER, NS_UTS, NS_COUNT };

/* The bindNS key and /proc/PID/ns/ name of each type: "cgroup", "ipc"... */
extern const char *const config_ns_names[NS_COUNT];

struct config_mount {
	char *destination; /* never NULL or "" */
	char *type;	   /* NULL when absent, null or "" */
	char *source;	   /* NULL when absent, null or "" */
	char **options;	   /* @noptions strings, each non-empty */
	size_t noptions;
};

struct config_iface {
	char *name; /* never NULL; a valid interface name */
	char *add;  /* link kind; NULL when absent/"" (then: move @name), "veth" when only peer was set */
	char *peer; /* NULL when absent/""; set whenever add is "veth" */
	bool create_in_root;
};

struct config {
	unsigned keys; /* enum config_key bits of the keys that ask for work */

	char **cgroups; /* cgroup names, relative to each hierarchy; no ".." */
	size_t ncgroups;

	struct config_mount *mounts;
	size_t nmounts;

	char **mkdir; /* absolute, or relative to BUNDLE/rootfs */
	size_t nmkdir;

	struct config_iface *ifaces;
	size_t nifaces;

	char *bindns[NS_COUNT]; /* absolute path, or NULL when not asked for */

	char *namespace; /* containerd namespace: kept, not used; NULL when absent, null or "" */
};

/*
 * config_parse - validate and convert one runtime.json document.
 * @c: filled on success (free with config_free()); zeroed on failure.
 * @name: how messages name the document ("runtime.json", "<stdin>").
 * @buf, @len: the document's bytes; need not be NUL-terminated; may hold NULs
 *	(which are errors). An empty document is not JSON.
 * Returns 0, or -1 with @e set (errnum 0 for a bad document, ENOMEM when
 * memory ran out: "parse NAME") and a message "NAME: PATH: problem", where
 * PATH is the JSON path (".mounts[1].options[0]"; none for the top-level
 * value), or "NAME: line L, column C: problem" (columns count bytes) when the
 * text is not JSON at all. A string that breaks JSON's rules (an invalid
 * escape, invalid UTF-8...) in a text that is JSON otherwise is named by its
 * path; a key, as written. The first problem in the text is reported: the
 * text as a whole, then from the top, in each object its keys (unknown,
 * duplicate) before its values.
 */
int config_parse(struct config *c, const char *name, const char *buf, size_t len,
		 struct err *e);

/*
 * config_load - read and parse the config of a run.
 * @file: the file given with -c ("-" is standard input), or NULL for the
 *	default BUNDLE/runtime.json.
 * @bundle: BUNDLE, or NULL. With neither @file nor @bundle, or when the default
 *	file does not exist (ENOENT), the config is empty (LinuxKit's rule).
 * Messages name the document "runtime.json", FILE, or "<stdin>" for "-".
 * Returns 0, or -1 with @e set: the file's open/read errno ("open FILE":
 * ENOENT for a missing -c FILE; "read FILE": EISDIR...), EFBIG for more than
 * CONFIG_MAX_SIZE bytes (found out by reading at most one byte more, so a
 * pipe cannot make it read without end), ENOMEM, or a config_parse() error.
 */
int config_load(struct config *c, const char *file, const char *bundle, struct err *e);

/*
 * config_check_relative - when @c has relative paths (mount destinations,
 * mkdir) and there is no BUNDLE to resolve them in, fail with the JSON path of
 * the first one: "runtime.json: .mkdir[0]: relative path "x" needs a BUNDLE".
 * @name: how messages name the document. Returns 0 or -1 with @e set.
 */
int config_check_relative(const struct config *c, const char *name, struct err *e);

/* config_key_name - "cgroups", "mounts"... for one enum config_key bit. */
const char *config_key_name(unsigned key);

/* config_free - free what config_parse() allocated; @c is zeroed. */
void config_free(struct config *c);

#endif
