/* The loader: the three layer spellings, the three ways to give the
 * input, automatic names, and errors with their place in the file. */
#include "helpers.h"
#include "bigmem.h"
#include "model.h"

/* ---- accepted files ------------------------------------------------------- */

struct names_row {
	const char *name;
	const char *yaml;
	const char *names;	/* the layers' names and classes, "name:Class ..." */
};

static const struct names_row names_rows[] = {
	{ "three_spellings",
	  "input_shape: [8, 8, 1]\nlayers:\n  - Flatten\n  - Dense: {units: 2}\n  - type: Dense\n    units: 3\n",
	  "flatten:Flatten dense:Dense dense_1:Dense" },
	{ "compact_with_null_arguments",
	  "input_shape: [8, 8, 1]\nlayers:\n  - Flatten:\n  - Dropout: {rate: 0.1}\n",
	  "flatten:Flatten dropout:Dropout" },
	{ "keras_snake_case_names",
	  "input_shape: [8, 8, 4]\nlayers:\n  - ReLU\n  - LeakyReLU\n  - PReLU\n  - ELU\n"
	  "  - BatchNormalization\n  - ZeroPadding2D\n  - UpSampling2D\n  - DepthwiseConv2D: {kernel_size: 1}\n",
	  "re_lu:ReLU leaky_re_lu:LeakyReLU p_re_lu:PReLU elu:ELU batch_normalization:BatchNormalization "
	  "zero_padding2d:ZeroPadding2D up_sampling2d:UpSampling2D depthwise_conv2d:DepthwiseConv2D" },
	{ "aliases_print_canonical_class",
	  "input_shape: [8, 8, 4]\nlayers:\n  - Convolution2D: {filters: 1, kernel_size: 1}\n  - MaxPool2D\n"
	  "  - GlobalAvgPool2D\n",
	  "conv2d:Conv2D max_pooling2d:MaxPooling2D global_average_pooling2d:GlobalAveragePooling2D" },
	{ "explicit_names_do_not_touch_counters",
	  "input_shape: [4]\nlayers:\n  - Dense: {units: 2, name: dense_5}\n  - Dense: {units: 2}\n  - Dense: {units: 2}\n",
	  "dense_5:Dense dense:Dense dense_1:Dense" },
	{ "input_layer_first",
	  "layers:\n  - Input: {shape: [4]}\n  - Dense: {units: 2}\n", "dense:Dense" },
	{ "input_layer_class_name",
	  "layers:\n  - InputLayer: {shape: [4]}\n  - Dense: {units: 2}\n", "dense:Dense" },
	{ "keys_in_any_order",
	  "layers:\n  - Dense: {units: 2}\ninput_shape: [4]\nname: m\n", "dense:Dense" },
	{ "no_layers", "input_shape: [4]\nlayers: []\n", "" },
	{ "anchors_without_aliases_are_fine",
	  "input_shape: [4]\nlayers:\n  - Dense: &d {units: 2}\n", "dense:Dense" },
};

static void check_names(void **state)
{
	const struct names_row *r = *state;
	cs_model *m = load_ok(r->yaml);
	char got[1024] = "";
	size_t at = 0;
	for (size_t i = 0; i < cs_model_layer_count(m); i++) {
		struct cs_layer_info li;
		cs_model_layer(m, i, &li);
		at += (size_t)snprintf(got + at, sizeof(got) - at, "%s%s:%s", i ? " " : "", li.name,
				       li.class_name);
	}
	assert_string_equal(got, r->names);
	cs_model_destroy(m);
}

/* ---- refused files ---------------------------------------------------------- */

struct error_row {
	const char *name;
	const char *yaml;
	unsigned line, column;
	const char *message;	/* a part of the message */
};

