/*
 * jsontext.h - a JSON text (RFC 8259) parsed strictly with cJSON.
 *
 * cJSON parses; this adds the checks it leaves out, on the raw bytes: a
 * byte-order mark, bytes outside strings that cJSON takes as whitespace,
 * number syntax (cJSON hands "01" or "1." to strtod), text after the value,
 * and in strings raw control characters, invalid escapes, \u escapes with
 * non-hex digits or lone surrogates, NUL (escaped or raw: cJSON cuts the
 * string there) and invalid UTF-8. Keys and values are otherwise cJSON's:
 * duplicate keys are kept (jsontree.c refuses them), numbers are doubles.
 * A string with a problem is named by its JSON path (jsonpath.h).
 */
#ifndef PREPBOX_JSONTEXT_H
#define PREPBOX_JSONTEXT_H

#include <stddef.h>

#include <cJSON.h>

#include "err.h"

/*
 * jsontext_parse - parse @buf (@len bytes; need not end in a NUL; a NUL in
 * it is an error) with cJSON, strictly. An empty text is not JSON. Messages
 * are named @name.
 * Returns the tree (the caller frees it with cJSON_Delete()), or NULL with @e
 * set: errnum ENOMEM when memory ran out ("parse NAME"), else errnum 0 and
 * "NAME: line L, column C: problem" (columns count bytes), or, for a string
 * in a text that is JSON otherwise, "NAME: PATH: problem" (a key shown as
 * written).
 * Sets cJSON's allocation hooks while it runs, and back to the default after
 * (so it is not for a program that sets hooks of its own).
 */
cJSON *jsontext_parse(const char *name, const char *buf, size_t len, struct err *e);

#endif
