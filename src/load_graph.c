/*
 * The graph keys, once a model is read whole (model-format-graphs.md):
 * its inputs get their names, every `call` and every reference is
 * resolved in file order (so a reference can only name what is above it,
 * and `NAME[k][i]` only a call made so far), and the outputs are set.
 * Automatic names follow the order in which Keras creates objects (§8).
 */
#include "load_graph.h"
#include "bigmem.h"

#include <stdlib.h>
#include <string.h>

#include "args.h"

#define TARGET_SUB ((uint64_t)1 << 62)	/* a name's target: sub-model k */
#define NONE UINT32_MAX

const char *cs_input_stem(void)
{
	return cs_layer_class_find_len("InputLayer", 10)->snake;
}

int cs_graph_read_refs(const struct cs_node *v, const char *what, struct cs_arena *arena,
		       struct cs_ref_text **out, size_t *n, struct cs_error *err)
{
	char buf[64];
	const struct cs_node *const *items = &v;
	size_t count = 1;
	if (v->kind == CS_NODE_SEQ) {
		items = (const struct cs_node *const *)v->u.seq.items;
		count = v->u.seq.n;
	}
	struct cs_ref_text *r = cs_arena_alloc(arena, (count ? count : 1) * sizeof(*r));
	if (!r)
		return cs_fail_oom(err, v->mark);
	for (size_t i = 0; i < count; i++) {
		const struct cs_node *it = items[i];
		if (it->kind != CS_NODE_SCALAR || (it->u.scalar.plain && cs_node_is_null(it)))
			return cs_fail(err, it->mark, "%s: expected a reference such as conv1 or "
				       "\"conv1[1][0]\" (quoted in a flow list), got %s", what,
				       cs_node_describe(it, buf, sizeof(buf)));
		r[i].text = cs_arena_strndup(arena, it->u.scalar.text, it->u.scalar.len);
		if (!r[i].text)
			return cs_fail_oom(err, it->mark);
		r[i].mark = it->mark;
	}
	if (!count)
		return cs_fail(err, v->mark, "%s: expected one or more references, got an empty list", what);
	*out = r;
	*n = count;
	return 0;
}

/* Room for `need` items of a table of *cap, *ready bytes of it faulted
 * in (cs_big_ahead): a new block, faulted in before the table is copied
 * there rather than a fault a page as it is. */
static void *grow(void *p, size_t *cap, size_t need, size_t size, size_t *ready)
{
	if (need <= *cap)
		return p;
	size_t c = *cap ? *cap * 2 : 16;
	while (c < need)
		c *= 2;
	if (c > SIZE_MAX / size)
		return NULL;
	char *q = malloc(c * size);
	if (!q)
		return NULL;
	size_t used = *cap * size;
	*ready = 0;
	cs_big_ahead(q, used, c * size, ready);
	if (used)
		memcpy(q, p, used);
	free(p);
	*cap = c;
	return q;
}

int cs_graph_pend(struct cs_graph_decls *g, uint32_t entry, const struct cs_ref_text *refs,
		  uint32_t n, const char *call, struct cs_mark call_mark)
{
	struct cs_pending *p = grow(g->pend, &g->pend_cap, g->npend + 1, sizeof(*p), &g->pend_ready);
	if (!p)
		return -1;
	g->pend = p;
	uint32_t first = (uint32_t)g->nrefs;
	if (n != NONE) {
		struct cs_ref_text *r = grow(g->refs, &g->refs_cap, g->nrefs + n, sizeof(*r), &g->refs_ready);
		if (!r)
			return -1;
		g->refs = r;
		cs_big_ahead(r, (g->nrefs + n) * sizeof(*r), g->refs_cap * sizeof(*r), &g->refs_ready);
		memcpy(r + g->nrefs, refs, n * sizeof(*r));
		g->nrefs += n;
	}
	cs_big_ahead(p, (g->npend + 1) * sizeof(*p), g->pend_cap * sizeof(*p), &g->pend_ready);
	g->pend[g->npend++] = (struct cs_pending){ entry, first, n, call, call_mark };
	return 0;
}

void cs_graph_decls_free(struct cs_graph_decls *g)
{
	free(g->pend);
	free(g->refs);
	cs_arena_free(&g->arena);
	memset(g, 0, sizeof(*g));
}

