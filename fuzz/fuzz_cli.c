/* fuzz_cli.c — libFuzzer target: the command-line parser. The input is the arguments,
 * separated by NUL bytes (at most 32 of them). */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gdpath/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	/* --help, --version and --list print: not to the fuzzer's output */
	int fd = open("/dev/null", O_WRONLY);
	if (fd >= 0)
		dup2(fd, STDOUT_FILENO);
	setenv("XDG_CONFIG_HOME", "/nonexistent-gdpath-fuzz", 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	char *argv[34];
	int argc = 0;
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = "gdpath";
	for (size_t i = 0; i <= size && argc < 33;) {
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = NULL;
	struct opts o;
	char *cause = NULL;
	int rc = cli_parse(argc, argv, &o, &cause);
	if ((rc < 0) != (cause != NULL))
		abort(); /* an error always says why, success never leaves a message */
	free(cause);
	free(buf);
	return 0;
}
