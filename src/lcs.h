/* Aligning two sequences along a longest common subsequence: the model
 * diff pairs layers with it, --check's unified diff pairs lines. */
#ifndef CS_LCS_H
#define CS_LCS_H

#include <stdbool.h>
#include <stddef.h>

enum cs_lcs_step { CS_LCS_BOTH, CS_LCS_ONLY_A, CS_LCS_ONLY_B };

/*
 * Walk an alignment of a (n items) and b (m items): step(ctx, kind, i, j)
 * is called in order for every item, i and j being the positions in a and
 * b (for ONLY_A, j is where b stands; for ONLY_B, i is where a stands).
 * The common prefix and suffix are taken off first; a middle whose table
 * would pass max_cells (or that cannot be allocated) is aligned as all of
 * a's items removed, then all of b's added: still a correct alignment.
 * Returns -1 when that was for want of memory, else 0.
 */
int cs_lcs_walk(size_t n, size_t m, bool (*eq)(const void *ctx, size_t i, size_t j),
		 void (*step)(void *ctx, enum cs_lcs_step kind, size_t i, size_t j), void *ctx,
		 size_t max_cells);

#endif