/* ---- resolving names ------------------------------------------------------------ */

/* Automatic names by stem and number: per class (and for inputs), the
 * entry that got stem_k at index k; a stem's class by a small hash. */
#define STEM_SLOTS 512

struct autos {
	uint32_t **by_class;	/* [class][k]: entry, or NONE */
	uint32_t *count;	/* [class]: numbers given */
	uint32_t *inputs;	/* [k]: input, or NONE */
	uint32_t ninputs;
	uint16_t stems[STEM_SLOTS];	/* class index + 1 by its stem */
};

/* The entries that called a layer again, in file order: call k is v[k - 1]
 * (an array, so that `NAME[k][i]` costs no walk along the calls). */
struct calls {
	uint32_t *v;
	uint32_t n, cap;
};

struct resolver {
	struct cs_model *m;
	struct cs_names *names;
	struct cs_error *err;
	struct calls *calls;	/* per layer's first entry: its later calls so far
				 * (made at the first `call`) */
	uint32_t *sub_first;	/* per sub-model: its first call, or NONE */
	struct autos *autos;	/* built at the first name not given explicitly */
};

static void autos_free(struct autos *a)
{
	if (!a)
		return;
	for (size_t c = 0; a->by_class && c < cs_layer_class_count(); c++)
		free(a->by_class[c]);
	free(a->by_class);
	free(a->count);
	free(a->inputs);
	free(a);
}

/* Every automatic name of the model, once: a file that names what it
 * refers to never builds it. */
static int build_autos(struct resolver *rs)
{
	struct cs_model *m = rs->m;
	size_t ncls = cs_layer_class_count();
	struct autos *a = calloc(1, sizeof(*a));
	if (!a)
		return -1;
	rs->autos = a;
	a->by_class = calloc(ncls, sizeof(*a->by_class));
	a->count = calloc(ncls, sizeof(*a->count));
	if (!a->by_class || !a->count)
		return -1;
	for (size_t c = 0; c < ncls; c++) {
		const char *stem = cs_layer_class_at(c)->snake;
		size_t j = cs_hash(stem, strlen(stem)) % STEM_SLOTS;
		while (a->stems[j])
			j = (j + 1) % STEM_SLOTS;
		a->stems[j] = (uint16_t)(c + 1);
	}
	for (size_t i = 0; i < m->nlayers; i++) {
		const struct cs_layer *ly = cs_model_at(m, i);
		if (!ly->name && !(ly->flags & CS_LF_KIND) && ly->auto_index >= a->count[ly->cls])
			a->count[ly->cls] = ly->auto_index + 1;
	}
	for (size_t c = 0; c < ncls; c++) {
		if (!a->count[c])
			continue;
		if (!(a->by_class[c] = malloc(a->count[c] * sizeof(uint32_t))))
			return -1;
		cs_big_populate(a->by_class[c], a->count[c] * sizeof(uint32_t));
		memset(a->by_class[c], 0xff, a->count[c] * sizeof(uint32_t));
	}
	for (size_t i = 0; i < m->nlayers; i++) {
		const struct cs_layer *ly = cs_model_at(m, i);
		if (!ly->name && !(ly->flags & CS_LF_KIND))
			a->by_class[ly->cls][ly->auto_index] = (uint32_t)i;
	}
	for (size_t k = 0; k < m->ninputs; k++)
		if (!m->inputs[k].name && m->inputs[k].auto_index >= a->ninputs)
			a->ninputs = m->inputs[k].auto_index + 1;
	if (a->ninputs) {
		if (!(a->inputs = malloc(a->ninputs * sizeof(uint32_t))))
			return -1;
		memset(a->inputs, 0xff, a->ninputs * sizeof(uint32_t));
		for (size_t k = 0; k < m->ninputs; k++)
			if (!m->inputs[k].name)
				a->inputs[m->inputs[k].auto_index] = (uint32_t)k;
	}
	return 0;
}

