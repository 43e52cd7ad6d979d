/* test_conf.c — the `key = value` parser: syntax, line ends, comments, and that every kind
 * of bad line gives -1 and the exact "file:line: message". */
#include "config.h"

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "gdpath/conf.h"

/* What the callback saw: "key=value@line;" for each setting. */
struct seen {
	char text[8192];
	int calls;
};

static int collect(const char *key, const char *value, const char *file, unsigned line, void *arg,
		   char **cause)
{
	struct seen *s = arg;
	size_t len = strlen(s->text);

	(void)file;
	(void)cause;
	s->calls++;
	snprintf(s->text + len, sizeof s->text - len, "%s=%s@%u;", key, value, line);
	return 0;
}

/* Rejects any value "bad", with or without a message. */
static int reject_bad(const char *key, const char *value, const char *file, unsigned line,
		      void *arg, char **cause)
{
	(void)file;
	(void)line;
	(void)arg;
	if (strcmp(value, "bad") != 0)
		return 0;
	if (strcmp(key, "quiet") != 0) {
		*cause = malloc(32);
		snprintf(*cause, 32, "'%s' is no good", value);
	}
	return -1;
}

static int parse_str(const char *text, struct seen *s, char **cause)
{
	memset(s, 0, sizeof *s);
	*cause = NULL;
	return conf_parse_buffer(text, strlen(text), "t.conf", collect, s, cause);
}

static void test_comments_blank_whitespace(void **state)
{
	struct seen s;
	char *cause;
	(void)state;

	assert_int_equal(parse_str("# a comment\n"
				   "\n"
				   "   \t \n"
				   "  key1   =   value one  \n"
				   "\tkey2=v2\n"
				   "   # indented comment = not a setting\n"
				   "a.b-c_9 = x = y\n",
				   &s, &cause),
			 0);
	assert_null(cause);
	assert_string_equal(s.text, "key1=value one@4;key2=v2@5;a.b-c_9=x = y@7;");
}

static void test_crlf_and_no_final_newline(void **state)
{
	struct seen s;
	char *cause;
	(void)state;

	assert_int_equal(parse_str("a = 1\r\nb = 2 \r\n\r\nc = 3", &s, &cause), 0);
	assert_string_equal(s.text, "a=1@1;b=2@2;c=3@4;");
}

static void test_trailing_comment(void **state)
{
	struct seen s;
	char *cause;
	(void)state;

	assert_int_equal(parse_str("a = red  # warm\n"
				   "b = #ff0000\n"
				   "c = x #\n"
				   "d = y#z\n"
				   "e = #00ff00 bold\t# green\n",
				   &s, &cause),
			 0);
	assert_string_equal(s.text, "a=red@1;b=#ff0000@2;c=x@3;d=y#z@4;e=#00ff00 bold@5;");
}

static void test_bom(void **state)
{
	struct seen s;
	char *cause;
	(void)state;

	assert_int_equal(parse_str("\xef\xbb\xbf"
				   "a = 1\n",
				   &s, &cause),
			 0);
	assert_string_equal(s.text, "a=1@1;");
}

static void test_missing_equals(void **state)
{
	struct seen s;
	char *cause;
	(void)state;

	assert_int_equal(parse_str("a = 1\njust some words\nb = 2\n", &s, &cause), -1);
	assert_string_equal(cause, "t.conf:2: missing '=' (expected 'key = value')");
	/* Errors are collected, not fatal: the lines around it were still read. */
	assert_string_equal(s.text, "a=1@1;b=2@3;");
	free(cause);
}

static void test_empty_value(void **state)
{
	struct seen s;
	char *cause;
	(void)state;

	assert_int_equal(parse_str("# x\nkey =   \t\n", &s, &cause), -1);
	assert_string_equal(cause, "t.conf:2: missing value for 'key'");
	free(cause);

	/* A value that is only a comment is empty too. */
	assert_int_equal(parse_str("key = # nothing\n", &s, &cause), -1);
	assert_string_equal(cause, "t.conf:1: missing value for 'key'");
	assert_int_equal(s.calls, 0);
	free(cause);
}

static void test_empty_key(void **state)
{
	struct seen s;
	char *cause;
	(void)state;

	assert_int_equal(parse_str("  = value\n", &s, &cause), -1);
	assert_string_equal(cause, "t.conf:1: missing key before '='");
	free(cause);
}

static void test_invalid_key(void **state)
{
	struct seen s;
	char *cause;
	(void)state;

	assert_int_equal(parse_str("a b = c\n", &s, &cause), -1);
	assert_string_equal(cause, "t.conf:1: invalid key 'a b' (use letters, digits, _ . -)");
	free(cause);
}

static void test_several_errors(void **state)
{
	struct seen s;
	char *cause;
	(void)state;

	assert_int_equal(parse_str("x\nok = 1\ny =\n", &s, &cause), -1);
	assert_string_equal(cause, "t.conf:1: missing '=' (expected 'key = value')\n"
				   "t.conf:3: missing value for 'y'");
	assert_string_equal(s.text, "ok=1@2;");
	free(cause);
}

