/*
 * A Functional model's rows, in Keras's order (keras3-functional-summary.md
 * §3, Keras's map_graph): walk back from each output, depth first, giving
 * each layer a traversal index on its first visit and listing calls as
 * they finish; give calls depths from the outputs back; rows are layers
 * by depth, deepest first, equal depths by traversal index.  Inputs no
 * output reaches come first among depth 0.  Everything here is linear.
 *
 * Nodes are calls: model input k is node k, entry e is node ninputs + e.
 * Layers likewise: input k is layer k, entry e's layer is ninputs + its
 * first entry.
 */
#include <stdlib.h>
#include <string.h>

#include "checked.h"
#include "model.h"
#include "bigmem.h"

#define NONE UINT32_MAX
/* state[]: a node's (OPEN, then FINISHED), and a layer's VISITED */
#define OPEN 1
#define FINISHED 2
#define NODE 3
#define VISITED 4

struct walk {
	const struct cs_model *m;
	size_t ni;
};

static uint32_t layer_of(const struct walk *w, uint32_t node)
{
	if (node < w->ni)
		return node;
	return (uint32_t)w->ni + cs_entry_owner(w->m, node - w->ni);
}

static size_t node_ninputs(const struct walk *w, uint32_t node)
{
	return node < w->ni ? 0 : cs_layer_ninputs(w->m, node - w->ni);
}

static uint32_t node_input(const struct walk *w, uint32_t node, size_t k)
{
	cs_ref r = cs_layer_input(w->m, node - w->ni, k);
	return r & CS_REF_INPUT ? CS_REF_INDEX(r) : (uint32_t)w->ni + CS_REF_INDEX(r);
}

static uint32_t ref_node(const struct walk *w, cs_ref r)
{
	return r & CS_REF_INPUT ? CS_REF_INDEX(r) : (uint32_t)w->ni + CS_REF_INDEX(r);
}

/* Keras's layout test: one call per depth, each on one tensor, and no
 * layer called twice (shared), or else the Connected to column.  A layer
 * with one call has its call's depth; a shared one is decided already.
 * per_depth: room for maxd + 1 counts. */
static bool four_columns(const struct walk *w, const uint8_t *state, const uint32_t *ldepth,
			 uint32_t *per_depth, uint32_t maxd, bool shared, size_t unused_inputs)
{
	size_t ni = w->ni, ne = w->m->nlayers;
	memset(per_depth, 0, ((size_t)maxd + 1) * sizeof(uint32_t));
	bool four = shared || unused_inputs > 0;
	for (size_t e = 0; e < ne && !four; e++) {
		if ((state[ni + e] & NODE) != FINISHED)
			continue;	/* not in the model */
		uint32_t l = layer_of(w, (uint32_t)(ni + e));
		if (cs_layer_ninputs(w->m, e) > 1 || ++per_depth[ldepth[l]] > 1)
			four = true;
	}
	for (size_t k = 0; k < ni && !four; k++)
		if (++per_depth[ldepth[k]] > 1)
			four = true;
	return four;
}

