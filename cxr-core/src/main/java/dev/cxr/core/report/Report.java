package dev.cxr.core.report;

import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.evaluation.Evaluation;
import dev.cxr.core.evaluation.EvaluationRequest;
import dev.cxr.core.evaluation.Evaluator;
import dev.cxr.core.evaluation.FindingEvaluation;
import dev.cxr.core.explain.Explainer;
import dev.cxr.core.explain.Explanation;
import dev.cxr.core.io.AtomicFiles;
import dev.cxr.core.localize.BoundingBoxes;
import dev.cxr.core.localize.Localization;
import dev.cxr.core.localize.LocalizationRequest;
import dev.cxr.core.localize.Localizer;
import dev.cxr.core.provenance.ModelInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The HTML report of a model on a data directory: one self-contained file ({@value #FILE_NAME})
 * with the model's provenance, the data, ROC curve with its DeLong 95% CI and the operating point,
 * precision-recall curve with average precision, reliability diagram with ECE and Brier score,
 * confusion matrix, sensitivity and specificity at several thresholds, the training curves, and
 * Grad-CAM galleries of the most confident true positives, false negatives and false positives.
 * Charts are inline SVG, pictures inline PNG; the page loads nothing (no script, font or image from
 * elsewhere) and has print styles.
 *
 * <pre>{@code
 * Path html = Report.builder(model.network(), model.info()).data(dir).build().write(outDir);
 * }</pre>
 */
public final class Report {
  /** Name of the file written: {@value}. */
  public static final String FILE_NAME = "report.html";

  /** Default number of images per gallery: {@value}. */
  public static final int DEFAULT_GALLERY = 6;

  /** Largest number of images per gallery: {@value}. */
  public static final int MAX_GALLERY = 50;

  /** Longest side of a gallery picture in pixels. */
  static final int THUMBNAIL = 360;

  private final ComputationGraph network;
  private final ModelInfo info;
  private final Path data;
  private final Path labels;
  private final boolean validationSplitOnly;
  private final String modelName;
  private final int gallery;
  private final int workers;

  private Report(Builder b) {
    this.network = b.network;
    this.info = b.info;
    this.data = b.data;
    this.labels = b.labels;
    this.validationSplitOnly = b.validationSplitOnly;
    this.modelName = b.modelName;
    this.gallery = b.gallery;
    this.workers = b.workers;
  }

  /**
   * A builder for a model's report.
   *
   * @param network the model's network
   * @param info the model's metadata
   * @return a new builder
   */
  public static Builder builder(ComputationGraph network, ModelInfo info) {
    return new Builder(network, info);
  }

  /**
   * Scores the data, explains the gallery images and writes {@code outDir/report.html} atomically.
   *
   * @param outDir the directory (created if missing)
   * @return the file written
   * @throws IOException when the file cannot be written
   * @throws dev.cxr.core.io.CxrDataException when the data cannot be read
   */
  public Path write(Path outDir) throws IOException {
    Objects.requireNonNull(outDir, "outDir");
    AtomicFiles.checkWritable(outDir);
    Evaluation ev =
        Evaluator.evaluate(
            network,
            info,
            EvaluationRequest.of(data)
                .labels(labels)
                .validationSplitOnly(validationSplitOnly)
                .workers(workers));
    boolean training = Evaluator.isTrainingData(info, List.of(data), labels);
    ReportPage page =
        new ReportPage(info, ev, data, modelName, validationSplitOnly, training, localization());
    if (ev.multiLabel()) {
      return write(outDir, page.renderFindings(findingGalleries(ev)));
    }
    double[] s = ev.scores().scores();
    boolean[] y = ev.scores().positive();
    double t = ev.threshold();
    List<Integer> tp = pick(s, i -> y[i] && s[i] >= t, true);
    List<Integer> fn = pick(s, i -> y[i] && s[i] < t, false);
    List<Integer> fp = pick(s, i -> !y[i] && s[i] >= t, true);
    List<Path> files = new ArrayList<>();
    for (List<Integer> g : List.of(tp, fn, fp)) {
      g.forEach(i -> files.add(ev.files().get(i)));
    }
    List<Explanation> ex = new Explainer(network, info).explain(files);
    List<List<Explanation>> galleries = new ArrayList<>();
    int k = 0;
    for (List<Integer> g : List.of(tp, fn, fp)) {
      galleries.add(ex.subList(k, k + g.size()));
      k += g.size();
    }
    return write(outDir, page.render(galleries.get(0), galleries.get(1), galleries.get(2)));
  }

  /**
   * The maps against radiologists' boxes when the data directory has NIH's box file and it boxes a
   * finding the model predicts; null otherwise (the page then has no localisation section).
   */
  private Localization localization() {
    Path boxes = data.resolve(BoundingBoxes.DEFAULT_FILE);
    if (!Files.isRegularFile(boxes)) {
      return null;
    }
    BoundingBoxes read = BoundingBoxes.read(boxes);
    if (info.task().findings().stream().noneMatch(read.findings()::contains)) {
      return null;
    }
    Localization l =
        Localizer.localize(
            network,
            info,
            LocalizationRequest.of(data).labels(labels).validationSplitOnly(validationSplitOnly));
    return l.findings().isEmpty() ? null : l; // boxes for other images only
  }

  /** Per finding of a multi-label model, Grad-CAMs of its most confident true positives. */
  private Map<String, List<Explanation>> findingGalleries(Evaluation ev) {
    Map<String, List<Explanation>> out = new LinkedHashMap<>();
    Explainer explainer = new Explainer(network, info);
    for (FindingEvaluation f : ev.findings()) {
      double[] s = f.scores().scoresOf(0);
      boolean[] y = f.scores().labelsOf(0);
      double t = f.threshold();
      List<Path> files = new ArrayList<>();
      pick(s, i -> y[i] && s[i] >= t, true).forEach(i -> files.add(ev.files().get(i)));
      out.put(f.finding(), files.isEmpty() ? List.of() : explainer.explain(files, f.finding()));
    }
    return out;
  }

  private static Path write(Path outDir, String html) throws IOException {
    Path file = outDir.resolve(FILE_NAME);
    AtomicFiles.write(file, tmp -> Files.writeString(tmp, html, StandardCharsets.UTF_8));
    return file;
  }

  /** The gallery's images: those passing {@code keep}, most confident first, at most N. */
  private List<Integer> pick(double[] s, IntPredicate keep, boolean highFirst) {
    Comparator<Integer> byScore = Comparator.comparingDouble(i -> s[i]);
    return IntStream.range(0, s.length)
        .filter(keep)
        .boxed()
        .sorted(highFirst ? byScore.reversed() : byScore)
        .limit(gallery)
        .toList();
  }

  /** Builder of {@link Report}; each setter checks its argument at once. */
  public static final class Builder {
    private final ComputationGraph network;
    private final ModelInfo info;
    private Path data;
    private Path labels;
    private boolean validationSplitOnly;
    private String modelName = "model";
    private int gallery = DEFAULT_GALLERY;
    private int workers = PipelineConfig.DEFAULTS.workers();

    private Builder(ComputationGraph network, ModelInfo info) {
      this.network = Objects.requireNonNull(network, "network");
      this.info = Objects.requireNonNull(info, "info");
    }

    /**
     * The data to report on (required).
     *
     * @param dir a data directory (NIH layout or class folders)
     * @return this builder
     */
    public Builder data(Path dir) {
      this.data = Objects.requireNonNull(dir, "data");
      return this;
    }

    /**
     * Labels CSV of the data (default: the one the model was trained with).
     *
     * @param labels relative to the data directory or absolute; null for the default
     * @return this builder
     */
    public Builder labels(Path labels) {
      this.labels = labels;
      return this;
    }

    /**
     * Report only on the validation split of the model's own training run.
     *
     * @param only true for the validation split (the data must be the training data)
     * @return this builder
     */
    public Builder validationSplitOnly(boolean only) {
      this.validationSplitOnly = only;
      return this;
    }

    /**
     * The model's name as the page shows it (e.g. its file name).
     *
     * @param name non-blank
     * @return this builder
     */
    public Builder modelName(String name) {
      Objects.requireNonNull(name, "modelName");
      if (name.isBlank()) {
        throw new IllegalArgumentException("modelName must not be blank");
      }
      this.modelName = name;
      return this;
    }

    /**
     * Images per gallery.
     *
     * @param n 0 to {@value #MAX_GALLERY}
     * @return this builder
     */
    public Builder gallerySize(int n) {
      if (n < 0 || n > MAX_GALLERY) {
        throw new IllegalArgumentException(
            "gallerySize must be in [0, " + MAX_GALLERY + "] but was " + n);
      }
      this.gallery = n;
      return this;
    }

    /**
     * Image-decoding threads.
     *
     * @param workers at least 1
     * @return this builder
     */
    public Builder workers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be at least 1 but was " + workers);
      }
      this.workers = workers;
      return this;
    }

    /**
     * @return the report
     * @throws IllegalStateException when no data was set
     */
    public Report build() {
      if (data == null) {
        throw new IllegalStateException("data(dir) must be set before build()");
      }
      return new Report(this);
    }
  }
}
