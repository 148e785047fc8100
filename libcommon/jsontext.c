/*
 * jsontext.c - a JSON text parsed strictly with cJSON (jsontext.h). Follows
 * RFC 8259 (sections 2 whitespace, 6 numbers, 7 strings, 8.1 UTF-8 and the
 * byte-order mark) and RFC 3629 section 4 (valid UTF-8).
 *
 * This is not a JSON parser: cJSON parses. A scanner walks the bytes, finds
 * the string literals the way cJSON does (outside a string, '"' opens one;
 * inside, '\' skips the next byte and '"' closes it), checks them and what
 * lies between them, and stops at the first problem. When cJSON accepts the
 * text, its tree keeps object members and array elements in text order, so a
 * pre-order walk meets keys and string values in the order of the literals:
 * the ordinal of the literal with the problem names its node. When cJSON
 * refuses the text, the problem is reported by line and column: the
 * scanner's, if it comes first, as it says more than cJSON's position does.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsontext.h"

#define REASON_MAX 96
/* Containers deeper than this are not tracked by stop_at(). */
#define STACK_MAX 1024

/* The first problem in a text. */
struct problem {
	bool found;
	size_t offset;		 /* of the offending byte */
	bool in_literal;	 /* in a terminated string literal: */
	size_t literal;		 /* its ordinal among all string literals, from 0 */
	size_t literal_start;	 /* the offset of its opening quote */
	char reason[REASON_MAX]; /* "invalid escape \q in a string" */
};

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* A byte cJSON reads as part of a number. */
static bool is_number_byte(unsigned char c)
{
	return is_digit(c) || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E';
}

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void found(struct problem *p, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void found(struct problem *p, size_t off, const char *fmt, ...)
{
	va_list ap;

	p->found = true;
	p->offset = off;
	va_start(ap, fmt);
	vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
	va_end(ap);
}

/* The four hex digits at @s (@n bytes available) as a number, or -1. */
static long hex4(const unsigned char *s, size_t n)
{
	long v = 0;
	int i, d;

	if (n < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		d = hex_value(s[i]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/*
 * The length of the escape at @s (a backslash, @n bytes available), or 0
 * with *@off moved to the offending byte and @why filled. A surrogate pair
 * is one escape of 12 bytes.
 */
static size_t escape_len(const unsigned char *s, size_t n, size_t *off, char *why, size_t wlen)
{
	long cp, lo;

	switch (s[1]) {
	case '"':
	case '\\':
	case '/':
	case 'b':
	case 'f':
	case 'n':
	case 'r':
	case 't':
		return 2;
	case 'u':
		break;
	default:
		if (s[1] > 0x20 && s[1] < 0x7f)
			snprintf(why, wlen, "invalid escape \\%c in a string", s[1]);
		else
			snprintf(why, wlen, "invalid escape in a string (\\ before byte 0x%02x)",
				 s[1]);
		return 0;
	}
	/* cJSON reads a non-hex digit as 0, turning "\u12G4" into a NUL */
	cp = hex4(s + 2, n - 2);
	if (cp < 0) {
		snprintf(why, wlen, "\\u not followed by four hex digits in a string");
		return 0;
	}
	if (cp == 0) {
		snprintf(why, wlen, "escaped NUL (\\u0000) in a string");
		return 0;
	}
	if (cp >= 0xd800 && cp <= 0xdbff && n >= 8 && s[6] == '\\' && s[7] == 'u') {
		lo = hex4(s + 8, n - 8);
		if (lo < 0) {
			*off += 6;
			snprintf(why, wlen, "\\u not followed by four hex digits in a string");
			return 0;
		}
		if (lo >= 0xdc00 && lo <= 0xdfff)
			return 12;
	}
	if (cp >= 0xd800 && cp <= 0xdfff) {
		snprintf(why, wlen, "lone surrogate \\u%04lX in a string", cp);
		return 0;
	}
	return 6;
}

/*
 * The length of the UTF-8 sequence at @s (its first byte >= 0x80, @n bytes
 * available), or 0 with @why filled. Ranges from RFC 3629 section 4.
 */
static size_t utf8_len(const unsigned char *s, size_t n, char *why, size_t wlen)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	const char *what = NULL;
	size_t need = 0, i;

	if (c < 0xc0)
		what = "continuation byte without a start";
	else if (c < 0xc2)
		what = "overlong encoding";
	else if (c < 0xe0)
		need = 1;
	else if (c < 0xf0)
		need = 2, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
	else if (c < 0xf5)
		need = 3, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
	else if (c < 0xf8)
		what = "above U+10FFFF";
	else
		what = "never used in UTF-8";
	if (!what) {
		for (i = 1; i <= need && !what; i++)
			if (i >= n || (s[i] & 0xc0) != 0x80)
				what = "truncated sequence";
		if (!what && s[1] < lo)
			what = "overlong encoding";
		else if (!what && s[1] > hi)
			what = c == 0xed ? "encoded surrogate" : "above U+10FFFF";
	}
	if (!what)
		return need + 1;
	snprintf(why, wlen, "invalid UTF-8 in a string (byte 0x%02x: %s)", c, what);
	return 0;
}

/* Check the literal opening at @start; returns the offset after it. */
static size_t scan_literal(const unsigned char *s, size_t len, size_t start, size_t ordinal,
			   struct problem *p)
{
	char why[REASON_MAX];
	size_t i = start + 1, n, off;

	while (i < len) {
		if (s[i] == '"')
			return i + 1;
		off = i;
		if (s[i] == '\\') {
			if (i + 1 >= len)
				break;
			n = escape_len(s + i, len - i, &off, why, sizeof(why));
		} else if (s[i] == 0) {
			n = 0;
			snprintf(why, sizeof(why), "raw NUL byte in a string");
		} else if (s[i] < 0x20) {
			n = 0;
			snprintf(why, sizeof(why), "raw control character 0x%02x in a string",
				 s[i]);
		} else if (s[i] < 0x80) {
			n = 1;
		} else {
			n = utf8_len(s + i, len - i, why, sizeof(why));
		}
		if (!n) {
			found(p, off, "%s", why);
			p->in_literal = true;
			p->literal = ordinal;
			p->literal_start = start;
			return len;
		}
		i += n;
	}
	found(p, start, "unterminated string");
	return len;
}

/* Check the number starting at @start (a '-' or a digit); returns the offset after it. */
static size_t scan_number(const unsigned char *s, size_t len, size_t start, struct problem *p)
{
	size_t end = start, i = start;

	/* cJSON takes this run of bytes to strtod(), which is laxer than JSON */
	while (end < len && is_number_byte(s[end]))
		end++;
	if (i < end && s[i] == '-')
		i++;
	if (i < end && s[i] == '0') {
		i++;
	} else if (i < end && is_digit(s[i])) {
		while (i < end && is_digit(s[i]))
			i++;
	} else {
		i = SIZE_MAX;
	}
	if (i < end && s[i] == '.') {
		if (++i >= end || !is_digit(s[i]))
			i = SIZE_MAX;
		while (i < end && is_digit(s[i]))
			i++;
	}
	if (i < end && (s[i] == 'e' || s[i] == 'E')) {
		if (++i < end && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= end || !is_digit(s[i]))
			i = SIZE_MAX;
		while (i < end && is_digit(s[i]))
			i++;
	}
	if (i != end)
		found(p, start, "invalid number \"%.*s\"",
		      (int)(end - start > 32 ? 32 : end - start), (const char *)s + start);
	return end;
}

/*
 * Find the first problem in @buf (@len bytes) that cJSON would let through;
 * nesting deeper than cJSON's @max_depth is one too, said plainly. Problems
 * cJSON does catch (an unterminated string) may be reported, more precisely.
 */
static void scan(const char *buf, size_t len, unsigned max_depth, struct problem *p)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0, nlit = 0, depth = 0;

	memset(p, 0, sizeof(*p));
	/* cJSON skips a UTF-8 byte-order mark; RFC 8259 section 8.1 forbids one */
	if (len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) {
		found(p, 0, "byte-order mark at the start of the text");
		return;
	}
	while (i < len && !p->found) {
		unsigned char c = s[i];

		if (c == '"') {
			i = scan_literal(s, len, i, nlit++, p);
			continue;
		}
		if (c == '-' || is_digit(c)) {
			i = scan_number(s, len, i, p);
			continue;
		}
		if (c == '[' || c == '{') {
			if (++depth > max_depth)
				found(p, i, "nested deeper than %u levels", max_depth);
		} else if (c == ']' || c == '}') {
			if (depth)
				depth--;
		} else if ((c < 0x20 && !is_space(c)) || c >= 0x7f) {
			/* cJSON takes every byte up to 0x20 for whitespace, NUL too */
			found(p, i, "unexpected byte 0x%02x", c);
		}
		i++;
	}
}

/* The first offset at or after @off that is not JSON whitespace, or @len. */
static size_t skip_space(const char *buf, size_t len, size_t off)
{
	while (off < len && is_space((unsigned char)buf[off]))
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
		if (i < end && !is_space(s[i]))
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
	if (pos > 0 && !is_space(s[pos - 1]) && s[pos - 1] != '"') {
		context(s, pos - 1, &inner, &last);
		if (inner == '{' && (last == ',' || (last == '{' && s[pos - 1] != '}')))
			pos--;
	}
	context(s, len, &end_inner, &end_last);
	if (pos >= len || is_space(s[pos]) || (pos + 1 == len && end_inner)) {
		for (end = len; end > 0 && is_space(s[end - 1]); end--)
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

/* Append to @p what @fmt says; returns the length before. Cut when full. */
static size_t path_append(struct jsonpath *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static size_t path_append(struct jsonpath *p, const char *fmt, ...)
{
	size_t old = p->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(p->s + old, sizeof(p->s) - old, fmt, ap);
	va_end(ap);
	if (n > 0)
		p->len = old + (size_t)n < sizeof(p->s) ? old + (size_t)n : sizeof(p->s) - 1;
	return old;
}

size_t jsonpath_key(struct jsonpath *p, const char *key, size_t n, bool raw)
{
	char shown[JSONTEXT_SHOW_BUF];

	return path_append(p, ".%s", jsontext_show(key, n, raw, shown, sizeof(shown)));
}

size_t jsonpath_index(struct jsonpath *p, size_t i)
{
	return path_append(p, "[%zu]", i);
}

void jsonpath_pop(struct jsonpath *p, size_t len)
{
	p->len = len;
	p->s[len] = '\0';
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
static cJSON *without_bad_escapes(const char *name, char *text, size_t len, const struct problem *p,
				  const char **end, bool *oom, struct err *e)
{
	size_t patched[8], n = 0;
	struct problem q = *p;
	cJSON *root = NULL;

	*oom = false;
	while (!root && !*oom && n < sizeof(patched) / sizeof(patched[0]) && q.found &&
	       q.in_literal && text[q.offset] == '\\') {
		patched[n++] = q.offset;
		text[q.offset] = '?';
		root = parse(name, text, len, end, oom, e);
		if (!root && !*oom)
			scan(text, len, CJSON_NESTING_LIMIT, &q);
	}
	while (n)
		text[patched[--n]] = '\\';
	return root;
}

/* The checks, on @text: @len bytes of the caller's text and a NUL. */
static cJSON *parse_strictly(const char *name, char *text, size_t len, struct err *e)
{
	struct jsonpath path = { .len = 0 };
	char reason[REASON_MAX];
	const char *end;
	struct problem p;
	size_t tail, k;
	cJSON *root;
	bool oom;

	if (skip_space(text, len, 0) == len) {
		not_json(e, name, text, 0, "empty document");
		return NULL;
	}
	scan(text, len, CJSON_NESTING_LIMIT, &p);
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

/* Append @piece to @out, which holds *@used of @outlen bytes; false when full. */
static bool put(char *out, size_t outlen, size_t *used, const char *piece, size_t n)
{
	if (*used + n >= outlen)
		return false;
	memcpy(out + *used, piece, n);
	*used += n;
	out[*used] = '\0';
	return true;
}

const char *jsontext_show(const char *s, size_t n, bool raw, char *out, size_t outlen)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t used = 0, i;
	char esc[8];

	if (!outlen)
		return out;
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		unsigned char c = u[i];
		bool ok;

		/* cut only between characters, never inside a UTF-8 sequence */
		if (i >= JSONTEXT_SHOW_MAX && (raw || (c & 0xc0) != 0x80)) {
			put(out, outlen, &used, "...", 3);
			break;
		}
		if (c == '\n' || c == '\t' || c == '\r') {
			esc[0] = '\\';
			esc[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
			ok = put(out, outlen, &used, esc, 2);
		} else if (c < 0x20 || c == 0x7f || (raw && c > 0x7f)) {
			snprintf(esc, sizeof(esc), c < 0x80 ? "\\u%04x" : "\\x%02x", c);
			ok = put(out, outlen, &used, esc, strlen(esc));
		} else if (!raw && (c == '"' || c == '\\')) {
			esc[0] = '\\';
			esc[1] = (char)c;
			ok = put(out, outlen, &used, esc, 2);
		} else {
			ok = put(out, outlen, &used, (const char *)&u[i], 1);
		}
		if (!ok)
			break;
	}
	return out;
}
