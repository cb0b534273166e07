package dev.cxr.loss;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Shared machinery of the cross-entropy losses in this package: argument checks on every call,
 * label masks (read by {@link LossMask}), numerically safe log-probabilities (computed by {@link
 * Row}) and the chain rule back to the pre-activation output.
 *
 * <p>A subclass only describes, for one example, each output's loss term and its partial
 * derivatives with respect to {@code log p} (and, for the sigmoid form, {@code log(1 - p)}); see
 * {@link #terms(Row)}. The per-example work is done on {@code double} arrays: a loss layer's output
 * is small ({@code [minibatch, classes]}), and double precision keeps the logarithms exact.
 *
 * <p>Masks: a per-example mask {@code [mb, 1]} or a per-output mask {@code [mb, nOut]} multiplies
 * each output's loss term; masked-out terms are skipped entirely (their labels may be anything). As
 * in DL4J's own losses, the returned gradient is finally multiplied by the mask too: DL4J zeroes
 * the masked pre-outputs of an output layer, so their gradient is zero, while unmasked entries keep
 * the exact derivative (also with softmax, whose outputs are coupled).
 *
 * <p>Gradients:
 *
 * <ul>
 *   <li>softmax form with {@link ActivationSoftmax}: {@code dL/dz_k = h_k - p_k * sum_c h_c} with
 *       {@code h_c = dL/d(log p_c)} (masked);
 *   <li>sigmoid form with {@link ActivationSigmoid}: {@code dL/dz = u * (1 - p) - v * p} with
 *       {@code u = dL/d(log p)}, {@code v = dL/d(log(1 - p))};
 *   <li>any other activation: {@code dL/da = u / a - v / (1 - a)} on the clipped output {@code a},
 *       then {@link IActivation#backprop(INDArray, INDArray)}.
 * </ul>
 */
abstract class BaseCrossEntropyLoss implements ILossFunction {

  private static final long serialVersionUID = 1L;

  /**
   * Probabilities are clipped to [CLIP_EPS, 1 - CLIP_EPS] when they do not come from logits (as
   * LossMCXENT).
   */
  static final double CLIP_EPS = 1e-10;

  /** The form (softmax or sigmoid) this loss is written for. */
  abstract LossForm lossForm();

  /** Number of outputs the configuration requires, or -1 when any number is accepted. */
  abstract int requiredOutputs();

  /** What fixes {@link #requiredOutputs()}, for error messages, e.g. "2 class weights". */
  abstract String requiredOutputsSource();

  /**
   * Fills {@code row.loss}, {@code row.dLogP} and (sigmoid form) {@code row.dLogQ} for one example.
   * The output arrays are zero on entry.
   */
  abstract void terms(Row row);

  // ------------------------------------------------------------------ ILossFunction

  /** {@inheritDoc} */
  @Override
  public double computeScore(
      INDArray labels,
      INDArray preOutput,
      IActivation activationFn,
      INDArray mask,
      boolean average) {
    Evaluation e = evaluate(labels, preOutput, activationFn, mask, false);
    return e.score(average);
  }

  /**
   * {@inheritDoc} Returns a column vector {@code [minibatch, 1]} in the data type of {@code
   * preOutput}.
   */
  @Override
  public INDArray computeScoreArray(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    Evaluation e = evaluate(labels, preOutput, activationFn, mask, false);
    return Nd4j.createFromArray(e.rowScores).reshape(e.rows, 1).castTo(preOutput.dataType());
  }

  /**
   * {@inheritDoc} Returns {@code dL/dpreOutput} in the shape and data type of {@code preOutput}.
   */
  @Override
  public INDArray computeGradient(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    return evaluate(labels, preOutput, activationFn, mask, true).gradient;
  }

  /** {@inheritDoc} Evaluates the probabilities once for both results. */
  @Override
  public Pair<Double, INDArray> computeGradientAndScore(
      INDArray labels,
      INDArray preOutput,
      IActivation activationFn,
      INDArray mask,
      boolean average) {
    Evaluation e = evaluate(labels, preOutput, activationFn, mask, true);
    return new Pair<>(e.score(average), e.gradient);
  }

  /** {@inheritDoc} Same as {@link #toString()}. */
  @Override
  public String name() {
    return toString();
  }

  // ------------------------------------------------------------------ evaluation

  private static final class Evaluation {
    final int rows;
    final double[] rowScores;
    INDArray gradient;

    Evaluation(int rows) {
      this.rows = rows;
      this.rowScores = new double[rows];
    }

    double score(boolean average) {
      double sum = 0;
      for (double s : rowScores) {
        sum += s;
      }
      return average ? sum / rows : sum;
    }
  }

  private Evaluation evaluate(
      INDArray labels,
      INDArray preOutput,
      IActivation activationFn,
      INDArray mask,
      boolean wantGradient) {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(preOutput, "preOutput");
    Objects.requireNonNull(activationFn, "activationFn");
    if (preOutput.rank() != 2) {
      throw new IllegalArgumentException(
          getClass().getSimpleName()
              + ": preOutput must have rank 2 [minibatch, outputs] but has shape "
              + Arrays.toString(preOutput.shape()));
    }
    if (!Arrays.equals(labels.shape(), preOutput.shape())) {
      throw new IllegalArgumentException(
          getClass().getSimpleName()
              + ": labels and preOutput must have equal shapes but were "
              + Arrays.toString(labels.shape())
              + " and "
              + Arrays.toString(preOutput.shape()));
    }
    int rows = Math.toIntExact(preOutput.size(0));
    int n = Math.toIntExact(preOutput.size(1));
    int required = requiredOutputs();
    if (required >= 0 && required != n) {
      throw new IllegalStateException(
          getClass().getSimpleName()
              + " with "
              + requiredOutputsSource()
              + " expects "
              + required
              + " outputs but the output layer has "
              + n
              + " (expected "
              + required
              + ", actual "
              + n
              + "; labels/preOutput shape "
              + Arrays.toString(preOutput.shape())
              + ")");
    }

    LossForm form = lossForm();
    boolean natural =
        form == LossForm.SOFTMAX
            ? activationFn instanceof ActivationSoftmax
            : activationFn instanceof ActivationSigmoid;
    double[] x = flatten(preOutput);
    double[] y = flatten(labels);
    double[] m = LossMask.multipliers(mask, rows, n, preOutput);
    double[] a = natural ? null : flatten(activationFn.getActivation(preOutput.dup(), true));

    Evaluation e = new Evaluation(rows);
    double[] grad = wantGradient ? new double[rows * n] : null;
    Row r = new Row(n);
    double[] h = new double[n];
    double[] v = new double[n];
    for (int i = 0; i < rows; i++) {
      int off = i * n;
      System.arraycopy(y, off, r.y, 0, n);
      if (!natural) {
        r.fromClippedProbabilities(a, off);
      } else if (form == LossForm.SOFTMAX) {
        r.fromSoftmaxLogits(x, off);
      } else {
        r.fromSigmoidLogits(x, off);
      }
      r.clearTerms();
      terms(r);

      double rowScore = 0;
      for (int c = 0; c < n; c++) {
        double mult = m == null ? 1.0 : m[off + c];
        if (mult == 0.0) { // masked out: contributes nothing, even if its labels are garbage
          h[c] = 0;
          v[c] = 0;
          continue;
        }
        rowScore += mult * r.loss[c];
        h[c] = mult * r.dLogP[c];
        v[c] = mult * r.dLogQ[c];
      }
      e.rowScores[i] = rowScore;
      if (wantGradient) {
        rowGradient(natural, form, r, h, v, grad, off);
      }
    }

    if (wantGradient) {
      if (natural) {
        if (m != null) {
          zeroMaskedOutputs(grad, m);
        }
        e.gradient = Nd4j.createFromArray(grad).reshape(rows, n).castTo(preOutput.dataType());
      } else {
        INDArray dLda = Nd4j.createFromArray(grad).reshape(rows, n).castTo(preOutput.dataType());
        e.gradient = activationFn.backprop(preOutput.dup(), dLda).getFirst();
        if (m != null) {
          e.gradient.muli(Nd4j.createFromArray(m).reshape(rows, n).castTo(e.gradient.dataType()));
        }
      }
    }
    return e;
  }

  /**
   * DL4J zeroes the masked pre-outputs of an output layer, so the gradient of a masked output is
   * zero (as in DL4J's own losses); unmasked entries keep the exact derivative.
   */
  private static void zeroMaskedOutputs(double[] grad, double[] m) {
    for (int j = 0; j < grad.length; j++) {
      grad[j] *= m[j];
    }
  }

  private static void rowGradient(
      boolean natural, LossForm form, Row r, double[] h, double[] v, double[] grad, int off) {
    int n = r.size();
    if (natural && form == LossForm.SOFTMAX) {
      double sumH = 0;
      for (int c = 0; c < n; c++) {
        sumH += h[c];
      }
      for (int k = 0; k < n; k++) {
        grad[off + k] = h[k] - r.p[k] * sumH;
      }
    } else if (natural) {
      for (int c = 0; c < n; c++) {
        grad[off + c] = h[c] * r.q[c] - v[c] * r.p[c];
      }
    } else {
      for (int c = 0; c < n; c++) {
        grad[off + c] = h[c] / r.p[c] - v[c] / r.q[c];
      }
    }
  }

  /** Row-major copy of an array's values as doubles. */
  static double[] flatten(INDArray arr) {
    INDArray d = arr.castTo(DataType.DOUBLE).dup('c');
    double[] out = d.data().asDouble();
    return out.length == d.length() ? out : Arrays.copyOf(out, Math.toIntExact(d.length()));
  }

  // ------------------------------------------------------------------ argument checks for
  // subclasses

  /**
   * Copies {@code values} after checking that each is finite and non-negative.
   *
   * @throws IllegalArgumentException naming {@code name}, the index and the bad value
   */
  static double[] checkedNonNegative(String name, double[] values) {
    Objects.requireNonNull(values, name);
    double[] copy = values.clone();
    for (int i = 0; i < copy.length; i++) {
      if (!Double.isFinite(copy[i]) || copy[i] < 0) {
        throw new IllegalArgumentException(
            name + "[" + i + "] must be finite and >= 0 but was " + copy[i]);
      }
    }
    return copy;
  }
}
