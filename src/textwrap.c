#include "textwrap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- code points and cells ------------------------------------------------ */

size_t cs_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	size_t n = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC0 ? 2 : 0;
	if (n == 0 || n > len || p[0] > 0xF4)
		goto bad;
	uint32_t v = p[0] & (0x7F >> n);
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			goto bad;
		v = (v << 6) | (p[i] & 0x3F);
	}
	*cp = v;
	return n;
bad:
	*cp = 0xFFFD;
	return 1;
}

struct range {
	uint32_t lo, hi;
};

/* East Asian Wide and Fullwidth, and emoji shown wide. */
static const struct range wide[] = {
	{ 0x1100, 0x115F }, { 0x231A, 0x231B }, { 0x2329, 0x232A }, { 0x23E9, 0x23EC },
	{ 0x23F0, 0x23F0 }, { 0x23F3, 0x23F3 }, { 0x25FD, 0x25FE }, { 0x2614, 0x2615 },
	{ 0x2648, 0x2653 }, { 0x267F, 0x267F }, { 0x2693, 0x2693 }, { 0x26A1, 0x26A1 },
	{ 0x26AA, 0x26AB }, { 0x26BD, 0x26BE }, { 0x26C4, 0x26C5 }, { 0x26CE, 0x26CE },
	{ 0x26D4, 0x26D4 }, { 0x26EA, 0x26EA }, { 0x26F2, 0x26F3 }, { 0x26F5, 0x26F5 },
	{ 0x26FA, 0x26FA }, { 0x26FD, 0x26FD }, { 0x2705, 0x2705 }, { 0x270A, 0x270B },
	{ 0x2728, 0x2728 }, { 0x274C, 0x274C }, { 0x274E, 0x274E }, { 0x2753, 0x2755 },
	{ 0x2757, 0x2757 }, { 0x2795, 0x2797 }, { 0x27B0, 0x27B0 }, { 0x27BF, 0x27BF },
	{ 0x2B1B, 0x2B1C }, { 0x2B50, 0x2B50 }, { 0x2B55, 0x2B55 }, { 0x2E80, 0x2E99 },
	{ 0x2E9B, 0x2EF3 }, { 0x2F00, 0x2FD5 }, { 0x2FF0, 0x2FFF }, { 0x3000, 0x303E },
	{ 0x3041, 0x3096 }, { 0x3099, 0x30FF }, { 0x3105, 0x312F }, { 0x3131, 0x318E },
	{ 0x3190, 0x31E3 }, { 0x31EF, 0x321E }, { 0x3220, 0x3247 }, { 0x3250, 0x4DBF },
	{ 0x4E00, 0xA48C }, { 0xA490, 0xA4C6 }, { 0xA960, 0xA97C }, { 0xAC00, 0xD7A3 },
	{ 0xF900, 0xFAFF }, { 0xFE10, 0xFE19 }, { 0xFE30, 0xFE52 }, { 0xFE54, 0xFE66 },
	{ 0xFE68, 0xFE6B }, { 0xFF01, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x16FE0, 0x16FE4 },
	{ 0x16FF0, 0x16FF1 }, { 0x17000, 0x187F7 }, { 0x18800, 0x18CD5 }, { 0x18D00, 0x18D08 },
	{ 0x1AFF0, 0x1AFFE }, { 0x1B000, 0x1B122 }, { 0x1B150, 0x1B152 }, { 0x1B164, 0x1B167 },
	{ 0x1B170, 0x1B2FB }, { 0x1F004, 0x1F004 }, { 0x1F0CF, 0x1F0CF }, { 0x1F18E, 0x1F18E },
	{ 0x1F191, 0x1F19A }, { 0x1F200, 0x1F202 }, { 0x1F210, 0x1F23B }, { 0x1F240, 0x1F248 },
	{ 0x1F250, 0x1F251 }, { 0x1F260, 0x1F265 }, { 0x1F300, 0x1F320 }, { 0x1F32D, 0x1F335 },
	{ 0x1F337, 0x1F37C }, { 0x1F37E, 0x1F393 }, { 0x1F3A0, 0x1F3CA }, { 0x1F3CF, 0x1F3D3 },
	{ 0x1F3E0, 0x1F3F0 }, { 0x1F3F4, 0x1F3F4 }, { 0x1F3F8, 0x1F43E }, { 0x1F440, 0x1F440 },
	{ 0x1F442, 0x1F4FC }, { 0x1F4FF, 0x1F53D }, { 0x1F54B, 0x1F54E }, { 0x1F550, 0x1F567 },
	{ 0x1F57A, 0x1F57A }, { 0x1F595, 0x1F596 }, { 0x1F5A4, 0x1F5A4 }, { 0x1F5FB, 0x1F64F },
	{ 0x1F680, 0x1F6C5 }, { 0x1F6CC, 0x1F6CC }, { 0x1F6D0, 0x1F6D2 }, { 0x1F6D5, 0x1F6D7 },
	{ 0x1F6DC, 0x1F6DF }, { 0x1F6EB, 0x1F6EC }, { 0x1F6F4, 0x1F6FC }, { 0x1F7E0, 0x1F7EB },
	{ 0x1F7F0, 0x1F7F0 }, { 0x1F90C, 0x1F93A }, { 0x1F93C, 0x1F945 }, { 0x1F947, 0x1F9FF },
	{ 0x1FA70, 0x1FA7C }, { 0x1FA80, 0x1FA88 }, { 0x1FA90, 0x1FABD }, { 0x1FABF, 0x1FAC5 },
	{ 0x1FACE, 0x1FADB }, { 0x1FAE0, 0x1FAE8 }, { 0x1FAF0, 0x1FAF8 }, { 0x20000, 0x2FFFD },
	{ 0x30000, 0x3FFFD },
};

