/* Figures beyond Keras: each row a small model and its last layer's
 * MACs, other ops, activation bytes and receptive field, worked out by hand
 * (formula beside each); then the audit's warnings. */
#include "helpers.h"

struct row {
	const char *name;
	const char *yaml;
	int64_t macs, mult_adds, other_ops, activation_bytes;
	int naxes;
	double rf, stride, padding;	/* on the first spatial axis */
};

#define IN(shape) "input_shape: " shape "\nlayers:\n  - "

static const struct row rows[] = {
	/* Cout*Cin*k*k*out = 5*3*9*(8*8) = 8640; bias adds 5*64 = 320; 320 floats */
	{ "conv_scenario3", IN("[10, 10, 3]") "Conv2D: {filters: 5, kernel_size: 3}",
	  8640, 8960, 320, 1280, 2, 3, 1, 0 },
	/* fused relu: one more op per output element: (1 + 1) * 320 */
	{ "conv_with_relu", IN("[10, 10, 3]") "Conv2D: {filters: 5, kernel_size: 3, activation: relu}",
	  8640, 8960, 640, 1280, 2, 3, 1, 0 },
	/* out 5x5: 4*3*9*25 = 2700; jump 2 */
	{ "conv_stride2_valid", IN("[11, 11, 3]") "Conv2D: {filters: 4, kernel_size: 3, strides: 2}",
	  2700, 2800, 100, 400, 2, 3, 2, 0 },
	/* out 6x6: 4*27*36 = 3888; 'same' pads (6-1)*2+3-11 = 2, 1 before */
	{ "conv_stride2_same", IN("[11, 11, 3]") "Conv2D: {filters: 4, kernel_size: 3, strides: 2, padding: same}",
	  3888, 4032, 144, 576, 2, 3, 2, 1 },
	/* dilation 2: the window spans 2*(3-1)+1 = 5 */
	{ "conv_dilated", IN("[10, 10, 1]") "Conv2D: {filters: 2, kernel_size: 3, dilation_rate: 2, use_bias: false}",
	  2 * 1 * 9 * 36, 2 * 1 * 9 * 36, 0, 2 * 36 * 4, 2, 5, 1, 0 },
	/* groups 2: 8 * (4/2) * 9 * 36 = 5184 */
	{ "conv_groups", IN("[8, 8, 4]") "Conv2D: {filters: 8, kernel_size: 3, groups: 2, use_bias: false}",
	  5184, 5184, 0, 288 * 4, 2, 3, 1, 0 },
	/* depthwise: 8 channels out, each 9 MACs a position: 8*9*36 = 2592 */
	{ "depthwise", IN("[8, 8, 4]") "DepthwiseConv2D: {kernel_size: 3, depth_multiplier: 2, use_bias: false}",
	  2592, 2592, 0, 288 * 4, 2, 3, 1, 0 },
	/* separable: depthwise 4*9*36 = 1296 plus pointwise 4*6*36 = 864 */
	{ "separable", IN("[8, 8, 4]") "SeparableConv2D: {filters: 6, kernel_size: 3, use_bias: false}",
	  2160, 2160, 0, 216 * 4, 2, 3, 1, 0 },
	/* transposed: every input position meets the kernel: 8*3*9*16 = 3456;
	 * torchinfo counts the kernel at every output position: 216*(9*9);
	 * jump 1/2, rf 1 + (3-1)/2 = 2, padding (3-1)/2 = 1 */
	{ "conv_transpose", IN("[4, 4, 8]") "Conv2DTranspose: {filters: 3, kernel_size: 3, strides: 2, use_bias: false}",
	  3456, 216 * 81, 0, 243 * 4, 2, 2, 0.5, 1 },
	/* Dense per position: 16*32*10 = 5120; bias 32*10 */
	{ "dense_3d", IN("[10, 16]") "Dense: {units: 32}", 5120, 5440, 320, 1280, 1, 1, 1, 0 },
	/* pooling: a window of 4 for each of 4*4*2 outputs */
	{ "max_pooling", IN("[9, 9, 2]") "MaxPooling2D", 0, 0, 128, 128, 2, 2, 2, 0 },
	/* global pooling reads every input element: 5*5*7; its field is the grid */
	{ "global_pooling", IN("[5, 5, 7]") "GlobalAveragePooling2D", 0, 0, 175, 28, 2, 5, 1, 0 },
	/* the layer's own channels_first: 5 channels, a 7x3 grid, field 7 */
	{ "global_pooling_channels_first", IN("[5, 7, 3]") "GlobalAveragePooling2D: {data_format: channels_first}",
	  0, 0, 105, 20, 2, 7, 1, 0 },
	/* BatchNormalization at inference: a scale and a shift per element;
	 * torchinfo: gamma and beta once a sample (the moving statistics are
	 * PyTorch's buffers) */
	{ "batch_norm", IN("[6, 6, 8]") "BatchNormalization", 0, 16, 576, 1152, 2, 1, 1, 0 },
	/* channels first, frozen, no beta: gamma alone, 5 */
	{ "batch_norm_frozen_no_center", IN("[5, 6, 6]")
	  "BatchNormalization: {axis: 1, center: false, trainable: false}", 0, 5, 360, 720, 2, 1, 1, 0 },
	/* renorm's three more statistics are not parameters either */
	{ "batch_norm_renorm", IN("[6, 6, 8]") "BatchNormalization: {renorm: true}", 0, 16, 576, 1152, 2, 1, 1, 0 },
	/* embedding: a lookup; torchinfo counts its table once a sample; the
	 * sequence axis starts its own field */
	{ "embedding", IN("[20]") "Embedding: {input_dim: 100, output_dim: 8}", 0, 800, 0, 640, 1, 1, 1, 0 },
	/* PReLU: alpha for every element (4*4*3), once a sample */
	{ "prelu", IN("[4, 4, 3]") "PReLU", 0, 48, 48, 192, 2, 1, 1, 0 },
	/* PReLU shared over the grid: 3 alphas */
	{ "prelu_shared", IN("[4, 4, 3]") "PReLU: {shared_axes: [1, 2]}", 0, 3, 48, 192, 2, 1, 1, 0 },
	/* LayerNormalization: gamma and beta of the last axis, 2*3 */
	{ "layer_norm", IN("[4, 4, 3]") "LayerNormalization", 0, 6, 192, 192, 2, 1, 1, 0 },
	/* depthwise with its bias: (9 + 1) * 8 channels at 36 positions */
	{ "depthwise_bias", IN("[8, 8, 4]") "DepthwiseConv2D: {kernel_size: 3, depth_multiplier: 2}",
	  2592, 80 * 36, 288, 288 * 4, 2, 3, 1, 0 },
	/* separable with its bias: (4*9 + 4*6 + 6) at 36 positions */
	{ "separable_bias", IN("[8, 8, 4]") "SeparableConv2D: {filters: 6, kernel_size: 3}",
	  2160, 66 * 36, 216, 216 * 4, 2, 3, 1, 0 },
	/* channels first: the positions are the last two axes, 6*6 */
	{ "conv_channels_first", IN("[3, 8, 8]") "Conv2D: {filters: 4, kernel_size: 3, data_format: channels_first}",
	  4 * 27 * 36, 112 * 36, 144, 144 * 4, 2, 3, 1, 0 },
	/* a transposed channels-first 1-D convolution: (2*3*3 + 3) at 11
	 * output positions ((5-1)*2 + 3) */
	{ "conv1d_transpose_channels_first", IN("[2, 5]")
	  "Conv1DTranspose: {filters: 3, kernel_size: 3, strides: 2, data_format: channels_first}",
	  2 * 3 * 3 * 5, 21 * 11, 33, 33 * 4, 1, 2, 0.5, 1 },
	/* upsampling halves the jump */
	{ "upsampling", IN("[4, 4, 1]") "UpSampling2D", 0, 0, 0, 256, 2, 1, 0.5, 0 },
	/* zero padding moves the start by the padding */
	{ "zero_padding", IN("[4, 4, 1]") "ZeroPadding2D: {padding: 2}", 0, 0, 0, 256, 2, 1, 1, 2 },
	/* conv 3 (rf 3) -> pool 2 (rf 4, jump 2) -> conv 3 (rf 4 + 2*2 = 8) */
	{ "chain", IN("[28, 28, 1]") "Conv2D: {filters: 2, kernel_size: 3, use_bias: false}\n"
	  "  - MaxPooling2D\n  - Conv2D: {filters: 2, kernel_size: 3, use_bias: false}",
	  2 * 2 * 9 * 121, 2 * 2 * 9 * 121, 0, 242 * 4, 2, 8, 2, 0 },
	/* float16 outputs: 2 bytes an element */
	{ "float16_activations", IN("[4]") "Dense: {units: 3, dtype: float16}", 12, 15, 3, 6, 0, 0, 0, 0 },
	/* mixed precision computes in 16 bits */
	{ "mixed_float16", IN("[4]") "Dense: {units: 3, dtype: mixed_float16}", 12, 15, 3, 6, 0, 0, 0, 0 },
	/* an unknown length makes the counts unknown */
	{ "unknown_length", IN("[null, 8]") "Conv1D: {filters: 4, kernel_size: 3}", -1, -1, -1, -1, 1, 3, 1, 0 },
	/* after Flatten there are no spatial axes */
	{ "flatten", IN("[3, 4, 5]") "Flatten", 0, 0, 0, 240, 0, 0, 0, 0 },
};

