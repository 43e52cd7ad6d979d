/* act.c — the scalar activations φ, their derivatives, and the linear part
 * φ_γ(z) = (1 − γ)φ(z) + γz of [OS19] Thm 4.3. Numerics only. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "gdpath/act.h"

/* Slope of the leaky ReLU for z < 0. */
#define LEAKY_SLOPE 0.1

/* act_eval is compiled for several instruction sets and the best one the CPU has is picked
 * at load time (GNU ifunc), so a default x86-64 build still uses AVX2/AVX-512 lanes. */
#if defined(HAVE_ATTRIBUTE_TARGET_CLONES)
#define ACT_SIMD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define ACT_SIMD_CLONES
#endif

static const char *const act_names[ACT_COUNT] = {
    "softplus", "relu", "leaky", "tanh", "sigmoid", "quadratic", "linear",
};

const char *act_name(int kind)
{
	return kind >= 0 && kind < ACT_COUNT ? act_names[kind] : "?";
}

int act_lookup(const char *name)
{
	if (name == NULL)
		return -1;
	for (int i = 0; i < ACT_COUNT; i++)
		if (strcmp(act_names[i], name) == 0)
			return i;
	return -1;
}

/* The transcendental parts, in plain C arithmetic that a compiler vectorises (no libm
 * call, no table): e^x for x ≤ 0, expm1(x) for x ≤ 0 and log1p(e) for 0 ≤ e ≤ 1. Every
 * activation below needs at most one of the exponentials per element. They are within a
 * few ulp of glibc's (tests/test_act.c measures it), and since the same code serves the
 * scalar act_f/act_df and the vector act_eval, both give the same bits on every machine
 * (no FMA contraction: ISO C mode for gcc, the pragma for clang). */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

/* The helpers must inline into act_eval's loops for them to vectorise. */
#if defined(__GNUC__)
#define INLINE inline __attribute__((always_inline))
#else
#define INLINE inline
#endif

static const double SHIFT = 0x1.8p52; /* x + SHIFT − SHIFT rounds x to an integer */
static const double LOG2E = 1.4426950408889634;
static const double LN2_HI = 6.93147180369123816490e-01; /* fdlibm: n·LN2_HI is exact */
static const double LN2_LO = 1.90821492927058770002e-10;

static INLINE uint64_t bits_of(double x)
{
	uint64_t u;
	memcpy(&u, &x, sizeof u);
	return u;
}

static INLINE double double_of(uint64_t u)
{
	double x;
	memcpy(&x, &u, sizeof x);
	return x;
}

/* 2^k for an integer-valued k in [−1022, 1023]. */
static INLINE double pow2(double k)
{
	return double_of((bits_of(k + SHIFT) - bits_of(SHIFT) + 1023) << 52);
}

/* e^r − 1 for |r| ≤ ln2/2 + tiny: Taylor to r^13 (truncation below 5e-18), evaluated by
 * Estrin's scheme (short dependency chains: the lanes are latency-bound otherwise). */
static INLINE double expm1_poly(double r)
{
	double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
	double a = 0.5 + r * (1.0 / 6), b = 1.0 / 24 + r * (1.0 / 120);
	double c = 1.0 / 720 + r * (1.0 / 5040), d = 1.0 / 40320 + r * (1.0 / 362880);
	double e = 1.0 / 3628800 + r * (1.0 / 39916800);
	double f = 1.0 / 479001600 + r * (1.0 / 6227020800.0);
	double p = (a + r2 * b) + r4 * (c + r2 * d) + r8 * (e + r2 * f);
	return r + r2 * p;
}

/* e^x for x ≤ 0 (NaN gives NaN, −∞ and x < −746 give 0): x = n ln2 + r, |r| ≤ ln2/2,
 * e^x = 2^n (1 + expm1(r)), with 2^n applied in two halves so that subnormal results
 * come out right. */
static INLINE double exp_nonpos(double x)
{
	x = x < -746.0 ? -746.0 : x;
	double n = (x * LOG2E + SHIFT) - SHIFT;
	double r = (x - n * LN2_HI) - n * LN2_LO;
	double h = (n * 0.5 + SHIFT) - SHIFT;
	return (1.0 + expm1_poly(r)) * pow2(h) * pow2(n - h);
}

