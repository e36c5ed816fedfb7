#include "diag.h"

#include "buf.h"
#include "cells.h"

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
	int n = vsnprintf(err->message, sizeof(err->message), fmt, ap);
	if (n >= (int)sizeof(err->message))
		cs_cut_utf8(err->message, sizeof(err->message));
	return -1;
}

int cs_fail(struct cs_error *err, struct cs_mark mark, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(err, CS_ERR_MODEL, mark, fmt, ap);
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

void cs_cut_utf8(char *s, size_t size)
{
	static const char mark[] = "...";
	if (size < sizeof(mark) || strlen(s) < size - 1)
		return;
	/* room for the mark, then back to the first byte of a character */
	size_t at = size - sizeof(mark);
	while (at && ((unsigned char)s[at] & 0xC0) == 0x80)
		at--;
	memcpy(s + at, mark, sizeof(mark));
}

void cs_error_set_file(struct cs_error *err, const char *file)
{
	if (!err)
		return;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	cs_cut_utf8(err->file, sizeof(err->file));
}

/* The length of the character at s (n bytes left) when it may be printed
 * as it is: valid UTF-8 that is neither a C0 or C1 control nor DEL; 0 when
 * its first byte must be escaped. */
static size_t printable(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return s[0] >= 0x20 && s[0] != 0x7F;
	uint32_t cp = 0;
	size_t len = cs_utf8_valid(s, n, &cp);
	return len && cp > 0x9F ? len : 0;	/* a C1 control is escaped too */
}

void cs_buf_escaped(struct cs_buf *b, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, from = 0;
	while (i < len) {
		size_t n = printable(u + i, len - i);
		if (n) {
			i += n;
			continue;
		}
		cs_buf_add(b, s + from, i - from);
		static const char hex[] = "0123456789abcdef";
		char e[4] = { '\\', 'x', hex[u[i] >> 4], hex[u[i] & 15] };
		if (u[i] == '\n' || u[i] == '\t' || u[i] == '\r') {
			e[1] = u[i] == '\n' ? 'n' : u[i] == '\t' ? 't' : 'r';
			cs_buf_add(b, e, 2);
		} else {
			cs_buf_add(b, e, 4);
		}
		from = ++i;
	}
	cs_buf_add(b, s + from, len - from);
}

char *cs_escaped(const char *s)
{
	struct cs_buf b = { 0 };
	cs_buf_escaped(&b, s, strlen(s));
	if (b.failed) {
		cs_buf_free(&b);
		return NULL;
	}
	if (!b.s)
		return calloc(1, 1);
	return b.s;
}

void cs_fputs_escaped(const char *s, FILE *f)
{
	struct cs_buf b = { 0 };
	b.sink = f;
	cs_buf_escaped(&b, s, strlen(s));
	cs_buf_flush(&b);
	cs_buf_free(&b);
}

void cs_error_print_as(const struct cs_error *err, const char *file, FILE *f)
{
	if (file && file[0]) {
		cs_fputs_escaped(file, f);
		if (err->line)
			fprintf(f, ":%u:%u", err->line, err->column);
		fputs(": error: ", f);
	} else {
		fputs("convsummary: error: ", f);
	}
	cs_fputs_escaped(err->message, f);
	fputc('\n', f);
}

void cs_error_print(const struct cs_error *err, FILE *f)
{
	cs_error_print_as(err, err->file, f);
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
	return cs_fail_status(err, CS_ERR_MEMORY, mark, "out of memory");
}
