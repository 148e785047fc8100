/*
 * msg.h - what prepbox writes for people: errors and warnings on standard
 * error, prefixed with the applet's name ("prep-link: ..."), the -v log of
 * actions, and the -n plan on standard output.
 *
 * Format follows toybox's www/design.html: "prog: verb object: reason".
 * Every message is one line: control characters in it (a newline in a name
 * that came from the image) are written as \n, \t or \ooo.
 * Applet mains and the thin action layer (sys.h, nl.h) are the only callers.
 */
#ifndef PREPBOX_MSG_H
#define PREPBOX_MSG_H

#include "err.h"

enum msg_level {
	MSG_QUIET = 0,	 /* -q: errors only */
	MSG_NORMAL = 1,	 /* errors and warnings */
	MSG_VERBOSE = 2, /* -v: also one line per action done */
};

/* The applet's name used as the prefix; set once by the dispatcher. */
extern const char *msg_prog;
/* Current level; MSG_NORMAL until the options say otherwise. */
extern enum msg_level msg_level;

/* msg_error - "prog: <err_format(e)>" on standard error, at every level. */
void msg_error(const struct err *e);

/* msg_errorf - "prog: <text>" on standard error, at every level. */
void msg_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* msg_warn - "prog: warning: <err_format(e)>" on standard error, unless -q. */
void msg_warn(const struct err *e);

/* msg_warnf - "prog: warning: <text>" on standard error, unless -q. */
void msg_warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* msg_action - with -v, "prog: <text>" on standard error: an action done. */
void msg_action(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * msg_plan - with -n, one line of the plan on standard output, in the words
 * of the command that would do it ("mount -t tmpfs tmpfs /run").
 */
void msg_plan(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * msg_cmd - printf(3) @fmt into @buf (@len bytes): a command as a plan or -v
 * line shows it. When it does not fit, @buf holds a shell comment saying so
 * ("# mkdir: a command of N bytes, too long to show") rather than a command
 * cut short, which would name another path, or run as a script, something
 * else. Returns @buf.
 */
const char *msg_cmd(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * msg_quote - @s as a shell word for the plan: unchanged when it holds only
 * safe characters, otherwise in single quotes. Uses one of four static
 * buffers in turn, so up to four calls may appear in one msg_plan(); each
 * holds a path of PATH_MAX bytes under a root of 256 with every byte spelled
 * in four ('\'' for a quote), longer text is cut.
 */
const char *msg_quote(const char *s);

#endif
