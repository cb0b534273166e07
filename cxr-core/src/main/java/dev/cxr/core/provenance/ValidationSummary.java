package dev.cxr.core.provenance;

import dev.cxr.core.metrics.BinaryMetrics;
import java.util.List;

/**
 * The validation metrics of a model's kept weights, the operating point chosen on them and the
 * temperature that calibrates its probabilities.
 *
 * @param auc validation ROC AUC
 * @param aucLow lower bound of its 95% DeLong confidence interval
 * @param aucHigh upper bound
 * @param threshold operating threshold chosen on validation (Youden's J), NaN when none was chosen;
 *     it applies to the probabilities after temperature scaling
 * @param sensitivity validation sensitivity at that threshold
 * @param specificity validation specificity at that threshold
 * @param temperature softmax temperature fitted on the validation split ({@code cxr calibrate}); 1
 *     when the model is not calibrated (and for files written before calibration existed, which
 *     lack the field)
 * @param findings a multi-label model's per-finding metrics, thresholds and temperatures, in task
 *     order (then {@code auc} is their mean AUC and the other fields above are NaN or 1); empty for
 *     the one-finding task, whose figures are the fields above (and for files written before
 *     multi-label models existed, which lack the field)
 */
public record ValidationSummary(
    double auc,
    double aucLow,
    double aucHigh,
    double threshold,
    double sensitivity,
    double specificity,
    double temperature,
    List<FindingSummary> findings) {

  /** Temperature of a model that is not calibrated. */
  public static final double UNCALIBRATED = 1.0;

  /** Checks the temperature. */
  public ValidationSummary {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException(
          "temperature must be positive and finite but was " + temperature);
    }
    findings = findings == null ? List.of() : List.copyOf(findings);
  }

  /**
   * Metrics of a one-finding model with a fitted temperature.
   *
   * @param auc validation ROC AUC
   * @param aucLow lower bound of its 95% DeLong confidence interval
   * @param aucHigh upper bound
   * @param threshold operating threshold, NaN when none was chosen
   * @param sensitivity validation sensitivity at that threshold
   * @param specificity validation specificity at that threshold
   * @param temperature the fitted temperature
   */
  public ValidationSummary(
      double auc,
      double aucLow,
      double aucHigh,
      double threshold,
      double sensitivity,
      double specificity,
      double temperature) {
    this(auc, aucLow, aucHigh, threshold, sensitivity, specificity, temperature, List.of());
  }

  /**
   * Metrics of a multi-label model.
   *
   * @param meanAuc the mean validation AUC over the findings it chose its epoch on
   * @param findings one summary per finding, in task order
   * @return the summary
   */
  public static ValidationSummary multiLabel(double meanAuc, List<FindingSummary> findings) {
    if (findings.isEmpty()) {
      throw new IllegalArgumentException("a multi-label summary needs its findings");
    }
    return new ValidationSummary(
        meanAuc,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        UNCALIBRATED,
        findings);
  }

  /**
   * The per-finding view of any model: a multi-label model's {@link #findings()}, or the fields
   * above as the one finding of a one-finding model.
   *
   * @param names the task's findings, in order
   * @return one summary per finding
   * @throws IllegalArgumentException when the stored findings do not match {@code names}
   */
  public List<FindingSummary> perFinding(List<String> names) {
    if (findings.isEmpty()) {
      if (names.size() != 1) {
        throw new IllegalArgumentException(
            "the model's summary holds one finding but its task has " + names);
      }
      return List.of(
          new FindingSummary(
              names.get(0),
              -1,
              auc,
              aucLow,
              aucHigh,
              threshold,
              sensitivity,
              specificity,
              temperature));
    }
    if (findings.size() != names.size()) {
      throw new IllegalArgumentException(
          "the model's summary holds " + findings.size() + " findings but its task has " + names);
    }
    return findings;
  }

  /**
   * Each finding's temperature.
   *
   * @param count the task's number of findings
   * @return {@code count} temperatures
   */
  public double[] temperatures(int count) {
    return perFinding(count, temperature, FindingSummary::temperature);
  }

  /**
   * Each finding's operating threshold (NaN where none was chosen).
   *
   * @param count the task's number of findings
   * @return {@code count} thresholds
   */
  public double[] thresholds(int count) {
    return perFinding(count, threshold, FindingSummary::threshold);
  }

  /** A value per finding: the stored findings', or the one-finding value {@code count} times. */
  private double[] perFinding(
      int count, double single, java.util.function.ToDoubleFunction<FindingSummary> value) {
    if (findings.isEmpty()) {
      double[] v = new double[count];
      java.util.Arrays.fill(v, single);
      return v;
    }
    return findings.stream().mapToDouble(value).toArray();
  }

  /**
   * Metrics of a model that is not calibrated (temperature 1).
   *
   * @param auc validation ROC AUC
   * @param aucLow lower bound of its 95% DeLong confidence interval
   * @param aucHigh upper bound
   * @param threshold operating threshold, NaN when none was chosen
   * @param sensitivity validation sensitivity at that threshold
   * @param specificity validation specificity at that threshold
   */
  public ValidationSummary(
      double auc,
      double aucLow,
      double aucHigh,
      double threshold,
      double sensitivity,
      double specificity) {
    this(auc, aucLow, aucHigh, threshold, sensitivity, specificity, UNCALIBRATED);
  }

  /**
   * Whether a temperature other than 1 was fitted.
   *
   * @return true when calibrated
   */
  public boolean calibrated() {
    return temperature != UNCALIBRATED
        || findings.stream().anyMatch(f -> f.temperature() != UNCALIBRATED);
  }

  /**
   * The AUC line in the form {@code cxr evaluate} prints.
   *
   * @return e.g. {@code AUC: 0.812500 (95% CI 0.701-0.924)}
   */
  public String aucLine() {
    return BinaryMetrics.formatAucLine(auc, aucLow, aucHigh);
  }
}
