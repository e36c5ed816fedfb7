/*
 * Shapes, counts and figures over the model's graph: each layer's rule
 * applied to the shapes of its inputs, in an order where every layer comes
 * after the layers it takes as inputs.  A Sequential model is a chain in
 * it: each layer's input is the layer before.
 */
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cells.h"
#include "checked.h"
#include "model.h"

static int weight_bytes(const struct cs_model *m, const struct cs_args *a)
{
	if (a->dtype)
		return cs_dtype_bytes(a->dtype);
	if (m->dtype_policy)
		return cs_dtype_bytes(m->dtype_policy);
	return 4;
}

static int add_totals(struct cs_model *m, struct cs_infer *c)
{
	struct cs_totals *t = &m->totals;
	int64_t all;
	if (!cs_add(t->trainable_params, c->trainable, &t->trainable_params) ||
	    !cs_add(t->non_trainable_params, c->non_trainable, &t->non_trainable_params) ||
	    !cs_add(t->trainable_params, t->non_trainable_params, &all))
		return cs_infer_fail(c, "the model's total weight count overflows 64 bits");
	if (!cs_add(t->trainable_bytes, c->trainable_bytes, &t->trainable_bytes) ||
	    !cs_add(t->non_trainable_bytes, c->non_trainable_bytes, &t->non_trainable_bytes) ||
	    !cs_add(t->trainable_bytes, t->non_trainable_bytes, &all))
		return cs_infer_fail(c, "the model's total size in bytes overflows 64 bits");
	return 0;
}

/* Bytes of one output element: the layer's compute dtype. */
static int act_bytes(const struct cs_model *m, const struct cs_args *a)
{
	const char *d = a->dtype ? a->dtype : m->dtype_policy;
	return d ? cs_dtype_compute_bytes(d) : 4;
}

/* ---- the graph ------------------------------------------------------------------ */

size_t cs_layer_ninputs(const struct cs_model *m, size_t i)
{
	const struct cs_layer *ly = cs_model_at(m, i);
	if (ly->in == CS_IN_PREV)
		return 1;
	return (size_t)*(const cs_ref *)cs_chunks_at(&m->refs, ly->in, sizeof(cs_ref));
}

cs_ref cs_layer_input(const struct cs_model *m, size_t i, size_t k)
{
	const struct cs_layer *ly = cs_model_at(m, i);
	if (ly->in == CS_IN_PREV)
		return i ? (cs_ref)(i - 1) : CS_REF_INPUT;
	return *(const cs_ref *)cs_chunks_at(&m->refs, ly->in + 1 + k, sizeof(cs_ref));
}

int cs_layer_set_inputs(struct cs_model *m, size_t i, const cs_ref *refs, size_t n)
{
	struct cs_layer *ly = cs_model_at(m, i);
	/* a merge layer given a list of one is not a chain's single tensor */
	bool merge = cs_layer_cls(ly)->flags & CS_CLS_MERGE;
	if (n == 1 && !merge && refs[0] == (i ? (cs_ref)(i - 1) : CS_REF_INPUT)) {
		ly->in = CS_IN_PREV;
		return 0;
	}
	if (m->refs.n + n + 1 >= CS_IN_PREV)
		return -1;
	uint32_t at = (uint32_t)m->refs.n;
	cs_ref *count = cs_chunks_add(&m->refs, sizeof(cs_ref));
	if (!count)
		return -1;
	*count = n;
	for (size_t k = 0; k < n; k++) {
		cs_ref *r = cs_chunks_add(&m->refs, sizeof(cs_ref));
		if (!r)
			return -1;
		*r = refs[k];
	}
	ly->in = at;
	return 0;
}

void cs_ref_shape(const struct cs_model *m, cs_ref r, const int64_t **dims, int *rank)
{
	if (r & CS_REF_INPUT) {
		const struct cs_input *in = &m->inputs[CS_REF_INDEX(r)];
		*dims = in->dims;
		*rank = in->rank;
		return;
	}
	const struct cs_layer *ly = cs_model_at(m, CS_REF_INDEX(r));
	uint32_t o = CS_REF_OUTPUT(r);
	if (o && (ly->flags & CS_LF_MODEL)) {
		/* a sub-model's further output */
		const struct cs_model *sub = m->subs[ly->args];
		cs_ref_shape(sub, sub->outputs[o], dims, rank);
		return;
	}
	*dims = ly->dims;
	*rank = ly->rank;
}

