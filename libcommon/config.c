/*
 * config.c - runtime.json into struct config (config.h): the schema of
 * LinuxKit's `runtime` (src/cmd/linuxkit/moby/schema.go) and every rule of
 * DESIGN.md section 3 on the parsed tree, each failure named by its JSON
 * path. jsontext.c parses the text, strictly; jsontree.c reads the shape of
 * the tree (types, keys, arrays); configfile.c reads the file.
 *
 * The first problem is the one reported: first the text as a whole (is it
 * JSON), then the tree from the top, where in each object the keys come
 * first (unknown, duplicate), then the values in text order, then the rules
 * that join several keys (a missing "destination", veth without "peer",
 * mount data) once the object is read.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "config.h"
#include "jsontext.h"
#include "jsontree.h"
#include "mountopt.h"

const char *const config_ns_names[NS_COUNT] = {
	[NS_CGROUP] = "cgroup", [NS_IPC] = "ipc",   [NS_MNT] = "mnt", [NS_NET] = "net",
	[NS_PID] = "pid",	[NS_USER] = "user", [NS_UTS] = "uts",
};

/* The top-level keys, in the order of their enum config_key bits. */
enum { K_CGROUPS, K_MOUNTS, K_MKDIR, K_INTERFACES, K_BINDNS, K_NAMESPACE, K_COUNT };
static const char *const top_keys[K_COUNT] = { "cgroups",    "mounts", "mkdir",
					       "interfaces", "bindNS", "namespace" };

enum { M_DESTINATION, M_TYPE, M_SOURCE, M_OPTIONS, M_COUNT };
static const char *const mount_keys[M_COUNT] = { "destination", "type", "source", "options" };

enum { I_NAME, I_ADD, I_PEER, I_CREATE_IN_ROOT, I_COUNT };
static const char *const iface_keys[I_COUNT] = { "name", "add", "peer", "createInRoot" };

/* A string of @n bytes, named @what in the message, must be shorter than PATH_MAX. */
static int check_length(struct jsontree *t, size_t n, const char *what)
{
	if (n >= CONFIG_PATH_MAX)
		return jsontree_bad(t, "%s is %zu bytes, at most %d are allowed", what, n,
				    CONFIG_PATH_MAX - 1);
	return 0;
}

/* A destination or mkdir entry: absolute or relative to BUNDLE/rootfs. */
static int check_path(struct jsontree *t, const char *s)
{
	if (!*s)
		return jsontree_bad(t, "empty path");
	return check_length(t, strlen(s), "path");
}

static int check_cgroup(struct jsontree *t, const char *s)
{
	const char *p = s, *end;
	char shown[JSONPATH_SHOW_BUF];

	if (!*s)
		return jsontree_bad(t, "empty cgroup name");
	if (check_length(t, strlen(s), "cgroup name") < 0)
		return -1;
	/* cgroupfs refuses it (EINVAL): better said now than half way through a run */
	if (strchr(s, '\n'))
		return jsontree_bad(t, "\"%s\" has a newline, which no cgroup name may have",
				    jsontree_show(s, shown));
	/* a ".." component would leave the hierarchy; "/" alone still names one under it */
	for (; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '/');
		if (end - p == 2 && p[0] == '.' && p[1] == '.')
			return jsontree_bad(t, "\"%s\" has a \"..\" component",
					    jsontree_show(s, shown));
	}
	return 0;
}

/*
 * One overlay directory @dir (@len bytes) of option @opt (the value is past
 * '='), which the kernel would resolve against prepbox's working directory
 * if relative.
 */
static int check_overlay_dir(struct jsontree *t, const char *opt, const char *dir, size_t len)
{
	char shown[JSONPATH_SHOW_BUF];

	if (len && dir[0] == '/')
		return 0;
	return jsontree_bad(t, "\"%s\" in %s= is not an absolute path",
			    jsonpath_show(dir, len, false, shown, sizeof(shown)), opt);
}

/*
 * One filesystem option, @s (@len bytes), as overlay reads it. The values of
 * the overlay options that name directories are paths; lowerdir is a
 * ':'-separated list in which '\' escapes the next character
 * (fs/overlayfs/params.c), and "::" marks the data-only layers that follow,
 * so an empty element between two colons is fine.
 */
