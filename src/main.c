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
#include <fcntl.h>
#include <unistd.h>

#include "cli.h"
#include "columns.h"
#include "convsummary.h"
#include "diag.h"
#include "format.h"
#include "udiff.h"

static const char usage_text[] =
	"usage: convsummary [options] MODEL.yaml|DIR ...\n"
	"       convsummary diff [--format text|markdown|json] OLD.yaml NEW.yaml\n"
	"       convsummary convert MODEL.keras|MODEL.json   (Keras's own file -> our YAML)\n"
	"\n"
	"Print what Keras's model.summary() prints for each model: every layer's\n"
	"output shape and parameter count, and the totals.  A directory stands for\n"
	"every *.yaml file in it, and - for the standard input.\n"
	"\n"
	"options:\n"
	"  -f, --format FORMAT      text (default), json, markdown or csv; or a picture\n"
	"                           of the architecture: dot, svg, mermaid or html (a\n"
	"                           page with the table, the totals and the SVG)\n"
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
	"      --convention NAME    macs (default: per sample, bias excluded, as\n"
	"                           papers count) or torchinfo (its mult-adds, for\n"
	"                           the batch, and its memory lines)\n"
	"      --batch-size N       the batch of the batch figures (activation memory,\n"
	"                           torchinfo's), over the model's own batch_size\n"
	"      --direction DIR      pictures: TB (top to bottom, the default) or LR\n"
	"      --show LIST          pictures: more in each node, from dtype,\n"
	"                           activation, trainable; nested: sub-models\n"
	"                           drawn as clusters of their layers\n"
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
	"  convsummary --format svg --direction LR models/lenet5.yaml > lenet5.svg\n"
	"  convsummary diff --format markdown old/model.yaml model.yaml\n"
	"\n"
	"exit status: 0 summary printed, 1 invalid model, 2 usage or I/O error,\n"
	"3 a check failed (--check, a budget, or a diff that differs).\n";


/* The most --check reads of EXPECTED (README, "--check"). */
#define CS_CHECK_MAX_BYTES ((size_t)64 << 20)

struct options {
	FILE *out, *err;	/* standard output and error, or the fuzzer's */
	const char *format;
	const char *style;
	struct cs_render_options render;
	struct cs_load_options load;
	const char *check;
	char *check_shown;	/* EXPECTED escaped for messages */
	bool update;
	int64_t max_params, max_trainable, max_bytes;	/* -1: no budget */
	bool audit, strict;
	int64_t sweep[16][CS_SWEEP_RANK];	/* --input-shape, one sample's shape */
	size_t sweep_rank[16];
	int nsweep;
};

/* A model file: the path as given, and as messages and headings show it
 * (control characters escaped; never cut). */
struct model_file {
	char *path;
	char *shown;
};

/* "convsummary: " and a message whose one %s is text from the command
 * line or a model, escaped. */
static void say(FILE *err, const char *fmt, const char *arg)
{
	char *shown = arg ? cs_escaped(arg) : NULL;
	fputs("convsummary: ", err);
	fprintf(err, fmt, shown ? shown : arg ? "(out of memory)" : "");
	fputc('\n', err);
	free(shown);
}

static int usage_error(FILE *err, const char *fmt, const char *arg)
{
	say(err, fmt, arg);
	fputs("Try 'convsummary --help' for more information.\n", err);
	return CS_EXIT_USAGE;
}

/* An error from the library, against the file's whole name (err->file may
 * be cut): "-" is "<stdin>", as the loader names it. */
static void print_error(FILE *f, const struct cs_error *err, const char *path)
{
	const char *file = !err->file[0] ? NULL : !strcmp(path, "-") ? "<stdin>" : path;
	/* an error inside a .keras archive names the entry: FILE:config.json */
	static const char entry[] = ":config.json";
	size_t n = strlen(err->file), k = sizeof(entry) - 1;
	char *inside = NULL;
	if (file && n > k && !strcmp(err->file + n - k, entry) &&
	    (strlen(file) < k || strcmp(file + strlen(file) - k, entry))) {
		inside = malloc(strlen(file) + k + 1);
		if (inside) {
			strcpy(inside, file);
			strcat(inside, entry);
			file = inside;
		}
	}
	cs_error_print_as(err, file, f);
	free(inside);
}

