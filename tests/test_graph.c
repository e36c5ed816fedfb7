/* The graph-shaped core, built by hand: each row a small graph (a model
 * input of shape (None, 4, 8) and a few layers whose inputs are given as
 * references), with the order the engine computes it in and each
 * layer's output shape worked out by hand, or the error it must give. */
#include "helpers.h"
#include "args.h"
#include "layers/layers.h"
#include "model.h"

#define IN CS_REF_INPUT
#define MAXL 5

struct node {
	const char *cls;
	int64_t units;		/* Dense's units, Conv1D's filters */
	int64_t kernel;		/* Conv1D: its kernel, padding same */
	int nin;
	cs_ref in[3];
};

struct row {
	const char *name;
	int nlayers;
	struct node layers[MAXL];
	uint32_t order[MAXL];
	const char *shapes[MAXL];
	int64_t params;		/* the model's total */
	const char *error;	/* or the message, at the layer's line */
	unsigned error_line;
	double rf;		/* the last layer's receptive field; 0: not checked */
};

static const struct row rows[] = {
	/* a residual connection: Dense(8) keeps (4, 8); the sum too;
	 * 8*8 + 8 = 72 */
	{ "add_residual", 2, { { "Dense", 8, 0, 1, { IN } }, { "Add", 0, 0, 2, { IN, 0 } } },
	  { 0, 1 }, { "(None, 4, 8)", "(None, 4, 8)" }, 72, NULL, 0, 0 },
	/* a 1 takes the other size: (4, 8) + (4, 1) = (4, 8); 8 + 1 = 9 */
	{ "add_broadcast_one", 2, { { "Dense", 1, 0, 1, { IN } }, { "Add", 0, 0, 2, { IN, 0 } } },
	  { 0, 1 }, { "(None, 4, 1)", "(None, 4, 8)" }, 9, NULL, 0, 0 },
	/* ranks aligned on the right: (8) with (4, 8) gives (4, 8) */
	{ "add_lower_rank", 2,
	  { { "GlobalAveragePooling1D", 0, 0, 1, { IN } }, { "Add", 0, 0, 2, { 0, IN } } },
	  { 0, 1 }, { "(None, 8)", "(None, 4, 8)" }, 0, NULL, 0, 0 },
	/* one input is allowed, as in Keras */
	{ "add_one_input", 1, { { "Add", 0, 0, 1, { IN } } }, { 0 }, { "(None, 4, 8)" }, 0, NULL, 0, 0 },
	/* a diamond: two branches merged, then the input again */
	{ "diamond", 4,
	  { { "Dense", 8, 0, 1, { IN } }, { "Dense", 8, 0, 1, { IN } }, { "Add", 0, 0, 2, { 0, 1 } },
	    { "Multiply", 0, 0, 2, { 2, IN } } },
	  { 0, 1, 2, 3 }, { "(None, 4, 8)", "(None, 4, 8)", "(None, 4, 8)", "(None, 4, 8)" }, 144, NULL, 0, 0 },
	/* listed out of order: the Dense (line 2) is computed first */
	{ "order_reversed", 2, { { "ReLU", 0, 0, 1, { 1 } }, { "Dense", 5, 0, 1, { IN } } },
	  { 1, 0 }, { "(None, 4, 5)", "(None, 4, 5)" }, 45, NULL, 0, 0 },
	/* a chain of three given backwards */
	{ "order_chain_backwards", 3,
	  { { "Dense", 2, 0, 1, { 1 } }, { "Dense", 3, 0, 1, { 2 } }, { "Dense", 4, 0, 1, { IN } } },
	  { 2, 1, 0 }, { "(None, 4, 2)", "(None, 4, 3)", "(None, 4, 4)" }, 36 + 15 + 8, NULL, 0, 0 },
	/* a merge's receptive field is the largest over its inputs, in any
	 * order: a same-padded Conv1D of 3 and the input itself give 3 */
	{ "merge_field_conv_second", 2, { { "Conv1D", 8, 3, 1, { IN } }, { "Add", 0, 0, 2, { IN, 0 } } },
	  { 0, 1 }, { "(None, 4, 8)", "(None, 4, 8)" }, 3 * 8 * 8 + 8, NULL, 0, 3 },
	{ "merge_field_conv_first", 2, { { "Conv1D", 8, 3, 1, { IN } }, { "Add", 0, 0, 2, { 0, IN } } },
	  { 0, 1 }, { "(None, 4, 8)", "(None, 4, 8)" }, 3 * 8 * 8 + 8, NULL, 0, 3 },
	/* refusals */
	{ "reference_past_the_layers", 1, { { "ReLU", 0, 0, 1, { 5 } } }, { 0 }, { NULL }, 0,
	  "input 1 refers to no layer or model input", 1, 0 },
	{ "reference_past_the_inputs", 2, { { "ReLU", 0, 0, 1, { IN } }, { "Add", 0, 0, 2, { 0, IN | 3 } } },
	  { 0 }, { NULL }, 0, "input 2 refers to no layer or model input", 2, 0 },
	{ "add_incompatible", 2, { { "Dense", 3, 0, 1, { IN } }, { "Add", 0, 0, 2, { IN, 0 } } },
	  { 0, 1 }, { NULL }, 0,
	  "Add 'add': inputs have incompatible shapes: received shapes (4, 8) and (4, 3)", 2, 0 },
	{ "subtract_three", 1, { { "Subtract", 0, 0, 3, { IN, IN, IN } } }, { 0 }, { NULL }, 0,
	  "Subtract 'subtract': a Subtract layer should be called on exactly 2 inputs; received "
	  "input_shape=[(None, 4, 8), (None, 4, 8), (None, 4, 8)]", 1, 0 },
	{ "dense_two_inputs", 1, { { "Dense", 2, 0, 2, { IN, IN } } }, { 0 }, { NULL }, 0,
	  "Dense takes one input, not 2", 1, 0 },
	{ "cycle", 2, { { "ReLU", 0, 0, 1, { 1 } }, { "ReLU", 0, 0, 1, { 0 } } }, { 0 }, { NULL }, 0,
	  "this layer's inputs depend on its own output (a cycle); expected every input to come "
	  "from an earlier layer or a model input", 1, 0 },
};

