/* The JSON of shared/spec/outputs.md, laid out as the reference files
 * are (two-space indent, shapes on one line). */
#include "format.h"

#include <string.h>

static void string(struct cs_buf *b, const char *s)
{
	cs_buf_char(b, '"', 1);
	size_t plain = 0;
	while (s[plain] && s[plain] != '"' && s[plain] != '\\' && (unsigned char)s[plain] >= 0x20)
		plain++;
	if (!s[plain]) {
		cs_buf_add(b, s, plain);
		cs_buf_char(b, '"', 1);
		return;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			cs_buf_char(b, '\\', 1);
			cs_buf_char(b, (char)*p, 1);
		} else if (*p < 0x20) {
			cs_buf_printf(b, "\\u%04x", *p);
		} else {
			cs_buf_char(b, (char)*p, 1);
		}
	}
	cs_buf_char(b, '"', 1);
}

static void shape(struct cs_buf *b, size_t rank, const int64_t *dims)
{
	cs_buf_char(b, '[', 1);
	for (size_t i = 0; i < rank; i++) {
		if (i)
			CS_BUF_LIT(b, ", ");
		if (dims[i] < 0)
			CS_BUF_LIT(b, "null");
		else
			cs_buf_int(b, dims[i]);
	}
	cs_buf_char(b, ']', 1);
}

static int render(const cs_model *m, int L, struct cs_buf *b)
{
	(void)L;
	CS_BUF_LIT(b, "{\n  \"name\": ");
	string(b, cs_model_name(m));
	CS_BUF_LIT(b, ",\n  \"input_shape\": ");
	shape(b, cs_model_input_rank(m), cs_model_input_dims(m));
	CS_BUF_LIT(b, ",\n  \"dtype\": ");
	string(b, cs_model_input_dtype(m));
	size_t n = cs_model_layer_count(m);
	cs_buf_str(b, n ? ",\n  \"layers\": [\n" : ",\n  \"layers\": [],\n");
	for (size_t i = 0; i < n; i++) {
		struct cs_layer_info li;
		cs_model_layer(m, i, &li);
		CS_BUF_LIT(b, "    {\n      \"name\": ");
		string(b, li.name);
		CS_BUF_LIT(b, ",\n      \"type\": ");
		string(b, li.class_name);
		CS_BUF_LIT(b, ",\n      \"output_shape\": ");
		shape(b, li.rank, li.dims);
		CS_BUF_LIT(b, ",\n      \"params\": ");
		cs_buf_int(b, li.trainable_params + li.non_trainable_params);
		CS_BUF_LIT(b, ",\n      \"trainable_params\": ");
		cs_buf_int(b, li.trainable_params);
		CS_BUF_LIT(b, ",\n      \"non_trainable_params\": ");
		cs_buf_int(b, li.non_trainable_params);
		if (li.explain) {
			CS_BUF_LIT(b, ",\n      \"explain\": [");
			for (const char *line = li.explain; *line;) {
				const char *end = strchr(line, '\n');
				size_t len = end ? (size_t)(end - line) : strlen(line);
				struct cs_buf one = { 0 };
				cs_buf_add(&one, line, len);
				cs_buf_str(b, line == li.explain ? "" : ", ");
				string(b, one.s ? one.s : "");
				cs_buf_free(&one);
				line += len + (end != NULL);
			}
			CS_BUF_LIT(b, "]");
		}
		cs_buf_str(b, i + 1 < n ? "\n    },\n" : "\n    }\n");
	}
	if (n)
		CS_BUF_LIT(b, "  ],\n");
	struct cs_totals t;
	cs_model_totals(m, &t);
	cs_buf_printf(b, "  \"total_params\": %lld,\n  \"trainable_params\": %lld,\n"
		      "  \"non_trainable_params\": %lld,\n  \"total_bytes\": %lld,\n"
		      "  \"trainable_bytes\": %lld,\n  \"non_trainable_bytes\": %lld\n}\n",
		      (long long)(t.trainable_params + t.non_trainable_params),
		      (long long)t.trainable_params, (long long)t.non_trainable_params,
		      (long long)(t.trainable_bytes + t.non_trainable_bytes),
		      (long long)t.trainable_bytes, (long long)t.non_trainable_bytes);
	return 0;
}

const struct cs_formatter cs_format_json = { "json", 0, 0, render };
