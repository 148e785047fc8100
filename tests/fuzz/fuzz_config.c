/*
 * fuzz_config.c - libFuzzer target for the runtime.json parser
 * (config_parse(), config.h: config.c, jsontext.c, jsonscan.c, jsontree.c,
 * jsonpath.c, and mountopt.c through each mount's options).
 *
 * Beyond "no crash, no leak, no undefined behaviour" (the sanitizers), each
 * input checks what config.h promises, so that a parser that accepts what
 * DESIGN.md section 3 refuses is a finding too:
 *  - a failure leaves the config zeroed and a message "fuzz.json: ...";
 *  - an accepted text is strict JSON (RFC 8259, checked here by a validator
 *    of its own that shares no code with jsonscan.c) and valid UTF-8 with no
 *    NUL byte; a text that is strict JSON within cJSON's nesting limit is
 *    never refused as "not JSON" (line, column);
 *  - an accepted config keeps every rule: non-empty paths shorter than
 *    CONFIG_PATH_MAX, interface names of 1 to 15 bytes without '/', ':' or
 *    whitespace, veth with a peer and a peer only on a veth, absolute bindNS
 *    paths, no ".." cgroup component, options that mountopt_parse() takes.
 * A broken promise aborts, which libFuzzer reports as a crash.
 *
 * Build and run: make fuzz (tests/fuzz/README.md). Without libFuzzer,
 * standalone.c runs it over the corpus (make check).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "config.h"
#include "mountopt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NAME "fuzz.json"

#define check(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_config: %s:%d: broken promise: %s\n", __FILE__,      \
				__LINE__, #cond);                                                  \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* ---- a strict JSON validator of its own (RFC 8259), for the oracle ---- */

struct json {
	const unsigned char *s;
	size_t len, i;
	unsigned depth, max_depth;
};

static void ws(struct json *j)
{
	while (j->i < j->len && (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' ||
				 j->s[j->i] == '\r'))
		j->i++;
}

static bool lit(struct json *j, const char *w)
{
	size_t n = strlen(w);

	if (j->len - j->i < n || memcmp(j->s + j->i, w, n))
		return false;
	j->i += n;
	return true;
}