static cs_model *build(const struct row *r)
{
	cs_model *m = cs_model_new();
	assert_non_null(m);
	static int64_t sample[] = { 4, 8 };
	m->has_input = true;
	m->input_shape.v = sample;
	m->input_shape.n = 2;
	for (int i = 0; i < r->nlayers; i++) {
		const struct node *n = &r->layers[i];
		const struct cs_layer_class *cls = cs_layer_class_find(n->cls);
		assert_non_null(cls);
		struct cs_layer *ly = cs_model_add_layer(m);
		assert_non_null(ly);
		ly->cls = (uint16_t)cs_layer_class_index(cls);
		ly->mark.line = (unsigned)i + 1;
		ly->mark.column = 3;
		ly->in = CS_IN_PREV;
		struct cs_args a;
		cs_args_defaults(cls, &a);
		a.units = n->units;
		if (n->kernel) {
			a.filters = n->units;
			a.kernel_size[0] = n->kernel;
			a.padding.mode = CS_PAD_SAME;
		}
		assert_int_equal(cs_model_intern_args(m, cls, &a, &ly->args), 0);
		assert_int_equal(cs_layer_set_inputs(m, (size_t)i, n->in, (size_t)n->nin), 0);
	}
	return m;
}

static void check_graph(void **state)
{
	const struct row *r = *state;
	cs_model *m = build(r);
	struct cs_error err;
	memset(&err, 0, sizeof(err));
	int rc = cs_model_compute(m, &err);
	if (r->error) {
		assert_int_equal(rc, -1);
		assert_string_equal(err.message, r->error);
		assert_int_equal(err.line, r->error_line);
		cs_model_destroy(m);
		return;
	}
	if (rc != 0)
		fail_msg("%s", err.message);
	uint32_t order[MAXL];
	assert_int_equal(cs_graph_order(m, order, &err), 0);
	for (int i = 0; i < r->nlayers; i++) {
		assert_int_equal(order[i], r->order[i]);
		/* each layer's own inputs, as given */
		assert_int_equal(cs_layer_ninputs(m, (size_t)i), (size_t)r->layers[i].nin);
		for (int k = 0; k < r->layers[i].nin; k++)
			assert_int_equal(cs_layer_input(m, (size_t)i, (size_t)k), r->layers[i].in[k]);
		struct cs_layer_info li;
		cs_model_layer(m, (size_t)i, &li);
		char shape[128];
		assert_string_equal(shape_text(&li, shape, sizeof(shape)), r->shapes[i]);
	}
	struct cs_totals t;
	cs_model_totals(m, &t);
	assert_int_equal(t.trainable_params + t.non_trainable_params, r->params);
	if (r->rf) {
		struct cs_figures f;
		assert_int_equal(cs_model_layer_figures(m, (size_t)r->nlayers - 1, &f), 0);
		assert_int_equal(f.naxes, 1);
		assert_true(f.receptive_field[0] == r->rf);
	}
	cs_model_destroy(m);
}

