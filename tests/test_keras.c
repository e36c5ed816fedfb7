/* The Keras config -> YAML mapping (keras_config.c) and the JSON places
 * (json_tree.c), one row per case: a small config in, the exact YAML out
 * (worked out by hand from model-format-graphs.md §10), or the error and
 * the JSON place it must point at. */
#include "helpers.h"
#include "keras_config.h"

/* Keras's spellings, kept short: a layer's config and its calls. */
#define DENSE(n, u, in) \
	"{\"class_name\": \"Dense\", \"name\": \"" n "\", \"config\": {\"name\": \"" n "\", " \
	"\"trainable\": true, \"dtype\": {\"class_name\": \"DTypePolicy\", \"config\": {\"name\": \"float32\"}}, " \
	"\"units\": " #u ", \"activation\": \"linear\", \"use_bias\": true, " \
	"\"kernel_initializer\": {\"class_name\": \"GlorotUniform\", \"config\": {\"seed\": null}}}, " \
	"\"inbound_nodes\": [" in "]}"
#define KT(l, c, o) "{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, 4], " \
	"\"keras_history\": [\"" l "\", " #c ", " #o "]}}"
#define CALL1(t) "{\"args\": [" t "], \"kwargs\": {}}"
#define INPUT(n, d) "{\"class_name\": \"InputLayer\", \"name\": \"" n "\", \"config\": " \
	"{\"batch_shape\": [null, " d "], \"dtype\": \"float32\", \"sparse\": false, \"name\": \"" n "\"}, " \
	"\"inbound_nodes\": []}"

struct row {
	const char *name;
	const char *json;
	const char *yaml;	/* expected, without a header */
	const char *error;	/* or the message */
	unsigned line, column;	/* and its JSON place */
};

