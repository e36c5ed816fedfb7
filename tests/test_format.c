/* The formatters, byte for byte, on small models. */
#include "helpers.h"
#include "table.h"

static const char scenario3[] =
	"input_shape: [10, 10, 3]\nlayers:\n  - Conv2D: {filters: 5, kernel_size: 3}\n"
	"  - BatchNormalization\n";

struct row {
	const char *name;
	const char *yaml;
	const char *format;
	int line_length;
	const char *expected;
};

static const struct row rows[] = {
	{ "keras3", scenario3, "keras3", 0,
	  "Model: \"sequential\"\n"
	  "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓\n"
	  "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃\n"
	  "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩\n"
	  "│ conv2d (Conv2D)                 │ (None, 8, 8, 5)        │           140 │\n"
	  "├─────────────────────────────────┼────────────────────────┼───────────────┤\n"
	  "│ batch_normalization             │ (None, 8, 8, 5)        │            20 │\n"
	  "│ (BatchNormalization)            │                        │               │\n"
	  "└─────────────────────────────────┴────────────────────────┴───────────────┘\n"
	  " Total params: 160 (640.00 B)\n"
	  " Trainable params: 150 (600.00 B)\n"
	  " Non-trainable params: 10 (40.00 B)\n" },
	{ "keras3_narrow", "input_shape: [4]\nlayers:\n  - Dense: {units: 4000}\n", "keras3", 30,
	  "Model: \"sequential\"\n"
	  "┏━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━┓\n"
	  "┃ Layer      ┃ Output  ┃ Pa… ┃\n"
	  "┃ (type)     ┃ Shape   ┃   # ┃\n"
	  "┡━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━┩\n"
	  "│ dense      │ (None,  │ 20… │\n"
	  "│ (Dense)    │ 4000)   │     │\n"
	  "└────────────┴─────────┴─────┘\n"
	  " Total params: 20,000 (78.12 KB)\n"
	  " Trainable params: 20,000 (78.12 KB)\n"
	  " Non-trainable params: 0 (0.00 B)\n" },
	{ "keras3_no_layers", "input_shape: [4]\nlayers: []\n", "keras3", 0,
	  "Model: \"sequential\"\n"
	  "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓\n"
	  "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃\n"
	  "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩\n"
	  "└─────────────────────────────────┴────────────────────────┴───────────────┘\n"
	  " Total params: 0 (0.00 B)\n"
	  " Trainable params: 0 (0.00 B)\n"
	  " Non-trainable params: 0 (0.00 B)\n" },
	{ "keras2", scenario3, "keras2", 0,
	  "Model: \"sequential\"\n"
	  "_________________________________________________________________\n"
	  " Layer (type)                Output Shape              Param #   \n"
	  "=================================================================\n"
	  " conv2d (Conv2D)             (None, 8, 8, 5)           140       \n"
	  "                                                                 \n"
	  " batch_normalization (Batch  (None, 8, 8, 5)           20        \n"
	  " Normalization)                                                  \n"
	  "                                                                 \n"
	  "=================================================================\n"
	  "Total params: 160 (640.00 Byte)\n"
	  "Trainable params: 150 (600.00 Byte)\n"
	  "Non-trainable params: 10 (40.00 Byte)\n"
	  "_________________________________________________________________\n" },
	{ "keras2_break_token_and_one_tuple", "input_shape: [4]\nlayers:\n  - Dense: {units: 2, name: \"a),b\"}\n"
	  "  - Reshape: {target_shape: [2]}\n", "keras2", 0,
	  "Model: \"sequential\"\n"
	  "_________________________________________________________________\n"
	  " Layer (type)                Output Shape              Param #   \n"
	  "=================================================================\n"
	  " a),                         (None, 2)                 10        \n"
	  " b (Dense)                                                       \n"
	  "                                                                 \n"
	  " reshape (Reshape)           (None, 2)                 0         \n"
	  "                                                                 \n"
	  "=================================================================\n"
	  "Total params: 10 (40.00 Byte)\n"
	  "Trainable params: 10 (40.00 Byte)\n"
	  "Non-trainable params: 0 (0.00 Byte)\n"
	  "_________________________________________________________________\n" },
	{ "json", "name: \"q\\\"uote\"\ninput_shape: [4]\nlayers:\n  - Dense: {units: 2}\n", "json", 0,
	  "{\n"
	  "  \"name\": \"q\\\"uote\",\n"
	  "  \"input_shape\": [null, 4],\n"
	  "  \"dtype\": \"float32\",\n"
	  "  \"layers\": [\n"
	  /* macs 4 * 2; other ops: the 2 bias adds; activations: 2 floats */
	  "    {\"name\": \"dense\", \"type\": \"Dense\", \"output_shape\": [null, 2], \"params\": 10, "
	  "\"trainable_params\": 10, \"non_trainable_params\": 0, \"macs\": 8, \"flops\": 16, "
	  "\"other_ops\": 2, \"activation_bytes\": 8}\n"
	  "  ],\n"
	  "  \"total_params\": 10,\n"
	  "  \"trainable_params\": 10,\n"
	  "  \"non_trainable_params\": 0,\n"
	  "  \"total_bytes\": 40,\n"
	  "  \"trainable_bytes\": 40,\n"
	  "  \"non_trainable_bytes\": 0,\n"
	  "  \"total_macs\": 8,\n"
	  "  \"total_flops\": 16,\n"
	  "  \"total_other_ops\": 2,\n"
	  "  \"total_activation_bytes\": 8,\n"
	  "  \"activation_batch\": 1,\n"
	  "  \"macs_convention\": \"bias excluded\"\n"
	  "}\n" },
	{ "columns_keras3", scenario3, "keras3_columns", 0,
	  "Model: \"sequential\"\n"
	  "┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━┳━━━━━━━━━━━━━━━━━┓\n"
	  "┃ Name                ┃  MACs ┃ Receptive field ┃\n"
	  "┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━━━━━━━┩\n"
	  "│ conv2d              │ 8,640 │ 3x3             │\n"
	  "├─────────────────────┼───────┼─────────────────┤\n"
	  "│ batch_normalization │     0 │ 3x3             │\n"
	  "└─────────────────────┴───────┴─────────────────┘\n"
	  " Total params: 160 (640.00 B)\n"
	  " Trainable params: 150 (600.00 B)\n"
	  " Non-trainable params: 10 (40.00 B)\n"
	  " Total MACs: 8.64 K (8,640 per sample; multiply-accumulates of convolutions, Dense and Dot, bias excluded)\n"
	  " Total FLOPs: 17.28 K (2 per MAC)\n"
	  " Other ops: 960 (bias adds, activations, pooling, normalisation)\n"
	  " Activation memory: 2.50 KB (every layer's output, batch of 1)\n"
	  " Parameter memory: 640.00 B\n" },
	{ "markdown", scenario3, "markdown", 0,
	  "**Model: \"sequential\"**\n\n"
	  "| Layer (type) | Output Shape | Param # |\n"
	  "| --- | --- | ---: |\n"
	  "| conv2d (Conv2D) | (None, 8, 8, 5) | 140 |\n"
	  "| batch_normalization (BatchNormalization) | (None, 8, 8, 5) | 20 |\n"
	  "\n**Total params:** 160 (640.00 B)  \n"
	  "**Trainable params:** 150 (600.00 B)  \n"
	  "**Non-trainable params:** 10 (40.00 B)\n" },
	{ "csv", scenario3, "csv", 0,
	  "name,type,output_shape,params,trainable_params,non_trainable_params\r\n"
	  "conv2d,Conv2D,\"(None, 8, 8, 5)\",140,140,0\r\n"
	  "batch_normalization,BatchNormalization,\"(None, 8, 8, 5)\",20,10,10\r\n" },
};

