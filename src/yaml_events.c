#include "yaml_events.h"

#include "handoff.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BLOCK_BYTES (64 * 1024)	/* a block on the reader's thread */
#define AHEAD_BYTES (128 * 1024)	/* and each of those parsed ahead, */
#define AHEAD_BLOCKS 8			/* in flight at most */

size_t cs_events_thread_min_bytes = 256 * 1024;

struct block {
	char *mem;
	size_t cap, used;
};

struct cs_events {
	/* the parsing side: the second thread's alone while it runs */
	yaml_parser_t parser;
	yaml_event_t pending;	/* parsed, but did not fit in the last block */
	bool have_pending;
	bool finished;		/* the last record (stream end or failure) is out */
	struct cs_parse_error error;

	/* the reading side */
	struct block *current;	/* the block being read; NULL before the first */
	size_t at;		/* where its next record starts */
	const struct cs_event *last;

	/* blocks: one without a thread; with one, the parse fills them in
	 * turn (filled counts them) and the reader hands each back when it is
	 * done with it (emptied); the reader's are [emptied, filled) */
	struct block blocks[AHEAD_BLOCKS];
	size_t nblocks;
	bool threaded;
	size_t taken;		/* blocks the reader has taken */
	struct cs_handoff filled, emptied;
	pthread_t thread;
};

static size_t round_up(size_t n)
{
	size_t a = alignof(struct cs_event);
	return (n + a - 1) / a * a;
}

static struct cs_mark mark_of(const yaml_mark_t *m)
{
	struct cs_mark k = { (unsigned)m->line + 1, (unsigned)m->column + 1 };
	return k;
}

/* Room for a record of need bytes, always keeping enough for the failure
 * record that may have to follow it. */
static bool fits(const struct block *b, size_t need)
{
	return b->cap - b->used >= need + sizeof(struct cs_event);
}

/* Copy e into b: 0 when done, 1 when b is full (and not empty), -1 when an
 * empty block could not grow to hold it. */
static int put(struct block *b, const yaml_event_t *e)
{
	const yaml_char_t *value = NULL, *tag = NULL;
	size_t length = 0;
	bool plain = false;
	switch (e->type) {
	case YAML_SCALAR_EVENT:
		value = e->data.scalar.value;
		length = e->data.scalar.length;
		tag = e->data.scalar.tag;
		plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		break;
	case YAML_ALIAS_EVENT:
		value = e->data.alias.anchor;
		length = strlen((const char *)value);
		break;
	case YAML_SEQUENCE_START_EVENT:
		tag = e->data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		tag = e->data.mapping_start.tag;
		break;
	default:
		break;
	}
	size_t kept = value && length <= CS_EVENTS_MAX_KEPT ? length + 1 : 0;
	size_t taglen = tag ? strlen((const char *)tag) : 0;
	if (taglen > CS_EVENTS_MAX_KEPT)
		taglen = CS_EVENTS_MAX_KEPT;	/* only ever quoted in a message */
	size_t need = round_up(sizeof(struct cs_event) + kept + (tag ? taglen + 1 : 0));
	if (!fits(b, need)) {
		if (b->used)
			return 1;
		size_t cap = need + sizeof(struct cs_event);
		char *mem = realloc(b->mem, cap);
		if (!mem)
			return -1;
		b->mem = mem;
		b->cap = cap;
	}
	struct cs_event *r = (struct cs_event *)(void *)(b->mem + b->used);
	char *text = (char *)(r + 1);
	r->type = e->type;
	r->mark = mark_of(&e->start_mark);
	r->plain = plain;
	r->length = length;
	r->value = NULL;
	r->tag = NULL;
	if (kept) {
		memcpy(text, value, length);
		text[length] = '\0';
		r->value = text;
		text += kept;
	}
	if (tag) {
		memcpy(text, tag, taglen);
		text[taglen] = '\0';
		r->tag = text;
	}
	r->size = need;
	b->used += need;
	return 0;
}

/* The failure record, and the failure itself for cs_events_error(). */
static void put_failure(struct cs_events *ev, struct block *b)
{
	yaml_parser_t *p = &ev->parser;
	struct cs_parse_error *f = &ev->error;
	f->kind = p->error ? p->error : YAML_MEMORY_ERROR;
	f->problem = p->error ? p->problem : "out of memory";
	f->context = p->error ? p->context : NULL;
	f->problem_mark = mark_of(&p->problem_mark);
	f->context_mark = mark_of(&p->context_mark);
	f->problem_offset = p->problem_offset;
	struct cs_event *r = (struct cs_event *)(void *)(b->mem + b->used);
	memset(r, 0, sizeof(*r));
	r->type = YAML_NO_EVENT;
	r->mark = f->problem_mark;
	r->size = sizeof(*r);
	b->used += sizeof(*r);
	ev->finished = true;
}

