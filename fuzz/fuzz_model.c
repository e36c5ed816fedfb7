/*
 * libFuzzer target: arbitrary bytes through the loader, the shape engine
 * (with explanations), every formatter at a few line lengths, and the diff
 * of the model with itself; and the same bytes read from a file, which
 * must give the same refusal or the same model.  Build with
 *
 *   CC=clang meson setup build-fuzz -Dfuzz=true \
 *       -Db_sanitize=address,undefined -Db_lundef=false
 *   ninja -C build-fuzz fuzz/fuzz_model
 *   build-fuzz/fuzz/fuzz_model -dict=fuzz/yaml.dict -max_total_time=600 CORPUS models tests
 *
 * The loader recognises Keras's own files by content, so the same target
 * reaches the JSON reader, the Keras config mapping and the zip reader:
 * seed it with tests/keras (configs and an archive) and use fuzz/keras.dict.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "convsummary.h"
#include "yaml_events.h"

/* The input as a file, for the load that parses ahead: one file per
 * process, rewritten for each input. */
static const char *as_file(const uint8_t *data, size_t size)
{
	static char path[] = "/tmp/fuzz_modelXXXXXX";
	static int fd = -1;
	if (fd < 0 && (fd = mkstemp(path)) < 0)
		abort();
	if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	return path;
}

/* The file gives what the bytes gave. */
static void same_from_file(const uint8_t *data, size_t size, const struct cs_load_options *opt,
			   const cs_model *m, const struct cs_error *err)
{
	struct cs_error ferr;
	cs_model *mf = cs_model_load_file_opts(as_file(data, size), opt, &ferr);
	if (!m != !mf)
		abort();
	if (!m) {
		if (strcmp(err->message, ferr.message) || err->line != ferr.line ||
		    err->column != ferr.column)
			abort();
		return;
	}
	struct cs_totals a, b;
	cs_model_totals(m, &a);
	cs_model_totals(mf, &b);
	if (cs_model_layer_count(m) != cs_model_layer_count(mf) ||
	    a.trainable_params != b.trainable_params || a.non_trainable_params != b.non_trainable_params)
		abort();
	cs_model_destroy(mf);
}

static void render_all(const cs_model *m)
{
	static const int lengths[] = { 0, 16, 30, 121 };
	FILE *sink = fopen("/dev/null", "w");
	if (!sink)
		abort();
	for (const char *const *f = cs_format_names(); *f; f++) {
		for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
			struct cs_render_options opt = { .line_length = lengths[i] };
			struct cs_error err;
			cs_render(m, *f, &opt, sink, &err);
		}
	}
	/* every column, and the other convention */
	static const char all[] = "layer,name,type,output_shape,params,trainable_params,"
				  "non_trainable_params,params_percent,trainable,kernel,macs,flops,"
				  "other_ops,activation_bytes,rf,stride,padding";
	for (const char *const *f = cs_format_names(); *f; f++) {
		struct cs_render_options opt = { .columns = all, .torchinfo = 1, .batch_size = 7 };
		struct cs_error err;
		cs_render(m, *f, &opt, sink, &err);
	}
	for (size_t i = 0; i < cs_model_warning_count(m); i++) {
		unsigned line, col;
		if (!cs_model_warning(m, i, &line, &col)[0] || !line)
			abort();	/* every finding has words and a place */
	}
	static const char *const diff_formats[] = { "text", "markdown", "json" };
	for (size_t i = 0; i < 3; i++) {
		struct cs_error err;
		int differ = 0;
		if (cs_diff(m, "a", m, "b", diff_formats[i], sink, &differ, &err) == 0 && differ)
			abort();	/* a model always equals itself */
	}
	fclose(sink);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_error err;
	struct cs_load_options opt = { .explain = 1, .audit = 1 };
	cs_model *m = cs_model_load_buffer_opts((const char *)data, size, "fuzz.yaml", &opt, &err);
	same_from_file(data, size, &opt, m, &err);
	if (!m) {
		/* every refusal has a message and, for content errors, a place
		 * (but for a broken zip, which has no lines) */
		bool zip = size >= 2 && data[0] == 'P' && data[1] == 'K';
		if (!err.message[0] || (err.status == CS_ERR_MODEL && err.line == 0 && !zip))
			abort();
		return 0;
	}
	/* the totals are the sums of the rows */
	struct cs_totals t;
	int64_t tp = 0, np = 0;
	cs_model_totals(m, &t);
	for (size_t i = 0; i < cs_model_layer_count(m); i++) {
		struct cs_layer_info li;
		cs_model_layer(m, i, &li);
		if (li.trainable_params < 0 || li.non_trainable_params < 0 || !li.rank)
			abort();
		tp += li.trainable_params;
		np += li.non_trainable_params;
	}
	if (tp != t.trainable_params || np != t.non_trainable_params)
		abort();
	render_all(m);
	cs_model_destroy(m);
	return 0;
}
