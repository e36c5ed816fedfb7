/* A unified diff of two texts, from cs_lcs_walk() over their lines. */
#include "udiff.h"

#include "lcs.h"

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

struct edits {
	const struct line *a, *b;
	struct edit *v;
	size_t n;
};

static bool lines_eq(const void *ctx, size_t i, size_t j)
{
	const struct edits *e = ctx;
	return eq(&e->a[i], &e->b[j]);
}

static void line_step(void *ctx, enum cs_lcs_step kind, size_t i, size_t j)
{
	struct edits *e = ctx;
	char op = kind == CS_LCS_BOTH ? KEEP : kind == CS_LCS_ONLY_A ? DEL : ADD;
	e->v[e->n++] = (struct edit){ op, i, j };
}

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
	if (!e) {
		free(A);
		free(B);
		return -1;
	}
	struct edits ed = { A, B, e, 0 };
	/* short of memory, a coarser diff: still a correct one, and only shown */
	(void)cs_lcs_walk(n, m, lines_eq, line_step, &ed, LCS_MAX_CELLS);
	size_t ne = ed.n;

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
