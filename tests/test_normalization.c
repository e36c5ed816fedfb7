/* keras.layers.Normalization in Sequential files: each row the layer's
 * arguments after an input (and, for EfficientNetB0's start, a
 * Rescaling), with its non-trainable weights and their bytes worked out by
 * hand from Keras 3's source (mean and variance shaped by the kept axes
 * in the layer's dtype, count a 4-byte int32 scalar; none at all when
 * mean and variance are given), or the error at its line and column. */
#include <stdbool.h>

#include "helpers.h"

struct row {
	const char *name;
	const char *input;	/* the model's top lines */
	const char *layer;	/* the Normalization entry, on line 4 */
	int64_t params, bytes;	/* non-trainable; no trainable ones */
	const char *error;	/* or "LINE:COL: message" */
};

#define IN(shape) "input_shape: " shape "\nlayers:\n  - Rescaling: {scale: 0.5}\n"

static const struct row rows[] = {
	/* EfficientNetB0's: mean 3, variance 3, count 1; 7 * 4 bytes */
	{ "efficientnet_channels", IN("[224, 224, 3]"), "Normalization: {axis: -1}", 7, 28, NULL },
	{ "default_axis", IN("[224, 224, 3]"), "Normalization", 7, 28, NULL },
	{ "axis_3", IN("[224, 224, 3]"), "Normalization: {axis: 3}", 7, 28, NULL },
	/* null: one mean and one variance for every element */
	{ "axis_null", IN("[8]"), "Normalization: {axis: null}", 3, 12, NULL },
	{ "axis_empty_list", IN("[8]"), "Normalization: {axis: []}", 3, 12, NULL },
	/* two kept axes, in either order: 4*5 each */
	{ "axes_1_2", IN("[4, 5, 3]"), "Normalization: {axis: [1, 2]}", 41, 164, NULL },
	{ "axes_2_1", IN("[4, 5, 3]"), "Normalization: {axis: [2, -3]}", 41, 164, NULL },
	/* the batch axis, when the batch size is known */
	{ "batch_axis_known", "batch_size: 2\ninput_shape: [8]\nlayers:\n", "Normalization: {axis: 0}", 5, 20,
	  NULL },
	/* float64: mean and variance 8 bytes each, count still 4 */
	{ "float64", IN("[3]"), "Normalization: {dtype: float64}", 7, 3 * 8 * 2 + 4, NULL },
	/* given as values: constants, not weights */
	{ "given_lists", IN("[3]"), "Normalization: {mean: [0.5, 0.4, 0.3], variance: [0.1, 0.2, 0.3]}", 0, 0,
	  NULL },
	{ "given_scalars", IN("[32, 32, 3]"), "Normalization: {mean: 0.5, variance: 0.25}", 0, 0, NULL },
	{ "given_broadcast_one", IN("[3]"), "Normalization: {mean: [1], variance: [2]}", 0, 0, NULL },
	{ "given_two_axes", IN("[4, 5, 3]"),
	  "Normalization: {axis: [1, 2], mean: [[1, 2, 3, 4, 5]], variance: [[1, 1, 1, 1, 1]]}", 0, 0, NULL },
	{ "given_null", IN("[3]"), "Normalization: {mean: null, variance: null, invert: true}", 7, 28, NULL },
	/* refusals: Keras's, in our words */
	{ "axis_out_of_range", IN("[4, 4]"), "Normalization: {axis: 3}", 0, 0,
	  "4:5: Normalization 'normalization': all axis values must be in the range [-ndim, ndim); received "
	  "inputs with ndim=3, while axis=(3,)" },
	{ "axis_unknown_size", IN("[null, 3]"), "Normalization: {axis: [2, 1]}", 0, 0,
	  "4:5: Normalization 'normalization': all axis values to be kept must have a known shape; received "
	  "axis=(2, 1), inputs.shape=(None, None, 3), with unknown axis at index 1" },
	{ "mean_alone", IN("[3]"), "Normalization: {mean: [1, 2, 3]}", 0, 0,
	  "4:5: Normalization 'normalization': when setting values directly, both mean and variance must be "
	  "set; received a mean but no variance" },
	{ "shapes_differ", IN("[3]"), "Normalization: {mean: [1, 2, 3], variance: [1, 2]}", 0, 0,
	  "4:5: Normalization 'normalization': when setting values directly, mean and variance must have the "
	  "same shape; received mean shape (3,) and variance shape (2,)" },
	{ "mean_rank_too_high", IN("[3]"), "Normalization: {mean: [[1, 2, 3]], variance: [[1, 2, 3]]}", 0, 0,
	  "4:5: Normalization 'normalization': the rank of mean must be less than or equal to the number of "
	  "axes (1); received mean shape (1, 3) for axis (-1,)" },
	{ "mean_not_broadcast", IN("[3]"), "Normalization: {mean: [1, 2], variance: [1, 2]}", 0, 0,
	  "4:5: Normalization 'normalization': mean and variance of shape (2,) cannot be broadcast to the "
	  "kept axes' shape (3,)" },
	{ "mean_ragged", IN("[3]"), "Normalization: {mean: [[1, 2], [3]], variance: 1}", 0, 0,
	  "4:36: mean: entry 2 has shape (1,), but the first has shape (2,); expected an array: lists of one "
	  "shape at each depth" },
	{ "mean_text", IN("[3]"), "Normalization: {mean: zero, variance: 1}", 0, 0,
	  "4:27: mean: expected a number or a list of numbers, got 'zero'" },
};

static void check_normalization(void **state)
{
	const struct row *r = *state;
	char yaml[512];
	snprintf(yaml, sizeof(yaml), "%s  - %s\n", r->input, r->layer);
	/* the Normalization entry is on line 4: the last layer */
	const char *nl = yaml;
	for (int i = 0; i < 3; i++)
		nl = strchr(nl, '\n') + 1;
	if (strncmp(nl, "  - Normalization", 17))
		fail_msg("the layer is not on line 4:\n%s", yaml);
	bool first = nl == strstr(yaml, "layers:\n") + 8;
	struct cs_error err;
	cs_model *m = cs_model_load_buffer(yaml, strlen(yaml), "t.yaml", &err);
	if (r->error) {
		assert_null(m);
		char got[1200];
		snprintf(got, sizeof(got), "%u:%u: %s", err.line, err.column, err.message);
		assert_string_equal(got, r->error);
		return;
	}
	if (!m)
		fail_msg("%u:%u: %s", err.line, err.column, err.message);
	struct cs_layer_info li;
	cs_model_layer(m, first ? 0 : 1, &li);
	assert_string_equal(li.class_name, "Normalization");
	assert_int_equal(li.trainable_params, 0);
	assert_int_equal(li.non_trainable_params, r->params);
	assert_int_equal(li.non_trainable_bytes, r->bytes);
	/* the output is the input's shape */
	struct cs_input_info in;
	cs_model_input(m, 0, &in);
	assert_int_equal(li.rank, in.rank);
	assert_memory_equal(li.dims, in.dims, li.rank * sizeof(int64_t));
	struct cs_totals t;
	cs_model_totals(m, &t);
	assert_int_equal(t.non_trainable_params, r->params);
	assert_int_equal(t.non_trainable_bytes, r->bytes);
	cs_model_destroy(m);
}

/* EfficientNetB0 whole, with Keras's totals: tests/functional/efficientnetb0.yaml
 * (tests/cli.py). */
int main(void)
{
	return RUN_TABLE("normalization", check_normalization, rows);
}
