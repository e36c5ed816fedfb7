/* The model: layers in order, each with its arguments and, once
 * propagated, its output shape and weight counts.  Arena-owned. */
#ifndef CS_MODEL_H
#define CS_MODEL_H

#include "arena.h"
#include "convsummary.h"
#include "diag.h"
#include "layers/layers.h"

struct cs_layer {
	const struct cs_layer_class *cls;
	const char *name;
	struct cs_mark mark;
	struct cs_args *args;
	/* filled by cs_propagate() */
	int rank;
	int64_t *dims;
	int64_t trainable_params, non_trainable_params;
	int64_t trainable_bytes, non_trainable_bytes;
	const char *explain;
};

struct cs_model {
	struct cs_arena arena;
	const char *name;
	struct cs_mark name_mark;
	bool has_input;
	struct cs_mark input_mark;
	struct cs_ints input_shape;	/* one sample's shape, batch excluded */
	int64_t batch_size;		/* CS_NONE unless given */
	const char *input_dtype;
	const char *dtype_policy;	/* NULL: float32 */
	struct cs_mark dtype_policy_mark;
	int data_format;		/* the file-wide default */
	struct cs_mark layers_mark;
	struct cs_layer *layers;
	size_t nlayers, cap;
	struct cs_totals totals;
	bool explain;			/* keep each layer's arithmetic */
};

struct cs_model *cs_model_new(void);
/* Append a zeroed layer; NULL when out of memory. */
struct cs_layer *cs_model_add_layer(struct cs_model *m);

/* Shapes and counts for every layer, in order; fails at the first layer
 * whose input it cannot take, pointing at that layer. */
int cs_propagate(struct cs_model *m, struct cs_error *err);

/* Keras's automatic-name stem of a class name (§9 of the format spec):
 * "Conv2D" -> "conv2d", "ReLU" -> "re_lu".  Writes into buf. */
const char *cs_snake_case(const char *cls, char *buf, size_t size);

#endif
