/*
 * test_config.c - unit tests of the runtime.json parser (config.h: through it
 * config.c, configfile.c, jsontree.c, jsontext.c and jsonpath.c): one test
 * per rule of DESIGN.md section 3, each checking the exact message with its
 * JSON path; LinuxKit-style configs (its `runtime` schema,
 * src/cmd/linuxkit/moby/schema.go) parsed into the typed struct;
 * config_load() on files, directories and standard input; running out of
 * memory at every allocation.
 *
 * WRAP: malloc calloc realloc
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"

/* ---- failing allocations ------------------------------------------------ */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);

/* The allocation (counted from 0 since arming) that fails; -1: none. */
static long fail_at = -1;
static long allocs;

static bool fail_now(void)
{
	return fail_at >= 0 && allocs++ == fail_at;
}

void *__wrap_malloc(size_t n)
{
	return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __real_realloc(p, n);
}

/* Fail allocation @n from now on (-1: none), counting in allocs. */
static void arm(long n)
{
	fail_at = n;
	allocs = 0;
}

/* Stop failing; allocs keeps its count. */
static void disarm(void)
{
	fail_at = -1;
}

/* ---- helpers ------------------------------------------------------------- */

static bool is_zero(const struct config *c)
{
	static const struct config zero;

	return !memcmp(c, &zero, sizeof(zero));
}

/* Parse @len bytes; insist on failure with @msg (errnum 0) and a zeroed config. */
static void fails_n(const char *json, size_t len, const char *msg)
{
	struct config c;
	struct err e = { 0 };

	assert_int_equal(config_parse(&c, "runtime.json", json, len, &e), -1);
	assert_string_equal(e.msg, msg);
	assert_int_equal(e.errnum, 0);
	assert_true(is_zero(&c));
}

static void fails(const char *json, const char *msg)
{
	fails_n(json, strlen(json), msg);
}

/* For literals holding NUL bytes. */
#define FAILS_LIT(json, msg) fails_n(json, sizeof(json) - 1, msg)

/* Parse @json and insist on success. */
static void parses_n(struct config *c, const char *json, size_t len)
{
	struct err e = { 0 };
	int rc = config_parse(c, "runtime.json", json, len, &e);

	if (rc)
		fail_msg("%s: unexpected error: %s", json, e.msg);
}

static void parses(struct config *c, const char *json)
{
	parses_n(c, json, strlen(json));
}

/* Parse and free, for texts where only success matters. */
static void ok(const char *json)
{
	struct config c;

	parses(&c, json);
	config_free(&c);
}

/* A string of @n copies of @ch after @prefix, and @suffix; free() it. */
static char *repeat(const char *prefix, char ch, size_t n, const char *suffix)
{
	size_t p = strlen(prefix), s = strlen(suffix);
	char *buf = malloc(p + n + s + 1);

	assert_non_null(buf);
	memcpy(buf, prefix, p);
	memset(buf + p, ch, n);
	memcpy(buf + p + n, suffix, s + 1);
	return buf;
}

/* ---- not JSON ------------------------------------------------------------- */

static void test_empty_document(void **state)
{
	fails("", "runtime.json: line 1, column 1: empty document");
	fails(" \n\t\r\n", "runtime.json: line 1, column 1: empty document");
}

static void test_byte_order_mark(void **state)
{
	fails("\xef\xbb\xbf{}", "runtime.json: line 1, column 1: byte-order mark at the start "
				"of the text");
}

static void test_raw_control_character(void **state)
{
	fails("{\"mkdir\": [\"a\nb\"]}",
	      "runtime.json: .mkdir[0]: raw control character 0x0a in a string");
	fails("{\"mkdir\": [\"a\tb\"]}",
	      "runtime.json: .mkdir[0]: raw control character 0x09 in a string");
	fails("{\"mkdir\": [\"\x1f\"]}",
	      "runtime.json: .mkdir[0]: raw control character 0x1f in a string");
	/* cJSON takes any byte up to 0x20 for whitespace */
	fails("{\"mkdir\":\x0c[]}", "runtime.json: line 1, column 10: unexpected byte 0x0c");
	fails("{\"mkdir\":\x01[]}", "runtime.json: line 1, column 10: unexpected byte 0x01");
	/* and DEL is fine in a string */
	ok("{\"mkdir\": [\"a\x7f\"]}");
}

static void test_invalid_escape(void **state)
{
	fails("{\"mkdir\": [\"/a\\qb\"]}",
	      "runtime.json: .mkdir[0]: invalid escape \\q in a string");
	fails("{\"mkdir\": [\"/a\\x41\"]}",
	      "runtime.json: .mkdir[0]: invalid escape \\x in a string");
	fails("{\"mkdir\": [\"/a\\\x01\"]}",
	      "runtime.json: .mkdir[0]: invalid escape in a string (\\ before byte 0x01)");
	fails("{\"mkdir\": [\"/a\\U00e9\"]}",
	      "runtime.json: .mkdir[0]: invalid escape \\U in a string");
	/* in a key, the path shows the key as written */
	fails("{\"mk\\qdir\": []}", "runtime.json: .mk\\qdir: invalid escape \\q in a string");
	/* with another syntax error after it, only the position can be given */
	fails("{\"mkdir\": [\"\\q\"]]", "runtime.json: line 1, column 13: invalid escape \\q in "
					"a string");
}

static void test_valid_escapes(void **state)
{
	struct config c;

	parses(&c, "{\"mkdir\": [\"/\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"/\\u00e9\\u20AC\", "
		   "\"/\\ud83d\\ude00\\uD83D\\uDE00\"]}");
	assert_int_equal(c.nmkdir, 3);
	assert_string_equal(c.mkdir[0], "/\"\\/\b\f\n\r\t");
	assert_string_equal(c.mkdir[1], "/\xc3\xa9\xe2\x82\xac");
	assert_string_equal(c.mkdir[2], "/\xf0\x9f\x98\x80\xf0\x9f\x98\x80");
	config_free(&c);
}

static void test_unicode_escape_not_hex(void **state)
{
	/* cJSON reads these as "\u0000" and cuts the string there */
	fails("{\"mounts\": [{\"destination\": \"/a\", \"source\": \"x\\u12G4\"}]}",
	      "runtime.json: .mounts[0].source: \\u not followed by four hex digits in a string");
	fails("{\"mkdir\": [\"\\u12\"]}",
	      "runtime.json: .mkdir[0]: \\u not followed by four hex digits in a string");
	fails("{\"mkdir\": [\"\\u 123\"]}",
	      "runtime.json: .mkdir[0]: \\u not followed by four hex digits in a string");
}

static void test_nul_escaped(void **state)
{
	fails("{\"mkdir\": [\"/a\\u0000b\"]}",
	      "runtime.json: .mkdir[0]: escaped NUL (\\u0000) in a string");
	fails("{\"a\\u0000b\": 1}", "runtime.json: .a\\u0000b: escaped NUL (\\u0000) in a string");
	fails("{\"bindNS\": {\"net\": \"/run/\\u0000\"}}",
	      "runtime.json: .bindNS.net: escaped NUL (\\u0000) in a string");
}

static void test_nul_raw(void **state)
{
	FAILS_LIT("{\"mkdir\": [\"/a\0b\"]}", "runtime.json: .mkdir[0]: raw NUL byte in a string");
	FAILS_LIT("{\"interfaces\": [{\"name\": \"eth\0\"}]}",
		  "runtime.json: .interfaces[0].name: raw NUL byte in a string");
	FAILS_LIT("{\"mkdir\": [\0]}", "runtime.json: line 1, column 12: unexpected byte 0x00");
	FAILS_LIT("{}\0", "runtime.json: line 1, column 3: text after the JSON value");
}

static void test_lone_surrogate(void **state)
{
	fails("{\"mkdir\": [\"/\\uD800\"]}",
	      "runtime.json: .mkdir[0]: lone surrogate \\uD800 in a string");
	fails("{\"mkdir\": [\"/\\udc00x\"]}",
	      "runtime.json: .mkdir[0]: lone surrogate \\uDC00 in a string");
	fails("{\"mkdir\": [\"/\\uD800\\u0041\"]}",
	      "runtime.json: .mkdir[0]: lone surrogate \\uD800 in a string");
	fails("{\"mkdir\": [\"/\\uDE00\\uD83D\"]}",
	      "runtime.json: .mkdir[0]: lone surrogate \\uDE00 in a string");
	fails("{\"mkdir\": [\"/\\uD83D\\uD83D\\uDE00\"]}",
	      "runtime.json: .mkdir[0]: lone surrogate \\uD83D in a string");
}

