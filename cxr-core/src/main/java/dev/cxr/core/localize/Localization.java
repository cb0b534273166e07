package dev.cxr.core.localize;

import dev.cxr.core.localize.LocalizationMetrics.Proportion;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The result of {@link Localizer#localize}: one {@link FindingLocalization} per finding measured.
 *
 * @param findings per finding, in the model's order
 * @param mapThreshold the fraction of a map's maximum its boxes were cut at
 * @param seed the random maps' seed
 * @param boxFile the box file read
 * @param notMeasured findings asked for, or predicted by the model, that had no box on the images
 *     measured, or that the model does not predict, each with the reason
 */
public record Localization(
    List<FindingLocalization> findings,
    double mapThreshold,
    long seed,
    java.nio.file.Path boxFile,
    List<String> notMeasured) {

  /** Copies the lists. */
  public Localization {
    findings = List.copyOf(Objects.requireNonNull(findings, "findings"));
    notMeasured = List.copyOf(Objects.requireNonNull(notMeasured, "notMeasured"));
  }

  /**
   * The table the command line prints: per finding, images and boxes, the pointing game with its
   * Wilson 95% interval beside random maps', accuracy at each T(IoBB) (random in brackets) and the
   * average false positives at T(IoBB) = 0.1 (random in brackets).
   *
   * @return lines, ending with a newline
   */
  public String table() {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "%-19s %6s %5s  %-27s %-27s",
            "finding",
            "images",
            "boxes",
            "pointing game (95% CI)",
            "random maps"));
    for (double t : LocalizationRequest.IOBB_THRESHOLDS) {
      s.append(String.format(Locale.ROOT, "  %-13s", "acc@" + t));
    }
    s.append(String.format(Locale.ROOT, "  %-13s%n", "avg FP@0.1"));
    for (FindingLocalization f : findings) {
      s.append(
          String.format(
              Locale.ROOT,
              "%-19s %6d %5d  %-27s %-27s",
              f.finding(),
              f.pointing().total(),
              f.boxes(),
              f.pointing().format(),
              f.randomPointing().format()));
      for (int i = 0; i < LocalizationRequest.IOBB_THRESHOLDS.size(); i++) {
        s.append(
            String.format(
                Locale.ROOT,
                "  %-13s",
                rate(f.accuracy().get(i)) + " (" + rate(f.randomAccuracy().get(i)) + ")"));
      }
      s.append(
          String.format(
              Locale.ROOT,
              "  %-13s%n",
              String.format(
                  Locale.ROOT,
                  "%.2f (%.2f)",
                  f.falsePositives().get(0),
                  f.randomFalsePositives().get(0))));
    }
    s.append(
        String.format(
            Locale.ROOT,
            "map boxes: regions >= %.2f of each map's maximum (8-connected); random maps: seed %d;"
                + " in brackets: random maps on the same boxes%n",
            mapThreshold,
            seed));
    for (String n : notMeasured) {
      s.append("not measured: ").append(n).append('\n');
    }
    return s.toString();
  }

  private static String rate(Proportion p) {
    return Double.isNaN(p.rate()) ? "n/a" : String.format(Locale.ROOT, "%.2f", p.rate());
  }
}
