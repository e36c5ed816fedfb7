/* Large zeroed allocations that the kernel may back with huge pages.
 *
 * A long model's tables run to megabytes.  From malloc they would cost a
 * page fault every 4 KiB at first touch (on a virtual machine, microseconds
 * each: a fifth of a 100,000-layer summary's time); a region of whole,
 * aligned 2 MiB pages advised for huge pages costs one fault per 2 MiB.
 * Small allocations go to calloc as before. */
#ifndef CS_BIGMEM_H
#define CS_BIGMEM_H

#include <stddef.h>

#define CS_BIG_PAGE ((size_t)2 << 20)

/* bytes of zeroed memory, aligned to 16 at least (to CS_BIG_PAGE when
 * bytes >= CS_BIG_PAGE); NULL when out of memory. */
void *cs_big_alloc(size_t bytes);
/* Free what cs_big_alloc(bytes) gave; p may be NULL. */
void cs_big_free(void *p, size_t bytes);
/* The whole pages inside [p, p + bytes), which are certain to be written,
 * faulted in by one call (where the kernel can) rather than one fault a
 * page. */
void cs_big_populate(void *p, size_t bytes);

/* A table filled from its start, [base, base + cap) with `used` bytes
 * written so far: when used passes *ready (an offset, so that it survives
 * a realloc), the pages up to CS_BIG_AHEAD past it are faulted in by one
 * call.  A growing table then costs a call every 64 KiB rather than a
 * fault every 4 KiB, and never more than 64 KiB it does not use. */
#define CS_BIG_AHEAD ((size_t)64 << 10)
void cs_big_ahead_slow(void *base, size_t used, size_t cap, size_t *ready);
static inline void cs_big_ahead(void *base, size_t used, size_t cap, size_t *ready)
{
	if (used > *ready)
		cs_big_ahead_slow(base, used, cap, ready);
}

/* bytes of zeroed memory straight from the kernel, each page faulted in
 * when first touched (or by cs_big_ahead); NULL when out of memory.  Not
 * calloc: glibc clears a large block it takes from its heap, a fault a
 * page, whether or not the block is used. */
void *cs_big_map(size_t bytes);
/* Free what cs_big_map(bytes) gave; p may be NULL. */
void cs_big_unmap(void *p, size_t bytes);

/* A zeroed table of n entries of `size` bytes, every one of which will be
 * written: faulted in at once.  NULL when out of memory (or n * size
 * overflows). */
void *cs_big_table(size_t n, size_t size);

#endif
