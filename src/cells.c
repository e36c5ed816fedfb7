/*
 * The one home of the texts a summary's cells and values are made of:
 * counts with thousands separators, sizes in Keras's units, shapes as
 * Keras and Python print them, and the escaping of JSON strings and of
 * Markdown.  Every format, the diff, the command line and the rules'
 * messages use these, so a shape or a name is written one way everywhere.
 */
#include "cells.h"

#include <stdio.h>
#include <string.h>

/* ---- numbers ------------------------------------------------------------------ */

const char *cs_format_count(int64_t n, bool commas, char *buf, size_t size)
{
	char digits[32];
	int len;
	if (n >= 0 && size >= 28) {
		/* without printf: digits from the right, a comma every three */
		char *p = digits + sizeof(digits) - 1;
		*p = '\0';
		int64_t v = n;
		int k = 0;
		do {
			if (commas && k && k % 3 == 0)
				*--p = ',';
			*--p = (char)('0' + v % 10);
			v /= 10;
			k++;
		} while (v);
		memcpy(buf, p, (size_t)(digits + sizeof(digits) - p));
		return buf;
	}
	len = snprintf(digits, sizeof(digits), "%lld", (long long)n);
	if (!commas || len <= 3) {
		snprintf(buf, size, "%s", digits);
		return buf;
	}
	size_t at = 0;
	int start = digits[0] == '-' ? 1 : 0;
	if (start && at + 1 < size)
		buf[at++] = '-';
	for (int i = start; i < len && at + 1 < size; i++) {
		if (i > start && (len - i) % 3 == 0)
			buf[at++] = ',';
		if (at + 1 < size)
			buf[at++] = digits[i];
	}
	buf[at] = '\0';
	return buf;
}

const char *cs_format_bytes(int64_t bytes, const char *byte_unit, char *buf, size_t size)
{
	const char *units[] = { byte_unit, "KB", "MB", "GB", "TB", "PB" };
	double v = (double)bytes;
	/* Keras divides first and names the unit after: at 1024 PB and beyond
	 * the value has been divided once more than the unit says */
	for (size_t i = 0; i < 6; i++) {
		if (v / 1024 < 1) {
			snprintf(buf, size, "%.2f %s", v, units[i]);
			return buf;
		}
		v /= 1024;
	}
	snprintf(buf, size, "%.2f %s", v, units[5]);
	return buf;
}

/* ---- shapes ------------------------------------------------------------------- */

const char *cs_shape_text(size_t rank, const int64_t *dims, bool python_tuple, char *buf, size_t size)
{
	size_t at = (size_t)snprintf(buf, size, "(");
	for (size_t i = 0; i < rank && at < size; i++) {
		if (dims[i] < 0)
			at += (size_t)snprintf(buf + at, size - at, "%sNone", i ? ", " : "");
		else
			at += (size_t)snprintf(buf + at, size - at, "%s%lld", i ? ", " : "", (long long)dims[i]);
	}
	if (at < size)
		snprintf(buf + at, size - at, python_tuple && rank == 1 ? ",)" : ")");
	return buf;
}

void cs_buf_shape(struct cs_buf *b, size_t rank, const int64_t *dims, bool python_tuple)
{
	char *p = cs_buf_reserve(b, 24 * rank + 4);
	if (!p)
		return;
	*p++ = '(';
	for (size_t i = 0; i < rank; i++) {
		if (i)
			p = CS_PUT_LIT(p, ", ");
		p = dims[i] < 0 ? CS_PUT_LIT(p, "None") : cs_put_int(p, dims[i]);
	}
	if (python_tuple && rank == 1)
		*p++ = ',';
	*p++ = ')';
	cs_buf_commit(b, p);
}

/* ---- JSON --------------------------------------------------------------------- */

