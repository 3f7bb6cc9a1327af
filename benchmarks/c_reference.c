/*
 * c_reference.c -- a plain C99 loop doing the per-epoch work of a full-batch
 * ae.AutoEncoder fit, as a lower bound for benchmarks/epoch_speed.py.
 *
 * Data: X = identity(d) (d samples x d features), the target is X.
 * Network: sizes[0]-sizes[1]-...-sizes[L], sigmoid 1/(1+exp(-z)) on every
 * layer, z = a W + b. Loss: binary cross-entropy with the outputs clipped
 * to [1e-7, 1-1e-7], the mean over all samples x outputs, computed every
 * epoch. Backward: output delta (p-y)/(n*d), zero where clipped; hidden
 * deltas (delta W^T) * a*(1-a). RMSProp on all weights and biases:
 * acc = rho*acc + (1-rho)*g^2; w -= lr*g/(sqrt(acc)+eps).
 * Init: weights uniform in +-sqrt(6/(fan_in+fan_out)) drawn from a fixed
 * LCG, biases 0.
 *
 * Build: gcc -O2 -o benchmarks/build/c_reference benchmarks/c_reference.c -lm
 * Run:   ./c_reference EPOCHS SIZE0 SIZE1 ... SIZEL    e.g.  20000 16 5 16
 * Prints one line: us_per_epoch=... first_loss=... final_loss=...
 * (final_loss is the loss of the last epoch, computed before its update,
 * like loss_curve_[-1]; printing it keeps the compiler from dropping work.)
 */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAX_LAYERS 32

static const double LR = 0.001, RHO = 0.9, EPS = 1e-8, CLIP = 1e-7;

static unsigned long long lcg_state = 12345u;

/* uniform in [-1, 1) from a 64-bit LCG (Knuth's MMIX constants) */
static double lcg_uniform(void)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(lcg_state >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

static double *alloc(size_t count)
{
    double *p = calloc(count, sizeof(double));
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return p;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s EPOCHS SIZE0 SIZE1 ... SIZEL\n", argv[0]);
        return 2;
    }
    long epochs = atol(argv[1]);
    int L = argc - 3; /* number of weight layers */
    int size[MAX_LAYERS + 1];
    if (L > MAX_LAYERS || epochs < 1) {
        fprintf(stderr, "bad arguments\n");
        return 2;
    }
    for (int l = 0; l <= L; l++) {
        size[l] = atoi(argv[l + 2]);
        if (size[l] < 1) {
            fprintf(stderr, "bad layer size\n");
            return 2;
        }
    }
    const int d = size[0], n = d;
    if (size[L] != d) {
        fprintf(stderr, "the last size must equal the first\n");
        return 2;
    }

    /* A[l]: activations of layer l, n x size[l]; A[0] = X. D[l]: deltas. */
    double *A[MAX_LAYERS + 1], *D[MAX_LAYERS + 1];
    double *W[MAX_LAYERS], *b[MAX_LAYERS], *gW[MAX_LAYERS], *gb[MAX_LAYERS];
    double *aW[MAX_LAYERS], *ab[MAX_LAYERS];
    for (int l = 0; l <= L; l++) {
        A[l] = alloc((size_t)n * size[l]);
        D[l] = alloc((size_t)n * size[l]);
    }
    for (int i = 0; i < n; i++)
        A[0][i * d + i] = 1.0;
    const double *Y = A[0];
    for (int l = 0; l < L; l++) {
        int ni = size[l], no = size[l + 1];
        W[l] = alloc((size_t)ni * no);
        gW[l] = alloc((size_t)ni * no);
        aW[l] = alloc((size_t)ni * no);
        b[l] = alloc(no);
        gb[l] = alloc(no);
        ab[l] = alloc(no);
        double limit = sqrt(6.0 / (ni + no));
        for (int k = 0; k < ni * no; k++)
            W[l][k] = limit * lcg_uniform();
    }

    struct timespec t0, t1;
    double loss = 0.0, first_loss = 0.0;
    const double scale = 1.0 / ((double)n * d);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long epoch = 0; epoch < epochs; epoch++) {
        /* forward: A[l+1] = sigmoid(A[l] W[l] + b[l]) */
        for (int l = 0; l < L; l++) {
            int ni = size[l], no = size[l + 1];
            const double *a = A[l], *w = W[l];
            double *z = A[l + 1];
            for (int s = 0; s < n; s++) {
                for (int j = 0; j < no; j++)
                    z[s * no + j] = b[l][j];
                for (int i = 0; i < ni; i++) {
                    double ai = a[s * ni + i];
                    for (int j = 0; j < no; j++)
                        z[s * no + j] += ai * w[i * no + j];
                }
                for (int j = 0; j < no; j++)
                    z[s * no + j] = 1.0 / (1.0 + exp(-z[s * no + j]));
            }
        }
        /* loss and output delta */
        const double *P = A[L];
        double *dl = D[L];
        double ll = 0.0;
        for (int k = 0; k < n * d; k++) {
            double p = P[k], pc = p < CLIP ? CLIP : (p > 1.0 - CLIP ? 1.0 - CLIP : p);
            ll += Y[k] * log(pc) + (1.0 - Y[k]) * log(1.0 - pc);
            dl[k] = pc == p ? (p - Y[k]) * scale : 0.0;
        }
        loss = -ll * scale;
        if (epoch == 0)
            first_loss = loss;
        /* backward: gradients of layer l, then the delta of layer l */
        for (int l = L - 1; l >= 0; l--) {
            int ni = size[l], no = size[l + 1];
            const double *a = A[l], *dn = D[l + 1], *w = W[l];
            for (int k = 0; k < ni * no; k++)
                gW[l][k] = 0.0;
            for (int j = 0; j < no; j++)
                gb[l][j] = 0.0;
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < ni; i++) {
                    double ai = a[s * ni + i];
                    for (int j = 0; j < no; j++)
                        gW[l][i * no + j] += ai * dn[s * no + j];
                }
                for (int j = 0; j < no; j++)
                    gb[l][j] += dn[s * no + j];
            }
            if (l > 0) {
                double *dp = D[l];
                for (int s = 0; s < n; s++)
                    for (int i = 0; i < ni; i++) {
                        double acc = 0.0;
                        for (int j = 0; j < no; j++)
                            acc += dn[s * no + j] * w[i * no + j];
                        double ai = a[s * ni + i];
                        dp[s * ni + i] = acc * ai * (1.0 - ai);
                    }
            }
        }
        /* RMSProp */
        for (int l = 0; l < L; l++) {
            int nw = size[l] * size[l + 1], no = size[l + 1];
            for (int k = 0; k < nw; k++) {
                double g = gW[l][k];
                aW[l][k] = RHO * aW[l][k] + (1.0 - RHO) * g * g;
                W[l][k] -= LR * g / (sqrt(aW[l][k]) + EPS);
            }
            for (int k = 0; k < no; k++) {
                double g = gb[l][k];
                ab[l][k] = RHO * ab[l][k] + (1.0 - RHO) * g * g;
                b[l][k] -= LR * g / (sqrt(ab[l][k]) + EPS);
            }
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    printf("us_per_epoch=%.4f first_loss=%.10g final_loss=%.10g\n", 1e6 * seconds / epochs, first_loss, loss);
    return 0;
}