static int check_fs_option(struct jsontree *t, const char *s, size_t len)
{
	static const char *const dirs[] = { "upperdir", "workdir", "lowerdir", "lowerdir+",
					    "datadir+" };
	const char *v, *p, *start, *end = s + len;
	char what[32];
	size_t i, n;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		n = strlen(dirs[i]);
		if (len > n && !strncmp(s, dirs[i], n) && s[n] == '=')
			break;
	}
	if (i == sizeof(dirs) / sizeof(dirs[0]))
		return 0;
	v = s + n + 1;
	snprintf(what, sizeof(what), "%s= value", dirs[i]);
	if (check_length(t, (size_t)(end - v), what) < 0)
		return -1;
	if (strcmp(dirs[i], "lowerdir") || v == end)
		return check_overlay_dir(t, dirs[i], v, (size_t)(end - v));
	for (p = start = v;; p++) {
		if (p < end && *p == '\\' && p + 1 < end) {
			p++;
		} else if (p == end || *p == ':') {
			bool data_only_mark = p == start && p > v && p[-1] == ':' && p < end;

			if (!data_only_mark &&
			    check_overlay_dir(t, dirs[i], start, (size_t)(p - start)) < 0)
				return -1;
			if (p == end)
				return 0;
			start = p + 1;
		}
	}
}

/*
 * A mount option. A word goes to mount(2) as it is, commas included, and
 * overlay splits its data at each comma that no backslash escapes
 * (fs/overlayfs/params.c ovl_next_opt(): "\," is a comma inside a path), so
 * "lowerdir=/a,upperdir=rel" holds two options: each one is checked.
 */
static int check_option(struct jsontree *t, const char *s)
{
	const char *p, *start;

	if (!*s)
		return jsontree_bad(t, "empty option");
	for (p = start = s;; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == ',' || !*p) {
			if (check_fs_option(t, start, (size_t)(p - start)) < 0)
				return -1;
			if (!*p)
				return 0;
			start = p + 1;
		}
	}
}

/*
 * What the options of one mount cannot mean, decided from the options alone:
 * refused here rather than found out half way through a run.
 */
static int check_mountopts(struct jsontree *t, const struct config_mount *mnt,
			   const struct mountopts *m)
{
	const unsigned long sb = MOUNTOPT_SB_FLAGS;
	char names[256];

	if (m->bind && !(m->flags & MS_REMOUNT) && !mnt->source)
		return jsontree_bad(t, "a bind mount needs \"source\"");
	/* mount(2) has no type to mount then: EINVAL, half way through a run. */
	if (!mnt->type && !m->bind && !(m->flags & MS_REMOUNT) &&
	    !(m->npropagation && !m->flags && !m->datalen && !m->rro))
		return jsontree_bad(t, "a new mount needs \"type\" (or \"bind\" or \"rbind\" in "
				    "\"options\"; a remount, or a propagation change alone, needs "
				    "neither)");
	if (m->bind && (m->flags & sb)) {
		jsontree_key(t, "options");
		return jsontree_bad(t, "%s: filesystem (superblock) flags, which a bind mount cannot set "
				    "(it would change the source's filesystem)",
				    mountopt_flag_names(m->flags & sb, names, sizeof(names)));
	}
	if (m->bind && m->datalen) {
		jsontree_key(t, "options");
		return jsontree_bad(t, "%s: filesystem data, which a bind mount does not pass on "
				    "(the kernel ignores it)", m->data);
	}
	if (m->rro && (m->flags & MS_REMOUNT)) {
		jsontree_key(t, "options");
		return jsontree_bad(t, "rro with remount: the sub-mounts it would make read-only "
				    "could not be put back on rollback");
	}
	return 0;
}

