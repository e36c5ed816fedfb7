/* The shape engine: each row a small model whose last layer's output
 * shape and weight counts were worked out by hand (formula beside it). */
#include "helpers.h"
#include "layers/layers.h"
#include "model.h"

struct row {
	const char *name;
	const char *yaml;
	const char *shape;	/* the last layer's output shape */
	int64_t trainable, non_trainable;
	int64_t bytes;		/* total bytes; -1: 4 per parameter */
};

#define IN(shape) "input_shape: " shape "\nlayers:\n  - "

static const struct row rows[] = {
	/* (10-3)/1+1 = 8; (3*3*3+1)*5 = 140 */
	{ "conv2d_scenario3", IN("[10, 10, 3]") "Conv2D: {filters: 5, kernel_size: 3}",
	  "(None, 8, 8, 5)", 140, 0, -1 },
	/* floor((11-3)/2)+1 = 5; (27+1)*4 = 112 */
	{ "conv2d_stride2_valid", IN("[11, 11, 3]") "Conv2D: {filters: 4, kernel_size: 3, strides: 2}",
	  "(None, 5, 5, 4)", 112, 0, -1 },
	/* floor((11-1)/2)+1 = 6 */
	{ "conv2d_stride2_same", IN("[11, 11, 3]") "Conv2D: {filters: 4, kernel_size: 3, strides: 2, padding: same}",
	  "(None, 6, 6, 4)", 112, 0, -1 },
	/* K = 2*(3-1)+1 = 5: 10-5+1 = 6; (9+1)*2 = 20 */
	{ "conv2d_dilation2", IN("[10, 10, 1]") "Conv2D: {filters: 2, kernel_size: 3, dilation_rate: 2}",
	  "(None, 6, 6, 2)", 20, 0, -1 },
	/* kernel 3*3*(4/2)*8 = 144, bias 8 */
	{ "conv2d_groups2", IN("[8, 8, 4]") "Conv2D: {filters: 8, kernel_size: 3, groups: 2}",
	  "(None, 6, 6, 8)", 152, 0, -1 },
	/* rectangular kernel 3x5: 10-3+1 = 8, 12-5+1 = 8; 3*5*2*3 = 90, no bias */
	{ "conv2d_rect_no_bias", IN("[10, 12, 2]") "Conv2D: {filters: 3, kernel_size: [3, 5], use_bias: false}",
	  "(None, 8, 8, 3)", 90, 0, -1 },
	/* causal keeps the length; 3*4*2+2 = 26 */
	{ "conv1d_causal", IN("[10, 4]") "Conv1D: {filters: 2, kernel_size: 3, padding: causal}",
	  "(None, 10, 2)", 26, 0, -1 },
	/* same, stride 3: floor((16-1)/3)+1 = 6; 4*4*2+2 = 34 */
	{ "conv1d_stride3_same", IN("[16, 4]") "Conv1D: {filters: 2, kernel_size: 4, strides: 3, padding: same}",
	  "(None, 6, 2)", 34, 0, -1 },
	/* channels_first: channels are axis 1; still (27+1)*5 */
	{ "conv2d_channels_first", IN("[3, 10, 10]") "Conv2D: {filters: 5, kernel_size: 3, data_format: channels_first}",
	  "(None, 5, 8, 8)", 140, 0, -1 },
	/* 3-D: 8-3+1 = 6 each; 3*3*3*2*4+4 = 220 */
	{ "conv3d", IN("[8, 8, 8, 2]") "Conv3D: {filters: 4, kernel_size: 3}",
	  "(None, 6, 6, 6, 4)", 220, 0, -1 },
	/* transposed valid: (4-1)*2 + max(3, 2) = 9; kernel 3*3*3*8 + 3 = 219 */
	{ "conv2d_transpose_valid", IN("[4, 4, 8]") "Conv2DTranspose: {filters: 3, kernel_size: 3, strides: 2}",
	  "(None, 9, 9, 3)", 219, 0, -1 },
	/* transposed same: 4*2 = 8 */
	{ "conv2d_transpose_same", IN("[4, 4, 8]") "Conv2DTranspose: {filters: 3, kernel_size: 3, strides: 2, padding: same}",
	  "(None, 8, 8, 3)", 219, 0, -1 },
	/* output_padding 1, valid: (4-1)*2 + 3 + 1 = 10 */
	{ "conv2d_transpose_output_padding", IN("[4, 4, 8]")
	  "Conv2DTranspose: {filters: 3, kernel_size: 3, strides: 2, output_padding: 1}",
	  "(None, 10, 10, 3)", 219, 0, -1 },
	/* output_padding 1, same: (4-1)*2 + (3 mod 2) + 1 = 8 */
	{ "conv2d_transpose_same_output_padding", IN("[4, 4, 8]")
	  "Conv2DTranspose: {filters: 3, kernel_size: 3, strides: 2, padding: same, output_padding: 1}",
	  "(None, 8, 8, 3)", 219, 0, -1 },
	/* valid, stride 1 larger than kernel: (5-1)*3 + max(2, 3) = 15 */
	{ "conv1d_transpose_stride_gt_kernel", IN("[5, 2]") "Conv1DTranspose: {filters: 1, kernel_size: 2, strides: 3}",
	  "(None, 15, 1)", 5, 0, -1 },
	/* depthwise: 4*2 channels; 3*3*4*2 + 8 = 80 */
	{ "depthwise_conv2d", IN("[8, 8, 4]") "DepthwiseConv2D: {kernel_size: 3, depth_multiplier: 2}",
	  "(None, 6, 6, 8)", 80, 0, -1 },
	/* separable: depthwise 3*3*4, pointwise 4*6, bias 6 = 66 */
	{ "separable_conv2d", IN("[8, 8, 4]") "SeparableConv2D: {filters: 6, kernel_size: 3}",
	  "(None, 6, 6, 6)", 66, 0, -1 },
	/* MaxPooling2D defaults to 2: floor((9-2)/2)+1 = 4 */
	{ "max_pooling2d_default", IN("[9, 9, 2]") "MaxPooling2D",
	  "(None, 4, 4, 2)", 0, 0, -1 },
	/* same, stride 2: floor((9-1)/2)+1 = 5 */
	{ "average_pooling2d_same", IN("[9, 9, 2]") "AveragePooling2D: {pool_size: 3, strides: 2, padding: same}",
	  "(None, 5, 5, 2)", 0, 0, -1 },
	/* stride differs from pool: floor((10-3)/1)+1 = 8 */
	{ "max_pooling1d_stride1", IN("[10, 2]") "MaxPool1D: {pool_size: 3, strides: 1}",
	  "(None, 8, 2)", 0, 0, -1 },
	{ "global_average_keepdims", IN("[5, 5, 7]") "GlobalAveragePooling2D: {keepdims: true}",
	  "(None, 1, 1, 7)", 0, 0, -1 },
	{ "global_max_channels_first", IN("[7, 5, 5]") "GlobalMaxPooling2D: {data_format: channels_first}",
	  "(None, 7)", 0, 0, -1 },
	/* Dense on the last axis: 16*32 + 32 = 544 */
	{ "dense_3d", IN("[10, 16]") "Dense: {units: 32}", "(None, 10, 32)", 544, 0, -1 },
	/* gamma, beta trainable; moving mean, variance not: 8 each */
	{ "batch_norm", IN("[6, 6, 8]") "BatchNormalization", "(None, 6, 6, 8)", 16, 16, -1 },
	{ "batch_norm_no_center", IN("[6, 6, 8]") "BatchNormalization: {center: false}",
	  "(None, 6, 6, 8)", 8, 16, -1 },
	{ "batch_norm_axis1", IN("[3, 6, 6]") "BatchNormalization: {axis: 1}", "(None, 3, 6, 6)", 6, 6, -1 },
	/* frozen: (4+1)*3 = 15, all non-trainable */
	{ "dense_frozen", IN("[4]") "Dense: {units: 3, trainable: false}", "(None, 3)", 0, 15, -1 },
	/* 100 * 8 */
	{ "embedding", IN("[20]") "Embedding: {input_dim: 100, output_dim: 8}", "(None, 20, 8)", 800, 0, -1 },
	/* one alpha per element: 4*4*2 */
	{ "prelu", IN("[4, 4, 2]") "PReLU", "(None, 4, 4, 2)", 32, 0, -1 },
	{ "prelu_shared", IN("[4, 4, 2]") "PReLU: {shared_axes: [1, 2]}", "(None, 4, 4, 2)", 2, 0, -1 },
	/* 24 elements / 3 = 8 */
	{ "reshape_minus_one", IN("[4, 6]") "Reshape: {target_shape: [-1, 3]}", "(None, 8, 3)", 0, 0, -1 },
	{ "permute", IN("[2, 3, 4]") "Permute: {dims: [3, 1, 2]}", "(None, 4, 2, 3)", 0, 0, -1 },
	{ "repeat_vector", IN("[5]") "RepeatVector: {n: 3}", "(None, 3, 5)", 0, 0, -1 },
	{ "flatten", IN("[3, 4, 5]") "Flatten", "(None, 60)", 0, 0, -1 },
	/* 5+1+2 = 8, 5+3+4 = 12 */
	{ "zero_padding2d_pairs", IN("[5, 5, 1]") "ZeroPadding2D: {padding: [[1, 2], [3, 4]]}",
	  "(None, 8, 12, 1)", 0, 0, -1 },
	/* 10-1-2 = 7, 10-0-1 = 9 */
	{ "cropping2d_pairs", IN("[10, 10, 1]") "Cropping2D: {cropping: [[1, 2], [0, 1]]}",
	  "(None, 7, 9, 1)", 0, 0, -1 },
	{ "cropping1d_default", IN("[10, 1]") "Cropping1D", "(None, 8, 1)", 0, 0, -1 },
	{ "upsampling2d", IN("[4, 4, 1]") "UpSampling2D: {size: [2, 3]}", "(None, 8, 12, 1)", 0, 0, -1 },
	/* gamma and beta over both axes: 2 * 3*4 */
	{ "layer_norm_two_axes", IN("[3, 4]") "LayerNormalization: {axis: [-2, -1]}", "(None, 3, 4)", 24, 0, -1 },
	{ "layer_norm_rms", IN("[3, 4]") "LayerNormalization: {rms_scaling: true}", "(None, 3, 4)", 4, 0, -1 },
	{ "group_norm", IN("[8, 16]") "GroupNormalization: {groups: 4}", "(None, 8, 16)", 32, 0, -1 },
	{ "resizing", IN("[64, 48, 3]") "Resizing: {height: 32, width: 30}", "(None, 32, 30, 3)", 0, 0, -1 },
	/* our extension: padding 1 keeps 10 with k3 */
	{ "explicit_padding_1", IN("[10, 10, 1]") "Conv2D: {filters: 1, kernel_size: 3, padding: 1}",
	  "(None, 10, 10, 1)", 10, 0, -1 },
	/* per axis: 10+2-3+1 = 10, 10+4-3+1 = 12 */
	{ "explicit_padding_per_axis", IN("[10, 10, 1]") "Conv2D: {filters: 1, kernel_size: 3, padding: [1, 2]}",
	  "(None, 10, 12, 1)", 10, 0, -1 },
	/* floor((7+2-3)/2)+1 = 4 */
	{ "explicit_padding_pool", IN("[7, 7, 1]") "MaxPooling2D: {pool_size: 3, strides: 2, padding: 1}",
	  "(None, 4, 4, 1)", 0, 0, -1 },
	/* transposed: (4-1)*2 + 3 - 2 = 7 */
	{ "explicit_padding_transpose", IN("[4, 1]") "Conv1DTranspose: {filters: 1, kernel_size: 3, strides: 2, padding: 1}",
	  "(None, 7, 1)", 4, 0, -1 },
	/* (4+1)*3 = 15 weights of 2 bytes */
	{ "dtype_float16", IN("[4]") "Dense: {units: 3, dtype: float16}", "(None, 3)", 15, 0, 30 },
	{ "dtype_float64", IN("[4]") "Dense: {units: 3, dtype: float64}", "(None, 3)", 15, 0, 120 },
	/* mixed precision keeps float32 variables */
	{ "dtype_mixed_float16", IN("[4]") "Dense: {units: 3, dtype: mixed_float16}", "(None, 3)", 15, 0, 60 },
	{ "dtype_policy_bfloat16", "dtype_policy: bfloat16\n" IN("[4]") "Dense: {units: 3}", "(None, 3)", 15, 0, 30 },
	/* the input's dtype changes no weight */
	{ "input_dtype_float16", "dtype: float16\n" IN("[4]") "Dense: {units: 3}", "(None, 3)", 15, 0, 60 },
	/* LoRA: kernel 16*8 frozen; factors 16*2 and 2*8 and the bias train */
	{ "dense_lora", IN("[16]") "Dense: {units: 8, lora_rank: 2}", "(None, 8)", 56, 128, 736 },
	{ "batch_size", "batch_size: 8\n" IN("[10, 10, 3]") "Conv2D: {filters: 5, kernel_size: 3}",
	  "(8, 8, 8, 5)", 140, 0, -1 },
	/* unknown length stays None: 3*8*4 + 4 = 100 */
	{ "unknown_length", IN("[null, 8]") "Conv1D: {filters: 4, kernel_size: 3}", "(None, None, 4)", 100, 0, -1 },
	{ "input_dim_on_first_layer", "layers:\n  - Dense: {units: 10, input_dim: 784}", "(None, 10)", 7850, 0, -1 },
	{ "input_shape_on_first_layer", "layers:\n  - Conv2D: {filters: 5, kernel_size: 3, input_shape: [10, 10, 3]}",
	  "(None, 8, 8, 5)", 140, 0, -1 },
	/* settings after the layers: the file is read again with them known */
	{ "input_shape_after_layers", "layers:\n  - Conv2D: {filters: 5, kernel_size: 3}\ninput_shape: [10, 10, 3]\n",
	  "(None, 8, 8, 5)", 140, 0, -1 },
	{ "data_format_after_layers", "input_shape: [3, 10, 10]\nlayers:\n  - Conv2D: {filters: 5, kernel_size: 3}\n"
	  "data_format: channels_first\n", "(None, 5, 8, 8)", 140, 0, -1 },
	/* the file's data_format reaches ZeroPadding1D (it takes one: pads the
	 * last axis, 10+2 = 12) but not Cropping1D (always axis 1: 10-2 = 8) */
	{ "file_channels_first_zero_padding1d", "data_format: channels_first\n" IN("[4, 10]") "ZeroPadding1D",
	  "(None, 4, 12)", 0, 0, -1 },
	{ "file_channels_first_cropping1d", "data_format: channels_first\n" IN("[10, 4]") "Cropping1D",
	  "(None, 8, 4)", 0, 0, -1 },
	{ "dtype_policy_after_layers", "input_shape: [4]\nlayers:\n  - Dense: {units: 3}\ndtype_policy: float16\n",
	  "(None, 3)", 15, 0, 30 },
	{ "batch_size_after_layers", "input_shape: [4]\nlayers:\n  - Dense: {units: 3}\nbatch_size: 2\n",
	  "(2, 3)", 15, 0, -1 },
	{ "input_layer_batch_shape", "layers:\n  - Input: {batch_shape: [4, 10]}\n  - Dense: {units: 2}",
	  "(4, 2)", 22, 0, -1 },
	/* renorm (Keras 3.14+): gamma, beta train; moving mean, variance,
	 * moving stddev, renorm mean, renorm stddev do not: 2*8, 5*8 */
	{ "batch_norm_renorm", IN("[6, 6, 8]") "BatchNormalization: {renorm: true}", "(None, 6, 6, 8)", 16, 40, -1 },
	{ "batch_norm_renorm_no_scale", IN("[6, 6, 8]") "BatchNormalization: {renorm: true, scale: false}",
	  "(None, 6, 6, 8)", 8, 40, -1 },
	/* the other two renorm arguments change no weight; renorm false is today's 2C + 2C */
	{ "batch_norm_renorm_off_with_settings", IN("[6, 6, 8]")
	  "BatchNormalization: {renorm: false, renorm_clipping: {rmax: 3, rmin: 0.33, dmax: 5}, renorm_momentum: 0.9}",
	  "(None, 6, 6, 8)", 16, 16, -1 },
	{ "batch_norm_renorm_clipping_null", IN("[4, 3]") "BatchNormalization: {renorm: true, renorm_clipping: null}",
	  "(None, 4, 3)", 6, 15, -1 },
	/* groups -1: one group per channel, 16 groups of 1; gamma and beta 2*16 */
	{ "group_norm_minus_one", IN("[8, 16]") "GroupNormalization: {groups: -1}", "(None, 8, 16)", 32, 0, -1 },
	/* on axis 1: C = 6, 2*6 */
	{ "group_norm_minus_one_axis1", IN("[6, 4]") "GroupNormalization: {groups: -1, axis: 1}", "(None, 6, 4)",
	  12, 0, -1 },
	/* a size-0 axis is legal (Keras refuses only negative sizes) */
	{ "layer_norm_empty_axis", IN("[0, 10]") "LayerNormalization", "(None, 0, 10)", 20, 0, -1 },
	/* (10+1)*3 = 33 whatever the length */
	{ "dense_empty_length", IN("[0, 10]") "Dense: {units: 3}", "(None, 0, 3)", 33, 0, -1 },
	/* no input features: only the bias, (0+1)*3 */
	{ "dense_no_features", IN("[0]") "Dense: {units: 3}", "(None, 3)", 3, 0, -1 },
	{ "flatten_empty", IN("[4, 0, 2]") "Flatten", "(None, 0)", 0, 0, -1 },
	/* same: floor((0-1)/1)+1 = 0 high, 5 wide; (3*3*3+1)*2 = 56 */
	{ "conv2d_same_empty_height", IN("[0, 5, 3]") "Conv2D: {filters: 2, kernel_size: 3, padding: same}",
	  "(None, 0, 5, 2)", 56, 0, -1 },
	/* no input channels: 3*3*0*2 kernel weights, 2 biases; 5-3+1 = 3 */
	{ "conv2d_no_channels", IN("[5, 5, 0]") "Conv2D: {filters: 2, kernel_size: 3}", "(None, 3, 3, 2)", 2, 0, -1 },
	/* transposed, same: 0*2 = 0 long; 3*1*2 + 1 = 7 */
	{ "conv1d_transpose_same_empty", IN("[0, 2]") "Conv1DTranspose: {filters: 1, kernel_size: 3, strides: 2, padding: same}",
	  "(None, 0, 1)", 7, 0, -1 },
	/* same: floor((0-1)/2)+1 = 0, floor((4-1)/2)+1 = 2 */
	{ "max_pooling2d_same_empty", IN("[0, 4, 1]") "MaxPooling2D: {padding: same}", "(None, 0, 2, 1)", 0, 0, -1 },
	{ "batch_norm_no_channels", IN("[4, 0]") "BatchNormalization: {renorm: true}", "(None, 4, 0)", 0, 0, -1 },
	/* 0 elements: the -1 is 0 / 5 = 0 */
	{ "reshape_minus_one_of_empty", IN("[0, 5]") "Reshape: {target_shape: [-1, 5]}", "(None, 0, 5)", 0, 0, -1 },
	{ "reshape_to_zero_entry", IN("[0, 5]") "Reshape: {target_shape: [5, 0]}", "(None, 5, 0)", 0, 0, -1 },
	{ "upsampling_empty", IN("[0, 3, 1]") "UpSampling2D", "(None, 0, 6, 1)", 0, 0, -1 },
	{ "global_pooling_empty", IN("[0, 0, 4]") "GlobalAveragePooling2D", "(None, 4)", 0, 0, -1 },
	{ "batch_size_zero", "batch_size: 0\n" IN("[4]") "Dense: {units: 3}", "(0, 3)", 15, 0, -1 },
	{ "input_batch_shape_zero", "layers:\n  - Input: {batch_shape: [0, 4]}\n  - Dense: {units: 2}",
	  "(0, 2)", 10, 0, -1 },
	{ "input_batch_size_zero", "layers:\n  - Input: {shape: [4], batch_size: 0}\n  - Dense: {units: 2}",
	  "(0, 2)", 10, 0, -1 },
	/* a 1-D layer's explicit padding per axis: [2] is 2, 10+2*2-3+1 = 12;
	 * 3*4*2+2 = 26 */
	{ "explicit_padding_1d_list", IN("[10, 4]") "Conv1D: {filters: 2, kernel_size: 3, padding: [2]}",
	  "(None, 12, 2)", 26, 0, -1 },
	/* [[before, after]]: 10+1+2-3+1 = 11 */
	{ "explicit_padding_1d_pair", IN("[10, 4]") "Conv1D: {filters: 2, kernel_size: 3, padding: [[1, 2]]}",
	  "(None, 11, 2)", 26, 0, -1 },
	/* floor((10+2*1-3)/2)+1 = 5 */
	{ "explicit_padding_1d_pool", IN("[10, 4]") "MaxPooling1D: {pool_size: 3, strides: 2, padding: [1]}",
	  "(None, 5, 4)", 0, 0, -1 },
	/* transposed: (4-1)*2 + 3 - 1 - 1 = 7, as padding: 1 */
	{ "explicit_padding_1d_transpose", IN("[4, 1]")
	  "Conv1DTranspose: {filters: 1, kernel_size: 3, strides: 2, padding: [1]}", "(None, 7, 1)", 4, 0, -1 },
	/* ZeroPadding1D keeps Keras's [before, after]: 10+1+3 = 14 */
	{ "zero_padding1d_pair", IN("[10, 4]") "ZeroPadding1D: {padding: [1, 3]}", "(None, 14, 4)", 0, 0, -1 },
};

