/* Libraries opened at their first use (dynlib.h). */
#include "dynlib.h"

#include <dlfcn.h>
#include <stdio.h>

int cs_dynlib_open(const char *soname, const struct cs_dynsym *sym, size_t n, char *why,
		   size_t size)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(why, size, "%s", e ? e : "not found");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		*sym[i].addr = dlsym(h, sym[i].name);
		if (!*sym[i].addr) {
			snprintf(why, size, "%s has no %s", soname, sym[i].name);
			dlclose(h);
			return -1;
		}
	}
	return 0;
}
