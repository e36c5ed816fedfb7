/* The JSON of --format json (keys in the order of the references
 * tests/conformance/NAME.keras3.json, integers as integers, an unknown
 * size as null), one layer a line, with every figure of README's
 * "Figures beyond Keras" added to each layer and the totals. */
#include <stdio.h>
#include <string.h>

#include "columns.h"
#include "connections.h"
#include "format.h"

/* The writers below fill room reserved in the buffer: at most
 * string_room() bytes for a string, 24 a dimension, 32 a figure. */
static size_t string_room(const char *s)
{
	return CS_JSON_TEXT_ROOM(strlen(s));
}

static char *put_string(char *p, const char *s)
{
	return cs_put_json_text(p, s, strlen(s));
}

static char *put_count(char *p, int64_t v)
{
	return v < 0 ? CS_PUT_LIT(p, "null") : cs_put_int(p, v);
}

static void count_or_null(struct cs_buf *b, int64_t v)
{
	char *p = cs_buf_reserve(b, CS_INT_MAX_CHARS);
	if (p)
		cs_buf_commit(b, put_count(p, v));
}

/* A figure per spatial axis: integers, or decimals after upsampling. */
static char *put_axes(char *p, const double *v, int n)
{
	*p++ = '[';
	for (int i = 0; i < n; i++) {
		if (i)
			p = CS_PUT_LIT(p, ", ");
		if (v[i] == (double)(int64_t)v[i])
			p = cs_put_int(p, (int64_t)v[i]);
		else
			p += snprintf(p, 30, "%.6g", v[i]);
	}
	*p++ = ']';
	return p;
}

/* From ", \"params\"" to the activation bytes: counts are trainable,
 * non-trainable, MACs, other ops and activation bytes. */
static char *put_counts(char *p, const int64_t counts[5])
{
	p = CS_PUT_LIT(p, ", \"params\": ");
	p = cs_put_int(p, counts[0] + counts[1]);
	p = CS_PUT_LIT(p, ", \"trainable_params\": ");
	p = cs_put_int(p, counts[0]);
	p = CS_PUT_LIT(p, ", \"non_trainable_params\": ");
	p = cs_put_int(p, counts[1]);
	p = CS_PUT_LIT(p, ", \"macs\": ");
	p = put_count(p, counts[2]);
	p = CS_PUT_LIT(p, ", \"flops\": ");
	p = put_count(p, cs_flops(counts[2]));
	p = CS_PUT_LIT(p, ", \"other_ops\": ");
	p = put_count(p, counts[3]);
	p = CS_PUT_LIT(p, ", \"activation_bytes\": ");
	return put_count(p, counts[4]);
}

/* A list of references as JSON strings. */
static void json_tensor(struct cs_buf *b, const cs_model *m, struct cs_tensor t, struct cs_buf *tmp)
{
	tmp->len = 0;
	cs_buf_reference(tmp, m, t);
	cs_buf_char(tmp, '\0', 1);
	cs_buf_json_string(b, tmp->failed ? "" : tmp->s);
}

/* A Functional row's "inputs": its Connected-to references. */
static void row_inputs(struct cs_buf *b, const cs_model *m, size_t row, struct cs_buf *tmp)
{
	CS_BUF_LIT(b, ", \"inputs\": [");
	size_t n = 0;
	for (size_t c = 0, nc = cs_model_layer_call_count(m, row); c < nc; c++)
		for (size_t k = 0, nk = cs_model_layer_call_input_count(m, row, c); k < nk; k++) {
			if (n++)
				CS_BUF_LIT(b, ", ");
			json_tensor(b, m, cs_model_layer_call_input(m, row, c, k), tmp);
		}
	cs_buf_char(b, ']', 1);
}

/*
 * Most rows of a real network repeat a few others (a block's Conv2D,
 * BatchNormalization and ReLU): a row's text from its type to its
 * activation bytes, and its receptive field's, are kept with the values
 * that made them, and a row of the same values copies the kept text in
 * place of formatting it again.  Texts longer than a slot are not kept.
 */
