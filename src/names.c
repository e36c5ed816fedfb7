#include "names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cs_functional_stem[] = "functional";

static int oom(struct cs_names *l, struct cs_mark at)
{
	return cs_fail_oom(l->err, at);
}

static struct cs_name_counter *counter_of(struct cs_names *l, const char *stem)
{
	for (size_t i = 0; i < l->ncounters; i++)
		if (l->counters[i].stem == stem)
			return &l->counters[i];
	if (l->ncounters == sizeof(l->counters) / sizeof(l->counters[0]))
		return NULL;
	struct cs_name_counter *c = &l->counters[l->ncounters++];
	c->stem = stem;
	c->next = 0;
	c->watched = false;
	return c;
}

static size_t name_slot(const struct cs_names *l, const char *name)
{
	size_t mask = l->names_cap - 1;
	size_t j = cs_hash(name, strlen(name)) & mask;
	while (l->names[j].name && strcmp(l->names[j].name, name))
		j = (j + 1) & mask;
	return j;
}

static const struct cs_named *find_name(const struct cs_names *l, const char *name)
{
	if (!l->names_cap)
		return NULL;
	size_t j = name_slot(l, name);
	return l->names[j].name ? &l->names[j] : NULL;
}

static int add_name(struct cs_names *l, const char *name, unsigned line, const void *scope, uint64_t target)
{
	if (2 * (l->names_n + 1) > l->names_cap) {
		size_t cap = l->names_cap ? 2 * l->names_cap : 64;
		struct cs_named *old = l->names;
		size_t old_cap = l->names_cap;
		l->names = calloc(cap, sizeof(*l->names));
		if (!l->names) {
			l->names = old;
			return -1;
		}
		l->names_cap = cap;
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].name)
				l->names[name_slot(l, old[i].name)] = old[i];
		free(old);
	}
	l->names[name_slot(l, name)] = (struct cs_named){ name, line, scope, target };
	l->names_n++;
	return 0;
}

static int duplicate_at(struct cs_names *l, struct cs_mark at, const char *name, unsigned other,
			bool automatic)
{
	if (!other)
		return cs_fail(l->err, at, "duplicate name '%s' (also the automatic name of an object "
			       "Keras makes); Keras requires unique names", name);
	return cs_fail(l->err, at, "duplicate name '%s' (also at line %u); "
		       "Keras requires unique names%s", name, other,
		       automatic ? " (this one is automatic: name the other one differently)" : "");
}

static int duplicate(struct cs_names *l, const struct cs_layer *ly, const char *name, unsigned other,
		     bool automatic)
{
	return cs_fail(l->err, ly->mark, "duplicate layer name '%s' (also the layer at line %u); "
		       "Keras requires unique names%s", name, other,
		       automatic ? " (this one is automatic: name the other one differently)" : "");
}

/* The line of the layer that got automatic name stem_k. */
static unsigned auto_line(const struct cs_names *l, const char *stem, uint32_t k)
{
	for (size_t i = 0; i < l->m->nlayers; i++) {
		const struct cs_layer *ly = cs_model_at(l->m, i);
		if (!ly->name && cs_layer_cls(ly)->snake == stem && ly->auto_index == k)
			return ly->mark.line;
	}
	return 0;
}

/* Keras refuses a Sequential model whose names repeat: an explicit name
 * may repeat another, or an automatic one made before or after it. */
/* Does an explicit name take an automatic one already given (stem or
 * stem_K)?  1 with *stem and *k, 0 not, -1 out of memory.  Every stem
 * it could be is watched from now on, so a later automatic name is
 * checked against it; with models, unnamed models' stem too. */
