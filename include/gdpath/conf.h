/* conf.h — the one `key = value` line parser, shared by theme files and the config file.
 *
 * Format, one setting a line:
 *	key = value
 * - blank lines and lines whose first non-blank character is '#' are ignored;
 * - a trailing comment starts at a '#' that follows a blank and is itself followed by a
 *   blank or the end of the line ("red  # warm"), so "#rrggbb" values are not comments;
 * - blanks (spaces, tabs) around key and value are trimmed; CRLF line ends and a UTF-8
 *   byte-order mark on the first line are accepted;
 * - a key is one or more of [A-Za-z0-9_.-]; the value is everything after the first '='
 *   (trimmed) and must not be empty; inner blanks are kept;
 * - a line longer than CONF_LINE_MAX bytes is an error (whatever its length: it is never
 *   held in memory); control characters other than tab (NUL bytes, binary junk) are an
 *   error ("binary data") that stops the parse of that input;
 * - a file must be a regular file (FIFOs and devices such as /dev/zero are refused
 *   unread) and is read no further than CONF_FILE_MAX bytes (an error if it goes on);
 * - messages escape control characters and bytes that are not UTF-8 in what they echo
 *   (file names included) and are cut at 200 bytes.
 *
 * Errors do not stop the parse: each is recorded as "FILE:LINE: what is wrong" and the
 * next line is read. At most CONF_ERRORS_MAX are kept. No curses, no global state. */
#ifndef GDPATH_CONF_H
#define GDPATH_CONF_H

#include <stddef.h>

#define CONF_LINE_MAX 4096
#define CONF_ERRORS_MAX 16
#define CONF_FILE_MAX (4 << 20) /* bytes read at most from a file */

/* Called once per setting, in file order. key and value are NUL-terminated and only valid
 * during the call (copy what you keep); file is the name given to the parser, line counts
 * from 1. Return 0 to accept; return -1 to reject the line, optionally setting *cause to a
 * heap-allocated message without "file:line: " (the parser adds that prefix and frees the
 * message). A rejection is recorded like any other error and the parse goes on. */
typedef int (*conf_cb)(const char *key, const char *value, const char *file, unsigned line,
		       void *arg, char **cause);

/* Parse the file at path. Returns 0 if every line was good. Otherwise returns -1 and, if
 * cause is not NULL, sets *cause to a heap-allocated message the caller frees: the errors,
 * one per line ("\n"-separated, no trailing newline), each "FILE:LINE: message", or
 * "FILE: strerror" when the file cannot be opened or read. The callback has been called for
 * every good line before the first fatal problem either way. */
int conf_parse_file(const char *path, conf_cb cb, void *arg, char **cause);

/* The same for text in memory (len bytes, may contain NULs); name is used in messages. */
int conf_parse_buffer(const char *text, size_t len, const char *name, conf_cb cb, void *arg,
		      char **cause);

#endif
