/*
 * A pull reader over libyaml's events.  It hands out one YAML node at a
 * time as a small tree allocated in an arena the caller chooses, so a long
 * `layers:` list is read item by item and never held as a whole document.
 * Aliases are refused (no alias bombs), nesting is bounded, and a scalar
 * keeps whether it was quoted, so `3` and "3" stay different.
 */
#ifndef CS_YAML_NODES_H
#define CS_YAML_NODES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <yaml.h>

#include "arena.h"
#include "diag.h"
#include "yaml_events.h"

#define CS_YAML_MAX_DEPTH 64
#define CS_YAML_MAX_SCALAR (1024 * 1024)	/* longer values are refused */
#define CS_YAML_MAX_ITEMS 4096		/* entries of a list or mapping value */

enum cs_node_kind { CS_NODE_SCALAR, CS_NODE_SEQ, CS_NODE_MAP };

struct cs_node;

struct cs_pair {
	struct cs_node *key;	/* always a scalar */
	struct cs_node *value;
};

struct cs_node {
	enum cs_node_kind kind;
	struct cs_mark mark;
	union {
		struct {
			const char *text;	/* NUL-terminated */
			size_t len;
			bool plain;	/* unquoted, no tag: may be a number, bool or null */
		} scalar;
		struct {
			struct cs_node **items;
			size_t n;
		} seq;
		struct {
			struct cs_pair *pairs;
			size_t n;
		} map;
	} u;
};

struct cs_yreader {
	struct cs_events *events;
	const struct cs_event *event;	/* the current one */
	int depth;
	struct cs_error *err;
	const unsigned char *data;	/* for turning byte offsets into marks */
	size_t len;
	FILE *file;			/* or the file being read */
};

/* Start reading len bytes; the bytes must outlive the reader.  -1 (with
 * *err) when out of memory; cs_yreader_close() is due either way. */
int cs_yreader_init(struct cs_yreader *r, const unsigned char *data,
		    size_t len, struct cs_error *err);
/* Read from an open file instead (from where it stands), in libyaml's own
 * small buffers, so a large file is never held whole. */
int cs_yreader_init_file(struct cs_yreader *r, FILE *f, struct cs_error *err);
void cs_yreader_close(struct cs_yreader *r);

/* Move to the next event (the current one is r->event; the previous one's
 * texts are gone). */
int cs_yreader_next(struct cs_yreader *r);

/* Read the node that starts at the current event, leaving the reader on
 * the event after it. */
int cs_yreader_node(struct cs_yreader *r, struct cs_arena *a,
		    struct cs_node **out);

/* The rest of a mapping whose start was read (and, if first_key is not
 * NULL, whose first key too: the current event is then its value), into
 * out, which starts at mark. */
int cs_yreader_map_rest(struct cs_yreader *r, struct cs_arena *a, struct cs_mark mark,
			struct cs_node *first_key, struct cs_node *out);

/* The current event, a scalar, as a node whose text is the event's own
 * (valid until the next event); checks tags, NULs and length. */
int cs_yreader_peek_scalar(struct cs_yreader *r, struct cs_node *n);

/* Skip past the stream start and document start; fails on an empty
 * stream.  cs_yreader_finish() checks that one document was all. */
int cs_yreader_begin(struct cs_yreader *r);
int cs_yreader_finish(struct cs_yreader *r);

struct cs_mark cs_yreader_mark(const struct cs_yreader *r);

/* Scalar helpers. */
bool cs_node_is_null(const struct cs_node *n);
/* The lookup of a key in a mapping node; NULL when absent. */
const struct cs_node *cs_node_get(const struct cs_node *map, const char *key);
/* A short description of a node for messages: "a list", "a mapping",
 * "'abc'". Points into buf. */
const char *cs_node_describe(const struct cs_node *n, char *buf, size_t size);

#endif
