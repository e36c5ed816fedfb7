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

static void cell(void *ctx, size_t layer, int col, const char *s, size_t len)
{
	(void)layer;
	if (col)
		CS_BUF_LIT((struct cs_buf *)ctx, ",");
	field(ctx, s, len);
}

static void row_end(void *ctx, size_t layer)
{
	(void)layer;
	CS_BUF_LIT((struct cs_buf *)ctx, "\r\n");
}

static int render(const cs_model *m, int L, const struct cs_render_options *opt,
		  const struct cs_columns *cols, struct cs_buf *b)
{
	(void)L;
	struct cs_columns own;
	if (!cols) {
		char why[128];
		cs_columns_parse(cs_model_is_functional(m)
				 ? "name,type,output_shape,params,trainable_params,non_trainable_params,connected_to"
				 : "name,type,output_shape,params,trainable_params,non_trainable_params",
				 &own, why, sizeof(why));
		cols = &own;
	}
	static const char *const names[] = {
		"layer", "name", "type", "output_shape", "params", "trainable_params",
		"non_trainable_params", "params_percent", "trainable", "kernel", "macs", "flops",
		"other_ops", "activation_bytes", "rf", "stride", "jump", "connected_to",
	};
	for (int c = 0; c < cols->n; c++) {
		if (c)
			CS_BUF_LIT(b, ",");
		cs_buf_str(b, names[cols->id[c]]);
	}
	CS_BUF_LIT(b, "\r\n");
	if (cs_columns_each(m, opt, cols, true, cell, row_end, b) < 0)
		b->failed = true;
	return 0;
}

const struct cs_formatter cs_format_csv = { "csv", 0, 0, render, NULL, NULL };
