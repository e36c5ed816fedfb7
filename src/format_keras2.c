/*
 * The classic tf.keras 2 table, as tf.keras 2's print_summary() writes it
 * (references: tests/conformance/NAME.keras2*.txt, see its README.md):
 * `_` and `=` rules, fields cut at code-point positions (no word wrap),
 * break tokens `),` `},` `],` `',`, counts without separators, sizes in
 * "Byte"/KB/MB.  Lengths count code points, never cells or bytes.
 */
#include "columns.h"
#include "format.h"
#include "stripes.h"

#include <string.h>

/* Byte offset of code point k in s (or len). */
static size_t cp_offset(const char *s, size_t len, size_t k)
{
	size_t i = 0;
	while (i < len && k) {
		uint32_t cp;
		i += cs_utf8_next(s + i, len - i, &cp);
		k--;
	}
	return i;
}

/* The next chunk of a field: its first `w` code points, shortened to end
 * after the comma of the leftmost break token inside them. */
static size_t chunk(const char *s, size_t len, size_t w)
{
	size_t end = cp_offset(s, len, w);
	for (size_t i = 0; i + 1 < end; i++)
		if (s[i + 1] == ',' && (s[i] == ')' || s[i] == '}' || s[i] == ']' || s[i] == '\''))
			return i + 2;
	return end;
}

static void pad_to(struct cs_buf *b, const char *s, size_t len, size_t width)
{
	size_t cps = cs_text_codepoints(s, len);
	cs_buf_add(b, s, len);
	if (cps < width)
		cs_buf_char(b, ' ', width - cps);
}

static void row(struct cs_buf *b, struct cs_buf f[3], const size_t w[3], const size_t col[3])
{
	size_t at[3] = { 0, 0, 0 };
	for (;;) {
		bool more = false;
		for (int c = 0; c < 3; c++)
			if (at[c] < f[c].len)
				more = true;
		if (!more)
			break;
		cs_buf_char(b, ' ', 1);
		for (int c = 0; c < 3; c++) {
			size_t n = at[c] < f[c].len ? chunk(f[c].s + at[c], f[c].len - at[c], w[c]) : 0;
			pad_to(b, n ? f[c].s + at[c] : "", n, col[c]);
			at[c] += n;
		}
		cs_buf_char(b, '\n', 1);
	}
}

/* The layers' rows, for cs_write_rows(): each writer has its own cells. */
struct rows {
	const cs_model *m;
	struct cs_buf f[3];
	const size_t *w, *col;
	size_t L;
};

static void rows(void *ctx, size_t from, size_t to, struct cs_buf *b)
{
	struct rows *r = ctx;
	struct cs_buf *f = r->f;
	size_t L = r->L;
	for (size_t i = from; i < to; i++) {
		struct cs_layer_info li;
		cs_model_layer(r->m, i, &li);
		for (int c = 0; c < 3; c++)
			f[c].len = 0;
		cs_buf_printf(&f[0], "%s (%s)", li.name, li.class_name);
		cs_buf_shape(&f[1], li.rank, li.dims, true);
		cs_buf_int(&f[2], li.trainable_params + li.non_trainable_params);
		row(b, f, r->w, r->col);
		for (const char *line = li.explain; line && *line;) {
			/* --explain: indented lines of arithmetic, padded to L */
			const char *end = strchr(line, '\n');
			size_t len = end ? (size_t)(end - line) : strlen(line);
			CS_BUF_LIT(b, "   ");
			pad_to(b, line, len, L > 3 ? L - 3 : 0);
			cs_buf_char(b, '\n', 1);
			line += len + (end != NULL);
		}
		cs_buf_char(b, ' ', L);
		cs_buf_char(b, '\n', 1);
	}
}

static void cells_free(struct cs_buf *f, struct cs_buf *b)
{
	for (int c = 0; c < 3; c++) {
		if (f[c].failed)
			b->failed = true;
		cs_buf_free(&f[c]);
	}
}

static int render(const cs_model *m, int L, const struct cs_render_options *opt,
		  const struct cs_columns *cols, struct cs_buf *b)
{
	if (cols)
		return cs_render_columns(m, opt, cols, false, b);
	size_t p0 = (size_t)L * 45 / 100, p1 = (size_t)L * 85 / 100;
	size_t w[3] = { p0 - 3, p1 - p0 - 3, (size_t)L - p1 };
	size_t col[3] = { p0 - 1, p1 - p0, (size_t)L - p1 };
	struct cs_buf f[3] = { { 0 }, { 0 }, { 0 } };

	cs_buf_printf(b, "Model: \"%s\"\n", cs_model_name(m));
	cs_buf_char(b, '_', (size_t)L);
	cs_buf_char(b, '\n', 1);
	cs_buf_str(&f[0], "Layer (type)");
	cs_buf_str(&f[1], "Output Shape");
	cs_buf_str(&f[2], "Param #");
	row(b, f, w, col);
	cs_buf_char(b, '=', (size_t)L);
	cs_buf_char(b, '\n', 1);

	struct rows mine = { m, { { 0 } }, w, col, (size_t)L }, theirs = mine;
	cs_write_rows(cs_model_layer_count(m), rows, &mine, &theirs, b);
	cs_buf_char(b, '=', (size_t)L);
	cs_buf_char(b, '\n', 1);

	cs_buf_totals(b, m, "", false, "Byte");
	cs_buf_char(b, '_', (size_t)L);
	cs_buf_char(b, '\n', 1);
	cells_free(f, b);
	cells_free(mine.f, b);
	cells_free(theirs.f, b);
	return 0;
}

const struct cs_formatter cs_format_keras2 = { "keras2", 65, 10, render };
