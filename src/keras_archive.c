/*
 * .keras archives, through libzip: stored or deflated entries, CRCs
 * checked by libzip as an entry is read to its end.  Only config.json and
 * metadata.json are opened.
 *
 * libzip is opened (dlopen) when the first archive is read, not linked:
 * it brings libcrypto, whose relocations at start-up doubled the CPU time
 * of every run, YAML or not (6 ms to 12 ms for a small model).
 */
#include "keras_archive.h"
#include "dynlib.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define METADATA_MAX ((size_t)1 << 20)

#ifndef CS_LIBZIP_SONAME
#define CS_LIBZIP_SONAME "libzip.so"
#endif

#define ZIP_FUNCTIONS(X) X(zip_discard) X(zip_error_code_zip) X(zip_error_fini) X(zip_error_init) X(zip_error_strerror) X(zip_fclose) X(zip_file_strerror) X(zip_fopen_index) X(zip_fread) X(zip_name_locate) X(zip_open_from_source) X(zip_source_buffer_create) X(zip_source_free) X(zip_stat_index) X(zip_stat_init) X(zip_strerror)

CS_DYNLIB(ZIP_FUNCTIONS, CS_LIBZIP_SONAME)

int cs_keras_is_archive(const char *data, size_t len)
{
	/* a local file header; or an empty archive's end record */
	return len >= 4 && (!memcmp(data, "PK\3\4", 4) || !memcmp(data, "PK\5\6", 4));
}

/* Entry `name` of the archive, at most max bytes: 1 read, 0 missing, -1
 * error (set). */
static int read_entry(zip_t *za, const char *name, size_t max, char **text, size_t *len,
		      struct cs_error *err)
{
	struct cs_mark none = { 0, 0 };
	zip_int64_t idx = dyn.zip_name_locate(za, name, 0);
	if (idx < 0)
		return 0;
	zip_stat_t st;
	dyn.zip_stat_init(&st);
	if (dyn.zip_stat_index(za, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
	    st.size > max)
		return cs_fail(err, none, "%s is %llu bytes, more than the %zu MiB read from an archive; "
			       "refused", name, (unsigned long long)st.size, max >> 20);
	zip_file_t *f = dyn.zip_fopen_index(za, (zip_uint64_t)idx, 0);
	if (!f)
		return cs_fail(err, none, "cannot open %s in the archive: %s", name, dyn.zip_strerror(za));
	size_t cap = 64 * 1024, n = 0;
	char *buf = malloc(cap + 1);
	int rc = 1;
	while (buf) {
		if (n == cap) {
			if (cap > max) {
				rc = cs_fail(err, none, "%s expands to more than %zu MiB (the most read "
					     "from an archive); refused", name, max >> 20);
				break;
			}
			cap *= 2;
			char *more = realloc(buf, cap + 1);
			if (!more) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = more;
		}
		zip_int64_t got = dyn.zip_fread(f, buf + n, cap - n);
		if (got < 0) {
			rc = cs_fail(err, none, "cannot read %s in the archive: %s", name, dyn.zip_file_strerror(f));
			break;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	dyn.zip_fclose(f);
	if (!buf)
		return cs_fail_oom(err, none);
	if (rc == 1 && n > max)
		rc = cs_fail(err, none, "%s expands to more than %zu MiB (the most read from an archive); "
			     "refused", name, max >> 20);
	if (rc < 0) {
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 1;
}

/* metadata.json's keras_version, printable ASCII only, into version. */
static void keras_version(const char *meta, size_t len, char *version, size_t size)
{
	json_t *root = json_loadb(meta, len, 0, NULL);
	const char *v = json_string_value(json_object_get(root, "keras_version"));
	size_t k = 0;
	for (; v && v[k] && k + 1 < size; k++)
		version[k] = v[k] > 0x20 && v[k] < 0x7f ? v[k] : '?';
	version[k] = '\0';
	json_decref(root);
}

int cs_keras_archive_read(const char *data, size_t len, char **config, size_t *config_len,
			  char *version, size_t version_size, struct cs_error *err)
{
	struct cs_mark none = { 0, 0 };
	pthread_once(&dyn_once, dyn_open);
	if (dyn_missing[0])
		return cs_fail_status(err, CS_ERR_IO, none, "cannot read .keras archives: libzip (%s) "
				      "cannot be opened: %s", CS_LIBZIP_SONAME, dyn_missing);
	zip_error_t ze;
	dyn.zip_error_init(&ze);
	*config = NULL;
	if (version_size)
		version[0] = '\0';
	zip_source_t *src = dyn.zip_source_buffer_create(data, len, 0, &ze);
	if (!src) {
		dyn.zip_error_fini(&ze);
		return cs_fail_oom(err, none);
	}
	zip_t *za = dyn.zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (!za) {
		int memory = dyn.zip_error_code_zip(&ze) == ZIP_ER_MEMORY;
		if (memory)
			cs_fail_oom(err, none);
		else
			cs_fail(err, none, "not a valid zip archive (a .keras file is one): %s",
				dyn.zip_error_strerror(&ze));
		dyn.zip_source_free(src);
		dyn.zip_error_fini(&ze);
		return -1;
	}
	dyn.zip_error_fini(&ze);
	int rc = read_entry(za, "config.json", CS_KERAS_CONFIG_MAX, config, config_len, err);
	if (rc == 0)
		rc = cs_fail(err, none, "no config.json in the archive: expected a .keras file "
			     "(metadata.json, config.json, model.weights.h5)");
	if (rc > 0) {
		char *meta;
		size_t mlen;
		int m = read_entry(za, "metadata.json", METADATA_MAX, &meta, &mlen, err);
		if (m > 0) {
			keras_version(meta, mlen, version, version_size);
			free(meta);
		}
		rc = m < 0 ? -1 : 0;
	}
	dyn.zip_discard(za);
	if (rc < 0) {
		free(*config);
		*config = NULL;
		return -1;
	}
	return 0;
}
