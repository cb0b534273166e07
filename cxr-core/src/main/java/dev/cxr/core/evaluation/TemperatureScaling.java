package dev.cxr.core.evaluation;

/**
 * Temperature scaling (C. Guo, G. Pleiss, Y. Sun, K. Q. Weinberger, "On Calibration of Modern
 * Neural Networks", ICML 2017): the softmax logits are divided by one scalar T fitted on validation
 * data by minimising the negative log-likelihood. T above 1 softens over-confident probabilities;
 * the ranking (and so the AUC) does not change. Class weights and cost matrices shift a model's
 * probabilities away from the observed frequencies, which is what this undoes.
 *
 * <p>For the two-class softmax of a cxr model, {@code softmax(z / T)} of the positive class is
 * {@code sigmoid(logit(p) / T)} with p the unscaled probability, so the scaling is applied to
 * probabilities directly.
 */
public final class TemperatureScaling {
  /** Smallest temperature searched. */
  public static final double MIN = 0.05;

  /** Largest temperature searched. */
  public static final double MAX = 20;

  /** Probabilities are clamped this far from 0 and 1 before taking their logit. */
  private static final double EPS = 1e-7;

  private TemperatureScaling() {}

  /**
   * The positive-class probability at temperature {@code t}.
   *
   * @param p the unscaled probability
   * @param t the temperature (1: unchanged)
   * @return the scaled probability
   */
  public static double apply(double p, double t) {
    if (t == 1) {
      return p;
    }
    double q = Math.min(1 - EPS, Math.max(EPS, p));
    double z = Math.log(q / (1 - q)) / t;
    return 1 / (1 + Math.exp(-z));
  }

  /**
   * Fits the temperature that minimises the mean negative log-likelihood of the labels (golden-
   * section search over log T in [{@value #MIN}, {@value #MAX}]; the likelihood is convex in 1/T).
   *
   * @param probabilities unscaled positive-class probabilities of the validation images
   * @param positive their labels
   * @return the temperature
   * @throws IllegalArgumentException when the lengths differ or one class is missing
   */
  public static double fit(double[] probabilities, boolean[] positive) {
    if (probabilities.length != positive.length) {
      throw new IllegalArgumentException(
          "probabilities and labels differ in length: "
              + probabilities.length
              + ", "
              + positive.length);
    }
    boolean anyPos = false;
    boolean anyNeg = false;
    for (boolean b : positive) {
      anyPos |= b;
      anyNeg |= !b;
    }
    if (!anyPos || !anyNeg) {
      throw new IllegalArgumentException("calibration needs positive and negative images");
    }
    double lo = Math.log(MIN);
    double hi = Math.log(MAX);
    double g = (Math.sqrt(5) - 1) / 2;
    double a = hi - g * (hi - lo);
    double b = lo + g * (hi - lo);
    double fa = nll(probabilities, positive, Math.exp(a));
    double fb = nll(probabilities, positive, Math.exp(b));
    for (int i = 0; i < 80; i++) {
      if (fa <= fb) {
        hi = b;
        b = a;
        fb = fa;
        a = hi - g * (hi - lo);
        fa = nll(probabilities, positive, Math.exp(a));
      } else {
        lo = a;
        a = b;
        fa = fb;
        b = lo + g * (hi - lo);
        fb = nll(probabilities, positive, Math.exp(b));
      }
    }
    return Math.exp((lo + hi) / 2);
  }

  /**
   * Mean negative log-likelihood at a temperature.
   *
   * @param probabilities unscaled positive-class probabilities
   * @param positive labels
   * @param t temperature
   * @return the mean NLL (natural log)
   */
  public static double nll(double[] probabilities, boolean[] positive, double t) {
    double sum = 0;
    for (int i = 0; i < probabilities.length; i++) {
      double p = Math.min(1 - EPS, Math.max(EPS, apply(probabilities[i], t)));
      sum -= Math.log(positive[i] ? p : 1 - p);
    }
    return sum / probabilities.length;
  }
}
