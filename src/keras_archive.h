/* A .keras archive (a zip of metadata.json, config.json and
 * model.weights.h5): its config and the Keras version that saved it. */
#ifndef CS_KERAS_ARCHIVE_H
#define CS_KERAS_ARCHIVE_H

#include <stddef.h>

#include "diag.h"

/* The most read from config.json; a bigger one (or one that inflates to
 * more: a zip bomb) is refused. */
#define CS_KERAS_CONFIG_MAX ((size_t)256 << 20)

/* Whether len bytes start as a zip archive does. */
int cs_keras_is_archive(const char *data, size_t len);

/*
 * Read config.json out of the zip archive in data (the weights are never
 * read) into *config (malloc'd, NUL-terminated; the caller frees it) and
 * metadata.json's keras_version, if any, into version ("" if none).
 * Returns 0, or -1 with *err set (a corrupt or truncated zip, no
 * config.json, one past CS_KERAS_CONFIG_MAX, memory).
 */
int cs_keras_archive_read(const char *data, size_t len, char **config, size_t *config_len,
			  char *version, size_t version_size, struct cs_error *err);

#endif
