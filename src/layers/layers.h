/*
 * The layer classes: each is one row of a table (its Keras name, aliases,
 * arguments with types and defaults, and its shape-and-weights rule).
 * Families live in conv.c, pool.c, core.c, norm.c and reshape.c;
 * registry.c gathers them for lookup by name.
 */
#ifndef CS_LAYERS_H
#define CS_LAYERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"

#define CS_MAX_RANK 32		/* dimensions of a tensor, batch included */
#define CS_UNSET INT64_MIN	/* an optional tuple argument left at None */

struct cs_shape {
	int rank;
	int64_t d[CS_MAX_RANK];	/* CS_NONE for an unknown size */
};

struct cs_ints {
	int64_t *v;
	size_t n;
};

enum cs_pad_mode { CS_PAD_VALID, CS_PAD_SAME, CS_PAD_CAUSAL, CS_PAD_EXPLICIT };

struct cs_padding {
	enum cs_pad_mode mode;
	int64_t amount[3][2];	/* CS_PAD_EXPLICIT: before and after, per axis */
};

enum cs_data_format { CS_DF_DEFAULT, CS_DF_LAST, CS_DF_FIRST };

/* Dot's axes: one integer for both inputs, or one for each.  Keras tells
 * them apart: a negative integer wraps around each input's rank (Python's
 * %), a negative entry of a pair indexes from the end. */
struct cs_axis_pair {
	int64_t v[2];
	bool one;		/* given as one integer (v[0] == v[1]) */
};

/* Every argument any class takes, resolved to typed values, one field per
 * argument name (never shared under another name).  A class's argument
 * table says which fields it fills; a layer's set is stored once per model
 * (arg_records.c: a new pointer field must be listed there). */
struct cs_args {
	/* common to every layer */
	const char *name;
	bool trainable, autocast;
	const char *dtype;
	struct cs_ints input_shape;	/* also Input's shape; CS_NONE entries */
	bool has_input_shape;
	struct cs_ints batch_shape;	/* Input only */
	int64_t batch_size;		/* Input only */
	int64_t input_dim;
	int data_format;

	/* convolution and pooling */
	int64_t filters, groups, depth_multiplier;
	int64_t kernel_size[3], strides[3], dilation_rate[3], output_padding[3];
	int64_t pool_size[3];
	struct cs_padding padding;
	bool use_bias, keepdims;

	/* core */
	int64_t units, input_dim_embed, output_dim, n, height, width;
	double rate, max_value, negative_slope;	/* Dropout, ReLU, LeakyReLU */
	double stddev, l1, l2, threshold, alpha, mask_value;	/* GaussianNoise,
		 * ActivityRegularization, ReLU, ELU, Masking */
	const char *activation;

	/* reshaping */
	int64_t size[3];
	int64_t pairs[3][2];	/* ZeroPadding / Cropping amounts */
	struct cs_ints target_shape, dims;

	/* normalisation, activations */
	double epsilon, momentum;
	int64_t axis;			/* also Concatenate's */
	struct cs_ints axes, shared_axes;	/* axes: an `axis` of int or list;
						 * null gives v NULL, n 0 */
	bool center, scale, rms_scaling;
	bool renorm;			/* BatchNormalization */
	double renorm_momentum;
	int64_t lora_rank;
	int interpolation;
	/* Normalization: the shapes of the arrays given as mean and variance
	 * (a number: n 0); v NULL when not given */
	struct cs_ints mean_shape, variance_shape;
	bool invert;

	/* merging */
	struct cs_axis_pair dot_axes;
	bool normalize;
};

