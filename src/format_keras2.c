/*
 * The classic tf.keras 2 table, as tf.keras 2's print_summary() writes it
 * (references: tests/conformance/NAME.keras2*.txt, see its README.md):
 * `_` and `=` rules, fields cut at code-point positions (no word wrap),
 * break tokens `),` `},` `],` `',`, counts without separators, sizes in
 * "Byte"/KB/MB.  Lengths count code points, never cells or bytes.
 */
#include "columns.h"
#include "format.h"
#include "table.h"

#include <string.h>

static void pad_to(struct cs_buf *b, const char *s, size_t len, size_t width)
{
	size_t cps = cs_text_codepoints(s, len);
	cs_buf_add(b, s, len);
	if (cps < width)
		cs_buf_char(b, ' ', width - cps);
}

static void rows(const cs_model *m, struct cs_table *t, size_t L, struct cs_buf *b)
{
	for (size_t i = 0, n = cs_model_layer_count(m); i < n; i++) {
		struct cs_layer_info li;
		cs_model_layer(m, i, &li);
		cs_table_clear(t);
		cs_buf_printf(&t->text[0], "%s (%s)", li.name, li.class_name);
		cs_buf_shape(&t->text[1], li.rank, li.dims, true);
		cs_buf_int(&t->text[2], li.trainable_params + li.non_trainable_params);
		cs_table_row(b, t, false);
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

static int render(const cs_model *m, int L, const struct cs_render_options *opt,
		  const struct cs_columns *cols, struct cs_buf *b)
{
	if (cols)
		return cs_render_columns(m, opt, cols, false, b);
	/* tf.keras 2's column positions: 45% and 85% of the line */
	size_t p0 = (size_t)L * 45 / 100, p1 = (size_t)L * 85 / 100;
	struct cs_table t;
	memset(&t, 0, sizeof(t));
	t.style = CS_TABLE_CLASSIC;
	t.ncols = 3;
	t.width[0] = p0 - 3;
	t.width[1] = p1 - p0 - 3;
	t.width[2] = (size_t)L - p1;
	t.room[0] = p0 - 1;
	t.room[1] = p1 - p0;
	t.room[2] = (size_t)L - p1;

	cs_buf_printf(b, "Model: \"%s\"\n", cs_model_name(m));
	cs_buf_char(b, '_', (size_t)L);
	cs_buf_char(b, '\n', 1);
	static const char *const headers[] = { "Layer (type)", "Output Shape", "Param #" };
	for (int c = 0; c < t.ncols; c++)
		cs_buf_str(&t.text[c], headers[c]);
	cs_table_row(b, &t, true);
	cs_buf_char(b, '=', (size_t)L);
	cs_buf_char(b, '\n', 1);
	rows(m, &t, (size_t)L, b);
	cs_buf_char(b, '=', (size_t)L);
	cs_buf_char(b, '\n', 1);

	cs_buf_totals(b, m, "", false, "Byte");
	cs_torchinfo_footer(m, opt, "", "", b);
	cs_buf_char(b, '_', (size_t)L);
	cs_buf_char(b, '\n', 1);
	cs_table_free(&t, b);
	return 0;
}

const struct cs_formatter cs_format_keras2 = { "keras2", 65, 10, render };
