/* A growable byte buffer: output is assembled in one and written once. */
#ifndef CS_BUF_H
#define CS_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct cs_buf {
	char *s;
	size_t len, cap;
	bool failed;		/* an allocation or a write failed */
	int write_error;	/* the errno of a failed write, or 0 */
	FILE *sink;		/* if set, the contents go there every 256 KiB */
};

/* Write what is buffered to the sink (if any); at the end of output. */
void cs_buf_flush(struct cs_buf *b);

void cs_buf_free(struct cs_buf *b);
/* The general case of cs_buf_add: make room (or flush), then append. */
void cs_buf_add_slow(struct cs_buf *b, const char *s, size_t len);

#define CS_BUF_SINK_CHUNK (256 * 1024)	/* a write a quarter megabyte: a syscall costs */

/* Append len bytes; inline, since the formatters call it for every cell. */
static inline void cs_buf_add(struct cs_buf *b, const char *s, size_t len)
{
	if (!len)
		return;	/* s may then be a buffer that never got memory */
	if (b->len + len < b->cap && (!b->sink || b->len + len < CS_BUF_SINK_CHUNK)) {
		memcpy(b->s + b->len, s, len);
		b->len += len;
		b->s[b->len] = '\0';
		return;
	}
	cs_buf_add_slow(b, s, len);
}

/* A string literal, its length known at compile time. */
#define CS_BUF_LIT(b, lit) cs_buf_add((b), "" lit, sizeof(lit) - 1)

/* Room for n more bytes, flushing to the sink first if that is due: where
 * to write them (then cs_buf_commit), or NULL when memory ran out. */
char *cs_buf_reserve_slow(struct cs_buf *b, size_t n);
static inline char *cs_buf_reserve(struct cs_buf *b, size_t n)
{
	if (b->len + n < b->cap && (!b->sink || b->len + n < CS_BUF_SINK_CHUNK))
		return b->s + b->len;
	return cs_buf_reserve_slow(b, n);
}

/* The bytes written from cs_buf_reserve()'s pointer up to end are added. */
static inline void cs_buf_commit(struct cs_buf *b, char *end)
{
	b->len = (size_t)(end - b->s);
	*end = '\0';
}

/* Writers for reserved room: each returns the end of what it wrote. */
#define CS_PUT_LIT(p, lit) (memcpy((p), "" lit, sizeof(lit) - 1), (p) + sizeof(lit) - 1)
#define CS_INT_MAX_CHARS 20	/* "-9223372036854775808" */
static inline char *cs_put_int(char *p, int64_t v)
{
	static const char pairs[200] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	if (v < 0)
		*p++ = '-';
	if (u < 10) {
		*p = (char)('0' + u);
		return p + 1;
	}
	if (u < 100) {
		memcpy(p, pairs + u * 2, 2);
		return p + 2;
	}
	if (u < 10000) {	/* most counts, shapes and fields */
		unsigned hi = (unsigned)(u / 100), lo = (unsigned)(u % 100);
		if (hi < 10)
			*p++ = (char)('0' + hi);
		else {
			memcpy(p, pairs + hi * 2, 2);
			p += 2;
		}
		memcpy(p, pairs + lo * 2, 2);
		return p + 2;
	}
	int digits = 2;
	for (uint64_t t = u / 100; t; t /= 10)
		digits++;
	char *end = p + digits, *q = end;
	while (u >= 100) {
		unsigned k = (unsigned)(u % 100) * 2;
		u /= 100;
		*--q = pairs[k + 1];
		*--q = pairs[k];
	}
	if (u >= 10) {
		*--q = pairs[u * 2 + 1];
		*--q = pairs[u * 2];
	} else {
		*--q = (char)('0' + u);
	}
	return end;
}

/* A string; a literal's length is known where it is inlined. */
static inline void cs_buf_str(struct cs_buf *b, const char *s)
{
	cs_buf_add(b, s, strlen(s));
}

void cs_buf_char_slow(struct cs_buf *b, char c, size_t count);
/* count copies of c. */
static inline void cs_buf_char(struct cs_buf *b, char c, size_t count)
{
	if (count == 1 && b->len + 1 < b->cap && (!b->sink || b->len + 1 < CS_BUF_SINK_CHUNK)) {
		b->s[b->len++] = c;
		b->s[b->len] = '\0';
		return;
	}
	cs_buf_char_slow(b, c, count);
}
/* Append a UTF-8 string `count` times. */
void cs_buf_repeat(struct cs_buf *b, const char *s, size_t count);
void cs_buf_printf(struct cs_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A decimal integer, without printf. */
void cs_buf_int(struct cs_buf *b, int64_t v);

#endif