static int convert_mount(struct jsontree *t, const cJSON *v, void *out)
{
	struct config_mount *mnt = out;
	struct mountopts opts;
	const cJSON *m;
	const char *s;
	size_t old;
	int rc = 0;

	if (jsontree_members(t, v, mount_keys, M_COUNT) < 0)
		return -1;
	for (m = v->child; m && !rc; m = m->next) {
		if (cJSON_IsNull(m))
			continue;
		old = jsontree_key(t, m->string);
		switch (jsontree_key_index(m, mount_keys, M_COUNT)) {
		case M_DESTINATION:
			s = jsontree_string(t, m);
			rc = !s || check_path(t, s) < 0 ? -1
							: jsontree_copy(t, s, &mnt->destination);
			break;
		case M_TYPE:
			rc = jsontree_optional_string(t, m, &mnt->type);
			/* mount(8)'s word for no filesystem (a bind, a propagation change) */
			if (!rc && mnt->type && !strcmp(mnt->type, "none")) {
				free(mnt->type);
				mnt->type = NULL;
			}
			break;
		case M_SOURCE:
			rc = jsontree_optional_string(t, m, &mnt->source);
			if (!rc && mnt->source)
				rc = check_length(t, strlen(mnt->source), "path");
			break;
		default:
			rc = jsontree_string_array(t, m, check_option, &mnt->options,
						   &mnt->noptions);
			break;
		}
		jsontree_pop(t, old);
	}
	if (rc)
		return -1;
	if (!mnt->destination)
		return jsontree_bad(t, "missing \"destination\"");
	if (mountopt_parse(&opts, mnt->type, mnt->options, mnt->noptions, t->e) < 0) {
		jsontree_key(t, "options");
		return err_prefix(t->e, "%s: %s", t->name, t->path.s);
	}
	return check_mountopts(t, mnt, &opts);
}

/* An interface name, as the kernel's dev_valid_name() takes it. */
static int check_ifname(struct jsontree *t, const char *s)
{
	char shown[JSONPATH_SHOW_BUF];
	const char *p;

	if (!*s)
		return jsontree_bad(t, "empty interface name");
	if (strlen(s) > CONFIG_IFNAME_MAX)
		return jsontree_bad(t, "\"%s\" is longer than %d bytes", jsontree_show(s, shown),
				    CONFIG_IFNAME_MAX);
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return jsontree_bad(t, "\"%s\" is not a valid interface name", s);
	for (p = s; *p; p++) {
		if (*p == '/' || *p == ':')
			return jsontree_bad(t, "\"%s\" contains \"%c\"", jsontree_show(s, shown),
					    *p);
		/* The kernel's isspace() (lib/ctype.c) also takes 0xa0, Latin-1's no-break space. */
		if (strchr(" \t\n\v\f\r", *p) || (unsigned char)*p == 0xa0)
			return jsontree_bad(t, "\"%s\" contains whitespace",
					    jsontree_show(s, shown));
		/* "eth%d" is a template: the kernel would pick the name, and undo could not find it. */
		if (*p == '%')
			return jsontree_bad(t, "\"%s\" contains \"%%\" (the kernel takes it for a name "
					    "template)", jsontree_show(s, shown));
	}
	return 0;
}

static int convert_iface(struct jsontree *t, const cJSON *v, void *out)
{
	struct config_iface *ifc = out;
	char shown[JSONPATH_SHOW_BUF];
	const cJSON *m;
	const char *s;
	size_t old;
	int rc = 0;

	if (jsontree_members(t, v, iface_keys, I_COUNT) < 0)
		return -1;
	for (m = v->child; m && !rc; m = m->next) {
		if (cJSON_IsNull(m))
			continue;
		old = jsontree_key(t, m->string);
		switch (jsontree_key_index(m, iface_keys, I_COUNT)) {
		case I_NAME:
			s = jsontree_string(t, m);
			rc = !s || check_ifname(t, s) < 0 ? -1 : jsontree_copy(t, s, &ifc->name);
			break;
		case I_ADD:
			rc = jsontree_optional_string(t, m, &ifc->add);
			break;
		case I_PEER:
			rc = jsontree_optional_string(t, m, &ifc->peer);
			if (!rc && ifc->peer)
				rc = check_ifname(t, ifc->peer);
			break;
		default:
			if (!cJSON_IsBool(m))
				rc = jsontree_bad(t, "expected a boolean, got %s",
						  jsontree_type_name(m));
			ifc->create_in_root = cJSON_IsTrue(m);
			break;
		}
		jsontree_pop(t, old);
	}
	if (rc)
		return -1;
	if (!ifc->name)
		return jsontree_bad(t, "missing \"name\"");
	/* LinuxKit: a peer alone means a veth pair */
	if (!ifc->add && ifc->peer && jsontree_copy(t, "veth", &ifc->add) < 0)
		return -1;
	if (ifc->add && !strcmp(ifc->add, "veth") && !ifc->peer)
		return jsontree_bad(t, "veth without \"peer\"");
	if (ifc->peer && strcmp(ifc->add, "veth")) {
		jsontree_key(t, "peer");
		return jsontree_bad(t, "only a veth has a peer (add is \"%s\")",
				    jsontree_show(ifc->add, shown));
	}
	return 0;
}

