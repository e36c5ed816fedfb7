/*
 * The text tables of --columns: every column as wide as its widest cell, up
 * to CS_COLUMN_MAX_CELLS (wider cells wrap, so that the output stays in
 * proportion to the model), numbers right-justified, in Keras 3's box characters (style keras3) or
 * the classic rules (style keras2), then the figures' footer.  Used by the
 * keras3 and keras2 formatters when columns are asked for.
 */
#include <string.h>

#include "columns.h"
#include "format.h"

struct cell_pass {
	struct cs_buf cell;
	size_t width[CS_MAX_COLUMNS];
};

static void measure(void *ctx, size_t layer, int col, const char *s, size_t len)
{
	(void)layer;
	struct cell_pass *p = ctx;
	size_t w = cs_text_cells(s, len);
	if (w > CS_COLUMN_MAX_CELLS)
		w = CS_COLUMN_MAX_CELLS;
	if (w > p->width[col])
		p->width[col] = w;
}

struct emit {
	struct cs_buf *b;
	const struct cs_columns *cols;
	const size_t *width;
	bool boxed;
	size_t layers;
	struct cs_buf text[CS_MAX_COLUMNS];	/* the row's cells */
	struct cs_wrap wrap[CS_MAX_COLUMNS];	/* those wider than their column */
	bool wrapped[CS_MAX_COLUMNS];
};

static void cell_out(struct cs_buf *b, const char *s, size_t len, size_t width, bool right)
{
	size_t w = cs_text_cells(s, len);
	size_t pad = width > w ? width - w : 0;
	if (right)
		cs_buf_char(b, ' ', pad);
	cs_buf_add(b, s, len);
	if (!right)
		cs_buf_char(b, ' ', pad);
}

static void keep_cell(void *ctx, size_t layer, int col, const char *s, size_t len)
{
	(void)layer;
	struct emit *e = ctx;
	e->text[col].len = 0;
	cs_buf_add(&e->text[col], s, len);
}

/* A row from the cells kept: one line, or as many as its widest cell
 * wraps into (words kept whole, a longer word cut with "…", as the Keras
 * table does), so that no line is wider than the columns. */
static void emit_row(void *ctx, size_t layer)
{
	struct emit *e = ctx;
	struct cs_buf *b = e->b;
	int n = e->cols->n;
	if (layer && e->boxed) {
		/* the rule between two layers */
		CS_BUF_LIT(b, "\xE2\x94\x9C");
		for (int c = 0; c < n; c++) {
			if (c)
				CS_BUF_LIT(b, "\xE2\x94\xBC");
			cs_buf_repeat(b, "\xE2\x94\x80", e->width[c] + 2);
		}
		CS_BUF_LIT(b, "\xE2\x94\xA4\n");
	}
	size_t height = 1;
	for (int c = 0; c < n; c++) {
		const struct cs_buf *t = &e->text[c];
		const char *s = t->s ? t->s : "";
		e->wrapped[c] = cs_text_cells(s, t->len) > e->width[c];
		if (!e->wrapped[c])
			continue;
		cs_wrap_text(&e->wrap[c], s, t->len, e->width[c], CS_WRAP_ELLIPSIS);
		if (cs_column_right(e->cols->id[c]))
			cs_wrap_rstrip(&e->wrap[c], s, e->width[c]);
		if (e->wrap[c].failed)
			b->failed = true;
		if (e->wrap[c].n > height)
			height = e->wrap[c].n;
	}
	for (size_t y = 0; y < height; y++) {
		for (int c = 0; c < n; c++) {
			const char *s = e->text[c].s ? e->text[c].s : "";
			bool right = cs_column_right(e->cols->id[c]);
			cs_buf_str(b, e->boxed ? (c ? " \xE2\x94\x82 " : "\xE2\x94\x82 ") : (c ? "   " : " "));
			if (!e->wrapped[c]) {
				if (y == 0)
					cell_out(b, s, e->text[c].len, e->width[c], right);
				else
					cs_buf_char(b, ' ', e->width[c]);
			} else if (y < e->wrap[c].n) {
				const struct cs_wline *l = &e->wrap[c].v[y];
				size_t pad = e->width[c] > l->cells ? e->width[c] - l->cells : 0;
				if (right)
					cs_buf_char(b, ' ', pad);
				cs_buf_wline(b, s, l);
				if (!right)
					cs_buf_char(b, ' ', pad);
			} else {
				cs_buf_char(b, ' ', e->width[c]);
			}
		}
		cs_buf_str(b, e->boxed ? " \xE2\x94\x82\n" : "\n");
	}
}