int cs_graph_order(const struct cs_model *m, uint32_t *order, struct cs_error *err)
{
	size_t n = m->nlayers;
	/* every reference names a layer or an input that exists; the usual
	 * case: every layer's inputs come before it in the file */
	bool in_order = true;
	for (size_t i = 0; i < n; i++) {
		if (cs_model_at(m, i)->in == CS_IN_PREV)
			continue;
		size_t k = cs_layer_ninputs(m, i);
		for (size_t j = 0; j < k; j++) {
			cs_ref r = cs_layer_input(m, i, j);
			if ((r & CS_REF_INPUT) ? CS_REF_INDEX(r) >= m->ninputs : CS_REF_INDEX(r) >= n)
				return cs_fail(err, cs_model_at(m, i)->mark, "input %zu refers to no layer or "
					       "model input", j + 1);
			if (!(r & CS_REF_INPUT) && CS_REF_INDEX(r) >= i)
				in_order = false;
		}
	}
	if (!order)
		return in_order;
	if (in_order) {
		for (size_t i = 0; i < n; i++)
			order[i] = (uint32_t)i;
		return 0;
	}
	/* Kahn's algorithm: a layer is ready when all its inputs are done;
	 * users[] lists, per layer, the layers that take it (CSR form) */
	struct cs_mark none = { 0, 0 };
	uint32_t *waiting = calloc(n, sizeof(uint32_t));
	uint32_t *first = calloc(n + 1, sizeof(uint32_t));
	size_t nedges = 0;
	for (size_t i = 0; i < n; i++)
		nedges += cs_layer_ninputs(m, i);
	uint32_t *users = malloc((nedges ? nedges : 1) * sizeof(uint32_t));
	int rc = -1;
	if (!waiting || !first || !users) {
		cs_fail_oom(err, none);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0, k = cs_layer_ninputs(m, i); j < k; j++) {
			cs_ref r = cs_layer_input(m, i, j);
			if (!(r & CS_REF_INPUT)) {
				first[CS_REF_INDEX(r) + 1]++;
				waiting[i]++;
			}
		}
	for (size_t i = 0; i < n; i++)
		first[i + 1] += first[i];
	{
		uint32_t *fill = calloc(n, sizeof(uint32_t));
		if (!fill) {
			cs_fail_oom(err, none);
			goto out;
		}
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0, k = cs_layer_ninputs(m, i); j < k; j++) {
				cs_ref r = cs_layer_input(m, i, j);
				if (!(r & CS_REF_INPUT))
					users[first[CS_REF_INDEX(r)] + fill[CS_REF_INDEX(r)]++] = (uint32_t)i;
			}
		free(fill);
	}
	/* order[] doubles as the queue: [head, tail) is ready, in file order */
	size_t head = 0, tail = 0;
	for (size_t i = 0; i < n; i++)
		if (!waiting[i])
			order[tail++] = (uint32_t)i;
	while (head < tail) {
		uint32_t v = order[head++];
		for (uint32_t e = first[v]; e < first[v + 1]; e++)
			if (--waiting[users[e]] == 0)
				order[tail++] = users[e];
	}
	if (tail < n) {
		size_t stuck = 0;
		while (!waiting[stuck])
			stuck++;
		cs_fail(err, cs_model_at(m, stuck)->mark, "this layer's inputs depend on its own output "
			"(a cycle); expected every input to come from an earlier layer or a model input");
		goto out;
	}
	rc = 0;
out:
	free(waiting);
	free(first);
	free(users);
	return rc;
}

/* ---- receptive fields ----------------------------------------------------------- */

static int grid_axes(int rank)
{
	return rank >= 3 ? (rank - 2 < 3 ? rank - 2 : 3) : 0;
}

static void field_start(struct cs_field *f, int naxes)
{
	f->naxes = naxes;
	for (int i = 0; i < 3; i++) {
		f->r[i] = 1;
		f->j[i] = 1;
		f->p[i] = 0;
	}
}

static bool field_equal(const struct cs_field *a, const struct cs_field *b)
{
	if (a->naxes != b->naxes)
		return false;
	for (int i = 0; i < a->naxes; i++)
		if (a->r[i] != b->r[i] || a->j[i] != b->j[i] || a->p[i] != b->p[i])
			return false;
	return true;
}

