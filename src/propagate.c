/* Shapes and counts, layer to layer: a Sequential model is a chain, each
 * layer's rule applied to the output of the one before, as the layers
 * are read. */
#include <string.h>

#include "args.h"
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

int cs_propagate_start(struct cs_model *m, struct cs_shape *in, struct cs_error *err)
{
	if (m->override_input)
		m->input_shape = m->override;
	if (m->input_shape.n + 1 > CS_MAX_RANK)
		return cs_fail(err, m->input_mark, "the input has more than %d dimensions", CS_MAX_RANK - 1);
	/* keep the input with its batch in front, for cs_model_input_dims() */
	int64_t *dims = cs_arena_alloc(&m->arena, (m->input_shape.n + 1) * sizeof(int64_t));
	if (!dims)
		return cs_fail_oom(err, m->input_mark);
	dims[0] = m->batch_size;
	memcpy(dims + 1, m->input_shape.v, m->input_shape.n * sizeof(int64_t));
	m->input_shape.v = dims + 1;
	in->rank = (int)m->input_shape.n + 1;
	memcpy(in->d, dims, (size_t)in->rank * sizeof(int64_t));
	return 0;
}

int cs_propagate_layer(struct cs_model *m, struct cs_layer *ly, const struct cs_args *a,
		       struct cs_shape *in, struct cs_buf *explain, struct cs_error *err)
{
	struct cs_infer c;
	c.cls = ly->cls;
	c.a = a;
	c.data_format = a->data_format != CS_DF_DEFAULT ? a->data_format
			: m->data_format != CS_DF_DEFAULT ? m->data_format : CS_DF_LAST;
	c.in = in;
	c.out.rank = 0;
	c.elem_bytes = weight_bytes(m, a);
	c.trainable = c.non_trainable = c.trainable_bytes = c.non_trainable_bytes = 0;
	c.layer_name = ly->name;
	c.stem = ly->cls->snake;
	c.auto_index = ly->auto_index;
	c.mark = ly->mark;
	c.err = err;
	c.explain = explain;
	c.window_text[0] = '\0';
	c.macs = c.other_ops = c.bias_adds = 0;
	c.elem_ops = 0;
	c.spatial = CS_SP_KEEP;
	if (explain)
		explain->len = 0;
	if (ly->cls->infer(&c) < 0)
		return -1;
	if (m->audit && cs_audit_layer(m, ly, a, in, c.data_format) < 0)
		return cs_fail_oom(err, ly->mark);
	if (!a->trainable) {
		/* a frozen layer's weights are all non-trainable */
		if (!cs_add(c.non_trainable, c.trainable, &c.non_trainable) ||
		    !cs_add(c.non_trainable_bytes, c.trainable_bytes, &c.non_trainable_bytes))
			return cs_infer_fail(&c, "its weight count overflows 64 bits");
		c.trainable = c.trainable_bytes = 0;
		cs_explain(&c, "trainable: false, so all %lld weights are non-trainable",
			   (long long)c.non_trainable);
	}
	if (explain) {
		size_t i = m->nlayers - 1;
		if ((i & (i + 1)) == 0 || i == 0) {
			/* the table of explanations grows by doubling */
			const char **ne = realloc(m->explains, 2 * (i + 1) * sizeof(*ne));
			if (!ne)
				return cs_fail_oom(err, ly->mark);
			m->explains = ne;
		}
		m->explains[i] = explain->len ? cs_arena_strndup(&m->arena, explain->s, explain->len) : NULL;
		if (explain->failed || (explain->len && !m->explains[i]))
			return cs_fail_oom(err, ly->mark);
	}
	ly->trainable_params = c.trainable;
	ly->non_trainable_params = c.non_trainable;
	ly->weight_bytes = (uint8_t)c.elem_bytes;
	ly->act_bytes = (uint8_t)act_bytes(m, a);
	ly->elem_ops = (uint8_t)(c.elem_ops < 255 ? c.elem_ops : 255);
	ly->spatial = (uint8_t)c.spatial;
	ly->flags = (c.bias_adds ? CS_LF_BIAS : 0) | (c.data_format == CS_DF_FIRST ? CS_LF_CHANNELS_FIRST : 0);
	bool mixed = c.trainable_bytes != c.trainable * c.elem_bytes ||
		     c.non_trainable_bytes != c.non_trainable * c.elem_bytes;
	if (mixed || c.macs || c.other_ops || (c.spatial != CS_SP_KEEP && c.spatial != CS_SP_RESET &&
						   c.spatial != CS_SP_NEW)) {
		struct cs_op *op = cs_model_add_op(m, ly);
		if (!op)
			return cs_fail_oom(err, ly->mark);
		op->macs = c.macs;
		op->other_ops = c.other_ops;
		op->trainable_bytes = c.trainable_bytes;
		op->non_trainable_bytes = c.non_trainable_bytes;
		for (int i = 0; i < 3; i++) {
			op->k[i] = (int32_t)c.win_k[i];
			op->s[i] = (int32_t)c.win_s[i];
			op->d[i] = (int32_t)c.win_d[i];
			op->pad[i] = (int32_t)c.win_pad[i];
		}
		if (mixed)
			ly->flags |= CS_LF_BYTES;
	}
	if (add_totals(m, &c) < 0)
		return -1;
	/* most layers keep the shape of the one before: share its dims */
	const struct cs_layer *prev = m->nlayers > 1 ? cs_model_at(m, m->nlayers - 2) : NULL;
	size_t bytes = (size_t)c.out.rank * sizeof(int64_t);
	if (prev && prev->rank == c.out.rank && !memcmp(prev->dims, c.out.d, bytes)) {
		ly->dims = prev->dims;
	} else {
		int64_t *d = cs_arena_alloc(&m->arena, bytes + 1);
		if (!d)
			return cs_fail_oom(err, ly->mark);
		memcpy(d, c.out.d, bytes);
		ly->dims = d;
	}
	ly->rank = (uint8_t)c.out.rank;
	in->rank = c.out.rank;
	memcpy(in->d, c.out.d, bytes);
	return 0;
}
