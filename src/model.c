#include "model.h"
#include "bigmem.h"
#include "buf.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cs_model *cs_model_new(void)
{
	struct cs_model *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	cs_arena_init(&m->arena);
	m->batch_size = CS_NONE;
	return m;
}

#define BLOCK_BYTES CS_BIG_PAGE
#define SMALL_CHUNKS 2	/* chunks of their own, for small models */

/* Past a megabyte of YAML or JSON a model has thousands of layers. */
#define LONG_FILE_BYTES ((size_t)1 << 20)

void cs_model_expect_long(struct cs_model *m, size_t bytes)
{
	if (bytes < LONG_FILE_BYTES || m->layers.n || m->ops.n || m->refs.n)
		return;
	m->layers.long_model = m->ops.long_model = m->refs.long_model = true;
}

/* A chunk of bytes from c's current block, or a new block. */
static void *chunk_from_block(struct cs_chunks *c, size_t bytes)
{
	if (c->block_left < bytes) {
		if ((c->nblocks & (c->nblocks - 1)) == 0) {
			void **nb = realloc(c->blocks, (c->nblocks ? 2 * c->nblocks : 1) * sizeof(*nb));
			if (!nb)
				return NULL;
			c->blocks = nb;
		}
		void *b = cs_big_alloc(BLOCK_BYTES);
		if (!b)
			return NULL;
		c->blocks[c->nblocks++] = b;
		c->block = b;
		c->block_left = BLOCK_BYTES;
	}
	void *chunk = c->block;
	c->block += bytes;
	c->block_left -= bytes;
	return chunk;
}

/* New items are written in order into memory not yet in the cache: a
 * write prefetch 16 lines ahead has the line there when its item is made
 * (measured 1-2% of a 100k-layer run; prefetching never faults). */
#define PREFETCH_AHEAD 1024
void *cs_chunks_add(struct cs_chunks *c, size_t size)
{
	if ((c->n & (CS_CHUNK - 1)) == 0) {
		size_t k = c->n >> CS_CHUNK_SHIFT;
		if ((k & (k - 1)) == 0) {
			void **nv = realloc(c->v, (k ? 2 * k : 1) * sizeof(*nv));
			if (!nv)
				return NULL;
			c->v = nv;
		}
		size_t bytes = CS_CHUNK * size;
		if (k < SMALL_CHUNKS || bytes > BLOCK_BYTES / 4) {
			c->v[k] = malloc(bytes);
			if (c->v[k] && c->long_model)
				cs_big_populate(c->v[k], bytes);
		} else
			c->v[k] = chunk_from_block(c, bytes);
		if (!c->v[k])
			return NULL;
		c->nchunks = k + 1;
	}
	void *item = cs_chunks_at(c, c->n++, size);
	__builtin_prefetch((char *)item + PREFETCH_AHEAD, 1, 3);
	memset(item, 0, size);
	return item;
}

