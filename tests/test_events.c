/* The event stream of yaml_events.c against libyaml's own events, read in
 * every way the reader can be opened (a string; a file), and the loader's
 * refusals of every broken model the same from a file and from memory. */
#include <dirent.h>
#include <yaml.h>

#include "helpers.h"
#include "yaml_events.h"

static const char *broken_dir;

/* ---- libyaml's events, the reference ------------------------------------- */

struct ref_event {
	yaml_event_type_t type;
	size_t line, column;
	bool plain;
	char *tag, *value;
	size_t length;
};

struct ref {
	struct ref_event *v;
	size_t n, cap;
	yaml_error_type_t error;
	const char *problem;
	size_t problem_line, problem_column;
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p)
		abort();
	return p;
}

static char *dup_or_null(const yaml_char_t *s, size_t len)
{
	if (!s)
		return NULL;
	char *d = xmalloc(len + 1);
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

static void reference(const char *text, size_t len, struct ref *ref)
{
	memset(ref, 0, sizeof(*ref));
	yaml_parser_t p;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	for (;;) {
		yaml_event_t e;
		if (!yaml_parser_parse(&p, &e)) {
			ref->error = p.error;
			ref->problem = p.problem;
			ref->problem_line = p.problem_mark.line + 1;
			ref->problem_column = p.problem_mark.column + 1;
			break;
		}
		if (ref->n == ref->cap) {
			ref->cap = ref->cap ? 2 * ref->cap : 64;
			struct ref_event *v = realloc(ref->v, ref->cap * sizeof(*ref->v));
			if (!v)
				abort();
			ref->v = v;
		}
		struct ref_event *r = &ref->v[ref->n++];
		memset(r, 0, sizeof(*r));
		r->type = e.type;
		r->line = e.start_mark.line + 1;
		r->column = e.start_mark.column + 1;
		const yaml_char_t *tag = NULL;
		if (e.type == YAML_SCALAR_EVENT) {
			r->plain = e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			r->length = e.data.scalar.length;
			if (r->length <= CS_EVENTS_MAX_KEPT)
				r->value = dup_or_null(e.data.scalar.value, r->length);
			tag = e.data.scalar.tag;
		} else if (e.type == YAML_ALIAS_EVENT) {
			r->length = strlen((const char *)e.data.alias.anchor);
			r->value = dup_or_null(e.data.alias.anchor, r->length);
		} else if (e.type == YAML_MAPPING_START_EVENT) {
			tag = e.data.mapping_start.tag;
		} else if (e.type == YAML_SEQUENCE_START_EVENT) {
			tag = e.data.sequence_start.tag;
		}
		r->tag = tag ? dup_or_null(tag, strlen((const char *)tag)) : NULL;
		bool end = e.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&e);
		if (end)
			break;
	}
	yaml_parser_delete(&p);
}

static void ref_free(struct ref *ref)
{
	for (size_t i = 0; i < ref->n; i++) {
		free(ref->v[i].tag);
		free(ref->v[i].value);
	}
	free(ref->v);
}

/* ---- the three ways of reading, each against the reference ----------------- */

enum way { FROM_STRING, FROM_FILE, NWAYS };
static const char *const way_names[NWAYS] = { "string", "file" };

