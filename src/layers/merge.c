/*
 * Merge layers: several inputs, one output, no weights.
 *
 *   Add, Subtract, Multiply, Average, Maximum, Minimum: elementwise with
 *   broadcasting.  The shapes without their batch are aligned on the
 *   right (ranks may differ); in each position an unknown size wins, a 1
 *   takes the other size, and otherwise the sizes must be equal.  The
 *   batch is the one known batch size, or None.  Subtract takes exactly
 *   two inputs, the others one or more.
 *
 *   Concatenate (axis, default -1): one or more inputs of one rank; the
 *   first input's shape with the `axis` sizes summed (None if one is
 *   None).  Every other position, batch included, must agree where known.
 *
 *   Dot (axes, normalize): exactly two inputs of rank 2 or more; the
 *   sizes on the two axes must be equal (None only with None).  The
 *   output is the first shape without its axis, then the second without
 *   its axis and then without its first remaining entry (the batch), and
 *   (batch, 1) when only the batch is left.  An integer `axes` that is
 *   negative wraps around each input's rank as Python's % does; a pair's
 *   negative entries index from the end.
 *
 * These are Keras 3's Merge.build and compute_output_shape, Concatenate's
 * and Dot's (keras/src/layers/merging/); the refusals are theirs, in our
 * form ("a Dot layer ...; received ...").
 */
#include <string.h>

#include "layers.h"
#include "../cells.h"
#include "checked.h"

/* A shape without its batch as Python prints a tuple: "(8,)", "(4, 8)". */
static const char *py_tuple(const struct cs_shape *s, char *buf, size_t size)
{
	return cs_shape_text((size_t)s->rank - 1, s->d + 1, true, buf, size);
}

/* out (batch first) broadcast with in, both without batch from axis 1. */
static int broadcast(struct cs_infer *c, struct cs_shape *out, const struct cs_shape *in)
{
	const struct cs_shape *big = out->rank >= in->rank ? out : in;
	const struct cs_shape *small = big == out ? in : out;
	struct cs_shape r;
	r.rank = big->rank;
	int shift = big->rank - small->rank;
	for (int i = 1; i < big->rank; i++) {
		int64_t a = big->d[i];
		if (i - shift < 1) {
			r.d[i] = a;
			continue;
		}
		int64_t b = small->d[i - shift];
		if (a < 0 || b < 0) {
			r.d[i] = CS_NONE;
		} else if (a == 1) {
			r.d[i] = b;
		} else if (b == 1 || a == b) {
			r.d[i] = a;
		} else {
			char x[256], y[256];
			return cs_infer_fail(c, "inputs have incompatible shapes: received shapes %s and %s",
					     py_tuple(out, x, sizeof(x)), py_tuple(in, y, sizeof(y)));
		}
	}
	r.d[0] = out->d[0];
	cs_shape_copy(out, &r);
	return 0;
}

/* The inputs' shapes as Keras lists them: "(None, 8), (None, 8)"; a long
 * list is cut at size. */
static const char *input_shapes(const struct cs_infer *c, char *list, size_t size)
{
	size_t at = 0;
	list[0] = '\0';
	for (int k = 0; k < c->nin && at < size; k++) {
		char s[256];
		at += (size_t)snprintf(list + at, size - at, "%s%s", k ? ", " : "",
				       cs_shape_text((size_t)c->ins[k]->rank, c->ins[k]->d, true, s, sizeof(s)));
	}
	return list;
}

