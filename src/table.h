/*
 * The one table engine of the text formats (table.c): N columns, each
 * with its width and alignment, written either in rich's "heavy head" box
 * style (Keras 3's summary, and --columns) or in the classic style of
 * tf.keras 2 (`_` and `=` rules, fields cut at code points).  A caller
 * fills the cells of a row in text[] and asks for the row; where the
 * columns stand (Keras's positions, or the widest cell) is the caller's.
 */
#ifndef CS_TABLE_H
#define CS_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "textwrap.h"

#define CS_TABLE_MAX_COLUMNS 24

enum cs_table_style { CS_TABLE_BOX, CS_TABLE_CLASSIC };

struct cs_table {
	enum cs_table_style style;
	int ncols;
	size_t width[CS_TABLE_MAX_COLUMNS];	/* content width, in cells (box)
						 * or code points (classic) */
	size_t room[CS_TABLE_MAX_COLUMNS];	/* classic: a column's whole width,
						 * from its position to the next */
	bool right[CS_TABLE_MAX_COLUMNS];	/* right-justified (numbers) */
	struct cs_buf text[CS_TABLE_MAX_COLUMNS];	/* the row's cells */
	struct cs_wrap wrap[CS_TABLE_MAX_COLUMNS];
};

/* Box style: the rules above the header, under it, between two rows and
 * at the bottom. */
enum cs_table_rule { CS_RULE_TOP, CS_RULE_HEAD, CS_RULE_BETWEEN, CS_RULE_BOTTOM };
void cs_table_rule(struct cs_buf *b, const struct cs_table *t, enum cs_table_rule rule);

/* Empty every cell, ready for the next row. */
void cs_table_clear(struct cs_table *t);

/* The row whose cells are in t->text.  Box style: cells wrapped as rich
 * wraps them (words whole, a longer word cut with "…"), a header row
 * aligned to the bottom of its height, a body row to the top.  Classic
 * style: each field cut into chunks of its width in code points, each
 * chunk ending after the leftmost break token `),` `},` `],` `',` in it,
 * every chunk padded to the column's room. */
void cs_table_row(struct cs_buf *b, struct cs_table *t, bool header);

/* Free the cells; b->failed when one of them ran out of memory. */
void cs_table_free(struct cs_table *t, struct cs_buf *b);

#endif
