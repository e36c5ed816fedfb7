/*
 * The model file, read from libyaml's events.
 *
 * The accepted schema (every key optional unless marked):
 *
 *   model     ::= MAPPING {
 *                   name:          STRING                  "sequential"
 *                   input_shape:   [SIZE|null, ...]        one sample's shape
 *                   batch_size:    INT | null              null (None)
 *                   dtype:         DTYPE                   the input's dtype
 *                   dtype_policy:  DTYPE                   weights' dtype
 *                   data_format:   channels_last | channels_first
 *                   layers:        SEQUENCE of layer       (required)
 *                 }
 *   layer     ::= CLASS                                    - Flatten
 *               | MAPPING { CLASS: args | null }           - Conv2D: {filters: 5}
 *               | MAPPING { type: CLASS, ARG: value, ... } - type: Conv2D
 *   args      ::= MAPPING { ARG: value, ... }
 *
 * CLASS is a Keras layer class or alias; each class takes exactly the
 * arguments of its table in src/layers/.  The input is given once: by the
 * top-level input_shape, by input_shape (or input_dim) on the first layer,
 * or by a first `Input` layer.  The `layers` list is read one item at a
 * time into a scratch arena, so its size does not bound memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "model.h"
#include "yaml_nodes.h"

struct loader {
	struct cs_yreader r;
	struct cs_model *m;
	struct cs_arena scratch;
	struct cs_error *err;
	/* automatic-name counters, one per class stem */
	struct {
		const char *stem;
		int64_t next;
	} counters[128];
	size_t ncounters;
};

static const char *const top_keys[] = {
	"name", "input_shape", "batch_size", "dtype", "dtype_policy", "data_format", "layers",
};
#define NTOP_KEYS (sizeof(top_keys) / sizeof(top_keys[0]))

static int oom(struct loader *l, struct cs_mark at)
{
	return cs_fail(l->err, at, "out of memory");
}

static int check_name(struct loader *l, const struct cs_node *n, const char *name,
		      const char *what)
{
	if (!*name)
		return cs_fail(l->err, n->mark, "%s: expected a non-empty name", what);
	if (strchr(name, '/'))
		return cs_fail(l->err, n->mark, "%s '%s' contains '/', which Keras does not allow in names",
			       what, name);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return cs_fail(l->err, n->mark, "%s: a control character in a name; expected printable text",
				       what);
	return 0;
}

static int set_input(struct loader *l, struct cs_mark at, const struct cs_ints *shape)
{
	if (l->m->has_input)
		return cs_fail(l->err, at, "the input shape is given twice (first at line %u); "
			       "expected one of: top-level input_shape, input_shape on the first layer, "
			       "or a first Input layer", l->m->input_mark.line);
	l->m->has_input = true;
	l->m->input_mark = at;
	l->m->input_shape = *shape;
	return 0;
}

static const char *auto_name(struct loader *l, const struct cs_layer_class *cls)
{
	size_t i;
	for (i = 0; i < l->ncounters; i++)
		if (l->counters[i].stem == cls->snake)
			break;
	if (i == l->ncounters) {
		if (i == sizeof(l->counters) / sizeof(l->counters[0]))
			return NULL;
		l->counters[i].stem = cls->snake;
		l->counters[i].next = 0;
		l->ncounters++;
	}
	int64_t k = l->counters[i].next++;
	if (k == 0)
		return cls->snake;
	char buf[96];
	snprintf(buf, sizeof(buf), "%s_%lld", cls->snake, (long long)k);
	return cs_arena_strdup(&l->m->arena, buf);
}

static int unknown_class(struct loader *l, const struct cs_node *n)
{
	const char *const *names;
	size_t count = cs_layer_class_names(&names);
	const char *near = cs_closest(n->u.scalar.text, names, count);
	if (near)
		return cs_fail(l->err, n->mark, "unknown layer class '%s'; did you mean '%s'?",
			       n->u.scalar.text, near);
	return cs_fail(l->err, n->mark, "unknown layer class '%s'; expected a Keras layer such as "
		       "Conv2D, Dense or MaxPooling2D", n->u.scalar.text);
}

