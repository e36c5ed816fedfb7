/* Turning a layer's YAML arguments into typed values (struct cs_args),
 * driven by the class's argument table. */
#ifndef CS_ARGS_H
#define CS_ARGS_H

#include "arena.h"
#include "layers/layers.h"
#include "yaml_nodes.h"

/* The largest integer an argument or a dimension may be: 2^31 - 1. */
#define CS_ARG_INT_MAX 2147483647LL

/* Fill *a with the class's defaults. */
void cs_args_defaults(const struct cs_layer_class *cls, struct cs_args *a);

/* The class's argument called name, or NULL. */
const struct cs_arg_spec *cs_args_find(const struct cs_layer_class *cls,
				       const char *name);

/* The same for len bytes of name, with the argument's position among the
 * class's arguments (for remembering which were given). */
const struct cs_arg_spec *cs_args_lookup(const struct cs_layer_class *cls, const char *name,
					 size_t len, size_t *index);

/* The positions of the class's required arguments, and the argument at a
 * position. */
size_t cs_args_required(const struct cs_layer_class *cls, const uint8_t **indexes);
const struct cs_arg_spec *cs_args_spec_at(const struct cs_layer_class *cls, size_t index);

/* The same through the class's table, looked up once for a layer. */
struct class_cache;
const struct class_cache *cs_args_class(const struct cs_layer_class *cls);
void cs_args_defaults_of(const struct class_cache *k, struct cs_args *a);
const struct cs_arg_spec *cs_args_lookup_in(const struct class_cache *k, const char *name, size_t len,
					    size_t *index);
size_t cs_args_required_in(const struct class_cache *k, const uint8_t **indexes);

/* Every argument name of the class, its own first and then those every
 * layer takes, for suggestions and messages; returns the count. */
size_t cs_args_names(const struct cs_layer_class *cls, const char **names,
		     size_t max);

/* Set one argument from its YAML value; lists are copied into arena. */
int cs_args_set(const struct cs_layer_class *cls, const struct cs_arg_spec *spec,
		const struct cs_node *value, struct cs_args *a,
		struct cs_arena *arena, struct cs_error *err);

/* Scalar readers shared with the model loader. */
int cs_node_int(const struct cs_node *n, const char *what, int64_t *out,
		struct cs_error *err);
int cs_node_bool(const struct cs_node *n, const char *what, bool *out, struct cs_error *err);
int cs_node_string(const struct cs_node *n, const char *what, const char **out,
		   struct cs_error *err);
/* A list of sizes (0 or more, or null for None), as input_shape. */
int cs_node_shape(const struct cs_node *n, const char *what, struct cs_ints *out,
		  struct cs_arena *arena, struct cs_error *err);
/* Bytes of one element of a dtype or dtype policy's variables; 0 if the
 * name is not a dtype. */
int cs_dtype_bytes(const char *name);
/* Bytes of one element the layer computes with (its outputs). */
int cs_dtype_compute_bytes(const char *name);

#endif
