/*
 * Figures beyond Keras's summary, from each layer's record alone: costs
 * from its op and output size, and the receptive field that
 * propagate.c stored when it computed the layer, by the usual recurrence (Araujo et al., 2019,
 * "Computing receptive fields of convolutional neural networks"), per
 * spatial axis, with r the receptive field, j the effective stride (the
 * "jump") and p the effective padding, starting from r = 1, j = 1, p = 0:
 *
 *   window k, dilation d, stride s, padding before q:
 *       r += (d(k-1)) * j;   p += q * j;   j *= s
 *   transposed (upsample by s, then a stride-1 window):
 *       j /= s;   r += (d(k-1)) * j;   p += q * j
 *   upsampling by s:  j /= s          padding / cropping by q:  p += q * j
 *   global pooling over n:  r += (n - 1) * j, and the axes end
 */
#include <string.h>

#include "model.h"

int64_t cs_flops(int64_t macs)
{
	int64_t r;
	return macs < 0 || __builtin_mul_overflow(macs, 2, &r) ? -1 : r;
}

static int64_t elements(const struct cs_layer *ly)
{
	int64_t n = 1;
	for (int i = 1; i < ly->rank; i++) {
		if (ly->dims[i] < 0 || __builtin_mul_overflow(n, ly->dims[i], &n))
			return -1;
	}
	return n;
}

static int64_t add_known(int64_t a, int64_t b)
{
	int64_t r;
	return a < 0 || b < 0 || __builtin_add_overflow(a, b, &r) ? -1 : r;
}

static int64_t mul_known(int64_t a, int64_t b)
{
	int64_t r;
	return a < 0 || b < 0 || __builtin_mul_overflow(a, b, &r) ? -1 : r;
}

void cs_layer_figures(const struct cs_model *m, size_t i, struct cs_figures *f)
{
	const struct cs_layer *ly = cs_model_at(m, i);
	const struct cs_op *op = cs_model_op(m, ly);
	const struct cs_op *own = ly->flags & CS_LF_FIELD_ONLY ? NULL : op;

	int64_t out = elements(ly);
	f->macs = own ? own->macs : 0;
	f->flops = cs_flops(f->macs);
	f->mult_adds = add_known(f->macs, ly->flags & CS_LF_BIAS ? out : 0);
	f->other_ops = add_known(own ? own->other_ops : 0, mul_known(ly->elem_ops, out));
	f->activation_bytes = mul_known(out, ly->act_bytes);
	f->kernel_rank = 0;
	if (ly->spatial == CS_SP_WINDOW || ly->spatial == CS_SP_TRANSPOSE) {
		const struct cs_arg_record *rec = m->arg_records[ly->args];
		f->kernel_rank = cs_layer_cls(ly)->rank;
		for (int k = 0; k < f->kernel_rank && k < 3; k++) {
			f->kernel[k] = rec->k[k];
			f->stride[k] = rec->s[k];
			f->dilation[k] = rec->d[k];
		}
	}
	f->naxes = op ? op->field.naxes : 0;
	if (f->naxes) {
		memcpy(f->receptive_field, op->field.r, sizeof(op->field.r));
		memcpy(f->effective_stride, op->field.j, sizeof(op->field.j));
		memcpy(f->effective_padding, op->field.p, sizeof(op->field.p));
	}
}

int cs_model_layer_figures(const cs_model *m, size_t i, struct cs_figures *f)
{
	if (i >= cs_model_layer_count(m))
		return -1;
	size_t e = cs_model_row_entry(m, i);
	if (e == SIZE_MAX) {
		memset(f, 0, sizeof(*f));	/* an input: no work */
		return 0;
	}
	cs_layer_figures(m, e, f);
	const struct cs_graph *g = m->graph;
	if (!g)
		return 0;
	/* a shared layer works once a call: its costs add up over its calls
	 * in the model; its field is its last call's */
	uint32_t from = g->first_call[i], to = g->first_call[i + 1];
	if (to - from < 2 && (to == from || g->calls[from] == e))
		return 0;
	cs_layer_figures(m, g->calls[from], f);
	struct cs_figures sum = *f, one;
	for (uint32_t c = from + 1; c < to; c++) {
		cs_layer_figures(m, g->calls[c], &one);
		sum.macs = add_known(sum.macs, one.macs);
		sum.mult_adds = add_known(sum.mult_adds, one.mult_adds);
		sum.other_ops = add_known(sum.other_ops, one.other_ops);
		sum.activation_bytes = add_known(sum.activation_bytes, one.activation_bytes);
		sum.naxes = one.naxes;
		memcpy(sum.receptive_field, one.receptive_field, sizeof(one.receptive_field));
		memcpy(sum.effective_stride, one.effective_stride, sizeof(one.effective_stride));
		memcpy(sum.effective_padding, one.effective_padding, sizeof(one.effective_padding));
	}
	sum.flops = cs_flops(sum.macs);
	*f = sum;
	return 0;
}
