/*
 * Convolutions: Conv1D/2D/3D, their transposes, depthwise and separable.
 *
 * Output size per spatial axis (n input, k kernel, s stride, d dilation,
 * K = d*(k-1) + 1, as Keras's compute_conv_output_shape):
 *   valid: floor((n - K) / s) + 1      same, causal: floor((n - 1) / s) + 1
 *   explicit p (our extension): floor((n + p_before + p_after - K) / s) + 1
 * Transposed (Keras's deconv_output_length):
 *   no output_padding: valid (n-1)*s + max(K, s); same n*s
 *   output_padding o:  valid (n-1)*s + K + o;     same (n-1)*s + (K mod 2) + o
 *   explicit p:        (n-1)*s + K - p_before - p_after + o
 */
#include "layers.h"

#include "checked.h"

#include <stdio.h>


#define CONV_SHAPE_ARGS()                                  \
	CS_TUPLE("kernel_size", CS_REQUIRED | CS_MIN1, kernel_size, 0),           \
	CS_TUPLE("strides", CS_MIN1, strides, 1),                                 \
	CS_PADDING("padding", padding, "valid"),                                  \
	CS_TYPED("data_format", CS_ARG_DATA_FORMAT, CS_NULLABLE, data_format),    \
	CS_TUPLE("dilation_rate", CS_MIN1, dilation_rate, 1),                     \
	CS_TYPED("activation", CS_ARG_ACTIVATION, CS_NULLABLE, activation),       \
	CS_BOOL("use_bias", use_bias, 1),                                         \
	CS_OTHER("bias_initializer"),                                             \
	CS_OTHER("bias_regularizer"),                                             \
	CS_OTHER("bias_constraint")

static const struct cs_arg_spec conv_args[] = {
	CS_INT("filters", CS_REQUIRED | CS_MIN1, filters, 0),
	CONV_SHAPE_ARGS(),
	CS_INT("groups", CS_MIN1, groups, 1),
	CS_OTHER("kernel_initializer"),
	CS_OTHER("kernel_regularizer"),
	CS_OTHER("kernel_constraint"),
	CS_INT("lora_rank", CS_NULLABLE | CS_MIN1, lora_rank, CS_UNSET),
	CS_OTHER("lora_alpha"),
	CS_ARG_END,
};

static const struct cs_arg_spec conv_transpose_args[] = {
	CS_INT("filters", CS_REQUIRED | CS_MIN1, filters, 0),
	CONV_SHAPE_ARGS(),
	CS_TUPLE("output_padding", CS_NULLABLE | CS_MIN0, output_padding, CS_UNSET),
	CS_OTHER("kernel_initializer"),
	CS_OTHER("kernel_regularizer"),
	CS_OTHER("kernel_constraint"),
	CS_ARG_END,
};

static const struct cs_arg_spec depthwise_args[] = {
	CONV_SHAPE_ARGS(),
	CS_INT("depth_multiplier", CS_MIN1, depth_multiplier, 1),
	CS_OTHER("depthwise_initializer"),
	CS_OTHER("depthwise_regularizer"),
	CS_OTHER("depthwise_constraint"),
	CS_ARG_END,
};

static const struct cs_arg_spec separable_args[] = {
	CS_INT("filters", CS_REQUIRED | CS_MIN1, filters, 0),
	CONV_SHAPE_ARGS(),
	CS_INT("depth_multiplier", CS_MIN1, depth_multiplier, 1),
	CS_OTHER("depthwise_initializer"),
	CS_OTHER("pointwise_initializer"),
	CS_OTHER("depthwise_regularizer"),
	CS_OTHER("pointwise_regularizer"),
	CS_OTHER("depthwise_constraint"),
	CS_OTHER("pointwise_constraint"),
	CS_ARG_END,
};

static const struct cs_arg_spec *const conv_groups[] = { cs_common_args, conv_args, NULL };
static const struct cs_arg_spec *const transpose_groups[] = { cs_common_args, conv_transpose_args, NULL };
static const struct cs_arg_spec *const depthwise_groups[] = { cs_common_args, depthwise_args, NULL };
static const struct cs_arg_spec *const separable_groups[] = { cs_common_args, separable_args, NULL };