static int set_arg(struct loader *l, struct cs_layer *ly, const struct cs_node *key,
		   const struct cs_node *value, bool *given, size_t nspecs)
{
	const struct cs_layer_class *cls = ly->cls;
	const struct cs_arg_spec *s = cs_args_find(cls, key->u.scalar.text);
	if (!s) {
		const char *names[128];
		size_t n = cs_args_names(cls, names, 128);
		const char *near = cs_closest(key->u.scalar.text, names, n);
		if (near)
			return cs_fail(l->err, key->mark, "%s has no argument '%s'; did you mean '%s'?",
				       cls->name, key->u.scalar.text, near);
		return cs_fail(l->err, key->mark, "%s has no argument '%s'", cls->name,
			       key->u.scalar.text);
	}
	/* index of the spec, to remember which arguments were given */
	size_t idx = 0;
	for (const struct cs_arg_spec *const *g = cls->args; *g; g++)
		for (const struct cs_arg_spec *t = *g; t->name; t++, idx++)
			if (t == s && idx < nspecs)
				given[idx] = true;
	if (cs_args_set(cls, s, value, ly->args, &l->m->arena, l->err) < 0)
		return -1;
	if (!strcmp(s->name, "name") && check_name(l, value, ly->args->name, "name") < 0)
		return -1;
	return 0;
}

static int check_required(struct loader *l, struct cs_layer *ly, const bool *given,
			  size_t nspecs)
{
	size_t idx = 0;
	for (const struct cs_arg_spec *const *g = ly->cls->args; *g; g++)
		for (const struct cs_arg_spec *s = *g; s->name; s++, idx++)
			if ((s->flags & CS_REQUIRED) && idx < nspecs && !given[idx])
				return cs_fail(l->err, ly->mark, "%s: missing required argument '%s'",
					       ly->cls->name, s->name);
	return 0;
}

/* The first layer may carry the model's input. */
static int take_input(struct loader *l, struct cs_layer *ly, bool first)
{
	struct cs_args *a = ly->args;
	bool has_dim = a->input_dim != CS_UNSET && !(ly->cls->flags & CS_CLS_INPUT);
	if (ly->cls->flags & CS_CLS_INPUT) {
		if (!first)
			return cs_fail(l->err, ly->mark, "an Input layer can only be the first layer");
		if (a->batch_shape.v) {
			if (a->has_input_shape)
				return cs_fail(l->err, ly->mark, "Input: give shape or batch_shape, not both");
			if (a->batch_shape.n < 1)
				return cs_fail(l->err, ly->mark, "Input: batch_shape needs the batch size first");
			struct cs_ints s = { a->batch_shape.v + 1, a->batch_shape.n - 1 };
			l->m->batch_size = a->batch_shape.v[0];
			if (a->batch_size != CS_UNSET)
				return cs_fail(l->err, ly->mark, "Input: give batch_size or batch_shape, not both");
			if (set_input(l, ly->mark, &s) < 0)
				return -1;
		} else {
			if (!a->has_input_shape)
				return cs_fail(l->err, ly->mark, "Input: missing required argument 'shape'");
			if (set_input(l, ly->mark, &a->input_shape) < 0)
				return -1;
			if (a->batch_size != CS_UNSET)
				l->m->batch_size = a->batch_size;
		}
		if (a->dtype)
			l->m->input_dtype = a->dtype;
		return 0;
	}
	if (!a->has_input_shape && !has_dim)
		return 0;
	if (!first)
		return cs_fail(l->err, ly->mark, "%s: %s is only taken from the first layer; "
			       "Keras ignores it here", ly->cls->name,
			       has_dim ? "input_dim" : "input_shape");
	if (a->has_input_shape && has_dim)
		return cs_fail(l->err, ly->mark, "%s: give input_shape or input_dim, not both",
			       ly->cls->name);
	if (has_dim) {
		int64_t *v = cs_arena_alloc(&l->m->arena, sizeof(int64_t));
		if (!v)
			return oom(l, ly->mark);
		*v = a->input_dim;
		struct cs_ints s = { v, 1 };
		return set_input(l, ly->mark, &s);
	}
	return set_input(l, ly->mark, &a->input_shape);
}

