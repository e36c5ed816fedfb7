/* A growable byte buffer: output is assembled in one and written once. */
#ifndef CS_BUF_H
#define CS_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct cs_buf {
	char *s;
	size_t len, cap;
	bool failed;		/* an allocation failed: contents incomplete */
};

void cs_buf_free(struct cs_buf *b);
void cs_buf_add(struct cs_buf *b, const char *s, size_t len);
void cs_buf_str(struct cs_buf *b, const char *s);
void cs_buf_char(struct cs_buf *b, char c, size_t count);
/* Append a UTF-8 string `count` times. */
void cs_buf_repeat(struct cs_buf *b, const char *s, size_t count);
void cs_buf_printf(struct cs_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