static int infer_elementwise(struct cs_infer *c)
{
	char list[1024];
	bool subtract = !strcmp(c->cls->name, "Subtract");
	if (subtract && c->nin != 2)
		return cs_infer_fail(c, "a Subtract layer should be called on exactly 2 inputs; received "
				     "input_shape=[%s]", input_shapes(c, list, sizeof(list)));
	/* the known batch sizes must agree (Keras's Merge.build) */
	int64_t batch = CS_NONE;
	for (int k = 0; k < c->nin; k++) {
		int64_t b = c->ins[k]->d[0];
		if (b < 0)
			continue;
		if (batch >= 0 && b != batch)
			return cs_infer_fail(c, "cannot merge tensors with different batch sizes; got "
					     "tensors with shapes [%s]", input_shapes(c, list, sizeof(list)));
		batch = b;
	}
	struct cs_shape out;
	cs_shape_copy(&out, c->ins[0]);
	for (int k = 1; k < c->nin; k++)
		if (broadcast(c, &out, c->ins[k]) < 0)
			return -1;
	out.d[0] = batch;
	cs_shape_copy(&c->out, &out);
	/* per output element: one operation per input after the first, and
	 * Average's division */
	c->elem_ops = c->nin - 1 + !strcmp(c->cls->name, "Average");
	/* say so when an input was broadcast to the output's shape */
	for (int k = 0; c->explain && k < c->nin; k++) {
		const struct cs_shape *in = c->ins[k];
		if (in->rank != out.rank || memcmp(in->d + 1, out.d + 1, (size_t)(out.rank - 1) * sizeof(int64_t))) {
			char list[1024], o[256];
			cs_explain(c, "broadcast: %s -> %s", input_shapes(c, list, sizeof(list)),
				   cs_shape_str(&out, o, sizeof(o)));
			break;
		}
	}
	return 0;
}

/* ---- Concatenate ------------------------------------------------------------ */

/* What --explain calls the concatenation axis `at` of a rank-`rank` shape. */
static const char *axis_word(int at, int rank, char *buf, size_t size)
{
	if (at == rank - 1 && rank >= 3)
		return "channels";
	if (at == rank - 1 && rank == 2)
		return "features";
	snprintf(buf, size, "axis %d", at);
	return buf;
}

/* "channels = 64 + 32 = 96", or the sum's count when the terms do not fit
 * on a line. */
static void explain_concat(struct cs_infer *c, int at)
{
	char word[32], terms[400];
	const char *what = axis_word(at, c->out.rank, word, sizeof(word));
	size_t len = 0;
	for (int k = 0; k < c->nin && len < sizeof(terms); k++)
		len += (size_t)snprintf(terms + len, sizeof(terms) - len, "%s%lld", k ? " + " : "",
					(long long)c->ins[k]->d[at]);
	if (c->out.d[at] < 0) {
		for (int k = 0; k < c->nin; k++)
			if (c->ins[k]->d[at] < 0) {
				cs_explain(c, "%s: None  (input %d's size there is unknown)", what, k + 1);
				return;
			}
	}
	if (len < sizeof(terms))
		cs_explain(c, "%s = %s = %lld", what, terms, (long long)c->out.d[at]);
	else
		cs_explain(c, "%s: the sum of %d inputs' sizes, %lld", what, c->nin, (long long)c->out.d[at]);
}

static int infer_concatenate(struct cs_infer *c)
{
	char list[1024], s[256];
	int64_t axis = c->a->axis;
	int rank = c->in->rank;
	for (int k = 0; k < c->nin; k++)
		if (cs_resolve_axis(axis, c->ins[k]->rank) < 0)
			return cs_infer_fail(c, "axis %lld is out of range for input %d of rank %d (batch included): "
					     "%s", (long long)axis, k + 1, c->ins[k]->rank,
					     cs_shape_str(c->ins[k], s, sizeof(s)));
	int at = cs_resolve_axis(axis, rank);
	/* Keras drops the axis from each shape and compares the rest, batch
	 * included, where the sizes are known */
	for (int k = 1; k < c->nin; k++)
		if (c->ins[k]->rank != rank)
			goto mismatch;
	for (int i = 0; i < rank; i++) {
		if (i == at)
			continue;
		int64_t known = CS_NONE;
		for (int k = 0; k < c->nin; k++) {
			int64_t d = c->ins[k]->d[i];
			if (d < 0)
				continue;
			if (known >= 0 && d != known)
				goto mismatch;
			known = d;
		}
	}
	/* the first input's shape, the axis summed; None as soon as one is */
	cs_shape_copy(&c->out, c->in);
	for (int k = 1; k < c->nin; k++) {
		int64_t d = c->ins[k]->d[at];
		if (c->out.d[at] < 0 || d < 0) {
			c->out.d[at] = CS_NONE;
			break;
		}
		if (!cs_add(c->out.d[at], d, &c->out.d[at]))
			return cs_infer_fail(c, "the concatenated size overflows 64 bits");
	}
	explain_concat(c, at);
	/* side by side on another axis than the last (the channels), the
	 * inputs' grids no longer line up: no receptive field after it */
	if (at != rank - 1)
		c->spatial = CS_SP_RESET;
	return 0;	/* a copy: no arithmetic */
mismatch:
	return cs_infer_fail(c, "a Concatenate layer requires inputs with matching shapes except for the "
			     "concatenation axis; received input_shape=[%s]", input_shapes(c, list, sizeof(list)));
}

