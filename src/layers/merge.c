/*
 * Merge layers: several inputs, one output, no weights.
 *
 *   Add, Subtract, Multiply, Average, Maximum, Minimum: elementwise with
 *   broadcasting.  The shapes without their batch are aligned on the
 *   right (ranks may differ); in each position an unknown size wins, a 1
 *   takes the other size, and otherwise the sizes must be equal.  The
 *   batch is the one known batch size, or None.  Subtract takes exactly
 *   two inputs, the others one or more.
 */
#include <string.h>

#include "layers.h"
#include "../cells.h"

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

/* The inputs' shapes as Keras lists them: "(None, 8), (None, 8)". */
static const char *input_shapes(const struct cs_infer *c, char *list, size_t size)
{
	size_t at = 0;
	list[0] = '\0';
	for (int k = 0; k < c->nin && at < size; k++) {
		char s[256];
		at += (size_t)snprintf(list + at, size - at, "%s%s", k ? ", " : "",
				       cs_shape_str(c->ins[k], s, sizeof(s)));
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
	return 0;
}

static const struct cs_arg_spec *const merge_groups[] = { cs_common_args, NULL };

#define MERGE(cls, snake) { cls, snake, NULL, 0, CS_CLS_MERGE, merge_groups, infer_elementwise }

const struct cs_layer_class cs_merge_classes[] = {
	MERGE("Add", "add"),
	MERGE("Subtract", "subtract"),
	MERGE("Multiply", "multiply"),
	MERGE("Average", "average"),
	MERGE("Maximum", "maximum"),
	MERGE("Minimum", "minimum"),
};
const size_t cs_merge_class_count = sizeof(cs_merge_classes) / sizeof(cs_merge_classes[0]);
