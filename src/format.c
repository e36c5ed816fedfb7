#include "format.h"

#include <string.h>

#include "columns.h"
#include "diag.h"

static const struct cs_formatter *const formatters[] = {
	&cs_format_keras3, &cs_format_keras2, &cs_format_json,
	&cs_format_markdown, &cs_format_csv, &cs_format_dot, &cs_format_svg,
	&cs_format_mermaid, &cs_format_html,
};
#define NFORMATTERS (sizeof(formatters) / sizeof(formatters[0]))

const char *const *cs_format_names(void)
{
	static const char *names[NFORMATTERS + 1];
	for (size_t i = 0; i < NFORMATTERS; i++)
		names[i] = formatters[i]->name;
	return names;
}

static void total_line(struct cs_buf *b, const char *prefix, const char *label, int64_t count,
		       int64_t bytes, bool commas, const char *byte_unit)
{
	char n[32], s[64];
	cs_buf_printf(b, "%s%s: %s (%s)\n", prefix, label, cs_format_count(count, commas, n, sizeof(n)),
		      cs_format_bytes(bytes, byte_unit, s, sizeof(s)));
}

void cs_buf_totals(struct cs_buf *b, const cs_model *m, const char *prefix, bool commas,
		   const char *byte_unit)
{
	struct cs_totals t;
	cs_model_totals(m, &t);
	total_line(b, prefix, "Total params", t.trainable_params + t.non_trainable_params,
		   t.trainable_bytes + t.non_trainable_bytes, commas, byte_unit);
	total_line(b, prefix, "Trainable params", t.trainable_params, t.trainable_bytes, commas, byte_unit);
	total_line(b, prefix, "Non-trainable params", t.non_trainable_params, t.non_trainable_bytes,
		   commas, byte_unit);
}


int cs_render(const cs_model *m, const char *format,
	      const struct cs_render_options *caller, FILE *out,
	      struct cs_error *err)
{
	struct cs_mark none = { 0, 0 };
	/* the caller's options, as long as its struct is; the rest zero */
	struct cs_render_options given = { 0 }, *opt = NULL;
	if (caller) {
		size_t n = caller->size && caller->size < sizeof(given) ? caller->size : sizeof(given);
		memcpy(&given, caller, n);
		opt = &given;
	}
	const struct cs_formatter *f = NULL;
	for (size_t i = 0; i < NFORMATTERS; i++)
		if (!strcmp(formatters[i]->name, format ? format : "keras3"))
			f = formatters[i];
	if (!f)
		return cs_fail_status(err, CS_ERR_ARGUMENT, none, "unknown format '%s'", format);
	int L = opt && opt->line_length ? opt->line_length : f->default_line_length;
	if (f->default_line_length && (L < f->min_line_length || L > CS_MAX_LINE_LENGTH))
		return cs_fail_status(err, CS_ERR_ARGUMENT, none,
				      "line length %d is out of range for %s: expected %d to %d",
				      L, f->name, f->min_line_length, CS_MAX_LINE_LENGTH);
	const char *why = f->check_line_length && !(opt && opt->columns) ? f->check_line_length(m, L) : NULL;
	if (why)
		return cs_fail_status(err, CS_ERR_ARGUMENT, none, "line length %d: %s", L, why);
	/* the summary streams out through a 256 KiB buffer */
	struct cs_columns cols;
	if (opt && opt->columns) {
		char why[512];
		if (cs_columns_parse(opt->columns, &cols, why, sizeof(why)) < 0)
			return cs_fail_status(err, CS_ERR_ARGUMENT, none, "--columns: %s", why);
	}
	struct cs_buf b = { 0 };
	int rc;
	if (f->picture) {
		/* made whole in memory: a failure writes nothing */
		char reason[512];
		if (f->picture(m, opt, opt && opt->columns ? &cols : NULL, &b, reason, sizeof(reason)) < 0) {
			cs_buf_free(&b);
			return cs_fail_status(err, CS_ERR_ARGUMENT, none, "%s", reason);
		}
		b.sink = out;
		rc = 0;
	} else {
		b.sink = out;
		rc = f->render(m, L, opt, opt && opt->columns ? &cols : NULL, &b);
	}
	cs_buf_flush(&b);
	if (rc == 0 && b.write_error)
		rc = cs_fail_status(err, CS_ERR_IO, none, "cannot write the summary: %s", strerror(b.write_error));
	else if (rc == 0 && b.failed)
		rc = cs_fail_status(err, CS_ERR_MEMORY, none, "out of memory while writing the summary");
	cs_buf_free(&b);
	return rc;
}
