/*
 * libyaml's events, copied into compact records in a few fixed blocks.
 *
 * A reader asks for one event at a time.  For a large file the parse runs
 * ahead on a second thread, which calls yaml_parser_parse, copies each
 * event into the next free block and deletes it; the reader only walks the
 * records.  libyaml's own work (most of the time of a load) and ours then
 * overlap on two cores, and every malloc and free of libyaml's stays on the
 * thread that made it.  A small input, or a machine with one core, is
 * parsed on the reader's own thread into the same records, a block at a
 * time, so the reader never sees the difference.
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
	size_t size;		/* bytes of this record in its block */
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
 * them anyway), so a block never needs to grow past it. */
#define CS_EVENTS_MAX_KEPT (1024 * 1024)

/* Files smaller than this are parsed on the reader's thread: starting a
 * thread costs more than it saves.  Tests set it to 0 or SIZE_MAX to force
 * one way or the other. */
extern size_t cs_events_thread_min_bytes;

/* Events of len bytes in memory (which must outlive the reader), parsed on
 * the caller's thread.  NULL when out of memory. */
struct cs_events *cs_events_open_string(const unsigned char *data, size_t len);

/* Events of an open file from where it stands, read in libyaml's small
 * buffers; a regular file of cs_events_thread_min_bytes or more (or a pipe)
 * is parsed ahead on a second thread when the process may run on two
 * cores.  The
 * file must stay open and untouched until cs_events_close().  NULL when
 * out of memory. */
struct cs_events *cs_events_open_file(FILE *f);

/* The next event, valid until the next call.  After the end of the stream
 * or a failure, the same last event again.  Never NULL. */
const struct cs_event *cs_events_next(struct cs_events *ev);

/* The failure behind a YAML_NO_EVENT event. */
const struct cs_parse_error *cs_events_error(const struct cs_events *ev);

/* Stop the parse (joining its thread) and free everything; NULL is fine. */
void cs_events_close(struct cs_events *ev);

#endif
