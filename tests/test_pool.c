/* test_pool.c — the thread pool and the shard helpers that sweeps share: every index runs
 * exactly once whatever --jobs, results land in their own slots, cancel stops handing out
 * work; --shard parsing, the round-robin split, and a merge that rebuilds the whole CSV
 * and refuses anything that is not the complete set of shards of one sweep. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gdpath/pool.h"
#include "gdpath/shard.h"

enum { N = 1000 };

struct counts {
	int runs[N];
	uint64_t val[N];
	int max_worker;
};

/* Some work whose result depends on the index alone. */
static void work(void *ctx, size_t i, int worker)
{
	struct counts *c = ctx;
	c->runs[i]++;
	uint64_t h = pool_seed(7, i, 0, 0, 0);
	for (int r = 0; r < (int)(i % 13) * 50; r++)
		h = pool_seed(h, 1, 2, 3, 4);
	c->val[i] = h;
	if (worker > c->max_worker)
		c->max_worker = worker; /* racy but only ever grows; read after the join */
}

static void run_jobs(int jobs, struct counts *c)
{
	char *cause = NULL;
	memset(c, 0, sizeof *c);
	struct pool *p = pool_new(jobs, &cause);
	assert_non_null(p);
	assert_int_equal(pool_jobs(p), jobs);
	assert_int_equal(pool_start(p, N, work, c, &cause), 0);
	while (!pool_wait(p, 0.01))
		;
	assert_int_equal(pool_done(p), N);
	for (size_t i = 0; i < N; i++)
		assert_true(pool_is_done(p, i));
	pool_free(p);
}

static void test_every_index_once(void **state)
{
	(void)state;
	struct counts *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
	run_jobs(1, a);
	run_jobs(3, b);
	for (size_t i = 0; i < N; i++) {
		assert_int_equal(a->runs[i], 1);
		assert_int_equal(b->runs[i], 1);
	}
	assert_memory_equal(a->val, b->val, sizeof a->val);
	assert_int_equal(a->max_worker, 0);
	assert_true(b->max_worker < 3);
	free(a);
	free(b);
}

/* A second range on the same pool, and an empty one. */
static void test_reuse(void **state)
{
	(void)state;
	char *cause = NULL;
	struct counts *c = calloc(1, sizeof *c);
	struct pool *p = pool_new(2, &cause);
	assert_int_equal(pool_start(p, 10, work, c, &cause), 0);
	assert_true(pool_wait(p, -1));
	assert_int_equal(pool_start(p, 0, work, c, &cause), 0);
	assert_true(pool_wait(p, -1));
	assert_int_equal(pool_start(p, 20, work, c, &cause), 0);
	assert_true(pool_wait(p, -1));
	for (size_t i = 0; i < 20; i++)
		assert_int_equal(c->runs[i], i < 10 ? 2 : 1);
	pool_free(p);
	free(c);
}

struct slow {
	struct pool *p;
	int started;
};

static void slow_work(void *ctx, size_t i, int worker)
{
	(void)i;
	(void)worker;
	struct slow *s = ctx;
	__atomic_add_fetch(&s->started, 1, __ATOMIC_SEQ_CST);
	while (!pool_cancelled(s->p))
		usleep(1000);
}

/* Cancel: the running indices see pool_cancelled(), no new ones start, and the pool is
 * idle afterwards (not all done). */
static void test_cancel(void **state)
{
	(void)state;
	char *cause = NULL;
	struct slow s = {0};
	s.p = pool_new(2, &cause);
	assert_int_equal(pool_start(s.p, 100, slow_work, &s, &cause), 0);
	while (__atomic_load_n(&s.started, __ATOMIC_SEQ_CST) < 2)
		usleep(1000);
	assert_false(pool_wait(s.p, 0.01));
	pool_cancel(s.p);
	assert_int_equal(s.started, 2);
	assert_int_equal(pool_done(s.p), 2);
	pool_free(s.p);
}

static void test_seed(void **state)
{
	(void)state;
	/* neighbours in every coordinate give different seeds; the same input the same */
	uint64_t base = pool_seed(1, 2, 3, 4, 5);
	assert_true(base == pool_seed(1, 2, 3, 4, 5));
	assert_true(base != pool_seed(2, 2, 3, 4, 5));
	assert_true(base != pool_seed(1, 3, 3, 4, 5));
	assert_true(base != pool_seed(1, 2, 4, 4, 5));
	assert_true(base != pool_seed(1, 2, 3, 5, 5));
	assert_true(base != pool_seed(1, 2, 3, 4, 6));
	assert_true(pool_seed(1, 2, 3, 0, 0) != pool_seed(1, 3, 2, 0, 0));
}

