/* RFC 4180 CSV: a header row of column names, then one row a layer; CRLF
 * line ends.  Numbers are plain digits. */
#include "columns.h"
#include "format.h"

#include <string.h>

static void field(struct cs_buf *b, const char *s, size_t len)
{
	bool quote = false;
	for (size_t i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			quote = true;
	if (!quote) {
		cs_buf_add(b, s, len);
		return;
	}
	CS_BUF_LIT(b, "\"");
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			CS_BUF_LIT(b, "\"");
		cs_buf_add(b, s + i, 1);
	}
	CS_BUF_LIT(b, "\"");
}

static int render(const cs_model *m, int L, const struct cs_render_options *opt,
		  const struct cs_columns *cols, struct cs_buf *b)
{
	(void)L;
	struct cs_columns own;
	if (!cols) {
		char why[128];
		cs_columns_parse("name,type,output_shape,params,trainable_params,non_trainable_params",
				 &own, why, sizeof(why));
		cols = &own;
	}
	static const char *const names[] = {
		"layer", "name", "type", "output_shape", "params", "trainable_params",
		"non_trainable_params", "params_percent", "trainable", "kernel", "macs", "flops",
		"other_ops", "activation_bytes", "rf", "stride", "padding",
	};
	for (int c = 0; c < cols->n; c++) {
		if (c)
			CS_BUF_LIT(b, ",");
		cs_buf_str(b, names[cols->id[c]]);
	}
	CS_BUF_LIT(b, "\r\n");
	struct cs_buf cell = { 0 };
	struct cs_figures_walk w;
	struct cs_figures f;
	cs_figures_begin(m, &w);
	for (size_t i = 0; cs_figures_next(m, &w, &f) == 0; i++) {
		struct cs_layer_info li;
		cs_model_layer(m, i, &li);
		for (int c = 0; c < cols->n; c++) {
			cell.len = 0;
			cs_column_cell(cols->id[c], m, &li, &f, opt, true, &cell);
			if (c)
				CS_BUF_LIT(b, ",");
			field(b, cell.s ? cell.s : "", cell.len);
		}
		CS_BUF_LIT(b, "\r\n");
	}
	if (cell.failed)
		b->failed = true;
	cs_buf_free(&cell);
	return 0;
}

const struct cs_formatter cs_format_csv = { "csv", 0, 0, render };
