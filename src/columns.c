#include "columns.h"

#include <stdio.h>
#include <string.h>

#include "connections.h"
#include "diag.h"
#include "format.h"

enum {
	COL_LAYER, COL_NAME, COL_TYPE, COL_SHAPE, COL_PARAMS, COL_TRAINABLE_PARAMS,
	COL_NON_TRAINABLE_PARAMS, COL_PARAMS_PERCENT, COL_TRAINABLE, COL_KERNEL, COL_MACS,
	COL_FLOPS, COL_OTHER_OPS, COL_ACTIVATION_BYTES, COL_RF, COL_STRIDE, COL_PADDING,
	COL_CONNECTED_TO, NCOLUMNS
};

static const struct {
	const char *name;
	const char *header;
	bool right;
} columns[NCOLUMNS] = {
	[COL_LAYER] = { "layer", "Layer (type)", false },
	[COL_NAME] = { "name", "Name", false },
	[COL_TYPE] = { "type", "Type", false },
	[COL_SHAPE] = { "output_shape", "Output Shape", false },
	[COL_PARAMS] = { "params", "Param #", true },
	[COL_TRAINABLE_PARAMS] = { "trainable_params", "Trainable #", true },
	[COL_NON_TRAINABLE_PARAMS] = { "non_trainable_params", "Non-trainable #", true },
	[COL_PARAMS_PERCENT] = { "params_percent", "Params %", true },
	[COL_TRAINABLE] = { "trainable", "Trainable", false },
	[COL_KERNEL] = { "kernel", "Kernel", false },
	[COL_MACS] = { "macs", "MACs", true },
	[COL_FLOPS] = { "flops", "FLOPs", true },
	[COL_OTHER_OPS] = { "other_ops", "Other ops", true },
	[COL_ACTIVATION_BYTES] = { "activation_bytes", "Activations", true },
	[COL_RF] = { "rf", "Receptive field", false },
	[COL_STRIDE] = { "stride", "Eff. stride", false },
	[COL_PADDING] = { "jump", "Eff. padding", false },
	[COL_CONNECTED_TO] = { "connected_to", "Connected to", false },
};

int cs_columns_parse(const char *list, struct cs_columns *cols, char *why, size_t size)
{
	cols->n = 0;
	const char *p = list;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char word[64];
		snprintf(word, sizeof(word), "%.*s", (int)(len < 63 ? len : 63), p);
		int id = -1;
		for (int i = 0; i < NCOLUMNS; i++)
			if (!strcmp(columns[i].name, word))
				id = i;
		if (!strcmp(word, "padding"))	/* the plain name of `jump` */
			id = COL_PADDING;
		if (id < 0) {
			const char *names[NCOLUMNS];
			for (int i = 0; i < NCOLUMNS; i++)
				names[i] = columns[i].name;
			const char *near = cs_closest(word, names, NCOLUMNS);
			if (near)
				snprintf(why, size, "unknown column '%s'; did you mean '%s'?", word, near);
			else
				snprintf(why, size, "unknown column '%s'; expected layer, name, type, output_shape, "
					 "params, trainable_params, non_trainable_params, params_percent, trainable, "
					 "kernel, macs, flops, other_ops, activation_bytes, rf, stride, jump, "
					 "connected_to", word);
			return -1;
		}
		if (cols->n == CS_MAX_COLUMNS) {
			snprintf(why, size, "more than %d columns", CS_MAX_COLUMNS);
			return -1;
		}
		cols->id[cols->n++] = id;
		p += len + (end != NULL);
	}
	if (!cols->n) {
		snprintf(why, size, "no columns given");
		return -1;
	}
	return 0;
}

const char *cs_column_header(int id)
{
	return columns[id].header;
}

const char *cs_column_name(int id)
{
	return columns[id].name;
}

bool cs_column_right(int id)
{
	return columns[id].right;
}

const char *cs_format_si(int64_t n, char *buf, size_t size)
{
	static const char *const units[] = { "", " K", " M", " G", " T", " P" };
	if (n < 1000) {
		snprintf(buf, size, "%lld", (long long)n);
		return buf;
	}
	double v = (double)n;
	int u = 0;
	while (v >= 1000 && u < 5) {
		v /= 1000;
		u++;
	}
	snprintf(buf, size, "%.2f%s", v, units[u]);
	return buf;
}

