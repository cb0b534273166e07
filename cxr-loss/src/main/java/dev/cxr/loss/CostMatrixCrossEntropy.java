package dev.cxr.loss;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect.Visibility;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Cross-entropy scaled by a cost matrix: the loss of the article "Detecting anomalies in X-ray
 * using CNN" (its Keras {@code w_categorical_crossentropy}).
 *
 * <p>For an example with one-hot label of class {@code t}, softmax output {@code p} and predicted
 * class {@code k = argmax(p)},
 *
 * <pre>  loss = W[t][k] * CE,   CE = - sum_c y_c log p_c</pre>
 *
 * so the entries of row {@code t} price each kind of mistake on a class-{@code t} example. The
 * article uses 1 on the diagonal and 5 elsewhere ({@link #diagonal(int, double, double) diagonal(2,
 * 1, 5)}); its notebook's final run used {@code W[1][0] = W[1][1] = 10}. For a soft label row the
 * factor is {@code sum_t y_t W[t][k]}; on ties the first largest output is taken as the prediction.
 *
 * <p>As in the Keras original, the factor is a constant with respect to the output (the argmax is
 * piecewise constant), so with softmax the gradient with respect to the pre-activation output is
 * {@code W[t][k] * (p - y)}. A matrix of all ones gives plain cross-entropy (DL4J's {@code
 * LossMCXENT}).
 *
 * <p>Instances are immutable, serialise to a network's JSON configuration and are numerically safe:
 * with {@code ActivationSoftmax} the logarithms are computed from the logits; with other
 * activations the outputs are taken as probabilities and clipped to [1e-10, 1 - 1e-10] (see {@link
 * LossForm}).
 */
@JsonAutoDetect(
    fieldVisibility = Visibility.NONE,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE,
    setterVisibility = Visibility.NONE,
    creatorVisibility = Visibility.NONE)
public final class CostMatrixCrossEntropy extends BaseCrossEntropyLoss {

  private static final long serialVersionUID = 1L;

  /** {@code W[true class][predicted class]}, square, entries finite and >= 0. */
  @JsonProperty("costMatrix")
  private final double[][] costMatrix;

  /**
   * Cost-matrix cross-entropy.
   *
   * @param costMatrix square, non-empty matrix of finite entries {@code >= 0}; {@code
   *     costMatrix[t][k]} scales the loss of a class-{@code t} example predicted as class {@code k}
   * @throws IllegalArgumentException if the matrix is empty or not square, or an entry is negative,
   *     NaN or infinite
   * @throws NullPointerException if the matrix or one of its rows is null
   */
  @JsonCreator
  public CostMatrixCrossEntropy(@JsonProperty("costMatrix") double[][] costMatrix) {
    this.costMatrix = checkedMatrix(costMatrix);
  }

  /**
   * Checks a cost matrix as the constructor does, without building a loss (for configuration
   * objects that hold a matrix and build the loss later).
   *
   * @param costMatrix square, non-empty matrix of finite entries {@code >= 0}
   * @return a deep copy
   * @throws IllegalArgumentException if the matrix is empty or not square, or an entry is negative,
   *     NaN or infinite; the message names the row
   * @throws NullPointerException if the matrix or one of its rows is null
   */
  public static double[][] checkedMatrix(double[][] costMatrix) {
    Objects.requireNonNull(costMatrix, "costMatrix");
    int n = costMatrix.length;
    if (n == 0) {
      throw new IllegalArgumentException(
          "costMatrix must not be empty (it needs one row per class)");
    }
    double[][] copy = new double[n][];
    for (int t = 0; t < n; t++) {
      Objects.requireNonNull(costMatrix[t], "costMatrix[" + t + "]");
      if (costMatrix[t].length != n) {
        throw new IllegalArgumentException(
            "costMatrix must be square but row "
                + t
                + " has "
                + costMatrix[t].length
                + " entries for "
                + n
                + " rows");
      }
      copy[t] = checkedNonNegative("costMatrix[" + t + "]", costMatrix[t]);
    }
    return copy;
  }

  /**
   * A cost matrix with one value on the diagonal and another everywhere else; the article's loss is
   * {@code diagonal(2, 1, 5)}.
   *
   * @param numClasses number of classes, {@code >= 1}
   * @param onDiagonal factor for correct predictions, finite and {@code >= 0}
   * @param offDiagonal factor for mistakes, finite and {@code >= 0}
   * @return the loss
   * @throws IllegalArgumentException if {@code numClasses < 1} or a factor is negative, NaN or
   *     infinite
   */
  public static CostMatrixCrossEntropy diagonal(
      int numClasses, double onDiagonal, double offDiagonal) {
    if (numClasses < 1) {
      throw new IllegalArgumentException("numClasses must be >= 1 but was " + numClasses);
    }
    double[][] w = new double[numClasses][numClasses];
    for (int t = 0; t < numClasses; t++) {
      for (int k = 0; k < numClasses; k++) {
        w[t][k] = t == k ? onDiagonal : offDiagonal;
      }
    }
    return new CostMatrixCrossEntropy(w);
  }

  /**
   * The cost matrix (a deep copy).
   *
   * @return {@code W[true class][predicted class]}
   */
  public double[][] costMatrix() {
    double[][] copy = new double[costMatrix.length][];
    for (int t = 0; t < copy.length; t++) {
      copy[t] = costMatrix[t].clone();
    }
    return copy;
  }

  /**
   * Number of classes, the side of the cost matrix.
   *
   * @return number of classes
   */
  public int numClasses() {
    return costMatrix.length;
  }

  @Override
  LossForm lossForm() {
    return LossForm.SOFTMAX;
  }

  @Override
  int requiredOutputs() {
    return costMatrix.length;
  }

  @Override
  String requiredOutputsSource() {
    return "a " + costMatrix.length + "x" + costMatrix.length + " cost matrix";
  }

  @Override
  void terms(Row r) {
    int k = r.predictedClass();
    double factor = 0;
    for (int t = 0; t < r.size(); t++) {
      factor += r.y[t] * costMatrix[t][k];
    }
    for (int c = 0; c < r.size(); c++) {
      r.loss[c] = -factor * r.y[c] * r.logP[c];
      r.dLogP[c] = -factor * r.y[c];
    }
  }

  /** Equal when the cost matrices are equal. */
  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof CostMatrixCrossEntropy other
            && Arrays.deepEquals(costMatrix, other.costMatrix));
  }

  /** Consistent with {@link #equals(Object)}. */
  @Override
  public int hashCode() {
    return Arrays.deepHashCode(costMatrix);
  }

  /** For example {@code CostMatrixCrossEntropy(costMatrix=[[1.0, 5.0], [5.0, 1.0]])}. */
  @Override
  public String toString() {
    return "CostMatrixCrossEntropy(costMatrix=" + Arrays.deepToString(costMatrix) + ")";
  }
}