/* log(1 + e) for 0 ≤ e ≤ 1: 2 atanh(s) = u(1 + s²/3 + s⁴/5 + …) with u = 2s = e/(1 + e/2)
 * and s ≤ 1/3, the series to s^32 (truncation below 2e-17 relative), by Estrin's scheme.
 * u rather than s keeps the smallest subnormal e from rounding to 0. */
static INLINE double log1p_unit(double e)
{
	double u = e / (1.0 + 0.5 * e), s = 0.5 * u, t = s * s;
	double t2 = t * t, t4 = t2 * t2, t8 = t4 * t4;
	double a = 1.0 / 3 + t * (1.0 / 5), b = 1.0 / 7 + t * (1.0 / 9);
	double c = 1.0 / 11 + t * (1.0 / 13), d = 1.0 / 15 + t * (1.0 / 17);
	double f = 1.0 / 19 + t * (1.0 / 21), g = 1.0 / 23 + t * (1.0 / 25);
	double h = 1.0 / 27 + t * (1.0 / 29), k = 1.0 / 31 + t * (1.0 / 33);
	double p = ((a + t2 * b) + t4 * (c + t2 * d)) + t8 * ((f + t2 * g) + t4 * (h + t2 * k));
	return u + u * (t * p);
}

static INLINE double relu0(double z)
{
	return z > 0 ? z : 0.0;
}

/* σ(z) = 1/(1 + e^{−z}) given e = e^{−|z|}: 1/(1 + e) for z ≥ 0, e/(1 + e) below, with the
 * numerator selected rather than the quotient, so the loop has no branch (compilers do not
 * if-convert a division that might trap). */
static INLINE double logistic(double z, double e)
{
	return (z >= 0 ? 1.0 : e) / (1.0 + e);
}

/* softplus(z) = log(1 + e^z) = max(z, 0) + log1p(e^{−|z|}), never overflowing and keeping
 * full relative accuracy for very negative z (where it is about e^z); its derivative, the
 * logistic σ(z), from the same e^{−|z|}. */
static INLINE void softplus2(double z, double *f, double *df)
{
	double e = exp_nonpos(-fabs(z));
	*f = relu0(z) + log1p_unit(e);
	*df = logistic(z, e);
}

/* σ(z) = 1/(1 + e^{−z}) and σ' = e/(1 + e)² with e = e^{−|z|} (not σ(1 − σ), which loses
 * all relative accuracy as σ → 1): one exponential. */
static INLINE void sigmoid2(double z, double *f, double *df)
{
	double e = exp_nonpos(-fabs(z)), d = 1.0 + e;
	*f = logistic(z, e);
	*df = e / (d * d);
}

/* tanh(z) = sign(z)·(−m)/(2 + m) with m = expm1(−2|z|), and tanh' = 4e/(1 + e)² with
 * e = m + 1 = e^{−2|z|} (not 1 − tanh², which cancels as tanh → ±1): one exponential. */
static INLINE void tanh2(double z, double *f, double *df)
{
	double x = -2.0 * fabs(z), e = exp_nonpos(x), p = expm1_poly(x);
	uint64_t small = (uint64_t)0 - (uint64_t)(x > -0.34657359027997264);
	double m = double_of((bits_of(p) & small) | (bits_of(e - 1.0) & ~small));
	double d = 1.0 + e;
	*f = copysign(-m / (2.0 + m), z);
	*df = 4.0 * e / (d * d);
}

/* φ and φ' together. ReLU's derivative at 0 is 1, the convention 1{z ≥ 0} of [Du18]
 * eq. (4) (leaky likewise). */