static void expect_stream(const char *text, size_t len, enum way way, const struct ref *ref)
{
	FILE *f = NULL;
	struct cs_events *ev;
	if (way == FROM_STRING) {
		ev = cs_events_open_string((const unsigned char *)text, len);
	} else {
		f = tmpfile();
		assert_non_null(f);
		assert_int_equal(fwrite(text, 1, len, f), len);
		rewind(f);
		ev = cs_events_open_file(f);
	}
	assert_non_null(ev);
	for (size_t i = 0; i < ref->n; i++) {
		const struct cs_event *e = cs_events_next(ev);
		const struct ref_event *r = &ref->v[i];
		if (e->type != r->type)
			fail_msg("%s: event %zu is type %d, libyaml's %d", way_names[way], i, e->type, r->type);
		assert_int_equal(e->mark.line, r->line);
		assert_int_equal(e->mark.column, r->column);
		assert_int_equal(e->length, r->length);
		if (r->type == YAML_SCALAR_EVENT)
			assert_int_equal(e->plain, r->plain);
		if (r->value) {
			assert_non_null(e->value);
			assert_memory_equal(e->value, r->value, r->length + 1);
		} else {
			assert_null(e->value);
		}
		if (r->tag)
			assert_string_equal(e->tag, r->tag);
		else
			assert_null(e->tag);
	}
	const struct cs_event *last = cs_events_next(ev);
	if (ref->error) {
		assert_int_equal(last->type, YAML_NO_EVENT);
		const struct cs_parse_error *pe = cs_events_error(ev);
		assert_int_equal(pe->kind, ref->error);
		assert_string_equal(pe->problem, ref->problem);
		assert_int_equal(pe->problem_mark.line, ref->problem_line);
		assert_int_equal(pe->problem_mark.column, ref->problem_column);
	} else {
		assert_int_equal(last->type, YAML_STREAM_END_EVENT);
	}
	/* after the end or a failure, the same again */
	assert_ptr_equal(cs_events_next(ev), last);
	cs_events_close(ev);
	if (f)
		fclose(f);
}

static void expect_all_ways(const char *text, size_t len)
{
	struct ref ref;
	reference(text, len, &ref);
	for (int w = 0; w < NWAYS; w++)
		expect_stream(text, len, (enum way)w, &ref);
	ref_free(&ref);
}

struct stream_row {
	const char *name;
	const char *yaml;
};

static const struct stream_row stream_rows[] = {
	{ "model", "name: m\ninput_shape: [28, 28, 1]\nlayers:\n  - Conv2D: {filters: 5, kernel_size: 3}\n"
		   "  - type: Dense\n    units: 10\n  - Flatten\n" },
	{ "quoted_and_plain", "a: '3'\nb: \"x\\ty\"\nc: 3\nd: ~\n" },
	{ "tags_kept", "a: !!str 3\nb: !custom x\nc: !!seq [1]\nd: !!map {k: v}\n" },
	{ "anchor_and_alias", "a: &x 1\nb: *x\n" },
	{ "block_scalars", "a: |\n  one\n  two\nb: >\n  folded\n  text\n" },
	{ "two_documents", "a: 1\n---\nb: 2\n" },
	{ "empty", "" },
	{ "syntax_error", "a: [1, 2\nb: 3\n" },
	{ "bad_indentation", "a:\n  - 1\n - 2\n" },
	{ "bad_utf8", "a: \xff\xfe\n" },
	{ "nul_in_quoted", "a: \"x\\0y\"\n" },
};

static void check_stream(void **state)
{
	const struct stream_row *r = *state;
	expect_all_ways(r->yaml, strlen(r->yaml));
}

/* A text of many layers with, at `at`, some special text: long enough that
 * the records cross many blocks. */
static char *long_model(size_t layers, const char *special, size_t *len)
{
	static const char item[] = "  - Conv2D: {filters: 16, kernel_size: 3, padding: same}\n";
	size_t cap = 64 + layers * sizeof(item) + (special ? strlen(special) : 0);
	char *s = xmalloc(cap);
	size_t at = (size_t)sprintf(s, "input_shape: [32, 32, 16]\nlayers:\n");
	for (size_t i = 0; i < layers; i++) {
		memcpy(s + at, item, sizeof(item) - 1);
		at += sizeof(item) - 1;
		if (special && i == layers / 2) {
			memcpy(s + at, special, strlen(special));
			at += strlen(special);
		}
	}
	s[at] = '\0';
	*len = at;
	return s;
}

