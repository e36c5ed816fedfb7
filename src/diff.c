/*
 * Model diff: which layers were added, removed or changed between two
 * models, and how the totals moved.  Layers are paired along a longest
 * common subsequence of keys (class, plus the name when it was given
 * explicitly), after the common prefix and suffix are taken off, so one
 * inserted layer reads as one addition even when automatic names shift.
 */
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#include "diag.h"
#include "lcs.h"
#include "format.h"
#include "model.h"

enum op_kind { OP_SAME, OP_CHANGED, OP_ADDED, OP_REMOVED };

struct op {
	enum op_kind kind;
	size_t a, b;		/* indexes into the old and new models */
};

struct ops {
	struct op *v;
	size_t n, cap;
	bool failed;
};

static void add_op(struct ops *o, enum op_kind k, size_t a, size_t b)
{
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		struct op *v = realloc(o->v, cap * sizeof(*v));
		if (!v) {
			o->failed = true;
			return;
		}
		o->v = v;
		o->cap = cap;
	}
	o->v[o->n++] = (struct op){ k, a, b };
}

/* A layer's name for printing: automatic ones are written into buf. */
#define NAME_BUF 128
static const char *nm(const struct cs_layer *l, char *buf)
{
	return cs_layer_name(l, buf, NAME_BUF);
}

static bool same_key(const struct cs_layer *x, const struct cs_layer *y)
{
	if (x->cls != y->cls)
		return false;
	if (x->name || y->name)
		return x->name && y->name && !strcmp(x->name, y->name);
	return true;
}

static int64_t bytes_of(const struct cs_model *m, const struct cs_layer *l)
{
	return cs_layer_trainable_bytes(m, l) + cs_layer_non_trainable_bytes(m, l);
}

static bool same_row(const struct cs_model *A, const struct cs_layer *x, const struct cs_model *B,
		     const struct cs_layer *y)
{
	char bx[NAME_BUF], by[NAME_BUF];
	return !strcmp(nm(x, bx), nm(y, by)) && x->rank == y->rank &&
	       !memcmp(x->dims, y->dims, (size_t)x->rank * sizeof(int64_t)) &&
	       x->trainable_params == y->trainable_params &&
	       x->non_trainable_params == y->non_trainable_params &&
	       cs_layer_trainable_bytes(A, x) == cs_layer_trainable_bytes(B, y) &&
	       cs_layer_non_trainable_bytes(A, x) == cs_layer_non_trainable_bytes(B, y);
}

/* The largest middle part for which the quadratic table is built. */
#define LCS_MAX_CELLS (16u * 1024 * 1024)

struct align_ctx {
	const struct cs_model *a, *b;
	struct ops *o;
};

static bool key_eq(const void *ctx, size_t i, size_t j)
{
	const struct align_ctx *c = ctx;
	return same_key(cs_model_at(c->a, i), cs_model_at(c->b, j));
}

static void key_step(void *ctx, enum cs_lcs_step kind, size_t i, size_t j)
{
	struct align_ctx *c = ctx;
	if (kind == CS_LCS_BOTH)
		add_op(c->o, same_row(c->a, cs_model_at(c->a, i), c->b, cs_model_at(c->b, j)) ? OP_SAME : OP_CHANGED,
		       i, j);
	else if (kind == CS_LCS_ONLY_A)
		add_op(c->o, OP_REMOVED, i, 0);
	else
		add_op(c->o, OP_ADDED, 0, j);
}

static void align(const struct cs_model *A, const struct cs_model *B, struct ops *o)
{
	struct align_ctx c = { A, B, o };
	if (cs_lcs_walk(A->nlayers, B->nlayers, key_eq, key_step, &c, LCS_MAX_CELLS) < 0)
		o->failed = true;	/* a coarser pairing than the one asked for */
}

static int64_t total(const struct cs_totals *t)
{
	return t->trainable_params + t->non_trainable_params;
}

/* "+1,280 params (+3.2%)", "-5 (-0.1%)", "no change" */
static void change(struct cs_buf *b, int64_t from, int64_t to, const char *unit)
{
	char num[40];
	if (from == to) {
		cs_buf_str(b, "no change");
		return;
	}
	int64_t d = to - from;
	cs_buf_printf(b, "%s%s", d > 0 ? "+" : "-", cs_format_count(d > 0 ? d : -d, true, num, sizeof(num)));
	if (unit)
		cs_buf_printf(b, " %s", unit);
	if (from > 0)
		cs_buf_printf(b, " (%+.1f%%)", 100.0 * (double)d / (double)from);
}

