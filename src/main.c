/* The convsummary command: options, files and directories, checks against
 * committed summaries, budgets, diffs, and exit statuses. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "convsummary.h"
#include "udiff.h"

static const char usage_text[] =
	"usage: convsummary [options] MODEL.yaml|DIR ...\n"
	"       convsummary diff [--format text|markdown|json] OLD.yaml NEW.yaml\n"
	"\n"
	"Print what Keras's model.summary() prints for each model: every layer's\n"
	"output shape and parameter count, and the totals.  A directory stands for\n"
	"every *.yaml file in it, and - for the standard input.\n"
	"\n"
	"options:\n"
	"  -f, --format FORMAT      text (default), json, markdown or csv\n"
	"  -s, --style STYLE        the text table: keras3 (default) or keras2, the\n"
	"                           classic tf.keras 2 table\n"
	"  -l, --line-length N      table width, as Keras's line_length= (default 76\n"
	"                           for keras3, 65 for keras2)\n"
	"  -e, --explain            under each layer, the arithmetic of its shape and\n"
	"                           parameter count\n"
	"      --check EXPECTED     compare the summary with the file EXPECTED: exit 3\n"
	"                           and print a unified diff when they differ\n"
	"      --update             with --check: rewrite EXPECTED with the summary\n"
	"      --max-params N       exit 3 when the model has more than N parameters\n"
	"      --max-trainable-params N\n"
	"                           the same for trainable parameters\n"
	"      --max-bytes SIZE     the same for the weights' size\n"
	"                           (N takes k, M, G: 5M = 5,000,000; SIZE takes\n"
	"                           KB, MB, GB in steps of 1024, as the summary does)\n"
	"      --columns LIST       the table's columns, from: layer, name, type,\n"
	"                           output_shape, params, trainable_params,\n"
	"                           non_trainable_params, params_percent, trainable,\n"
	"                           kernel, macs, flops, other_ops, activation_bytes,\n"
	"                           rf, stride, jump (with totals under the table)\n"
	"      --convention NAME    macs (default: bias excluded, as papers count) or\n"
	"                           torchinfo (mult-adds with the bias additions)\n"
	"      --batch-size N       the batch for activation memory where it is None\n"
	"      --audit              warn (file:line:col: warning:) about rows a stride\n"
	"                           drops, asymmetric 'same' padding, Dense on an\n"
	"                           unflattened tensor, a receptive field smaller than\n"
	"                           the input, a bias before BatchNormalization\n"
	"      --strict             --audit, and exit 3 when it warns\n"
	"      --input-shape SIZES  a resolution sweep: the model again with this input\n"
	"                           (224,224,3; repeatable), a row each\n"
	"  -h, --help               show this help and exit\n"
	"  -V, --version            show the version and exit\n"
	"\n"
	"examples:\n"
	"  convsummary models/mnist_cnn.yaml\n"
	"  convsummary --explain models/seed_scenario3.yaml\n"
	"  convsummary --style keras2 models/vgg16.yaml\n"
	"  convsummary --format json models/lenet5.yaml\n"
	"  convsummary --check docs/vgg16.txt models/vgg16.yaml\n"
	"  convsummary --max-params 5M --max-bytes 20MB models/\n"
	"  convsummary --columns layer,output_shape,params,macs,rf models/vgg16.yaml\n"
	"  convsummary --input-shape 224,224,3 --input-shape 320,320,3 models/mobilenet.yaml\n"
	"  convsummary --audit models/alexnet.yaml\n"
	"  convsummary diff --format markdown old/model.yaml model.yaml\n"
	"\n"
	"exit status: 0 summary printed, 1 invalid model, 2 usage or I/O error,\n"
	"3 a check failed (--check, a budget, or a diff that differs).\n";

#define CS_SWEEP_RANK 8

struct options {
	const char *format;
	const char *style;
	struct cs_render_options render;
	struct cs_load_options load;
	const char *check;
	bool update;
	int64_t max_params, max_trainable, max_bytes;	/* -1: no budget */
	bool audit, strict;
	int64_t sweep[16][CS_SWEEP_RANK];	/* --input-shape, one sample's shape */
	size_t sweep_rank[16];
	int nsweep;
};

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "convsummary: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'convsummary --help' for more information.\n");
	return CS_USAGE;
}

