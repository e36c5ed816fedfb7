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
 * or by a first `Input` layer.
 *
 * The `layers` list is read one item at a time, straight from the events
 * (a node tree is built only for list and mapping values); each layer
 * keeps a compact record: its class, its name, its place in the file, its
 * inputs and the number of its set of arguments (arg_records.c).  Nothing
 * is computed while reading: settings may come in any order, and once the
 * whole file is read, propagate.c computes the model.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "keras_input.h"
#include "load_graph.h"
#include "model.h"
#include "names.h"
#include "yaml_nodes.h"

#define MAX_SPECS 128
#define MEMO_PAIRS 32	/* arguments a layer may give and still be remembered */

/* Per class, the text of the arguments of the last layer read in full,
 * and the record they made: a layer whose arguments are the same text
 * takes that record without reading them again (most layers of a long
 * model repeat a few).  Only text that means the same wherever it stands
 * is remembered: plain keys, untagged scalar values, no `name` and no
 * input shape, never the first layer's. */
struct arg_memo {
	const struct cs_model *m;	/* the model of the record; NULL: none */
	uint32_t record;
	struct cs_buf text;
};

struct loader {
	struct cs_yreader r;
	struct cs_model *m;
	struct cs_arena scratch;	/* one layer's nodes and arguments */
	struct cs_error *err;
	bool first_layer;
	struct cs_mark first_mark;
	struct cs_args args;		/* the layer being read */
	struct cs_buf text;		/* its arguments' text, as memo texts are:
					 * per pair the key's length (4 bytes), the
					 * key, NUL, whether the value is plain (1
					 * byte), its length, the value, NUL */
	struct cs_mark text_marks[MEMO_PAIRS][2];	/* each pair's key and value */
	struct arg_memo memo[CS_MAX_CLASSES];
	struct {			/* the class names looked up last */
		uint8_t len;		/* 0: empty */
		char text[31];
		const struct cs_layer_class *cls;
	} seen_class[16];
	struct cs_names names;		/* Keras's naming, and its uniqueness */
	struct cs_graph_decls *g;	/* the graph keys of the model being read */
	bool sub;			/* reading a sub-model (models:) */
};

static const char *const top_keys[] = {
	"name", "input_shape", "batch_size", "dtype", "dtype_policy", "data_format",
	"inputs", "outputs", "models", "trainable", "layers",
};
#define NTOP_KEYS (sizeof(top_keys) / sizeof(top_keys[0]))

static int oom(struct loader *l, struct cs_mark at)
{
	return cs_fail_oom(l->err, at);
}

static int check_name(struct loader *l, struct cs_mark at, const char *name, const char *what)
{
	if (!*name)
		return cs_fail(l->err, at, "%s: expected a non-empty name", what);
	if (strchr(name, '/'))
		return cs_fail(l->err, at, "%s '%s' contains '/', which Keras does not allow in names",
			       what, name);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))	/* C0, DEL, C1 */
			return cs_fail(l->err, at, "%s: a control character in a name; expected printable text",
				       what);
	return 0;
}

static int set_input(struct loader *l, struct cs_mark at, const struct cs_ints *shape)
{
	struct cs_model *m = l->m;
	if (m->has_input)
		return cs_fail(l->err, at, "the input shape is given twice (first at line %u); "
			       "expected one of: top-level input_shape, input_shape on the first layer, "
			       "or a first Input layer", m->input_mark.line);
	m->has_input = true;
	m->input_mark = at;
	if (m->override_input)
		return 0;	/* the caller's input stands in for the file's */
	m->input_shape.n = shape->n;
	m->input_shape.v = cs_arena_alloc(&m->arena, (shape->n + 1) * sizeof(int64_t));
	if (!m->input_shape.v)
		return oom(l, at);
	memcpy(m->input_shape.v, shape->v, shape->n * sizeof(int64_t));
	return 0;
}

/* ---- one layer ---------------------------------------------------------------- */

/* The class spelled by the len bytes at text, or NULL; *spelling is that
 * text NUL-terminated in the loader (until the next call), or NULL when
 * it is too long to keep.  A long model names a few classes over and
 * over: they are found again without hashing. */
static const struct cs_layer_class *find_class(struct loader *l, const char *text, size_t len,
					       const char **spelling)
{
	size_t k = (len + (unsigned char)text[0] + (len ? (unsigned char)text[len - 1] : 0)) & 15;
	*spelling = NULL;
	if (len && len == l->seen_class[k].len && !memcmp(l->seen_class[k].text, text, len)) {
		*spelling = l->seen_class[k].text;
		return l->seen_class[k].cls;
	}
	const struct cs_layer_class *cls = cs_layer_class_find_len(text, len);
	if (cls && len && len < sizeof(l->seen_class[k].text)) {
		memcpy(l->seen_class[k].text, text, len);
		l->seen_class[k].text[len] = '\0';
		l->seen_class[k].len = (uint8_t)len;
		l->seen_class[k].cls = cls;
		*spelling = l->seen_class[k].text;
	}
	return cls;
}

/* The class a node names; NULL after an error when it names none. */
static const struct cs_layer_class *class_of(struct loader *l, const struct cs_node *n)
{
	char buf[64];
	if (n->kind != CS_NODE_SCALAR || cs_node_is_null(n)) {
		cs_fail(l->err, n->mark, "expected a layer class name, got %s",
			cs_node_describe(n, buf, sizeof(buf)));
		return NULL;
	}
	const char *name = n->u.scalar.text, *spelling;
	const struct cs_layer_class *cls = find_class(l, name, n->u.scalar.len, &spelling);
	if (cls)
		return cls;
	const char *const *names;
	size_t count = cs_layer_class_names(&names);
	const char *near = cs_closest(name, names, count);
	if (near)
		cs_fail(l->err, n->mark, "unknown layer class '%s'; did you mean '%s'?", name, near);
	else
		cs_fail(l->err, n->mark, "unknown layer class '%s'; expected a Keras layer such as "
			"Conv2D, Dense or MaxPooling2D", name);
	return NULL;
}

/* How a layer's arguments are being read. */
enum args_state {
	ARGS_MEMO,	/* the same text as the class's memo so far: not read yet */
	ARGS_READ,	/* into l->args, from the class's defaults */
};

