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
};

/* 64 bytes a layer. */
struct cs_layer {
	const struct cs_layer_class *cls;
	const char *name;	/* given in the file, or NULL: automatic */
	const int64_t *dims;	/* output shape, batch first; shared with the
				 * layer before when equal */
	int64_t trainable_params, non_trainable_params;
	struct cs_mark mark;
	uint32_t auto_index;	/* automatic name: stem (0) or stem_N */
	uint32_t op;		/* its struct cs_op, 1-based; 0: none */
	uint8_t rank;
	uint8_t weight_bytes;	/* bytes of a weight element */
	uint8_t act_bytes;	/* bytes of an output element */
	uint8_t elem_ops;	/* ops per output element (bias, activation...) */
	uint8_t spatial;	/* enum cs_spatial */
	uint8_t flags;
};

/* What only some layers need: costs, window geometry, exact bytes. */
struct cs_op {
	int64_t macs, other_ops;	/* per sample; -1 unknown */
	int64_t trainable_bytes, non_trainable_bytes;	/* with CS_LF_BYTES */
	int32_t k[3], s[3], d[3], pad[3];	/* per spatial axis */
};


#define CS_CHUNK_SHIFT 12
#define CS_CHUNK (1u << CS_CHUNK_SHIFT)

/* A growing array that never moves its items: chunks of CS_CHUNK items,
 * the table of chunks doubling. */
struct cs_chunks {
	void **v;
	size_t nchunks, n;
};

/* A new zeroed item of size bytes at the end; NULL when out of memory. */
void *cs_chunks_add(struct cs_chunks *c, size_t size);
void cs_chunks_free(struct cs_chunks *c);

static inline void *cs_chunks_at(const struct cs_chunks *c, size_t i, size_t size)
{
	return (char *)c->v[i >> CS_CHUNK_SHIFT] + (i & (CS_CHUNK - 1)) * size;
}

struct cs_model {
	struct cs_arena arena;
	const char *name;
	bool has_input;
	struct cs_mark input_mark;
	struct cs_ints input_shape;	/* one sample's shape, batch excluded */
	int64_t batch_size;		/* CS_NONE unless given */
	const char *input_dtype;
	const char *dtype_policy;	/* NULL: float32 */
	int data_format;		/* the file-wide default */
	struct cs_mark layers_mark;
	struct cs_chunks layers;	/* struct cs_layer */
	size_t nlayers;
	struct cs_chunks ops;		/* struct cs_op */
	const char **explains;		/* per layer, with the explain option */
	struct cs_warning *warnings;	/* the audit's findings */
	size_t nwarnings;
	bool override_input;		/* the load options' input replaces the file's */
	bool audit;			/* run the audit's checks */
	size_t warnings_cap;
	struct cs_ints override;
	struct cs_totals totals;
	bool explain;			/* keep each layer's arithmetic */
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

static inline int64_t cs_layer_trainable_bytes(const struct cs_model *m, const struct cs_layer *ly)
{
	return ly->flags & CS_LF_BYTES ? cs_model_op(m, ly)->trainable_bytes
				       : ly->trainable_params * ly->weight_bytes;
}

static inline int64_t cs_layer_non_trainable_bytes(const struct cs_model *m, const struct cs_layer *ly)
{
	return ly->flags & CS_LF_BYTES ? cs_model_op(m, ly)->non_trainable_bytes
				       : ly->non_trainable_params * ly->weight_bytes;
}

struct cs_warning {
	struct cs_mark mark;
	const char *message;
};

/* Record an audit finding at ly (printf-style); -1 when out of memory. */
int cs_model_warn(struct cs_model *m, struct cs_mark at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The audit's checks of one layer, as it is propagated (audit.c), and of
 * the whole model once it is read. */
int cs_audit_layer(struct cs_model *m, const struct cs_layer *ly, const struct cs_args *a,
		   const struct cs_shape *in, int data_format);
int cs_audit_model(struct cs_model *m);

struct cs_model *cs_model_new(void);
/* Append a zeroed layer; NULL when out of memory. */
struct cs_layer *cs_model_add_layer(struct cs_model *m);

/* The layer's name: its own, or the automatic one written into buf. */
const char *cs_layer_name(const struct cs_layer *ly, char *buf, size_t size);

/* The output of layer ly with arguments a, from the shape *in (which
 * becomes the output): its rule, its weights in the layer's dtype, the
 * model's totals.  Fails pointing at the layer. */
int cs_propagate_layer(struct cs_model *m, struct cs_layer *ly, const struct cs_args *a,
		       struct cs_shape *in, struct cs_buf *explain, struct cs_error *err);

/* The input shape with its batch, to start propagating from. */
int cs_propagate_start(struct cs_model *m, struct cs_shape *in, struct cs_error *err);

/* Keras's automatic-name stem of a class name (its to_snake_case()):
 * "Conv2D" -> "conv2d", "ReLU" -> "re_lu".  Writes into buf. */
const char *cs_snake_case(const char *cls, char *buf, size_t size);

#endif
