/*
 * Normalisation: BatchNormalization, LayerNormalization,
 * GroupNormalization, UnitNormalization.
 *
 *   BatchNormalization: C = input[axis]; gamma (scale) and beta (center)
 *     trainable, moving_mean and moving_variance non-trainable: C each;
 *     renorm (Keras 3.14+) adds moving_stddev, renorm_mean and
 *     renorm_stddev, non-trainable: C each.
 *   LayerNormalization: gamma/beta shaped [input[a] for a in axis].
 *   GroupNormalization: gamma/beta of C = input[axis]; C % groups == 0,
 *     groups -1 meaning C (one group per channel: instance normalisation).
 *   Normalization (the preprocessing layer): the kept axes (`axis`: an
 *     int, a list, or null for none) must be known; unless mean and
 *     variance are given (then they are constants, not weights), it has
 *     three non-trainable weights: mean and variance shaped by the kept
 *     axes in the layer's dtype, and count, a scalar int32 (4 bytes; on
 *     TensorFlow's backend int64, but the references are Keras 3 on
 *     numpy).  Keras 3's keras/src/layers/preprocessing/normalization.py.
 */
#include <stdio.h>
#include <string.h>

#include "layers.h"
#include "../cells.h"

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
	CS_BOOL("renorm", renorm, 0),
	{ .name = "renorm_clipping", .type = CS_ARG_MAPPING },
	CS_FLOAT("renorm_momentum", 0, renorm_momentum, 0.99),
	CS_ARG_END,
};

static const struct cs_arg_spec layer_norm_args[] = {
	{ .name = "axis", .type = CS_ARG_AXES, .offset = CS_F(axes), .idef = -1 },
	NORM_WEIGHT_ARGS,
	CS_BOOL("rms_scaling", rms_scaling, 0),
	CS_ARG_END,
};

static const struct cs_arg_spec group_norm_args[] = {
	CS_INT("groups", CS_MIN1 | CS_OR_MINUS1, groups, 32),
	CS_INT("axis", 0, axis, -1),
	NORM_WEIGHT_ARGS,
	CS_ARG_END,
};

static const struct cs_arg_spec unit_norm_args[] = {
	{ .name = "axis", .type = CS_ARG_AXES, .offset = CS_F(axes), .idef = -1 },
	CS_ARG_END,
};

static const struct cs_arg_spec normalization_args[] = {
	{ .name = "axis", .type = CS_ARG_AXES, .flags = CS_NULLABLE, .offset = CS_F(axes), .idef = -1 },
	CS_TYPED("mean", CS_ARG_ARRAY, CS_NULLABLE, mean_shape),
	CS_TYPED("variance", CS_ARG_ARRAY, CS_NULLABLE, variance_shape),
	CS_BOOL("invert", invert, 0),
	CS_ARG_END,
};

static const struct cs_arg_spec *const bn_groups[] = { cs_common_args, batch_norm_args, NULL };
static const struct cs_arg_spec *const ln_groups[] = { cs_common_args, layer_norm_args, NULL };
static const struct cs_arg_spec *const gn_groups[] = { cs_common_args, group_norm_args, NULL };
static const struct cs_arg_spec *const un_groups[] = { cs_common_args, unit_norm_args, NULL };
static const struct cs_arg_spec *const nz_groups[] = { cs_common_args, normalization_args, NULL };

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
	/* moving mean and moving variance; with renorm, moving stddev and
	 * renorm's own mean and stddev */
	int moving = a->renorm ? 5 : 2;
	for (int i = 0; i < moving; i++)
		if (cs_add_weight(c, false, 1, &n) < 0)
			return -1;
	c->elem_ops = 2;	/* at inference: one folded scale and shift */
	int k = moving + a->scale + a->center;
	cs_explain(c, "params = %d * %lld = %lld  (%s%s%smoving mean and variance%s: %lld non-trainable)", k,
		   (long long)n, (long long)(k * n), a->scale ? "gamma, " : "", a->center ? "beta, " : "",
		   a->scale || a->center ? "trainable; " : "",
		   a->renorm ? ", renorm's moving stddev, mean and stddev" : "", (long long)(moving * n));
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
	int64_t groups = a->groups == -1 ? n : a->groups;	/* -1: one per channel */
	if (groups == 0)
		return cs_infer_fail(c, "groups -1 means one group per channel, but its input has 0 channels "
				     "(Keras divides by zero)");
	if (n < groups)
		return cs_infer_fail(c, "groups %lld is more than the %lld channels of its input",
				     (long long)groups, (long long)n);
	if (n % groups != 0)
		return cs_infer_fail(c, "its input's %lld channels are not divisible by groups %lld",
				     (long long)n, (long long)groups);
	cs_shape_copy(&c->out, c->in);
	if (a->scale && cs_add_weight(c, true, 1, &n) < 0)
		return -1;
	if (a->center && cs_add_weight(c, true, 1, &n) < 0)
		return -1;
	c->elem_ops = 4;
	cs_explain(c, "params = %d * %lld = %lld  (gamma and beta per channel; %lld groups of %lld)",
		   a->scale + a->center, (long long)n, (long long)((a->scale + a->center) * n),
		   (long long)groups, (long long)(n / groups));
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

/* Normalization's axis as Python prints the tuple Keras keeps: "(-1,)",
 * "(1, 2)", "()". */
