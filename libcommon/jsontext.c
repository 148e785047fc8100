/*
 * jsontext.c - a JSON text parsed strictly with cJSON (jsontext.h), and where
 * and why a text is not JSON. Follows RFC 8259; the checks of the bytes
 * themselves are jsonscan.c's.
 *
 * This is not a JSON parser: cJSON parses. The scanner (jsonscan.h) walks
 * the bytes and stops at the first problem cJSON would let through. When
 * cJSON accepts the text, its tree keeps object members and array elements
 * in text order, so a pre-order walk meets keys and string values in the
 * order of the literals: the ordinal of the literal with the problem names
 * its node. When cJSON refuses the text, the problem is reported by line and
 * column: the scanner's, if it comes first, as it says more than cJSON's
 * position does.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonpath.h"
#include "jsonscan.h"
#include "jsontext.h"

/* Containers deeper than this are not tracked by stop_at(). */
#define STACK_MAX 1024

/* The first offset at or after @off that is not JSON whitespace, or @len. */
static size_t skip_space(const char *buf, size_t len, size_t off)
{
	while (off < len && jsonscan_is_space((unsigned char)buf[off]))
		off++;
	return off;
}

/* The 1-based line and column (in bytes) of byte @off. */
static void position(const char *buf, size_t off, size_t *line, size_t *col)
{
	size_t i, start = 0;

	*line = 1;
	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			start = i + 1;
		}
	}
	*col = off - start + 1;
}

/* The number of bytes between the quotes of the literal opening at @start. */
static size_t literal_len(const char *buf, size_t len, size_t start)
{
	size_t i = start + 1;

	while (i < len && buf[i] != '"')
		i += buf[i] == '\\' ? 2 : 1;
	return (i < len ? i : len) - start - 1;
}

/*
 * Outside strings, up to @end: the innermost open container ('[', '{' or 0)
 * and the last byte that is not whitespace (or 0).
 */
static void context(const unsigned char *s, size_t end, unsigned char *inner, unsigned char *last)
{
	unsigned char stack[STACK_MAX / 8] = { 0 };
	size_t i, depth = 0;

	*last = 0;
	for (i = 0; i < end; i++) {
		if (s[i] == '"') {
			/* ending inside a string leaves '"' as the last byte: no key is due */
			*last = '"';
			for (i++; i < end && s[i] != '"'; i++)
				i += s[i] == '\\';
		} else if (s[i] == '[' || s[i] == '{') {
			if (depth < STACK_MAX && s[i] == '{')
				stack[depth / 8] |= 1u << depth % 8;
			else if (depth < STACK_MAX)
				stack[depth / 8] &= ~(1u << depth % 8);
			depth++;
		} else if ((s[i] == ']' || s[i] == '}') && depth) {
			depth--;
		}
		if (i < end && !jsonscan_is_space(s[i]))
			*last = s[i];
	}
	if (!depth || depth > STACK_MAX)
		*inner = 0;
	else
		*inner = stack[(depth - 1) / 8] & 1u << (depth - 1) % 8 ? '{' : '[';
}

/*
 * Where and why a text that cJSON refused is not JSON, from the offset cJSON
 * gave, corrected for two quirks of it: a text that ends too early is
 * reported at its last byte (or at trailing whitespace), and an object key
 * that is not a string one byte after it. Fills @reason (@n bytes) and
 * returns the offset to report.
 */
static size_t stop_at(const char *buf, size_t len, size_t pos, char *reason, size_t n)
{
	const unsigned char *s = (const unsigned char *)buf;
	unsigned char inner, last, end_inner, end_last;
	size_t end;

	if (pos > len)
		pos = len;
	/* a key is due right after '{' or ',': only '"', or '}' after '{', are right */
	if (pos > 0 && !jsonscan_is_space(s[pos - 1]) && s[pos - 1] != '"') {
		context(s, pos - 1, &inner, &last);
		if (inner == '{' && (last == ',' || (last == '{' && s[pos - 1] != '}')))
			pos--;
	}
	context(s, len, &end_inner, &end_last);
	if (pos >= len || jsonscan_is_space(s[pos]) || (pos + 1 == len && end_inner)) {
		for (end = len; end > 0 && jsonscan_is_space(s[end - 1]); end--)
			;
		snprintf(reason, n, "unexpected end of text");
		return end;
	}
	if (s[pos] > 0x20 && s[pos] < 0x7f)
		snprintf(reason, n, "unexpected character '%c'", s[pos]);
	else
		snprintf(reason, n, "unexpected byte 0x%02x", s[pos]);
	return pos;
}

/*
 * Walk @v in pre-order to the string literal *@k (keys and string values
 * count, in text order), leaving its path in @path. A key is shown as
 * written (@buf, @start: the text and the literal's quote): it is the
 * problem, and cJSON's copy of it may be cut short.
 */
