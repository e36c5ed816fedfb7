/*
 * Layers that move, pad, crop or resize the grid: Flatten, Reshape,
 * Permute, RepeatVector, ZeroPadding/Cropping/UpSampling 1D-3D, and the
 * preprocessing layers Resizing, CenterCrop, Rescaling.  None has weights.
 */
#include "layers.h"

#include "checked.h"

static const char *const interpolations[] = {
	"nearest", "bilinear", "bicubic", "area", "lanczos3", "lanczos5",
	"gaussian", "mitchellcubic", NULL,
};

static const struct cs_arg_spec flatten_args[] = {
	CS_TYPED("data_format", CS_ARG_DATA_FORMAT, CS_NULLABLE, data_format),
	CS_ARG_END,
};

static const struct cs_arg_spec reshape_args[] = {
	CS_TYPED("target_shape", CS_ARG_INT_LIST, CS_REQUIRED, target_shape),
	CS_ARG_END,
};

static const struct cs_arg_spec permute_args[] = {
	CS_TYPED("dims", CS_ARG_INT_LIST, CS_REQUIRED, dims),
	CS_ARG_END,
};

static const struct cs_arg_spec repeat_args[] = {
	CS_INT("n", CS_REQUIRED | CS_MIN1, n, 0),
	CS_ARG_END,
};

#define PAIRS(n, field, def) \
	{ .name = n, .type = CS_ARG_PAIRS, .flags = CS_MIN0, .offset = CS_F(field), .idef = def }

static const struct cs_arg_spec zero_padding_args[] = {
	PAIRS("padding", pairs, 1),
	CS_TYPED("data_format", CS_ARG_DATA_FORMAT, CS_NULLABLE, data_format),
	CS_ARG_END,
};

static const struct cs_arg_spec cropping1d_args[] = {
	PAIRS("cropping", pairs, 1),
	CS_ARG_END,
};

static const struct cs_arg_spec cropping2d_args[] = {
	PAIRS("cropping", pairs, 0),
	CS_TYPED("data_format", CS_ARG_DATA_FORMAT, CS_NULLABLE, data_format),
	CS_ARG_END,
};

static const struct cs_arg_spec cropping3d_args[] = {
	PAIRS("cropping", pairs, 1),
	CS_TYPED("data_format", CS_ARG_DATA_FORMAT, CS_NULLABLE, data_format),
	CS_ARG_END,
};

static const struct cs_arg_spec upsampling1d_args[] = {
	CS_TUPLE("size", CS_MIN1, size, 2),
	CS_ARG_END,
};

static const struct cs_arg_spec upsampling2d_args[] = {
	CS_TUPLE("size", CS_MIN1, size, 2),
	CS_TYPED("data_format", CS_ARG_DATA_FORMAT, CS_NULLABLE, data_format),
	CS_ENUM("interpolation", interpolation, 0, interpolations),
	CS_ARG_END,
};

static const struct cs_arg_spec upsampling3d_args[] = {
	CS_TUPLE("size", CS_MIN1, size, 2),
	CS_TYPED("data_format", CS_ARG_DATA_FORMAT, CS_NULLABLE, data_format),
	CS_ARG_END,
};

static const struct cs_arg_spec resizing_args[] = {
	CS_INT("height", CS_REQUIRED | CS_MIN1, height, 0),
	CS_INT("width", CS_REQUIRED | CS_MIN1, width, 0),
	CS_ENUM("interpolation", interpolation, 1, interpolations),
	CS_OTHER("crop_to_aspect_ratio"),
	CS_OTHER("pad_to_aspect_ratio"),
	CS_OTHER("fill_mode"),
	CS_OTHER("fill_value"),
	CS_OTHER("antialias"),
	CS_TYPED("data_format", CS_ARG_DATA_FORMAT, CS_NULLABLE, data_format),
	CS_ARG_END,
};

