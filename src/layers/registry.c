/* The registry of layer classes, and the helpers every shape rule uses. */
#include "layers.h"
#include "../cells.h"

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "checked.h"

#define ARG(n, t, f, field) { n, t, f, offsetof(struct cs_args, field), 0, 0, NULL, NULL }

/* What keras.layers.Layer itself takes, so every class does. */
const struct cs_arg_spec cs_common_args[] = {
	ARG("name", CS_ARG_STRING, 0, name),
	{ "trainable", CS_ARG_BOOL, 0, offsetof(struct cs_args, trainable), 1, 0, NULL, NULL },
	ARG("dtype", CS_ARG_DTYPE, CS_NULLABLE, dtype),
	{ "autocast", CS_ARG_BOOL, 0, offsetof(struct cs_args, autocast), 1, 0, NULL, NULL },
	ARG("activity_regularizer", CS_ARG_ANY, 0, name),
	ARG("input_shape", CS_ARG_SHAPE, CS_NULLABLE, input_shape),
	{ "input_dim", CS_ARG_INT, CS_NULLABLE | CS_MIN1, offsetof(struct cs_args, input_dim), CS_UNSET, 0, NULL, NULL },
	CS_ARG_END,
};

static const struct {
	const struct cs_layer_class *table;
	const size_t *count;
} families[] = {
	{ cs_conv_classes, &cs_conv_class_count },
	{ cs_pool_classes, &cs_pool_class_count },
	{ cs_core_classes, &cs_core_class_count },
	{ cs_norm_classes, &cs_norm_class_count },
	{ cs_reshape_classes, &cs_reshape_class_count },
	{ cs_merge_classes, &cs_merge_class_count },
};
#define NFAMILIES (sizeof(families) / sizeof(families[0]))

/* Every class in one array, and where each one's pointer sits, built
 * once: a layer names its class by index, and the index of a class is
 * asked for at every layer read. */
#define PTR_SLOTS 256
const struct cs_layer_class *cs_layer_classes[CS_MAX_CLASSES];
static size_t nflat;
static struct {
	const struct cs_layer_class *cls;
	size_t index;
} ptr_slots[PTR_SLOTS];
static pthread_once_t flat_once = PTHREAD_ONCE_INIT;
static atomic_bool flat_built;

static size_t ptr_slot(const struct cs_layer_class *cls)
{
	return (size_t)(((uintptr_t)cls >> 3) * 0x9e3779b1u >> 8) & (PTR_SLOTS - 1);
}

static void flat_build(void)
{
	for (size_t f = 0; f < NFAMILIES; f++)
		for (size_t i = 0; i < *families[f].count; i++) {
			assert(nflat < CS_MAX_CLASSES);
			const struct cs_layer_class *c = &families[f].table[i];
			size_t j = ptr_slot(c);
			while (ptr_slots[j].cls)
				j = (j + 1) & (PTR_SLOTS - 1);
			ptr_slots[j].cls = c;
			ptr_slots[j].index = nflat;
			cs_layer_classes[nflat++] = c;
		}
	atomic_store_explicit(&flat_built, true, memory_order_release);
}

static void flat_ready(void)
{
	if (!atomic_load_explicit(&flat_built, memory_order_acquire))
		pthread_once(&flat_once, flat_build);
}

size_t cs_layer_class_count(void)
{
	flat_ready();
	return nflat;
}

const struct cs_layer_class *cs_layer_class_at(size_t i)
{
	flat_ready();
	return i < nflat ? cs_layer_classes[i] : NULL;
}

size_t cs_layer_class_index(const struct cs_layer_class *cls)
{
	flat_ready();
	for (size_t j = ptr_slot(cls); ptr_slots[j].cls; j = (j + 1) & (PTR_SLOTS - 1))
		if (ptr_slots[j].cls == cls)
			return ptr_slots[j].index;
	return (size_t)-1;
}

uint32_t cs_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Every class name and alias in an open-addressing table, built once. */
#define CLASS_SLOTS 512
static struct {
	const char *name;
	const struct cs_layer_class *cls;
} class_table[CLASS_SLOTS];
static pthread_once_t class_table_once = PTHREAD_ONCE_INIT;

static void class_table_add(const char *name, const struct cs_layer_class *cls)
{
	uint32_t h = cs_hash(name, strlen(name));
	for (size_t j = h & (CLASS_SLOTS - 1);; j = (j + 1) & (CLASS_SLOTS - 1))
		if (!class_table[j].name) {
			class_table[j].name = name;
			class_table[j].cls = cls;
			return;
		}
}