static const char *axis_tuple(const struct cs_ints *axes, char *buf, size_t size)
{
	size_t at = (size_t)snprintf(buf, size, "(");
	for (size_t i = 0; i < axes->n && at < size; i++)
		at += (size_t)snprintf(buf + at, size - at, "%s%lld", i ? ", " : "", (long long)axes->v[i]);
	if (at < size)
		snprintf(buf + at, size - at, axes->n == 1 ? ",)" : ")");
	return buf;
}

/* Keras's checks of mean and variance given as values (its __init__ and
 * build): both or neither, one shape, no more dimensions than kept axes,
 * each dimension 1 or the kept axis's size, matched from the right. */
static int check_given_stats(struct cs_infer *c, const int64_t *kept, int nkept)
{
	const struct cs_args *a = c->a;
	const struct cs_ints *mean = &a->mean_shape, *var = &a->variance_shape;
	char x[256], y[256];
	if (!mean->v || !var->v)
		return cs_infer_fail(c, "when setting values directly, both mean and variance must be set; "
				     "received %s", mean->v ? "a mean but no variance" : "a variance but no mean");
	if (mean->n != var->n || memcmp(mean->v, var->v, mean->n * sizeof(int64_t)))
		return cs_infer_fail(c, "when setting values directly, mean and variance must have the same "
				     "shape; received mean shape %s and variance shape %s",
				     cs_shape_text(mean->n, mean->v, true, x, sizeof(x)),
				     cs_shape_text(var->n, var->v, true, y, sizeof(y)));
	if (mean->n > a->axes.n)
		return cs_infer_fail(c, "the rank of mean must be less than or equal to the number of axes "
				     "(%zu); received mean shape %s for axis %s", a->axes.n,
				     cs_shape_text(mean->n, mean->v, true, x, sizeof(x)),
				     axis_tuple(&a->axes, y, sizeof(y)));
	for (size_t i = 1; i <= mean->n; i++) {
		int64_t m = mean->v[mean->n - i], k = kept[nkept - (int)i];
		if (m != 1 && m != k)
			return cs_infer_fail(c, "mean and variance of shape %s cannot be broadcast to the kept "
					     "axes' shape %s", cs_shape_text(mean->n, mean->v, true, x, sizeof(x)),
					     cs_shape_text((size_t)nkept, kept, true, y, sizeof(y)));
	}
	return 0;
}

static int infer_normalization(struct cs_infer *c)
{
	const struct cs_args *a = c->a;
	int rank = c->in->rank;
	char x[256], y[256];
	if (a->axes.n > CS_MAX_RANK)
		return cs_infer_fail(c, "too many axes");
	for (size_t i = 0; i < a->axes.n; i++)
		if (cs_resolve_axis(a->axes.v[i], rank) < 0)
			return cs_infer_fail(c, "all axis values must be in the range [-ndim, ndim); received "
					     "inputs with ndim=%d, while axis=%s", rank,
					     axis_tuple(&a->axes, x, sizeof(x)));
	/* the kept axes, sorted (Keras sorts them; a repeated one repeats) */
	int keep[CS_MAX_RANK];
	int n = (int)a->axes.n;
	for (int i = 0; i < n; i++) {
		int k = cs_resolve_axis(a->axes.v[i], rank), j = i;
		for (; j > 0 && keep[j - 1] > k; j--)
			keep[j] = keep[j - 1];
		keep[j] = k;
	}
	int64_t kept[CS_MAX_RANK];
	for (int i = 0; i < n; i++) {
		kept[i] = c->in->d[keep[i]];
		if (kept[i] < 0)
			return cs_infer_fail(c, "all axis values to be kept must have a known shape; received "
					     "axis=%s, inputs.shape=%s, with unknown axis at index %d",
					     axis_tuple(&a->axes, x, sizeof(x)),
					     cs_shape_text((size_t)rank, c->in->d, true, y, sizeof(y)), keep[i]);
	}
	if ((a->mean_shape.v || a->variance_shape.v) && check_given_stats(c, kept, n) < 0)
		return -1;
	cs_shape_copy(&c->out, c->in);
	c->elem_ops = 2;	/* subtract and divide (or, inverted, multiply and add) */
	if (a->mean_shape.v) {
		cs_explain(c, "mean and variance given: constants, not weights");
		return 0;
	}
	/* no kept axes: one mean and one variance for everything */
	if (cs_add_weight(c, false, n, kept) < 0 || cs_add_weight(c, false, n, kept) < 0 ||
	    cs_add_weight_bytes(c, false, 4, 0, NULL) < 0)
		return -1;
	char p[256];
	const char *each = n ? cs_product_str(kept, n, p, sizeof(p)) : "1";
	cs_explain(c, "params = %s + %s + 1 = %lld  (non-trainable mean, variance, count)", each, each,
		   (long long)c->non_trainable);
	return 0;
}

const struct cs_layer_class cs_norm_classes[] = {
	{ "BatchNormalization", "batch_normalization", NULL, 0, 0, bn_groups, infer_batch_norm },
	{ "LayerNormalization", "layer_normalization", NULL, 0, 0, ln_groups, infer_layer_norm },
	{ "GroupNormalization", "group_normalization", NULL, 0, 0, gn_groups, infer_group_norm },
	{ "UnitNormalization", "unit_normalization", NULL, 0, 0, un_groups, infer_unit_norm },
	{ "Normalization", "normalization", NULL, 0, 0, nz_groups, infer_normalization },
};
const size_t cs_norm_class_count = sizeof(cs_norm_classes) / sizeof(cs_norm_classes[0]);
