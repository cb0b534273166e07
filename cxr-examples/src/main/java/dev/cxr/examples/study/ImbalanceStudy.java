package dev.cxr.examples.study;

import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.data.Sampler;
import dev.cxr.core.evaluation.Scores;
import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.metrics.RankingMetrics;
import dev.cxr.core.training.CrossValidation;
import dev.cxr.core.training.CrossValidator;
import dev.cxr.core.training.TrainingListener;
import dev.cxr.phantoms.DemoData;
import dev.cxr.resnet.compat.OneDnnHelpers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The article's imbalance experiment, rerunnable: phantoms at a chosen prevalence (default 1:10,
 * the article's 107 Effusion / 1000 No Finding), made hard with {@link
 * dev.cxr.phantoms.DemoDataBuilder#difficulty}, and for each of plain cross-entropy, class weights
 * at the inverse prevalence, the article's cost matrix [[1,5],[5,1]], focal loss (gamma 2, Lin et
 * al. 2017) and the balanced sampler, one patient-level k-fold cross-validation with nested
 * selection (the kept epoch chosen on an inner split). Each arm reports, over the folds' held-out
 * patients, mean and sd of ROC AUC, average precision (the figure that moves under imbalance;
 * chance is the prevalence) and sensitivity at 90% specificity, and the time it took.
 *
 * <p>All arms share the data, the folds, the seed and every other setting, so the table compares
 * the losses and nothing else.
 */
public final class ImbalanceStudy {
  /** Specificity at which sensitivity is reported. */
  public static final double SPECIFICITY = 0.9;

  private final Settings settings;

  /**
   * The study's settings.
   *
   * @param images phantom images (Effusion and No Finding)
   * @param negativesPerPositive the imbalance, e.g. 10 for 1:10
   * @param imageSize phantom and network input size in pixels
   * @param epochs epochs per fold
   * @param folds folds of the cross-validation
   * @param width ResNet-18 base width
   * @param difficulty phantom lesion difficulty in [0, 1]
   * @param seed seed of the phantoms, the folds and the training
   * @param workers image-decoding threads
   */
  public record Settings(
      int images,
      int negativesPerPositive,
      int imageSize,
      int epochs,
      int folds,
      int width,
      double difficulty,
      long seed,
      int workers) {

    /** Small defaults that finish in about ten minutes on 2 cores. */
    // 128 px, width 16, 10 epochs, difficulty 0.3: balanced phantoms then give a nested 5-fold
    // AUC of 0.90 (0.61 at difficulty 0.6; at 64 px, width 8, 6 epochs even difficulty 0 gave 0.67)
    public static final Settings DEFAULTS = new Settings(330, 10, 128, 10, 5, 16, 0.3, 1, 2);

    /** Checks every field; messages name the parameter. */
    public Settings {
      positive("negativesPerPositive", negativesPerPositive);
      positive("epochs", epochs);
      positive("width", width);
      positive("workers", workers);
      if (folds < 2) {
        throw new IllegalArgumentException("folds must be >= 2 but was " + folds);
      }
      if (images < folds * (negativesPerPositive + 1) * 2) {
        throw new IllegalArgumentException(
            "images must be at least "
                + folds * (negativesPerPositive + 1) * 2
                + " (two positives per fold at 1:"
                + negativesPerPositive
                + ") but was "
                + images);
      }
      if (imageSize < DemoData.MIN_SIZE || imageSize > DemoData.MAX_SIZE) {
        throw new IllegalArgumentException(
            "imageSize must be in ["
                + DemoData.MIN_SIZE
                + ", "
                + DemoData.MAX_SIZE
                + "] but was "
                + imageSize);
      }
      if (!(difficulty >= 0 && difficulty <= 1)) {
        throw new IllegalArgumentException("difficulty must be in [0, 1] but was " + difficulty);
      }
    }

    private static void positive(String name, int v) {
      if (v < 1) {
        throw new IllegalArgumentException(name + " must be >= 1 but was " + v);
      }
    }

    /**
     * @return the fraction of positive images, {@code 1 / (1 + negativesPerPositive)}
     */
    public double prevalence() {
      return 1.0 / (1 + negativesPerPositive);
    }
  }

  /**
   * One compared training method.
   *
   * @param name as printed in the table
   * @param setup applied to the shared base configuration
   */
  public record Arm(String name, UnaryOperator<PipelineConfig.Builder> setup) {
    /** Checks the fields. */
    public Arm {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(setup, "setup");
    }
  }

  /**
   * One arm's results.
   *
   * @param name the arm
   * @param auc ROC AUC per fold
   * @param averagePrecision average precision per fold
   * @param sensitivity sensitivity at {@value #SPECIFICITY} specificity per fold
   * @param seconds wall time of the arm's cross-validation
   */
  public record Row(
      String name,
      List<Double> auc,
      List<Double> averagePrecision,
      List<Double> sensitivity,
      double seconds) {
    /** Copies the lists. */
    public Row {
      auc = List.copyOf(auc);
      averagePrecision = List.copyOf(averagePrecision);
      sensitivity = List.copyOf(sensitivity);
    }
  }