static void test_invalid_utf8(void **state)
{
	static const struct {
		const char *json, *why;
	} cases[] = {
		{ "{\"mkdir\": [\"/\xc0\xaf\"]}", "byte 0xc0: overlong encoding" },
		{ "{\"mkdir\": [\"/\xc1\xbf\"]}", "byte 0xc1: overlong encoding" },
		{ "{\"mkdir\": [\"/\xe0\x80\xaf\"]}", "byte 0xe0: overlong encoding" },
		{ "{\"mkdir\": [\"/\xf0\x80\x80\xaf\"]}", "byte 0xf0: overlong encoding" },
		{ "{\"mkdir\": [\"/\xed\xa0\x80\"]}", "byte 0xed: encoded surrogate" },
		{ "{\"mkdir\": [\"/\xed\xbf\xbf\"]}", "byte 0xed: encoded surrogate" },
		{ "{\"mkdir\": [\"/\xf4\x90\x80\x80\"]}", "byte 0xf4: above U+10FFFF" },
		{ "{\"mkdir\": [\"/\xf5\x80\x80\x80\"]}", "byte 0xf5: above U+10FFFF" },
		{ "{\"mkdir\": [\"/\xe2\x82\"]}", "byte 0xe2: truncated sequence" },
		{ "{\"mkdir\": [\"/\xc3z\"]}", "byte 0xc3: truncated sequence" },
		{ "{\"mkdir\": [\"/\xf0\x9f\x98\"]}", "byte 0xf0: truncated sequence" },
		{ "{\"mkdir\": [\"/\x80\"]}", "byte 0x80: continuation byte without a start" },
		{ "{\"mkdir\": [\"/\xff\"]}", "byte 0xff: never used in UTF-8" },
	};
	char msg[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(msg, sizeof(msg),
			 "runtime.json: .mkdir[0]: invalid UTF-8 in a string (%s)", cases[i].why);
		fails(cases[i].json, msg);
	}
	/* the edges of what is valid */
	ok("{\"mkdir\": [\"/\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf"
	   "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"]}");
	/* outside a string */
	fails("{\"mkdir\": [\xc3\xa9]}", "runtime.json: line 1, column 12: unexpected byte 0xc3");
}

static void test_trailing_bytes(void **state)
{
	fails("{}x", "runtime.json: line 1, column 3: text after the JSON value");
	fails("{} {}", "runtime.json: line 1, column 4: text after the JSON value");
	fails("{\"mkdir\": []}\n]\n", "runtime.json: line 2, column 1: text after the JSON value");
	fails("null null", "runtime.json: line 1, column 6: text after the JSON value");
	/* a problem after the end is text after the end */
	fails("{} \"\\q\"", "runtime.json: line 1, column 4: text after the JSON value");
	ok("{}\n\t \r\n");
}

static void test_syntax_errors(void **state)
{
	fails("{\n  \"mkdir\": [\"/a\",,]\n}",
	      "runtime.json: line 2, column 18: unexpected character ','");
	fails("{\"mkdir\": [\"/a\",]}",
	      "runtime.json: line 1, column 17: unexpected character ']'");
	fails("{\"mkdir\": [\"/a\" \"/b\"]}",
	      "runtime.json: line 1, column 17: unexpected character '\"'");
	fails("{\"mkdir\" []}", "runtime.json: line 1, column 10: unexpected character '['");
	fails("{\"mkdir\": [],}", "runtime.json: line 1, column 14: unexpected character '}'");
	fails("{\"mkdir\": [], }", "runtime.json: line 1, column 15: unexpected character '}'");
	fails("{mkdir: []}", "runtime.json: line 1, column 2: unexpected character 'm'");
	fails("{,}", "runtime.json: line 1, column 2: unexpected character ','");
	fails("{\"mkdir\": [tru]}", "runtime.json: line 1, column 12: unexpected character 't'");
	fails("{\"mkdir\": [\"/a", "runtime.json: line 1, column 12: unterminated string");
	fails("{\"mkdir\": [\"/a\"]", "runtime.json: line 1, column 17: unexpected end of text");
	fails("{\"mkdir\": [\"/a\"]  \n\n",
	      "runtime.json: line 1, column 17: unexpected end of text");
	fails("{\"mkdir\":", "runtime.json: line 1, column 10: unexpected end of text");
	fails("{", "runtime.json: line 1, column 2: unexpected end of text");
	fails("x", "runtime.json: line 1, column 1: unexpected character 'x'");
	fails("'x'", "runtime.json: line 1, column 1: unexpected character '''");
	/* the first problem in the text is reported */
	fails("{\"a\" 1, \"b\": \"\\q\"}",
	      "runtime.json: line 1, column 6: unexpected character '1'");
}

static void test_numbers(void **state)
{
	fails("{\"mkdir\": [01]}", "runtime.json: line 1, column 12: invalid number \"01\"");
	fails("{\"mkdir\": [1.]}", "runtime.json: line 1, column 12: invalid number \"1.\"");
	fails("{\"mkdir\": [-]}", "runtime.json: line 1, column 12: invalid number \"-\"");
	fails("{\"mkdir\": [-.5]}", "runtime.json: line 1, column 12: invalid number \"-.5\"");
	fails("{\"mkdir\": [1e]}", "runtime.json: line 1, column 12: invalid number \"1e\"");
	fails("{\"mkdir\": [1.5e+]}", "runtime.json: line 1, column 12: invalid number \"1.5e+\"");
	fails("{\"mkdir\": [1-2]}", "runtime.json: line 1, column 12: invalid number \"1-2\"");
	fails("{\"mkdir\": [+1]}", "runtime.json: line 1, column 12: unexpected character '+'");
	/* valid numbers are still not strings */
	fails("{\"mkdir\": [-0.5E-3]}", "runtime.json: .mkdir[0]: expected a string, got a number");
	fails("{\"mkdir\": [0, 1e5]}", "runtime.json: .mkdir[0]: expected a string, got a number");
}

static void test_nesting_limit(void **state)
{
	static char deep[2 * 1001 + 1];

	memset(deep, '[', 1000);
	memset(deep + 1000, ']', 1000);
	deep[2000] = '\0';
	fails(deep, "runtime.json: expected an object at the top, got an array");
	memset(deep, '[', 1001);
	memset(deep + 1001, ']', 1001);
	deep[2002] = '\0';
	fails(deep, "runtime.json: line 1, column 1001: nested deeper than 1000 levels");
}

/* ---- the tree ---------------------------------------------------------------- */

static void test_top_not_object(void **state)
{
	fails("[]", "runtime.json: expected an object at the top, got an array");
	fails("\"{}\"", "runtime.json: expected an object at the top, got a string");
	fails("1", "runtime.json: expected an object at the top, got a number");
	fails("true", "runtime.json: expected an object at the top, got a boolean");
	/* a string problem at the top has no path */
	fails("\"\\q\"", "runtime.json: invalid escape \\q in a string");
}

static void test_null_document(void **state)
{
	struct config c;

	parses(&c, "null");
	assert_true(is_zero(&c));
	parses(&c, " null\n");
	assert_true(is_zero(&c));
	parses(&c, "{}");
	assert_true(is_zero(&c));
}

static void test_unknown_key(void **state)
{
	fails("{\"bindNs\": {\"net\": \"/run/netns/x\"}}",
	      "runtime.json: .bindNs: unknown key (did you mean \"bindNS\"?)");
	fails("{\"Mounts\": []}", "runtime.json: .Mounts: unknown key (did you mean \"mounts\"?)");
	fails("{\"mount\": []}", "runtime.json: .mount: unknown key");
	fails("{\"\": []}", "runtime.json: .: unknown key");
	fails("{\"mounts\": [{\"dest\": \"/x\"}]}", "runtime.json: .mounts[0].dest: unknown key");
	fails("{\"mounts\": [{\"Destination\": \"/x\"}]}",
	      "runtime.json: .mounts[0].Destination: unknown key (did you mean \"destination\"?)");
	fails("{\"interfaces\": [{\"name\": \"a\", \"createinroot\": true}]}",
	      "runtime.json: .interfaces[0].createinroot: unknown key (did you mean "
	      "\"createInRoot\"?)");
	fails("{\"bindNS\": {\"NET\": \"/x\"}}",
	      "runtime.json: .bindNS.NET: unknown key (did you mean \"net\"?)");
	fails("{\"bindNS\": {\"network\": \"/x\"}}", "runtime.json: .bindNS.network: unknown key");
	/* keys are shown on one line, in JSON's notation */
	fails("{\"a\\nb\\\"c\": 1}", "runtime.json: .a\\nb\\\"c: unknown key");
	/* an unknown key is refused even when its value is null */
	fails("{\"cgroup\": null}", "runtime.json: .cgroup: unknown key");
}

static void test_duplicate_key(void **state)
{
	fails("{\"mkdir\": [], \"mkdir\": []}", "runtime.json: .mkdir: duplicate key");
	fails("{\"mkdir\": null, \"cgroups\": [], \"mkdir\": [\"/a\"]}",
	      "runtime.json: .mkdir: duplicate key");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"destination\": \"/a\"}]}",
	      "runtime.json: .mounts[0].destination: duplicate key");
	fails("{\"interfaces\": [{\"name\": \"a\", \"add\": \"veth\", \"peer\": \"b\", \"peer\": "
	      "\"c\"}]}",
	      "runtime.json: .interfaces[0].peer: duplicate key");
	fails("{\"bindNS\": {\"net\": \"\", \"net\": \"/x\"}}",
	      "runtime.json: .bindNS.net: duplicate key");
	/* in an object, keys are checked before values */
	fails("{\"mkdir\": 1, \"mkdir\": []}", "runtime.json: .mkdir: duplicate key");
}

