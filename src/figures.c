/*
 * Figures beyond Keras's summary, computed from the layer records as the
 * layers are walked in order: costs from each layer's op and output size,
 * and the receptive field by the usual recurrence (Araujo et al., 2019,
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

void cs_figures_begin(const cs_model *m, struct cs_figures_walk *w)
{
	memset(w, 0, sizeof(*w));
	int rank = (int)m->input_shape.n + 1;
	w->naxes = rank >= 3 ? (rank - 2 < 3 ? rank - 2 : 3) : 0;
	for (int i = 0; i < 3; i++) {
		w->r[i] = 1;
		w->j[i] = 1;
		w->p[i] = 0;
	}
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

int cs_figures_next(const cs_model *m, struct cs_figures_walk *w, struct cs_figures *f)
{
	if (w->next >= m->nlayers)
		return -1;
	const struct cs_layer *ly = cs_model_at(m, w->next);
	const int64_t *in = w->next ? cs_model_at(m, w->next - 1)->dims : cs_model_input_dims(m);
	int in_rank = w->next ? cs_model_at(m, w->next - 1)->rank : (int)m->input_shape.n + 1;
	const struct cs_op *op = cs_model_op(m, ly);
	w->next++;

	f->kernel_rank = 0;
	int64_t out = elements(ly);
	f->macs = op ? op->macs : 0;
	f->flops = cs_flops(f->macs);
	f->mult_adds = add_known(f->macs, ly->flags & CS_LF_BIAS ? out : 0);
	f->other_ops = add_known(op ? op->other_ops : 0, mul_known(ly->elem_ops, out));
	f->activation_bytes = mul_known(out, ly->act_bytes);

	int n = w->naxes;
	int first = in_rank >= 3 && (ly->flags & CS_LF_CHANNELS_FIRST) ? 2 : 1;
	switch (ly->spatial) {
	case CS_SP_WINDOW:
	case CS_SP_TRANSPOSE:
		f->kernel_rank = ly->cls->rank;
		for (int i = 0; i < ly->cls->rank && i < 3; i++) {
			f->kernel[i] = op->k[i];
			f->stride[i] = op->s[i];
			f->dilation[i] = op->d[i];
		}
		for (int i = 0; i < n; i++) {
			double span = (double)op->d[i] * (op->k[i] - 1);
			if (ly->spatial == CS_SP_TRANSPOSE)
				w->j[i] /= op->s[i];
			w->r[i] += span * w->j[i];
			w->p[i] += op->pad[i] * w->j[i];
			if (ly->spatial == CS_SP_WINDOW)
				w->j[i] *= op->s[i];
		}
		break;
	case CS_SP_UPSAMPLE:
		for (int i = 0; i < n; i++)
			w->j[i] /= op->s[i];
		break;
	case CS_SP_SHIFT:
		for (int i = 0; i < n; i++)
			w->p[i] += op->pad[i] * w->j[i];
		break;
	case CS_SP_GLOBAL:
		for (int i = 0; i < n && first + i < in_rank; i++)
			if (in[first + i] > 0)
				w->r[i] += (double)(in[first + i] - 1) * w->j[i];
		f->naxes = n;
		memcpy(f->receptive_field, w->r, sizeof(w->r));
		memcpy(f->effective_stride, w->j, sizeof(w->j));
		memcpy(f->effective_padding, w->p, sizeof(w->p));
		w->naxes = 0;	/* nothing spatial is left */
		return 0;
	case CS_SP_NEW:
		w->naxes = ly->rank >= 3 ? (ly->rank - 2 < 3 ? ly->rank - 2 : 3) : 0;
		for (int i = 0; i < 3; i++) {
			w->r[i] = 1;
			w->j[i] = 1;
			w->p[i] = 0;
		}
		break;
	case CS_SP_RESET:
		w->naxes = 0;
		break;
	default:
		break;
	}
	if (ly->rank < 3)
		w->naxes = 0;
	f->naxes = w->naxes;
	if (f->naxes) {
		memcpy(f->receptive_field, w->r, sizeof(w->r));
		memcpy(f->effective_stride, w->j, sizeof(w->j));
		memcpy(f->effective_padding, w->p, sizeof(w->p));
	}
	return 0;
}