static const struct cs_arg_spec center_crop_args[] = {
	CS_INT("height", CS_REQUIRED | CS_MIN1, height, 0),
	CS_INT("width", CS_REQUIRED | CS_MIN1, width, 0),
	CS_TYPED("data_format", CS_ARG_DATA_FORMAT, CS_NULLABLE, data_format),
	CS_ARG_END,
};

static const struct cs_arg_spec rescaling_args[] = {
	{ .name = "scale", .type = CS_ARG_ANY, .flags = CS_REQUIRED },
	CS_OTHER("offset"),
	CS_ARG_END,
};

#define GROUPS(g, args) static const struct cs_arg_spec *const g[] = { cs_common_args, args, NULL }
GROUPS(flatten_groups, flatten_args);
GROUPS(reshape_groups, reshape_args);
GROUPS(permute_groups, permute_args);
GROUPS(repeat_groups, repeat_args);
GROUPS(zero_padding_groups, zero_padding_args);
GROUPS(cropping1d_groups, cropping1d_args);
GROUPS(cropping2d_groups, cropping2d_args);
GROUPS(cropping3d_groups, cropping3d_args);
GROUPS(upsampling1d_groups, upsampling1d_args);
GROUPS(upsampling2d_groups, upsampling2d_args);
GROUPS(upsampling3d_groups, upsampling3d_args);
GROUPS(resizing_groups, resizing_args);
GROUPS(center_crop_groups, center_crop_args);
GROUPS(rescaling_groups, rescaling_args);

static int infer_flatten(struct cs_infer *c)
{
	c->spatial = CS_SP_RESET;
	if (cs_need_min_rank(c, 1) < 0)
		return -1;
	int64_t n = 1;
	for (int i = 1; i < c->in->rank; i++) {
		if (c->in->d[i] < 0) {
			n = CS_NONE;
			break;
		}
		if (!cs_mul(n, c->in->d[i], &n))
			return cs_infer_fail(c, "the flattened size overflows 64 bits");
	}
	c->out.rank = 2;
	c->out.d[0] = c->in->d[0];
	c->out.d[1] = n;
	if (n >= 0) {
		char p[256];
		cs_explain(c, "features = %s = %lld", cs_product_str(c->in->d + 1, c->in->rank - 1, p, sizeof(p)),
			   (long long)n);
	}
	return 0;
}

static int infer_reshape(struct cs_infer *c)
{
	c->spatial = CS_SP_RESET;
	const struct cs_ints *t = &c->a->target_shape;
	char buf[512];
	if (t->n + 1 > CS_MAX_RANK)
		return cs_infer_fail(c, "target_shape has more than %d dimensions", CS_MAX_RANK - 1);
	int unknown = -1;
	int64_t known = 1, total = 1;
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i] == -1) {
			if (unknown >= 0)
				return cs_infer_fail(c, "target_shape can have only one -1");
			unknown = (int)i;
		} else if (t->v[i] < 0) {
			return cs_infer_fail(c, "target_shape entries must be 0 or more, or -1, got %lld",
					     (long long)t->v[i]);
		} else if (!cs_mul(known, t->v[i], &known)) {
			return cs_infer_fail(c, "target_shape's size overflows 64 bits");
		}
	}
	for (int i = 1; i < c->in->rank; i++) {
		if (c->in->d[i] < 0) {
			total = CS_NONE;
			break;
		}
		if (!cs_mul(total, c->in->d[i], &total))
			return cs_infer_fail(c, "the input's size overflows 64 bits");
	}
	c->out.rank = (int)t->n + 1;
	c->out.d[0] = c->in->d[0];
	for (size_t i = 0; i < t->n; i++)
		c->out.d[i + 1] = t->v[i];
	if (total == CS_NONE) {
		if (unknown >= 0)
			c->out.d[unknown + 1] = CS_NONE;
		return 0;
	}
	if (unknown >= 0) {
		/* Keras refuses a -1 beside a 0 even for an empty input */
		if (known == 0)
			return cs_infer_fail(c, "cannot infer the -1 of a target_shape whose other sizes "
					     "multiply to 0");
		if (total % known != 0)
			return cs_infer_fail(c, "cannot reshape %s (%lld elements) to a target_shape whose "
					     "known sizes multiply to %lld",
					     cs_shape_str(c->in, buf, sizeof(buf)),
					     (long long)total, (long long)known);
		c->out.d[unknown + 1] = total / known;
		cs_explain(c, "the -1 = %lld / %lld = %lld  (elements / known sizes)", (long long)total,
			   (long long)known, (long long)(total / known));
	} else if (total != known) {
		return cs_infer_fail(c, "cannot reshape %s (%lld elements) to target_shape of %lld elements; "
				     "expected the same total size",
				     cs_shape_str(c->in, buf, sizeof(buf)),
				     (long long)total, (long long)known);
	}
	return 0;
}

