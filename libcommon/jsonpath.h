/*
 * jsonpath.h - how messages point into a JSON document: the path of a node
 * (".mounts[1].options[0]", in the jq-like notation DESIGN.md section 3
 * uses) and a string or key shown on one line in JSON's own notation
 * (RFC 8259 section 7 escapes).
 *
 * Pure: no allocation, no system call; text that does not fit is cut.
 */
#ifndef PREPBOX_JSONPATH_H
#define PREPBOX_JSONPATH_H

#include <stdbool.h>
#include <stddef.h>

/* JSON paths longer than this (including the NUL) are cut. */
#define JSONPATH_MAX 512
/* jsonpath_show() shows at most this many bytes of a string, then "...". */
#define JSONPATH_SHOW_MAX 64
/* A buffer this size always holds what jsonpath_show() writes. */
#define JSONPATH_SHOW_BUF (JSONPATH_SHOW_MAX * 6 + 8)

/*
 * Where a walk of the tree is: "" at the top, ".bindNS.net", ".mkdir[2]".
 * Start from { .len = 0 } (s all zero); @s is always NUL-terminated, @len
 * is strlen(@s).
 */
struct jsonpath {
	char s[JSONPATH_MAX];
	size_t len;
};

/*
 * jsonpath_key - append ".KEY" to @p: @key (@n bytes, need not end in a NUL)
 * shown with jsonpath_show(@raw), so at most JSONPATH_SHOW_MAX bytes of it.
 * Returns the length of @p before, for jsonpath_pop(). A path that would
 * reach JSONPATH_MAX bytes is cut.
 */
size_t jsonpath_key(struct jsonpath *p, const char *key, size_t n, bool raw);

/*
 * jsonpath_index - append "[I]" (@i in decimal) to @p. Returns the length of
 * @p before, for jsonpath_pop(). A path that would reach JSONPATH_MAX bytes
 * is cut.
 */
size_t jsonpath_index(struct jsonpath *p, size_t i);

/* jsonpath_pop - take @p back to @len bytes, a value jsonpath_key() or jsonpath_index() returned. */
void jsonpath_pop(struct jsonpath *p, size_t len);

/*
 * jsonpath_show - @s (@n bytes; need not end in a NUL) as a message can show
 * it, on one line, in JSON's own notation: control characters (below 0x20,
 * and 0x7f) as \n, \t, \r or \u00XX; '"' and '\' escaped when @raw is false
 * (@s is decoded text, valid UTF-8). With @raw, @s is a literal's text as
 * written, possibly invalid, kept as written except control characters
 * (\u00XX) and bytes from 0x80 up (\xNN). At most JSONPATH_SHOW_MAX bytes of @s are shown (never
 * cutting a UTF-8 sequence of decoded text), then "...".
 * Writes a NUL-terminated string into @out (@outlen bytes; JSONPATH_SHOW_BUF
 * is always enough, less is cut at a whole escape) and returns @out.
 */
const char *jsonpath_show(const char *s, size_t n, bool raw, char *out, size_t outlen);

#endif
