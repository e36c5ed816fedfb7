/*
 * Core layers: Input, Dense, Embedding, the dropout and noise family, and
 * the activation layers.  Most keep their input's shape.
 *
 *   Dense:     (..., n) -> (..., units); kernel n*units, bias units
 *   Embedding: (...) -> (..., output_dim); input_dim*output_dim
 *   PReLU:     one alpha per input element, shared_axes set to 1
 */
#include "layers.h"

static const struct cs_arg_spec input_args[] = {
	CS_TYPED("shape", CS_ARG_SHAPE, CS_NULLABLE, input_shape),
	CS_INT("batch_size", CS_NULLABLE | CS_MIN1, batch_size, CS_UNSET),
	CS_TYPED("batch_shape", CS_ARG_SHAPE, CS_NULLABLE, batch_shape),
	CS_TYPED("dtype", CS_ARG_DTYPE, CS_NULLABLE, dtype),
	CS_TYPED("name", CS_ARG_STRING, 0, name),
	CS_OTHER("sparse"),
	CS_OTHER("ragged"),
	CS_OTHER("optional"),
	CS_ARG_END,
};

static const struct cs_arg_spec dense_args[] = {
	CS_INT("units", CS_REQUIRED | CS_MIN1, units, 0),
	CS_TYPED("activation", CS_ARG_ACTIVATION, CS_NULLABLE, activation),
	CS_BOOL("use_bias", use_bias, 1),
	CS_OTHER("kernel_initializer"),
	CS_OTHER("bias_initializer"),
	CS_OTHER("kernel_regularizer"),
	CS_OTHER("bias_regularizer"),
	CS_OTHER("kernel_constraint"),
	CS_OTHER("bias_constraint"),
	CS_INT("lora_rank", CS_NULLABLE | CS_MIN1, lora_rank, CS_UNSET),
	CS_OTHER("lora_alpha"),
	CS_ARG_END,
};

static const struct cs_arg_spec embedding_args[] = {
	CS_INT("input_dim", CS_REQUIRED | CS_MIN1, input_dim_embed, 0),
	CS_INT("output_dim", CS_REQUIRED | CS_MIN1, output_dim, 0),
	CS_OTHER("embeddings_initializer"),
	CS_OTHER("embeddings_regularizer"),
	CS_OTHER("embeddings_constraint"),
	CS_OTHER("mask_zero"),
	CS_OTHER("weights"),
	CS_INT("lora_rank", CS_NULLABLE | CS_MIN1, lora_rank, CS_UNSET),
	CS_OTHER("lora_alpha"),
	CS_OTHER("input_length"),	/* deprecated in Keras 3, ignored */
	CS_ARG_END,
};

static const struct cs_arg_spec dropout_args[] = {
	CS_FLOAT("rate", CS_REQUIRED | CS_UNIT, rate, 0),
	CS_OTHER("noise_shape"),
	CS_OTHER("seed"),
	CS_ARG_END,
};

static const struct cs_arg_spec spatial_dropout1d_args[] = {
	CS_FLOAT("rate", CS_REQUIRED | CS_UNIT, rate, 0),
	CS_OTHER("seed"),
	CS_ARG_END,
};

static const struct cs_arg_spec spatial_dropout_args[] = {
	CS_FLOAT("rate", CS_REQUIRED | CS_UNIT, rate, 0),
	CS_TYPED("data_format", CS_ARG_DATA_FORMAT, CS_NULLABLE, data_format),
	CS_OTHER("seed"),
	CS_ARG_END,
};

static const struct cs_arg_spec gaussian_noise_args[] = {
	CS_FLOAT("stddev", CS_REQUIRED | CS_NONNEG, stddev, 0),
	CS_OTHER("seed"),
	CS_ARG_END,
};

static const struct cs_arg_spec gaussian_dropout_args[] = {
	CS_FLOAT("rate", CS_REQUIRED | CS_UNIT, rate, 0),
	CS_OTHER("seed"),
	CS_ARG_END,
};

