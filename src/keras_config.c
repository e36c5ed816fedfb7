/*
 * Keras's model config -> our YAML (model-format-graphs.md §10).
 *
 * One mapping serves both `convsummary convert` and reading a config:
 * the YAML written here is what the YAML loader then reads, so a
 * converted file summarises exactly as the config does.  Every stretch of
 * YAML written notes the JSON place it came from (struct cs_keras_span),
 * so that an error the loader finds later still points into the JSON.
 *
 *   config    ::= { class_name: Sequential | Functional | Model,
 *                   config: { name, trainable, layers: [layer, ...],
 *                             input_layers, output_layers (Functional),
 *                             build_input_shape (Sequential) },
 *                   module, registered_name, build_config, compile_config }
 *   layer     ::= { class_name, config: { name, ARG: value, ... },
 *                   name, inbound_nodes: [node, ...] (Functional),
 *                   module, registered_name, build_config }
 *   node      ::= { args: [...], kwargs: {...} }   tensors found depth first
 *   tensor    ::= { class_name: __keras_tensor__,
 *                   config: { shape, dtype, keras_history: [layer, call, output] } }
 *
 * A layer whose class is Sequential, Functional or Model is a nested
 * model: it goes under the YAML's `models:` and is called with `call`.
 */
#include "keras_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "args.h"
#include "buf.h"
#include "layers/layers.h"

enum kind { K_LAYER, K_INPUT, K_SEQUENTIAL, K_FUNCTIONAL };

struct writer {
	struct cs_buf b;
	struct cs_mark at;	/* where the next byte goes in the YAML */
	struct cs_keras_yaml *y;
	const struct cs_json *j;
	struct cs_error *err;
	int oom;
};

/* ---- writing YAML, with places ------------------------------------------- */

static void out(struct writer *w, const char *s, size_t n)
{
	cs_buf_add(&w->b, s, n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n') {
			w->at.line++;
			w->at.column = 1;
		} else if ((c & 0xC0) != 0x80) {
			w->at.column++;
		}
	}
}

static void outs(struct writer *w, const char *s)
{
	out(w, s, strlen(s));
}

static void indent(struct writer *w, int n)
{
	static const char spaces[] = "                                ";
	while (n > 0) {
		int k = n < 32 ? n : 32;
		out(w, spaces, (size_t)k);
		n -= k;
	}
}

/* What follows in the YAML came from json (nothing when it has no place). */
static void here(struct writer *w, struct cs_mark json)
{
	struct cs_keras_yaml *y = w->y;
	if (!json.line || w->oom)
		return;
	if (y->nspans == y->cap) {
		size_t cap = y->cap ? y->cap * 2 : 64;
		struct cs_keras_span *s = realloc(y->spans, cap * sizeof(*s));
		if (!s) {
			w->oom = 1;
			return;
		}
		y->spans = s;
		y->cap = cap;
	}
	y->spans[y->nspans].yaml = w->at;
	y->spans[y->nspans].json = json;
	y->nspans++;
}

static void here_at(struct writer *w, const void *value_or_key)
{
	here(w, cs_json_mark(w->j, value_or_key));
}

static int plain_safe(const char *s)
{
	static const char *const words[] = {
		"null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf",
	};
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '-' || *p == '.'))
			return 0;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcasecmp(s, words[i]))
			return 0;
	return 1;
}

/* A string as a YAML scalar: plain when it reads back as the same string,
 * else double-quoted (controls escaped; other characters as UTF-8). */
static void put_str(struct writer *w, const char *s)
{
	if (plain_safe(s)) {
		outs(w, s);
		return;
	}
	out(w, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char esc[8];
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			out(w, esc, 2);
		} else if (*p < 0x20 || *p == 0x7f) {
			snprintf(esc, sizeof(esc), "\\x%02X", *p);
			out(w, esc, 4);
		} else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
			snprintf(esc, sizeof(esc), "\\x%02X", p[1]);	/* a C1 control */
			out(w, esc, 4);
			p++;
		} else {
			out(w, (const char *)p, 1);
		}
	}
	out(w, "\"", 1);
}

static void put_int(struct writer *w, long long v)
{
	char t[32];
	out(w, t, (size_t)snprintf(t, sizeof(t), "%lld", v));
}

/* The shortest decimal that reads back as v, as Python's repr writes it. */
static void put_real(struct writer *w, double v)
{
	char t[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(t, sizeof(t), "%.*g", prec, v);
		if (strtod(t, NULL) == v)
			break;
	}
	outs(w, t);
	if (!strpbrk(t, ".eEni"))
		outs(w, ".0");
}

