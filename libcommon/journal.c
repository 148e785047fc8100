/*
 * journal.c - the undo journal (journal.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "journal.h"

int journal_reserve(struct journal *j, struct err *e)
{
	return journal_reserve_n(j, 1, e);
}

int journal_reserve_n(struct journal *j, size_t n, struct err *e)
{
	struct undo *v;
	size_t cap;

	if (j->cap - j->n >= n)
		return 0;
	/* Doubling: a run's many records cost a few reallocations, not one each. */
	cap = j->cap ? j->cap * 2 : 16;
	while (cap - j->n < n)
		cap *= 2;
	v = realloc(j->v, cap * sizeof(*v));
	if (!v)
		return err_set(e, ENOMEM, "record the undo journal");
	j->v = v;
	j->cap = cap;
	return 0;
}

void journal_push(struct journal *j, const struct undo *u)
{
	j->v[j->n++] = *u;
}

static void release(struct undo *u)
{
	free(u->path);
	free(u->shown);
	if (u->fd >= 0)
		close(u->fd);
}

size_t journal_unwind_to(struct journal *j, size_t mark,
			 void (*leftover)(const struct err *e, void *arg), void *arg)
{
	int saved = errno;
	size_t failed = 0;
	struct err e;

	while (j->n > mark) {
		struct undo *u = &j->v[--j->n];

		if (u->fn(u, &e) < 0) {
			failed++;
			if (leftover)
				leftover(&e, arg);
		}
		release(u);
	}
	errno = saved;
	return failed;
}

size_t journal_unwind(struct journal *j, void (*leftover)(const struct err *e, void *arg),
		      void *arg)
{
	return journal_unwind_to(j, 0, leftover, arg);
}

void journal_forget(struct journal *j)
{
	while (j->n > 0)
		release(&j->v[--j->n]);
}

void journal_free(struct journal *j)
{
	journal_forget(j);
	free(j->v);
	j->v = NULL;
	j->cap = 0;
}
