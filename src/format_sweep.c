/*
 * --input-shape: a resolution sweep, the model at each input a row, as a
 * text table or as one JSON object per file.  Each row shows the input,
 * the last layer's output shape, the sum of every layer's MACs (or
 * torchinfo's mult-adds) and of its activations, or why that input fails.
 */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "format.h"

/* a + b; -1 unknown, -2 past 64 bits */
static int64_t sweep_sum(int64_t a, int64_t b)
{
	int64_t r;
	if (a == -2 || b == -2)
		return -2;
	if (a < 0 || b < 0)
		return -1;
	return __builtin_add_overflow(a, b, &r) ? -2 : r;
}

static void sweep_count(struct cs_buf *b, int64_t v, bool json)
{
	if (v >= 0)
		cs_buf_int(b, v);
	else
		cs_buf_str(b, json ? "null" : v == -2 ? "overflow" : "?");
}

void cs_sweep_begin(struct cs_sweep *s, const char *name, const char *shown)
{
	s->rows = 0;
	if (s->json) {
		CS_BUF_LIT(s->b, "{\n  \"file\": ");
		cs_buf_json_string(s->b, name);
		CS_BUF_LIT(s->b, ",\n  \"sweep\": [");
	} else {
		CS_BUF_LIT(s->b, "Sweep of ");
		cs_buf_str(s->b, shown);
		cs_buf_printf(s->b, " (%s)\n %-26s %-22s %14s %14s\n",
			      s->torchinfo ? "torchinfo's mult-adds per sample" : "MACs per sample, bias excluded",
			      "Input shape", "Output shape", s->torchinfo ? "Mult-adds" : "MACs", "Activations");
	}
}

/* The row's input: JSON's key, or the text cell into in. */
static void row_start(struct cs_sweep *s, int64_t batch, const int64_t *sample, size_t rank,
		      struct cs_buf *in)
{
	int64_t shape[CS_SWEEP_RANK + 1] = { batch };
	memcpy(shape + 1, sample, rank * sizeof(shape[0]));
	cs_buf_shape(in, rank + 1, shape, false);
	if (s->json) {
		cs_buf_str(s->b, s->rows ? ",\n    {\"input_shape\": " : "\n    {\"input_shape\": ");
		cs_buf_json_shape(s->b, rank + 1, shape);
	}
	s->rows++;
}

static void row_end(struct cs_sweep *s, struct cs_buf *in)
{
	if (in->failed)
		s->b->failed = true;
	cs_buf_free(in);
}

void cs_sweep_row(struct cs_sweep *s, const int64_t *sample, size_t rank, const cs_model *m)
{
	struct cs_buf *b = s->b, in = { 0 };
	/* the input with the model's own batch size */
	row_start(s, cs_model_input_dims(m)[0], sample, rank, &in);
	size_t n = cs_model_layer_count(m);
	struct cs_layer_info li;
	const int64_t *dims;
	size_t out_rank;
	if (n) {
		cs_model_layer(m, n - 1, &li);
		dims = li.dims;
		out_rank = li.rank;
	} else {
		dims = cs_model_input_dims(m);
		out_rank = cs_model_input_rank(m);
	}
	struct cs_figures f;
	int64_t macs = 0, act = 0;
	for (size_t i = 0; cs_model_layer_figures(m, i, &f) == 0; i++) {
		macs = sweep_sum(macs, s->torchinfo ? f.mult_adds : f.macs);
		act = sweep_sum(act, f.activation_bytes);
	}
	if (s->json) {
		CS_BUF_LIT(b, ", \"output_shape\": ");
		cs_buf_json_shape(b, out_rank, dims);
		CS_BUF_LIT(b, ", \"macs\": ");
		sweep_count(b, macs, true);
		CS_BUF_LIT(b, ", \"activation_bytes\": ");
		sweep_count(b, act, true);
		CS_BUF_LIT(b, "}");
	} else {
		struct cs_buf out = { 0 }, mm = { 0 };
		cs_buf_shape(&out, out_rank, dims, false);
		sweep_count(&mm, macs, false);
		char a[64];
		if (act >= 0)
			snprintf(a, sizeof(a), "%.2f MB", (double)act / 1048576.0);
		else
			snprintf(a, sizeof(a), "%s", act == -2 ? "overflow" : "?");
		cs_buf_printf(b, " %-26s %-22s %14s %14s\n", in.s ? in.s : "?", out.s ? out.s : "?",
			      mm.s ? mm.s : "?", a);
		if (out.failed || mm.failed)
			b->failed = true;
		cs_buf_free(&out);
		cs_buf_free(&mm);
	}
	row_end(s, &in);
}

void cs_sweep_fail(struct cs_sweep *s, const int64_t *sample, size_t rank, const struct cs_error *err)
{
	struct cs_buf *b = s->b, in = { 0 };
	row_start(s, CS_NONE, sample, rank, &in);
	if (s->json) {
		cs_buf_printf(b, ", \"error\": {\"line\": %u, \"column\": %u, \"message\": ", err->line,
			      err->column);
		cs_buf_json_string(b, err->message);
		CS_BUF_LIT(b, "}}");
	} else {
		cs_buf_printf(b, " %-26s fails", in.s ? in.s : "?");
		if (err->line)
			cs_buf_printf(b, " at line %u", err->line);
		CS_BUF_LIT(b, ": ");
		cs_buf_escaped(b, err->message, strlen(err->message));
		CS_BUF_LIT(b, "\n");
	}
	row_end(s, &in);
}

void cs_sweep_end(struct cs_sweep *s)
{
	if (s->json)
		CS_BUF_LIT(s->b, "\n  ]\n}\n");
}

void cs_sweep_unreadable(struct cs_sweep *s, const char *name, const char *why)
{
	if (!s->json)
		return;
	CS_BUF_LIT(s->b, "{\n  \"file\": ");
	cs_buf_json_string(s->b, name);
	CS_BUF_LIT(s->b, ",\n  \"error\": {\"message\": ");
	cs_buf_json_string(s->b, why);
	CS_BUF_LIT(s->b, "}\n}\n");
}
