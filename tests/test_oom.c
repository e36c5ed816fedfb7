/* Running out of memory at every allocation in turn: loading a model (read
 * small and long), writing it in every format
 * and diffing it.  Each run either succeeds or fails with an "out of
 * memory" error (status CS_ERR_MEMORY: exit 2, the file is not at fault); none
 * crashes, and under AddressSanitizer none leaks.
 *
 * The library's objects are linked in with -Wl,--wrap for malloc, calloc
 * and realloc, so only its own allocations fail (libyaml's and libc's go
 * on as usual). */
#include <stdatomic.h>
#include <unistd.h>

#include "helpers.h"
#include "yaml_events.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);

static atomic_long allocations;
static atomic_long fail_at = -1;	/* the allocation that fails; -1: none */

static bool fails(void)
{
	return atomic_fetch_add(&allocations, 1) == atomic_load(&fail_at);
}

void *__wrap_malloc(size_t n)
{
	return fails() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fails() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	return fails() ? NULL : __real_realloc(p, n);
}

static const char model[] =
	"name: oom\ninput_shape: [32, 32, 3]\nlayers:\n"
	"  - Conv2D: {filters: 8, kernel_size: 3, padding: same, activation: relu}\n"
	"  - BatchNormalization\n"
	"  - Normalization: {mean: [[0.5]], variance: [[0.25]], axis: [1, 3]}\n"
	"  - type: MaxPooling2D\n    pool_size: 2\n"
	"  - SeparableConv2D: {filters: 16, kernel_size: 3, name: sep}\n"
	"  - UpSampling2D: {size: 2}\n"
	"  - GlobalAveragePooling2D\n"
	"  - Dense: {units: 10, activation: softmax, dtype: mixed_float16}\n";

#define MAX_OUTPUTS 24

/* Everything a run writes, each piece in its own string. */
struct outputs {
	char *text[MAX_OUTPUTS];
	int ok[MAX_OUTPUTS];	/* written without an error */
	size_t n;
};

static void outputs_free(struct outputs *o)
{
	for (size_t i = 0; i < o->n; i++)
		free(o->text[i]);
	memset(o, 0, sizeof(*o));
}

/* One piece: write() into a string; an error must be "out of memory". */
static void piece(struct outputs *o, long at, const char *what, int rc, struct cs_error *err,
		  FILE *f, char **sp)
{
	fclose(f);	/* which sets *sp */
	char *s = *sp;
	if (rc < 0 && (!strstr(err->message, "out of memory") || err->status != CS_ERR_MEMORY))
		fail_msg("allocation %ld failed: %s: %s", at, what, err->message);
	assert_true(o->n < MAX_OUTPUTS);
	o->ok[o->n] = rc == 0;
	o->text[o->n++] = s;
}

/* Load, write in every format (and with columns) and diff with itself,
 * failing allocation `at` (-1: none); true when the run got past it.
 * Whatever was written without an error must be what the run without a
 * failure wrote: never a quietly shortened summary. */
static cs_model *changed;	/* the model with a layer inserted, to diff with */
static bool pictures;		/* also the DOT and Mermaid pictures */

static bool run(const char *path, long at, struct outputs *o)
{
	atomic_store(&allocations, 0);
	atomic_store(&fail_at, at);
	struct cs_error err;
	struct cs_load_options lo = { .explain = 1, .audit = 1 };
	cs_model *m = cs_model_load_file_opts(path, &lo, &err);
	if (!m) {
		if (!strstr(err.message, "out of memory") || err.status != CS_ERR_MEMORY)
			fail_msg("allocation %ld failed: status %d, %s", at, err.status, err.message);
	} else {
		for (const char *const *f = cs_format_names(); *f; f++) {
			/* svg and html lay the picture out with Graphviz, whose
			 * own allocations are not ours to fail, for tens of
			 * milliseconds a run: what they are made from, the DOT,
			 * is failed here allocation by allocation */
			if (!strcmp(*f, "svg") || !strcmp(*f, "html") ||
			    (!pictures && (!strcmp(*f, "dot") || !strcmp(*f, "mermaid"))))
				continue;
			for (int columns = 0; columns < 2; columns++) {
				struct cs_render_options opt = { .columns = "name,params,macs,rf,kernel" };
				char *s = NULL;
				size_t len;
				FILE *mem = open_memstream(&s, &len);
				assert_non_null(mem);
				int rc = cs_render(m, *f, columns ? &opt : NULL, mem, &err);
				piece(o, at, *f, rc, &err, mem, &s);
			}
		}
		static const char *const diff_formats[] = { "text", "markdown", "json" };
		for (size_t k = 0; k < 3; k++) {
			char *s = NULL;
			size_t len;
			FILE *mem = open_memstream(&s, &len);
			assert_non_null(mem);
			int differ;
			int rc = cs_diff(m, "a", changed, "b", diff_formats[k], mem, &differ, &err);
			piece(o, at, "diff", rc, &err, mem, &s);
		}
		cs_model_destroy(m);
	}
	bool past = atomic_load(&allocations) <= at;
	atomic_store(&fail_at, -1);
	return past;
}