/* What automatic name stem_k (the stem len bytes of text) stands for. */
static bool auto_get(const struct autos *a, const char *text, size_t len, uint32_t k, uint64_t *target)
{
	const char *input = cs_input_stem();
	if (len == strlen(input) && !memcmp(text, input, len)) {
		if (k >= a->ninputs || a->inputs[k] == NONE)
			return false;
		*target = CS_REF_INPUT | a->inputs[k];
		return true;
	}
	for (size_t j = cs_hash(text, len) % STEM_SLOTS; a->stems[j]; j = (j + 1) % STEM_SLOTS) {
		size_t c = a->stems[j] - 1u;
		const char *stem = cs_layer_class_at(c)->snake;
		if (strlen(stem) != len || memcmp(stem, text, len))
			continue;
		if (k >= a->count[c] || a->by_class[c][k] == NONE)
			return false;
		*target = a->by_class[c][k];
		return true;
	}
	return false;
}

/* What a name stands for in this model: an entry (a layer's first), an
 * input, or a sub-model.  -1 on failure with *err, 0 found, 1 not. */
static int lookup(struct resolver *rs, const char *name, uint64_t *target, struct cs_mark at)
{
	const struct cs_named *d = cs_names_find(rs->names, name);
	if (d && d->scope == rs->m) {
		*target = d->target;
		return 0;
	}
	if (d)
		return 1;	/* explicit, but in another model */
	if (!rs->autos && build_autos(rs) < 0)
		return cs_fail_oom(rs->err, at);
	size_t len = strlen(name);
	if (auto_get(rs->autos, name, len, 0, target))
		return 0;
	/* stem_K, K from 1 without leading zeros */
	size_t d0 = len;
	while (d0 > 0 && name[d0 - 1] >= '0' && name[d0 - 1] <= '9')
		d0--;
	if (d0 < 2 || d0 == len || name[d0 - 1] != '_' || name[d0] == '0' || len - d0 > 9)
		return 1;
	uint32_t k = (uint32_t)strtoul(name + d0, NULL, 10);
	return auto_get(rs->autos, name, d0 - 1, k, target) ? 0 : 1;
}

/* The number of outputs of entry e's call. */
static uint32_t entry_outputs(const struct cs_model *m, uint32_t e)
{
	const struct cs_layer *ly = cs_model_at(m, e);
	if (ly->flags & CS_LF_MODEL) {
		const struct cs_model *sub = m->subs[ly->args];
		return sub->functional ? (uint32_t)sub->noutputs : 1;	/* a chain: its last layer's */
	}
	return 1;
}

/* Split `name[k][i]` (both decimal); false when text is not of that form. */
static bool split_long(const char *text, size_t *name_len, uint32_t *k, uint32_t *i)
{
	size_t len = strlen(text);
	uint32_t v[2];
	size_t end = len;
	for (int part = 1; part >= 0; part--) {
		if (end < 3 || text[end - 1] != ']')
			return false;
		size_t d = end - 1;
		while (d > 0 && text[d - 1] >= '0' && text[d - 1] <= '9')
			d--;
		if (d == end - 1 || d == 0 || text[d - 1] != '[')
			return false;
		size_t z = d;	/* an index past 9 digits is past every end: UINT32_MAX */
		while (z < end - 2 && text[z] == '0')
			z++;
		v[part] = end - 1 - z > 9 ? UINT32_MAX : (uint32_t)strtoul(text + z, NULL, 10);
		end = d - 1;
	}
	if (end == 0)
		return false;
	*name_len = end;
	*k = v[0];
	*i = v[1];
	return true;
}

