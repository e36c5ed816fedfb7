/* Cell wrapping as rich does it in Keras 3's table and title (the
 * references: tests/conformance/NAME.keras3.L*.txt), display
 * widths, and the number and size texts of the totals. */
#include "helpers.h"
#include "textwrap.h"

struct wrap_row {
	const char *name;
	const char *text;
	size_t width;
	enum cs_wrap_mode mode;
	const char *lines;	/* the printed lines, joined by '|' */
};

static const struct wrap_row wrap_rows[] = {
	{ "fits", "conv2d (Conv2D)", 31, CS_WRAP_ELLIPSIS, "conv2d (Conv2D)" },
	{ "class_moves_down", "batch_normalization (BatchNormalization)", 31, CS_WRAP_ELLIPSIS,
	  "batch_normalization |(BatchNormalization)" },
	{ "long_word_cut_with_ellipsis",
	  "a_very_long_layer_name_that_definitely_does_not_fit_in_the_column (Conv2D)", 31,
	  CS_WRAP_ELLIPSIS, "a_very_long_layer_name_that_de\xE2\x80\xA6|(Conv2D)" },
	{ "exact_fit_loses_trailing_space", "abcdefghijklmnopqrstuvwxyz01234 (Conv2D)", 31,
	  CS_WRAP_ELLIPSIS, "abcdefghijklmnopqrstuvwxyz01234|(Conv2D)" },
	{ "word_wrap", "layer with several words in its name, more than fit (Conv2D)", 31,
	  CS_WRAP_ELLIPSIS, "layer with several words in its|name, more than fit (Conv2D)" },
	{ "shape_wraps_after_comma", "(1024, 2, 3, 4, 5, 6, 7, 10000)", 22, CS_WRAP_ELLIPSIS,
	  "(1024, 2, 3, 4, 5, 6, |7, 10000)" },
	{ "number_cut", "18,496", 3, CS_WRAP_ELLIPSIS, "18\xE2\x80\xA6" },
	{ "header_cut", "Param #", 3, CS_WRAP_ELLIPSIS, "Pa\xE2\x80\xA6|#" },
	{ "wide_characters_cut", "\xE5\x8D\xB7\xE7\xA7\xAF\xE5\xB1\x82\xE5\x8D\xB7\xE7\xA7\xAF\xE5\xB1\x82", 5,
	  CS_WRAP_ELLIPSIS, "\xE5\x8D\xB7\xE7\xA7\xAF\xE2\x80\xA6" },
	{ "wide_character_straddles_the_cut",
	  "\xE5\x8D\xB7\xE7\xA7\xAF\xE5\xB1\x82\xE5\x8D\xB7\xE7\xA7\xAF\xE5\xB1\x82", 6,
	  CS_WRAP_ELLIPSIS, "\xE5\x8D\xB7\xE7\xA7\xAF \xE2\x80\xA6" },
	{ "leading_spaces_stay", "  ab cd", 5, CS_WRAP_ELLIPSIS, "  ab |cd" },
	{ "empty", "", 5, CS_WRAP_ELLIPSIS, "" },
	{ "title_folds_long_words", "Model: abcdefghij", 4, CS_WRAP_FOLD, "Mode|l: |abcd|efgh|ij" },
	{ "title_keeps_trailing_space", "Model: \"abcdefghijkl\"", 10, CS_WRAP_FOLD,
	  "Model: |\"abcdefghi|jkl\"" },
};

static void check_wrap(void **state)
{
	const struct wrap_row *r = *state;
	struct cs_wrap w = { 0 };
	struct cs_buf b = { 0 };
	cs_wrap_text(&w, r->text, strlen(r->text), r->width, r->mode);
	for (size_t i = 0; i < w.n; i++) {
		if (i)
			cs_buf_char(&b, '|', 1);
		cs_buf_wline(&b, r->text, &w.v[i]);
		assert_true(w.v[i].cells <= r->width);
	}
	assert_string_equal(b.s ? b.s : "", r->lines);
	cs_buf_free(&b);
	cs_wrap_free(&w);
}

struct bytes_row {
	const char *name;
	int64_t bytes;
	const char *keras3, *keras2;
};

