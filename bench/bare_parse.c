/* The floor for any reader of a YAML file: libyaml's event parser run to
 * the end of the stream and nothing else.  Reads the file the way
 * convsummary does (into memory, then parses the bytes). */
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bare_parse FILE.yaml\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f)
		return 2;
	size_t cap = 1 << 16, len = 0, n;
	unsigned char *buf = malloc(cap);
	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			unsigned char *nb = realloc(buf, cap *= 2);
			if (!nb)
				return 2;
			buf = nb;
		}
	}
	fclose(f);
	yaml_parser_t parser;
	yaml_event_t event;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, buf, len);
	size_t events = 0;
	for (;;) {
		if (!yaml_parser_parse(&parser, &event)) {
			fprintf(stderr, "bare_parse: YAML error\n");
			return 1;
		}
		int end = event.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&event);
		events++;
		if (end)
			break;
	}
	yaml_parser_delete(&parser);
	free(buf);
	printf("%zu events\n", events);
	return 0;
}