static bool find_literal(struct jsonpath *path, const cJSON *v, size_t *k, const char *buf,
			 size_t len, size_t start)
{
	const cJSON *m;
	size_t i = 0, old;

	if (cJSON_IsString(v)) {
		if (*k == 0)
			return true;
		(*k)--;
		return false;
	}
	for (m = v->child; m; m = m->next) {
		if (cJSON_IsObject(v)) {
			if (*k == 0) {
				jsonpath_key(path, buf + start + 1, literal_len(buf, len, start),
					     true);
				return true;
			}
			(*k)--;
			old = jsonpath_key(path, m->string, strlen(m->string), false);
		} else {
			old = jsonpath_index(path, i++);
		}
		if (find_literal(path, m, k, buf, len, start))
			return true;
		jsonpath_pop(path, old);
	}
	return false;
}

/* "NAME: line L, column C: reason" for byte @off. */
static void not_json(struct err *e, const char *name, const char *buf, size_t off,
		     const char *reason)
{
	size_t line, col;

	position(buf, off, &line, &col);
	err_set(e, 0, "%s: line %zu, column %zu: %s", name, line, col, reason);
}

/* cJSON's allocations fail the same way as a syntax error; this tells them apart. */
static __thread bool cjson_out_of_memory;

static void *cjson_malloc(size_t n)
{
	void *p = malloc(n);

	if (!p)
		cjson_out_of_memory = true;
	return p;
}

static void cjson_free(void *p)
{
	free(p);
}

/* cJSON_ParseWithLengthOpts(), telling running out of memory (@e set) from bad text. */
static cJSON *parse(const char *name, const char *text, size_t len, const char **end, bool *oom,
		    struct err *e)
{
	cJSON_Hooks hooks = { cjson_malloc, cjson_free };
	cJSON *root;

	cJSON_InitHooks(&hooks);
	cjson_out_of_memory = false;
	*end = NULL;
	root = cJSON_ParseWithLengthOpts(text, len, end, false);
	cJSON_InitHooks(NULL);
	*oom = !root && cjson_out_of_memory;
	if (*oom)
		err_set(e, ENOMEM, "parse %s", name);
	return root;
}

/*
 * cJSON refuses a bad escape, where the path would help most. The byte after
 * such a backslash is neither '"' nor '\', so without the backslash every
 * literal keeps its extent and ordinal: parse again with the backslashes of
 * the first few bad escapes replaced, from @p on, then put them back (a key
 * is shown as written).
 */
static cJSON *without_bad_escapes(const char *name, char *text, size_t len,
				  const struct jsonscan_problem *p, const char **end, bool *oom,
				  struct err *e)
{
	size_t patched[8], n = 0;
	struct jsonscan_problem q = *p;
	cJSON *root = NULL;

	*oom = false;
	while (!root && !*oom && n < sizeof(patched) / sizeof(patched[0]) && q.found &&
	       q.in_literal && text[q.offset] == '\\') {
		patched[n++] = q.offset;
		text[q.offset] = '?';
		root = parse(name, text, len, end, oom, e);
		if (!root && !*oom)
			jsonscan(text, len, CJSON_NESTING_LIMIT, &q);
	}
	while (n)
		text[patched[--n]] = '\\';
	return root;
}

/* The checks, on @text: @len bytes of the caller's text and a NUL. */
static cJSON *parse_strictly(const char *name, char *text, size_t len, struct err *e)
{
	struct jsonpath path = { .len = 0 };
	char reason[JSONSCAN_REASON_MAX];
	const char *end;
	struct jsonscan_problem p;
	size_t tail, k;
	cJSON *root;
	bool oom;

	if (skip_space(text, len, 0) == len) {
		not_json(e, name, text, 0, "empty document");
		return NULL;
	}
	jsonscan(text, len, CJSON_NESTING_LIMIT, &p);
	root = parse(name, text, len, &end, &oom, e);
	if (!root && oom)
		return NULL;
	if (!root) {
		tail = stop_at(text, len, end ? (size_t)(end - text) : 0, reason, sizeof(reason));
		if (!p.found || p.offset > tail) {
			not_json(e, name, text, tail, reason);
			return NULL;
		}
		root = without_bad_escapes(name, text, len, &p, &end, &oom, e);
		if (!root && oom)
			return NULL;
		if (!root) {
			not_json(e, name, text, p.offset, p.reason);
			return NULL;
		}
	}
	/* the first problem in the text wins; text after the value is one too */
	tail = skip_space(text, len, (size_t)(end - text));
	if (p.found && p.offset < tail && p.in_literal) {
		k = p.literal;
		find_literal(&path, root, &k, text, len, p.literal_start);
		if (path.len)
			err_set(e, 0, "%s: %s: %s", name, path.s, p.reason);
		else
			err_set(e, 0, "%s: %s", name, p.reason);
	} else if (p.found && p.offset < tail) {
		not_json(e, name, text, p.offset, p.reason);
	} else if (tail < len) {
		not_json(e, name, text, tail, "text after the JSON value");
	} else {
		return root;
	}
	cJSON_Delete(root);
	return NULL;
}

cJSON *jsontext_parse(const char *name, const char *buf, size_t len, struct err *e)
{
	cJSON *root;
	char *text;

	/* a copy ends in the NUL that cJSON reads past the end of some texts */
	text = malloc(len + 1);
	if (!text) {
		err_set(e, ENOMEM, "parse %s", name);
		return NULL;
	}
	memcpy(text, buf, len);
	text[len] = '\0';
	root = parse_strictly(name, text, len, e);
	free(text);
	return root;
}