static void shape(struct cs_buf *b, const struct cs_layer *l)
{
	cs_buf_shape(b, (size_t)l->rank, l->dims, false);
}

static int64_t params(const struct cs_layer *l)
{
	return l->trainable_params + l->non_trainable_params;
}

/* ---- text and markdown ------------------------------------------------------ */

/* Names and labels in Markdown, escaped as --format markdown escapes them. */
static void md_text(struct cs_buf *b, const char *s)
{
	cs_buf_markdown(b, s, strlen(s));
}

/* "old → new" */
static void md_layer_labels(struct cs_buf *b, const char *from, const char *to)
{
	md_text(b, from);
	cs_buf_str(b, " → ");
	md_text(b, to);
}

/* "name (Class)", or "old → new (Class)" */
static void md_layer(struct cs_buf *b, const char *old_name, const char *name, const char *cls)
{
	if (old_name) {
		md_text(b, old_name);
		cs_buf_str(b, " → ");
	}
	md_text(b, name);
	cs_buf_str(b, " (");
	md_text(b, cls);
	cs_buf_str(b, ")");
}

static void text_layer_change(struct cs_buf *b, const struct cs_model *A, const struct cs_layer *x,
			      const struct cs_model *B, const struct cs_layer *y, bool md)
{
	char bx[NAME_BUF], by[NAME_BUF];
	const char *xn = nm(x, bx), *yn = nm(y, by);
	char n1[40], n2[40];
	bool shape_changed = x->rank != y->rank ||
			     memcmp(x->dims, y->dims, (size_t)x->rank * sizeof(int64_t));
	if (md) {
		cs_buf_str(b, "| ~ | ");
		md_layer(b, strcmp(xn, yn) ? xn : NULL, yn, cs_layer_cls(y)->name);
		cs_buf_str(b, " | ");
		shape(b, x);
		if (shape_changed) {
			cs_buf_str(b, " → ");
			shape(b, y);
		}
		cs_buf_printf(b, " | %s", cs_format_count(params(x), true, n1, sizeof(n1)));
		if (params(x) != params(y)) {
			cs_buf_printf(b, " → %s, ", cs_format_count(params(y), true, n2, sizeof(n2)));
			change(b, params(x), params(y), NULL);
		}
		cs_buf_str(b, " |\n");
		return;
	}
	cs_buf_str(b, "~ ");
	if (strcmp(xn, yn))
		cs_buf_printf(b, "%s -> %s (%s)", xn, yn, cs_layer_cls(y)->name);
	else
		cs_buf_printf(b, "%s (%s)", yn, cs_layer_cls(y)->name);
	const char *sep = ": ";
	if (shape_changed) {
		cs_buf_printf(b, "%soutput ", sep);
		shape(b, x);
		cs_buf_str(b, " -> ");
		shape(b, y);
		sep = "; ";
	}
	if (params(x) != params(y)) {
		cs_buf_printf(b, "%sparams %s -> %s, ", sep, cs_format_count(params(x), true, n1, sizeof(n1)),
			      cs_format_count(params(y), true, n2, sizeof(n2)));
		change(b, params(x), params(y), NULL);
		sep = "; ";
	} else if (x->trainable_params != y->trainable_params) {
		cs_buf_printf(b, "%strainable %s -> %s", sep,
			      cs_format_count(x->trainable_params, true, n1, sizeof(n1)),
			      cs_format_count(y->trainable_params, true, n2, sizeof(n2)));
		sep = "; ";
	} else if (bytes_of(A, x) != bytes_of(B, y)) {
		char s1[64], s2[64];
		cs_buf_printf(b, "%sweights %s -> %s", sep,
			      cs_format_bytes(bytes_of(A, x), "B", s1, sizeof(s1)),
			      cs_format_bytes(bytes_of(B, y), "B", s2, sizeof(s2)));
		sep = "; ";
	}
	if (!strcmp(sep, ": "))
		cs_buf_str(b, ": renamed");
	cs_buf_char(b, '\n', 1);
}

