#include "yaml_nodes.h"

#include <stdlib.h>
#include <string.h>

struct cs_mark cs_yreader_mark(const struct cs_yreader *r)
{
	return r->event->mark;
}

static int opened(struct cs_yreader *r)
{
	static const struct cs_event none = { .type = YAML_NO_EVENT, .mark = { 1, 1 } };
	r->event = &none;
	if (r->events)
		return 0;
	return cs_fail_oom(r->err, none.mark);
}

int cs_yreader_init(struct cs_yreader *r, const unsigned char *data,
		    size_t len, struct cs_error *err)
{
	memset(r, 0, sizeof(*r));
	r->err = err;
	r->data = data;
	r->len = len;
	r->events = cs_events_open_string(data, len);
	return opened(r);
}

int cs_yreader_init_file(struct cs_yreader *r, FILE *f, struct cs_error *err)
{
	memset(r, 0, sizeof(*r));
	r->err = err;
	r->file = f;
	r->events = cs_events_open_file(f);
	return opened(r);
}

void cs_yreader_close(struct cs_yreader *r)
{
	cs_events_close(r->events);
	r->events = NULL;
}

static int syntax_error(struct cs_yreader *r)
{
	const struct cs_parse_error *p = cs_events_error(r->events);
	struct cs_mark m = p->problem_mark;
	if (p->kind == YAML_MEMORY_ERROR)
		return cs_fail_oom(r->err, m);
	if (p->kind == YAML_READER_ERROR) {
		/* the reader reports a byte offset: count lines up to it; for a bad
		 * trailing byte, point at the sequence's lead byte */
		size_t off = p->problem_offset;
		unsigned char *copy = NULL;
		if (r->file) {
			/* the file again, up to the problem (errors only; the parse
			 * has stopped, so the file is ours) */
			copy = malloc(off + 4);
			if (copy && fseek(r->file, 0, SEEK_SET) == 0) {
				r->len = fread(copy, 1, off + 4, r->file);
				r->data = copy;
			}
		}
		if (p->problem && strstr(p->problem, "trailing"))
			for (int k = 0; k < 3 && off > 0 && off <= r->len &&
					(off == r->len || (r->data[off] & 0xC0) != 0xC0); k++)
				off--;
		struct cs_mark at = { 1, 1 };
		for (size_t i = 0; r->data && i < off && i < r->len; i++) {
			if (r->data[i] == '\n') {
				at.line++;
				at.column = 1;
			} else if ((r->data[i] & 0xC0) != 0x80) {
				at.column++;
			}
		}
		free(copy);
		if (copy)
			r->data = NULL;
		return cs_fail(r->err, at, "%s (byte %zu): expected UTF-8 text",
			       p->problem ? p->problem : "unreadable input", off);
	}
	if (p->context)
		return cs_fail(r->err, m, "YAML syntax: %s %s (line %u)",
			       p->problem ? p->problem : "error", p->context,
			       p->context_mark.line);
	return cs_fail(r->err, m, "YAML syntax: %s",
		       p->problem ? p->problem : "error");
}

int cs_yreader_next(struct cs_yreader *r)
{
	r->event = cs_events_next(r->events);
	if (r->event->type == YAML_NO_EVENT)
		return syntax_error(r);
	return 0;
}

int cs_yreader_begin(struct cs_yreader *r)
{
	if (cs_yreader_next(r) < 0)
		return -1;
	if (r->event->type != YAML_STREAM_START_EVENT)
		return cs_fail(r->err, cs_yreader_mark(r), "YAML: no stream");
	if (cs_yreader_next(r) < 0)
		return -1;
	if (r->event->type == YAML_STREAM_END_EVENT) {
		struct cs_mark start = { 1, 1 };
		return cs_fail(r->err, start,
			       "the file is empty: expected a mapping with a 'layers' list");
	}
	if (r->event->type != YAML_DOCUMENT_START_EVENT)
		return cs_fail(r->err, cs_yreader_mark(r), "YAML: no document");
	return cs_yreader_next(r);
}

int cs_yreader_finish(struct cs_yreader *r)
{
	if (r->event->type != YAML_DOCUMENT_END_EVENT)
		return cs_fail(r->err, cs_yreader_mark(r), "YAML: expected the end of the document");
	if (cs_yreader_next(r) < 0)
		return -1;
	if (r->event->type == YAML_DOCUMENT_START_EVENT)
		return cs_fail(r->err, cs_yreader_mark(r),
			       "a second YAML document: expected one model per file");
	if (r->event->type != YAML_STREAM_END_EVENT)
		return cs_fail(r->err, cs_yreader_mark(r), "YAML: expected the end of the stream");
	return 0;
}