/* Combining marks and other zero-width characters. */
static const struct range zero[] = {
	{ 0x0000, 0x0000 }, { 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD },
	{ 0x05BF, 0x05BF }, { 0x05C1, 0x05C2 }, { 0x05C4, 0x05C5 }, { 0x05C7, 0x05C7 },
	{ 0x0610, 0x061A }, { 0x064B, 0x065F }, { 0x0670, 0x0670 }, { 0x06D6, 0x06DC },
	{ 0x06DF, 0x06E4 }, { 0x06E7, 0x06E8 }, { 0x06EA, 0x06ED }, { 0x0711, 0x0711 },
	{ 0x0730, 0x074A }, { 0x07A6, 0x07B0 }, { 0x07EB, 0x07F3 }, { 0x0816, 0x0819 },
	{ 0x081B, 0x0823 }, { 0x0825, 0x0827 }, { 0x0829, 0x082D }, { 0x0859, 0x085B },
	{ 0x08D3, 0x08E1 }, { 0x08E3, 0x0902 }, { 0x093A, 0x093A }, { 0x093C, 0x093C },
	{ 0x0941, 0x0948 }, { 0x094D, 0x094D }, { 0x0951, 0x0957 }, { 0x0962, 0x0963 },
	{ 0x0981, 0x0981 }, { 0x09BC, 0x09BC }, { 0x09C1, 0x09C4 }, { 0x09CD, 0x09CD },
	{ 0x0E31, 0x0E31 }, { 0x0E34, 0x0E3A }, { 0x0E47, 0x0E4E }, { 0x0EB1, 0x0EB1 },
	{ 0x0EB4, 0x0EBC }, { 0x0EC8, 0x0ECD }, { 0x1160, 0x11FF }, { 0x1AB0, 0x1AFF },
	{ 0x1DC0, 0x1DFF }, { 0x200B, 0x200F }, { 0x2028, 0x202E }, { 0x2060, 0x2064 },
	{ 0x20D0, 0x20F0 }, { 0x302A, 0x302D }, { 0x3099, 0x309A }, { 0xFE00, 0xFE0F },
	{ 0xFE20, 0xFE2F }, { 0xFEFF, 0xFEFF }, { 0x1D167, 0x1D169 }, { 0x1D173, 0x1D182 },
	{ 0x1F3FB, 0x1F3FF }, { 0xE0001, 0xE0001 }, { 0xE0020, 0xE007F }, { 0xE0100, 0xE01EF },
};

static bool in_ranges(uint32_t cp, const struct range *r, size_t n)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

int cs_cp_width(uint32_t cp)
{
	if (cp < 0x300)
		return cp == 0 ? 0 : 1;
	if (in_ranges(cp, zero, sizeof(zero) / sizeof(zero[0])))
		return 0;
	if (in_ranges(cp, wide, sizeof(wide) / sizeof(wide[0])))
		return 2;
	return 1;
}