/* The output went out whole: help, version, a diff.  2 when it did not. */
static int flushed(FILE *out, FILE *err, int status)
{
	if (fflush(out) != 0 || ferror(out)) {
		fprintf(err, "convsummary: cannot write: %s\n", strerror(errno ? errno : EIO));
		return CS_EXIT_USAGE;
	}
	return status;
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

static int budget(const struct options *o, const char *shown, const char *what, int64_t value,
		  int64_t limit)
{
	char v[40], l[40], d[40];
	if (limit < 0 || value <= limit)
		return CS_EXIT_OK;
	fprintf(o->err, "convsummary: %s: %s %s exceed the budget of %s by %s", shown, commas(value, v, sizeof(v)),
		what, commas(limit, l, sizeof(l)), commas(value - limit, d, sizeof(d)));
	if (limit > 0)
		fprintf(o->err, " (%.1f%% over)", 100.0 * (double)(value - limit) / (double)limit);
	fputc('\n', o->err);
	return CS_EXIT_CHECK;
}

/* Everything from fd, at most max bytes (-1 with errno EFBIG past that). */
static int read_all(int fd, size_t max, char **data, size_t *len)
{
	size_t n = 0, cap = 0;
	char *s = NULL;
	for (;;) {
		if (n == cap) {
			size_t more = cap ? cap : 65536;
			if (cap >= max + 1 || more > max + 1 - cap)
				more = max + 1 - cap;
			char *ns = more ? realloc(s, cap + more + 1) : NULL;
			if (!ns) {
				free(s);
				errno = more ? ENOMEM : EFBIG;
				return -1;
			}
			s = ns;
			cap += more;
		}
		ssize_t got = read(fd, s + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;
			free(s);
			errno = e;
			return -1;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > max) {
			free(s);
			errno = EFBIG;
			return -1;
		}
	}
	if (!s && !(s = malloc(1))) {
		errno = ENOMEM;
		return -1;
	}
	s[n] = '\0';
	*data = s;
	*len = n;
	return 0;
}

/* EXPECTED, when it is a regular file of at most CS_CHECK_MAX_BYTES; opened
 * without blocking (a FIFO is refused, not waited for).  *missing when it
 * does not exist. */
static int read_expected(const struct options *o, char **data, size_t *len, bool *missing)
{
	*data = NULL;
	*len = 0;
	*missing = false;
	int fd = open(o->check, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		*missing = true;
		return CS_EXIT_OK;
	}
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		fprintf(o->err, "convsummary: %s: cannot read: %s\n", o->check_shown, strerror(errno));
		if (fd >= 0)
			close(fd);
		return CS_EXIT_USAGE;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(o->err, "convsummary: %s: not a regular file; --check compares with a file\n",
			o->check_shown);
		close(fd);
		return CS_EXIT_USAGE;
	}
	if ((uintmax_t)st.st_size > CS_CHECK_MAX_BYTES ||
	    read_all(fd, CS_CHECK_MAX_BYTES, data, len) < 0) {
		if ((uintmax_t)st.st_size > CS_CHECK_MAX_BYTES || errno == EFBIG)
			fprintf(o->err, "convsummary: %s: larger than 64 MiB, the most --check reads\n",
				o->check_shown);
		else
			fprintf(o->err, "convsummary: %s: cannot read: %s\n", o->check_shown, strerror(errno));
		close(fd);
		return CS_EXIT_USAGE;
	}
	close(fd);
	return CS_EXIT_OK;
}

/* --update: the summary into a new file beside EXPECTED, flushed to disk
 * with EXPECTED's mode, then renamed over it; EXPECTED is left as it was
 * on any failure (the new file is removed), and a symbolic link is never
 * written through. */