/* ---- Dot ---------------------------------------------------------------------- */

/* Python's a % n for n > 0: never negative. */
static int64_t py_mod(int64_t a, int64_t n)
{
	int64_t r = a % n;
	return r < 0 ? r + n : r;
}

/* "8" or "None": a size as Python prints it. */
static const char *size_text(int64_t d, char *buf, size_t size)
{
	if (d < 0)
		snprintf(buf, size, "None");
	else
		snprintf(buf, size, "%lld", (long long)d);
	return buf;
}

/* The sizes of `s` from `from` on without position `skip` (-1: none),
 * appended to out. */
static void append_without(struct cs_shape *out, const struct cs_shape *s, int from, int skip)
{
	for (int i = from; i < s->rank; i++)
		if (i != skip)
			out->d[out->rank++] = s->d[i];
}

static int infer_dot(struct cs_infer *c)
{
	char list[1024], x_text[256], y_text[256];
	if (c->nin != 2)
		return cs_infer_fail(c, "a Dot layer should be called on a list of 2 inputs; received "
				     "input_shape=[%s]", input_shapes(c, list, sizeof(list)));
	const struct cs_shape *x = c->ins[0], *y = c->ins[1];
	cs_shape_text((size_t)x->rank, x->d, true, x_text, sizeof(x_text));
	cs_shape_text((size_t)y->rank, y->d, true, y_text, sizeof(y_text));
	if (x->rank < 2 || y->rank < 2)
		return cs_infer_fail(c, "cannot do batch_dot on inputs with rank < 2; received inputs with "
				     "shapes %s and %s", x_text, y_text);
	/* the axes as Keras uses them: a negative integer wraps (%), a pair
	 * is taken as given and indexes as Python does */
	const struct cs_axis_pair *p = &c->a->dot_axes;
	int64_t axes[2] = { p->v[0], p->v[1] };
	if (p->one && p->v[0] < 0) {
		axes[0] = py_mod(p->v[0], x->rank);
		axes[1] = py_mod(p->v[1], y->rank);
	}
	int at[2];
	for (int k = 0; k < 2; k++) {
		int rank = c->ins[k]->rank;
		at[k] = cs_resolve_axis(axes[k], rank);
		if (at[k] < 0)
			return cs_infer_fail(c, "axes: axis %lld is out of range for input %d of rank %d (batch "
					     "included): %s", (long long)axes[k], k + 1, rank, k ? y_text : x_text);
	}
	int64_t dx = x->d[at[0]], dy = y->d[at[1]];
	if (dx != dy && !(dx < 0 && dy < 0)) {
		char a[32], b[32];
		return cs_infer_fail(c, "incompatible input shapes: axis values %s (at axis %lld) != %s (at axis "
				     "%lld); full input shapes: %s, %s", size_text(dx, a, sizeof(a)),
				     (long long)axes[0], size_text(dy, b, sizeof(b)), (long long)axes[1],
				     x_text, y_text);
	}
	/* the first shape without its axis; the second without its axis,
	 * then without what is first after that (the batch, or the axis
	 * after it if the axis was the batch) */
	int rank = x->rank - 1 + y->rank - 2;
	if (rank + (rank == 1) > CS_MAX_RANK)
		return cs_infer_fail(c, "its output would have %d dimensions; at most %d are supported", rank,
				     CS_MAX_RANK);
	struct cs_shape y_rest;
	y_rest.rank = 0;
	append_without(&y_rest, y, 0, at[1]);
	c->out.rank = 0;
	append_without(&c->out, x, 0, at[0]);
	append_without(&c->out, &y_rest, 1, -1);
	c->spatial = CS_SP_RESET;	/* axes summed away: no grid to follow */
	bool lone_batch = c->out.rank == 1;
	if (lone_batch)
		c->out.d[c->out.rank++] = 1;

	/* each output element sums dx products */
	int64_t out_elems = cs_product_known(c->out.d + 1, c->out.rank - 1);
	c->macs = cs_mul_known(out_elems, dx);
	if (c->a->normalize) {
		/* L2 normalisation of both inputs first: square, sum, scale */
		int64_t nx = cs_product_known(x->d + 1, x->rank - 1), ny = cs_product_known(y->d + 1, y->rank - 1);
		int64_t both;
		c->other_ops = nx < 0 || ny < 0 || !cs_add(nx, ny, &both) ? -1 : cs_mul_known(both, 3);
	}

	char a[256], b[256], o[256];
	if (dx >= 0)
		cs_explain(c, "sums %lld products per output element: axis %d of %s, axis %d of %s", (long long)dx,
			   at[0], x_text, at[1], y_text);
	else
		cs_explain(c, "sums over axis %d of %s with axis %d of %s, of unknown size", at[0], x_text, at[1],
			   y_text);
	struct cs_shape left;
	left.rank = 0;
	append_without(&left, x, 0, at[0]);
	/* the first without its axis, plus the second without its axis and
	 * its batch */
	cs_explain(c, "output = %s + %s = %s%s", cs_shape_text((size_t)left.rank, left.d, true, a, sizeof(a)),
		   cs_shape_text((size_t)y_rest.rank - 1, y_rest.d + 1, true, b, sizeof(b)),
		   cs_shape_str(&c->out, o, sizeof(o)), lone_batch ? "  (a 1 added to a lone batch)" : "");
	if (c->macs > 0) {
		char e[256];
		cs_explain(c, "macs = %s * %lld = %lld", cs_product_str(c->out.d + 1, c->out.rank - 1, e, sizeof(e)),
			   (long long)dx, (long long)c->macs);
	}
	if (c->a->normalize)
		cs_explain(c, "normalize: both inputs L2-normalised along those axes first (3 ops an element)");
	return 0;
}

