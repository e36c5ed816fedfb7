#include "buf.h"
#include "bigmem.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cs_buf_free(struct cs_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

#define FULL_SINK (2 * CS_BUF_SINK_CHUNK)	/* a chunk, and a line past it */

static bool grow(struct cs_buf *b, size_t more)
{
	if (b->failed)
		return false;
	if (b->len + more + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more + 1) {
		if (cap > SIZE_MAX / 2) {
			b->failed = true;
			return false;
		}
		cap *= 2;
	}
	/* a sink's buffer is filled whole for every chunk it writes: past
	 * 16 KiB of output it takes its full size at once, faulted in by one
	 * call, rather than copying itself up to it a page fault at a time */
	bool whole = b->sink && cap > 16 * 1024 && cap < FULL_SINK;
	if (whole)
		cap = FULL_SINK;
	char *s = realloc(b->s, cap);
	if (!s) {
		b->failed = true;
		return false;
	}
	if (whole)
		cs_big_populate(s + b->cap, cap - b->cap);
	b->s = s;
	b->cap = cap;
	return true;
}

#define SINK_CHUNK CS_BUF_SINK_CHUNK

static void write_failed(struct cs_buf *b)
{
	b->failed = true;
	b->write_error = errno ? errno : EIO;
}

void cs_buf_flush(struct cs_buf *b)
{
	if (!b->sink || !b->len)
		return;
	if (!b->failed && fwrite(b->s, 1, b->len, b->sink) != b->len)
		write_failed(b);
	b->len = 0;
	b->s[0] = '\0';
}

static inline void maybe_flush(struct cs_buf *b)
{
	if (b->sink && b->len >= SINK_CHUNK)
		cs_buf_flush(b);
}

void cs_buf_add_slow(struct cs_buf *b, const char *s, size_t len)
{
	if (b->sink && b->len + len >= SINK_CHUNK) {
		cs_buf_flush(b);
		if (len >= SINK_CHUNK) {
			/* a large piece goes out as it is, not through the buffer */
			if (!b->failed && fwrite(s, 1, len, b->sink) != len)
				write_failed(b);
			return;
		}
	}
	if (!grow(b, len))
		return;
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
	maybe_flush(b);
}

void cs_buf_int(struct cs_buf *b, int64_t v)
{
	char *p = cs_buf_reserve(b, CS_INT_MAX_CHARS);
	if (p)
		cs_buf_commit(b, cs_put_int(p, v));
}

char *cs_buf_reserve_slow(struct cs_buf *b, size_t n)
{
	if (b->sink && b->len + n >= SINK_CHUNK)
		cs_buf_flush(b);
	return grow(b, n) ? b->s + b->len : NULL;
}

void cs_buf_char_slow(struct cs_buf *b, char c, size_t count)
{
	if (!grow(b, count))
		return;
	memset(b->s + b->len, c, count);
	b->len += count;
	b->s[b->len] = '\0';
	maybe_flush(b);
}

void cs_buf_repeat(struct cs_buf *b, const char *s, size_t count)
{
	size_t n = strlen(s);
	if (count && n > SIZE_MAX / count) {
		b->failed = true;
		return;
	}
	if (!grow(b, n * count))
		return;
	for (size_t i = 0; i < count; i++) {
		memcpy(b->s + b->len, s, n);
		b->len += n;
	}
	b->s[b->len] = '\0';
	maybe_flush(b);
}

void cs_buf_printf(struct cs_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		cs_buf_add(b, small, (size_t)n);
		return;
	}
	if (!grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	maybe_flush(b);
}