static const struct cs_arg_spec activity_reg_args[] = {
	CS_FLOAT("l1", CS_NONNEG, l1, 0),
	CS_FLOAT("l2", CS_NONNEG, l2, 0),
	CS_ARG_END,
};

static const struct cs_arg_spec activation_args[] = {
	CS_TYPED("activation", CS_ARG_ACTIVATION, CS_REQUIRED, activation),
	CS_ARG_END,
};

static const struct cs_arg_spec relu_args[] = {
	CS_FLOAT("max_value", CS_NULLABLE | CS_NONNEG, max_value, 0),
	CS_FLOAT("negative_slope", CS_NONNEG, negative_slope, 0),
	CS_FLOAT("threshold", 0, threshold, 0),
	CS_ARG_END,
};

static const struct cs_arg_spec leaky_relu_args[] = {
	CS_FLOAT("negative_slope", CS_NONNEG, negative_slope, 0.3),
	CS_FLOAT("alpha", CS_NONNEG, negative_slope, 0.3),	/* its old name */
	CS_ARG_END,
};

static const struct cs_arg_spec elu_args[] = {
	CS_FLOAT("alpha", 0, alpha, 1.0),
	CS_ARG_END,
};

static const struct cs_arg_spec softmax_args[] = {
	{ .name = "axis", .type = CS_ARG_AXES, .offset = CS_F(axes), .idef = -1 },
	CS_ARG_END,
};

static const struct cs_arg_spec prelu_args[] = {
	CS_OTHER("alpha_initializer"),
	CS_OTHER("alpha_regularizer"),
	CS_OTHER("alpha_constraint"),
	{ .name = "shared_axes", .type = CS_ARG_AXES, .flags = CS_NULLABLE, .offset = CS_F(shared_axes) },
	CS_ARG_END,
};

static const struct cs_arg_spec masking_args[] = {
	CS_FLOAT("mask_value", 0, mask_value, 0),
	CS_ARG_END,
};

static const struct cs_arg_spec no_args[] = { CS_ARG_END };

static const struct cs_arg_spec *const input_groups[] = { input_args, NULL };
static const struct cs_arg_spec *const dense_groups[] = { cs_common_args, dense_args, NULL };
/* Embedding's own input_dim comes before Layer's. */
static const struct cs_arg_spec *const embedding_groups[] = { embedding_args, cs_common_args, NULL };
static const struct cs_arg_spec *const dropout_groups[] = { cs_common_args, dropout_args, NULL };
static const struct cs_arg_spec *const sdrop1_groups[] = { cs_common_args, spatial_dropout1d_args, NULL };
static const struct cs_arg_spec *const sdrop_groups[] = { cs_common_args, spatial_dropout_args, NULL };
static const struct cs_arg_spec *const gnoise_groups[] = { cs_common_args, gaussian_noise_args, NULL };
static const struct cs_arg_spec *const gdrop_groups[] = { cs_common_args, gaussian_dropout_args, NULL };
static const struct cs_arg_spec *const actreg_groups[] = { cs_common_args, activity_reg_args, NULL };
static const struct cs_arg_spec *const activation_groups[] = { cs_common_args, activation_args, NULL };
static const struct cs_arg_spec *const relu_groups[] = { cs_common_args, relu_args, NULL };
static const struct cs_arg_spec *const lrelu_groups[] = { cs_common_args, leaky_relu_args, NULL };
static const struct cs_arg_spec *const elu_groups[] = { cs_common_args, elu_args, NULL };
static const struct cs_arg_spec *const softmax_groups[] = { cs_common_args, softmax_args, NULL };
static const struct cs_arg_spec *const prelu_groups[] = { cs_common_args, prelu_args, NULL };
static const struct cs_arg_spec *const masking_groups[] = { cs_common_args, masking_args, NULL };
static const struct cs_arg_spec *const plain_groups[] = { cs_common_args, no_args, NULL };

static int infer_same(struct cs_infer *c)
{
	cs_shape_copy(&c->out, c->in);
	return 0;
}

/* Elementwise layers: ops per output element, as the README states. */
static int infer_activation(struct cs_infer *c)
{
	c->elem_ops = cs_has_activation(c->a);
	return infer_same(c);
}