  /**
   * @param settings the study's settings
   */
  public ImbalanceStudy(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * The five arms of the study, at this study's prevalence.
   *
   * @return plain CE, inverse-prevalence class weights, the cost matrix, focal loss, balanced
   *     sampler
   */
  public List<Arm> arms() {
    double w = settings.negativesPerPositive();
    return List.of(
        new Arm("cross-entropy", b -> b),
        new Arm(String.format(Locale.ROOT, "class weights 1:%.0f", w), b -> b.classWeights(1, w)),
        new Arm("cost matrix [[1,5],[5,1]]", b -> b.costMatrix(1, 5, 5, 1)),
        new Arm("focal, gamma 2", b -> b.focal(2)),
        new Arm("balanced sampler (CE)", b -> b.sampler(Sampler.BALANCED)));
  }

  /**
   * The configuration every arm starts from.
   *
   * @return ResNet-18 of the settings' width and size, fixed epochs (no early stop), nested
   *     selection
   */
  public PipelineConfig.Builder base() {
    return PipelineConfig.builder()
        .width(settings.width())
        .imageSize(settings.imageSize())
        .epochs(settings.epochs())
        .patience(0)
        .seed(settings.seed())
        .workers(settings.workers());
  }

  /**
   * Writes the phantoms (once; an existing complete set with the same settings is reused) and runs
   * every arm.
   *
   * @param workDir where the phantoms go
   * @param listener receives each fold's progress
   * @param onRow receives each arm's row as soon as it is done
   * @return one row per arm
   * @throws IOException when the phantoms cannot be written
   */
  public List<Row> run(Path workDir, TrainingListener listener, Consumer<Row> onRow)
      throws IOException {
    OneDnnHelpers.ensureEnabled();
    Path data = phantoms(workDir);
    List<Row> rows = new ArrayList<>();
    for (Arm arm : arms()) {
      PipelineConfig config = arm.setup().apply(base()).build();
      long t0 = System.nanoTime();
      CrossValidation cv = CrossValidator.run(config, listener, List.of(data), settings.folds());
      double seconds = (System.nanoTime() - t0) / 1e9;
      Row row = row(arm.name(), cv, seconds);
      rows.add(row);
      onRow.accept(row);
    }
    return rows;
  }

  /** Writes the phantoms below {@code workDir}, in a folder named by their settings. */
  Path phantoms(Path workDir) throws IOException {
    Path dir =
        workDir.resolve(
            String.format(
                Locale.ROOT,
                "phantoms-%d-1to%d-%dpx-d%.2f-s%d",
                settings.images(),
                settings.negativesPerPositive(),
                settings.imageSize(),
                settings.difficulty(),
                settings.seed()));
    if (!Files.isRegularFile(dir.resolve(DemoData.LABEL_FILE))) {
      DemoData.builder()
          .images(settings.images())
          .positiveFraction(settings.prevalence())
          .size(settings.imageSize())
          .difficulty(settings.difficulty())
          .seed(settings.seed())
          .overwrite(true)
          .build()
          .writeTo(dir);
    }
    return dir;
  }

  /** Splits the pooled out-of-fold scores back into folds (they are pooled in fold order). */
  static Row row(String name, CrossValidation cv, double seconds) {
    Scores pooled = cv.outOfFold();
    double[] s = pooled.scores();
    boolean[] p = pooled.positive();
    List<Double> auc = new ArrayList<>();
    List<Double> ap = new ArrayList<>();
    List<Double> sens = new ArrayList<>();
    int from = 0;
    for (var fold : cv.folds()) {
      int to = from + fold.validationImages();
      double[] fs = Arrays.copyOfRange(s, from, to);
      boolean[] fp = Arrays.copyOfRange(p, from, to);
      auc.add(BinaryMetrics.of(fs, fp).auc());
      ap.add(RankingMetrics.averagePrecision(fs, fp));
      sens.add(RankingMetrics.sensitivityAtSpecificity(fs, fp, SPECIFICITY));
      from = to;
    }
    return new Row(name, auc, ap, sens, seconds);
  }

  /**
   * The table of results, one line per arm: mean ± sd over the folds.
   *
   * @param rows the rows
   * @return a Markdown table
   */
  public static String table(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| method | ROC AUC | average precision | sensitivity at 90% specificity | time |\n");
    sb.append("|---|---|---|---|---|\n");
    for (Row r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %.0f s |%n",
              r.name(),
              meanSd(r.auc()),
              meanSd(r.averagePrecision()),
              meanSd(r.sensitivity()),
              r.seconds()));
    }
    return sb.toString();
  }

  private static String meanSd(List<Double> v) {
    double m = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    double ss = v.stream().mapToDouble(x -> (x - m) * (x - m)).sum();
    double sd = v.size() > 1 ? Math.sqrt(ss / (v.size() - 1)) : 0;
    return String.format(Locale.ROOT, "%.3f ± %.3f", m, sd);
  }
}