static const struct error_row error_rows[] = {
	{ "yaml_syntax", "input_shape: [4\nlayers: []\n", 2, 7, "YAML syntax" },
	{ "unknown_class_suggests", "input_shape: [4]\nlayers:\n  - Dens: {units: 2}\n", 3, 5,
	  "unknown layer class 'Dens'; did you mean 'Dense'?" },
	{ "unknown_class_case", "input_shape: [8, 8, 1]\nlayers:\n  - Conv2d: {filters: 2, kernel_size: 3}\n", 3, 5,
	  "did you mean 'Conv2D'?" },
	{ "unknown_argument_suggests", "input_shape: [8, 8, 1]\nlayers:\n  - Conv2D: {filter: 2, kernel_size: 3}\n",
	  3, 14, "Conv2D has no argument 'filter'; did you mean 'filters'?" },
	{ "argument_of_another_class",
	  "input_shape: [8, 8, 1]\nlayers:\n  - DepthwiseConv2D: {kernel_size: 3, kernel_initializer: ones}\n",
	  3, 39, "DepthwiseConv2D has no argument 'kernel_initializer'" },
	{ "mistyped_argument", "input_shape: [8, 8, 1]\nlayers:\n  - Conv2D: {filters: two, kernel_size: 3}\n",
	  3, 23, "filters: expected an integer, got 'two'" },
	{ "quoted_number", "input_shape: [8, 8, 1]\nlayers:\n  - Conv2D: {filters: \"2\", kernel_size: 3}\n",
	  3, 23, "expected an integer, got the string \"2\"" },
	{ "missing_filters", "input_shape: [8, 8, 1]\nlayers:\n  - Conv2D: {kernel_size: 3}\n", 3, 5,
	  "Conv2D: missing required argument 'filters'" },
	{ "missing_units", "input_shape: [8]\nlayers:\n  - Dense\n", 3, 5, "missing required argument 'units'" },
	{ "average_pooling_has_no_default", "input_shape: [8, 8, 1]\nlayers:\n  - AveragePooling2D\n", 3, 5,
	  "missing required argument 'pool_size'" },
	{ "kernel_larger_than_input", "input_shape: [4, 4, 1]\nlayers:\n  - Conv2D: {filters: 2, kernel_size: 3}\n"
	  "  - Conv2D: {filters: 2, kernel_size: 5}\n", 4, 5,
	  "Conv2D 'conv2d_1': kernel_size 5 is larger than its input 2 on axis 1 (padding 'valid')" },
	{ "pool_larger_than_input", "input_shape: [3, 3, 1]\nlayers:\n  - MaxPooling2D: {pool_size: 4}\n", 3, 5,
	  "pool_size 4 is larger than its input 3" },
	{ "zero_filters", "input_shape: [8, 8, 1]\nlayers:\n  - Conv2D: {filters: 0, kernel_size: 3}\n", 3, 23,
	  "filters: expected a positive integer, got 0" },
	{ "negative_input_size", "input_shape: [8, -8, 1]\nlayers: []\n", 1, 18,
	  "size -8 must not be negative (0 or more, or null for unknown)" },
	{ "negative_batch_size", "batch_size: -1\ninput_shape: [4]\nlayers: []\n", 1, 13,
	  "batch_size: expected 0 or more, or null, got -1" },
	{ "negative_input_batch_size", "layers:\n  - Input: {shape: [4], batch_size: -2}\n", 2, 37,
	  "batch_size: expected a non-negative integer, got -2" },
	{ "negative_batch_shape", "layers:\n  - Input: {batch_shape: [-1, 4]}\n", 2, 27, "size -1 must not be negative" },
	{ "no_input_shape", "layers:\n  - Dense: {units: 2}\n", 2, 5, "no input shape" },
	{ "input_given_twice", "input_shape: [4]\nlayers:\n  - Dense: {units: 2, input_shape: [4]}\n", 3, 5,
	  "the input shape is given twice" },
	{ "duplicate_names", "input_shape: [4]\nlayers:\n  - Dense: {units: 2, name: d}\n  - Dense: {units: 2, name: d}\n",
	  4, 5, "duplicate layer name 'd'" },
	{ "automatic_name_collides", "input_shape: [4]\nlayers:\n  - Dense: {units: 2, name: dense_1}\n"
	  "  - Dense: {units: 2}\n  - Dense: {units: 2}\n", 5, 5, "duplicate layer name 'dense_1'" },
	{ "overflow", "input_shape: [2147483647, 2147483647, 2147483647]\nlayers:\n  - Flatten\n", 3, 5,
	  "overflows 64 bits" },
	{ "too_large_dimension", "input_shape: [2147483648]\nlayers: []\n", 1, 15, "out of range" },
	{ "alias_refused", "input_shape: &s [4]\nlayers:\n  - Dense: {units: 2, input_dim: *s}\n", 3, 34,
	  "YAML alias" },
	{ "duplicate_key", "input_shape: [4]\nlayers:\n  - Dense: {units: 2, units: 3}\n", 3, 23, "duplicate key 'units'" },
	{ "two_documents", "input_shape: [4]\nlayers: []\n---\ninput_shape: [4]\n", 3, 1, "a second YAML document" },
	{ "tag_refused", "input_shape: !!python/tuple [4]\nlayers: []\n", 1, 14, "YAML tag" },
	{ "top_level_list", "- Dense\n", 1, 1, "expected a mapping" },
	{ "empty_file", "", 1, 1, "empty" },
	{ "unknown_top_key", "input_shapes: [4]\nlayers: []\n", 1, 1, "did you mean 'input_shape'?" },
	{ "missing_layers", "input_shape: [4]\n", 1, 1, "missing 'layers'" },
	{ "groups_do_not_divide_channels", "input_shape: [8, 8, 3]\nlayers:\n  - Conv2D: {filters: 4, kernel_size: 3, groups: 2}\n",
	  3, 5, "not divisible by groups 2" },
	{ "strides_with_dilation", "input_shape: [8, 8, 3]\nlayers:\n"
	  "  - Conv2D: {filters: 4, kernel_size: 3, strides: 2, dilation_rate: 2}\n", 3, 5, "strides > 1" },
	{ "output_padding_not_below_strides", "input_shape: [8, 8, 3]\nlayers:\n"
	  "  - Conv2DTranspose: {filters: 4, kernel_size: 3, strides: 2, output_padding: 2}\n", 3, 5,
	  "output_padding 2 must be smaller than strides 2" },
	{ "causal_on_conv2d", "input_shape: [8, 8, 3]\nlayers:\n  - Conv2D: {filters: 4, kernel_size: 3, padding: causal}\n",
	  3, 51, "only for Conv1D" },
	{ "reshape_size_mismatch", "input_shape: [4, 6]\nlayers:\n  - Reshape: {target_shape: [5, 5]}\n", 3, 5,
	  "expected the same total size" },
	{ "crop_too_large", "input_shape: [4, 4, 1]\nlayers:\n  - Cropping2D: {cropping: 2}\n", 3, 5,
	  "not smaller than its input" },
	{ "slash_in_name", "input_shape: [4]\nlayers:\n  - Dense: {units: 2, name: a/b}\n", 3, 29, "contains '/'" },
	{ "conv_on_wrong_rank", "input_shape: [8, 3]\nlayers:\n  - Conv2D: {filters: 4, kernel_size: 3}\n", 3, 5,
	  "expected an input of rank 4" },
	{ "invalid_utf8", "name: \"\xff\"\ninput_shape: [4]\nlayers: []\n", 1, 8, "UTF-8" },
	{ "bad_boolean", "input_shape: [4]\nlayers:\n  - Dense: {units: 2, use_bias: yes}\n", 3, 33,
	  "expected true or false" },
	{ "rate_out_of_range", "input_shape: [4]\nlayers:\n  - Dropout: {rate: 1.5}\n", 3, 21, "from 0 to 1" },
	{ "input_not_first", "input_shape: [4]\nlayers:\n  - Dense: {units: 2}\n  - Input: {shape: [2]}\n", 4, 5,
	  "only be the first layer" },
	{ "keras_config_not_yet", "class_name: Sequential\nconfig: {}\n", 1, 1, "Keras config" },
	{ "group_norm_groups_minus_two", "input_shape: [8, 16]\nlayers:\n  - GroupNormalization: {groups: -2}\n",
	  3, 34, "groups: expected a positive integer or -1, got -2" },
	{ "group_norm_groups_zero", "input_shape: [8, 16]\nlayers:\n  - GroupNormalization: {groups: 0}\n",
	  3, 34, "groups: expected a positive integer or -1, got 0" },
	{ "group_norm_minus_one_without_channels", "input_shape: [8, 0]\nlayers:\n  - GroupNormalization: {groups: -1}\n",
	  3, 5, "groups -1 means one group per channel, but its input has 0 channels" },
	{ "group_norm_more_groups_than_channels", "input_shape: [8, 0]\nlayers:\n  - GroupNormalization\n",
	  3, 5, "groups 32 is more than the 0 channels of its input" },
	{ "renorm_not_bool", "input_shape: [4]\nlayers:\n  - BatchNormalization: {renorm: 1}\n", 3, 34,
	  "renorm: expected true or false, got '1'" },
	{ "renorm_clipping_list", "input_shape: [4]\nlayers:\n  - BatchNormalization: {renorm_clipping: [3, 5]}\n",
	  3, 43, "renorm_clipping: expected a mapping or null, got a list" },
	{ "renorm_momentum_word", "input_shape: [4]\nlayers:\n  - BatchNormalization: {renorm_momentum: high}\n",
	  3, 43, "renorm_momentum: expected a number, got 'high'" },
	{ "renorm_misspelt", "input_shape: [4]\nlayers:\n  - BatchNormalization: {renorm_momentun: 0.9}\n",
	  3, 26, "did you mean 'renorm_momentum'?" },
	{ "padding_1d_two_entries", "input_shape: [10, 4]\nlayers:\n  - Conv1D: {filters: 2, kernel_size: 3, padding: [1, 2]}\n",
	  3, 51, "padding: expected an integer, or a list of 1 entry for the one axis ([2], or [[before, after]]), "
	  "got a list of 2" },
	{ "padding_1d_empty_list", "input_shape: [10, 4]\nlayers:\n  - Conv1D: {filters: 2, kernel_size: 3, padding: []}\n",
	  3, 51, "got a list of 0" },
	{ "padding_1d_bad_pair", "input_shape: [10, 4]\nlayers:\n  - Conv1D: {filters: 2, kernel_size: 3, padding: [[1, 2, 3]]}\n",
	  3, 52, "padding: expected an integer or a pair [before, after], got a list" },
	{ "padding_1d_negative", "input_shape: [10, 4]\nlayers:\n  - Conv1D: {filters: 2, kernel_size: 3, padding: [-1]}\n",
	  3, 52, "padding: expected a non-negative integer, got -1" },
	{ "padding_2d_three_entries", "input_shape: [8, 8, 1]\nlayers:\n  - Conv2D: {filters: 2, kernel_size: 3, padding: [1, 2, 3]}\n",
	  3, 51, "expected an integer, a list of 2 integers, or 2 pairs [[before, after], ...], got a list of 3" },
	{ "zero_padding1d_three_entries", "input_shape: [10, 4]\nlayers:\n  - ZeroPadding1D: {padding: [1, 2, 3]}\n",
	  3, 30, "padding: expected an integer or a pair [before, after], got a list of 3" },
	{ "reshape_negative_entry", "input_shape: [4, 6]\nlayers:\n  - Reshape: {target_shape: [-2, 12]}\n", 3, 5,
	  "target_shape entries must be 0 or more, or -1, got -2" },
	{ "reshape_minus_one_beside_zero", "input_shape: [0, 6]\nlayers:\n  - Reshape: {target_shape: [-1, 0]}\n", 3, 5,
	  "cannot infer the -1 of a target_shape whose other sizes multiply to 0" },
	{ "reshape_empty_to_nonempty", "input_shape: [0, 6]\nlayers:\n  - Reshape: {target_shape: [2, 3]}\n", 3, 5,
	  "(0 elements) to target_shape of 6 elements" },
	{ "conv_valid_on_empty_axis", "input_shape: [0, 4]\nlayers:\n  - Conv1D: {filters: 2, kernel_size: 1}\n", 3, 5,
	  "kernel_size 1 is larger than its input 0 on axis 1 (padding 'valid'); the output size would be 0" },
	/* layers whose arguments repeat the last of their class are taken
	 * without reading them again: a difference anywhere still reads them.
	 * The first layer is never remembered, so each model's third layer is
	 * the first taken from memory. */
	{ "memo_then_duplicate_key", "input_shape: [8, 8, 3]\nlayers:\n  - Conv2D: {filters: 4, kernel_size: 3}\n"
	  "  - Conv2D: {filters: 4, kernel_size: 3}\n  - Conv2D: {filters: 4, kernel_size: 3, filters: 4}\n",
	  5, 42, "duplicate key 'filters' (first at line 5)" },
	{ "memo_then_unknown_key", "input_shape: [8, 8, 3]\nlayers:\n  - Conv2D: {filters: 4, kernel_size: 3}\n  - Conv2D: {filters: 4, kernel_size: 3}\n"
	  "  - Conv2D: {filters: 4, kernel_size: 3, bogus: 1}\n", 5, 42, "Conv2D has no argument 'bogus'" },
	/* a remembered key is compared with its value: a key that differs is
	 * still reported before a broken value after it */
	{ "memo_then_unknown_key_bad_value", "input_shape: [8, 8, 3]\nlayers:\n  - Conv2D: {filters: 4, kernel_size: 3}\n  - Conv2D: {filters: 4, kernel_size: 3}\n"
	  "  - Conv2D: {filtres: \"4\\0\", kernel_size: 3}\n", 5, 14,
	  "Conv2D has no argument 'filtres'; did you mean 'filters'?" },
	{ "memo_then_unknown_key_bad_tag", "input_shape: [8, 8, 3]\nlayers:\n  - Conv2D: {filters: 4, kernel_size: 3}\n  - Conv2D: {filters: 4, kernel_size: 3}\n"
	  "  - Conv2D: {filters: 4, kernelsize: !!bogus 3}\n", 5, 26,
	  "Conv2D has no argument 'kernelsize'; did you mean 'kernel_size'?" },
	{ "memo_then_nul_value", "input_shape: [8, 8, 3]\nlayers:\n  - Conv2D: {filters: 4, kernel_size: 3}\n  - Conv2D: {filters: 4, kernel_size: 3}\n"
	  "  - Conv2D: {filters: \"4\\0\", kernel_size: 3}\n", 5, 23, "a NUL character in a value: expected text" },
	{ "memo_then_bad_value", "input_shape: [8, 8, 3]\nlayers:\n  - Conv2D: {filters: 4, kernel_size: 3}\n  - Conv2D: {filters: 4, kernel_size: 3}\n"
	  "  - Conv2D: {filters: 4, kernel_size: 3, strides: 0}\n", 5, 51,
	  "strides: expected a positive integer, got 0" },
	{ "memo_then_tagged_value", "input_shape: [8, 8, 3]\nlayers:\n  - Conv2D: {filters: 4, kernel_size: 3}\n  - Conv2D: {filters: 4, kernel_size: 3}\n"
	  "  - Conv2D: {filters: 4, kernel_size: !!str 3}\n", 5, 39, "kernel_size: expected an integer" },
	{ "memo_then_input_shape", "input_shape: [8, 8, 3]\nlayers:\n  - Conv2D: {filters: 4, kernel_size: 3}\n  - Conv2D: {filters: 4, kernel_size: 3}\n"
	  "  - Conv2D: {filters: 4, kernel_size: 3, input_shape: [8, 8, 3]}\n", 5, 5,
	  "input_shape is only taken from the first layer" },
	{ "memo_then_duplicate_name", "input_shape: [8, 8, 3]\nlayers:\n  - Conv2D: {filters: 4, kernel_size: 3}\n  - Conv2D: {filters: 4, kernel_size: 3, name: x}\n"
	  "  - Conv2D: {filters: 4, kernel_size: 3, name: x}\n", 5, 5, "duplicate layer name 'x'" },
	{ "memo_missing_required", "input_shape: [8]\nlayers:\n  - Dense: {units: 3}\n  - Dense: {units: 3}\n"
	  "  - Dense\n", 5, 5, "Dense: missing required argument 'units'" },
	{ "kernel_size_list_length", "input_shape: [8, 8, 3]\nlayers:\n  - Conv2D: {filters: 4, kernel_size: [3, 3, 3]}\n",
	  3, 39, "expected 2 integers, got a list of 3" },
};