/* Identical arguments are one record, whatever layers have them; a
 * different value or list is another. */
static void argument_sets_shared(void **state)
{
	(void)state;
	const char *yaml = "input_shape: [16, 16, 3]\nlayers:\n"
			   "  - Conv2D: {filters: 8, kernel_size: 3, padding: same}\n"
			   "  - ReLU\n"
			   "  - Conv2D: {filters: 8, kernel_size: 3, padding: same, name: other}\n"
			   "  - ReLU\n"
			   "  - Conv2D: {filters: 8, kernel_size: 5, padding: same}\n"
			   "  - Reshape: {target_shape: [256, 8]}\n"
			   "  - Reshape: {target_shape: [8, 256]}\n"
			   "  - Reshape: {target_shape: [256, 8]}\n";
	struct cs_error err;
	cs_model *m = cs_model_load_buffer(yaml, strlen(yaml), "t.yaml", &err);
	assert_non_null(m);
	/* conv 3x3 (twice, names aside), relu, conv 5x5, two reshapes */
	assert_int_equal(m->nrecords, 5);
	assert_int_equal(cs_model_at(m, 0)->args, cs_model_at(m, 2)->args);
	assert_int_equal(cs_model_at(m, 1)->args, cs_model_at(m, 3)->args);
	assert_int_not_equal(cs_model_at(m, 2)->args, cs_model_at(m, 4)->args);
	assert_int_equal(cs_model_at(m, 5)->args, cs_model_at(m, 7)->args);
	assert_int_not_equal(cs_model_at(m, 5)->args, cs_model_at(m, 6)->args);
	/* the record's list lives in the model, not in the loader's scratch */
	const struct cs_args *a = cs_layer_args(m, cs_model_at(m, 6));
	assert_int_equal(a->target_shape.n, 2);
	assert_int_equal(a->target_shape.v[0], 8);
	assert_int_equal(a->target_shape.v[1], 256);
	assert_null(a->name);
	cs_model_destroy(m);
}

/* Any row's figures on their own, last row first, as they were when the
 * rows were read in order: no running walk. */
static void rows_stand_alone(void **state)
{
	(void)state;
	const char *yaml = "input_shape: [32, 32, 3]\nlayers:\n"
			   "  - Conv2D: {filters: 8, kernel_size: 3}\n"		/* r 3, j 1 */
			   "  - BatchNormalization\n"				/* r 3 */
			   "  - MaxPooling2D: {pool_size: 2}\n"			/* r 4, j 2 */
			   "  - ReLU\n"						/* r 4, j 2 */
			   "  - Conv2D: {filters: 8, kernel_size: 3, dilation_rate: 2}\n" /* r 4+2*2*2 = 12 */
			   "  - Flatten\n";
	struct cs_error err;
	cs_model *m = cs_model_load_buffer(yaml, strlen(yaml), "t.yaml", &err);
	assert_non_null(m);
	static const double rf[] = { 3, 3, 4, 4, 12 }, jump[] = { 1, 1, 2, 2, 2 };
	struct cs_figures f;
	assert_int_equal(cs_model_layer_figures(m, 5, &f), 0);
	assert_int_equal(f.naxes, 0);	/* flattened */
	for (int i = 4; i >= 0; i--) {
		assert_int_equal(cs_model_layer_figures(m, (size_t)i, &f), 0);
		assert_int_equal(f.naxes, 2);
		assert_true(f.receptive_field[0] == rf[i] && f.receptive_field[1] == rf[i]);
		assert_true(f.effective_stride[0] == jump[i]);
	}
	/* the first convolution: 30*30*8 outputs of 3*3*3 MACs each */
	assert_int_equal(cs_model_layer_figures(m, 0, &f), 0);
	assert_int_equal(f.macs, 30 * 30 * 8 * 27);
	assert_int_equal(cs_model_layer_figures(m, 6, &f), -1);
	cs_model_destroy(m);
}

