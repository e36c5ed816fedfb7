/* Overflow-checked arithmetic on sizes and counts.  Each returns true when
 * the result fits in int64_t and stores it, false (leaving *r undefined)
 * when it would overflow. */
#ifndef CS_CHECKED_H
#define CS_CHECKED_H

#include <stdbool.h>
#include <stdint.h>

static inline bool cs_mul(int64_t a, int64_t b, int64_t *r)
{
	return !__builtin_mul_overflow(a, b, r);
}

static inline bool cs_add(int64_t a, int64_t b, int64_t *r)
{
	return !__builtin_add_overflow(a, b, r);
}

static inline bool cs_sub(int64_t a, int64_t b, int64_t *r)
{
	return !__builtin_sub_overflow(a, b, r);
}

/* Python's floor division for b > 0. */
static inline int64_t cs_floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && (a < 0))
		q--;
	return q;
}

#endif
