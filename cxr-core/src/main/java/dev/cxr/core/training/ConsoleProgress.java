package dev.cxr.core.training;

import dev.cxr.core.io.Progress;
import dev.cxr.core.provenance.EpochResult;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Prints training progress: the settings at the start, a progress bar per epoch (images/s, loss,
 * ETA) on a terminal or plain log lines when the output is not a terminal, one line per epoch and a
 * summary table at the end.
 */
public final class ConsoleProgress implements TrainingListener {
  private final PrintStream out;
  private final boolean terminal;
  private ProgressBar bar;
  private int epoch;
  private int epochs;
  private int images;
  private int nextLogAt;
  private double selectionAuc = Double.NaN; // of the epoch about to end, nested selection only

  /**
   * @param out where to print
   * @param terminal draw progress bars (true) or print plain lines (false)
   */
  public ConsoleProgress(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /**
   * @return progress on standard output, with bars when a console is attached
   */
  public static ConsoleProgress standardOutput() {
    return new ConsoleProgress(System.out, System.console() != null);
  }

  @Override
  public void onStart(Map<String, String> settings, Map<String, String> facts) {
    out.println("cxr training");
    settings.forEach((k, v) -> out.printf(Locale.ROOT, "  %-18s %s%n", k, v));
    facts.forEach((k, v) -> out.printf(Locale.ROOT, "  %-18s %s%n", k, v));
    out.flush();
  }

  @Override
  public void onEpochStart(int epoch, int epochs, int images) {
    this.epoch = epoch;
    this.epochs = epochs;
    this.images = images;
    this.nextLogAt = Math.max(1, images / 4);
    if (terminal) {
      bar =
          new ProgressBarBuilder()
              .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
              .setInitialMax(images)
              .setStyle(ProgressBarStyle.ASCII)
              .setUnit(" img", 1)
              .showSpeed()
              .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out))
              .build();
    }
  }

  @Override
  public void onBatch(int imagesDone, double loss, double imagesPerSecond) {
    if (bar != null) {
      bar.stepTo(imagesDone);
      bar.setExtraMessage(String.format(Locale.ROOT, "  loss %.4f", loss));
    } else if (imagesDone >= nextLogAt && imagesDone < images) {
      double eta = imagesPerSecond > 0 ? (images - imagesDone) / imagesPerSecond : 0;
      out.printf(
          Locale.ROOT,
          "epoch %d/%d  %d/%d images  loss %.4f  %.1f img/s  ETA %.0fs%n",
          epoch,
          epochs,
          imagesDone,
          images,
          loss,
          imagesPerSecond,
          eta);
      out.flush();
      nextLogAt += Math.max(1, images / 4);
    }
  }

  @Override
  public void onSelectionScore(int epoch, double auc) {
    selectionAuc = auc;
  }

  @Override
  public void onEpochEnd(EpochResult r, boolean best) {
    if (bar != null) {
      bar.close();
      bar = null;
    }
    String tail =
        (Double.isNaN(selectionAuc)
                ? ""
                : String.format(Locale.ROOT, "  inner AUC %.4f", selectionAuc))
            + (best ? "  * best" : "");
    if (r.findingAucs().isEmpty()) {
      out.printf(
          Locale.ROOT,
          "epoch %d/%d  loss %.4f  val loss %.4f  val AUC %.4f (95%% CI %.3f-%.3f)  "
              + "sens %.3f  spec %.3f  %.1f img/s  %.0fs%s%n",
          r.epoch(),
          epochs,
          r.trainLoss(),
          r.validationLoss(),
          r.auc(),
          r.aucLow(),
          r.aucHigh(),
          r.sensitivity(),
          r.specificity(),
          r.imagesPerSecond(),
          r.seconds(),
          tail);
    } else {
      // several findings: the mean AUC the epoch is chosen on, and its spread over findings
      java.util.DoubleSummaryStatistics range =
          r.findingAucs().stream().filter(a -> !a.isNaN()).mapToDouble(a -> a).summaryStatistics();
      double lo = range.getCount() == 0 ? Double.NaN : range.getMin();
      double hi = range.getCount() == 0 ? Double.NaN : range.getMax();
      out.printf(
          Locale.ROOT,
          "epoch %d/%d  loss %.4f  val loss %.4f  val mean AUC %.4f (findings %.3f-%.3f)  "
              + "%.1f img/s  %.0fs%s%n",
          r.epoch(),
          epochs,
          r.trainLoss(),
          r.validationLoss(),
          r.auc(),
          lo,
          hi,
          r.imagesPerSecond(),
          r.seconds(),
          tail);
    }
    selectionAuc = Double.NaN;
    out.flush();
  }

  @Override
  public void onFinish(List<EpochResult> history, int bestEpoch, boolean stoppedEarly) {
    if (stoppedEarly) {
      out.println("stopped early: validation AUC did not improve");
    }
    out.println();
    out.println("epoch  lr         train loss  val loss  val AUC   95% CI         img/s");
    for (EpochResult r : history) {
      out.printf(
          Locale.ROOT,
          "%5d  %-9.3g  %10.4f  %8.4f  %.4f    %.3f-%.3f    %5.1f%s%n",
          r.epoch(),
          r.learningRate(),
          r.trainLoss(),
          r.validationLoss(),
          r.auc(),
          r.aucLow(),
          r.aucHigh(),
          r.imagesPerSecond(),
          r.epoch() == bestEpoch ? "  <- kept" : "");
    }
    out.flush();
  }

  @Override
  public Progress.Factory progress() {
    return Progress.Factory.console(out, terminal);
  }

  @Override
  public void onMessage(String message) {
    out.println(message);
    out.flush();
  }
}