static INLINE void phi2(int kind, double z, double *f, double *df)
{
	switch (kind) {
	case ACT_SOFTPLUS:
		softplus2(z, f, df);
		return;
	case ACT_RELU:
		*f = relu0(z);
		*df = z >= 0 ? 1.0 : 0.0;
		return;
	case ACT_LEAKY:
		*f = z * (z > 0 ? 1.0 : LEAKY_SLOPE);
		*df = z >= 0 ? 1.0 : LEAKY_SLOPE;
		return;
	case ACT_TANH:
		tanh2(z, f, df);
		return;
	case ACT_SIGMOID:
		sigmoid2(z, f, df);
		return;
	case ACT_QUADRATIC:
		*f = z * z;
		*df = 2.0 * z;
		return;
	case ACT_LINEAR:
		*f = z;
		*df = 1.0;
		return;
	}
	*f = *df = NAN;
}

/* [OS19] Thm 4.3: φ_γ(z) = (1 − γ)φ(z) + γz. */
double act_f(int kind, double gamma, double z)
{
	double f, df;
	phi2(kind, z, &f, &df);
	return gamma == 0 ? f : (1.0 - gamma) * f + gamma * z;
}

double act_df(int kind, double gamma, double z)
{
	double f, df;
	phi2(kind, z, &f, &df);
	return gamma == 0 ? df : (1.0 - gamma) * df + gamma;
}

/* One loop per kind, the kind fixed at compile time so the body inlines and vectorises.
 * KIND_LOOP(K) evaluates φ_γ, φ_γ' of kind K over the whole array. */
#define KIND_LOOP(K)                                                                       \
	do {                                                                               \
		if (gamma == 0) {                                                          \
			for (size_t j = 0; j < len; j++)                                   \
				phi2(K, z[j], &f[j], &df[j]);                              \
		} else {                                                                   \
			double c = 1.0 - gamma;                                            \
			for (size_t j = 0; j < len; j++) {                                 \
				double a, b, x = z[j];                                     \
				phi2(K, x, &a, &b);                                        \
				f[j] = c * a + gamma * x;                                  \
				df[j] = c * b + gamma;                                     \
			}                                                                  \
		}                                                                          \
	} while (0)

/* Static, and reached through the plain act_eval below: clang binds a multiversioned
 * function's callers in other files only if every declaration carries the clones. */
ACT_SIMD_CLONES
static void eval_all(int kind, double gamma, const double *restrict z, size_t len,
		     double *restrict f, double *restrict df)
{
	switch (kind) {
	case ACT_SOFTPLUS:
		KIND_LOOP(ACT_SOFTPLUS);
		return;
	case ACT_RELU:
		KIND_LOOP(ACT_RELU);
		return;
	case ACT_LEAKY:
		KIND_LOOP(ACT_LEAKY);
		return;
	case ACT_TANH:
		KIND_LOOP(ACT_TANH);
		return;
	case ACT_SIGMOID:
		KIND_LOOP(ACT_SIGMOID);
		return;
	case ACT_QUADRATIC:
		KIND_LOOP(ACT_QUADRATIC);
		return;
	case ACT_LINEAR:
		KIND_LOOP(ACT_LINEAR);
		return;
	}
	for (size_t j = 0; j < len; j++)
		f[j] = df[j] = NAN;
}

void act_eval(int kind, double gamma, const double *restrict z, size_t len, double *restrict f,
	      double *restrict df)
{
	eval_all(kind, gamma, z, len, f, df);
}

/* sup_z |φ_γ'(z)| for γ ∈ [0, 1]: every φ' here except the quadratic's takes values in
 * [0, s] with s = sup φ' attained (or approached), so the sup is (1 − γ)s + γ. */
double act_dmax(int kind, double gamma)
{
	double s;
	switch (kind) {
	case ACT_SOFTPLUS:
	case ACT_RELU:
	case ACT_LEAKY:
	case ACT_TANH:
	case ACT_LINEAR:
		s = 1.0;
		break;
	case ACT_SIGMOID:
		s = 0.25;
		break;
	case ACT_QUADRATIC:
		return gamma == 1 ? 1.0 : INFINITY;
	default:
		return NAN;
	}
	return (1.0 - gamma) * s + gamma;
}

int act_is_relu_like(int kind)
{
	return kind == ACT_RELU || kind == ACT_LEAKY;
}
