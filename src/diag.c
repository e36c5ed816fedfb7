#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int vfail(struct cs_error *err, enum cs_status status,
		 struct cs_mark mark, const char *fmt, va_list ap)
{
	if (!err)
		return -1;
	err->status = status;
	err->line = mark.line;
	err->column = mark.column;
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	return -1;
}

int cs_fail(struct cs_error *err, struct cs_mark mark, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(err, CS_INVALID, mark, fmt, ap);
	va_end(ap);
	return -1;
}

int cs_fail_status(struct cs_error *err, enum cs_status status,
		   struct cs_mark mark, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(err, status, mark, fmt, ap);
	va_end(ap);
	return -1;
}

void cs_error_set_file(struct cs_error *err, const char *file)
{
	if (!err)
		return;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
}

void cs_error_print(const struct cs_error *err, FILE *f)
{
	if (err->line)
		fprintf(f, "%s:%u:%u: error: %s\n", err->file, err->line,
			err->column, err->message);
	else if (err->file[0])
		fprintf(f, "%s: error: %s\n", err->file, err->message);
	else
		fprintf(f, "convsummary: error: %s\n", err->message);
}

/* Case-insensitive Levenshtein distance, capped for long words. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return (size_t)-1;
	size_t row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			int ca = a[i - 1], cb = b[j - 1];
			if (ca >= 'A' && ca <= 'Z')
				ca += 'a' - 'A';
			if (cb >= 'A' && cb <= 'Z')
				cb += 'a' - 'A';
			size_t best = diag + (ca != cb);
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			if (up + 1 < best)
				best = up + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *cs_closest(const char *word, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		size_t d = distance(word, names[i]);
		if (d < best_d) {
			best_d = d;
			best = names[i];
		}
	}
	size_t len = strlen(word);
	/* a plausible typo: at most a third of the word, and at least 1 */
	size_t limit = len / 3 > 2 ? len / 3 : 2;
	if (best && best_d <= limit)
		return best;
	/* a word that is the start of a name: kernel -> kernel_size */
	const char *prefixed = NULL;
	for (size_t i = 0; len >= 3 && i < n; i++)
		if (!strncasecmp(names[i], word, len) &&
		    (!prefixed || strlen(names[i]) < strlen(prefixed)))
			prefixed = names[i];
	return prefixed;
}

int cs_fail_oom(struct cs_error *err, struct cs_mark mark)
{
	return cs_fail_status(err, CS_USAGE, mark, "out of memory");
}
