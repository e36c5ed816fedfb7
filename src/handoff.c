#define _GNU_SOURCE	/* sched_getaffinity, CPU_COUNT */
#include "handoff.h"

#include <sched.h>
#include <stdint.h>
#include <unistd.h>

/* Polls before a waiter sleeps, each giving the processor away: about a
 * millisecond, longer than a block or a stripe takes. */
#define SPINS 2000

int cs_handoff_init(struct cs_handoff *h)
{
	atomic_init(&h->count, 0);
	atomic_init(&h->stopped, false);
	atomic_init(&h->sleepers, 0);
	if (pthread_mutex_init(&h->lock, NULL) != 0)
		return -1;
	if (pthread_cond_init(&h->wake, NULL) != 0) {
		pthread_mutex_destroy(&h->lock);
		return -1;
	}
	return 0;
}

void cs_handoff_destroy(struct cs_handoff *h)
{
	pthread_cond_destroy(&h->wake);
	pthread_mutex_destroy(&h->lock);
}

/* Wake a sleeper, if there is one.  The sleeper announces itself (sleepers,
 * sequentially consistent) before it looks at the count a last time, and
 * the count is moved before this looks at sleepers: one of the two sees the
 * other. */
static void wake(struct cs_handoff *h)
{
	if (atomic_load(&h->sleepers) == 0)
		return;
	pthread_mutex_lock(&h->lock);
	pthread_cond_broadcast(&h->wake);
	pthread_mutex_unlock(&h->lock);
}

void cs_handoff_advance(struct cs_handoff *h)
{
	atomic_fetch_add(&h->count, 1);
	wake(h);
}

void cs_handoff_stop(struct cs_handoff *h)
{
	atomic_store(&h->stopped, true);
	wake(h);
}

static bool done(struct cs_handoff *h, size_t target)
{
	return atomic_load(&h->count) >= target || atomic_load(&h->stopped);
}

size_t cs_handoff_wait(struct cs_handoff *h, size_t target)
{
	for (int i = 0; i < SPINS && !done(h, target); i++)
		sched_yield();
	if (!done(h, target)) {
		pthread_mutex_lock(&h->lock);
		atomic_fetch_add(&h->sleepers, 1);
		while (!done(h, target))
			pthread_cond_wait(&h->wake, &h->lock);
		atomic_fetch_sub(&h->sleepers, 1);
		pthread_mutex_unlock(&h->lock);
	}
	return cs_handoff_count(h);
}

static int available_cores(void)
{
#ifdef __linux__
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set);
#endif
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

bool cs_second_thread_pays(size_t size, size_t min)
{
	if (min == SIZE_MAX || size < min)
		return false;
	return min == 0 || available_cores() >= 2;
}
