/* The merge layers' rules on inputs given by hand: each row a class, its
 * arguments and its input shapes, with the output shape (worked out by
 * hand, or read from the Keras 3 references in conformance/functional/:
 * merge_layers, inception_block, unet_small) or Keras's refusal in our
 * words, and the cost the rule counts. */
#include "helpers.h"
#include "args.h"
#include "buf.h"
#include "layers/layers.h"

#define MAXIN 8
#define N CS_NONE
#define UNKNOWN (-1)	/* a cost that depends on an unknown size */

struct shape {
	int rank;
	int64_t d[6];
};

struct row {
	const char *name;
	const char *cls;
	int64_t axis;		/* Concatenate's */
	int64_t axes[2];	/* Dot's: a pair, or with one, one integer */
	bool one, normalize;
	int nin;
	struct shape in[MAXIN];
	const char *out;	/* the output shape, or NULL */
	const char *error;	/* else the whole message */
	int64_t macs, other_ops, elem_ops;
	const char *explain;	/* its first line of --explain, or NULL */
	bool resets;		/* no receptive field after it */
};

#define S1(a) { 1, { a } }
#define S2(a, b) { 2, { a, b } }
#define S3(a, b, c) { 3, { a, b, c } }
#define S4(a, b, c, d) { 4, { a, b, c, d } }

#define CONCAT(ax) "Concatenate", ax, { 0, 0 }, false, false
#define DOT(a, b) "Dot", -1, { a, b }, false, false
#define DOT1(a) "Dot", -1, { a, a }, true, false
#define ELEM(cls) cls, -1, { 0, 0 }, false, false