static const struct bytes_row bytes_rows[] = {
	{ "zero", 0, "0.00 B", "0.00 Byte" },
	{ "below_1024", 1020, "1020.00 B", "1020.00 Byte" },
	{ "one_kb", 1024, "1.00 KB", "1.00 KB" },
	{ "tie_rounds_to_even_down", 1152, "1.12 KB", "1.12 KB" },	/* 1.125 */
	{ "tie_rounds_to_even_up", 1408, "1.38 KB", "1.38 KB" },	/* 1.375 */
	{ "unit_chosen_before_rounding", 1048572, "1024.00 KB", "1024.00 KB" },
	{ "cifar10_bn", 5014696, "4.78 MB", "4.78 MB" },
	{ "vgg16", 553430176, "527.79 MB", "527.79 MB" },
	{ "gigabytes", 1248052000, "1.16 GB", "1.16 GB" },
	{ "keras_quirk_past_1024_pb", 1152921504606846976LL, "1.00 PB", "1.00 PB" },	/* 2^60 */
};

static void check_bytes(void **state)
{
	const struct bytes_row *r = *state;
	char buf[64];
	assert_string_equal(cs_format_bytes(r->bytes, "B", buf, sizeof(buf)), r->keras3);
	assert_string_equal(cs_format_bytes(r->bytes, "Byte", buf, sizeof(buf)), r->keras2);
}

struct count_row {
	const char *name;
	int64_t n;
	const char *text;
};

static const struct count_row count_rows[] = {
	{ "zero", 0, "0" }, { "three_digits", 999, "999" }, { "four_digits", 1000, "1,000" },
	{ "millions", 1180160, "1,180,160" }, { "vgg16", 138357544, "138,357,544" },
	{ "largest", INT64_MAX, "9,223,372,036,854,775,807" },
};

static void check_count(void **state)
{
	const struct count_row *r = *state;
	char buf[64];
	assert_string_equal(cs_format_count(r->n, true, buf, sizeof(buf)), r->text);
}

/* The printable-ASCII fast path agrees with the general wrapping on
 * random texts (names, spaces, punctuation) at every width. */
static void ascii_path_agrees(void **state)
{
	(void)state;
	static const char alphabet[] = "ab_  (,)0Z ";
	unsigned seed = 12345;
	char text[64];
	for (int round = 0; round < 20000; round++) {
		seed = seed * 1103515245u + 12345u;
		size_t len = (seed >> 16) % 48;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			text[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		text[len] = '\0';
		size_t width = 1 + round % 40;
		struct cs_wrap fast = { 0 }, any = { 0 };
		cs_wrap_text(&fast, text, len, width, CS_WRAP_ELLIPSIS);
		cs_wrap_text_any(&any, text, len, width, CS_WRAP_ELLIPSIS);
		assert_int_equal(fast.n, any.n);
		for (size_t k = 0; k < fast.n; k++) {
			if (fast.v[k].start != any.v[k].start || fast.v[k].len != any.v[k].len ||
			    fast.v[k].ellipsis != any.v[k].ellipsis || fast.v[k].cells != any.v[k].cells)
				fail_msg("\"%s\" at width %zu: line %zu differs", text, width, k);
		}
		cs_wrap_free(&fast);
		cs_wrap_free(&any);
	}
}

static void cell_widths(void **state)
{
	(void)state;
	assert_int_equal(cs_text_cells("abc", 3), 3);
	assert_int_equal(cs_text_cells("\xC3\xA9", 2), 1);		/* é */
	assert_int_equal(cs_text_cells("\xE5\x8D\xB7", 3), 2);		/* 卷 */
	assert_int_equal(cs_text_cells("e\xCC\x81", 3), 1);		/* e + combining acute */
	assert_int_equal(cs_text_cells("\xE2\x80\xA6", 3), 1);		/* … */
	assert_int_equal(cs_text_cells("\xE2\x94\x83", 3), 1);		/* ┃ */
	assert_int_equal(cs_text_codepoints("\xE5\x8D\xB7\xC3\xA9x", 6), 3);
}

int main(void)
{
	int rc = RUN_TABLE("wrap", check_wrap, wrap_rows);
	rc |= RUN_TABLE("bytes", check_bytes, bytes_rows);
	rc |= RUN_TABLE("count", check_count, count_rows);
	const struct CMUnitTest misc[] = { cmocka_unit_test(cell_widths), cmocka_unit_test(ascii_path_agrees) };
	rc |= cmocka_run_group_tests_name("cells", misc, NULL, NULL);
	return rc;
}
