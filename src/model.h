/* The model: a compact record per layer (class, name, output shape,
 * weight counts), arena-owned and stored in fixed-size chunks, so a
 * million-layer model costs a few tens of bytes a layer and no copying. */
#ifndef CS_MODEL_H
#define CS_MODEL_H

#include "arena.h"
#include "convsummary.h"
#include "diag.h"
#include "layers/layers.h"

/* Layer flags. */
enum {
	CS_LF_BIAS = 1 << 0,	/* adds a bias to every output element */
	CS_LF_BYTES = 1 << 1,	/* its bytes are in its op (mixed element sizes) */
	CS_LF_CHANNELS_FIRST = 1 << 2,	/* its spatial axes start at axis 2 */
	CS_LF_FIELD_ONLY = 1 << 3,	/* its op is another layer's: only the
					 * receptive field there is its own */
	CS_LF_CALL = 1 << 4,	/* a further call of a layer above: auto_index
				 * is that layer's entry (its owner) */
	CS_LF_MODEL = 1 << 5,	/* a call of a sub-model: args is its index in
				 * m->subs, cls means nothing */
};
#define CS_LF_KIND (CS_LF_CALL | CS_LF_MODEL)	/* set by the loader, kept */

/*
 * A reference to a tensor: output o of entry i (i | o << CS_REF_OUT_SHIFT;
 * an entry is one call of a layer), or the model's input k
 * (CS_REF_INPUT | k).
 */
typedef uint64_t cs_ref;
#define CS_REF_INPUT ((uint64_t)1 << 63)
#define CS_REF_OUT_SHIFT 32
#define CS_REF_INDEX(r) ((uint32_t)(r))
#define CS_REF_OUTPUT(r) ((uint32_t)(((r) & ~CS_REF_INPUT) >> CS_REF_OUT_SHIFT))
#define CS_MAX_ENTRIES 0x7fffffffu

/* A layer whose only input is the output of the layer before it (or, for
 * the first, the model's first input): a chain costs no references. */
#define CS_IN_PREV UINT32_MAX

/* 64 bytes a layer. */
struct cs_layer {
	const char *name;	/* given in the file, or NULL: automatic */
	const int64_t *dims;	/* output shape, batch first; shared with its
				 * first input's when equal */
	int64_t trainable_params, non_trainable_params;
	struct cs_mark mark;
	uint32_t auto_index;	/* automatic name: stem (0) or stem_N */
	uint32_t op;		/* its struct cs_op, 1-based; 0: none */
	uint32_t args;		/* its arguments: m->arg_records[args] */
	uint32_t in;		/* CS_IN_PREV, or where its inputs are in
				 * m->refs: the count, then the references */
	uint16_t cls;		/* cs_layer_class_at(cls) */
	uint8_t rank;
	uint8_t weight_bytes;	/* bytes of a weight element */
	uint8_t act_bytes;	/* bytes of an output element */
	uint8_t elem_ops;	/* ops per output element (bias, activation...) */
	uint8_t spatial;	/* enum cs_spatial */
	uint8_t flags;
};

/* How the input's grid maps onto a layer's output, per spatial axis
 * (README, "Figures beyond Keras"): r the receptive field, j the
 * effective stride, p the effective padding.  naxes 0: none any more. */
struct cs_field {
	double r[3], j[3], p[3];
	int naxes;
};

/* What only some layers need: costs, and the receptive field of a layer
 * that changes it or has an op anyway.  A layer with CS_LF_BYTES has a
 * second op right after its own, whose two counts are its trainable and
 * non-trainable bytes (mixed element sizes: rare, so not in every op). */
struct cs_op {
	int64_t macs, other_ops;	/* per sample; -1 unknown */
	struct cs_field field;
};

/* One of the model's inputs (Keras's InputLayer). */
struct cs_input {
	const char *name;	/* NULL: Keras's automatic input_layer[_auto_index] */
	uint32_t auto_index;
	struct cs_mark mark;
	const int64_t *dims;	/* batch first */
	uint8_t rank;
	const char *dtype;	/* NULL: float32 */
};


/* Each distinct set of arguments is kept once (most layers of a long
 * model share a few), so a layer refers to its set by number. */
struct cs_arg_record {
	const struct cs_layer_class *cls;
	struct cs_args a;	/* its lists and texts in the model's arena;
				 * a.name is NULL (the layer keeps its name) */
	int32_t k[3], s[3], d[3];	/* the window these arguments make
					 * (convolution, pooling), per axis */
	uint32_t hash;
	size_t keylen;
	const unsigned char *key;	/* the canonical bytes compared */
};

#define CS_CHUNK_SHIFT 12
#define CS_CHUNK (1u << CS_CHUNK_SHIFT)

/* A growing array that never moves its items: chunks of CS_CHUNK items,
 * the table of chunks doubling. */
