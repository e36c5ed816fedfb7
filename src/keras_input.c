/*
 * Which reader a model file needs, from its content (not its name):
 *   a zip (PK\3\4)                     -> a .keras archive: its config.json
 *   a JSON object with a class_name    -> a Keras config
 *   anything else                      -> our YAML, read as it is
 */
#include "keras_input.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "keras_archive.h"
#include "model.h"

static int read_all(FILE *f, char **out, size_t *len, struct cs_error *err)
{
	struct cs_mark none = { 0, 0 };
	size_t cap = 64 * 1024, n = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		if (n == cap) {
			char *more = cap < SIZE_MAX / 4 ? realloc(buf, cap * 2 + 1) : NULL;
			if (!more)
				break;
			buf = more;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				free(buf);
				return cs_fail_status(err, CS_ERR_IO, none, "cannot read: %s", strerror(errno));
			}
			buf[n] = '\0';
			*out = buf;
			*len = n;
			return 0;
		}
	}
	free(buf);
	return cs_fail_oom(err, none);
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/*
 * Conversion runs without places first: noting where each of a big
 * config's values starts costs more than the rest of the reading (a
 * 20,000-layer config has millions of values).  Places are needed only
 * for an error, and the conversion is deterministic, so an error converts
 * again with places (the same YAML, now with its spans) to say where.
 */

/* The config in->json into *y, with or without places. */
static int convert_once(const struct cs_keras_input *in, struct cs_json *j, int places,
			struct cs_keras_yaml *y, struct cs_error *err)
{
	memset(y, 0, sizeof(*y));
	if (!j->root && cs_json_parse(j, in->json, in->json_len, places, err) < 0)
		return -1;
	if (!cs_keras_is_config(j->root)) {
		struct cs_mark start = cs_json_mark(j, j->root);
		if (!start.line && places)
			start = (struct cs_mark){ 1, 1 };	/* null, true, false */
		return cs_fail(err, start,
			       "expected a Keras model config (an object with \"class_name\": "
			       "\"Sequential\", \"Functional\" or \"Model\")");
	}
	return cs_keras_to_yaml(j, in->header[0] ? in->header : NULL, y, err);
}

/* The config in->json (j: its tree without places, or empty) into YAML. */
static int convert(struct cs_keras_input *in, struct cs_json *j, struct cs_error *err)
{
	int rc = convert_once(in, j, 0, &in->yaml, err);
	cs_json_free(j);
	if (rc < 0 && err->status == CS_ERR_MODEL && !err->line) {
		struct cs_keras_yaml again;
		convert_once(in, j, 1, &again, err);
		cs_json_free(j);
		cs_keras_yaml_free(&again);
	}
	if (rc < 0)
		return -1;
	in->converted = 1;
	in->data = in->yaml.text;
	in->len = in->yaml.len;
	return 1;
}

static int from_archive(struct cs_keras_input *in, const char *data, size_t len, struct cs_error *err)
{
	if (cs_keras_archive_read(data, len, &in->config, &in->json_len, in->version,
				  sizeof(in->version), err) < 0)
		return -1;
	in->json = in->config;
	/* errors from here on are in the archive's config.json */
	char where[sizeof(err->file) + 16];
	snprintf(where, sizeof(where), "%s:config.json", err->file);
	cs_error_set_file(err, where);
	if (in->header[0] && in->version[0]) {
		size_t n = strlen(in->header);
		snprintf(in->header + n, sizeof(in->header) - n, " (Keras %s)", in->version);
	}
	struct cs_json j = { 0 };
	return convert(in, &j, err);
}

