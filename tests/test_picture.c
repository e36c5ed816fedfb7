/* The pictures' walk of nested models (picture.c) where no model file can
 * take it: a sub-model inside a sub-model.  The loaders refuse `models:`
 * in a sub-model (model-format-graphs.md §11), so the model is made by
 * putting a loaded model with a sub-model of its own in the place of
 * another model's sub-model.  Its DOT and Mermaid with --show nested are
 * compared with tests/pictures/expected/nested_in_nested.{dot,mermaid}
 * (tests/pictures.py has Graphviz's dot read the DOT).
 *
 *   test_picture EXPECTED_DIR [--regen]
 */
#include "helpers.h"
#include "model.h"
#include "picture.h"

static const char *expected_dir;
static bool regen;

/* outer calls mid; mid is replaced by the model below, which calls the
 * Sequential inner and gives inner's output as its first: the edge from
 * mid's first output starts two clusters deep */
static const char outer_yaml[] =
	"name: outer\n"
	"models:\n"
	"  mid:\n"
	"    inputs:\n"
	"      - {name: m_in, shape: [8]}\n"
	"    layers:\n"
	"      - Dense: {name: m_dense, units: 4}\n"
	"    outputs: [m_dense, m_dense]\n"
	"inputs:\n"
	"  - {name: x, shape: [8]}\n"
	"layers:\n"
	"  - {call: mid, inputs: [x]}\n"
	"  - Dense: {name: out, units: 2, inputs: [\"mid[0][0]\"]}\n"
	"  - Dense: {name: \"out <2>\", units: 2, inputs: [\"mid[0][1]\"]}\n"
	"outputs: [out, \"out <2>\"]\n";

static const char mid_yaml[] =
	"name: mid\n"
	"models:\n"
	"  inner:\n"
	"    layers:\n"
	"      - Dense: {name: i_dense1, units: 6}\n"
	"      - Dense: {name: i_dense2, units: 4}\n"
	"inputs:\n"
	"  - {name: m_in, shape: [8]}\n"
	"layers:\n"
	"  - {call: inner, inputs: [m_in]}\n"
	"  - Dense: {name: m_skip, units: 4, inputs: [m_in]}\n"
	"  - Add: {name: m_add, inputs: [inner, m_skip]}\n"
	"outputs: [inner, m_add]\n";

static char *render_opts(const cs_model *m, const char *format, unsigned show)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	struct cs_render_options opt = CS_RENDER_OPTIONS_INIT;
	opt.show = show;
	struct cs_error err;
	int rc = cs_render(m, format, &opt, f, &err);
	fclose(f);
	if (rc < 0) {
		free(s);
		return NULL;
	}
	return s;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *s = NULL;
	size_t len = 0, cap = 0, n;
	char chunk[4096];
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (len + n + 1 > cap) {
			cap = 2 * (len + n + 1);
			s = realloc(s, cap);
			assert_non_null(s);
		}
		memcpy(s + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (!s)
		s = calloc(1, 1);
	else
		s[len] = '\0';
	return s;
}

/* got against the golden NAME (or written there with --regen) */
static void golden(const char *name, const char *got)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", expected_dir, name);
	if (regen) {
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		fputs(got, f);
		fclose(f);
	}
	char *want = slurp(path);
	if (!want)
		fail_msg("cannot read %s", path);
	if (strcmp(want, got))
		print_error("%s differs; convsummary's:\n%s", path, got);
	assert_string_equal(want, got);
	free(want);
}

/* outer with mid grafted in place of its sub-model; the sub-model it
 * replaced in *old (the caller destroys both) */
static cs_model *grafted(cs_model **old)
{
	cs_model *outer = load_ok(outer_yaml);
	cs_model *mid = load_ok(mid_yaml);
	assert_int_equal(outer->nsubs, 1);
	*old = outer->subs[0];
	outer->subs[0] = mid;
	return outer;
}

static void nested_in_nested(void **state)
{
	(void)state;
	cs_model *old, *m = grafted(&old);
	char *dot = render_opts(m, "dot", CS_SHOW_NESTED);
	char *mermaid = render_opts(m, "mermaid", CS_SHOW_NESTED);
	assert_non_null(dot);
	assert_non_null(mermaid);
	golden("nested_in_nested.dot", dot);
	golden("nested_in_nested.mermaid", mermaid);
	/* clusters inside clusters */
	assert_non_null(strstr(dot, "\tsubgraph cluster_r1 {\n"));
	assert_non_null(strstr(dot, "\t\tsubgraph cluster_r1_r1 {\n"));
	/* mid's first output is inner's: the edge starts two clusters deep */
	assert_non_null(strstr(dot, "\tr1_r1_r1 -> r2;\n"));
	free(dot);
	free(mermaid);
	/* without --show nested, mid is one node as before */
	char *flat = render_opts(m, "dot", 0);
	assert_non_null(flat);
	assert_null(strstr(flat, "subgraph"));
	assert_non_null(strstr(flat, "\tr0 -> r1;\n"));
	free(flat);
	cs_model_destroy(m);
	cs_model_destroy(old);
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* a model that is its own sub-model: the walk stops at CS_PIC_MAX_DEPTH
 * and draws the sub-model there as one node */
static void depth_limit(void **state)
{
	(void)state;
	cs_model *old, *m = grafted(&old);
	cs_model *mid = m->subs[0];
	cs_model *inner = mid->subs[0];
	mid->subs[0] = mid;
	char *dot = render_opts(m, "dot", CS_SHOW_NESTED);
	char *mermaid = render_opts(m, "mermaid", CS_SHOW_NESTED);
	mid->subs[0] = inner;
	assert_non_null(dot);
	assert_non_null(mermaid);
	assert_int_equal(count(dot, "subgraph cluster_"), CS_PIC_MAX_DEPTH - 1);
	assert_int_equal(count(mermaid, "subgraph cluster_"), CS_PIC_MAX_DEPTH - 1);
	assert_int_equal(count(mermaid, " end\n"), CS_PIC_MAX_DEPTH - 1);
	/* the deepest: mid's row 1 as a node, its ids unique */
	assert_non_null(strstr(dot, "r1_r1_r1_r1_r1_r1_r1_r1 [label=<"));
	free(dot);
	free(mermaid);
	cs_model_destroy(m);
	cs_model_destroy(old);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_picture EXPECTED_DIR [--regen]\n");
		return 2;
	}
	expected_dir = argv[1];
	regen = argc > 2 && !strcmp(argv[2], "--regen");
	const struct CMUnitTest tests[] = { cmocka_unit_test(nested_in_nested), cmocka_unit_test(depth_limit) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