static int parse_layer(struct loader *l, const struct cs_node *n, bool first, bool *was_input)
{
	const struct cs_node *cls_node = NULL, *args = NULL;
	char buf[64];
	*was_input = false;

	switch (n->kind) {
	case CS_NODE_SCALAR:
		cls_node = n;
		break;
	case CS_NODE_MAP:
		if ((cls_node = cs_node_get(n, "type"))) {
			args = n;
		} else if (n->u.map.n == 1) {
			cls_node = n->u.map.pairs[0].key;
			args = n->u.map.pairs[0].value;
			if (cs_node_is_null(args))
				args = NULL;
			else if (args->kind != CS_NODE_MAP)
				return cs_fail(l->err, args->mark, "%s: expected its arguments as a mapping "
					       "such as {filters: 5}, got %s", cls_node->u.scalar.text,
					       cs_node_describe(args, buf, sizeof(buf)));
		} else {
			return cs_fail(l->err, n->mark, "a layer is `- Class: {arguments}` or a mapping "
				       "with a `type:` key; this mapping has %zu keys and no `type`",
				       n->u.map.n);
		}
		break;
	default:
		return cs_fail(l->err, n->mark, "expected a layer such as `- Conv2D: {filters: 5, "
			       "kernel_size: 3}`, got a list");
	}
	if (cls_node->kind != CS_NODE_SCALAR || cs_node_is_null(cls_node))
		return cs_fail(l->err, cls_node->mark, "expected a layer class name, got %s",
			       cs_node_describe(cls_node, buf, sizeof(buf)));

	const struct cs_layer_class *cls = cs_layer_class_find(cls_node->u.scalar.text);
	if (!cls)
		return unknown_class(l, cls_node);

	struct cs_layer tmp = { 0 };
	tmp.cls = cls;
	tmp.mark = n->mark;
	tmp.args = cs_arena_alloc(&l->m->arena, sizeof(struct cs_args));
	if (!tmp.args)
		return oom(l, n->mark);
	cs_args_defaults(cls, tmp.args);

	bool given[128] = { false };
	if (args) {
		for (size_t i = 0; i < args->u.map.n; i++) {
			const struct cs_node *k = args->u.map.pairs[i].key;
			if (args == n && !strcmp(k->u.scalar.text, "type"))
				continue;
			if (set_arg(l, &tmp, k, args->u.map.pairs[i].value, given, 128) < 0)
				return -1;
		}
	}
	if (check_required(l, &tmp, given, 128) < 0 || take_input(l, &tmp, first) < 0)
		return -1;
	if (cls->flags & CS_CLS_INPUT) {
		*was_input = true;
		return 0;
	}

	struct cs_layer *ly = cs_model_add_layer(l->m);
	if (!ly)
		return oom(l, n->mark);
	*ly = tmp;
	ly->name = ly->args->name ? ly->args->name : auto_name(l, cls);
	if (!ly->name)
		return oom(l, n->mark);
	return 0;
}

static int parse_layers(struct loader *l)
{
	struct cs_yreader *r = &l->r;
	if (r->event.type != YAML_SEQUENCE_START_EVENT) {
		struct cs_node *v;
		char buf[64];
		if (cs_yreader_node(r, &l->scratch, &v) < 0)
			return -1;
		if (cs_node_is_null(v))
			return 0;	/* `layers:` with nothing: no layers */
		return cs_fail(l->err, v->mark, "layers: expected a list of layers, got %s",
			       cs_node_describe(v, buf, sizeof(buf)));
	}
	if (cs_yreader_next(r) < 0)
		return -1;
	bool first = true;
	while (r->event.type != YAML_SEQUENCE_END_EVENT) {
		struct cs_node *item;
		bool was_input;
		r->depth++;	/* the list itself counts as one level */
		int rc = cs_yreader_node(r, &l->scratch, &item);
		r->depth--;
		if (rc < 0 || parse_layer(l, item, first, &was_input) < 0)
			return -1;
		first = false;
		cs_arena_reset(&l->scratch);
	}
	return cs_yreader_next(r);
}

