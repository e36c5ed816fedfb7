/*
 * Rows of a long summary written on two cores, in order.
 *
 * The rows are cut into stripes of CS_STRIPE_ROWS; a second thread writes
 * every odd stripe into a buffer of its own while the caller's thread
 * writes the even ones straight into the output, then copies the odd ones
 * in after them.  Each thread calls the row writer with its own context,
 * so state that runs along the rows (the receptive field, the totals) is
 * carried by each writer over the rows it skips.  Short summaries, or a
 * machine with one core, get one call over all the rows.
 */
#ifndef CS_STRIPES_H
#define CS_STRIPES_H

#include <stddef.h>

#include "buf.h"

#define CS_STRIPE_ROWS 2048

/* Write rows [from, to) into b; rows before from that the writer has not
 * seen yet are its to skip (walk over without writing). */
typedef void (*cs_rows_fn)(void *ctx, size_t from, size_t to, struct cs_buf *b);

/* Summaries with fewer rows are written on one thread; tests set it to 0
 * or SIZE_MAX to force one way or the other. */
extern size_t cs_stripes_min_rows;

/* Rows [0, n) into out, in order: fn(mine, ...) on this thread, and
 * fn(theirs, ...) on a second one when that pays.  out->failed is set
 * when either ran out of memory. */
void cs_write_rows(size_t n, cs_rows_fn fn, void *mine, void *theirs, struct cs_buf *out);

#endif
