/* Error values: every failure is filled in through cs_fail(). */
#ifndef CS_DIAG_H
#define CS_DIAG_H

#include "convsummary.h"

/* A place in the model file, 1-based; line 0 means none. */
struct cs_mark {
	unsigned line;
	unsigned column;
};

/* Fill *err (status CS_ERR_MODEL) with file, mark and message; returns -1 so
 * that call sites read `return cs_fail(err, mark, "...")`. */
int cs_fail(struct cs_error *err, struct cs_mark mark, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The same with another status. */
int cs_fail_status(struct cs_error *err, enum cs_status status,
		   struct cs_mark mark, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Memory ran out: "out of memory", status CS_ERR_MEMORY (exit 2), since the
 * file is not at fault. */
int cs_fail_oom(struct cs_error *err, struct cs_mark mark);

/* Set the file name later errors are reported against. */
void cs_error_set_file(struct cs_error *err, const char *file);

/* Cut the string s (a buffer of size bytes that vsnprintf or snprintf
 * filled, possibly to the brim) so that it ends in "..." on a character
 * boundary when it fills the buffer; nothing when it is shorter. */
void cs_cut_utf8(char *s, size_t size);

/*
 * Text from a model file or the command line, made safe to echo in a
 * message or a row: C0 controls, DEL, C1 controls (U+0080-U+009F) and
 * bytes that are not UTF-8 are written as \xNN (\n, \t and \r as such);
 * everything else, backslashes included, stays as it is.  The one escaper
 * for this: cs_buf_escaped() appends len bytes to b, cs_escaped() returns
 * a new string (free it; NULL when memory ran out), cs_fputs_escaped()
 * writes to f.
 */
struct cs_buf;
void cs_buf_escaped(struct cs_buf *b, const char *s, size_t len);
char *cs_escaped(const char *s);
void cs_fputs_escaped(const char *s, FILE *f);

/* cs_error_print() with file instead of err->file (which is cut at 1,023
 * bytes): the file and the message escaped as cs_buf_escaped() does. */
void cs_error_print_as(const struct cs_error *err, const char *file, FILE *f);

/* The known name closest to word (by edit distance), or NULL when none is
 * close enough to be a plausible misspelling. */
const char *cs_closest(const char *word, const char *const *names, size_t n);

#endif