static int infer_one_op(struct cs_infer *c)
{
	c->elem_ops = 1;
	return infer_same(c);
}

static int infer_spatial_dropout(struct cs_infer *c)
{
	if (cs_need_rank(c, c->cls->rank + 2) < 0)
		return -1;
	return infer_same(c);
}

static int infer_dense(struct cs_infer *c)
{
	const struct cs_args *a = c->a;
	if (cs_need_min_rank(c, 2) < 0)
		return -1;
	int last = c->in->rank - 1;
	if (cs_need_known(c, last, "last dimension") < 0)
		return -1;
	cs_shape_copy(&c->out, c->in);
	c->out.d[last] = a->units;
	int64_t kernel[2] = { c->in->d[last], a->units };
	if (a->lora_rank != CS_UNSET) {
		int64_t ka[2] = { kernel[0], a->lora_rank }, kb[2] = { a->lora_rank, a->units };
		if (cs_add_weight(c, false, 2, kernel) < 0 ||
		    cs_add_weight_bytes(c, true, 4, 2, ka) < 0 ||
		    cs_add_weight_bytes(c, true, 4, 2, kb) < 0)
			return -1;
	} else if (cs_add_weight(c, true, 2, kernel) < 0) {
		return -1;
	}
	if (a->use_bias && cs_add_weight(c, true, 1, &a->units) < 0)
		return -1;
	int64_t positions = cs_product_known(c->in->d + 1, c->in->rank - 2);
	c->macs = cs_mul_known(cs_mul_known(c->in->d[last], a->units), positions);
	if (a->lora_rank != CS_UNSET && c->macs >= 0) {
		int64_t width = c->in->d[last] > INT64_MAX - a->units ? -1 : c->in->d[last] + a->units;
		int64_t extra = cs_mul_known(cs_mul_known(width, a->lora_rank), positions);
		c->macs = extra < 0 || c->macs > INT64_MAX - extra ? -1 : c->macs + extra;
	}
	c->bias_adds = a->use_bias ? cs_mul_known(a->units, positions) : 0;
	c->elem_ops = a->use_bias + cs_has_activation(a);
	long long n = c->in->d[last], u = a->units, total = c->trainable + c->non_trainable;
	if (a->lora_rank != CS_UNSET)
		cs_explain(c, "params = %lld*%lld + %lld*%lld + %lld*%lld + %lld = %lld  "
			   "(LoRA: the kernel is frozen, two rank-%lld factors train)", n, u, n,
			   (long long)a->lora_rank, (long long)a->lora_rank, u, a->use_bias ? u : 0LL, total,
			   (long long)a->lora_rank);
	else if (a->use_bias)
		cs_explain(c, "params = (%lld + 1) * %lld = %lld", n, u, total);
	else
		cs_explain(c, "params = %lld * %lld = %lld", n, u, total);
	return 0;
}

static int infer_embedding(struct cs_infer *c)
{
	const struct cs_args *a = c->a;
	if (c->in->rank + 1 > CS_MAX_RANK)
		return cs_infer_fail(c, "its output would have more than %d dimensions", CS_MAX_RANK);
	cs_shape_copy(&c->out, c->in);
	c->out.d[c->out.rank++] = a->output_dim;
	c->spatial = CS_SP_NEW;
	int64_t table[2] = { a->input_dim_embed, a->output_dim };
	if (a->lora_rank != CS_UNSET) {
		int64_t ka[2] = { table[0], a->lora_rank }, kb[2] = { a->lora_rank, a->output_dim };
		return cs_add_weight(c, false, 2, table) < 0 ||
		       cs_add_weight_bytes(c, true, 4, 2, ka) < 0 ||
		       cs_add_weight_bytes(c, true, 4, 2, kb) < 0 ? -1 : 0;
	}
	cs_explain(c, "params = %lld * %lld = %lld", (long long)table[0], (long long)table[1],
		   (long long)table[0] * (long long)table[1]);
	return cs_add_weight(c, true, 2, table);
}