/* The field a reference passes on to the layers that take it. */
static void ref_field(const struct cs_model *m, cs_ref r, struct cs_field *f)
{
	if (r & CS_REF_INPUT) {
		field_start(f, grid_axes(m->inputs[CS_REF_INDEX(r)].rank));
		return;
	}
	const struct cs_layer *ly = cs_model_at(m, CS_REF_INDEX(r));
	const struct cs_op *op = (ly->flags & CS_LF_MODEL) ? NULL : cs_model_op(m, ly);
	if ((ly->flags & CS_LF_MODEL) || !op || ly->spatial == CS_SP_GLOBAL) {
		/* a sub-model's field is not followed through it */
		/* nothing spatial is left after a global pooling */
		field_start(f, 0);
		return;
	}
	*f = op->field;
}

/* The field coming into layer i from its nin inputs: the first input's,
 * or for several, the largest field and the largest effective padding on
 * each axis over the paths in; where the inputs disagree on the effective
 * stride (or on their axes), none: there is no one grid any more. */
static void merged_field(const struct cs_model *m, size_t i, size_t nin, struct cs_field *f)
{
	ref_field(m, cs_layer_input(m, i, 0), f);
	for (size_t k = 1; k < nin && f->naxes; k++) {
		struct cs_field g;
		ref_field(m, cs_layer_input(m, i, k), &g);
		if (g.naxes != f->naxes) {
			f->naxes = 0;
			return;
		}
		for (int a = 0; a < f->naxes; a++) {
			if (g.j[a] != f->j[a]) {
				f->naxes = 0;
				return;
			}
			if (g.r[a] > f->r[a])
				f->r[a] = g.r[a];
			if (g.p[a] > f->p[a])
				f->p[a] = g.p[a];
		}
	}
}

/* The field of a layer's output from its input's, by the recurrence in
 * figures.c's header. */
static void next_field(const struct cs_infer *c, const int64_t *in, int in_rank, int out_rank,
		       struct cs_field *f)
{
	int n = f->naxes;
	int first = in_rank >= 3 && c->data_format == CS_DF_FIRST ? 2 : 1;
	switch (c->spatial) {
	case CS_SP_WINDOW:
	case CS_SP_TRANSPOSE:
		for (int i = 0; i < n; i++) {
			double span = (double)c->win_d[i] * (double)(c->win_k[i] - 1);
			if (c->spatial == CS_SP_TRANSPOSE)
				f->j[i] /= (double)c->win_s[i];
			f->r[i] += span * f->j[i];
			f->p[i] += (double)c->win_pad[i] * f->j[i];
			if (c->spatial == CS_SP_WINDOW)
				f->j[i] *= (double)c->win_s[i];
		}
		break;
	case CS_SP_UPSAMPLE:
		for (int i = 0; i < n; i++)
			f->j[i] /= (double)c->win_s[i];
		break;
	case CS_SP_SHIFT:
		for (int i = 0; i < n; i++)
			f->p[i] += (double)c->win_pad[i] * f->j[i];
		break;
	case CS_SP_GLOBAL:
		/* the whole grid: the row shows it, and passes nothing on */
		for (int i = 0; i < n && first + i < in_rank; i++)
			if (in[first + i] > 0)
				f->r[i] += (double)(in[first + i] - 1) * f->j[i];
		return;
	case CS_SP_NEW:
		field_start(f, grid_axes(out_rank));
		break;
	case CS_SP_RESET:
		f->naxes = 0;
		break;
	default:
		break;
	}
	if (out_rank < 3)
		f->naxes = 0;
}

/* ---- one layer ------------------------------------------------------------------ */

/* The first two inputs' shapes live on the stack; more are allocated. */
#define STACK_INPUTS 2

struct inputs {
	struct cs_shape own[STACK_INPUTS];
	struct cs_shape *heap;
	const struct cs_shape *ptr[STACK_INPUTS];
	const struct cs_shape **heap_ptr;
};

