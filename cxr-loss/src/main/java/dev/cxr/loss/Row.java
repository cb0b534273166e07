package dev.cxr.loss;

import java.util.Arrays;

/**
 * One example's working storage, handed to {@link BaseCrossEntropyLoss#terms(Row)}: its labels and
 * probabilities (in), and each output's loss term and partial derivatives (out). It also computes
 * the probabilities, in one of three numerically safe ways: from softmax logits (log-sum-exp), from
 * sigmoid logits (softplus), or from any other activation's outputs clipped to [{@value
 * BaseCrossEntropyLoss#CLIP_EPS}, 1 - {@value BaseCrossEntropyLoss#CLIP_EPS}] as {@code LossMCXENT}
 * does. Mutable and reused row after row by one evaluation.
 */
final class Row {
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

  /** Sets the outputs to zero, as {@link BaseCrossEntropyLoss#terms(Row)} expects them. */
  void clearTerms() {
    Arrays.fill(loss, 0);
    Arrays.fill(dLogP, 0);
    Arrays.fill(dLogQ, 0);
  }

  /**
   * The probabilities from one row of softmax logits {@code x[off..off + size)} (log-softmax), with
   * 1 - p computed as the sum of the other probabilities.
   */
  void fromSoftmaxLogits(double[] x, int off) {
    int n = size();
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
      logP[c] = lp;
      p[c] = Math.exp(lp);
      rank[c] = lp;
    }
    for (int c = 0; c < n; c++) {
      double qc;
      if (c == top) {
        qc = rest / (1.0 + rest); // sum of the other probabilities, no cancellation
      } else {
        qc = 1.0 - p[c]; // p_c <= 1/2 here, so no cancellation either
      }
      q[c] = qc;
      logQ[c] = qc > 0 ? Math.log(qc) : Math.log(BaseCrossEntropyLoss.CLIP_EPS);
    }
  }

  /** The probabilities from sigmoid logits: log sigmoid and log(1 - sigmoid) via softplus. */
  void fromSigmoidLogits(double[] x, int off) {
    for (int c = 0; c < size(); c++) {
      double z = x[off + c];
      double lp = -softplus(-z);
      double lq = -softplus(z);
      logP[c] = lp;
      logQ[c] = lq;
      p[c] = Math.exp(lp);
      q[c] = Math.exp(lq);
      rank[c] = z;
    }
  }

  /** Activation outputs taken as probabilities, clipped to [CLIP_EPS, 1 - CLIP_EPS]. */
  void fromClippedProbabilities(double[] a, int off) {
    double eps = BaseCrossEntropyLoss.CLIP_EPS;
    for (int c = 0; c < size(); c++) {
      double raw = a[off + c];
      double pc = Math.min(Math.max(raw, eps), 1.0 - eps);
      p[c] = pc;
      q[c] = 1.0 - pc;
      logP[c] = Math.log(pc);
      logQ[c] = Math.log1p(-pc);
      rank[c] = raw;
    }
  }

  private static double softplus(double t) {
    return Math.max(t, 0.0) + Math.log1p(Math.exp(-Math.abs(t)));
  }
}