/* ---- the table ---------------------------------------------------------------- */

static const struct cs_arg_spec concatenate_args[] = {
	CS_INT("axis", 0, axis, -1),
	CS_ARG_END,
};

static const struct cs_arg_spec dot_args[] = {
	CS_TYPED("axes", CS_ARG_AXIS_PAIR, CS_REQUIRED, dot_axes),
	CS_BOOL("normalize", normalize, 0),
	CS_ARG_END,
};

static const struct cs_arg_spec *const merge_groups[] = { cs_common_args, NULL };
static const struct cs_arg_spec *const concatenate_groups[] = { cs_common_args, concatenate_args, NULL };
static const struct cs_arg_spec *const dot_groups[] = { cs_common_args, dot_args, NULL };

#define MERGE(cls, snake) { cls, snake, NULL, 0, CS_CLS_MERGE, merge_groups, infer_elementwise }

const struct cs_layer_class cs_merge_classes[] = {
	MERGE("Add", "add"),
	MERGE("Subtract", "subtract"),
	MERGE("Multiply", "multiply"),
	MERGE("Average", "average"),
	MERGE("Maximum", "maximum"),
	MERGE("Minimum", "minimum"),
	{ "Concatenate", "concatenate", NULL, 0, CS_CLS_MERGE, concatenate_groups, infer_concatenate },
	{ "Dot", "dot", NULL, 0, CS_CLS_MERGE, dot_groups, infer_dot },
};
const size_t cs_merge_class_count = sizeof(cs_merge_classes) / sizeof(cs_merge_classes[0]);

/* Concatenate and Dot check their list themselves (their own build);
 * the others, Merge.build. */
const char *cs_merge_tensor_refusal(const struct cs_layer_class *cls, const char *shape, char *buf,
				    size_t size)
{
	if (!strcmp(cls->name, "Concatenate"))
		snprintf(buf, size, "a Concatenate layer should be called on a list of at least 1 input; "
			 "received input_shape=%s", shape);
	else if (!strcmp(cls->name, "Dot"))
		snprintf(buf, size, "a Dot layer should be called on a list of 2 inputs; received input_shape=%s",
			 shape);
	else
		snprintf(buf, size, "a merge layer should be called on a list of inputs; received "
			 "input_shape=%s (not a list of shapes)", shape);
	return buf;
}
