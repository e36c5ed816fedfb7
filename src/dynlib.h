/* A library opened when it is first needed rather than linked: its
 * functions are looked up by name into a table of pointers.  libzip (for
 * .keras archives) and Graphviz (for SVG) are opened this way, so that
 * a run that reads YAML and prints text does not pay for loading and
 * relocating them and everything they link (libcrypto, libltdl, expat...)
 * at every start. */
#ifndef CS_DYNLIB_H
#define CS_DYNLIB_H

#include <stddef.h>

struct cs_dynsym {
	const char *name;
	void **addr;		/* where the function's address goes */
};

/* `#define X(f) CS_DYNSYM(table, f)` over a list of functions gives the
 * cs_dynsym entries of a struct whose fields are named after them. */
#define CS_DYNSYM(table, f) { #f, (void **)&(table).f },

/* Open soname and fill each sym's address: 0, or -1 with why it failed
 * in why (dlerror's text, or the missing function).  The library stays
 * open until the process ends. */
int cs_dynlib_open(const char *soname, const struct cs_dynsym *sym, size_t n, char *why,
		   size_t size);

#endif