#define MEMO_SLOTS 16	/* the middle texts, by class name: a power of 2 */
#define MEMO_TEXT 384
#define MEMO_RANK 8

struct mid_memo {
	const char *class_name;	/* NULL: empty; a name's text is fixed while
				 * the model lives, so the pointer is its key */
	size_t rank;
	int64_t dims[MEMO_RANK];
	int64_t counts[5];	/* trainable, non-trainable, macs, other ops,
				 * activation bytes */
	size_t len;
	char text[MEMO_TEXT];
};

struct field_memo {
	int naxes;		/* 0: empty */
	double axes[3][3];	/* receptive field, stride, padding */
	size_t len;
	char text[MEMO_TEXT];
};

struct row_memo {
	struct mid_memo mid[MEMO_SLOTS];
	struct field_memo field;
};

static struct mid_memo *mid_slot(struct row_memo *memo, const char *class_name)
{
	uint64_t h = (uint64_t)(uintptr_t)class_name * 0x9e3779b97f4a7c15u;
	return &memo->mid[h >> 60 & (MEMO_SLOTS - 1)];
}

/* From ", \"type\"" to the activation bytes, for a row of one output. */
static char *put_mid(char *p, const struct cs_layer_info *li, size_t rank, const int64_t *dims,
		     const int64_t counts[5], struct row_memo *memo)
{
	struct mid_memo *slot = mid_slot(memo, li->class_name);
	if (slot->class_name == li->class_name && slot->rank == rank &&
	    !memcmp(slot->counts, counts, sizeof(slot->counts)) &&
	    !memcmp(slot->dims, dims, rank * sizeof(*dims))) {
		memcpy(p, slot->text, slot->len);
		return p + slot->len;
	}
	char *start = p;
	p = CS_PUT_LIT(p, ", \"type\": ");
	p = put_string(p, li->class_name);
	p = CS_PUT_LIT(p, ", \"output_shape\": ");
	p = cs_put_json_shape(p, rank, dims);
	p = put_counts(p, counts);
	size_t len = (size_t)(p - start);
	if (rank <= MEMO_RANK && len <= MEMO_TEXT) {
		slot->class_name = li->class_name;
		slot->rank = rank;
		memcpy(slot->dims, dims, rank * sizeof(*dims));
		memcpy(slot->counts, counts, sizeof(slot->counts));
		slot->len = len;
		memcpy(slot->text, start, len);
	}
	return p;
}

/* The receptive field's three lists, when the row has one. */
static char *put_field(char *p, const struct cs_figures *f, struct field_memo *memo)
{
	size_t bytes = (size_t)f->naxes * sizeof(double);
	if (memo->naxes == f->naxes && !memcmp(memo->axes[0], f->receptive_field, bytes) &&
	    !memcmp(memo->axes[1], f->effective_stride, bytes) &&
	    !memcmp(memo->axes[2], f->effective_padding, bytes)) {
		memcpy(p, memo->text, memo->len);
		return p + memo->len;
	}
	char *start = p;
	p = CS_PUT_LIT(p, ", \"receptive_field\": ");
	p = put_axes(p, f->receptive_field, f->naxes);
	p = CS_PUT_LIT(p, ", \"effective_stride\": ");
	p = put_axes(p, f->effective_stride, f->naxes);
	p = CS_PUT_LIT(p, ", \"effective_padding\": ");
	p = put_axes(p, f->effective_padding, f->naxes);
	size_t len = (size_t)(p - start);
	if (len <= MEMO_TEXT) {
		memo->naxes = f->naxes;
		memcpy(memo->axes[0], f->receptive_field, bytes);
		memcpy(memo->axes[1], f->effective_stride, bytes);
		memcpy(memo->axes[2], f->effective_padding, bytes);
		memo->len = len;
		memcpy(memo->text, start, len);
	}
	return p;
}