/* "5M", "1.5k", "138357544"; with bytes, "20MB", "512KB", "1GB" (1024). */
static bool parse_quantity(const char *s, bool bytes, int64_t *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || v < 0 || !(v == v))
		return false;
	double unit = 1;
	if (!*end) {
		unit = 1;
	} else if (bytes) {
		static const char *const names[][3] = {
			{ "B", "", "" }, { "KB", "K", "KiB" }, { "MB", "M", "MiB" },
			{ "GB", "G", "GiB" }, { "TB", "T", "TiB" },
		};
		bool found = false;
		double u = 1;
		for (size_t i = 0; i < 5 && !found; i++, u *= 1024)
			for (int j = 0; j < 3; j++)
				if (names[i][j][0] && !strcmp(end, names[i][j]))
					found = true, unit = u;
		if (!found)
			return false;
	} else {
		if (!strcmp(end, "k") || !strcmp(end, "K"))
			unit = 1e3;
		else if (!strcmp(end, "M"))
			unit = 1e6;
		else if (!strcmp(end, "G"))
			unit = 1e9;
		else if (!strcmp(end, "T"))
			unit = 1e12;
		else
			return false;
	}
	double r = v * unit;
	if (r >= 9.2e18)
		return false;
	*out = (int64_t)(r + 0.5);
	return true;
}

static const char *commas(int64_t n, char *buf, size_t size)
{
	char d[32];
	int len = snprintf(d, sizeof(d), "%lld", (long long)n);
	size_t at = 0;
	for (int i = 0; i < len && at + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			buf[at++] = ',';
		buf[at++] = d[i];
	}
	buf[at] = '\0';
	return buf;
}

static int budget(const char *path, const char *what, int64_t value, int64_t limit)
{
	char v[40], l[40], o[40];
	if (limit < 0 || value <= limit)
		return CS_OK;
	fprintf(stderr, "convsummary: %s: %s %s exceed the budget of %s by %s", path, commas(value, v, sizeof(v)),
		what, commas(limit, l, sizeof(l)), commas(value - limit, o, sizeof(o)));
	if (limit > 0)
		fprintf(stderr, " (%.1f%% over)", 100.0 * (double)(value - limit) / (double)limit);
	fputc('\n', stderr);
	return CS_CHECK_FAILED;
}

static int read_file(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char *s = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&s, &n);
	char chunk[65536];
	size_t got;
	while (m && (got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, got, m);
	int bad = ferror(f) || !m;
	fclose(f);
	if (m)
		fclose(m);
	if (bad) {
		free(s);
		return -1;
	}
	*data = s;
	*len = n;
	return 0;
}

static int write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t put = fwrite(data, 1, len, f);
	return fclose(f) == 0 && put == len ? 0 : -1;
}

/* --check and --update: the summary against the committed file. */
static int check(const struct options *o, const char *path, const char *summary, size_t len)
{
	char *want = NULL;
	size_t wlen = 0;
	bool have = read_file(o->check, &want, &wlen) == 0;
	if (!have && !o->update) {
		fprintf(stderr, "convsummary: %s: cannot read: %s (--update writes it)\n", o->check,
			strerror(errno));
		return CS_USAGE;
	}
	int status = CS_OK;
	if (have && wlen == len && !memcmp(want, summary, len)) {
		status = CS_OK;
	} else if (o->update) {
		if (write_file(o->check, summary, len) < 0) {
			fprintf(stderr, "convsummary: %s: cannot write: %s\n", o->check, strerror(errno));
			status = CS_USAGE;
		} else {
			fprintf(stderr, "convsummary: updated %s\n", o->check);
		}
	} else {
		char label[1100];
		snprintf(label, sizeof(label), "summary of %s", path);
		cs_unified_diff(want, wlen, summary, len, o->check, label, stdout);
		fprintf(stderr, "convsummary: %s: the summary differs from %s\n", path, o->check);
		status = CS_CHECK_FAILED;
	}
	free(want);
	return status;
}

