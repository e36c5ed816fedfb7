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
#include "stripes.h"

#include <string.h>

#define NCOLS 3

struct table {
	size_t width[NCOLS];	/* content width of each column */
	struct cs_wrap cell[NCOLS];
	struct cs_buf text[NCOLS];
};

/* The layers' rows, for cs_write_rows(): each writer has its own cells. */
struct rows {
	const cs_model *m;
	struct table t;
	const struct cs_buf *between;	/* the rule between two layers, made once */
	size_t L;
};

static const char spaces[] = "                                                                "
			     "                                                                ";

/* n spaces, in a few copies of a constant */
static void pad(struct cs_buf *b, size_t n)
{
	while (n > sizeof(spaces) - 1) {
		cs_buf_add(b, spaces, sizeof(spaces) - 1);
		n -= sizeof(spaces) - 1;
	}
	cs_buf_add(b, spaces, n);
}

/* A cell that is one line as it stands: printable ASCII no wider than the
 * column (then rich's wrapping leaves it alone). */
static bool one_line(const struct cs_buf *t, size_t width)
{
	if (t->len > width)
		return false;
	for (size_t i = 0; i < t->len; i++)
		if ((unsigned char)t->s[i] >= 0x7f || (unsigned char)t->s[i] < 0x20)
			return false;
	return true;
}

static void rule(struct cs_buf *b, const struct table *t, const char *left,
		 const char *fill, const char *mid, const char *right)
{
	cs_buf_str(b, left);
	for (int c = 0; c < NCOLS; c++) {
		if (c)
			cs_buf_str(b, mid);
		cs_buf_repeat(b, fill, t->width[c] + 2);
	}
	cs_buf_str(b, right);
	cs_buf_char(b, '\n', 1);
}

/* One table row from the three texts in t->text; header rows sit at the
 * bottom of their height, body rows at the top. */
static void row(struct cs_buf *b, struct table *t, const char *bar, bool header)
{
	if (!header && one_line(&t->text[0], t->width[0]) && one_line(&t->text[1], t->width[1]) &&
	    one_line(&t->text[2], t->width[2]) &&
	    (!t->text[2].len || t->text[2].s[t->text[2].len - 1] != ' ')) {
		/* the usual row: three cells of one line each */
		CS_BUF_LIT(b, "\xE2\x94\x82 ");
		cs_buf_add(b, t->text[0].s, t->text[0].len);
		pad(b, t->width[0] - t->text[0].len);
		CS_BUF_LIT(b, " \xE2\x94\x82 ");
		cs_buf_add(b, t->text[1].s, t->text[1].len);
		pad(b, t->width[1] - t->text[1].len);
		CS_BUF_LIT(b, " \xE2\x94\x82 ");
		pad(b, t->width[2] - t->text[2].len);
		cs_buf_add(b, t->text[2].s, t->text[2].len);
		CS_BUF_LIT(b, " \xE2\x94\x82\n");
		return;
	}
	size_t height = 0;
	for (int c = 0; c < NCOLS; c++) {
		struct cs_wrap *w = &t->cell[c];
		if (one_line(&t->text[c], t->width[c]) && w->cap &&
		    (c != NCOLS - 1 || !t->text[c].len || t->text[c].s[t->text[c].len - 1] != ' ')) {
			/* fits as it is: one line, no wrapping to do */
			memset(&w->v[0], 0, sizeof(w->v[0]));
			w->v[0].len = t->text[c].len;
			w->v[0].cells = t->text[c].len;
			w->n = 1;
		} else {
			cs_wrap_text(w, t->text[c].s, t->text[c].len, t->width[c], CS_WRAP_ELLIPSIS);
			if (c == NCOLS - 1)
				cs_wrap_rstrip(w, t->text[c].s, t->width[c]);
			if (w->failed)
				b->failed = true;
		}
		if (t->cell[c].n > height)
			height = t->cell[c].n;
	}
	for (size_t y = 0; y < height; y++) {
		for (int c = 0; c < NCOLS; c++) {
			const struct cs_wrap *w = &t->cell[c];
			size_t skip = header ? height - w->n : 0;
			cs_buf_str(b, bar);
			CS_BUF_LIT(b, " ");
			if (y >= skip && y - skip < w->n) {
				const struct cs_wline *l = &w->v[y - skip];
				size_t n = t->width[c] > l->cells ? t->width[c] - l->cells : 0;
				if (c == NCOLS - 1)
					pad(b, n);
				cs_buf_wline(b, t->text[c].s, l);
				if (c != NCOLS - 1)
					pad(b, n);
			} else {
				pad(b, t->width[c]);
			}
			CS_BUF_LIT(b, " ");
		}
		cs_buf_str(b, bar);
		CS_BUF_LIT(b, "\n");
	}
}

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
	cs_buf_printf(&t, "Model: \"%s\"", name);
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

