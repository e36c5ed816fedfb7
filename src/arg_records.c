/*
 * Each distinct set of a layer's arguments, kept once per model.
 *
 * The loader reads a layer's arguments into a struct cs_args whose lists
 * and texts live in a scratch arena; the layer keeps only the number of
 * an equal set stored here.  Two sets are equal when their canonical
 * bytes are: the struct with its pointers cleared (its padding is zero,
 * as every set starts from a zeroed class default), then the texts and
 * lists the pointers lead to.  A long model of a few repeated blocks
 * costs a few sets.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* Every pointer in struct cs_args: its texts, then its lists.  A new
 * pointer field must be listed here, or sets would share a scratch
 * pointer that dies with the layer. */
static const size_t text_fields[] = {
	offsetof(struct cs_args, dtype),
	offsetof(struct cs_args, activation),
};
static const size_t list_fields[] = {
	offsetof(struct cs_args, input_shape), offsetof(struct cs_args, batch_shape),
	offsetof(struct cs_args, target_shape), offsetof(struct cs_args, dims),
	offsetof(struct cs_args, axes), offsetof(struct cs_args, shared_axes),
	offsetof(struct cs_args, mean_shape), offsetof(struct cs_args, variance_shape),
};
#define NTEXTS (sizeof(text_fields) / sizeof(text_fields[0]))
#define NLISTS (sizeof(list_fields) / sizeof(list_fields[0]))

static const char **text_at(struct cs_args *a, size_t i)
{
	return (const char **)(void *)((char *)a + text_fields[i]);
}

static struct cs_ints *list_at(struct cs_args *a, size_t i)
{
	return (struct cs_ints *)(void *)((char *)a + list_fields[i]);
}

/* The canonical bytes of (cls, a) into a new buffer. */
static unsigned char *key_of(const struct cs_layer_class *cls, const struct cs_args *a, size_t *len)
{
	struct cs_args flat = *a;
	size_t n = sizeof(cls) + sizeof(flat);
	flat.name = NULL;
	for (size_t i = 0; i < NTEXTS; i++) {
		const char **t = text_at(&flat, i);
		n += *t ? strlen(*t) + 1 : 1;
		*t = NULL;
	}
	for (size_t i = 0; i < NLISTS; i++) {
		struct cs_ints *l = list_at(&flat, i);
		n += sizeof(l->n) + (l->v ? l->n * sizeof(int64_t) : 0) + 1;
		l->v = NULL;
	}
	unsigned char *key = malloc(n), *p = key;
	if (!key)
		return NULL;
	memcpy(p, &cls, sizeof(cls));
	p += sizeof(cls);
	memcpy(p, &flat, sizeof(flat));
	p += sizeof(flat);
	struct cs_args src = *a;
	for (size_t i = 0; i < NTEXTS; i++) {
		const char *t = *text_at(&src, i);
		if (t) {
			size_t k = strlen(t) + 1;
			memcpy(p, t, k);
			p += k;
		} else {
			*p++ = 0xff;	/* NULL differs from "" */
		}
	}
	for (size_t i = 0; i < NLISTS; i++) {
		const struct cs_ints *l = list_at(&src, i);
		*p++ = l->v != NULL;
		memcpy(p, &l->n, sizeof(l->n));
		p += sizeof(l->n);
		if (l->v) {
			memcpy(p, l->v, l->n * sizeof(int64_t));
			p += l->n * sizeof(int64_t);
		}
	}
	*len = (size_t)(p - key);
	return key;
}

/* A copy of a whose texts and lists live in the model's arena. */
static int copy_into(struct cs_model *m, struct cs_args *a)
{
	a->name = NULL;
	for (size_t i = 0; i < NTEXTS; i++) {
		const char **t = text_at(a, i);
		if (*t && !(*t = cs_arena_strdup(&m->arena, *t)))
			return -1;
	}
	for (size_t i = 0; i < NLISTS; i++) {
		struct cs_ints *l = list_at(a, i);
		if (!l->v)
			continue;
		/* one more than needed: some readers look at v[-1] or v[n] */
		int64_t *v = cs_arena_alloc(&m->arena, (l->n + 1) * sizeof(int64_t));
		if (!v)
			return -1;
		memcpy(v, l->v, l->n * sizeof(int64_t));
		l->v = v;
	}
	return 0;
}

/* A word at a time: the keys are a few hundred bytes. */
static uint32_t key_hash(const unsigned char *key, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ len;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, key + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	for (; i < len; i++)
		h = (h ^ key[i]) * 0x100000001b3u;
	h ^= h >> 29;
	return (uint32_t)h;
}

/* The struct's bytes between its pointers, [from, to) each. */
#define NSPANS (NTEXTS + NLISTS + 2)
static struct span {
	size_t from, to;
} spans[NSPANS];
static size_t nspans;