size_t cs_text_cells(const char *s, size_t len)
{
	size_t cells = 0;
	for (size_t i = 0; i < len;) {
		if ((unsigned char)s[i] < 0x80 && s[i]) {
			/* printable ASCII (controls never get this far): one cell */
			cells++;
			i++;
			continue;
		}
		uint32_t cp;
		i += cs_utf8_next(s + i, len - i, &cp);
		cells += (size_t)cs_cp_width(cp);
	}
	return cells;
}

size_t cs_text_codepoints(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

/* Python's str.isspace() for the code points that can occur here. */
static inline bool is_space(uint32_t cp)
{
	if (cp > ' ' && cp < 0x7f)
		return false;
	return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F) ||
	       cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
	       cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* Bytes of the trailing whitespace of s[0..len), and its code points. */
static size_t trailing_space(const char *s, size_t len, size_t *cps)
{
	size_t end = len;
	*cps = 0;
	while (end > 0) {
		size_t start = end - 1;
		while (start > 0 && ((unsigned char)s[start] & 0xC0) == 0x80)
			start--;
		uint32_t cp;
		cs_utf8_next(s + start, end - start, &cp);
		if (!is_space(cp))
			break;
		end = start;
		(*cps)++;
	}
	return len - end;
}

/* ---- wrapping -------------------------------------------------------------- */

static void push(struct cs_wrap *w, size_t start, size_t len)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 8;
		struct cs_wline *v = realloc(w->v, cap * sizeof(*v));
		if (!v) {
			w->failed = true;	/* the line is dropped */
			return;
		}
		w->v = v;
		w->cap = cap;
	}
	struct cs_wline *l = &w->v[w->n++];
	memset(l, 0, sizeof(*l));
	l->start = start;
	l->len = len;
}

void cs_wrap_free(struct cs_wrap *w)
{
	free(w->v);
	w->v = NULL;
	w->n = w->cap = 0;
}

/* Bytes of the longest prefix of s no wider than cells, and its width. */
static size_t prefix_cells(const char *s, size_t len, size_t cells, size_t *got)
{
	size_t i = 0, acc = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = cs_utf8_next(s + i, len - i, &cp);
		size_t cw = (size_t)cs_cp_width(cp);
		if (acc + cw > cells)
			break;
		acc += cw;
		i += n;
	}
	*got = acc;
	return i;
}

/* Printable ASCII: a byte is a character is a cell, and ' ' the only
 * space, so the cell wrapping of table cells needs no decoding. */
static bool printable_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

/* cs_wrap_text() for printable ASCII table cells: the same rules. */
static void wrap_ascii(struct cs_wrap *w, const char *text, size_t len, size_t width)
{
	size_t line = 0, offset = 0, i = 0;
	while (i < len) {
		size_t start = i;
		while (i < len && text[i] == ' ')	/* leading spaces: only at the start */
			i++;
		while (i < len && text[i] != ' ')
			i++;
		size_t need = i - start;
		while (i < len && text[i] == ' ')
			i++;
		size_t full = i - start;
		if (width >= offset && width - offset >= need) {
			offset += full;
		} else if (need > width) {
			/* longer than a line: a line of its own, cut later */
			if (start) {
				push(w, line, start - line);
				line = start;
			}
			offset = full;
		} else if (offset && start) {
			push(w, line, start - line);
			line = start;
			offset = full;
		}
	}
	push(w, line, len - line);
	for (size_t k = 0; k < w->n; k++) {
		struct cs_wline *l = &w->v[k];
		const char *s = text + l->start;
		if (l->len > width) {
			/* rstrip_end: as many trailing spaces as the excess */
			size_t excess = l->len - width;
			while (excess && l->len && s[l->len - 1] == ' ') {
				l->len--;
				excess--;
			}
		}
		if (l->len > width) {
			l->len = width ? width - 1 : 0;
			l->ellipsis = true;
			l->cells = l->len + 1;
		} else {
			l->cells = l->len;
		}
	}
}

void cs_wrap_text(struct cs_wrap *w, const char *text, size_t len, size_t width,
		  enum cs_wrap_mode mode)
{
	if (mode == CS_WRAP_ELLIPSIS && printable_ascii(text, len)) {
		w->n = 0;
		wrap_ascii(w, text, len, width);
		return;
	}
	cs_wrap_text_any(w, text, len, width, mode);
}

