/*
 * libFuzzer target for the command line's own paths (src/main.c, udiff.c):
 * the input is two option bytes, then up to three parts separated by NUL
 * bytes: model A, model B (or the bytes of EXPECTED) and model C.  The
 * option bytes pick a mode (one summary, several files, a directory,
 * --check and --update, a resolution sweep, budgets, a diff) and the
 * options (format, style, line length, columns, convention, explain,
 * audit).  cs_cli() runs as the command would, its output to memory, and
 * these must hold:
 *
 *   - the exit status is 0, 1, 2 or 3;
 *   - nothing on standard error is a raw control character (but '\n'),
 *     DEL, a C1 control or a byte that is not UTF-8: echoed text is escaped;
 *   - an invalid model (exit 1) or a refused option (exit 2) leaves
 *     standard output empty when one model was given;
 *   - the output stays in proportion to the input;
 *   - after --update succeeds, --check agrees with EXPECTED, and no
 *     temporary file is left beside it.
 *
 * Build (README, "Fuzzing"):
 *   CC=clang meson setup build-fuzz -Dfuzz=true -Ddefault_library=static \
 *       -Db_sanitize=address,undefined -Db_lundef=false
 *   ninja -C build-fuzz fuzz/fuzz_cli
 *   build-fuzz/fuzz/fuzz_cli -dict=fuzz/yaml.dict CORPUS models tests/cli
 */
#include <dirent.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "diag.h"

static char dir[] = "/tmp/fuzz_cliXXXXXX";
static char path_a[64], path_b[64], path_c[64], path_exp[64], path_sub[64], path_sub_a[80],
	path_sub_b[80];

static void put(const char *path, const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
		abort();
}

static void setup(void)
{
	if (path_a[0])
		return;
	if (!mkdtemp(dir))
		abort();
	snprintf(path_a, sizeof(path_a), "%s/a.yaml", dir);
	snprintf(path_b, sizeof(path_b), "%s/b.yaml", dir);
	snprintf(path_c, sizeof(path_c), "%s/c\x1b[1m\n.yaml", dir);	/* a hostile name */
	snprintf(path_exp, sizeof(path_exp), "%s/expected.txt", dir);
	snprintf(path_sub, sizeof(path_sub), "%s/models", dir);
	if (mkdir(path_sub, 0700) != 0)
		abort();
	snprintf(path_sub_a, sizeof(path_sub_a), "%s/a.yaml", path_sub);
	snprintf(path_sub_b, sizeof(path_sub_b), "%s/b.yml", path_sub);
}

/* The temporary files of --update are gone. */
static void no_leftovers(void)
{
	DIR *d = opendir(dir);
	if (!d)
		abort();
	struct dirent *e;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, ".convsummary-", 13))
			abort();
	closedir(d);
}

/* Every line of text, escaped, is itself: nothing raw to a terminal. */
static void clean(const char *text, size_t len)
{
	if (memchr(text, '\0', len))
		abort();
	char *copy = strndup(text, len);
	if (!copy)
		abort();
	for (char *line = copy, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *e = cs_escaped(line);
		if (!e || strcmp(e, line))
			abort();
		free(e);
	}
	free(copy);
}

struct run {
	char *out, *err;
	size_t out_len, err_len;
	int status;
};

static void run(int argc, char **argv, struct run *r)
{
	FILE *out = open_memstream(&r->out, &r->out_len);
	FILE *err = open_memstream(&r->err, &r->err_len);
	if (!out || !err)
		abort();
	r->status = cs_cli(argc, argv, out, err);
	if (fclose(out) != 0 || fclose(err) != 0)
		abort();
	if (r->status < 0 || r->status > 3)
		abort();
	clean(r->err, r->err_len);
}

