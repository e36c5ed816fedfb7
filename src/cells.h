/* The texts of cells and values, written one way for every output
 * (cells.c). */
#ifndef CS_CELLS_H
#define CS_CELLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* "1,234,567" (or without the commas) into buf, which it returns. */
const char *cs_format_count(int64_t n, bool commas, char *buf, size_t size);
/* "136.04 KB": Keras's size of a number of bytes, the smallest unit
 * byte_unit ("B", or tf.keras 2's "Byte"). */
const char *cs_format_bytes(int64_t bytes, const char *byte_unit, char *buf, size_t size);
/* A line of torchinfo's footer as it prints it: "Total mult-adds (k): 487.60",
 * "Input size (kB): 3.21", "Params size: 364" (bytes: a "B" after the
 * unit).  The unit is the largest of k, M, G, T (steps of 1000) not above
 * n, none below 1000; the number n over the unit with two decimals, or
 * whole when it is whole, thousands with commas; "unknown" for n < 0. */
void cs_buf_torchinfo_line(struct cs_buf *b, const char *prefix, const char *label, int64_t n,
			   bool bytes, const char *suffix);

/* "(None, 8, 8, 5)" (an unknown size is None); with python_tuple, a
 * 1-tuple is "(8,)" as Python prints it.  Cut to size bytes. */
const char *cs_shape_text(size_t rank, const int64_t *dims, bool python_tuple, char *buf, size_t size);
void cs_buf_shape(struct cs_buf *b, size_t rank, const int64_t *dims, bool python_tuple);

/* The length of the valid UTF-8 sequence at s (n > 0 bytes left), with its
 * code point in *cp; 0 when it is not valid (overlong, a surrogate, past
 * U+10FFFF, cut short). */
size_t cs_utf8_valid(const unsigned char *s, size_t n, uint32_t *cp);

/* n bytes of s as a JSON string, quoted, with '"', '\\' and control
 * characters escaped, at p; returns the end.  Room needed: */
#define CS_JSON_TEXT_ROOM(n) (6 * (n) + 2)
char *cs_put_json_text(char *p, const char *s, size_t n);
void cs_buf_json_string(struct cs_buf *b, const char *s);
/* [null, 8, 8, 5]; room needed: */
#define CS_JSON_SHAPE_ROOM(rank) (24 * (rank) + 2)
char *cs_put_json_shape(char *p, size_t rank, const int64_t *dims);
void cs_buf_json_shape(struct cs_buf *b, size_t rank, const int64_t *dims);

/* len bytes of s with what Markdown would read as markup escaped. */
void cs_buf_markdown(struct cs_buf *b, const char *s, size_t len);

#endif
