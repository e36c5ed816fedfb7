/* Output formats: a table of operations chosen by name.  Each reads the
 * model only through the public accessors and writes into a buffer that
 * cs_render() hands to the caller's FILE in one write. */
#ifndef CS_FORMAT_H
#define CS_FORMAT_H

#include "convsummary.h"
#include "cells.h"
#include "textwrap.h"

struct cs_columns;

/* One output format; cols is NULL for the format's own columns. */
struct cs_formatter {
	const char *name;
	int default_line_length;	/* 0: the format has no line length */
	int min_line_length;
	int (*render)(const cs_model *m, int line_length, const struct cs_render_options *opt,
		      const struct cs_columns *cols, struct cs_buf *out);
	/* instead of render, for what is made whole before it is written
	 * (the laid-out pictures): -1 with a message in why when it cannot
	 * be made */
	int (*picture)(const cs_model *m, const struct cs_render_options *opt,
		       const struct cs_columns *cols, struct cs_buf *out, char *why, size_t size);
	/* NULL, or why this model cannot be printed at that line length */
	const char *(*check_line_length)(const cs_model *m, int line_length);
};

/* The text table of --columns (format_columns.c). */
int cs_render_columns(const cs_model *m, const struct cs_render_options *opt,
		      const struct cs_columns *cols, bool boxed, struct cs_buf *b);

extern const struct cs_formatter cs_format_keras3;
extern const struct cs_formatter cs_format_keras2;
extern const struct cs_formatter cs_format_json;
extern const struct cs_formatter cs_format_markdown;
extern const struct cs_formatter cs_format_csv;
extern const struct cs_formatter cs_format_dot;
extern const struct cs_formatter cs_format_svg;
extern const struct cs_formatter cs_format_mermaid;
extern const struct cs_formatter cs_format_html;

/* The pictures (format_dot.c, format_svg.c): the DOT text into b; the SVG
 * laid out by Graphviz into out, or -1 with why (CS_NO_GRAPHVIZ when the
 * library was built without Graphviz). */
int cs_render_dot(const cs_model *m, const struct cs_render_options *opt,
		  const struct cs_columns *cols, struct cs_buf *b);
int cs_render_svg(const cs_model *m, const struct cs_render_options *opt,
		  const struct cs_columns *cols, struct cs_buf *out, char *why, size_t size);
/* Whether this library lays out pictures (was built with Graphviz). */
bool cs_pictures_laid_out(void);
#define CS_NO_GRAPHVIZ "this convsummary was built without Graphviz's libraries (libgvc), " \
	"so it cannot lay out an SVG; '--format dot | dot -Tsvg' draws the same picture"

#define CS_MAX_LINE_LENGTH 10000

/* --input-shape: a resolution sweep's rows into b (format_sweep.c):
 * begin, a row or a failure per input (one sample's shape, at most
 * CS_SWEEP_RANK sizes), end; one JSON object per file with json. */
#define CS_SWEEP_RANK 8
struct cs_sweep {
	struct cs_buf *b;
	bool json;
	bool torchinfo;		/* mult-adds instead of MACs */
	size_t rows;
};
void cs_sweep_begin(struct cs_sweep *s, const char *name, const char *shown);
void cs_sweep_row(struct cs_sweep *s, const int64_t *sample, size_t rank, const cs_model *m);
void cs_sweep_fail(struct cs_sweep *s, const int64_t *sample, size_t rank, const struct cs_error *err);
void cs_sweep_end(struct cs_sweep *s);
/* The JSON object of a file that could not be read (nothing in text). */
void cs_sweep_unreadable(struct cs_sweep *s, const char *name, const char *why);

/* The three totals lines: " Total params: 1,234 (4.82 KB)" and the
 * trainable and non-trainable ones, each after prefix; counts with or
 * without thousands separators, sizes in byte_unit ("B" or "Byte"). */
void cs_buf_totals(struct cs_buf *b, const cs_model *m, const char *prefix, bool commas,
		   const char *byte_unit);


#endif