static void test_shard_parse(void **state)
{
	(void)state;
	struct shard s;
	char *cause = NULL;
	assert_int_equal(shard_parse("2/4", &s, &cause), 0);
	assert_int_equal(s.i, 2);
	assert_int_equal(s.n, 4);
	const char *bad[] = {"3/2", "0/2", "1/0", "2", "/2", "1/", "a/b", "1/2/3", "-1/2", "1.5/2",
			     "1/2000000", ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		assert_int_equal(shard_parse(bad[i], &s, &cause), -1);
		assert_non_null(cause);
		assert_non_null(strstr(cause, "--shard"));
		free(cause);
	}
}

/* The shards partition the list, and shard_count agrees with shard_owns. */
static void test_shard_split(void **state)
{
	(void)state;
	for (unsigned long n = 1; n <= 7; n++)
		for (size_t total = 0; total <= 30; total++) {
			size_t seen = 0;
			for (unsigned long i = 1; i <= n; i++) {
				struct shard s = {i, n};
				size_t c = 0;
				for (size_t j = 0; j < total; j++)
					c += shard_owns(&s, j);
				assert_int_equal(c, shard_count(&s, total));
				seen += c;
			}
			assert_int_equal(seen, total);
		}
}

static char dir[64];

/* Write one shard (or the whole, with n = 1) of a 7-row sweep to a file; extra is an
 * additional metadata line. */
static char *write_part(unsigned long i, unsigned long n, const char *extra)
{
	static int count;
	char *name = malloc(128);
	snprintf(name, 128, "%s/part%d.csv", dir, count++);
	FILE *f = fopen(name, "w");
	struct shard s = {i, n};
	fprintf(f, "# gdpath test\n# rows: 7\n%s", extra ? extra : "");
	shard_write_meta(f, &s);
	fprintf(f, "a,b\n");
	for (size_t j = 0; j < 7; j++)
		if (shard_owns(&s, j))
			fprintf(f, "%zu,%zu\n", j, j * j);
	fclose(f);
	return name;
}

static char *slurp_merge(const char *const *files, size_t n, int *rc, char **cause)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	*cause = NULL;
	*rc = shard_merge(files, n, out, cause);
	fclose(out);
	return buf;
}

static void test_merge(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/gdpath-pool.XXXXXX");
	assert_non_null(mkdtemp(dir));
	char *cause = NULL;
	int rc;
	char *whole = write_part(1, 1, NULL);
	FILE *f = fopen(whole, "r");
	char want[512];
	size_t wl = fread(want, 1, sizeof want - 1, f);
	want[wl] = '\0';
	fclose(f);
	char *p1 = write_part(1, 3, NULL), *p2 = write_part(2, 3, NULL), *p3 = write_part(3, 3, NULL);
	/* any order of the files */
	const char *ok[] = {p3, p1, p2};
	char *got = slurp_merge(ok, 3, &rc, &cause);
	assert_int_equal(rc, 0);
	assert_string_equal(got, want);
	free(got);

	char *other = write_part(2, 3, "# n: 200\n"), *two = write_part(2, 2, NULL);
	struct {
		const char *files[3];
		size_t n;
		int rc;
		const char *msg;
	} bad[] = {
	    {{p1, p2}, 2, 2, "3 files|2 files"},
	    {{p1, p2, p2}, 3, 2, "both shard 2/3"},
	    {{p1, other, p3}, 3, 2, "different sweeps"},
	    {{p1, two, p3}, 3, 2, "different splits"},
	    {{whole}, 1, 2, "no '# shard"},
	    {{p1, p2, "/nonexistent/x.csv"}, 3, 1, "x.csv"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		got = slurp_merge(bad[i].files, bad[i].n, &rc, &cause);
		assert_int_equal(rc, bad[i].rc);
		assert_non_null(cause);
		assert_true(got == NULL || got[0] == '\0'); /* nothing written */
		free(got);
		free(cause);
	}
	/* a shard cut short (a row missing) */
	f = fopen(p2, "a");
	fprintf(f, "9,81\n");
	fclose(f);
	got = slurp_merge(ok, 3, &rc, &cause);
	assert_int_equal(rc, 2);
	assert_non_null(strstr(cause, "rows"));
	free(got);
	free(cause);
	char *all[] = {whole, p1, p2, p3, other, two};
	for (size_t i = 0; i < 6; i++) {
		unlink(all[i]);
		free(all[i]);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_index_once), cmocka_unit_test(test_reuse),
	    cmocka_unit_test(test_cancel),          cmocka_unit_test(test_seed),
	    cmocka_unit_test(test_shard_parse),     cmocka_unit_test(test_shard_split),
	    cmocka_unit_test(test_merge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