/* One layer, on one line: a changed layer is a changed line in a diff. */
static void layer(struct cs_buf *b, const cs_model *m, size_t row, const struct cs_layer_info *li,
		  const struct cs_figures *f, int64_t macs, struct row_memo *memo)
{
	const int64_t *dims;
	size_t rank = 0, nout = cs_model_layer_output_count(m, row);
	if (nout == 1)
		rank = cs_model_layer_output(m, row, 0, &dims);
	/* the whole line's room at once, so that no flush moves it */
	char *p = cs_buf_reserve(b, 512 + string_room(li->name) + string_room(li->class_name) +
				 CS_JSON_SHAPE_ROOM(rank) + 3 * 32 * (size_t)f->naxes);
	if (!p)
		return;
	p = CS_PUT_LIT(p, "    {\"name\": ");
	p = put_string(p, li->name);
	const int64_t counts[5] = { li->trainable_params, li->non_trainable_params, macs, f->other_ops,
				    f->activation_bytes };
	if (nout == 1) {
		p = put_mid(p, li, rank, dims, counts, memo);
	} else {
		/* several outputs: a list of shapes, written as it goes */
		p = CS_PUT_LIT(p, ", \"type\": ");
		p = put_string(p, li->class_name);
		p = CS_PUT_LIT(p, ", \"output_shape\": ");
		cs_buf_commit(b, p);
		cs_buf_row_shapes(b, m, row, CS_SHAPE_JSON, false);
		p = cs_buf_reserve(b, 512 + 3 * 32 * (size_t)f->naxes);
		if (!p)
			return;
		p = put_counts(p, counts);
	}
	if (f->naxes)
		p = put_field(p, f, &memo->field);
	cs_buf_commit(b, p);
}

static void explain(struct cs_buf *b, const char *text)
{
	CS_BUF_LIT(b, ", \"explain\": [");
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *p = cs_buf_reserve(b, 6 * len + 4);
		if (!p)
			return;
		if (line != text)
			p = CS_PUT_LIT(p, ", ");
		cs_buf_commit(b, cs_put_json_text(p, line, len));
		line += len + (end != NULL);
	}
	CS_BUF_LIT(b, "]");
}

/* Every layer's row, and the figures' totals. */
static void rows(const cs_model *m, size_t n, bool torch, struct cs_figure_totals *totals,
		 struct cs_buf *b)
{
	struct cs_figures f;
	struct cs_buf tmp = { 0 };
	struct row_memo memo;
	for (size_t k = 0; k < MEMO_SLOTS; k++)
		memo.mid[k].class_name = NULL;
	memo.field.naxes = 0;
	bool graph = cs_model_is_functional(m);
	for (size_t i = 0; i < n; i++) {
		struct cs_layer_info li;
		cs_model_layer(m, i, &li);
		cs_model_layer_figures(m, i, &f);
		cs_figure_totals_add(totals, &f);
		/* torchinfo's rows are for the batch, as its total is */
		int64_t macs = f.macs;
		if (torch && (f.mult_adds < 0 || __builtin_mul_overflow(f.mult_adds, totals->batch, &macs)))
			macs = -1;
		layer(b, m, i, &li, &f, macs, &memo);
		if (graph)
			row_inputs(b, m, i, &tmp);
		if (li.explain)
			explain(b, li.explain);
		cs_buf_str(b, i + 1 < n ? "},\n" : "}\n");
	}
	if (tmp.failed)
		b->failed = true;
	cs_buf_free(&tmp);
}

/* A Functional model's inputs and outputs, as references. */
static void model_ends(struct cs_buf *b, const cs_model *m)
{
	struct cs_buf tmp = { 0 };
	CS_BUF_LIT(b, ",\n  \"inputs\": [");
	for (size_t k = 0, n = cs_model_input_count(m); k < n; k++) {
		struct cs_tensor t = { 1, k, 0, 0 };
		if (k)
			CS_BUF_LIT(b, ", ");
		json_tensor(b, m, t, &tmp);
	}
	CS_BUF_LIT(b, "],\n  \"outputs\": [");
	for (size_t k = 0, n = cs_model_output_count(m); k < n; k++) {
		if (k)
			CS_BUF_LIT(b, ", ");
		json_tensor(b, m, cs_model_output(m, k), &tmp);
	}
	cs_buf_char(b, ']', 1);
	if (tmp.failed)
		b->failed = true;
	cs_buf_free(&tmp);
}