static int gather_inputs(const struct cs_model *m, size_t i, size_t n, struct inputs *in,
			 const struct cs_shape *const **out)
{
	struct cs_shape *shapes = in->own;
	const struct cs_shape **ptr = in->ptr;
	if (n > STACK_INPUTS) {
		in->heap = malloc(n * sizeof(*in->heap));
		in->heap_ptr = malloc(n * sizeof(*in->heap_ptr));
		if (!in->heap || !in->heap_ptr)
			return -1;
		shapes = in->heap;
		ptr = in->heap_ptr;
	}
	for (size_t k = 0; k < n; k++) {
		const int64_t *dims;
		int rank;
		cs_ref_shape(m, cs_layer_input(m, i, k), &dims, &rank);
		shapes[k].rank = rank;
		memcpy(shapes[k].d, dims, (size_t)rank * sizeof(int64_t));
		ptr[k] = &shapes[k];
	}
	*out = ptr;
	return 0;
}

static void inputs_free(struct inputs *in)
{
	free(in->heap);
	free(in->heap_ptr);
}

static int keep_explain(struct cs_model *m, size_t i, const struct cs_buf *explain, struct cs_mark at,
			struct cs_error *err)
{
	m->explains[i] = explain->len ? cs_arena_strndup(&m->arena, explain->s, explain->len) : NULL;
	if (explain->failed || (explain->len && !m->explains[i]))
		return cs_fail_oom(err, at);
	return 0;
}

/* A sub-model's MACs and other ops per sample: its layers' (-1 unknown). */
static void model_costs(const struct cs_model *sub, int64_t *macs, int64_t *other)
{
	*macs = *other = 0;
	for (size_t i = 0; i < sub->nlayers; i++) {
		const struct cs_layer *ly = cs_model_at(sub, i);
		const struct cs_op *op = ly->flags & CS_LF_FIELD_ONLY ? NULL : cs_model_op(sub, ly);
		if (!op)
			continue;
		if (*macs >= 0 && (op->macs < 0 || !cs_add(*macs, op->macs, macs)))
			*macs = -1;
		if (*other >= 0 && (op->other_ops < 0 || !cs_add(*other, op->other_ops, other)))
			*other = -1;
	}
}

/* A call of a sub-model: computed (once) on the inputs of its first call
 * when it has none of its own, then one layer with all its weights. */
static int compute_model_call(struct cs_model *m, size_t i, struct cs_error *err)
{
	struct cs_layer *ly = cs_model_at(m, i);
	struct cs_model *sub = m->subs[ly->args];
	size_t nin = cs_layer_ninputs(m, i);
	char shape[512];
	if (!sub->computed) {
		if (sub->data_format == CS_DF_DEFAULT)
			sub->data_format = m->data_format;
		if (!sub->dtype_policy)
			sub->dtype_policy = m->dtype_policy;
		if (!sub->ninputs) {
			/* Keras builds it on the tensor it is first called on */
			const int64_t *dims;
			int rank;
			if (nin != 1)
				return cs_fail(err, ly->mark, "Sequential sub-model '%s' takes one input, "
					       "not %zu", sub->name, nin);
			cs_ref_shape(m, cs_layer_input(m, i, 0), &dims, &rank);
			int64_t *v = cs_arena_alloc(&sub->arena, (size_t)rank * sizeof(int64_t));
			if (!v)
				return cs_fail_oom(err, ly->mark);
			memcpy(v, dims + 1, (size_t)(rank - 1) * sizeof(int64_t));
			sub->input_shape.v = v;
			sub->input_shape.n = (size_t)rank - 1;
			sub->batch_size = dims[0];
			sub->has_input = true;
			sub->input_mark = ly->mark;
		}
		if (cs_model_compute(sub, err) < 0)
			return -1;
	}
	if (nin != sub->ninputs)
		return cs_fail(err, ly->mark, "sub-model '%s' takes %zu input%s; this call gives %zu",
			       sub->name, sub->ninputs, sub->ninputs == 1 ? "" : "s", nin);
	for (size_t k = 0; k < nin; k++) {
		const int64_t *dims;
		int rank;
		cs_ref_shape(m, cs_layer_input(m, i, k), &dims, &rank);
		const struct cs_input *want = &sub->inputs[k];
		bool ok = rank == want->rank;
		for (int d = 1; ok && d < rank; d++)
			ok = dims[d] == want->dims[d] || dims[d] == CS_NONE || want->dims[d] == CS_NONE;
		if (!ok) {
			char want_text[512];
			return cs_fail(err, ly->mark, "sub-model '%s': input %zu has shape %s; expected %s",
				       sub->name, k + 1, cs_shape_text((size_t)rank, dims, true, shape, sizeof(shape)),
				       cs_shape_text(want->rank, want->dims, true, want_text, sizeof(want_text)));
		}
	}
	const int64_t *odims;
	int orank;
	cs_ref_shape(sub, sub->outputs[0], &odims, &orank);
	ly->dims = odims;
	ly->rank = (uint8_t)orank;
	ly->flags &= CS_LF_KIND;
	if (ly->flags & CS_LF_CALL)
		return 0;	/* its weights are its first call's */
	struct cs_totals t = sub->totals;
	if (sub->frozen || m->frozen) {
		t.non_trainable_params += t.trainable_params;
		t.non_trainable_bytes += t.trainable_bytes;
		t.trainable_params = t.trainable_bytes = 0;
	}
	ly->trainable_params = t.trainable_params;
	ly->non_trainable_params = t.non_trainable_params;
	struct cs_op *op = cs_model_add_op(m, ly);
	struct cs_op *bytes = op ? cs_chunks_add(&m->ops, sizeof(struct cs_op)) : NULL;
	if (!bytes)
		return cs_fail_oom(err, ly->mark);
	model_costs(sub, &op->macs, &op->other_ops);
	op->field.naxes = 0;
	bytes->macs = t.trainable_bytes;
	bytes->other_ops = t.non_trainable_bytes;
	ly->flags |= CS_LF_BYTES;
	ly->weight_bytes = 4;
	ly->act_bytes = 4;
	if (m->explains) {
		char text[256], n[32];
		size_t layers = cs_model_layer_count(sub) - (sub->graph ? sub->ninputs : 0);
		snprintf(text, sizeof(text), "params = the weights of its %zu layer%s: %s%s\n",
			 layers, layers == 1 ? "" : "s",
			 cs_format_count(t.trainable_params + t.non_trainable_params, true, n, sizeof(n)),
			 t.non_trainable_params && !t.trainable_params ? ", all non-trainable" : "");
		if (!(m->explains[i] = cs_arena_strdup(&m->arena, text)))
			return cs_fail_oom(err, ly->mark);
	}
	return 0;
}

