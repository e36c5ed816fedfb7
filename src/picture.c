#include "picture.h"

#include <stdint.h>
#include <string.h>

#include "cells.h"
#include "diag.h"
#include "model.h"

void cs_pic_node_free(struct cs_pic_node *n)
{
	cs_buf_free(&n->text);
}

static void clear(struct cs_pic_node *n)
{
	n->text.len = 0;
	n->bold = n->plain = (struct cs_pic_text){ 0, 0 };
	n->nitems = n->nlines = 0;
	n->markup = 0;
	n->last_dims = NULL;
	n->last_shape.len = 0;
}

/* What each ASCII character asks of the formats, as a digit: 1 DOT's
 * (XML's) escaping (& < > " '), 2 Mermaid's (" # & < > [ ] { } | \ ` ; %),
 * 4 cs_buf_escaped()'s (control characters).  Past ASCII: 4 as well. */
static const char asks[129] =
	"4444444444444444" "4444444444444444"	/* control characters */
	"0032023100000000"			/*  !"#$%&'()*+,-./ */
	"0000000000023030"			/* 0123456789:;<=>? */
	"0000000000000000"			/* @ABCDEFGHIJKLMNO */
	"0000000000022200"			/* PQRSTUVWXYZ[\]^_ */
	"2000000000000000"			/* `abcdefghijklmno */
	"0000000000022204";			/* pqrstuvwxyz{|}~ DEL */

/* Append s (control characters escaped) to n's text.  Most names are
 * plain ASCII, copied as they are; n->markup says which formats must
 * escape: those whose characters s has, every one when it is not ASCII
 * or has control characters (escaped with a backslash). */
static void add(struct cs_pic_node *n, const char *s, size_t len)
{
	unsigned all = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		all |= c < 128 ? (unsigned)(asks[c] - '0') : 4u;
	}
	if (all & 4) {
		n->markup = CS_PIC_MARKUP_XML | CS_PIC_MARKUP_MERMAID;
		cs_buf_escaped(&n->text, s, len);
		return;
	}
	if (all & 1)
		n->markup |= CS_PIC_MARKUP_XML;
	if (all & 2)
		n->markup |= CS_PIC_MARKUP_MERMAID;
	cs_buf_add(&n->text, s, len);
}

static struct cs_pic_text text(struct cs_pic_node *n, const char *s, size_t len)
{
	size_t off = n->text.len;
	add(n, s, len);
	return (struct cs_pic_text){ off, n->text.len - off };
}

/* A new item on the given line; its value is appended by the caller
 * (between begin and end).  NULL past the limit (not reached: the
 * columns and the fixed items fit). */
static struct cs_pic_item *item(struct cs_pic_node *n, const char *key, int line)
{
	if (n->nitems == CS_PIC_MAX_ITEMS)
		return NULL;
	struct cs_pic_item *it = &n->item[n->nitems++];
	it->key = key;
	it->key_len = key ? strlen(key) : 0;
	it->value = (struct cs_pic_text){ n->text.len, 0 };
	it->tone = CS_PIC_PLAIN;
	it->line = line;
	if (line + 1 > n->nlines)
		n->nlines = line + 1;
	return it;
}

static void item_text(struct cs_pic_node *n, const char *key, int line, const char *s, size_t len)
{
	struct cs_pic_item *it = item(n, key, line);
	if (it)
		it->value = text(n, s, len);
}

/* "(None, 8, 8, 5)" at p, as cs_buf_shape() writes it, into room for
 * SHAPE_ROOM(rank) bytes. */
#define SHAPE_ROOM(rank) (2 + (size_t)(rank) * (CS_INT_MAX_CHARS + 2))
static char *put_shape(char *p, size_t rank, const int64_t *dims)
{
	*p++ = '(';
	for (size_t i = 0; i < rank; i++) {
		if (i)
			p = CS_PUT_LIT(p, ", ");
		p = dims[i] < 0 ? CS_PUT_LIT(p, "None") : cs_put_int(p, dims[i]);
	}
	*p++ = ')';
	return p;
}

/* "(None, 8)", or "[(None, 8), (None, 8)]" for several shapes (whose
 * brackets Mermaid marks up) */
