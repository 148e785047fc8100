/*
 * jsonscan.h - the checks of a JSON text's bytes that cJSON leaves out, for
 * jsontext.c: a byte-order mark, bytes outside strings that cJSON takes as
 * whitespace, number syntax (cJSON hands "01" or "1." to strtod), nesting
 * deeper than cJSON's limit, and in string literals raw control characters,
 * invalid escapes, \u escapes with non-hex digits or lone surrogates, NUL
 * (escaped or raw) and invalid UTF-8. RFC 8259 and RFC 3629 section 4.
 *
 * Pure: no allocation, no system call.
 */
#ifndef PREPBOX_JSONSCAN_H
#define PREPBOX_JSONSCAN_H

#include <stdbool.h>
#include <stddef.h>

/* Room for a problem's reason, with its NUL. */
#define JSONSCAN_REASON_MAX 96

/* The first problem in a text. */
struct jsonscan_problem {
	bool found;
	size_t offset;			  /* of the offending byte */
	bool in_literal;		  /* in a terminated string literal: */
	size_t literal;			  /* its ordinal among all string literals, from 0 */
	size_t literal_start;		  /* the offset of its opening quote */
	char reason[JSONSCAN_REASON_MAX]; /* "invalid escape \q in a string" */
};

/* jsonscan_is_space - whether @c is JSON whitespace (RFC 8259 section 2). */
bool jsonscan_is_space(unsigned char c);

/*
 * jsonscan - find the first problem in @buf (@len bytes; a NUL in it is a
 * problem, none need follow it) that cJSON would let through; nesting deeper
 * than cJSON's @max_depth (CJSON_NESTING_LIMIT) is one too, said plainly.
 * Problems cJSON does catch (an unterminated string) may be reported, more
 * precisely. Literals are counted the way cJSON reads them (outside a
 * string, '"' opens one; inside, '\' skips the next byte), so that
 * @p->literal is the ordinal of a key or string value in a pre-order walk of
 * cJSON's tree.
 * Fills @p: @p->found is false when there is no such problem; otherwise
 * @p->offset is the offending byte, @p->reason says what is wrong ("lone
 * surrogate \uD800 in a string"), and @p->in_literal says whether it is
 * inside a string literal (then @p->literal and @p->literal_start say which).
 */
void jsonscan(const char *buf, size_t len, unsigned max_depth, struct jsonscan_problem *p);

#endif