static void test_too_many_errors(void **state)
{
	char text[CONF_ERRORS_MAX * 4 + 64] = "";
	struct seen s;
	char *cause;
	(void)state;

	for (int i = 0; i < CONF_ERRORS_MAX + 5; i++)
		strcat(text, "x\n");
	assert_int_equal(parse_str(text, &s, &cause), -1);
	/* CONF_ERRORS_MAX messages and the "giving up" line. */
	int lines = 1;
	for (const char *p = cause; *p != '\0'; p++)
		lines += *p == '\n';
	assert_int_equal(lines, CONF_ERRORS_MAX + 1);
	char last[64];
	snprintf(last, sizeof last, "t.conf:%d: too many errors, giving up", CONF_ERRORS_MAX);
	assert_non_null(strstr(cause, last));
	free(cause);
}

static void test_binary(void **state)
{
	static const char text[] = "a = 1\nb = \0\1\2\377\n c = 3\n";
	struct seen s;
	char *cause = NULL;
	(void)state;

	memset(&s, 0, sizeof s);
	assert_int_equal(conf_parse_buffer(text, sizeof text - 1, "bin", collect, &s, &cause), -1);
	assert_string_equal(cause, "bin:2: binary data");
	/* Stops there: line 3 was not read. */
	assert_string_equal(s.text, "a=1@1;");
	free(cause);

	/* A lone CR inside a line is junk too; cause may be NULL. */
	assert_int_equal(conf_parse_buffer("a = x\ry\n", 8, "bin", collect, &s, NULL), -1);
}

static void test_callback_rejects(void **state)
{
	char *cause = NULL;
	const char *text = "a = good\nb = bad\nquiet = bad\n";
	(void)state;

	assert_int_equal(conf_parse_buffer(text, strlen(text), "cb", reject_bad, NULL, &cause), -1);
	assert_string_equal(cause, "cb:2: 'bad' is no good\ncb:3: invalid value");
	free(cause);
}

