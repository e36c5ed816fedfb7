#include "connections.h"

#include <string.h>

#include "cells.h"

static void one_shape(struct cs_buf *b, size_t rank, const int64_t *dims, enum cs_shape_style style)
{
	if (style == CS_SHAPE_JSON)
		cs_buf_json_shape(b, rank, dims);
	else
		cs_buf_shape(b, rank, dims, style == CS_SHAPE_PYTHON);
}

void cs_buf_row_shapes(struct cs_buf *b, const cs_model *m, size_t row, enum cs_shape_style style,
		       bool as_list)
{
	size_t n = cs_model_layer_output_count(m, row);
	const int64_t *dims;
	if (n == 1 && !as_list) {
		size_t rank = cs_model_layer_output(m, row, 0, &dims);
		one_shape(b, rank, dims, style);
		return;
	}
	cs_buf_char(b, '[', 1);
	for (size_t k = 0; k < n; k++) {
		size_t rank = cs_model_layer_output(m, row, k, &dims);
		if (k)
			CS_BUF_LIT(b, ", ");
		one_shape(b, rank, dims, style);
	}
	cs_buf_char(b, ']', 1);
}

const char *cs_tensor_name(const cs_model *m, struct cs_tensor t, struct cs_layer_info *li)
{
	size_t row = t.is_input ? cs_model_input_row(m, t.index) : t.index;
	if (row == SIZE_MAX) {
		struct cs_input_info in;
		cs_model_input(m, t.index, &in);
		return in.name;
	}
	cs_model_layer(m, row, li);
	return li->name;
}

void cs_buf_reference(struct cs_buf *b, const cs_model *m, struct cs_tensor t)
{
	struct cs_layer_info li;
	cs_buf_str(b, cs_tensor_name(m, t, &li));
	/* [call][output], without printf: this runs once a connection */
	char *p = cs_buf_reserve(b, 2 * CS_INT_MAX_CHARS + 4);
	if (!p)
		return;
	*p++ = '[';
	p = cs_put_int(p, (int64_t)t.call);
	p = CS_PUT_LIT(p, "][");
	p = cs_put_int(p, (int64_t)t.output);
	*p++ = ']';
	cs_buf_commit(b, p);
}

size_t cs_buf_connections(struct cs_buf *b, const cs_model *m, size_t row, const char *sep)
{
	size_t n = 0;
	for (size_t c = 0, nc = cs_model_layer_call_count(m, row); c < nc; c++)
		for (size_t k = 0, nk = cs_model_layer_call_input_count(m, row, c); k < nk; k++) {
			if (n++)
				cs_buf_str(b, sep);
			cs_buf_reference(b, m, cs_model_layer_call_input(m, row, c, k));
		}
	return n;
}

/* A tag at s[p] (after any backslashes from p): `[` then a lowercase
 * letter, '#', '/' or '@', then no '[' up to the next ']'.  Its end. */
static size_t tag_end(const char *s, size_t len, size_t q)
{
	if (q + 1 >= len || s[q] != '[')
		return 0;
	char c = s[q + 1];
	if (!((c >= 'a' && c <= 'z') || c == '#' || c == '/' || c == '@'))
		return 0;
	for (size_t r = q + 1; r < len; r++) {
		if (s[r] == '[')
			return 0;
		if (s[r] == ']')
			return r + 1;
	}
	return 0;
}

/* Plain text between tags: `\[` is `[`. */
static void plain(struct cs_buf *b, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && s[i + 1] == '[')
			continue;
		cs_buf_char(b, s[i], 1);
	}
}

/* Each tag-like `[...]` of s, with the backslashes right before it:
 * plain text and tags in turn, as rich's markup parser splits them. */
static void each_tag(struct cs_buf *b, const char *s, size_t len,
		     void (*text)(struct cs_buf *b, const char *s, size_t len),
		     void (*tag)(struct cs_buf *b, size_t slashes, const char *t, size_t len))
{
	size_t from = 0;
	for (size_t p = 0; p < len; p++) {
		if (s[p] != '\\' && s[p] != '[')
			continue;
		size_t q = p;
		while (q < len && s[q] == '\\')
			q++;
		size_t end = tag_end(s, len, q);
		if (!end)
			continue;
		text(b, s + from, p - from);
		tag(b, q - p, s + q, end - q);
		from = p = end;
		p--;
	}
	text(b, s + from, len - from);
}

/* Rendering: 2k backslashes before a tag print k and the tag vanishes;
 * 2k + 1 print k and the tag literally. */
static void render_tag(struct cs_buf *b, size_t slashes, const char *t, size_t len)
{
	cs_buf_char(b, '\\', slashes / 2);
	if (slashes % 2)
		cs_buf_add(b, t, len);
}

void cs_buf_rich_render(struct cs_buf *b, const char *s, size_t len)
{
	each_tag(b, s, len, plain, render_tag);
}

static void verbatim(struct cs_buf *b, const char *s, size_t len)
{
	cs_buf_add(b, s, len);
}

/* Escaping: the backslashes doubled, then one to escape the tag. */
static void escape_tag(struct cs_buf *b, size_t slashes, const char *t, size_t len)
{
	cs_buf_char(b, '\\', 2 * slashes + 1);
	cs_buf_add(b, t, len);
}

void cs_buf_rich_escape(struct cs_buf *b, const char *s, size_t len)
{
	size_t start = b->len;
	each_tag(b, s, len, verbatim, escape_tag);
	size_t n = b->len - start;
	const char *t = b->s ? b->s + start : "";
	if (n && t[n - 1] == '\\' && !(n > 1 && t[n - 2] == '\\'))
		cs_buf_char(b, '\\', 1);
}

void cs_buf_rich_name(struct cs_buf *b, const char *name)
{
	struct cs_buf t = { 0 };
	cs_buf_rich_escape(&t, name, strlen(name));
	cs_buf_rich_render(b, t.s ? t.s : "", t.len);
	if (t.failed)
		b->failed = true;
	cs_buf_free(&t);
}
