/*
 * An example of the convsummary library: load a model file and print its
 * name, input, layer count and totals.  It uses only what
 * <convsummary.h> declares; build it against an installed library with
 *
 *     cc totals.c $(pkg-config --cflags --libs convsummary) -o totals
 *
 * and run it as `./totals models/mnist_cnn.yaml`.  It exits as the
 * convsummary command does: 0, 1 for an invalid model, 2 for a file that
 * cannot be read (or memory that ran out, or a bad argument).
 */
#include <inttypes.h>
#include <stdio.h>

#include <convsummary.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s MODEL.yaml\n", argv[0]);
		return 2;
	}

	struct cs_error err;
	cs_model *m = cs_model_load_file(argv[1], &err);
	if (!m) {
		/* "file:line:col: error: message", as the command prints it */
		cs_error_print(&err, stderr);
		return err.status == CS_ERR_MODEL ? 1 : 2;
	}

	printf("model: %s\n", cs_model_name(m));

	size_t rank = cs_model_input_rank(m);
	const int64_t *dims = cs_model_input_dims(m);
	printf("input: (");
	for (size_t i = 0; i < rank; i++) {
		if (dims[i] == CS_NONE)
			printf("%sNone", i ? ", " : "");
		else
			printf("%s%" PRId64, i ? ", " : "", dims[i]);
	}
	printf(") %s\n", cs_model_input_dtype(m));

	size_t n = cs_model_layer_count(m);
	printf("layers: %zu\n", n);
	if (n > 0) {
		struct cs_layer_info last;
		cs_model_layer(m, n - 1, &last);
		printf("last layer: %s (%s)\n", last.name, last.class_name);
	}

	struct cs_totals t;
	cs_model_totals(m, &t);
	printf("total params: %" PRId64 "\n", t.trainable_params + t.non_trainable_params);
	printf("trainable params: %" PRId64 "\n", t.trainable_params);
	printf("non-trainable params: %" PRId64 "\n", t.non_trainable_params);
	printf("weight bytes: %" PRId64 "\n", t.trainable_bytes + t.non_trainable_bytes);

	cs_model_destroy(m);
	return 0;
}
