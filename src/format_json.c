/* The JSON of shared/spec/outputs.md (keys in its order, integers as
 * integers, an unknown size as null), one layer a line, with every figure
 * of README's "Figures beyond Keras" added to each layer and the totals. */
#include <string.h>

#include "columns.h"
#include "format.h"

static void string(struct cs_buf *b, const char *s)
{
	CS_BUF_LIT(b, "\"");
	size_t plain = 0;
	while (s[plain] && s[plain] != '"' && s[plain] != '\\' && (unsigned char)s[plain] >= 0x20)
		plain++;
	if (!s[plain]) {
		cs_buf_add(b, s, plain);
		CS_BUF_LIT(b, "\"");
		return;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			char esc[2] = { '\\', (char)*p };
			cs_buf_add(b, esc, 2);
		} else if (*p < 0x20) {
			cs_buf_printf(b, "\\u%04x", *p);
		} else {
			cs_buf_add(b, (const char *)p, 1);
		}
	}
	CS_BUF_LIT(b, "\"");
}

static void shape(struct cs_buf *b, size_t rank, const int64_t *dims)
{
	CS_BUF_LIT(b, "[");
	for (size_t i = 0; i < rank; i++) {
		if (i)
			CS_BUF_LIT(b, ", ");
		if (dims[i] < 0)
			CS_BUF_LIT(b, "null");
		else
			cs_buf_int(b, dims[i]);
	}
	CS_BUF_LIT(b, "]");
}

static void count_or_null(struct cs_buf *b, int64_t v)
{
	if (v < 0)
		CS_BUF_LIT(b, "null");
	else
		cs_buf_int(b, v);
}

/* A figure per spatial axis: integers, or decimals after upsampling. */
static void axes(struct cs_buf *b, const double *v, int n)
{
	CS_BUF_LIT(b, "[");
	for (int i = 0; i < n; i++) {
		if (i)
			CS_BUF_LIT(b, ", ");
		if (v[i] == (double)(int64_t)v[i])
			cs_buf_int(b, (int64_t)v[i]);
		else
			cs_buf_printf(b, "%.6g", v[i]);
	}
	CS_BUF_LIT(b, "]");
}

static void explain(struct cs_buf *b, const char *text)
{
	CS_BUF_LIT(b, ", \"explain\": [");
	struct cs_buf one = { 0 };
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		one.len = 0;
		cs_buf_add(&one, line, len);
		if (line != text)
			CS_BUF_LIT(b, ", ");
		string(b, one.s ? one.s : "");
		line += len + (end != NULL);
	}
	cs_buf_free(&one);
	CS_BUF_LIT(b, "]");
}

static int render(const cs_model *m, int L, const struct cs_render_options *opt,
		  const struct cs_columns *cols, struct cs_buf *b)
{
	(void)L;
	(void)cols;	/* JSON always carries every figure */
	bool torch = opt && opt->torchinfo;
	CS_BUF_LIT(b, "{\n  \"name\": ");
	string(b, cs_model_name(m));
	CS_BUF_LIT(b, ",\n  \"input_shape\": ");
	shape(b, cs_model_input_rank(m), cs_model_input_dims(m));
	CS_BUF_LIT(b, ",\n  \"dtype\": ");
	string(b, cs_model_input_dtype(m));
	size_t n = cs_model_layer_count(m);
	cs_buf_str(b, n ? ",\n  \"layers\": [\n" : ",\n  \"layers\": [],\n");
	struct cs_figures_walk w;
	struct cs_figures f;
	struct cs_figure_totals ft;
	cs_figures_begin(m, &w);
	cs_figure_totals_start(m, opt, &ft);
	for (size_t i = 0; i < n; i++) {
		struct cs_layer_info li;
		cs_model_layer(m, i, &li);
		cs_figures_next(m, &w, &f);
		cs_figure_totals_add(&ft, &f);
		int64_t macs = torch ? f.mult_adds : f.macs;
		/* one layer a line: a changed layer is a changed line in a diff */
		CS_BUF_LIT(b, "    {\"name\": ");
		string(b, li.name);
		CS_BUF_LIT(b, ", \"type\": ");
		string(b, li.class_name);
		CS_BUF_LIT(b, ", \"output_shape\": ");
		shape(b, li.rank, li.dims);
		CS_BUF_LIT(b, ", \"params\": ");
		cs_buf_int(b, li.trainable_params + li.non_trainable_params);
		CS_BUF_LIT(b, ", \"trainable_params\": ");
		cs_buf_int(b, li.trainable_params);
		CS_BUF_LIT(b, ", \"non_trainable_params\": ");
		cs_buf_int(b, li.non_trainable_params);
		CS_BUF_LIT(b, ", \"macs\": ");
		count_or_null(b, macs);
		CS_BUF_LIT(b, ", \"flops\": ");
		count_or_null(b, cs_flops(macs));
		CS_BUF_LIT(b, ", \"other_ops\": ");
		count_or_null(b, f.other_ops);
		CS_BUF_LIT(b, ", \"activation_bytes\": ");
		count_or_null(b, f.activation_bytes);
		if (f.naxes) {
			CS_BUF_LIT(b, ", \"receptive_field\": ");
			axes(b, f.receptive_field, f.naxes);
			CS_BUF_LIT(b, ", \"effective_stride\": ");
			axes(b, f.effective_stride, f.naxes);
			CS_BUF_LIT(b, ", \"effective_padding\": ");
			axes(b, f.effective_padding, f.naxes);
		}
		if (li.explain)
			explain(b, li.explain);
		cs_buf_str(b, i + 1 < n ? "},\n" : "}\n");
	}
	if (n)
		CS_BUF_LIT(b, "  ],\n");
	struct cs_totals t;
	cs_model_totals(m, &t);
	cs_figure_totals_end(&ft);
	int64_t macs = torch ? ft.mult_adds : ft.macs;
	CS_BUF_LIT(b, "  \"total_params\": ");
	cs_buf_int(b, t.trainable_params + t.non_trainable_params);
	CS_BUF_LIT(b, ",\n  \"trainable_params\": ");
	cs_buf_int(b, t.trainable_params);
	CS_BUF_LIT(b, ",\n  \"non_trainable_params\": ");
	cs_buf_int(b, t.non_trainable_params);
	CS_BUF_LIT(b, ",\n  \"total_bytes\": ");
	cs_buf_int(b, t.trainable_bytes + t.non_trainable_bytes);
	CS_BUF_LIT(b, ",\n  \"trainable_bytes\": ");
	cs_buf_int(b, t.trainable_bytes);
	CS_BUF_LIT(b, ",\n  \"non_trainable_bytes\": ");
	cs_buf_int(b, t.non_trainable_bytes);
	CS_BUF_LIT(b, ",\n  \"total_macs\": ");
	count_or_null(b, macs);
	CS_BUF_LIT(b, ",\n  \"total_flops\": ");
	count_or_null(b, cs_flops(macs));
	CS_BUF_LIT(b, ",\n  \"total_other_ops\": ");
	count_or_null(b, ft.other_ops);
	CS_BUF_LIT(b, ",\n  \"total_activation_bytes\": ");
	count_or_null(b, ft.activation_bytes);
	CS_BUF_LIT(b, ",\n  \"activation_batch\": ");
	cs_buf_int(b, ft.batch);
	cs_buf_str(b, torch ? ",\n  \"macs_convention\": \"torchinfo: bias additions included\"\n}\n"
			    : ",\n  \"macs_convention\": \"bias excluded\"\n}\n");
	return 0;
}

const struct cs_formatter cs_format_json = { "json", 0, 0, render };
