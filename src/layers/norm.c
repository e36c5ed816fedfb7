/*
 * Normalisation: BatchNormalization, LayerNormalization,
 * GroupNormalization, UnitNormalization.
 *
 *   BatchNormalization: C = input[axis]; gamma (scale) and beta (center)
 *     trainable, moving_mean and moving_variance non-trainable: C each.
 *   LayerNormalization: gamma/beta shaped [input[a] for a in axis].
 *   GroupNormalization: gamma/beta of C = input[axis]; C % groups == 0.
 */
#include "layers.h"

#define NORM_WEIGHT_ARGS                 \
	CS_FLOAT("epsilon", CS_NONNEG, epsilon, 1e-3), \
	CS_BOOL("center", center, 1),        \
	CS_BOOL("scale", scale, 1),          \
	CS_OTHER("beta_initializer"),        \
	CS_OTHER("gamma_initializer"),       \
	CS_OTHER("beta_regularizer"),        \
	CS_OTHER("gamma_regularizer"),       \
	CS_OTHER("beta_constraint"),         \
	CS_OTHER("gamma_constraint")

static const struct cs_arg_spec batch_norm_args[] = {
	CS_INT("axis", 0, axis, -1),
	CS_FLOAT("momentum", 0, momentum, 0.99),
	NORM_WEIGHT_ARGS,
	CS_OTHER("moving_mean_initializer"),
	CS_OTHER("moving_variance_initializer"),
	CS_OTHER("synchronized"),
	CS_ARG_END,
};

static const struct cs_arg_spec layer_norm_args[] = {
	{ .name = "axis", .type = CS_ARG_AXES, .offset = CS_F(axes), .idef = -1 },
	NORM_WEIGHT_ARGS,
	CS_BOOL("rms_scaling", rms_scaling, 0),
	CS_ARG_END,
};

static const struct cs_arg_spec group_norm_args[] = {
	CS_INT("groups", CS_MIN1, groups, 32),
	CS_INT("axis", 0, axis, -1),
	NORM_WEIGHT_ARGS,
	CS_ARG_END,
};

static const struct cs_arg_spec unit_norm_args[] = {
	{ .name = "axis", .type = CS_ARG_AXES, .offset = CS_F(axes), .idef = -1 },
	CS_ARG_END,
};

static const struct cs_arg_spec *const bn_groups[] = { cs_common_args, batch_norm_args, NULL };
static const struct cs_arg_spec *const ln_groups[] = { cs_common_args, layer_norm_args, NULL };
static const struct cs_arg_spec *const gn_groups[] = { cs_common_args, group_norm_args, NULL };
static const struct cs_arg_spec *const un_groups[] = { cs_common_args, unit_norm_args, NULL };

/* The size of input axis `axis` (Python-style index), known. */
static int axis_size(struct cs_infer *c, int64_t axis, int64_t *size)
{
	int k = cs_resolve_axis(axis, c->in->rank);
	if (k < 0)
		return cs_infer_fail(c, "axis %lld is out of range for an input of rank %d",
				     (long long)axis, c->in->rank);
	if (cs_need_known(c, k, "normalised dimension") < 0)
		return -1;
	*size = c->in->d[k];
	return 0;
}

static int infer_batch_norm(struct cs_infer *c)
{
	const struct cs_args *a = c->a;
	int64_t n;
	if (axis_size(c, a->axis, &n) < 0)
		return -1;
	cs_shape_copy(&c->out, c->in);
	if (a->scale && cs_add_weight(c, true, 1, &n) < 0)
		return -1;
	if (a->center && cs_add_weight(c, true, 1, &n) < 0)
		return -1;
	/* moving mean and moving variance */
	if (cs_add_weight(c, false, 1, &n) < 0 || cs_add_weight(c, false, 1, &n) < 0)
		return -1;
	c->elem_ops = 2;	/* at inference: one folded scale and shift */
	int k = 2 + a->scale + a->center;
	cs_explain(c, "params = %d * %lld = %lld  (%s%s%smoving mean and variance: %lld non-trainable)", k,
		   (long long)n, (long long)(k * n), a->scale ? "gamma, " : "", a->center ? "beta, " : "",
		   a->scale || a->center ? "trainable; " : "", (long long)(2 * n));
	return 0;
}

static int infer_layer_norm(struct cs_infer *c)
{
	const struct cs_args *a = c->a;
	int64_t shape[CS_MAX_RANK];
	if (a->axes.n > CS_MAX_RANK)
		return cs_infer_fail(c, "too many axes");
	for (size_t i = 0; i < a->axes.n; i++)
		if (axis_size(c, a->axes.v[i], &shape[i]) < 0)
			return -1;
	cs_shape_copy(&c->out, c->in);
	int n = (int)a->axes.n;
	if ((a->scale || a->rms_scaling) && cs_add_weight(c, true, n, shape) < 0)
		return -1;
	if (a->center && !a->rms_scaling && cs_add_weight(c, true, n, shape) < 0)
		return -1;
	c->elem_ops = 4;	/* subtract the mean, divide, scale, shift */
	char p[256];
	int k = (a->scale || a->rms_scaling) + (a->center && !a->rms_scaling);
	cs_explain(c, "params = %d * %s = %lld  (%s)", k, cs_product_str(shape, n, p, sizeof(p)),
		   (long long)c->trainable, k == 2 ? "gamma and beta" : k ? (a->center && !a->rms_scaling ? "beta" : "gamma") : "none");
	return 0;
}

static int infer_group_norm(struct cs_infer *c)
{
	const struct cs_args *a = c->a;
	int64_t n;
	if (axis_size(c, a->axis, &n) < 0)
		return -1;
	if (n < a->groups)
		return cs_infer_fail(c, "groups %lld is more than the %lld channels of its input",
				     (long long)a->groups, (long long)n);
	if (n % a->groups != 0)
		return cs_infer_fail(c, "its input's %lld channels are not divisible by groups %lld",
				     (long long)n, (long long)a->groups);
	cs_shape_copy(&c->out, c->in);
	if (a->scale && cs_add_weight(c, true, 1, &n) < 0)
		return -1;
	if (a->center && cs_add_weight(c, true, 1, &n) < 0)
		return -1;
	c->elem_ops = 4;
	cs_explain(c, "params = %d * %lld = %lld  (gamma and beta per channel; %lld groups of %lld)",
		   a->scale + a->center, (long long)n, (long long)((a->scale + a->center) * n),
		   (long long)a->groups, (long long)(n / a->groups));
	return 0;
}

static int infer_unit_norm(struct cs_infer *c)
{
	for (size_t i = 0; i < c->a->axes.n; i++)
		if (cs_resolve_axis(c->a->axes.v[i], c->in->rank) < 0)
			return cs_infer_fail(c, "axis %lld is out of range for an input of rank %d",
					     (long long)c->a->axes.v[i], c->in->rank);
	cs_shape_copy(&c->out, c->in);
	c->elem_ops = 2;	/* square-and-sum, divide */
	return 0;
}

const struct cs_layer_class cs_norm_classes[] = {
	{ "BatchNormalization", "batch_normalization", NULL, 0, 0, bn_groups, infer_batch_norm },
	{ "LayerNormalization", "layer_normalization", NULL, 0, 0, ln_groups, infer_layer_norm },
	{ "GroupNormalization", "group_normalization", NULL, 0, 0, gn_groups, infer_group_norm },
	{ "UnitNormalization", "unit_normalization", NULL, 0, 0, un_groups, infer_unit_norm },
};
const size_t cs_norm_class_count = sizeof(cs_norm_classes) / sizeof(cs_norm_classes[0]);
