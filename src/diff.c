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

#include "connections.h"
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

/* A summary row as the diff compares it: the same for a chain's layer,
 * a graph's layer, input or sub-model.  Texts live in the side's buffer. */
struct row {
	size_t name, conn;	/* offsets of NUL-terminated texts in text */
	const char *cls;
	bool named;		/* its name was given (not automatic) */
	size_t rank;
	const int64_t *dims;
	int64_t trainable_params, non_trainable_params;
	int64_t trainable_bytes, non_trainable_bytes;
};

struct side {
	const struct cs_model *m;
	struct row *rows;
	size_t n;
	struct cs_buf text;
};

static const char *row_name(const struct side *s, const struct row *r)
{
	return s->text.s + r->name;
}

static const char *row_conn(const struct side *s, const struct row *r)
{
	return s->text.s + r->conn;
}

/* Every row of m, with its Connected-to text in a graph. */
static int side_init(struct side *s, const struct cs_model *m)
{
	s->m = m;
	s->n = cs_model_layer_count(m);
	s->rows = calloc(s->n ? s->n : 1, sizeof(*s->rows));
	if (!s->rows)
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		struct cs_layer_info li;
		struct row *r = &s->rows[i];
		cs_model_layer(m, i, &li);
		size_t e = cs_model_row_entry(m, i);
		r->named = e == SIZE_MAX ? m->inputs[CS_REF_INDEX(m->graph->rows[i])].name != NULL
					 : cs_model_at(m, e)->name != NULL;
		r->cls = li.class_name;
		r->rank = li.rank;
		r->dims = li.dims;
		r->trainable_params = li.trainable_params;
		r->non_trainable_params = li.non_trainable_params;
		r->trainable_bytes = li.trainable_bytes;
		r->non_trainable_bytes = li.non_trainable_bytes;
		r->name = s->text.len;
		cs_buf_str(&s->text, li.name);
		cs_buf_char(&s->text, '\0', 1);
		r->conn = s->text.len;
		if (m->graph)
			cs_buf_connections(&s->text, m, i, ", ");
		cs_buf_char(&s->text, '\0', 1);
	}
	return s->text.failed ? -1 : 0;
}

static void side_free(struct side *s)
{
	free(s->rows);
	cs_buf_free(&s->text);
}

#define NAME_BUF 128

static bool same_key(const struct side *A, const struct row *x, const struct side *B, const struct row *y)
{
	if (strcmp(x->cls, y->cls))
		return false;
	if (x->named || y->named)
		return x->named && y->named && !strcmp(row_name(A, x), row_name(B, y));
	return true;
}

static int64_t bytes_of(const struct row *l)
{
	return l->trainable_bytes + l->non_trainable_bytes;
}

static bool same_shape(const struct row *x, const struct row *y)
{
	return x->rank == y->rank && !memcmp(x->dims, y->dims, x->rank * sizeof(int64_t));
}

static bool same_row(const struct side *A, const struct row *x, const struct side *B, const struct row *y)
{
	return !strcmp(row_name(A, x), row_name(B, y)) && same_shape(x, y) &&
	       x->trainable_params == y->trainable_params &&
	       x->non_trainable_params == y->non_trainable_params &&
	       x->trainable_bytes == y->trainable_bytes && x->non_trainable_bytes == y->non_trainable_bytes &&
	       !strcmp(row_conn(A, x), row_conn(B, y));
}

/* The largest middle part for which the quadratic table is built. */
#define LCS_MAX_CELLS (16u * 1024 * 1024)

struct align_ctx {
	const struct side *a, *b;
	struct ops *o;
};

static bool key_eq(const void *ctx, size_t i, size_t j)
{
	const struct align_ctx *c = ctx;
	return same_key(c->a, &c->a->rows[i], c->b, &c->b->rows[j]);
}