/* A reference made by entry `at_entry` (NONE: an output) as a cs_ref. */
static int resolve_ref(struct resolver *rs, const struct cs_ref_text *t, uint32_t at_entry, cs_ref *out)
{
	struct cs_model *m = rs->m;
	uint64_t target;
	uint32_t k = 0, o = 0;
	int rc = lookup(rs, t->text, &target, t->mark);
	if (rc < 0)
		return -1;
	if (rc) {
		size_t nlen;
		if (!split_long(t->text, &nlen, &k, &o))
			goto unknown;
		char *name = malloc(nlen + 1);
		if (!name)
			return cs_fail_oom(rs->err, t->mark);
		memcpy(name, t->text, nlen);
		name[nlen] = '\0';
		rc = lookup(rs, name, &target, t->mark);
		free(name);
		if (rc < 0)
			return -1;
		if (rc)
			goto unknown;
	}
	if (target & CS_REF_INPUT) {
		if (k || o)
			return cs_fail(rs->err, t->mark, "reference '%s': an input has one call and one "
				       "output ([0][0])", t->text);
		*out = target;
		return 0;
	}
	uint32_t e;
	if (target & TARGET_SUB) {
		e = rs->sub_first[target & ~TARGET_SUB];
		if (e == NONE || (at_entry != NONE && e >= at_entry))
			return cs_fail(rs->err, t->mark, "reference '%s': sub-model '%s' is not called "
				       "above; expected a `call: %s` entry before this one", t->text,
				       m->subs[target & ~TARGET_SUB]->name, m->subs[target & ~TARGET_SUB]->name);
	} else {
		e = (uint32_t)target;
		if (at_entry != NONE && e >= at_entry)
			goto unknown;
	}
	if (k) {
		static const struct calls none_made;
		const struct calls *c = rs->calls ? &rs->calls[e] : &none_made;
		/* calls are resolved in file order: only this very entry can be a
		 * call not above it */
		uint32_t above = c->n - (c->n && at_entry != NONE && c->v[c->n - 1] >= at_entry);
		if (k > above)
			return cs_fail(rs->err, t->mark, "reference '%s': that layer has only %u call%s "
				       "above this point; expected a call index below %u", t->text,
				       above + 1, above ? "s" : "", above + 1);
		e = c->v[k - 1];
	}
	uint32_t nout = entry_outputs(m, e);
	if (o >= nout)
		return cs_fail(rs->err, t->mark, "reference '%s': that call has %u output%s; expected "
			       "an output index below %u", t->text, nout, nout == 1 ? "" : "s", nout);
	*out = (cs_ref)e | (cs_ref)o << CS_REF_OUT_SHIFT;
	return 0;
unknown:
	return cs_fail(rs->err, t->mark, "unknown reference '%s' (no input or earlier layer of that name)",
		       t->text);
}