/* Any JSON value, in YAML's flow style. */
static void put_json(struct writer *w, const json_t *v)
{
	if (json_is_object(v)) {
		const char *key;
		json_t *x;
		int first = 1;
		out(w, "{", 1);
		json_object_foreach((json_t *)v, key, x) {
			if (!first)
				out(w, ", ", 2);
			first = 0;
			put_str(w, key);
			out(w, ": ", 2);
			put_json(w, x);
		}
		out(w, "}", 1);
	} else if (json_is_array(v)) {
		out(w, "[", 1);
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (i)
				out(w, ", ", 2);
			put_json(w, json_array_get(v, i));
		}
		out(w, "]", 1);
	} else if (json_is_string(v)) {
		put_str(w, json_string_value(v));
	} else if (json_is_integer(v)) {
		put_int(w, (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		put_real(w, json_real_value(v));
	} else if (json_is_true(v)) {
		outs(w, "true");
	} else if (json_is_false(v)) {
		outs(w, "false");
	} else {
		outs(w, "null");
	}
}

/* ---- reading the config ------------------------------------------------------ */

static struct cs_mark mark_of(struct writer *w, const void *p)
{
	return cs_json_mark(w->j, p);
}

/* The value of key in o, of the JSON type wanted; NULL (an error set at
 * the key, or at o when the key is missing) when it is not. */
static json_t *member(struct writer *w, const json_t *o, const char *key, json_type type,
		      const char *expected)
{
	json_t *v = json_object_get(o, key);
	if (v && json_typeof(v) == type)
		return v;
	struct cs_mark at = v ? cs_json_mark(w->j, v) : cs_json_mark(w->j, o);
	if (v && !at.line)
		at = cs_json_key_mark(w->j, o, key);
	if (v)
		cs_fail(w->err, at, "'%s': expected %s", key, expected);
	else
		cs_fail(w->err, at, "missing '%s': expected %s", key, expected);
	return NULL;
}

static const char *class_of(const json_t *o)
{
	return json_string_value(json_object_get(o, "class_name"));
}

static enum kind kind_of(const char *cls)
{
	if (!cls)
		return K_LAYER;
	if (!strcmp(cls, "InputLayer"))
		return K_INPUT;
	if (!strcmp(cls, "Sequential"))
		return K_SEQUENTIAL;
	if (!strcmp(cls, "Functional") || !strcmp(cls, "Model"))
		return K_FUNCTIONAL;
	return K_LAYER;
}

int cs_keras_is_config(const json_t *root)
{
	return json_is_object(root) && json_object_get(root, "class_name");
}

/* A layer's name: its config's, else the layer's own `name`. */
static const char *layer_name(struct writer *w, const json_t *layer, const json_t *config)
{
	const char *name = json_string_value(json_object_get(config, "name"));
	if (!name)
		name = json_string_value(json_object_get(layer, "name"));
	if (!name)
		cs_fail(w->err, mark_of(w, config), "missing 'name': expected the layer's name (a string)");
	return name;
}

/* A dtype policy's name: "float32", or {"class_name": "DTypePolicy",
 * "config": {"name": "mixed_float16"}}; NULL if neither. */
static const char *dtype_name(const json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	return json_string_value(json_object_get(json_object_get(v, "config"), "name"));
}

/* Whether a value is what the argument is without it. */
static int is_default(const struct cs_arg_spec *s, const json_t *v)
{
	if (s->flags & CS_REQUIRED)
		return 0;
	if (json_is_null(v))
		return 1;
	switch (s->type) {
	case CS_ARG_ANY:
	case CS_ARG_MAPPING:
		return 1;	/* initializers and the like: no shape, no count */
	case CS_ARG_INT:
		return json_is_integer(v) && json_integer_value(v) == s->idef;
	case CS_ARG_TUPLE:
		if (json_is_integer(v))
			return json_integer_value(v) == s->idef;
		if (!json_is_array(v) || !json_array_size(v))
			return 0;
		for (size_t i = 0; i < json_array_size(v); i++) {
			const json_t *x = json_array_get(v, i);
			if (!json_is_integer(x) || json_integer_value(x) != s->idef)
				return 0;
		}
		return 1;
	case CS_ARG_BOOL:
		return json_is_boolean(v) && json_is_true(v) == (s->idef != 0);
	case CS_ARG_FLOAT:
		return json_is_number(v) && json_number_value(v) == s->fdef;
	case CS_ARG_PADDING:
		return json_is_string(v) && s->sdef && !strcmp(json_string_value(v), s->sdef);
	case CS_ARG_ENUM:
		return json_is_string(v) && s->choices && !strcmp(json_string_value(v), s->choices[s->idef]);
	case CS_ARG_DATA_FORMAT:
		return json_is_string(v) && !strcmp(json_string_value(v), "channels_last");
	case CS_ARG_ACTIVATION:
		return json_is_string(v) && !strcmp(json_string_value(v), "linear");
	default:
		return 0;
	}
}

/* Whether v is a list (of lists, with pairs) whose integers are all equal
 * to the first one found, which goes in *first. */
static int all_same(const json_t *v, int nested, const json_t **first)
{
	if (!json_is_array(v) || !json_array_size(v))
		return 0;
	for (size_t i = 0; i < json_array_size(v); i++) {
		const json_t *x = json_array_get(v, i);
		if (nested) {
			if (!all_same(x, 0, first))
				return 0;
		} else {
			if (!json_is_integer(x))
				return 0;
			if (!*first)
				*first = x;
			else if (json_integer_value(x) != json_integer_value(*first))
				return 0;
		}
	}
	return 1;
}

/* An argument's value: a tuple of equal sizes (or ZeroPadding's and
 * Cropping's equal pairs) as one number, as people write it
 * (kernel_size: 3, padding: 1); anything else as it is. */
static void put_arg(struct writer *w, const struct cs_arg_spec *s, const json_t *v)
{
	const json_t *first = NULL;
	if ((s->type == CS_ARG_TUPLE && all_same(v, 0, &first)) ||
	    (s->type == CS_ARG_PAIRS && all_same(v, 1, &first))) {
		put_int(w, (long long)json_integer_value(first));
		return;
	}
	put_json(w, v);
}

/* ", ARG: value" for each argument of the config that our table for the
 * class uses and that is not at its default. */
static void layer_args(struct writer *w, const struct cs_layer_class *cls, const json_t *config)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)config, key, v) {
		if (!strcmp(key, "name"))
			continue;
		const struct cs_arg_spec *s = cs_args_find(cls, key);
		if (!s)
			continue;	/* Keras's own (sparse, seed, ...): no shape, no count */
		if (!strcmp(key, "dtype")) {
			const char *d = dtype_name(v);
			if (!d || !strcmp(d, "float32"))
				continue;
			out(w, ", ", 2);
			here_at(w, key);
			outs(w, "dtype: ");
			here_at(w, v);
			put_str(w, d);
			continue;
		}
		if (is_default(s, v))
			continue;
		out(w, ", ", 2);
		here_at(w, key);
		put_str(w, key);
		out(w, ": ", 2);
		here_at(w, v);
		put_arg(w, s, v);
	}
}