/* The n bytes at s, quoted and escaped. */
size_t cs_utf8_valid(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
		     : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
	if (!len || len > n)
		return 0;
	uint32_t c = len == 1 ? s[0] : s[0] & (0x7Fu >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	static const uint32_t least[] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (c < least[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;	/* overlong, out of range, or a surrogate */
	*cp = c;
	return len;
}

char *cs_put_json_text(char *p, const char *s, size_t n)
{
	*p++ = '"';
	/* the common case, printable ASCII without quotes or backslashes,
	 * copied in one piece */
	size_t plain = 0;
	for (; plain + 8 <= n; plain += 8) {
		/* eight bytes at a time: a byte below 0x20, from 0x80, '"' or
		 * '\\' sets its high bit in `special` */
		const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
		uint64_t x;
		memcpy(&x, s + plain, 8);
		uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
		uint64_t special = ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b) | x;
		if (special & highs)
			break;
	}
	while (plain < n) {
		unsigned char c = (unsigned char)s[plain];
		if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\')
			break;
		plain++;
	}
	memcpy(p, s, plain);
	p += plain;
	for (const unsigned char *c = (const unsigned char *)s + plain, *end = (const unsigned char *)s + n;
	     c < end; c++) {
		if (*c >= 0x80) {
			/* JSON is UTF-8: a byte that is not is U+FFFD, the
			 * replacement character (6 bytes, within the room) */
			uint32_t cp;
			size_t len = cs_utf8_valid(c, (size_t)(end - c), &cp);
			if (!len) {
				p = CS_PUT_LIT(p, "\\ufffd");
				continue;
			}
			memcpy(p, c, len);
			p += len;
			c += len - 1;
		} else if (*c == '"' || *c == '\\') {
			*p++ = '\\';
			*p++ = (char)*c;
		} else if (*c < 0x20) {
			static const char hex[] = "0123456789abcdef";
			p = CS_PUT_LIT(p, "\\u00");
			*p++ = hex[*c >> 4];
			*p++ = hex[*c & 15];
		} else {
			*p++ = (char)*c;
		}
	}
	*p++ = '"';
	return p;
}

void cs_buf_json_string(struct cs_buf *b, const char *s)
{
	size_t n = strlen(s);
	char *p = cs_buf_reserve(b, CS_JSON_TEXT_ROOM(n));
	if (p)
		cs_buf_commit(b, cs_put_json_text(p, s, n));
}

char *cs_put_json_shape(char *p, size_t rank, const int64_t *dims)
{
	*p++ = '[';
	for (size_t i = 0; i < rank; i++) {
		if (i)
			p = CS_PUT_LIT(p, ", ");
		p = dims[i] < 0 ? CS_PUT_LIT(p, "null") : cs_put_int(p, dims[i]);
	}
	*p++ = ']';
	return p;
}

void cs_buf_json_shape(struct cs_buf *b, size_t rank, const int64_t *dims)
{
	char *p = cs_buf_reserve(b, CS_JSON_SHAPE_ROOM(rank));
	if (p)
		cs_buf_commit(b, cs_put_json_shape(p, rank, dims));
}

/* ---- Markdown ----------------------------------------------------------------- */

/* Text that Markdown would otherwise read as markup is escaped. */
void cs_buf_markdown(struct cs_buf *b, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (strchr("|\\`*<>[]", s[i]))
			CS_BUF_LIT(b, "\\");
		cs_buf_add(b, s + i, 1);
	}
}

void cs_buf_torchinfo_line(struct cs_buf *b, const char *prefix, const char *label, int64_t n,
			   bool bytes, const char *suffix)
{
	static const struct {
		double factor;
		const char *unit;
	} units[] = { { 1e12, "T" }, { 1e9, "G" }, { 1e6, "M" }, { 1e3, "k" } };
	char num[64], text[80];
	const char *unit = NULL;
	if (n < 0) {
		cs_buf_printf(b, "%s%s: unknown%s\n", prefix, label, suffix);
		return;
	}
	snprintf(num, sizeof(num), "%lld", (long long)n);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]) && !unit; i++) {
		if ((double)n < units[i].factor)
			continue;
		/* Python's n / 1e3: the int made a double, then divided */
		double v = (double)n / units[i].factor;
		unit = units[i].unit;
		if (v == (double)(int64_t)v)
			snprintf(num, sizeof(num), "%lld", (long long)v);
		else
			snprintf(num, sizeof(num), "%.2f", v);
	}
	/* thousands separators in the whole part, as Python's "," does */
	size_t whole = strcspn(num, "."), at = 0;
	for (size_t i = 0; num[i] && at + 2 < sizeof(text); i++) {
		if (i && i < whole && (whole - i) % 3 == 0)
			text[at++] = ',';
		text[at++] = num[i];
	}
	text[at] = '\0';
	if (unit)
		cs_buf_printf(b, "%s%s (%s%s): %s%s\n", prefix, label, unit, bytes ? "B" : "", text, suffix);
	else
		cs_buf_printf(b, "%s%s: %s%s\n", prefix, label, text, suffix);
}