enum cs_arg_type {
	CS_ARG_INT,		/* an integer */
	CS_ARG_TUPLE,		/* an integer or a list of `rank` integers */
	CS_ARG_PADDING,		/* valid/same/causal, or an explicit amount */
	CS_ARG_PAIRS,		/* ZeroPadding/Cropping amounts */
	CS_ARG_BOOL,
	CS_ARG_FLOAT,
	CS_ARG_ENUM,		/* one of `choices`, stored as its index */
	CS_ARG_INT_LIST,	/* a list of integers */
	CS_ARG_AXES,		/* an integer or a list of integers */
	CS_ARG_STRING,		/* any text */
	CS_ARG_DTYPE,		/* a dtype or dtype-policy name */
	CS_ARG_SHAPE,		/* a list of sizes, 0 or more or null (input_shape) */
	CS_ARG_DATA_FORMAT,	/* channels_last / channels_first / null */
	CS_ARG_ANY,		/* accepted as is (initializers, regularizers...) */
	CS_ARG_MAPPING,		/* null or a mapping, its contents accepted as is */
	CS_ARG_ACTIVATION,	/* a name (kept for display) or a config */
	CS_ARG_AXIS_PAIR,	/* an integer, or a list of 2 (struct cs_axis_pair) */
	CS_ARG_ARRAY,		/* a number or nested lists of numbers, kept as
				 * its shape (struct cs_ints); null: not given */
};

enum {
	CS_REQUIRED = 1 << 0,	/* no default: must be given */
	CS_NULLABLE = 1 << 1,	/* null allowed (tuples: CS_UNSET) */
	CS_MIN0 = 1 << 2,	/* integers >= 0 */
	CS_MIN1 = 1 << 3,	/* integers >= 1 */
	CS_UNIT = 1 << 4,	/* floats in [0, 1] */
	CS_NONNEG = 1 << 5,	/* floats >= 0 */
	CS_OR_MINUS1 = 1 << 6,	/* with CS_MIN1: -1 too (GroupNormalization's groups) */
};

struct cs_arg_spec {
	const char *name;
	enum cs_arg_type type;
	unsigned flags;
	size_t offset;		/* into struct cs_args */
	int64_t idef;		/* integer, tuple, bool and enum default */
	double fdef;		/* float default */
	const char *sdef;	/* string and padding default */
	const char *const *choices;	/* CS_ARG_ENUM */
};

#define CS_ARG_END { NULL, 0, 0, 0, 0, 0, NULL, NULL }

/* Table-writing shorthands: name, flags, field of struct cs_args, default. */
#define CS_F(field) offsetof(struct cs_args, field)
#define CS_INT(n, fl, field, def) \
	{ .name = n, .type = CS_ARG_INT, .flags = fl, .offset = CS_F(field), .idef = def }
#define CS_TUPLE(n, fl, field, def) \
	{ .name = n, .type = CS_ARG_TUPLE, .flags = fl, .offset = CS_F(field), .idef = def }
#define CS_BOOL(n, field, def) \
	{ .name = n, .type = CS_ARG_BOOL, .offset = CS_F(field), .idef = def }
#define CS_FLOAT(n, fl, field, def) \
	{ .name = n, .type = CS_ARG_FLOAT, .flags = fl, .offset = CS_F(field), .fdef = def }
#define CS_PADDING(n, field, def) \
	{ .name = n, .type = CS_ARG_PADDING, .flags = CS_MIN0, .offset = CS_F(field), .sdef = def }
#define CS_ENUM(n, field, def, list) \
	{ .name = n, .type = CS_ARG_ENUM, .offset = CS_F(field), .idef = def, .choices = list }
#define CS_TYPED(n, t, fl, field) \
	{ .name = n, .type = t, .flags = fl, .offset = CS_F(field) }
/* An argument that is checked for spelling only. */
#define CS_OTHER(n) { .name = n, .type = CS_ARG_ANY }

/* Class flags. */
enum {
	CS_CLS_CAUSAL = 1 << 0,		/* padding 'causal' allowed */
	CS_CLS_EXPLICIT_PAD = 1 << 1,	/* padding: 1 allowed (our extension) */
	CS_CLS_INPUT = 1 << 2,		/* the Input / InputLayer pseudo-layer */
	CS_CLS_MERGE = 1 << 3,		/* one or more inputs (the rule checks
					 * an exact count); else exactly one */
};

