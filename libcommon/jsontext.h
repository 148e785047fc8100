/*
 * jsontext.h - a JSON text (RFC 8259) parsed strictly with cJSON, and the
 * JSON paths (".mounts[1].options[0]") that messages name nodes by.
 *
 * cJSON parses; this adds the checks it leaves out, on the raw bytes: a
 * byte-order mark, bytes outside strings that cJSON takes as whitespace,
 * number syntax (cJSON hands "01" or "1." to strtod), text after the value,
 * and in strings raw control characters, invalid escapes, \u escapes with
 * non-hex digits or lone surrogates, NUL (escaped or raw: cJSON cuts the
 * string there) and invalid UTF-8. Keys and values are otherwise cJSON's:
 * duplicate keys are kept (config.c refuses them), numbers are doubles.
 */
#ifndef PREPBOX_JSONTEXT_H
#define PREPBOX_JSONTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <cJSON.h>

#include "err.h"

/* JSON paths longer than this are cut. */
#define JSONPATH_MAX 512
/* jsontext_show() shows at most this many bytes of a string, then "...". */
#define JSONTEXT_SHOW_MAX 64
/* A buffer this size always holds what jsontext_show() writes. */
#define JSONTEXT_SHOW_BUF (JSONTEXT_SHOW_MAX * 6 + 8)

/* Where a walk of the tree is: "" at the top, ".bindNS.net", ".mkdir[2]". */
struct jsonpath {
	char s[JSONPATH_MAX];
	size_t len;
};

/*
 * jsonpath_key, jsonpath_index - append ".KEY" (@key, @n bytes, shown with
 * jsontext_show(@raw)) or "[I]" to @p. Return the length before, for
 * jsonpath_pop(), which takes @p back to it.
 */
size_t jsonpath_key(struct jsonpath *p, const char *key, size_t n, bool raw);
size_t jsonpath_index(struct jsonpath *p, size_t i);
void jsonpath_pop(struct jsonpath *p, size_t len);

/*
 * jsontext_parse - parse @buf (@len bytes; need not end in a NUL; a NUL in
 * it is an error) with cJSON, strictly. An empty text is not JSON. Messages
 * are named @name.
 * Returns the tree (the caller frees it with cJSON_Delete()), or NULL with @e
 * set: errnum ENOMEM when memory ran out, else errnum 0 and
 * "NAME: line L, column C: problem" (columns count bytes), or, for a string
 * in a text that is JSON otherwise, "NAME: PATH: problem".
 * Sets cJSON's allocation hooks while it runs, and back to the default after.
 */
cJSON *jsontext_parse(const char *name, const char *buf, size_t len, struct err *e);

/*
 * jsontext_show - @s (@n bytes) as a message can show it, on one line, in
 * JSON's own notation: control characters as \n, \t or \u001f; '"' and '\'
 * escaped when @raw is false (@s is decoded text, valid UTF-8). With @raw,
 * @s is a literal's text as written, possibly invalid, kept as written except
 * control characters (\u00XX) and bytes from 0x7f up (\xNN). At most
 * JSONTEXT_SHOW_MAX bytes of @s are shown, then "...". Writes into @out
 * (@outlen bytes, JSONTEXT_SHOW_BUF is always enough) and returns it.
 */
const char *jsontext_show(const char *s, size_t n, bool raw, char *out, size_t outlen);

#endif
