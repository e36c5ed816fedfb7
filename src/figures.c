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
#include <pthread.h>
#include <string.h>

#include "args.h"
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

/*
 * torchinfo (README, "--convention torchinfo"; its LayerInfo.calculate_macs
 * and ModelStatistics): the weights it sees are a PyTorch module's
 * parameters, which are Keras's weights but for BatchNormalization's
 * moving statistics (PyTorch keeps running_mean and running_var as
 * buffers).  Each parameter tensor counts its elements times the batch and
 * the output positions for a class named *Conv* (a transposed one too: its
 * output's positions, not its input's), times every output axis but the
 * last for Dense (torchinfo's Linear), and times the batch alone for any
 * other class (BatchNormalization, PReLU, Embedding, ...).
 */
enum torch_kind { TORCH_OTHER, TORCH_CONV, TORCH_DENSE, TORCH_BATCH_NORM };

/* Each class's kind, by its name, made once (a row asks for it). */
static uint8_t torch_kinds[CS_MAX_CLASSES];
static pthread_once_t torch_once = PTHREAD_ONCE_INIT;

static void torch_kinds_build(void)
{
	for (size_t i = 0; i < cs_layer_class_count(); i++) {
		const char *name = cs_layer_class_at(i)->name;
		torch_kinds[i] = !strcmp(name, "BatchNormalization") ? TORCH_BATCH_NORM
				 : strstr(name, "Conv")		      ? TORCH_CONV
				 : !strcmp(name, "Dense")	      ? TORCH_DENSE
								      : TORCH_OTHER;
	}
}

static enum torch_kind torch_kind(const struct cs_layer *ly)
{
	pthread_once(&torch_once, torch_kinds_build);
	return (enum torch_kind)torch_kinds[ly->cls];
}

static int64_t torch_params(const struct cs_model *m, const struct cs_layer *ly)
{
	int64_t n = ly->trainable_params + ly->non_trainable_params;
	if (n && torch_kind(ly) == TORCH_BATCH_NORM) {
		const struct cs_args *a = cs_layer_args(m, ly);
		int64_t k = (a->renorm ? 5 : 2) + a->scale + a->center;	/* vectors of C */
		n = n / k * (a->scale + a->center);
	}
	return n;
}

/* The positions one sample's output gives each parameter: the product of
 * dims[from..to), -1 when one is unknown. */
static int64_t positions(const struct cs_layer *ly, int from, int to)
{
	int64_t n = 1;
	for (int k = from; k < to; k++)
		n = mul_known(n, ly->dims[k]);
	return n;
}

static int64_t torch_mult_adds(const struct cs_layer *ly, int64_t params)
{
	if (!params)
		return 0;
	enum torch_kind kind = torch_kind(ly);
	if (kind == TORCH_CONV) {
		bool first = ly->flags & CS_LF_CHANNELS_FIRST;
		return mul_known(params, positions(ly, first ? 2 : 1, first ? ly->rank : ly->rank - 1));
	}
	if (kind == TORCH_DENSE)
		return mul_known(params, positions(ly, 1, ly->rank - 1));
	return params;
}

/* One entry (a call) for one sample: its mult-adds, its output bytes when
 * it has parameters, and their bytes.  A sub-model's call is its layers'. */
struct torch_entry {
	int64_t mult_adds, output_bytes, param_bytes;
};

static void torch_entry(const struct cs_model *m, const struct cs_layer *ly, struct torch_entry *t)
{
	if (ly->flags & CS_LF_MODEL) {
		struct cs_torchinfo sub;
		cs_model_torchinfo(m->subs[ly->args], 1, &sub);
		t->mult_adds = sub.mult_adds;
		t->output_bytes = sub.forward_backward_bytes < 0 ? -1 : sub.forward_backward_bytes / 2;
		t->param_bytes = sub.params_bytes;
		return;
	}
	int64_t n = torch_params(m, ly);
	t->mult_adds = torch_mult_adds(ly, n);
	t->output_bytes = n ? mul_known(elements(ly), ly->act_bytes) : 0;
	if (ly->flags & CS_LF_BYTES) {
		const struct cs_op *bytes = cs_model_op_bytes(m, ly);
		t->param_bytes = add_known(bytes->macs, bytes->other_ops);
	} else {
		t->param_bytes = mul_known(n, ly->weight_bytes);
	}
}

void cs_model_torchinfo(const cs_model *m, int64_t batch, struct cs_torchinfo *t)
{
	int64_t mult_adds = 0, outputs = 0, params = 0, inputs = 0;
	const struct cs_graph *g = m->graph;
	struct torch_entry e;
	for (size_t i = 0; i < cs_model_layer_count(m); i++) {
		size_t first = cs_model_row_entry(m, i);
		if (first == SIZE_MAX)
			continue;	/* an input */
		/* the weights once; the work and the outputs of every call in
		 * the model (torchinfo's rows of a module called again) */
		torch_entry(m, cs_model_at(m, first), &e);
		params = add_known(params, e.param_bytes);
		uint32_t from = g ? g->first_call[i] : 0, to = g ? g->first_call[i + 1] : 1;
		for (uint32_t c = from; c < to; c++) {
			if (g)
				torch_entry(m, cs_model_at(m, g->calls[c]), &e);
			mult_adds = add_known(mult_adds, e.mult_adds);
			outputs = add_known(outputs, e.output_bytes);
		}
	}
	for (size_t k = 0; k < cs_model_input_count(m); k++) {
		struct cs_input_info in;
		cs_model_input(m, k, &in);
		int64_t n = 1;
		for (size_t d = 1; d < in.rank; d++)
			n = mul_known(n, in.dims[d]);
		int bytes = in.dtype ? cs_dtype_bytes(in.dtype) : 4;
		inputs = add_known(inputs, mul_known(n, bytes ? bytes : 4));
	}
	t->mult_adds = mul_known(mult_adds, batch);
	t->input_bytes = mul_known(inputs, batch);
	t->forward_backward_bytes = mul_known(mul_known(outputs, 2), batch);
	t->params_bytes = params;
	t->total_bytes = add_known(add_known(t->input_bytes, t->forward_backward_bytes), params);
}

void cs_layer_figures(const struct cs_model *m, size_t i, struct cs_figures *f)
{
	const struct cs_layer *ly = cs_model_at(m, i);
	const struct cs_op *op = cs_model_op(m, ly);
	const struct cs_op *own = ly->flags & CS_LF_FIELD_ONLY ? NULL : op;

	int64_t out = elements(ly);
	f->macs = own ? own->macs : 0;
	f->flops = cs_flops(f->macs);
	struct torch_entry te;
	torch_entry(m, ly, &te);
	f->mult_adds = te.mult_adds;
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
