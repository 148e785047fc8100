/*
 * err.c - the error record (err.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

int err_set(struct err *e, int errnum, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	e->errnum = errnum;
	e->ext[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	errno = saved;
	return -1;
}

int err_prefix(struct err *e, const char *fmt, ...)
{
	int saved = errno;
	char old[ERR_MSG_MAX];
	size_t n;
	va_list ap;

	memcpy(old, e->msg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	n = strlen(e->msg);
	snprintf(e->msg + n, sizeof(e->msg) - n, ": %s", old);
	errno = saved;
	return -1;
}

int err_append(struct err *e, const char *fmt, ...)
{
	int saved = errno;
	size_t n = strlen(e->msg);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg + n, sizeof(e->msg) - n, fmt, ap);
	va_end(ap);
	errno = saved;
	return -1;
}

void err_set_ext(struct err *e, const char *text)
{
	size_t n;

	if (!text) {
		e->ext[0] = '\0';
		return;
	}
	snprintf(e->ext, sizeof(e->ext), "%s", text);
	n = strlen(e->ext);
	while (n > 0 && (e->ext[n - 1] == '\n' || e->ext[n - 1] == ' '))
		e->ext[--n] = '\0';
}

char *err_format(const struct err *e, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s", e->msg);

	if (e->errnum && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, ": %s", strerror(e->errnum));
	if (e->ext[0] && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - n, " (kernel: %s)", e->ext);
	return buf;
}
