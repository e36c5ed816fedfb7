/* cells.c: the texts every output is made of, each row an input and the
 * exact bytes expected. */
#include "helpers.h"
#include "cells.h"
#include "connections.h"

struct row {
	const char *name;
	const char *in;
	const char *json;	/* cs_put_json_text */
};

static const struct row rows[] = {
	{ "plain", "conv2d", "\"conv2d\"" },
	{ "quote_backslash", "a\"b\\c", "\"a\\\"b\\\\c\"" },
	{ "controls", "a\nb\x1b", "\"a\\u000ab\\u001b\"" },
	{ "utf8_kept", "caf\xc3\xa9 \xe2\x80\xa6 \xf0\x9f\x98\x84", "\"caf\xc3\xa9 \xe2\x80\xa6 \xf0\x9f\x98\x84\"" },
	/* not UTF-8: each bad byte is U+FFFD, so the JSON stays valid */
	{ "invalid_byte", "a\xff" "b", "\"a\\ufffdb\"" },
	{ "truncated_sequence", "a\xe2\x80", "\"a\\ufffd\\ufffd\"" },
	{ "overlong", "\xc0\xaf", "\"\\ufffd\\ufffd\"" },
	{ "surrogate", "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },
};

static void check_json(void **state)
{
	const struct row *r = *state;
	size_t n = strlen(r->in);
	char *out = malloc(CS_JSON_TEXT_ROOM(n) + 1);
	char *end = cs_put_json_text(out, r->in, n);
	assert_true((size_t)(end - out) <= CS_JSON_TEXT_ROOM(n));
	*end = '\0';
	assert_string_equal(out, r->json);
	free(out);
}

/* Names long enough for the word-at-a-time scan: each character that
 * needs escaping (and some that do not), at every place in texts of 1 to
 * 24 bytes, must come out as one byte at a time would write it. */
static void json_every_position(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} special[] = {
		{ "\"", "\\\"" }, { "\\", "\\\\" }, { "\n", "\\u000a" }, { "\x1f", "\\u001f" },
		{ "\x01", "\\u0001" }, { "\x7f", "\x7f" }, { " ", " " }, { "~", "~" }, { "!", "!" },
		{ "#", "#" }, { "[", "[" }, { "]", "]" }, { "\xff", "\\ufffd" },
		{ "\xc3\xa9", "\xc3\xa9" },
	};
	for (size_t len = 1; len <= 24; len++)
		for (size_t at = 0; at < len; at++)
			for (size_t k = 0; k < sizeof(special) / sizeof(special[0]); k++) {
				char in[64], want[128], out[256];
				size_t n = 0, w = 0;
				want[w++] = '"';
				for (size_t i = 0; i < len; i++) {
					const char *piece = i == at ? special[k].in : "a";
					const char *wpiece = i == at ? special[k].out : "a";
					memcpy(in + n, piece, strlen(piece));
					n += strlen(piece);
					memcpy(want + w, wpiece, strlen(wpiece));
					w += strlen(wpiece);
				}
				want[w++] = '"';
				want[w] = '\0';
				char *end = cs_put_json_text(out, in, n);
				assert_true((size_t)(end - out) <= CS_JSON_TEXT_ROOM(n));
				*end = '\0';
				assert_string_equal(out, want);
			}
}

/* Integers without printf: every value to 20,000, each power of ten and
 * its neighbours, the extremes; as printf writes them. */
static void integers(void **state)
{
	(void)state;
	char want[32], got[32];
	int64_t v = 0;
	for (int k = 0; k < 20000 + 60; k++) {
		if (k <= 20000)
			v = k;
		else {	/* 10^j - 1, 10^j, 10^j + 1 for j = 5..18, and negatives */
			int j = 5 + (k - 20001) / 3 % 14;
			int64_t p = 1;
			for (int i = 0; i < j; i++)
				p *= 10;
			v = p - 1 + (k - 20001) % 3;
			if (k >= 20000 + 43)
				v = -v;
		}
		for (int pass = 0; pass < 2; pass++) {
			int64_t x = pass ? -v : v;
			snprintf(want, sizeof(want), "%lld", (long long)x);
			*cs_put_int(got, x) = '\0';
			assert_string_equal(got, want);
		}
	}
	*cs_put_int(got, INT64_MAX) = '\0';
	assert_string_equal(got, "9223372036854775807");
	*cs_put_int(got, INT64_MIN) = '\0';
	assert_string_equal(got, "-9223372036854775808");
}

