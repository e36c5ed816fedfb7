/* Keras's own model config (model.to_json(), or config.json in a .keras
 * archive) -> our YAML model format (model-format-graphs.md §10). */
#ifndef CS_KERAS_CONFIG_H
#define CS_KERAS_CONFIG_H

#include <stddef.h>

#include "diag.h"
#include "json_tree.h"

/* Where a stretch of the YAML came from in the JSON. */
struct cs_keras_span {
	struct cs_mark yaml, json;
};

struct cs_keras_yaml {
	char *text;		/* NUL-terminated YAML, malloc'd */
	size_t len;
	struct cs_keras_span *spans;	/* in YAML order */
	size_t nspans, cap;
};

/* Whether a parsed JSON value is a Keras config: an object with a
 * `class_name` (which cs_keras_to_yaml() then checks is a model's). */
int cs_keras_is_config(const json_t *root);

/*
 * Write the model of the config j as our YAML into *out: names kept, of
 * each layer's arguments only those our layer tables use that differ from
 * their defaults (so never initializers, regularizers, constraints),
 * `trainable` when false and `dtype` when not float32; graph keys for a
 * Functional model.  header (one line, without '#'; may be NULL) starts
 * the text as a comment.  Returns 0, or -1 with *err set at a place in
 * the JSON.  Free *out with cs_keras_yaml_free() either way.
 */
int cs_keras_to_yaml(const struct cs_json *j, const char *header, struct cs_keras_yaml *out,
		     struct cs_error *err);

/* The JSON place of a place in the YAML text (the start of the stretch it
 * falls in); {0, 0} stays {0, 0}. */
struct cs_mark cs_keras_yaml_origin(const struct cs_keras_yaml *y, struct cs_mark at);

void cs_keras_yaml_free(struct cs_keras_yaml *y);

#endif