static int update_expected(const struct options *o, const char *data, size_t len)
{
	struct stat st;
	mode_t mode;
	if (lstat(o->check, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			fprintf(o->err, "convsummary: %s: a symbolic link; --update does not write through "
				"one (update the file it points to)\n", o->check_shown);
			return CS_EXIT_USAGE;
		}
		if (!S_ISREG(st.st_mode)) {
			fprintf(o->err, "convsummary: %s: not a regular file; --update writes a file\n",
				o->check_shown);
			return CS_EXIT_USAGE;
		}
		mode = st.st_mode & 07777;
	} else if (errno == ENOENT) {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0644 & ~mask;
	} else {
		fprintf(o->err, "convsummary: %s: cannot write: %s\n", o->check_shown, strerror(errno));
		return CS_EXIT_USAGE;
	}
	static const char name[] = ".convsummary-XXXXXX";
	const char *slash = strrchr(o->check, '/');
	size_t dirlen = slash ? (size_t)(slash - o->check) + 1 : 0;
	char *tmp = malloc(dirlen + sizeof(name));
	if (!tmp) {
		fprintf(o->err, "convsummary: out of memory\n");
		return CS_EXIT_USAGE;
	}
	memcpy(tmp, o->check, dirlen);
	memcpy(tmp + dirlen, name, sizeof(name));
	int fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(o->err, "convsummary: %s: cannot write: %s\n", o->check_shown, strerror(errno));
		free(tmp);
		return CS_EXIT_USAGE;
	}
	int e = 0;
	for (size_t at = 0; at < len && !e;) {
		ssize_t put = write(fd, data + at, len - at);
		if (put < 0 && errno != EINTR)
			e = errno;
		else if (put > 0)
			at += (size_t)put;
	}
	if (!e && (fsync(fd) != 0 || fchmod(fd, mode) != 0))
		e = errno;
	if (close(fd) != 0 && !e)
		e = errno;
	if (!e && rename(tmp, o->check) != 0)
		e = errno;
	if (e) {
		unlink(tmp);
		free(tmp);
		fprintf(o->err, "convsummary: %s: cannot write: %s (left as it was)\n", o->check_shown, strerror(e));
		return CS_EXIT_USAGE;
	}
	free(tmp);
	/* the rename itself to disk */
	char *dir = dirlen ? strndup(o->check, dirlen) : NULL;
	int dfd = open(dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	free(dir);
	fprintf(o->err, "convsummary: updated %s\n", o->check_shown);
	return CS_EXIT_OK;
}

/* --check and --update: the summary against the committed file. */
static int check(const struct options *o, const struct model_file *mf, const char *summary, size_t len)
{
	char *want = NULL;
	size_t wlen = 0;
	bool missing;
	int status = read_expected(o, &want, &wlen, &missing);
	if (status != CS_EXIT_OK)
		return status;
	if (missing && !o->update) {
		fprintf(o->err, "convsummary: %s: cannot read: %s (--update writes it)\n", o->check_shown,
			strerror(ENOENT));
		return CS_EXIT_USAGE;
	}
	if (!missing && wlen == len && !memcmp(want, summary, len)) {
		status = CS_EXIT_OK;
	} else if (o->update) {
		status = update_expected(o, summary, len);
	} else {
		char *label = malloc(strlen(mf->shown) + sizeof("summary of "));
		if (label)
			sprintf(label, "summary of %s", mf->shown);
		if (!label || cs_unified_diff(want, wlen, summary, len, o->check_shown, label, o->out) < 0) {
			fprintf(o->err, "convsummary: out of memory\n");
			status = CS_EXIT_USAGE;
		} else {
			fprintf(o->err, "convsummary: %s: the summary differs from %s\n", mf->shown, o->check_shown);
			status = CS_EXIT_CHECK;
		}
		free(label);
	}
	free(want);
	return status;
}

/* The exit status of a library error. */
static int cs_exit_status(enum cs_status s)
{
	switch (s) {
	case CS_OK:
		return CS_EXIT_OK;
	case CS_ERR_MODEL:
		return CS_EXIT_INVALID;
	default:
		return CS_EXIT_USAGE;
	}
}

static int worse(int a, int b)
{
	return a > b ? a : b;
}