/* How a layer moves its input's spatial grid, for receptive fields. */
enum cs_spatial {
	CS_SP_KEEP,		/* same grid (elementwise, Dense, normalisation) */
	CS_SP_WINDOW,		/* convolution or pooling: k, s, pad_before */
	CS_SP_TRANSPOSE,	/* transposed convolution: k, s, pad_before */
	CS_SP_UPSAMPLE,		/* repeat by s */
	CS_SP_SHIFT,		/* padding (pad_before > 0) or cropping (< 0) */
	CS_SP_GLOBAL,		/* global pooling: the whole grid */
	CS_SP_NEW,		/* new axes, one input position each (Embedding) */
	CS_SP_RESET,		/* reshaped: no receptive field any more */
};

/* What a shape rule sees and fills in. */
struct cs_infer {
	const struct cs_layer_class *cls;
	const struct cs_args *a;
	int data_format;	/* resolved: CS_DF_LAST or CS_DF_FIRST */
	const struct cs_shape *in;	/* the first input: ins[0] */
	const struct cs_shape *const *ins;	/* every input, in order */
	int nin;			/* between the class's min and max */
	struct cs_shape out;
	int elem_bytes;		/* bytes of one element of the layer's weights */
	int64_t trainable;	/* weight elements, before `trainable: false` */
	int64_t non_trainable;
	int64_t trainable_bytes;
	int64_t non_trainable_bytes;
	const char *layer_name;	/* the name given in the file, or NULL */
	const char *stem;		/* else the automatic name: stem or stem_N */
	uint32_t auto_index;
	struct cs_mark mark;
	struct cs_error *err;
	struct cs_buf *explain;	/* the arithmetic, line by line; NULL: not wanted */
	char window_text[64];	/* how a dilated window is written, for cs_explain */

	/* cost and geometry (README, "Figures"): filled by rules that have them */
	int64_t macs;		/* multiply-accumulates per sample, bias excluded;
				 * -1 when a size is unknown */
	int64_t other_ops;	/* pooling and the like, per sample; -1 unknown */
	int elem_ops;		/* further ops per output element (bias, activation) */
	int64_t bias_adds;	/* bias elements added per sample (torchinfo counts them) */
	enum cs_spatial spatial;
	int64_t win_k[3], win_s[3], win_d[3], win_pad[3];	/* per spatial axis */
};

struct cs_layer_class {
	const char *name;	/* canonical Keras class name */
	const char *snake;	/* its automatic-name stem (Keras's snake_case) */
	const char *const *aliases;	/* other spellings, NULL-terminated */
	int rank;		/* spatial rank of conv/pool/reshape classes */
	unsigned flags;
	const struct cs_arg_spec *const *args;	/* groups, NULL-terminated */
	int (*infer)(struct cs_infer *ctx);
};

/* Lookup by canonical name or alias; NULL when unknown. */
const struct cs_layer_class *cs_layer_class_find(const char *name);
const struct cs_layer_class *cs_layer_class_find_len(const char *name, size_t len);
/* The position of a class in the whole table (cs_layer_class_at). */
size_t cs_layer_class_index(const struct cs_layer_class *cls);
/* FNV-1a, for the lookup tables. */
uint32_t cs_hash(const char *s, size_t len);
/* Every canonical class name and alias, for suggestions. */
size_t cs_layer_class_names(const char *const **names);
/* The whole table, for tests. */
size_t cs_layer_class_count(void);
const struct cs_layer_class *cs_layer_class_at(size_t i);
/* The same table, filled by the first call of any function above: read
 * directly only for an index one of them gave (a layer's cls).  Every
 * index is below CS_MAX_CLASSES, so per-class arrays can be that long. */