int cs_keras_input_open(struct cs_keras_input *in, FILE *f, const char *data, size_t len,
			const char *header, struct cs_error *err)
{
	memset(in, 0, sizeof(*in));
	if (header)
		snprintf(in->header, sizeof(in->header), "%s", header);
	if (f) {
		int c = getc(f);
		if (c == EOF)
			return 0;
		if (ungetc(c, f) == EOF || !strchr("{P \t\r\n", c))
			return 0;
		if (read_all(f, &in->bytes, &in->len, err) < 0)
			return -1;
		data = in->bytes;
		len = in->len;
	}
	in->data = data;
	in->len = len;
	if (cs_keras_is_archive(data, len))
		return from_archive(in, data, len, err);
	const char *p = skip_space(data, data + len);
	if (p < data + len && *p == '{') {
		/* JSON that is a Keras config; JSON that is not, or a YAML flow
		 * mapping, is our YAML.  Python's json writes keys quoted, so
		 * `{"` that does not parse is broken JSON, not YAML. */
		struct cs_json j;
		struct cs_error jerr = *err;
		int parsed = cs_json_parse(&j, data, len, 0, &jerr) == 0;
		const char *q = skip_space(p + 1, data + len);
		in->json = data;
		in->json_len = len;
		if (parsed && cs_keras_is_config(j.root))
			return convert(in, &j, err);
		cs_json_free(&j);
		if (!parsed && (jerr.status == CS_ERR_MEMORY || (q < data + len && *q == '"'))) {
			*err = jerr;
			return -1;
		}
	}
	return in->bytes ? 1 : 0;
}

void cs_keras_input_remap(const struct cs_keras_input *in, struct cs_error *err)
{
	if (!in->converted || !err->line)
		return;
	/* the same YAML once more, now with the places of what it came from */
	struct cs_json j = { 0 };
	struct cs_keras_yaml placed;
	struct cs_error scratch = *err;
	struct cs_mark at = { 0, 0 };
	if (convert_once(in, &j, 1, &placed, &scratch) == 0)
		at = cs_keras_yaml_origin(&placed, (struct cs_mark){ err->line, err->column });
	cs_keras_yaml_free(&placed);
	cs_json_free(&j);
	err->line = at.line;
	err->column = at.column;
}

void cs_keras_input_apply(const struct cs_keras_input *in, struct cs_model *m)
{
	memcpy(m->keras_version, in->version, sizeof(m->keras_version));
}

void cs_keras_input_close(struct cs_keras_input *in)
{
	free(in->bytes);
	free(in->config);
	cs_keras_yaml_free(&in->yaml);
	memset(in, 0, sizeof(*in));
}

const char *cs_model_keras_version(const cs_model *m)
{
	return m->keras_version[0] ? m->keras_version : NULL;
}

int cs_keras_convert_file(const char *path, char **yaml, size_t *len, struct cs_error *err)
{
	struct cs_error dummy;
	struct cs_mark none = { 0, 0 };
	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	*yaml = NULL;
	*len = 0;
	bool in = !strcmp(path, "-");
	cs_error_set_file(err, in ? "<stdin>" : path);
	FILE *f = in ? stdin : fopen(path, "rb");
	if (!f)
		return cs_fail_status(err, CS_ERR_IO, none, "cannot open: %s", strerror(errno));
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		if (!in)
			fclose(f);
		return cs_fail_status(err, CS_ERR_IO, none, "is a directory; expected a model file");
	}
	/* the header names the file without its directories */
	const char *base = in ? "<stdin>" : strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char header[1100];
	snprintf(header, sizeof(header), "Converted by convsummary from %s", base);
	struct cs_keras_input kin;
	int rc = cs_keras_input_open(&kin, f, NULL, 0, header, err);
	if (!in)
		fclose(f);
	if (rc >= 0 && !kin.converted)
		rc = cs_fail(err, none, "not a Keras model: expected a .keras archive or a Keras "
			     "config (the JSON of model.to_json())");
	if (rc >= 0) {
		/* loaded once, so that what is written is known to summarise */
		struct cs_error check;
		cs_model *m = cs_model_load_buffer(kin.data, kin.len, err->file, &check);
		if (!m) {
			cs_keras_input_remap(&kin, &check);
			memcpy(check.file, err->file, sizeof(check.file));
			*err = check;
			rc = -1;
		}
		cs_model_destroy(m);
	}
	if (rc >= 0) {
		*yaml = kin.yaml.text;
		*len = kin.yaml.len;
		kin.yaml.text = NULL;
	}
	cs_keras_input_close(&kin);
	return rc < 0 ? -1 : 0;
}