static void test_wrong_type(void **state)
{
	fails("{\"mounts\": [{\"destination\": \"/a\", \"type\": \"tmpfs\"}, "
	      "{\"destination\": \"/b\", \"options\": "
	      "[1]}]}",
	      "runtime.json: .mounts[1].options[0]: expected a string, got a number");
	fails("{\"cgroups\": {}}", "runtime.json: .cgroups: expected an array, got an object");
	fails("{\"cgroups\": \"a\"}", "runtime.json: .cgroups: expected an array, got a string");
	fails("{\"mkdir\": [[]]}", "runtime.json: .mkdir[0]: expected a string, got an array");
	fails("{\"mounts\": {}}", "runtime.json: .mounts: expected an array, got an object");
	fails("{\"mounts\": [\"/a\"]}",
	      "runtime.json: .mounts[0]: expected an object, got a string");
	fails("{\"mounts\": [{\"destination\": 1}]}",
	      "runtime.json: .mounts[0].destination: expected a string, got a number");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"type\": [\"tmpfs\"]}]}",
	      "runtime.json: .mounts[0].type: expected a string, got an array");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"source\": false}]}",
	      "runtime.json: .mounts[0].source: expected a string, got a boolean");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": \"ro\"}]}",
	      "runtime.json: .mounts[0].options: expected an array, got a string");
	fails("{\"interfaces\": [{\"name\": \"a\", \"createInRoot\": \"true\"}]}",
	      "runtime.json: .interfaces[0].createInRoot: expected a boolean, got a string");
	fails("{\"interfaces\": [{\"name\": \"a\", \"createInRoot\": 1}]}",
	      "runtime.json: .interfaces[0].createInRoot: expected a boolean, got a number");
	fails("{\"interfaces\": [{\"name\": \"a\", \"createInRoot\": \"false\"}]}",
	      "runtime.json: .interfaces[0].createInRoot: expected a boolean, got a string");
	fails("{\"interfaces\": [{\"name\": \"a\", \"add\": {}}]}",
	      "runtime.json: .interfaces[0].add: expected a string, got an object");
	fails("{\"interfaces\": [[]]}",
	      "runtime.json: .interfaces[0]: expected an object, got an array");
	fails("{\"bindNS\": []}", "runtime.json: .bindNS: expected an object, got an array");
	fails("{\"bindNS\": {\"net\": true}}",
	      "runtime.json: .bindNS.net: expected a string, got a boolean");
	fails("{\"namespace\": {}}", "runtime.json: .namespace: expected a string, got an object");
	fails("{\"namespace\": 0}", "runtime.json: .namespace: expected a string, got a number");
}

static void test_null_element(void **state)
{
	fails("{\"cgroups\": [null]}", "runtime.json: .cgroups[0]: expected a string, got null");
	fails("{\"mkdir\": [\"/a\", null]}",
	      "runtime.json: .mkdir[1]: expected a string, got null");
	fails("{\"mounts\": [null]}", "runtime.json: .mounts[0]: expected an object, got null");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": [null]}]}",
	      "runtime.json: .mounts[0].options[0]: expected a string, got null");
	fails("{\"interfaces\": [null]}",
	      "runtime.json: .interfaces[0]: expected an object, got null");
}

static void test_null_is_absent(void **state)
{
	struct config c;

	parses(&c, "{\"cgroups\": null, \"mounts\": null, \"mkdir\": null, \"interfaces\": null, "
		   "\"bindNS\": null, \"namespace\": null}");
	assert_true(is_zero(&c));
	parses(&c, "{\"mounts\": [{\"destination\": \"/a\", \"type\": null, \"source\": null, "
		   "\"options\": [\"rshared\"]}, {\"destination\": \"/b\", \"type\": \"tmpfs\", "
		   "\"options\": null}], \"interfaces\": [{\"name\": \"eth0\", \"add\": null, "
		   "\"peer\": null, \"createInRoot\": null}], \"bindNS\": {\"net\": null}}");
	assert_int_equal(c.nmounts, 2);
	assert_string_equal(c.mounts[0].destination, "/a");
	assert_null(c.mounts[0].type);
	assert_null(c.mounts[0].source);
	assert_null(c.mounts[1].options);
	assert_int_equal(c.mounts[1].noptions, 0);
	assert_int_equal(c.nifaces, 1);
	assert_string_equal(c.ifaces[0].name, "eth0");
	assert_null(c.ifaces[0].add);
	assert_null(c.ifaces[0].peer);
	assert_false(c.ifaces[0].create_in_root);
	assert_null(c.bindns[NS_NET]);
	assert_int_equal(c.keys, CONFIG_MOUNTS | CONFIG_INTERFACES);
	config_free(&c);
}

static void test_mount_without_destination(void **state)
{
	fails("{\"mounts\": [{\"type\": \"tmpfs\", \"source\": \"tmpfs\"}]}",
	      "runtime.json: .mounts[0]: missing \"destination\"");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"type\": \"tmpfs\"}, {\"destination\": null}]}",
	      "runtime.json: .mounts[1]: missing \"destination\"");
	fails("{\"mounts\": [{}]}", "runtime.json: .mounts[0]: missing \"destination\"");
	/* a problem in a value comes first */
	fails("{\"mounts\": [{\"options\": [\"\"]}]}",
	      "runtime.json: .mounts[0].options[0]: empty option");
}

static void test_empty_strings(void **state)
{
	struct config c;

	fails("{\"mounts\": [{\"destination\": \"\"}]}",
	      "runtime.json: .mounts[0].destination: empty path");
	fails("{\"mkdir\": [\"/a\", \"\"]}", "runtime.json: .mkdir[1]: empty path");
	fails("{\"cgroups\": [\"\"]}", "runtime.json: .cgroups[0]: empty cgroup name");
	fails("{\"interfaces\": [{\"name\": \"\"}]}",
	      "runtime.json: .interfaces[0].name: empty interface name");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": [\"ro\", \"\"]}]}",
	      "runtime.json: .mounts[0].options[1]: empty option");
	/* empty type, source, add, peer, namespace: absent */
	parses(&c, "{\"mounts\": [{\"destination\": \"/a\", \"type\": \"\", \"source\": \"\", "
		   "\"options\": [\"rshared\"]}], "
		   "\"interfaces\": [{\"name\": \"eth0\", \"add\": \"\", \"peer\": \"\"}], "
		   "\"namespace\": \"\"}");
	assert_null(c.mounts[0].type);
	assert_null(c.mounts[0].source);
	assert_null(c.ifaces[0].add);
	assert_null(c.ifaces[0].peer);
	assert_null(c.namespace);
	assert_int_equal(c.keys, CONFIG_MOUNTS | CONFIG_INTERFACES);
	config_free(&c);
	/* the type "none" is none: fine for a propagation change, not for a new mount */
	parses(&c, "{\"mounts\": [{\"destination\": \"/\", \"type\": \"none\", "
		   "\"options\": [\"rshared\"]}]}");
	assert_null(c.mounts[0].type);
	config_free(&c);
	fails("{\"mounts\": [{\"destination\": \"/a\", \"type\": \"none\", \"source\": \"x\"}]}",
	      "runtime.json: .mounts[0]: a new mount needs \"type\" (or \"bind\" or \"rbind\" in "
	      "\"options\"; a remount, or a propagation change alone, needs neither)");
}

/* @before, a path of @n bytes, @after: fails with @msg, or parses when @msg is NULL. */
static void path_of(const char *before, size_t n, const char *after, const char *msg)
{
	char *json = repeat(before, 'p', n, after);

	/* an absolute path, also as an option's value */
	json[strlen(before)] = '/';
	if (msg)
		fails(json, msg);
	else
		ok(json);
	free(json);
}

static void test_path_length(void **state)
{
	static const struct {
		const char *before, *after, *msg;
	} cases[] = {
		{ "{\"mkdir\": [\"", "\"]}",
		  "runtime.json: .mkdir[0]: path is 4096 bytes, at most 4095 are allowed" },
		{ "{\"mounts\": [{\"type\": \"tmpfs\", \"destination\": \"", "\"}]}",
		  "runtime.json: .mounts[0].destination: path is 4096 bytes, at most 4095 are "
		  "allowed" },
		{ "{\"mounts\": [{\"destination\": \"/a\", \"type\": \"tmpfs\", \"source\": \"", "\"}]}",
		  "runtime.json: .mounts[0].source: path is 4096 bytes, at most 4095 are allowed" },
		{ "{\"cgroups\": [\"", "\"]}",
		  "runtime.json: .cgroups[0]: cgroup name is 4096 bytes, at most 4095 are "
		  "allowed" },
		{ "{\"bindNS\": {\"uts\": \"", "\"}}",
		  "runtime.json: .bindNS.uts: path is 4096 bytes, at most 4095 are allowed" },
	};
	static const char *const dirs[] = { "upperdir=", "workdir=", "lowerdir=", "lowerdir+=",
					    "datadir+=" };
	char before[128], msg[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		path_of(cases[i].before, CONFIG_PATH_MAX, cases[i].after, cases[i].msg);
		path_of(cases[i].before, CONFIG_PATH_MAX - 1, cases[i].after, NULL);
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(before, sizeof(before),
			 "{\"mounts\": [{\"destination\": \"/a\", \"type\": \"overlay\", \"options\": [\"%s",
			 dirs[i]);
		snprintf(msg, sizeof(msg),
			 "runtime.json: .mounts[0].options[0]: %s value is 4096 "
			 "bytes, at most 4095 are allowed",
			 dirs[i]);
		path_of(before, CONFIG_PATH_MAX, "\"]}]}", msg);
		/* the whole option is the mount's data, which has the same limit */
		path_of(before, CONFIG_PATH_MAX - 1 - strlen(dirs[i]), "\"]}]}", NULL);
	}
}

