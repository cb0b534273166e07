package dev.cxr.loss;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect.Visibility;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Focal loss of Lin, Goyal, Girshick, He and Dollár, "Focal Loss for Dense Object Detection", ICCV
 * 2017:
 *
 * <pre>  FL(p_t) = - alpha_t * (1 - p_t)^gamma * log p_t</pre>
 *
 * The modulating factor {@code (1 - p_t)^gamma} shrinks the loss of examples the network already
 * gets right with confidence, so the many easy (majority-class) examples stop dominating the
 * gradient. {@code gamma = 0} with all {@code alpha = 1} is plain cross-entropy; the paper's
 * default is {@code gamma = 2}.
 *
 * <p><b>Softmax form</b> ({@link #softmax(double, double...)}, or the constructors), classes
 * mutually exclusive: {@code loss = -sum_c alpha_c y_c (1 - p_c)^gamma log p_c}, i.e. {@code
 * FL(p_t)} with {@code alpha_t = alpha[t]} for a one-hot label of class {@code t}; each {@code
 * alpha_c} is a finite class weight {@code >= 0} (none: all 1). With {@code gamma = 0} it equals
 * {@link WeightedCrossEntropy}{@code (alpha)}.
 *
 * <p><b>Sigmoid form</b> ({@link #sigmoid(double, double...)}), independent binary labels, the form
 * of the paper: per label {@code p_t = p} and {@code alpha_t = alpha_c} when {@code y = 1}, {@code
 * p_t = 1 - p} and {@code alpha_t = 1 - alpha_c} when {@code y = 0}, with each {@code alpha_c} in
 * [0, 1] (the paper uses 0.25). Without alphas both classes weigh 1, and with {@code gamma = 0} it
 * equals DL4J's {@code LossBinaryXENT}.
 *
 * <p>Instances are immutable, serialise to a network's JSON configuration and are numerically safe:
 * with {@code ActivationSoftmax}/{@code ActivationSigmoid} the logarithms and {@code 1 - p} are
 * computed from the logits, and the gradient stays finite even for {@code p_t = 1} and {@code 0 <
 * gamma < 1}; with other activations the outputs are clipped to [1e-10, 1 - 1e-10] (see {@link
 * LossForm}).
 */
@JsonAutoDetect(
    fieldVisibility = Visibility.NONE,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE,
    setterVisibility = Visibility.NONE,
    creatorVisibility = Visibility.NONE)
public final class FocalLoss extends BaseCrossEntropyLoss {

  private static final long serialVersionUID = 1L;

  /** The focusing parameter recommended by Lin et al. 2017. */
  public static final double DEFAULT_GAMMA = 2.0;

  /** Softmax or sigmoid form. */
  @JsonProperty("form")
  private final LossForm form;

  /** Focusing parameter, finite and >= 0. */
  @JsonProperty("gamma")
  private final double gamma;

  /** One alpha per output, or empty for all 1. */
  @JsonProperty("alpha")
  private final double[] alpha;

  /** Softmax-form focal loss with {@link #DEFAULT_GAMMA} and every class weighing 1. */
  public FocalLoss() {
    this(LossForm.SOFTMAX, DEFAULT_GAMMA, null);
  }

  /**
   * Softmax-form focal loss (same as {@link #softmax(double, double...)}).
   *
   * @param gamma focusing parameter, finite and {@code >= 0}
   * @param alpha one finite class weight {@code >= 0} per class; none means all 1
   * @throws IllegalArgumentException if gamma or a weight is negative, NaN or infinite
   */
  public FocalLoss(double gamma, double... alpha) {
    this(LossForm.SOFTMAX, gamma, alpha);
  }

  /**
   * Focal loss of the given form.
   *
   * @param form softmax (alpha = class weights {@code >= 0}) or sigmoid (alpha = per-label balance
   *     in [0, 1])
   * @param gamma focusing parameter, finite and {@code >= 0}
   * @param alpha one value per output; {@code null} or none means every output weighs 1
   * @throws IllegalArgumentException if gamma is negative, NaN or infinite, or an alpha is out of
   *     range
   * @throws NullPointerException if {@code form} is null
   */
  @JsonCreator
  public FocalLoss(
      @JsonProperty("form") LossForm form,
      @JsonProperty("gamma") double gamma,
      @JsonProperty("alpha") double[] alpha) {
    this.form = Objects.requireNonNull(form, "form");
    this.gamma = checkedGamma(gamma);
    this.alpha = checkedAlpha(form, alpha);
  }

  /**
   * Checks gamma as the constructor does, without building a loss.
   *
   * @param gamma focusing parameter
   * @return {@code gamma}
   * @throws IllegalArgumentException if gamma is negative, NaN or infinite
   */
  public static double checkedGamma(double gamma) {
    if (!Double.isFinite(gamma) || gamma < 0) {
      throw new IllegalArgumentException("gamma must be finite and >= 0 but was " + gamma);
    }
    return gamma;
  }

  /**
   * Checks alpha as the constructor does, without building a loss.
   *
   * @param form softmax (alpha = class weights {@code >= 0}) or sigmoid (alpha in [0, 1])
   * @param alpha one value per output; {@code null} or none means every output weighs 1
   * @return a copy (empty for null)
   * @throws IllegalArgumentException naming the index of a value out of range
   */
  public static double[] checkedAlpha(LossForm form, double[] alpha) {
    double[] checked = checkedNonNegative("alpha", alpha == null ? new double[0] : alpha);
    if (form == LossForm.SIGMOID) {
      for (int c = 0; c < checked.length; c++) {
        if (checked[c] > 1) {
          throw new IllegalArgumentException(
              "alpha["
                  + c
                  + "] of the sigmoid focal loss must be in [0, 1]"
                  + " (weight of positives; negatives weigh 1 - alpha) but was "
                  + checked[c]);
        }
      }
    }
    return checked;
  }

  /**
   * Softmax form: {@code loss = -sum_c alpha_c y_c (1 - p_c)^gamma log p_c}.
   *
   * @param gamma focusing parameter, finite and {@code >= 0}
   * @param alpha one finite class weight {@code >= 0} per class; none means all 1
   * @return the loss
   * @throws IllegalArgumentException if gamma or a weight is negative, NaN or infinite
   */
  public static FocalLoss softmax(double gamma, double... alpha) {
    return new FocalLoss(LossForm.SOFTMAX, gamma, alpha);
  }

  /**
   * Sigmoid form of Lin et al. 2017: per label {@code -alpha_t (1 - p_t)^gamma log p_t}.
   *
   * @param gamma focusing parameter, finite and {@code >= 0}
   * @param alpha one value in [0, 1] per label (weight of positives; negatives weigh {@code 1 -
   *     alpha}); none means positives and negatives both weigh 1
   * @return the loss
   * @throws IllegalArgumentException if gamma is negative, NaN or infinite, or an alpha is outside
   *     [0, 1]
   */
  public static FocalLoss sigmoid(double gamma, double... alpha) {
    return new FocalLoss(LossForm.SIGMOID, gamma, alpha);
  }

  /**
   * The form of this loss.
   *
   * @return softmax or sigmoid
   */
  public LossForm form() {
    return form;
  }

  /**
   * The focusing parameter.
   *
   * @return gamma, {@code >= 0}
   */
  public double gamma() {
    return gamma;
  }

  /**
   * The alpha values (a copy); empty when every output weighs 1.
   *
   * @return class weights (softmax form) or positive-class balances (sigmoid form)
   */
  public double[] alpha() {
    return alpha.clone();
  }

  @Override
  LossForm lossForm() {
    return form;
  }

  @Override
  int requiredOutputs() {
    return alpha.length == 0 ? -1 : alpha.length;
  }

  @Override
  String requiredOutputsSource() {
    return alpha.length + " alpha values";
  }

  @Override
  void terms(Row r) {
    if (form == LossForm.SOFTMAX) {
      softmaxTerms(r);
    } else {
      sigmoidTerms(r);
    }
  }

  /*
   * l = -a y q^g L with L = log p, q = 1 - p = 1 - exp(L):
   * dl/dL = a y (g p q^(g-1) L - q^g) = a y q^g (g p (L / q) - 1), where L / q -> -1 as q -> 0.
   */
  private void softmaxTerms(Row r) {
    for (int c = 0; c < r.size(); c++) {
      double y = r.y[c];
      if (y == 0) {
        continue;
      }
      double a = alpha.length == 0 ? 1.0 : alpha[c];
      double q = r.q[c];
      double logP = r.logP[c];
      double qg = Math.pow(q, gamma); // pow(0, 0) = 1: gamma = 0 is cross-entropy
      double logPOverQ = q == 0 ? -1.0 : (q < 0.5 ? Math.log1p(-q) / q : logP / q);
      r.loss[c] = -a * y * qg * logP;
      r.dLogP[c] = a * y * qg * (gamma * r.p[c] * logPOverQ - 1.0);
    }
  }

  /*
   * l = -a1 y q^g L1 - a0 (1 - y) p^g L0 with L1 = log p, L0 = log(1 - p), q^g = exp(g L0), p^g = exp(g L1).
   */
  private void sigmoidTerms(Row r) {
    for (int c = 0; c < r.size(); c++) {
      double y = r.y[c];
      double a1 = alpha.length == 0 ? 1.0 : alpha[c];
      double a0 = alpha.length == 0 ? 1.0 : 1.0 - alpha[c];
      double l1 = r.logP[c];
      double l0 = r.logQ[c];
      double qg = Math.exp(gamma * l0);
      double pg = Math.exp(gamma * l1);
      double pos = a1 * y;
      double neg = a0 * (1 - y);
      r.loss[c] = -pos * qg * l1 - neg * pg * l0;
      r.dLogP[c] = -pos * qg - neg * gamma * pg * l0;
      r.dLogQ[c] = -pos * gamma * qg * l1 - neg * pg;
    }
  }

  /** Equal when form, gamma and alpha are equal. */
  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof FocalLoss other
            && form == other.form
            && Double.compare(gamma, other.gamma) == 0
            && Arrays.equals(alpha, other.alpha));
  }

  /** Consistent with {@link #equals(Object)}. */
  @Override
  public int hashCode() {
    return (31 * form.hashCode() + Double.hashCode(gamma)) * 31 + Arrays.hashCode(alpha);
  }

  /** For example {@code FocalLoss(form=SOFTMAX, gamma=2.0, alpha=[0.25, 0.75])}. */
  @Override
  public String toString() {
    return "FocalLoss(form="
        + form
        + ", gamma="
        + gamma
        + ", alpha="
        + Arrays.toString(alpha)
        + ")";
  }
}
