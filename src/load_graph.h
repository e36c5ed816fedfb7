/*
 * The graph keys of a model file (model-format-graphs.md): what the
 * reader keeps of them while it reads (references as written), and the
 * step that, once a (sub-)model is read whole, names its inputs, resolves
 * every reference and `call`, and sets its outputs.
 */
#ifndef CS_LOAD_GRAPH_H
#define CS_LOAD_GRAPH_H

#include "model.h"
#include "names.h"
#include "yaml_nodes.h"

/* A reference as written: `name` or `name[call][output]`. */
struct cs_ref_text {
	const char *text;
	struct cs_mark mark;
};

/* An entry whose inputs are given, or which is a `call`. */
struct cs_pending {
	uint32_t entry;
	uint32_t first, n;	/* its references; n == UINT32_MAX: not given */
	const char *call;	/* the layer or sub-model a `call` names */
	struct cs_mark call_mark;
};

/* One item of the top-level `inputs` list (keras.Input's arguments). */
struct cs_input_decl {
	const char *name;	/* NULL: automatic */
	struct cs_ints shape;
	int64_t batch_size;	/* CS_UNSET: the model's */
	const char *dtype;	/* NULL: the model's */
	struct cs_mark mark;
};

struct cs_graph_decls {
	struct cs_arena arena;		/* the references' texts, until the
					 * graph is resolved */
	bool graph;			/* a graph key was seen: Functional */
	struct cs_mark graph_mark;
	struct cs_pending *pend;
	size_t npend, pend_cap, pend_ready;
	struct cs_ref_text *refs;
	size_t nrefs, refs_cap, refs_ready;
	struct cs_ref_text *outs;
	size_t nouts;
	bool outs_given;
	struct cs_mark outs_mark;
	struct cs_input_decl *decls;
	size_t ndecls;
	bool decls_given;
	struct cs_mark decls_mark;
	const char *input_name;		/* a first `Input` layer's name */
	struct cs_mark input_name_mark;
};

/* The references of a value (one, or a list of them) into out[0..*n),
 * their texts copied into arena. */
int cs_graph_read_refs(const struct cs_node *v, const char *what, struct cs_arena *arena,
		       struct cs_ref_text **out, size_t *n, struct cs_error *err);

/* Entry `entry` has references refs[0..n) (n == UINT32_MAX: none given)
 * and, if call is not NULL, calls that layer or sub-model again. */
int cs_graph_pend(struct cs_graph_decls *g, uint32_t entry, const struct cs_ref_text *refs,
		  uint32_t n, const char *call, struct cs_mark call_mark);

/* The read model m made whole: inputs, names, references, outputs. */
int cs_graph_finish(struct cs_model *m, struct cs_graph_decls *g, struct cs_names *names,
		    struct cs_error *err);

void cs_graph_decls_free(struct cs_graph_decls *g);

/* The stem of automatic input names ("input_layer"), a class's snake. */
const char *cs_input_stem(void);

#endif
