/*
 * test_pid.c - unit tests of pid_parse() (pid.h): decimal digits only, one
 * final newline from a file, positive, within pid_t, and a bad pid shown on
 * one line with its control characters and other bytes escaped, never cut
 * short at a NUL or turned into something that looks right ("12\r").
 * Whether a pid names a live process (pid_open) is the integration suite's
 * (hostile.bats), which has processes and threads to point at.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "pid.h"

/* pid_parse() on the @len bytes of @s; returns its result, *@pid, @e filled. */
static int parse(const char *s, size_t len, bool from_file, pid_t *pid, struct err *e)
{
	memset(e, 0, sizeof(*e));
	*pid = -42;
	return pid_parse(s, len, "--pid", from_file, pid, e);
}

#define ok(s, from_file, want)                                                                     \
	do {                                                                                       \
		struct err e_;                                                                     \
		pid_t p_;                                                                          \
		assert_int_equal(parse(s, sizeof(s) - 1, from_file, &p_, &e_), 0);                 \
		assert_int_equal(p_, want);                                                        \
	} while (0)

#define bad(s, from_file, text)                                                                    \
	do {                                                                                       \
		struct err e_;                                                                     \
		pid_t p_;                                                                          \
		assert_int_equal(parse(s, sizeof(s) - 1, from_file, &p_, &e_), -1);                \
		assert_int_equal(p_, -42);                                                         \
		assert_int_equal(e_.errnum, 0);                                                    \
		assert_string_equal(e_.msg, text);                                                 \
	} while (0)

static void test_valid(void **state)
{
	ok("1", false, 1);
	ok("4194304", false, 4194304);
	ok("2147483647", false, 2147483647);
	/* leading zeros are still decimal digits */
	ok("007", false, 7);
}

static void test_final_newline(void **state)
{
	ok("123\n", true, 123);
	ok("123", true, 123);
	bad("123\n", false, "--pid: '123\\n' is not a pid (decimal digits only)");
	bad("123\n\n", true, "--pid: '123\\n' is not a pid (decimal digits only)");
	bad("\n", true, "--pid: empty, expected a pid");
}

static void test_empty_and_zero(void **state)
{
	bad("", false, "--pid: empty, expected a pid");
	bad("", true, "--pid: empty, expected a pid");
	bad("0", false, "--pid: 0 is not a process");
	bad("000", false, "--pid: 0 is not a process");
}

static void test_not_digits(void **state)
{
	bad("-1", false, "--pid: '-1' is not a pid (decimal digits only)");
	bad("+1", false, "--pid: '+1' is not a pid (decimal digits only)");
	bad(" 1", false, "--pid: ' 1' is not a pid (decimal digits only)");
	bad("0x10", false, "--pid: '0x10' is not a pid (decimal digits only)");
	bad("12abc", true, "--pid: '12abc' is not a pid (decimal digits only)");
	bad("１２", false,
	    "--pid: '\\xef\\xbc\\x91\\xef\\xbc\\x92' is not a pid (decimal digits only)");
}

static void test_shown_escaped(void **state)
{
	/* a carriage return would make the message read '12' */
	bad("12\r\n", true, "--pid: '12\\r' is not a pid (decimal digits only)");
	bad("12\t", false, "--pid: '12\\t' is not a pid (decimal digits only)");
	/* a NUL neither ends the text nor the message */
	bad("1\0002", false, "--pid: '1\\x002' is not a pid (decimal digits only)");
	bad("1\\2", false, "--pid: '1\\x5c2' is not a pid (decimal digits only)");
	bad("1\x1b[2J", false, "--pid: '1\\x1b[2J' is not a pid (decimal digits only)");
}

static void test_too_large(void **state)
{
	bad("2147483648", false, "--pid: '2147483648' is too large for a pid");
	/* 2^32 + 1 would be 1 in 32 bits */
	bad("4294967297", false, "--pid: '4294967297' is too large for a pid");
	bad("99999999999999999999999999", false,
	    "--pid: '99999999999999999999999999' is too large for a pid");
}

static void test_shown_cut(void **state)
{
	bad("1234567890123456789012345678901234567890", false,
	    "--pid: '12345678901234567890123456789012...' is too large for a pid");
	/* 32 bytes each escaped to 4 still fit */
	bad("\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
	    "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01",
	    false,
	    "--pid: '\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01"
	    "\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01"
	    "\\x01\\x01...' is not a pid (decimal digits only)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),	       cmocka_unit_test(test_final_newline),
		cmocka_unit_test(test_empty_and_zero), cmocka_unit_test(test_not_digits),
		cmocka_unit_test(test_shown_escaped),  cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_shown_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
