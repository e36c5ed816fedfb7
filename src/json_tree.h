/* Keras's JSON files, read with jansson, with the place of every value
 * and key kept so that errors can point into the JSON text. */
#ifndef CS_JSON_TREE_H
#define CS_JSON_TREE_H

#include <jansson.h>
#include <stddef.h>

#include "diag.h"

struct cs_json_place;

struct cs_json {
	json_t *root;
	struct cs_json_place *places;	/* open addressing: address -> mark */
	size_t nplaces;		/* slots, a power of two */
};

/*
 * Parse len bytes of JSON text into j->root (duplicate keys refused, depth
 * bounded by jansson's 2048) and, with places, note where each value and
 * object key starts (without, cs_json_mark() knows nothing: the noting
 * costs more than the parse on a big file, and only errors need it).
 * Returns 0, or -1 with *err set at the place of the syntax error
 * (CS_ERR_MEMORY when memory ran out).  Free with cs_json_free() either way.
 */
int cs_json_parse(struct cs_json *j, const char *data, size_t len, int places,
		  struct cs_error *err);

/*
 * Where a value (a json_t *) or an object key (the pointer that
 * json_object_iter_key() or json_object_foreach() gives) starts in the
 * text.  null, true and false are shared by every use in jansson, so they
 * have no place of their own: { 0, 0 }, as has anything unknown.
 */
struct cs_mark cs_json_mark(const struct cs_json *j, const void *value_or_key);

/* The place of key in object o (its key), or of o when o lacks it. */
struct cs_mark cs_json_key_mark(const struct cs_json *j, const json_t *o, const char *key);

void cs_json_free(struct cs_json *j);

#endif
