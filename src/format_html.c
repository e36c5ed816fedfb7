/*
 * One self-contained HTML page for a documentation site (README,
 * "Pictures"): the model's name, the summary table (Keras's columns, with
 * "Connected to" for a graph, or --columns'), the totals, the figures beyond Keras, and the picture as
 * inline SVG.  No scripts, no fonts or styles from elsewhere; a print
 * style keeps the table and the picture on paper.  Built without
 * Graphviz, the page says where the picture would be and how to draw it.
 */
#include "columns.h"
#include "format.h"

#include <string.h>

#include "diag.h"
#include "picture.h"

static const char style[] =
	"<style>\n"
	"body { font-family: sans-serif; color: #111; margin: 2em auto; max-width: 70em; padding: 0 1em; }\n"
	"h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.5em; }\n"
	"table { border-collapse: collapse; font-size: 0.9em; }\n"
	"th, td { border: 1px solid #999; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }\n"
	"th { background: #eee; }\n"
	"td.n { text-align: right; font-variant-numeric: tabular-nums; }\n"
	"ul.totals { list-style: none; padding: 0; }\n"
	"figure.diagram { margin: 1em 0; }\n"
	"figure.diagram svg { max-width: 100%; height: auto; }\n"
	/* the fonts whose widths Graphviz measured the labels with */
	"figure.diagram svg text { font-family: Arial, \"Liberation Sans\", Helvetica, sans-serif; }\n"
	"@media print {\n"
	"  body { margin: 0; max-width: none; }\n"
	"  th { background: none; }\n"
	"  tr, figure.diagram { break-inside: avoid; }\n"
	"  h2 { break-after: avoid; }\n"
	"}\n"
	"</style>\n";

/* Text from the model: control characters escaped as messages show them,
 * then markup. */
static void text(struct cs_buf *b, const char *s, size_t len)
{
	struct cs_buf e = { 0 };
	cs_buf_escaped(&e, s, len);
	cs_buf_xml(b, e.s ? e.s : "", e.len);
	if (e.failed)
		b->failed = true;
	cs_buf_free(&e);
}

struct table_ctx {
	struct cs_buf *b;
	const struct cs_columns *cols;
};

static void cell(void *ctx, size_t layer, int col, const char *s, size_t len)
{
	struct table_ctx *t = ctx;
	(void)layer;
	if (!col)
		CS_BUF_LIT(t->b, "<tr>");
	cs_buf_str(t->b, cs_column_right(t->cols->id[col]) ? "<td class=\"n\">" : "<td>");
	text(t->b, s, len);
	CS_BUF_LIT(t->b, "</td>");
}

static void row_end(void *ctx, size_t layer)
{
	(void)layer;
	CS_BUF_LIT(((struct table_ctx *)ctx)->b, "</tr>\n");
}

/* Lines of text (the totals' and the figures') as a list. */
static void lines(struct cs_buf *b, const struct cs_buf *from)
{
	CS_BUF_LIT(b, "<ul class=\"totals\">\n");
	for (const char *p = from->s ? from->s : ""; *p;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len && *p == ' ')
			p++, len--;
		CS_BUF_LIT(b, "<li>");
		text(b, p, len);
		CS_BUF_LIT(b, "</li>\n");
		p += len + (end != NULL);
	}
	CS_BUF_LIT(b, "</ul>\n");
}

static void diagram(struct cs_buf *b, const cs_model *m, const struct cs_render_options *opt,
		    const struct cs_columns *cols)
{
	struct cs_buf svg = { 0 };
	char why[512];
	CS_BUF_LIT(b, "<h2>Architecture</h2>\n<figure class=\"diagram\">\n");
	if (cs_render_svg(m, opt, cols, &svg, why, sizeof(why)) == 0) {
		/* from <svg on: the XML declaration and doctype are not HTML's */
		const char *start = svg.s ? strstr(svg.s, "<svg") : NULL;
		if (start)
			cs_buf_add(b, start, svg.len - (size_t)(start - svg.s));
	} else {
		CS_BUF_LIT(b, "<p>No picture: ");
		text(b, why, strlen(why));
		CS_BUF_LIT(b, ".</p>\n");
	}
	CS_BUF_LIT(b, "</figure>\n");
	if (svg.failed)
		b->failed = true;
	cs_buf_free(&svg);
}

static int picture(const cs_model *m, const struct cs_render_options *opt,
		   const struct cs_columns *cols, struct cs_buf *b, char *why, size_t size)
{
	(void)why;
	(void)size;
	const char *name = cs_model_name(m);
	struct cs_columns own;
	const struct cs_columns *table = cols;
	if (!table) {
		char unused[128];
		cs_columns_parse(cs_model_has_connections(m) ? "layer,output_shape,params,connected_to"
				 : "layer,output_shape,params", &own, unused, sizeof(unused));
		table = &own;
	}
	CS_BUF_LIT(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		   "<meta name=\"generator\" content=\"convsummary " CS_VERSION "\">\n<title>");
	text(b, name, strlen(name));
	CS_BUF_LIT(b, "</title>\n");
	cs_buf_str(b, style);
	CS_BUF_LIT(b, "</head>\n<body>\n<h1>Model: ");
	text(b, name, strlen(name));
	CS_BUF_LIT(b, "</h1>\n<table>\n<thead><tr>");
	for (int c = 0; c < table->n; c++) {
		cs_buf_str(b, cs_column_right(table->id[c]) ? "<th class=\"n\">" : "<th>");
		cs_buf_str(b, cs_column_header(table->id[c]));
		CS_BUF_LIT(b, "</th>");
	}
	CS_BUF_LIT(b, "</tr></thead>\n<tbody>\n");
	struct table_ctx t = { b, table };
	if (cs_columns_each(m, opt, table, false, cell, row_end, &t) < 0)
		b->failed = true;
	CS_BUF_LIT(b, "</tbody>\n</table>\n");

	struct cs_buf totals = { 0 };
	cs_buf_totals(&totals, m, "", true, "B");
	lines(b, &totals);
	totals.len = 0;
	CS_BUF_LIT(b, "<h2>Beyond Keras</h2>\n");
	cs_figure_footer(m, opt, "", "", &totals);
	lines(b, &totals);
	if (totals.failed)
		b->failed = true;
	cs_buf_free(&totals);

	diagram(b, m, opt, cols);
	CS_BUF_LIT(b, "</body>\n</html>\n");
	return 0;
}

const struct cs_formatter cs_format_html = { "html", 0, 0, NULL, picture, NULL };
