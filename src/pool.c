/* pool.c — the fixed-size thread pool of pool.h: threads pick the next index of the range
 * under one mutex, run the caller's function outside it, and mark the index done. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gdpath/blas.h"
#include "gdpath/pool.h"
#include "gdpath/util.h"

struct worker {
	struct pool *p;
	int id;
	pthread_t th;
};

struct pool {
	int jobs, started; /* threads wanted, threads running */
	struct worker *w;
	pthread_mutex_t mu;
	pthread_cond_t work_cv; /* a range started, or quit */
	pthread_cond_t done_cv; /* an index finished */
	/* the current range, under mu */
	pool_fn fn;
	void *ctx;
	size_t n, next, running;
	atomic_size_t done;
	atomic_uchar *flags; /* n: index finished */
	atomic_bool cancel;
	bool quit, paused;
};

int pool_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > POOL_MAX_JOBS ? POOL_MAX_JOBS : (int)n;
}

int pool_jobs(const struct pool *p)
{
	return p->jobs;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->p;
	blas_threads_single();
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->quit &&
		       (p->fn == NULL || p->next >= p->n || p->paused || atomic_load(&p->cancel)))
			pthread_cond_wait(&p->work_cv, &p->mu);
		if (p->quit)
			break;
		size_t i = p->next++;
		p->running++;
		pool_fn fn = p->fn;
		void *ctx = p->ctx;
		pthread_mutex_unlock(&p->mu);
		fn(ctx, i, w->id);
		pthread_mutex_lock(&p->mu);
		p->running--;
		atomic_store_explicit(&p->flags[i], 1, memory_order_release);
		atomic_fetch_add(&p->done, 1);
		pthread_cond_broadcast(&p->done_cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct pool *pool_new(int jobs, char **cause)
{
	struct pool *p = calloc(1, sizeof *p);
	if (p == NULL) {
		*cause = xstrdup("out of memory");
		return NULL;
	}
	if (jobs <= 0)
		jobs = pool_default_jobs();
	if (jobs > POOL_MAX_JOBS)
		jobs = POOL_MAX_JOBS;
	p->jobs = jobs;
	p->w = xcalloc((size_t)jobs, sizeof *p->w);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (p->w == NULL || pthread_mutex_init(&p->mu, NULL) != 0 ||
	    pthread_cond_init(&p->work_cv, &ca) != 0 || pthread_cond_init(&p->done_cv, &ca) != 0) {
		pthread_condattr_destroy(&ca);
		free(p->w);
		free(p);
		*cause = xstrdup("out of memory for the thread pool");
		return NULL;
	}
	pthread_condattr_destroy(&ca);
	atomic_init(&p->done, 0);
	atomic_init(&p->cancel, false);
	blas_threads_single();
	return p;
}

/* Under mu: the range is over (all done, or cancelled with nothing running). */
static bool range_over(const struct pool *p)
{
	return p->fn == NULL || atomic_load(&p->done) >= p->n ||
	       (atomic_load(&p->cancel) && p->running == 0);
}

void pool_cancel(struct pool *p)
{
	pthread_mutex_lock(&p->mu);
	atomic_store(&p->cancel, true);
	while (p->running > 0)
		pthread_cond_wait(&p->done_cv, &p->mu);
	p->fn = NULL;
	pthread_mutex_unlock(&p->mu);
}

void pool_pause(struct pool *p, bool paused)
{
	pthread_mutex_lock(&p->mu);
	p->paused = paused;
	pthread_cond_broadcast(&p->work_cv);
	pthread_mutex_unlock(&p->mu);
}

bool pool_cancelled(const struct pool *p)
{
	return atomic_load_explicit(&p->cancel, memory_order_relaxed);
}

void pool_free(struct pool *p)
{
	if (p == NULL)
		return;
	pool_cancel(p);
	pthread_mutex_lock(&p->mu);
	p->quit = true;
	pthread_cond_broadcast(&p->work_cv);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->started; i++)
		pthread_join(p->w[i].th, NULL);
	pthread_cond_destroy(&p->work_cv);
	pthread_cond_destroy(&p->done_cv);
	pthread_mutex_destroy(&p->mu);
	free(p->flags);
	free(p->w);
	free(p);
}

int pool_start(struct pool *p, size_t n, pool_fn fn, void *ctx, char **cause)
{
	pool_wait(p, -1);
	atomic_uchar *flags = xcalloc(n ? n : 1, sizeof *flags);
	if (flags == NULL) {
		*cause = xstrdup("out of memory for the thread pool");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		atomic_init(&flags[i], 0);
	pthread_mutex_lock(&p->mu);
	free(p->flags);
	p->flags = flags;
	p->fn = fn;
	p->ctx = ctx;
	p->n = n;
	p->next = 0;
	p->running = 0;
	atomic_store(&p->done, 0);
	atomic_store(&p->cancel, false);
	/* Workers block every signal, so handlers (the screen's self-pipe, a sweep's
	 * interrupt flag) run on the caller's thread. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	while (p->started < p->jobs) {
		struct worker *w = &p->w[p->started];
		w->p = p;
		w->id = p->started;
		int e = pthread_create(&w->th, NULL, worker_main, w);
		if (e != 0) {
			if (p->started > 0)
				break; /* run on the threads there are */
			p->fn = NULL;
			pthread_mutex_unlock(&p->mu);
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			*cause = xasprintf("cannot start a thread: %s", strerror(e));
			return -1;
		}
		p->started++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_cond_broadcast(&p->work_cv);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

bool pool_wait(struct pool *p, double seconds)
{
	struct timespec until;
	if (seconds >= 0) {
		clock_gettime(CLOCK_MONOTONIC, &until);
		double s = (double)until.tv_sec + 1e-9 * (double)until.tv_nsec + seconds;
		until.tv_sec = (time_t)s;
		until.tv_nsec = (long)((s - (double)until.tv_sec) * 1e9);
		if (until.tv_nsec >= 1000000000L)
			until.tv_nsec = 999999999L;
	}
	pthread_mutex_lock(&p->mu);
	while (!range_over(p)) {
		if (seconds < 0)
			pthread_cond_wait(&p->done_cv, &p->mu);
		else if (pthread_cond_timedwait(&p->done_cv, &p->mu, &until) == ETIMEDOUT)
			break;
	}
	bool all = p->fn == NULL || atomic_load(&p->done) >= p->n;
	pthread_mutex_unlock(&p->mu);
	return all;
}

size_t pool_done(struct pool *p)
{
	return atomic_load(&p->done);
}

bool pool_is_done(struct pool *p, size_t i)
{
	return i < p->n && p->flags && atomic_load_explicit(&p->flags[i], memory_order_acquire);
}

static uint64_t splitmix(uint64_t z)
{
	z += 0x9E3779B97F4A7C15ULL;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

uint64_t pool_seed(uint64_t seed, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	uint64_t h = splitmix(seed);
	h = splitmix(h ^ a);
	h = splitmix(h ^ b);
	h = splitmix(h ^ c);
	h = splitmix(h ^ d);
	return h ? h : 1;
}
