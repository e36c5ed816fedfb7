/*
 * The classic tf.keras 2 table, as tf.keras 2's print_summary() writes it
 * (references: tests/conformance/NAME.keras2*.txt, see its README.md):
 * `_` and `=` rules, fields cut at code-point positions (no word wrap),
 * break tokens `),` `},` `],` `',`, counts without separators, sizes in
 * "Byte"/KB/MB.  Lengths count code points, never cells or bytes.
 */
#include "columns.h"
#include "connections.h"
#include "format.h"
#include "model.h"
#include "table.h"

#include <stdio.h>
#include <string.h>

/* Python's str.isprintable() for a code point beyond ASCII, as far as it
 * matters for names: separators, format and private-use characters and
 * the C1 controls are not printable. */
static bool python_printable(uint32_t c)
{
	if (c < 0xA0)
		return c >= 0x20 && c != 0x7F;
	if (c == 0xA0 || c == 0xAD || c == 0x1680 || (c >= 0x2000 && c <= 0x200F) ||
	    (c >= 0x2028 && c <= 0x202F) || (c >= 0x205F && c <= 0x206F) || c == 0x3000 ||
	    c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB) || c == 0xFFFE || c == 0xFFFF ||
	    (c >= 0x600 && c <= 0x605) || c == 0x61C || c == 0x6DD || c == 0x70F || c == 0x180E ||
	    (c >= 0xD800 && c <= 0xF8FF) || (c >= 0xE0000 && c <= 0xE0FFF) || c >= 0xF0000)
		return false;
	return true;
}

/* Python's repr() of a string. */
static void python_repr(struct cs_buf *b, const char *s, size_t len)
{
	char q = memchr(s, '\'', len) && !memchr(s, '"', len) ? '"' : '\'';
	cs_buf_char(b, q, 1);
	for (size_t i = 0; i < len;) {
		uint32_t c;
		size_t n = cs_utf8_valid((const unsigned char *)s + i, len - i, &c);
		if (!n) {
			c = 0xFFFD;	/* never in a name the loader took */
			n = 1;
		}
		if (c == '\\' || c == (uint32_t)q) {
			cs_buf_char(b, '\\', 1);
			cs_buf_char(b, (char)c, 1);
		} else if (c == '\t') {
			CS_BUF_LIT(b, "\\t");
		} else if (c == '\n') {
			CS_BUF_LIT(b, "\\n");
		} else if (c == '\r') {
			CS_BUF_LIT(b, "\\r");
		} else if (python_printable(c)) {
			cs_buf_add(b, s + i, n);
		} else if (c <= 0xFF) {
			cs_buf_printf(b, "\\x%02x", c);
		} else if (c <= 0xFFFF) {
			cs_buf_printf(b, "\\u%04x", c);
		} else {
			cs_buf_printf(b, "\\U%08x", c);
		}
		i += n;
	}
	cs_buf_char(b, q, 1);
}

/* Connected to: the references as Python prints a list of strings. */
static void connections(struct cs_buf *b, const cs_model *m, size_t row, struct cs_buf *tmp)
{
	cs_buf_char(b, '[', 1);
	size_t n = 0;
	for (size_t c = 0, nc = cs_model_layer_call_count(m, row); c < nc; c++)
		for (size_t k = 0, nk = cs_model_layer_call_input_count(m, row, c); k < nk; k++) {
			if (n++)
				CS_BUF_LIT(b, ", ");
			tmp->len = 0;
			cs_buf_reference(tmp, m, cs_model_layer_call_input(m, row, c, k));
			python_repr(b, tmp->s ? tmp->s : "", tmp->len);
		}
	cs_buf_char(b, ']', 1);
}

/* Output Shape: a list for an InputLayer and for several outputs, and
 * "multiple" for a layer whose calls disagree. */