static void check_row(void **state)
{
	const struct row *r = *state;
	cs_model *m = load_ok(r->yaml);
	size_t n = cs_model_layer_count(m);
	assert_true(n > 0);
	struct cs_layer_info li;
	cs_model_layer(m, n - 1, &li);
	char shape[256];
	assert_string_equal(shape_text(&li, shape, sizeof(shape)), r->shape);
	assert_int_equal(li.trainable_params, r->trainable);
	assert_int_equal(li.non_trainable_params, r->non_trainable);
	int64_t bytes = li.trainable_bytes + li.non_trainable_bytes;
	assert_int_equal(bytes, r->bytes < 0 ? 4 * (r->trainable + r->non_trainable) : r->bytes);
	cs_model_destroy(m);
}

/* Layers that repeat: a layer takes the results of one like it before it
 * only when its class, arguments and input shape are all that one's.
 * Every row's shape and weights, worked out beside them. */
static const struct {
	const char *name, *yaml;
	const char *rows;	/* "shape weights" per row, "; " between */
} repeats[] = {
	/* one set of arguments on shrinking inputs: 8 -> 6 -> 4 -> 2;
	 * (3*3*3 + 1) * 4 = 112, then (3*3*4 + 1) * 4 = 148 */
	{ "same_arguments", IN("[8, 8, 3]") "Conv2D: {filters: 4, kernel_size: 3}\n"
	  "  - Conv2D: {filters: 4, kernel_size: 3}\n  - Conv2D: {filters: 4, kernel_size: 3}\n",
	  "(None, 6, 6, 4) 112; (None, 4, 4, 4) 148; (None, 2, 2, 4) 148" },
	/* one input shape, other arguments: 4*4 + 4 = 20, 16 without bias,
	 * 20 again, then 4*2 + 2 = 10 */
	{ "same_input", IN("[4]") "Dense: {units: 4}\n  - Dense: {units: 4}\n"
	  "  - Dense: {units: 4, use_bias: false}\n  - Dense: {units: 4}\n  - Dense: {units: 2}\n",
	  "(None, 4) 20; (None, 4) 20; (None, 4) 16; (None, 4) 20; (None, 2) 10" },
	/* classes in turn: 16 -> 14 -> 7 -> 5 -> 2; (9 + 1) * 2 = 20,
	 * (9*2 + 1) * 2 = 38 */
	{ "classes_in_turn", IN("[16, 16, 1]") "Conv2D: {filters: 2, kernel_size: 3}\n"
	  "  - MaxPooling2D: {pool_size: 2}\n  - Conv2D: {filters: 2, kernel_size: 3}\n"
	  "  - MaxPooling2D: {pool_size: 2}\n",
	  "(None, 14, 14, 2) 20; (None, 7, 7, 2) 0; (None, 5, 5, 2) 38; (None, 2, 2, 2) 0" },
};