static int infer_permute(struct cs_infer *c)
{
	c->spatial = CS_SP_RESET;
	const struct cs_ints *d = &c->a->dims;
	bool seen[CS_MAX_RANK] = { false };
	if (d->n + 1 > CS_MAX_RANK)
		return cs_infer_fail(c, "dims has too many entries");
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i] < 1 || d->v[i] > (int64_t)d->n || seen[d->v[i]])
			return cs_infer_fail(c, "dims must be a permutation of 1..%zu", d->n);
		seen[d->v[i]] = true;
	}
	if (cs_need_rank(c, (int)d->n + 1) < 0)
		return -1;
	c->out.rank = c->in->rank;
	c->out.d[0] = c->in->d[0];
	for (size_t i = 0; i < d->n; i++)
		c->out.d[i + 1] = c->in->d[d->v[i]];
	return 0;
}

static int infer_repeat(struct cs_infer *c)
{
	c->spatial = CS_SP_RESET;
	if (cs_need_rank(c, 2) < 0)
		return -1;
	c->out.rank = 3;
	c->out.d[0] = c->in->d[0];
	c->out.d[1] = c->a->n;
	c->out.d[2] = c->in->d[1];
	return 0;
}

static int infer_zero_padding(struct cs_infer *c)
{
	int r = c->cls->rank, first = cs_first_spatial(c);
	c->spatial = CS_SP_SHIFT;
	for (int i = 0; i < r; i++)
		c->win_pad[i] = c->a->pairs[i][0];
	if (cs_need_rank(c, r + 2) < 0)
		return -1;
	cs_shape_copy(&c->out, c->in);
	for (int i = 0; i < r; i++) {
		int64_t *d = &c->out.d[first + i];
		int64_t before = *d;
		if (*d >= 0 && (!cs_add(*d, c->a->pairs[i][0], d) || !cs_add(*d, c->a->pairs[i][1], d)))
			return cs_infer_fail(c, "the padded size overflows");
		if (*d >= 0)
			cs_explain(c, "%s = %lld + %lld + %lld = %lld", cs_axis_name(r, i), (long long)before,
				   (long long)c->a->pairs[i][0], (long long)c->a->pairs[i][1], (long long)*d);
	}
	return 0;
}

static int infer_cropping(struct cs_infer *c)
{
	int r = c->cls->rank, first = cs_first_spatial(c);
	c->spatial = CS_SP_SHIFT;
	for (int i = 0; i < r; i++)
		c->win_pad[i] = -c->a->pairs[i][0];
	if (cs_need_rank(c, r + 2) < 0)
		return -1;
	cs_shape_copy(&c->out, c->in);
	for (int i = 0; i < r; i++) {
		int64_t *d = &c->out.d[first + i];
		if (*d < 0)
			continue;
		int64_t crop = c->a->pairs[i][0] + c->a->pairs[i][1];
		if (crop >= *d)
			return cs_infer_fail(c, "cropping %lld+%lld is not smaller than its input %lld on axis %d "
					     "(Keras: values in `cropping` should be smaller than the spatial dimension)",
					     (long long)c->a->pairs[i][0], (long long)c->a->pairs[i][1],
					     (long long)*d, first + i);
		cs_explain(c, "%s = %lld - %lld - %lld = %lld", cs_axis_name(r, i), (long long)*d,
			   (long long)c->a->pairs[i][0], (long long)c->a->pairs[i][1], (long long)(*d - crop));
		*d -= crop;
	}
	return 0;
}

