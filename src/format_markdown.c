/* A GitHub-flavoured Markdown table with Keras's three columns, then the
 * totals, for documentation and pull-request comments. */
#include "format.h"

#include <string.h>

/* Text that Markdown would otherwise read as markup is escaped. */
static void text(struct cs_buf *b, const char *s)
{
	for (; *s; s++) {
		if (strchr("|\\`*<>[]", *s))
			cs_buf_char(b, '\\', 1);
		cs_buf_char(b, *s, 1);
	}
}

static int render(const cs_model *m, int L, struct cs_buf *b)
{
	(void)L;
	char num[32], size[64];
	CS_BUF_LIT(b, "**Model: \"");
	text(b, cs_model_name(m));
	CS_BUF_LIT(b, "\"**\n\n| Layer (type) | Output Shape | Param # |\n| --- | --- | ---: |\n");
	size_t n = cs_model_layer_count(m);
	for (size_t i = 0; i < n; i++) {
		struct cs_layer_info li;
		cs_model_layer(m, i, &li);
		CS_BUF_LIT(b, "| ");
		text(b, li.name);
		cs_buf_printf(b, " (%s) | ", li.class_name);
		cs_buf_shape(b, li.rank, li.dims, false);
		cs_buf_printf(b, " | %s |\n", cs_format_count(li.trainable_params + li.non_trainable_params,
							     true, num, sizeof(num)));
	}
	struct cs_totals t;
	cs_model_totals(m, &t);
	cs_buf_printf(b, "\n**Total params:** %s (%s)  \n",
		      cs_format_count(t.trainable_params + t.non_trainable_params, true, num, sizeof(num)),
		      cs_format_bytes(t.trainable_bytes + t.non_trainable_bytes, "B", size, sizeof(size)));
	cs_buf_printf(b, "**Trainable params:** %s (%s)  \n",
		      cs_format_count(t.trainable_params, true, num, sizeof(num)),
		      cs_format_bytes(t.trainable_bytes, "B", size, sizeof(size)));
	cs_buf_printf(b, "**Non-trainable params:** %s (%s)\n",
		      cs_format_count(t.non_trainable_params, true, num, sizeof(num)),
		      cs_format_bytes(t.non_trainable_bytes, "B", size, sizeof(size)));
	return 0;
}

const struct cs_formatter cs_format_markdown = { "markdown", 0, 0, render };
