package dev.cxr.loss;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect.Visibility;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Class-weighted cross-entropy, the standard remedy for class imbalance (e.g. about 1 Effusion
 * image to 10 "No Finding" images in NIH ChestX-ray14).
 *
 * <p><b>Softmax form</b> ({@link #softmax(double...)}, or the constructor), classes mutually
 * exclusive, labels one-hot: for an example with label row {@code y} and softmax output {@code p},
 *
 * <pre>  loss = - sum_c w_c * y_c * log p_c</pre>
 *
 * so {@code new WeightedCrossEntropy(1, 5)} makes every class-1 (Effusion) example count 5 times as
 * much as a class-0 example, whatever the prediction. This equals DL4J's {@code
 * LossMCXENT(weights)}.
 *
 * <p><b>Sigmoid form</b> ({@link #sigmoid(double...)}), independent labels (multi-label), with one
 * positive weight per label exactly like PyTorch's {@code BCEWithLogitsLoss(pos_weight=...)}:
 *
 * <pre>  loss = - sum_c [ w_c * y_c * log p_c + (1 - y_c) * log(1 - p_c) ]</pre>
 *
 * A common choice is {@code w_c = negatives_c / positives_c}.
 *
 * <p>With no weights, or all weights 1, the loss is plain cross-entropy and equals DL4J's {@code
 * LossMCXENT} (softmax) or {@code LossBinaryXENT} (sigmoid). The number of weights must equal the
 * number of outputs; this is checked when the loss is first used (it is not known earlier).
 *
 * <p>Instances are immutable, serialise to a network's JSON configuration and are numerically safe:
 * with {@code ActivationSoftmax}/{@code ActivationSigmoid} the logarithms are computed from the
 * logits; with other activations the outputs are clipped to [1e-10, 1 - 1e-10] (see {@link
 * LossForm}).
 */
@JsonAutoDetect(
    fieldVisibility = Visibility.NONE,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE,
    setterVisibility = Visibility.NONE,
    creatorVisibility = Visibility.NONE)
public final class WeightedCrossEntropy extends BaseCrossEntropyLoss {

  private static final long serialVersionUID = 1L;

  /** Softmax or sigmoid form. */
  @JsonProperty("form")
  private final LossForm form;

  /** One weight per output, or empty for all 1. */
  @JsonProperty("weights")
  private final double[] weights;

  /**
   * Softmax-form weighted cross-entropy, one weight per class (same as {@link
   * #softmax(double...)}).
   *
   * @param weights one finite weight {@code >= 0} per class; none means every class weighs 1
   * @throws IllegalArgumentException if a weight is negative, NaN or infinite
   */
  public WeightedCrossEntropy(double... weights) {
    this(LossForm.SOFTMAX, weights);
  }

  /**
   * Weighted cross-entropy of the given form.
   *
   * @param form softmax (weights per class) or sigmoid (positive weights per label)
   * @param weights one finite weight {@code >= 0} per output; {@code null} or none means all 1
   * @throws IllegalArgumentException if a weight is negative, NaN or infinite
   * @throws NullPointerException if {@code form} is null
   */
  @JsonCreator
  public WeightedCrossEntropy(
      @JsonProperty("form") LossForm form, @JsonProperty("weights") double[] weights) {
    this.form = Objects.requireNonNull(form, "form");
    this.weights =
        checkedNonNegative(
            form == LossForm.SOFTMAX ? "weights" : "posWeights",
            weights == null ? new double[0] : weights);
  }

  /**
   * Checks weights as the constructors do, without building a loss (for configuration objects that
   * hold weights and build the loss later).
   *
   * @param name the parameter's name, used in the message
   * @param weights the weights
   * @return a copy
   * @throws IllegalArgumentException naming {@code name}, the index and the bad value when a weight
   *     is negative, NaN or infinite
   */
  public static double[] checkedWeights(String name, double... weights) {
    return checkedNonNegative(name, weights);
  }

  /**
   * Softmax form: exclusive classes, {@code loss = -sum_c w_c y_c log p_c}.
   *
   * @param weights one finite weight {@code >= 0} per class, e.g. {@code softmax(1, 5)}; none means
   *     all 1
   * @return the loss
   * @throws IllegalArgumentException if a weight is negative, NaN or infinite
   */
  public static WeightedCrossEntropy softmax(double... weights) {
    return new WeightedCrossEntropy(LossForm.SOFTMAX, weights);
  }

  /**
   * Sigmoid form: independent labels with per-label positive weights (PyTorch's {@code
   * pos_weight}), {@code loss = -sum_c [pw_c y_c log p_c + (1 - y_c) log(1 - p_c)]}.
   *
   * @param posWeights one finite weight {@code >= 0} per label; none means all 1
   * @return the loss
   * @throws IllegalArgumentException if a weight is negative, NaN or infinite
   */
  public static WeightedCrossEntropy sigmoid(double... posWeights) {
    return new WeightedCrossEntropy(LossForm.SIGMOID, posWeights);
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
   * The weights (a copy); empty when every output weighs 1.
   *
   * @return class weights (softmax form) or positive weights (sigmoid form)
   */
  public double[] weights() {
    return weights.clone();
  }

  @Override
  LossForm lossForm() {
    return form;
  }

  @Override
  int requiredOutputs() {
    return weights.length == 0 ? -1 : weights.length;
  }

  @Override
  String requiredOutputsSource() {
    return weights.length + (form == LossForm.SOFTMAX ? " class weights" : " positive weights");
  }

  private double weight(int c) {
    return weights.length == 0 ? 1.0 : weights[c];
  }

  @Override
  void terms(Row r) {
    for (int c = 0; c < r.size(); c++) {
      double w = weight(c);
      double y = r.y[c];
      if (form == LossForm.SOFTMAX) {
        r.loss[c] = -w * y * r.logP[c];
        r.dLogP[c] = -w * y;
      } else {
        r.loss[c] = -(w * y * r.logP[c] + (1 - y) * r.logQ[c]);
        r.dLogP[c] = -w * y;
        r.dLogQ[c] = -(1 - y);
      }
    }
  }

  /** Equal when form and weights are equal. */
  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof WeightedCrossEntropy other
            && form == other.form
            && Arrays.equals(weights, other.weights));
  }

  /** Consistent with {@link #equals(Object)}. */
  @Override
  public int hashCode() {
    return 31 * form.hashCode() + Arrays.hashCode(weights);
  }

  /** For example {@code WeightedCrossEntropy(form=SOFTMAX, weights=[1.0, 5.0])}. */
  @Override
  public String toString() {
    return "WeightedCrossEntropy(form=" + form + ", weights=" + Arrays.toString(weights) + ")";
  }
}
