/* A unified diff of two texts, line by line, for --check. */
#ifndef CS_UDIFF_H
#define CS_UDIFF_H

#include <stddef.h>
#include <stdio.h>

/* Write the unified diff (3 lines of context) turning a into b to out,
 * headed by the two labels.  Returns the number of hunks, -1 when out of
 * memory. */
int cs_unified_diff(const char *a, size_t alen, const char *b, size_t blen,
		    const char *alabel, const char *blabel, FILE *out);

#endif