static int worse(int a, int b)
{
	return a > b ? a : b;
}

/* One model: load, render, check and budget. */
static int summarise(const struct options *o, const char *path, bool headed, bool *first,
		     bool json_list)
{
	struct cs_error err;
	cs_model *m = cs_model_load_file_opts(path, &o->load, &err);
	if (!m) {
		cs_error_print(&err, stderr);
		return err.status;
	}
	const char *renderer = strcmp(o->format, "text") ? o->format : o->style;
	int status = CS_OK;
	if (o->check) {
		/* the summary in memory, to compare with the committed one */
		char *out = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&out, &len);
		int rc = mem ? cs_render(m, renderer, &o->render, mem, &err) : -1;
		if (mem)
			fclose(mem);
		if (rc < 0) {
			if (mem)
				cs_error_print(&err, stderr);
			else
				fprintf(stderr, "convsummary: out of memory\n");
			status = CS_USAGE;
		} else {
			status = check(o, path, out, len);
		}
		free(out);
	} else {
		/* the model is valid: its summary streams straight out */
		if (json_list)
			fputs(*first ? "[\n" : ",\n", stdout);
		else if (headed)
			printf("%s==> %s <==\n", *first ? "" : "\n", path);
		*first = false;
		if (cs_render(m, renderer, &o->render, stdout, &err) < 0) {
			cs_error_print(&err, stderr);
			status = CS_USAGE;
		}
	}
	struct cs_totals t;
	cs_model_totals(m, &t);
	status = worse(status, budget(path, "parameters", t.trainable_params + t.non_trainable_params,
				      o->max_params));
	status = worse(status, budget(path, "trainable parameters", t.trainable_params, o->max_trainable));
	status = worse(status, budget(path, "bytes of weights", t.trainable_bytes + t.non_trainable_bytes,
				      o->max_bytes));
	if (o->audit) {
		for (size_t i = 0; i < cs_model_warning_count(m); i++) {
			unsigned line, col;
			const char *msg = cs_model_warning(m, i, &line, &col);
			fprintf(stderr, "%s:%u:%u: warning: %s\n", path, line, col, msg);
		}
		if (o->strict && cs_model_warning_count(m))
			status = worse(status, CS_CHECK_FAILED);
	}
	cs_model_destroy(m);
	return status;
}