static void text_layer(struct cs_buf *b, char mark, const struct cs_layer *l, bool md)
{
	char n[40], bn[NAME_BUF];
	if (md) {
		cs_buf_printf(b, "| %c | ", mark);
		md_layer(b, NULL, nm(l, bn), cs_layer_cls(l)->name);
		cs_buf_str(b, " | ");
		shape(b, l);
		cs_buf_printf(b, " | %s |\n", cs_format_count(params(l), true, n, sizeof(n)));
		return;
	}
	cs_buf_printf(b, "%c %s (%s): output ", mark, nm(l, bn), cs_layer_cls(l)->name);
	shape(b, l);
	cs_buf_printf(b, "; params %s\n", cs_format_count(params(l), true, n, sizeof(n)));
}

static void totals_text(struct cs_buf *b, const char *label, const char *unit, int64_t from,
			int64_t to, bool md)
{
	char n1[40], n2[40];
	if (md)
		cs_buf_printf(b, "| %s | %s | %s | ", label, cs_format_count(from, true, n1, sizeof(n1)),
			      cs_format_count(to, true, n2, sizeof(n2)));
	else
		cs_buf_printf(b, "%s: %s -> %s: ", label, cs_format_count(from, true, n1, sizeof(n1)),
			      cs_format_count(to, true, n2, sizeof(n2)));
	change(b, from, to, md ? NULL : unit);
	cs_buf_str(b, md ? " |\n" : "\n");
}

static void render_text(struct cs_buf *b, const struct cs_model *A, const char *la,
			const struct cs_model *B, const char *lb, const struct ops *o, bool md)
{
	struct cs_totals ta = A->totals, tb = B->totals;
	size_t unchanged = 0;
	char n[40];
	if (md) {
		cs_buf_str(b, "**Model diff:** ");
		md_layer_labels(b, la, lb);
		cs_buf_str(b, "\n\n");
	} else {
		cs_buf_printf(b, "--- %s (%s): %zu layers, %s params\n", la, cs_model_name(A), A->nlayers,
			      cs_format_count(total(&ta), true, n, sizeof(n)));
		cs_buf_printf(b, "+++ %s (%s): %zu layers, %s params\n", lb, cs_model_name(B), B->nlayers,
			      cs_format_count(total(&tb), true, n, sizeof(n)));
	}
	bool header = false;
	for (size_t k = 0; k < o->n; k++) {
		const struct op *p = &o->v[k];
		if (p->kind == OP_SAME) {
			unchanged++;
			continue;
		}
		if (md && !header) {
			cs_buf_str(b, "| | Layer (type) | Output Shape | Param # |\n|---|---|---|---:|\n");
			header = true;
		}
		if (p->kind == OP_ADDED)
			text_layer(b, '+', cs_model_at(B, p->b), md);
		else if (p->kind == OP_REMOVED)
			text_layer(b, '-', cs_model_at(A, p->a), md);
		else
			text_layer_change(b, A, cs_model_at(A, p->a), B, cs_model_at(B, p->b), md);
	}
	if (md && header)
		cs_buf_char(b, '\n', 1);
	if (unchanged == o->n && !strcmp(cs_model_name(A), cs_model_name(B))) {
		cs_buf_printf(b, md ? "No differences: %zu layers, %s params.\n"
				    : "no differences: %zu layers, %s params\n",
			      A->nlayers, cs_format_count(total(&ta), true, n, sizeof(n)));
		return;
	}
	if (strcmp(cs_model_name(A), cs_model_name(B)) && md) {
		cs_buf_str(b, "Model renamed: ");
		md_layer_labels(b, cs_model_name(A), cs_model_name(B));
		cs_buf_str(b, "\n\n");
	} else if (strcmp(cs_model_name(A), cs_model_name(B))) {
		cs_buf_printf(b, "model renamed: %s -> %s\n", cs_model_name(A), cs_model_name(B));
	}
	if (unchanged)
		cs_buf_printf(b, md ? "%zu layer%s unchanged.\n\n" : "  (%zu layer%s unchanged)\n", unchanged,
			      unchanged == 1 ? "" : "s");
	if (md)
		cs_buf_str(b, "| | Old | New | Change |\n|---|---:|---:|---:|\n");
	totals_text(b, "Total params", "params", total(&ta), total(&tb), md);
	totals_text(b, "Trainable params", "params", ta.trainable_params, tb.trainable_params, md);
	totals_text(b, "Non-trainable params", "params", ta.non_trainable_params, tb.non_trainable_params, md);
	totals_text(b, "Weight bytes", "bytes", ta.trainable_bytes + ta.non_trainable_bytes,
		    tb.trainable_bytes + tb.non_trainable_bytes, md);
}