static int infer_upsampling(struct cs_infer *c)
{
	int r = c->cls->rank, first = cs_first_spatial(c);
	c->spatial = CS_SP_UPSAMPLE;
	for (int i = 0; i < r; i++)
		c->win_s[i] = c->a->size[i];
	if (cs_need_rank(c, r + 2) < 0)
		return -1;
	cs_shape_copy(&c->out, c->in);
	for (int i = 0; i < r; i++) {
		int64_t *d = &c->out.d[first + i];
		int64_t before = *d;
		if (*d >= 0 && !cs_mul(*d, c->a->size[i], d))
			return cs_infer_fail(c, "the upsampled size overflows");
		if (*d >= 0)
			cs_explain(c, "%s = %lld * %lld = %lld", cs_axis_name(r, i), (long long)before,
				   (long long)c->a->size[i], (long long)*d);
	}
	return 0;
}

static int infer_resize(struct cs_infer *c)
{
	c->spatial = CS_SP_RESET;
	if (cs_need_rank(c, 4) < 0)
		return -1;
	int first = cs_first_spatial(c);
	cs_shape_copy(&c->out, c->in);
	c->out.d[first] = c->a->height;
	c->out.d[first + 1] = c->a->width;
	return 0;
}

static int infer_rescaling(struct cs_infer *c)
{
	cs_shape_copy(&c->out, c->in);
	c->elem_ops = 2;	/* scale and offset */
	return 0;
}

const struct cs_layer_class cs_reshape_classes[] = {
	{ "Flatten", "flatten", NULL, 0, 0, flatten_groups, infer_flatten },
	{ "Reshape", "reshape", NULL, 0, 0, reshape_groups, infer_reshape },
	{ "Permute", "permute", NULL, 0, 0, permute_groups, infer_permute },
	{ "RepeatVector", "repeat_vector", NULL, 0, 0, repeat_groups, infer_repeat },
	{ "ZeroPadding1D", "zero_padding1d", NULL, 1, 0, zero_padding_groups, infer_zero_padding },
	{ "ZeroPadding2D", "zero_padding2d", NULL, 2, 0, zero_padding_groups, infer_zero_padding },
	{ "ZeroPadding3D", "zero_padding3d", NULL, 3, 0, zero_padding_groups, infer_zero_padding },
	{ "Cropping1D", "cropping1d", NULL, 1, 0, cropping1d_groups, infer_cropping },
	{ "Cropping2D", "cropping2d", NULL, 2, 0, cropping2d_groups, infer_cropping },
	{ "Cropping3D", "cropping3d", NULL, 3, 0, cropping3d_groups, infer_cropping },
	{ "UpSampling1D", "up_sampling1d", NULL, 1, 0, upsampling1d_groups, infer_upsampling },
	{ "UpSampling2D", "up_sampling2d", NULL, 2, 0, upsampling2d_groups, infer_upsampling },
	{ "UpSampling3D", "up_sampling3d", NULL, 3, 0, upsampling3d_groups, infer_upsampling },
	{ "Resizing", "resizing", NULL, 2, 0, resizing_groups, infer_resize },
	{ "CenterCrop", "center_crop", NULL, 2, 0, center_crop_groups, infer_resize },
	{ "Rescaling", "rescaling", NULL, 0, 0, rescaling_groups, infer_rescaling },
};
const size_t cs_reshape_class_count = sizeof(cs_reshape_classes) / sizeof(cs_reshape_classes[0]);
