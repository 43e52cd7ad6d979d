/* sweep.c — the table of sweeps and what they share: list options, exact numbers, the
 * progress line, interruption, and the --merge command. */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gdpath/cli.h"
#include "gdpath/outfile.h"
#include "gdpath/shard.h"
#include "gdpath/sweep.h"
#include "gdpath/util.h"

static const struct sweep *const table[] = {&sweep_phase, &sweep_eta, &sweep_layers};

size_t sweep_count(void)
{
	return sizeof table / sizeof table[0];
}

const struct sweep *sweep_at(size_t i)
{
	return i < sweep_count() ? table[i] : NULL;
}

const struct sweep *sweep_lookup(const char *name)
{
	for (size_t i = 0; i < sweep_count(); i++)
		if (strcmp(table[i]->name, name) == 0)
			return table[i];
	return NULL;
}

static int bad_list(const char *opt, const char *arg, size_t max, char **cause)
{
	*cause = xasprintf("--%s: '%s' is not START:END[:STEP] or a comma list of whole numbers from 1 to %zu",
			   opt, arg, max);
	return -1;
}

int sweep_parse_list(const char *opt, const char *arg, size_t max, size_t *vals, size_t cap,
		     size_t *count, char **cause)
{
	size_t n = 0;
	char buf[4096];
	if (strlen(arg) >= sizeof buf || arg[0] == '\0')
		return bad_list(opt, arg, max, cause);
	strcpy(buf, arg);
	if (strchr(buf, ':')) {
		size_t v[3] = {0, 0, 1};
		int parts = 0;
		char *save = NULL;
		for (char *tok = strtok_r(buf, ":", &save); tok; tok = strtok_r(NULL, ":", &save)) {
			if (parts == 3 || parse_size(tok, &v[parts]) != 0)
				return bad_list(opt, arg, max, cause);
			parts++;
		}
		/* strtok skips empty fields: "1::3" must not read as "1:3" */
		int colons = 0;
		for (const char *p = arg; *p; p++)
			colons += *p == ':';
		if (parts < 2 || colons != parts - 1 || arg[0] == ':' || arg[strlen(arg) - 1] == ':')
			return bad_list(opt, arg, max, cause);
		if (v[0] < 1 || v[1] > max || v[2] < 1)
			return bad_list(opt, arg, max, cause);
		if (v[0] > v[1]) {
			*cause = xasprintf("--%s: '%s' is an empty range (START > END)", opt, arg);
			return -1;
		}
		for (size_t x = v[0]; x <= v[1]; x += v[2]) {
			if (n == cap) {
				*cause = xasprintf("--%s: '%s' has more than %zu values", opt, arg, cap);
				return -1;
			}
			vals[n++] = x;
			if (v[1] - x < v[2])
				break;
		}
	} else {
		size_t commas = 0;
		for (const char *p = arg; *p; p++)
			commas += *p == ',';
		char *save = NULL;
		for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			size_t x;
			if (parse_size(tok, &x) != 0 || x < 1 || x > max)
				return bad_list(opt, arg, max, cause);
			for (size_t j = 0; j < n; j++)
				if (vals[j] == x) {
					*cause = xasprintf("--%s: '%s' repeats %zu", opt, arg, x);
					return -1;
				}
			if (n == cap) {
				*cause = xasprintf("--%s: '%s' has more than %zu values", opt, arg, cap);
				return -1;
			}
			vals[n++] = x;
		}
		if (n != commas + 1)
			return bad_list(opt, arg, max, cause);
	}
	*count = n;
	return 0;
}

void sweep_write_list(FILE *out, const size_t *vals, size_t count)
{
	for (size_t i = 0; i < count; i++)
		fprintf(out, "%s%zu", i ? "," : "", vals[i]);
}

void sweep_num(FILE *out, double v)
{
	if (isnan(v)) {
		fputs("nan", out);
		return;
	}
	if (isinf(v)) {
		fputs(v > 0 ? "inf" : "-inf", out);
		return;
	}
	char buf[64];
	snprintf(buf, sizeof buf, "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, sizeof buf, "%.17g", v);
	fputs(buf, out);
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void sweep_progress_start(struct sweep_progress *p, const char *what)
{
	p->tty = isatty(STDERR_FILENO);
	p->t0 = mono();
	p->last = 0;
	p->what = what;
}

static void fmt_secs(double s, char *buf, size_t len)
{
	if (!(s >= 0) || s > 1e8)
		snprintf(buf, len, "?");
	else if (s < 60)
		snprintf(buf, len, "%.0fs", s);
	else if (s < 3600)
		snprintf(buf, len, "%.0fm%02.0fs", floor(s / 60), fmod(s, 60));
	else
		snprintf(buf, len, "%.0fh%02.0fm", floor(s / 3600), floor(fmod(s, 3600) / 60));
}

void sweep_progress_show(struct sweep_progress *p, size_t done, size_t total, const char *unit)
{
	if (!p->tty)
		return;
	double t = mono() - p->t0;
	char el[32], eta[32];
	fmt_secs(t, el, sizeof el);
	if (done > 0)
		fmt_secs(t / (double)done * (double)(total - done), eta, sizeof eta);
	else
		snprintf(eta, sizeof eta, "?");
	fprintf(stderr, "\r\033[K%s: %zu/%zu %s done, %s elapsed, ETA %s", p->what, done, total, unit,
		el, eta);
	fflush(stderr);
	p->last = t;
}

void sweep_progress_end(struct sweep_progress *p)
{
	if (p->tty) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
}

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

void sweep_catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int sweep_interrupted(void)
{
	return got_signal;
}

int sweep_merge_main(const struct opts *o)
{
	char *cause = NULL;
	struct outfile of;
	/* Check and read everything before the output file exists. */
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (mem == NULL) {
		fputs("gdpath: out of memory\n", stderr);
		return EXIT_ERROR;
	}
	int rc = shard_merge((const char *const *)o->merge_files, o->nmerge, mem, &cause);
	fclose(mem);
	if (rc != 0) {
		fprintf(stderr, "gdpath: %s\n", cause);
		free(cause);
		free(buf);
		return rc;
	}
	if (outfile_open(&of, o->output, &cause) != 0) {
		fprintf(stderr, "gdpath: %s\n", cause);
		free(cause);
		free(buf);
		return EXIT_ERROR;
	}
	fwrite(buf, 1, len, of.f);
	free(buf);
	if (outfile_commit(&of, &cause) != 0) {
		fprintf(stderr, "gdpath: %s\n", cause);
		free(cause);
		return EXIT_ERROR;
	}
	return EXIT_OK;
}