struct cs_chunks {
	void **v;
	size_t nchunks, n;
	/* the third chunk on is cut from 2 MiB blocks the kernel may back
	 * with one huge page each: a long model's records then cost a few
	 * page faults instead of one every 4 KiB */
	char *block;
	size_t block_left;
	void **blocks;
	size_t nblocks;
	bool long_model;	/* set before the first item: the first chunks,
				 * which are certain to fill, are faulted in at
				 * once (cs_model_expect_long) */
};

/* A new zeroed item of size bytes at the end; NULL when out of memory. */
void *cs_chunks_add(struct cs_chunks *c, size_t size);
/* Before any layer is added: the model is read from a file of `bytes`; a
 * large one makes a long model, whose first chunks of records are faulted
 * in by one call each instead of a page fault every 4 KiB. */
void cs_model_expect_long(struct cs_model *m, size_t bytes);
void cs_chunks_free(struct cs_chunks *c);

static inline void *cs_chunks_at(const struct cs_chunks *c, size_t i, size_t size)
{
	return (char *)c->v[i >> CS_CHUNK_SHIFT] + (i & (CS_CHUNK - 1)) * size;
}

/* A Functional model's rows and calls (graph_rows.c), made once it is
 * computed: Keras's depth order, and what each row's cells need. */
struct cs_graph {
	size_t nrows;
	cs_ref *rows;		/* CS_REF_INPUT | k, or the layer's first entry */
	uint32_t *callno;	/* per entry: which call of its layer it is;
				 * NULL when no layer is called again (all 0) */
	uint8_t *in_model;	/* per entry: some output depends on it */
	uint32_t *first_call;	/* per row: its calls in the model are */
	uint32_t *calls;	/* calls[first_call[r] .. first_call[r + 1]) */
	uint32_t *last_entry;	/* per row: the layer's last call (any model) */
	uint32_t *input_row;	/* per input: its row, or UINT32_MAX */
	uint32_t *entry_row;	/* per entry: its layer's row, or UINT32_MAX */
	uint8_t *input_used;	/* per input: some output depends on it */
	bool four_columns;	/* Keras's 4-column layout (Connected to) */
	bool multiple;		/* unused */
};

struct cs_model {
	struct cs_arena arena;
	const char *name;
	uint32_t name_auto;		/* unnamed Functional: functional[_name_auto] */
	bool functional;		/* a graph file (model-format-graphs.md) */
	bool frozen;			/* trainable: false on the model */
	bool computed;
	struct cs_model **subs;		/* sub-models (models:), by index */
	size_t nsubs;
	struct cs_graph *graph;		/* Functional: rows and calls */
	bool has_input;
	struct cs_mark input_mark;
	struct cs_ints input_shape;	/* one sample's shape, batch excluded */
	int64_t batch_size;		/* CS_NONE unless given */
	const char *input_dtype;
	const char *dtype_policy;	/* NULL: float32 */
	int data_format;		/* the file-wide default */
	struct cs_mark layers_mark;
	struct cs_mark name_mark;	/* a sub-model: its key under `models:` */
	struct cs_chunks layers;	/* struct cs_layer */
	size_t nlayers;
	struct cs_chunks ops;		/* struct cs_op */
	struct cs_chunks refs;		/* cs_ref: layers' inputs (cs_layer.in) */
	struct cs_input *inputs;	/* the model's inputs, once computed */
	size_t ninputs;
	cs_ref *outputs;		/* the model's outputs */
	size_t noutputs;
	struct cs_arg_record **arg_records;	/* distinct argument sets */
	size_t nrecords, records_cap;
	uint32_t *record_slots;		/* hash table: record index + 1 */
	size_t slots_cap;
	uint32_t class_last[CS_MAX_CLASSES];	/* per class, its last record + 1 */
	const char **explains;		/* per layer, with the explain option */
	struct cs_warning *warnings;	/* the audit's findings */
	size_t nwarnings;
	bool override_input;		/* the load options' input replaces the file's */
	bool audit;			/* run the audit's checks */
	size_t warnings_cap;
	struct cs_ints override;
	struct cs_totals totals;
	bool explain;			/* keep each layer's arithmetic */
	char keras_version[32];		/* of a .keras archive's metadata; "" */
};

static inline struct cs_layer *cs_model_at(const struct cs_model *m, size_t i)
{
	return cs_chunks_at(&m->layers, i, sizeof(struct cs_layer));
}

static inline const struct cs_op *cs_model_op(const struct cs_model *m, const struct cs_layer *ly)
{
	return ly->op ? cs_chunks_at(&m->ops, ly->op - 1u, sizeof(struct cs_op)) : NULL;
}

/* A new op for the last layer; NULL when out of memory. */
struct cs_op *cs_model_add_op(struct cs_model *m, struct cs_layer *ly);