/* The class of a layer we can summarise, or NULL with an error naming the
 * layer (and its registered_name: a custom layer's package>class). */
static const struct cs_layer_class *known_class(struct writer *w, const json_t *layer,
						const char *name)
{
	const json_t *cn = json_object_get(layer, "class_name");
	const char *cls = json_string_value(cn);
	const struct cs_layer_class *c = cls ? cs_layer_class_find(cls) : NULL;
	if (c)
		return c;
	struct cs_mark at = mark_of(w, cn ? (const void *)cn : (const void *)layer);
	const char *reg = json_string_value(json_object_get(layer, "registered_name"));
	if (!cls)
		cs_fail(w->err, at, "layer '%s': missing 'class_name': expected a Keras layer class", name);
	else if (reg)
		cs_fail(w->err, at, "layer '%s' is of class '%s' (registered_name '%s'), a layer "
			"convsummary does not know; expected a built-in Keras layer", name, cls, reg);
	else
		cs_fail(w->err, at, "layer '%s' is of class '%s', a layer convsummary does not know; "
			"expected a built-in Keras layer", name, cls);
	return NULL;
}

/* "{shape: [...], name: N, batch_size: B, dtype: D}" of an InputLayer
 * (Keras 3's batch_shape, or Keras 2's batch_input_shape). */
static int input_args(struct writer *w, const json_t *layer, const char *prefix)
{
	const json_t *config = member(w, layer, "config", JSON_OBJECT, "an object");
	if (!config)
		return -1;
	const char *name = layer_name(w, layer, config);
	if (!name)
		return -1;
	const char *key = json_object_get(config, "batch_shape") ? "batch_shape" : "batch_input_shape";
	const json_t *shape = member(w, config, key, JSON_ARRAY, "the input's shape, batch first");
	if (!shape)
		return -1;
	if (!json_array_size(shape))
		return cs_fail(w->err, mark_of(w, shape), "'%s': expected the batch size (or null) first", key);
	outs(w, prefix);
	here_at(w, json_object_iter_key(json_object_iter_at((json_t *)config, "name")));
	outs(w, "name: ");
	put_str(w, name);
	out(w, ", ", 2);
	here_at(w, shape);
	outs(w, "shape: [");
	for (size_t i = 1; i < json_array_size(shape); i++) {
		if (i > 1)
			out(w, ", ", 2);
		put_json(w, json_array_get(shape, i));
	}
	out(w, "]", 1);
	const json_t *batch = json_array_get(shape, 0);
	if (!json_is_null(batch)) {
		outs(w, ", batch_size: ");
		put_json(w, batch);
	}
	const char *dtype = dtype_name(json_object_get(config, "dtype"));
	if (dtype && strcmp(dtype, "float32")) {
		outs(w, ", dtype: ");
		put_str(w, dtype);
	}
	out(w, "}", 1);
	return 0;
}

