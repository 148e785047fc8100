/*
 * config.c - runtime.json into struct config (config.h): reading the file
 * and every rule of DESIGN.md section 3 on the parsed tree, each failure
 * named by its JSON path. The schema is LinuxKit's `runtime`
 * (src/cmd/linuxkit/moby/schema.go); jsontext.c parses the text, strictly.
 *
 * The first problem is the one reported: first the text as a whole (is it
 * JSON), then the tree from the top, where in each object the keys come
 * first (unknown, duplicate), then the values in text order, then the rules
 * that join several keys (a missing "destination", veth without "peer",
 * mount data) once the object is read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cJSON.h>

#include "config.h"
#include "jsontext.h"
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

/* Where the conversion is, for messages. */
struct ctx {
	const char *name; /* the document, as messages name it */
	struct err *e;
	struct jsonpath path;
};

/* Record "NAME: PATH: problem" (or "NAME: problem" at the top). Returns -1. */
static int bad(struct ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(struct ctx *x, const char *fmt, ...)
{
	char what[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (x->path.len)
		return err_set(x->e, 0, "%s: %s: %s", x->name, x->path.s, what);
	return err_set(x->e, 0, "%s: %s", x->name, what);
}

static int no_memory(struct ctx *x)
{
	return err_set(x->e, ENOMEM, "parse %s", x->name);
}

static size_t push_key(struct ctx *x, const char *key)
{
	return jsonpath_key(&x->path, key, strlen(key), false);
}

static size_t push_index(struct ctx *x, size_t i)
{
	return jsonpath_index(&x->path, i);
}

static void pop(struct ctx *x, size_t old)
{
	jsonpath_pop(&x->path, old);
}

/* @s as messages quote it, in a caller's JSONTEXT_SHOW_BUF buffer. */
static const char *show(const char *s, char *buf)
{
	return jsontext_show(s, strlen(s), false, buf, JSONTEXT_SHOW_BUF);
}

static const char *type_name(const cJSON *v)
{
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsObject(v))
		return "an object";
	return "something else";
}

/*
 * Check that @v is an object whose keys are among @keys (@n of them), each
 * once. Its values are then read in text order, null ones skipped.
 */
static int members(struct ctx *x, const cJSON *v, const char *const *keys, size_t n)
{
	unsigned seen = 0;
	const cJSON *m;
	size_t i, old;

	if (!cJSON_IsObject(v))
		return bad(x, "expected an object, got %s", type_name(v));
	for (m = v->child; m; m = m->next) {
		for (i = 0; i < n && strcmp(keys[i], m->string); i++)
			;
		old = push_key(x, m->string);
		if (i == n) {
			for (i = 0; i < n && strcasecmp(keys[i], m->string); i++)
				;
			if (i < n)
				return bad(x, "unknown key (did you mean \"%s\"?)", keys[i]);
			return bad(x, "unknown key");
		}
		if (seen & 1u << i)
			return bad(x, "duplicate key");
		seen |= 1u << i;
		pop(x, old);
	}
	return 0;
}

/* The key index of member @m of an object read by members(). */
static size_t key_index(const cJSON *m, const char *const *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n && strcmp(keys[i], m->string); i++)
		;
	return i;
}

static int copy_string(struct ctx *x, const char *s, char **out)
{
	size_t n = strlen(s) + 1;

	*out = malloc(n);
	if (!*out)
		return no_memory(x);
	memcpy(*out, s, n);
	return 0;
}

/* The text of string @v, or NULL after a type error. */
static const char *string_of(struct ctx *x, const cJSON *v)
{
	if (!cJSON_IsString(v) || !v->valuestring) {
		bad(x, "expected a string, got %s", type_name(v));
		return NULL;
	}
	return v->valuestring;
}

/* An optional string: @v absent (NULL) or "" leaves *@out NULL. */
static int optional_string(struct ctx *x, const cJSON *v, char **out)
{
	const char *s;

	if (!v)
		return 0;
	s = string_of(x, v);
	if (!s)
		return -1;
	return *s ? copy_string(x, s, out) : 0;
}

static int check_length(struct ctx *x, const char *s, const char *what)
{
	size_t n = strlen(s);

	if (n >= CONFIG_PATH_MAX)
		return bad(x, "%s is %zu bytes, at most %d are allowed", what, n,
			   CONFIG_PATH_MAX - 1);
	return 0;
}

/* A destination or mkdir entry: absolute or relative to BUNDLE/rootfs. */
static int check_path(struct ctx *x, const char *s)
{
	if (!*s)
		return bad(x, "empty path");
	return check_length(x, s, "path");
}