/* --input-shape: the model at each resolution, a row each. */
static int sweep(const struct options *o, const char *path)
{
	bool json = !strcmp(o->format, "json");
	int status = CS_OK;
	char cell[4][256];
	if (json)
		printf("{\n  \"file\": \"%s\",\n  \"sweep\": [", path);
	else
		printf("Sweep of %s (%s)\n %-26s %-22s %14s %14s\n", path,
		       o->render.torchinfo ? "mult-adds, bias included" : "MACs per sample, bias excluded",
		       "Input shape", "Output shape", o->render.torchinfo ? "Mult-adds" : "MACs", "Activations");
	for (int k = 0; k < o->nsweep; k++) {
		struct cs_error err;
		struct cs_load_options lo = o->load;
		lo.input_shape = o->sweep[k];
		lo.input_rank = o->sweep_rank[k];
		size_t at = 0;
		at += (size_t)snprintf(cell[0], sizeof(cell[0]), "(None");
		for (size_t i = 0; i < o->sweep_rank[k] && at < sizeof(cell[0]); i++)
			at += (size_t)snprintf(cell[0] + at, sizeof(cell[0]) - at, ", %lld", (long long)o->sweep[k][i]);
		if (at < sizeof(cell[0]))
			snprintf(cell[0] + at, sizeof(cell[0]) - at, ")");
		cs_model *m = cs_model_load_file_opts(path, &lo, &err);
		if (json)
			printf("%s\n    {\"input_shape\": [null", k ? "," : "");
		if (json)
			for (size_t i = 0; i < o->sweep_rank[k]; i++)
				printf(", %lld", (long long)o->sweep[k][i]);
		if (json)
			printf("]");
		if (!m) {
			if (err.status != CS_INVALID) {
				cs_error_print(&err, stderr);
				return err.status;
			}
			if (json)
				printf(", \"error\": {\"line\": %u, \"column\": %u, \"message\": \"", err.line, err.column);
			else
				printf(" %-26s fails at line %u: ", cell[0], err.line);
			for (const char *p = err.message; *p; p++)
				printf(json && (*p == '"' || *p == '\\') ? "\\%c" : "%c", *p);
			printf(json ? "\"}}" : "\n");
			status = worse(status, CS_INVALID);
			continue;
		}
		size_t n = cs_model_layer_count(m);
		struct cs_layer_info li;
		const int64_t *dims;
		size_t rank;
		if (n) {
			cs_model_layer(m, n - 1, &li);
			dims = li.dims;
			rank = li.rank;
		} else {
			dims = cs_model_input_dims(m);
			rank = cs_model_input_rank(m);
		}
		at = 0;
		at += (size_t)snprintf(cell[1], sizeof(cell[1]), "(");
		for (size_t i = 0; i < rank && at < sizeof(cell[1]); i++) {
			if (dims[i] < 0)
				at += (size_t)snprintf(cell[1] + at, sizeof(cell[1]) - at, "%sNone", i ? ", " : "");
			else
				at += (size_t)snprintf(cell[1] + at, sizeof(cell[1]) - at, "%s%lld", i ? ", " : "",
						       (long long)dims[i]);
		}
		if (at < sizeof(cell[1]))
			snprintf(cell[1] + at, sizeof(cell[1]) - at, ")");
		struct cs_figures_walk w;
		struct cs_figures f;
		int64_t macs = 0, act = 0;
		cs_figures_begin(m, &w);
		while (cs_figures_next(m, &w, &f) == 0) {
			int64_t x = o->render.torchinfo ? f.mult_adds : f.macs;
			macs = macs < 0 || x < 0 ? -1 : macs + x;
			act = act < 0 || f.activation_bytes < 0 ? -1 : act + f.activation_bytes;
		}
		if (json) {
			printf(", \"output_shape\": [");
			for (size_t i = 0; i < rank; i++)
				printf(dims[i] < 0 ? "%snull" : "%s%lld", i ? ", " : "", (long long)dims[i]);
			printf("], \"macs\": %lld, \"activation_bytes\": %lld}", (long long)macs, (long long)act);
		} else {
			char a[64], mm[64];
			snprintf(mm, sizeof(mm), "%lld", (long long)macs);
			snprintf(a, sizeof(a), "%.2f MB", (double)act / 1048576.0);
			printf(" %-26s %-22s %14s %14s\n", cell[0], cell[1], macs < 0 ? "?" : mm, act < 0 ? "?" : a);
		}
		cs_model_destroy(m);
	}
	if (json)
		printf("\n  ]\n}\n");
	return status;
}