/* Entry p->entry calls p->call again. */
static int resolve_call(struct resolver *rs, const struct cs_pending *p)
{
	struct cs_model *m = rs->m;
	uint64_t target;
	int rc = lookup(rs, p->call, &target, p->call_mark);
	if (rc < 0)
		return -1;
	if (rc || (target & CS_REF_INPUT) || (!(target & TARGET_SUB) && target >= p->entry))
		return cs_fail(rs->err, p->call_mark, "call: '%s' is neither a layer above nor a "
			       "sub-model (models:)", p->call);
	struct cs_layer *ly = cs_model_at(m, p->entry);
	uint32_t owner;
	if (target & TARGET_SUB) {
		size_t k = target & ~TARGET_SUB;
		ly->args = (uint32_t)k;
		if (rs->sub_first[k] == NONE) {
			/* the first call: this entry is the sub-model's row */
			ly->flags = CS_LF_MODEL;
			ly->name = m->subs[k]->name;
			rs->sub_first[k] = p->entry;
			return 0;
		}
		owner = rs->sub_first[k];
		ly->flags = CS_LF_MODEL | CS_LF_CALL;
	} else {
		owner = cs_entry_owner(m, (size_t)target);
		const struct cs_layer *o = cs_model_at(m, owner);
		ly->cls = o->cls;
		ly->args = o->args;
		ly->flags = (uint8_t)(CS_LF_CALL | (o->flags & CS_LF_MODEL));
	}
	ly->auto_index = owner;
	ly->name = cs_model_at(m, owner)->name;
	if (!rs->calls && !(rs->calls = calloc(m->nlayers, sizeof(*rs->calls))))
		return cs_fail_oom(rs->err, p->call_mark);
	struct calls *c = &rs->calls[owner];
	if (c->n == c->cap) {
		uint32_t cap = c->cap ? 2 * c->cap : 4;
		uint32_t *v = realloc(c->v, cap * sizeof(*v));
		if (!v)
			return cs_fail_oom(rs->err, p->call_mark);
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = p->entry;
	return 0;
}

/* ---- the model's inputs ---------------------------------------------------------- */

static int make_inputs(struct cs_model *m, struct cs_graph_decls *g, struct cs_names *names,
		       struct cs_error *err)
{
	size_t n = g->decls_given ? g->ndecls : 1;
	if (!g->decls_given && !m->has_input)
		return 0;	/* a Sequential sub-model built by its first call */
	if (m->override_input && n != 1)
		return cs_fail(err, g->decls_mark, "--input-shape replaces a model's only input; "
			       "this model has %zu inputs", n);
	struct cs_input *in = cs_arena_alloc(&m->arena, n * sizeof(*in));
	if (!in)
		return cs_fail_oom(err, g->decls_mark);
	memset(in, 0, n * sizeof(*in));
	int64_t *first_dims = NULL;
	for (size_t k = 0; k < n; k++) {
		const struct cs_input_decl *d = g->decls_given ? &g->decls[k] : NULL;
		const struct cs_ints *shape = d && !m->override_input ? &d->shape
					    : m->override_input ? &m->override : &m->input_shape;
		if (shape->n + 1 > CS_MAX_RANK)
			return cs_fail(err, d ? d->mark : m->input_mark, "the input has more than %d "
				       "dimensions", CS_MAX_RANK - 1);
		int64_t *dims = cs_arena_alloc(&m->arena, (shape->n + 1) * sizeof(int64_t));
		if (!dims)
			return cs_fail_oom(err, m->input_mark);
		dims[0] = d && d->batch_size != CS_UNSET ? d->batch_size : m->batch_size;
		memcpy(dims + 1, shape->v, shape->n * sizeof(int64_t));
		if (!k)
			first_dims = dims;
		in[k].dims = dims;
		in[k].rank = (uint8_t)(shape->n + 1);
		in[k].dtype = d && d->dtype ? d->dtype : m->input_dtype;
		in[k].mark = d ? d->mark : m->input_mark;
		in[k].name = d ? d->name : g->input_name;
		if (in[k].name) {
			if (cs_names_explicit(names, in[k].name, in[k].mark, m, CS_REF_INPUT | k, err) < 0)
				return -1;
		} else if (cs_names_auto(names, cs_input_stem(), in[k].mark, &in[k].auto_index, err) < 0) {
			return -1;
		}
	}
	if (!g->decls_given) {
		/* the one input, as a Sequential model keeps it */
		m->input_shape.v = first_dims + 1;
		m->input_shape.n = in[0].rank - 1u;
	}
	m->inputs = in;
	m->ninputs = n;
	return 0;
}

/* ---- the whole step ---------------------------------------------------------------- */

static int set_default_inputs(struct resolver *rs, size_t i)
{
	struct cs_model *m = rs->m;
	struct cs_layer *ly = cs_model_at(m, i);
	if (i == 0) {
		if (m->ninputs > 1)
			return cs_fail(rs->err, ly->mark, "this first layer has no `inputs` and the model "
				       "has %zu inputs; expected `inputs:` naming one of them", m->ninputs);
		return 0;
	}
	uint32_t nout = entry_outputs(m, (uint32_t)(i - 1));
	if (nout == 1)
		return 0;
	/* all the outputs of the entry above */
	cs_ref *refs = malloc(nout * sizeof(*refs));
	if (!refs)
		return cs_fail_oom(rs->err, ly->mark);
	for (uint32_t o = 0; o < nout; o++)
		refs[o] = (cs_ref)(i - 1) | (cs_ref)o << CS_REF_OUT_SHIFT;
	int rc = cs_layer_set_inputs(m, i, refs, nout);
	free(refs);
	return rc < 0 ? cs_fail_oom(rs->err, ly->mark) : 0;
}

static int resolve_entries(struct resolver *rs, struct cs_graph_decls *g)
{
	struct cs_model *m = rs->m;
	size_t next = 0;	/* the next pending item */
	cs_ref *refs = NULL;
	size_t refs_cap = 0, refs_ready = 0;
	int rc = -1;
	for (size_t i = 0; i < m->nlayers; i++) {
		const struct cs_pending *p = next < g->npend && g->pend[next].entry == i ? &g->pend[next++] : NULL;
		if (p && p->call && resolve_call(rs, p) < 0)
			goto out;
		if (!p || p->n == NONE) {
			if (set_default_inputs(rs, i) < 0)
				goto out;
			continue;
		}
		cs_ref *r = grow(refs, &refs_cap, p->n, sizeof(*refs), &refs_ready);
		if (!r) {
			cs_fail_oom(rs->err, cs_model_at(m, i)->mark);
			goto out;
		}
		refs = r;
		for (uint32_t k = 0; k < p->n; k++)
			if (resolve_ref(rs, &g->refs[p->first + k], (uint32_t)i, &refs[k]) < 0)
				goto out;
		if (cs_layer_set_inputs(m, i, refs, p->n) < 0) {
			cs_fail_oom(rs->err, cs_model_at(m, i)->mark);
			goto out;
		}
	}
	rc = 0;
out:
	free(refs);
	return rc;
}

static int set_outputs(struct resolver *rs, struct cs_graph_decls *g)
{
	struct cs_model *m = rs->m;
	size_t n;
	if (g->outs_given) {
		n = g->nouts;
	} else if (m->nlayers) {
		n = entry_outputs(m, (uint32_t)(m->nlayers - 1));
	} else {
		n = m->ninputs;
	}
	cs_ref *out = cs_arena_alloc(&m->arena, (n ? n : 1) * sizeof(*out));
	if (!out)
		return cs_fail_oom(rs->err, m->layers_mark);
	for (size_t k = 0; k < n; k++) {
		if (g->outs_given) {
			if (resolve_ref(rs, &g->outs[k], NONE, &out[k]) < 0)
				return -1;
		} else if (m->nlayers) {
			out[k] = (cs_ref)(m->nlayers - 1) | (cs_ref)k << CS_REF_OUT_SHIFT;
		} else {
			out[k] = CS_REF_INPUT | k;
		}
	}
	m->outputs = out;
	m->noutputs = n;
	return 0;
}

int cs_graph_finish(struct cs_model *m, struct cs_graph_decls *g, struct cs_names *names,
		    struct cs_error *err)
{
	if (!g->graph)
		return 0;	/* Sequential: computed as a chain */
	m->functional = true;
	if (make_inputs(m, g, names, err) < 0)
		return -1;
	if (!m->ninputs && m->nlayers == 0)
		return cs_fail(err, m->layers_mark, "a Functional model needs inputs: expected "
			       "`inputs:` or `input_shape:`");
	if (!m->ninputs)
		return cs_fail(err, cs_model_at(m, 0)->mark, "a Functional model needs inputs: expected "
			       "`inputs:` or `input_shape:` (a model without one must be a Sequential "
			       "sub-model, with no graph keys)");
	struct resolver rs = { m, names, err, NULL, NULL, NULL };
	int rc = -1;
	rs.sub_first = malloc((m->nsubs ? m->nsubs : 1) * sizeof(uint32_t));
	if (!rs.sub_first) {
		cs_fail_oom(err, m->layers_mark);
		goto out;
	}
	for (size_t k = 0; k < m->nsubs; k++) {
		rs.sub_first[k] = NONE;
		if (cs_names_explicit(names, m->subs[k]->name, m->subs[k]->name_mark, m,
				      TARGET_SUB | k, err) < 0)
			goto out;
	}
	if (resolve_entries(&rs, g) < 0 || set_outputs(&rs, g) < 0)
		goto out;
	/* Keras names what it builds as it builds it: the first call of a
	 * Sequential sub-model without an input makes an InputLayer and an
	 * inner Functional model; then the model itself */
	for (size_t k = 0; k < m->nsubs; k++) {
		uint32_t scratch;
		const struct cs_model *s = m->subs[k];
		if (rs.sub_first[k] != NONE && !s->functional && !s->ninputs && !s->has_input) {
			struct cs_mark at = cs_model_at(m, rs.sub_first[k])->mark;
			if (cs_names_auto(names, cs_input_stem(), at, &scratch, err) < 0 ||
			    cs_names_auto(names, cs_functional_stem, at, &scratch, err) < 0)
				goto out;
		}
	}
	rc = 0;
out:
	if (rs.calls)
		for (size_t i = 0; i < m->nlayers; i++)
			free(rs.calls[i].v);
	free(rs.calls);
	free(rs.sub_first);
	autos_free(rs.autos);
	return rc;
}