static int check_cgroup(struct ctx *x, const char *s)
{
	const char *p = s, *end;
	char shown[JSONTEXT_SHOW_BUF];

	if (!*s)
		return bad(x, "empty cgroup name");
	if (check_length(x, s, "cgroup name") < 0)
		return -1;
	/* a ".." component would leave the hierarchy; "/" alone still names one under it */
	for (; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '/');
		if (end - p == 2 && p[0] == '.' && p[1] == '.')
			return bad(x, "\"%s\" has a \"..\" component", show(s, shown));
	}
	return 0;
}

/*
 * One overlay directory @dir of option @opt (the value is past '='), which
 * the kernel would resolve against prepbox's working directory if relative.
 */
static int check_overlay_dir(struct ctx *x, const char *opt, const char *dir, size_t len)
{
	char shown[JSONTEXT_SHOW_BUF];

	if (len && dir[0] == '/')
		return 0;
	return bad(x, "\"%s\" in %s= is not an absolute path",
		   jsontext_show(dir, len, false, shown, sizeof(shown)), opt);
}

/*
 * A mount option. The values of the overlay options that name directories
 * are paths; lowerdir is a ':'-separated list in which '\' escapes the next
 * character (fs/overlayfs/params.c), and "::" marks the data-only layers that
 * follow, so an empty element between two colons is fine.
 */
static int check_option(struct ctx *x, const char *s)
{
	static const char *const dirs[] = { "upperdir", "workdir", "lowerdir", "lowerdir+",
					    "datadir+" };
	const char *v, *p, *start;
	char what[32];
	size_t i, n;

	if (!*s)
		return bad(x, "empty option");
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		n = strlen(dirs[i]);
		if (!strncmp(s, dirs[i], n) && s[n] == '=')
			break;
	}
	if (i == sizeof(dirs) / sizeof(dirs[0]))
		return 0;
	v = s + n + 1;
	snprintf(what, sizeof(what), "%s= value", dirs[i]);
	if (check_length(x, v, what) < 0)
		return -1;
	if (strcmp(dirs[i], "lowerdir") || !*v)
		return check_overlay_dir(x, dirs[i], v, strlen(v));
	for (p = start = v;; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == ':' || !*p) {
			bool data_only_mark = p == start && p > v && p[-1] == ':' && *p;

			if (!data_only_mark && check_overlay_dir(x, dirs[i], start, p - start) < 0)
				return -1;
			if (!*p)
				return 0;
			start = p + 1;
		}
	}
}

/*
 * Array @v of strings, each checked by @check, copied into *@out (*@n
 * strings). *@out and *@n are set before the strings are copied, so that
 * config_free() frees what a failure leaves.
 */
static int string_array(struct ctx *x, const cJSON *v, int (*check)(struct ctx *, const char *),
			char ***out, size_t *n)
{
	const cJSON *m;
	const char *s;
	size_t count = 0, i = 0, old;

	if (!cJSON_IsArray(v))
		return bad(x, "expected an array, got %s", type_name(v));
	for (m = v->child; m; m = m->next)
		count++;
	if (!count)
		return 0;
	*out = calloc(count, sizeof(**out));
	if (!*out)
		return no_memory(x);
	*n = count;
	for (m = v->child; m; m = m->next, i++) {
		old = push_index(x, i);
		s = string_of(x, m);
		if (!s || check(x, s) < 0 || copy_string(x, s, &(*out)[i]) < 0)
			return -1;
		pop(x, old);
	}
	return 0;
}

static int convert_mount(struct ctx *x, const cJSON *v, void *out)
{
	struct config_mount *mnt = out;
	struct mountopts opts;
	const cJSON *m;
	const char *s;
	size_t old;
	int rc = 0;

	if (members(x, v, mount_keys, M_COUNT) < 0)
		return -1;
	for (m = v->child; m && !rc; m = m->next) {
		if (cJSON_IsNull(m))
			continue;
		old = push_key(x, m->string);
		switch (key_index(m, mount_keys, M_COUNT)) {
		case M_DESTINATION:
			s = string_of(x, m);
			rc = !s || check_path(x, s) < 0 ? -1 : copy_string(x, s, &mnt->destination);
			break;
		case M_TYPE:
			rc = optional_string(x, m, &mnt->type);
			break;
		case M_SOURCE:
			rc = optional_string(x, m, &mnt->source);
			if (!rc && mnt->source)
				rc = check_length(x, mnt->source, "path");
			break;
		default:
			rc = string_array(x, m, check_option, &mnt->options, &mnt->noptions);
			break;
		}
		pop(x, old);
	}
	if (rc)
		return -1;
	if (!mnt->destination)
		return bad(x, "missing \"destination\"");
	if (mountopt_parse(&opts, mnt->type, mnt->options, mnt->noptions, x->e) < 0) {
		push_key(x, "options");
		return err_prefix(x->e, "%s: %s", x->name, x->path.s);
	}
	return 0;
}

