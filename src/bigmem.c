/* Large zeroed allocations in huge-page-sized pieces (bigmem.h). */
#define _DEFAULT_SOURCE	/* MAP_ANONYMOUS, madvise, MADV_HUGEPAGE, MADV_POPULATE_WRITE */
#include "bigmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static size_t mapped_size(size_t bytes)
{
	return (bytes + CS_BIG_PAGE - 1) & ~(CS_BIG_PAGE - 1);
}

void *cs_big_alloc(size_t bytes)
{
	if (bytes < CS_BIG_PAGE)
		return calloc(1, bytes ? bytes : 1);
	size_t size = mapped_size(bytes);
	if (size < bytes || size > SIZE_MAX - CS_BIG_PAGE)
		return NULL;
	/* one page more than needed, then the ends trimmed to alignment */
	char *raw = mmap(NULL, size + CS_BIG_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	if (raw == MAP_FAILED)
		return NULL;
	char *p = (char *)(((uintptr_t)raw + CS_BIG_PAGE - 1) & ~(uintptr_t)(CS_BIG_PAGE - 1));
	if (p > raw)
		munmap(raw, (size_t)(p - raw));
	size_t tail = (size_t)(raw + size + CS_BIG_PAGE - (p + size));
	if (tail)
		munmap(p + size, tail);
#ifdef MADV_HUGEPAGE
	madvise(p, size, MADV_HUGEPAGE);	/* a hint: fine if refused */
#endif
	return p;
}

void cs_big_free(void *p, size_t bytes)
{
	if (!p)
		return;
	if (bytes < CS_BIG_PAGE)
		free(p);
	else
		munmap(p, mapped_size(bytes));
}

void cs_big_populate(void *p, size_t bytes)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t page = 4096, from = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t to = ((uintptr_t)p + bytes) & ~(page - 1);
	if (to > from)
		madvise((void *)from, to - from, MADV_POPULATE_WRITE);	/* a hint too */
#else
	(void)p;
	(void)bytes;
#endif
}

void cs_big_ahead_slow(void *base, size_t used, size_t cap, size_t *ready)
{
	size_t to = cap < CS_BIG_AHEAD || used > cap - CS_BIG_AHEAD ? cap : used + CS_BIG_AHEAD;
	if (to > *ready)
		cs_big_populate((char *)base + *ready, to - *ready);
	*ready = to;
}

void *cs_big_table(size_t n, size_t size)
{
	size_t bytes;
	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	void *p = malloc(bytes ? bytes : 1);
	if (p) {
		cs_big_populate(p, bytes);
		memset(p, 0, bytes);
	}
	return p;
}

void *cs_big_map(size_t bytes)
{
	void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void cs_big_unmap(void *p, size_t bytes)
{
	if (p)
		munmap(p, bytes ? bytes : 1);
}
