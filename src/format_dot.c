/*
 * A Graphviz digraph of the model (README, "Pictures"): a node per row of
 * the summary, labelled as plot_model(show_shapes=True,
 * show_layer_names=True) labels it (an HTML-like table: name and class
 * on black, then the input and output shapes), and an edge per input
 * tensor of each call.  Each cell is one run of text: Graphviz measures
 * text with its own font metrics, and a viewer's font is often wider, so
 * runs side by side (plot_model's bold name, then the plain class) would
 * overlap.  Written row by row, as the text table is:
 * a node's edges follow it, and every edge starts at a node already drawn.
 * With --show nested a sub-model is a `subgraph cluster_ID`, dashed, its
 * rows inside; the edges into it follow its closing brace (picture.h).
 */
#include "format.h"

#include "diag.h"
#include "picture.h"

/* A DOT quoted string: '"' and '\' escaped.  It is the graph's ID, shown
 * only in an SVG's <title>, where DOT keeps an escaped backslash doubled:
 * that is the price of a name that cannot end the string early. */
static void quoted(struct cs_buf *b, const char *s)
{
	struct cs_buf e = { 0 };
	cs_buf_escaped(&e, s, strlen(s));
	CS_BUF_LIT(b, "\"");
	for (size_t i = 0; i < e.len; i++) {
		if (e.s[i] == '"' || e.s[i] == '\\')
			CS_BUF_LIT(b, "\\");
		cs_buf_add(b, e.s + i, 1);
	}
	CS_BUF_LIT(b, "\"");
	if (e.failed)
		b->failed = true;
	cs_buf_free(&e);
}

static void text(struct cs_buf *b, const struct cs_pic_node *n, struct cs_pic_text t)
{
	cs_buf_xml(b, cs_pic_at(n, t), t.len);
}

/* The writers below fill room reserved for a whole node (node_room()):
 * no printf and no call per piece, so a node costs what a row of the
 * JSON costs. */

/* n's text t at p, as XML text: copied when n has nothing to escape */
static char *put_text(char *p, const struct cs_pic_node *n, struct cs_pic_text t)
{
	const char *s = cs_pic_at(n, t);
	if (!(n->markup & CS_PIC_MARKUP_XML)) {
		memcpy(p, s, t.len);
		return p + t.len;
	}
	for (size_t i = 0; i < t.len; i++)
		switch (s[i]) {
		case '&': p = CS_PUT_LIT(p, "&amp;"); break;
		case '<': p = CS_PUT_LIT(p, "&lt;"); break;
		case '>': p = CS_PUT_LIT(p, "&gt;"); break;
		case '"': p = CS_PUT_LIT(p, "&quot;"); break;
		case '\'': p = CS_PUT_LIT(p, "&#39;"); break;
		default: *p++ = s[i];
		}
	return p;
}

#define CELL_ROOM (96 + CS_INT_MAX_CHARS)	/* a cell's markup */

static size_t node_room(int depth, const struct cs_pic_id *id, const struct cs_pic_node *n)
{
	size_t room = 256 + (size_t)depth + id->len + 6 * n->text.len + (size_t)n->nlines * 16;
	for (int k = 0; k < n->nitems; k++)
		room += CELL_ROOM + n->item[k].key_len;
	return room;
}

static char *put_colspan(char *p, int span)
{
	if (span <= 1)
		return p;
	p = CS_PUT_LIT(p, " colspan=\"");
	p = cs_put_int(p, span);
	*p++ = '"';
	return p;
}

static char *put_title(char *p, const struct cs_pic_node *n, int width)
{
	if (!n->bold.len && !n->plain.len)
		return p;
	p = CS_PUT_LIT(p, "<tr><td");
	p = put_colspan(p, width);
	p = CS_PUT_LIT(p, " bgcolor=\"black\"><font color=\"white\"><b>");
	p = put_text(p, n, n->bold);
	p = put_text(p, n, n->plain);
	return CS_PUT_LIT(p, "</b></font></td></tr>");
}

static char *put_cell(char *p, const struct cs_pic_node *n, const struct cs_pic_item *it, int span)
{
	p = CS_PUT_LIT(p, "<td");
	p = put_colspan(p, span);
	if (it->tone == CS_PIC_TRAINABLE)
		p = CS_PUT_LIT(p, " bgcolor=\"forestgreen\"><font color=\"white\">");
	else if (it->tone == CS_PIC_FROZEN)
		p = CS_PUT_LIT(p, " bgcolor=\"firebrick\"><font color=\"white\">");
	else
		*p++ = '>';
	if (it->key) {
		memcpy(p, it->key, it->key_len);
		p = CS_PUT_LIT(p + it->key_len, ": ");
	}
	p = put_text(p, n, it->value);
	if (it->tone != CS_PIC_PLAIN)
		p = CS_PUT_LIT(p, "</font>");
	return CS_PUT_LIT(p, "</td>");
}