static void item_shapes(struct cs_pic_node *n, const char *key, int line, size_t count,
			size_t (*shape)(const void *ctx, size_t k, const int64_t **dims), const void *ctx)
{
	struct cs_pic_item *it = item(n, key, line);
	if (!it)
		return;
	if (count != 1) {
		CS_BUF_LIT(&n->text, "[");
		n->markup |= CS_PIC_MARKUP_MERMAID;
	}
	for (size_t k = 0; k < count; k++) {
		const int64_t *dims;
		size_t rank = shape(ctx, k, &dims);
		char *p = cs_buf_reserve(&n->text, SHAPE_ROOM(rank) + 2);
		if (!p)
			break;
		if (k)
			p = CS_PUT_LIT(p, ", ");
		/* a layer that keeps its input's shape shares its dims: the
		 * input's text is the output's */
		if (dims == n->last_dims && rank == n->last_rank && n->last_shape.len) {
			memcpy(p, n->text.s + n->last_shape.off, n->last_shape.len);
			cs_buf_commit(&n->text, p + n->last_shape.len);
			continue;
		}
		size_t off = (size_t)(p - n->text.s);
		cs_buf_commit(&n->text, put_shape(p, rank, dims));
		n->last_dims = dims;
		n->last_rank = rank;
		n->last_shape = (struct cs_pic_text){ off, n->text.len - off };
	}
	if (count != 1)
		CS_BUF_LIT(&n->text, "]");
	it->value.len = n->text.len - it->value.off;
}

/* The shape of a tensor: a model input's, or a row's output. */
static size_t tensor_shape(const cs_model *m, struct cs_tensor t, const int64_t **dims)
{
	if (t.is_input) {
		struct cs_input_info in;
		cs_model_input(m, t.index, &in);
		*dims = in.dims;
		return in.rank;
	}
	return cs_model_layer_output(m, t.index, t.output, dims);
}

struct row_ctx {
	const cs_model *m;
	size_t row;
};

static size_t row_input_shape(const void *ctx, size_t k, const int64_t **dims)
{
	const struct row_ctx *r = ctx;
	return tensor_shape(r->m, cs_model_layer_call_input(r->m, r->row, 0, k), dims);
}

static size_t row_output_shape(const void *ctx, size_t k, const int64_t **dims)
{
	const struct row_ctx *r = ctx;
	return cs_model_layer_output(r->m, r->row, k, dims);
}

static size_t input_shape(const void *ctx, size_t k, const int64_t **dims)
{
	const struct cs_input_info *in = ctx;
	(void)k;
	*dims = in->dims;
	return in->rank;
}

/* --columns: layer, name and type make the title; the others are items,
 * a line each, as a table's row reads.  row is SIZE_MAX for a Sequential
 * model's input, whose shape is li's and which has no connections. */
static void column_items(struct cs_pic_node *n, const cs_model *m, size_t row,
			 const struct cs_layer_info *li, const struct cs_figures *f,
			 const struct cs_render_options *opt, const struct cs_columns *cols)
{
	bool name = false, type = false;
	for (int c = 0; c < cols->n; c++) {
		const char *col = cs_column_name(cols->id[c]);
		name = name || !strcmp(col, "layer") || !strcmp(col, "name");
		type = type || !strcmp(col, "layer") || !strcmp(col, "type");
	}
	if (name) {
		n->bold = text(n, li->name, strlen(li->name));
		if (type) {
			size_t off = n->text.len;
			CS_BUF_LIT(&n->text, " (");
			cs_buf_str(&n->text, li->class_name);
			CS_BUF_LIT(&n->text, ")");
			n->plain = (struct cs_pic_text){ off, n->text.len - off };
		}
	} else if (type) {
		n->bold = text(n, li->class_name, strlen(li->class_name));
	}
	struct cs_buf cell = { 0 };
	for (int c = 0; c < cols->n; c++) {
		const char *col = cs_column_name(cols->id[c]);
		if (!strcmp(col, "layer") || !strcmp(col, "name") || !strcmp(col, "type"))
			continue;
		cell.len = 0;
		if (row != SIZE_MAX)
			cs_column_cell(cols->id[c], m, row, li, f, opt, false, &cell);
		else if (!strcmp(col, "output_shape"))
			cs_buf_shape(&cell, li->rank, li->dims, false);
		else if (!strcmp(col, "connected_to"))
			CS_BUF_LIT(&cell, "-");
		else
			cs_column_cell(cols->id[c], m, row, li, f, opt, false, &cell);
		item_text(n, cs_column_header(cols->id[c]), n->nlines, cell.s ? cell.s : "", cell.len);
	}
	if (cell.failed)
		n->text.failed = true;
	cs_buf_free(&cell);
}

/* The items after the shapes: plot_model's show_dtype,
 * show_layer_activations and show_trainable, on one line. */
static void extras(struct cs_pic_node *n, const struct cs_render_options *opt, const char *dtype,
		   const char *activation, int64_t trainable, int64_t frozen)
{
	unsigned show = opt ? opt->show : 0;
	int line = n->nlines;
	if (show & CS_SHOW_DTYPE)
		item_text(n, "dtype", line, dtype, strlen(dtype));
	if ((show & CS_SHOW_ACTIVATION) && activation)
		item_text(n, "Activation", line, activation, strlen(activation));
	if ((show & CS_SHOW_TRAINABLE) && trainable + frozen > 0) {
		const char *what = !frozen ? "Trainable" : !trainable ? "Non-trainable" : "Partly trainable";
		item_text(n, NULL, line, what, strlen(what));
		n->item[n->nitems - 1].tone = frozen ? CS_PIC_FROZEN : CS_PIC_TRAINABLE;
	}
}

