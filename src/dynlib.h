/* A library opened when it is first needed rather than linked: its
 * functions are looked up by name into a table of pointers.  libzip (for
 * .keras archives) and Graphviz (for SVG) are opened this way, so that
 * a run that reads YAML and prints text does not pay for loading and
 * relocating them and everything they link (libcrypto, libltdl, expat...)
 * at every start. */
#ifndef CS_DYNLIB_H
#define CS_DYNLIB_H

#include <pthread.h>
#include <stddef.h>

struct cs_dynsym {
	const char *name;
	void **addr;		/* where the function's address goes */
};

/* A file's library: LIST is an X-macro list of its functions.  Declares
 * `dyn`, a struct with a pointer named after each (called as
 * dyn.zip_open(...)), and dyn_open(), which fills it from soname, run once
 * with pthread_once(&dyn_once, dyn_open); dyn_missing then says why the
 * library could not be opened, or is "". */
#define CS_DYNLIB_FIELD_(f) __typeof__(f) *f;
#define CS_DYNLIB_SYM_(f) { #f, (void **)&dyn.f },
#define CS_DYNLIB(LIST, soname)                                                          \
	static struct {                                                                  \
		LIST(CS_DYNLIB_FIELD_)                                                   \
	} dyn;                                                                           \
	static pthread_once_t dyn_once = PTHREAD_ONCE_INIT;                              \
	static char dyn_missing[256];                                                    \
	static void dyn_open(void)                                                       \
	{                                                                                \
		static const struct cs_dynsym syms[] = { LIST(CS_DYNLIB_SYM_) };         \
		cs_dynlib_open(soname, syms, sizeof(syms) / sizeof(syms[0]), dyn_missing, \
			       sizeof(dyn_missing));                                     \
	}

/* Open soname and fill each sym's address: 0, or -1 with why it failed
 * in why (dlerror's text, or the missing function).  The library stays
 * open until the process ends. */
int cs_dynlib_open(const char *soname, const struct cs_dynsym *sym, size_t n, char *why,
		   size_t size);

#endif
