/*
 * jsontree.c - a parsed JSON tree read into typed structs (jsontree.h): the
 * type and key checks that DESIGN.md section 3 makes of every object and
 * array, with the JSON path of the first failure. Keys are case-sensitive
 * (RFC 8259 section 8.3 compares them code unit by code unit); one that
 * matches only in another case is named as a hint.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsontree.h"

int jsontree_bad(struct jsontree *t, const char *fmt, ...)
{
	char what[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (t->path.len)
		return err_set(t->e, 0, "%s: %s: %s", t->name, t->path.s, what);
	return err_set(t->e, 0, "%s: %s", t->name, what);
}

int jsontree_no_memory(struct jsontree *t)
{
	return err_set(t->e, ENOMEM, "parse %s", t->name);
}

size_t jsontree_key(struct jsontree *t, const char *key)
{
	return jsonpath_key(&t->path, key, strlen(key), false);
}

size_t jsontree_index(struct jsontree *t, size_t i)
{
	return jsonpath_index(&t->path, i);
}

void jsontree_pop(struct jsontree *t, size_t old)
{
	jsonpath_pop(&t->path, old);
}

const char *jsontree_show(const char *s, char *buf)
{
	return jsonpath_show(s, strlen(s), false, buf, JSONPATH_SHOW_BUF);
}

const char *jsontree_type_name(const cJSON *v)
{
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsObject(v))
		return "an object";
	return "something else";
}

int jsontree_members(struct jsontree *t, const cJSON *v, const char *const *keys, size_t n)
{
	unsigned seen = 0;
	const cJSON *m;
	size_t i, old;

	if (!cJSON_IsObject(v))
		return jsontree_bad(t, "expected an object, got %s", jsontree_type_name(v));
	for (m = v->child; m; m = m->next) {
		for (i = 0; i < n && strcmp(keys[i], m->string); i++)
			;
		old = jsontree_key(t, m->string);
		if (i == n) {
			for (i = 0; i < n && strcasecmp(keys[i], m->string); i++)
				;
			if (i < n)
				return jsontree_bad(t, "unknown key (did you mean \"%s\"?)",
						    keys[i]);
			return jsontree_bad(t, "unknown key");
		}
		if (seen & 1u << i)
			return jsontree_bad(t, "duplicate key");
		seen |= 1u << i;
		jsontree_pop(t, old);
	}
	return 0;
}

size_t jsontree_key_index(const cJSON *m, const char *const *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n && strcmp(keys[i], m->string); i++)
		;
	return i;
}

const char *jsontree_string(struct jsontree *t, const cJSON *v)
{
	if (!cJSON_IsString(v) || !v->valuestring) {
		jsontree_bad(t, "expected a string, got %s", jsontree_type_name(v));
		return NULL;
	}
	return v->valuestring;
}

int jsontree_copy(struct jsontree *t, const char *s, char **out)
{
	size_t n = strlen(s) + 1;

	*out = malloc(n);
	if (!*out)
		return jsontree_no_memory(t);
	memcpy(*out, s, n);
	return 0;
}

int jsontree_optional_string(struct jsontree *t, const cJSON *v, char **out)
{
	const char *s;

	if (!v)
		return 0;
	s = jsontree_string(t, v);
	if (!s)
		return -1;
	return *s ? jsontree_copy(t, s, out) : 0;
}

int jsontree_string_array(struct jsontree *t, const cJSON *v,
			  int (*check)(struct jsontree *t, const char *s), char ***out, size_t *n)
{
	const cJSON *m;
	const char *s;
	size_t count = 0, i = 0, old;

	if (!cJSON_IsArray(v))
		return jsontree_bad(t, "expected an array, got %s", jsontree_type_name(v));
	for (m = v->child; m; m = m->next)
		count++;
	if (!count)
		return 0;
	*out = calloc(count, sizeof(**out));
	if (!*out)
		return jsontree_no_memory(t);
	*n = count;
	for (m = v->child; m; m = m->next, i++) {
		old = jsontree_index(t, i);
		s = jsontree_string(t, m);
		if (!s || check(t, s) < 0 || jsontree_copy(t, s, &(*out)[i]) < 0)
			return -1;
		jsontree_pop(t, old);
	}
	return 0;
}

int jsontree_object_array(struct jsontree *t, const cJSON *v,
			  int (*conv)(struct jsontree *t, const cJSON *v, void *out), size_t size,
			  void **out, size_t *n)
{
	const cJSON *m;
	size_t count = 0, i = 0, old;

	if (!cJSON_IsArray(v))
		return jsontree_bad(t, "expected an array, got %s", jsontree_type_name(v));
	for (m = v->child; m; m = m->next)
		count++;
	if (!count)
		return 0;
	*out = calloc(count, size);
	if (!*out)
		return jsontree_no_memory(t);
	*n = count;
	for (m = v->child; m; m = m->next, i++) {
		old = jsontree_index(t, i);
		if (conv(t, m, (char *)*out + i * size) < 0)
			return -1;
		jsontree_pop(t, old);
	}
	return 0;
}