static void done(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* The next part of the input, up to a NUL. */
static const uint8_t *part(const uint8_t **data, size_t *size, size_t *len)
{
	const uint8_t *p = *data, *nul = *size ? memchr(p, 0, *size) : NULL;
	*len = nul ? (size_t)(nul - p) : *size;
	*data += *len + (nul != NULL);
	*size -= *len + (nul != NULL);
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	setup();
	opterr = 0;	/* getopt's own messages go to the real stderr */
	uint8_t mode = data[0], bits = data[1];
	data += 2;
	size -= 2;
	size_t total = size, la, lb, lc;
	const uint8_t *a = part(&data, &size, &la), *b = part(&data, &size, &lb), *c = part(&data, &size, &lc);
	put(path_a, a, la);
	put(path_b, b, lb);
	put(path_c, c, lc);

	char *argv[48];
	int argc = 0;
	argv[argc++] = "convsummary";
	static const char *const formats[] = { "text", "json", "markdown", "csv" };
	static const char *const column_sets[] = {
		"layer,output_shape,params", "name,type,kernel,macs,flops,rf,stride,jump",
		("layer,name,type,output_shape,params,trainable_params,non_trainable_params,params_percent,"
		 "trainable,kernel,macs,flops,other_ops,activation_bytes,rf,stride,padding"),
		"layer,nosuch",
	};
	char length[16], shape[3][48], budget[24];
	bool one_model = true, check = false, update = false;
	switch (mode & 7) {
	case 0: case 1:	/* one summary, in any format and style */
		break;
	case 2:	/* several files */
		one_model = false;
		break;
	case 3:	/* --check against bytes, maybe --update */
		check = true;
		update = bits & 0x80;
		put(path_exp, b, lb);
		break;
	case 4:	/* a resolution sweep */
		one_model = false;
		break;
	case 5:	/* budgets */
		break;
	case 6:	/* a directory */
		one_model = false;
		break;
	case 7:	/* diff */
		argv[argc++] = "diff";
		argv[argc++] = "--format";
		argv[argc++] = (char *)formats[bits % 3];
		argv[argc++] = path_a;
		argv[argc++] = bits & 4 ? path_c : path_b;
		break;
	}
	if ((mode & 7) != 7) {
		argv[argc++] = "--format";
		argv[argc++] = (char *)formats[bits & 3];
		if (bits & 4)
			argv[argc++] = "--style=keras2";
		if (bits & 8) {
			snprintf(length, sizeof(length), "-l%u", mode >> 3 ? (unsigned)(mode >> 3) * 8 : 1u);
			argv[argc++] = length;
		}
		if (bits & 0x10) {
			argv[argc++] = "--columns";
			argv[argc++] = (char *)column_sets[(mode >> 3) & 3];
		}
		if (bits & 0x20)
			argv[argc++] = "--convention=torchinfo";
		if (bits & 0x40)
			argv[argc++] = (mode & 0x20) ? "--explain" : "--strict";
		if (mode & 0x40)
			argv[argc++] = "--batch-size=3";
	}
	switch (mode & 7) {
	case 2:
		argv[argc++] = path_a;
		argv[argc++] = path_c;
		argv[argc++] = path_b;
		break;
	case 3:
		argv[argc++] = "--check";
		argv[argc++] = path_exp;
		if (update)
			argv[argc++] = "--update";
		argv[argc++] = path_a;
		break;
	case 4: {
		/* sizes from the bytes of model C's part, one an extreme */
		int n = 1 + (bits >> 6);
		for (int k = 0; k < n && k < 3; k++) {
			unsigned x = lc > (size_t)k ? c[k] : 7;
			snprintf(shape[k], sizeof(shape[k]), "%u,%s,%u", x + 1,
				 k == 1 ? "2147483647" : "16", (x >> 4) + 1);
			argv[argc++] = "--input-shape";
			argv[argc++] = shape[k];
		}
		argv[argc++] = path_a;
		argv[argc++] = bits & 0x80 ? path_c : path_b;
		break;
	}
	case 5:
		snprintf(budget, sizeof(budget), "%uk", (unsigned)mode);
		argv[argc++] = "--max-params";
		argv[argc++] = budget;
		argv[argc++] = "--max-bytes=1KB";
		argv[argc++] = "--max-trainable-params=100";
		argv[argc++] = path_a;
		break;
	case 6:
		put(path_sub_a, a, la);
		put(path_sub_b, b, lb);
		argv[argc++] = path_sub;
		break;
	case 0: case 1:
		argv[argc++] = bits & 0x80 ? path_c : path_a;
		break;
	}
	argv[argc] = NULL;

	struct run r = { 0 };
	run(argc, argv, &r);
	if ((mode & 7) != 7 && one_model && !check && (r.status == 1 || r.status == 2) && r.out_len)
		abort();	/* no partial summary, nothing before a refusal */
	/* in proportion: generous, but far from the gigabytes of a flood */
	if (r.out_len > 4096 * (total + 256) * ((mode & 7) == 4 ? 1 : 4))
		abort();
	if (check) {
		no_leftovers();
		if (update && r.status == 0) {
			/* what --update wrote, --check now agrees with */
			char *again[] = { "convsummary", "--format", (char *)formats[bits & 3], "--check", path_exp,
					  path_a, NULL };
			struct run r2 = { 0 };
			run(6, again, &r2);
			/* the options that changed the summary are not repeated: only when none did */
			if (!(bits & 0x7c) && !(mode & 0x40) && r2.status != 0)
				abort();
			done(&r2);
		}
	}
	done(&r);
	return 0;
}
