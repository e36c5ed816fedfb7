#include "yaml_events.h"

#include <stdlib.h>
#include <string.h>

struct cs_events {
	yaml_parser_t parser;
	yaml_event_t event;	/* the current one, while have_event */
	bool have_event;
	struct cs_event record;	/* what the reader sees of it */
	struct cs_parse_error error;
	bool over;		/* the stream ended or failed: keep the record */
};

static struct cs_mark mark_of(const yaml_mark_t *m)
{
	struct cs_mark k = { (unsigned)m->line + 1, (unsigned)m->column + 1 };
	return k;
}

static void describe(struct cs_event *r, const yaml_event_t *e)
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
	r->type = e->type;
	r->mark = mark_of(&e->start_mark);
	r->plain = plain;
	r->length = length;
	/* libyaml NUL-terminates its texts; a scalar too long to keep is
	 * only measured, as the reader refuses it */
	r->value = value && length <= CS_EVENTS_MAX_KEPT ? (const char *)value : NULL;
	r->tag = (const char *)tag;
}

static void failed(struct cs_events *ev)
{
	yaml_parser_t *p = &ev->parser;
	struct cs_parse_error *f = &ev->error;
	f->kind = p->error ? p->error : YAML_MEMORY_ERROR;
	f->problem = p->error ? p->problem : "out of memory";
	f->context = p->error ? p->context : NULL;
	f->problem_mark = mark_of(&p->problem_mark);
	f->context_mark = mark_of(&p->context_mark);
	f->problem_offset = p->problem_offset;
	memset(&ev->record, 0, sizeof(ev->record));
	ev->record.type = YAML_NO_EVENT;
	ev->record.mark = f->problem_mark;
}

const struct cs_event *cs_events_next(struct cs_events *ev)
{
	if (ev->over)
		return &ev->record;
	if (ev->have_event) {
		yaml_event_delete(&ev->event);
		ev->have_event = false;
	}
	if (!yaml_parser_parse(&ev->parser, &ev->event)) {
		failed(ev);
		ev->over = true;
		return &ev->record;
	}
	ev->have_event = true;
	describe(&ev->record, &ev->event);
	ev->over = ev->event.type == YAML_STREAM_END_EVENT;
	return &ev->record;
}

const struct cs_parse_error *cs_events_error(const struct cs_events *ev)
{
	return &ev->error;
}

static struct cs_events *open_parser(void)
{
	struct cs_events *ev = calloc(1, sizeof(*ev));
	if (!ev)
		return NULL;
	if (!yaml_parser_initialize(&ev->parser)) {
		free(ev);
		return NULL;
	}
	return ev;
}

struct cs_events *cs_events_open_string(const unsigned char *data, size_t len)
{
	struct cs_events *ev = open_parser();
	if (ev)
		yaml_parser_set_input_string(&ev->parser, data, len);
	return ev;
}

struct cs_events *cs_events_open_file(FILE *f)
{
	struct cs_events *ev = open_parser();
	if (ev)
		yaml_parser_set_input_file(&ev->parser, f);
	return ev;
}

void cs_events_close(struct cs_events *ev)
{
	if (!ev)
		return;
	if (ev->have_event)
		yaml_event_delete(&ev->event);
	yaml_parser_delete(&ev->parser);
	free(ev);
}