/* What the options alone say cannot work is a config error, not a failure half way. */
static void test_cgroup_newline(void **state)
{
	fails("{\"cgroups\": [\"a\\nb\"]}",
	      "runtime.json: .cgroups[0]: \"a\\nb\" has a newline, which no cgroup name may have");
}

static void test_mount_option_rules(void **state)
{
	struct config c;

	fails("{\"mounts\": [{\"destination\": \"/x\", \"options\": [\"bind\"]}]}",
	      "runtime.json: .mounts[0]: a bind mount needs \"source\"");
	/* no type, no bind, not a remount, not a propagation change alone */
	fails("{\"mounts\": [{\"destination\": \"/x\"}, {\"destination\": \"y\", \"type\": \"\", "
	      "\"source\": \"/dev/sda1\", \"options\": [\"ro\"]}]}",
	      "runtime.json: .mounts[0]: a new mount needs \"type\" (or \"bind\" or \"rbind\" in "
	      "\"options\"; a remount, or a propagation change alone, needs neither)");
	fails("{\"mounts\": [{\"destination\": \"/x\", \"type\": \"tmpfs\"}, "
	      "{\"destination\": \"y\", \"options\": [\"shared\", \"ro\"]}]}",
	      "runtime.json: .mounts[1]: a new mount needs \"type\" (or \"bind\" or \"rbind\" in "
	      "\"options\"; a remount, or a propagation change alone, needs neither)");
	ok("{\"mounts\": [{\"destination\": \"/x\", \"options\": [\"rslave\"]}, "
	   "{\"destination\": \"/y\", \"options\": [\"remount\", \"ro\"]}]}");
	fails("{\"mounts\": [{\"destination\": \"/x\", \"type\": \"bind\", \"source\": \"\"}]}",
	      "runtime.json: .mounts[0]: a bind mount needs \"source\"");
	fails("{\"mounts\": [{\"destination\": \"/x\", \"source\": \"/y\", "
	      "\"options\": [\"rbind\", \"sync\", \"ro\", \"lazytime\"]}]}",
	      "runtime.json: .mounts[0].options: sync,lazytime: filesystem (superblock) flags, "
	      "which a bind mount cannot set (it would change the source's filesystem)");
	fails("{\"mounts\": [{\"destination\": \"/x\", \"options\": [\"remount\", \"rro\"]}]}",
	      "runtime.json: .mounts[0].options: rro with remount: the sub-mounts it would make "
	      "read-only could not be put back on rollback");
	/* A remount of a bind needs no source; sync on a filesystem mount is its own. */
	parses(&c, "{\"mounts\": [{\"destination\": \"/x\", \"options\": [\"remount\", "
		   "\"bind\", \"ro\"]}, {\"destination\": \"/y\", \"type\": \"tmpfs\", "
		   "\"options\": [\"sync\"]}]}");
	assert_int_equal(c.nmounts, 2);
	config_free(&c);
}

/* The kernel ignores data on a bind mount, new or remounted: a config error, as sb flags. */
static void test_mount_bind_data(void **state)
{
	fails("{\"mounts\": [{\"destination\": \"/x\", \"source\": \"/y\", "
	      "\"options\": [\"bind\", \"size=1m\", \"ro\", \"mode=0700\"]}]}",
	      "runtime.json: .mounts[0].options: size=1m,mode=0700: filesystem data, which a "
	      "bind mount does not pass on (the kernel ignores it)");
	fails("{\"mounts\": [{\"destination\": \"/x\", \"type\": \"bind\", \"source\": \"/y\", "
	      "\"options\": [\"uid=0\"]}]}",
	      "runtime.json: .mounts[0].options: uid=0: filesystem data, which a bind mount does "
	      "not pass on (the kernel ignores it)");
	fails("{\"mounts\": [{\"destination\": \"/x\", "
	      "\"options\": [\"remount\", \"bind\", \"ro\", \"size=2m\"]}]}",
	      "runtime.json: .mounts[0].options: size=2m: filesystem data, which a bind mount "
	      "does not pass on (the kernel ignores it)");
	/* What is dropped or sets nothing is no data; a filesystem remount takes data. */
	ok("{\"mounts\": [{\"destination\": \"/x\", \"source\": \"/y\", \"options\": "
	   "[\"rbind\", \"defaults\", \"nofail\", \"x-systemd.automount\", \"rshared\"]},"
	   " {\"destination\": \"/z\", \"options\": [\"remount\", \"size=2m\"]}]}");
}

static void test_mount_data_length(void **state)
{
	/* two data options: 10 + 1 + 4084 = 4095 bytes, the most the kernel takes */
	char *json = repeat("{\"mounts\": [{\"destination\": \"/a\", \"type\": \"tmpfs\", "
			    "\"options\": [\"ro\", \"size=1000m\", \"nosuid\", \"mode=",
			    '7', 4084 - 5, "\"]}]}");

	ok(json);
	free(json);
	json = repeat("{\"mounts\": [{\"destination\": \"/a\", \"type\": \"tmpfs\", "
		      "\"options\": [\"ro\", \"size=1000m\", \"nosuid\", \"mode=",
		      '7', 4085 - 5, "\"]}]}");
	fails(json, "runtime.json: .mounts[0].options: mount data is 4096 bytes, the kernel takes "
		    "at most 4095");
	free(json);
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": [\"shared\", \"slave\", "
	      "\"private\", \"shared\", \"slave\", \"private\", \"shared\", \"slave\", "
	      "\"private\", "
	      "\"shared\", \"slave\", \"private\", \"shared\", \"slave\", \"private\", \"shared\", "
	      "\"slave\"]}]}",
	      "runtime.json: .mounts[0].options: 17 propagation options, at most 16 are allowed");
}

static void test_overlay_relative_dirs(void **state)
{
	struct config c;

	fails("{\"mounts\": [{\"destination\": \"/a\", \"type\": \"overlay\", \"options\": "
	      "[\"lowerdir=/l\", \"upperdir=u\", \"workdir=/w\"]}]}",
	      "runtime.json: .mounts[0].options[1]: \"u\" in upperdir= is not an absolute path");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": [\"workdir=./w\"]}]}",
	      "runtime.json: .mounts[0].options[0]: \"./w\" in workdir= is not an absolute path");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": [\"upperdir=\"]}]}",
	      "runtime.json: .mounts[0].options[0]: \"\" in upperdir= is not an absolute path");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": [\"lowerdir=l\"]}]}",
	      "runtime.json: .mounts[0].options[0]: \"l\" in lowerdir= is not an absolute path");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": [\"lowerdir=/l1:l2:/l3\"]}]}",
	      "runtime.json: .mounts[0].options[0]: \"l2\" in lowerdir= is not an absolute path");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": [\"lowerdir=/l1:\"]}]}",
	      "runtime.json: .mounts[0].options[0]: \"\" in lowerdir= is not an absolute path");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": [\"lowerdir=:/l1\"]}]}",
	      "runtime.json: .mounts[0].options[0]: \"\" in lowerdir= is not an absolute path");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": [\"lowerdir=\"]}]}",
	      "runtime.json: .mounts[0].options[0]: \"\" in lowerdir= is not an absolute path");
	/* "\:" escapes a colon: "/l1\:x" is one directory, "\:x" a relative one */
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": [\"lowerdir=/l1:\\\\:x\"]}]}",
	      "runtime.json: .mounts[0].options[0]: \"\\\\:x\" in lowerdir= is not an absolute "
	      "path");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": [\"lowerdir+=l\"]}]}",
	      "runtime.json: .mounts[0].options[0]: \"l\" in lowerdir+= is not an absolute path");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": [\"datadir+=d\"]}]}",
	      "runtime.json: .mounts[0].options[0]: \"d\" in datadir+= is not an absolute path");
	parses(&c, "{\"mounts\": [{\"destination\": \"/a\", \"type\": \"overlay\", \"source\": "
		   "\"overlay\", \"options\": [\"lowerdir=/l1\\\\:x:/l2::/data1::/data2\", "
		   "\"upperdir=/u\", \"workdir=/w\", \"lowerdir+=/l3\", \"datadir+=/d\", "
		   "\"upperdirx=rel\", \"redirect_dir=on\"]}]}");
	assert_int_equal(c.mounts[0].noptions, 7);
	assert_string_equal(c.mounts[0].options[0], "lowerdir=/l1\\:x:/l2::/data1::/data2");
	config_free(&c);
}

