/*
 * jsonpath.c - JSON paths and strings shown for messages (jsonpath.h). The
 * notation of strings is RFC 8259 section 7's; bytes that are not valid
 * UTF-8, in raw text, are shown as \xNN.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jsonpath.h"

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
	char shown[JSONPATH_SHOW_BUF];

	return path_append(p, ".%s", jsonpath_show(key, n, raw, shown, sizeof(shown)));
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

const char *jsonpath_show(const char *s, size_t n, bool raw, char *out, size_t outlen)
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
		if (i >= JSONPATH_SHOW_MAX && (raw || (c & 0xc0) != 0x80)) {
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