/* Shapes as Keras and Python print them. */
static void shapes(void **state)
{
	(void)state;
	char buf[64];
	const int64_t d[] = { CS_NONE, 8, 8, 5 };
	assert_string_equal(cs_shape_text(4, d, false, buf, sizeof(buf)), "(None, 8, 8, 5)");
	assert_string_equal(cs_shape_text(1, d + 1, true, buf, sizeof(buf)), "(8,)");
	assert_string_equal(cs_shape_text(1, d + 1, false, buf, sizeof(buf)), "(8)");
	assert_string_equal(cs_shape_text(0, d, true, buf, sizeof(buf)), "()");
	char json[64];
	*cs_put_json_shape(json, 4, d) = '\0';
	assert_string_equal(json, "[null, 8, 8, 5]");
	assert_string_equal(cs_format_count(1234567, true, buf, sizeof(buf)), "1,234,567");
	assert_string_equal(cs_format_bytes(139304, "B", buf, sizeof(buf)), "136.04 KB");
}

/* rich's markup as Keras 3's cells go through it
 * (keras3-functional-summary.md §4): the Connected-to text is rendered
 * as written; the name column escaped first. */
struct markup_row {
	const char *name;
	const char *in;
	const char *rendered;	/* cs_buf_rich_render(in) */
	const char *name_column;	/* render(escape(in)) */
};

static const struct markup_row markup_rows[] = {
	{ "plain", "conv1[0][0]", "conv1[0][0]", "conv1[0][0]" },
	{ "tag_vanishes", "x[bold]y[0][0]", "xy[0][0]", "x[bold]y[0][0]" },
	{ "colour_tag", "n[#ff0000][0][0]", "n[0][0]", "n[#ff0000][0][0]" },
	{ "closing_like", "in[put][0][0]", "in[0][0]", "in[put][0][0]" },
	{ "backslash_bracket", "back\\[0][0]", "back[0][0]", "back[0][0]" },
	{ "digits_are_no_tag", "plain[0][0][0]", "plain[0][0][0]", "plain[0][0][0]" },
	{ "escaped_tag", "a\\[b]c", "a[b]c", "a\\[b]c" },
	{ "two_backslashes", "a\\\\[b]c", "a\\c", "a\\\\[b]c" },
	{ "final_backslash", "back\\", "back\\", "back\\\\" },
	{ "final_two", "b\\\\", "b\\\\", "b\\\\" },
	{ "at_tag", "m[@click]x", "mx", "m[@click]x" },
	{ "unclosed", "a[bc", "a[bc", "a[bc" },
};

static void check_markup(void **state)
{
	const struct markup_row *r = *state;
	struct cs_buf b = { 0 };
	cs_buf_rich_render(&b, r->in, strlen(r->in));
	cs_buf_char(&b, '\0', 1);
	assert_string_equal(b.s, r->rendered);
	b.len = 0;
	cs_buf_rich_name(&b, r->in);
	cs_buf_char(&b, '\0', 1);
	assert_string_equal(b.s, r->name_column);
	cs_buf_free(&b);
}

int main(void)
{
	int rc = RUN_TABLE("cells json", check_json, rows);
	rc |= RUN_TABLE("rich markup", check_markup, markup_rows);
	const struct CMUnitTest misc[] = { cmocka_unit_test(shapes), cmocka_unit_test(json_every_position),
					   cmocka_unit_test(integers) };
	rc |= cmocka_run_group_tests_name("cells", misc, NULL, NULL);
	return rc;
}
