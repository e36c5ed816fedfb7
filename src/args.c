#include "args.h"
#include "cells.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *field(struct cs_args *a, const struct cs_arg_spec *s)
{
	return (char *)a + s->offset;
}

/* A spec by name, straight from the class's groups (before the caches). */
static const struct cs_arg_spec *cs_args_find_spec(const struct cs_layer_class *cls, const char *name)
{
	for (const struct cs_arg_spec *const *g = cls->args; *g; g++)
		for (const struct cs_arg_spec *s = *g; s->name; s++)
			if (!strcmp(s->name, name))
				return s;
	return NULL;
}

static void fill_defaults(const struct cs_layer_class *cls, struct cs_args *a)
{
	memset(a, 0, sizeof(*a));
	for (const struct cs_arg_spec *const *g = cls->args; *g; g++) {
		for (const struct cs_arg_spec *s = *g; s->name; s++) {
			char *f = field(a, s);
			switch (s->type) {
			case CS_ARG_INT:
				*(int64_t *)f = s->idef;
				break;
			case CS_ARG_TUPLE:
				for (int i = 0; i < 3; i++)
					((int64_t *)f)[i] = s->idef;
				break;
			case CS_ARG_PAIRS:
				for (int i = 0; i < 3; i++)
					((int64_t *)f)[2 * i] = ((int64_t *)f)[2 * i + 1] = s->idef;
				break;
			case CS_ARG_BOOL:
				*(bool *)f = s->idef != 0;
				break;
			case CS_ARG_ENUM:
				*(int *)f = (int)s->idef;
				break;
			case CS_ARG_FLOAT:
				*(double *)f = s->fdef;
				break;
			case CS_ARG_PADDING: {
				struct cs_padding *p = (struct cs_padding *)f;
				p->mode = CS_PAD_VALID;
				break;
			}
			case CS_ARG_AXES:
				if (s->idef) {
					/* a one-entry list holding the default */
					static int64_t minus_one = -1;
					((struct cs_ints *)f)->v = &minus_one;
					((struct cs_ints *)f)->n = 1;
				}
				break;
			default:
				break;
			}
		}
	}
	a->trainable = true;
	a->autocast = true;
}

/* Per class, built once: its defaults, and its arguments in a small
 * open-addressing table (the first spelling of a name wins, as in the
 * class's groups). */
#define ARG_SLOTS 128
struct class_cache {
	struct cs_args defaults;
	const struct cs_arg_spec *spec[ARG_SLOTS];	/* by spec index */
	uint8_t slot[ARG_SLOTS];			/* hash slot -> spec index + 1 */
	uint8_t required[16];				/* indexes of required ones */
	uint8_t nrequired;
};

/* static, so nothing is left on the heap at exit; each class's built at
 * its first use (building all 128 touched 200 KiB: a page fault each
 * 4 KiB, a tenth of a small model's run) */
static struct class_cache caches[CS_MAX_CLASSES];
static atomic_bool cache_built[CS_MAX_CLASSES];
static pthread_mutex_t caches_lock = PTHREAD_MUTEX_INITIALIZER;

static void cache_build(const struct cs_layer_class *cls, struct class_cache *k)
{
	fill_defaults(cls, &k->defaults);
	/* the file-wide data_format is Keras's image_data_format: it only
	 * reaches classes that take a data_format */
	if (!cs_args_find_spec(cls, "data_format"))
		k->defaults.data_format = CS_DF_LAST;
	size_t idx = 0;
	for (const struct cs_arg_spec *const *g = cls->args; *g; g++) {
		for (const struct cs_arg_spec *s = *g; s->name; s++, idx++) {
			assert(idx < ARG_SLOTS - 1);
			k->spec[idx] = s;
			if ((s->flags & CS_REQUIRED) && k->nrequired < sizeof(k->required))
				k->required[k->nrequired++] = (uint8_t)idx;
			uint32_t h = cs_hash(s->name, strlen(s->name));
			size_t j = h & (ARG_SLOTS - 1);
			bool dup = false;
			for (; k->slot[j]; j = (j + 1) & (ARG_SLOTS - 1))
				if (!strcmp(k->spec[k->slot[j] - 1]->name, s->name))
					dup = true;
			if (!dup)
				k->slot[j] = (uint8_t)(idx + 1);
		}
	}
}

