/* A Functional model's rows, loaded from YAML: references (`name`,
 * `name[call][output]`, a layer literally named `x[0]`), Keras's depth
 * order (keras3-functional-summary.md §3) and its 3-or-4-column test (§1).
 * Every expected order is derived by hand in the comment above its row:
 * the walk from the outputs (traversal index at first visit), the depths
 * going backwards through the finished calls, rows by depth (deepest
 * first), equal depths by traversal index. */
#include "helpers.h"

struct row {
	const char *name;
	const char *yaml;
	const char *rows;	/* the row names, joined by "," */
	int connections;	/* 4 columns (1) or 3 (0) */
	const char *connected;	/* "ROW: Connected to" to check, or NULL */
};

static const struct row rows[] = {
	/* file order b1, b2_reduce, b2.  Walk from m: m 0, b1 1, x 2, b2 3,
	 * b2_reduce 4.  Depths: m 0; b2 and b1 1; b2_reduce 2; x 3 (through
	 * b2_reduce; 2 through b1).  So b2_reduce, deeper, comes before b1 */
	{ "branches_deepest_first",
	  "inputs:\n  - {name: x, shape: [8]}\n"
	  "layers:\n"
	  "  - Dense: {name: b1, units: 4, inputs: [x]}\n"
	  "  - Dense: {name: b2_reduce, units: 2, inputs: [x]}\n"
	  "  - Dense: {name: b2, units: 4}\n"
	  "  - Add: {name: m, inputs: [b1, b2]}\n",
	  "x,b2_reduce,b1,b2,m", 1, "m: b1[0][0], b2[0][0]" },
	/* walk from out: out 0, cat 1, c2 2, c1 3, image 4, md 5, meta 6.
	 * Depths: out 0, cat 1, c2 and md 2, c1 and meta 3, image 4: the
	 * second input sits between c1 and c2 (c1 first: visited earlier) */
	{ "second_input_mid_table",
	  "inputs:\n  - {name: image, shape: [8]}\n  - {name: meta, shape: [4]}\n"
	  "layers:\n"
	  "  - Dense: {name: c1, units: 8, inputs: [image]}\n"
	  "  - Dense: {name: c2, units: 8}\n"
	  "  - Dense: {name: md, units: 8, inputs: [meta]}\n"
	  "  - Concatenate: {name: cat, inputs: [c2, md]}\n"
	  "  - Dense: {name: out, units: 1}\n",
	  "image,c1,meta,c2,md,cat,out", 1, "cat: c2[0][0], md[0][0]" },
	/* s called on x (call 0), then on b = relu(s): o = s[1][0] + x.
	 * Walk: o 0, s 1, b 2, x 3.  Depths backwards: o 0; s's call 1 at 1;
	 * b 2; s's call 0 at 3, so s is at 3 (its deepest call), not at 1
	 * where its last call is; x 4 */
	{ "shared_layer_at_deepest_call",
	  "inputs:\n  - {name: x, shape: [8]}\n"
	  "layers:\n"
	  "  - Dense: {name: s, units: 8, inputs: [x]}\n"
	  "  - ReLU: {name: b}\n"
	  "  - call: s\n"
	  "  - Add: {name: o, inputs: [\"s[1][0]\", x]}\n",
	  "x,s,b,o", 1, "s: x[0][0], b[0][0]" },
	/* s first, then a branch b -> c feeding s's second call; both calls
	 * of s at depth 1.  Walk: o 0, s 1, x 2, c 3, b 4.  Depths: o 0, s 1,
	 * c 2, b 3, x 4: s is written first but printed after b and c */
	{ "shared_layer_after_its_branch",
	  "inputs:\n  - {name: x, shape: [8]}\n"
	  "layers:\n"
	  "  - Dense: {name: s, units: 8, inputs: [x]}\n"
	  "  - Dense: {name: b, units: 8, inputs: [x]}\n"
	  "  - ReLU: {name: c}\n"
	  "  - call: s\n"
	  "  - Add: {name: o, inputs: [s, \"s[1][0]\"]}\n",
	  "x,b,c,s,o", 1, "o: s[0][0], s[1][0]" },
	/* b is never used: depth 0, traversal index -1, so before e (depth 0,
	 * index 0); a at 2, d at 1 */
	{ "unused_input_among_depth_0",
	  "inputs:\n  - {name: a, shape: [8]}\n  - {name: b, shape: [8]}\n"
	  "layers:\n"
	  "  - Dense: {name: d, units: 4, inputs: [a]}\n"
	  "  - Dense: {name: e, units: 2}\n"
	  "outputs: [e]\n",
	  "a,d,b,e", 1, "e: d[0][0]" },
	/* a layer no output depends on has no row */
	{ "dropped_layer",
	  "inputs:\n  - {name: x, shape: [8]}\n"
	  "layers:\n"
	  "  - Dense: {name: used, units: 4}\n"
	  "  - Dense: {name: unused, units: 4, inputs: [x]}\n"
	  "outputs: [used]\n",
	  "x,used", 0, NULL },
	/* 3 columns: a chain, with an InputLayer row */
	{ "chain_three_columns",
	  "inputs:\n  - {name: x, shape: [8]}\n"
	  "layers:\n  - Dense: {name: d1, units: 4}\n  - Dense: {name: d2, units: 2}\n"
	  "outputs: [d2]\n",
	  "x,d1,d2", 0, "d2: d1[0][0]" },
	/* a chain with two outputs along it: still 3 columns */
	{ "chain_two_outputs_three_columns",
	  "inputs:\n  - {name: x, shape: [8]}\n"
	  "layers:\n  - Dense: {name: h, units: 4}\n  - Dense: {name: p, units: 2}\n"
	  "outputs: [h, p]\n",
	  "x,h,p", 0, NULL },
	/* d(d(x)): one call per depth, one input each, but d has two calls */
	{ "self_call_four_columns",
	  "inputs:\n  - {name: x, shape: [8]}\n"
	  "layers:\n  - Dense: {name: d, units: 8}\n  - call: d\n",
	  "x,d", 1, "d: x[0][0], d[0][0]" },
	/* Add(x, x): one call per depth, but one with two input tensors */
	{ "same_tensor_twice_four_columns",
	  "inputs:\n  - {name: x, shape: [8]}\n"
	  "layers:\n  - Add: {name: a, inputs: [x, x]}\n",
	  "x,a", 1, "a: x[0][0], x[0][0]" },
	/* a nested Sequential model in a chain: 3 columns */
	{ "nested_model_in_chain_three_columns",
	  "models:\n  head:\n    layers:\n      - Dense: {units: 4}\n      - Dense: {units: 2}\n"
	  "inputs:\n  - {name: x, shape: [8]}\n"
	  "layers:\n  - Dense: {name: d, units: 8}\n  - call: head\n",
	  "x,d,head", 0, "head: d[0][0]" },
	/* references: a layer named `x[0]` is that layer, not x's call 0 */
	{ "layer_named_like_a_reference",
	  "inputs:\n  - {name: x, shape: [8]}\n"
	  "layers:\n"
	  "  - Dense: {name: \"x[0]\", units: 4, inputs: [x]}\n"
	  "  - Dense: {name: d, units: 4, inputs: [\"x[0]\"]}\n"
	  "  - Add: {name: a, inputs: [\"x[0][0][0]\", d]}\n",
	  "x,x[0],d,a", 1, "a: x[0][0][0], d[0][0]" },
	/* `x[0][0]` names the input when no layer has that name */
	{ "long_form_of_an_input",
	  "inputs:\n  - {name: x, shape: [8]}\n"
	  "layers:\n  - Dense: {name: d, units: 8, inputs: [\"x[0][0]\"]}\n"
	  "  - Add: {name: a, inputs: [d, x]}\n",
	  "x,d,a", 1, "a: d[0][0], x[0][0]" },
	/* `d[1][0]`: d's second call; `d[0][0]` = `d` */
	{ "call_index",
	  "inputs:\n  - {name: x, shape: [8]}\n"
	  "layers:\n  - Dense: {name: d, units: 8}\n  - call: d\n"
	  "  - Subtract: {name: s, inputs: [\"d[1][0]\", \"d[0][0]\"]}\n",
	  "x,d,s", 1, "s: d[1][0], d[0][0]" },
	/* a sub-model's second output: backbone[0][1] */
	{ "output_index_of_a_submodel",
	  "models:\n  backbone:\n"
	  "    inputs:\n      - {name: bin, shape: [8]}\n"
	  "    layers:\n      - Dense: {name: f, units: 4}\n      - Dense: {name: g, units: 2}\n"
	  "    outputs: [g, f]\n"
	  "inputs:\n  - {name: x, shape: [8]}\n"
	  "layers:\n  - call: backbone\n"
	  "  - Dense: {name: h, units: 2, inputs: [\"backbone[0][1]\"]}\n"
	  "  - Add: {name: a, inputs: [backbone, h]}\n",
	  "x,backbone,h,a", 1, "h: backbone[0][1]" },
};

