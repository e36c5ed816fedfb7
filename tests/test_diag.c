/* Echoed text made safe (diag.c): control characters and bytes that are not
 * UTF-8 escaped, everything else kept; names cut on a character boundary. */
#include "helpers.h"
#include "buf.h"
#include "diag.h"

struct escape_row {
	const char *name;
	const char *text;
	size_t len;		/* 0: strlen(text) */
	const char *want;
};

static const struct escape_row escape_rows[] = {
	{ "plain", "models/vgg16.yaml", 0, "models/vgg16.yaml" },
	{ "empty", "", 0, "" },
	{ "escape_sequence", "a\x1b[31mb", 0, "a\\x1b[31mb" },
	{ "newline_tab_return", "x\ny\tz\r", 0, "x\\ny\\tz\\r" },
	{ "bell_and_del", "\a\x7f", 0, "\\x07\\x7f" },
	{ "nul_inside", "a\0b", 3, "a\\x00b" },
	{ "backslash_kept", "C:\\models\\x1b", 0, "C:\\models\\x1b" },
	{ "utf8_kept", "\xC3\xA9\xE5\x8D\xB7\xF0\x9F\x98\x80", 0, "\xC3\xA9\xE5\x8D\xB7\xF0\x9F\x98\x80" },
	{ "c1_csi", "a\xC2\x9B" "2J", 0, "a\\xc2\\x9b2J" },
	{ "c1_edges", "\xC2\x80\xC2\x9F\xC2\xA0", 0, "\\xc2\\x80\\xc2\\x9f\xC2\xA0" },
	{ "raw_8bit_csi", "\x9B" "2J", 0, "\\x9b2J" },
	{ "overlong_slash", "\xC0\xAF", 0, "\\xc0\\xaf" },
	{ "surrogate", "\xED\xA0\x80", 0, "\\xed\\xa0\\x80" },
	{ "truncated_at_end", "ab\xE5\x8D", 0, "ab\\xe5\\x8d" },
	{ "past_unicode", "\xF4\x90\x80\x80", 0, "\\xf4\\x90\\x80\\x80" },
	{ "forged_line", "x\nf.yaml:1:1: error: y", 0, "x\\nf.yaml:1:1: error: y" },
};

static void check_escape(void **state)
{
	const struct escape_row *r = *state;
	size_t len = r->len ? r->len : strlen(r->text);
	struct cs_buf b = { 0 };
	cs_buf_escaped(&b, r->text, len);
	assert_false(b.failed);
	assert_string_equal(b.s ? b.s : "", r->want);
	cs_buf_free(&b);
	if (!r->len) {
		char *s = cs_escaped(r->text);
		assert_non_null(s);
		assert_string_equal(s, r->want);
		free(s);
	}
}

/* cs_fputs_escaped writes what cs_buf_escaped appends, past the 64 KiB
 * chunks it writes in. */
static void fputs_long(void **state)
{
	(void)state;
	size_t n = 200000;
	char *text = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		text[i] = i % 7 ? 'a' : '\x1b';
	text[n] = '\0';
	char *got = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&got, &len);
	cs_fputs_escaped(text, f);
	fclose(f);
	char *want = cs_escaped(text);
	assert_string_equal(got, want);
	assert_int_equal(len, n + 3 * ((n + 6) / 7));
	free(got);
	free(want);
	free(text);
}

/* A file name longer than cs_error's 1,024 bytes is cut before a whole
 * character and marked "...". */
static void long_name_cut(void **state)
{
	(void)state;
	char name[3001];
	for (size_t i = 0; i < 1500; i++)
		memcpy(name + 2 * i, "\xC3\xA9", 2);
	name[3000] = '\0';
	struct cs_error err;
	cs_model *m = cs_model_load_buffer("layers: [Dens]\n", 15, name, &err);
	assert_null(m);
	size_t len = strlen(err.file);
	assert_int_equal(len, 1022 + 1);	/* 511 characters, then "..." would be 1025 */
	assert_memory_equal(err.file + len - 3, "...", 3);
	assert_memory_equal(err.file, name, len - 3);
	assert_int_equal((len - 3) % 2, 0);
	/* a message cut the same way */
	struct cs_mark at = { 1, 1 };
	cs_fail(&err, at, "%s", name);
	len = strlen(err.message);
	assert_memory_equal(err.message + len - 3, "...", 3);
	assert_int_equal((len - 3) % 2, 0);
	assert_memory_equal(err.message, name, len - 3);
}

int main(void)
{
	int rc = RUN_TABLE("escape", check_escape, escape_rows);
	const struct CMUnitTest misc[] = { cmocka_unit_test(fputs_long), cmocka_unit_test(long_name_cut) };
	rc |= cmocka_run_group_tests_name("diag", misc, NULL, NULL);
	return rc;
}