enum conv_kind { CONV, TRANSPOSE, DEPTHWISE, SEPARABLE };

static int64_t tuple_max(const int64_t *t, int rank)
{
	int64_t m = t[0];
	for (int i = 1; i < rank; i++)
		if (t[i] > m)
			m = t[i];
	return m;
}

/* Checks Keras makes when the layer is created. */
static int check_conv_args(struct cs_infer *c, enum conv_kind kind)
{
	const struct cs_args *a = c->a;
	int r = c->cls->rank;
	if (a->padding.mode == CS_PAD_CAUSAL && !(c->cls->flags & CS_CLS_CAUSAL))
		return cs_infer_fail(c, "padding 'causal' is only for Conv1D; expected 'valid' or 'same'");
	if (tuple_max(a->strides, r) > 1 && tuple_max(a->dilation_rate, r) > 1)
		return cs_infer_fail(c, "strides > 1 cannot be combined with dilation_rate > 1 (Keras refuses it)");
	if (kind == CONV && a->filters % a->groups != 0)
		return cs_infer_fail(c, "filters %lld is not divisible by groups %lld",
				     (long long)a->filters, (long long)a->groups);
	if (kind == TRANSPOSE && a->output_padding[0] != CS_UNSET) {
		for (int i = 0; i < r; i++)
			if (a->output_padding[i] >= a->strides[i])
				return cs_infer_fail(c, "output_padding %lld must be smaller than strides %lld",
						     (long long)a->output_padding[i],
						     (long long)a->strides[i]);
	}
	return 0;
}

static int64_t dilated(int64_t k, int64_t d)
{
	/* both are at most 2^63 / 2 after argument checks keep them in int32 range */
	return d * (k - 1) + 1;
}

static int transpose_out(struct cs_infer *c, int axis, int i, int64_t n, int64_t *out)
{
	const struct cs_args *a = c->a;
	if (n < 0) {
		*out = CS_NONE;
		return 0;
	}
	int64_t s = a->strides[i], K = dilated(a->kernel_size[i], a->dilation_rate[i]);
	int64_t op = a->output_padding[0] == CS_UNSET ? CS_UNSET : a->output_padding[i];
	int64_t base, r;
	if (!cs_mul(n - 1, s, &base))
		return cs_infer_fail(c, "output size overflows on axis %d", axis);
	const char *name = cs_axis_name(c->cls->rank, i);
	long long N = n, S = s, KK = K, OP = op, P0 = a->padding.amount[i][0], P1 = a->padding.amount[i][1];
	switch (a->padding.mode) {
	case CS_PAD_SAME:
		if (op == CS_UNSET) {
			r = base + s;
			cs_explain(c, "%s = %lld * %lld = %lld", name, N, S, (long long)r);
		} else {
			r = base + (K % 2) + op;
			cs_explain(c, "%s = (%lld - 1) * %lld + (%lld %% 2) + %lld = %lld", name, N, S, KK, OP,
				   (long long)r);
		}
		break;
	case CS_PAD_EXPLICIT:
		r = base + K - a->padding.amount[i][0] - a->padding.amount[i][1] +
		    (op == CS_UNSET ? 0 : op);
		cs_explain(c, "%s = (%lld - 1) * %lld + %lld - %lld - %lld + %lld = %lld", name, N, S, KK,
			   P0, P1, op == CS_UNSET ? 0LL : OP, (long long)r);
		break;
	default:
		if (op == CS_UNSET) {
			r = base + (K > s ? K : s);
			cs_explain(c, "%s = (%lld - 1) * %lld + max(%lld, %lld) = %lld", name, N, S, KK, S,
				   (long long)r);
		} else {
			r = base + K + op;
			cs_explain(c, "%s = (%lld - 1) * %lld + %lld + %lld = %lld", name, N, S, KK, OP,
				   (long long)r);
		}
		break;
	}
	/* an empty axis may stay empty (Keras: n * s under 'same') */
	if (r < 0 || (r == 0 && n > 0))
		return cs_infer_fail(c, "the output size on axis %d would be %lld; expected a positive size",
				     axis, (long long)r);
	*out = r;
	return 0;
}