static int auto_clash(struct cs_names *l, const char *given, bool models, const char **stem_out,
		      uint32_t *k_out)
{
	size_t nstems = cs_layer_class_count() + (models ? 1 : 0);
	for (size_t i = 0; i < nstems; i++) {
		const char *stem = i < cs_layer_class_count() ? cs_layer_class_at(i)->snake : cs_functional_stem;
		size_t len = strlen(stem);
		if (stem[0] != given[0] || strncmp(stem, given, len))
			continue;
		const char *rest = given + len;
		if (*rest && rest[0] != '_')
			continue;
		struct cs_name_counter *c = counter_of(l, stem);
		if (!c)
			return -1;
		c->watched = true;
		*stem_out = stem;
		if (!*rest && c->next > 0) {
			*k_out = 0;
			return 1;
		}
		if (rest[0] == '_' && rest[1] >= '1' && rest[1] <= '9' && strlen(rest + 1) < 10) {
			char *end;
			unsigned long k = strtoul(rest + 1, &end, 10);
			if (!*end && k < c->next) {
				*k_out = (uint32_t)k;
				return 1;
			}
		}
	}
	return 0;
}

static int name_layer(struct cs_names *l, struct cs_layer *ly, const char *given)
{
	if (!given) {
		struct cs_name_counter *c = counter_of(l, cs_layer_cls(ly)->snake);
		if (!c)
			return oom(l, ly->mark);
		ly->auto_index = c->next++;
		if (c->watched) {
			char buf[128];
			const char *name = cs_layer_name(ly, buf, sizeof(buf));
			const struct cs_named *n = find_name(l, name);
			if (n)
				return duplicate(l, ly, name, n->line, true);
		}
		return 0;
	}
	const struct cs_named *n = find_name(l, given);
	if (n)
		return duplicate(l, ly, given, n->line, false);
	const char *stem;
	uint32_t k;
	int clash = auto_clash(l, given, false, &stem, &k);
	if (clash < 0)
		return oom(l, ly->mark);
	if (clash)
		return duplicate(l, ly, given, auto_line(l, stem, k), false);
	ly->name = cs_arena_strdup(&l->m->arena, given);
	if (!ly->name || add_name(l, ly->name, ly->mark.line, NULL, 0) < 0)
		return oom(l, ly->mark);
	return 0;
}

/* The line where automatic name stem_k went, for a message: a layer's,
 * or 0 when it is not a layer's. */
static int check_explicit(struct cs_names *l, const char *given, struct cs_mark at)
{
	const struct cs_named *n = find_name(l, given);
	if (n)
		return duplicate_at(l, at, given, n->line, false);
	const char *stem;
	uint32_t k;
	int clash = auto_clash(l, given, true, &stem, &k);
	if (clash < 0)
		return oom(l, at);
	if (clash)
		return duplicate_at(l, at, given, stem != cs_functional_stem && l->m ? auto_line(l, stem, k) : 0,
				    false);
	return 0;
}

int cs_names_explicit(struct cs_names *n, const char *name, struct cs_mark at, const void *scope,
		      uint64_t target, struct cs_error *err)
{
	n->err = err;
	if (check_explicit(n, name, at) < 0)
		return -1;
	return add_name(n, name, at.line, scope, target) < 0 ? oom(n, at) : 0;
}

int cs_names_auto(struct cs_names *n, const char *stem, struct cs_mark at, uint32_t *k,
		  struct cs_error *err)
{
	n->err = err;
	struct cs_name_counter *c = counter_of(n, stem);
	if (!c)
		return oom(n, at);
	*k = c->next++;
	if (c->watched) {
		char buf[160];
		if (*k)
			snprintf(buf, sizeof(buf), "%s_%u", stem, *k);
		else
			snprintf(buf, sizeof(buf), "%s", stem);
		const struct cs_named *d = find_name(n, buf);
		if (d)
			return duplicate_at(n, at, buf, d->line, true);
	}
	return 0;
}

const struct cs_named *cs_names_find(const struct cs_names *n, const char *name)
{
	return find_name(n, name);
}

void cs_names_set_target(struct cs_names *n, const char *name, const void *scope, uint64_t target)
{
	if (!n->names_cap)
		return;
	struct cs_named *d = &n->names[name_slot(n, name)];
	if (d->name) {
		d->scope = scope;
		d->target = target;
	}
}

int cs_names_layer(struct cs_names *n, struct cs_model *m, struct cs_layer *ly, const char *given,
		   struct cs_error *err)
{
	n->m = m;
	n->err = err;
	return name_layer(n, ly, given);
}

void cs_names_reset(struct cs_names *n)
{
	free(n->names);
	memset(n, 0, sizeof(*n));
}