static int by_offset(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

static void spans_build(void)
{
	size_t ptr[NSPANS - 1], n = 0;
	ptr[n++] = offsetof(struct cs_args, name);
	for (size_t i = 0; i < NTEXTS; i++)
		ptr[n++] = text_fields[i];
	for (size_t i = 0; i < NLISTS; i++)
		ptr[n++] = list_fields[i] + offsetof(struct cs_ints, v);
	qsort(ptr, n, sizeof(ptr[0]), by_offset);
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		if (ptr[i] > at)
			spans[nspans++] = (struct span){ at, ptr[i] };
		at = ptr[i] + sizeof(void *);
	}
	if (at < sizeof(struct cs_args))
		spans[nspans++] = (struct span){ at, sizeof(struct cs_args) };
}

/* The same set as record r, without building a key or copying: the bytes
 * between the pointers, then what the pointers lead to. */
static bool same_as(const struct cs_arg_record *r, const struct cs_layer_class *cls,
		    const struct cs_args *a)
{
	if (r->cls != cls)
		return false;
	const char *x = (const char *)a, *y = (const char *)&r->a;
	for (size_t i = 0; i < nspans; i++)
		if (memcmp(x + spans[i].from, y + spans[i].from, spans[i].to - spans[i].from))
			return false;
	for (size_t i = 0; i < NTEXTS; i++) {
		const char *tx = *(const char *const *)(const void *)(x + text_fields[i]);
		const char *ty = *(const char *const *)(const void *)(y + text_fields[i]);
		if (!tx != !ty || (tx && strcmp(tx, ty)))
			return false;
	}
	for (size_t i = 0; i < NLISTS; i++) {
		const struct cs_ints *lx = (const struct cs_ints *)(const void *)(x + list_fields[i]);
		const struct cs_ints *ly = (const struct cs_ints *)(const void *)(y + list_fields[i]);
		if (!lx->v != !ly->v || (lx->v && memcmp(lx->v, ly->v, lx->n * sizeof(int64_t))))
			return false;
	}
	return true;
}

static int grow_slots(struct cs_model *m)
{
	size_t cap = m->slots_cap ? 2 * m->slots_cap : 64;
	uint32_t *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -1;
	for (size_t r = 0; r < m->nrecords; r++) {
		size_t j = m->arg_records[r]->hash & (cap - 1);
		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = (uint32_t)(r + 1);
	}
	free(m->record_slots);
	m->record_slots = slots;
	m->slots_cap = cap;
	return 0;
}

int cs_model_intern_args(struct cs_model *m, const struct cs_layer_class *cls,
			 const struct cs_args *a, uint32_t *index)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, spans_build);
	/* most often, the set of the last layer of the same class */
	size_t c = cs_layer_class_index(cls);
	if (c < CS_MAX_CLASSES && m->class_last[c] &&
	    same_as(m->arg_records[m->class_last[c] - 1], cls, a)) {
		*index = m->class_last[c] - 1;
		return 0;
	}
	size_t len;
	unsigned char *key = key_of(cls, a, &len);
	if (!key)
		return -1;
	uint32_t h = key_hash(key, len);
	if (2 * (m->nrecords + 1) > m->slots_cap && grow_slots(m) < 0)
		goto fail;
	size_t mask = m->slots_cap - 1, j = h & mask;
	for (; m->record_slots[j]; j = (j + 1) & mask) {
		const struct cs_arg_record *r = m->arg_records[m->record_slots[j] - 1];
		if (r->hash == h && r->keylen == len && !memcmp(r->key, key, len)) {
			free(key);
			*index = m->record_slots[j] - 1;
			if (c < CS_MAX_CLASSES)
				m->class_last[c] = m->record_slots[j];
			return 0;
		}
	}
	if (m->nrecords == m->records_cap) {
		size_t cap = m->records_cap ? 2 * m->records_cap : 16;
		struct cs_arg_record **nr = realloc(m->arg_records, cap * sizeof(*nr));
		if (!nr)
			goto fail;
		m->arg_records = nr;
		m->records_cap = cap;
	}
	struct cs_arg_record *r = cs_arena_alloc(&m->arena, sizeof(*r));
	unsigned char *kept = r ? cs_arena_alloc(&m->arena, len) : NULL;
	if (!kept)
		goto fail;
	memcpy(kept, key, len);
	free(key);
	r->cls = cls;
	r->a = *a;
	r->hash = h;
	r->keylen = len;
	r->key = kept;
	if (copy_into(m, &r->a) < 0)
		return -1;
	m->record_slots[j] = (uint32_t)(m->nrecords + 1);
	*index = (uint32_t)m->nrecords;
	m->arg_records[m->nrecords++] = r;
	if (c < CS_MAX_CLASSES)
		m->class_last[c] = (uint32_t)m->nrecords;
	return 0;
fail:
	free(key);
	return -1;
}