/*
 * The next component of the path at *@p that is neither empty nor ".", and
 * its length in *@n; NULL at the end. Moves *@p past it.
 */
static const char *next_component(const char **p, size_t *n)
{
	const char *s = *p;

	for (;;) {
		while (*s == '/')
			s++;
		*n = strcspn(s, "/");
		*p = s + *n;
		if (!*n)
			return NULL;
		if (*n != 1 || s[0] != '.')
			return s;
		s += *n;
	}
}

/*
 * Whether absolute paths @a and @b name one file for sure: the same
 * components once "//", "/./" and trailing slashes are dropped. ".." and
 * symlinks are left alone: only the file system could say where they lead.
 */
static bool same_path(const char *a, const char *b)
{
	const char *ca, *cb;
	size_t na, nb;

	for (;;) {
		ca = next_component(&a, &na);
		cb = next_component(&b, &nb);
		if (!ca || !cb)
			return !ca && !cb;
		if (na != nb || memcmp(ca, cb, na))
			return false;
	}
}

/*
 * bindNS type @i on the file of a type read before it (in text order: the
 * others are still NULL): the second bind would replace the first.
 */
static int check_bindns_unique(struct jsontree *t, char *const *bindns, size_t i)
{
	char shown[JSONPATH_SHOW_BUF], other[JSONPATH_SHOW_BUF];
	size_t j;

	for (j = 0; j < NS_COUNT; j++) {
		if (j == i || !bindns[j] || !same_path(bindns[i], bindns[j]))
			continue;
		if (!strcmp(bindns[i], bindns[j]))
			return jsontree_bad(t, "\"%s\" is also .bindNS.%s",
					    jsontree_show(bindns[i], shown), config_ns_names[j]);
		return jsontree_bad(t, "\"%s\" is also .bindNS.%s (\"%s\")",
				    jsontree_show(bindns[i], shown), config_ns_names[j],
				    jsontree_show(bindns[j], other));
	}
	return 0;
}

static int convert_bindns(struct jsontree *t, const cJSON *v, struct config *c)
{
	char shown[JSONPATH_SHOW_BUF];
	const cJSON *m;
	size_t i, old;
	int rc = 0;

	if (jsontree_members(t, v, config_ns_names, NS_COUNT) < 0)
		return -1;
	for (m = v->child; m && !rc; m = m->next) {
		if (cJSON_IsNull(m))
			continue;
		i = jsontree_key_index(m, config_ns_names, NS_COUNT);
		old = jsontree_key(t, m->string);
		/* LinuxKit writes "" for every namespace not asked for */
		rc = jsontree_optional_string(t, m, &c->bindns[i]);
		if (!rc && c->bindns[i] && c->bindns[i][0] != '/')
			rc = jsontree_bad(t, "\"%s\" is not an absolute path",
					  jsontree_show(c->bindns[i], shown));
		if (!rc && c->bindns[i])
			rc = check_length(t, strlen(c->bindns[i]), "path");
		if (!rc && c->bindns[i])
			rc = check_bindns_unique(t, c->bindns, i);
		jsontree_pop(t, old);
	}
	return rc;
}