static void count(struct cs_buf *b, int64_t n, bool raw)
{
	char buf[40];
	if (n < 0)
		CS_BUF_LIT(b, "?");
	else if (raw)
		cs_buf_int(b, n);
	else
		cs_buf_str(b, cs_format_count(n, true, buf, sizeof(buf)));
}

/* "1", "2.5": a figure that may be fractional after upsampling */
static void number(struct cs_buf *b, double v)
{
	if (v == (double)(int64_t)v)
		cs_buf_int(b, (int64_t)v);
	else
		cs_buf_printf(b, "%.4g", v);
}

static void per_axis(struct cs_buf *b, const double *v, int n, const char *sep)
{
	if (!n) {
		CS_BUF_LIT(b, "-");
		return;
	}
	for (int i = 0; i < n; i++) {
		if (i)
			cs_buf_str(b, sep);
		number(b, v[i]);
	}
}

/* "3x3" after prefix; with a prefix, nothing when every value is 1. */
static void per_axis_int(struct cs_buf *b, const char *prefix, const int64_t *v, int n)
{
	bool ones = true;
	for (int i = 0; i < n; i++)
		ones = ones && v[i] == 1;
	if (*prefix && ones)
		return;
	cs_buf_str(b, prefix);
	for (int i = 0; i < n; i++) {
		if (i)
			CS_BUF_LIT(b, "x");
		cs_buf_int(b, v[i]);
	}
}

void cs_column_cell(int id, const cs_model *m, size_t row, const struct cs_layer_info *li,
		    const struct cs_figures *f, const struct cs_render_options *opt, bool raw,
		    struct cs_buf *out)
{
	struct cs_totals t;
	int64_t params = li->trainable_params + li->non_trainable_params;
	/* torchinfo's rows are for the batch, as its total is */
	int64_t macs = f->macs;
	if (opt && opt->torchinfo && (id == COL_MACS || id == COL_FLOPS)) {
		int64_t file, batch = cs_figure_batch(m, opt, &file);
		if (f->mult_adds < 0 || __builtin_mul_overflow(f->mult_adds, batch, &macs))
			macs = -1;
	}
	switch (id) {
	case COL_LAYER:
		cs_buf_str(out, li->name);
		CS_BUF_LIT(out, " (");
		cs_buf_str(out, li->class_name);
		CS_BUF_LIT(out, ")");
		break;
	case COL_NAME:
		cs_buf_str(out, li->name);
		break;
	case COL_TYPE:
		cs_buf_str(out, li->class_name);
		break;
	case COL_SHAPE:
		cs_buf_row_shapes(out, m, row, CS_SHAPE_KERAS, false);
		break;
	case COL_CONNECTED_TO:
		if (!cs_buf_connections(out, m, row, ", "))
			cs_buf_char(out, '-', 1);
		break;
	case COL_PARAMS:
		count(out, params, raw);
		break;
	case COL_TRAINABLE_PARAMS:
		count(out, li->trainable_params, raw);
		break;
	case COL_NON_TRAINABLE_PARAMS:
		count(out, li->non_trainable_params, raw);
		break;
	case COL_PARAMS_PERCENT:
		cs_model_totals(m, &t);
		if (t.trainable_params + t.non_trainable_params > 0)
			cs_buf_printf(out, "%.2f%s", 100.0 * (double)params /
				      (double)(t.trainable_params + t.non_trainable_params), raw ? "" : "%");
		else
			CS_BUF_LIT(out, "0");
		break;
	case COL_TRAINABLE:
		cs_buf_str(out, !params ? "-" : li->trainable_params ? (li->non_trainable_params ? "partly" : "Y") : "N");
		break;
	case COL_KERNEL:
		if (!f->kernel_rank) {
			CS_BUF_LIT(out, "-");
			break;
		}
		/* 3x3, then " /2x2" and " d2x2" when not all ones */
		per_axis_int(out, "", f->kernel, f->kernel_rank);
		per_axis_int(out, " /", f->stride, f->kernel_rank);
		per_axis_int(out, " d", f->dilation, f->kernel_rank);
		break;
	case COL_MACS:
		count(out, macs, raw);
		break;
	case COL_FLOPS:
		count(out, cs_flops(macs), raw);
		break;
	case COL_OTHER_OPS:
		count(out, f->other_ops, raw);
		break;
	case COL_ACTIVATION_BYTES:
		count(out, f->activation_bytes, raw);
		break;
	case COL_RF:
		per_axis(out, f->receptive_field, f->naxes, "x");
		break;
	case COL_STRIDE:
		per_axis(out, f->effective_stride, f->naxes, "x");
		break;
	case COL_PADDING:
		per_axis(out, f->effective_padding, f->naxes, "x");
		break;
	}
}