/* One model: load, render, check and budget. */
static int summarise(const struct options *o, const struct model_file *mf, bool headed, bool *first,
		     bool json_list)
{
	struct cs_error err;
	cs_model *m = cs_model_load_file_opts(mf->path, &o->load, &err);
	if (!m) {
		print_error(o->err, &err, mf->path);
		return cs_exit_status(err.status);
	}
	const char *renderer = strcmp(o->format, "text") ? o->format : o->style;
	int status = CS_EXIT_OK;
	if (o->check) {
		/* the summary in memory, to compare with the committed one */
		char *out = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&out, &len);
		int rc = mem ? cs_render(m, renderer, &o->render, mem, &err) : -1;
		bool closed = mem && fclose(mem) == 0;
		if (rc < 0 && mem) {
			print_error(o->err, &err, mf->path);
			status = CS_EXIT_USAGE;
		} else if (rc < 0 || !closed) {
			fprintf(o->err, "convsummary: out of memory\n");
			status = CS_EXIT_USAGE;
		} else {
			status = check(o, mf, out, len);
		}
		free(out);
	} else {
		/* the model is valid: its summary streams straight out */
		if (json_list)
			fputs(*first ? "[\n" : ",\n", o->out);
		else if (headed)
			fprintf(o->out, "%s==> %s <==\n", *first ? "" : "\n", mf->shown);
		*first = false;
		if (cs_render(m, renderer, &o->render, o->out, &err) < 0) {
			print_error(o->err, &err, mf->path);
			status = CS_EXIT_USAGE;
		}
	}
	struct cs_totals t;
	cs_model_totals(m, &t);
	status = worse(status, budget(o, mf->shown, "parameters", t.trainable_params + t.non_trainable_params,
				      o->max_params));
	status = worse(status, budget(o, mf->shown, "trainable parameters", t.trainable_params, o->max_trainable));
	status = worse(status, budget(o, mf->shown, "bytes of weights", t.trainable_bytes + t.non_trainable_bytes,
				      o->max_bytes));
	if (o->audit) {
		for (size_t i = 0; i < cs_model_warning_count(m); i++) {
			unsigned line, col;
			const char *msg = cs_model_warning(m, i, &line, &col);
			fprintf(o->err, "%s:%u:%u: warning: ", !strcmp(mf->path, "-") ? "<stdin>" : mf->shown, line, col);
			cs_fputs_escaped(msg, o->err);
			fputc('\n', o->err);
		}
		if (o->strict && cs_model_warning_count(m))
			status = worse(status, CS_EXIT_CHECK);
	}
	cs_model_destroy(m);
	return status;
}

/* The model file's bytes, read once for every row of a sweep (so that "-"
 * and a pipe give every row).  -1 with errno. */
static int read_model(const char *path, char **data, size_t *len)
{
	bool in = !strcmp(path, "-");
	int fd = in ? STDIN_FILENO : open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	int rc = fstat(fd, &st);
	if (rc == 0 && S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		rc = -1;
	}
	if (rc == 0)
		rc = read_all(fd, SIZE_MAX - 1, data, len);
	int e = errno;
	if (!in)
		close(fd);
	errno = e;
	return rc;
}

/* --input-shape: the model at each resolution, a row each, into b (one
 * JSON object per file; a list of them is the caller's). */
static int sweep(const struct options *o, const struct model_file *mf, struct cs_buf *b)
{
	struct cs_sweep s = { b, !strcmp(o->format, "json"), o->render.torchinfo != 0, 0 };
	const char *name = !strcmp(mf->path, "-") ? "<stdin>" : mf->path;
	char *data;
	size_t len;
	if (read_model(mf->path, &data, &len) < 0) {
		char why[300];
		snprintf(why, sizeof(why), "cannot open: %s", strerror(errno));
		fprintf(o->err, "%s: error: %s\n", !strcmp(mf->path, "-") ? "<stdin>" : mf->shown, why);
		cs_sweep_unreadable(&s, name, why);
		return CS_EXIT_USAGE;
	}
	int status = CS_EXIT_OK;
	cs_sweep_begin(&s, name, mf->shown);
	for (int k = 0; k < o->nsweep; k++) {
		struct cs_error err;
		struct cs_load_options lo = o->load;
		lo.input_shape = o->sweep[k];
		lo.input_rank = o->sweep_rank[k];
		cs_model *m = cs_model_load_buffer_opts(data, len, name, &lo, &err);
		if (m) {
			cs_sweep_row(&s, o->sweep[k], o->sweep_rank[k], m);
			cs_model_destroy(m);
			continue;
		}
		if (err.status != CS_ERR_MODEL)
			print_error(o->err, &err, mf->path);
		cs_sweep_fail(&s, o->sweep[k], o->sweep_rank[k], &err);
		status = worse(status, cs_exit_status(err.status));
	}
	cs_sweep_end(&s);
	free(data);
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
	return strcmp(((const struct model_file *)a)->path, ((const struct model_file *)b)->path);
}

