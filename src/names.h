/* Layer names as Keras gives them: a counter per class stem for the
 * automatic ones (conv2d, conv2d_1, ...), and the uniqueness Keras insists
 * on, between explicit names and with the automatic ones before or after. */
#ifndef CS_NAMES_H
#define CS_NAMES_H

#include "model.h"

/* The stem of unnamed Functional models' names (a static address). */
extern const char cs_functional_stem[];

struct cs_name_counter {
	const char *stem;
	uint32_t next;
	bool watched;		/* an explicit name starts with this stem */
};

struct cs_named {
	const char *name;
	unsigned line;
	const void *scope;	/* the (sub-)model it is in */
	uint64_t target;	/* what it names there (the loader's) */
};

struct cs_names {
	struct cs_name_counter counters[160];
	size_t ncounters;
	struct cs_named *names;	/* explicit names, open addressing */
	size_t names_cap, names_n;
	struct cs_model *m;	/* for the call in progress */
	struct cs_error *err;
};

/* Name layer ly of m (just added): the name given in the file (copied into
 * the model), or the next automatic one.  Fails, at ly, on a name Keras
 * would refuse as a duplicate. */
int cs_names_layer(struct cs_names *n, struct cs_model *m, struct cs_layer *ly, const char *given,
		   struct cs_error *err);

/* An explicit name other than a layer's (a model input's, a sub-model's):
 * unique like a layer's; what it names in scope is kept for lookups. */
int cs_names_explicit(struct cs_names *n, const char *name, struct cs_mark at, const void *scope,
		      uint64_t target, struct cs_error *err);
/* The next automatic number of stem (a class's snake name, or another
 * stem with a static address such as "functional"); fails at `at` when
 * an explicit name already took stem_N. */
int cs_names_auto(struct cs_names *n, const char *stem, struct cs_mark at, uint32_t *k,
		  struct cs_error *err);
/* The entry an explicit name stands for in scope; NULL if none there. */
const struct cs_named *cs_names_find(const struct cs_names *n, const char *name);
/* Make the explicit name just given to layer ly (cs_names_layer) point at
 * scope and target. */
void cs_names_set_target(struct cs_names *n, const char *name, const void *scope, uint64_t target);

/* Forget every name (for a new model); the struct may then be reused. */
void cs_names_reset(struct cs_names *n);

#endif