/* One option word may hold several, comma-separated: overlay reads each of them. */
static void test_overlay_option_commas(void **state)
{
	struct config c;

	fails("{\"mounts\": [{\"destination\": \"/a\", \"type\": \"overlay\", \"options\": "
	      "[\"lowerdir=/l,upperdir=rel,workdir=/w\"]}]}",
	      "runtime.json: .mounts[0].options[0]: \"rel\" in upperdir= is not an absolute path");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": [\"ro\", "
	      "\"upperdir=/u,workdir=w\"]}]}",
	      "runtime.json: .mounts[0].options[1]: \"w\" in workdir= is not an absolute path");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": [\"x=1,lowerdir=/l1:l2\"]}]}",
	      "runtime.json: .mounts[0].options[0]: \"l2\" in lowerdir= is not an absolute path");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": "
	      "[\"lowerdir+=/l,datadir+=d\"]}]}",
	      "runtime.json: .mounts[0].options[0]: \"d\" in datadir+= is not an absolute path");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": [\"ro,lowerdir+=l\"]}]}",
	      "runtime.json: .mounts[0].options[0]: \"l\" in lowerdir+= is not an absolute path");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": [\"lowerdir=/l,upperdir=\"]}]}",
	      "runtime.json: .mounts[0].options[0]: \"\" in upperdir= is not an absolute path");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": [\",upperdir=u\"]}]}",
	      "runtime.json: .mounts[0].options[0]: \"u\" in upperdir= is not an absolute path");
	/* the lowerdir list ends at the comma: ",x" is not part of it */
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": [\"lowerdir=/l1:,x\"]}]}",
	      "runtime.json: .mounts[0].options[0]: \"\" in lowerdir= is not an absolute path");
	/* "\\," is an escaped comma, "\\\\," an escaped backslash and then a comma */
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": [\"upperdir=u\\\\,/x\"]}]}",
	      "runtime.json: .mounts[0].options[0]: \"u\\\\,/x\" in upperdir= is not an absolute "
	      "path");
	fails("{\"mounts\": [{\"destination\": \"/a\", \"options\": "
	      "[\"upperdir=/u\\\\\\\\,workdir=w\"]}]}",
	      "runtime.json: .mounts[0].options[0]: \"w\" in workdir= is not an absolute path");
	/* the value is counted up to the comma: "/" and 4095 bytes */
	path_of("{\"mounts\": [{\"destination\": \"/a\", \"options\": [\"ro,upperdir=",
		CONFIG_PATH_MAX, ",x\"]}]}",
		"runtime.json: .mounts[0].options[0]: upperdir= value is 4096 bytes, at most 4095 "
		"are allowed");
	/* an escaped comma stays in the path; empty parts are nothing */
	parses(&c, "{\"mounts\": [{\"destination\": \"/a\", \"type\": \"overlay\", \"source\": "
		   "\"overlay\", \"options\": [\"lowerdir=/l\\\\,upperdir=rel:/l2,,"
		   "upperdir=/u\\\\,w,workdir=/w,\", \"upperdir=/u\\\\\", "
		   "\"x-opt=a,b\"]}]}");
	assert_int_equal(c.mounts[0].noptions, 3);
	assert_string_equal(c.mounts[0].options[0],
			    "lowerdir=/l\\,upperdir=rel:/l2,,upperdir=/u\\,w,workdir=/w,");
	assert_string_equal(c.mounts[0].options[1], "upperdir=/u\\");
	config_free(&c);
}

static void test_interface_names(void **state)
{
	static const struct {
		const char *name, *why; /* @name as written in JSON */
	} bad[] = {
		{ "abcdefghijklmnop", "\"abcdefghijklmnop\" is longer than 15 bytes" },
		{ "a/b", "\"a/b\" contains \"/\"" },
		{ "a:b", "\"a:b\" contains \":\"" },
		{ "a b", "\"a b\" contains whitespace" },
		{ "a\\tb", "\"a\\tb\" contains whitespace" },
		{ "a\\u000bb", "\"a\\u000bb\" contains whitespace" },
		{ "a\\u000cb", "\"a\\u000cb\" contains whitespace" },
		{ "a\\u00a0b", "\"a\xc2\xa0" "b\" contains whitespace" },
		{ "eth%d", "\"eth%d\" contains \"%\" (the kernel takes it for a name template)" },
		{ ".", "\".\" is not a valid interface name" },
		{ "..", "\"..\" is not a valid interface name" },
	};
	char json[256], msg[256];
	struct config c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(json, sizeof(json), "{\"interfaces\": [{\"name\": \"%s\"}]}", bad[i].name);
		snprintf(msg, sizeof(msg), "runtime.json: .interfaces[0].name: %s", bad[i].why);
		fails(json, msg);
		snprintf(json, sizeof(json),
			 "{\"interfaces\": [{\"name\": \"eth0\", \"peer\": \"%s\"}]}", bad[i].name);
		snprintf(msg, sizeof(msg), "runtime.json: .interfaces[0].peer: %s", bad[i].why);
		fails(json, msg);
	}
	/* 15 bytes; dots that are not "." or ".."; UTF-8 (the kernel takes any byte) */
	parses(&c, "{\"interfaces\": [{\"name\": \"abcdefghijklmno\"}, {\"name\": \"...\"}, "
		   "{\"name\": \"eth0.100\"}, {\"name\": \"veth-\xc3\xa9\"}]}");
	assert_int_equal(c.nifaces, 4);
	assert_string_equal(c.ifaces[0].name, "abcdefghijklmno");
	assert_string_equal(c.ifaces[3].name, "veth-\xc3\xa9");
	config_free(&c);
}

static void test_interface_rules(void **state)
{
	struct config c;

	fails("{\"interfaces\": [{\"add\": \"veth\", \"peer\": \"p\"}]}",
	      "runtime.json: .interfaces[0]: missing \"name\"");
	fails("{\"interfaces\": [{\"name\": null}]}",
	      "runtime.json: .interfaces[0]: missing \"name\"");
	fails("{\"interfaces\": [{\"name\": \"eth0\", \"add\": \"veth\"}]}",
	      "runtime.json: .interfaces[0]: veth without \"peer\"");
	fails("{\"interfaces\": [{\"name\": \"eth0\", \"add\": \"veth\", \"peer\": \"\"}]}",
	      "runtime.json: .interfaces[0]: veth without \"peer\"");
	fails("{\"interfaces\": [{\"name\": \"eth0\", \"add\": \"bridge\", \"peer\": \"p\"}]}",
	      "runtime.json: .interfaces[0].peer: only a veth has a peer (add is \"bridge\")");

	parses(&c, "{\"interfaces\": [{\"name\": \"eth0\", \"peer\": \"veth-a\"}, "
		   "{\"name\": \"eth1\", \"add\": \"\", \"peer\": \"veth-b\"}, "
		   "{\"name\": \"wg0\", \"add\": \"wireguard\", \"createInRoot\": true}, "
		   "{\"name\": \"eth2\", \"createInRoot\": false}]}");
	assert_int_equal(c.nifaces, 4);
	assert_string_equal(c.ifaces[0].add, "veth");
	assert_string_equal(c.ifaces[0].peer, "veth-a");
	assert_string_equal(c.ifaces[1].add, "veth");
	assert_string_equal(c.ifaces[1].peer, "veth-b");
	assert_string_equal(c.ifaces[2].add, "wireguard");
	assert_null(c.ifaces[2].peer);
	assert_true(c.ifaces[2].create_in_root);
	assert_string_equal(c.ifaces[3].name, "eth2");
	assert_null(c.ifaces[3].add);
	assert_false(c.ifaces[3].create_in_root);
	assert_int_equal(c.keys, CONFIG_INTERFACES);
	config_free(&c);
}

static void test_bindns(void **state)
{
	struct config c;
	size_t i;

	fails("{\"bindNS\": {\"net\": \"run/netns/x\"}}",
	      "runtime.json: .bindNS.net: \"run/netns/x\" is not an absolute path");
	fails("{\"bindNS\": {\"cgroup\": \"\", \"pid\": \"./p\"}}",
	      "runtime.json: .bindNS.pid: \"./p\" is not an absolute path");
	parses(&c, "{\"bindNS\": {\"cgroup\": \"/c\", \"ipc\": \"/i\", \"mnt\": \"/m\", \"net\": "
		   "\"/n\", \"pid\": \"/p\", \"user\": \"/u\", \"uts\": \"/t\"}}");
	for (i = 0; i < NS_COUNT; i++)
		assert_non_null(c.bindns[i]);
	assert_string_equal(c.bindns[NS_CGROUP], "/c");
	assert_string_equal(c.bindns[NS_IPC], "/i");
	assert_string_equal(c.bindns[NS_MNT], "/m");
	assert_string_equal(c.bindns[NS_NET], "/n");
	assert_string_equal(c.bindns[NS_PID], "/p");
	assert_string_equal(c.bindns[NS_USER], "/u");
	assert_string_equal(c.bindns[NS_UTS], "/t");
	assert_int_equal(c.keys, CONFIG_BINDNS);
	config_free(&c);
	/* LinuxKit writes "" for every namespace not asked for */
	parses(&c, "{\"bindNS\": {\"cgroup\": \"\", \"ipc\": \"\", \"mnt\": \"\", \"net\": \"\", "
		   "\"pid\": \"\", \"user\": \"\", \"uts\": \"\"}}");
	assert_true(is_zero(&c));
	parses(&c, "{\"bindNS\": {}}");
	assert_true(is_zero(&c));
}