/* The parameter count as a textbook writes it. */
static void explain_params(struct cs_infer *c, enum conv_kind kind, int64_t cin)
{
	const struct cs_args *a = c->a;
	int r = c->cls->rank;
	char k[64];
	long long F = a->filters, C = cin, G = a->groups, M = a->depth_multiplier;
	long long total = c->trainable + c->non_trainable;
	cs_product_str(a->kernel_size, r, k, sizeof(k));
	switch (kind) {
	case CONV:
		if (a->lora_rank != CS_UNSET)
			cs_explain(c, "params = %s*%lld*%lld + %s*%lld*%lld + %lld*%lld + %lld = %lld  "
				   "(LoRA: the kernel is frozen, two rank-%lld factors train)",
				   k, C / G, F, k, C / G, (long long)a->lora_rank, (long long)a->lora_rank, F,
				   a->use_bias ? F : 0LL, total, (long long)a->lora_rank);
		else if (G > 1 && a->use_bias)
			cs_explain(c, "params = (%s*%lld/%lld + 1) * %lld = %lld", k, C, G, F, total);
		else if (G > 1)
			cs_explain(c, "params = %s*%lld/%lld * %lld = %lld", k, C, G, F, total);
		else if (a->use_bias)
			cs_explain(c, "params = (%s*%lld + 1) * %lld = %lld", k, C, F, total);
		else
			cs_explain(c, "params = %s*%lld * %lld = %lld", k, C, F, total);
		break;
	case TRANSPOSE:
		if (a->use_bias)
			cs_explain(c, "params = %s*%lld*%lld + %lld = %lld", k, F, C, F, total);
		else
			cs_explain(c, "params = %s*%lld*%lld = %lld", k, F, C, total);
		break;
	case DEPTHWISE:
		if (a->use_bias)
			cs_explain(c, "params = %s*%lld*%lld + %lld*%lld = %lld", k, C, M, C, M, total);
		else
			cs_explain(c, "params = %s*%lld*%lld = %lld", k, C, M, total);
		break;
	case SEPARABLE:
		if (a->use_bias)
			cs_explain(c, "params = %s*%lld*%lld + %lld*%lld*%lld + %lld = %lld  "
				   "(depthwise, pointwise, bias)", k, C, M, C, M, F, F, total);
		else
			cs_explain(c, "params = %s*%lld*%lld + %lld*%lld*%lld = %lld  (depthwise, pointwise)",
				   k, C, M, C, M, F, total);
		break;
	}
}