/* "NAME[CALL][OUTPUT]" of a tensor. */
static void tensor_text(const cs_model *m, struct cs_tensor t, char *buf, size_t size)
{
	if (t.is_input) {
		struct cs_input_info in;
		cs_model_input(m, t.index, &in);
		snprintf(buf, size, "%s[0][0]", in.name);
		return;
	}
	struct cs_layer_info li;
	cs_model_layer(m, t.index, &li);
	snprintf(buf, size, "%s[%zu][%zu]", li.name, t.call, t.output);
}

/* Row i as "NAME: the Connected to text" (its calls' inputs, ", "). */
static void connected_text(const cs_model *m, size_t i, char *buf, size_t size)
{
	struct cs_layer_info li;
	cs_model_layer(m, i, &li);
	size_t at = (size_t)snprintf(buf, size, "%s:", li.name);
	const char *sep = " ";
	for (size_t c = 0; c < cs_model_layer_call_count(m, i); c++)
		for (size_t k = 0; k < cs_model_layer_call_input_count(m, i, c); k++) {
			char t[128];
			tensor_text(m, cs_model_layer_call_input(m, i, c, k), t, sizeof(t));
			if (at < size)
				at += (size_t)snprintf(buf + at, size - at, "%s%s", sep, t);
			sep = ", ";
		}
}