static void check_row(void **state)
{
	const struct row *r = *state;
	cs_model *m = load_ok(r->yaml);
	struct cs_figures f, last;
	for (size_t i = 0; cs_model_layer_figures(m, i, &f) == 0; i++)
		last = f;
	assert_int_equal(last.macs, r->macs);
	assert_int_equal(last.flops, r->macs < 0 ? -1 : 2 * r->macs);
	assert_int_equal(last.mult_adds, r->mult_adds);
	assert_int_equal(last.other_ops, r->other_ops);
	assert_int_equal(last.activation_bytes, r->activation_bytes);
	assert_int_equal(last.naxes, r->naxes);
	if (r->naxes) {
		assert_true(last.receptive_field[0] == r->rf);
		assert_true(last.effective_stride[0] == r->stride);
		assert_true(last.effective_padding[0] == r->padding);
	}
	cs_model_destroy(m);
}

struct audit_row {
	const char *name;
	const char *yaml;
	size_t warnings;
	const char *first;	/* a part of the first warning */
	unsigned line;
};

static const struct audit_row audit_rows[] = {
	{ "clean", IN("[8, 8, 1]") "Conv2D: {filters: 2, kernel_size: 3, padding: same}\n  - MaxPooling2D\n"
	  "  - Conv2D: {filters: 2, kernel_size: 3, padding: same}", 0, NULL, 0 },
	{ "dropped_rows", IN("[10, 10, 1]") "Conv2D: {filters: 2, kernel_size: 3, strides: 2}",
	  4, "the last 1 cell of its 10-long height is never read", 3 },	/* 2 axes + 2 fields */
	{ "asymmetric_same", IN("[8, 8, 1]") "Conv2D: {filters: 2, kernel_size: 2, padding: same}",
	  4, "padding 'same' is not symmetric on the height: 0 before and 1 after", 3 },
	{ "dense_on_image", IN("[4, 4, 2]") "Dense: {units: 3}", 1, "Dense on an input of rank 4", 3 },
	{ "bias_before_batch_norm", IN("[4, 4, 2]") "Conv2D: {filters: 2, kernel_size: 1}\n  - BatchNormalization",
	  3, "its bias is cancelled by the BatchNormalization", 3 },
	{ "small_receptive_field", IN("[16, 16, 1]") "Conv2D: {filters: 2, kernel_size: 3, padding: same}",
	  2, "the last convolution sees 3 of the input's 16 cells", 3 },
};