static int convert(struct jsontree *t, const cJSON *root, struct config *c)
{
	const cJSON *m;
	size_t i, old;
	int rc = 0;

	if (cJSON_IsNull(root))
		return 0;
	if (!cJSON_IsObject(root))
		return jsontree_bad(t, "expected an object at the top, got %s",
				    jsontree_type_name(root));
	if (jsontree_members(t, root, top_keys, K_COUNT) < 0)
		return -1;
	for (m = root->child; m && !rc; m = m->next) {
		if (cJSON_IsNull(m))
			continue;
		old = jsontree_key(t, m->string);
		switch (jsontree_key_index(m, top_keys, K_COUNT)) {
		case K_CGROUPS:
			rc = jsontree_string_array(t, m, check_cgroup, &c->cgroups, &c->ncgroups);
			break;
		case K_MOUNTS:
			rc = jsontree_object_array(t, m, convert_mount, sizeof(*c->mounts),
						   (void **)&c->mounts, &c->nmounts);
			break;
		case K_MKDIR:
			rc = jsontree_string_array(t, m, check_path, &c->mkdir, &c->nmkdir);
			break;
		case K_INTERFACES:
			rc = jsontree_object_array(t, m, convert_iface, sizeof(*c->ifaces),
						   (void **)&c->ifaces, &c->nifaces);
			break;
		case K_BINDNS:
			rc = convert_bindns(t, m, c);
			break;
		default:
			rc = jsontree_optional_string(t, m, &c->namespace);
			break;
		}
		jsontree_pop(t, old);
	}
	if (rc)
		return -1;
	c->keys |= c->ncgroups ? CONFIG_CGROUPS : 0;
	c->keys |= c->nmounts ? CONFIG_MOUNTS : 0;
	c->keys |= c->nmkdir ? CONFIG_MKDIR : 0;
	c->keys |= c->nifaces ? CONFIG_INTERFACES : 0;
	for (i = 0; i < NS_COUNT; i++)
		c->keys |= c->bindns[i] ? CONFIG_BINDNS : 0;
	c->keys |= c->namespace ? CONFIG_NAMESPACE : 0;
	return 0;
}

int config_parse(struct config *c, const char *name, const char *buf, size_t len, struct err *e)
{
	struct jsontree t = { .name = name, .e = e };
	cJSON *root;
	int rc;

	memset(c, 0, sizeof(*c));
	root = jsontext_parse(name, buf, len, e);
	if (!root)
		return -1;
	rc = convert(&t, root, c);
	cJSON_Delete(root);
	if (rc < 0)
		config_free(c);
	return rc;
}

int config_check_relative(const struct config *c, const char *name, struct err *e)
{
	char shown[JSONPATH_SHOW_BUF];
	size_t i;

	for (i = 0; i < c->nmounts; i++)
		if (c->mounts[i].destination[0] != '/')
			return err_set(e, 0,
				       "%s: .mounts[%zu].destination: relative path \"%s\" "
				       "needs a BUNDLE",
				       name, i, jsontree_show(c->mounts[i].destination, shown));
	for (i = 0; i < c->nmkdir; i++)
		if (c->mkdir[i][0] != '/')
			return err_set(e, 0, "%s: .mkdir[%zu]: relative path \"%s\" needs a BUNDLE",
				       name, i, jsontree_show(c->mkdir[i], shown));
	return 0;
}
const char *config_key_name(unsigned key)
{
	size_t i;

	for (i = 0; i < K_COUNT; i++)
		if (key == 1u << i)
			return top_keys[i];
	return "unknown";
}

static void free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

void config_free(struct config *c)
{
	size_t i;

	free_strings(c->cgroups, c->ncgroups);
	for (i = 0; c->mounts && i < c->nmounts; i++) {
		free(c->mounts[i].destination);
		free(c->mounts[i].type);
		free(c->mounts[i].source);
		free_strings(c->mounts[i].options, c->mounts[i].noptions);
	}
	free(c->mounts);
	free_strings(c->mkdir, c->nmkdir);
	for (i = 0; c->ifaces && i < c->nifaces; i++) {
		free(c->ifaces[i].name);
		free(c->ifaces[i].add);
		free(c->ifaces[i].peer);
	}
	free(c->ifaces);
	for (i = 0; i < NS_COUNT; i++)
		free(c->bindns[i]);
	free(c->namespace);
	memset(c, 0, sizeof(*c));
}