static int model_doc(struct writer *w, const json_t *model, int ind, int top);

/* "- Class: {name: N, ARG: value, ..." without the closing brace. */
static int layer_entry(struct writer *w, const json_t *layer, int ind)
{
	const json_t *config = member(w, layer, "config", JSON_OBJECT, "an object (the layer's arguments)");
	if (!config)
		return -1;
	const char *name = layer_name(w, layer, config);
	if (!name)
		return -1;
	const struct cs_layer_class *cls = known_class(w, layer, name);
	if (!cls)
		return -1;
	indent(w, ind);
	here_at(w, layer);
	outs(w, "- ");
	here_at(w, json_object_get(layer, "class_name"));
	put_str(w, class_of(layer));
	outs(w, ": {");
	here_at(w, json_object_iter_key(json_object_iter_at((json_t *)config, "name")));
	outs(w, "name: ");
	put_str(w, name);
	layer_args(w, cls, config);
	return 0;
}

/* A shape with its batch size first, as input_shape (and batch_size). */
static void built_shape(struct writer *w, const json_t *shape, int ind)
{
	indent(w, ind);
	here_at(w, shape);
	outs(w, "input_shape: [");
	for (size_t i = 1; i < json_array_size(shape); i++) {
		if (i > 1)
			out(w, ", ", 2);
		put_json(w, json_array_get(shape, i));
	}
	outs(w, "]\n");
	const json_t *batch = json_array_get(shape, 0);
	if (!json_is_null(batch)) {
		indent(w, ind);
		outs(w, "batch_size: ");
		put_json(w, batch);
		out(w, "\n", 1);
	}
}

static int sequential_doc(struct writer *w, const json_t *config, int ind)
{
	const json_t *layers = member(w, config, "layers", JSON_ARRAY, "a list of layers");
	if (!layers)
		return -1;
	const json_t *first = json_array_get(layers, 0);
	const json_t *built = json_object_get(config, "build_input_shape");
	if (kind_of(class_of(first)) != K_INPUT && json_is_array(built) && json_array_size(built))
		built_shape(w, built, ind);
	indent(w, ind);
	here_at(w, json_object_iter_key(json_object_iter_at((json_t *)config, "layers")));
	outs(w, json_array_size(layers) ? "layers:\n" : "layers: []\n");
	for (size_t i = 0; i < json_array_size(layers); i++) {
		const json_t *layer = json_array_get(layers, i);
		if (!json_is_object(layer))
			return cs_fail(w->err, mark_of(w, layer), "expected a layer (an object with class_name and config)");
		switch (kind_of(class_of(layer))) {
		case K_INPUT:
			if (i)
				return cs_fail(w->err, mark_of(w, layer),
					       "an InputLayer after the first layer of a Sequential model");
			indent(w, ind + 2);
			here_at(w, layer);
			if (input_args(w, layer, "- Input: {") < 0)
				return -1;
			out(w, "\n", 1);
			continue;
		case K_SEQUENTIAL:
		case K_FUNCTIONAL:
			return cs_fail(w->err, mark_of(w, json_object_get(layer, "class_name")),
				       "a model nested in a Sequential model is not supported; "
				       "expected layers");
		case K_LAYER:
			break;
		}
		if (layer_entry(w, layer, ind + 2) < 0)
			return -1;
		outs(w, "}\n");
	}
	return 0;
}

/* ---- a Functional model's graph ---------------------------------------------- */

struct klayer {
	const json_t *obj;
	const char *name;
	enum kind kind;
	size_t ncalls, first_call;
};

struct ktensor {
	size_t layer;
	long long call, output;
	const json_t *at;
};

struct kcall {
	size_t layer, k;
	const json_t *node;
	size_t first_tensor, ntensors;
	int state;		/* 0 not seen, 1 being ordered, 2 ordered */
	size_t next_dep;
};

struct graph {
	struct klayer *layers;
	size_t nlayers;
	struct kcall *calls;
	size_t ncalls;
	struct ktensor *tensors;
	size_t ntensors, cap;
	size_t *slots;		/* names: open addressing, layer index + 1 */
	size_t nslots;
	size_t *order;		/* calls in an order the YAML can be read in */
	size_t norder;
};

