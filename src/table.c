#include "table.h"

#include <string.h>

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

void cs_table_clear(struct cs_table *t)
{
	for (int c = 0; c < t->ncols; c++)
		t->text[c].len = 0;
}

void cs_table_free(struct cs_table *t, struct cs_buf *b)
{
	for (int c = 0; c < CS_TABLE_MAX_COLUMNS; c++) {
		if (t->text[c].failed || t->wrap[c].failed)
			b->failed = true;
		cs_wrap_free(&t->wrap[c]);
		cs_buf_free(&t->text[c]);
	}
	if (t->between.failed)
		b->failed = true;
	cs_buf_free(&t->between);
}

/* ---- box style ------------------------------------------------------------------ */

static void rule(struct cs_buf *b, const struct cs_table *t, enum cs_table_rule rule);

void cs_table_rule(struct cs_buf *b, struct cs_table *t, enum cs_table_rule which)
{
	if (which != CS_RULE_BETWEEN) {
		rule(b, t, which);
		return;
	}
	/* once a row: copied from the one made the first time */
	if (!t->between.len)
		rule(&t->between, t, which);
	cs_buf_add(b, t->between.s, t->between.len);
}

static void rule(struct cs_buf *b, const struct cs_table *t, enum cs_table_rule rule)
{
	static const char *const parts[][4] = {
		[CS_RULE_TOP] = { "\xE2\x94\x8F", "\xE2\x94\x81", "\xE2\x94\xB3", "\xE2\x94\x93" },
		[CS_RULE_HEAD] = { "\xE2\x94\xA1", "\xE2\x94\x81", "\xE2\x95\x87", "\xE2\x94\xA9" },
		[CS_RULE_BETWEEN] = { "\xE2\x94\x9C", "\xE2\x94\x80", "\xE2\x94\xBC", "\xE2\x94\xA4" },
		[CS_RULE_BOTTOM] = { "\xE2\x94\x94", "\xE2\x94\x80", "\xE2\x94\xB4", "\xE2\x94\x98" },
	};
	const char *const *p = parts[rule];
	cs_buf_str(b, p[0]);
	for (int c = 0; c < t->ncols; c++) {
		if (c)
			cs_buf_str(b, p[2]);
		cs_buf_repeat(b, p[1], t->width[c] + 2);
	}
	cs_buf_str(b, p[3]);
	cs_buf_char(b, '\n', 1);
}

/* A cell that is one line as it stands: printable ASCII no wider than the
 * column (then rich's wrapping leaves it alone). */
static bool one_line(const struct cs_buf *t, size_t width)
{
	if (t->len > width)
		return false;
	size_t i = 0;
	for (; i + 8 <= t->len; i += 8) {
		/* eight bytes at a time: one below 0x20 or from 0x7f sets its
		 * high bit in `odd` */
		const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
		uint64_t x;
		memcpy(&x, t->s + i, 8);
		uint64_t odd = ((x - ones * 0x20) & ~x) | (x + ones) | x;
		if (odd & highs)
			return false;
	}
	for (; i < t->len; i++)
		if ((unsigned char)t->s[i] >= 0x7f || (unsigned char)t->s[i] < 0x20)
			return false;
	return true;
}

/* rich strips the spaces that end a right-justified cell: such a cell is
 * never left as it stands. */
static bool kept_whole(const struct cs_table *t, int c)
{
	const struct cs_buf *x = &t->text[c];
	return one_line(x, t->width[c]) && (!t->right[c] || !x->len || x->s[x->len - 1] != ' ');
}

static void box_row(struct cs_buf *b, struct cs_table *t, bool header)
{
	const char *bar = header ? "\xE2\x94\x83" : "\xE2\x94\x82";
	bool whole = !header, kept[CS_TABLE_MAX_COLUMNS];
	for (int c = 0; c < t->ncols; c++)
		whole &= kept[c] = kept_whole(t, c);
	if (whole) {
		/* the usual row: cells of one line each */
		for (int c = 0; c < t->ncols; c++) {
			const struct cs_buf *x = &t->text[c];
			if (c)
				CS_BUF_LIT(b, " \xE2\x94\x82 ");
			else
				CS_BUF_LIT(b, "\xE2\x94\x82 ");
			if (t->right[c])
				pad(b, t->width[c] - x->len);
			cs_buf_add(b, x->s, x->len);
			if (!t->right[c])
				pad(b, t->width[c] - x->len);
		}
		CS_BUF_LIT(b, " \xE2\x94\x82\n");
		return;
	}
	size_t height = 0;
	for (int c = 0; c < t->ncols; c++) {
		struct cs_wrap *w = &t->wrap[c];
		struct cs_buf *x = &t->text[c];
		if (kept[c] && w->cap) {
			/* fits as it is: one line, no wrapping to do */
			memset(&w->v[0], 0, sizeof(w->v[0]));
			w->v[0].len = x->len;
			w->v[0].cells = x->len;
			w->n = 1;
		} else {
			cs_wrap_text(w, x->s ? x->s : "", x->len, t->width[c], CS_WRAP_ELLIPSIS);
			if (t->right[c])
				cs_wrap_rstrip(w, x->s ? x->s : "", t->width[c]);
			if (w->failed)
				b->failed = true;
		}
		if (w->n > height)
			height = w->n;
	}
	for (size_t y = 0; y < height; y++) {
		for (int c = 0; c < t->ncols; c++) {
			const struct cs_wrap *w = &t->wrap[c];
			size_t skip = header ? height - w->n : 0;
			cs_buf_str(b, bar);
			CS_BUF_LIT(b, " ");
			if (y >= skip && y - skip < w->n) {
				const struct cs_wline *l = &w->v[y - skip];
				size_t n = t->width[c] > l->cells ? t->width[c] - l->cells : 0;
				if (t->right[c])
					pad(b, n);
				cs_buf_wline(b, t->text[c].s, l);
				if (!t->right[c])
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

/* ---- classic style -------------------------------------------------------------- */

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

static void classic_row(struct cs_buf *b, struct cs_table *t)
{
	size_t at[CS_TABLE_MAX_COLUMNS] = { 0 };
	for (;;) {
		bool more = false;
		for (int c = 0; c < t->ncols; c++)
			if (at[c] < t->text[c].len)
				more = true;
		if (!more)
			break;
		cs_buf_char(b, ' ', 1);
		for (int c = 0; c < t->ncols; c++) {
			const struct cs_buf *x = &t->text[c];
			size_t n = at[c] < x->len ? chunk(x->s + at[c], x->len - at[c], t->width[c]) : 0;
			const char *s = n ? x->s + at[c] : "";
			size_t cps = cs_text_codepoints(s, n);
			if (t->right[c]) {
				size_t lead = t->width[c] > cps ? t->width[c] - cps : 0;
				pad(b, lead);
				cps += lead;
			}
			cs_buf_add(b, s, n);
			if (cps < t->room[c])
				pad(b, t->room[c] - cps);
			at[c] += n;
		}
		cs_buf_char(b, '\n', 1);
	}
}

void cs_table_row(struct cs_buf *b, struct cs_table *t, bool header)
{
	if (t->style == CS_TABLE_BOX)
		box_row(b, t, header);
	else
		classic_row(b, t);
}
