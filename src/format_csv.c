/* RFC 4180 CSV: a header row, then one row a layer; CRLF line ends. */
#include "format.h"

#include <string.h>

static void field(struct cs_buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		cs_buf_str(b, s);
		return;
	}
	cs_buf_char(b, '"', 1);
	for (; *s; s++) {
		if (*s == '"')
			cs_buf_char(b, '"', 1);
		cs_buf_char(b, *s, 1);
	}
	cs_buf_char(b, '"', 1);
}

static int render(const cs_model *m, int L, struct cs_buf *b)
{
	(void)L;
	struct cs_buf shape = { 0 };
	CS_BUF_LIT(b, "name,type,output_shape,params,trainable_params,non_trainable_params\r\n");
	size_t n = cs_model_layer_count(m);
	for (size_t i = 0; i < n; i++) {
		struct cs_layer_info li;
		cs_model_layer(m, i, &li);
		field(b, li.name);
		cs_buf_char(b, ',', 1);
		field(b, li.class_name);
		cs_buf_char(b, ',', 1);
		shape.len = 0;
		cs_buf_shape(&shape, li.rank, li.dims, false);
		field(b, shape.s ? shape.s : "");
		cs_buf_printf(b, ",%lld,%lld,%lld\r\n",
			      (long long)(li.trainable_params + li.non_trainable_params),
			      (long long)li.trainable_params, (long long)li.non_trainable_params);
	}
	if (shape.failed)
		b->failed = true;
	cs_buf_free(&shape);
	return 0;
}

const struct cs_formatter cs_format_csv = { "csv", 0, 0, render };