/* Append path (owned) to the growing list v; false when out of memory. */
static bool push(struct model_file **v, int *count, int *cap, char *path)
{
	char *shown = path ? cs_escaped(path) : NULL;
	if (!shown) {
		free(path);
		return false;
	}
	if (*count == *cap) {
		struct model_file *nv = realloc(*v, (size_t)(*cap * 2) * sizeof(**v));
		if (!nv) {
			free(path);
			free(shown);
			return false;
		}
		*v = nv;
		*cap *= 2;
	}
	(*v)[(*count)++] = (struct model_file){ path, shown };
	return true;
}

static void free_files(struct model_file *v, int n)
{
	for (int i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].shown);
	}
	free(v);
}

/* The model files named on the command line, directories expanded: a
 * directory's *.yaml files that are regular files (a FIFO or a device is
 * skipped with a message, never opened). */
static int collect(FILE *err, char **args, int n, struct model_file **files, int *nfiles)
{
	int cap = 16, count = 0, status = CS_EXIT_OK;
	bool oom = false;
	struct model_file *v = malloc((size_t)cap * sizeof(*v));
	oom = !v;
	for (int i = 0; !oom && i < n; i++) {
		struct stat st;
		if (stat(args[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			DIR *d = opendir(args[i]);
			if (!d) {
				say(err, "%s: cannot open the directory", args[i]);
				status = CS_EXIT_USAGE;
				continue;
			}
			int from = count, named = 0;
			struct dirent *e;
			while (!oom && (e = readdir(d))) {
				size_t len = strlen(e->d_name);
				bool yaml = (len > 5 && !strcmp(e->d_name + len - 5, ".yaml")) ||
					    (len > 4 && !strcmp(e->d_name + len - 4, ".yml")) ||
					    (len > 6 && !strcmp(e->d_name + len - 6, ".keras")) ||
					    (len > 5 && !strcmp(e->d_name + len - 5, ".json"));
				if (!yaml || e->d_name[0] == '.')
					continue;
				named++;
				size_t plen = strlen(args[i]);
				char *p = malloc(plen + len + 2);
				if (p)
					snprintf(p, plen + len + 2, "%s%s%s", args[i],
						 plen && args[i][plen - 1] == '/' ? "" : "/", e->d_name);
				if (p && (stat(p, &st) != 0 || !S_ISREG(st.st_mode))) {
					say(err, "%s: skipped: not a regular file", p);
					status = CS_EXIT_USAGE;
					free(p);
					continue;
				}
				oom = !push(&v, &count, &cap, p);
			}
			closedir(d);
			qsort(v + from, (size_t)(count - from), sizeof(*v), by_name);
			if (!named) {
				say(err, "%s: no *.yaml, *.keras or *.json files in this directory", args[i]);
				status = CS_EXIT_USAGE;
			}
			continue;
		}
		oom = !push(&v, &count, &cap, strdup(args[i]));
	}
	if (oom) {
		fputs("convsummary: out of memory\n", err);
		free_files(v, count);
		v = NULL;
		count = 0;
		status = CS_EXIT_USAGE;
	}
	*files = v;
	*nfiles = count;
	return status;
}

static int diff_command(int argc, char **argv, FILE *out, FILE *errf)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "text";
	int c;
	optind = 0;	/* from the start (glibc: and forget the last parse) */
	while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format = optarg;
			if (strcmp(format, "text") && strcmp(format, "markdown") && strcmp(format, "json"))
				return usage_error(errf, "diff: unknown format '%s': expected text, markdown or json",
						   optarg);
			break;
		case 'h':
			fputs(usage_text, out);
			return flushed(out, errf, CS_EXIT_OK);
		default:
			fprintf(errf, "Try 'convsummary --help' for more information.\n");
			return CS_EXIT_USAGE;
		}
	}
	if (argc - optind != 2)
		return usage_error(errf, "%s", "diff: expected two model files, OLD and NEW");
	const char *pa = argv[optind], *pb = argv[optind + 1];
	struct cs_error err;
	cs_model *a = cs_model_load_file(pa, &err);
	if (!a) {
		print_error(errf, &err, pa);
		return cs_exit_status(err.status);
	}
	cs_model *b = cs_model_load_file(pb, &err);
	if (!b) {
		print_error(errf, &err, pb);
		cs_model_destroy(a);
		return cs_exit_status(err.status);
	}
	/* the labels as given in JSON (its strings are escaped), else shown */
	bool json = !strcmp(format, "json");
	char *la = json ? NULL : cs_escaped(pa), *lb = json ? NULL : cs_escaped(pb);
	int differ = 0, rc = -1;
	if (json || (la && lb))
		rc = cs_diff(a, json ? pa : la, b, json ? pb : lb, format, out, &differ, &err);
	else
		err = (struct cs_error){ .status = CS_ERR_MEMORY, .message = "out of memory" };
	free(la);
	free(lb);
	if (rc < 0)
		print_error(errf, &err, pb);
	cs_model_destroy(a);
	cs_model_destroy(b);
	if (rc < 0)
		return cs_exit_status(err.status);
	return flushed(out, errf, differ ? CS_EXIT_CHECK : CS_EXIT_OK);
}