static int infer_softmax(struct cs_infer *c)
{
	for (size_t i = 0; i < c->a->axes.n; i++)
		if (cs_resolve_axis(c->a->axes.v[i], c->in->rank) < 0)
			return cs_infer_fail(c, "axis %lld is out of range for an input of rank %d",
					     (long long)c->a->axes.v[i], c->in->rank);
	c->elem_ops = 3;	/* exp, sum, divide */
	return infer_same(c);
}

static int infer_prelu(struct cs_infer *c)
{
	int64_t shape[CS_MAX_RANK];
	int n = c->in->rank - 1;
	for (int i = 0; i < n; i++)
		shape[i] = c->in->d[i + 1];
	for (size_t i = 0; i < c->a->shared_axes.n; i++) {
		/* Keras sets param_shape[axis - 1] = 1, Python indexing */
		int64_t k = c->a->shared_axes.v[i] - 1;
		if (k < -(int64_t)n || k >= n)
			return cs_infer_fail(c, "shared_axes %lld is out of range for an input of rank %d",
					     (long long)c->a->shared_axes.v[i], c->in->rank);
		shape[k < 0 ? k + n : k] = 1;
	}
	cs_shape_copy(&c->out, c->in);
	c->elem_ops = 1;
	if (cs_add_weight(c, true, n, shape) < 0)
		return -1;
	char p[256];
	cs_explain(c, "params = %s = %lld  (one alpha per %s)", cs_product_str(shape, n, p, sizeof(p)),
		   (long long)c->trainable, c->a->shared_axes.n ? "unshared position" : "input element");
	return 0;
}

/* The Input pseudo-layer never propagates: the loader takes its shape. */
static int infer_input(struct cs_infer *c)
{
	return cs_infer_fail(c, "an Input can only be the first layer");
}

#define ALIASES(...) (const char *const[]){ __VA_ARGS__, NULL }

const struct cs_layer_class cs_core_classes[] = {
	{ "InputLayer", "input_layer", ALIASES("Input"), 0, CS_CLS_INPUT, input_groups, infer_input },
	{ "Dense", "dense", NULL, 0, 0, dense_groups, infer_dense },
	{ "Embedding", "embedding", NULL, 0, 0, embedding_groups, infer_embedding },
	{ "Dropout", "dropout", NULL, 0, 0, dropout_groups, infer_same },
	{ "SpatialDropout1D", "spatial_dropout1d", NULL, 1, 0, sdrop1_groups, infer_spatial_dropout },
	{ "SpatialDropout2D", "spatial_dropout2d", NULL, 2, 0, sdrop_groups, infer_spatial_dropout },
	{ "SpatialDropout3D", "spatial_dropout3d", NULL, 3, 0, sdrop_groups, infer_spatial_dropout },
	{ "GaussianNoise", "gaussian_noise", NULL, 0, 0, gnoise_groups, infer_same },
	{ "GaussianDropout", "gaussian_dropout", NULL, 0, 0, gdrop_groups, infer_same },
	{ "AlphaDropout", "alpha_dropout", NULL, 0, 0, dropout_groups, infer_same },
	{ "ActivityRegularization", "activity_regularization", NULL, 0, 0, actreg_groups, infer_same },
	{ "Activation", "activation", NULL, 0, 0, activation_groups, infer_activation },
	{ "ReLU", "re_lu", NULL, 0, 0, relu_groups, infer_one_op },
	{ "LeakyReLU", "leaky_re_lu", NULL, 0, 0, lrelu_groups, infer_one_op },
	{ "PReLU", "p_re_lu", NULL, 0, 0, prelu_groups, infer_prelu },
	{ "ELU", "elu", NULL, 0, 0, elu_groups, infer_one_op },
	{ "Softmax", "softmax", NULL, 0, 0, softmax_groups, infer_softmax },
	{ "Identity", "identity", NULL, 0, 0, plain_groups, infer_same },
	{ "Masking", "masking", NULL, 0, 0, masking_groups, infer_same },
};
const size_t cs_core_class_count = sizeof(cs_core_classes) / sizeof(cs_core_classes[0]);
