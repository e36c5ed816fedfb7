/* The convsummary command: options, files, exit statuses. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convsummary.h"

static const char usage[] =
	"usage: convsummary [options] MODEL.yaml [MODEL.yaml ...]\n"
	"\n"
	"Print what Keras's model.summary() prints for the model in MODEL.yaml:\n"
	"every layer's output shape and parameter count, and the totals.\n"
	"\n"
	"options:\n"
	"  -f, --format FORMAT    text (default), json, markdown or csv\n"
	"  -s, --style STYLE      the text table: keras3 (default) or keras2,\n"
	"                         the classic tf.keras 2 table\n"
	"  -l, --line-length N    table width, as Keras's line_length= (default:\n"
	"                         76 for keras3, 65 for keras2)\n"
	"  -h, --help             show this help and exit\n"
	"  -V, --version          show the version and exit\n"
	"\n"
	"examples:\n"
	"  convsummary models/mnist_cnn.yaml\n"
	"  convsummary --style keras2 models/vgg16.yaml\n"
	"  convsummary --format json models/lenet5.yaml\n"
	"  convsummary --line-length 100 models/*.yaml\n"
	"\n"
	"exit status: 0 summary printed, 1 invalid model, 2 usage or I/O error,\n"
	"3 a check failed.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "convsummary: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'convsummary --help' for more information.\n");
	return CS_USAGE;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "style", required_argument, NULL, 's' },
		{ "line-length", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "text", *style = "keras3";
	struct cs_render_options opt = { 0 };
	int c;
	while ((c = getopt_long(argc, argv, "f:s:l:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format = optarg;
			if (strcmp(format, "text") && strcmp(format, "json") &&
			    strcmp(format, "markdown") && strcmp(format, "csv"))
				return usage_error("unknown format '%s': expected text, json, markdown or csv",
						   optarg);
			break;
		case 's':
			style = optarg;
			if (strcmp(style, "keras3") && strcmp(style, "keras2"))
				return usage_error("unknown style '%s': expected keras3 or keras2", optarg);
			break;
		case 'l': {
			char *end;
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1 || v > INT_MAX)
				return usage_error("--line-length: expected a positive integer, got '%s'",
						   optarg);
			opt.line_length = (int)v;
			break;
		}
		case 'h':
			fputs(usage, stdout);
			return CS_OK;
		case 'V':
			printf("convsummary %s\n", CS_VERSION);
			return CS_OK;
		default:
			fprintf(stderr, "Try 'convsummary --help' for more information.\n");
			return CS_USAGE;
		}
	}
	if (optind >= argc)
		return usage_error("%s", "no model file given");

	const char *renderer = strcmp(format, "text") ? format : style;
	int status = CS_OK;
	int nfiles = argc - optind;
	for (int i = optind; i < argc; i++) {
		struct cs_error err;
		cs_model *m = cs_model_load_file(argv[i], &err);
		if (!m) {
			cs_error_print(&err, stderr);
			if ((int)err.status > status)
				status = err.status;
			continue;
		}
		if (nfiles > 1)
			printf("%s==> %s <==\n", i > optind ? "\n" : "", argv[i]);
		if (cs_render(m, renderer, &opt, stdout, &err) < 0) {
			cs_error_print(&err, stderr);
			if ((int)err.status > status)
				status = err.status;
		}
		cs_model_destroy(m);
		if (status == CS_USAGE && !nfiles)
			break;
	}
	if (fflush(stdout) != 0) {
		fprintf(stderr, "convsummary: cannot write: %s\n", strerror(errno));
		return CS_USAGE;
	}
	return status;
}