/* MACs (bias excluded) and the window geometry, for --columns and JSON. */
static void figures(struct cs_infer *c, enum conv_kind kind, int64_t cin, int64_t cout)
{
	const struct cs_args *a = c->a;
	int r = c->cls->rank, first = cs_first_spatial(c);
	int64_t out_pos = cs_product_known(c->out.d + first, r);
	int64_t in_pos = cs_product_known(c->in->d + first, r);
	int64_t k = cs_product_known(a->kernel_size, r);
	c->spatial = kind == TRANSPOSE ? CS_SP_TRANSPOSE : CS_SP_WINDOW;
	for (int i = 0; i < r; i++) {
		int64_t K = dilated(a->kernel_size[i], a->dilation_rate[i]), s = a->strides[i];
		int64_t n = c->in->d[first + i], o = c->out.d[first + i], before = 0;
		if (kind == TRANSPOSE) {
			/* upsample by s, then a stride-1 convolution padded K-1 minus
			 * what the padding mode crops at the start */
			int64_t crop = a->padding.mode == CS_PAD_SAME ? (K > s ? (K - s) / 2 : 0)
				       : a->padding.mode == CS_PAD_EXPLICIT ? a->padding.amount[i][0] : 0;
			before = K - 1 - crop;
		} else if (a->padding.mode == CS_PAD_SAME && n >= 0) {
			int64_t total = (o - 1) * s + K - n;
			before = total > 0 ? total / 2 : 0;	/* the odd one goes after */
		} else if (a->padding.mode == CS_PAD_CAUSAL) {
			before = K - 1;
		} else if (a->padding.mode == CS_PAD_EXPLICIT) {
			before = a->padding.amount[i][0];
		}
		c->win_k[i] = a->kernel_size[i];
		c->win_d[i] = a->dilation_rate[i];
		c->win_s[i] = s;
		c->win_pad[i] = before;
	}
	int64_t per_pos;
	switch (kind) {
	case CONV:
		per_pos = cs_mul_known(cs_mul_known(cout, cin / a->groups), k);
		c->macs = cs_mul_known(per_pos, out_pos);
		if (a->lora_rank != CS_UNSET && c->macs >= 0) {
			int64_t kin = cs_mul_known(k, cin / a->groups);
			int64_t ka = cs_mul_known(kin, a->lora_rank), kb = cs_mul_known(a->lora_rank, cout);
			int64_t extra = ka < 0 || kb < 0 || ka > INT64_MAX - kb ? -1 : cs_mul_known(ka + kb, out_pos);
			c->macs = extra < 0 || c->macs > INT64_MAX - extra ? -1 : c->macs + extra;
		}
		break;
	case DEPTHWISE:
		c->macs = cs_mul_known(cs_mul_known(cout, k), out_pos);
		break;
	case SEPARABLE: {
		int64_t mid = cs_mul_known(cin, a->depth_multiplier);
		int64_t dw = cs_mul_known(cs_mul_known(mid, k), out_pos);
		int64_t pw = cs_mul_known(cs_mul_known(mid, cout), out_pos);
		c->macs = dw < 0 || pw < 0 || dw > INT64_MAX - pw ? -1 : dw + pw;
		break;
	}
	case TRANSPOSE:
		/* every input position meets the whole kernel */
		c->macs = cs_mul_known(cs_mul_known(cs_mul_known(cin, cout), k), in_pos);
		break;
	}
	c->bias_adds = a->use_bias ? cs_mul_known(cout, out_pos) : 0;
	c->elem_ops = a->use_bias + cs_has_activation(a);
}

static int infer_conv_kind(struct cs_infer *c, enum conv_kind kind)
{
	const struct cs_args *a = c->a;
	int r = c->cls->rank;
	if (check_conv_args(c, kind) < 0 || cs_need_rank(c, r + 2) < 0)
		return -1;
	int ch = cs_channel_axis(c, r + 2);
	if (cs_need_known(c, ch, "channel dimension") < 0)
		return -1;
	int64_t cin = c->in->d[ch];
	if (kind == CONV && cin % a->groups != 0)
		return cs_infer_fail(c, "its input has %lld channels, not divisible by groups %lld",
				     (long long)cin, (long long)a->groups);

	int first = cs_first_spatial(c);
	c->out.rank = r + 2;
	c->out.d[0] = c->in->d[0];
	for (int i = 0; i < r; i++) {
		int axis = first + i;
		int64_t n = c->in->d[axis];
		if (kind == TRANSPOSE) {
			if (transpose_out(c, axis, i, n, &c->out.d[axis]) < 0)
				return -1;
		} else {
			int64_t K = dilated(a->kernel_size[i], a->dilation_rate[i]);
			c->window_text[0] = '\0';
			if (a->dilation_rate[i] > 1)
				snprintf(c->window_text, sizeof(c->window_text), "(%lld*(%lld - 1) + 1)",
					 (long long)a->dilation_rate[i], (long long)a->kernel_size[i]);
			if (cs_window_out(c, axis, n, K, a->strides[i], &a->padding,
					  "kernel_size", &c->out.d[axis]) < 0)
				return -1;
		}
	}
	int64_t cout, mult;
	switch (kind) {
	case DEPTHWISE:
		if (!cs_mul(cin, a->depth_multiplier, &cout))
			return cs_infer_fail(c, "channels * depth_multiplier overflows");
		break;
	default:
		cout = a->filters;
		break;
	}
	c->out.d[ch] = cout;

	/* weights */
	int64_t kdims[5];
	for (int i = 0; i < r; i++)
		kdims[i] = a->kernel_size[i];
	switch (kind) {
	case CONV:
		kdims[r] = cin / a->groups;
		kdims[r + 1] = a->filters;
		if (a->lora_rank != CS_UNSET) {
			/* LoRA freezes the kernel and trains two float32 factors */
			int64_t ka[5], kb[2] = { a->lora_rank, a->filters };
			for (int i = 0; i <= r; i++)
				ka[i] = kdims[i];
			ka[r + 1] = a->lora_rank;
			if (cs_add_weight(c, false, r + 2, kdims) < 0 ||
			    cs_add_weight_bytes(c, true, 4, r + 2, ka) < 0 ||
			    cs_add_weight_bytes(c, true, 4, 2, kb) < 0)
				return -1;
		} else if (cs_add_weight(c, true, r + 2, kdims) < 0) {
			return -1;
		}
		break;
	case TRANSPOSE:
		kdims[r] = a->filters;
		kdims[r + 1] = cin;
		if (cs_add_weight(c, true, r + 2, kdims) < 0)
			return -1;
		break;
	case DEPTHWISE:
	case SEPARABLE:
		kdims[r] = cin;
		kdims[r + 1] = a->depth_multiplier;
		if (cs_add_weight(c, true, r + 2, kdims) < 0)
			return -1;
		if (kind == SEPARABLE) {
			if (!cs_mul(cin, a->depth_multiplier, &mult))
				return cs_infer_fail(c, "channels * depth_multiplier overflows");
			int64_t pw[4] = { 1, 1, 1, 1 };
			pw[r] = mult;
			pw[r + 1] = a->filters;
			if (cs_add_weight(c, true, r + 2, pw) < 0)
				return -1;
		}
		break;
	}
	if (a->use_bias && cs_add_weight(c, true, 1, &cout) < 0)
		return -1;
	if (c->explain)
		explain_params(c, kind, cin);
	figures(c, kind, cin, cout);
	return 0;
}

