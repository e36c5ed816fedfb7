#include "arena.h"
#include "bigmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_MIN_BLOCK (8 * 1024)	/* doubling from here */

struct cs_arena_block {
	struct cs_arena_block *next;
	size_t size;
	size_t used;
	size_t clean;	/* from here on the block is still zero (calloc's) */
	size_t ready;	/* faulted in up to here (cs_big_ahead) */
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

void cs_arena_init(struct cs_arena *a)
{
	a->head = NULL;
	a->used_total = 0;
}

/* A block of `cap` bytes: a large one straight from the kernel. */
#define MAPPED_BLOCK (2 * CS_BIG_AHEAD)

static struct cs_arena_block *block_new(size_t cap)
{
	/* zeroed: nothing is cleared twice */
	return cap >= MAPPED_BLOCK ? cs_big_map(sizeof(struct cs_arena_block) + cap)
				   : calloc(1, sizeof(struct cs_arena_block) + cap);
}

static void block_free(struct cs_arena_block *b)
{
	if (b && b->size >= MAPPED_BLOCK)
		cs_big_unmap(b, sizeof(*b) + b->size);
	else
		free(b);
}

void cs_arena_free(struct cs_arena *a)
{
	struct cs_arena_block *b = a->head;
	while (b) {
		struct cs_arena_block *next = b->next;
		block_free(b);
		b = next;
	}
	a->head = NULL;
	a->used_total = 0;
}

void cs_arena_reset(struct cs_arena *a)
{
	struct cs_arena_block *b = a->head;
	if (!b)
		return;
	/* keep the newest block, the largest (they grow), free the rest: a
	 * layer that needed more than the first block's room finds it again */
	for (struct cs_arena_block *old = b->next; old;) {
		struct cs_arena_block *next = old->next;
		block_free(old);
		old = next;
	}
	b->next = NULL;
	if (b->clean < b->used)
		b->clean = b->used;
	b->used = 0;
	a->head = b;
	a->used_total = 0;
}

void *cs_arena_alloc(struct cs_arena *a, size_t size)
{
	size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need < size)
		return NULL;
	struct cs_arena_block *b = a->head;
	if (!b || b->size - b->used < need) {
		size_t cap = ARENA_MIN_BLOCK;
		if (b && b->size < 16 * 1024 * 1024)
			cap = b->size * 2;	/* grow geometrically */
		if (cap < need)
			cap = need;
		if (cap > SIZE_MAX - sizeof(*b))
			return NULL;
		struct cs_arena_block *nb = block_new(cap);
		if (!nb)
			return NULL;
		nb->size = cap;
		nb->used = 0;
		nb->clean = 0;
		nb->ready = 0;
		nb->next = b;
		a->head = nb;
		b = nb;
	}
	void *p = b->data + b->used;
	if (b->used < b->clean)
		memset(p, 0, size);	/* handed out before a reset */
	else if (b->size >= MAPPED_BLOCK)	/* a long model's texts and tables */
		cs_big_ahead(b->data, b->used + need, b->size, &b->ready);
	else if (size >= 64 * 1024)
		cs_big_populate(p, size);	/* a table, to be filled */
	b->used += need;
	a->used_total += need;
	return p;
}

char *cs_arena_strndup(struct cs_arena *a, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *p = cs_arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *cs_arena_strdup(struct cs_arena *a, const char *s)
{
	return cs_arena_strndup(a, s, strlen(s));
}