static char *write_model(const char *text, size_t copies)
{
	static char path[32];
	strcpy(path, "/tmp/test_oomXXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	/* more layers, so that the blocks and the layer records fill up */
	for (size_t i = 0; i < copies; i++)
		fputs("  - Dense: {units: 10}\n  - Dropout: {rate: 0.1}\n", f);
	fclose(f);
	return path;
}

static void every_allocation(const char *path)
{
	/* the model with a Dropout before its global pooling */
	const char *pool = strstr(model, "  - GlobalAveragePooling2D\n");
	assert_non_null(pool);
	char text[sizeof(model) + 64];
	snprintf(text, sizeof(text), "%.*s  - Dropout: {rate: 0.5}\n%s", (int)(pool - model), model, pool);
	struct cs_error err;
	changed = cs_model_load_buffer(text, strlen(text), "changed.yaml", &err);
	assert_non_null(changed);
	struct outputs want = { 0 };
	assert_true(run(path, -1, &want) == false);
	for (size_t i = 0; i < want.n; i++)
		assert_true(want.ok[i]);
	long at = 0;
	for (;; at++) {
		struct outputs got = { 0 };
		bool past = run(path, at, &got);
		for (size_t i = 0; i < got.n; i++)
			if (got.ok[i] && strcmp(got.text[i], want.text[i]))
				fail_msg("allocation %ld failed: output %zu written without an error, "
					 "but not the whole of it", at, i);
		outputs_free(&got);
		if (past)
			break;
	}
	outputs_free(&want);
	cs_model_destroy(changed);
	print_message("%ld allocations, each failed in turn\n", at);
	assert_true(at > 50);	/* the loop did reach the formatters */
}

static void small_model(void **state)
{
	(void)state;
	char *path = write_model(model, 0);
	pictures = true;
	every_allocation(path);
	remove(path);
}

/* A model long enough that the layer records, names and texts grow past
 * their first chunks.  The pictures, whose buffers are the text table's
 * (failed on the small model), would only make it longer. */
static void long_model(void **state)
{
	(void)state;
	char *path = write_model(model, 1034);
	pictures = false;
	every_allocation(path);
	remove(path);
}

/* A Keras config (model.to_json()): the JSON places, the conversion to
 * YAML and the error-free path through the same loader.  jansson's own
 * allocations are not ours to fail (its library is not wrapped). */
static void keras_config(void **state)
{
	(void)state;
	char *path = write_model(
		"{\"class_name\": \"Sequential\", \"config\": {\"name\": \"oom\", \"layers\": [\n"
		"  {\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 32, 32, 3], "
		"\"dtype\": \"float32\", \"name\": \"input_layer\"}},\n"
		"  {\"class_name\": \"Conv2D\", \"config\": {\"name\": \"c\", \"filters\": 8, "
		"\"kernel_size\": [3, 3], \"padding\": \"same\", \"activation\": \"relu\", "
		"\"kernel_initializer\": {\"class_name\": \"GlorotUniform\", \"config\": {\"seed\": null}}}},\n"
		"  {\"class_name\": \"GlobalAveragePooling2D\", \"config\": {\"name\": \"gap\"}},\n"
		"  {\"class_name\": \"Dense\", \"config\": {\"name\": \"\\ud83d\\ude04\", \"units\": 10, "
		"\"dtype\": {\"class_name\": \"DTypePolicy\", \"config\": {\"name\": \"mixed_float16\"}}}}]}}\n",
		0);
	every_allocation(path);
	remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(small_model),
		cmocka_unit_test(long_model),
		cmocka_unit_test(keras_config),
	};
	return cmocka_run_group_tests_name("out of memory at every allocation", tests, NULL, NULL);
}
