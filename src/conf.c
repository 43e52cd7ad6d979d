/* conf.c — reads `key = value` files line by line and hands each setting to a callback,
 * collecting "file:line: message" errors instead of stopping at the first. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdpath/conf.h"
#include "gdpath/util.h"

/* Where the bytes come from: a FILE (read at most CONF_FILE_MAX bytes of it) or a
 * buffer in memory. */
struct conf_src {
	FILE *f;
	const unsigned char *buf;
	size_t len;
	size_t pos;
	int too_big; /* the file went on past CONF_FILE_MAX */
};

/* The errors so far, as one "\n"-separated string. */
struct conf_errs {
	const char *file;
	char *text;
	size_t len;
	unsigned count;
	int oom;
};

static int conf_getc(struct conf_src *src)
{
	if (src->f != NULL) {
		if (src->pos >= CONF_FILE_MAX) {
			src->too_big = getc(src->f) != EOF;
			return EOF;
		}
		src->pos++;
		return getc(src->f);
	}
	if (src->pos < src->len)
		return src->buf[src->pos++];
	return EOF;
}

#define CONF_MSG_MAX 200 /* bytes of one message kept */

static void conf_add_error(struct conf_errs *errs, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Append "FILE:LINE: message" (or "FILE: message" when line is 0). The file name and the
 * message may carry bytes from the file (a key, a value): both are escaped, so nothing
 * read can drive the terminal, and the message is cut at CONF_MSG_MAX bytes. */
static void conf_add_error(struct conf_errs *errs, unsigned line, const char *fmt, ...)
{
	char prefix[64];
	char msg[CONF_MSG_MAX + 1];
	va_list ap;
	int mlen;

	errs->count++;
	if (errs->oom)
		return;
	if (line > 0)
		snprintf(prefix, sizeof prefix, ":%u: ", line);
	else
		snprintf(prefix, sizeof prefix, ": ");

	va_start(ap, fmt);
	mlen = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (mlen < 0) {
		errs->oom = 1;
		return;
	}
	size_t shown = (size_t)mlen < sizeof msg - 1 ? (size_t)mlen : sizeof msg - 1;
	char *emsg = str_escape(msg, shown, 0, 0);
	char *efile = str_escape(errs->file, strlen(errs->file), 0, 0);
	const char *cut = (size_t)mlen > shown ? "..." : "";
	size_t need = errs->len + (errs->len > 0) + strlen(efile) + strlen(prefix) + strlen(emsg) +
		      strlen(cut) + 1;
	char *grown = realloc(errs->text, need);
	if (grown == NULL) {
		errs->oom = 1;
	} else {
		errs->text = grown;
		if (errs->len > 0)
			errs->text[errs->len++] = '\n';
		errs->len += (size_t)sprintf(errs->text + errs->len, "%s%s%s%s", efile, prefix,
					     emsg, cut);
	}
	free(emsg);
	free(efile);
}

static int conf_is_blank(int c) { return c == ' ' || c == '\t'; }

static int conf_is_key_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

/* One line, already free of line end and control characters, NUL-terminated in s. */
static void conf_parse_line(char *s, unsigned line, conf_cb cb, void *arg, struct conf_errs *errs)
{
	char *p = s, *end, *eq, *key_end, *value;

	while (conf_is_blank(*p))
		p++;
	if (*p == '\0' || *p == '#')
		return;

	/* A trailing comment: " # ..." or a final " #". */
	for (end = p + 1; *end != '\0'; end++) {
		if (*end == '#' && conf_is_blank(end[-1]) &&
		    (end[1] == '\0' || conf_is_blank(end[1]))) {
			*end = '\0';
			break;
		}
	}
	end = p + strlen(p);
	while (end > p && conf_is_blank(end[-1]))
		*--end = '\0';

	eq = strchr(p, '=');
	if (eq == NULL) {
		conf_add_error(errs, line, "missing '=' (expected 'key = value')");
		return;
	}
	key_end = eq;
	while (key_end > p && conf_is_blank(key_end[-1]))
		key_end--;
	*key_end = '\0';
	if (*p == '\0') {
		conf_add_error(errs, line, "missing key before '='");
		return;
	}
	for (const char *k = p; *k != '\0'; k++) {
		if (!conf_is_key_char((unsigned char)*k)) {
			conf_add_error(errs, line, "invalid key '%s' (use letters, digits, _ . -)",
				       p);
			return;
		}
	}
	value = eq + 1;
	while (conf_is_blank(*value))
		value++;
	if (*value == '\0') {
		conf_add_error(errs, line, "missing value for '%s'", p);
		return;
	}

	char *why = NULL;
	if (cb(p, value, errs->file, line, arg, &why) != 0) {
		conf_add_error(errs, line, "%s", why != NULL ? why : "invalid value");
		free(why);
	}
}

static int conf_parse(struct conf_src *src, const char *name, conf_cb cb, void *arg, char **cause)
{
	/* Room for CONF_LINE_MAX bytes, a CR and one byte more to notice a long line. */
	char buf[CONF_LINE_MAX + 3];
	struct conf_errs errs = {.file = name};
	unsigned line = 0;
	int c = 0;

	while (c != EOF) {
		size_t n = 0;
		int any = 0, binary = 0, too_long = 0;

		while ((c = conf_getc(src)) != EOF && c != '\n') {
			any = 1;
			if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
				binary = 1;
				break; /* no need to read the rest of it */
			}
			if (n < CONF_LINE_MAX + 2)
				buf[n++] = (char)c;
			else
				too_long = 1;
		}
		if (!any && c == EOF)
			break;
		line++;
		if (n > 0 && buf[n - 1] == '\r' && !too_long)
			n--;
		if (n > CONF_LINE_MAX)
			too_long = 1;
		if (!too_long && memchr(buf, '\r', n) != NULL)
			binary = 1;
		if (binary) {
			conf_add_error(&errs, line, "binary data");
			break;
		}
		if (too_long) {
			conf_add_error(&errs, line, "line too long (more than %d bytes)",
				       CONF_LINE_MAX);
		} else {
			size_t start = 0;
			buf[n] = '\0';
			if (line == 1 && n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
				start = 3;
			conf_parse_line(buf + start, line, cb, arg, &errs);
		}
		if (errs.count >= CONF_ERRORS_MAX) {
			conf_add_error(&errs, line, "too many errors, giving up");
			break;
		}
	}
	if (src->too_big)
		conf_add_error(&errs, 0, "larger than %d bytes: not a settings file, not read further",
			       CONF_FILE_MAX);
	else if (src->f != NULL && ferror(src->f))
		conf_add_error(&errs, 0, "read error: %s", strerror(errno));

	if (errs.count == 0)
		return 0;
	if (cause != NULL)
		*cause = errs.text;
	else
		free(errs.text);
	return -1;
}

int conf_parse_buffer(const char *text, size_t len, const char *name, conf_cb cb, void *arg,
		      char **cause)
{
	struct conf_src src = {.buf = (const unsigned char *)text, .len = len};
	return conf_parse(&src, name, cb, arg, cause);
}

int conf_parse_file(const char *path, conf_cb cb, void *arg, char **cause)
{
	/* A regular file, at most CONF_FILE_MAX bytes of it: /dev/zero, a FIFO or a file
	 * that never ends a line cannot hang the reader. */
	char *why = NULL;
	struct conf_src src = {0};
	src.f = fopen_regular(path, &why);
	if (src.f == NULL) {
		/* fopen_regular named the file itself: keep only the reason */
		char *colon = strrchr(why, ':');
		struct conf_errs errs = {.file = path};
		conf_add_error(&errs, 0, "%s", colon ? colon + 2 : why);
		free(why);
		if (cause != NULL)
			*cause = errs.text;
		else
			free(errs.text);
		return -1;
	}
	int rv = conf_parse(&src, path, cb, arg, cause);
	fclose(src.f);
	return rv;
}