/* Tags: the core schema's own are accepted, anything else is refused. */
static int check_tag(struct cs_yreader *r, const char *tag, bool *is_str)
{
	*is_str = false;
	if (!tag)
		return 0;
	const char *t = (const char *)tag;
	static const char *const ok[] = {
		YAML_STR_TAG, YAML_INT_TAG, YAML_FLOAT_TAG, YAML_BOOL_TAG,
		YAML_NULL_TAG, YAML_SEQ_TAG, YAML_MAP_TAG,
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(t, ok[i]) == 0) {
			*is_str = (i == 0);
			return 0;
		}
	if (strcmp(t, "!") == 0) {	/* the non-specific tag of a quoted scalar */
		*is_str = true;
		return 0;
	}
	return cs_fail(r->err, cs_yreader_mark(r),
		       "YAML tag '%s' is not supported: expected plain values", t);
}

/* A growable array of pointers, used while a collection is being read. */
struct ptrvec {
	void **v;
	size_t n, cap;
};

static int ptrvec_push(struct ptrvec *pv, void *p)
{
	if (pv->n == pv->cap) {
		size_t cap = pv->cap ? pv->cap * 2 : 8;
		void **nv = realloc(pv->v, cap * sizeof(*nv));
		if (!nv)
			return -1;
		pv->v = nv;
		pv->cap = cap;
	}
	pv->v[pv->n++] = p;
	return 0;
}

static int oom(struct cs_yreader *r)
{
	return cs_fail_oom(r->err, cs_yreader_mark(r));
}

/* The entries of a collection whose start event was read, up to and past
 * its end; for a mapping, `first` may be its first key, already read. */
static int read_collection(struct cs_yreader *r, struct cs_arena *a, struct cs_node *n,
			   bool is_map, struct cs_node *first)
{
	if (++r->depth > CS_YAML_MAX_DEPTH)
		return cs_fail(r->err, n->mark, "nesting deeper than %d levels: expected a model file",
			       CS_YAML_MAX_DEPTH);
	n->kind = is_map ? CS_NODE_MAP : CS_NODE_SEQ;
	yaml_event_type_t end = is_map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
	struct ptrvec pv = { 0 };
	int rc = 0;
	if (first && ptrvec_push(&pv, first) < 0)
		rc = oom(r);
	while (rc == 0 && r->event->type != end) {
		struct cs_node *child;
		rc = cs_yreader_node(r, a, &child);
		bool is_key = is_map && pv.n % 2 == 0;
		if (rc == 0 && is_key && child->kind != CS_NODE_SCALAR)
			rc = cs_fail(r->err, child->mark, "a mapping key must be a plain word");
		if (rc == 0 && is_key) {
			for (size_t i = 0; i + 1 < pv.n; i += 2) {
				const struct cs_node *k = pv.v[i];
				if (strcmp(k->u.scalar.text, child->u.scalar.text) == 0) {
					rc = cs_fail(r->err, child->mark, "duplicate key '%s' (first at line %u)",
						     child->u.scalar.text, k->mark.line);
					break;
				}
			}
		}
		if (rc == 0 && pv.n >= (is_map ? 2 : 1) * (size_t)CS_YAML_MAX_ITEMS)
			rc = cs_fail(r->err, n->mark, "a %s of more than %d entries; expected a "
				     "model's values", is_map ? "mapping" : "list", CS_YAML_MAX_ITEMS);
		if (rc == 0 && ptrvec_push(&pv, child) < 0)
			rc = oom(r);
	}
	if (rc == 0) {
		if (is_map) {
			n->u.map.n = pv.n / 2;
			n->u.map.pairs = cs_arena_alloc(a, (pv.n / 2 + 1) * sizeof(struct cs_pair));
			if (!n->u.map.pairs)
				rc = oom(r);
			for (size_t i = 0; rc == 0 && i < pv.n / 2; i++) {
				n->u.map.pairs[i].key = pv.v[2 * i];
				n->u.map.pairs[i].value = pv.v[2 * i + 1];
			}
		} else {
			n->u.seq.n = pv.n;
			n->u.seq.items = cs_arena_alloc(a, (pv.n + 1) * sizeof(struct cs_node *));
			if (!n->u.seq.items)
				rc = oom(r);
			else if (pv.n)
				memcpy(n->u.seq.items, pv.v, pv.n * sizeof(struct cs_node *));
		}
	}
	free(pv.v);
	if (rc < 0)
		return -1;
	r->depth--;
	return cs_yreader_next(r);
}

