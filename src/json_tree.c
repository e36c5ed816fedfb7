/*
 * JSON text -> jansson tree, plus the place of every value and key.
 *
 * jansson does the parsing: the grammar, string escapes (surrogate pairs
 * such as \ud83d\ude04 become one UTF-8 character; a lone surrogate is
 * refused), numbers, UTF-8 checking and a depth limit.  It keeps no
 * places, so a second pass walks the text, which jansson has just found
 * valid, in step with the tree (jansson keeps an object's keys in the
 * order they were written, and duplicate keys are refused), and notes
 * where each value and key starts.
 */
#include "json_tree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct cs_json_place {
	const void *addr;
	struct cs_mark mark;
};

static size_t slot_of(const void *addr, size_t n)
{
	uintptr_t h = (uintptr_t)addr;
	h ^= h >> 17;
	h *= (uintptr_t)0x9E3779B97F4A7C15ull;
	return (size_t)(h ^ (h >> 29)) & (n - 1);
}

static void put(struct cs_json_place *t, size_t n, const void *addr, struct cs_mark m)
{
	size_t i = slot_of(addr, n);
	while (t[i].addr && t[i].addr != addr)
		i = (i + 1) & (n - 1);
	t[i].addr = addr;
	t[i].mark = m;
}

struct scan {
	struct cs_json *j;
	size_t used;
	const char *p, *end;
	struct cs_mark at;
	int oom;
};

static void note(struct scan *s, const void *addr)
{
	struct cs_json *j = s->j;
	if (s->oom || !addr)
		return;
	if ((s->used + 1) * 2 > j->nplaces) {
		size_t n = j->nplaces ? j->nplaces * 2 : 256;
		struct cs_json_place *t = calloc(n, sizeof(*t));
		if (!t) {
			s->oom = 1;
			return;
		}
		for (size_t i = 0; i < j->nplaces; i++)
			if (j->places[i].addr)
				put(t, n, j->places[i].addr, j->places[i].mark);
		free(j->places);
		j->places = t;
		j->nplaces = n;
	}
	put(j->places, j->nplaces, addr, s->at);
	s->used++;
}

/* One byte on; columns count characters, as libyaml's do. */
static void step(struct scan *s)
{
	unsigned char c = (unsigned char)*s->p++;
	if (c == '\n') {
		s->at.line++;
		s->at.column = 1;
	} else if ((c & 0xC0) != 0x80) {
		s->at.column++;
	}
}

static void skip_space(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		step(s);
}

static void skip_string(struct scan *s)
{
	step(s);	/* the opening quote */
	while (s->p < s->end && *s->p != '"') {
		if (*s->p == '\\' && s->p + 1 < s->end)
			step(s);
		step(s);
	}
	if (s->p < s->end)
		step(s);
}

static int shared(const json_t *v)
{
	return json_is_null(v) || json_is_true(v) || json_is_false(v);
}

static void scan_value(struct scan *s, json_t *v)
{
	skip_space(s);
	if (!shared(v))
		note(s, v);
	if (s->p >= s->end)
		return;
	if (*s->p == '"') {
		skip_string(s);
	} else if (*s->p == '[') {
		step(s);
		for (size_t i = 0; i < json_array_size(v); i++) {
			scan_value(s, json_array_get(v, i));
			skip_space(s);
			if (s->p < s->end && *s->p == ',')
				step(s);
		}
		skip_space(s);
		if (s->p < s->end)
			step(s);	/* ']' */
	} else if (*s->p == '{') {
		step(s);
		for (void *it = json_object_iter(v); it; it = json_object_iter_next(v, it)) {
			skip_space(s);
			note(s, json_object_iter_key(it));
			skip_string(s);
			skip_space(s);
			if (s->p < s->end)
				step(s);	/* ':' */
			scan_value(s, json_object_iter_value(it));
			skip_space(s);
			if (s->p < s->end && *s->p == ',')
				step(s);
		}
		skip_space(s);
		if (s->p < s->end)
			step(s);	/* '}' */
	} else {
		while (s->p < s->end && !strchr(",]} \t\r\n", *s->p))
			step(s);
	}
}

int cs_json_parse(struct cs_json *j, const char *data, size_t len, int places,
		  struct cs_error *err)
{
	json_error_t e;
	memset(j, 0, sizeof(*j));
	j->root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &e);
	if (!j->root) {
		struct cs_mark at = { e.line > 0 ? (unsigned)e.line : 0,
				      e.column > 0 ? (unsigned)e.column : 0 };
		if (json_error_code(&e) == json_error_out_of_memory)
			return cs_fail_oom(err, at);
		if (at.line && !at.column)
			at.column = 1;
		return cs_fail(err, at, "invalid JSON: %s", e.text);
	}
	if (!places)
		return 0;
	struct scan s = { j, 0, data, data + len, { 1, 1 }, 0 };
	scan_value(&s, j->root);
	if (s.oom) {
		struct cs_mark none = { 0, 0 };
		return cs_fail_oom(err, none);
	}
	return 0;
}

struct cs_mark cs_json_mark(const struct cs_json *j, const void *addr)
{
	struct cs_mark none = { 0, 0 };
	if (!addr || !j->nplaces)
		return none;
	for (size_t i = slot_of(addr, j->nplaces); j->places[i].addr; i = (i + 1) & (j->nplaces - 1))
		if (j->places[i].addr == addr)
			return j->places[i].mark;
	return none;
}

struct cs_mark cs_json_key_mark(const struct cs_json *j, const json_t *o, const char *key)
{
	void *it = json_object_iter_at((json_t *)o, key);
	return cs_json_mark(j, it ? (const void *)json_object_iter_key(it) : (const void *)o);
}

void cs_json_free(struct cs_json *j)
{
	json_decref(j->root);
	free(j->places);
	memset(j, 0, sizeof(*j));
}