static bool parse_shape(const char *s, int64_t *v, size_t *n)
{
	*n = 0;
	while (*s) {
		char *end;
		errno = 0;
		long long x = strtoll(s, &end, 10);
		if (errno || end == s || x < 0 || x > 2147483647 || *n == CS_SWEEP_RANK)
			return false;
		v[(*n)++] = x;
		if (*end == ',' || *end == 'x')
			end++;
		else if (*end)
			return false;
		s = end;
	}
	return *n > 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append s (owned) to the growing list v; false when out of memory. */
static bool push(char ***v, int *count, int *cap, char *s)
{
	if (!s)
		return false;
	if (*count == *cap) {
		char **nv = realloc(*v, (size_t)(*cap * 2) * sizeof(**v));
		if (!nv) {
			free(s);
			return false;
		}
		*v = nv;
		*cap *= 2;
	}
	(*v)[(*count)++] = s;
	return true;
}

/* The model files named on the command line, directories expanded. */
static int collect(char **args, int n, char ***files, int *nfiles)
{
	int cap = 16, count = 0, status = CS_OK;
	char **v = malloc((size_t)cap * sizeof(*v));
	for (int i = 0; v && i < n; i++) {
		struct stat st;
		if (stat(args[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			DIR *d = opendir(args[i]);
			if (!d) {
				fprintf(stderr, "convsummary: %s: cannot open: %s\n", args[i], strerror(errno));
				status = CS_USAGE;
				continue;
			}
			int from = count;
			struct dirent *e;
			while ((e = readdir(d))) {
				size_t len = strlen(e->d_name);
				bool yaml = (len > 5 && !strcmp(e->d_name + len - 5, ".yaml")) ||
					    (len > 4 && !strcmp(e->d_name + len - 4, ".yml"));
				if (!yaml || e->d_name[0] == '.')
					continue;
				size_t plen = strlen(args[i]);
				char *p = malloc(plen + len + 2);
				if (p)
					snprintf(p, plen + len + 2, "%s%s%s", args[i],
						 plen && args[i][plen - 1] == '/' ? "" : "/", e->d_name);
				if (!push(&v, &count, &cap, p))
					break;
			}
			closedir(d);
			qsort(v + from, (size_t)(count - from), sizeof(*v), by_name);
			if (count == from) {
				fprintf(stderr, "convsummary: %s: no *.yaml files in this directory\n", args[i]);
				status = CS_USAGE;
			}
			continue;
		}
		if (!push(&v, &count, &cap, strdup(args[i])))
			break;
	}
	*files = v;
	*nfiles = v ? count : 0;
	return v ? status : CS_USAGE;
}

static int diff_command(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "text";
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format = optarg;
			if (strcmp(format, "text") && strcmp(format, "markdown") && strcmp(format, "json"))
				return usage_error("diff: unknown format '%s': expected text, markdown or json",
						   optarg);
			break;
		case 'h':
			fputs(usage_text, stdout);
			return CS_OK;
		default:
			fprintf(stderr, "Try 'convsummary --help' for more information.\n");
			return CS_USAGE;
		}
	}
	if (argc - optind != 2)
		return usage_error("%s", "diff: expected two model files, OLD and NEW");
	struct cs_error err;
	cs_model *a = cs_model_load_file(argv[optind], &err);
	if (!a) {
		cs_error_print(&err, stderr);
		return err.status;
	}
	cs_model *b = cs_model_load_file(argv[optind + 1], &err);
	if (!b) {
		cs_error_print(&err, stderr);
		cs_model_destroy(a);
		return err.status;
	}
	int differ = 0;
	int rc = cs_diff(a, argv[optind], b, argv[optind + 1], format, stdout, &differ, &err);
	if (rc < 0)
		cs_error_print(&err, stderr);
	cs_model_destroy(a);
	cs_model_destroy(b);
	if (rc == 0 && fflush(stdout) != 0) {
		fprintf(stderr, "convsummary: cannot write: %s\n", strerror(errno));
		return CS_USAGE;
	}
	return rc < 0 ? err.status : differ ? CS_CHECK_FAILED : CS_OK;
}

enum {
	OPT_CHECK = 256, OPT_UPDATE, OPT_MAX_PARAMS, OPT_MAX_TRAINABLE, OPT_MAX_BYTES,
	OPT_COLUMNS, OPT_CONVENTION, OPT_BATCH_SIZE, OPT_AUDIT, OPT_STRICT, OPT_INPUT_SHAPE,
};

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "diff"))
		return diff_command(argc - 1, argv + 1);

	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "style", required_argument, NULL, 's' },
		{ "line-length", required_argument, NULL, 'l' },
		{ "explain", no_argument, NULL, 'e' },
		{ "check", required_argument, NULL, OPT_CHECK },
		{ "update", no_argument, NULL, OPT_UPDATE },
		{ "max-params", required_argument, NULL, OPT_MAX_PARAMS },
		{ "max-trainable-params", required_argument, NULL, OPT_MAX_TRAINABLE },
		{ "max-bytes", required_argument, NULL, OPT_MAX_BYTES },
		{ "columns", required_argument, NULL, OPT_COLUMNS },
		{ "convention", required_argument, NULL, OPT_CONVENTION },
		{ "batch-size", required_argument, NULL, OPT_BATCH_SIZE },
		{ "audit", no_argument, NULL, OPT_AUDIT },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "input-shape", required_argument, NULL, OPT_INPUT_SHAPE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct options o = { .format = "text", .style = "keras3",
			     .max_params = -1, .max_trainable = -1, .max_bytes = -1 };
	int c;
	while ((c = getopt_long(argc, argv, "f:s:l:ehV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o.format = optarg;
			if (strcmp(o.format, "text") && strcmp(o.format, "json") &&
			    strcmp(o.format, "markdown") && strcmp(o.format, "csv"))
				return usage_error("unknown format '%s': expected text, json, markdown or csv",
						   optarg);
			break;
		case 's':
			o.style = optarg;
			if (strcmp(o.style, "keras3") && strcmp(o.style, "keras2"))
				return usage_error("unknown style '%s': expected keras3 or keras2", optarg);
			break;
		case 'l': {
			char *end;
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1 || v > INT_MAX)
				return usage_error("--line-length: expected a positive integer, got '%s'",
						   optarg);
			o.render.line_length = (int)v;
			break;
		}
		case 'e':
			o.load.explain = 1;
			break;
		case OPT_CHECK:
			o.check = optarg;
			break;
		case OPT_UPDATE:
			o.update = true;
			break;
		case OPT_MAX_PARAMS:
		case OPT_MAX_TRAINABLE:
			if (!parse_quantity(optarg, false, c == OPT_MAX_PARAMS ? &o.max_params : &o.max_trainable))
				return usage_error("expected a count such as 5000000, 5M or 1.5k, got '%s'", optarg);
			break;
		case OPT_COLUMNS:
			o.render.columns = optarg;
			break;
		case OPT_CONVENTION:
			if (!strcmp(optarg, "torchinfo"))
				o.render.torchinfo = 1;
			else if (strcmp(optarg, "macs"))
				return usage_error("--convention: expected macs (the default: bias excluded) or "
						   "torchinfo (bias included), got '%s'", optarg);
			break;
		case OPT_BATCH_SIZE: {
			char *end;
			errno = 0;
			long long v = strtoll(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1)
				return usage_error("--batch-size: expected a positive integer, got '%s'", optarg);
			o.render.batch_size = v;
			break;
		}
		case OPT_AUDIT:
			o.audit = true;
			o.load.audit = 1;
			break;
		case OPT_STRICT:
			o.audit = o.strict = true;
			o.load.audit = 1;
			break;
		case OPT_INPUT_SHAPE:
			if (o.nsweep == 16)
				return usage_error("%s", "--input-shape: at most 16 of them");
			if (!parse_shape(optarg, o.sweep[o.nsweep], &o.sweep_rank[o.nsweep]))
				return usage_error("--input-shape: expected sizes such as 224,224,3, got '%s'", optarg);
			o.nsweep++;
			break;
		case OPT_MAX_BYTES:
			if (!parse_quantity(optarg, true, &o.max_bytes))
				return usage_error("--max-bytes: expected a size such as 20MB, 512KB or 1GB, got '%s'",
						   optarg);
			break;
		case 'h':
			fputs(usage_text, stdout);
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
	if (o.update && !o.check)
		return usage_error("%s", "--update goes with --check EXPECTED");

	char **files;
	int nfiles;
	int status = collect(argv + optind, argc - optind, &files, &nfiles);
	if (o.check && nfiles != 1) {
		for (int i = 0; i < nfiles; i++)
			free(files[i]);
		free(files);
		return usage_error("%s", "--check compares one model with one file: give one model");
	}
	bool json_list = !strcmp(o.format, "json") && nfiles > 1, first = true;
	for (int i = 0; i < nfiles; i++) {
		if (o.nsweep)
			status = worse(status, sweep(&o, files[i]));
		else
			status = worse(status, summarise(&o, files[i], nfiles > 1, &first, json_list));
		free(files[i]);
	}
	free(files);
	if (json_list)
		fputs(first ? "[]\n" : "]\n", stdout);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "convsummary: cannot write: %s\n", strerror(errno));
		return CS_USAGE;
	}
	return status;
}
