/* The columns of --columns: their names, headers and cell texts, shared by
 * the text, Markdown and CSV formatters, and the totals' footer lines. */
#ifndef CS_COLUMNS_H
#define CS_COLUMNS_H

#include "convsummary.h"
#include "table.h"
#include "textwrap.h"

/* a --columns table is written by the table engine: one limit for both */
#define CS_MAX_COLUMNS CS_TABLE_MAX_COLUMNS

/* The widest a --columns text column gets, in display cells: a wider cell
 * wraps at spaces, and a word wider than that is cut with "…" (README,
 * "Figures beyond Keras"). */
#define CS_COLUMN_MAX_CELLS 64

struct cs_columns {
	int id[CS_MAX_COLUMNS];
	int n;
};

/* Parse "name,type,output_shape,macs"; on an unknown name, write a message
 * (with the closest name) into why and return -1. */
int cs_columns_parse(const char *list, struct cs_columns *cols, char *why, size_t size);
const char *cs_column_header(int id);
/* Its name in --columns ("output_shape"). */
const char *cs_column_name(int id);
bool cs_column_right(int id);
/* The cell of column id for a layer; raw: plain numbers (CSV). */
void cs_column_cell(int id, const cs_model *m, size_t row, const struct cs_layer_info *li,
		    const struct cs_figures *f, const struct cs_render_options *opt, bool raw,
		    struct cs_buf *out);

/* Each layer's cells in order: cell(ctx, layer, column, text, len), and
 * after each layer's last cell row_end(ctx, layer) if it is not NULL.
 * -1 when memory ran out (some cells were then empty), else 0. */
int cs_columns_each(const cs_model *m, const struct cs_render_options *opt,
		     const struct cs_columns *cols, bool raw,
		     void (*cell)(void *ctx, size_t layer, int col, const char *s, size_t len),
		     void (*row_end)(void *ctx, size_t layer), void *ctx);

/* The batch of the batch figures: --batch-size (opt->batch_size) over the
 * model's batch_size, else 1.  *file gets the model's batch_size (-1:
 * None). */
int64_t cs_figure_batch(const cs_model *m, const struct cs_render_options *opt, int64_t *file);

/* Totals of the figures over the model. */
struct cs_figure_totals {
	int64_t macs, mult_adds, other_ops, activation_bytes;	/* -1 unknown */
	int64_t batch;		/* the batch of the activation memory (and,
				 * after _end, of mult_adds) */
	int64_t file_batch;	/* the model's batch_size, -1 None */
};
void cs_figure_totals(const cs_model *m, const struct cs_render_options *opt,
		      struct cs_figure_totals *t);
/* The same while walking the layers: start, add each layer's, end. */
void cs_figure_totals_start(const cs_model *m, const struct cs_render_options *opt,
			    struct cs_figure_totals *t);
void cs_figure_totals_add(struct cs_figure_totals *t, const struct cs_figures *f);
void cs_figure_totals_end(struct cs_figure_totals *t);
/* " Total MACs: 15.47 G ..." lines, each starting with prefix, and with
 * the torchinfo convention its footer (cs_torchinfo_footer). */
void cs_figure_footer(const cs_model *m, const struct cs_render_options *opt, const char *prefix,
		      const char *suffix, struct cs_buf *b);
/* With the torchinfo convention only: torchinfo's own footer lines, for
 * the batch ("Total mult-adds (k): 487.60", "Input size (kB): 3.14", ...),
 * under a line that says which batch and why; nothing otherwise. */
void cs_torchinfo_footer(const cs_model *m, const struct cs_render_options *opt, const char *prefix,
			 const char *suffix, struct cs_buf *b);
/* "15.47 G" */
const char *cs_format_si(int64_t n, char *buf, size_t size);

#endif