/* A layer's class: its index came from cs_layer_class_index, so the
 * table is filled. */
static inline const struct cs_layer_class *cs_layer_cls(const struct cs_layer *ly)
{
	return cs_layer_classes[ly->cls];
}

static inline const struct cs_args *cs_layer_args(const struct cs_model *m, const struct cs_layer *ly)
{
	return &m->arg_records[ly->args]->a;
}

/* Entry i's layer: i itself, or the entry a call entry calls again. */
static inline uint32_t cs_entry_owner(const struct cs_model *m, size_t i)
{
	const struct cs_layer *ly = cs_model_at(m, i);
	return ly->flags & CS_LF_CALL ? ly->auto_index : (uint32_t)i;
}

/* The number of inputs of layer i, and its k-th. */
size_t cs_layer_ninputs(const struct cs_model *m, size_t i);
cs_ref cs_layer_input(const struct cs_model *m, size_t i, size_t k);

/* The shape a reference stands for (batch first). */
void cs_ref_shape(const struct cs_model *m, cs_ref r, const int64_t **dims, int *rank);

/* Give layer i (the last added) these inputs; a single reference to the
 * layer before it costs nothing.  -1 when out of memory. */
int cs_layer_set_inputs(struct cs_model *m, size_t i, const cs_ref *refs, size_t n);

/* The model's arguments record for a (its lists and texts copied into
 * the model's arena, a->name left out), shared with any earlier equal
 * set; its number in *index.  -1 when out of memory. */
int cs_model_intern_args(struct cs_model *m, const struct cs_layer_class *cls,
			 const struct cs_args *a, uint32_t *index);

/* The op after a CS_LF_BYTES layer's own: its bytes. */
static inline const struct cs_op *cs_model_op_bytes(const struct cs_model *m, const struct cs_layer *ly)
{
	return cs_chunks_at(&m->ops, ly->op, sizeof(struct cs_op));
}

static inline int64_t cs_layer_trainable_bytes(const struct cs_model *m, const struct cs_layer *ly)
{
	return ly->flags & CS_LF_BYTES ? cs_model_op_bytes(m, ly)->macs
				       : ly->trainable_params * ly->weight_bytes;
}

static inline int64_t cs_layer_non_trainable_bytes(const struct cs_model *m, const struct cs_layer *ly)
{
	return ly->flags & CS_LF_BYTES ? cs_model_op_bytes(m, ly)->other_ops
				       : ly->non_trainable_params * ly->weight_bytes;
}

struct cs_warning {
	struct cs_mark mark;
	const char *message;
};

/* Record an audit finding at ly (printf-style); -1 when out of memory. */
int cs_model_warn(struct cs_model *m, struct cs_mark at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The audit's checks of layer i, as it is computed (audit.c), and of
 * the whole model once it is computed. */
int cs_audit_layer(struct cs_model *m, size_t i, const struct cs_args *a,
		   const struct cs_shape *in, int data_format);
int cs_audit_model(struct cs_model *m);

struct cs_model *cs_model_new(void);
/* Append a zeroed layer; NULL when out of memory. */
struct cs_layer *cs_model_add_layer(struct cs_model *m);

/* The layer's name: its own, or the automatic one written into buf. */
const char *cs_layer_name(const struct cs_layer *ly, char *buf, size_t size);

/* Compute every layer's output shape, weights and figures in an order
 * where each layer comes after its inputs (cs_graph_order), from the
 * model's inputs.  Fails pointing at the layer at fault. */
int cs_model_compute(struct cs_model *m, struct cs_error *err);

/* An order of the layers where every layer comes after the layers it
 * takes as inputs: order[0..nlayers).  -1 with *err when the layers form
 * a cycle (or memory runs out).  With order NULL, only whether the
 * file's order is one: 1 yes, 0 no (-1 for a reference to nothing). */
int cs_graph_order(const struct cs_model *m, uint32_t *order, struct cs_error *err);

/* A Functional model's rows in Keras's order, its calls, layout and
 * totals (graph_rows.c), once its layers are computed. */
int cs_graph_rows(struct cs_model *m, struct cs_error *err);

/* The entry of row i's layer (its first call), or SIZE_MAX for an input. */
size_t cs_model_row_entry(const struct cs_model *m, size_t i);

/* Whether the calls of row i's layer gave different output shapes
 * (tf.keras 2 prints "multiple"). */
bool cs_row_shapes_differ(const struct cs_model *m, size_t row);

/* The figures of layer i from its record and its first input's field. */
void cs_layer_figures(const struct cs_model *m, size_t i, struct cs_figures *f);

/* Keras's automatic-name stem of a class name (its to_snake_case()):
 * "Conv2D" -> "conv2d", "ReLU" -> "re_lu".  Writes into buf. */
const char *cs_snake_case(const char *cls, char *buf, size_t size);

#endif