/* The public API's view of a chain: one input, each layer's input the
 * layer before, the output the last layer's. */
static void chain_through_the_api(void **state)
{
	(void)state;
	const char *yaml = "batch_size: 2\ninput_shape: [6, 6, 3]\nlayers:\n"
			   "  - Conv2D: {filters: 4, kernel_size: 3}\n"
			   "  - ReLU\n"
			   "  - Flatten\n";
	struct cs_error err;
	cs_model *m = cs_model_load_buffer(yaml, strlen(yaml), "t.yaml", &err);
	assert_non_null(m);
	assert_int_equal(cs_model_input_count(m), 1);
	struct cs_input_info in;
	cs_model_input(m, 0, &in);
	assert_string_equal(in.name, "input_layer");
	assert_string_equal(in.dtype, "float32");
	assert_int_equal(in.rank, 4);
	assert_int_equal(in.dims[0], 2);
	assert_int_equal(in.dims[3], 3);
	assert_int_equal(in.line, 2);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(cs_model_layer_input_count(m, i), 1);
		struct cs_tensor t = cs_model_layer_input(m, i, 0);
		assert_int_equal(t.is_input, i == 0);
		assert_int_equal(t.index, i == 0 ? 0 : i - 1);
	}
	assert_int_equal(cs_model_output_count(m), 1);
	struct cs_tensor out = cs_model_output(m, 0);
	assert_false(out.is_input);
	assert_int_equal(out.index, 2);
	cs_model_destroy(m);
}

/* An options struct from an older, shorter header: what lies past its
 * size is never read. */
static void options_grow(void **state)
{
	(void)state;
	const char *yaml = "input_shape: [8, 8, 3]\nlayers:\n  - Conv2D: {filters: 2, kernel_size: 3, strides: 2}\n";
	struct cs_load_options lo = CS_LOAD_OPTIONS_INIT;
	lo.explain = 1;
	lo.audit = 1;	/* (8 - 3) % 2 = 1 cell unread, and a receptive field of
			 * 3 of 8 cells: a finding of each on both axes */
	struct cs_error err;
	cs_model *m = cs_model_load_buffer_opts(yaml, strlen(yaml), "t.yaml", &lo, &err);
	assert_non_null(m);
	assert_int_equal(cs_model_warning_count(m), 4);
	cs_model_destroy(m);
	lo.size = offsetof(struct cs_load_options, explain) + sizeof(lo.explain);
	m = cs_model_load_buffer_opts(yaml, strlen(yaml), "t.yaml", &lo, &err);
	assert_non_null(m);
	assert_int_equal(cs_model_warning_count(m), 0);	/* audit was past the end */
	struct cs_layer_info li;
	cs_model_layer(m, 0, &li);
	assert_non_null(li.explain);
	cs_model_destroy(m);
}

int main(void)
{
	int rc = RUN_TABLE("graph", check_graph, rows);
	const struct CMUnitTest misc[] = { cmocka_unit_test(argument_sets_shared),
					   cmocka_unit_test(rows_stand_alone),
					   cmocka_unit_test(chain_through_the_api),
					   cmocka_unit_test(options_grow) };
	rc |= cmocka_run_group_tests_name("model records", misc, NULL, NULL);
	return rc;
}