static void class_table_build(void)
{
	for (size_t i = 0; i < cs_layer_class_count(); i++) {
		const struct cs_layer_class *c = cs_layer_class_at(i);
		class_table_add(c->name, c);
		for (const char *const *a = c->aliases; a && *a; a++)
			class_table_add(*a, c);
	}
}

const struct cs_layer_class *cs_layer_class_find_len(const char *name, size_t len)
{
	pthread_once(&class_table_once, class_table_build);
	uint32_t h = cs_hash(name, len);
	for (size_t j = h & (CLASS_SLOTS - 1); class_table[j].name; j = (j + 1) & (CLASS_SLOTS - 1))
		if (!strncmp(class_table[j].name, name, len) && !class_table[j].name[len])
			return class_table[j].cls;
	return NULL;
}

const struct cs_layer_class *cs_layer_class_find(const char *name)
{
	return cs_layer_class_find_len(name, strlen(name));
}

static const char *all_names[512];
static size_t nall_names;
static pthread_once_t all_names_once = PTHREAD_ONCE_INIT;

static void all_names_build(void)
{
	for (size_t i = 0; i < cs_layer_class_count() && nall_names < 511; i++) {
		const struct cs_layer_class *c = cs_layer_class_at(i);
		all_names[nall_names++] = c->name;
		for (const char *const *a = c->aliases; a && *a && nall_names < 511; a++)
			all_names[nall_names++] = *a;
	}
}

size_t cs_layer_class_names(const char *const **names)
{
	pthread_once(&all_names_once, all_names_build);
	*names = all_names;
	return nall_names;
}

int cs_infer_fail(struct cs_infer *c, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	char name[128];
	if (c->layer_name)
		snprintf(name, sizeof(name), "%s", c->layer_name);
	else if (c->auto_index)
		snprintf(name, sizeof(name), "%s_%u", c->stem, (unsigned)c->auto_index);
	else
		snprintf(name, sizeof(name), "%s", c->stem);
	return cs_fail(c->err, c->mark, "%s '%s': %s", c->cls->name, name, msg);
}

int cs_add_weight(struct cs_infer *c, bool trainable, int n, const int64_t *dims)
{
	return cs_add_weight_bytes(c, trainable, c->elem_bytes, n, dims);
}

int cs_add_weight_bytes(struct cs_infer *c, bool trainable, int elem_bytes,
			int n, const int64_t *dims)
{
	int64_t count = 1;
	for (int i = 0; i < n; i++) {
		if (dims[i] < 0)
			return cs_infer_fail(c, "a weight needs a known size, but its shape has None");
		if (!cs_mul(count, dims[i], &count))
			return cs_infer_fail(c, "its weight count overflows 64 bits");
	}
	int64_t *sum = trainable ? &c->trainable : &c->non_trainable;
	int64_t *bytes = trainable ? &c->trainable_bytes : &c->non_trainable_bytes;
	int64_t b;
	if (!cs_add(*sum, count, sum))
		return cs_infer_fail(c, "its weight count overflows 64 bits");
	if (!cs_mul(count, elem_bytes, &b) || !cs_add(*bytes, b, bytes))
		return cs_infer_fail(c, "the size of its weights in bytes overflows 64 bits");
	return 0;
}

int cs_need_rank(struct cs_infer *c, int rank)
{
	char buf[512];
	if (c->in->rank != rank)
		return cs_infer_fail(c, "expected an input of rank %d (batch included), got %d: %s",
				     rank, c->in->rank, cs_shape_str(c->in, buf, sizeof(buf)));
	return 0;
}

int cs_need_min_rank(struct cs_infer *c, int rank)
{
	char buf[512];
	if (c->in->rank < rank)
		return cs_infer_fail(c, "expected an input of rank %d or more (batch included), got %d: %s",
				     rank, c->in->rank, cs_shape_str(c->in, buf, sizeof(buf)));
	return 0;
}

int cs_channel_axis(const struct cs_infer *c, int rank)
{
	return c->data_format == CS_DF_FIRST ? 1 : rank - 1;
}

int cs_need_known(struct cs_infer *c, int axis, const char *what)
{
	char buf[512];
	if (c->in->d[axis] < 0)
		return cs_infer_fail(c, "the %s (axis %d) of its input must be known, got None: %s",
				     what, axis, cs_shape_str(c->in, buf, sizeof(buf)));
	return 0;
}

int cs_resolve_axis(int64_t axis, int rank)
{
	if (axis < -(int64_t)rank || axis >= rank)
		return -1;
	return (int)(axis < 0 ? axis + rank : axis);
}

const char *cs_shape_str(const struct cs_shape *s, char *buf, size_t size)
{
	return cs_shape_text((size_t)s->rank, s->d, false, buf, size);
}