/* Two types bound on one file: the second one is refused, in text order. */
static void test_bindns_same_path(void **state)
{
	struct config c;

	fails("{\"bindNS\": {\"net\": \"/run/ns/x\", \"uts\": \"/run/ns/x\"}}",
	      "runtime.json: .bindNS.uts: \"/run/ns/x\" is also .bindNS.net");
	fails("{\"bindNS\": {\"uts\": \"/run/ns/x\", \"ipc\": \"\", \"net\": \"/run/ns/x\"}}",
	      "runtime.json: .bindNS.net: \"/run/ns/x\" is also .bindNS.uts");
	fails("{\"bindNS\": {\"cgroup\": \"/c\", \"ipc\": \"/i\", \"mnt\": \"/m\", \"net\": "
	      "\"/i\", \"pid\": \"/c\"}}",
	      "runtime.json: .bindNS.net: \"/i\" is also .bindNS.ipc");
	/* "//", "/./" and trailing slashes name the same file; the other spelling is shown */
	fails("{\"bindNS\": {\"net\": \"/run/ns/x\", \"pid\": \"//run/./ns//x/\"}}",
	      "runtime.json: .bindNS.pid: \"//run/./ns//x/\" is also .bindNS.net "
	      "(\"/run/ns/x\")");
	fails("{\"bindNS\": {\"net\": \"/run/ns/./x/.\", \"user\": \"/run/ns/x\"}}",
	      "runtime.json: .bindNS.user: \"/run/ns/x\" is also .bindNS.net (\"/run/ns/./x/.\")");
	/* the path's own problems come first */
	fails("{\"bindNS\": {\"net\": \"/x\", \"uts\": \"x\"}}",
	      "runtime.json: .bindNS.uts: \"x\" is not an absolute path");
	/* ".." and symlinks are the file system's business; "" asks for nothing */
	parses(&c, "{\"bindNS\": {\"cgroup\": \"\", \"ipc\": \"\", \"mnt\": \"/run/ns/a/../x\", "
		   "\"net\": \"/run/ns/x\", \"pid\": \"/run/ns/x2\", \"user\": \"/run/ns/.x\", "
		   "\"uts\": \"/run/ns\"}}");
	assert_string_equal(c.bindns[NS_MNT], "/run/ns/a/../x");
	assert_string_equal(c.bindns[NS_NET], "/run/ns/x");
	assert_null(c.bindns[NS_CGROUP]);
	assert_null(c.bindns[NS_IPC]);
	config_free(&c);
}

static void test_ns_names(void **state)
{
	static const char *const want[NS_COUNT] = { "cgroup", "ipc",  "mnt", "net",
						    "pid",    "user", "uts" };
	size_t i;

	for (i = 0; i < NS_COUNT; i++)
		assert_string_equal(config_ns_names[i], want[i]);
}

static void test_cgroup_dotdot(void **state)
{
	static const char *const bad[] = { "a/../b", "..", "../x", "x/..", "/..", "a//../b" };
	static const char *const good[] = { "/a", "a..b", "..a", "a/..b", "a/b..", "...", "a/./b" };
	char json[128], msg[128];
	struct config c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(json, sizeof(json), "{\"cgroups\": [\"ok\", \"%s\"]}", bad[i]);
		snprintf(msg, sizeof(msg),
			 "runtime.json: .cgroups[1]: \"%s\" has a \"..\" component", bad[i]);
		fails(json, msg);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(json, sizeof(json), "{\"cgroups\": [\"%s\"]}", good[i]);
		parses(&c, json);
		assert_string_equal(c.cgroups[0], good[i]);
		config_free(&c);
	}
}

static void test_namespace_kept(void **state)
{
	struct config c;

	parses(&c, "{\"namespace\": \"services.linuxkit\"}");
	assert_string_equal(c.namespace, "services.linuxkit");
	assert_int_equal(c.keys, CONFIG_NAMESPACE);
	config_free(&c);
	assert_true(is_zero(&c));
}

static void test_keys_ask_for_work(void **state)
{
	struct config c;

	parses(&c, "{\"cgroups\": [], \"mounts\": [], \"mkdir\": [], \"interfaces\": [], "
		   "\"bindNS\": {\"net\": \"\"}}");
	assert_int_equal(c.keys, 0);
	config_free(&c);
	parses(&c, "{\"cgroups\": [\"a\"], \"mkdir\": [\"/b\"]}");
	assert_int_equal(c.keys, CONFIG_CGROUPS | CONFIG_MKDIR);
	config_free(&c);
	parses(&c, "{\"bindNS\": {\"uts\": \"/u\"}, "
		   "\"mounts\": [{\"destination\": \"d\", \"type\": \"tmpfs\"}]}");
	assert_int_equal(c.keys, CONFIG_BINDNS | CONFIG_MOUNTS);
	config_free(&c);
}

static void test_key_names(void **state)
{
	assert_string_equal(config_key_name(CONFIG_CGROUPS), "cgroups");
	assert_string_equal(config_key_name(CONFIG_MOUNTS), "mounts");
	assert_string_equal(config_key_name(CONFIG_MKDIR), "mkdir");
	assert_string_equal(config_key_name(CONFIG_INTERFACES), "interfaces");
	assert_string_equal(config_key_name(CONFIG_BINDNS), "bindNS");
	assert_string_equal(config_key_name(CONFIG_NAMESPACE), "namespace");
	assert_string_equal(config_key_name(0), "unknown");
	assert_string_equal(config_key_name(CONFIG_CGROUPS | CONFIG_MOUNTS), "unknown");
}

static void test_first_problem_wins(void **state)
{
	/* the text before the tree */
	fails("{\"cgroups\": 1, \"mkdir\": [\"\\u0000\"]}",
	      "runtime.json: .mkdir[0]: escaped NUL (\\u0000) in a string");
	/* in an object, its keys before its values */
	fails("{\"mkdir\": 1, \"bogus\": []}", "runtime.json: .bogus: unknown key");
	/* then the values in text order */
	fails("{\"mkdir\": [\"\"], \"cgroups\": [\"\"]}", "runtime.json: .mkdir[0]: empty path");
	fails("{\"cgroups\": [\"\"], \"mkdir\": [\"\"]}",
	      "runtime.json: .cgroups[0]: empty cgroup name");
	fails("{\"mounts\": [{\"options\": [1], \"destination\": \"\"}]}",
	      "runtime.json: .mounts[0].options[0]: expected a string, got a number");
}

/* ---- LinuxKit configs -------------------------------------------------------- */

/* As LinuxKit's moby tool writes it (json.Marshal of its Runtime struct). */
static const char linuxkit_full[] =
	"{\"cgroups\":[\"systemreserved\",\"podruntime\",\"kubepods/besteffort\"],"
	"\"mounts\":[{\"destination\":\"/var/lib/kubelet\",\"type\":\"bind\","
	"\"source\":\"/var/lib/kubelet\",\"options\":[\"rbind\",\"rshared\"]},"
	"{\"destination\":\"tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
	"\"options\":[\"nosuid\",\"nodev\",\"size=10m\",\"mode=1777\"]}],"
	"\"mkdir\":[\"/var/lib/kubelet-plugins\",\"var/log/app\"],"
	"\"interfaces\":[{\"name\":\"eth0\",\"add\":\"veth\",\"peer\":\"veth-svc\","
	"\"createInRoot\":false},{\"name\":\"wlan0\",\"createInRoot\":false}],"
	"\"bindNS\":{\"cgroup\":\"\",\"ipc\":\"\",\"mnt\":\"\",\"net\":\"/run/netns/svc\","
	"\"pid\":\"\",\"user\":\"\",\"uts\":\"\"},"
	"\"namespace\":\"services.linuxkit\"}";

static void test_linuxkit_full(void **state)
{
	struct config c;
	size_t i;

	parses(&c, linuxkit_full);
	assert_int_equal(c.keys, CONFIG_CGROUPS | CONFIG_MOUNTS | CONFIG_MKDIR | CONFIG_INTERFACES |
					 CONFIG_BINDNS | CONFIG_NAMESPACE);
	assert_int_equal(c.ncgroups, 3);
	assert_string_equal(c.cgroups[0], "systemreserved");
	assert_string_equal(c.cgroups[2], "kubepods/besteffort");
	assert_int_equal(c.nmounts, 2);
	assert_string_equal(c.mounts[0].destination, "/var/lib/kubelet");
	assert_string_equal(c.mounts[0].type, "bind");
	assert_string_equal(c.mounts[0].source, "/var/lib/kubelet");
	assert_int_equal(c.mounts[0].noptions, 2);
	assert_string_equal(c.mounts[0].options[0], "rbind");
	assert_string_equal(c.mounts[0].options[1], "rshared");
	assert_string_equal(c.mounts[1].destination, "tmp");
	assert_string_equal(c.mounts[1].type, "tmpfs");
	assert_int_equal(c.mounts[1].noptions, 4);
	assert_string_equal(c.mounts[1].options[3], "mode=1777");
	assert_int_equal(c.nmkdir, 2);
	assert_string_equal(c.mkdir[1], "var/log/app");
	assert_int_equal(c.nifaces, 2);
	assert_string_equal(c.ifaces[0].name, "eth0");
	assert_string_equal(c.ifaces[0].add, "veth");
	assert_string_equal(c.ifaces[0].peer, "veth-svc");
	assert_false(c.ifaces[0].create_in_root);
	assert_string_equal(c.ifaces[1].name, "wlan0");
	assert_null(c.ifaces[1].add);
	assert_null(c.ifaces[1].peer);
	for (i = 0; i < NS_COUNT; i++)
		if (i != NS_NET)
			assert_null(c.bindns[i]);
	assert_string_equal(c.bindns[NS_NET], "/run/netns/svc");
	assert_string_equal(c.namespace, "services.linuxkit");
	config_free(&c);
	assert_true(is_zero(&c));
	config_free(&c);
}

