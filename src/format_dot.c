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

/* without printf: the DOT is written at the text table's pace */
static void colspan(struct cs_buf *b, int span)
{
	if (span <= 1)
		return;
	CS_BUF_LIT(b, " colspan=\"");
	cs_buf_int(b, span);
	CS_BUF_LIT(b, "\"");
}

static void title(struct cs_buf *b, const struct cs_pic_node *n, int width)
{
	if (!n->bold.len && !n->plain.len)
		return;
	CS_BUF_LIT(b, "<tr><td");
	colspan(b, width);
	CS_BUF_LIT(b, " bgcolor=\"black\"><font color=\"white\"><b>");
	text(b, n, n->bold);
	text(b, n, n->plain);
	CS_BUF_LIT(b, "</b></font></td></tr>");
}

static void cell(struct cs_buf *b, const struct cs_pic_node *n, const struct cs_pic_item *it, int span)
{
	static const char *const tones[] = { "", " bgcolor=\"forestgreen\"", " bgcolor=\"firebrick\"" };
	CS_BUF_LIT(b, "<td");
	colspan(b, span);
	cs_buf_str(b, tones[it->tone]);
	CS_BUF_LIT(b, ">");
	if (it->tone != CS_PIC_PLAIN)
		CS_BUF_LIT(b, "<font color=\"white\">");
	if (it->key) {
		cs_buf_str(b, it->key);
		CS_BUF_LIT(b, ": ");
	}
	text(b, n, it->value);
	if (it->tone != CS_PIC_PLAIN)
		CS_BUF_LIT(b, "</font>");
	CS_BUF_LIT(b, "</td>");
}

/* The node's HTML-like label: a table as wide as its widest line, the
 * last cell of a shorter line spanning the rest. */
static void label(struct cs_buf *b, const struct cs_pic_node *n)
{
	int count[CS_PIC_MAX_ITEMS] = { 0 }, width = 1;
	for (int k = 0; k < n->nitems; k++)
		if (++count[n->item[k].line] > width)
			width = count[n->item[k].line];
	CS_BUF_LIT(b, "<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"5\">");
	title(b, n, width);
	for (int line = 0, k = 0; line < n->nlines; line++) {
		CS_BUF_LIT(b, "<tr>");
		for (int c = 0; c < count[line]; c++, k++)
			cell(b, n, &n->item[k], c == count[line] - 1 ? width - count[line] + 1 : 1);
		CS_BUF_LIT(b, "</tr>");
	}
	CS_BUF_LIT(b, "</table>>");
}

static void indent(struct cs_buf *b, int depth)
{
	cs_buf_char(b, '\t', (size_t)depth + 1);
}

static void node(struct cs_buf *b, int depth, const struct cs_pic_id *id, const struct cs_pic_node *n)
{
	indent(b, depth);
	cs_buf_add(b, id->s, id->len);
	CS_BUF_LIT(b, " [label=");
	label(b, n);
	CS_BUF_LIT(b, "];\n");
}

static void edge(struct cs_buf *b, int depth, const struct cs_pic_id *from, const struct cs_pic_id *to)
{
	indent(b, depth);
	cs_buf_add(b, from->s, from->len);
	CS_BUF_LIT(b, " -> ");
	cs_buf_add(b, to->s, to->len);
	CS_BUF_LIT(b, ";\n");
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