static size_t name_hash(const char *s)
{
	size_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static size_t find_layer(const struct graph *g, const char *name)
{
	for (size_t i = name_hash(name) & (g->nslots - 1); g->slots[i]; i = (i + 1) & (g->nslots - 1))
		if (!strcmp(g->layers[g->slots[i] - 1].name, name))
			return g->slots[i] - 1;
	return SIZE_MAX;
}

static void graph_free(struct graph *g)
{
	free(g->layers);
	free(g->calls);
	free(g->tensors);
	free(g->slots);
	free(g->order);
}

static int oom_fail(struct writer *w)
{
	struct cs_mark none = { 0, 0 };
	w->oom = 1;
	return cs_fail_oom(w->err, none);
}

/* [name, call, output] into *t; -1 with an error when it is not. */
static int triple(struct writer *w, const struct graph *g, const json_t *v, struct ktensor *t)
{
	const char *name = json_string_value(json_array_get(v, 0));
	const json_t *c = json_array_get(v, 1), *o = json_array_get(v, 2);
	if (!name || !json_is_integer(c) || !json_is_integer(o) || json_integer_value(c) < 0 ||
	    json_integer_value(o) < 0)
		return cs_fail(w->err, mark_of(w, v), "expected [layer name, call index, output index]");
	t->layer = find_layer(g, name);
	if (t->layer == SIZE_MAX)
		return cs_fail(w->err, mark_of(w, v), "'%s' is not a layer of this model", name);
	t->call = json_integer_value(c);
	t->output = json_integer_value(o);
	t->at = v;
	return 0;
}

static int add_tensor(struct writer *w, struct graph *g, const json_t *kt)
{
	const json_t *hist = json_object_get(json_object_get(kt, "config"), "keras_history");
	if (!json_is_array(hist))
		return cs_fail(w->err, mark_of(w, kt), "a __keras_tensor__ without keras_history: "
			       "expected [layer name, call index, output index]");
	if (g->ntensors == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 64;
		struct ktensor *t = realloc(g->tensors, cap * sizeof(*t));
		if (!t)
			return oom_fail(w);
		g->tensors = t;
		g->cap = cap;
	}
	struct ktensor *t = &g->tensors[g->ntensors];
	if (triple(w, g, hist, t) < 0)
		return -1;
	t->at = kt;
	g->ntensors++;
	return 0;
}

static int by_key(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The tensors of a call: every __keras_tensor__ in args then kwargs,
 * depth first, lists in order and object keys sorted (§10). */
static int find_tensors(struct writer *w, struct graph *g, const json_t *v)
{
	if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v); i++)
			if (find_tensors(w, g, json_array_get(v, i)) < 0)
				return -1;
		return 0;
	}
	if (!json_is_object(v))
		return 0;
	const char *cls = class_of(v);
	if (cls && !strcmp(cls, "__keras_tensor__"))
		return add_tensor(w, g, v);
	size_t n = json_object_size(v);
	const char **keys = malloc((n ? n : 1) * sizeof(*keys));
	if (!keys)
		return oom_fail(w);
	size_t k = 0;
	const char *key;
	json_t *x;
	json_object_foreach((json_t *)v, key, x)
		keys[k++] = key;
	qsort(keys, n, sizeof(*keys), by_key);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = find_tensors(w, g, json_object_get(v, keys[i]));
	free(keys);
	return rc;
}

