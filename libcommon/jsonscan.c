/*
 * jsonscan.c - the bytes of a JSON text checked where cJSON is laxer than
 * RFC 8259 (jsonscan.h): sections 2 (whitespace), 6 (numbers), 7 (strings)
 * and 8.1 (UTF-8, no byte-order mark), and RFC 3629 section 4 (which byte
 * sequences are valid UTF-8).
 *
 * The literals are found the way cJSON finds them (outside a string, '"'
 * opens one; inside, '\' skips the next byte and '"' closes it), so that
 * their ordinals match the strings of cJSON's tree.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jsonscan.h"

bool jsonscan_is_space(unsigned char c)
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

static void found(struct jsonscan_problem *p, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void found(struct jsonscan_problem *p, size_t off, const char *fmt, ...)
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
			   struct jsonscan_problem *p)
{
	char why[JSONSCAN_REASON_MAX];
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
static size_t scan_number(const unsigned char *s, size_t len, size_t start,
			  struct jsonscan_problem *p)
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

void jsonscan(const char *buf, size_t len, unsigned max_depth, struct jsonscan_problem *p)
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
		} else if ((c < 0x20 && !jsonscan_is_space(c)) || c >= 0x7f) {
			/* cJSON takes every byte up to 0x20 for whitespace, NUL too */
			found(p, i, "unexpected byte 0x%02x", c);
		}
		i++;
	}
}