int cs_columns_each(const cs_model *m, const struct cs_render_options *opt,
		     const struct cs_columns *cols, bool raw,
		     void (*cell)(void *ctx, size_t layer, int col, const char *s, size_t len),
		     void (*row_end)(void *ctx, size_t layer), void *ctx)
{
	struct cs_figures f;
	struct cs_buf text = { 0 };
	for (size_t i = 0; cs_model_layer_figures(m, i, &f) == 0; i++) {
		struct cs_layer_info li;
		cs_model_layer(m, i, &li);
		for (int c = 0; c < cols->n; c++) {
			text.len = 0;
			cs_column_cell(cols->id[c], m, i, &li, &f, opt, raw, &text);
			cell(ctx, i, c, text.s ? text.s : "", text.len);
		}
		if (row_end)
			row_end(ctx, i);
	}
	int rc = text.failed ? -1 : 0;
	cs_buf_free(&text);
	return rc;
}

int64_t cs_figure_batch(const cs_model *m, const struct cs_render_options *opt, int64_t *file)
{
	const int64_t *in = cs_model_input_dims(m);
	*file = in[0] >= 0 ? in[0] : -1;
	return opt && opt->batch_size > 0 ? opt->batch_size : *file >= 0 ? *file : 1;
}

void cs_figure_totals_start(const cs_model *m, const struct cs_render_options *opt,
			    struct cs_figure_totals *t)
{
	memset(t, 0, sizeof(*t));
	t->batch = cs_figure_batch(m, opt, &t->file_batch);
}

/* a + b, -1 when either is unknown or the sum overflows */
static int64_t sum(int64_t a, int64_t b)
{
	int64_t r;
	return a < 0 || b < 0 || __builtin_add_overflow(a, b, &r) ? -1 : r;
}

void cs_figure_totals_add(struct cs_figure_totals *t, const struct cs_figures *f)
{
	t->macs = sum(t->macs, f->macs);
	t->mult_adds = sum(t->mult_adds, f->mult_adds);
	t->other_ops = sum(t->other_ops, f->other_ops);
	t->activation_bytes = sum(t->activation_bytes, f->activation_bytes);
}

void cs_figure_totals_end(struct cs_figure_totals *t)
{
	if (t->activation_bytes > 0 && __builtin_mul_overflow(t->activation_bytes, t->batch, &t->activation_bytes))
		t->activation_bytes = -1;
	if (t->mult_adds > 0 && __builtin_mul_overflow(t->mult_adds, t->batch, &t->mult_adds))
		t->mult_adds = -1;
}

/* "--batch-size, over the file's batch_size of 2" when the option
 * overrides a different batch size of the file; else NULL. */
static const char *batch_override(const struct cs_figure_totals *t, char *buf, size_t size)
{
	if (t->file_batch < 0 || t->file_batch == t->batch)
		return NULL;
	snprintf(buf, size, "--batch-size, over the file's batch_size of %lld", (long long)t->file_batch);
	return buf;
}