static int parse_top_value(struct loader *l, const struct cs_node *key, const struct cs_node *v)
{
	struct cs_model *m = l->m;
	const char *k = key->u.scalar.text;
	if (!strcmp(k, "name")) {
		const char *t;
		if (cs_node_string(v, "name", &t, l->err) < 0 || check_name(l, v, t, "model name") < 0)
			return -1;
		m->name = cs_arena_strdup(&m->arena, t);
		m->name_mark = v->mark;
		return m->name ? 0 : oom(l, v->mark);
	}
	if (!strcmp(k, "input_shape")) {
		struct cs_ints s;
		if (cs_node_shape(v, "input_shape", &s, &m->arena, l->err) < 0)
			return -1;
		return set_input(l, key->mark, &s);
	}
	if (!strcmp(k, "batch_size")) {
		if (cs_node_is_null(v))
			return 0;
		if (cs_node_int(v, "batch_size", &m->batch_size, l->err) < 0)
			return -1;
		if (m->batch_size < 1)
			return cs_fail(l->err, v->mark, "batch_size: expected a positive integer or null, got %lld",
				       (long long)m->batch_size);
		return 0;
	}
	if (!strcmp(k, "dtype") || !strcmp(k, "dtype_policy")) {
		const char *t;
		if (cs_node_string(v, k, &t, l->err) < 0)
			return -1;
		if (!cs_dtype_bytes(t))
			return cs_fail(l->err, v->mark, "%s: unknown dtype '%s'; expected float32, float16, "
				       "bfloat16, float64, mixed_float16, int32, ...", k, t);
		t = cs_arena_strdup(&m->arena, t);
		if (!t)
			return oom(l, v->mark);
		if (k[5] == '_') {
			m->dtype_policy = t;
			m->dtype_policy_mark = v->mark;
		} else {
			m->input_dtype = t;
		}
		return 0;
	}
	if (!strcmp(k, "data_format")) {
		if (cs_node_is_null(v))
			return 0;
		if (v->kind == CS_NODE_SCALAR && !strcmp(v->u.scalar.text, "channels_last"))
			m->data_format = CS_DF_LAST;
		else if (v->kind == CS_NODE_SCALAR && !strcmp(v->u.scalar.text, "channels_first"))
			m->data_format = CS_DF_FIRST;
		else
			return cs_fail(l->err, v->mark, "data_format: expected 'channels_last' or 'channels_first'");
		return 0;
	}
	if (!strcmp(k, "class_name") || !strcmp(k, "config"))
		return cs_fail(l->err, key->mark, "a Keras config (class_name/config) is not supported yet; "
			       "expected convsummary's model format (name, input_shape, layers)");
	if (!strcmp(k, "inputs") || !strcmp(k, "outputs") || !strcmp(k, "models"))
		return cs_fail(l->err, key->mark, "'%s': Functional models are not supported yet; "
			       "expected a Sequential model (name, input_shape, layers)", k);
	const char *near = cs_closest(k, top_keys, NTOP_KEYS);
	if (near)
		return cs_fail(l->err, key->mark, "unknown key '%s'; did you mean '%s'?", k, near);
	return cs_fail(l->err, key->mark, "unknown key '%s'; expected one of name, input_shape, "
		       "batch_size, dtype, dtype_policy, data_format, layers", k);
}

static int parse_model(struct loader *l)
{
	struct cs_yreader *r = &l->r;
	if (cs_yreader_begin(r) < 0)
		return -1;
	if (r->event.type != YAML_MAPPING_START_EVENT) {
		struct cs_node *v;
		char buf[64];
		if (cs_yreader_node(r, &l->scratch, &v) < 0)
			return -1;
		if (cs_node_is_null(v))
			return cs_fail(l->err, v->mark, "the file has no model: expected a mapping with a 'layers' list");
		return cs_fail(l->err, v->mark, "expected a mapping with a 'layers' list at the top, got %s",
			       cs_node_describe(v, buf, sizeof(buf)));
	}
	struct cs_mark top = cs_yreader_mark(r);
	if (cs_yreader_next(r) < 0)
		return -1;
	bool seen[NTOP_KEYS] = { false };
	struct cs_mark seen_at[NTOP_KEYS];
	r->depth++;
	while (r->event.type != YAML_MAPPING_END_EVENT) {
		struct cs_node *key;
		if (cs_yreader_node(r, &l->scratch, &key) < 0)
			return -1;
		if (key->kind != CS_NODE_SCALAR)
			return cs_fail(l->err, key->mark, "a mapping key must be a plain word");
		for (size_t i = 0; i < NTOP_KEYS; i++) {
			if (strcmp(key->u.scalar.text, top_keys[i]))
				continue;
			if (seen[i])
				return cs_fail(l->err, key->mark, "duplicate key '%s' (first at line %u)",
					       top_keys[i], seen_at[i].line);
			seen[i] = true;
			seen_at[i] = key->mark;
		}
		if (!strcmp(key->u.scalar.text, "layers")) {
			l->m->layers_mark = key->mark;
			if (parse_layers(l) < 0)
				return -1;
		} else {
			struct cs_node *v;
			if (cs_yreader_node(r, &l->scratch, &v) < 0 || parse_top_value(l, key, v) < 0)
				return -1;
		}
		cs_arena_reset(&l->scratch);
	}
	r->depth--;
	if (!seen[NTOP_KEYS - 1])
		return cs_fail(l->err, top, "missing 'layers': expected a list of layers");
	if (cs_yreader_next(r) < 0)
		return -1;
	return cs_yreader_finish(r);
}

