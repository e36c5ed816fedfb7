/*
 * Keras 3's model.summary() text, byte for byte (Keras's
 * keras/src/utils/summary_utils.py printing through rich; references:
 * tests/conformance/NAME.keras3*.txt): a rich "heavy head" box table L
 * cells wide, cells word-wrapped, the title wrapped to the console width
 * W, totals with sizes.  W is max(80, L): what Keras writes to a pipe or
 * a file.
 */
#include "columns.h"
#include "format.h"

#include <string.h>

#include "connections.h"
#include "table.h"

/* --explain: the layer's arithmetic in rows as wide as the table. */
static void explain(struct cs_buf *b, const char *text, size_t L)
{
	struct cs_wrap w = { 0 };
	size_t inner = L - 4;
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		struct cs_buf t = { 0 };
		cs_buf_str(&t, "  ");
		cs_buf_add(&t, line, len);
		cs_wrap_text(&w, t.s, t.len, inner, CS_WRAP_FOLD);
		for (size_t k = 0; k < w.n; k++) {
			CS_BUF_LIT(b, "\xE2\x94\x82 ");
			cs_buf_wline(b, t.s, &w.v[k]);
			cs_buf_char(b, ' ', inner > w.v[k].cells ? inner - w.v[k].cells : 0);
			CS_BUF_LIT(b, " \xE2\x94\x82\n");
		}
		if (t.failed)
			b->failed = true;
		cs_buf_free(&t);
		line += len + (end != NULL);
	}
	if (w.failed)
		b->failed = true;
	cs_wrap_free(&w);
}

static void title(struct cs_buf *b, const char *name, size_t console_width)
{
	struct cs_buf t = { 0 };
	struct cs_wrap w = { 0 };
	CS_BUF_LIT(&t, "Model: \"");
	cs_buf_rich_name(&t, name);
	CS_BUF_LIT(&t, "\"");
	cs_wrap_text(&w, t.s ? t.s : "", t.len, console_width, CS_WRAP_FOLD);
	for (size_t i = 0; i < w.n; i++) {
		cs_buf_wline(b, t.s, &w.v[i]);
		cs_buf_char(b, '\n', 1);
	}
	if (t.failed || w.failed)
		b->failed = true;
	cs_wrap_free(&w);
	cs_buf_free(&t);
}

static void rows(const cs_model *m, struct cs_table *t, size_t L, struct cs_buf *b)
{
	struct cs_buf refs = { 0 };
	for (size_t i = 0, n = cs_model_layer_count(m); i < n; i++) {
		struct cs_layer_info li;
		char num[32];
		cs_model_layer(m, i, &li);
		cs_table_clear(t);
		/* escape(name) + " (" + escape(class) + ")", rendered as markup;
		 * a name without '[' or '\\' is that text as it is */
		size_t nlen = strlen(li.name);
		if (!memchr(li.name, '[', nlen) && !memchr(li.name, '\\', nlen)) {
			cs_buf_add(&t->text[0], li.name, nlen);
			CS_BUF_LIT(&t->text[0], " (");
			cs_buf_str(&t->text[0], li.class_name);
			CS_BUF_LIT(&t->text[0], ")");
		} else {
			refs.len = 0;
			cs_buf_rich_escape(&refs, li.name, nlen);
			CS_BUF_LIT(&refs, " (");
			cs_buf_rich_escape(&refs, li.class_name, strlen(li.class_name));
			CS_BUF_LIT(&refs, ")");
			cs_buf_rich_render(&t->text[0], refs.s, refs.len);
		}
		cs_buf_row_shapes(&t->text[1], m, i, CS_SHAPE_KERAS, false);
		if (t->ncols == 4) {
			/* the references pass through rich's markup unescaped */
			refs.len = 0;
			if (!cs_buf_connections(&refs, m, i, ", "))
				cs_buf_char(&refs, '-', 1);
			cs_buf_rich_render(&t->text[3], refs.s, refs.len);
		}
		cs_buf_str(&t->text[2], cs_format_count(li.trainable_params + li.non_trainable_params,
							true, num, sizeof(num)));
		if (i)
			cs_table_rule(b, t, CS_RULE_BETWEEN);
		cs_table_row(b, t, false);
		if (li.explain)
			explain(b, li.explain, L);
	}
	if (refs.failed)
		b->failed = true;
	cs_buf_free(&refs);
}

static int render(const cs_model *m, int L, const struct cs_render_options *opt,
		  const struct cs_columns *cols, struct cs_buf *b)
{
	if (cols)
		return cs_render_columns(m, opt, cols, true, b);
	struct cs_table t;
	memset(&t, 0, sizeof(t));
	t.style = CS_TABLE_BOX;
	if (cs_model_has_connections(m)) {
		/* Keras's 4 columns at 30%, 56% and 74% of the line; rich takes
		 * back the 13 cells of padding and borders as 3, 3, 4, 3 */
		size_t s1 = (size_t)L * 30 / 100, s2 = (size_t)L * 56 / 100, s3 = (size_t)L * 74 / 100;
		t.ncols = 4;
		t.width[0] = s1 - 3;
		t.width[1] = s2 - s1 - 3;
		t.width[2] = s3 - s2 - 4;
		t.width[3] = (size_t)L - s3 - 3;
	} else {
		/* Keras's column positions: 45% and 80% of the line */
		size_t stop1 = (size_t)L * 45 / 100, stop2 = (size_t)L * 80 / 100;
		t.ncols = 3;
		t.width[0] = stop1 - 3;
		t.width[1] = stop2 - stop1 - 4;
		t.width[2] = (size_t)L - stop2 - 3;
	}
	t.right[2] = true;
	size_t console = L > 80 ? (size_t)L : 80;

	title(b, cs_model_name(m), console);
	cs_table_rule(b, &t, CS_RULE_TOP);
	static const char *const headers[] = { "Layer (type)", "Output Shape", "Param #", "Connected to" };
	for (int c = 0; c < t.ncols; c++)
		cs_buf_str(&t.text[c], headers[c]);
	cs_table_row(b, &t, true);
	cs_table_rule(b, &t, CS_RULE_HEAD);
	rows(m, &t, (size_t)L, b);
	cs_table_rule(b, &t, CS_RULE_BOTTOM);
	cs_buf_totals(b, m, " ", true, "B");
	cs_torchinfo_footer(m, opt, " ", "", b);
	cs_table_free(&t, b);
	return 0;
}

/* Keras raises "Insufficient console width" when a column is under 4. */
static const char *check_line_length(const cs_model *m, int L)
{
	if (!cs_model_has_connections(m))
		return NULL;
	int s1 = L * 30 / 100, s2 = L * 56 / 100, s3 = L * 74 / 100;
	if (s1 < 4 || s2 - s1 < 4 || s3 - s2 < 4 || L - s3 < 4)
		return "Keras raises \"Insufficient console width to print summary\" for a "
		       "4-column summary this narrow; expected 19 or 21 and more";
	return NULL;
}

const struct cs_formatter cs_format_keras3 = { "keras3", 76, 16, render, NULL, check_line_length };