void cs_torchinfo_footer(const cs_model *m, const struct cs_render_options *opt, const char *prefix,
			 const char *suffix, struct cs_buf *b)
{
	if (!opt || !opt->torchinfo)
		return;
	struct cs_figure_totals ft;
	struct cs_torchinfo t;
	char why[96];
	cs_figure_totals_start(m, opt, &ft);
	cs_model_torchinfo(m, ft.batch, &t);
	const char *source = batch_override(&ft, why, sizeof(why));
	if (!source)
		source = opt->batch_size > 0 ? "--batch-size" : ft.file_batch >= 0 ? "the file's batch_size"
			 : "no batch size given";
	cs_buf_printf(b, "%storchinfo's figures for a batch of %lld (%s):%s\n", prefix, (long long)ft.batch,
		      source, suffix);
	cs_buf_torchinfo_line(b, prefix, "Total mult-adds", t.mult_adds, false, suffix);
	cs_buf_torchinfo_line(b, prefix, "Input size", t.input_bytes, true, suffix);
	cs_buf_torchinfo_line(b, prefix, "Forward/backward pass size", t.forward_backward_bytes, true, suffix);
	cs_buf_torchinfo_line(b, prefix, "Params size", t.params_bytes, true, suffix);
	cs_buf_torchinfo_line(b, prefix, "Estimated Total Size", t.total_bytes, true, suffix);
}

void cs_figure_totals(const cs_model *m, const struct cs_render_options *opt,
		      struct cs_figure_totals *t)
{
	struct cs_figures f;
	cs_figure_totals_start(m, opt, t);
	for (size_t i = 0; cs_model_layer_figures(m, i, &f) == 0; i++)
		cs_figure_totals_add(t, &f);
	cs_figure_totals_end(t);
}

void cs_figure_footer(const cs_model *m, const struct cs_render_options *opt, const char *prefix,
		      const char *suffix, struct cs_buf *b)
{
	struct cs_figure_totals t;
	struct cs_totals p;
	char n[40], s[40];
	cs_figure_totals(m, opt, &t);
	cs_model_totals(m, &p);
	bool torch = opt && opt->torchinfo;
	int64_t macs = torch ? t.mult_adds : t.macs;
	if (macs < 0)
		cs_buf_printf(b, "%sTotal %s: unknown (an input size is None)%s\n", prefix,
			      torch ? "mult-adds" : "MACs", suffix);
	else if (torch)
		cs_buf_printf(b, "%sTotal mult-adds: %s (%s for a batch of %lld; torchinfo's convention: "
			      "weights times output positions)%s\n", prefix, cs_format_si(macs, n, sizeof(n)),
			      cs_format_count(macs, true, s, sizeof(s)), (long long)t.batch, suffix);
	else
		cs_buf_printf(b, "%sTotal MACs: %s (%s per sample; %s)%s\n", prefix,
			      cs_format_si(macs, n, sizeof(n)), cs_format_count(macs, true, s, sizeof(s)),
			      "multiply-accumulates of convolutions, Dense and Dot, bias excluded", suffix);
	if (cs_flops(macs) >= 0)
		cs_buf_printf(b, "%sTotal FLOPs: %s (2 per %s)%s\n", prefix, cs_format_si(cs_flops(macs), n, sizeof(n)),
			      torch ? "mult-add" : "MAC", suffix);
	else if (macs >= 0)
		cs_buf_printf(b, "%sTotal FLOPs: past 64 bits (2 per %s)%s\n", prefix, torch ? "mult-add" : "MAC",
			      suffix);
	if (t.other_ops >= 0)
		cs_buf_printf(b, "%sOther ops: %s (bias adds, activations, pooling, normalisation)%s\n", prefix,
			      cs_format_si(t.other_ops, n, sizeof(n)), suffix);
	char why[96];
	const char *override = batch_override(&t, why, sizeof(why));
	if (t.activation_bytes >= 0)
		cs_buf_printf(b, "%sActivation memory: %s (every layer's output, batch of %lld%s%s)%s\n", prefix,
			      cs_format_bytes(t.activation_bytes, "B", n, sizeof(n)), (long long)t.batch,
			      override ? ": " : "", override ? override : "", suffix);
	else
		cs_buf_printf(b, "%sActivation memory: unknown (an output size is None)%s\n", prefix, suffix);
	cs_buf_printf(b, "%sParameter memory: %s%s\n", prefix,
		      cs_format_bytes(p.trainable_bytes + p.non_trainable_bytes, "B", n, sizeof(n)), suffix);
	cs_torchinfo_footer(m, opt, prefix, suffix, b);
}