void cs_explain(struct cs_infer *c, const char *fmt, ...)
{
	if (!c->explain)
		return;
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	cs_buf_str(c->explain, line);
	cs_buf_char(c->explain, '\n', 1);
}

const char *cs_axis_name(int rank, int i)
{
	static const char *const names[3][3] = {
		{ "length" }, { "height", "width" }, { "depth", "height", "width" },
	};
	return rank >= 1 && rank <= 3 && i >= 0 && i < rank ? names[rank - 1][i] : "size";
}

const char *cs_product_str(const int64_t *v, int n, char *buf, size_t size)
{
	size_t at = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && at < size; i++)
		at += (size_t)snprintf(buf + at, size - at, "%s%lld", i ? "*" : "", (long long)v[i]);
	return buf;
}

int64_t cs_product_known(const int64_t *v, int n)
{
	int64_t p = 1;
	for (int i = 0; i < n; i++)
		if (v[i] < 0 || !cs_mul(p, v[i], &p))
			return -1;
	return p;
}

int64_t cs_mul_known(int64_t a, int64_t b)
{
	int64_t r;
	return a < 0 || b < 0 || !cs_mul(a, b, &r) ? -1 : r;
}

bool cs_has_activation(const struct cs_args *a)
{
	return a->activation && strcmp(a->activation, "linear") && strcmp(a->activation, "None") &&
	       strcmp(a->activation, "null");
}

int cs_first_spatial(const struct cs_infer *c)
{
	return c->data_format == CS_DF_FIRST ? 2 : 1;
}

static const char *pad_name(const struct cs_padding *p)
{
	switch (p->mode) {
	case CS_PAD_SAME: return "same";
	case CS_PAD_CAUSAL: return "causal";
	case CS_PAD_EXPLICIT: return "explicit";
	default: return "valid";
	}
}

int cs_window_out(struct cs_infer *c, int axis, int64_t n, int64_t window,
		  int64_t stride, const struct cs_padding *pad, const char *what,
		  int64_t *out)
{
	if (n < 0) {
		*out = CS_NONE;
		return 0;
	}
	int64_t span = n, r;
	int si = axis - cs_first_spatial(c);
	const char *axis_name = cs_axis_name(c->cls->rank, si);
	switch (pad->mode) {
	case CS_PAD_SAME:
	case CS_PAD_CAUSAL:
		*out = cs_floordiv(n - 1, stride) + 1;
		cs_explain(c, "%s = ceil(%lld / %lld) = %lld", axis_name, (long long)n,
			   (long long)stride, (long long)*out);
		return 0;
	case CS_PAD_EXPLICIT: {
		int s = axis - cs_first_spatial(c);
		if (!cs_add(span, pad->amount[s][0], &span) ||
		    !cs_add(span, pad->amount[s][1], &span))
			return cs_infer_fail(c, "padding overflows on axis %d", axis);
		break;
	}
	default:
		break;
	}
	if (!cs_sub(span, window, &r))
		return cs_infer_fail(c, "%s overflows on axis %d", what, axis);
	r = cs_floordiv(r, stride) + 1;
	if (r > 0) {
		char pads[64], win[96];
		if (pad->mode == CS_PAD_EXPLICIT && pad->amount[si][0] == pad->amount[si][1])
			snprintf(pads, sizeof(pads), "2*%lld", (long long)pad->amount[si][0]);
		else if (pad->mode == CS_PAD_EXPLICIT)
			snprintf(pads, sizeof(pads), "%lld + %lld", (long long)pad->amount[si][0],
				 (long long)pad->amount[si][1]);
		else
			snprintf(pads, sizeof(pads), "0");
		if (c->window_text[0])
			snprintf(win, sizeof(win), "%s", c->window_text);
		else
			snprintf(win, sizeof(win), "%lld", (long long)window);
		cs_explain(c, "%s = floor((%lld + %s - %s) / %lld) + 1 = %lld", axis_name, (long long)n,
			   pads, win, (long long)stride, (long long)r);
	}
	if (r <= 0) {
		if (pad->mode == CS_PAD_EXPLICIT)
			return cs_infer_fail(c, "%s %lld is larger than its padded input %lld on axis %d; "
					     "the output size would be %lld (Keras: computed output size would be zero or negative)",
					     what, (long long)window, (long long)span, axis, (long long)r);
		return cs_infer_fail(c, "%s %lld is larger than its input %lld on axis %d (padding '%s'); "
				     "the output size would be %lld (Keras: computed output size would be zero or negative)",
				     what, (long long)window, (long long)n, axis, pad_name(pad), (long long)r);
	}
	*out = r;
	return 0;
}
