/* The floor for any reader of a YAML file: libyaml's event parser run to
 * the end of the stream and nothing else, reading the file the way
 * convsummary does (libyaml's own buffered file input). */
#include <stdio.h>
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
	yaml_parser_t parser;
	yaml_event_t event;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
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
	fclose(f);
	printf("%zu events\n", events);
	return 0;
}
