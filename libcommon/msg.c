/*
 * msg.c - messages for people (msg.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "msg.h"

const char *msg_prog = "prepbox";
enum msg_level msg_level = MSG_NORMAL;

static void vline(FILE *f, const char *tag, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void vline(FILE *f, const char *tag, const char *fmt, va_list ap)
{
	fprintf(f, "%s: %s", msg_prog, tag);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
}

void msg_error(const struct err *e)
{
	char buf[ERR_MSG_MAX + ERR_EXT_MAX + 128];

	fprintf(stderr, "%s: %s\n", msg_prog, err_format(e, buf, sizeof(buf)));
}

void msg_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(stderr, "", fmt, ap);
	va_end(ap);
}

void msg_warn(const struct err *e)
{
	char buf[ERR_MSG_MAX + ERR_EXT_MAX + 128];

	if (msg_level >= MSG_NORMAL)
		fprintf(stderr, "%s: warning: %s\n", msg_prog, err_format(e, buf, sizeof(buf)));
}

void msg_warnf(const char *fmt, ...)
{
	va_list ap;

	if (msg_level < MSG_NORMAL)
		return;
	va_start(ap, fmt);
	vline(stderr, "warning: ", fmt, ap);
	va_end(ap);
}

void msg_action(const char *fmt, ...)
{
	va_list ap;

	if (msg_level < MSG_VERBOSE)
		return;
	va_start(ap, fmt);
	vline(stderr, "", fmt, ap);
	va_end(ap);
}

void msg_plan(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

const char *msg_quote(const char *s)
{
	static char bufs[4][4200];
	static unsigned next;
	char *b = bufs[next++ % 4];
	size_t n = 0, cap = sizeof(bufs[0]) - 2;

	if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_-+=/.,:@%^") == strlen(s))
		return s;
	b[n++] = '\'';
	for (; *s && n + 5 < cap; s++) {
		if (*s == '\'') {
			memcpy(b + n, "'\\''", 4);
			n += 4;
		} else {
			b[n++] = *s;
		}
	}
	b[n++] = '\'';
	b[n] = '\0';
	return b;
}