/*
 * A rule is a function of its class, arguments, data format, weight
 * element size and input shape alone (a layer's name and place only word
 * its errors), and a network repeats its blocks: per class, the last
 * successful rule's results are kept with what made them, and a layer of
 * one input that matches them all takes them without running the rule.
 * Not with --explain, whose text the rule writes.
 */
#define INFER_MEMO_SLOTS 16	/* a power of 2 */

struct infer_memo {
	struct cs_infer c;	/* the key's cls (NULL: empty), a, data_format
				 * and elem_bytes (argument records are
				 * distinct), and the results */
	struct cs_shape in;	/* the key's input shape, its first `rank` dims */
};

static struct infer_memo *memo_slot(struct infer_memo *memo, const struct cs_layer_class *cls)
{
	uint64_t h = (uint64_t)(uintptr_t)cls * 0x9e3779b97f4a7c15u;
	return memo ? &memo[h >> 60 & (INFER_MEMO_SLOTS - 1)] : NULL;
}

/* What a rule gives: its output, weights, costs and window. */
static void results_copy(struct cs_infer *to, const struct cs_infer *from)
{
	to->out.rank = from->out.rank;
	memcpy(to->out.d, from->out.d, (size_t)from->out.rank * sizeof(int64_t));
	to->trainable = from->trainable;
	to->non_trainable = from->non_trainable;
	to->trainable_bytes = from->trainable_bytes;
	to->non_trainable_bytes = from->non_trainable_bytes;
	to->macs = from->macs;
	to->other_ops = from->other_ops;
	to->bias_adds = from->bias_adds;
	to->elem_ops = from->elem_ops;
	to->spatial = from->spatial;
	memcpy(to->win_k, from->win_k, sizeof(to->win_k));
	memcpy(to->win_s, from->win_s, sizeof(to->win_s));
	memcpy(to->win_d, from->win_d, sizeof(to->win_d));
	memcpy(to->win_pad, from->win_pad, sizeof(to->win_pad));
}