static void rule(struct cs_buf *b, const struct cs_columns *cols, const size_t *width, const char *l,
		 const char *fill, const char *mid, const char *r)
{
	cs_buf_str(b, l);
	for (int c = 0; c < cols->n; c++) {
		if (c)
			cs_buf_str(b, mid);
		cs_buf_repeat(b, fill, width[c] + 2);
	}
	cs_buf_str(b, r);
	CS_BUF_LIT(b, "\n");
}

int cs_render_columns(const cs_model *m, const struct cs_render_options *opt,
		      const struct cs_columns *cols, bool boxed, struct cs_buf *b)
{
	struct cell_pass p;
	memset(&p, 0, sizeof(p));
	for (int c = 0; c < cols->n; c++)
		p.width[c] = cs_text_cells(cs_column_header(cols->id[c]), strlen(cs_column_header(cols->id[c])));
	if (cs_columns_each(m, opt, cols, false, measure, NULL, &p) < 0)
		b->failed = true;
	size_t total = 0;
	for (int c = 0; c < cols->n; c++)
		total += p.width[c] + 3;

	cs_buf_printf(b, "Model: \"%s\"\n", cs_model_name(m));
	if (boxed)
		rule(b, cols, p.width, "\xE2\x94\x8F", "\xE2\x94\x81", "\xE2\x94\xB3", "\xE2\x94\x93");
	else
		cs_buf_char(b, '_', total), CS_BUF_LIT(b, "\n");
	for (int c = 0; c < cols->n; c++) {
		const char *h = cs_column_header(cols->id[c]);
		cs_buf_str(b, boxed ? (c ? " \xE2\x94\x83 " : "\xE2\x94\x83 ") : (c ? "   " : " "));
		cell_out(b, h, strlen(h), p.width[c], cs_column_right(cols->id[c]));
	}
	cs_buf_str(b, boxed ? " \xE2\x94\x83\n" : "\n");
	if (boxed)
		rule(b, cols, p.width, "\xE2\x94\xA1", "\xE2\x94\x81", "\xE2\x95\x87", "\xE2\x94\xA9");
	else
		cs_buf_char(b, '=', total), CS_BUF_LIT(b, "\n");
	struct emit e = { .b = b, .cols = cols, .width = p.width, .boxed = boxed,
			  .layers = cs_model_layer_count(m) };
	if (cs_columns_each(m, opt, cols, false, keep_cell, emit_row, &e) < 0)
		b->failed = true;
	for (int c = 0; c < cols->n; c++) {
		if (e.text[c].failed)
			b->failed = true;
		cs_buf_free(&e.text[c]);
		cs_wrap_free(&e.wrap[c]);
	}
	if (boxed)
		rule(b, cols, p.width, "\xE2\x94\x94", "\xE2\x94\x80", "\xE2\x94\xB4", "\xE2\x94\x98");
	else
		cs_buf_char(b, '=', total), CS_BUF_LIT(b, "\n");

	const char *pre = boxed ? " " : "";
	cs_buf_totals(b, m, pre, boxed, boxed ? "B" : "Byte");
	cs_figure_footer(m, opt, pre, "", b);
	return 0;
}
