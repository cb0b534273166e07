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
 * label masks, numerically safe log-probabilities and the chain rule back to the pre-activation
 * output.
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

  /** Per-example working storage handed to {@link #terms(Row)}. */
  static final class Row {
    /** Labels. */
    final double[] y;

    /** Probabilities p (clipped when not from logits). */
    final double[] p;

    /** 1 - p, computed without cancellation where it comes from logits. */
    final double[] q;

    /** log p. */
    final double[] logP;

    /** log(1 - p). */
    final double[] logQ;

    /** Monotone in the unclipped probabilities; used to find the predicted class. */
    final double[] rank;

    /** Output: the loss term of each output. */
    final double[] loss;

    /** Output: dLoss/d(log p) of each output (for the softmax form: total derivative). */
    final double[] dLogP;

    /** Output: dLoss/d(log(1 - p)) of each output (sigmoid form only). */
    final double[] dLogQ;

    Row(int n) {
      y = new double[n];
      p = new double[n];
      q = new double[n];
      logP = new double[n];
      logQ = new double[n];
      rank = new double[n];
      loss = new double[n];
      dLogP = new double[n];
      dLogQ = new double[n];
    }

    int size() {
      return y.length;
    }

    /** Index of the largest probability; the first one on ties. */
    int predictedClass() {
      int best = 0;
      for (int c = 1; c < rank.length; c++) {
        if (rank[c] > rank[best]) {
          best = c;
        }
      }
      return best;
    }
  }

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
    double[] m = maskMultipliers(mask, rows, n, preOutput);
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
        clippedProbabilities(a, off, r);
      } else if (form == LossForm.SOFTMAX) {
        logSoftmax(x, off, r);
      } else {
        logSigmoid(x, off, r);
      }
      Arrays.fill(r.loss, 0);
      Arrays.fill(r.dLogP, 0);
      Arrays.fill(r.dLogQ, 0);
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

  /**
   * Log-softmax of one row of logits, with 1 - p computed as the sum of the other probabilities.
   */
  private static void logSoftmax(double[] x, int off, Row r) {
    int n = r.size();
    int top = 0;
    for (int c = 1; c < n; c++) {
      if (x[off + c] > x[off + top]) {
        top = c;
      }
    }
    double max = x[off + top];
    double rest = 0; // sum of exp(x_c - max) over c != top
    for (int c = 0; c < n; c++) {
      if (c != top) {
        rest += Math.exp(x[off + c] - max);
      }
    }
    double logSum = max + Math.log1p(rest);
    for (int c = 0; c < n; c++) {
      double lp = x[off + c] - logSum;
      r.logP[c] = lp;
      r.p[c] = Math.exp(lp);
      r.rank[c] = lp;
    }
    for (int c = 0; c < n; c++) {
      double q;
      if (c == top) {
        q = rest / (1.0 + rest); // sum of the other probabilities, no cancellation
      } else {
        q = 1.0 - r.p[c]; // p_c <= 1/2 here, so no cancellation either
      }
      r.q[c] = q;
      r.logQ[c] = q > 0 ? Math.log(q) : Math.log(CLIP_EPS);
    }
  }

  /** log sigmoid and log(1 - sigmoid) from logits via softplus. */
  private static void logSigmoid(double[] x, int off, Row r) {
    for (int c = 0; c < r.size(); c++) {
      double z = x[off + c];
      double lp = -softplus(-z);
      double lq = -softplus(z);
      r.logP[c] = lp;
      r.logQ[c] = lq;
      r.p[c] = Math.exp(lp);
      r.q[c] = Math.exp(lq);
      r.rank[c] = z;
    }
  }

  private static double softplus(double t) {
    return Math.max(t, 0.0) + Math.log1p(Math.exp(-Math.abs(t)));
  }

  /** Activation outputs taken as probabilities, clipped to [CLIP_EPS, 1 - CLIP_EPS]. */
  private static void clippedProbabilities(double[] a, int off, Row r) {
    for (int c = 0; c < r.size(); c++) {
      double raw = a[off + c];
      double pc = Math.min(Math.max(raw, CLIP_EPS), 1.0 - CLIP_EPS);
      r.p[c] = pc;
      r.q[c] = 1.0 - pc;
      r.logP[c] = Math.log(pc);
      r.logQ[c] = Math.log1p(-pc);
      r.rank[c] = raw;
    }
  }

  /** The mask as one multiplier per output, or null without a mask. */
  private static double[] maskMultipliers(INDArray mask, int rows, int n, INDArray preOutput) {
    if (mask == null) {
      return null;
    }
    long[] s = mask.shape();
    boolean perExample =
        mask.length() == rows
            && (s.length == 1
                || (s.length == 2 && s[1] == 1)
                || (s.length == 2 && rows == 1 && s[0] == 1));
    boolean perOutput = s.length == 2 && s[0] == rows && s[1] == n;
    if (n == 1 && perOutput) {
      perExample = true;
    }
    if (!perExample && !perOutput) {
      throw new IllegalStateException(
          "Invalid mask array: per-example masks must have shape ["
              + rows
              + ", 1] and per-output masks the labels' shape "
              + Arrays.toString(preOutput.shape())
              + ", but the mask has shape "
              + Arrays.toString(s));
    }
    double[] flat = flatten(mask);
    if (perOutput && !perExample) {
      return flat;
    }
    double[] out = new double[rows * n];
    for (int i = 0; i < rows; i++) {
      Arrays.fill(out, i * n, (i + 1) * n, flat[i]);
    }
    return out;
  }

  /** Row-major copy of an array's values as doubles. */
  private static double[] flatten(INDArray arr) {
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