/* The node's HTML-like label: a table as wide as its widest line, the
 * last cell of a shorter line spanning the rest. */
static char *put_label(char *p, const struct cs_pic_node *n)
{
	int count[CS_PIC_MAX_ITEMS] = { 0 }, width = 1;
	for (int k = 0; k < n->nitems; k++)
		if (++count[n->item[k].line] > width)
			width = count[n->item[k].line];
	p = CS_PUT_LIT(p, "<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"5\">");
	p = put_title(p, n, width);
	for (int line = 0, k = 0; line < n->nlines; line++) {
		p = CS_PUT_LIT(p, "<tr>");
		for (int c = 0; c < count[line]; c++, k++)
			p = put_cell(p, n, &n->item[k], c == count[line] - 1 ? width - count[line] + 1 : 1);
		p = CS_PUT_LIT(p, "</tr>");
	}
	return CS_PUT_LIT(p, "</table>>");
}

static char *put_indent(char *p, int depth)
{
	memset(p, '\t', (size_t)depth + 1);
	return p + depth + 1;
}

static void node(struct cs_buf *b, int depth, const struct cs_pic_id *id, const struct cs_pic_node *n)
{
	char *p = cs_buf_reserve(b, node_room(depth, id, n));
	if (!p)
		return;
	p = put_indent(p, depth);
	memcpy(p, id->s, id->len);
	p = CS_PUT_LIT(p + id->len, " [label=");
	p = put_label(p, n);
	cs_buf_commit(b, CS_PUT_LIT(p, "];\n"));
}

static void edge(struct cs_buf *b, int depth, const struct cs_pic_id *from, const struct cs_pic_id *to)
{
	char *p = cs_buf_reserve(b, (size_t)depth + from->len + to->len + 16);
	if (!p)
		return;
	p = put_indent(p, depth);
	memcpy(p, from->s, from->len);
	p = CS_PUT_LIT(p + from->len, " -> ");
	memcpy(p, to->s, to->len);
	cs_buf_commit(b, CS_PUT_LIT(p + to->len, ";\n"));
}

static void indent(struct cs_buf *b, int depth)
{
	cs_buf_char(b, '\t', (size_t)depth + 1);
}

/* A sub-model's cluster, as plot_model(expand_nested=True) draws it:
 * dashed, its label on the left; the label is the title its node would
 * have ("backbone (Functional)"), one run of text. */
static void begin(struct cs_buf *b, int depth, const struct cs_pic_id *id, const struct cs_pic_node *n)
{
	indent(b, depth);
	CS_BUF_LIT(b, "subgraph cluster_");
	cs_buf_add(b, id->s, id->len);
	CS_BUF_LIT(b, " {\n");
	indent(b, depth + 1);
	CS_BUF_LIT(b, "graph [label=<");
	text(b, n, n->bold);
	text(b, n, n->plain);
	CS_BUF_LIT(b, ">, style=dashed, labeljust=l, fontsize=11];\n");
}

static void end(struct cs_buf *b, int depth)
{
	indent(b, depth);
	CS_BUF_LIT(b, "}\n");
}

static const struct cs_pic_writer writer = { node, edge, begin, end };

int cs_render_dot(const cs_model *m, const struct cs_render_options *opt,
		  const struct cs_columns *cols, struct cs_buf *b)
{
	CS_BUF_LIT(b, "digraph ");
	quoted(b, cs_model_name(m));
	cs_buf_printf(b, " {\n\tgraph [rankdir=%s, fontname=\"Helvetica\", nodesep=0.3, ranksep=0.4];\n",
		      opt && opt->left_to_right ? "LR" : "TB");
	CS_BUF_LIT(b, "\tnode [shape=plaintext, margin=0, fontname=\"Helvetica\", fontsize=11];\n"
		   "\tedge [arrowsize=0.7];\n");
	cs_pic_graph(b, m, opt, cols, &writer);
	CS_BUF_LIT(b, "}\n");
	return 0;
}

static int render(const cs_model *m, int L, const struct cs_render_options *opt,
		  const struct cs_columns *cols, struct cs_buf *b)
{
	(void)L;
	return cs_render_dot(m, opt, cols, b);
}

const struct cs_formatter cs_format_dot = { "dot", 0, 0, render, NULL, NULL };
