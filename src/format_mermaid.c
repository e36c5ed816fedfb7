/*
 * A Mermaid flowchart of the model (README, "Pictures"), for a README or
 * a wiki that renders Mermaid: the nodes and edges of the DOT picture, each
 * node's texts on lines of its own.  Written row by row; with --show
 * nested a sub-model is a `subgraph ID["title"]` ... `end`.
 *
 * A node's text is a quoted string in which Mermaid reads "#NNN;" as the
 * character NNN; every character that could end the string or be read as
 * markup, a statement's end or a comment (quotes, brackets, braces, <, >,
 * &, #, backslash, backquote, |, ;, %) is written that way, so any name is
 * safe.
 */
#include "format.h"

#include "picture.h"

/* The characters written as #NNN; below 0x60, a bit each from 0x20
 * (bit 0); above, ` { | } */
#define BIT(c) ((uint64_t)1 << ((c) - 0x20))
static const uint64_t marked = BIT('"') | BIT('#') | BIT('&') | BIT('<') | BIT('>') | BIT('[') | BIT(']') |
			       BIT('\\') | BIT(';') | BIT('%');
#undef BIT

static bool is_marked(unsigned char c)
{
	return c >= 0x20 && c < 0x60 ? (marked >> (c - 0x20)) & 1
	       : c >= 0x60 && c < 0x80 ? c == '`' || c == '{' || c == '|' || c == '}'
				       : false;
}

/* n bytes of s at p, the marked characters as #NNN; (room: 5 a byte) */
static char *put_marked(char *p, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!is_marked(c)) {
			*p++ = (char)c;
			continue;
		}
		*p++ = '#';
		p = cs_put_int(p, c);
		*p++ = ';';
	}
	return p;
}

static char *put_part(char *p, const struct cs_pic_node *n, struct cs_pic_text t)
{
	if (n->markup & CS_PIC_MARKUP_MERMAID)
		return put_marked(p, cs_pic_at(n, t), t.len);
	memcpy(p, cs_pic_at(n, t), t.len);
	return p + t.len;
}

static void part(struct cs_buf *b, const struct cs_pic_node *n, struct cs_pic_text t)
{
	char *p = cs_buf_reserve(b, 5 * t.len);
	if (p)
		cs_buf_commit(b, put_marked(p, cs_pic_at(n, t), t.len));
}

static char *put_indent(char *p, int depth)
{
	memset(p, ' ', 4 * ((size_t)depth + 1));
	return p + 4 * ((size_t)depth + 1);
}

static void indent(struct cs_buf *b, int depth)
{
	cs_buf_char(b, ' ', 4 * ((size_t)depth + 1));
}

/* Written into room reserved for the whole node, as DOT's are. */
static void node(struct cs_buf *b, int depth, const struct cs_pic_id *id, const struct cs_pic_node *n)
{
	size_t room = 4 * ((size_t)depth + 1) + id->len + 32 + 5 * n->text.len;
	for (int k = 0; k < n->nitems; k++)
		room += 8 + n->item[k].key_len;
	char *p = cs_buf_reserve(b, room);
	if (!p)
		return;
	p = put_indent(p, depth);
	memcpy(p, id->s, id->len);
	p = CS_PUT_LIT(p + id->len, "[\"");
	bool sep = false;
	if (n->bold.len) {
		p = CS_PUT_LIT(p, "<b>");
		p = put_part(p, n, n->bold);
		p = CS_PUT_LIT(p, "</b>");
		sep = true;
	}
	if (n->plain.len) {
		p = put_part(p, n, n->plain);
		sep = true;
	}
	for (int k = 0; k < n->nitems; k++) {
		if (sep)
			p = CS_PUT_LIT(p, "<br>");
		sep = true;
		if (n->item[k].key) {
			memcpy(p, n->item[k].key, n->item[k].key_len);
			p = CS_PUT_LIT(p + n->item[k].key_len, ": ");
		}
		p = put_part(p, n, n->item[k].value);
	}
	cs_buf_commit(b, CS_PUT_LIT(p, "\"]\n"));
}

static void edge(struct cs_buf *b, int depth, const struct cs_pic_id *from, const struct cs_pic_id *to)
{
	char *p = cs_buf_reserve(b, 4 * ((size_t)depth + 1) + from->len + to->len + 8);
	if (!p)
		return;
	p = put_indent(p, depth);
	memcpy(p, from->s, from->len);
	p = CS_PUT_LIT(p + from->len, " --> ");
	memcpy(p, to->s, to->len);
	cs_buf_commit(b, CS_PUT_LIT(p + to->len, "\n"));
}

/* A sub-model's subgraph, titled as its node would be ("backbone
 * (Functional)"). */
static void begin(struct cs_buf *b, int depth, const struct cs_pic_id *id, const struct cs_pic_node *n)
{
	indent(b, depth);
	CS_BUF_LIT(b, "subgraph cluster_");
	cs_buf_add(b, id->s, id->len);
	CS_BUF_LIT(b, "[\"");
	part(b, n, n->bold);
	part(b, n, n->plain);
	CS_BUF_LIT(b, "\"]\n");
}

static void end(struct cs_buf *b, int depth)
{
	indent(b, depth);
	CS_BUF_LIT(b, "end\n");
}

static const struct cs_pic_writer writer = { node, edge, begin, end };

static int render(const cs_model *m, int L, const struct cs_render_options *opt,
		  const struct cs_columns *cols, struct cs_buf *b)
{
	(void)L;
	cs_buf_str(b, opt && opt->left_to_right ? "flowchart LR\n" : "flowchart TB\n");
	cs_pic_graph(b, m, opt, cols, &writer);
	return 0;
}

const struct cs_formatter cs_format_mermaid = { "mermaid", 0, 0, render, NULL, NULL };