/* ---- json --------------------------------------------------------------------- */

static void json_layer(struct cs_buf *b, const struct cs_layer *l)
{
	char bn[NAME_BUF];
	cs_buf_str(b, "{\"name\": ");
	cs_buf_json_string(b, nm(l, bn));
	cs_buf_printf(b, ", \"type\": \"%s\", \"output_shape\": ", cs_layer_cls(l)->name);
	cs_buf_json_shape(b, l->rank, l->dims);
	cs_buf_printf(b, ", \"params\": %lld, \"trainable_params\": %lld, \"non_trainable_params\": %lld}",
		      (long long)params(l), (long long)l->trainable_params,
		      (long long)l->non_trainable_params);
}

static void json_side(struct cs_buf *b, const struct cs_model *m, const char *label)
{
	cs_buf_str(b, "{\"file\": ");
	cs_buf_json_string(b, label);
	cs_buf_str(b, ", \"name\": ");
	cs_buf_json_string(b, cs_model_name(m));
	cs_buf_printf(b, ", \"layers\": %zu, \"total_params\": %lld, \"trainable_params\": %lld, "
		      "\"non_trainable_params\": %lld, \"total_bytes\": %lld}",
		      m->nlayers, (long long)total(&m->totals), (long long)m->totals.trainable_params,
		      (long long)m->totals.non_trainable_params,
		      (long long)(m->totals.trainable_bytes + m->totals.non_trainable_bytes));
}

static void render_json(struct cs_buf *b, const struct cs_model *A, const char *la,
			const struct cs_model *B, const char *lb, const struct ops *o, bool differ,
			size_t unchanged)
{
	static const char *const kinds[] = { "same", "changed", "added", "removed" };
	cs_buf_printf(b, "{\n  \"same\": %s,\n  \"old\": ", differ ? "false" : "true");
	json_side(b, A, la);
	cs_buf_str(b, ",\n  \"new\": ");
	json_side(b, B, lb);
	cs_buf_str(b, ",\n  \"changes\": [");
	bool first = true;
	for (size_t k = 0; k < o->n; k++) {
		const struct op *p = &o->v[k];
		if (p->kind == OP_SAME)
			continue;
		cs_buf_printf(b, "%s\n    {\"change\": \"%s\"", first ? "" : ",", kinds[p->kind]);
		if (p->kind != OP_ADDED) {
			cs_buf_str(b, ", \"old\": ");
			json_layer(b, cs_model_at(A, p->a));
		}
		if (p->kind != OP_REMOVED) {
			cs_buf_str(b, ", \"new\": ");
			json_layer(b, cs_model_at(B, p->b));
		}
		cs_buf_str(b, "}");
		first = false;
	}
	cs_buf_str(b, first ? "],\n" : "\n  ],\n");
	cs_buf_printf(b, "  \"unchanged\": %zu\n}\n", unchanged);
}

int cs_diff(const cs_model *A, const char *la, const cs_model *B, const char *lb,
	    const char *format, FILE *out, int *differ, struct cs_error *err)
{
	struct cs_mark none = { 0, 0 };
	struct ops o = { 0 };
	align(A, B, &o);
	if (o.failed) {
		free(o.v);
		return cs_fail_status(err, CS_ERR_MEMORY, none, "out of memory");
	}
	size_t unchanged = 0;
	for (size_t k = 0; k < o.n; k++)
		unchanged += o.v[k].kind == OP_SAME;
	*differ = unchanged != o.n || strcmp(cs_model_name(A), cs_model_name(B)) != 0;

	struct cs_buf b = { 0 };
	int rc = 0;
	if (!strcmp(format, "text") || !strcmp(format, "markdown")) {
		render_text(&b, A, la, B, lb, &o, format[0] == 'm');
	} else if (!strcmp(format, "json")) {
		render_json(&b, A, la, B, lb, &o, *differ, unchanged);
	} else {
		rc = cs_fail_status(err, CS_ERR_ARGUMENT, none, "diff: unknown format '%s'; expected text, markdown or json",
				    format);
	}
	if (rc == 0 && b.failed)
		rc = cs_fail_status(err, CS_ERR_MEMORY, none, "out of memory");
	if (rc == 0 && fwrite(b.s, 1, b.len, out) != b.len)
		rc = cs_fail_status(err, CS_ERR_IO, none, "cannot write the diff: %s", strerror(errno));
	cs_buf_free(&b);
	free(o.v);
	return rc;
}