static void rows(void *ctx, size_t from, size_t to, struct cs_buf *b)
{
	struct rows *r = ctx;
	struct table *t = &r->t;
	for (size_t i = from; i < to; i++) {
		struct cs_layer_info li;
		char num[32];
		cs_model_layer(r->m, i, &li);
		for (int c = 0; c < NCOLS; c++)
			t->text[c].len = 0;
		cs_buf_str(&t->text[0], li.name);
		CS_BUF_LIT(&t->text[0], " (");
		cs_buf_str(&t->text[0], li.class_name);
		CS_BUF_LIT(&t->text[0], ")");
		cs_buf_shape(&t->text[1], li.rank, li.dims, false);
		cs_buf_str(&t->text[2], cs_format_count(li.trainable_params + li.non_trainable_params,
							true, num, sizeof(num)));
		if (i)
			cs_buf_add(b, r->between->s, r->between->len);
		row(b, t, "\xE2\x94\x82", false);
		if (li.explain)
			explain(b, li.explain, r->L);
	}
}

/* Free a table's cells; b->failed when one of them ran out of memory. */
static void table_free(struct table *t, struct cs_buf *b)
{
	for (int c = 0; c < NCOLS; c++) {
		if (t->text[c].failed)
			b->failed = true;
		cs_wrap_free(&t->cell[c]);
		cs_buf_free(&t->text[c]);
	}
}

static int render(const cs_model *m, int L, const struct cs_render_options *opt,
		  const struct cs_columns *cols, struct cs_buf *b)
{
	if (cols)
		return cs_render_columns(m, opt, cols, true, b);
	struct table t;
	memset(&t, 0, sizeof(t));
	size_t stop1 = (size_t)L * 45 / 100, stop2 = (size_t)L * 80 / 100;
	t.width[0] = stop1 - 3;
	t.width[1] = stop2 - stop1 - 4;
	t.width[2] = (size_t)L - stop2 - 3;
	size_t console = L > 80 ? (size_t)L : 80;

	title(b, cs_model_name(m), console);
	rule(b, &t, "\xE2\x94\x8F", "\xE2\x94\x81", "\xE2\x94\xB3", "\xE2\x94\x93");
	static const char *const headers[NCOLS] = { "Layer (type)", "Output Shape", "Param #" };
	for (int c = 0; c < NCOLS; c++) {
		t.text[c].len = 0;
		cs_buf_str(&t.text[c], headers[c]);
	}
	row(b, &t, "\xE2\x94\x83", true);
	rule(b, &t, "\xE2\x94\xA1", "\xE2\x94\x81", "\xE2\x95\x87", "\xE2\x94\xA9");

	size_t n = cs_model_layer_count(m);
	struct cs_buf between = { 0 };
	rule(&between, &t, "\xE2\x94\x9C", "\xE2\x94\x80", "\xE2\x94\xBC", "\xE2\x94\xA4");
	table_free(&t, b);	/* the header's cells; the widths stay */
	struct rows mine = { .m = m, .between = &between, .L = (size_t)L };
	memcpy(mine.t.width, t.width, sizeof(t.width));
	struct rows theirs = mine;	/* cells of its own, from empty */
	cs_write_rows(n, rows, &mine, &theirs, b);
	rule(b, &t, "\xE2\x94\x94", "\xE2\x94\x80", "\xE2\x94\xB4", "\xE2\x94\x98");

	cs_buf_totals(b, m, " ", true, "B");

	table_free(&mine.t, b);
	table_free(&theirs.t, b);
	if (between.failed)
		b->failed = true;
	cs_buf_free(&between);
	return 0;
}

const struct cs_formatter cs_format_keras3 = { "keras3", 76, 16, render };
