/*
 * msg.c - messages for people (msg.h).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "msg.h"

const char *msg_prog = "prepbox";
enum msg_level msg_level = MSG_NORMAL;

/*
 * Writes "prog: TAG TEXT" and a newline to @f, as one line whatever TEXT
 * holds: names in messages may come from the image (a symlink's target), and
 * a newline or an escape sequence in them must not forge lines or take over
 * a terminal. Control characters are written as \n, \t or \ooo.
 *
 * The line is put together here and handed to stdio whole: on the unbuffered
 * stderr that is one write(2) for a line of up to PIPE_BUF bytes, which the
 * kernel does not interleave with other writers of the same pipe (pipe(7));
 * a character at a time would be a system call each, mixed byte by byte with
 * the output of another prepbox or of COMMAND. A longer line goes out in
 * PIPE_BUF pieces.
 */
static void put(FILE *f, const char *tag, const char *text)
{
	char line[PIPE_BUF];
	const unsigned char *p;
	size_t n = 0, need;

	if (tag)
		n = (size_t)snprintf(line, sizeof(line), "%s: %s", msg_prog, tag);
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	for (p = (const unsigned char *)text; *p; p++) {
		need = *p == '\n' || *p == '\t' ? 2 : *p < 0x20 || *p == 0x7f ? 4 : 1;
		if (n + need > sizeof(line)) {
			fwrite(line, 1, n, f);
			n = 0;
		}
		if (*p == '\n' || *p == '\t') {
			line[n++] = '\\';
			line[n++] = *p == '\n' ? 'n' : 't';
		} else if (*p < 0x20 || *p == 0x7f) {
			line[n++] = '\\';
			line[n++] = (char)('0' + (*p >> 6));
			line[n++] = (char)('0' + ((*p >> 3) & 7));
			line[n++] = (char)('0' + (*p & 7));
		} else {
			line[n++] = (char)*p;
		}
	}
	if (n + 1 > sizeof(line)) {
		fwrite(line, 1, n, f);
		n = 0;
	}
	line[n++] = '\n';
	fwrite(line, 1, n, f);
}

static void vput(FILE *f, const char *tag, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void vput(FILE *f, const char *tag, const char *fmt, va_list ap)
{
	char buf[ERR_MSG_MAX + ERR_EXT_MAX + 128];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	/* A plan line cut short would name something else: say so instead. */
	if (n >= (int)sizeof(buf))
		snprintf(buf, sizeof(buf), "# a line of %d bytes, too long to show", n);
	put(f, tag, buf);
}

const char *msg_cmd(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n >= (int)len)
		snprintf(buf, len, "# %.*s: a command of %d bytes, too long to show",
			 (int)strspn(fmt, "abcdefghijklmnopqrstuvwxyz"), fmt, n);
	return buf;
}

void msg_error(const struct err *e)
{
	char buf[ERR_MSG_MAX + ERR_EXT_MAX + 128];

	put(stderr, "", err_format(e, buf, sizeof(buf)));
}

void msg_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vput(stderr, "", fmt, ap);
	va_end(ap);
}

void msg_warn(const struct err *e)
{
	char buf[ERR_MSG_MAX + ERR_EXT_MAX + 128];

	if (msg_level >= MSG_NORMAL)
		put(stderr, "warning: ", err_format(e, buf, sizeof(buf)));
}

void msg_warnf(const char *fmt, ...)
{
	va_list ap;

	if (msg_level < MSG_NORMAL)
		return;
	va_start(ap, fmt);
	vput(stderr, "warning: ", fmt, ap);
	va_end(ap);
}

void msg_action(const char *fmt, ...)
{
	va_list ap;

	if (msg_level < MSG_VERBOSE)
		return;
	va_start(ap, fmt);
	vput(stderr, "", fmt, ap);
	va_end(ap);
}

void msg_plan(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vput(stdout, NULL, fmt, ap);
	va_end(ap);
}

const char *msg_quote(const char *s)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789_-+=/.,:@%^";
	/* Room for a shown path (PATH_MAX and its root) with every byte spelled in 4. */
	static char bufs[4][4 * (PATH_MAX + 256) + 8];
	static unsigned next;
	char *b = bufs[next++ % 4];
	size_t n = 0, cap = sizeof(bufs[0]) - 8;
	bool ctl = false;
	const char *p;

	if (*s && strspn(s, safe) == strlen(s))
		return s;
	for (p = s; *p; p++)
		ctl |= (unsigned char)*p < 0x20 || *p == 0x7f;
	/*
	 * A control character (a newline in a path) would break the one line an
	 * action gets: bash's $'...' quoting spells it out instead.
	 */
	if (ctl)
		b[n++] = '$';
	b[n++] = '\'';
	for (p = s; *p && n < cap; p++) {
		unsigned char c = (unsigned char)*p;

		if (!ctl && c == '\'') {
			memcpy(b + n, "'\\''", 4);
			n += 4;
		} else if (ctl && (c == '\'' || c == '\\')) {
			b[n++] = '\\';
			b[n++] = (char)c;
		} else if (ctl && (c < 0x20 || c == 0x7f)) {
			n += (size_t)snprintf(b + n, 5, "\\%03o", c);
		} else {
			b[n++] = (char)c;
		}
	}
	b[n++] = '\'';
	b[n] = '\0';
	return b;
}