static void check_error(void **state)
{
	const struct error_row *r = *state;
	struct cs_error err;
	cs_model *m = cs_model_load_buffer(r->yaml, strlen(r->yaml), "test.yaml", &err);
	if (m) {
		cs_model_destroy(m);
		fail_msg("accepted a model that must be refused");
	}
	assert_int_equal(err.status, CS_ERR_MODEL);
	if (!strstr(err.message, r->message))
		fail_msg("message \"%s\" does not contain \"%s\"", err.message, r->message);
	assert_int_equal(err.line, r->line);
	assert_int_equal(err.column, r->column);
	assert_string_equal(err.file, "test.yaml");
}

/* Layers with the same argument text share one record, whether read in
 * full or taken from the class's last; a different text (or the same
 * values written differently) is read again, and its layer's figures are
 * its own. */
static void repeated_arguments(void **state)
{
	(void)state;
	static const char yaml[] =
		"input_shape: [8, 8, 3]\nlayers:\n"
		"  - Conv2D: {filters: 3, kernel_size: 3, padding: same}\n"	/* 0: 84 params */
		"  - Conv2D: {filters: 3, kernel_size: 3, padding: same}\n"	/* 1: as 0 */
		"  - ReLU\n"							/* 2 */
		"  - Conv2D: {filters: 3, kernel_size: 3}\n"			/* 3: (6, 6, 3) */
		"  - ReLU\n"							/* 4: as 2 */
		"  - Conv2D: {filters: 3, kernel_size: [3, 3], padding: same}\n"	/* 5: a list */
		"  - Conv2D: {filters: 3, kernel_size: 3, padding: same}\n"	/* 6: as 0 */
		"  - Conv2D: {filters: 3, kernel_size: 3, padding: \"same\"}\n"	/* 7: quoted */
		"  - Conv2D: {filters: 3, kernel_size: 1, padding: same}\n";	/* 8: 12 params */
	struct cs_error err;
	cs_model *m = cs_model_load_buffer(yaml, strlen(yaml), "repeat.yaml", &err);
	assert_non_null(m);
	uint32_t rec[9];
	for (size_t i = 0; i < 9; i++)
		rec[i] = cs_model_at(m, i)->args;
	assert_int_equal(rec[1], rec[0]);
	assert_int_equal(rec[4], rec[2]);
	assert_int_equal(rec[6], rec[0]);
	assert_int_equal(rec[5], rec[0]);	/* [3, 3] is 3: one set, read anew */
	assert_int_equal(rec[7], rec[0]);	/* "same" is same */
	assert_int_not_equal(rec[3], rec[0]);
	assert_int_not_equal(rec[8], rec[0]);
	struct cs_layer_info li;
	static const int64_t params[9] = { 84, 84, 0, 84, 0, 84, 84, 84, 12 };
	static const int64_t side[9] = { 8, 8, 8, 6, 6, 6, 6, 6, 6 };
	for (size_t i = 0; i < 9; i++) {
		cs_model_layer(m, i, &li);
		assert_int_equal(li.trainable_params, params[i]);
		assert_int_equal(li.dims[1], side[i]);
		assert_int_equal(li.dims[3], 3);
	}
	cs_model_destroy(m);
}

