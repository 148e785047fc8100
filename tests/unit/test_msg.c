/*
 * test_msg.c - messages (msg.h): one line whatever the text holds, control
 * characters spelled out, and a line longer than one write (PIPE_BUF) whole
 * and in order, an escape on the boundary included.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"

/* What msg_plan() writes for @text, read back from standard output. */
static char *planned(const char *text)
{
	char file[] = "/tmp/test_msg.XXXXXX";
	int fd = mkstemp(file), saved = dup(STDOUT_FILENO);
	static char got[4 * 3 * PIPE_BUF];
	ssize_t n;

	assert_true(fd >= 0 && saved >= 0);
	fflush(stdout);
	assert_int_equal(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
	msg_plan("%s", text);
	fflush(stdout);
	assert_int_equal(dup2(saved, STDOUT_FILENO), STDOUT_FILENO);
	close(saved);
	n = pread(fd, got, sizeof(got) - 1, 0);
	assert_true(n >= 0);
	got[n] = '\0';
	close(fd);
	unlink(file);
	return got;
}

static void test_escapes(void **state)
{
	(void)state;
	assert_string_equal(planned("mkdir -p /a\nb\tc\033[2J\177"),
			    "mkdir -p /a\\nb\\tc\\033[2J\\177\n");
	assert_string_equal(planned(""), "\n");
}

/* Lines of 2 * PIPE_BUF and more, with escapes at every offset near the cut. */
static void test_long_line(void **state)
{
	size_t len = 2 * PIPE_BUF + 10, at, i, n;
	char *text = malloc(len + 1), *want = malloc(4 * len + 2);

	(void)state;
	assert_non_null(text);
	assert_non_null(want);
	for (at = PIPE_BUF - 6; at < PIPE_BUF + 2; at++) {
		memset(text, 'x', len);
		text[len] = '\0';
		text[at] = '\001';
		text[at + PIPE_BUF] = '\n';
		for (i = n = 0; i < len; i++) {
			if (text[i] == '\001')
				n += (size_t)sprintf(want + n, "\\001");
			else if (text[i] == '\n')
				n += (size_t)sprintf(want + n, "\\n");
			else
				want[n++] = text[i];
		}
		want[n++] = '\n';
		want[n] = '\0';
		assert_string_equal(planned(text), want);
	}
	free(text);
	free(want);
}

/* A path of PATH_MAX quotes, each spelled '\'' (4 bytes): quoted whole, not cut. */
static void test_quote_long(void **state)
{
	char *s = malloc(PATH_MAX);
	const char *q;
	size_t i;

	(void)state;
	assert_non_null(s);
	memset(s, '\'', PATH_MAX - 1);
	s[PATH_MAX - 1] = '\0';
	q = msg_quote(s);
	assert_int_equal(strlen(q), 4 * (PATH_MAX - 1) + 2);
	for (i = 1; i + 1 < strlen(q); i += 4)
		assert_memory_equal(q + i, "'\\''", 4);
	free(s);
}

/* A command that does not fit is a comment saying so, never a command cut short. */
static void test_cmd_too_long(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(msg_cmd(buf, sizeof(buf), "mkdir %s", "/a/b"), "mkdir /a/b");
	assert_string_equal(msg_cmd(buf, sizeof(buf), "mkdir %s", "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
			    "# mkdir: a command of 68 bytes, too long to show");
	/* even where the comment itself is cut, the line is a comment */
	assert_string_equal(planned(msg_cmd(buf, 16, "mount -t %s %s %s", "tmpfs", "t", "/x/y/z")),
			    "# mount: a comm\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_quote_long),
		cmocka_unit_test(test_cmd_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
