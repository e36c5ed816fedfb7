/* What a Functional summary says about the graph (connections.c): the
 * "Connected to" references of a row, `name[call][output]`, and the
 * markup that Keras 3's table passes its cells through (rich). */
#ifndef CS_CONNECTIONS_H
#define CS_CONNECTIONS_H

#include "buf.h"
#include "convsummary.h"

/* The name of the layer or input a tensor comes from; buf holds an
 * automatic one. */
const char *cs_tensor_name(const cs_model *m, struct cs_tensor t, struct cs_layer_info *buf);

/* Row i's references in order (each call in the model, each of its input
 * tensors), written as `name[c][o]` separated by sep; none: nothing. */
size_t cs_buf_connections(struct cs_buf *b, const cs_model *m, size_t row, const char *sep);

/* Row i's output shape as the formats write it: its one output's, or
 * `[` the shapes joined by ", " `]` for several (always a list with
 * as_list, as tf.keras 2 prints an InputLayer's). */
enum cs_shape_style { CS_SHAPE_KERAS, CS_SHAPE_PYTHON, CS_SHAPE_JSON };
void cs_buf_row_shapes(struct cs_buf *b, const cs_model *m, size_t row, enum cs_shape_style style,
		       bool as_list);

/* One reference. */
void cs_buf_reference(struct cs_buf *b, const cs_model *m, struct cs_tensor t);

/* The visible text of rich markup (Keras 3's Connected to cells): tags
 * `[x...]` vanish, `\[` is a bracket, backslashes before a tag halve. */
void cs_buf_rich_render(struct cs_buf *b, const char *s, size_t len);

/* rich's escape(): a backslash before each tag-like `[...]` (doubling
 * those before it), and one more at the end of a text ending in one. */
void cs_buf_rich_escape(struct cs_buf *b, const char *s, size_t len);

/* A name as Keras 3's title shows it: escaped, then rendered. */
void cs_buf_rich_name(struct cs_buf *b, const char *name);

#endif