static const struct row rows[] = {
	/* Sequential: the InputLayer becomes the first Input; initializers,
	 * the float32 policy, linear activation and use_bias true go */
	{ "sequential",
	  "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": [" INPUT("x", "8") ", "
	  "{\"class_name\": \"Conv1D\", \"config\": {\"name\": \"c\", \"filters\": 4, \"kernel_size\": [3], "
	  "\"strides\": [1], \"padding\": \"same\", \"dilation_rate\": [1], \"trainable\": false}}]}}",
	  "name: s\nlayers:\n  - Input: {name: x, shape: [8]}\n"
	  "  - Conv1D: {name: c, filters: 4, kernel_size: 3, padding: same, trainable: false}\n", NULL, 0, 0 },
	/* built without an Input: build_input_shape, batch size kept */
	{ "sequential_built",
	  "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"build_input_shape\": [2, 5], "
	  "\"layers\": [{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 3}}]}}",
	  "name: s\ninput_shape: [5]\nbatch_size: 2\nlayers:\n  - Dense: {name: d, units: 3}\n", NULL, 0, 0 },
	/* Functional: a chain needs no `inputs`; a branch names them */
	{ "functional_branch",
	  "{\"class_name\": \"Functional\", \"config\": {\"name\": \"f\", \"layers\": [" INPUT("in", "4") ", "
	  DENSE("a", 2, CALL1(KT("in", 0, 0))) ", " DENSE("b", 3, CALL1(KT("a", 0, 0))) ", "
	  DENSE("c", 5, CALL1(KT("a", 0, 0))) "], \"input_layers\": [[\"in\", 0, 0]], "
	  "\"output_layers\": [[\"b\", 0, 0], [\"c\", 0, 0]]}}",
	  "name: f\ninputs:\n  - {name: in, shape: [4]}\nlayers:\n  - Dense: {name: a, units: 2}\n"
	  "  - Dense: {name: b, units: 3}\n  - Dense: {name: c, units: 5, inputs: [a]}\n"
	  "outputs: [b, c]\n", NULL, 0, 0 },
	/* a shared layer: its second call is a `call` entry, written after
	 * what it needs even where the config lists it earlier */
	{ "functional_shared",
	  "{\"class_name\": \"Functional\", \"config\": {\"name\": \"f\", \"layers\": [" INPUT("in", "4") ", "
	  DENSE("d", 4, CALL1(KT("in", 0, 0)) ", " CALL1(KT("e", 0, 0))) ", "
	  DENSE("e", 4, CALL1(KT("d", 0, 0))) "], \"input_layers\": [\"in\", 0, 0], "
	  "\"output_layers\": [\"d\", 1, 0]}}",
	  "name: f\ninputs:\n  - {name: in, shape: [4]}\nlayers:\n  - Dense: {name: d, units: 4}\n"
	  "  - Dense: {name: e, units: 4}\n  - {call: d}\noutputs: [\"d[1][0]\"]\n", NULL, 0, 0 },
	/* a nested Functional model: called with `call`; in output_layers
	 * its calls count from 1 */
	{ "functional_nested",
	  "{\"class_name\": \"Functional\", \"config\": {\"name\": \"f\", \"layers\": [" INPUT("in", "4") ", "
	  "{\"class_name\": \"Functional\", \"name\": \"g\", \"config\": {\"name\": \"g\", \"trainable\": false, "
	  "\"layers\": [" INPUT("gi", "4") ", " DENSE("gd", 2, CALL1(KT("gi", 0, 0))) "], "
	  "\"input_layers\": [\"gi\", 0, 0], \"output_layers\": [\"gd\", 0, 0]}, "
	  "\"inbound_nodes\": [" CALL1(KT("in", 0, 0)) "]}], "
	  "\"input_layers\": [\"in\", 0, 0], \"output_layers\": [[\"g\", 1, 0]]}}",
	  "name: f\nmodels:\n  g:\n    trainable: false\n    inputs:\n      - {name: gi, shape: [4]}\n"
	  "    layers:\n      - Dense: {name: gd, units: 2}\n    outputs: [gd]\n"
	  "inputs:\n  - {name: in, shape: [4]}\nlayers:\n  - {call: g}\noutputs: [g]\n", NULL, 0, 0 },
	/* a merge's tensors in a nested list; names that YAML must quote */
	{ "merge_and_quoting",
	  "{\"class_name\": \"Functional\", \"config\": {\"name\": \"null\", \"layers\": [" INPUT("x[0]", "4") ", "
	  "{\"class_name\": \"Add\", \"name\": \"a\\\"b\", \"config\": {\"name\": \"a\\\"b\"}, \"inbound_nodes\": "
	  "[{\"args\": [[" KT("x[0]", 0, 0) ", " KT("x[0]", 0, 0) "]], \"kwargs\": {}}]}], "
	  "\"input_layers\": [\"x[0]\", 0, 0], \"output_layers\": [\"a\\\"b\", 0, 0]}}",
	  "name: \"null\"\ninputs:\n  - {name: \"x[0]\", shape: [4]}\nlayers:\n"
	  "  - Add: {name: \"a\\\"b\", inputs: [\"x[0]\", \"x[0]\"]}\noutputs: [\"a\\\"b\"]\n", NULL, 0, 0 },
	/* refusals, at their JSON place */
	{ "custom_class",
	  "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [\n"
	  "  {\"class_name\": \"Mine\", \"registered_name\": \"pkg>Mine\", \"config\": {\"name\": \"m\"}}]}}",
	  NULL, "layer 'm' is of class 'Mine' (registered_name 'pkg>Mine'), a layer convsummary does "
	  "not know; expected a built-in Keras layer", 2, 18 },
	{ "not_a_model", "{\"class_name\": \"Dense\"}", NULL,
	  "class_name 'Dense': expected a Keras model (Sequential, Functional or Model)", 1, 16 },
	{ "unknown_history",
	  "{\"class_name\": \"Functional\", \"config\": {\"layers\": [" INPUT("in", "4") ", "
	  DENSE("d", 4, CALL1(KT("zz", 0, 0))) "], \"input_layers\": [\"in\", 0, 0], "
	  "\"output_layers\": [\"d\", 0, 0]}}",
	  NULL, "'zz' is not a layer of this model", 1, 604 },
	{ "cycle",
	  "{\"class_name\": \"Functional\", \"config\": {\"layers\": [" INPUT("in", "4") ", "
	  DENSE("d", 4, CALL1(KT("e", 0, 0))) ", " DENSE("e", 4, CALL1(KT("d", 0, 0))) "], "
	  "\"input_layers\": [\"in\", 0, 0], \"output_layers\": [\"e\", 0, 0]}}",
	  NULL, "'e' is called on its own output (a cycle): expected a graph Keras can build", 1, 942 },
};

static void test_row(void **state)
{
	const struct row *r = *state;
	struct cs_error err = { 0 };
	struct cs_json j;
	struct cs_keras_yaml y = { 0 };
	int rc = cs_json_parse(&j, r->json, strlen(r->json), 1, &err);
	assert_int_equal(rc, 0);
	rc = cs_keras_to_yaml(&j, NULL, &y, &err);
	if (r->yaml) {
		if (rc < 0)
			fail_msg("%s", err.message);
		assert_string_equal(y.text, r->yaml);
	} else {
		assert_int_equal(rc, -1);
		assert_string_equal(err.message, r->error);
		assert_int_equal(err.line, r->line);
		assert_int_equal(err.column, r->column);
	}
	cs_keras_yaml_free(&y);
	cs_json_free(&j);
}

/* Places: a surrogate pair decodes to one character, which counts as one
 * column; keys and values have their own places; the YAML maps back. */
static void test_places(void **state)
{
	(void)state;
	static const char text[] = "{\"a\": \"\\ud83d\\ude04\",\n \"b\": [1, {\"c\": 2.5}]}";
	struct cs_error err = { 0 };
	struct cs_json j;
	assert_int_equal(cs_json_parse(&j, text, sizeof(text) - 1, 1, &err), 0);
	assert_string_equal(json_string_value(json_object_get(j.root, "a")), "\xF0\x9F\x98\x84");
	struct cs_mark m = cs_json_key_mark(&j, j.root, "b");
	assert_int_equal(m.line, 2);
	assert_int_equal(m.column, 2);
	json_t *b = json_object_get(j.root, "b");
	m = cs_json_mark(&j, json_array_get(b, 1));
	assert_int_equal(m.line, 2);
	assert_int_equal(m.column, 11);
	m = cs_json_mark(&j, json_object_get(json_array_get(b, 1), "c"));
	assert_int_equal(m.column, 17);
	cs_json_free(&j);

	/* a YAML place falls in the stretch that starts at or before it */
	struct cs_keras_span spans[] = { { { 1, 1 }, { 10, 3 } }, { { 2, 5 }, { 12, 7 } }, { { 2, 9 }, { 14, 1 } } };
	struct cs_keras_yaml y = { .spans = spans, .nspans = 3 };
	m = cs_keras_yaml_origin(&y, (struct cs_mark){ 2, 7 });
	assert_int_equal(m.line, 12);
	assert_int_equal(m.column, 7);
	m = cs_keras_yaml_origin(&y, (struct cs_mark){ 3, 1 });
	assert_int_equal(m.line, 14);
	m = cs_keras_yaml_origin(&y, (struct cs_mark){ 0, 0 });
	assert_int_equal(m.line, 0);
}

int main(void)
{
	int rc = RUN_TABLE("keras config -> yaml", test_row, rows);
	const struct CMUnitTest other[] = { cmocka_unit_test(test_places) };
	return rc | cmocka_run_group_tests_name("json places", other, NULL, NULL);
}
