/*
 * A Mermaid flowchart of the model (README, "Pictures"), for a README or
 * a wiki that renders Mermaid: the nodes and edges of the DOT picture, each
 * node's texts on lines of its own.  Written row by row.
 *
 * A node's text is a quoted string in which Mermaid reads "#NNN;" as the
 * character NNN; every character that could end the string or be read as
 * markup, a statement's end or a comment (quotes, brackets, braces, <, >,
 * &, #, backslash, backquote, |, ;, %) is written that way, so any name is
 * safe.
 */
#include "format.h"

#include "picture.h"

static void text(struct cs_buf *b, const char *s, size_t len)
{
	size_t from = 0;
	for (size_t i = 0; i < len; i++) {
		if (!strchr("\"#&<>[]{}|\\`;%", s[i]) || !s[i])
			continue;
		cs_buf_add(b, s + from, i - from);
		cs_buf_printf(b, "#%d;", (unsigned char)s[i]);
		from = i + 1;
	}
	cs_buf_add(b, s + from, len - from);
}

static void part(struct cs_buf *b, const struct cs_pic_node *n, struct cs_pic_text t)
{
	text(b, cs_pic_at(n, t), t.len);
}

static void indent(struct cs_buf *b, int depth)
{
	cs_buf_char(b, ' ', 4 * ((size_t)depth + 1));
}

static void node(struct cs_buf *b, int depth, const struct cs_pic_id *id, const struct cs_pic_node *n)
{
	indent(b, depth);
	cs_buf_add(b, id->s, id->len);
	CS_BUF_LIT(b, "[\"");
	const char *sep = "";
	if (n->bold.len) {
		CS_BUF_LIT(b, "<b>");
		part(b, n, n->bold);
		CS_BUF_LIT(b, "</b>");
		sep = "<br>";
	}
	if (n->plain.len) {
		part(b, n, n->plain);
		sep = "<br>";
	}
	for (int k = 0; k < n->nitems; k++) {
		cs_buf_str(b, sep);
		sep = "<br>";
		if (n->item[k].key) {
			cs_buf_str(b, n->item[k].key);
			CS_BUF_LIT(b, ": ");
		}
		part(b, n, n->item[k].value);
	}
	CS_BUF_LIT(b, "\"]\n");
}

static void edge(struct cs_buf *b, int depth, const struct cs_pic_id *from, const struct cs_pic_id *to)
{
	indent(b, depth);
	cs_buf_add(b, from->s, from->len);
	CS_BUF_LIT(b, " --> ");
	cs_buf_add(b, to->s, to->len);
	CS_BUF_LIT(b, "\n");
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
