/*
 * A count one thread moves forward and another waits on: how the parse
 * ahead hands blocks to the loader and back (yaml_events.c), and how the
 * second row writer hands stripes to the first (stripes.c).
 *
 * A waiter polls for a while, yielding the processor each time, before it
 * sleeps.  The waits are short (a block, a stripe) and many: a thread that
 * sleeps is woken onto its waker's core by the scheduler, and the two then
 * share one core; polling keeps each on its own (measured here: 739
 * context switches and 52-60 ms for 100k layers sleeping, under 20 and
 * 46-50 ms polling).  When the two do share a core, the yield hands it to
 * the other thread.
 */
#ifndef CS_HANDOFF_H
#define CS_HANDOFF_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct cs_handoff {
	atomic_size_t count;
	atomic_bool stopped;	/* set once: every wait returns */
	atomic_int sleepers;
	pthread_mutex_t lock;
	pthread_cond_t wake;
};

/* 0, or -1 when the system has no mutex or condition to give. */
int cs_handoff_init(struct cs_handoff *h);
void cs_handoff_destroy(struct cs_handoff *h);

static inline size_t cs_handoff_count(struct cs_handoff *h)
{
	return atomic_load_explicit(&h->count, memory_order_acquire);
}

/* Move the count on by one: what was written before is the waiter's to read. */
void cs_handoff_advance(struct cs_handoff *h);

/* Wait until the count is at least target or the handoff is stopped; the
 * count then, which is below target only when stopped. */
size_t cs_handoff_wait(struct cs_handoff *h, size_t target);

/* Let every wait return, now and later. */
void cs_handoff_stop(struct cs_handoff *h);

/* Whether work of size units (SIZE_MAX when unknown, as a pipe's) is worth
 * a second thread, min being the least that is: at least min, and two
 * cores this process may run on (its affinity, as taskset or a container's
 * cpuset leave it).  Tests set min to 0 or SIZE_MAX for always or never. */
bool cs_second_thread_pays(size_t size, size_t min);

#endif