static void test_linuxkit_partial(void **state)
{
	struct config c;

	/* pretty-printed, one key, the others left out */
	parses(&c, "{\n  \"mkdir\": [\n    \"/var/lib/docker\"\n  ]\n}\n");
	assert_int_equal(c.keys, CONFIG_MKDIR);
	assert_int_equal(c.nmkdir, 1);
	assert_null(c.mounts);
	assert_null(c.cgroups);
	config_free(&c);
	/* bindNS with only unset namespaces and an interface move */
	parses(&c, "{\"interfaces\":[{\"name\":\"eth1\",\"createInRoot\":false}],\"bindNS\":"
		   "{\"cgroup\":\"\",\"ipc\":\"\",\"mnt\":\"\",\"net\":\"\",\"pid\":\"\",\"user\":"
		   "\"\",\"uts\":\"\"}}");
	assert_int_equal(c.keys, CONFIG_INTERFACES);
	config_free(&c);
	/* namespace alone */
	parses(&c, "{\"namespace\":\"default\"}");
	assert_int_equal(c.keys, CONFIG_NAMESPACE);
	config_free(&c);
}

static void test_check_relative(void **state)
{
	struct config c;
	struct err e = { 0 };

	parses(&c, "{\"mounts\": [{\"destination\": \"/a\", \"type\": \"tmpfs\"}, "
		   "{\"destination\": \"b/c\", \"type\": \"tmpfs\"}], "
		   "\"mkdir\": [\"d\"]}");
	assert_int_equal(config_check_relative(&c, "cfg.json", &e), -1);
	assert_string_equal(e.msg, "cfg.json: .mounts[1].destination: relative path \"b/c\" "
				   "needs a BUNDLE");
	assert_int_equal(e.errnum, 0);
	config_free(&c);
	parses(&c, "{\"mounts\": [{\"destination\": \"/a\", \"type\": \"tmpfs\"}], "
		   "\"mkdir\": [\"/x\", \"y\\n\"]}");
	assert_int_equal(config_check_relative(&c, "<stdin>", &e), -1);
	assert_string_equal(e.msg, "<stdin>: .mkdir[1]: relative path \"y\\n\" needs a BUNDLE");
	config_free(&c);
	parses(&c, "{\"mounts\": [{\"destination\": \"/a\", \"type\": \"tmpfs\"}], \"mkdir\": [\"/x\"], "
		   "\"cgroups\": [\"rel\"]}");
	assert_int_equal(config_check_relative(&c, "runtime.json", &e), 0);
	config_free(&c);
	assert_int_equal(config_check_relative(&c, "runtime.json", &e), 0);
}

static void test_out_of_memory(void **state)
{
	struct config c;
	struct err e;
	long n;
	int rc;

	for (n = 0; n < 100000; n++) {
		memset(&e, 0, sizeof(e));
		arm(n);
		rc = config_parse(&c, "runtime.json", linuxkit_full, strlen(linuxkit_full), &e);
		disarm();
		if (allocs <= n) {
			/* every allocation was made: none failed */
			assert_int_equal(rc, 0);
			config_free(&c);
			break;
		}
		assert_int_equal(rc, -1);
		assert_int_equal(e.errnum, ENOMEM);
		assert_string_equal(e.msg, "parse runtime.json");
		assert_true(is_zero(&c));
	}
	assert_true(n > 50);
	/* memory is needed before the text is looked at */
	arm(0);
	rc = config_parse(&c, "runtime.json", "{\"x\": 1}", 8, &e);
	disarm();
	assert_int_equal(rc, -1);
	assert_int_equal(e.errnum, ENOMEM);
}

/* ---- config_load ------------------------------------------------------------- */

struct dir {
	char path[64];
};

