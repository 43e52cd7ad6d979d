/* bench_lenet.c — one Adam step of gdpath's LeNet ([OS19] Sec. 6.1) on a minibatch of 100
 * 28×28 images, as `--preset lenet-500` takes it: model_lenet's batch_grad (im2col + CBLAS
 * dgemm forward and backward) and the Adam update over its 3.27 million parameters, on one
 * BLAS thread as gdpath runs. Random images and labels: the cost does not depend on them.
 *
 * Usage: bench_lenet [STEPS]   (default 10, after one warm-up step)
 * Prints one line: steps=, median_ms=, min_ms=, gflop= (per step, counted from the layer
 * shapes), gflops= (at the median), p=. run.sh sets it beside PyTorch and the dgemm rate. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_rng.h>

#include "gdpath/blas.h"
#include "gdpath/data.h"
#include "gdpath/model.h"
#include "gdpath/optim.h"

enum { N = 500, B = 100, SIDE = 28, C = 10 };

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Multiply–adds ×2 of one step per image: conv1 forward and weight gradient, conv2 forward,
 * weight and input gradients, fc1 likewise, fc2 likewise (the ReLU, pooling, im2col and
 * Adam's O(p) work are not counted). */
static double flop_per_image(void)
{
	double c1 = 2.0 * 784 * 25 * 32, c2 = 2.0 * 196 * 800 * 64, f1 = 2.0 * 3136 * 1024,
	       f2 = 2.0 * 1024 * 10;
	return 2 * c1 + 3 * c2 + 3 * f1 + 3 * f2;
}

int main(int argc, char **argv)
{
	int steps = argc > 1 ? atoi(argv[1]) : 10;
	if (steps < 1 || steps > 1000)
		steps = 10;
	blas_threads_single();
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	struct dataset *ds = data_new(N, SIDE * SIDE);
	if (!rng || !ds || data_set_outputs(ds, C) != 0)
		return 1;
	ds->cls = calloc(N, sizeof(int));
	for (size_t i = 0; i < (size_t)N * SIDE * SIDE; i++)
		ds->X[i] = gsl_rng_uniform(rng);
	for (size_t i = 0; i < N; i++) {
		ds->cls[i] = (int)gsl_rng_uniform_int(rng, C);
		ds->y[i * C + (size_t)ds->cls[i]] = 1;
	}
	struct model_cfg cfg = {.n = N, .d = SIDE, .k = 1024, .r = 32, .act = -1, .gamma = NAN};
	model_cfg_fill(&model_lenet_ops, &cfg);
	char *cause = NULL;
	struct model *m = model_new(&model_lenet_ops, &cfg, ds, &cause);
	if (m == NULL) {
		fprintf(stderr, "bench_lenet: %s\n", cause);
		return 1;
	}
	double *theta = calloc(m->p, sizeof(double)), *r = calloc(m->n, sizeof(double));
	model_lenet_ops.init(m, rng, theta);
	struct optim_cfg oc = {OPT_ADAM, B, NAN, NAN, NAN};
	struct optim *o = optim_new(&oc, m, &cause);
	if (o == NULL || theta == NULL || r == NULL)
		return 1;
	double t[1001];
	for (int s = -1; s < steps; s++) {
		double t0 = now_s();
		optim_step(o, m, rng, 1e-3, theta, r);
		if (s >= 0)
			t[s] = now_s() - t0;
	}
	qsort(t, (size_t)steps, sizeof t[0], cmp_double);
	double med = t[steps / 2], gflop = flop_per_image() * B * 1e-9;
	printf("steps=%d median_ms=%.1f min_ms=%.1f gflop=%.3f gflops=%.2f p=%zu\n", steps,
	       med * 1e3, t[0] * 1e3, gflop, gflop / med, m->p);
	optim_free(o);
	model_free(m);
	data_free(ds);
	gsl_rng_free(rng);
	free(theta);
	free(r);
	return 0;
}