static const struct class_cache *cache_of(const struct cs_layer_class *cls)
{
	size_t c = cs_layer_class_index(cls);
	assert(c < CS_MAX_CLASSES);
	if (!atomic_load_explicit(&cache_built[c], memory_order_acquire)) {
		pthread_mutex_lock(&caches_lock);
		if (!atomic_load_explicit(&cache_built[c], memory_order_relaxed)) {
			cache_build(cls, &caches[c]);
			atomic_store_explicit(&cache_built[c], true, memory_order_release);
		}
		pthread_mutex_unlock(&caches_lock);
	}
	return &caches[c];
}

const struct class_cache *cs_args_class(const struct cs_layer_class *cls)
{
	return cache_of(cls);
}

void cs_args_defaults_of(const struct class_cache *k, struct cs_args *a)
{
	memcpy(a, &k->defaults, sizeof(*a));
}

const struct cs_arg_spec *cs_args_lookup_in(const struct class_cache *k, const char *name, size_t len,
					    size_t *index)
{
	uint32_t h = cs_hash(name, len);
	for (size_t j = h & (ARG_SLOTS - 1); k->slot[j]; j = (j + 1) & (ARG_SLOTS - 1)) {
		const struct cs_arg_spec *s = k->spec[k->slot[j] - 1];
		if (!strncmp(s->name, name, len) && !s->name[len]) {
			*index = k->slot[j] - 1u;
			return s;
		}
	}
	return NULL;
}

size_t cs_args_required_in(const struct class_cache *k, const uint8_t **indexes)
{
	*indexes = k->required;
	return k->nrequired;
}

void cs_args_defaults(const struct cs_layer_class *cls, struct cs_args *a)
{
	cs_args_defaults_of(cache_of(cls), a);
}

const struct cs_arg_spec *cs_args_lookup(const struct cs_layer_class *cls, const char *name,
					 size_t len, size_t *index)
{
	return cs_args_lookup_in(cache_of(cls), name, len, index);
}

size_t cs_args_required(const struct cs_layer_class *cls, const uint8_t **indexes)
{
	return cs_args_required_in(cache_of(cls), indexes);
}

const struct cs_arg_spec *cs_args_spec_at(const struct cs_layer_class *cls, size_t index)
{
	return cache_of(cls)->spec[index];
}

const struct cs_arg_spec *cs_args_find(const struct cs_layer_class *cls,
				       const char *name)
{
	size_t index;
	return cs_args_lookup(cls, name, strlen(name), &index);
}

size_t cs_args_names(const struct cs_layer_class *cls, const char **names,
		     size_t max)
{
	size_t n = 0;
	for (int common = 0; common < 2; common++)
		for (const struct cs_arg_spec *const *g = cls->args; *g; g++)
			if ((*g == cs_common_args) == common)
				for (const struct cs_arg_spec *s = *g; s->name && n < max; s++)
					names[n++] = s->name;
	return n;
}

/* ---- scalars ---------------------------------------------------------- */

static bool is_bool_text(const char *t, bool *v)
{
	if (!strcmp(t, "true") || !strcmp(t, "True") || !strcmp(t, "TRUE")) {
		*v = true;
		return true;
	}
	if (!strcmp(t, "false") || !strcmp(t, "False") || !strcmp(t, "FALSE")) {
		*v = false;
		return true;
	}
	return false;
}

int cs_node_bool(const struct cs_node *n, const char *what, bool *out, struct cs_error *err)
{
	if (n->kind != CS_NODE_SCALAR || !n->u.scalar.plain || !is_bool_text(n->u.scalar.text, out))
		return cs_fail(err, n->mark, "%s: expected true or false", what);
	return 0;
}