/* An interface name, as the kernel's dev_valid_name() takes it. */
static int check_ifname(struct ctx *x, const char *s)
{
	char shown[JSONTEXT_SHOW_BUF];
	const char *p;

	if (!*s)
		return bad(x, "empty interface name");
	if (strlen(s) > CONFIG_IFNAME_MAX)
		return bad(x, "\"%s\" is longer than %d bytes", show(s, shown), CONFIG_IFNAME_MAX);
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return bad(x, "\"%s\" is not a valid interface name", s);
	for (p = s; *p; p++) {
		if (*p == '/' || *p == ':')
			return bad(x, "\"%s\" contains \"%c\"", show(s, shown), *p);
		/* isspace() in the C locale, as the kernel's */
		if (strchr(" \t\n\v\f\r", *p))
			return bad(x, "\"%s\" contains whitespace", show(s, shown));
	}
	return 0;
}

static int convert_iface(struct ctx *x, const cJSON *v, void *out)
{
	struct config_iface *ifc = out;
	char shown[JSONTEXT_SHOW_BUF];
	const cJSON *m;
	const char *s;
	size_t old;
	int rc = 0;

	if (members(x, v, iface_keys, I_COUNT) < 0)
		return -1;
	for (m = v->child; m && !rc; m = m->next) {
		if (cJSON_IsNull(m))
			continue;
		old = push_key(x, m->string);
		switch (key_index(m, iface_keys, I_COUNT)) {
		case I_NAME:
			s = string_of(x, m);
			rc = !s || check_ifname(x, s) < 0 ? -1 : copy_string(x, s, &ifc->name);
			break;
		case I_ADD:
			rc = optional_string(x, m, &ifc->add);
			break;
		case I_PEER:
			rc = optional_string(x, m, &ifc->peer);
			if (!rc && ifc->peer)
				rc = check_ifname(x, ifc->peer);
			break;
		default:
			if (!cJSON_IsBool(m))
				rc = bad(x, "expected a boolean, got %s", type_name(m));
			ifc->create_in_root = cJSON_IsTrue(m);
			break;
		}
		pop(x, old);
	}
	if (rc)
		return -1;
	if (!ifc->name)
		return bad(x, "missing \"name\"");
	/* LinuxKit: a peer alone means a veth pair */
	if (!ifc->add && ifc->peer && copy_string(x, "veth", &ifc->add) < 0)
		return -1;
	if (ifc->add && !strcmp(ifc->add, "veth") && !ifc->peer)
		return bad(x, "veth without \"peer\"");
	if (ifc->peer && strcmp(ifc->add, "veth")) {
		push_key(x, "peer");
		return bad(x, "only a veth has a peer (add is \"%s\")", show(ifc->add, shown));
	}
	return 0;
}

/* Array @v of objects, each converted by @conv into a new array of @size-byte elements. */
static int object_array(struct ctx *x, const cJSON *v,
			int (*conv)(struct ctx *, const cJSON *, void *), size_t size, void **out,
			size_t *n)
{
	const cJSON *m;
	size_t count = 0, i = 0, old;

	if (!cJSON_IsArray(v))
		return bad(x, "expected an array, got %s", type_name(v));
	for (m = v->child; m; m = m->next)
		count++;
	if (!count)
		return 0;
	*out = calloc(count, size);
	if (!*out)
		return no_memory(x);
	*n = count;
	for (m = v->child; m; m = m->next, i++) {
		old = push_index(x, i);
		if (conv(x, m, (char *)*out + i * size) < 0)
			return -1;
		pop(x, old);
	}
	return 0;
}

static int convert_bindns(struct ctx *x, const cJSON *v, struct config *c)
{
	char shown[JSONTEXT_SHOW_BUF];
	const cJSON *m;
	size_t i, old;
	int rc = 0;

	if (members(x, v, config_ns_names, NS_COUNT) < 0)
		return -1;
	for (m = v->child; m && !rc; m = m->next) {
		if (cJSON_IsNull(m))
			continue;
		i = key_index(m, config_ns_names, NS_COUNT);
		old = push_key(x, m->string);
		/* LinuxKit writes "" for every namespace not asked for */
		rc = optional_string(x, m, &c->bindns[i]);
		if (!rc && c->bindns[i] && c->bindns[i][0] != '/')
			rc = bad(x, "\"%s\" is not an absolute path", show(c->bindns[i], shown));
		if (!rc && c->bindns[i])
			rc = check_length(x, c->bindns[i], "path");
		pop(x, old);
	}
	return rc;
}

