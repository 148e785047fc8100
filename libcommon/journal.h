/*
 * journal.h - the undo journal: what this run changed, and how to take it back.
 *
 * Right after an action succeeds, the thin action layer (sys.h, nl.h) records
 * its inverse here: unmount what was mounted, remove a directory or file that
 * was created, delete a link that was created, move back a link that was
 * moved, put back a namespace bind that was replaced. Only what this run
 * created is recorded (an EEXIST records nothing). On failure, the journal is
 * unwound newest first.
 *
 * To keep "record" from failing after the action is done, the caller first
 * reserves a slot (journal_reserve), then acts, then pushes (journal_push,
 * which cannot fail).
 */
#ifndef PREPBOX_JOURNAL_H
#define PREPBOX_JOURNAL_H

#include <stddef.h>

#include "err.h"

struct undo;

/*
 * An undo action: takes back what @u records. Returns 0, or -1 with @e set
 * ("unmount /run: Device or resource busy").
 */
typedef int (*undo_fn)(const struct undo *u, struct err *e);

struct undo {
	undo_fn fn;
	int dirfd;  /* borrowed: what @path is relative to (AT_FDCWD, the rootfs) */
	int in_root; /* resolve @path with RESOLVE_IN_ROOT against @dirfd */
	char *path; /* owned: the object, e.g. the directory created; or NULL */
	char *shown; /* owned: the object as messages show it; or NULL for @path */
	int fd;	    /* owned, closed when the journal is freed; -1 for none */
	int fd2;    /* borrowed (a namespace of the run); -1 for none */
	long num;   /* an interface index, a flag... as @fn needs */
	char name[16]; /* an interface name, as @fn needs */
};

struct journal {
	struct undo *v;
	size_t n, cap;
};

#define JOURNAL_INIT { NULL, 0, 0 }

/*
 * journal_reserve - make sure the next journal_push() has room.
 * Returns 0, or -1 with @e set (errno ENOMEM) when memory is short; then the
 * caller must not act.
 */
int journal_reserve(struct journal *j, struct err *e);

/*
 * journal_reserve_n - the same for the next @n journal_push() calls, as a
 * batch of actions whose records are pushed once they are all answered.
 */
int journal_reserve_n(struct journal *j, size_t n, struct err *e);

/*
 * journal_push - record @u (copied; the journal takes ownership of u->path,
 * u->shown and u->fd). Must follow a successful journal_reserve().
 */
void journal_push(struct journal *j, const struct undo *u);

/*
 * journal_unwind - run the recorded undo actions, newest first, and empty
 * the journal. Keeps going past failures: each is passed to @leftover
 * (with @arg), which may be NULL. Never touches errno.
 * Returns the number of undo actions that failed (0: all taken back).
 */
size_t journal_unwind(struct journal *j, void (*leftover)(const struct err *e, void *arg),
		      void *arg);

/*
 * journal_unwind_to - as journal_unwind(), but only the records made since
 * the journal held @mark of them (a count taken from j->n earlier): undoes a
 * part of a run that is given up while the run goes on. Returns the number
 * of those undo actions that failed.
 */
size_t journal_unwind_to(struct journal *j, size_t mark,
			 void (*leftover)(const struct err *e, void *arg), void *arg);

/*
 * journal_forget - drop every record without undoing it (success, or
 * --no-rollback), closing the descriptors the records own.
 */
void journal_forget(struct journal *j);

/* journal_free - journal_forget(), then release the journal's memory. */
void journal_free(struct journal *j);

#endif
