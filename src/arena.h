/* A bump allocator: everything a model owns lives in one arena, freed once. */
#ifndef CS_ARENA_H
#define CS_ARENA_H

#include <stddef.h>

struct cs_arena_block;

struct cs_arena {
	struct cs_arena_block *head;
	size_t used_total;	/* bytes handed out, for statistics */
};

void cs_arena_init(struct cs_arena *a);
void cs_arena_free(struct cs_arena *a);
/* Forget everything but keep the first block for reuse. */
void cs_arena_reset(struct cs_arena *a);
/* Zeroed, aligned memory; NULL only when the system is out of memory. */
void *cs_arena_alloc(struct cs_arena *a, size_t size);
/* A NUL-terminated copy of len bytes of s; NULL when out of memory. */
char *cs_arena_strndup(struct cs_arena *a, const char *s, size_t len);
char *cs_arena_strdup(struct cs_arena *a, const char *s);

#endif