static void key_step(void *ctx, enum cs_lcs_step kind, size_t i, size_t j)
{
	struct align_ctx *c = ctx;
	if (kind == CS_LCS_BOTH)
		add_op(c->o, same_row(c->a, &c->a->rows[i], c->b, &c->b->rows[j]) ? OP_SAME : OP_CHANGED,
		       i, j);
	else if (kind == CS_LCS_ONLY_A)
		add_op(c->o, OP_REMOVED, i, 0);
	else
		add_op(c->o, OP_ADDED, 0, j);
}

static void align(const struct side *A, const struct side *B, struct ops *o)
{
	struct align_ctx c = { A, B, o };
	if (cs_lcs_walk(A->n, B->n, key_eq, key_step, &c, LCS_MAX_CELLS) < 0)
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

static void shape(struct cs_buf *b, const struct row *l)
{
	cs_buf_shape(b, l->rank, l->dims, false);
}

static int64_t params(const struct row *l)
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

static void text_layer_change(struct cs_buf *b, const struct side *A, const struct row *x,
			      const struct side *B, const struct row *y, bool md)
{
	const char *xn = row_name(A, x), *yn = row_name(B, y);
	char n1[40], n2[40];
	bool shape_changed = !same_shape(x, y);
	bool conn_changed = strcmp(row_conn(A, x), row_conn(B, y)) != 0;
	if (md) {
		cs_buf_str(b, "| ~ | ");
		md_layer(b, strcmp(xn, yn) ? xn : NULL, yn, y->cls);
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
		if (conn_changed) {
			cs_buf_str(b, "; inputs ");
			md_text(b, row_conn(A, x));
			cs_buf_str(b, " → ");
			md_text(b, row_conn(B, y));
		}
		cs_buf_str(b, " |\n");
		return;
	}
	cs_buf_str(b, "~ ");
	if (strcmp(xn, yn))
		cs_buf_printf(b, "%s -> %s (%s)", xn, yn, y->cls);
	else
		cs_buf_printf(b, "%s (%s)", yn, y->cls);
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
	} else if (bytes_of(x) != bytes_of(y)) {
		char s1[64], s2[64];
		cs_buf_printf(b, "%sweights %s -> %s", sep,
			      cs_format_bytes(bytes_of(x), "B", s1, sizeof(s1)),
			      cs_format_bytes(bytes_of(y), "B", s2, sizeof(s2)));
		sep = "; ";
	}
	if (conn_changed) {
		cs_buf_printf(b, "%sinputs %s -> %s", sep, row_conn(A, x), row_conn(B, y));
		sep = "; ";
	}
	if (!strcmp(sep, ": "))
		cs_buf_str(b, ": renamed");
	cs_buf_char(b, '\n', 1);
}

