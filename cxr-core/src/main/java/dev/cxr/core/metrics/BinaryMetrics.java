package dev.cxr.core.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Metrics of a binary classifier's scores against the truth, all computed once by {@link
 * #of(double[], boolean[])}: the exact ROC AUC, its standard error and 95% confidence interval, the
 * ROC curve, the Youden operating point, and confusion matrices at any threshold.
 *
 * <p><b>AUC.</b> The exact area under the empirical ROC curve, which equals the Mann-Whitney
 * statistic: the fraction of (positive, negative) pairs in which the positive scores higher, a tie
 * counting one half. It is computed in O(n log n) by sorting, never by thresholding on a grid.
 *
 * <p><b>Confidence interval.</b> The variance of the AUC is estimated by the nonparametric method
 * of DeLong, DeLong and Clarke-Pearson (1988), "Comparing the areas under two or more correlated
 * receiver operating characteristic curves: a nonparametric approach", Biometrics 44(3):837-845.
 * With {@code m} positives {@code X_i} and {@code n} negatives {@code Y_j} and the kernel {@code
 * psi(x, y) = 1 if x > y, 1/2 if x = y, 0 otherwise}, the structural components (placement values)
 * are {@code V10(X_i) = (1/n) sum_j psi(X_i, Y_j)} and {@code V01(Y_j) = (1/m) sum_i psi(X_i,
 * Y_j)}; with {@code S10} and {@code S01} their sample variances (denominators {@code m-1} and
 * {@code n-1}), {@code Var(AUC) = S10/m + S01/n}. The placement values are obtained from midranks
 * after one sort, as in the fast algorithm of Sun and Xu (2014), IEEE Signal Processing Letters
 * 21(11):1389-1393, so the whole computation is O(n log n). The interval is the plain Wald interval
 * {@code AUC +- 1.959964 * SE}, clipped to [0, 1]. With a single positive or a single negative a
 * sample variance is undefined and the standard error and interval bounds are {@link Double#NaN}.
 *
 * <p><b>ROC curve.</b> One point per distinct score, the rule being "positive when score {@code >=}
 * threshold", ordered by decreasing threshold, preceded by (0, 0) at threshold {@code +Infinity}
 * and ending at (1, 1) at the lowest score.
 *
 * <p><b>Youden threshold.</b> The score threshold maximising Youden's J = TPR - FPR = sensitivity +
 * specificity - 1 (Youden 1950), over the distinct scores (never the artificial {@code +Infinity}
 * point). J is compared exactly in integer arithmetic; among thresholds with the same maximal J the
 * <em>highest</em> threshold wins, i.e. the one that calls the fewest samples positive.
 *
 * <p>Instances are immutable and keep only the sorted scores of each class.
 */
public final class BinaryMetrics {

  /** The two-sided 97.5% standard normal quantile used for the 95% confidence interval. */
  public static final double Z_95 = 1.959964;

  private final double[] positiveScores; // sorted ascending
  private final double[] negativeScores; // sorted ascending
  private final double auc;
  private final double standardError;
  private final double ciLower;
  private final double ciUpper;
  private final List<RocPoint> roc;
  private final RocPoint youden;

  private BinaryMetrics(double[] positiveScores, double[] negativeScores) {
    this.positiveScores = positiveScores;
    this.negativeScores = negativeScores;
    // The ROC curve, Youden point, AUC and DeLong placement values come from one walk over the
    // sorted scores; see RocWalk.
    RocWalk walk = new RocWalk(positiveScores, negativeScores);
    this.roc = walk.roc;
    this.youden = walk.youden;
    this.auc = walk.auc;
    if (walk.m < 2 || walk.n < 2) {
      this.standardError = Double.NaN;
      this.ciLower = Double.NaN;
      this.ciUpper = Double.NaN;
    } else {
      this.standardError = walk.deLongStandardError();
      this.ciLower = Math.max(0.0, auc - Z_95 * standardError);
      this.ciUpper = Math.min(1.0, auc + Z_95 * standardError);
    }
  }

  /**
   * Computes all metrics of the given scores.
   *
   * @param scores one score per sample, higher meaning "more likely positive" (for example the
   *     predicted probability of the positive class); must be finite
   * @param positive whether each sample is truly positive, same length as {@code scores}
   * @return the metrics
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the lengths differ, a score is NaN or infinite, or there is
   *     not at least one positive and one negative
   */
  public static BinaryMetrics of(double[] scores, boolean[] positive) {
    Objects.requireNonNull(scores, "scores");
    Objects.requireNonNull(positive, "positive");
    if (scores.length != positive.length) {
      throw new IllegalArgumentException(
          "scores and positive must have the same length but had "
              + scores.length
              + " and "
              + positive.length);
    }
    int m = 0;
    for (int i = 0; i < scores.length; i++) {
      if (!Double.isFinite(scores[i])) {
        throw new IllegalArgumentException("scores[" + i + "] must be finite but was " + scores[i]);
      }
      if (positive[i]) {
        m++;
      }
    }
    int n = scores.length - m;
    if (m == 0 || n == 0) {
      throw new IllegalArgumentException(
          "AUC needs at least one positive and one negative sample"
              + " but got "
              + m
              + " positives and "
              + n
              + " negatives");
    }
    double[] pos = new double[m];
    double[] neg = new double[n];
    int ip = 0;
    int in = 0;
    for (int i = 0; i < scores.length; i++) {
      // + 0.0 turns -0.0 into 0.0 so that Arrays.sort and == agree on ties
      if (positive[i]) {
        pos[ip++] = scores[i] + 0.0;
      } else {
        neg[in++] = scores[i] + 0.0;
      }
    }
    Arrays.sort(pos);
    Arrays.sort(neg);
    return new BinaryMetrics(pos, neg);
  }

  /**
   * Formats an AUC and its 95% interval as the one-line summary the cxr tools print, for example
   * {@code AUC: 0.812500 (95% CI 0.701-0.924)}: six decimals for the AUC, three for the bounds.
   * When the bounds are NaN (a single positive or negative) the interval reads {@code n/a}.
   *
   * @param auc the area under the ROC curve
   * @param lower lower bound of the 95% interval
   * @param upper upper bound of the 95% interval
   * @return the line, without a line terminator
   */
  public static String formatAucLine(double auc, double lower, double upper) {
    if (Double.isNaN(lower) || Double.isNaN(upper)) {
      return String.format(Locale.ROOT, "AUC: %.6f (95%% CI n/a)", auc);
    }
    return String.format(Locale.ROOT, "AUC: %.6f (95%% CI %.3f-%.3f)", auc, lower, upper);
  }

  /**
   * The one-line summary of this AUC and its DeLong interval, see {@link #formatAucLine(double,
   * double, double)}.
   *
   * @return for example {@code AUC: 0.812500 (95% CI 0.701-0.924)}
   */
  public String aucLine() {
    return formatAucLine(auc, ciLower, ciUpper);
  }

  /**
   * The exact area under the ROC curve (Mann-Whitney U / (m n), ties counted one half).
   *
   * @return the AUC in [0, 1]
   */
  public double auc() {
    return auc;
  }

  /**
   * DeLong (1988) standard error of the AUC.
   *
   * @return the standard error, NaN with a single positive or a single negative
   */
  public double standardError() {
    return standardError;
  }

  /**
   * Lower bound of the 95% DeLong confidence interval, {@code max(0, AUC - 1.959964 SE)}.
   *
   * @return the lower bound, NaN when the standard error is
   */
  public double ciLower() {
    return ciLower;
  }

  /**
   * Upper bound of the 95% DeLong confidence interval, {@code min(1, AUC + 1.959964 SE)}.
   *
   * @return the upper bound, NaN when the standard error is
   */
  public double ciUpper() {
    return ciUpper;
  }

  /**
   * Number of truly positive samples.
   *
   * @return m, at least 1
   */
  public int positives() {
    return positiveScores.length;
  }

  /**
   * Number of truly negative samples.
   *
   * @return n, at least 1
   */
  public int negatives() {
    return negativeScores.length;
  }

  /**
   * Number of samples.
   *
   * @return positives + negatives
   */
  public int size() {
    return positiveScores.length + negativeScores.length;
  }

  /**
   * The ROC curve: (0, 0) at threshold {@code +Infinity}, then one point per distinct score in
   * decreasing order of threshold, the last being (1, 1).
   *
   * @return an unmodifiable list of at least two points
   */
  public List<RocPoint> rocCurve() {
    return roc;
  }

  /**
   * False-positive rates of {@link #rocCurve()}, convenient for plotting.
   *
   * @return a new array, one value per ROC point
   */
  public double[] rocFpr() {
    return roc.stream().mapToDouble(RocPoint::fpr).toArray();
  }

  /**
   * True-positive rates of {@link #rocCurve()}, convenient for plotting.
   *
   * @return a new array, one value per ROC point
   */
  public double[] rocTpr() {
    return roc.stream().mapToDouble(RocPoint::tpr).toArray();
  }

  /**
   * Thresholds of {@link #rocCurve()}; the first is {@code +Infinity}.
   *
   * @return a new array, one value per ROC point
   */
  public double[] rocThresholds() {
    return roc.stream().mapToDouble(RocPoint::threshold).toArray();
  }

  /**
   * The ROC point with maximal Youden's J (ties: highest threshold), see the class comment.
   *
   * @return the operating point; its threshold is one of the scores
   */
  public RocPoint youdenPoint() {
    return youden;
  }

  /**
   * The threshold maximising Youden's J = sensitivity + specificity - 1 (ties: highest threshold).
   *
   * @return a score value; call a sample positive when its score is {@code >=} it
   */
  public double youdenThreshold() {
    return youden.threshold();
  }

  /**
   * Youden's J at the {@link #youdenThreshold()}.
   *
   * @return max over thresholds of TPR - FPR, in [0, 1]
   */
  public double youdenJ() {
    return youden.youdenJ();
  }

  /**
   * The confusion matrix of the rule "positive when score {@code >= threshold}".
   *
   * @param threshold the decision threshold; infinities are allowed
   * @return the counts
   * @throws IllegalArgumentException if the threshold is NaN
   */
  public ConfusionMatrix confusionAt(double threshold) {
    if (Double.isNaN(threshold)) {
      throw new IllegalArgumentException("threshold must not be NaN");
    }
    int m = positiveScores.length;
    int n = negativeScores.length;
    int tp = m - countBelow(positiveScores, threshold);
    int fp = n - countBelow(negativeScores, threshold);
    return new ConfusionMatrix(threshold, tp, fp, n - fp, m - tp);
  }

  /**
   * The confusion matrix at the {@link #youdenThreshold()}.
   *
   * @return the counts
   */
  public ConfusionMatrix confusionAtYouden() {
    return confusionAt(youdenThreshold());
  }

  /** Number of values strictly below t in an ascending array (lower bound). */
  private static int countBelow(double[] sorted, double t) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * A short summary: counts, the AUC line and the Youden threshold.
   *
   * @return a one-line description
   */
  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "BinaryMetrics[%d positives, %d negatives, %s, SE %.6f,"
            + " Youden threshold %.6g (J %.4f)]",
        positives(),
        negatives(),
        aucLine(),
        standardError,
        youdenThreshold(),
        youdenJ());
  }
}
