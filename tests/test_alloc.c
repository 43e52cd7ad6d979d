/* test_alloc.c — a step allocates nothing (SPEC: hot loops allocate nothing), and the
 * result of a run does not depend on the number of BLAS threads.
 *
 * malloc and friends are defined here, in the test program itself, so every allocation of
 * the process goes through them — gdpath's own, GSL's and OpenBLAS's (the dynamic linker
 * binds their calls to the executable's definitions first) — and forward to glibc's
 * __libc_* entry points while counting. No LD_PRELOAD, no wrapper flags. Sanitizer builds
 * replace malloc themselves, so there the count is skipped. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gdpath/act.h"
#include "gdpath/blas.h"
#include "gdpath/run.h"
#include "gdpath/track.h"

#if defined(__SANITIZE_ADDRESS__)
#define NO_COUNT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define NO_COUNT 1
#endif
#endif

#if !defined(NO_COUNT) && defined(__GLIBC__)
#define COUNTING 1
static volatile long allocs; /* calls that returned new memory */

void *__libc_malloc(size_t);
void *__libc_calloc(size_t, size_t);
void *__libc_realloc(void *, size_t);
void *__libc_memalign(size_t, size_t);
void __libc_free(void *);
void *memalign(size_t, size_t); /* <malloc.h>'s, declared here to keep to <stdlib.h> */

void *malloc(size_t n)
{
	allocs++;
	return __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
	allocs++;
	return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
	allocs++;
	return __libc_realloc(p, n);
}

void free(void *p)
{
	__libc_free(p);
}

void *aligned_alloc(size_t al, size_t n)
{
	allocs++;
	return __libc_memalign(al, n);
}

void *memalign(size_t al, size_t n)
{
	allocs++;
	return __libc_memalign(al, n);
}

int posix_memalign(void **out, size_t al, size_t n)
{
	allocs++;
	void *p = __libc_memalign(al, n);
	if (p == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}
#endif

static struct run *make(struct run_cfg *c)
{
	char *cause = NULL;
	int st = 0;
	struct run *r = run_new(c, &cause, &st);
	if (r == NULL)
		fail_msg("run_new: %s (status %d)", cause, st);
	return r;
}

#ifdef COUNTING
/* Warm up (first calls may set up BLAS buffers), then 1000 steps — across at least one
 * spectrum refresh — must allocate nothing. */
static void no_allocs(struct run_cfg *c, const char *what)
{
	struct run *r = make(c);
	for (int s = 0; s < 10; s++)
		assert_int_equal(run_step(r), RUN_OK);
	long before = allocs;
	for (int s = 0; s < 1000; s++)
		assert_int_equal(run_step(r), RUN_OK);
	long n = allocs - before;
	if (n != 0)
		print_error("%s: %ld allocations in 1000 steps\n", what, n);
	assert_int_equal(n, 0);
	run_free(r);
}
#endif

#ifdef COUNTING
static void test_counter_counts(void **state)
{
	(void)state;
	long before = allocs;
	void *volatile p = malloc(16);
	free(p);
	p = calloc(2, 8);
	free(p);
	assert_int_equal(allocs - before, 2);
}

static void test_shallow_softplus(void **state)
{
	(void)state;
	struct run_cfg c;
	run_cfg_default(&c);
	c.ops = &model_shallow_ops;
	c.mcfg.act = ACT_SOFTPLUS;
	c.spectrum_every = 400; /* two refreshes inside the window */
	no_allocs(&c, "shallow softplus");
}

static void test_shallow_relu_trained_v(void **state)
{
	(void)state;
	struct run_cfg c;
	run_cfg_default(&c);
	c.ops = &model_shallow_ops;
	c.mcfg.act = ACT_RELU;
	c.mcfg.train_output = true;
	c.eta_theory = false;
	c.eta = 0.002; /* β ≈ 22 here: η below 2/β² */
	c.spectrum_every = 400;
	no_allocs(&c, "shallow relu, trained v");
}

static void test_lowrank(void **state)
{
	(void)state;
	struct run_cfg c;
	run_cfg_default(&c);
	c.ops = &model_lowrank_ops;
	c.spectrum_every = 400;
	no_allocs(&c, "lowrank");
}

#endif

/* The same run on one thread and on every core: products large enough for OpenBLAS to split
 * them (n = 400, d = 100, k = 300: 2.4e7 flops each). OpenBLAS's threaded kernels block the
 * sums differently, so the bits may differ (they do on this machine's 0.3.21): the runs agree
 * to 1e-12 relative, and the thread count is a function of the sizes and the machine only
 * (blas_fit), so the same options on the same machine still give the same bits. */
static void test_threads_same_bits(void **state)
{
	(void)state;
	if (blas_cores() < 2)
		skip();
	struct run_cfg c;
	run_cfg_default(&c);
	c.ops = &model_shallow_ops;
	c.mcfg.n = 400;
	c.mcfg.d = 100;
	c.mcfg.k = 300;
	c.mcfg.act = ACT_SOFTPLUS;
	struct run *r[2];
	for (int t = 0; t < 2; t++) {
		blas_set_threads(t == 0 ? 1 : blas_cores());
		assert_int_equal(blas_threads(), t == 0 ? 1 : blas_cores());
		r[t] = make(&c);
		for (int s = 0; s < 20; s++)
			assert_int_equal(run_step(r[t]), RUN_OK);
	}
	blas_set_threads(0);
	double worst = 0;
	for (size_t j = 0; j < r[0]->m->p; j++)
		worst = fmax(worst, fabs(r[0]->theta[j] - r[1]->theta[j]) /
					(fabs(r[0]->theta[j]) + 1e-300));
	assert_true(worst < 1e-12);
	double a = r[0]->tr->cur.distance, b = r[1]->tr->cur.distance;
	assert_true(a > 0 && fabs(a - b) <= 1e-12 * a);
	run_free(r[0]);
	run_free(r[1]);
}

/* Pinned counts win over the size rule; 0 gives the rule back. */
static void test_pin(void **state)
{
	(void)state;
	blas_set_threads(1);
	blas_fit(1e12);
	assert_int_equal(blas_threads(), 1);
	blas_set_threads(0);
	blas_fit(1e3);
	assert_int_equal(blas_threads(), 1);
	blas_fit(1e12);
	assert_int_equal(blas_threads(), blas_cores());
	blas_set_threads(0);
}

int main(void)
{
	/* cmocka reports a skipped test as "not ok # SKIP", which the TAP driver counts as a
	 * failure: without counting the counting tests are left out, and said so. */
	const struct CMUnitTest tests[] = {
#ifdef COUNTING
	    cmocka_unit_test(test_counter_counts),     cmocka_unit_test(test_shallow_softplus),
	    cmocka_unit_test(test_shallow_relu_trained_v), cmocka_unit_test(test_lowrank),
#endif
	    cmocka_unit_test(test_threads_same_bits),  cmocka_unit_test(test_pin),
	};
#ifndef COUNTING
	print_message("# allocation counts left out: this build replaces malloc itself\n");
#endif
	return cmocka_run_group_tests(tests, NULL, NULL);
}