static int setup_dir(void **state)
{
	struct dir *d = malloc(sizeof(*d));

	if (!d)
		return -1;
	strcpy(d->path, "/tmp/test_config.XXXXXX");
	if (!mkdtemp(d->path)) {
		free(d);
		return -1;
	}
	*state = d;
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int teardown_dir(void **state)
{
	struct dir *d = *state;
	int rc = nftw(d->path, remove_one, 16, FTW_DEPTH | FTW_PHYS);

	free(d);
	return rc;
}

/* Write @len bytes of @text to DIR/@name; returns the path in @buf. */
static const char *put_file(const struct dir *d, const char *name, const char *text, size_t len,
			    char *buf, size_t buflen)
{
	FILE *f;

	snprintf(buf, buflen, "%s/%s", d->path, name);
	f = fopen(buf, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* "{}" and spaces: @size bytes of valid config; free() it. */
static char *padded_config(size_t size)
{
	char *text = repeat("{}", ' ', size - 2, "");

	return text;
}

static void test_load_nothing(void **state)
{
	struct config c;
	struct err e = { 0 };

	assert_int_equal(config_load(&c, NULL, NULL, &e), 0);
	assert_true(is_zero(&c));
}

static void test_load_default_missing(void **state)
{
	struct dir *d = *state;
	struct config c;
	struct err e = { 0 };

	assert_int_equal(config_load(&c, NULL, d->path, &e), 0);
	assert_true(is_zero(&c));
}

static void test_load_default(void **state)
{
	struct dir *d = *state;
	char path[128];
	struct config c;
	struct err e = { 0 };

	put_file(d, "runtime.json", linuxkit_full, strlen(linuxkit_full), path, sizeof(path));
	assert_int_equal(config_load(&c, NULL, d->path, &e), 0);
	assert_int_equal(c.nmounts, 2);
	assert_string_equal(c.bindns[NS_NET], "/run/netns/svc");
	config_free(&c);
	/* its errors are named runtime.json */
	put_file(d, "runtime.json", "{\"mkdir\": [1]}", 14, path, sizeof(path));
	assert_int_equal(config_load(&c, NULL, d->path, &e), -1);
	assert_string_equal(e.msg, "runtime.json: .mkdir[0]: expected a string, got a number");
	assert_int_equal(e.errnum, 0);
	assert_true(is_zero(&c));
}

static void test_load_file_missing(void **state)
{
	struct dir *d = *state;
	char path[128], msg[160];
	struct config c;
	struct err e = { 0 };

	snprintf(path, sizeof(path), "%s/nope.json", d->path);
	assert_int_equal(config_load(&c, path, d->path, &e), -1);
	assert_int_equal(e.errnum, ENOENT);
	snprintf(msg, sizeof(msg), "open %s", path);
	assert_string_equal(e.msg, msg);
	assert_true(is_zero(&c));
	/* without BUNDLE too */
	assert_int_equal(config_load(&c, path, NULL, &e), -1);
	assert_int_equal(e.errnum, ENOENT);
}

static void test_load_file(void **state)
{
	struct dir *d = *state;
	char path[128], msg[256];
	struct config c;
	struct err e = { 0 };

	put_file(d, "cfg.json", "{\"cgroups\": [\"a\"]}", 18, path, sizeof(path));
	assert_int_equal(config_load(&c, path, NULL, &e), 0);
	assert_string_equal(c.cgroups[0], "a");
	config_free(&c);
	/* -c wins over BUNDLE/runtime.json; messages are named by FILE */
	put_file(d, "runtime.json", "{}", 2, msg, sizeof(msg));
	put_file(d, "cfg.json", "{\"cgroups\": [\"..\"]}", 19, path, sizeof(path));
	assert_int_equal(config_load(&c, path, d->path, &e), -1);
	snprintf(msg, sizeof(msg), "%s: .cgroups[0]: \"..\" has a \"..\" component", path);
	assert_string_equal(e.msg, msg);
}

static void test_load_directory(void **state)
{
	struct dir *d = *state;
	char path[128], msg[160];
	struct config c;
	struct err e = { 0 };

	assert_int_equal(config_load(&c, d->path, NULL, &e), -1);
	assert_int_equal(e.errnum, EISDIR);
	snprintf(msg, sizeof(msg), "read %s", d->path);
	assert_string_equal(e.msg, msg);
	/* a directory called runtime.json is no missing file */
	snprintf(path, sizeof(path), "%s/runtime.json", d->path);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(config_load(&c, NULL, d->path, &e), -1);
	assert_int_equal(e.errnum, EISDIR);
	snprintf(msg, sizeof(msg), "read %s", path);
	assert_string_equal(e.msg, msg);
	assert_true(is_zero(&c));
}

static void test_load_bundle_not_directory(void **state)
{
	struct dir *d = *state;
	char path[128];
	struct config c;
	struct err e = { 0 };

	put_file(d, "file", "", 0, path, sizeof(path));
	assert_int_equal(config_load(&c, NULL, path, &e), -1);
	assert_int_equal(e.errnum, ENOTDIR);
}

static void test_load_too_big(void **state)
{
	struct dir *d = *state;
	char path[128], msg[200];
	struct config c;
	struct err e = { 0 };
	char *text = padded_config(CONFIG_MAX_SIZE + 1);

	put_file(d, "big.json", text, CONFIG_MAX_SIZE + 1, path, sizeof(path));
	assert_int_equal(config_load(&c, path, NULL, &e), -1);
	assert_int_equal(e.errnum, EFBIG);
	snprintf(msg, sizeof(msg), "read %s (more than 1048576 bytes)", path);
	assert_string_equal(e.msg, msg);
	assert_true(is_zero(&c));
	/* exactly the limit is fine */
	put_file(d, "runtime.json", text, CONFIG_MAX_SIZE, path, sizeof(path));
	assert_int_equal(config_load(&c, NULL, d->path, &e), 0);
	assert_true(is_zero(&c));
	free(text);
}

static void test_load_bundle_too_long(void **state)
{
	char *bundle = repeat("/", 'b', CONFIG_PATH_MAX, "");
	struct config c;
	struct err e = { 0 };

	assert_int_equal(config_load(&c, NULL, bundle, &e), -1);
	assert_int_equal(e.errnum, ENAMETOOLONG);
	free(bundle);
}

/* Put @fd on standard input; returns the old one, for restore_stdin(). */
static int replace_stdin(int fd)
{
	int saved = dup(STDIN_FILENO);

	assert_true(saved >= 0);
	assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	return saved;
}

static void restore_stdin(int saved)
{
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
}

static void test_load_stdin_file(void **state)
{
	struct dir *d = *state;
	char path[128];
	struct config c;
	struct err e = { 0 };
	int saved;

	put_file(d, "cfg.json", "{\"mkdir\": [\"x\"]}", 16, path, sizeof(path));
	saved = replace_stdin(open(path, O_RDONLY));
	assert_int_equal(config_load(&c, "-", d->path, &e), 0);
	restore_stdin(saved);
	assert_string_equal(c.mkdir[0], "x");
	config_free(&c);

	put_file(d, "bad.json", "{\"mkdir\": [\"x\"]", 15, path, sizeof(path));
	saved = replace_stdin(open(path, O_RDONLY));
	assert_int_equal(config_load(&c, "-", NULL, &e), -1);
	restore_stdin(saved);
	assert_string_equal(e.msg, "<stdin>: line 1, column 16: unexpected end of text");
	/* standard input stays open */
	assert_true(fcntl(STDIN_FILENO, F_GETFD) >= 0);
}

/* Standard input from a pipe that a child fills with @len bytes of @text. */
static pid_t pipe_stdin(const char *text, size_t len, int *saved)
{
	int fds[2];
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		size_t off = 0;
		ssize_t n;

		close(fds[0]);
		while (off < len && (n = write(fds[1], text + off, len - off)) > 0)
			off += (size_t)n;
		_exit(0);
	}
	close(fds[1]);
	*saved = replace_stdin(fds[0]);
	return pid;
}

static void test_load_stdin_pipe(void **state)
{
	char *text = padded_config(CONFIG_MAX_SIZE + 4096);
	struct config c;
	struct err e = { 0 };
	int saved, status;
	pid_t pid;

	/* more than the limit: found out without reading to the end */
	pid = pipe_stdin(text, CONFIG_MAX_SIZE + 4096, &saved);
	assert_int_equal(config_load(&c, "-", NULL, &e), -1);
	restore_stdin(saved);
	assert_int_equal(e.errnum, EFBIG);
	assert_string_equal(e.msg, "read <stdin> (more than 1048576 bytes)");
	assert_int_equal(waitpid(pid, &status, 0), pid);

	/* exactly the limit, in many reads */
	pid = pipe_stdin(text, CONFIG_MAX_SIZE, &saved);
	assert_int_equal(config_load(&c, "-", NULL, &e), 0);
	restore_stdin(saved);
	assert_true(is_zero(&c));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	/* an empty standard input is an empty document, not an empty config */
	pid = pipe_stdin("", 0, &saved);
	assert_int_equal(config_load(&c, "-", NULL, &e), -1);
	restore_stdin(saved);
	assert_string_equal(e.msg, "<stdin>: line 1, column 1: empty document");
	assert_int_equal(waitpid(pid, &status, 0), pid);
	free(text);
}

static void test_load_out_of_memory(void **state)
{
	struct dir *d = *state;
	char path[128], msg[160];
	struct config c;
	struct err e = { 0 };
	int rc;

	put_file(d, "runtime.json", "{\"mkdir\": [\"/x\"]}", 17, path, sizeof(path));
	arm(0);
	rc = config_load(&c, NULL, d->path, &e);
	disarm();
	assert_int_equal(rc, -1);
	assert_int_equal(e.errnum, ENOMEM);
	snprintf(msg, sizeof(msg), "read %s", path);
	assert_string_equal(e.msg, msg);
	arm(1);
	rc = config_load(&c, NULL, d->path, &e);
	disarm();
	assert_int_equal(rc, -1);
	assert_int_equal(e.errnum, ENOMEM);
	assert_string_equal(e.msg, "parse runtime.json");
	assert_true(is_zero(&c));
}

/* The read buffer grows with the file: a failure to grow it is ENOMEM, nothing kept. */
static void test_load_grow_out_of_memory(void **state)
{
	struct dir *d = *state;
	char *text = padded_config(3 * 4096);
	char path[128], msg[160];
	struct config c;
	struct err e = { 0 };
	int rc;

	put_file(d, "runtime.json", text, 3 * 4096, path, sizeof(path));
	arm(1);
	rc = config_load(&c, NULL, d->path, &e);
	disarm();
	assert_int_equal(rc, -1);
	assert_int_equal(e.errnum, ENOMEM);
	snprintf(msg, sizeof(msg), "read %s", path);
	assert_string_equal(e.msg, msg);
	assert_true(is_zero(&c));
	/* Grown twice (4, 8, 16 KiB), then parsed. */
	memset(&e, 0, sizeof(e));
	assert_int_equal(config_load(&c, NULL, d->path, &e), 0);
	config_free(&c);
	free(text);
}

#define DIR_TEST(f) cmocka_unit_test_setup_teardown(f, setup_dir, teardown_dir)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_document),
		cmocka_unit_test(test_byte_order_mark),
		cmocka_unit_test(test_raw_control_character),
		cmocka_unit_test(test_invalid_escape),
		cmocka_unit_test(test_valid_escapes),
		cmocka_unit_test(test_unicode_escape_not_hex),
		cmocka_unit_test(test_nul_escaped),
		cmocka_unit_test(test_nul_raw),
		cmocka_unit_test(test_lone_surrogate),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_trailing_bytes),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_top_not_object),
		cmocka_unit_test(test_null_document),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_wrong_type),
		cmocka_unit_test(test_null_element),
		cmocka_unit_test(test_null_is_absent),
		cmocka_unit_test(test_mount_without_destination),
		cmocka_unit_test(test_empty_strings),
		cmocka_unit_test(test_path_length),
		cmocka_unit_test(test_cgroup_newline),
		cmocka_unit_test(test_mount_option_rules),
		cmocka_unit_test(test_mount_bind_data),
		cmocka_unit_test(test_mount_data_length),
		cmocka_unit_test(test_overlay_relative_dirs),
		cmocka_unit_test(test_overlay_option_commas),
		cmocka_unit_test(test_interface_names),
		cmocka_unit_test(test_interface_rules),
		cmocka_unit_test(test_bindns),
		cmocka_unit_test(test_bindns_same_path),
		cmocka_unit_test(test_ns_names),
		cmocka_unit_test(test_cgroup_dotdot),
		cmocka_unit_test(test_namespace_kept),
		cmocka_unit_test(test_keys_ask_for_work),
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_first_problem_wins),
		cmocka_unit_test(test_linuxkit_full),
		cmocka_unit_test(test_linuxkit_partial),
		cmocka_unit_test(test_check_relative),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_load_nothing),
		DIR_TEST(test_load_default_missing),
		DIR_TEST(test_load_default),
		DIR_TEST(test_load_file_missing),
		DIR_TEST(test_load_file),
		DIR_TEST(test_load_directory),
		DIR_TEST(test_load_bundle_not_directory),
		DIR_TEST(test_load_too_big),
		cmocka_unit_test(test_load_bundle_too_long),
		DIR_TEST(test_load_stdin_file),
		cmocka_unit_test(test_load_stdin_pipe),
		DIR_TEST(test_load_out_of_memory),
		DIR_TEST(test_load_grow_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