static int infer_conv(struct cs_infer *c) { return infer_conv_kind(c, CONV); }
static int infer_transpose(struct cs_infer *c) { return infer_conv_kind(c, TRANSPOSE); }
static int infer_depthwise(struct cs_infer *c) { return infer_conv_kind(c, DEPTHWISE); }
static int infer_separable(struct cs_infer *c) { return infer_conv_kind(c, SEPARABLE); }

#define ALIASES(...) (const char *const[]){ __VA_ARGS__, NULL }
#define PAD CS_CLS_EXPLICIT_PAD

const struct cs_layer_class cs_conv_classes[] = {
	{ "Conv1D", "conv1d", ALIASES("Convolution1D"), 1, PAD | CS_CLS_CAUSAL, conv_groups, infer_conv },
	{ "Conv2D", "conv2d", ALIASES("Convolution2D"), 2, PAD, conv_groups, infer_conv },
	{ "Conv3D", "conv3d", ALIASES("Convolution3D"), 3, PAD, conv_groups, infer_conv },
	{ "Conv1DTranspose", "conv1d_transpose", ALIASES("Convolution1DTranspose"), 1, PAD, transpose_groups, infer_transpose },
	{ "Conv2DTranspose", "conv2d_transpose", ALIASES("Convolution2DTranspose"), 2, PAD, transpose_groups, infer_transpose },
	{ "Conv3DTranspose", "conv3d_transpose", ALIASES("Convolution3DTranspose"), 3, PAD, transpose_groups, infer_transpose },
	{ "DepthwiseConv1D", "depthwise_conv1d", NULL, 1, PAD, depthwise_groups, infer_depthwise },
	{ "DepthwiseConv2D", "depthwise_conv2d", NULL, 2, PAD, depthwise_groups, infer_depthwise },
	{ "SeparableConv1D", "separable_conv1d", ALIASES("SeparableConvolution1D"), 1, PAD, separable_groups, infer_separable },
	{ "SeparableConv2D", "separable_conv2d", ALIASES("SeparableConvolution2D"), 2, PAD, separable_groups, infer_separable },
};
const size_t cs_conv_class_count = sizeof(cs_conv_classes) / sizeof(cs_conv_classes[0]);
