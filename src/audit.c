/*
 * --audit: what Keras accepts but is probably not what was meant.
 *
 *   - a window that leaves input rows or columns unread: under 'valid' (or
 *     explicit) padding, (n + padding - K) not a multiple of the stride;
 *   - 'same' padding that is not symmetric (Keras puts the odd cell after);
 *   - Dense on an input of rank 4 or more (not flattened): it acts on the
 *     last axis only;
 *   - the last convolution's receptive field smaller than the input;
 *   - BatchNormalization right after a convolution or Dense whose bias it
 *     cancels (use_bias: false saves the parameters);
 *   - a chain long enough that Keras itself cannot build it (about 980).
 */
#include <string.h>

#include "model.h"

static const char *axis_name(int rank, int i)
{
	return cs_axis_name(rank, i);
}

static int audit_window(struct cs_model *m, const struct cs_layer *ly, const struct cs_args *a,
			const struct cs_shape *in, int data_format, bool pool)
{
	int r = cs_layer_cls(ly)->rank, first = data_format == CS_DF_FIRST ? 2 : 1;
	if (in->rank != r + 2)
		return 0;
	for (int i = 0; i < r; i++) {
		int64_t n = in->d[first + i];
		int64_t k = pool ? a->pool_size[i] : a->dilation_rate[i] * (a->kernel_size[i] - 1) + 1;
		int64_t s = pool ? (a->strides[0] == CS_UNSET ? a->pool_size[i] : a->strides[i]) : a->strides[i];
		if (n <= 0)	/* unknown, or an empty axis: nothing to leave unread */
			continue;
		if (a->padding.mode == CS_PAD_VALID || a->padding.mode == CS_PAD_EXPLICIT) {
			int64_t pads = a->padding.mode == CS_PAD_EXPLICIT
					       ? a->padding.amount[i][0] + a->padding.amount[i][1] : 0;
			int64_t rest = (n + pads - k) % s;
			if (n + pads >= k && rest &&
			    cs_model_warn(m, ly->mark, "%s: the last %lld %s of its %lld-long %s %s never read: "
					  "(%lld + %lld - %lld) is not a multiple of the stride %lld",
					  cs_layer_cls(ly)->name, (long long)rest, rest == 1 ? "cell" : "cells", (long long)n,
					  axis_name(r, i), rest == 1 ? "is" : "are", (long long)n, (long long)pads,
					  (long long)k, (long long)s) < 0)
				return -1;
		} else if (a->padding.mode == CS_PAD_SAME) {
			int64_t out = (n - 1) / s + 1, total = (out - 1) * s + k - n;
			if (total > 0 && total % 2 &&
			    cs_model_warn(m, ly->mark, "%s: padding 'same' is not symmetric on the %s: %lld before "
					  "and %lld after (Keras puts the odd cell after)", cs_layer_cls(ly)->name,
					  axis_name(r, i), (long long)(total / 2), (long long)(total - total / 2)) < 0)
				return -1;
		}
	}
	return 0;
}

int cs_audit_layer(struct cs_model *m, size_t i, const struct cs_args *a,
		   const struct cs_shape *in, int data_format)
{
	const struct cs_layer *ly = cs_model_at(m, i);
	const char *cls = cs_layer_cls(ly)->name;
	bool conv = strstr(cls, "Conv") != NULL && !strstr(cls, "Transpose");
	bool pool = strstr(cls, "Pooling") && !strstr(cls, "Global");
	if ((conv || pool) && audit_window(m, ly, a, in, data_format, pool) < 0)
		return -1;
	if (!strcmp(cls, "Dense") && in->rank >= 4 &&
	    cs_model_warn(m, ly->mark, "Dense on an input of rank %d: it acts on the last axis only "
			  "(add Flatten or a global pooling before it if that is not meant)", in->rank) < 0)
		return -1;
	cs_ref from = cs_layer_input(m, i, 0);
	if (!strcmp(cls, "BatchNormalization") && !(from & CS_REF_INPUT) &&
	    !(cs_model_at(m, CS_REF_INDEX(from))->flags & CS_LF_KIND)) {
		const struct cs_layer *prev = cs_model_at(m, CS_REF_INDEX(from));
		if ((strstr(cs_layer_cls(prev)->name, "Conv") || !strcmp(cs_layer_cls(prev)->name, "Dense")) &&
		    (prev->flags & CS_LF_BIAS) && a->center &&
		    cs_model_warn(m, prev->mark, "%s: its bias is cancelled by the BatchNormalization after it "
				  "(use_bias: false saves its parameters)", cs_layer_cls(prev)->name) < 0)
			return -1;
	}
	return 0;
}

