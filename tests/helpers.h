/* Shared by the unit tests: cmocka with one named test per table row,
 * and assertion helpers that report the caller's file and line. */
#ifndef CS_TEST_HELPERS_H
#define CS_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "convsummary.h"

/* Run fn once per row of a table, each as its own named test. */
#define RUN_TABLE(group, fn, rows)                                                  \
	run_table(group, fn, rows, sizeof(rows) / sizeof(rows[0]), sizeof(rows[0]), \
		  offsetof(__typeof__(rows[0]), name))

static inline int run_table(const char *group, void (*fn)(void **), const void *rows,
			    size_t n, size_t size, size_t name_offset)
{
	struct CMUnitTest *t = calloc(n, sizeof(*t));
	for (size_t i = 0; i < n; i++) {
		const char *row = (const char *)rows + i * size;
		t[i].name = *(const char *const *)(row + name_offset);
		t[i].test_func = fn;
		t[i].initial_state = (void *)row;
	}
	int rc = _cmocka_run_group_tests(group, t, n, NULL, NULL);
	free(t);
	return rc;
}

#define assert_str_eq_at(a, b, file, line) \
	_assert_string_equal((a), (b), file, line)

/* Load a model from a YAML string; fails the test with the message if the
 * model is refused. */
static inline cs_model *load_ok_at(const char *yaml, const char *file, int line)
{
	struct cs_error err;
	cs_model *m = cs_model_load_buffer(yaml, strlen(yaml), "test.yaml", &err);
	if (!m) {
		print_error("%s:%d: model refused: %u:%u: %s\n", file, line, err.line,
			    err.column, err.message);
		_fail(file, line);
	}
	return m;
}
#define load_ok(yaml) load_ok_at(yaml, __FILE__, __LINE__)

/* Render m in a format into a malloc'd string (open_memstream). */
static inline char *render(const cs_model *m, const char *format, int line_length)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	struct cs_render_options opt = { .line_length = line_length };
	struct cs_error err;
	if (cs_render(m, format, &opt, f, &err) < 0) {
		fclose(f);
		free(s);
		return NULL;
	}
	fclose(f);
	return s;
}

/* A layer's output shape as Keras prints it, written here by hand rather
 * than with the library's own cells.c, so a test does not check the code
 * with itself. */
static inline const char *shape_text(const struct cs_layer_info *li, char *buf, size_t size)
{
	size_t at = (size_t)snprintf(buf, size, "(");
	for (size_t d = 0; d < li->rank && at < size; d++) {
		if (li->dims[d] < 0)
			at += (size_t)snprintf(buf + at, size - at, "%sNone", d ? ", " : "");
		else
			at += (size_t)snprintf(buf + at, size - at, "%s%lld", d ? ", " : "", (long long)li->dims[d]);
	}
	if (at < size)
		snprintf(buf + at, size - at, ")");
	return buf;
}

#endif