static void text_layer(struct cs_buf *b, char mark, const struct side *s, const struct row *l, bool md)
{
	char n[40];
	if (md) {
		cs_buf_printf(b, "| %c | ", mark);
		md_layer(b, NULL, row_name(s, l), l->cls);
		cs_buf_str(b, " | ");
		shape(b, l);
		cs_buf_printf(b, " | %s |\n", cs_format_count(params(l), true, n, sizeof(n)));
		return;
	}
	cs_buf_printf(b, "%c %s (%s): output ", mark, row_name(s, l), l->cls);
	shape(b, l);
	cs_buf_printf(b, "; params %s", cs_format_count(params(l), true, n, sizeof(n)));
	if (*row_conn(s, l))
		cs_buf_printf(b, "; inputs %s", row_conn(s, l));
	cs_buf_char(b, '\n', 1);
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

static void render_text(struct cs_buf *b, const struct side *SA, const char *la,
			const struct side *SB, const char *lb, const struct ops *o, bool md)
{
	const struct cs_model *A = SA->m, *B = SB->m;
	struct cs_totals ta = A->totals, tb = B->totals;
	size_t unchanged = 0;
	char n[40];
	if (md) {
		cs_buf_str(b, "**Model diff:** ");
		md_layer_labels(b, la, lb);
		cs_buf_str(b, "\n\n");
	} else {
		cs_buf_printf(b, "--- %s (%s): %zu layers, %s params\n", la, cs_model_name(A), SA->n,
			      cs_format_count(total(&ta), true, n, sizeof(n)));
		cs_buf_printf(b, "+++ %s (%s): %zu layers, %s params\n", lb, cs_model_name(B), SB->n,
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
			text_layer(b, '+', SB, &SB->rows[p->b], md);
		else if (p->kind == OP_REMOVED)
			text_layer(b, '-', SA, &SA->rows[p->a], md);
		else
			text_layer_change(b, SA, &SA->rows[p->a], SB, &SB->rows[p->b], md);
	}
	if (md && header)
		cs_buf_char(b, '\n', 1);
	if (unchanged == o->n && !strcmp(cs_model_name(A), cs_model_name(B))) {
		cs_buf_printf(b, md ? "No differences: %zu layers, %s params.\n"
				    : "no differences: %zu layers, %s params\n",
			      SA->n, cs_format_count(total(&ta), true, n, sizeof(n)));
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

static void json_layer(struct cs_buf *b, const struct side *s, const struct row *l)
{
	cs_buf_str(b, "{\"name\": ");
	cs_buf_json_string(b, row_name(s, l));
	cs_buf_printf(b, ", \"type\": \"%s\", \"output_shape\": ", l->cls);
	cs_buf_json_shape(b, l->rank, l->dims);
	cs_buf_printf(b, ", \"params\": %lld, \"trainable_params\": %lld, \"non_trainable_params\": %lld",
		      (long long)params(l), (long long)l->trainable_params,
		      (long long)l->non_trainable_params);
	if (s->m->graph) {
		cs_buf_str(b, ", \"inputs\": ");
		cs_buf_json_string(b, row_conn(s, l));
	}
	cs_buf_char(b, '}', 1);
}

static void json_side(struct cs_buf *b, const struct side *s, const char *label)
{
	const struct cs_model *m = s->m;
	cs_buf_str(b, "{\"file\": ");
	cs_buf_json_string(b, label);
	cs_buf_str(b, ", \"name\": ");
	cs_buf_json_string(b, cs_model_name(m));
	cs_buf_printf(b, ", \"layers\": %zu, \"total_params\": %lld, \"trainable_params\": %lld, "
		      "\"non_trainable_params\": %lld, \"total_bytes\": %lld}",
		      s->n, (long long)total(&m->totals), (long long)m->totals.trainable_params,
		      (long long)m->totals.non_trainable_params,
		      (long long)(m->totals.trainable_bytes + m->totals.non_trainable_bytes));
}

static void render_json(struct cs_buf *b, const struct side *A, const char *la,
			const struct side *B, const char *lb, const struct ops *o, bool differ,
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
			json_layer(b, A, &A->rows[p->a]);
		}
		if (p->kind != OP_REMOVED) {
			cs_buf_str(b, ", \"new\": ");
			json_layer(b, B, &B->rows[p->b]);
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
	struct side SA = { 0 }, SB = { 0 };
	if (side_init(&SA, A) < 0 || side_init(&SB, B) < 0)
		o.failed = true;
	else
		align(&SA, &SB, &o);
	if (o.failed) {
		free(o.v);
		side_free(&SA);
		side_free(&SB);
		return cs_fail_status(err, CS_ERR_MEMORY, none, "out of memory");
	}
	size_t unchanged = 0;
	for (size_t k = 0; k < o.n; k++)
		unchanged += o.v[k].kind == OP_SAME;
	*differ = unchanged != o.n || strcmp(cs_model_name(A), cs_model_name(B)) != 0;

	struct cs_buf b = { 0 };
	int rc = 0;
	if (!strcmp(format, "text") || !strcmp(format, "markdown")) {
		render_text(&b, &SA, la, &SB, lb, &o, format[0] == 'm');
	} else if (!strcmp(format, "json")) {
		render_json(&b, &SA, la, &SB, lb, &o, *differ, unchanged);
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
	side_free(&SA);
	side_free(&SB);
	return rc;
}