int cs_graph_rows(struct cs_model *m, struct cs_error *err)
{
	struct walk w = { m, m->ninputs };
	size_t ni = m->ninputs, ne = m->nlayers, nn = ni + ne;
	struct cs_mark none = { 0, 0 };
	struct cs_graph *g = cs_arena_alloc(&m->arena, sizeof(*g));
	/* without further calls, nodes are layers: per-layer arrays are the
	 * per-node ones */
	bool calls = false;
	for (size_t e = 0; e < ne && !calls; e++)
		calls = cs_model_at(m, e)->flags & CS_LF_CALL;
	/* per node: 1 open, 2 finished (FINISHED); per layer: VISITED */
	/* every entry of these is written (the stack's too, as the rows
	 * before sorting): a long model's tables are faulted in at once */
	uint8_t *state = cs_big_table(nn, 1);
	uint32_t *finished = cs_big_table(nn, sizeof(uint32_t));
	uint32_t *order = cs_big_table(nn, sizeof(uint32_t));	/* layers in traversal order */
	uint32_t *stack = cs_big_table(nn, sizeof(uint32_t));
	uint32_t *depth = cs_big_table(nn, sizeof(uint32_t));	/* per node; in the walk, per
								 * open node its next input */
	uint32_t *ldepth = calls ? cs_big_table(nn, sizeof(uint32_t)) : depth;	/* per layer */
	/* per layer; kept: the inputs' rows, and without calls the entries' */
	uint32_t *row_of = cs_arena_alloc(&m->arena, nn * sizeof(uint32_t));
	uint32_t *next = depth;
	uint32_t *count = NULL;
	int rc = -1;
	if (!g || !state || !finished || !order || !stack || !depth || !ldepth || !row_of)
		goto oom;
	memset(g, 0, sizeof(*g));
	for (size_t i = 0; i < nn; i++)
		row_of[i] = NONE;

	/* 1. the walk */
	size_t nfin = 0, nvisit = 0;
	for (size_t k = 0; k < m->noutputs; k++) {
		uint32_t start = ref_node(&w, m->outputs[k]);
		if (state[start] & NODE)
			continue;
		size_t top = 0;
		stack[top++] = start;
		state[start] |= OPEN;
		next[start] = 0;
		if (!(state[layer_of(&w, start)] & VISITED)) {
			state[layer_of(&w, start)] |= VISITED;
			order[nvisit++] = layer_of(&w, start);
		}
		while (top) {
			uint32_t v = stack[top - 1];
			if (next[v] < node_ninputs(&w, v)) {
				uint32_t u = node_input(&w, v, next[v]++);
				if (state[u] & NODE)
					continue;	/* finished (references only go up: no cycle) */
				state[u] |= OPEN;
				next[u] = 0;
				if (!(state[layer_of(&w, u)] & VISITED)) {
					state[layer_of(&w, u)] |= VISITED;
					order[nvisit++] = layer_of(&w, u);
				}
				stack[top++] = u;
			} else {
				state[v] = (uint8_t)((state[v] & VISITED) | FINISHED);
				finished[nfin++] = v;
				top--;
			}
		}
	}

	/* 2. depths, from the outputs back */
	memset(depth, 0, nn * sizeof(uint32_t));	/* was next[] */
	for (size_t j = nfin; j-- > 0;) {
		uint32_t v = finished[j], l = layer_of(&w, v);
		uint32_t d = depth[v] > ldepth[l] ? depth[v] : ldepth[l];
		ldepth[l] = d;
		depth[v] = d;
		for (size_t k = 0, n = node_ninputs(&w, v); k < n; k++) {
			uint32_t u = node_input(&w, v, k);
			if (depth[u] < d + 1)
				depth[u] = d + 1;
		}
	}

	/* 3. the rows: unreached inputs, then the walk's layers, stably by
	 * depth, deepest first */
	size_t nrows = 0;
	uint32_t *layers = stack;	/* reused: the rows before sorting */
	for (size_t k = 0; k < ni; k++)
		if (!(state[k] & VISITED))
			layers[nrows++] = (uint32_t)k;
	size_t unused_inputs = nrows;
	for (size_t k = 0; k < nvisit; k++)
		layers[nrows++] = order[k];
	free(order);	/* done with: its room goes to the rows below */
	order = NULL;
	uint32_t maxd = 0;
	for (size_t k = 0; k < nrows; k++)
		if (ldepth[layers[k]] > maxd)
			maxd = ldepth[layers[k]];
	count = cs_big_table((size_t)maxd + 2, sizeof(uint32_t));
	g->rows = cs_arena_alloc(&m->arena, (nrows ? nrows : 1) * sizeof(cs_ref));
	if (!count || !g->rows)
		goto oom;
	for (size_t k = 0; k < nrows; k++)
		count[maxd - ldepth[layers[k]] + 1]++;
	for (size_t d = 1; d <= (size_t)maxd + 1; d++)
		count[d] += count[d - 1];
	for (size_t k = 0; k < nrows; k++) {
		uint32_t l = layers[k];
		uint32_t r = count[maxd - ldepth[l]]++;
		row_of[l] = r;
		g->rows[r] = l < ni ? (CS_REF_INPUT | l) : (cs_ref)(l - ni);
	}
	g->nrows = nrows;
	/* the walk's arrays are done with: the model's arrays below take
	 * their place */
	g->input_used = cs_arena_alloc(&m->arena, ni ? ni : 1);
	if (!g->input_used)
		goto oom;
	for (size_t k = 0; k < ni; k++)
		g->input_used[k] = (state[k] & VISITED) != 0;
	free(stack);
	free(count);
	stack = NULL;
	count = NULL;
	if (!calls) {
		/* no layer is shared: the layout is known now, and the depths
		 * can go before the model's arrays are made */
		g->four_columns = four_columns(&w, state, ldepth, finished, maxd, false, unused_inputs);
		free(depth);
		depth = ldepth = NULL;
	}

	/* 4. each entry's call number and whether the model has it; each
	 * row's calls in the model, in call order; its last call */
	/* without further calls every call number is 0: no array */
	g->callno = calls ? cs_arena_alloc(&m->arena, (ne ? ne : 1) * sizeof(uint32_t)) : NULL;
	g->in_model = cs_arena_alloc(&m->arena, ne ? ne : 1);
	g->first_call = cs_arena_alloc(&m->arena, (nrows + 1) * sizeof(uint32_t));
	g->last_entry = cs_arena_alloc(&m->arena, (nrows ? nrows : 1) * sizeof(uint32_t));
	g->input_row = row_of;
	if ((calls && !g->callno) || !g->in_model || !g->first_call || !g->last_entry)
		goto oom;
	uint32_t *calls_made = calls ? depth : NULL;	/* reused: per layer, calls so far */
	if (calls)
		memset(calls_made, 0, nn * sizeof(uint32_t));
	memset(g->first_call, 0, (nrows + 1) * sizeof(uint32_t));
	for (size_t r = 0; r < nrows; r++)
		g->last_entry[r] = NONE;
	size_t ncalls = 0;
	for (size_t e = 0; e < ne; e++) {
		uint32_t l = layer_of(&w, (uint32_t)(ni + e));
		if (calls)
			g->callno[e] = calls_made[l]++;
		g->in_model[e] = (state[ni + e] & NODE) == FINISHED;
		if (row_of[l] != NONE) {
			g->last_entry[row_of[l]] = (uint32_t)e;
			if (g->in_model[e]) {
				g->first_call[row_of[l] + 1]++;
				ncalls++;
			}
		}
	}
	for (size_t r = 0; r < nrows; r++)
		g->first_call[r + 1] += g->first_call[r];
	g->calls = cs_arena_alloc(&m->arena, (ncalls ? ncalls : 1) * sizeof(uint32_t));
	if (!g->calls)
		goto oom;
	uint32_t *fill = finished;	/* reused: per row, its calls so far */
	memset(fill, 0, (nrows ? nrows : 1) * sizeof(uint32_t));
	bool shared = false;
	for (size_t e = 0; e < ne; e++) {
		uint32_t l = layer_of(&w, (uint32_t)(ni + e));
		if (g->in_model[e] && row_of[l] != NONE) {
			uint32_t r = row_of[l];
			g->calls[g->first_call[r] + fill[r]++] = (uint32_t)e;
			if (fill[r] > 1)
				shared = true;
		}
	}
	if (calls) {
		g->entry_row = cs_arena_alloc(&m->arena, (ne ? ne : 1) * sizeof(uint32_t));
		if (!g->entry_row)
			goto oom;
		for (size_t e = 0; e < ne; e++)
			g->entry_row[e] = row_of[layer_of(&w, (uint32_t)(ni + e))];
	} else {
		g->entry_row = row_of + ni;	/* entry e's layer is layer ni + e */
	}

	/* 5. the layout, when layers are shared */
	if (calls)
		g->four_columns = four_columns(&w, state, ldepth, finished, maxd, shared, unused_inputs);

	/* 6. the totals: each row's weights once */
	memset(&m->totals, 0, sizeof(m->totals));
	for (size_t r = 0; r < nrows; r++) {
		if (g->rows[r] & CS_REF_INPUT)
			continue;
		const struct cs_layer *ly = cs_model_at(m, (size_t)g->rows[r]);
		struct cs_totals *t = &m->totals;
		int64_t all;
		if (!cs_add(t->trainable_params, ly->trainable_params, &t->trainable_params) ||
		    !cs_add(t->non_trainable_params, ly->non_trainable_params, &t->non_trainable_params) ||
		    !cs_add(t->trainable_params, t->non_trainable_params, &all) ||
		    !cs_add(t->trainable_bytes, cs_layer_trainable_bytes(m, ly), &t->trainable_bytes) ||
		    !cs_add(t->non_trainable_bytes, cs_layer_non_trainable_bytes(m, ly), &t->non_trainable_bytes) ||
		    !cs_add(t->trainable_bytes, t->non_trainable_bytes, &all)) {
			cs_fail(err, ly->mark, "the model's total weight count overflows 64 bits");
			goto out;
		}
	}
	m->graph = g;
	rc = 0;
	goto out;
oom:
	cs_fail_oom(err, none);
out:
	free(state);
	free(finished);
	free(order);
	free(stack);
	free(depth);
	if (ldepth != depth)
		free(ldepth);
	free(count);
	return rc;
}
