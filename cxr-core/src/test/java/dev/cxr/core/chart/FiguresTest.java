package dev.cxr.core.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.evaluation.FindingEvaluation;
import dev.cxr.core.evaluation.Scores;
import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.metrics.Calibration;
import dev.cxr.core.provenance.EpochResult;
import dev.cxr.core.training.LrFinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FiguresTest {
  private static final double[] SCORES = {0.1, 0.2, 0.35, 0.4, 0.55, 0.6, 0.7, 0.8, 0.9, 0.3};
  private static final boolean[] LABELS = {
    false, false, true, false, false, true, true, true, true, false
  };

  private static FindingEvaluation effusion(double threshold) {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < SCORES.length; i++) {
      files.add(Path.of(i + ".png"));
    }
    Scores s =
        new Scores(
            files, List.of("Effusion"), new double[][] {SCORES}, new boolean[][] {LABELS}, 0.4);
    BinaryMetrics m = BinaryMetrics.of(SCORES, LABELS);
    return new FindingEvaluation(
        "Effusion", s, m, threshold, m.confusionAt(threshold), "Effusion", "No Finding");
  }

  private static List<EpochResult> history(int epochs) {
    List<EpochResult> h = new ArrayList<>();
    for (int e = 1; e <= epochs; e++) {
      h.add(
          new EpochResult(
              e,
              1e-3,
              0.7 / e,
              0.75 / e + 0.01 * e,
              0.6 + 0.03 * e,
              0.5 + 0.03 * e,
              0.7 + 0.03 * e,
              0.8,
              0.7,
              100,
              2,
              List.of()));
    }
    return h;
  }

  @Test
  void theRocNamesTheFindingTheAucAndTheOperatingPoint() {
    FindingEvaluation f = effusion(0.5);
    Chart c = Figures.roc(f);
    assertThat(c.title())
        .startsWith("Effusion ROC: AUC " + String.format(java.util.Locale.ROOT, "%.3f", f.auc()))
        .endsWith(", 10 images");
    String svg = c.toSvg();
    assertThat(svg)
        .contains("chance (AUC 0.5)")
        .contains("ROC curve")
        .contains(
            String.format(
                java.util.Locale.ROOT,
                "operating point: threshold 0.500, sensitivity %.3f, specificity %.3f",
                f.confusion().sensitivity(),
                f.confusion().specificity()));
    assertThat(c.legend()).isEqualTo(Chart.Corner.BOTTOM_RIGHT);
  }

  @Test
  void aFindingWithoutBothClassesHasNoRoc() {
    FindingEvaluation f = effusion(0.5);
    FindingEvaluation oneClass =
        new FindingEvaluation(
            "Nodule", f.scores(), null, 0.5, f.confusion(), "Nodule", "No Nodule");
    assertThatThrownBy(() -> Figures.roc(oneClass))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no ROC curve for Nodule");
  }

  @Test
  void reliabilityShowsTheNonEmptyBinsOnly() {
    Calibration cal = Calibration.of(SCORES, LABELS);
    long filled = cal.bins().stream().filter(b -> b.count() > 0).count();
    Chart c = Figures.reliability(cal);
    Chart.Points bins =
        c.marks().stream()
            .filter(Chart.Points.class::isInstance)
            .map(Chart.Points.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(bins.x()).hasSize((int) filled).doesNotContain(Double.NaN);
    assertThat(c.title()).contains("ECE").contains("Brier").contains("10 equal-width bins");
    assertThat(c.toSvg()).contains("share of images per bin").contains("perfect calibration");
  }

  @Test
  void trainingCurvesMarkTheKeptEpochAndRefuseABadHistory() {
    Chart loss = Figures.loss(history(8), 6);
    Chart auc = Figures.auc(history(8), 6);
    assertThat(loss.height()).isEqualTo(Figures.PANEL_HEIGHT);
    assertThat(loss.toSvg()).contains("training loss").contains("kept epoch 6");
    assertThat(auc.toSvg()).contains("kept epoch 6 (AUC 0.780)").contains("95% CI (DeLong)");
    // the loss axis hugs the losses rather than starting at zero
    assertThat(loss.y().min()).isGreaterThan(0).isLessThan(0.7 / 8);
    assertThat(auc.y().min()).isEqualTo(0.5);
    assertThat(Figures.auc(history(1), 1).toSvg()).contains("stroke-width=\"6\"");
    assertThatThrownBy(() -> Figures.loss(List.of(), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one epoch");
    List<EpochResult> backwards = new ArrayList<>(history(2));
    java.util.Collections.reverse(backwards);
    assertThatThrownBy(() -> Figures.auc(backwards, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("history's epochs must increase but epoch 1 follows 2");
  }

  @Test
  void theLrFinderSkipsADivergedEndAndCapsTheLossAxis() {
    double[] lrs = new double[30];
    double[] losses = new double[30];
    for (int i = 0; i < lrs.length; i++) {
      lrs[i] = 1e-6 * Math.pow(10, i / 5.0);
      losses[i] = 0.7 - 0.01 * i + (i > 25 ? Math.exp(i - 25) : 0);
    }
    losses[29] = Double.NaN; // a diverged last step is skipped, not an error
    Chart c = Figures.lrFinder(new LrFinder.Result(lrs, losses, 1e-4));
    assertThat(c.x().log()).isTrue();
    // e^3 = 20 at the end would flatten the descent: the axis stops near the first loss
    assertThat(c.y().max()).isLessThan(1.0);
    assertThat(c.toSvg()).contains("suggested 1.0e-04").doesNotContain("NaN");
    assertThatThrownBy(
            () ->
                Figures.lrFinder(
                    new LrFinder.Result(new double[] {0, 1e-3}, new double[] {1, 1}, 1e-3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rates[0]");
    assertThatThrownBy(
            () ->
                Figures.lrFinder(
                    new LrFinder.Result(new double[] {1e-3}, new double[] {Double.NaN}, 1e-3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one finite");
  }
}
