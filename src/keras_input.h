/* Recognising a model file by its content: a .keras archive, a Keras
 * config (model.to_json()), or our YAML.  The first two are converted to
 * YAML (keras_config.c) before the YAML loader reads them. */
#ifndef CS_KERAS_INPUT_H
#define CS_KERAS_INPUT_H

#include <stdio.h>

#include "keras_config.h"

struct cs_model;

struct cs_keras_input {
	char *bytes;		/* the file, when it had to be read whole */
	const char *data;	/* the YAML to read (with a return of 1) */
	size_t len;
	int converted;		/* data is YAML converted from Keras's JSON */
	struct cs_keras_yaml yaml;	/* without places (see keras_input.c) */
	const char *json;	/* the config it came from, kept for errors */
	size_t json_len;
	char *config;		/* an archive's config.json */
	char version[32];	/* the archive's Keras version, or "" */
	char header[1200];	/* the YAML's first comment, or "" */
};

/*
 * Look at the model in file f (its first byte; the rest is read only when
 * it may be Keras's: '{', 'P' or white space) or in data.  Returns 0 when
 * it is our YAML, to be read as it is (f untouched); 1 when the YAML to
 * read is in->data; -1 with *err set (its file becomes "FILE:config.json"
 * for an archive).  Close *in with cs_keras_input_close() in every case.
 * header (or NULL) is the origin line the converted YAML starts with.
 */
int cs_keras_input_open(struct cs_keras_input *in, FILE *f, const char *data, size_t len,
			const char *header, struct cs_error *err);

/* An error found in converted YAML, moved to the JSON place it came from. */
void cs_keras_input_remap(const struct cs_keras_input *in, struct cs_error *err);

/* What the model keeps of its origin (the Keras version). */
void cs_keras_input_apply(const struct cs_keras_input *in, struct cs_model *m);

void cs_keras_input_close(struct cs_keras_input *in);

#endif