static bool digits(struct json *j)
{
	size_t start = j->i;

	while (j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9')
		j->i++;
	return j->i > start;
}

static bool number(struct json *j)
{
	if (j->i < j->len && j->s[j->i] == '-')
		j->i++;
	if (j->i < j->len && j->s[j->i] == '0')
		j->i++;
	else if (!digits(j))
		return false;
	if (j->i < j->len && j->s[j->i] == '.') {
		j->i++;
		if (!digits(j))
			return false;
	}
	if (j->i < j->len && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
		j->i++;
		if (j->i < j->len && (j->s[j->i] == '+' || j->s[j->i] == '-'))
			j->i++;
		if (!digits(j))
			return false;
	}
	return true;
}

static int hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static long u4(struct json *j)
{
	long v = 0;
	int k, d;

	if (j->len - j->i < 4)
		return -1;
	for (k = 0; k < 4; k++) {
		d = hex(j->s[j->i + k]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	j->i += 4;
	return v;
}

/* One UTF-8 sequence at j->i (first byte >= 0x80), RFC 3629 section 4. */
static bool utf8(struct json *j)
{
	static const struct {
		unsigned char lo, hi, n, lo2, hi2;
	} r[] = {
		{ 0xc2, 0xdf, 1, 0x80, 0xbf }, { 0xe0, 0xe0, 2, 0xa0, 0xbf },
		{ 0xe1, 0xec, 2, 0x80, 0xbf }, { 0xed, 0xed, 2, 0x80, 0x9f },
		{ 0xee, 0xef, 2, 0x80, 0xbf }, { 0xf0, 0xf0, 3, 0x90, 0xbf },
		{ 0xf1, 0xf3, 3, 0x80, 0xbf }, { 0xf4, 0xf4, 3, 0x80, 0x8f },
	};
	unsigned char c = j->s[j->i];
	size_t k, m;

	for (k = 0; k < sizeof(r) / sizeof(r[0]); k++) {
		if (c < r[k].lo || c > r[k].hi)
			continue;
		if (j->len - j->i <= r[k].n)
			return false;
		if (j->s[j->i + 1] < r[k].lo2 || j->s[j->i + 1] > r[k].hi2)
			return false;
		for (m = 2; m <= r[k].n; m++)
			if ((j->s[j->i + m] & 0xc0) != 0x80)
				return false;
		j->i += r[k].n + 1;
		return true;
	}
	return false;
}

static bool string(struct json *j)
{
	long cp, lo;

	if (!lit(j, "\""))
		return false;
	while (j->i < j->len) {
		unsigned char c = j->s[j->i];

		if (c == '"') {
			j->i++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c >= 0x80) {
			if (!utf8(j))
				return false;
			continue;
		}
		j->i++;
		if (c != '\\')
			continue;
		if (j->i >= j->len)
			return false;
		c = j->s[j->i++];
		if (strchr("\"\\/bfnrt", c) && c)
			continue;
		if (c != 'u')
			return false;
		cp = u4(j);
		if (cp < 0 || (cp >= 0xdc00 && cp <= 0xdfff))
			return false;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (!lit(j, "\\u"))
				return false;
			lo = u4(j);
			if (lo < 0xdc00 || lo > 0xdfff)
				return false;
		}
	}
	return false;
}

static bool value(struct json *j);

static bool container(struct json *j, char open, char close, bool object)
{
	j->i++;
	if (++j->depth > j->max_depth)
		j->max_depth = j->depth;
	/* a stack of its own would do; recursion is bounded by the input's length */
	if (j->depth > 100000)
		return false;
	ws(j);
	if (j->i < j->len && j->s[j->i] == close) {
		j->i++;
		j->depth--;
		return true;
	}
	for (;;) {
		ws(j);
		if (object) {
			if (!string(j))
				return false;
			ws(j);
			if (!lit(j, ":"))
				return false;
		}
		if (!value(j))
			return false;
		ws(j);
		if (j->i < j->len && j->s[j->i] == ',') {
			j->i++;
			continue;
		}
		if (j->i < j->len && j->s[j->i] == close) {
			j->i++;
			j->depth--;
			return true;
		}
		return false;
	}
	(void)open;
}

static bool value(struct json *j)
{
	ws(j);
	if (j->i >= j->len)
		return false;
	switch (j->s[j->i]) {
	case '{':
		return container(j, '{', '}', true);
	case '[':
		return container(j, '[', ']', false);
	case '"':
		return string(j);
	case 't':
		return lit(j, "true");
	case 'f':
		return lit(j, "false");
	case 'n':
		return lit(j, "null");
	default:
		return number(j);
	}
}

/* Whether @s is one strict JSON text; *@depth: its deepest nesting seen. */
static bool strict_json(const uint8_t *s, size_t len, unsigned *depth)
{
	struct json j = { .s = s, .len = len };
	bool ok = value(&j);

	ws(&j);
	*depth = j.max_depth;
	return ok && j.i == len;
}

/* ---- the promises of an accepted config ---- */

static void check_path(const char *s)
{
	check(s && *s && strlen(s) < CONFIG_PATH_MAX);
}

static void check_ifname(const char *s)
{
	size_t n;

	check(s);
	n = strlen(s);
	check(n >= 1 && n <= CONFIG_IFNAME_MAX);
	check(!strpbrk(s, "/: \t\n\v\f\r"));
	check(strcmp(s, ".") && strcmp(s, ".."));
}

static void check_config(const struct config *c)
{
	struct mountopts opts;
	struct err e = { 0 };
	char names[256];
	const char *p;
	size_t i, k;

	for (i = 0; i < c->ncgroups; i++) {
		check_path(c->cgroups[i]);
		for (p = c->cgroups[i]; *p; p += strcspn(p, "/"), p += *p == '/')
			check(strncmp(p, "..", 2) || (p[2] != '/' && p[2]));
	}
	for (i = 0; i < c->nmounts; i++) {
		const struct config_mount *m = &c->mounts[i];

		check_path(m->destination);
		check(!m->type || *m->type);
		check(!m->source || (*m->source && strlen(m->source) < CONFIG_PATH_MAX));
		for (k = 0; k < m->noptions; k++)
			check(m->options[k] && *m->options[k]);
		check(mountopt_parse(&opts, m->type, m->options, m->noptions, &e) == 0);
		check(opts.datalen < CONFIG_DATA_MAX && strlen(opts.data) == opts.datalen);
		mountopt_flag_names(opts.flags, names, sizeof(names));
	}
	for (i = 0; i < c->nmkdir; i++)
		check_path(c->mkdir[i]);
	for (i = 0; i < c->nifaces; i++) {
		const struct config_iface *f = &c->ifaces[i];

		check_ifname(f->name);
		check(!f->add || *f->add);
		if (f->peer) {
			check_ifname(f->peer);
			check(f->add && !strcmp(f->add, "veth"));
		}
		if (f->add && !strcmp(f->add, "veth"))
			check(f->peer);
	}
	for (i = 0; i < NS_COUNT; i++) {
		if (!c->bindns[i])
			continue;
		check(c->bindns[i][0] == '/');
		check_path(c->bindns[i]);
		for (k = 0; k < i; k++)
			check(!c->bindns[k] || strcmp(c->bindns[k], c->bindns[i]));
	}
	check(!c->namespace || *c->namespace);
	check(!(c->keys & CONFIG_MOUNTS) == !c->nmounts);
	check(!(c->keys & CONFIG_INTERFACES) == !c->nifaces);
}

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	struct err e = { 0 };
	unsigned depth;
	bool json = strict_json(data, size, &depth);
	int rc;

	/* config_load() never hands over more than this */
	if (size > CONFIG_MAX_SIZE)
		return 0;
	rc = config_parse(&c, NAME, (const char *)data, size, &e);
	if (rc < 0) {
		check(rc == -1);
		check(all_zero(&c, sizeof(c)));
		check(memchr(e.msg, '\0', sizeof(e.msg)));
		check(!strncmp(e.msg, NAME ": ", strlen(NAME ": ")));
		check(e.errnum == 0);
		/* strict JSON is refused for what it says, never as "not JSON" */
		if (json && depth <= CJSON_NESTING_LIMIT)
			check(strncmp(e.msg, NAME ": line ", strlen(NAME ": line ")));
		return 0;
	}
	check(rc == 0);
	check(json);
	check(!memchr(data, '\0', size));
	check_config(&c);
	config_free(&c);
	check(all_zero(&c, sizeof(c)));
	return 0;
}