void cs_pic_row(struct cs_pic_node *n, const cs_model *m, size_t i,
		const struct cs_render_options *opt, const struct cs_columns *cols)
{
	struct cs_layer_info li;
	cs_model_layer(m, i, &li);
	clear(n);
	if (cols) {
		struct cs_figures f;
		cs_model_layer_figures(m, i, &f);
		column_items(n, m, i, &li, &f, opt, cols);
		return;
	}
	n->bold = text(n, li.name, strlen(li.name));
	size_t off = n->text.len;
	/* a class name is an identifier of the class table: nothing to escape */
	char *p = cs_buf_reserve(&n->text, strlen(li.class_name) + 3);
	if (p) {
		size_t len = strlen(li.class_name);
		*p++ = ' ';
		*p++ = '(';
		memcpy(p, li.class_name, len);
		p[len] = ')';
		cs_buf_commit(&n->text, p + len + 1);
	}
	n->plain = (struct cs_pic_text){ off, n->text.len - off };
	struct row_ctx r = { m, i };
	/* plot_model shows no input shape for an InputLayer */
	if (cs_model_layer_call_count(m, i) && cs_model_layer_call_input_count(m, i, 0))
		item_shapes(n, "Input shape", 0, cs_model_layer_call_input_count(m, i, 0), row_input_shape, &r);
	item_shapes(n, "Output shape", 0, cs_model_layer_output_count(m, i), row_output_shape, &r);
	if (opt && (opt->show & (CS_SHOW_DTYPE | CS_SHOW_ACTIVATION | CS_SHOW_TRAINABLE)))
		extras(n, opt, cs_model_layer_dtype(m, i), cs_model_layer_activation(m, i), li.trainable_params,
		       li.non_trainable_params);
}

bool cs_pic_input_has_node(const cs_model *m, size_t k)
{
	return cs_model_input_row(m, k) == SIZE_MAX;
}

void cs_pic_input(struct cs_pic_node *n, const cs_model *m, size_t k,
		  const struct cs_render_options *opt, const struct cs_columns *cols)
{
	struct cs_input_info in;
	cs_model_input(m, k, &in);
	clear(n);
	if (cols) {
		/* a row of its own, as a Functional model's InputLayer has */
		struct cs_layer_info li = { 0 };
		struct cs_figures f = { 0 };
		li.name = in.name;
		li.class_name = "InputLayer";
		li.rank = in.rank;
		li.dims = in.dims;
		column_items(n, m, SIZE_MAX, &li, &f, opt, cols);
		return;
	}
	n->bold = text(n, in.name, strlen(in.name));
	size_t off = n->text.len;
	CS_BUF_LIT(&n->text, " (InputLayer)");
	n->plain = (struct cs_pic_text){ off, n->text.len - off };
	item_shapes(n, "Output shape", 0, 1, input_shape, &in);
	extras(n, opt, in.dtype, NULL, 0, 0);
}

void cs_buf_xml(struct cs_buf *b, const char *s, size_t len)
{
	size_t from = 0;
	for (size_t i = 0; i < len; i++) {
		const char *e;
		switch (s[i]) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		default: continue;
		}
		cs_buf_add(b, s + from, i - from);
		cs_buf_str(b, e);
		from = i + 1;
	}
	cs_buf_add(b, s + from, len - from);
}

/* ---- the graph --------------------------------------------------------------- */

struct walk {
	struct cs_buf *b;
	const struct cs_render_options *opt;
	const struct cs_columns *cols;
	const struct cs_pic_writer *w;
	struct cs_pic_node n;
	bool nested;
};

/* prefix's bytes only: most ids are a few characters of a long array */
static void id_copy(struct cs_pic_id *id, const struct cs_pic_id *prefix)
{
	id->len = prefix->len;
	memcpy(id->s, prefix->s, prefix->len + 1);
}

static void id_add(struct cs_pic_id *id, char kind, size_t index, bool more)
{
	char *p = id->s + id->len;
	*p++ = kind;
	p = cs_put_int(p, (int64_t)index);
	if (more)
		*p++ = '_';
	*p = '\0';
	id->len = (size_t)(p - id->s);
}

/* The sub-model that row i calls when it is drawn as a cluster, else
 * NULL: with --show nested, above the depth limit, and with a row to
 * start from (a Sequential sub-model without layers is one node). */