static void check_row(void **state)
{
	const struct row *r = *state;
	cs_model *m = load_ok(r->yaml);
	char *out;
	if (!strcmp(r->format, "keras3_columns")) {
		char *s = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&s, &len);
		struct cs_render_options opt = { .columns = "name,macs,rf" };
		struct cs_error err;
		assert_int_equal(cs_render(m, "keras3", &opt, f, &err), 0);
		fclose(f);
		out = s;
	} else {
		out = render(m, r->format, r->line_length);
	}
	assert_non_null(out);
	assert_string_equal(out, r->expected);
	free(out);
	cs_model_destroy(m);
}

static void line_length_limits(void **state)
{
	(void)state;
	cs_model *m = load_ok(scenario3);
	assert_null(render(m, "keras3", 15));	/* Keras: insufficient console width */
	char *ok = render(m, "keras3", 16);
	assert_non_null(ok);
	free(ok);
	assert_null(render(m, "keras2", 9));	/* tf.keras 2 never returns below 10 */
	assert_null(render(m, "no-such-format", 0));
	cs_model_destroy(m);
}

/* A model of n layers: 3x3 convolutions, normalisations and activations,
 * and now and then a layer with a name of its own. */
static char *long_model(size_t n)
{
	size_t cap = 64 + n * 64;
	char *s = malloc(cap);
	if (!s)
		abort();
	size_t at = (size_t)snprintf(s, cap, "input_shape: [16, 16, 4]\nlayers:\n");
	for (size_t i = 0; i < n; i++) {
		if (i % 97 == 5)
			at += (size_t)snprintf(s + at, cap - at, "  - ReLU: {name: own_%zu}\n", i);
		else if (i % 3 == 0)
			at += (size_t)snprintf(s + at, cap - at,
					       "  - Conv2D: {filters: 4, kernel_size: 3, padding: same}\n");
		else
			at += (size_t)snprintf(s + at, cap - at, i % 3 == 1 ? "  - BatchNormalization\n"
									  : "  - ReLU\n");
	}
	return s;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* The text tables (Keras 3's and the classic one) of a long model, with
 * and without --explain: a Conv2D row for each convolution, Keras 3's rule
 * between every two rows. */
static void long_text(void **state)
{
	(void)state;
	size_t n = 3 * 2048 + 77;
	char *yaml = long_model(n);
	size_t convs = 0;
	for (size_t i = 0; i < n; i++)
		convs += i % 3 == 0 && i % 97 != 5;
	static const char *const styles[] = { "keras3", "keras2" };
	for (int explain = 0; explain < 2; explain++) {
		struct cs_load_options lo = { .explain = explain };
		struct cs_error err;
		cs_model *m = cs_model_load_buffer_opts(yaml, strlen(yaml), "long.yaml", &lo, &err);
		assert_non_null(m);
		for (int k = 0; k < 2; k++) {
			char *one = render(m, styles[k], 0);
			assert_non_null(one);
			assert_int_equal(count(one, " (Conv2D) "), convs);
			if (k == 0)	/* Keras 3's rule between every two rows */
				assert_int_equal(count(one, "\n\xE2\x94\x9C"), n - 1);
			free(one);
		}
		cs_model_destroy(m);
	}
	free(yaml);
}

/* JSON of a long model, with and without --explain: every layer is a row,
 * in order, and the last row's receptive field is the hand value. */
static void long_json(void **state)
{
	(void)state;
	size_t n = 3 * 2048 + 77;
	char *yaml = long_model(n);
	for (int explain = 0; explain < 2; explain++) {
		struct cs_load_options lo = { .explain = explain };
		struct cs_error err;
		cs_model *m = cs_model_load_buffer_opts(yaml, strlen(yaml), "long.yaml", &lo, &err);
		assert_non_null(m);
		char *one = render(m, "json", 0);
		assert_non_null(one);
		assert_int_equal(count(one, "    {\"name\": "), n);
		assert_int_equal(count(one, "\"name\": \"own_"), (n - 5 + 96) / 97);
		/* the last row: its receptive field grew by 2 at each convolution */
		size_t convs = 0;
		for (size_t i = 0; i < n; i++)
			convs += i % 3 == 0 && i % 97 != 5;
		char rf[64];
		snprintf(rf, sizeof(rf), "\"receptive_field\": [%zu, %zu]", 1 + 2 * convs, 1 + 2 * convs);
		const char *last = one;
		for (const char *p = one; (p = strstr(p, "    {\"name\": ")); p++)
			last = p;
		assert_non_null(strstr(last, rf));
		assert_non_null(strstr(last, "}\n  ],\n  \"total_params\": "));
		free(one);
		cs_model_destroy(m);
	}
	free(yaml);
}

/* JSON rows that repeat: a row copies a kept text only when every value
 * in it is the kept row's.  Each model has a row that matches a kept one
 * in all but one value (counts, shape, padding), and rows that match
 * one in all (values worked out beside them). */
static const struct {
	const char *name, *yaml, *rows;
} repeats[] = {
	/* Dense 4 -> 4: 4*4 + 4 = 20 params, 16 MACs, 4 bias adds; without
	 * bias 16 and no other ops, the same shape; then 20 again; 4*3 + 3 */
	{ "counts", "input_shape: [4]\nlayers:\n  - Dense: {units: 4}\n  - Dense: {units: 4, use_bias: false}\n"
	  "  - Dense: {units: 4}\n  - Dense: {units: 3}\n",
	  "    {\"name\": \"dense\", \"type\": \"Dense\", \"output_shape\": [null, 4], \"params\": 20, "
	  "\"trainable_params\": 20, \"non_trainable_params\": 0, \"macs\": 16, \"flops\": 32, "
	  "\"other_ops\": 4, \"activation_bytes\": 16},\n"
	  "    {\"name\": \"dense_1\", \"type\": \"Dense\", \"output_shape\": [null, 4], \"params\": 16, "
	  "\"trainable_params\": 16, \"non_trainable_params\": 0, \"macs\": 16, \"flops\": 32, "
	  "\"other_ops\": 0, \"activation_bytes\": 16},\n"
	  "    {\"name\": \"dense_2\", \"type\": \"Dense\", \"output_shape\": [null, 4], \"params\": 20, "
	  "\"trainable_params\": 20, \"non_trainable_params\": 0, \"macs\": 16, \"flops\": 32, "
	  "\"other_ops\": 4, \"activation_bytes\": 16},\n"
	  "    {\"name\": \"dense_3\", \"type\": \"Dense\", \"output_shape\": [null, 3], \"params\": 15, "
	  "\"trainable_params\": 15, \"non_trainable_params\": 0, \"macs\": 12, \"flops\": 24, "
	  "\"other_ops\": 3, \"activation_bytes\": 12}\n" },
	/* two ReLUs of 6 elements (6 ops, 24 bytes) in shapes (2, 3), (3, 2) */
	{ "shapes", "input_shape: [6]\nlayers:\n  - Reshape: {target_shape: [2, 3]}\n  - ReLU\n"
	  "  - Reshape: {target_shape: [3, 2]}\n  - ReLU\n",
	  "    {\"name\": \"reshape\", \"type\": \"Reshape\", \"output_shape\": [null, 2, 3], \"params\": 0, "
	  "\"trainable_params\": 0, \"non_trainable_params\": 0, \"macs\": 0, \"flops\": 0, "
	  "\"other_ops\": 0, \"activation_bytes\": 24},\n"
	  "    {\"name\": \"re_lu\", \"type\": \"ReLU\", \"output_shape\": [null, 2, 3], \"params\": 0, "
	  "\"trainable_params\": 0, \"non_trainable_params\": 0, \"macs\": 0, \"flops\": 0, "
	  "\"other_ops\": 6, \"activation_bytes\": 24},\n"
	  "    {\"name\": \"reshape_1\", \"type\": \"Reshape\", \"output_shape\": [null, 3, 2], \"params\": 0, "
	  "\"trainable_params\": 0, \"non_trainable_params\": 0, \"macs\": 0, \"flops\": 0, "
	  "\"other_ops\": 0, \"activation_bytes\": 24},\n"
	  "    {\"name\": \"re_lu_1\", \"type\": \"ReLU\", \"output_shape\": [null, 3, 2], \"params\": 0, "
	  "\"trainable_params\": 0, \"non_trainable_params\": 0, \"macs\": 0, \"flops\": 0, "
	  "\"other_ops\": 6, \"activation_bytes\": 24}\n" },
	/* 9 -> 7 (r 3, j 1, p 0: 49 * 9 MACs); BatchNormalization keeps the
	 * field; stride 2: 7 -> 3, r = 3 + 2 * 1 = 5, j = 2 (9 * 9 MACs); ReLU
	 * keeps it; padding 1: 5, p = 0 + 1 * 2 = 2; ReLU keeps that */
	{ "fields", "input_shape: [9, 9, 1]\nlayers:\n  - Conv2D: {filters: 1, kernel_size: 3}\n"
	  "  - BatchNormalization\n  - Conv2D: {filters: 1, kernel_size: 3, strides: 2}\n  - ReLU\n"
	  "  - ZeroPadding2D: {padding: 1}\n  - ReLU\n",
	  "    {\"name\": \"conv2d\", \"type\": \"Conv2D\", \"output_shape\": [null, 7, 7, 1], \"params\": 10, "
	  "\"trainable_params\": 10, \"non_trainable_params\": 0, \"macs\": 441, \"flops\": 882, "
	  "\"other_ops\": 49, \"activation_bytes\": 196, \"receptive_field\": [3, 3], "
	  "\"effective_stride\": [1, 1], \"effective_padding\": [0, 0]},\n"
	  "    {\"name\": \"batch_normalization\", \"type\": \"BatchNormalization\", \"output_shape\": "
	  "[null, 7, 7, 1], \"params\": 4, \"trainable_params\": 2, \"non_trainable_params\": 2, "
	  "\"macs\": 0, \"flops\": 0, \"other_ops\": 98, \"activation_bytes\": 196, "
	  "\"receptive_field\": [3, 3], \"effective_stride\": [1, 1], \"effective_padding\": [0, 0]},\n"
	  "    {\"name\": \"conv2d_1\", \"type\": \"Conv2D\", \"output_shape\": [null, 3, 3, 1], \"params\": 10, "
	  "\"trainable_params\": 10, \"non_trainable_params\": 0, \"macs\": 81, \"flops\": 162, "
	  "\"other_ops\": 9, \"activation_bytes\": 36, \"receptive_field\": [5, 5], "
	  "\"effective_stride\": [2, 2], \"effective_padding\": [0, 0]},\n"
	  "    {\"name\": \"re_lu\", \"type\": \"ReLU\", \"output_shape\": [null, 3, 3, 1], \"params\": 0, "
	  "\"trainable_params\": 0, \"non_trainable_params\": 0, \"macs\": 0, \"flops\": 0, "
	  "\"other_ops\": 9, \"activation_bytes\": 36, \"receptive_field\": [5, 5], "
	  "\"effective_stride\": [2, 2], \"effective_padding\": [0, 0]},\n"
	  "    {\"name\": \"zero_padding2d\", \"type\": \"ZeroPadding2D\", \"output_shape\": [null, 5, 5, 1], "
	  "\"params\": 0, \"trainable_params\": 0, \"non_trainable_params\": 0, \"macs\": 0, \"flops\": 0, "
	  "\"other_ops\": 0, \"activation_bytes\": 100, \"receptive_field\": [5, 5], "
	  "\"effective_stride\": [2, 2], \"effective_padding\": [2, 2]},\n"
	  "    {\"name\": \"re_lu_1\", \"type\": \"ReLU\", \"output_shape\": [null, 5, 5, 1], \"params\": 0, "
	  "\"trainable_params\": 0, \"non_trainable_params\": 0, \"macs\": 0, \"flops\": 0, "
	  "\"other_ops\": 25, \"activation_bytes\": 100, \"receptive_field\": [5, 5], "
	  "\"effective_stride\": [2, 2], \"effective_padding\": [2, 2]}\n" },
};

static void json_repeats(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(repeats) / sizeof(repeats[0]); k++) {
		cs_model *m = load_ok(repeats[k].yaml);
		char *out = render(m, "json", 0);
		assert_non_null(out);
		char *from = strstr(out, "    {\"name\": "), *to = strstr(out, "  ],\n");
		assert_non_null(from);
		assert_non_null(to);
		*to = '\0';
		print_message("%s\n", repeats[k].name);
		assert_string_equal(from, repeats[k].rows);
		free(out);
		cs_model_destroy(m);
	}
}

/* A box cell that fits is written as it stands only when it is printable
 * ASCII; "é" (2 bytes, 1 cell) or a DEL anywhere in it must take rich's
 * measure instead.  Every length up to the column's width, every place. */
static void cells_that_fit(void **state)
{
	(void)state;
	for (size_t len = 1; len <= 24; len++)
		for (size_t at = 0; at < len; at++)
			for (int kind = 0; kind < 3; kind++) {
				struct cs_table t = { 0 };
				t.style = CS_TABLE_BOX;
				t.ncols = 1;
				t.width[0] = 24;
				char want[128];
				size_t w = 0;
				memcpy(want, "\xE2\x94\x82 ", 4);
				w = 4;
				for (size_t i = 0; i < len; i++) {
					const char *piece = i != at || kind == 0 ? "a" : kind == 1 ? "\xC3\xA9" : "\x7f";
					cs_buf_str(&t.text[0], piece);
					memcpy(want + w, piece, strlen(piece));
					w += strlen(piece);
				}
				memset(want + w, ' ', 24 - len);
				w += 24 - len;
				memcpy(want + w, " \xE2\x94\x82\n", 5);
				w += 5;
				want[w] = '\0';
				struct cs_buf out = { 0 };
				cs_table_row(&out, &t, false);
				assert_non_null(out.s);
				assert_string_equal(out.s, want);
				cs_table_free(&t, &out);
				cs_buf_free(&out);
			}
}

int main(void)
{
	int rc = RUN_TABLE("format", check_row, rows);
	const struct CMUnitTest misc[] = { cmocka_unit_test(line_length_limits),
					   cmocka_unit_test(long_json),
					   cmocka_unit_test(json_repeats),
					   cmocka_unit_test(cells_that_fit),
					   cmocka_unit_test(long_text) };
	rc |= cmocka_run_group_tests_name("format limits", misc, NULL, NULL);
	return rc;
}
