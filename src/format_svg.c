/*
 * The DOT picture laid out and drawn as SVG in-process by Graphviz's
 * libraries (libgvc, libcgraph), when the build found them (meson option
 * `graphviz`).  Without them, "svg" is refused with the way to the same
 * picture: `--format dot | dot -Tsvg`.
 *
 * Graphviz keeps global state (its error hooks, its plugin tables), so one
 * layout runs at a time: the library stays safe for threads rendering
 * models side by side.
 *
 * The build compiles against Graphviz's headers but opens libgvc at the
 * first picture (dynlib.h): linked, it and the seven libraries it brings
 * cost every run about 3 ms of start-up, the time of reading a 6,000-layer
 * model.
 */
#include "format.h"

#include <stdio.h>
#include <string.h>

#include "picture.h"

#ifdef CS_HAVE_GRAPHVIZ
#include <graphviz/gvc.h>
#include <pthread.h>

#include "dynlib.h"

#ifndef CS_LIBGVC_SONAME
#define CS_LIBGVC_SONAME "libgvc.so"
#endif

#define GVC_FUNCTIONS(X) X(agclose) X(agmemread) X(agseterr) X(agseterrf) X(gvContext) X(gvFreeContext) X(gvFreeLayout) X(gvFreeRenderData) X(gvLayout) X(gvRenderData)

CS_DYNLIB(GVC_FUNCTIONS, CS_LIBGVC_SONAME)

static pthread_mutex_t graphviz_lock = PTHREAD_MUTEX_INITIALIZER;
static char graphviz_message[256];	/* Graphviz's last error, under the lock */

static int keep_message(char *msg)
{
	size_t len = strlen(graphviz_message);
	snprintf(graphviz_message + len, sizeof(graphviz_message) - len, "%s", msg);
	return 0;
}

int cs_render_svg(const cs_model *m, const struct cs_render_options *opt,
		  const struct cs_columns *cols, struct cs_buf *out, char *why, size_t size)
{
	struct cs_buf dot = { 0 };
	why[0] = '\0';
	pthread_once(&dyn_once, dyn_open);
	if (dyn_missing[0]) {
		snprintf(why, size, "Graphviz's library %s cannot be opened: %s; %s", CS_LIBGVC_SONAME,
			 dyn_missing, "`--format dot | dot -Tsvg` draws the same picture");
		return -1;
	}
	cs_render_dot(m, opt, cols, &dot);
	if (dot.failed) {
		cs_buf_free(&dot);
		out->failed = true;
		return 0;
	}
	int rc = -1;
	pthread_mutex_lock(&graphviz_lock);
	graphviz_message[0] = '\0';
	agusererrf old_hook = dyn.agseterrf(keep_message);
	agerrlevel_t old_level = dyn.agseterr(AGERR);	/* errors only, not warnings */
	GVC_t *gvc = dyn.gvContext();
	Agraph_t *g = gvc ? dyn.agmemread(dot.s) : NULL;
	char *svg = NULL;
	CS_GV_LENGTH_T len = 0;
	if (!gvc) {
		snprintf(why, size, "Graphviz could not start");
	} else if (!g) {
		snprintf(why, size, "Graphviz refused the picture: %s", graphviz_message);
	} else if (dyn.gvLayout(gvc, g, "dot") != 0) {
		snprintf(why, size, "Graphviz could not lay the picture out: %s", graphviz_message);
	} else {
		if (dyn.gvRenderData(gvc, g, "svg", &svg, &len) != 0 || !svg)
			snprintf(why, size, "Graphviz could not draw the SVG: %s", graphviz_message);
		else {
			cs_buf_add(out, svg, (size_t)len);
			rc = 0;
		}
		dyn.gvFreeRenderData(svg);
		dyn.gvFreeLayout(gvc, g);
	}
	if (g)
		dyn.agclose(g);
	if (gvc)
		dyn.gvFreeContext(gvc);
	dyn.agseterr(old_level);
	dyn.agseterrf(old_hook);
	pthread_mutex_unlock(&graphviz_lock);
	cs_buf_free(&dot);
	/* Graphviz's messages end in a newline */
	size_t n = strlen(why);
	while (n && (why[n - 1] == '\n' || why[n - 1] == ' ' || why[n - 1] == ':'))
		why[--n] = '\0';
	return rc;
}
#else
int cs_render_svg(const cs_model *m, const struct cs_render_options *opt,
		  const struct cs_columns *cols, struct cs_buf *out, char *why, size_t size)
{
	(void)m;
	(void)opt;
	(void)cols;
	(void)out;
	snprintf(why, size, "%s", CS_NO_GRAPHVIZ);
	return -1;
}
#endif

bool cs_pictures_laid_out(void)
{
#ifdef CS_HAVE_GRAPHVIZ
	return true;
#else
	return false;
#endif
}

static int picture(const cs_model *m, const struct cs_render_options *opt,
		   const struct cs_columns *cols, struct cs_buf *out, char *why, size_t size)
{
	return cs_render_svg(m, opt, cols, out, why, size);
}

const struct cs_formatter cs_format_svg = { "svg", 0, 0, NULL, picture, NULL };
