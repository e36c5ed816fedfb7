/*
 * Pooling: Max/AveragePooling1D/2D/3D and the global poolings.
 *
 * Output size per spatial axis (p pool size, s stride, default s = p):
 *   valid: floor((n - p) / s) + 1      same: floor((n - 1) / s) + 1
 *   explicit p (our extension): floor((n + p_before + p_after - p) / s) + 1
 * Global pooling drops the spatial axes (keepdims: keeps them as 1).
 */
#include "layers.h"

#define POOL_COMMON                                                            \
	CS_TUPLE("strides", CS_NULLABLE | CS_MIN1, strides, CS_UNSET),         \
	CS_PADDING("padding", padding, "valid"),                               \
	CS_TYPED("data_format", CS_ARG_DATA_FORMAT, CS_NULLABLE, data_format)

static const struct cs_arg_spec max_pool_args[] = {
	CS_TUPLE("pool_size", CS_MIN1, pool_size, 2),
	POOL_COMMON,
	CS_ARG_END,
};

/* Keras 3's AveragePooling classes give pool_size no default. */
static const struct cs_arg_spec avg_pool_args[] = {
	CS_TUPLE("pool_size", CS_REQUIRED | CS_MIN1, pool_size, 0),
	POOL_COMMON,
	CS_ARG_END,
};

static const struct cs_arg_spec global_args[] = {
	CS_TYPED("data_format", CS_ARG_DATA_FORMAT, CS_NULLABLE, data_format),
	CS_BOOL("keepdims", keepdims, 0),
	CS_ARG_END,
};

static const struct cs_arg_spec *const max_groups[] = { cs_common_args, max_pool_args, NULL };
static const struct cs_arg_spec *const avg_groups[] = { cs_common_args, avg_pool_args, NULL };
static const struct cs_arg_spec *const global_groups[] = { cs_common_args, global_args, NULL };

static int infer_pool(struct cs_infer *c)
{
	const struct cs_args *a = c->a;
	int r = c->cls->rank;
	if (a->padding.mode == CS_PAD_CAUSAL)
		return cs_infer_fail(c, "padding 'causal' is only for Conv1D; expected 'valid' or 'same'");
	if (cs_need_rank(c, r + 2) < 0)
		return -1;
	int first = cs_first_spatial(c);
	cs_shape_copy(&c->out, c->in);
	for (int i = 0; i < r; i++) {
		int axis = first + i;
		int64_t s = a->strides[0] == CS_UNSET ? a->pool_size[i] : a->strides[i];
		if (cs_window_out(c, axis, c->in->d[axis], a->pool_size[i], s,
				  &a->padding, "pool_size", &c->out.d[axis]) < 0)
			return -1;
		int64_t n = c->in->d[axis], o = c->out.d[axis], before = 0;
		if (a->padding.mode == CS_PAD_SAME && n >= 0) {
			int64_t total = (o - 1) * s + a->pool_size[i] - n;
			before = total > 0 ? total / 2 : 0;
		} else if (a->padding.mode == CS_PAD_EXPLICIT) {
			before = a->padding.amount[i][0];
		}
		c->win_k[i] = a->pool_size[i];
		c->win_d[i] = 1;
		c->win_s[i] = s;
		c->win_pad[i] = before;
	}
	/* a compare or an add for every input of every window */
	c->spatial = CS_SP_WINDOW;
	c->other_ops = cs_mul_known(cs_product_known(c->out.d + 1, c->out.rank - 1),
				    cs_product_known(a->pool_size, r));
	return 0;
}

static int infer_global(struct cs_infer *c)
{
	int r = c->cls->rank;
	if (cs_need_rank(c, r + 2) < 0)
		return -1;
	int ch = cs_channel_axis(c, r + 2);
	if (c->a->keepdims) {
		cs_shape_copy(&c->out, c->in);
		for (int i = 0; i < r; i++)
			c->out.d[cs_first_spatial(c) + i] = 1;
	} else {
		c->out.rank = 2;
		c->out.d[0] = c->in->d[0];
		c->out.d[1] = c->in->d[ch];
	}
	c->spatial = CS_SP_GLOBAL;
	c->other_ops = cs_product_known(c->in->d + 1, c->in->rank - 1);
	return 0;
}

#define ALIASES(...) (const char *const[]){ __VA_ARGS__, NULL }
#define PAD CS_CLS_EXPLICIT_PAD

const struct cs_layer_class cs_pool_classes[] = {
	{ "MaxPooling1D", "max_pooling1d", ALIASES("MaxPool1D"), 1, PAD, max_groups, infer_pool },
	{ "MaxPooling2D", "max_pooling2d", ALIASES("MaxPool2D"), 2, PAD, max_groups, infer_pool },
	{ "MaxPooling3D", "max_pooling3d", ALIASES("MaxPool3D"), 3, PAD, max_groups, infer_pool },
	{ "AveragePooling1D", "average_pooling1d", ALIASES("AvgPool1D"), 1, PAD, avg_groups, infer_pool },
	{ "AveragePooling2D", "average_pooling2d", ALIASES("AvgPool2D"), 2, PAD, avg_groups, infer_pool },
	{ "AveragePooling3D", "average_pooling3d", ALIASES("AvgPool3D"), 3, PAD, avg_groups, infer_pool },
	{ "GlobalMaxPooling1D", "global_max_pooling1d", ALIASES("GlobalMaxPool1D"), 1, 0, global_groups, infer_global },
	{ "GlobalMaxPooling2D", "global_max_pooling2d", ALIASES("GlobalMaxPool2D"), 2, 0, global_groups, infer_global },
	{ "GlobalMaxPooling3D", "global_max_pooling3d", ALIASES("GlobalMaxPool3D"), 3, 0, global_groups, infer_global },
	{ "GlobalAveragePooling1D", "global_average_pooling1d", ALIASES("GlobalAvgPool1D"), 1, 0, global_groups, infer_global },
	{ "GlobalAveragePooling2D", "global_average_pooling2d", ALIASES("GlobalAvgPool2D"), 2, 0, global_groups, infer_global },
	{ "GlobalAveragePooling3D", "global_average_pooling3d", ALIASES("GlobalAvgPool3D"), 3, 0, global_groups, infer_global },
};
const size_t cs_pool_class_count = sizeof(cs_pool_classes) / sizeof(cs_pool_classes[0]);