/* A temporary directory and a file in it; both removed by the caller. */
static char *write_temp(char *dir, const char *name, const char *text, size_t len)
{
	char *path = malloc(strlen(dir) + strlen(name) + 2);
	FILE *f;

	assert_non_null(path);
	sprintf(path, "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void test_long_lines(void **state)
{
	char dir[] = "/tmp/gdpath-conf-XXXXXX";
	size_t big = 1024 * 1024;
	char *text = malloc(big + 64), *path, *cause = NULL, want[256];
	struct seen s;
	(void)state;

	assert_non_null(mkdtemp(dir));
	assert_non_null(text);

	/* Exactly CONF_LINE_MAX bytes (CR not counted) is fine. */
	size_t n = 0;
	n += (size_t)sprintf(text, "k = ");
	memset(text + n, 'v', CONF_LINE_MAX - n);
	n = CONF_LINE_MAX;
	memcpy(text + n, "\r\nz = 1\n", 8);
	memset(&s, 0, sizeof s);
	assert_int_equal(conf_parse_buffer(text, n + 8, "max", collect, &s, &cause), 0);
	assert_int_equal(s.calls, 2);

	/* One more byte is too long. */
	text[n] = 'v';
	memcpy(text + n + 1, "\nz = 1\n", 7);
	memset(&s, 0, sizeof s);
	assert_int_equal(conf_parse_buffer(text, n + 8, "max", collect, &s, &cause), -1);
	assert_string_equal(cause, "max:1: line too long (more than 4096 bytes)");
	assert_string_equal(s.text, "z=1@2;");
	free(cause);

	/* A 1 MB line in a file: reported, and the next line still read. */
	n = (size_t)sprintf(text, "# big\nk = ");
	memset(text + n, 'x', big);
	n += big;
	n += (size_t)sprintf(text + n, "\nafter = yes\n");
	path = write_temp(dir, "big.conf", text, n);
	memset(&s, 0, sizeof s);
	assert_int_equal(conf_parse_file(path, collect, &s, &cause), -1);
	snprintf(want, sizeof want, "%s:2: line too long (more than 4096 bytes)", path);
	assert_string_equal(cause, want);
	assert_string_equal(s.text, "after=yes@3;");
	free(cause);

	unlink(path);
	free(path);
	rmdir(dir);
	free(text);
}

static void test_file(void **state)
{
	char dir[] = "/tmp/gdpath-conf-XXXXXX";
	const char *text = "# file\r\nalpha = 1 # one\r\nbeta=two words\r\n";
	char *path, *cause = NULL;
	struct seen s;
	(void)state;

	assert_non_null(mkdtemp(dir));
	path = write_temp(dir, "ok.conf", text, strlen(text));
	memset(&s, 0, sizeof s);
	assert_int_equal(conf_parse_file(path, collect, &s, &cause), 0);
	assert_null(cause);
	assert_string_equal(s.text, "alpha=1@2;beta=two words@3;");
	unlink(path);
	free(path);
	rmdir(dir);
}

static void test_missing_file(void **state)
{
	char *cause = NULL, want[256];
	struct seen s;
	(void)state;

	memset(&s, 0, sizeof s);
	assert_int_equal(conf_parse_file("/nonexistent-gdpath/x.conf", collect, &s, &cause), -1);
	snprintf(want, sizeof want, "/nonexistent-gdpath/x.conf: %s", strerror(ENOENT));
	assert_string_equal(cause, want);
	assert_int_equal(s.calls, 0);
	free(cause);

#ifdef __linux__
	/* A directory, a device and a FIFO are refused unread (issue 9: /dev/zero spun for
	 * ever, a FIFO blocked in fopen). */
	assert_int_equal(conf_parse_file("/", collect, &s, &cause), -1);
	assert_string_equal(cause, "/: is a directory, not a file");
	free(cause);
	assert_int_equal(conf_parse_file("/dev/zero", collect, &s, &cause), -1);
	assert_string_equal(cause, "/dev/zero: not a regular file (a device)");
	free(cause);
	char dir[] = "/tmp/gdpath-conf-XXXXXX";
	assert_non_null(mkdtemp(dir));
	snprintf(want, sizeof want, "%s/fifo", dir);
	assert_int_equal(mkfifo(want, 0600), 0);
	assert_int_equal(conf_parse_file(want, collect, &s, &cause), -1);
	assert_non_null(strstr(cause, ": not a regular file (a FIFO or pipe)"));
	free(cause);
	unlink(want);
	rmdir(dir);
	assert_int_equal(s.calls, 0);
#endif
}

/* A file that never ends a line: read no further than CONF_FILE_MAX bytes (issue 9). */
static void test_endless_line(void **state)
{
	char dir[] = "/tmp/gdpath-conf-XXXXXX", path[64], *cause = NULL;
	struct seen s;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/big", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < CONF_FILE_MAX / 4096 + 2; i++) {
		char block[4096];
		memset(block, 'k', sizeof block);
		assert_int_equal(fwrite(block, 1, sizeof block, f), sizeof block);
	}
	assert_int_equal(fclose(f), 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(conf_parse_file(path, collect, &s, &cause), -1);
	assert_non_null(strstr(cause, ":1: line too long"));
	assert_non_null(strstr(cause, ": larger than 4194304 bytes"));
	free(cause);
	unlink(path);
	rmdir(dir);
}

/* What a message echoes is escaped and cut short (issue 9): no raw escape sequence or
 * C1 control from the file reaches the terminal. */
static int reject_value(const char *key, const char *value, const char *file, unsigned line,
			void *arg, char **cause)
{
	(void)key, (void)file, (void)line, (void)arg;
	size_t n = strlen(value) + 32;
	*cause = malloc(n);
	snprintf(*cause, n, "bad value '%s'", value);
	return -1;
}

static void test_messages_escaped(void **state)
{
	char *cause = NULL;
	(void)state;
	char raw[64];
	/* bytes: k = C2 9B '2' 'J' 9B E2 80 96 LF */
	size_t n = (size_t)snprintf(raw, sizeof raw, "k = %c%c2J%c%c%c%c\n", 0xc2, 0x9b, 0x9b,
				    0xe2, 0x80, 0x96);
	assert_int_equal(conf_parse_buffer(raw, n, "a\x1b]0;x\a.theme", reject_value, NULL, &cause), -1);
	assert_string_equal(cause, "a\\e]0;x\\x07.theme:1: bad value '\\xC2\\x9B2J\\x9B‖'");
	free(cause);
	char big[600];
	memcpy(big, "k = ", 4);
	memset(big + 4, 'v', sizeof big - 5);
	big[sizeof big - 1] = '\n';
	assert_int_equal(conf_parse_buffer(big, sizeof big, "f", reject_value, NULL, &cause), -1);
	assert_true(strlen(cause) < 220);
	assert_non_null(strstr(cause, "vvv..."));
	free(cause);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_comments_blank_whitespace),
	    cmocka_unit_test(test_crlf_and_no_final_newline),
	    cmocka_unit_test(test_trailing_comment),
	    cmocka_unit_test(test_bom),
	    cmocka_unit_test(test_missing_equals),
	    cmocka_unit_test(test_empty_value),
	    cmocka_unit_test(test_empty_key),
	    cmocka_unit_test(test_invalid_key),
	    cmocka_unit_test(test_several_errors),
	    cmocka_unit_test(test_too_many_errors),
	    cmocka_unit_test(test_binary),
	    cmocka_unit_test(test_callback_rejects),
	    cmocka_unit_test(test_long_lines),
	    cmocka_unit_test(test_file),
	    cmocka_unit_test(test_missing_file),
	    cmocka_unit_test(test_endless_line),
	    cmocka_unit_test(test_messages_escaped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
