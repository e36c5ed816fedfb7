/* What the pictures of the architecture share (picture.c): the texts of
 * each node (name, class, shapes, or the --columns cells), the node of a
 * Sequential model's input, and where each edge starts.  The DOT, Mermaid
 * and HTML formatters differ only in how they mark these texts up. */
#ifndef CS_PICTURE_H
#define CS_PICTURE_H

#include "buf.h"
#include "columns.h"
#include "convsummary.h"

/* How an item is shaded: plot_model's green "Trainable" and red
 * "Non-trainable". */
enum cs_pic_tone { CS_PIC_PLAIN, CS_PIC_TRAINABLE, CS_PIC_FROZEN };

#define CS_PIC_MARKUP_XML 1u	/* DOT's HTML-like labels: & < > " ' */
#define CS_PIC_MARKUP_MERMAID 2u	/* " # & < > [ ] { } | \ ` ; % */

/* A text of the node, at off in the node's text buffer. */
struct cs_pic_text {
	size_t off, len;
};

struct cs_pic_item {
	const char *key;	/* "Output shape"; NULL: the value stands alone */
	size_t key_len;
	struct cs_pic_text value;
	enum cs_pic_tone tone;
	int line;		/* items of one line sit side by side */
};

#define CS_PIC_MAX_ITEMS (CS_MAX_COLUMNS + 6)

/* One node.  Its texts have control characters escaped as \xNN (as
 * messages show them) but no markup: each format escapes its own. */
struct cs_pic_node {
	struct cs_buf text;	/* every text, back to back; kept from node
				 * to node (cs_pic_node_free at the end) */
	struct cs_pic_text bold, plain;	/* the title: "conv2d" " (Conv2D)" */
	unsigned markup;	/* CS_PIC_MARKUP_* of the formats whose
				 * escaping some text may need (a character it
				 * writes otherwise, or not ASCII); without
				 * its bit, a format copies every text as it is */
	int nitems, nlines;
	struct cs_pic_item item[CS_PIC_MAX_ITEMS];
	const int64_t *last_dims;	/* the shape last written, at last_shape */
	size_t last_rank;
	struct cs_pic_text last_shape;
};

void cs_pic_node_free(struct cs_pic_node *n);

/* Fill n with row i's texts: the title and the shapes (with opt->show's
 * extras), or cols' cells when cols is not NULL. */
void cs_pic_row(struct cs_pic_node *n, const cs_model *m, size_t i,
		const struct cs_render_options *opt, const struct cs_columns *cols);

/* Whether input k is drawn as a node of its own: a Sequential model's
 * inputs have no row, but plot_model draws an InputLayer for them. */
bool cs_pic_input_has_node(const cs_model *m, size_t k);
/* Fill n with that node's texts. */
void cs_pic_input(struct cs_pic_node *n, const cs_model *m, size_t k,
		  const struct cs_render_options *opt, const struct cs_columns *cols);

/* A node's identifier, [a-z0-9_] only, so that no format quotes it:
 * "r12" (row 12), "i0" (input 0 of a Sequential model, which has no
 * row); inside an expanded sub-model's cluster, the id of the sub-model's
 * row and '_' go before ("r3_r0").  A cluster's is its row's. */
#define CS_PIC_MAX_DEPTH 8	/* deeper sub-models are drawn as one node */
struct cs_pic_id {
	size_t len;
	char s[CS_PIC_MAX_DEPTH * (CS_INT_MAX_CHARS + 2) + CS_INT_MAX_CHARS + 2];
};

/* How a format writes the parts of the picture.  depth is where: 0 the
 * model's own level, 1 inside a cluster, and so on. */
struct cs_pic_writer {
	void (*node)(struct cs_buf *b, int depth, const struct cs_pic_id *id, const struct cs_pic_node *n);
	/* written at the level of the innermost cluster holding both ends
	 * (DOT and Mermaid put an edge's nodes in the cluster it is in) */
	void (*edge)(struct cs_buf *b, int depth, const struct cs_pic_id *from, const struct cs_pic_id *to);
	/* an expanded sub-model (--show nested): n holds its row's title
	 * (name and class) for the label; its nodes and edges follow, then
	 * end() */
	void (*begin)(struct cs_buf *b, int depth, const struct cs_pic_id *id, const struct cs_pic_node *n);
	void (*end)(struct cs_buf *b, int depth);
};

/* The graph in summary order: each input's node (when it has one), then
 * each row's node (or, with CS_SHOW_NESTED, a sub-model's cluster) and
 * after it the edges into it, so every edge joins nodes already written.
 * A sub-model's cluster holds its own rows and edges; the edges into it
 * end at its inputs' rows (a Sequential sub-model's first layer), the
 * edges out of it start at the rows of its outputs.  A sub-model called
 * several times is drawn once, with the edges of every call. */
void cs_pic_graph(struct cs_buf *b, const cs_model *m, const struct cs_render_options *opt,
		  const struct cs_columns *cols, const struct cs_pic_writer *w);

/* A text of n. */
static inline const char *cs_pic_at(const struct cs_pic_node *n, struct cs_pic_text t)
{
	return n->text.s ? n->text.s + t.off : "";
}

/* Escaped for XML and HTML text and attribute values: & < > " ' as
 * entities (also Graphviz's HTML-like labels). */
void cs_buf_xml(struct cs_buf *b, const char *s, size_t len);

#endif
