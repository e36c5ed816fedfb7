/*
 * libyaml's events, one at a time, as small records the reader walks.
 *
 * Each call parses the next event on the caller's thread and deletes the
 * one before, so a record's texts live until the next call; libyaml
 * already NUL-terminates them.  The library starts no threads.
 */
#ifndef CS_YAML_EVENTS_H
#define CS_YAML_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <yaml.h>

#include "diag.h"

struct cs_event {
	yaml_event_type_t type;	/* YAML_NO_EVENT: the parse failed; see
				 * cs_events_error() */
	struct cs_mark mark;	/* where the event starts, 1-based */
	bool plain;		/* a scalar in plain style */
	const char *tag;	/* a scalar's or collection's tag; NULL if none */
	const char *value;	/* a scalar's text or an alias's anchor, NUL-
				 * terminated; NULL for a scalar longer than
				 * the longest kept */
	size_t length;		/* bytes of value (also when it was not kept) */
};

/* Why the parse failed: libyaml's error, copied (its texts are static). */
struct cs_parse_error {
	yaml_error_type_t kind;
	const char *problem, *context;
	struct cs_mark problem_mark, context_mark;	/* 1-based */
	size_t problem_offset;				/* byte offset */
};

struct cs_events;

/* Scalars longer than this keep only their length (the reader refuses
 * them anyway). */
#define CS_EVENTS_MAX_KEPT (1024 * 1024)

/* Events of len bytes in memory (which must outlive the reader).  NULL
 * when out of memory. */
struct cs_events *cs_events_open_string(const unsigned char *data, size_t len);

/* Events of an open file from where it stands, read in libyaml's small
 * buffers.  The file must stay open until cs_events_close().  NULL when
 * out of memory. */
struct cs_events *cs_events_open_file(FILE *f);

/* The next event, valid until the next call.  After the end of the stream
 * or a failure, the same last event again.  Never NULL. */
const struct cs_event *cs_events_next(struct cs_events *ev);

/* The failure behind a YAML_NO_EVENT event. */
const struct cs_parse_error *cs_events_error(const struct cs_events *ev);

/* Free everything; NULL is fine. */
void cs_events_close(struct cs_events *ev);

#endif