static void shape_field(struct cs_buf *b, const cs_model *m, size_t row, const struct cs_layer_info *li)
{
	bool input = !strcmp(li->class_name, "InputLayer") && cs_model_is_functional(m);
	if (!input && cs_model_layer_output_count(m, row) == 1 && cs_row_shapes_differ(m, row))
		CS_BUF_LIT(b, "multiple");
	else
		cs_buf_row_shapes(b, m, row, CS_SHAPE_PYTHON, input);
}

static void pad_to(struct cs_buf *b, const char *s, size_t len, size_t width)
{
	size_t cps = cs_text_codepoints(s, len);
	cs_buf_add(b, s, len);
	if (cps < width)
		cs_buf_char(b, ' ', width - cps);
}

static void rows(const cs_model *m, struct cs_table *t, size_t L, struct cs_buf *b)
{
	struct cs_buf tmp = { 0 };
	for (size_t i = 0, n = cs_model_layer_count(m); i < n; i++) {
		struct cs_layer_info li;
		cs_model_layer(m, i, &li);
		cs_table_clear(t);
		cs_buf_printf(&t->text[0], "%s (%s)", li.name, li.class_name);
		shape_field(&t->text[1], m, i, &li);
		cs_buf_int(&t->text[2], li.trainable_params + li.non_trainable_params);
		if (t->ncols == 4)
			connections(&t->text[3], m, i, &tmp);
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
	if (tmp.failed)
		b->failed = true;
	cs_buf_free(&tmp);
}

/* tf.keras 2's stops for 4 columns: 30%, 60%, 70% of L, as Python's
 * int(L * 0.7) computes them in double precision. */
static void stops4(int L, size_t p[3])
{
	p[0] = (size_t)(L * 0.3);
	p[1] = (size_t)(L * 0.6);
	p[2] = (size_t)(L * 0.7);
}

static int render(const cs_model *m, int L, const struct cs_render_options *opt,
		  const struct cs_columns *cols, struct cs_buf *b)
{
	if (cols)
		return cs_render_columns(m, opt, cols, false, b);
	struct cs_table t;
	memset(&t, 0, sizeof(t));
	t.style = CS_TABLE_CLASSIC;
	if (cs_model_has_connections(m)) {
		if (!(opt && opt->line_length))
			L = 98;	/* its own default, never the terminal's */
		size_t p[3];
		stops4(L, p);
		t.ncols = 4;
		t.width[0] = p[0] - 3;
		t.width[1] = p[1] - p[0] - 3;
		t.width[2] = p[2] - p[1] - 3;
		t.width[3] = (size_t)L - p[2];
		t.room[0] = p[0] - 1;
		t.room[1] = p[1] - p[0];
		t.room[2] = p[2] - p[1];
		t.room[3] = (size_t)L - p[2];
	} else {
		/* tf.keras 2's column positions: 45% and 85% of the line */
		size_t p0 = (size_t)L * 45 / 100, p1 = (size_t)L * 85 / 100;
		t.ncols = 3;
		t.width[0] = p0 - 3;
		t.width[1] = p1 - p0 - 3;
		t.width[2] = (size_t)L - p1;
		t.room[0] = p0 - 1;
		t.room[1] = p1 - p0;
		t.room[2] = (size_t)L - p1;
	}

	cs_buf_printf(b, "Model: \"%s\"\n", cs_model_name(m));
	cs_buf_char(b, '_', (size_t)L);
	cs_buf_char(b, '\n', 1);
	static const char *const headers[] = { "Layer (type)", "Output Shape", "Param #", "Connected to" };
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

/* A width under 1 never lets tf.keras 2's summary return. */
static const char *check_line_length(const cs_model *m, int L)
{
	if (!cs_model_has_connections(m) || L == 65)
		return NULL;	/* 65: the default, which means 98 here */
	size_t p[3];
	stops4(L, p);
	if (p[0] < 4 || p[1] < p[0] + 4 || p[2] < p[1] + 4 || (size_t)L <= p[2])
		return "tf.keras 2's 4-column summary never returns at this width; expected 33, 36, "
		       "or 38 and more";
	return NULL;
}

const struct cs_formatter cs_format_keras2 = { "keras2", 65, 10, render, NULL, check_line_length };