static const struct row rows[] = {
	/* ---- Concatenate ---- */
	/* inception_block's mixed_3a: axis 3, four branches */
	{ "concat_inception_four_branches", CONCAT(3), 4,
	  { S4(N, 28, 28, 64), S4(N, 28, 28, 128), S4(N, 28, 28, 32), S4(N, 28, 28, 32) },
	  "(None, 28, 28, 256)", NULL, 0, 0, 0, "channels = 64 + 128 + 32 + 32 = 256", false },
	/* its mixed_3b and unet_small's skips: the default axis, -1 */
	{ "concat_inception_default_axis", CONCAT(-1), 2, { S4(N, 28, 28, 32), S4(N, 28, 28, 32) },
	  "(None, 28, 28, 64)", NULL, 0, 0, 0, "channels = 32 + 32 = 64", false },
	{ "concat_unet_skip", CONCAT(-1), 2, { S4(N, 64, 64, 16), S4(N, 64, 64, 16) },
	  "(None, 64, 64, 32)", NULL, 0, 0, 0, NULL, false },
	/* merge_layers's `all`: 8*4 + 1 + 32*2 = 97 features, and all_plus */
	{ "concat_seven_inputs", CONCAT(1), 7,
	  { S2(N, 8), S2(N, 8), S2(N, 8), S2(N, 8), S2(N, 1), S2(N, 32), S2(N, 32) },
	  "(None, 97)", NULL, 0, 0, 0, "features = 8 + 8 + 8 + 8 + 1 + 32 + 32 = 97", false },
	{ "concat_all_plus", CONCAT(-1), 2, { S2(N, 97), S2(N, 4) }, "(None, 101)", NULL, 0, 0, 0, NULL, false },
	/* a spatial axis, counted from the front and from the back */
	{ "concat_axis_1", CONCAT(1), 2, { S3(N, 4, 8), S3(N, 6, 8) }, "(None, 10, 8)", NULL, 0, 0, 0,
	  "axis 1 = 4 + 6 = 10", true },
	{ "concat_axis_minus_2", CONCAT(-2), 2, { S3(N, 4, 8), S3(N, 2, 8) }, "(None, 6, 8)", NULL, 0, 0, 0,
	  NULL, true },
	/* an unknown size on the axis makes the sum unknown */
	{ "concat_none_on_axis", CONCAT(1), 2, { S3(N, N, 8), S3(N, 4, 8) }, "(None, None, 8)", NULL, 0, 0,
	  0, "axis 1: None  (input 1's size there is unknown)", true },
	/* elsewhere None agrees with anything, and the first input's stays */
	{ "concat_none_elsewhere", CONCAT(-1), 2, { S3(N, N, 8), S3(N, 4, 3) }, "(None, None, 11)", NULL, 0,
	  0, 0, NULL, false },
	{ "concat_one_input", CONCAT(-1), 1, { S3(N, 4, 8) }, "(None, 4, 8)", NULL, 0, 0, 0, NULL, false },
	/* the batch axis: Keras drops it from the comparison and sums it */
	{ "concat_batch_axis", CONCAT(0), 2, { S2(2, 8), S2(3, 8) }, "(5, 8)", NULL, 0, 0, 0, NULL, true },
	/* examples/err_concat_shapes */
	{ "concat_spatial_mismatch", CONCAT(-1), 2, { S4(N, 32, 32, 3), S4(N, 16, 16, 3) }, NULL,
	  "Concatenate 'concatenate': a Concatenate layer requires inputs with matching shapes except for "
	  "the concatenation axis; received input_shape=[(None, 32, 32, 3), (None, 16, 16, 3)]", 0, 0, 0,
	  NULL, false },
	{ "concat_ranks_differ", CONCAT(-1), 2, { S2(N, 8), S3(N, 4, 8) }, NULL,
	  "Concatenate 'concatenate': a Concatenate layer requires inputs with matching shapes except for "
	  "the concatenation axis; received input_shape=[(None, 8), (None, 4, 8)]", 0, 0, 0, NULL, false },
	/* the batch is compared too, where both are known */
	{ "concat_batches_differ", CONCAT(-1), 2, { S2(2, 8), S2(3, 8) }, NULL,
	  "Concatenate 'concatenate': a Concatenate layer requires inputs with matching shapes except for "
	  "the concatenation axis; received input_shape=[(2, 8), (3, 8)]", 0, 0, 0, NULL, false },
	{ "concat_axis_out_of_range", CONCAT(3), 2, { S3(N, 4, 8), S3(N, 4, 8) }, NULL,
	  "Concatenate 'concatenate': axis 3 is out of range for input 1 of rank 3 (batch included): "
	  "(None, 4, 8)", 0, 0, 0, NULL, false },

	/* ---- Dot ---- */
	/* merge_layers's dot: 8 products summed, then (batch, 1) */
	{ "dot_2d", DOT1(1), 2, { S2(N, 8), S2(N, 8) }, "(None, 1)", NULL, 8, 0, 0,
	  "sums 8 products per output element: axis 1 of (None, 8), axis 1 of (None, 8)", true },
	/* merge_layers's dot_3d: (4, 8) . (1, 8) over the 8s: (4, 1), 4*1*8 */
	{ "dot_3d_pair", DOT(2, 2), 2, { S3(N, 4, 8), S3(N, 1, 8) }, "(None, 4, 1)", NULL, 32, 0, 0, NULL, true },
	/* a negative integer wraps around each input's rank: 2 and 1 */
	{ "dot_minus_one_each_rank", DOT1(-1), 2, { S3(N, 4, 8), S2(N, 8) }, "(None, 4)", NULL, 32, 0, 0,
	  NULL, true },
	/* ... as Python's % does: -3 % 2 is 1 */
	{ "dot_minus_three_wraps", DOT1(-3), 2, { S2(N, 8), S2(N, 8) }, "(None, 1)", NULL, 8, 0, 0, NULL, true },
	/* a pair indexes as given: -1 is the last axis, 5 on both */
	{ "dot_pair_negative", DOT(-1, 1), 2, { S3(N, 3, 5), S3(N, 5, 7) }, "(None, 3, 7)", NULL, 105, 0, 0,
	  NULL, true },
	{ "dot_4d_with_3d", DOT(3, 1), 2, { S4(N, 2, 3, 4), S3(N, 4, 5) }, "(None, 2, 3, 5)", NULL, 120, 0,
	  0, NULL, true },
	/* the batch axis: Keras's compute_output_shape takes the batch out
	 * of the first, and the second's first remaining size after it */
	{ "dot_batch_axis", DOT1(0), 2, { S2(N, 8), S2(N, 8) }, "(8, 1)", NULL, UNKNOWN, 0, 0, NULL, true },
	/* normalize: 3 ops per element of both inputs first */
	{ "dot_normalize", "Dot", -1, { 1, 1 }, true, true, 2, { S2(N, 8), S2(N, 8) }, "(None, 1)", NULL, 8,
	  48, 0, NULL, true },
	/* examples/err_dot_axes */
	{ "dot_sizes_differ", DOT1(1), 2, { S2(N, 8), S2(N, 6) }, NULL,
	  "Dot 'dot': incompatible input shapes: axis values 8 (at axis 1) != 6 (at axis 1); full input "
	  "shapes: (None, 8), (None, 6)", 0, 0, 0, NULL, false },
	/* Keras compares None with a size as Python does: unequal */
	{ "dot_none_against_size", DOT(-1, 1), 2, { S2(N, N), S2(N, 8) }, NULL,
	  "Dot 'dot': incompatible input shapes: axis values None (at axis -1) != 8 (at axis 1); full input "
	  "shapes: (None, None), (None, 8)", 0, 0, 0, NULL, false },
	{ "dot_pair_out_of_range", DOT(-3, -3), 2, { S2(N, 8), S2(N, 8) }, NULL,
	  "Dot 'dot': axes: axis -3 is out of range for input 1 of rank 2 (batch included): (None, 8)", 0,
	  0, 0, NULL, false },
	{ "dot_three_inputs", DOT1(1), 3, { S2(N, 8), S2(N, 8), S2(N, 8) }, NULL,
	  "Dot 'dot': a Dot layer should be called on a list of 2 inputs; received input_shape=[(None, 8), "
	  "(None, 8), (None, 8)]", 0, 0, 0, NULL, false },
	{ "dot_rank_one", DOT1(1), 2, { S1(N), S2(N, 8) }, NULL,
	  "Dot 'dot': cannot do batch_dot on inputs with rank < 2; received inputs with shapes (None,) and "
	  "(None, 8)", 0, 0, 0, NULL, false },

	/* ---- elementwise, as in merge_layers and the examples ---- */
	{ "maximum_broadcast_one", ELEM("Maximum"), 2, { S3(N, 1, 8), S3(N, 4, 8) }, "(None, 4, 8)", NULL, 0,
	  0, 1, "broadcast: (None, 1, 8), (None, 4, 8) -> (None, 4, 8)", false },
	{ "minimum_lower_rank", ELEM("Minimum"), 2, { S2(N, 8), S3(N, 4, 8) }, "(None, 4, 8)", NULL, 0, 0, 1,
	  NULL, false },
	/* two ops per element for three inputs, and Average's division */
	{ "average_three", ELEM("Average"), 3, { S2(N, 8), S2(N, 8), S2(N, 8) }, "(None, 8)", NULL, 0, 0, 3,
	  NULL, false },
	{ "add_incompatible", ELEM("Add"), 2, { S2(N, 8), S2(N, 4) }, NULL,
	  "Add 'add': inputs have incompatible shapes: received shapes (8,) and (4,)", 0, 0, 0, NULL, false },
	{ "subtract_three", ELEM("Subtract"), 3, { S2(N, 8), S2(N, 8), S2(N, 8) }, NULL,
	  "Subtract 'subtract': a Subtract layer should be called on exactly 2 inputs; received "
	  "input_shape=[(None, 8), (None, 8), (None, 8)]", 0, 0, 0, NULL, false },
};

