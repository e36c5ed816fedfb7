/* Layer names as Keras gives them: a counter per class stem for the
 * automatic ones (conv2d, conv2d_1, ...), and the uniqueness Keras insists
 * on, between explicit names and with the automatic ones before or after. */
#ifndef CS_NAMES_H
#define CS_NAMES_H

#include "model.h"

struct cs_name_counter {
	const char *stem;
	uint32_t next;
	bool watched;		/* an explicit name starts with this stem */
};

struct cs_named {
	const char *name;
	unsigned line;
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

/* Forget every name (for a new model); the struct may then be reused. */
void cs_names_reset(struct cs_names *n);

#endif