static bool memo_take(const struct infer_memo *e, struct cs_infer *c)
{
	if (!e || e->c.cls != c->cls || e->c.a != c->a || e->c.data_format != c->data_format ||
	    e->c.elem_bytes != c->elem_bytes || c->nin != 1 || e->in.rank != c->in->rank ||
	    memcmp(e->in.d, c->in->d, (size_t)e->in.rank * sizeof(int64_t)))
		return false;
	results_copy(c, &e->c);
	return true;
}

static void memo_keep(struct infer_memo *e, const struct cs_infer *c)
{
	if (!e || c->nin != 1)
		return;
	e->c.cls = c->cls;
	e->c.a = c->a;
	e->c.data_format = c->data_format;
	e->c.elem_bytes = c->elem_bytes;
	e->in.rank = c->in->rank;
	memcpy(e->in.d, c->in->d, (size_t)c->in->rank * sizeof(int64_t));
	results_copy(&e->c, c);
}

static int compute_layer(struct cs_model *m, size_t i, struct cs_buf *explain, struct infer_memo *memo,
			 struct cs_error *err)
{
	struct cs_layer *ly = cs_model_at(m, i);
	if (ly->flags & CS_LF_MODEL)
		return compute_model_call(m, i, err);
	const struct cs_layer *owner = cs_model_at(m, cs_entry_owner(m, i));
	const struct cs_layer_class *cls = cs_layer_cls(ly);
	const struct cs_args *a = cs_layer_args(m, ly);
	size_t nin = cs_layer_ninputs(m, i);
	if (!(cls->flags & CS_CLS_MERGE) && nin != 1)
		return cs_fail(err, ly->mark, "%s takes one input, not %zu", cls->name, nin);
	if (nin < 1)
		return cs_fail(err, ly->mark, "%s: no inputs; expected one or more", cls->name);
	if ((cls->flags & CS_CLS_MERGE) && ly->in == CS_IN_PREV) {
		/* a chain hands a merge one tensor, not a list (Keras's Merge.build) */
		const int64_t *dims;
		int rank;
		char shape[512];
		cs_ref_shape(m, cs_layer_input(m, i, 0), &dims, &rank);
		char why[768];
		cs_shape_text((size_t)rank, dims, true, shape, sizeof(shape));
		return cs_fail(err, ly->mark, "%s: %s", cls->name,
			       cs_merge_tensor_refusal(cls, shape, why, sizeof(why)));
	}
	struct inputs in;	/* not zeroed: its shapes are filled as needed */
	in.heap = NULL;
	in.heap_ptr = NULL;
	const struct cs_shape *const *ins;
	if (gather_inputs(m, i, nin, &in, &ins) < 0) {
		inputs_free(&in);
		return cs_fail_oom(err, ly->mark);
	}
	int rc = -1;
	struct cs_infer c;
	c.cls = cls;
	c.a = a;
	c.data_format = a->data_format != CS_DF_DEFAULT ? a->data_format
			: m->data_format != CS_DF_DEFAULT ? m->data_format : CS_DF_LAST;
	c.in = ins[0];
	c.ins = ins;
	c.nin = (int)nin;
	c.out.rank = 0;
	c.elem_bytes = weight_bytes(m, a);
	c.trainable = c.non_trainable = c.trainable_bytes = c.non_trainable_bytes = 0;
	c.layer_name = owner->name;
	c.stem = cls->snake;
	c.auto_index = owner->auto_index;
	c.mark = ly->mark;
	c.err = err;
	c.explain = explain;
	c.window_text[0] = '\0';
	c.macs = c.other_ops = c.bias_adds = 0;
	c.elem_ops = 0;
	c.spatial = CS_SP_KEEP;
	struct infer_memo *slot = explain ? NULL : memo_slot(memo, cls);
	if (!memo_take(slot, &c)) {
		memset(c.win_k, 0, sizeof(c.win_k));
		memset(c.win_s, 0, sizeof(c.win_s));
		memset(c.win_d, 0, sizeof(c.win_d));
		memset(c.win_pad, 0, sizeof(c.win_pad));
		if (explain)
			explain->len = 0;
		if (cls->infer(&c) < 0)
			goto out;
		memo_keep(slot, &c);
	}
	if (owner != ly && c.trainable + c.non_trainable != owner->trainable_params + owner->non_trainable_params) {
		cs_infer_fail(&c, "called again on an input of shape %s, where its weights (%lld) do not "
			      "fit: a shared layer needs inputs its first call's weights fit",
			      cs_shape_text((size_t)c.in->rank, c.in->d, true, c.window_text, sizeof(c.window_text)),
			      (long long)(owner->trainable_params + owner->non_trainable_params));
		goto out;
	}
	if (m->audit && owner == ly && cs_audit_layer(m, i, a, c.in, c.data_format) < 0) {
		cs_fail_oom(err, ly->mark);
		goto out;
	}
	if (!a->trainable || m->frozen) {
		/* a frozen layer's weights are all non-trainable */
		if (!cs_add(c.non_trainable, c.trainable, &c.non_trainable) ||
		    !cs_add(c.non_trainable_bytes, c.trainable_bytes, &c.non_trainable_bytes)) {
			cs_infer_fail(&c, "its weight count overflows 64 bits");
			goto out;
		}
		c.trainable = c.trainable_bytes = 0;
		cs_explain(&c, "trainable: false, so all %lld weights are non-trainable",
			   (long long)c.non_trainable);
	}
	if (explain && keep_explain(m, i, explain, ly->mark, err) < 0)
		goto out;
	ly->trainable_params = c.trainable;
	ly->non_trainable_params = c.non_trainable;
	ly->weight_bytes = (uint8_t)c.elem_bytes;
	ly->act_bytes = (uint8_t)act_bytes(m, a);
	ly->elem_ops = (uint8_t)(c.elem_ops < 255 ? c.elem_ops : 255);
	ly->spatial = (uint8_t)c.spatial;
	ly->flags = (uint8_t)((ly->flags & CS_LF_KIND) | (c.bias_adds ? CS_LF_BIAS : 0) |
			      (c.data_format == CS_DF_FIRST ? CS_LF_CHANNELS_FIRST : 0));
	ly->rank = (uint8_t)c.out.rank;