/* The shape as Keras prints it, written out here rather than with the
 * library's formatter. */
static const char *text_of(const struct cs_shape *s, char *buf, size_t size)
{
	size_t at = (size_t)snprintf(buf, size, "(");
	for (int i = 0; i < s->rank && at < size; i++)
		at += s->d[i] < 0 ? (size_t)snprintf(buf + at, size - at, "%sNone", i ? ", " : "")
				  : (size_t)snprintf(buf + at, size - at, "%s%lld", i ? ", " : "",
						     (long long)s->d[i]);
	if (at < size)
		snprintf(buf + at, size - at, ")");
	return buf;
}

static void check_merge(void **state)
{
	const struct row *r = *state;
	const struct cs_layer_class *cls = cs_layer_class_find(r->cls);
	assert_non_null(cls);
	struct cs_args a;
	cs_args_defaults(cls, &a);
	a.axis = r->axis;
	a.dot_axes.v[0] = r->axes[0];
	a.dot_axes.v[1] = r->axes[1];
	a.dot_axes.one = r->one;
	a.normalize = r->normalize;

	struct cs_shape shapes[MAXIN];
	const struct cs_shape *ins[MAXIN];
	for (int k = 0; k < r->nin; k++) {
		shapes[k].rank = r->in[k].rank;
		memcpy(shapes[k].d, r->in[k].d, sizeof(r->in[k].d));
		ins[k] = &shapes[k];
	}
	struct cs_error err;
	memset(&err, 0, sizeof(err));
	struct cs_buf explain = { 0 };
	struct cs_infer c;
	memset(&c, 0, sizeof(c));
	c.cls = cls;
	c.a = &a;
	c.data_format = CS_DF_LAST;
	c.in = ins[0];
	c.ins = ins;
	c.nin = r->nin;
	c.elem_bytes = 4;
	c.stem = cls->snake;
	c.err = &err;
	c.explain = &explain;
	int rc = cls->infer(&c);
	if (r->error) {
		assert_int_equal(rc, -1);
		assert_string_equal(err.message, r->error);
	} else {
		if (rc != 0)
			fail_msg("%s", err.message);
		char out[256];
		assert_string_equal(text_of(&c.out, out, sizeof(out)), r->out);
		/* merges have no weights */
		assert_int_equal(c.trainable + c.non_trainable, 0);
		assert_int_equal(c.macs, r->macs);
		assert_int_equal(c.other_ops, r->other_ops);
		assert_int_equal(c.elem_ops, r->elem_ops);
		assert_int_equal(c.spatial, r->resets ? CS_SP_RESET : CS_SP_KEEP);
		if (r->explain) {
			assert_true(explain.len > 0);
			const char *nl = memchr(explain.s, '\n', explain.len);
			assert_non_null(nl);
			assert_int_equal((size_t)(nl - explain.s), strlen(r->explain));
			assert_memory_equal(explain.s, r->explain, strlen(r->explain));
		}
	}
	cs_buf_free(&explain);
}