static int read_graph(struct writer *w, const json_t *config, struct graph *g)
{
	const json_t *layers = member(w, config, "layers", JSON_ARRAY, "a list of layers");
	if (!layers)
		return -1;
	size_t n = g->nlayers = json_array_size(layers);
	g->nslots = 16;
	while (g->nslots < 2 * n)
		g->nslots *= 2;
	g->layers = calloc(n ? n : 1, sizeof(*g->layers));
	g->slots = calloc(g->nslots, sizeof(*g->slots));
	if (!g->layers || !g->slots)
		return oom_fail(w);
	size_t ncalls = 0;
	for (size_t i = 0; i < n; i++) {
		struct klayer *L = &g->layers[i];
		const json_t *layer = json_array_get(layers, i);
		if (!json_is_object(layer))
			return cs_fail(w->err, mark_of(w, layer), "expected a layer (an object with class_name and config)");
		const json_t *lc = member(w, layer, "config", JSON_OBJECT, "an object (the layer's arguments)");
		if (!lc)
			return -1;
		L->obj = layer;
		L->kind = kind_of(class_of(layer));
		if (!(L->name = layer_name(w, layer, lc)))
			return -1;
		size_t s = name_hash(L->name) & (g->nslots - 1);
		for (; g->slots[s]; s = (s + 1) & (g->nslots - 1))
			if (!strcmp(g->layers[g->slots[s] - 1].name, L->name))
				return cs_fail(w->err, mark_of(w, layer), "a second layer named '%s'; "
					       "expected unique names", L->name);
		g->slots[s] = i + 1;
		const json_t *nodes = json_object_get(layer, "inbound_nodes");
		if (nodes && !json_is_array(nodes))
			return cs_fail(w->err, mark_of(w, nodes), "'inbound_nodes': expected a list of calls");
		L->ncalls = json_array_size(nodes);
		if (L->kind == K_INPUT && L->ncalls)
			return cs_fail(w->err, mark_of(w, nodes), "an InputLayer is never called: "
				       "expected \"inbound_nodes\": []");
		if (L->kind != K_INPUT && !L->ncalls)
			return cs_fail(w->err, mark_of(w, layer), "layer '%s' is never called "
				       "(no inbound_nodes): expected a call on its inputs", L->name);
		L->first_call = ncalls;
		ncalls += L->ncalls;
	}
	g->ncalls = ncalls;
	g->calls = calloc(ncalls ? ncalls : 1, sizeof(*g->calls));
	g->order = calloc(ncalls ? ncalls : 1, sizeof(*g->order));
	if (!g->calls || !g->order)
		return oom_fail(w);
	for (size_t i = 0; i < n; i++) {
		const json_t *nodes = json_object_get(g->layers[i].obj, "inbound_nodes");
		for (size_t k = 0; k < g->layers[i].ncalls; k++) {
			struct kcall *c = &g->calls[g->layers[i].first_call + k];
			c->layer = i;
			c->k = k;
			c->node = json_array_get(nodes, k);
			c->first_tensor = g->ntensors;
			if (find_tensors(w, g, c->node) < 0)
				return -1;
			c->ntensors = g->ntensors - c->first_tensor;
			if (!c->ntensors)
				return cs_fail(w->err, mark_of(w, c->node), "call %zu of '%s' has no input "
					       "tensor: expected a __keras_tensor__ in its args", k,
					       g->layers[i].name);
		}
	}
	return 0;
}

/* The call a call needs before it (-1: none), its d-th: the layer's call
 * before (calls are numbered in file order), then its inputs' calls. */
static int dependency(struct writer *w, const struct graph *g, const struct kcall *c, size_t d,
		      size_t *dep)
{
	if (c->k) {
		if (d == 0) {
			*dep = g->layers[c->layer].first_call + c->k - 1;
			return 1;
		}
		d--;
	}
	if (d >= c->ntensors)
		return 0;
	const struct ktensor *t = &g->tensors[c->first_tensor + d];
	const struct klayer *L = &g->layers[t->layer];
	if (L->kind == K_INPUT) {
		if (t->call || t->output)
			return cs_fail(w->err, mark_of(w, t->at), "input '%s' has one call and one "
				       "output: expected [\"%s\", 0, 0]", L->name, L->name);
		*dep = SIZE_MAX;
		return 1;
	}
	if ((unsigned long long)t->call >= L->ncalls)
		return cs_fail(w->err, mark_of(w, t->at), "call %lld of '%s', which is called %zu "
			       "time(s)", t->call, L->name, L->ncalls);
	*dep = L->first_call + (size_t)t->call;
	return 1;
}

/* The calls in an order where every call comes after those it needs, as
 * close to the config's as that allows (depth first, without recursion:
 * a chain may be thousands of layers long). */
static int order_calls(struct writer *w, struct graph *g)
{
	size_t *stack = malloc((g->ncalls ? g->ncalls : 1) * sizeof(*stack));
	if (!stack)
		return oom_fail(w);
	int rc = 0;
	for (size_t root = 0; rc == 0 && root < g->ncalls; root++) {
		if (g->calls[root].state)
			continue;
		size_t top = 0;
		stack[top++] = root;
		g->calls[root].state = 1;
		while (top && rc == 0) {
			struct kcall *c = &g->calls[stack[top - 1]];
			size_t dep = SIZE_MAX;
			int has = dependency(w, g, c, c->next_dep++, &dep);
			if (has < 0) {
				rc = -1;
			} else if (!has) {
				c->state = 2;
				g->order[g->norder++] = stack[--top];
			} else if (dep != SIZE_MAX && g->calls[dep].state == 1) {
				rc = cs_fail(w->err, mark_of(w, c->node), "'%s' is called on its own "
					     "output (a cycle): expected a graph Keras can build",
					     g->layers[c->layer].name);
			} else if (dep != SIZE_MAX && !g->calls[dep].state) {
				g->calls[dep].state = 1;
				stack[top++] = dep;
			}
		}
	}
	free(stack);
	return rc;
}

