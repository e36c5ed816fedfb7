/*
 * Unified diff from a longest common subsequence of lines.  Summaries are
 * small; for two texts whose middle (after the common prefix and suffix)
 * would need more than LCS_MAX_CELLS table cells, the whole middle is shown
 * as removed and added, which is still a correct diff.
 */
#include "udiff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CONTEXT 3
#define LCS_MAX_CELLS (8u * 1024 * 1024)

struct line {
	const char *s;
	size_t len;
};

static size_t split(const char *t, size_t len, struct line **out)
{
	size_t n = 0, cap = 64;
	struct line *v = malloc(cap * sizeof(*v));
	for (size_t i = 0; v && i < len;) {
		const char *nl = memchr(t + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - t) + 1 : len;
		if (n == cap) {
			struct line *nv = realloc(v, (cap *= 2) * sizeof(*v));
			if (!nv) {
				free(v);
				v = NULL;
				break;
			}
			v = nv;
		}
		v[n++] = (struct line){ t + i, end - i };
		i = end;
	}
	*out = v;
	return v ? n : (size_t)-1;
}

static int eq(const struct line *x, const struct line *y)
{
	return x->len == y->len && !memcmp(x->s, y->s, x->len);
}

enum { KEEP = ' ', DEL = '-', ADD = '+' };

struct edit {
	char op;
	size_t a, b;	/* line indexes */
};

static void print_line(FILE *out, char op, const struct line *l)
{
	fputc(op, out);
	fwrite(l->s, 1, l->len, out);
	if (!l->len || l->s[l->len - 1] != '\n')
		fputs("\n\\ No newline at end of file\n", out);
}

int cs_unified_diff(const char *a, size_t alen, const char *b, size_t blen,
		    const char *alabel, const char *blabel, FILE *out)
{
	struct line *A, *B;
	size_t n = split(a, alen, &A), m = split(b, blen, &B);
	if (n == (size_t)-1 || m == (size_t)-1) {
		free(n == (size_t)-1 ? NULL : A);
		free(m == (size_t)-1 ? NULL : B);
		return -1;
	}
	struct edit *e = malloc((n + m + 1) * sizeof(*e));
	size_t ne = 0, pre = 0, suf = 0;
	if (!e) {
		free(A);
		free(B);
		return -1;
	}
	while (pre < n && pre < m && eq(&A[pre], &B[pre]))
		pre++;
	while (suf < n - pre && suf < m - pre && eq(&A[n - 1 - suf], &B[m - 1 - suf]))
		suf++;
	for (size_t i = 0; i < pre; i++)
		e[ne++] = (struct edit){ KEEP, i, i };
	size_t rn = n - pre - suf, rm = m - pre - suf;
	uint32_t *t = NULL;
	if (rn && rm && rn <= LCS_MAX_CELLS / rm)
		t = calloc((rn + 1) * (rm + 1), sizeof(*t));
	if (t) {
#define T(i, j) t[(i) * (rm + 1) + (j)]
		for (size_t i = rn; i-- > 0;)
			for (size_t j = rm; j-- > 0;)
				T(i, j) = eq(&A[pre + i], &B[pre + j]) ? T(i + 1, j + 1) + 1
					  : T(i + 1, j) > T(i, j + 1) ? T(i + 1, j) : T(i, j + 1);
		size_t i = 0, j = 0;
		while (i < rn || j < rm) {
			if (i < rn && j < rm && eq(&A[pre + i], &B[pre + j]))
				e[ne++] = (struct edit){ KEEP, pre + i++, pre + j++ };
			else if (i < rn && (j == rm || T(i + 1, j) >= T(i, j + 1)))
				e[ne++] = (struct edit){ DEL, pre + i++, pre + j };
			else
				e[ne++] = (struct edit){ ADD, pre + i, pre + j++ };
		}
#undef T
		free(t);
	} else {
		for (size_t i = 0; i < rn; i++)
			e[ne++] = (struct edit){ DEL, pre + i, pre };
		for (size_t j = 0; j < rm; j++)
			e[ne++] = (struct edit){ ADD, pre + rn, pre + j };
	}
	for (size_t k = 0; k < suf; k++)
		e[ne++] = (struct edit){ KEEP, n - suf + k, m - suf + k };

	int hunks = 0;
	size_t k = 0;
	while (k < ne) {
		while (k < ne && e[k].op == KEEP)
			k++;
		if (k == ne)
			break;
		/* a hunk: from CONTEXT lines before this change to CONTEXT after the
		 * last change that is within 2*CONTEXT of the next */
		size_t start = k > CONTEXT ? k - CONTEXT : 0, end = k;
		for (;;) {
			while (end < ne && e[end].op != KEEP)
				end++;
			size_t run = end;
			while (run < ne && e[run].op == KEEP && run - end < 2 * CONTEXT)
				run++;
			if (run < ne && e[run].op != KEEP) {
				end = run;
				continue;
			}
			end = end + CONTEXT < ne ? end + CONTEXT : ne;
			break;
		}
		size_t acount = 0, bcount = 0;
		for (size_t x = start; x < end; x++) {
			acount += e[x].op != ADD;
			bcount += e[x].op != DEL;
		}
		if (!hunks)
			fprintf(out, "--- %s\n+++ %s\n", alabel, blabel);
		fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", e[start].a + (acount ? 1 : 0), acount,
			e[start].b + (bcount ? 1 : 0), bcount);
		for (size_t x = start; x < end; x++)
			print_line(out, e[x].op, e[x].op == ADD ? &B[e[x].b] : &A[e[x].a]);
		hunks++;
		k = end;
	}
	free(e);
	free(A);
	free(B);
	return hunks;
}