static int convert(struct ctx *x, const cJSON *root, struct config *c)
{
	const cJSON *m;
	size_t i, old;
	int rc = 0;

	if (cJSON_IsNull(root))
		return 0;
	if (!cJSON_IsObject(root))
		return bad(x, "expected an object at the top, got %s", type_name(root));
	if (members(x, root, top_keys, K_COUNT) < 0)
		return -1;
	for (m = root->child; m && !rc; m = m->next) {
		if (cJSON_IsNull(m))
			continue;
		old = push_key(x, m->string);
		switch (key_index(m, top_keys, K_COUNT)) {
		case K_CGROUPS:
			rc = string_array(x, m, check_cgroup, &c->cgroups, &c->ncgroups);
			break;
		case K_MOUNTS:
			rc = object_array(x, m, convert_mount, sizeof(*c->mounts),
					  (void **)&c->mounts, &c->nmounts);
			break;
		case K_MKDIR:
			rc = string_array(x, m, check_path, &c->mkdir, &c->nmkdir);
			break;
		case K_INTERFACES:
			rc = object_array(x, m, convert_iface, sizeof(*c->ifaces),
					  (void **)&c->ifaces, &c->nifaces);
			break;
		case K_BINDNS:
			rc = convert_bindns(x, m, c);
			break;
		default:
			rc = optional_string(x, m, &c->namespace);
			break;
		}
		pop(x, old);
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
	struct ctx x = { .name = name, .e = e };
	cJSON *root;
	int rc;

	memset(c, 0, sizeof(*c));
	root = jsontext_parse(name, buf, len, e);
	if (!root)
		return -1;
	rc = convert(&x, root, c);
	cJSON_Delete(root);
	if (rc < 0)
		config_free(c);
	return rc;
}

/*
 * Read @fd into *@buf (*@len bytes). One byte more than CONFIG_MAX_SIZE is
 * read to tell a file at the limit from a larger one, pipes included; the
 * buffer's untouched pages cost nothing.
 */
static int read_all(int fd, const char *shown, char **buf, size_t *len, struct err *e)
{
	size_t n = 0;
	ssize_t got;
	char *p;

	p = malloc(CONFIG_MAX_SIZE + 1);
	if (!p)
		return err_set(e, ENOMEM, "read %s", shown);
	while (n <= CONFIG_MAX_SIZE) {
		got = read(fd, p + n, CONFIG_MAX_SIZE + 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(p);
			return err_set(e, errno, "read %s", shown);
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (n > CONFIG_MAX_SIZE) {
		free(p);
		return err_set(e, EFBIG, "read %s (more than %d bytes)", shown, CONFIG_MAX_SIZE);
	}
	*buf = p;
	*len = n;
	return 0;
}

int config_load(struct config *c, const char *file, const char *bundle, struct err *e)
{
	char path[CONFIG_PATH_MAX + sizeof("/runtime.json")];
	const char *name = "runtime.json";
	bool std_in = file && !strcmp(file, "-");
	char *buf = NULL;
	size_t len = 0;
	int fd, rc;

	memset(c, 0, sizeof(*c));
	if (!file && !bundle)
		return 0;
	if (file && !std_in) {
		name = file;
		fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return err_set(e, errno, "open %s", file);
	} else if (std_in) {
		name = "<stdin>";
		fd = STDIN_FILENO;
	} else {
		if ((size_t)snprintf(path, sizeof(path), "%s/runtime.json", bundle) >= sizeof(path))
			return err_set(e, ENAMETOOLONG, "open %s/runtime.json", bundle);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		/* LinuxKit: no runtime.json, nothing to do */
		if (fd < 0 && errno == ENOENT)
			return 0;
		if (fd < 0)
			return err_set(e, errno, "open %s", path);
	}
	rc = read_all(fd, std_in ? name : file ? file : path, &buf, &len, e);
	if (!std_in)
		close(fd);
	if (rc < 0)
		return -1;
	rc = config_parse(c, name, buf, len, e);
	free(buf);
	return rc;
}

int config_check_relative(const struct config *c, const char *name, struct err *e)
{
	char shown[JSONTEXT_SHOW_BUF];
	size_t i;

	for (i = 0; i < c->nmounts; i++)
		if (c->mounts[i].destination[0] != '/')
			return err_set(e, 0,
				       "%s: .mounts[%zu].destination: relative path \"%s\" "
				       "needs a BUNDLE",
				       name, i, show(c->mounts[i].destination, shown));
	for (i = 0; i < c->nmkdir; i++)
		if (c->mkdir[i][0] != '/')
			return err_set(e, 0, "%s: .mkdir[%zu]: relative path \"%s\" needs a BUNDLE",
				       name, i, show(c->mkdir[i], shown));
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
