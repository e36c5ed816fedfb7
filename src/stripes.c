#include "stripes.h"

#include "handoff.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

size_t cs_stripes_min_rows = 4 * CS_STRIPE_ROWS;

/* The second thread's side: two buffers, so that it writes one stripe
 * while the caller copies out the one before.  Its j-th stripe is stripe
 * 2j + 1, in bufs[j % 2]. */
struct helper {
	size_t n;
	cs_rows_fn fn;
	void *ctx;
	struct cs_buf bufs[2];
	struct cs_handoff written, copied;	/* its stripes, so far */
};

static size_t stripe_end(size_t k, size_t n)
{
	size_t end = (k + 1) * CS_STRIPE_ROWS;
	return end < n ? end : n;
}

static void *odd_stripes(void *arg)
{
	struct helper *h = arg;
	for (size_t j = 0, k = 1; k * CS_STRIPE_ROWS < h->n; j++, k += 2) {
		if (j >= 2)
			cs_handoff_wait(&h->copied, j - 1);
		if (atomic_load(&h->copied.stopped))
			break;
		struct cs_buf *b = &h->bufs[j % 2];
		b->len = 0;
		h->fn(h->ctx, k * CS_STRIPE_ROWS, stripe_end(k, h->n), b);
		cs_handoff_advance(&h->written);
	}
	return NULL;
}

void cs_write_rows(size_t n, cs_rows_fn fn, void *mine, void *theirs, struct cs_buf *out)
{
	struct helper h = { .n = n, .fn = fn, .ctx = theirs };
	pthread_t thread;
	bool two = n > CS_STRIPE_ROWS && cs_second_thread_pays(n, cs_stripes_min_rows);
	if (two && cs_handoff_init(&h.written) != 0)
		two = false;
	if (two && cs_handoff_init(&h.copied) != 0) {
		cs_handoff_destroy(&h.written);
		two = false;
	}
	if (two && pthread_create(&thread, NULL, odd_stripes, &h) != 0) {
		cs_handoff_destroy(&h.copied);
		cs_handoff_destroy(&h.written);
		two = false;
	}
	if (!two) {
		fn(mine, 0, n, out);
		return;
	}
	for (size_t k = 0; k * CS_STRIPE_ROWS < n && !out->failed; k++) {
		if (k % 2 == 0) {
			fn(mine, k * CS_STRIPE_ROWS, stripe_end(k, n), out);
			continue;
		}
		size_t j = k / 2;
		cs_handoff_wait(&h.written, j + 1);
		struct cs_buf *b = &h.bufs[j % 2];
		if (b->failed)
			out->failed = true;
		else if (b->len)
			cs_buf_add(out, b->s, b->len);
		cs_handoff_advance(&h.copied);
	}
	cs_handoff_stop(&h.copied);
	pthread_join(thread, NULL);
	cs_handoff_destroy(&h.copied);
	cs_handoff_destroy(&h.written);
	cs_buf_free(&h.bufs[0]);
	cs_buf_free(&h.bufs[1]);
}
