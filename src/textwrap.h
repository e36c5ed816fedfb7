/* Text measurement and wrapping shared by the table formatters: display
 * cells (East Asian wide = 2, combining = 0), code points, and the cell
 * wrapping rules of rich, which Keras 3 prints its summary with. */
#ifndef CS_TEXTWRAP_H
#define CS_TEXTWRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "cells.h"

/* Decode the code point at s (len bytes left); returns bytes used, at
 * least 1 (an invalid byte reads as U+FFFD). */
size_t cs_utf8_decode(const char *s, size_t len, uint32_t *cp);
static inline size_t cs_utf8_next(const char *s, size_t len, uint32_t *cp)
{
	if ((unsigned char)s[0] < 0x80) {
		*cp = (unsigned char)s[0];
		return 1;
	}
	return cs_utf8_decode(s, len, cp);
}
int cs_cp_width(uint32_t cp);
size_t cs_text_cells(const char *s, size_t len);
size_t cs_text_codepoints(const char *s, size_t len);

/* One wrapped line: bytes [start, start+len) of `text`, plus what the
 * cut added. */
struct cs_wline {
	size_t start, len;
	bool space_after;	/* a wide character was replaced by a space */
	bool ellipsis;		/* "…" follows */
	size_t cells;		/* width of the line as printed */
};

struct cs_wrap {
	struct cs_wline *v;
	size_t n, cap;
	bool failed;		/* memory ran out: lines are missing */
};

enum cs_wrap_mode {
	CS_WRAP_ELLIPSIS,	/* table cells: long words kept whole, then cut with … */
	CS_WRAP_FOLD,		/* the title: long words folded across lines */
};

/* Wrap text into lines of at most width cells, as rich does. */
void cs_wrap_text(struct cs_wrap *w, const char *text, size_t len, size_t width,
		  enum cs_wrap_mode mode);
/* The same without the fast path for printable ASCII (for tests). */
void cs_wrap_text_any(struct cs_wrap *w, const char *text, size_t len, size_t width,
		      enum cs_wrap_mode mode);
void cs_wrap_free(struct cs_wrap *w);
/* Drop trailing whitespace from every line (right-justified cells). */
void cs_wrap_rstrip(struct cs_wrap *w, const char *text, size_t width);
/* Append a wrapped line to b. */
void cs_buf_wline(struct cs_buf *b, const char *text, const struct cs_wline *l);


#endif