/* Scalars of every size around a block's and around the longest kept. */
static void long_scalars(void **state)
{
	(void)state;
	static const size_t sizes[] = { 60 * 1024, 64 * 1024, 200 * 1024, CS_EVENTS_MAX_KEPT,
					CS_EVENTS_MAX_KEPT + 1, 3 * 1024 * 1024 };
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k];
		char *special = xmalloc(n + 64);
		int at = sprintf(special, "  - Dense: {units: 2, name: ");
		memset(special + at, 'x', n);
		strcpy(special + at + n, "}\n");
		size_t len;
		char *text = long_model(3000, special, &len);
		expect_all_ways(text, len);
		free(text);
		free(special);
	}
}

/* A tag deep in a long stream. */
static void long_tag(void **state)
{
	(void)state;
	size_t len;
	char special[200];
	snprintf(special, sizeof(special), "  - !tag%0120d x\n", 7);
	char *text = long_model(20000, special, &len);
	expect_all_ways(text, len);
	free(text);
}

/* Many blocks' worth, and a failure far into the file. */
static void long_streams(void **state)
{
	(void)state;
	size_t len;
	char *text = long_model(50000, NULL, &len);
	expect_all_ways(text, len);
	free(text);
	text = long_model(50000, "  - [unclosed\n", &len);
	expect_all_ways(text, len);
	free(text);
	text = long_model(50000, "  - \xc3\x28 bad utf-8\n", &len);
	expect_all_ways(text, len);
	free(text);
}

/* The reader stops early: nothing leaks (run under valgrind and ASan). */
static void close_early(void **state)
{
	(void)state;
	size_t len;
	char *text = long_model(50000, NULL, &len);
	FILE *f = tmpfile();
	assert_int_equal(fwrite(text, 1, len, f), len);
	for (size_t stop = 0; stop < 400000; stop = stop * 4 + 1) {
		rewind(f);
		struct cs_events *ev = cs_events_open_file(f);
		assert_non_null(ev);
		for (size_t i = 0; i < stop; i++)
			assert_int_not_equal(cs_events_next(ev)->type, YAML_NO_EVENT);
		cs_events_close(ev);
	}
	cs_events_close(NULL);
	fclose(f);
	free(text);
}

/* ---- the loader, from a file and from memory ---------------------------------- */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *s = xmalloc((size_t)n + 1);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return s;
}

/* Every broken model: the same refusal, word for word and place for place,
 * read from the file or from memory; and each file's events are libyaml's. */
static void broken_models_agree(void **state)
{
	(void)state;
	DIR *d = opendir(broken_dir);
	assert_non_null(d);
	size_t files = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n < 5 || strcmp(de->d_name + n - 5, ".yaml"))
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", broken_dir, de->d_name);
		struct cs_error one, two;
		size_t len;
		char *text = slurp(path, &len);
		cs_model *m1 = cs_model_load_file(path, &one);
		cs_model *m2 = cs_model_load_buffer(text, len, path, &two);
		if (m1 || m2)
			fail_msg("%s: a broken model loaded", path);
		if (strcmp(one.message, two.message) || one.line != two.line || one.column != two.column)
			fail_msg("%s: %u:%u %s / from memory: %u:%u %s", path, one.line, one.column, one.message,
				 two.line, two.column, two.message);
		expect_all_ways(text, len);
		free(text);
		files++;
	}
	closedir(d);
	assert_true(files > 200);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_events BROKEN_MODELS_DIR\n");
		return 2;
	}
	broken_dir = argv[1];
	const struct CMUnitTest whole[] = {
		cmocka_unit_test(long_scalars),
		cmocka_unit_test(long_tag),
		cmocka_unit_test(long_streams),
		cmocka_unit_test(close_early),
		cmocka_unit_test(broken_models_agree),
	};
	int failed = RUN_TABLE("event streams", check_stream, stream_rows);
	failed += cmocka_run_group_tests_name("long and broken streams", whole, NULL, NULL);
	return failed;
}