	/* the receptive field, from its inputs' */
	cs_ref first = cs_layer_input(m, i, 0);
	struct cs_field field;
	merged_field(m, i, nin, &field);
	next_field(&c, c.in->d, c.in->rank, c.out.rank, &field);

	int64_t tb, ntb;
	bool mixed = __builtin_mul_overflow(c.trainable, (int64_t)c.elem_bytes, &tb) ||
		     __builtin_mul_overflow(c.non_trainable, (int64_t)c.elem_bytes, &ntb) ||
		     tb != c.trainable_bytes || ntb != c.non_trainable_bytes;
	bool own = mixed || c.macs || c.other_ops ||
		   (c.spatial != CS_SP_KEEP && c.spatial != CS_SP_RESET && c.spatial != CS_SP_NEW);
	if (!own && field.naxes) {
		/* the field of an input, unchanged (a merge's largest is often
		 * one input's): point at that input's op */
		own = true;
		for (size_t k = 0; k < nin && own; k++) {
			cs_ref r = k ? cs_layer_input(m, i, k) : first;
			const struct cs_layer *src = r & CS_REF_INPUT ? NULL : cs_model_at(m, CS_REF_INDEX(r));
			const struct cs_op *src_op = src && src->spatial != CS_SP_GLOBAL &&
						     !(src->flags & CS_LF_MODEL) ? cs_model_op(m, src) : NULL;
			if (src_op && field_equal(&src_op->field, &field)) {
				ly->op = src->op;
				ly->flags |= CS_LF_FIELD_ONLY;
				own = false;
			}
		}
	}
	if (own) {
		struct cs_op *op = cs_model_add_op(m, ly);
		if (!op) {
			cs_fail_oom(err, ly->mark);
			goto out;
		}
		op->macs = c.macs;
		op->other_ops = c.other_ops;
		op->field = field;
		if (mixed) {
			struct cs_op *bytes = cs_chunks_add(&m->ops, sizeof(struct cs_op));
			if (!bytes) {
				cs_fail_oom(err, ly->mark);
				goto out;
			}
			bytes->macs = c.trainable_bytes;
			bytes->other_ops = c.non_trainable_bytes;
			ly->flags |= CS_LF_BYTES;
		}
	}
	if (c.spatial == CS_SP_WINDOW || c.spatial == CS_SP_TRANSPOSE) {
		/* the same arguments make the same window */
		struct cs_arg_record *rec = m->arg_records[ly->args];
		for (int k = 0; k < 3; k++) {
			rec->k[k] = (int32_t)c.win_k[k];
			rec->s[k] = (int32_t)c.win_s[k];
			rec->d[k] = (int32_t)c.win_d[k];
		}
	}
	if (!m->functional && add_totals(m, &c) < 0)
		goto out;	/* a graph's totals are its rows' (graph_rows.c) */
	/* most layers keep the shape of their input: share its dims */
	const int64_t *in_dims;
	int in_rank;
	cs_ref_shape(m, first, &in_dims, &in_rank);
	size_t bytes = (size_t)c.out.rank * sizeof(int64_t);
	if (in_rank == c.out.rank && !memcmp(in_dims, c.out.d, bytes)) {
		ly->dims = in_dims;
	} else {
		int64_t *d = cs_arena_alloc(&m->arena, bytes + 1);
		if (!d) {
			cs_fail_oom(err, ly->mark);
			goto out;
		}
		memcpy(d, c.out.d, bytes);
		ly->dims = d;
	}
	rc = 0;
out:
	inputs_free(&in);
	return rc;
}