/* convsummary convert MODEL: a Keras archive or config as our YAML, on
 * stdout only when the whole of it converted and loads. */
static int convert_command(int argc, char **argv, FILE *out, FILE *errf)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage_text, out);
			return flushed(out, errf, CS_EXIT_OK);
		}
		fprintf(errf, "Try 'convsummary --help' for more information.\n");
		return CS_EXIT_USAGE;
	}
	if (argc - optind != 1)
		return usage_error(errf, "%s", "convert: expected one model file (a .keras archive or "
				   "a Keras JSON config)");
	const char *path = argv[optind];
	struct cs_error err;
	char *yaml;
	size_t len;
	if (cs_keras_convert_file(path, &yaml, &len, &err) < 0) {
		print_error(errf, &err, path);
		return cs_exit_status(err.status);
	}
	fwrite(yaml, 1, len, out);
	free(yaml);
	return flushed(out, errf, CS_EXIT_OK);
}

enum {
	OPT_CHECK = 256, OPT_UPDATE, OPT_MAX_PARAMS, OPT_MAX_TRAINABLE, OPT_MAX_BYTES,
	OPT_COLUMNS, OPT_CONVENTION, OPT_BATCH_SIZE, OPT_AUDIT, OPT_STRICT, OPT_INPUT_SHAPE,
	OPT_DIRECTION, OPT_SHOW,
};

static bool is_picture(const char *format)
{
	return !strcmp(format, "dot") || !strcmp(format, "svg") || !strcmp(format, "mermaid") ||
	       !strcmp(format, "html");
}

/* --show dtype,activation,trainable,nested: plot_model's show_dtype,
 * show_layer_activations, show_trainable and expand_nested. */