void cs_chunks_free(struct cs_chunks *c)
{
	/* the chunks of their own; past the small ones, all are in blocks
	 * when any is (an instance's items have one size) */
	for (size_t k = 0; k < c->nchunks; k++)
		if (k < SMALL_CHUNKS || !c->nblocks)
			free(c->v[k]);
	for (size_t b = 0; b < c->nblocks; b++)
		cs_big_free(c->blocks[b], BLOCK_BYTES);
	free(c->blocks);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

struct cs_layer *cs_model_add_layer(struct cs_model *m)
{
	struct cs_layer *ly = cs_chunks_add(&m->layers, sizeof(struct cs_layer));
	if (ly)
		m->nlayers++;
	return ly;
}

struct cs_op *cs_model_add_op(struct cs_model *m, struct cs_layer *ly)
{
	struct cs_op *op = cs_chunks_add(&m->ops, sizeof(struct cs_op));
	if (op)
		ly->op = (uint32_t)m->ops.n;
	return op;
}

void cs_model_destroy(cs_model *m)
{
	if (!m)
		return;
	for (size_t k = 0; k < m->nsubs; k++)
		cs_model_destroy(m->subs[k]);
	free(m->subs);
	cs_chunks_free(&m->layers);
	cs_chunks_free(&m->ops);
	cs_chunks_free(&m->refs);
	free(m->arg_records);
	free(m->record_slots);
	free(m->explains);
	free(m->warnings);
	cs_arena_free(&m->arena);
	free(m);
}

const char *cs_layer_name(const struct cs_layer *ly, char *buf, size_t size)
{
	if (ly->name)
		return ly->name;
	if (ly->auto_index == 0)
		return cs_layer_cls(ly)->snake;
	/* stem_N without printf: this runs once a row */
	const char *stem = cs_layer_cls(ly)->snake;
	size_t n = strlen(stem);
	if (n + 1 + 10 + 1 > size)	/* room for any uint32_t */
		return stem;
	memcpy(buf, stem, n);
	buf[n] = '_';
	*cs_put_int(buf + n + 1, ly->auto_index) = '\0';
	return buf;
}

const char *cs_model_name(const cs_model *m)
{
	return m->name ? m->name : "sequential";
}

size_t cs_model_input_rank(const cs_model *m)
{
	return m->inputs[0].rank;
}

const int64_t *cs_model_input_dims(const cs_model *m)
{
	return m->inputs[0].dims;
}

const char *cs_model_input_dtype(const cs_model *m)
{
	return m->inputs[0].dtype ? m->inputs[0].dtype : "float32";
}

size_t cs_model_input_count(const cs_model *m)
{
	return m->ninputs;
}

static const char *input_name(const struct cs_input *in, char *buf, size_t size)
{
	if (in->name)
		return in->name;
	if (!in->auto_index)
		return "input_layer";
	snprintf(buf, size, "input_layer_%u", in->auto_index);
	return buf;
}

void cs_model_input(const cs_model *m, size_t k, struct cs_input_info *info)
{
	const struct cs_input *in = &m->inputs[k];
	info->name = input_name(in, info->name_buf, sizeof(info->name_buf));
	info->rank = in->rank;
	info->dims = in->dims;
	info->dtype = in->dtype ? in->dtype : "float32";
	info->line = in->mark.line;
	info->column = in->mark.column;
}

/* A tensor as the API gives it: a row (and the producing call's number)
 * in a Functional model, a layer index in a chain. */
static struct cs_tensor tensor_of(const cs_model *m, cs_ref r)
{
	struct cs_tensor t = { (r & CS_REF_INPUT) != 0, CS_REF_INDEX(r), 0, CS_REF_OUTPUT(r) };
	const struct cs_graph *g = m->graph;
	if (!g)
		return t;
	if (t.is_input)
		return t;
	uint32_t e = CS_REF_INDEX(r);
	t.call = g->callno ? g->callno[e] : 0;
	t.index = g->entry_row[e];
	return t;
}

size_t cs_model_output_count(const cs_model *m)
{
	return m->noutputs;
}

struct cs_tensor cs_model_output(const cs_model *m, size_t k)
{
	return tensor_of(m, m->outputs[k]);
}

int cs_model_is_functional(const cs_model *m)
{
	return m->graph != NULL;
}

int cs_model_has_connections(const cs_model *m)
{
	return m->graph && m->graph->four_columns;
}

size_t cs_model_input_row(const cs_model *m, size_t k)
{
	return m->graph && m->graph->input_row[k] != UINT32_MAX ? m->graph->input_row[k] : SIZE_MAX;
}

size_t cs_model_layer_call_count(const cs_model *m, size_t i)
{
	const struct cs_graph *g = m->graph;
	if (!g)
		return 1;
	if (g->rows[i] & CS_REF_INPUT)
		return 1;
	return g->first_call[i + 1] - g->first_call[i];
}

/* Row i's call c: its entry, or UINT32_MAX for an input's. */
static uint32_t row_call(const cs_model *m, size_t i, size_t c)
{
	const struct cs_graph *g = m->graph;
	if (!g)
		return (uint32_t)i;
	if (g->rows[i] & CS_REF_INPUT)
		return UINT32_MAX;
	return g->calls[g->first_call[i] + c];
}

size_t cs_model_layer_call_number(const cs_model *m, size_t i, size_t c)
{
	uint32_t e = row_call(m, i, c);
	if (!m->graph)
		return 0;
	return e == UINT32_MAX || !m->graph->callno ? 0 : m->graph->callno[e];
}

size_t cs_model_layer_call_input_count(const cs_model *m, size_t i, size_t c)
{
	uint32_t e = row_call(m, i, c);
	return e == UINT32_MAX ? 0 : cs_layer_ninputs(m, e);
}

/* The row of entry e's layer, through the rows' order: kept per call in
 * the graph would cost a word an entry; a lookup per connection. */
static size_t row_of_entry(const cs_model *m, uint32_t e)
{
	uint32_t r = m->graph->entry_row[e];
	return r == UINT32_MAX ? SIZE_MAX : r;
}

struct cs_tensor cs_model_layer_call_input(const cs_model *m, size_t i, size_t c, size_t k)
{
	uint32_t e = row_call(m, i, c);
	cs_ref r = cs_layer_input(m, e, k);
	struct cs_tensor t = { (r & CS_REF_INPUT) != 0, CS_REF_INDEX(r), 0, CS_REF_OUTPUT(r) };
	if (m->graph && !t.is_input) {
		t.call = m->graph->callno ? m->graph->callno[CS_REF_INDEX(r)] : 0;
		t.index = row_of_entry(m, CS_REF_INDEX(r));
	}
	return t;
}

size_t cs_model_layer_input_count(const cs_model *m, size_t i)
{
	return cs_model_layer_call_input_count(m, i, 0);
}

struct cs_tensor cs_model_layer_input(const cs_model *m, size_t i, size_t k)
{
	return cs_model_layer_call_input(m, i, 0, k);
}

/* The entry whose output row i shows: its layer's last call. */
static const struct cs_layer *row_layer(const cs_model *m, size_t i, uint32_t *entry)
{
	const struct cs_graph *g = m->graph;
	*entry = g ? g->last_entry[i] : (uint32_t)i;
	return cs_model_at(m, *entry);
}

size_t cs_model_layer_output_count(const cs_model *m, size_t i)
{
	uint32_t e;
	if (m->graph && (m->graph->rows[i] & CS_REF_INPUT))
		return 1;
	const struct cs_layer *ly = row_layer(m, i, &e);
	return ly->flags & CS_LF_MODEL ? m->subs[ly->args]->noutputs : 1;
}

size_t cs_model_layer_output(const cs_model *m, size_t i, size_t k, const int64_t **dims)
{
	uint32_t e;
	if (m->graph && (m->graph->rows[i] & CS_REF_INPUT)) {
		const struct cs_input *in = &m->inputs[CS_REF_INDEX(m->graph->rows[i])];
		*dims = in->dims;
		return in->rank;
	}
	row_layer(m, i, &e);
	int rank;
	cs_ref_shape(m, (cs_ref)e | (cs_ref)k << CS_REF_OUT_SHIFT, dims, &rank);
	return (size_t)rank;
}

/* Row i's arguments: NULL for an input's row and a nested model's (whose
 * args index m->subs). */
static const struct cs_args *row_args(const cs_model *m, size_t i)
{
	size_t e = cs_model_row_entry(m, i);
	if (e == SIZE_MAX)
		return NULL;
	const struct cs_layer *ly = cs_model_at(m, e);
	return ly->flags & CS_LF_MODEL ? NULL : cs_layer_args(m, ly);
}

const char *cs_model_layer_dtype(const cs_model *m, size_t i)
{
	size_t e = cs_model_row_entry(m, i);
	if (e == SIZE_MAX) {
		const struct cs_input *in = &m->inputs[CS_REF_INDEX(m->graph->rows[i])];
		return in->dtype ? in->dtype : "float32";
	}
	const struct cs_args *a = row_args(m, i);
	return a && a->dtype ? a->dtype : m->dtype_policy ? m->dtype_policy : "float32";
}

const char *cs_model_layer_activation(const cs_model *m, size_t i)
{
	const struct cs_args *a = row_args(m, i);
	return a ? a->activation : NULL;
}

size_t cs_model_layer_count(const cs_model *m)
{
	return m->graph ? m->graph->nrows : m->nlayers;
}

/* Row i's entry for its figures and weights: its layer's first entry. */
size_t cs_model_row_entry(const cs_model *m, size_t i)
{
	if (!m->graph)
		return i;
	cs_ref r = m->graph->rows[i];
	return r & CS_REF_INPUT ? SIZE_MAX : (size_t)r;
}

void cs_model_layer(const cs_model *m, size_t i, struct cs_layer_info *info)
{
	size_t e = cs_model_row_entry(m, i);
	info->explain = NULL;
	if (e == SIZE_MAX) {
		const struct cs_input *in = &m->inputs[CS_REF_INDEX(m->graph->rows[i])];
		info->name = input_name(in, info->name_buf, sizeof(info->name_buf));
		info->class_name = "InputLayer";
		info->rank = in->rank;
		info->dims = in->dims;
		info->trainable_params = info->non_trainable_params = 0;
		info->trainable_bytes = info->non_trainable_bytes = 0;
		info->line = in->mark.line;
		info->column = in->mark.column;
		return;
	}
	const struct cs_layer *ly = cs_model_at(m, e);
	uint32_t last;
	const struct cs_layer *shown = row_layer(m, i, &last);
	info->name = cs_layer_name(ly, info->name_buf, sizeof(info->name_buf));
	if (ly->flags & CS_LF_MODEL)
		info->class_name = m->subs[ly->args]->functional ? "Functional" : "Sequential";
	else
		info->class_name = cs_layer_cls(ly)->name;
	info->rank = (size_t)shown->rank;
	info->dims = shown->dims;
	info->trainable_params = ly->trainable_params;
	info->non_trainable_params = ly->non_trainable_params;
	info->trainable_bytes = cs_layer_trainable_bytes(m, ly);
	info->non_trainable_bytes = cs_layer_non_trainable_bytes(m, ly);
	info->line = ly->mark.line;
	info->column = ly->mark.column;
	info->explain = m->explains ? m->explains[e] : NULL;
}

void cs_model_totals(const cs_model *m, struct cs_totals *t)
{
	*t = m->totals;
}

int cs_model_warn(struct cs_model *m, struct cs_mark at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (m->nwarnings == m->warnings_cap) {
		size_t cap = m->warnings_cap ? 2 * m->warnings_cap : 16;
		struct cs_warning *nw = realloc(m->warnings, cap * sizeof(*nw));
		if (!nw)
			return -1;
		m->warnings = nw;
		m->warnings_cap = cap;
	}
	struct cs_warning *w = m->warnings;
	w[m->nwarnings].mark = at;
	w[m->nwarnings].message = cs_arena_strdup(&m->arena, msg);
	if (!w[m->nwarnings].message)
		return -1;
	m->nwarnings++;
	return 0;
}

size_t cs_model_warning_count(const cs_model *m)
{
	return m->nwarnings;
}

const char *cs_model_warning(const cs_model *m, size_t i, unsigned *line, unsigned *column)
{
	*line = m->warnings[i].mark.line;
	*column = m->warnings[i].mark.column;
	return m->warnings[i].message;
}

const char *cs_snake_case(const char *cls, char *buf, size_t size)
{
	/* keep word characters only */
	char word[256];
	size_t n = 0;
	for (const char *p = cls; *p && n + 1 < sizeof(word); p++)
		if (isalnum((unsigned char)*p) || *p == '_')
			word[n++] = *p;
	word[n] = '\0';
	size_t at = 0;
	for (size_t i = 0; i < n && at + 2 < size; i++) {
		char c = word[i];
		bool upper = c >= 'A' && c <= 'Z';
		/* `_` before a capital that starts a capital+lowercase run */
		bool run = upper && i > 0 && i + 1 < n && word[i + 1] >= 'a' && word[i + 1] <= 'z';
		/* `_` between a lowercase letter and a capital */
		bool after_lower = upper && i > 0 && word[i - 1] >= 'a' && word[i - 1] <= 'z';
		if (run || after_lower)
			buf[at++] = '_';
		buf[at++] = (char)tolower((unsigned char)c);
	}
	buf[at] = '\0';
	return buf;
}

bool cs_row_shapes_differ(const struct cs_model *m, size_t row)
{
	size_t e = cs_model_row_entry(m, row);
	if (e == SIZE_MAX || !m->graph)
		return false;
	/* its calls are between its first entry and its last */
	size_t last = m->graph->last_entry[row];
	if (last == UINT32_MAX || last <= e)
		return false;
	const struct cs_layer *first = cs_model_at(m, e);
	for (size_t i = e + 1; i <= last; i++) {
		const struct cs_layer *ly = cs_model_at(m, i);
		if (!(ly->flags & CS_LF_CALL) || ly->auto_index != e)
			continue;
		if (ly->rank != first->rank ||
		    memcmp(ly->dims, first->dims, (size_t)ly->rank * sizeof(int64_t)))
			return true;
	}
	return false;
}
