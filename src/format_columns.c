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
#include "table.h"

struct cell_pass {
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
	struct cs_table *t;
	bool boxed;
};

static void keep_cell(void *ctx, size_t layer, int col, const char *s, size_t len)
{
	(void)layer;
	struct emit *e = ctx;
	e->t->text[col].len = 0;
	cs_buf_add(&e->t->text[col], s, len);
}

static void emit_row(void *ctx, size_t layer)
{
	struct emit *e = ctx;
	if (layer && e->boxed)
		cs_table_rule(e->b, e->t, CS_RULE_BETWEEN);
	cs_table_row(e->b, e->t, false);
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
	/* every column as wide as its widest cell; the classic style puts
	 * three spaces between two columns */
	struct cs_table t;
	memset(&t, 0, sizeof(t));
	t.style = boxed ? CS_TABLE_BOX : CS_TABLE_CLASSIC;
	t.ncols = cols->n;
	size_t total = 0;
	for (int c = 0; c < cols->n; c++) {
		t.width[c] = p.width[c];
		t.room[c] = p.width[c] + (c + 1 < cols->n ? 3 : 0);
		t.right[c] = cs_column_right(cols->id[c]);
		total += p.width[c] + 3;
	}

	cs_buf_printf(b, "Model: \"%s\"\n", cs_model_name(m));
	if (boxed)
		cs_table_rule(b, &t, CS_RULE_TOP);
	else
		cs_buf_char(b, '_', total), CS_BUF_LIT(b, "\n");
	for (int c = 0; c < cols->n; c++)
		cs_buf_str(&t.text[c], cs_column_header(cols->id[c]));
	cs_table_row(b, &t, true);
	if (boxed)
		cs_table_rule(b, &t, CS_RULE_HEAD);
	else
		cs_buf_char(b, '=', total), CS_BUF_LIT(b, "\n");
	struct emit e = { b, &t, boxed };
	if (cs_columns_each(m, opt, cols, false, keep_cell, emit_row, &e) < 0)
		b->failed = true;
	if (boxed)
		cs_table_rule(b, &t, CS_RULE_BOTTOM);
	else
		cs_buf_char(b, '=', total), CS_BUF_LIT(b, "\n");
	cs_table_free(&t, b);

	const char *pre = boxed ? " " : "";
	cs_buf_totals(b, m, pre, boxed, boxed ? "B" : "Byte");
	cs_figure_footer(m, opt, pre, "", b);
	return 0;
}