static const cs_model *expanded(const struct walk *w, const cs_model *m, size_t i, int depth)
{
	if (!w->nested || depth + 1 >= CS_PIC_MAX_DEPTH)
		return NULL;
	size_t e = cs_model_row_entry(m, i);
	if (e == SIZE_MAX)
		return NULL;
	const struct cs_layer *ly = cs_model_at(m, e);
	if (!(ly->flags & CS_LF_MODEL))
		return NULL;
	const cs_model *sub = m->subs[ly->args];
	return cs_model_layer_count(sub) ? sub : NULL;
}

/* The node where tensor t of m (at depth, its ids after id's prefix)
 * comes from, appended to id: a row's, the row of an expanded
 * sub-model's output, or a Sequential model's input.  false for the
 * input of a Sequential sub-model, drawn as the edges into its cluster. */
static bool source(const struct walk *w, const cs_model *m, struct cs_tensor t, int depth,
		   struct cs_pic_id *id)
{
	for (;;) {
		size_t row = t.is_input ? cs_model_input_row(m, t.index) : t.index;
		if (row == SIZE_MAX) {
			if (depth)
				return false;
			id_add(id, 'i', t.index, false);
			return true;
		}
		const cs_model *sub = t.is_input ? NULL : expanded(w, m, row, depth);
		if (!sub) {
			id_add(id, 'r', row, false);
			return true;
		}
		id_add(id, 'r', row, true);
		t = cs_model_output(sub, t.output);
		m = sub;
		depth++;
	}
}

/* The node that input k of the expanded sub-model m (at depth, id its
 * prefix) arrives at: its InputLayer's row, or a Sequential model's
 * first row, appended to id. */
static void target(const struct walk *w, const cs_model *m, size_t k, int depth, struct cs_pic_id *id)
{
	for (;;) {
		size_t row = cs_model_input_row(m, k);
		if (row != SIZE_MAX) {
			id_add(id, 'r', row, false);
			return;
		}
		const cs_model *sub = expanded(w, m, 0, depth);
		if (!sub) {
			id_add(id, 'r', 0, false);
			return;
		}
		id_add(id, 'r', 0, true);
		m = sub;
		k = 0;
		depth++;
	}
}

/* The nodes and edges of m at depth, their ids after prefix. */
static void level(struct walk *w, const cs_model *m, const struct cs_pic_id *prefix, int depth)
{
	struct cs_pic_id id, from, to;
	if (!depth)
		for (size_t k = 0; k < cs_model_input_count(m); k++)
			if (cs_pic_input_has_node(m, k)) {
				cs_pic_input(&w->n, m, k, w->opt, w->cols);
				id_copy(&id, prefix);
				id_add(&id, 'i', k, false);
				w->w->node(w->b, depth, &id, &w->n);
			}
	for (size_t i = 0, rows = cs_model_layer_count(m); i < rows; i++) {
		const cs_model *sub = expanded(w, m, i, depth);
		id_copy(&id, prefix);
		id_add(&id, 'r', i, false);
		if (sub) {
			cs_pic_row(&w->n, m, i, w->opt, NULL);
			w->w->begin(w->b, depth, &id, &w->n);
			struct cs_pic_id inner;
			id_copy(&inner, prefix);
			id_add(&inner, 'r', i, true);
			level(w, sub, &inner, depth + 1);
			w->w->end(w->b, depth);
		} else {
			cs_pic_row(&w->n, m, i, w->opt, w->cols);
			w->w->node(w->b, depth, &id, &w->n);
		}
		for (size_t c = 0, nc = cs_model_layer_call_count(m, i); c < nc; c++)
			for (size_t k = 0, nk = cs_model_layer_call_input_count(m, i, c); k < nk; k++) {
				id_copy(&from, prefix);
				if (!source(w, m, cs_model_layer_call_input(m, i, c, k), depth, &from))
					continue;
				if (sub) {
					id_copy(&to, prefix);
					id_add(&to, 'r', i, true);
					target(w, sub, k, depth + 1, &to);
					w->w->edge(w->b, depth, &from, &to);
				} else {
					w->w->edge(w->b, depth, &from, &id);
				}
			}
	}
}

void cs_pic_graph(struct cs_buf *b, const cs_model *m, const struct cs_render_options *opt,
		  const struct cs_columns *cols, const struct cs_pic_writer *w)
{
	struct walk wk = { .b = b, .opt = opt, .cols = cols, .w = w,
			   .nested = opt && (opt->show & CS_SHOW_NESTED) };
	struct cs_pic_id top = { 0, "" };
	level(&wk, m, &top, 0);
	if (wk.n.text.failed)
		b->failed = true;
	cs_pic_node_free(&wk.n);
}
