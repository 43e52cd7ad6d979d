/* act.c — the scalar activations φ, their derivatives, and the linear part
 * φ_γ(z) = (1 − γ)φ(z) + γz of [OS19] Thm 4.3. Numerics only. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "gdpath/act.h"

/* Slope of the leaky ReLU for z < 0. */
#define LEAKY_SLOPE 0.1

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

/* Logistic function, without overflow for either sign of z. */
static double sigmoid(double z)
{
	if (z >= 0)
		return 1.0 / (1.0 + exp(-z));
	double e = exp(z);
	return e / (1.0 + e);
}

/* log(1 + e^z) = max(z, 0) + log1p(e^{−|z|}): never overflows, and keeps full relative
 * accuracy for very negative z (where the value is about e^z). */
static double softplus(double z)
{
	return fmax(z, 0.0) + log1p(exp(-fabs(z)));
}

static double phi(int kind, double z)
{
	switch (kind) {
	case ACT_SOFTPLUS:
		return softplus(z);
	case ACT_RELU:
		return z > 0 ? z : 0.0;
	case ACT_LEAKY:
		return z > 0 ? z : LEAKY_SLOPE * z;
	case ACT_TANH:
		return tanh(z);
	case ACT_SIGMOID:
		return sigmoid(z);
	case ACT_QUADRATIC:
		return z * z;
	case ACT_LINEAR:
		return z;
	}
	return NAN;
}

/* Derivatives; at the kink of relu and leaky the right derivative 1, the convention
 * 1{z ≥ 0} of [Du18] eq. (4). */
static double dphi(int kind, double z)
{
	switch (kind) {
	case ACT_SOFTPLUS:
		return sigmoid(z);
	case ACT_RELU:
		return z >= 0 ? 1.0 : 0.0;
	case ACT_LEAKY:
		return z >= 0 ? 1.0 : LEAKY_SLOPE;
	case ACT_TANH: {
		double t = tanh(z);
		return 1.0 - t * t;
	}
	case ACT_SIGMOID: {
		double s = sigmoid(z);
		return s * (1.0 - s);
	}
	case ACT_QUADRATIC:
		return 2.0 * z;
	case ACT_LINEAR:
		return 1.0;
	}
	return NAN;
}

/* [OS19] Thm 4.3: φ_γ(z) = (1 − γ)φ(z) + γz. */
double act_f(int kind, double gamma, double z)
{
	if (gamma == 0)
		return phi(kind, z);
	return (1.0 - gamma) * phi(kind, z) + gamma * z;
}

double act_df(int kind, double gamma, double z)
{
	if (gamma == 0)
		return dphi(kind, z);
	return (1.0 - gamma) * dphi(kind, z) + gamma;
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