int cs_yreader_map_rest(struct cs_yreader *r, struct cs_arena *a, struct cs_mark mark,
			struct cs_node *first_key, struct cs_node *out)
{
	out->mark = mark;
	return read_collection(r, a, out, true, first_key);
}

int cs_yreader_peek_scalar(struct cs_yreader *r, struct cs_node *n)
{
	const struct cs_event *e = r->event;
	bool is_str;
	n->kind = CS_NODE_SCALAR;
	n->mark = e->mark;
	if (check_tag(r, e->tag, &is_str) < 0)
		return -1;
	if (e->length > CS_YAML_MAX_SCALAR)
		return cs_fail(r->err, n->mark, "a value of %zu bytes; expected at most %d (1 MiB)",
			       e->length, CS_YAML_MAX_SCALAR);
	/* only an escape in a quoted scalar can make a NUL */
	if (!e->plain &&
	    memchr(e->value, '\0', e->length))
		return cs_fail(r->err, n->mark, "a NUL character in a value: expected text");
	n->u.scalar.text = e->value;
	n->u.scalar.len = e->length;
	n->u.scalar.plain = e->plain && !is_str;
	return 0;
}

int cs_yreader_node(struct cs_yreader *r, struct cs_arena *a,
		    struct cs_node **out)
{
	const struct cs_event *e = r->event;
	struct cs_node *n = cs_arena_alloc(a, sizeof(*n));
	if (!n)
		return oom(r);
	n->mark = e->mark;
	bool is_str;

	switch (e->type) {
	case YAML_ALIAS_EVENT:
		return cs_fail(r->err, n->mark,
			       "YAML alias '*%s' is not supported: write the value out",
			       e->value ? e->value : "...");
	case YAML_SCALAR_EVENT:
		if (check_tag(r, e->tag, &is_str) < 0)
			return -1;
		n->kind = CS_NODE_SCALAR;
		if (e->length > CS_YAML_MAX_SCALAR)
			return cs_fail(r->err, n->mark,
				       "a value of %zu bytes; expected at most %d (1 MiB)",
				       e->length, CS_YAML_MAX_SCALAR);
		if (memchr(e->value, '\0', e->length))
			return cs_fail(r->err, n->mark,
				       "a NUL character in a value: expected text");
		n->u.scalar.text = cs_arena_strndup(a, e->value,
						    e->length);
		if (!n->u.scalar.text)
			return oom(r);
		n->u.scalar.len = e->length;
		n->u.scalar.plain = e->plain && !is_str;
		*out = n;
		return cs_yreader_next(r);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		bool is_map = e->type == YAML_MAPPING_START_EVENT;
		if (check_tag(r, e->tag, &is_str) < 0)
			return -1;
		if (cs_yreader_next(r) < 0 || read_collection(r, a, n, is_map, NULL) < 0)
			return -1;
		*out = n;
		return 0;
	}
	default:
		return cs_fail(r->err, n->mark, "YAML: unexpected event");
	}
}

bool cs_node_is_null(const struct cs_node *n)
{
	if (!n || n->kind != CS_NODE_SCALAR || !n->u.scalar.plain)
		return false;
	const char *t = n->u.scalar.text;
	switch (t[0]) {
	case '\0':
		return true;
	case '~':
		return t[1] == '\0';
	case 'n':
	case 'N':
		return !strcmp(t, "null") || !strcmp(t, "Null") || !strcmp(t, "NULL");
	default:
		return false;
	}
}

const struct cs_node *cs_node_get(const struct cs_node *map, const char *key)
{
	if (!map || map->kind != CS_NODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->u.map.n; i++)
		if (strcmp(map->u.map.pairs[i].key->u.scalar.text, key) == 0)
			return map->u.map.pairs[i].value;
	return NULL;
}

const char *cs_node_describe(const struct cs_node *n, char *buf, size_t size)
{
	switch (n->kind) {
	case CS_NODE_SEQ:
		return "a list";
	case CS_NODE_MAP:
		return "a mapping";
	default:
		if (cs_node_is_null(n))
			return "null";
		if (n->u.scalar.len > 40)
			snprintf(buf, size, "'%.37s...'", n->u.scalar.text);
		else
			snprintf(buf, size, "'%s'", n->u.scalar.text);
		return buf;
	}
}