static void check_rows(void **state)
{
	const struct row *r = *state;
	cs_model *m = load_ok(r->yaml);
	assert_true(cs_model_is_functional(m));
	char names[512];
	size_t at = 0;
	names[0] = '\0';
	for (size_t i = 0; i < cs_model_layer_count(m); i++) {
		struct cs_layer_info li;
		cs_model_layer(m, i, &li);
		at += (size_t)snprintf(names + at, sizeof(names) - at, "%s%s", i ? "," : "", li.name);
		assert_true(at < sizeof(names));
	}
	assert_string_equal(names, r->rows);
	assert_int_equal(cs_model_has_connections(m), r->connections);
	if (r->connected) {
		size_t len = strcspn(r->connected, ":");
		size_t i = 0;
		for (; i < cs_model_layer_count(m); i++) {
			struct cs_layer_info li;
			cs_model_layer(m, i, &li);
			if (strlen(li.name) == len && !strncmp(li.name, r->connected, len))
				break;
		}
		assert_true(i < cs_model_layer_count(m));
		char text[512];
		connected_text(m, i, text, sizeof(text));
		assert_string_equal(text, r->connected);
	}
	/* the 4-column table has the Connected to header, the 3-column one not */
	char *s = render(m, "keras3", 0);
	assert_non_null(s);
	assert_int_equal(strstr(s, "Connected to") != NULL, r->connections);
	free(s);
	cs_model_destroy(m);
}

int main(void)
{
	return RUN_TABLE("rows", check_rows, rows);
}