/* The model's input, with its batch in front. */
static int start_inputs(struct cs_model *m, struct cs_error *err)
{
	if (m->functional)
		return 0;	/* its inputs and outputs are the graph's */
	if (m->override_input)
		m->input_shape = m->override;
	if (m->input_shape.n + 1 > CS_MAX_RANK)
		return cs_fail(err, m->input_mark, "the input has more than %d dimensions", CS_MAX_RANK - 1);
	int64_t *dims = cs_arena_alloc(&m->arena, (m->input_shape.n + 1) * sizeof(int64_t));
	struct cs_input *in = cs_arena_alloc(&m->arena, sizeof(*in));
	cs_ref *out = cs_arena_alloc(&m->arena, sizeof(*out));
	if (!dims || !in || !out)
		return cs_fail_oom(err, m->input_mark);
	dims[0] = m->batch_size;
	memcpy(dims + 1, m->input_shape.v, m->input_shape.n * sizeof(int64_t));
	m->input_shape.v = dims + 1;
	in->mark = m->input_mark;
	in->dims = dims;
	in->rank = (uint8_t)(m->input_shape.n + 1);
	in->dtype = m->input_dtype;
	m->inputs = in;
	m->ninputs = 1;
	/* a chain's output is its last layer's */
	*out = m->nlayers ? (cs_ref)(m->nlayers - 1) : CS_REF_INPUT;
	m->outputs = out;
	m->noutputs = 1;
	return 0;
}

int cs_model_compute(struct cs_model *m, struct cs_error *err)
{
	if (start_inputs(m, err) < 0)
		return -1;
	struct cs_mark none = { 0, 0 };
	size_t n = m->nlayers;
	if (!n) {
		m->computed = true;
		return m->functional ? cs_graph_rows(m, err) : 0;
	}
	if (m->explain && !(m->explains = calloc(n, sizeof(*m->explains))))
		return cs_fail_oom(err, m->layers_mark);
	/* the file's order, the usual case, needs no array */
	uint32_t *order = NULL;
	int rc = cs_graph_order(m, NULL, err);
	if (rc == 0) {
		if (!(order = malloc(n * sizeof(*order))))
			return cs_fail_oom(err, none);
		rc = cs_graph_order(m, order, err);
	} else if (rc == 1) {
		rc = 0;
	}
	struct cs_buf explain = { 0 };
	/* without memory for it, every rule runs */
	struct infer_memo *memo = n > 1 && !m->explain ? calloc(INFER_MEMO_SLOTS, sizeof(*memo)) : NULL;
	for (size_t k = 0; rc == 0 && k < n; k++)
		rc = compute_layer(m, order ? order[k] : (uint32_t)k, m->explain ? &explain : NULL, memo, err);
	free(memo);
	cs_buf_free(&explain);
	free(order);
	/* Keras builds a sub-model with inputs of its own where it is
	 * defined, so its mistakes count even if nothing calls it */
	for (size_t k = 0; rc == 0 && k < m->nsubs; k++)
		if (!m->subs[k]->computed && m->subs[k]->ninputs)
			rc = cs_model_compute(m->subs[k], err);
	if (rc == 0 && m->functional)
		rc = cs_graph_rows(m, err);
	if (rc == 0)
		m->computed = true;
	return rc;
}