/* A reference: NAME for [0][0], else "NAME[call][output]". */
static void put_ref(struct writer *w, const char *name, long long call, long long output)
{
	if (!call && !output) {
		put_str(w, name);
		return;
	}
	size_t len = strlen(name) + 64;
	char *t = malloc(len);
	if (!t) {
		w->oom = 1;
		return;
	}
	snprintf(t, len, "%s[%lld][%lld]", name, call, output);
	out(w, "\"", 1);
	for (const char *p = t; *p; p++) {
		if (*p == '"' || *p == '\\')
			out(w, "\\", 1);
		out(w, p, 1);
	}
	out(w, "\"", 1);
	free(t);
}

/* Each of a list of [name, call, output] triples: one triple, a list of
 * them, or an object of them (in its order). */
static size_t triples(const json_t *v, size_t i, const json_t **t)
{
	if (json_is_array(v) && json_is_string(json_array_get(v, 0))) {
		*t = v;
		return i == 0;
	}
	if (json_is_array(v)) {
		*t = json_array_get(v, i);
		return i < json_array_size(v);
	}
	if (json_is_object(v)) {
		void *it = json_object_iter((json_t *)v);
		for (size_t k = 0; it && k < i; k++)
			it = json_object_iter_next((json_t *)v, it);
		*t = it ? json_object_iter_value(it) : NULL;
		return it != NULL;
	}
	return 0;
}

static int functional_doc(struct writer *w, const json_t *config, int ind)
{
	struct graph g = { 0 };
	int rc = -1;
	if (read_graph(w, config, &g) < 0 || order_calls(w, &g) < 0)
		goto out;

	/* the nested models, each defined once */
	int any = 0;
	for (size_t i = 0; i < g.nlayers; i++) {
		const struct klayer *L = &g.layers[i];
		if (L->kind != K_SEQUENTIAL && L->kind != K_FUNCTIONAL)
			continue;
		if (!any) {
			indent(w, ind);
			outs(w, "models:\n");
			any = 1;
		}
		indent(w, ind + 2);
		here_at(w, L->obj);
		put_str(w, L->name);
		outs(w, ":\n");
		if (model_doc(w, L->obj, ind + 4, 0) < 0)
			goto out;
	}

	/* the inputs, in the model's order */
	const json_t *in = json_object_get(config, "input_layers"), *t;
	size_t ninputs = 0, the_input = SIZE_MAX;
	indent(w, ind);
	here_at(w, json_object_iter_key(json_object_iter_at((json_t *)config, "input_layers")));
	outs(w, "inputs:\n");
	for (size_t i = 0; triples(in, i, &t); i++) {
		struct ktensor x;
		if (triple(w, &g, t, &x) < 0)
			goto out;
		if (g.layers[x.layer].kind != K_INPUT) {
			cs_fail(w->err, mark_of(w, t), "'%s' is not an InputLayer: expected the model's inputs",
				g.layers[x.layer].name);
			goto out;
		}
		indent(w, ind + 2);
		here_at(w, g.layers[x.layer].obj);
		if (input_args(w, g.layers[x.layer].obj, "- {") < 0)
			goto out;
		out(w, "\n", 1);
		ninputs++;
		the_input = x.layer;
	}
	if (!ninputs) {
		cs_fail(w->err, mark_of(w, in ? (const void *)in : (const void *)config),
			"no 'input_layers': expected the model's inputs, [name, 0, 0] each");
		goto out;
	}

	/* the calls */
	indent(w, ind);
	here_at(w, json_object_iter_key(json_object_iter_at((json_t *)config, "layers")));
	outs(w, "layers:\n");
	const struct kcall *prev = NULL;
	for (size_t o = 0; o < g.norder; o++) {
		const struct kcall *c = &g.calls[g.order[o]];
		const struct klayer *L = &g.layers[c->layer];
		if (L->kind == K_LAYER && c->k == 0) {
			if (layer_entry(w, L->obj, ind + 2) < 0)
				goto out;
		} else {
			indent(w, ind + 2);
			here_at(w, c->node);
			outs(w, "- {call: ");
			put_str(w, L->name);
		}
		/* the entry above is the default input: say nothing then */
		const struct ktensor *t0 = &g.tensors[c->first_tensor];
		int implied = c->ntensors == 1 && !t0->output &&
			      (prev ? g.layers[prev->layer].kind == K_LAYER && t0->layer == prev->layer &&
				      (size_t)t0->call == prev->k
				    : ninputs == 1 && t0->layer == the_input);
		if (!implied) {
			outs(w, ", inputs: [");
			for (size_t k = 0; k < c->ntensors; k++) {
				const struct ktensor *x = &g.tensors[c->first_tensor + k];
				if (k)
					out(w, ", ", 2);
				here_at(w, x->at);
				put_ref(w, g.layers[x->layer].name, x->call, x->output);
			}
			out(w, "]", 1);
		}
		outs(w, "}\n");
		prev = c;
	}

	/* the outputs: here alone, a nested Functional model's calls count from 1 */
	const json_t *outs_v = json_object_get(config, "output_layers");
	indent(w, ind);
	here_at(w, json_object_iter_key(json_object_iter_at((json_t *)config, "output_layers")));
	outs(w, "outputs: [");
	size_t i = 0;
	for (; triples(outs_v, i, &t); i++) {
		struct ktensor x;
		if (triple(w, &g, t, &x) < 0)
			goto out;
		if (g.layers[x.layer].kind == K_FUNCTIONAL) {
			if (x.call == 0) {
				cs_fail(w->err, mark_of(w, t), "'%s' is a nested Functional model, whose calls "
					"count from 1 in output_layers", g.layers[x.layer].name);
				goto out;
			}
			x.call--;
		}
		if (i)
			out(w, ", ", 2);
		here_at(w, t);
		put_ref(w, g.layers[x.layer].name, x.call, x.output);
	}
	outs(w, "]\n");
	if (!i) {
		cs_fail(w->err, mark_of(w, outs_v ? (const void *)outs_v : (const void *)config),
			"no 'output_layers': expected the model's outputs, [name, call, output] each");
		goto out;
	}
	rc = 0;
out:
	graph_free(&g);
	return rc;
}

