/* Error values: every failure is filled in through cs_fail(). */
#ifndef CS_DIAG_H
#define CS_DIAG_H

#include "convsummary.h"

/* A place in the model file, 1-based; line 0 means none. */
struct cs_mark {
	unsigned line;
	unsigned column;
};

/* Fill *err (status CS_INVALID) with file, mark and message; returns -1 so
 * that call sites read `return cs_fail(err, mark, "...")`. */
int cs_fail(struct cs_error *err, struct cs_mark mark, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The same with another status. */
int cs_fail_status(struct cs_error *err, enum cs_status status,
		   struct cs_mark mark, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Memory ran out: "out of memory", status CS_USAGE (exit 2), since the
 * file is not at fault. */
int cs_fail_oom(struct cs_error *err, struct cs_mark mark);

/* Set the file name later errors are reported against. */
void cs_error_set_file(struct cs_error *err, const char *file);

/* The known name closest to word (by edit distance), or NULL when none is
 * close enough to be a plausible misspelling. */
const char *cs_closest(const char *word, const char *const *names, size_t n);

#endif
