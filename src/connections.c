#include "connections.h"

#include <string.h>

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

void cs_buf_rich_render(struct cs_buf *b, const char *s, size_t len)
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
		plain(b, s + from, p - from);
		size_t slashes = q - p;
		cs_buf_char(b, '\\', slashes / 2);
		if (slashes % 2)
			cs_buf_add(b, s + q, end - q);	/* an escaped tag: literal */
		from = p = end;
		p--;
	}
	plain(b, s + from, len - from);
}

void cs_buf_rich_name(struct cs_buf *b, const char *name)
{
	size_t n = strlen(name);
	cs_buf_add(b, name, n);
	if (n && name[n - 1] == '\\' && !(n > 1 && name[n - 2] == '\\'))
		cs_buf_char(b, '\\', 1);
}