/* Keras 3 builds a Sequential chain recursively: past about this many
 * layers it fails with RecursionError under Python's default recursion
 * limit (README, "Figures beyond Keras": --audit). */
#define KERAS_DEPTH_LIMIT 980

/* A graph's layers and inputs that no output depends on: Keras leaves
 * them out of the model. */
static int audit_unused(struct cs_model *m)
{
	const struct cs_graph *g = m->graph;
	char buf[128];
	for (size_t k = 0; k < m->ninputs; k++) {
		struct cs_input_info in;
		cs_model_input(m, k, &in);
		bool used = g->input_used[k];
		if (!used && cs_model_warn(m, m->inputs[k].mark, "input '%s': no output depends on it "
					   "(Keras keeps it as an input, but nothing uses it)", in.name) < 0)
			return -1;
	}
	for (size_t e = 0; e < m->nlayers; e++) {
		if (g->in_model[e])
			continue;
		const struct cs_layer *ly = cs_model_at(m, e);
		const struct cs_layer *own = cs_model_at(m, cs_entry_owner(m, e));
		const char *name = cs_layer_name(own, buf, sizeof(buf));
		if (cs_model_warn(m, ly->mark, ly->flags & CS_LF_CALL
				  ? "this call of '%s': no output depends on its result"
				  : "'%s': no output depends on it (Keras leaves it out of the model: "
				    "no row, no parameters)", name) < 0)
			return -1;
	}
	return 0;
}

int cs_audit_model(struct cs_model *m)
{
	if (m->graph && audit_unused(m) < 0)
		return -1;
	if (!m->graph && m->nlayers >= KERAS_DEPTH_LIMIT &&
	    cs_model_warn(m, cs_model_at(m, KERAS_DEPTH_LIMIT - 1)->mark,
			  "a Sequential chain of %zu layers: Keras 3 builds it recursively and raises "
			  "RecursionError from about %d layers on, unless Python's recursion limit is raised",
			  m->nlayers, KERAS_DEPTH_LIMIT) < 0)
		return -1;

	/* the last convolution's receptive field against the input */
	struct cs_figures f, last;
	size_t last_i = (size_t)-1;
	for (size_t i = 0; cs_model_layer_figures(m, i, &f) == 0; i++) {
		size_t e = cs_model_row_entry(m, i);
		if (e == SIZE_MAX || (cs_model_at(m, e)->flags & CS_LF_MODEL))
			continue;
		const struct cs_layer *ly = cs_model_at(m, e);
		if (strstr(cs_layer_cls(ly)->name, "Conv") && f.naxes) {
			last = f;
			last_i = e;
		}
	}
	if (last_i == (size_t)-1)
		return 0;
	const struct cs_layer *ly = cs_model_at(m, last_i);
	const int64_t *in = cs_model_input_dims(m);
	int first = m->data_format == CS_DF_FIRST ? 2 : 1;
	for (int i = 0; i < last.naxes; i++) {
		int64_t n = in[first + i];
		if (n > 0 && last.receptive_field[i] < (double)n &&
		    cs_model_warn(m, ly->mark, "%s: the last convolution sees %.4g of the input's %lld cells "
				  "on the %s (receptive field smaller than the input)", cs_layer_cls(ly)->name,
				  last.receptive_field[i], (long long)n, cs_axis_name(last.naxes, i)) < 0)
			return -1;
	}
	return 0;
}