/* Keras refuses a Sequential model whose names repeat. */
static int check_unique_names(struct loader *l)
{
	struct cs_model *m = l->m;
	size_t cap = 16;
	while (cap < m->nlayers * 2)
		cap *= 2;
	const struct cs_layer **slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return oom(l, m->layers_mark);
	int rc = 0;
	for (size_t i = 0; i < m->nlayers && rc == 0; i++) {
		const struct cs_layer *ly = &m->layers[i];
		uint64_t h = 1469598103934665603ULL;
		for (const unsigned char *p = (const unsigned char *)ly->name; *p; p++)
			h = (h ^ *p) * 1099511628211ULL;
		for (size_t j = h & (cap - 1);; j = (j + 1) & (cap - 1)) {
			if (!slots[j]) {
				slots[j] = ly;
				break;
			}
			if (!strcmp(slots[j]->name, ly->name)) {
				rc = cs_fail(l->err, ly->mark, "duplicate layer name '%s' (also the layer at line %u); "
					     "Keras requires unique names%s", ly->name, slots[j]->mark.line,
					     ly->args->name ? "" : " (this one is automatic: name the other one differently)");
				break;
			}
		}
	}
	free(slots);
	return rc;
}

cs_model *cs_model_load_buffer(const char *data, size_t len, const char *name,
			       struct cs_error *err)
{
	return cs_model_load_buffer_opts(data, len, name, NULL, err);
}

cs_model *cs_model_load_file(const char *path, struct cs_error *err)
{
	return cs_model_load_file_opts(path, NULL, err);
}

cs_model *cs_model_load_buffer_opts(const char *data, size_t len, const char *name,
				    const struct cs_load_options *opt, struct cs_error *err)
{
	struct cs_error dummy;
	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	cs_error_set_file(err, name);

	struct loader *l = calloc(1, sizeof(*l));
	struct cs_model *m = cs_model_new();
	if (!l || !m) {
		free(l);
		cs_model_destroy(m);
		struct cs_mark none = { 0, 0 };
		cs_fail(err, none, "out of memory");
		return NULL;
	}
	l->m = m;
	l->err = err;
	m->explain = opt && opt->explain;
	cs_arena_init(&l->scratch);
	cs_yreader_init(&l->r, (const unsigned char *)data, len, err);

	int rc = parse_model(l);
	cs_yreader_close(&l->r);
	cs_arena_free(&l->scratch);
	if (rc == 0 && !m->has_input)
		rc = cs_fail(err, m->nlayers ? m->layers[0].mark : m->layers_mark,
			     "no input shape: expected `input_shape: [...]` at the top, `input_shape` on "
			     "the first layer, or a first layer `- Input: {shape: [...]}`");
	if (rc == 0)
		rc = check_unique_names(l);
	if (rc == 0)
		rc = cs_propagate(m, err);
	free(l);
	if (rc < 0) {
		cs_model_destroy(m);
		return NULL;
	}
	return m;
}

cs_model *cs_model_load_file_opts(const char *path, const struct cs_load_options *opt,
				  struct cs_error *err)
{
	struct cs_error dummy;
	struct cs_mark none = { 0, 0 };
	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	cs_error_set_file(err, path);

	FILE *f = fopen(path, "rb");
	if (!f) {
		cs_fail_status(err, CS_USAGE, none, "cannot open: %s", strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		cs_fail_status(err, CS_USAGE, none, "is a directory; expected a model file");
		return NULL;
	}
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (len < cap) {
			if (ferror(f)) {
				free(buf);
				fclose(f);
				cs_fail_status(err, CS_USAGE, none, "cannot read: %s", strerror(errno));
				return NULL;
			}
			break;
		}
		char *nb = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
		if (!nb) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = nb;
		cap *= 2;
	}
	fclose(f);
	if (!buf) {
		cs_fail_status(err, CS_USAGE, none, "out of memory reading the file");
		return NULL;
	}
	cs_model *m = cs_model_load_buffer_opts(buf, len, path, opt, err);
	free(buf);
	return m;
}
