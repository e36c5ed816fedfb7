/*
 * The text tables of --columns: every column as wide as its widest cell,
 * numbers right-justified, in Keras 3's box characters (style keras3) or
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
	if (w > p->width[col])
		p->width[col] = w;
}

struct emit {
	struct cs_buf *b;
	const struct cs_columns *cols;
	const size_t *width;
	bool boxed;
	size_t layers;
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

static void emit_cell(void *ctx, size_t layer, int col, const char *s, size_t len)
{
	struct emit *e = ctx;
	struct cs_buf *b = e->b;
	if (col == 0 && layer && e->boxed) {
		/* the rule between two layers */
		CS_BUF_LIT(b, "\xE2\x94\x9C");
		for (int c = 0; c < e->cols->n; c++) {
			if (c)
				CS_BUF_LIT(b, "\xE2\x94\xBC");
			cs_buf_repeat(b, "\xE2\x94\x80", e->width[c] + 2);
		}
		CS_BUF_LIT(b, "\xE2\x94\xA4\n");
	}
	cs_buf_str(b, e->boxed ? (col ? " \xE2\x94\x82 " : "\xE2\x94\x82 ") : (col ? "   " : " "));
	cell_out(b, s, len, e->width[col], cs_column_right(e->cols->id[col]));
	if (col == e->cols->n - 1)
		cs_buf_str(b, e->boxed ? " \xE2\x94\x82\n" : "\n");
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
	struct emit e = { b, cols, p.width, boxed, cs_model_layer_count(m) };
	if (cs_columns_each(m, opt, cols, false, emit_cell, NULL, &e) < 0)
		b->failed = true;
	if (boxed)
		rule(b, cols, p.width, "\xE2\x94\x94", "\xE2\x94\x80", "\xE2\x94\xB4", "\xE2\x94\x98");
	else
		cs_buf_char(b, '=', total), CS_BUF_LIT(b, "\n");

	const char *pre = boxed ? " " : "";
	cs_buf_totals(b, m, pre, boxed, boxed ? "B" : "Byte");
	cs_figure_footer(m, opt, pre, "", b);
	return 0;
}