void cs_wrap_text_any(struct cs_wrap *w, const char *text, size_t len, size_t width,
		      enum cs_wrap_mode mode)
{
	w->n = 0;
	/* break offsets, as rich's divide_line() computes them */
	size_t *breaks = NULL, nbreaks = 0, cap = 0;
	size_t offset = 0;	/* cells used on the current line */
	size_t i = 0;
	while (i < len) {
		size_t start = i;
		uint32_t cp;
		/* a word: leading spaces (only ever at the start), non-spaces, spaces */
		while (i < len) {
			size_t n = cs_utf8_next(text + i, len - i, &cp);
			if (!is_space(cp))
				break;
			i += n;
		}
		while (i < len) {
			size_t n = cs_utf8_next(text + i, len - i, &cp);
			if (is_space(cp))
				break;
			i += n;
		}
		size_t body_end = i;
		while (i < len) {
			size_t n = cs_utf8_next(text + i, len - i, &cp);
			if (!is_space(cp))
				break;
			i += n;
		}
		size_t need = cs_text_cells(text + start, body_end - start);
		size_t full = cs_text_cells(text + start, i - start);
		size_t extra = 0;
		size_t at[64];
		size_t nat = 0;
		if (width >= offset && width - offset >= need) {
			offset += full;
		} else if (need > width) {
			if (mode == CS_WRAP_FOLD) {
				size_t s = start;
				while (s < i && nat < 64) {
					size_t got;
					size_t n = prefix_cells(text + s, i - s, width, &got);
					if (n == 0)	/* a character wider than the line */
						n = cs_utf8_next(text + s, i - s, &cp), got = width;
					if (s)
						at[nat++] = s;
					if (s + n >= i)
						offset = got;
					s += n;
				}
			} else {
				if (start)
					at[nat++] = start;
				offset = full;
			}
		} else if (offset && start) {
			at[nat++] = start;
			offset = full;
		}
		(void)extra;
		for (size_t k = 0; k < nat; k++) {
			if (nbreaks == cap) {
				cap = cap ? cap * 2 : 16;
				size_t *nb = realloc(breaks, cap * sizeof(*nb));
				if (!nb) {
					w->failed = true;
					break;
				}
				breaks = nb;
			}
			breaks[nbreaks++] = at[k];
		}
	}
	size_t prev = 0;
	for (size_t k = 0; k <= nbreaks; k++) {
		size_t end = k < nbreaks ? breaks[k] : len;
		push(w, prev, end - prev);
		prev = end;
	}
	free(breaks);

	for (size_t k = 0; k < w->n; k++) {
		struct cs_wline *l = &w->v[k];
		const char *s = text + l->start;
		/* rich's rstrip_end: counts code points, not cells */
		size_t cps = cs_text_codepoints(s, l->len);
		if (cps > width) {
			size_t ws_cps, ws_bytes = trailing_space(s, l->len, &ws_cps);
			size_t drop = cps - width < ws_cps ? cps - width : ws_cps;
			/* drop `drop` trailing code points (all whitespace) */
			size_t end = l->len - ws_bytes;
			size_t keep = ws_cps - drop;
			for (size_t j = 0; j < keep; j++) {
				uint32_t cp;
				end += cs_utf8_next(s + end, l->len - end, &cp);
			}
			l->len = end;
		}
		l->cells = cs_text_cells(s, l->len);
		if (l->cells > width) {
			/* truncate: width - 1 cells, then "…" */
			size_t got;
			size_t cut = width ? width - 1 : 0;
			l->len = prefix_cells(s, l->len, cut, &got);
			l->space_after = got < cut;
			l->ellipsis = mode == CS_WRAP_ELLIPSIS;
			if (mode == CS_WRAP_FOLD) {
				l->len = prefix_cells(s, l->len, width, &got);
				l->space_after = false;
			}
			l->cells = got + l->space_after + l->ellipsis;
		}
	}
}

void cs_wrap_rstrip(struct cs_wrap *w, const char *text, size_t width)
{
	(void)width;
	for (size_t k = 0; k < w->n; k++) {
		struct cs_wline *l = &w->v[k];
		if (l->ellipsis || l->space_after)
			continue;
		size_t cps;
		l->len -= trailing_space(text + l->start, l->len, &cps);
		l->cells = cs_text_cells(text + l->start, l->len);
	}
}

void cs_buf_wline(struct cs_buf *b, const char *text, const struct cs_wline *l)
{
	if (l->len)
		cs_buf_add(b, text + l->start, l->len);
	if (l->space_after)
		cs_buf_char(b, ' ', 1);
	if (l->ellipsis)
		cs_buf_str(b, "\xE2\x80\xA6");
}
