/* act.h — scalar activations φ and their derivatives, with the linear part of
 * [OS19] Thm 4.3: φ_γ(z) = (1 − γ)φ(z) + γz. Numerics only. */
#ifndef GDPATH_ACT_H
#define GDPATH_ACT_H

#include <stddef.h>

enum act_kind {
	ACT_SOFTPLUS,
	ACT_RELU,
	ACT_LEAKY,
	ACT_TANH,
	ACT_SIGMOID,
	ACT_QUADRATIC,
	ACT_LINEAR,
	ACT_COUNT
};

/* Name of an activation ("softplus", ...). */
const char *act_name(int kind);
/* Kind for a name, or -1. */
int act_lookup(const char *name);
/* φ_γ(z) and φ_γ'(z). ReLU's derivative at 0 is 1 (the convention 1{z ≥ 0} of [Du18]). */
double act_f(int kind, double gamma, double z);
double act_df(int kind, double gamma, double z);
/* φ_γ and φ_γ' of len pre-activations at once: f[j] = act_f(kind, gamma, z[j]) and
 * df[j] = act_df(kind, gamma, z[j]), bit for bit, in one vectorised pass (at most one
 * exponential per element, no per-element dispatch). The arrays must not overlap. */
void act_eval(int kind, double gamma, const double *restrict z, size_t len, double *restrict f,
	      double *restrict df);
/* B = sup |φ_γ'| (INFINITY for quadratic): the constant in [OS19b]'s step sizes. */
double act_dmax(int kind, double gamma);
/* True for the piecewise-linear activations (relu, leaky) with the ReLU step rule. */
int act_is_relu_like(int kind);

#endif