static void check_repeats(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(repeats) / sizeof(repeats[0]); k++) {
		cs_model *m = load_ok(repeats[k].yaml);
		char got[512] = "", shape[256];
		size_t len = 0;
		for (size_t i = 0; i < cs_model_layer_count(m); i++) {
			struct cs_layer_info li;
			cs_model_layer(m, i, &li);
			len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s %lld", i ? "; " : "",
						shape_text(&li, shape, sizeof(shape)),
						(long long)(li.trainable_params + li.non_trainable_params));
		}
		print_message("%s\n", repeats[k].name);
		assert_string_equal(got, repeats[k].rows);
		cs_model_destroy(m);
	}
}

/* Each class's automatic-name stem, written in the table by hand, is what
 * Keras's rule (to_snake_case() in keras/src/utils/naming.py, as
 * cs_snake_case() writes it) makes of its name. */
static void stems_follow_keras(void **state)
{
	(void)state;
	assert_true(cs_layer_class_count() <= 128);
	for (size_t i = 0; i < cs_layer_class_count(); i++) {
		const struct cs_layer_class *c = cs_layer_class_at(i);
		char buf[128];
		assert_string_equal(cs_snake_case(c->name, buf, sizeof(buf)), c->snake);
	}
}

int main(void)
{
	int rc = RUN_TABLE("engine", check_row, rows);
	const struct CMUnitTest misc[] = { cmocka_unit_test(stems_follow_keras), cmocka_unit_test(check_repeats) };
	rc |= cmocka_run_group_tests_name("registry", misc, NULL, NULL);
	return rc;
}