#define CS_MAX_CLASSES 128
extern const struct cs_layer_class *cs_layer_classes[CS_MAX_CLASSES];

/* Family tables (registry.c gathers them). */
extern const struct cs_layer_class cs_conv_classes[];
extern const size_t cs_conv_class_count;
extern const struct cs_layer_class cs_pool_classes[];
extern const size_t cs_pool_class_count;
extern const struct cs_layer_class cs_core_classes[];
extern const size_t cs_core_class_count;
extern const struct cs_layer_class cs_norm_classes[];
extern const size_t cs_norm_class_count;
extern const struct cs_layer_class cs_reshape_classes[];
extern const size_t cs_reshape_class_count;
extern const struct cs_layer_class cs_merge_classes[];
extern const size_t cs_merge_class_count;

/* What Keras says when a chain hands a merge layer one tensor (whose shape
 * is `shape`, as Python prints it) instead of a list, into buf. */
const char *cs_merge_tensor_refusal(const struct cs_layer_class *cls, const char *shape, char *buf,
				    size_t size);

/* Argument groups shared by families. */
extern const struct cs_arg_spec cs_common_args[];

/* Helpers for rules (registry.c). */
int cs_infer_fail(struct cs_infer *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Add a weight of the given shape (its element count is the product) in
 * the layer's dtype, or with elem_bytes bytes an element. */
int cs_add_weight(struct cs_infer *c, bool trainable, int n, const int64_t *dims);
int cs_add_weight_bytes(struct cs_infer *c, bool trainable, int elem_bytes,
			int n, const int64_t *dims);
/* The input must have exactly `rank` dimensions (batch included). */
int cs_need_rank(struct cs_infer *c, int rank);
int cs_need_min_rank(struct cs_infer *c, int rank);
/* The channel axis of an input of this rank under the resolved format. */
int cs_channel_axis(const struct cs_infer *c, int rank);
/* A dimension that must be known. */
int cs_need_known(struct cs_infer *c, int axis, const char *what);
/* Resolve a possibly negative axis against rank; -1 when out of range. */
int cs_resolve_axis(int64_t axis, int rank);
/* Add a line of arithmetic to the layer's explanation (if wanted). */
void cs_explain(struct cs_infer *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "height", "width", "depth" or "length": spatial axis i of the class. */
const char *cs_axis_name(int rank, int i);
/* "3*3*3": the product of n sizes, for explanations. */
const char *cs_product_str(const int64_t *v, int n, char *buf, size_t size);

/* One spatial axis through a window (convolution or pooling): the size
 * after a window of `window` cells (dilation applied) moved by `stride`
 * under `pad`, or CS_NONE for an unknown input.  Fails, naming `what`,
 * when the result would be zero or negative. */
int cs_window_out(struct cs_infer *c, int axis, int64_t n, int64_t window,
		  int64_t stride, const struct cs_padding *pad, const char *what,
		  int64_t *out);
/* The spatial axes of an input of rank r under the resolved format:
 * first spatial axis index. */
int cs_first_spatial(const struct cs_infer *c);

/* The product of n sizes; -1 if one is unknown (CS_NONE) or it overflows. */
int64_t cs_product_known(const int64_t *v, int n);
/* a * b, or -1 if either is -1 or it overflows. */
int64_t cs_mul_known(int64_t a, int64_t b);
/* The layer has an activation that computes something (not linear). */
bool cs_has_activation(const struct cs_args *a);

/* Copy a shape: its rank and only the dimensions it has. */
static inline void cs_shape_copy(struct cs_shape *to, const struct cs_shape *from)
{
	to->rank = from->rank;
	for (int i = 0; i < from->rank; i++)
		to->d[i] = from->d[i];
}

/* Format a shape as "(None, 8, 8, 5)" into buf. */
const char *cs_shape_str(const struct cs_shape *s, char *buf, size_t size);

#endif