struct layer_args {
	const struct cs_layer_class *cls;
	size_t cls_index;
	enum args_state state;
	bool keep;		/* its text may become the class's memo */
	bool hit;		/* the whole text is the memo's: its record */
	size_t npairs;		/* pairs in l->text */
	const struct class_cache *table;	/* its arguments' table */
	struct cs_mark mark;
	struct cs_args *a;
	uint64_t given[MAX_SPECS / 64];	/* which arguments were given */
	unsigned given_line[32];	/* and on which line, for the first 32 */
	uint8_t given_idx[32];
	size_t ngiven;
	struct cs_ref_text *refs;	/* its `inputs`, if given */
	size_t nrefs;
	const char *call;		/* a `call` entry: what it calls */
	struct cs_mark call_mark;
};

/* A graph key is seen: the model is Functional. */
static void graph_key(struct loader *l, struct cs_mark at)
{
	if (!l->g->graph) {
		l->g->graph = true;
		l->g->graph_mark = at;
	}
}

/* A layer's `inputs` value. */
static int layer_inputs(struct loader *l, struct layer_args *la, const struct cs_node *v,
			struct cs_mark key_mark)
{
	if (la->refs)
		return cs_fail(l->err, key_mark, "duplicate key 'inputs'");
	graph_key(l, key_mark);
	return cs_graph_read_refs(v, "inputs", &l->g->arena, &la->refs, &la->nrefs, l->err);
}

