#include "lcs.h"

#include <stdint.h>
#include <stdlib.h>

int cs_lcs_walk(size_t n, size_t m, bool (*eq)(const void *ctx, size_t i, size_t j),
		 void (*step)(void *ctx, enum cs_lcs_step kind, size_t i, size_t j), void *ctx,
		 size_t max_cells)
{
	size_t pre = 0, suf = 0;
	while (pre < n && pre < m && eq(ctx, pre, pre))
		pre++;
	while (suf < n - pre && suf < m - pre && eq(ctx, n - 1 - suf, m - 1 - suf))
		suf++;
	for (size_t i = 0; i < pre; i++)
		step(ctx, CS_LCS_BOTH, i, i);

	size_t rn = n - pre - suf, rm = m - pre - suf;
	uint32_t *t = NULL;
	bool want = rn && rm && rn + 1 <= max_cells / (rm + 1);
	if (want)
		t = calloc((rn + 1) * (rm + 1), sizeof(*t));
	if (t) {
		/* t[i][j]: the LCS length of the middles from i and j on */
#define T(i, j) t[(i) * (rm + 1) + (j)]
		for (size_t i = rn; i-- > 0;)
			for (size_t j = rm; j-- > 0;)
				T(i, j) = eq(ctx, pre + i, pre + j) ? T(i + 1, j + 1) + 1
					  : T(i + 1, j) > T(i, j + 1) ? T(i + 1, j) : T(i, j + 1);
		size_t i = 0, j = 0;
		while (i < rn || j < rm) {
			if (i < rn && j < rm && eq(ctx, pre + i, pre + j))
				step(ctx, CS_LCS_BOTH, pre + i++, pre + j++);
			else if (i < rn && (j == rm || T(i + 1, j) >= T(i, j + 1)))
				step(ctx, CS_LCS_ONLY_A, pre + i++, pre + j);
			else
				step(ctx, CS_LCS_ONLY_B, pre + i, pre + j++);
		}
#undef T
		free(t);
	} else {
		for (size_t i = 0; i < rn; i++)
			step(ctx, CS_LCS_ONLY_A, pre + i, pre);
		for (size_t j = 0; j < rm; j++)
			step(ctx, CS_LCS_ONLY_B, pre + rn, pre + j);
	}
	for (size_t k = 0; k < suf; k++)
		step(ctx, CS_LCS_BOTH, n - suf + k, m - suf + k);
	return want && !t ? -1 : 0;
}
