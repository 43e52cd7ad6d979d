/* test_util.c — issue 9's helpers in util.c: escaping what is echoed, the bounded line
 * reader, regular-file-only opening, and all-or-nothing output files. */
#include "config.h"

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

#include "gdpath/util.h"

static char dir[] = "/tmp/test_util.XXXXXX";

static char *in_dir(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void write_bytes(const char *path, const char *s, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(s, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = calloc(1, 65536);
	size_t n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_escape(void **state)
{
	(void)state;
	char *s;
	/* controls, ESC, DEL, a C1 control in UTF-8, a bare 0x9B, a broken sequence */
	s = str_escape("a\x1b[2J\r\n\t\x7f\xc2\x9b\x9b\xe2\x80", 14, 0, 0);
	assert_string_equal(s, "a\\e[2J\\r\\n\\t\\x7F\\xC2\\x9B\\x9B\\xE2\\x80");
	free(s);
	/* valid UTF-8 stays, quotes and backslashes are escaped when quoted */
	s = str_escape("θ‖'\\", strlen("θ‖'\\"), 0, 1);
	assert_string_equal(s, "'θ‖\\'\\\\'");
	free(s);
	/* shortened */
	s = str_quote("0123456789012345678901234567890123456789abcdef");
	assert_string_equal(s, "'0123456789012345678901234567890123456789...'");
	free(s);
	/* an overlong encoding and a surrogate are not UTF-8 */
	s = str_escape("\xc0\xaf\xed\xa0\x80", 5, 0, 0);
	assert_string_equal(s, "\\xC0\\xAF\\xED\\xA0\\x80");
	free(s);
}

static void test_line_read(void **state)
{
	(void)state;
	char *p = in_dir("lines");
	static const char text[] = "a\nbb\r\ncc\rd\0e\nfffffffff\nlast";
	write_bytes(p, text, sizeof text - 1);
	FILE *f = fopen(p, "r");
	char buf[8];
	size_t len;
	assert_int_equal(line_read(f, buf, sizeof buf, &len), LINE_OK);
	assert_string_equal(buf, "a");
	assert_int_equal(line_read(f, buf, sizeof buf, &len), LINE_OK);
	assert_string_equal(buf, "bb"); /* CRLF is one line end */
	assert_int_equal(line_read(f, buf, sizeof buf, &len), LINE_OK);
	assert_string_equal(buf, "cc"); /* so is a lone CR */
	assert_int_equal(line_read(f, buf, sizeof buf, &len), LINE_NUL);
	assert_string_equal(buf, "d");
	fclose(f);
	f = fopen(p, "r");
	for (int i = 0; i < 4; i++)
		line_read(f, buf, sizeof buf, &len);
	/* after the NUL line: "e", then a line longer than 7 bytes */
	assert_int_equal(line_read(f, buf, sizeof buf, &len), LINE_OK);
	assert_string_equal(buf, "e");
	assert_int_equal(line_read(f, buf, sizeof buf, &len), LINE_LONG);
	assert_int_equal(len, 7);
	fclose(f);
	write_bytes(p, "x\nlast", 6);
	f = fopen(p, "r");
	assert_int_equal(line_read(f, buf, sizeof buf, &len), LINE_OK);
	assert_int_equal(line_read(f, buf, sizeof buf, &len), LINE_OK);
	assert_string_equal(buf, "last"); /* no final newline */
	assert_int_equal(line_read(f, buf, sizeof buf, &len), LINE_EOF);
	fclose(f);
	unlink(p);
	free(p);
}

static void test_fopen_regular(void **state)
{
	(void)state;
	char *cause = NULL, *p = in_dir("fifo");
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_null(fopen_regular(p, &cause)); /* returns at once: no writer needed */
	assert_non_null(strstr(cause, "fifo: not a regular file (a FIFO or pipe)"));
	free(cause);
	unlink(p);
	free(p);
	assert_null(fopen_regular("/dev/zero", &cause));
	assert_string_equal(cause, "/dev/zero: not a regular file (a device)");
	free(cause);
	assert_null(fopen_regular(dir, &cause));
	assert_non_null(strstr(cause, ": is a directory, not a file"));
	free(cause);
	p = in_dir("no\x1b[2Jsuch");
	assert_null(fopen_regular(p, &cause));
	assert_non_null(strstr(cause, "no\\e[2Jsuch: No such file or directory"));
	free(cause);
	free(p);
}

static void test_outfile(void **state)
{
	(void)state;
	char *cause = NULL, *p = in_dir("out.csv");
	struct outfile of;
	write_bytes(p, "old\n", 4);
	chmod(p, 0640);
	/* abort: the old file stays, no temporary file is left */
	assert_int_equal(outfile_open(&of, p, &cause), 0);
	fputs("new, half written", of.f);
	fflush(of.f);
	char *s = slurp(p);
	assert_string_equal(s, "old\n"); /* not touched while writing */
	free(s);
	outfile_abort(&of);
	s = slurp(p);
	assert_string_equal(s, "old\n");
	free(s);
	/* commit: replaced whole, the old file's mode kept */
	assert_int_equal(outfile_open(&of, p, &cause), 0);
	fputs("new\n", of.f);
	assert_int_equal(outfile_commit(&of, &cause), 0);
	s = slurp(p);
	assert_string_equal(s, "new\n");
	free(s);
	struct stat sb;
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0640);
	/* nothing else in the directory: no temporary file left behind */
	char *cmd = xasprintf("test \"$(ls -A %s | wc -l)\" -eq 1", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	/* a device is written directly; /dev/full fails at once */
	assert_int_equal(outfile_open(&of, "/dev/full", &cause), 0);
	assert_null(of.tmp);
	fputs("x\n", of.f);
	of.last_flush = -1e9; /* due now */
	assert_int_equal(outfile_check(&of, &cause), -1);
	assert_string_equal(cause, "/dev/full: No space left on device");
	free(cause);
	outfile_abort(&of);
	/* same_file sees through other names */
	char *q = xasprintf("%s/../%s/out.csv", dir, strrchr(dir, '/') + 1);
	assert_true(same_file(p, q));
	assert_false(same_file(p, "/dev/null"));
	assert_false(same_file(p, NULL));
	free(q);
	unlink(p);
	free(p);
}

int main(void)
{
	if (mkdtemp(dir) == NULL)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape),
	    cmocka_unit_test(test_line_read),
	    cmocka_unit_test(test_fopen_regular),
	    cmocka_unit_test(test_outfile),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