static int unknown_arg(struct loader *l, const struct cs_layer_class *cls, const char *key,
		       struct cs_mark at)
{
	const char *names[MAX_SPECS];
	size_t n = cs_args_names(cls, names, MAX_SPECS);
	const char *near = cs_closest(key, names, n);
	if (near)
		return cs_fail(l->err, at, "%s has no argument '%s'; did you mean '%s'?", cls->name, key, near);
	/* no near miss: the arguments it does have */
	char list[768];
	size_t used = 0;
	for (size_t i = 0; i < n && used < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", names[i]);
	return cs_fail(l->err, at, "%s has no argument '%s': expected one of %s", cls->name, key, list);
}

/* An argument's key (text of len bytes at `at`): its spec, once. */
static const struct cs_arg_spec *arg_key(struct loader *l, struct layer_args *la, const char *key,
					 size_t len, struct cs_mark at)
{
	size_t idx;
	const struct cs_arg_spec *s = cs_args_lookup_in(la->table, key, len, &idx);
	if (!s) {
		unknown_arg(l, la->cls, key, at);
		return NULL;
	}
	if (idx < MAX_SPECS) {
		uint64_t bit = (uint64_t)1 << (idx % 64);
		if (la->given[idx / 64] & bit) {
			unsigned first = 0;
			for (size_t k = 0; k < la->ngiven; k++)
				if (la->given_idx[k] == idx)
					first = la->given_line[k];
			cs_fail(l->err, at, "duplicate key '%s' (first at line %u)", s->name, first);
			return NULL;
		}
		la->given[idx / 64] |= bit;
		if (la->ngiven < 32) {
			la->given_idx[la->ngiven] = (uint8_t)idx;
			la->given_line[la->ngiven++] = at.line;
		}
	}
	return s;
}

static int arg_value(struct loader *l, struct layer_args *la, const struct cs_arg_spec *s,
		     const struct cs_node *value)
{
	if (cs_args_set(la->cls, s, value, la->a, &l->scratch, l->err) < 0)
		return -1;
	if (s->type == CS_ARG_STRING && check_name(l, value->mark, la->a->name, "name") < 0)
		return -1;
	return 0;
}

static int set_arg(struct loader *l, struct layer_args *la, const char *key, size_t len,
		   struct cs_mark at, const struct cs_node *value)
{
	const struct cs_arg_spec *s = arg_key(l, la, key, len, at);
	return s ? arg_value(l, la, s, value) : -1;
}

static int check_required(struct loader *l, const struct layer_args *la)
{
	const uint8_t *req;
	size_t n = cs_args_required_in(la->table, &req);
	for (size_t i = 0; i < n; i++)
		if (!(la->given[req[i] / 64] & ((uint64_t)1 << (req[i] % 64))))
			return cs_fail(l->err, la->mark, "%s: missing required argument '%s'",
				       la->cls->name, cs_args_spec_at(la->cls, req[i])->name);
	return 0;
}

/* ---- remembered arguments ------------------------------------------------------ */

/* A text into l->text: its length, the text, NUL; after a value's plain
 * byte (0 or 1) when plain is not -1. */
static void text_put(struct loader *l, int plain, const char *s, size_t n)
{
	uint32_t len = (uint32_t)n;
	char *p = cs_buf_reserve(&l->text, 1 + sizeof(len) + n + 1);
	if (!p)
		return;
	if (plain >= 0)
		*p++ = (char)plain;
	memcpy(p, &len, sizeof(len));
	memcpy(p + sizeof(len), s, n);
	p[sizeof(len) + n] = '\0';
	cs_buf_commit(&l->text, p + sizeof(len) + n + 1);
}

/* A text of l->text at *off (its length, the text, NUL), moving past it. */
static const char *text_get(const struct loader *l, size_t *off, size_t *n)
{
	uint32_t len;
	memcpy(&len, l->text.s + *off, sizeof(len));
	const char *t = l->text.s + *off + sizeof(len);
	*off += sizeof(len) + len + 1;
	*n = len;
	return t;
}

/* Whether l->text from `from` on is still the memo's text: a pair or
 * two, compared here eight bytes at a time rather than by a call. */
static bool memo_still(const struct loader *l, const struct layer_args *la, size_t from)
{
	const struct cs_buf *mt = &l->memo[la->cls_index].text;
	if (l->text.failed || mt->len < l->text.len)
		return false;
	const char *a = mt->s + from, *b = l->text.s + from;
	size_t n = l->text.len - from, i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x, y;
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return false;
	}
	for (; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* The text no longer follows the memo: read the pairs before the current
 * one for real, from the class's defaults. */
static int leave_memo(struct loader *l, struct layer_args *la)
{
	la->state = ARGS_READ;
	cs_args_defaults_of(la->table, la->a);
	size_t off = 0;
	for (size_t i = 0; i < la->npairs; i++) {
		size_t klen;
		const char *key = text_get(l, &off, &klen);
		struct cs_node v;
		v.kind = CS_NODE_SCALAR;
		v.mark = l->text_marks[i][1];
		v.u.scalar.plain = l->text.s[off++];
		v.u.scalar.text = text_get(l, &off, &v.u.scalar.len);
		const struct cs_arg_spec *s = arg_key(l, la, key, klen, l->text_marks[i][0]);
		if (!s || arg_value(l, la, s, &v) < 0)
			return -1;
	}
	return 0;
}

/* The current pair's key, kept at `at` in l->text: leave the memo, then
 * look the key up. */
static const struct cs_arg_spec *leave_memo_at(struct loader *l, struct layer_args *la, size_t at)
{
	if (leave_memo(l, la) < 0)
		return NULL;
	size_t klen;
	const char *key = text_get(l, &at, &klen);
	return arg_key(l, la, key, klen, l->text_marks[la->npairs][0]);
}

/* The end of a layer's arguments: the memo's record when its whole text
 * is the memo's, else the arguments read in full. */
static int end_args(struct loader *l, struct layer_args *la)
{
	if (la->state != ARGS_MEMO)
		return 0;
	if (l->text.len == l->memo[la->cls_index].text.len) {
		la->hit = true;
		la->a = NULL;	/* not read: l->args holds another layer's */
		return 0;
	}
	return leave_memo(l, la);
}

/* After a layer read in full: its text is its class's memo. */
static int remember(struct loader *l, const struct layer_args *la, uint32_t record)
{
	struct arg_memo *mo = &l->memo[la->cls_index];
	mo->m = NULL;
	mo->text.len = 0;
	cs_buf_add(&mo->text, l->text.s, l->text.len);
	if (mo->text.failed || l->text.failed)
		return -1;
	mo->m = l->m;
	mo->record = record;
	return 0;
}

/* The first layer may carry the model's input. */
static int take_input(struct loader *l, const struct layer_args *la)
{
	const struct cs_args *a = la->a;
	bool input = la->cls->flags & CS_CLS_INPUT;
	bool has_dim = a->input_dim != CS_UNSET && !input;
	if (input) {
		if (!l->first_layer)
			return cs_fail(l->err, la->mark, "an Input layer can only be the first layer");
		if (a->batch_shape.v) {
			if (a->has_input_shape)
				return cs_fail(l->err, la->mark, "Input: give shape or batch_shape, not both");
			if (a->batch_shape.n < 1)
				return cs_fail(l->err, la->mark, "Input: batch_shape needs the batch size first");
			if (a->batch_size != CS_UNSET)
				return cs_fail(l->err, la->mark, "Input: give batch_size or batch_shape, not both");
			struct cs_ints s = { a->batch_shape.v + 1, a->batch_shape.n - 1 };
			if (set_input(l, la->mark, &s) < 0)
				return -1;
			l->m->batch_size = a->batch_shape.v[0];
		} else {
			if (!a->has_input_shape)
				return cs_fail(l->err, la->mark, "Input: missing required argument 'shape'");
			if (set_input(l, la->mark, &a->input_shape) < 0)
				return -1;
			if (a->batch_size != CS_UNSET)
				l->m->batch_size = a->batch_size;
		}
		if (a->dtype && !(l->m->input_dtype = cs_arena_strdup(&l->m->arena, a->dtype)))
			return oom(l, la->mark);
		return 0;
	}
	if (!a->has_input_shape && !has_dim)
		return 0;
	if (!l->first_layer)
		return cs_fail(l->err, la->mark, "%s: %s is only taken from the first layer; "
			       "Keras ignores it here", la->cls->name, has_dim ? "input_dim" : "input_shape");
	if (a->has_input_shape && has_dim)
		return cs_fail(l->err, la->mark, "%s: give input_shape or input_dim, not both", la->cls->name);
	if (has_dim) {
		int64_t v = a->input_dim;
		struct cs_ints s = { &v, 1 };
		return set_input(l, la->mark, &s);
	}
	return set_input(l, la->mark, &a->input_shape);
}

/* A `call` entry: a layer or sub-model called again, resolved once the
 * whole model is read. */
static int finish_call(struct loader *l, struct layer_args *la)
{
	struct cs_model *m = l->m;
	if (m->nlayers >= CS_MAX_ENTRIES)
		return cs_fail(l->err, la->mark, "more than %u layers", CS_MAX_ENTRIES);
	l->first_layer = false;
	struct cs_layer *ly = cs_model_add_layer(m);
	if (!ly)
		return oom(l, la->mark);
	ly->mark = la->mark;
	ly->in = CS_IN_PREV;
	ly->flags = CS_LF_CALL;
	if (cs_graph_pend(l->g, (uint32_t)(m->nlayers - 1), la->refs, la->refs ? (uint32_t)la->nrefs : UINT32_MAX,
			  la->call, la->call_mark) < 0)
		return oom(l, la->mark);
	return 0;
}

/* A layer whose class and arguments are read: check, name, record. */
static int finish_layer(struct loader *l, struct layer_args *la)
{
	if (la->call)
		return finish_call(l, la);
	if (end_args(l, la) < 0)
		return -1;
	if (la->refs && (la->cls->flags & CS_CLS_INPUT))
		return cs_fail(l->err, la->refs[0].mark, "Input: an input takes no `inputs`; expected "
			       "its shape only");
	if (!la->hit && (check_required(l, la) < 0 || take_input(l, la) < 0))
		return -1;
	bool first = l->first_layer;
	l->first_layer = false;
	if (first)
		l->first_mark = la->mark;
	if (la->cls->flags & CS_CLS_INPUT) {
		if (la->a->name && !(l->g->input_name = cs_arena_strdup(&l->m->arena, la->a->name)))
			return oom(l, la->mark);
		l->g->input_name_mark = la->mark;
		return 0;
	}
	struct cs_model *m = l->m;
	if (m->nlayers >= CS_MAX_ENTRIES)
		return cs_fail(l->err, la->mark, "more than %u layers", CS_MAX_ENTRIES);
	struct cs_layer *ly = cs_model_add_layer(m);
	if (!ly)
		return oom(l, la->mark);
	ly->cls = (uint16_t)la->cls_index;
	ly->mark = la->mark;
	ly->in = CS_IN_PREV;	/* a chain: the layer before */
	if (cs_names_layer(&l->names, m, ly, la->hit ? NULL : la->a->name, l->err) < 0)
		return -1;
	if (ly->name)
		cs_names_set_target(&l->names, ly->name, m, m->nlayers - 1);
	if (la->hit)
		ly->args = l->memo[la->cls_index].record;
	else if (cs_model_intern_args(m, la->cls, la->a, &ly->args) < 0 ||
		 (la->keep && remember(l, la, ly->args) < 0))
		return oom(l, la->mark);
	if (la->refs && cs_graph_pend(l->g, (uint32_t)(m->nlayers - 1), la->refs, (uint32_t)la->nrefs,
				      NULL, la->mark) < 0)
		return oom(l, la->mark);
	return 0;
}

static int start_args(struct loader *l, struct layer_args *la, const struct cs_layer_class *cls,
		      struct cs_mark mark, bool memo)
{
	la->cls = cls;
	la->cls_index = cs_layer_class_index(cls);
	la->table = cs_args_class(cls);
	la->mark = mark;
	memset(la->given, 0, sizeof(la->given));
	la->ngiven = 0;
	la->refs = NULL;
	la->nrefs = 0;
	la->call = NULL;
	la->a = &l->args;
	la->keep = memo && !l->first_layer && !(cls->flags & CS_CLS_INPUT) &&
		   la->cls_index < CS_MAX_CLASSES;
	la->hit = false;
	la->npairs = 0;
	l->text.len = 0;
	if (la->keep && l->memo[la->cls_index].m == l->m) {
		la->state = ARGS_MEMO;
		return 0;
	}
	la->state = ARGS_READ;
	cs_args_defaults_of(la->table, la->a);
	return 0;
}

/* A scalar event as a node that lives as long as the event does. */
static int event_scalar(struct loader *l, struct cs_node *n)
{
	return cs_yreader_peek_scalar(&l->r, n);
}

/* Keys whose value reaches beyond the layer's record: never remembered. */
static bool memo_key(const struct cs_node *key)
{
	const char *k = key->u.scalar.text;
	return key->u.scalar.plain &&
	       ((k[0] != 'n' && k[0] != 'i') ||
		(strcmp(k, "name") && strcmp(k, "input_shape") && strcmp(k, "input_dim")));
}

/* Arguments straight from the events, up to the end of their mapping;
 * `depth` is the nesting of the mapping they are in.  While the text is
 * the class's memo, nothing is read into l->args (end_args decides). */
static int read_args(struct loader *l, struct layer_args *la, int depth, bool skip_type)
{
	struct cs_yreader *r = &l->r;
	while (r->event->type != YAML_MAPPING_END_EVENT) {
		struct cs_node key;
		if (r->event->type != YAML_SCALAR_EVENT) {
			struct cs_node *k;
			if (cs_yreader_node(r, &l->scratch, &k) < 0)
				return -1;
			return cs_fail(l->err, k->mark, "a mapping key must be a plain word");
		}
		if (event_scalar(l, &key) < 0)
			return -1;
		if (skip_type && key.u.scalar.text[0] == 't' && !strcmp(key.u.scalar.text, "type"))
			return cs_fail(l->err, key.mark, "duplicate key 'type'");
		if (key.u.scalar.plain && key.u.scalar.text[0] == 'i' && !strcmp(key.u.scalar.text, "inputs")) {
			struct cs_mark km = key.mark;
			struct cs_node *v;
			if (cs_yreader_next(r) < 0)
				return -1;
			r->depth = depth;
			if (cs_yreader_node(r, &l->scratch, &v) < 0 || layer_inputs(l, la, v, km) < 0)
				return -1;
			continue;
		}
		size_t at = l->text.len;
		if (la->keep && (r->event->tag || la->npairs == MEMO_PAIRS || !memo_key(&key)))
			la->keep = false;
		if (la->keep) {
			text_put(l, -1, key.u.scalar.text, key.u.scalar.len);
			l->text_marks[la->npairs][0] = key.mark;
		}
		/* a remembered key is compared with its value, below */
		if (la->state == ARGS_MEMO && !la->keep && leave_memo(l, la) < 0)
			return -1;
		/* the key's text dies with its event: look it up now */
		const struct cs_arg_spec *s = NULL;
		if (la->state == ARGS_READ &&
		    !(s = arg_key(l, la, key.u.scalar.text, key.u.scalar.len, key.mark)))
			return -1;
		if (cs_yreader_next(r) < 0)
			return -1;
		struct cs_node value, *v = &value;
		r->depth = depth;
		if (r->event->type == YAML_SCALAR_EVENT) {
			if (event_scalar(l, &value) < 0) {
				/* a key read in full is checked before its value */
				if (la->state == ARGS_MEMO && leave_memo_at(l, la, at))
					event_scalar(l, &value);
				return -1;
			}
			if (la->keep && r->event->tag)
				la->keep = false;
			if (la->keep) {
				text_put(l, value.u.scalar.plain, value.u.scalar.text, value.u.scalar.len);
				l->text_marks[la->npairs][1] = value.mark;
			}
			if (la->state == ARGS_MEMO && (!la->keep || !memo_still(l, la, at)) &&
			    !(s = leave_memo_at(l, la, at)))
				return -1;
			if (la->state == ARGS_READ && arg_value(l, la, s, v) < 0)
				return -1;
			if (la->keep)
				la->npairs++;
			if (cs_yreader_next(r) < 0)
				return -1;
		} else {
			la->keep = false;
			if (la->state == ARGS_MEMO && !(s = leave_memo_at(l, la, at)))
				return -1;
			if (cs_yreader_node(r, &l->scratch, &v) < 0 || arg_value(l, la, s, v) < 0)
				return -1;
		}
	}
	return cs_yreader_next(r);
}

/* `- call: NAME` with an optional `inputs:`, as a node tree. */
static int call_from_node(struct loader *l, const struct cs_node *n)
{
	struct layer_args la;
	char buf[64];
	memset(&la, 0, sizeof(la));
	la.mark = n->mark;
	for (size_t i = 0; i < n->u.map.n; i++) {
		const struct cs_node *k = n->u.map.pairs[i].key, *v = n->u.map.pairs[i].value;
		if (!strcmp(k->u.scalar.text, "call")) {
			if (v->kind != CS_NODE_SCALAR || cs_node_is_null(v))
				return cs_fail(l->err, v->mark, "call: expected the name of a layer above or "
					       "of a sub-model, got %s", cs_node_describe(v, buf, sizeof(buf)));
			la.call = cs_arena_strndup(&l->m->arena, v->u.scalar.text, v->u.scalar.len);
			if (!la.call)
				return oom(l, v->mark);
			la.call_mark = v->mark;
		} else if (!strcmp(k->u.scalar.text, "inputs")) {
			if (layer_inputs(l, &la, v, k->mark) < 0)
				return -1;
		} else {
			return cs_fail(l->err, k->mark, "a `call` entry takes only `inputs`, not '%s'",
				       k->u.scalar.text);
		}
	}
	graph_key(l, la.call_mark);
	return finish_call(l, &la);
}

/* The general form of an item, as a node tree: used when the item is not
 * `- Class: {...}`, `- type: Class ...` or `- Class`. */
static int layer_from_node(struct loader *l, const struct cs_node *n)
{
	const struct cs_node *cls_node = NULL, *args = NULL;
	char buf[64];
	switch (n->kind) {
	case CS_NODE_SCALAR:
		cls_node = n;
		break;
	case CS_NODE_MAP:
		if (!cs_node_get(n, "type") && cs_node_get(n, "call"))
			return call_from_node(l, n);
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
	const struct cs_layer_class *cls = class_of(l, cls_node);
	if (!cls)
		return -1;
	struct layer_args la;
	if (start_args(l, &la, cls, n->mark, false) < 0)
		return -1;
	for (size_t i = 0; args && i < args->u.map.n; i++) {
		const struct cs_node *k = args->u.map.pairs[i].key;
		if (args == n && !strcmp(k->u.scalar.text, "type"))
			continue;
		if (!strcmp(k->u.scalar.text, "inputs")) {
			if (layer_inputs(l, &la, args->u.map.pairs[i].value, k->mark) < 0)
				return -1;
			continue;
		}
		if (set_arg(l, &la, k->u.scalar.text, k->u.scalar.len, k->mark, args->u.map.pairs[i].value) < 0)
			return -1;
	}
	return finish_layer(l, &la);
}

static int read_layer(struct loader *l)
{
	struct cs_yreader *r = &l->r;
	struct cs_mark mark = cs_yreader_mark(r);
	struct layer_args la;
	r->depth = 2;
	if (r->event->type == YAML_MAPPING_START_EVENT && !r->event->tag) {
		if (cs_yreader_next(r) < 0)
			return -1;
		struct cs_node key;
		if (r->event->type == YAML_SCALAR_EVENT && event_scalar(l, &key) == 0 && key.u.scalar.plain) {
			if (!strcmp(key.u.scalar.text, "type")) {
				/* - type: Class, then its arguments */
				if (cs_yreader_next(r) < 0)
					return -1;
				struct cs_node *cn;
				r->depth = 3;
				if (cs_yreader_node(r, &l->scratch, &cn) < 0)
					return -1;
				const struct cs_layer_class *cls = class_of(l, cn);
				if (!cls || start_args(l, &la, cls, mark, false) < 0 ||
				    read_args(l, &la, 3, true) < 0)
					return -1;
				return finish_layer(l, &la);
			}
			const char *spelling;
			const struct cs_layer_class *cls = find_class(l, key.u.scalar.text, key.u.scalar.len,
								      &spelling);
			/* the key's text dies with its event: kept for the
			 * general form below (a known class's is in the loader) */
			const char *name = spelling ? spelling
					   : cs_arena_strndup(&l->scratch, key.u.scalar.text, key.u.scalar.len);
			struct cs_mark key_mark = key.mark;
			if (!name || cs_yreader_next(r) < 0)
				return name ? -1 : oom(l, key_mark);
			bool null_args = r->event->type == YAML_SCALAR_EVENT &&
					 event_scalar(l, &key) == 0 && cs_node_is_null(&key);
			if (cls && (null_args || (r->event->type == YAML_MAPPING_START_EVENT &&
						  !r->event->tag))) {
				/* - Class: {arguments} */
				if (start_args(l, &la, cls, mark, true) < 0 || cs_yreader_next(r) < 0)
					return -1;
				if (!null_args && read_args(l, &la, 4, false) < 0)
					return -1;
				if (r->event->type != YAML_MAPPING_END_EVENT) {
					struct cs_node *k;
					r->depth = 3;
					if (cs_yreader_node(r, &l->scratch, &k) < 0)
						return -1;
					return cs_fail(l->err, mark, "a layer is `- Class: {arguments}` or a "
						       "mapping with a `type:` key; this mapping has more than "
						       "one key and no `type`");
				}
				if (cs_yreader_next(r) < 0)
					return -1;
				return finish_layer(l, &la);
			}
			/* anything else: the whole item as a node tree */
			struct cs_node *item = cs_arena_alloc(&l->scratch, sizeof(*item));
			struct cs_node *knode = cs_arena_alloc(&l->scratch, sizeof(*knode));
			if (!item || !knode)
				return oom(l, mark);
			if (name == spelling && !(name = cs_arena_strdup(&l->scratch, spelling)))
				return oom(l, mark);	/* the loader's copy is reused */
			knode->kind = CS_NODE_SCALAR;
			knode->mark = key_mark;
			knode->u.scalar.text = name;
			knode->u.scalar.len = strlen(name);
			knode->u.scalar.plain = true;
			r->depth = 3;
			if (cs_yreader_map_rest(r, &l->scratch, mark, knode, item) < 0)
				return -1;
			return layer_from_node(l, item);
		}
		/* the first key is not a plain word: read the rest as a tree */
		struct cs_node *item = cs_arena_alloc(&l->scratch, sizeof(*item));
		if (!item)
			return oom(l, mark);
		r->depth = 3;
		if (cs_yreader_map_rest(r, &l->scratch, mark, NULL, item) < 0)
			return -1;
		return layer_from_node(l, item);
	}
	if (r->event->type == YAML_SCALAR_EVENT) {
		/* - Class */
		struct cs_node n;
		if (event_scalar(l, &n) < 0)
			return -1;
		if (!cs_node_is_null(&n)) {
			const struct cs_layer_class *cls = class_of(l, &n);
			if (!cls || start_args(l, &la, cls, mark, true) < 0 || cs_yreader_next(r) < 0)
				return -1;
			return finish_layer(l, &la);
		}
	}
	struct cs_node *n;
	if (cs_yreader_node(r, &l->scratch, &n) < 0)
		return -1;
	return layer_from_node(l, n);
}

static int parse_layers(struct loader *l)
{
	struct cs_yreader *r = &l->r;
	if (r->event->type != YAML_SEQUENCE_START_EVENT) {
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
	l->first_layer = true;
	while (r->event->type != YAML_SEQUENCE_END_EVENT) {
		if (read_layer(l) < 0)
			return -1;
		cs_arena_reset(&l->scratch);
	}
	r->depth = 1;
	return cs_yreader_next(r);
}

/* ---- the top level ------------------------------------------------------------ */

/* The top-level `inputs:` list: keras.Input's arguments, one each. */
static int parse_inputs(struct loader *l, const struct cs_node *key, const struct cs_node *v)
{
	struct cs_model *m = l->m;
	char buf[64];
	graph_key(l, key->mark);
	if (v->kind != CS_NODE_SEQ || !v->u.seq.n)
		return cs_fail(l->err, v->mark, "inputs: expected a list of inputs such as "
			       "`- {name: image, shape: [32, 32, 3]}`, got %s", v->kind == CS_NODE_SEQ
			       ? "an empty list" : cs_node_describe(v, buf, sizeof(buf)));
	struct cs_input_decl *d = cs_arena_alloc(&m->arena, v->u.seq.n * sizeof(*d));
	if (!d)
		return oom(l, v->mark);
	for (size_t i = 0; i < v->u.seq.n; i++) {
		const struct cs_node *it = v->u.seq.items[i];
		d[i] = (struct cs_input_decl){ NULL, { NULL, 0 }, CS_UNSET, NULL, it->mark };
		if (it->kind != CS_NODE_MAP)
			return cs_fail(l->err, it->mark, "inputs: expected a mapping such as "
				       "{name: image, shape: [32, 32, 3]}, got %s", cs_node_describe(it, buf, sizeof(buf)));
		bool has_shape = false;
		for (size_t j = 0; j < it->u.map.n; j++) {
			const struct cs_node *k = it->u.map.pairs[j].key, *val = it->u.map.pairs[j].value;
			const char *kt = k->u.scalar.text;
			const char *t;
			if (!strcmp(kt, "shape")) {
				struct cs_ints sh;
				if (cs_node_shape(val, "shape", &sh, &l->scratch, l->err) < 0)
					return -1;
				d[i].shape.n = sh.n;
				d[i].shape.v = cs_arena_alloc(&m->arena, (sh.n + 1) * sizeof(int64_t));
				if (!d[i].shape.v)
					return oom(l, val->mark);
				memcpy(d[i].shape.v, sh.v, sh.n * sizeof(int64_t));
				has_shape = true;
			} else if (!strcmp(kt, "name")) {
				if (cs_node_string(val, "name", &t, l->err) < 0 ||
				    check_name(l, val->mark, t, "input name") < 0)
					return -1;
				if (!(d[i].name = cs_arena_strdup(&m->arena, t)))
					return oom(l, val->mark);
			} else if (!strcmp(kt, "batch_size")) {
				int64_t b = CS_NONE;
				if (!cs_node_is_null(val)) {
					if (cs_node_int(val, "batch_size", &b, l->err) < 0)
						return -1;
					if (b < 0)
						return cs_fail(l->err, val->mark, "batch_size: expected 0 or more, "
							       "or null, got %lld", (long long)b);
				}
				d[i].batch_size = b;
			} else if (!strcmp(kt, "dtype")) {
				if (cs_node_string(val, "dtype", &t, l->err) < 0)
					return -1;
				if (!cs_dtype_bytes(t))
					return cs_fail(l->err, val->mark, "dtype: unknown dtype '%s'; expected "
						       "float32, float16, int32, ...", t);
				if (!(d[i].dtype = cs_arena_strdup(&m->arena, t)))
					return oom(l, val->mark);
			} else {
				return cs_fail(l->err, k->mark, "inputs: unknown key '%s'; expected name, shape, "
					       "batch_size or dtype", kt);
			}
		}
		if (!has_shape)
			return cs_fail(l->err, it->mark, "inputs: missing required key 'shape'");
	}
	l->g->decls = d;
	l->g->ndecls = v->u.seq.n;
	l->g->decls_given = true;
	l->g->decls_mark = key->mark;
	return 0;
}

static int parse_top_value(struct loader *l, const struct cs_node *key, const struct cs_node *v)
{
	struct cs_model *m = l->m;
	const char *k = key->u.scalar.text;
	if (!strcmp(k, "name")) {
		const char *t;
		if (cs_node_string(v, "name", &t, l->err) < 0 || check_name(l, v->mark, t, "model name") < 0)
			return -1;
		m->name = cs_arena_strdup(&m->arena, t);
		return m->name ? 0 : oom(l, v->mark);
	}
	if (!strcmp(k, "input_shape")) {
		struct cs_ints s;
		if (cs_node_shape(v, "input_shape", &s, &l->scratch, l->err) < 0)
			return -1;
		return set_input(l, key->mark, &s);
	}
	if (!strcmp(k, "batch_size")) {
		int64_t b = CS_NONE;
		if (!cs_node_is_null(v)) {
			if (cs_node_int(v, "batch_size", &b, l->err) < 0)
				return -1;
			if (b < 0)
				return cs_fail(l->err, v->mark, "batch_size: expected 0 or more, or null, got %lld",
					       (long long)b);
		}
		m->batch_size = b;
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
		} else {
			m->input_dtype = t;
		}
		return 0;
	}
	if (!strcmp(k, "data_format")) {
		int df = CS_DF_DEFAULT;
		if (cs_node_is_null(v))
			df = CS_DF_DEFAULT;
		else if (v->kind == CS_NODE_SCALAR && !strcmp(v->u.scalar.text, "channels_last"))
			df = CS_DF_LAST;
		else if (v->kind == CS_NODE_SCALAR && !strcmp(v->u.scalar.text, "channels_first"))
			df = CS_DF_FIRST;
		else
			return cs_fail(l->err, v->mark, "data_format: expected 'channels_last' or 'channels_first'");
		m->data_format = df;
		return 0;
	}
	if (!strcmp(k, "inputs"))
		return parse_inputs(l, key, v);
	if (!strcmp(k, "outputs")) {
		graph_key(l, key->mark);
		l->g->outs_given = true;
		l->g->outs_mark = key->mark;
		return cs_graph_read_refs(v, "outputs", &l->g->arena, &l->g->outs, &l->g->nouts, l->err);
	}
	if (!strcmp(k, "trainable")) {
		bool t;
		if (cs_node_bool(v, "trainable", &t, l->err) < 0)
			return -1;
		m->frozen = !t;
		return 0;
	}
	if (!strcmp(k, "class_name") || !strcmp(k, "config"))
		return cs_fail(l->err, key->mark, "a Keras config (class_name/config) is not supported yet; "
			       "expected convsummary's model format (name, input_shape, layers)");
	const char *near = cs_closest(k, top_keys, NTOP_KEYS);
	if (near)
		return cs_fail(l->err, key->mark, "unknown key '%s'; did you mean '%s'?", k, near);
	return cs_fail(l->err, key->mark, "unknown key '%s'; expected one of name, input_shape, "
		       "batch_size, dtype, dtype_policy, data_format, inputs, outputs, models, "
		       "trainable, layers", k);
}

static int parse_model_map(struct loader *l, struct cs_mark top);

/* The keys a sub-model may not have: the key is its name, and the
 * file-wide settings are the file's. */
static bool file_only_key(const char *k)
{
	return !strcmp(k, "name") || !strcmp(k, "data_format") || !strcmp(k, "dtype_policy") ||
	       !strcmp(k, "models");
}

/* The model just read made whole: its graph resolved, its name. */
static int finish_model(struct loader *l)
{
	struct cs_model *m = l->m;
	struct cs_graph_decls *g = l->g;
	if (g->decls_given && (m->has_input || g->input_name_mark.line))
		return cs_fail(l->err, g->decls_mark, "the inputs are given twice (also at line %u); "
			       "expected either `inputs:` or one input_shape / Input",
			       m->has_input ? m->input_mark.line : g->input_name_mark.line);
	if (cs_graph_finish(m, g, &l->names, l->err) < 0)
		return -1;
	uint32_t k;
	struct cs_mark at = m->layers_mark;
	if (l->sub && !m->functional && m->has_input)
		return cs_names_auto(&l->names, cs_functional_stem, at, &k, l->err);	/* built at once */
	if (!l->sub && m->functional && !m->name) {
		if (cs_names_auto(&l->names, cs_functional_stem, at, &m->name_auto, l->err) < 0)
			return -1;
		char buf[32];
		if (m->name_auto)
			snprintf(buf, sizeof(buf), "functional_%u", m->name_auto);
		else
			snprintf(buf, sizeof(buf), "functional");
		if (!(m->name = cs_arena_strdup(&m->arena, buf)))
			return oom(l, at);
	}
	return 0;
}

/* `models:`, a mapping from name to model, each read like a file. */
static int parse_models(struct loader *l, const struct cs_node *key)
{
	struct cs_yreader *r = &l->r;
	struct cs_model *m = l->m;
	graph_key(l, key->mark);
	if (m->nlayers || l->first_layer)
		return cs_fail(l->err, key->mark, "models: expected before `layers:` (Keras builds "
			       "sub-models first, and automatic names follow that order)");
	if (r->event->type != YAML_MAPPING_START_EVENT) {
		struct cs_node *v;
		char buf[64];
		if (cs_yreader_node(r, &l->scratch, &v) < 0)
			return -1;
		return cs_fail(l->err, v->mark, "models: expected a mapping from names to models, got %s",
			       cs_node_describe(v, buf, sizeof(buf)));
	}
	if (cs_yreader_next(r) < 0)
		return -1;
	while (r->event->type != YAML_MAPPING_END_EVENT) {
		struct cs_node *name;
		r->depth = 2;
		if (cs_yreader_node(r, &l->scratch, &name) < 0)
			return -1;
		if (name->kind != CS_NODE_SCALAR)
			return cs_fail(l->err, name->mark, "models: expected a sub-model's name as the key");
		if (check_name(l, name->mark, name->u.scalar.text, "sub-model name") < 0)
			return -1;
		for (size_t i = 0; i < m->nsubs; i++)
			if (!strcmp(m->subs[i]->name, name->u.scalar.text))
				return cs_fail(l->err, name->mark, "duplicate sub-model '%s'", name->u.scalar.text);
		struct cs_model **subs = realloc(m->subs, (m->nsubs + 1) * sizeof(*subs));
		if (!subs)
			return oom(l, name->mark);
		m->subs = subs;
		struct cs_model *sub = cs_model_new();
		if (!sub)
			return oom(l, name->mark);
		m->subs[m->nsubs++] = sub;
		sub->name = cs_arena_strdup(&sub->arena, name->u.scalar.text);
		if (!sub->name)
			return oom(l, name->mark);
		sub->layers_mark = sub->name_mark = name->mark;
		if (r->event->type != YAML_MAPPING_START_EVENT) {
			struct cs_node *v;
			char buf[64];
			if (cs_yreader_node(r, &l->scratch, &v) < 0)
				return -1;
			return cs_fail(l->err, v->mark, "models: %s: expected a model (a mapping with "
				       "'layers'), got %s", sub->name, cs_node_describe(v, buf, sizeof(buf)));
		}
		/* read it as a model of its own, then carry on with this one */
		struct cs_graph_decls g = { 0 }, *saved_g = l->g;
		bool saved_first = l->first_layer, saved_sub = l->sub;
		struct cs_mark saved_mark = l->first_mark;
		l->m = sub;
		l->g = &g;
		l->sub = true;
		l->first_layer = false;
		struct cs_mark top = cs_yreader_mark(r);
		int rc = cs_yreader_next(r);
		if (rc == 0)
			rc = parse_model_map(l, top);
		if (rc == 0)
			rc = finish_model(l);
		cs_graph_decls_free(&g);
		l->m = m;
		l->g = saved_g;
		l->sub = saved_sub;
		l->first_layer = saved_first;
		l->first_mark = saved_mark;
		if (rc < 0)
			return -1;
	}
	r->depth = 1;
	return cs_yreader_next(r);
}

/* A model's keys, up to the end of its mapping (whose start is read). */
static int parse_model_map(struct loader *l, struct cs_mark top)
{
	struct cs_yreader *r = &l->r;
	bool seen[NTOP_KEYS] = { false };
	unsigned seen_line[NTOP_KEYS] = { 0 };
	while (r->event->type != YAML_MAPPING_END_EVENT) {
		struct cs_node *key;
		r->depth = 1;
		if (cs_yreader_node(r, &l->scratch, &key) < 0)
			return -1;
		if (key->kind != CS_NODE_SCALAR)
			return cs_fail(l->err, key->mark, "a mapping key must be a plain word");
		for (size_t i = 0; i < NTOP_KEYS; i++) {
			if (strcmp(key->u.scalar.text, top_keys[i]))
				continue;
			if (seen[i])
				return cs_fail(l->err, key->mark, "duplicate key '%s' (first at line %u)",
					       top_keys[i], seen_line[i]);
			seen[i] = true;
			seen_line[i] = key->mark.line;
		}
		if (l->sub && file_only_key(key->u.scalar.text))
			return cs_fail(l->err, key->mark, "a sub-model cannot set '%s'%s", key->u.scalar.text,
				       !strcmp(key->u.scalar.text, "name") ? ": its key under `models:` is its name"
				       : ": it is the file's");
		if (!strcmp(key->u.scalar.text, "layers")) {
			l->m->layers_mark = key->mark;
			if (parse_layers(l) < 0)
				return -1;
		} else if (!strcmp(key->u.scalar.text, "models")) {
			if (parse_models(l, key) < 0)
				return -1;
		} else {
			struct cs_node *v;
			if (cs_yreader_node(r, &l->scratch, &v) < 0 || parse_top_value(l, key, v) < 0)
				return -1;
		}
		cs_arena_reset(&l->scratch);
	}
	if (!seen[NTOP_KEYS - 1])
		return cs_fail(l->err, top, "missing 'layers': expected a list of layers");
	return cs_yreader_next(r);
}

static int parse_model(struct loader *l)
{
	struct cs_yreader *r = &l->r;
	if (cs_yreader_begin(r) < 0)
		return -1;
	if (r->event->type != YAML_MAPPING_START_EVENT) {
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
	if (cs_yreader_next(r) < 0 || parse_model_map(l, top) < 0)
		return -1;
	return cs_yreader_finish(r);
}

/* Where the model comes from: bytes in memory, or an open file. */
struct source {
	const char *data;
	size_t len;
	FILE *file;
};

/* The whole file into l->m. */
static int read_model(struct loader *l, const struct source *src)
{
	int rc;
	if (src->file) {
		rc = cs_yreader_init_file(&l->r, src->file, l->err);
	} else {
		rc = cs_yreader_init(&l->r, (const unsigned char *)src->data, src->len, l->err);
	}
	if (rc == 0)
		rc = parse_model(l);
	cs_yreader_close(&l->r);
	cs_arena_reset(&l->scratch);
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

static cs_model *load(const struct source *src, const struct cs_load_options *opt,
		      struct cs_error *err);

cs_model *cs_model_load_buffer_opts(const char *data, size_t len, const char *name,
				    const struct cs_load_options *opt, struct cs_error *err)
{
	struct cs_error dummy;
	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	cs_error_set_file(err, name);
	struct source src = { data, len, NULL };
	return load(&src, opt, err);
}

static cs_model *load(const struct source *src, const struct cs_load_options *caller,
		      struct cs_error *err)
{
	/* the caller's options, as long as its struct is; the rest zero */
	struct cs_load_options given = { 0 }, *opt = NULL;
	if (caller) {
		size_t n = caller->size && caller->size < sizeof(given) ? caller->size : sizeof(given);
		memcpy(&given, caller, n);
		opt = &given;
	}
	/* Keras's own files (a .keras archive, a model.to_json() config) are
	 * converted to YAML first, and errors moved back into them */
	struct cs_keras_input kin;
	struct source converted;
	int kind = cs_keras_input_open(&kin, src->file, src->data, src->len, NULL, err);
	if (kind > 0) {
		converted = (struct source){ kin.data, kin.len, NULL };
		src = &converted;
	}
	struct loader *l = kind < 0 ? NULL : calloc(1, sizeof(*l));
	if (!l) {
		struct cs_mark none = { 0, 0 };
		if (kind >= 0)
			cs_fail_oom(err, none);
		cs_keras_input_close(&kin);
		return NULL;
	}
	l->err = err;
	cs_arena_init(&l->scratch);
	int rc = -1;
	struct cs_model *m = l->m = cs_model_new();
	if (!m) {
		struct cs_mark none = { 0, 0 };
		cs_fail_oom(err, none);
		goto out;
	}
	m->explain = opt && opt->explain;
	m->audit = opt && opt->audit;
	struct stat st;
	if (!src->file)
		cs_model_expect_long(m, src->len);
	else if (fstat(fileno(src->file), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		cs_model_expect_long(m, (size_t)st.st_size);
	if (opt && opt->input_shape) {
		m->override_input = true;
		m->override.n = opt->input_rank;
		m->override.v = cs_arena_alloc(&m->arena, (opt->input_rank + 1) * sizeof(int64_t));
		if (!m->override.v) {
			rc = oom(l, m->layers_mark);
			goto out;
		}
		memcpy(m->override.v, opt->input_shape, opt->input_rank * sizeof(int64_t));
	}
	struct cs_graph_decls g = { 0 };
	l->g = &g;
	rc = read_model(l, src);
	if (rc == 0 && !m->has_input && !m->override_input && !g.decls_given)
		rc = cs_fail(err, l->first_mark.line ? l->first_mark : m->layers_mark, "no input shape: expected `input_shape: [...]` at the top, "
			     "`input_shape` on the first layer, or a first layer `- Input: {shape: [...]}`");
	if (rc == 0)
		rc = finish_model(l);
	cs_graph_decls_free(&g);
	if (rc == 0)
		rc = cs_model_compute(m, err);
	if (rc == 0 && m->audit && cs_audit_model(m) < 0)
		rc = oom(l, m->layers_mark);
out:
	cs_buf_free(&l->text);
	for (size_t c = 0; c < CS_MAX_CLASSES; c++)
		cs_buf_free(&l->memo[c].text);
	cs_names_reset(&l->names);
	cs_arena_free(&l->scratch);
	free(l);
	if (rc < 0)
		cs_keras_input_remap(&kin, err);
	else
		cs_keras_input_apply(&kin, m);
	cs_keras_input_close(&kin);
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

	/* "-" is the standard input */
	bool in = !strcmp(path, "-");
	FILE *f = in ? stdin : fopen(path, "rb");
	if (!f) {
		cs_fail_status(err, CS_ERR_IO, none, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (in)
		cs_error_set_file(err, "<stdin>");
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		if (!in)
			fclose(f);
		cs_fail_status(err, CS_ERR_IO, none, "is a directory; expected a model file");
		return NULL;
	}
	struct source src = { NULL, 0, f };
	cs_model *m = load(&src, opt, err);
	if (!in)
		fclose(f);
	return m;
}
