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
	FILE *sink;		/* if set, the contents go there every 64 KiB */
};

/* Write what is buffered to the sink (if any); at the end of output. */
void cs_buf_flush(struct cs_buf *b);

void cs_buf_free(struct cs_buf *b);
/* The general case of cs_buf_add: make room (or flush), then append. */
void cs_buf_add_slow(struct cs_buf *b, const char *s, size_t len);

#define CS_BUF_SINK_CHUNK (64 * 1024)

/* Append len bytes; inline, since the formatters call it for every cell. */
static inline void cs_buf_add(struct cs_buf *b, const char *s, size_t len)
{
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

void cs_buf_str(struct cs_buf *b, const char *s);
void cs_buf_char(struct cs_buf *b, char c, size_t count);
/* Append a UTF-8 string `count` times. */
void cs_buf_repeat(struct cs_buf *b, const char *s, size_t count);
void cs_buf_printf(struct cs_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A decimal integer, without printf. */
void cs_buf_int(struct cs_buf *b, int64_t v);

#endif