/* Parse into b (emptied first) until it is full or the stream is over. */
static void fill(struct cs_events *ev, struct block *b)
{
	b->used = 0;
	while (!ev->finished) {
		if (!ev->have_pending) {
			if (!yaml_parser_parse(&ev->parser, &ev->pending)) {
				put_failure(ev, b);
				return;
			}
			ev->have_pending = true;
		}
		int rc = put(b, &ev->pending);
		if (rc > 0)
			return;
		bool end = ev->pending.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev->pending);
		ev->have_pending = false;
		if (rc < 0)
			put_failure(ev, b);
		else if (end)
			ev->finished = true;
	}
}

static void *parse_ahead(void *arg)
{
	struct cs_events *ev = arg;
	for (size_t k = 0; !ev->finished; k++) {
		/* block k is free once the reader has handed back block k - n */
		if (k >= ev->nblocks)
			cs_handoff_wait(&ev->emptied, k - ev->nblocks + 1);
		if (atomic_load(&ev->emptied.stopped))
			break;
		fill(ev, &ev->blocks[k % ev->nblocks]);
		cs_handoff_advance(&ev->filled);
	}
	return NULL;
}

/* The next full block for the reader, giving the current one back. */
static struct block *take(struct cs_events *ev)
{
	if (!ev->threaded) {
		fill(ev, &ev->blocks[0]);
		return &ev->blocks[0];
	}
	if (ev->current)
		cs_handoff_advance(&ev->emptied);
	cs_handoff_wait(&ev->filled, ev->taken + 1);
	return &ev->blocks[ev->taken++ % ev->nblocks];
}

const struct cs_event *cs_events_next(struct cs_events *ev)
{
	if (ev->last && (ev->last->type == YAML_STREAM_END_EVENT || ev->last->type == YAML_NO_EVENT))
		return ev->last;
	if (!ev->current || ev->at == ev->current->used) {
		ev->current = take(ev);
		ev->at = 0;
	}
	const struct cs_event *e = (const struct cs_event *)(const void *)(ev->current->mem + ev->at);
	ev->at += e->size;
	ev->last = e;
	return e;
}

const struct cs_parse_error *cs_events_error(const struct cs_events *ev)
{
	return &ev->error;
}

static struct cs_events *open_blocks(size_t nblocks, size_t bytes)
{
	struct cs_events *ev = calloc(1, sizeof(*ev));
	if (!ev)
		return NULL;
	if (!yaml_parser_initialize(&ev->parser)) {
		free(ev);
		return NULL;
	}
	ev->nblocks = nblocks;
	for (size_t i = 0; i < nblocks; i++) {
		ev->blocks[i].mem = malloc(bytes);
		ev->blocks[i].cap = bytes;
		if (!ev->blocks[i].mem) {
			cs_events_close(ev);
			return NULL;
		}
	}
	return ev;
}

struct cs_events *cs_events_open_string(const unsigned char *data, size_t len)
{
	struct cs_events *ev = open_blocks(1, BLOCK_BYTES);
	if (ev)
		yaml_parser_set_input_string(&ev->parser, data, len);
	return ev;
}

/* Worth a second thread: a large file (a pipe counts as one). */
static bool parse_ahead_pays(FILE *f)
{
	struct stat st;
	if (fstat(fileno(f), &st) != 0)
		return cs_second_thread_pays(0, cs_events_thread_min_bytes);	/* only if forced */
	size_t size = SIZE_MAX;
	if (S_ISREG(st.st_mode))
		size = st.st_size < 0 ? 0 : (uintmax_t)st.st_size > SIZE_MAX ? SIZE_MAX : (size_t)st.st_size;
	return cs_second_thread_pays(size, cs_events_thread_min_bytes);
}

struct cs_events *cs_events_open_file(FILE *f)
{
	bool ahead = parse_ahead_pays(f);
	struct cs_events *ev = ahead ? open_blocks(AHEAD_BLOCKS, AHEAD_BYTES) : open_blocks(1, BLOCK_BYTES);
	if (!ev)
		return NULL;
	yaml_parser_set_input_file(&ev->parser, f);
	if (!ahead)
		return ev;
	if (cs_handoff_init(&ev->filled) != 0)
		return ev;
	if (cs_handoff_init(&ev->emptied) != 0) {
		cs_handoff_destroy(&ev->filled);
		return ev;
	}
	ev->threaded = pthread_create(&ev->thread, NULL, parse_ahead, ev) == 0;
	if (!ev->threaded) {
		cs_handoff_destroy(&ev->emptied);
		cs_handoff_destroy(&ev->filled);
	}
	return ev;
}

void cs_events_close(struct cs_events *ev)
{
	if (!ev)
		return;
	if (ev->threaded) {
		cs_handoff_stop(&ev->emptied);
		pthread_join(ev->thread, NULL);
		cs_handoff_destroy(&ev->emptied);
		cs_handoff_destroy(&ev->filled);
	}
	if (ev->have_pending)
		yaml_event_delete(&ev->pending);
	yaml_parser_delete(&ev->parser);
	for (size_t i = 0; i < ev->nblocks; i++)
		free(ev->blocks[i].mem);
	free(ev);
}
