/* A GitHub-flavoured Markdown table (Keras's three columns unless others
 * are asked for), then the totals, for documentation and pull requests. */
#include "columns.h"
#include "format.h"

#include <string.h>


static void cell(void *ctx, size_t layer, int col, const char *s, size_t len)
{
	(void)layer;
	struct cs_buf *b = ctx;
	cs_buf_str(b, col ? " " : "| ");
	cs_buf_markdown(b, s, len);
	CS_BUF_LIT(b, " |");
}

static void row_end(void *ctx, size_t layer)
{
	(void)layer;
	CS_BUF_LIT((struct cs_buf *)ctx, "\n");
}

static int render(const cs_model *m, int L, const struct cs_render_options *opt,
		  const struct cs_columns *cols, struct cs_buf *b)
{
	(void)L;
	char num[32], size[64];
	struct cs_columns own;
	bool extra = cols != NULL;
	if (!cols) {
		char why[128];
		cs_columns_parse(cs_model_has_connections(m) ? "layer,output_shape,params,connected_to"
				 : "layer,output_shape,params", &own, why, sizeof(why));
		cols = &own;
	}
	CS_BUF_LIT(b, "**Model: \"");
	cs_buf_markdown(b, cs_model_name(m), strlen(cs_model_name(m)));
	CS_BUF_LIT(b, "\"**\n\n|");
	for (int c = 0; c < cols->n; c++)
		cs_buf_printf(b, " %s |", cs_column_header(cols->id[c]));
	CS_BUF_LIT(b, "\n|");
	for (int c = 0; c < cols->n; c++)
		cs_buf_str(b, cs_column_right(cols->id[c]) ? " ---: |" : " --- |");
	CS_BUF_LIT(b, "\n");
	if (cs_columns_each(m, opt, cols, false, cell, row_end, b) < 0)
		b->failed = true;
	struct cs_totals t;
	cs_model_totals(m, &t);
	cs_buf_printf(b, "\n**Total params:** %s (%s)  \n",
		      cs_format_count(t.trainable_params + t.non_trainable_params, true, num, sizeof(num)),
		      cs_format_bytes(t.trainable_bytes + t.non_trainable_bytes, "B", size, sizeof(size)));
	cs_buf_printf(b, "**Trainable params:** %s (%s)  \n",
		      cs_format_count(t.trainable_params, true, num, sizeof(num)),
		      cs_format_bytes(t.trainable_bytes, "B", size, sizeof(size)));
	cs_buf_printf(b, "**Non-trainable params:** %s (%s)%s\n",
		      cs_format_count(t.non_trainable_params, true, num, sizeof(num)),
		      cs_format_bytes(t.non_trainable_bytes, "B", size, sizeof(size)),
		      extra || (opt && opt->torchinfo) ? "  " : "");
	if (extra)
		cs_figure_footer(m, opt, "", "  ", b);
	else
		cs_torchinfo_footer(m, opt, "", "  ", b);
	return 0;
}

const struct cs_formatter cs_format_markdown = { "markdown", 0, 0, render, NULL, NULL };