static int render(const cs_model *m, int L, const struct cs_render_options *opt,
		  const struct cs_columns *cols, struct cs_buf *b)
{
	(void)L;
	(void)cols;	/* JSON always carries every figure */
	bool torch = opt && opt->torchinfo;
	CS_BUF_LIT(b, "{\n  \"name\": ");
	cs_buf_json_string(b, cs_model_name(m));
	if (cs_model_keras_version(m)) {	/* read from a .keras archive */
		CS_BUF_LIT(b, ",\n  \"keras_version\": ");
		cs_buf_json_string(b, cs_model_keras_version(m));
	}
	CS_BUF_LIT(b, ",\n  \"input_shape\": ");
	cs_buf_json_shape(b, cs_model_input_rank(m), cs_model_input_dims(m));
	CS_BUF_LIT(b, ",\n  \"dtype\": ");
	cs_buf_json_string(b, cs_model_input_dtype(m));
	if (cs_model_is_functional(m))
		model_ends(b, m);
	size_t n = cs_model_layer_count(m);
	cs_buf_str(b, n ? ",\n  \"layers\": [\n" : ",\n  \"layers\": [],\n");
	struct cs_figure_totals ft;
	cs_figure_totals_start(m, opt, &ft);
	rows(m, n, torch, &ft, b);
	if (n)
		CS_BUF_LIT(b, "  ],\n");
	struct cs_totals t;
	cs_model_totals(m, &t);
	cs_figure_totals_end(&ft);
	int64_t macs = torch ? ft.mult_adds : ft.macs;
	/* the totals, in the references' order; a figure not known is null */
	const struct {
		const char *key;
		int64_t value;
	} totals[] = {
		{ "total_params", t.trainable_params + t.non_trainable_params },
		{ "trainable_params", t.trainable_params },
		{ "non_trainable_params", t.non_trainable_params },
		{ "total_bytes", t.trainable_bytes + t.non_trainable_bytes },
		{ "trainable_bytes", t.trainable_bytes },
		{ "non_trainable_bytes", t.non_trainable_bytes },
		{ "total_macs", macs },
		{ "total_flops", cs_flops(macs) },
		{ "total_other_ops", ft.other_ops },
		{ "total_activation_bytes", ft.activation_bytes },
		{ "activation_batch", ft.batch },
	};
	for (size_t i = 0; i < sizeof(totals) / sizeof(totals[0]); i++) {
		cs_buf_str(b, i ? ",\n  \"" : "  \"");
		cs_buf_str(b, totals[i].key);
		CS_BUF_LIT(b, "\": ");
		count_or_null(b, totals[i].value);
	}
	if (torch) {
		/* torchinfo's footer, in bytes (README, "--convention torchinfo") */
		struct cs_torchinfo ti;
		cs_model_torchinfo(m, ft.batch, &ti);
		const struct {
			const char *key;
			int64_t value;
		} lines[] = {
			{ "batch", ft.batch },
			{ "mult_adds", ti.mult_adds },
			{ "input_bytes", ti.input_bytes },
			{ "forward_backward_bytes", ti.forward_backward_bytes },
			{ "params_bytes", ti.params_bytes },
			{ "total_bytes", ti.total_bytes },
		};
		CS_BUF_LIT(b, ",\n  \"torchinfo\": {");
		for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
			cs_buf_printf(b, "%s\"%s\": ", i ? ", " : "", lines[i].key);
			count_or_null(b, lines[i].value);
		}
		CS_BUF_LIT(b, "}");
	}
	cs_buf_str(b, torch ? ",\n  \"macs_convention\": \"torchinfo: mult-adds for the batch\"\n}\n"
			    : ",\n  \"macs_convention\": \"bias excluded\"\n}\n");
	return 0;
}

const struct cs_formatter cs_format_json = { "json", 0, 0, render, NULL, NULL };