/* bigmem.h: small and large pieces come zeroed and writable; a large one
 * is aligned to a huge page. */
static void big_pieces(void **state)
{
	(void)state;
	static const size_t sizes[] = { 1, 4096, CS_BIG_PAGE - 1, CS_BIG_PAGE, 3 * CS_BIG_PAGE + 5 };
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		unsigned char *p = cs_big_alloc(sizes[k]);
		assert_non_null(p);
		if (sizes[k] >= CS_BIG_PAGE)
			assert_int_equal((uintptr_t)p % CS_BIG_PAGE, 0);
		assert_int_equal(p[0], 0);
		assert_int_equal(p[sizes[k] - 1], 0);
		assert_int_equal(p[sizes[k] / 2], 0);
		memset(p, 0xab, sizes[k]);
		cs_big_free(p, sizes[k]);
	}
	cs_big_free(NULL, CS_BIG_PAGE);
}

/* Growing tables faulted in ahead: the mark moves past what is used by
 * CS_BIG_AHEAD, stops at the capacity, and contents are never changed;
 * whole tables come zeroed (NULL when their size overflows); an arena's
 * large blocks (from mmap) hand out zeroed pieces, after a reset too. */
static void ahead_and_tables(void **state)
{
	(void)state;
	size_t cap = 1 << 20, ready = 0;
	unsigned char *t = malloc(cap);
	assert_non_null(t);
	memset(t, 0x5a, cap);
	cs_big_ahead(t, 10, cap, &ready);
	assert_int_equal(ready, 10 + CS_BIG_AHEAD);
	cs_big_ahead(t, 5000, cap, &ready);	/* below the mark: nothing */
	assert_int_equal(ready, 10 + CS_BIG_AHEAD);
	cs_big_ahead(t, cap - 100, cap, &ready);
	assert_int_equal(ready, cap);
	for (size_t i = 0; i < cap; i += 4093)
		assert_int_equal(t[i], 0x5a);
	free(t);
	size_t small_ready = 0;
	unsigned char small[4096];
	cs_big_ahead(small, 1, sizeof(small), &small_ready);
	assert_int_equal(small_ready, sizeof(small));

	uint32_t *z = cs_big_table(100000, sizeof(uint32_t));
	assert_non_null(z);
	for (size_t i = 0; i < 100000; i++)
		assert_int_equal(z[i], 0);
	free(z);
	assert_null(cs_big_table(SIZE_MAX / 2, 4));

	struct cs_arena a;
	cs_arena_init(&a);
	for (int round = 0; round < 2; round++) {
		size_t total = 0;
		while (total < 3 * CS_BIG_AHEAD * 4) {
			size_t n = 1000 + total % 7;
			unsigned char *p = cs_arena_alloc(&a, n);
			assert_non_null(p);
			assert_int_equal(p[0], 0);
			assert_int_equal(p[n - 1], 0);
			memset(p, 0xcd, n);
			total += n;
		}
		cs_arena_reset(&a);
	}
	cs_arena_free(&a);
}

int main(void)
{
	int rc = RUN_TABLE("loader: names", check_names, names_rows);
	rc |= RUN_TABLE("loader: errors", check_error, error_rows);
	const struct CMUnitTest misc[] = { cmocka_unit_test(repeated_arguments),
					   cmocka_unit_test(big_pieces),
					   cmocka_unit_test(ahead_and_tables) };
	rc |= cmocka_run_group_tests_name("loader: records", misc, NULL, NULL);
	return rc;
}
