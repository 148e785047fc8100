/*
 * jsontree.h - reading a parsed JSON tree (cJSON, from jsontext_parse())
 * into typed structs: the type checks, objects with a fixed set of keys,
 * arrays of strings or objects, each failure named by its JSON path
 * (jsonpath.h) in DESIGN.md section 3's form:
 *   "runtime.json: .mounts[1].options[0]: expected a string, got a number"
 *
 * Only the shape is checked here; what a value means (a path, a name) is for
 * the caller's callbacks. No function prints; a failure is in t->e.
 */
#ifndef PREPBOX_JSONTREE_H
#define PREPBOX_JSONTREE_H

#include <stddef.h>

#include <cJSON.h>

#include "err.h"
#include "jsonpath.h"

/*
 * Where a walk is, for messages. Set @name and @e, and start with the path
 * empty: struct jsontree t = { .name = "runtime.json", .e = e }.
 */
struct jsontree {
	const char *name;     /* the document, as messages name it */
	struct err *e;	      /* where failures go; owned by the caller */
	struct jsonpath path; /* the node being read */
};

/*
 * jsontree_bad - record "NAME: PATH: problem" in t->e (errnum 0), or
 * "NAME: problem" at the top (an empty path); @fmt is printf's, for the
 * problem. Returns -1.
 */
int jsontree_bad(struct jsontree *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* jsontree_no_memory - record ENOMEM, "parse NAME", in t->e. Returns -1. */
int jsontree_no_memory(struct jsontree *t);

/*
 * jsontree_key, jsontree_index - enter member @key (a NUL-terminated, decoded
 * key) or element @i: append ".KEY" or "[I]" to t->path. Return the length
 * before, for jsontree_pop(), which takes t->path back to it.
 */
size_t jsontree_key(struct jsontree *t, const char *key);
size_t jsontree_index(struct jsontree *t, size_t i);
void jsontree_pop(struct jsontree *t, size_t old);

/*
 * jsontree_show - the NUL-terminated, decoded string @s as messages quote it
 * (jsonpath_show(): JSON's escapes, at most JSONPATH_SHOW_MAX bytes), written
 * into @buf, which holds JSONPATH_SHOW_BUF bytes. Returns @buf.
 */
const char *jsontree_show(const char *s, char *buf);

/* jsontree_type_name - "null", "a boolean", "a number", "a string", "an array", "an object". */
const char *jsontree_type_name(const cJSON *v);

/*
 * jsontree_members - check that @v is an object whose keys are among @keys
 * (@n of them, at most the bits of an unsigned), each once. The keys are
 * checked first, in text order; the caller then reads the values, in text
 * order too (jsontree_key_index() tells which key each member is).
 * Returns 0, or -1 with t->e set: "expected an object, got a number" (at the
 * object), "unknown key", "unknown key (did you mean "bindNS"?)" when it
 * matches one of @keys in another case, "duplicate key" (at the key).
 */
int jsontree_members(struct jsontree *t, const cJSON *v, const char *const *keys, size_t n);

/* jsontree_key_index - the index in @keys (@n of them) of the key of member @m; @n if none. */
size_t jsontree_key_index(const cJSON *m, const char *const *keys, size_t n);

/*
 * jsontree_string - the text of string @v (cJSON's, owned by the tree), or
 * NULL with t->e set: "expected a string, got an array".
 */
const char *jsontree_string(struct jsontree *t, const cJSON *v);

/*
 * jsontree_copy - a malloc()ed copy of the NUL-terminated @s into *@out, which
 * the caller frees. Returns 0, or -1 with t->e set by jsontree_no_memory().
 */
int jsontree_copy(struct jsontree *t, const char *s, char **out);

/*
 * jsontree_optional_string - an optional string: @v absent (NULL) or ""
 * leaves *@out as it is (NULL for a zeroed struct); otherwise a copy, as
 * jsontree_copy(). Returns 0, or -1 with t->e set (not a string, ENOMEM).
 */
int jsontree_optional_string(struct jsontree *t, const cJSON *v, char **out);

/*
 * jsontree_string_array - array @v of strings, each checked by @check (which
 * returns 0, or -1 with t->e set; the path is at the element), copied into a
 * new array: *@out (calloc()ed, @n strings, each malloc()ed). *@out and *@n
 * are set before the strings are copied, so that on failure the caller frees
 * what is there (NULL entries included) just as on success. An empty array
 * leaves them as they are. Returns 0, or -1 with t->e set: "expected an
 * array, got an object", a string error, @check's, or ENOMEM.
 */
int jsontree_string_array(struct jsontree *t, const cJSON *v,
			  int (*check)(struct jsontree *t, const char *s), char ***out, size_t *n);

/*
 * jsontree_object_array - array @v, each element converted by @conv into an
 * element of a new calloc()ed array of @size-byte elements: *@out, *@n of
 * them, set before the first conversion (so on failure the caller frees
 * what is there, zeroed elements included, just as on success). @conv gets
 * the element and the zeroed struct to fill, and returns 0, or -1 with t->e
 * set (the path is at the element). An empty array leaves *@out and *@n as
 * they are. Returns 0, or -1 with t->e set: "expected an array, got a
 * string", @conv's error, or ENOMEM.
 */
int jsontree_object_array(struct jsontree *t, const cJSON *v,
			  int (*conv)(struct jsontree *t, const cJSON *v, void *out), size_t size,
			  void **out, size_t *n);

#endif