static int parse_show(FILE *err, const char *list, unsigned *show)
{
	static const char *const names[] = { "dtype", "activation", "trainable", "nested" };
	static const unsigned bits[] = { CS_SHOW_DTYPE, CS_SHOW_ACTIVATION, CS_SHOW_TRAINABLE, CS_SHOW_NESTED };
	enum { NITEMS = sizeof(names) / sizeof(names[0]) };
	for (const char *p = list;;) {
		size_t len = strcspn(p, ",");
		int found = -1;
		for (int k = 0; k < NITEMS; k++)
			if (strlen(names[k]) == len && !strncmp(p, names[k], len))
				found = k;
		if (found < 0) {
			char word[64];
			snprintf(word, sizeof(word), "%.*s", (int)(len < 63 ? len : 63), p);
			const char *near = cs_closest(word, names, NITEMS);
			char msg[160];
			if (near)
				snprintf(msg, sizeof(msg), "--show: unknown item '%%s'; did you mean '%s'?", near);
			else
				snprintf(msg, sizeof(msg), "--show: unknown item '%%s': expected dtype, activation, "
					 "trainable or nested");
			usage_error(err, msg, word);
			return -1;
		}
		*show |= bits[found];
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* Everything that can be known wrong before a model is read: the line
 * length for the table it applies to, the columns, --update, EXPECTED
 * being one of the models. */
static int check_options(const struct options *o)
{
	if (o->update && !o->check)
		return usage_error(o->err, "%s", "--update goes with --check EXPECTED");
	if (o->check && o->nsweep)
		return usage_error(o->err, "%s", "--check compares a summary; a sweep (--input-shape) has none");
	if (o->render.line_length && !strcmp(o->format, "text")) {
		const struct cs_formatter *f = strcmp(o->style, "keras2") ? &cs_format_keras3 : &cs_format_keras2;
		int L = o->render.line_length;
		if (L < f->min_line_length || L > CS_MAX_LINE_LENGTH) {
			fprintf(o->err, "convsummary: line length %d is out of range for %s: expected %d to %d\n"
				"Try 'convsummary --help' for more information.\n", L, f->name,
				f->min_line_length, CS_MAX_LINE_LENGTH);
			return CS_EXIT_USAGE;
		}
	}
	if (!strcmp(o->format, "svg") && !cs_pictures_laid_out()) {
		say(o->err, "--format svg: %s", CS_NO_GRAPHVIZ);
		return CS_EXIT_USAGE;
	}
	if ((o->render.left_to_right || o->render.show) && !is_picture(o->format))
		return usage_error(o->err, "%s", "--direction and --show go with a picture: --format dot, svg, "
				   "mermaid or html");
	if (o->render.columns) {
		struct cs_columns cols;
		char why[512];
		if (cs_columns_parse(o->render.columns, &cols, why, sizeof(why)) < 0)
			return usage_error(o->err, "--columns: %s", why);
	}
	return CS_EXIT_OK;
}

/* --check m.yaml m.yaml (or a link to it) would compare the model with
 * itself, and --update would replace it with its summary. */
static int check_not_a_model(const struct options *o, const struct model_file *files, int nfiles)
{
	struct stat e, m;
	if (!o->check || stat(o->check, &e) != 0)
		return CS_EXIT_OK;
	for (int i = 0; i < nfiles; i++) {
		if (strcmp(files[i].path, "-") && stat(files[i].path, &m) == 0 && m.st_dev == e.st_dev &&
		    m.st_ino == e.st_ino) {
			fprintf(o->err, "convsummary: %s: EXPECTED is the model file itself; give the file of "
				"its summary\n", o->check_shown);
			return CS_EXIT_USAGE;
		}
	}
	return CS_EXIT_OK;
}

int cs_cli(int argc, char **argv, FILE *out, FILE *errf)
{
	if (argc > 1 && !strcmp(argv[1], "diff"))
		return diff_command(argc - 1, argv + 1, out, errf);
	if (argc > 1 && !strcmp(argv[1], "convert"))
		return convert_command(argc - 1, argv + 1, out, errf);

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
		{ "direction", required_argument, NULL, OPT_DIRECTION },
		{ "show", required_argument, NULL, OPT_SHOW },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct options o = { .out = out, .err = errf, .format = "text", .style = "keras3",
			     .max_params = -1, .max_trainable = -1, .max_bytes = -1 };
	int c;
	optind = 0;	/* from the start (glibc: and forget the last parse) */
	while ((c = getopt_long(argc, argv, "f:s:l:ehV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o.format = optarg;
			if (strcmp(o.format, "text") && strcmp(o.format, "json") &&
			    strcmp(o.format, "markdown") && strcmp(o.format, "csv") && !is_picture(o.format))
				return usage_error(errf, "unknown format '%s': expected text, json, markdown, csv, "
						   "dot, svg, mermaid or html", optarg);
			break;
		case 's':
			o.style = optarg;
			if (strcmp(o.style, "keras3") && strcmp(o.style, "keras2"))
				return usage_error(errf, "unknown style '%s': expected keras3 or keras2", optarg);
			break;
		case 'l': {
			char *end;
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1 || v > INT_MAX)
				return usage_error(errf, "--line-length: expected a positive integer, got '%s'",
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
				return usage_error(errf, "expected a count such as 5000000, 5M or 1.5k, got '%s'",
						   optarg);
			break;
		case OPT_COLUMNS:
			o.render.columns = optarg;
			break;
		case OPT_CONVENTION:
			if (!strcmp(optarg, "torchinfo"))
				o.render.torchinfo = 1;
			else if (strcmp(optarg, "macs"))
				return usage_error(errf, "--convention: expected macs (the default: per sample, bias "
						   "excluded) or torchinfo (torchinfo's figures), got '%s'", optarg);
			break;
		case OPT_BATCH_SIZE: {
			char *end;
			errno = 0;
			long long v = strtoll(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1)
				return usage_error(errf, "--batch-size: expected a positive integer, got '%s'", optarg);
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
		case OPT_DIRECTION:
			if (!strcmp(optarg, "TB") || !strcmp(optarg, "LR"))
				o.render.left_to_right = !strcmp(optarg, "LR");
			else
				return usage_error(errf, "--direction: expected TB (top to bottom) or LR (left to "
						   "right), got '%s'", optarg);
			break;
		case OPT_SHOW:
			if (parse_show(errf, optarg, &o.render.show) < 0)
				return CS_EXIT_USAGE;
			break;
		case OPT_INPUT_SHAPE:
			if (o.nsweep == 16)
				return usage_error(errf, "%s", "--input-shape: at most 16 of them");
			if (!parse_shape(optarg, o.sweep[o.nsweep], &o.sweep_rank[o.nsweep]))
				return usage_error(errf, "--input-shape: expected sizes such as 224,224,3, got '%s'",
						   optarg);
			o.nsweep++;
			break;
		case OPT_MAX_BYTES:
			if (!parse_quantity(optarg, true, &o.max_bytes))
				return usage_error(errf, "--max-bytes: expected a size such as 20MB, 512KB or 1GB, "
						   "got '%s'", optarg);
			break;
		case 'h':
			fputs(usage_text, out);
			return flushed(out, errf, CS_EXIT_OK);
		case 'V':
			fprintf(out, "convsummary %s\n", CS_VERSION);
			return flushed(out, errf, CS_EXIT_OK);
		default:
			fprintf(errf, "Try 'convsummary --help' for more information.\n");
			return CS_EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return usage_error(errf, "%s", "no model file given");
	int status = check_options(&o);
	if (status != CS_EXIT_OK)
		return status;
	if (o.check && !(o.check_shown = cs_escaped(o.check))) {
		fputs("convsummary: out of memory\n", errf);
		return CS_EXIT_USAGE;
	}

	struct model_file *files;
	int nfiles;
	status = collect(errf, argv + optind, argc - optind, &files, &nfiles);
	if (o.check && nfiles != 1) {
		free_files(files, nfiles);
		free(o.check_shown);
		return status != CS_EXIT_OK ? status
		       : usage_error(errf, "%s", "--check compares one model with one file: give one model");
	}
	int same = check_not_a_model(&o, files, nfiles);
	if (same != CS_EXIT_OK) {
		free_files(files, nfiles);
		free(o.check_shown);
		return same;
	}
	bool json = !strcmp(o.format, "json"), json_list = json && nfiles > 1, first = true;
	for (int i = 0; i < nfiles; i++) {
		if (o.nsweep) {
			/* a file's rows are written when they are all known */
			struct cs_buf b = { 0 };
			if (json_list)
				cs_buf_str(&b, i ? ",\n" : "[\n");
			status = worse(status, sweep(&o, &files[i], &b));
			if (b.failed) {
				fputs("convsummary: out of memory\n", errf);
				status = worse(status, CS_EXIT_USAGE);
			} else if (b.len) {
				fwrite(b.s, 1, b.len, out);
			}
			first = first && b.failed;
			cs_buf_free(&b);
		} else {
			status = worse(status, summarise(&o, &files[i], nfiles > 1, &first, json_list));
		}
	}
	free_files(files, nfiles);
	free(o.check_shown);
	if (json_list)
		fputs(first ? "[]\n" : "]\n", out);
	if (fflush(out) != 0 || ferror(out)) {
		fprintf(errf, "convsummary: cannot write: %s\n", strerror(errno ? errno : EIO));
		return CS_EXIT_USAGE;
	}
	return status;
}

#ifndef CS_CLI_NO_MAIN
int main(int argc, char **argv)
{
	return cs_cli(argc, argv, stdout, stderr);
}
#endif