/* A model (top-level or nested) as a YAML document indented by ind. */
static int model_doc(struct writer *w, const json_t *model, int ind, int top)
{
	const json_t *cn = json_object_get(model, "class_name");
	enum kind kind = kind_of(json_string_value(cn));
	if (kind != K_SEQUENTIAL && kind != K_FUNCTIONAL)
		return cs_fail(w->err, mark_of(w, cn ? (const void *)cn : (const void *)model),
			       "class_name %s%s%s: expected a Keras model (Sequential, Functional or Model)",
			       json_is_string(cn) ? "'" : "", json_is_string(cn) ? json_string_value(cn) : "missing",
			       json_is_string(cn) ? "'" : "");
	const json_t *config = member(w, model, "config", JSON_OBJECT, "an object (the model's config)");
	if (!config)
		return -1;
	const char *name = json_string_value(json_object_get(config, "name"));
	if (top && name) {
		here_at(w, json_object_iter_key(json_object_iter_at((json_t *)config, "name")));
		outs(w, "name: ");
		put_str(w, name);
		out(w, "\n", 1);
	}
	if (json_is_false(json_object_get(config, "trainable"))) {
		indent(w, ind);
		here_at(w, json_object_iter_key(json_object_iter_at((json_t *)config, "trainable")));
		outs(w, "trainable: false\n");
	}
	return kind == K_SEQUENTIAL ? sequential_doc(w, config, ind) : functional_doc(w, config, ind);
}

int cs_keras_to_yaml(const struct cs_json *j, const char *header, struct cs_keras_yaml *y,
		     struct cs_error *err)
{
	memset(y, 0, sizeof(*y));
	struct writer w = { .at = { 1, 1 }, .y = y, .j = j, .err = err };
	if (header) {
		here(&w, (struct cs_mark){ 1, 1 });
		outs(&w, "# ");
		for (const char *p = header; *p; p++)
			out(&w, (unsigned char)*p < 0x20 ? "?" : p, 1);
		out(&w, "\n", 1);
	}
	here(&w, (struct cs_mark){ 1, 1 });
	int rc = model_doc(&w, j->root, 0, 1);
	if (rc == 0 && (w.oom || w.b.failed))
		rc = oom_fail(&w);
	if (rc < 0) {
		cs_buf_free(&w.b);
		return -1;
	}
	y->text = w.b.s;
	y->len = w.b.len;
	if (!y->text) {	/* nothing written: cannot be, a model writes `layers` */
		struct cs_mark none = { 0, 0 };
		return cs_fail_oom(err, none);
	}
	return 0;
}

struct cs_mark cs_keras_yaml_origin(const struct cs_keras_yaml *y, struct cs_mark at)
{
	if (!at.line || !y->nspans)
		return at;
	/* the last span starting at or before `at` */
	size_t lo = 0, hi = y->nspans;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		struct cs_mark m = y->spans[mid].yaml;
		if (m.line < at.line || (m.line == at.line && m.column <= at.column))
			lo = mid;
		else
			hi = mid;
	}
	return y->spans[lo].json;
}

void cs_keras_yaml_free(struct cs_keras_yaml *y)
{
	free(y->text);
	free(y->spans);
	memset(y, 0, sizeof(*y));
}
