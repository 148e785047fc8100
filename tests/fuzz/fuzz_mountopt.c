/*
 * fuzz_mountopt.c - libFuzzer target for the mount option parser
 * (mountopt_parse(), mountopt_flag_names(), mountopt_propagation_name();
 * mountopt.h).
 *
 * Input: lines. The first line is the filesystem type ("" for none), every
 * other line one option word, as a config's "options" array holds them
 * (a word may hold commas; an empty line is an empty word, which the parser
 * skips). A NUL byte ends a word early, as it would in C.
 *
 * Beyond the sanitizers, each input checks what mountopt.h promises:
 *  - a failure zeroes the result and says why;
 *  - on success: data is NUL-terminated, strlen(data) == datalen < 4096, and
 *    equals the words that are data (each parsed alone: unchanged) joined by
 *    commas;
 *    flags hold no propagation type and at most one atime mode; nothing is
 *    both in flags and cleared; bind matches MS_BIND (always set for type
 *    "bind"); remount is flags' per-mount part exactly for a bind that is not
 *    a remount; each propagation entry is one of the eight; a word's effect
 *    on flags does not depend on an unrelated data word before it;
 *  - mountopt_flag_names() stays within any buffer length and
 *    mountopt_propagation_name() never returns NULL.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mountopt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_mountopt: %s:%d: broken promise: %s\n", __FILE__,    \
				__LINE__, #cond);                                                  \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* Words at most: enough to pass the propagation and data limits. */
#define WORDS_MAX 4096

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

static bool valid_propagation(unsigned long p)
{
	unsigned long t = p & ~MS_REC;

	return (p & ~(MOUNTOPT_PROPAGATION | MS_REC)) == 0 &&
	       (t == MS_SHARED || t == MS_SLAVE || t == MS_PRIVATE || t == MS_UNBINDABLE);
}

/*
 * Whether word @w alone is filesystem data (passed on as it is): neither a
 * known word nor one that is dropped. A word too long to be data alone
 * fails the parse, which a successful parse of all the words rules out.
 */
static bool is_data(char *w)
{
	static struct mountopts one;
	struct err e = { 0 };
	char *const words[1] = { w };

	if (mountopt_parse(&one, NULL, words, 1, &e) < 0)
		return true;
	if (one.datalen)
		check(!strcmp(one.data, w));
	return one.datalen != 0;
}

static void check_names(unsigned long flags)
{
	char buf[512];
	size_t len;

	for (len = 0; len <= 64; len += 7) {
		char *b = malloc(len ? len : 1);

		check(b);
		mountopt_flag_names(flags, b, len);
		if (len)
			check(memchr(b, '\0', len));
		free(b);
	}
	mountopt_flag_names(flags, buf, sizeof(buf));
	check(strlen(buf) < sizeof(buf));
	check(!!buf[0] == !!flags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mountopts m, again;
	static char joined[CONFIG_DATA_MAX * 2];
	struct err e = { 0 };
	char *text, *p, *type, **words;
	size_t n = 0, k, used = 0;
	unsigned long atimes;
	bool *data_word;
	int rc;

	text = malloc(size + 1);
	words = calloc(WORDS_MAX, sizeof(*words));
	data_word = calloc(WORDS_MAX, sizeof(*data_word));
	check(text && words && data_word);
	memcpy(text, data, size);
	text[size] = '\0';
	type = text;
	p = strchr(text, '\n');
	if (p)
		*p++ = '\0';
	while (p && n < WORDS_MAX) {
		words[n++] = p;
		p = strchr(p, '\n');
		if (p)
			*p++ = '\0';
	}

	rc = mountopt_parse(&m, *type ? type : NULL, words, n, &e);
	if (rc < 0) {
		check(rc == -1);
		check(all_zero(&m, sizeof(m)));
		check(e.msg[0] && memchr(e.msg, '\0', sizeof(e.msg)));
		goto out;
	}
	check(rc == 0);
	check(memchr(m.data, '\0', sizeof(m.data)));
	check(strlen(m.data) == m.datalen && m.datalen < CONFIG_DATA_MAX);
	joined[0] = '\0';
	for (k = 0; k < n; k++) {
		data_word[k] = *words[k] && is_data(words[k]);
		if (!data_word[k])
			continue;
		check(strlen(words[k]) < sizeof(joined) - used - 1);
		used += (size_t)snprintf(joined + used, sizeof(joined) - used, "%s%s",
					 used ? "," : "", words[k]);
	}
	check(!strcmp(joined, m.data));
	check(!(m.flags & MOUNTOPT_PROPAGATION));
	atimes = m.flags & (MS_NOATIME | MS_RELATIME | MS_STRICTATIME);
	check(!(atimes & (atimes - 1)));
	check(!(m.flags & m.cleared));
	check(m.bind == !!(m.flags & MS_BIND));
	if (*type && !strcmp(type, "bind"))
		check(m.bind);
	check(m.remount ==
	      (m.bind && !(m.flags & MS_REMOUNT) ? m.flags & MOUNTOPT_PER_MOUNT : 0UL));
	check(m.npropagation <= MOUNTOPT_PROP_MAX);
	for (k = 0; k < m.npropagation; k++) {
		check(valid_propagation(m.propagation[k]));
		check(strcmp(mountopt_propagation_name(m.propagation[k]), "unknown"));
	}
	check(mountopt_propagation_name(m.flags));
	check_names(m.flags);
	check_names(m.flags | m.cleared | MS_REC);
	check_names(~0UL);

	/* the same words without their data words: the same flags */
	for (k = 0; k < n; k++)
		if (data_word[k])
			words[k] = (char *)"";
	check(mountopt_parse(&again, *type ? type : NULL, words, n, &e) == 0);
	check(again.flags == m.flags && again.cleared == m.cleared && again.rro == m.rro &&
	      again.remount == m.remount && again.npropagation == m.npropagation);
	check(!memcmp(again.propagation, m.propagation, sizeof(m.propagation)));
	check(again.datalen == 0);
out:
	free(data_word);
	free(words);
	free(text);
	return 0;
}