/* A chain hands a merge layer one tensor: each class refuses it in
 * Keras's words (Concatenate and Dot check the list in their own build). */
static void chain_refusals(void **state)
{
	(void)state;
	static const struct {
		const char *layer, *message;
	} cases[] = {
		{ "Add", "6:5: error: Add: a merge layer should be called on a list of inputs; received "
			 "input_shape=(None, 8) (not a list of shapes)" },
		{ "Concatenate", "6:5: error: Concatenate: a Concatenate layer should be called on a list of at "
				 "least 1 input; received input_shape=(None, 8)" },
		{ "Dot: {axes: 1}", "6:5: error: Dot: a Dot layer should be called on a list of 2 inputs; "
				    "received input_shape=(None, 8)" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char yaml[256];
		snprintf(yaml, sizeof(yaml), "# a merge in a chain\ninput_shape: [8]\nlayers:\n"
			 "  - Dense: {units: 8}\n\n  - %s\n", cases[i].layer);
		struct cs_error err;
		cs_model *m = cs_model_load_buffer(yaml, strlen(yaml), "t.yaml", &err);
		assert_null(m);
		char got[1200];
		snprintf(got, sizeof(got), "%u:%u: error: %s", err.line, err.column, err.message);
		assert_string_equal(got, cases[i].message);
	}
}

int main(void)
{
	const struct CMUnitTest other[] = {
		cmocka_unit_test(chain_refusals),
	};
	return RUN_TABLE("merge rules", check_merge, rows) | cmocka_run_group_tests(other, NULL, NULL);
}