static void check_audit(void **state)
{
	const struct audit_row *r = *state;
	struct cs_error err;
	struct cs_load_options opt = { .audit = 1 };
	cs_model *m = cs_model_load_buffer_opts(r->yaml, strlen(r->yaml), "test.yaml", &opt, &err);
	assert_non_null(m);
	assert_int_equal(cs_model_warning_count(m), r->warnings);
	if (r->first) {
		unsigned line, col;
		const char *msg = cs_model_warning(m, 0, &line, &col);
		if (!strstr(msg, r->first))
			fail_msg("warning \"%s\" does not contain \"%s\"", msg, r->first);
		assert_int_equal(line, r->line);
	}
	cs_model_destroy(m);
}

/* 980 layers: past what Keras builds; 979: not yet. */
static void audit_long_chain(void **state)
{
	(void)state;
	for (int n = 979; n <= 980; n++) {
		size_t cap = 64 + (size_t)n * 12, at;
		char *yaml = malloc(cap);
		at = (size_t)snprintf(yaml, cap, "input_shape: [4]\nlayers:\n");
		for (int i = 0; i < n; i++)
			at += (size_t)snprintf(yaml + at, cap - at, "  - ReLU\n");
		struct cs_error err;
		struct cs_load_options opt = { .audit = 1 };
		cs_model *m = cs_model_load_buffer_opts(yaml, at, "chain.yaml", &opt, &err);
		assert_non_null(m);
		assert_int_equal(cs_model_warning_count(m), n == 980 ? 1 : 0);
		if (n == 980) {
			unsigned line, col;
			assert_non_null(strstr(cs_model_warning(m, 0, &line, &col), "RecursionError"));
			assert_int_equal(line, 2 + 980);	/* the 980th layer */
		}
		cs_model_destroy(m);
		free(yaml);
	}
}

int main(void)
{
	int rc = RUN_TABLE("figures", check_row, rows);
	rc |= RUN_TABLE("audit", check_audit, audit_rows);
	const struct CMUnitTest misc[] = { cmocka_unit_test(audit_long_chain) };
	rc |= cmocka_run_group_tests_name("audit: long chains", misc, NULL, NULL);
	return rc;
}