/* A plain scalar that reads as a decimal integer. */
static bool scalar_int(const struct cs_node *n, long long *v, bool *range)
{
	*range = true;
	if (n->kind != CS_NODE_SCALAR || !n->u.scalar.plain)
		return false;
	const char *t = n->u.scalar.text;
	const char *p = t;
	if (*p == '+' || *p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	/* decimal digits only; the value saturates past 64 bits (out of range) */
	unsigned long long u = 0;
	for (const char *q = p; *q; q++) {
		if (*q < '0' || *q > '9')
			return false;
		if (u > (ULLONG_MAX - 9) / 10)
			*range = false;
		else
			u = u * 10 + (unsigned)(*q - '0');
	}
	if (u > (unsigned long long)LLONG_MAX)
		*range = false;
	*v = !*range ? 0 : t[0] == '-' ? -(long long)u : (long long)u;
	return true;
}

static bool scalar_float(const struct cs_node *n, double *v)
{
	if (n->kind != CS_NODE_SCALAR || !n->u.scalar.plain)
		return false;
	const char *t = n->u.scalar.text;
	if (!*t || strchr(t, 'x') || strchr(t, 'X') || strchr(t, 'n') || strchr(t, 'N') ||
	    strchr(t, 'i') || strchr(t, 'I'))
		return false;
	char *end;
	errno = 0;
	*v = strtod(t, &end);
	return !*end && isfinite(*v);
}

static const char *got(const struct cs_node *n, char *buf, size_t size)
{
	return cs_node_describe(n, buf, size);
}

int cs_node_int(const struct cs_node *n, const char *what, int64_t *out,
		struct cs_error *err)
{
	long long v;
	bool range;
	char buf[64];
	if (!scalar_int(n, &v, &range)) {
		if (n->kind == CS_NODE_SCALAR && !n->u.scalar.plain)
			return cs_fail(err, n->mark, "%s: expected an integer, got the string \"%s\" (remove the quotes)",
				       what, n->u.scalar.text);
		return cs_fail(err, n->mark, "%s: expected an integer, got %s", what, got(n, buf, sizeof(buf)));
	}
	if (!range || v > CS_ARG_INT_MAX || v < -CS_ARG_INT_MAX)
		return cs_fail(err, n->mark, "%s: %s is out of range; expected at most 2147483647 in size",
			       what, n->u.scalar.text);
	*out = v;
	return 0;
}

/* A plain scalar that YAML would read as something other than a string. */
static bool plain_non_string(const struct cs_node *n)
{
	long long v;
	double d;
	bool b, range;
	return cs_node_is_null(n) || scalar_int(n, &v, &range) || scalar_float(n, &d) ||
	       is_bool_text(n->u.scalar.text, &b);
}

int cs_node_string(const struct cs_node *n, const char *what, const char **out,
		   struct cs_error *err)
{
	char buf[64];
	if (n->kind != CS_NODE_SCALAR || (n->u.scalar.plain && plain_non_string(n)))
		return cs_fail(err, n->mark, "%s: expected a string, got %s%s", what,
			       got(n, buf, sizeof(buf)),
			       n->kind == CS_NODE_SCALAR ? " (quote it to make it a string)" : "");
	*out = n->u.scalar.text;
	return 0;
}

int cs_node_shape(const struct cs_node *n, const char *what, struct cs_ints *out,
		  struct cs_arena *arena, struct cs_error *err)
{
	char buf[64];
	if (n->kind != CS_NODE_SEQ)
		return cs_fail(err, n->mark, "%s: expected a list of sizes such as [28, 28, 1], got %s",
			       what, got(n, buf, sizeof(buf)));
	if (n->u.seq.n + 1 > CS_MAX_RANK)
		return cs_fail(err, n->mark, "%s: %zu dimensions; at most %d are supported",
			       what, n->u.seq.n, CS_MAX_RANK - 1);
	out->n = n->u.seq.n;
	out->v = cs_arena_alloc(arena, (out->n + 1) * sizeof(int64_t));
	if (!out->v)
		return cs_fail_oom(err, n->mark);
	for (size_t i = 0; i < out->n; i++) {
		const struct cs_node *it = n->u.seq.items[i];
		if (cs_node_is_null(it)) {
			out->v[i] = CS_NONE;
			continue;
		}
		if (cs_node_int(it, what, &out->v[i], err) < 0)
			return -1;
		/* Keras refuses only negative sizes: an axis may be empty */
		if (out->v[i] < 0)
			return cs_fail(err, it->mark, "%s: size %lld must not be negative (0 or more, or null "
				       "for unknown)", what, (long long)out->v[i]);
	}
	return 0;
}

static const struct {
	const char *name;
	int bytes;
} dtypes[] = {
	{ "float32", 4 }, { "float16", 2 }, { "bfloat16", 2 }, { "float64", 8 },
	{ "mixed_float16", 4 }, { "mixed_bfloat16", 4 },	/* float32 variables */
	{ "int8", 1 }, { "uint8", 1 }, { "int16", 2 }, { "uint16", 2 },
	{ "int32", 4 }, { "uint32", 4 }, { "int64", 8 }, { "uint64", 8 },
	{ "bool", 1 }, { "float8_e4m3fn", 1 }, { "float8_e5m2", 1 },
	{ "complex64", 8 }, { "complex128", 16 },
	{ "half", 2 }, { "float", 4 }, { "double", 8 },
};

int cs_dtype_compute_bytes(const char *name)
{
	/* mixed policies keep float32 variables but compute in 16 bits */
	if (!strcmp(name, "mixed_float16") || !strcmp(name, "mixed_bfloat16"))
		return 2;
	return cs_dtype_bytes(name);
}

int cs_dtype_bytes(const char *name)
{
	for (size_t i = 0; i < sizeof(dtypes) / sizeof(dtypes[0]); i++)
		if (strcmp(dtypes[i].name, name) == 0)
			return dtypes[i].bytes;
	return 0;
}

/* ---- argument values ---------------------------------------------------- */

static int want_range(const struct cs_arg_spec *s, const struct cs_node *n, int64_t v,
		      struct cs_error *err)
{
	if ((s->flags & CS_MIN1) && (s->flags & CS_OR_MINUS1) && v < 1 && v != -1)
		return cs_fail(err, n->mark, "%s: expected a positive integer or -1, got %lld",
			       s->name, (long long)v);
	if ((s->flags & CS_MIN1) && !(s->flags & CS_OR_MINUS1) && v < 1)
		return cs_fail(err, n->mark, "%s: expected a positive integer, got %lld",
			       s->name, (long long)v);
	if ((s->flags & CS_MIN0) && v < 0)
		return cs_fail(err, n->mark, "%s: expected a non-negative integer, got %lld",
			       s->name, (long long)v);
	return 0;
}

static int set_int(const struct cs_arg_spec *s, const struct cs_node *n, int64_t *out,
		   struct cs_error *err)
{
	if (cs_node_int(n, s->name, out, err) < 0)
		return -1;
	return want_range(s, n, *out, err);
}

/* An int meaning every axis, or a list of `rank` ints. */
static int set_tuple(const struct cs_arg_spec *s, int rank, const struct cs_node *n,
		     int64_t *out, struct cs_error *err)
{
	char buf[64];
	if (n->kind == CS_NODE_SCALAR) {
		int64_t v;
		if (scalar_int(n, &(long long){ 0 }, &(bool){ 0 })) {
			if (set_int(s, n, &v, err) < 0)
				return -1;
			for (int i = 0; i < 3; i++)
				out[i] = i < rank ? v : 1;
			return 0;
		}
	} else if (n->kind == CS_NODE_SEQ) {
		if ((int)n->u.seq.n != rank)
			return cs_fail(err, n->mark, "%s: expected %d integer%s, got a list of %zu",
				       s->name, rank, rank == 1 ? "" : "s", n->u.seq.n);
		for (int i = 0; i < 3; i++)
			out[i] = 1;
		for (int i = 0; i < rank; i++)
			if (set_int(s, n->u.seq.items[i], &out[i], err) < 0)
				return -1;
		return 0;
	}
	if (rank == 1)
		return cs_fail(err, n->mark, "%s: expected an integer, got %s", s->name,
			       got(n, buf, sizeof(buf)));
	return cs_fail(err, n->mark, "%s: expected an integer or a list of %d integers, got %s",
		       s->name, rank, got(n, buf, sizeof(buf)));
}

/* Per-axis (before, after) amounts: an int for all, or a list of `rank`
 * entries, one per axis, each an int (the same on both sides) or a pair
 * [before, after].  With flat_pair (ZeroPadding1D, Cropping1D: Keras's
 * form), a rank-1 list is the pair itself: [before, after]. */
static int set_pairs(const struct cs_arg_spec *s, int rank, bool flat_pair, const struct cs_node *n,
		     int64_t pairs[3][2], struct cs_error *err)
{
	char buf[64];
	int64_t v;
	if (n->kind == CS_NODE_SCALAR) {
		if (set_int(s, n, &v, err) < 0)
			return -1;
		for (int i = 0; i < 3; i++)
			pairs[i][0] = pairs[i][1] = v;
		return 0;
	}
	if (n->kind != CS_NODE_SEQ)
		goto bad;
	if (rank == 1 && flat_pair) {
		if (n->u.seq.n != 2)
			goto bad;
		if (set_int(s, n->u.seq.items[0], &pairs[0][0], err) < 0 ||
		    set_int(s, n->u.seq.items[1], &pairs[0][1], err) < 0)
			return -1;
		return 0;
	}
	if ((int)n->u.seq.n != rank)
		goto bad;
	for (int i = 0; i < rank; i++) {
		const struct cs_node *it = n->u.seq.items[i];
		if (it->kind == CS_NODE_SCALAR) {
			if (set_int(s, it, &v, err) < 0)
				return -1;
			pairs[i][0] = pairs[i][1] = v;
		} else if (it->kind == CS_NODE_SEQ && it->u.seq.n == 2) {
			if (set_int(s, it->u.seq.items[0], &pairs[i][0], err) < 0 ||
			    set_int(s, it->u.seq.items[1], &pairs[i][1], err) < 0)
				return -1;
		} else {
			return cs_fail(err, it->mark, "%s: expected an integer or a pair [before, after], got %s",
				       s->name, got(it, buf, sizeof(buf)));
		}
	}
	return 0;
bad:
	if (n->kind == CS_NODE_SEQ)
		snprintf(buf, sizeof(buf), "a list of %zu", n->u.seq.n);
	const char *what = n->kind == CS_NODE_SEQ ? buf : got(n, buf, sizeof(buf));
	if (rank == 1 && flat_pair)
		return cs_fail(err, n->mark, "%s: expected an integer or a pair [before, after], got %s",
			       s->name, what);
	if (rank == 1)
		return cs_fail(err, n->mark, "%s: expected an integer, or a list of 1 entry for the one axis "
			       "([2], or [[before, after]]), got %s", s->name, what);
	return cs_fail(err, n->mark, "%s: expected an integer, a list of %d integers, or %d pairs "
		       "[[before, after], ...], got %s", s->name, rank, rank, what);
}

static int set_padding(const struct cs_layer_class *cls, const struct cs_arg_spec *s,
		       const struct cs_node *n, struct cs_padding *p, struct cs_error *err)
{
	char buf[64];
	bool causal = cls->flags & CS_CLS_CAUSAL;
	if (n->kind == CS_NODE_SCALAR && !scalar_int(n, &(long long){ 0 }, &(bool){ 0 })) {
		const char *t = n->u.scalar.text;
		if (!strcasecmp(t, "valid"))
			p->mode = CS_PAD_VALID;
		else if (!strcasecmp(t, "same"))
			p->mode = CS_PAD_SAME;
		else if (!strcasecmp(t, "causal") && causal)
			p->mode = CS_PAD_CAUSAL;
		else if (!strcasecmp(t, "causal"))
			return cs_fail(err, n->mark, "padding 'causal' is only for Conv1D; expected 'valid' or 'same'");
		else
			return cs_fail(err, n->mark, "padding: expected 'valid', 'same'%s or an integer, got %s",
				       causal ? ", 'causal'" : "", got(n, buf, sizeof(buf)));
		return 0;
	}
	if (!(cls->flags & CS_CLS_EXPLICIT_PAD))
		return cs_fail(err, n->mark, "padding: expected 'valid' or 'same', got %s",
			       got(n, buf, sizeof(buf)));
	p->mode = CS_PAD_EXPLICIT;
	return set_pairs(s, cls->rank, false, n, p->amount, err);
}

static int set_int_list(const struct cs_arg_spec *s, const struct cs_node *n, bool allow_int,
			struct cs_ints *out, struct cs_arena *arena, struct cs_error *err)
{
	char buf[64];
	if (allow_int && n->kind == CS_NODE_SCALAR) {
		out->v = cs_arena_alloc(arena, sizeof(int64_t));
		if (!out->v)
			return cs_fail_oom(err, n->mark);
		out->n = 1;
		return set_int(s, n, &out->v[0], err);
	}
	if (n->kind != CS_NODE_SEQ)
		return cs_fail(err, n->mark, "%s: expected %sa list of integers, got %s", s->name,
			       allow_int ? "an integer or " : "", got(n, buf, sizeof(buf)));
	if (n->u.seq.n >= CS_MAX_RANK)
		return cs_fail(err, n->mark, "%s: %zu entries; at most %d are supported",
			       s->name, n->u.seq.n, CS_MAX_RANK - 1);
	out->n = n->u.seq.n;
	out->v = cs_arena_alloc(arena, (out->n + 1) * sizeof(int64_t));
	if (!out->v)
		return cs_fail_oom(err, n->mark);
	for (size_t i = 0; i < out->n; i++)
		if (set_int(s, n->u.seq.items[i], &out->v[i], err) < 0)
			return -1;
	return 0;
}

/* Dot's axes: an integer for both inputs, or a list of two. */
static int set_axis_pair(const struct cs_arg_spec *s, const struct cs_node *n, struct cs_axis_pair *out,
			 struct cs_error *err)
{
	char buf[64];
	if (n->kind == CS_NODE_SEQ) {
		if (n->u.seq.n != 2)
			return cs_fail(err, n->mark, "%s: expected an integer or a list of 2 integers, got a "
				       "list of %zu", s->name, n->u.seq.n);
		out->one = false;
		return set_int(s, n->u.seq.items[0], &out->v[0], err) < 0 ||
		       set_int(s, n->u.seq.items[1], &out->v[1], err) < 0 ? -1 : 0;
	}
	if (n->kind != CS_NODE_SCALAR)
		return cs_fail(err, n->mark, "%s: expected an integer or a list of 2 integers, got %s",
			       s->name, got(n, buf, sizeof(buf)));
	if (set_int(s, n, &out->v[0], err) < 0)
		return -1;
	out->v[1] = out->v[0];
	out->one = true;
	return 0;
}

/* The shape of an array written as nested lists (numpy's np.shape) into
 * dims[0..*rank), at most `room` of them; every list at one depth must
 * have the same shape. */
static int array_shape(const struct cs_arg_spec *s, const struct cs_node *n, int64_t *dims, int room,
		       int *rank, struct cs_error *err)
{
	char buf[64];
	double v;
	if (n->kind == CS_NODE_SCALAR && scalar_float(n, &v)) {
		*rank = 0;
		return 0;
	}
	if (n->kind != CS_NODE_SEQ)
		return cs_fail(err, n->mark, "%s: expected a number or a list of numbers, got %s", s->name,
			       got(n, buf, sizeof(buf)));
	if (!room)
		return cs_fail(err, n->mark, "%s: lists nested more than %d deep; at most %d are supported",
			       s->name, CS_MAX_RANK - 1, CS_MAX_RANK - 1);
	if (n->u.seq.n > CS_ARG_INT_MAX)
		return cs_fail(err, n->mark, "%s: more than 2147483647 entries", s->name);
	dims[0] = (int64_t)n->u.seq.n;
	*rank = 1;
	if (!n->u.seq.n)
		return 0;
	/* the first entry gives the shape the others must have */
	int first;
	if (array_shape(s, n->u.seq.items[0], dims + 1, room - 1, &first, err) < 0)
		return -1;
	for (size_t i = 1; i < n->u.seq.n; i++) {
		int64_t other[CS_MAX_RANK];
		int r;
		if (array_shape(s, n->u.seq.items[i], other, room - 1, &r, err) < 0)
			return -1;
		if (r != first || memcmp(other, dims + 1, (size_t)r * sizeof(int64_t))) {
			char x[256], y[256];
			return cs_fail(err, n->u.seq.items[i]->mark, "%s: entry %zu has shape %s, but the first "
				       "has shape %s; expected an array: lists of one shape at each depth", s->name,
				       i + 1, cs_shape_text((size_t)r, other, true, x, sizeof(x)),
				       cs_shape_text((size_t)first, dims + 1, true, y, sizeof(y)));
		}
	}
	*rank = first + 1;
	return 0;
}

static int set_array(const struct cs_arg_spec *s, const struct cs_node *n, struct cs_ints *out,
		     struct cs_arena *arena, struct cs_error *err)
{
	int64_t dims[CS_MAX_RANK];
	int rank;
	if (array_shape(s, n, dims, CS_MAX_RANK - 1, &rank, err) < 0)
		return -1;
	/* a number has no dimensions, but v is set: the array is given */
	out->v = cs_arena_alloc(arena, ((size_t)rank + 1) * sizeof(int64_t));
	if (!out->v)
		return cs_fail_oom(err, n->mark);
	memcpy(out->v, dims, (size_t)rank * sizeof(int64_t));
	out->n = (size_t)rank;
	return 0;
}

/* Node text lives in a scratch arena: copy what the model keeps. */
static int keep(struct cs_arena *arena, const struct cs_node *n, const char *t,
		const char **out, struct cs_error *err)
{
	*out = cs_arena_strdup(arena, t);
	return *out ? 0 : cs_fail_oom(err, n->mark);
}

static const char *const data_formats[] = { "channels_last", "channels_first", NULL };

int cs_args_set(const struct cs_layer_class *cls, const struct cs_arg_spec *s,
		const struct cs_node *n, struct cs_args *a,
		struct cs_arena *arena, struct cs_error *err)
{
	char *f = field(a, s);
	char buf[64];
	bool null = cs_node_is_null(n);

	if (null && s->type != CS_ARG_ANY && s->type != CS_ARG_MAPPING) {
		if (!(s->flags & CS_NULLABLE))
			return cs_fail(err, n->mark, "%s: null is not allowed here; expected a value", s->name);
		if (s->type == CS_ARG_AXES) {
			/* an axis of None: no axes at all (Normalization keeps none) */
			((struct cs_ints *)f)->v = NULL;
			((struct cs_ints *)f)->n = 0;
			return 0;
		}
		/* null means the default, which for nullable arguments is None */
		return 0;
	}
	switch (s->type) {
	case CS_ARG_INT:
		return set_int(s, n, (int64_t *)f, err);
	case CS_ARG_TUPLE:
		return set_tuple(s, cls->rank ? cls->rank : 1, n, (int64_t *)f, err);
	case CS_ARG_PAIRS:
		return set_pairs(s, cls->rank, true, n, (int64_t(*)[2])f, err);
	case CS_ARG_PADDING:
		return set_padding(cls, s, n, (struct cs_padding *)f, err);
	case CS_ARG_BOOL: {
		bool v;
		if (n->kind != CS_NODE_SCALAR || !n->u.scalar.plain || !is_bool_text(n->u.scalar.text, &v))
			return cs_fail(err, n->mark, "%s: expected true or false, got %s", s->name,
				       got(n, buf, sizeof(buf)));
		*(bool *)f = v;
		return 0;
	}
	case CS_ARG_FLOAT: {
		double v;
		if (!scalar_float(n, &v))
			return cs_fail(err, n->mark, "%s: expected a number, got %s", s->name,
				       got(n, buf, sizeof(buf)));
		if ((s->flags & CS_UNIT) && (v < 0 || v > 1))
			return cs_fail(err, n->mark, "%s: expected a number from 0 to 1, got %s", s->name,
				       n->u.scalar.text);
		if ((s->flags & CS_NONNEG) && v < 0)
			return cs_fail(err, n->mark, "%s: expected a number >= 0, got %s", s->name,
				       n->u.scalar.text);
		*(double *)f = v;
		return 0;
	}
	case CS_ARG_ENUM:
	case CS_ARG_DATA_FORMAT: {
		const char *const *choices = s->type == CS_ARG_ENUM ? s->choices : data_formats;
		if (n->kind == CS_NODE_SCALAR) {
			for (int i = 0; choices[i]; i++)
				if (!strcasecmp(choices[i], n->u.scalar.text)) {
					*(int *)f = s->type == CS_ARG_ENUM ? i
						    : (i == 0 ? CS_DF_LAST : CS_DF_FIRST);
					return 0;
				}
		}
		char list[256] = "";
		size_t at = 0;
		for (int i = 0; choices[i] && at < sizeof(list); i++)
			at += (size_t)snprintf(list + at, sizeof(list) - at, "%s'%s'",
					       i ? ", " : "", choices[i]);
		return cs_fail(err, n->mark, "%s: expected one of %s, got %s", s->name, list,
			       got(n, buf, sizeof(buf)));
	}
	case CS_ARG_INT_LIST:
		return set_int_list(s, n, false, (struct cs_ints *)f, arena, err);
	case CS_ARG_AXES:
		return set_int_list(s, n, true, (struct cs_ints *)f, arena, err);
	case CS_ARG_STRING: {
		const char *t;
		if (cs_node_string(n, s->name, &t, err) < 0)
			return -1;
		return keep(arena, n, t, (const char **)f, err);
	}
	case CS_ARG_DTYPE: {
		const char *t;
		if (cs_node_string(n, s->name, &t, err) < 0)
			return -1;
		if (!cs_dtype_bytes(t))
			return cs_fail(err, n->mark, "%s: unknown dtype '%s'; expected float32, float16, "
				       "bfloat16, float64, mixed_float16, int32, ...", s->name, t);
		return keep(arena, n, t, (const char **)f, err);
	}
	case CS_ARG_SHAPE:
		if (cs_node_shape(n, s->name, (struct cs_ints *)f, arena, err) < 0)
			return -1;
		if (s->offset == offsetof(struct cs_args, input_shape))
			a->has_input_shape = true;
		return 0;
	case CS_ARG_ACTIVATION:
		if (n->kind == CS_NODE_SCALAR)
			return keep(arena, n, n->u.scalar.text, (const char **)f, err);
		else if (n->kind != CS_NODE_MAP)
			return cs_fail(err, n->mark, "%s: expected a name such as 'relu', got %s",
				       s->name, got(n, buf, sizeof(buf)));
		return 0;
	case CS_ARG_AXIS_PAIR:
		return set_axis_pair(s, n, (struct cs_axis_pair *)f, err);
	case CS_ARG_ARRAY:
		return set_array(s, n, (struct cs_ints *)f, arena, err);
	case CS_ARG_ANY:
		return 0;
	case CS_ARG_MAPPING:
		if (!null && n->kind != CS_NODE_MAP)
			return cs_fail(err, n->mark, "%s: expected a mapping or null, got %s", s->name,
				       got(n, buf, sizeof(buf)));
		return 0;
	}
	return 0;
}
