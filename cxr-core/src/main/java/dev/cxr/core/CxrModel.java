package dev.cxr.core;

import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.evaluation.Evaluation;
import dev.cxr.core.evaluation.EvaluationRequest;
import dev.cxr.core.evaluation.Evaluator;
import dev.cxr.core.evaluation.ModelInput;
import dev.cxr.core.evaluation.Scorer;
import dev.cxr.core.evaluation.TestTimeAugmentation;
import dev.cxr.core.explain.Explainer;
import dev.cxr.core.explain.Explanation;
import dev.cxr.core.localize.Localization;
import dev.cxr.core.localize.LocalizationRequest;
import dev.cxr.core.localize.Localizer;
import dev.cxr.core.provenance.ModelFile;
import dev.cxr.core.provenance.ModelInfo;
import dev.cxr.core.report.Report;
import dev.cxr.resnet.compat.OneDnnHelpers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A trained chest X-ray classifier: the DL4J network plus everything needed to use it again (its
 * {@link ModelInfo}: configuration, label names, normalisation, the data that made it, its
 * validation metrics). One file holds both ({@link ModelFile}).
 *
 * <pre>{@code
 * CxrModel model = CxrModel.load(Path.of("effusion.zip"));
 * Map<String, Double> p = model.predict(Path.of("00000013_005.png")); // {No Finding=0.17, Effusion=0.83}
 * }</pre>
 */
public final class CxrModel {
  private final ComputationGraph network;
  private final ModelInfo info;
  private final Scorer scorer;
  private final TestTimeAugmentation tta;

  /**
   * @param network the trained network
   * @param info what made it
   */
  public CxrModel(ComputationGraph network, ModelInfo info) {
    this(network, info, TestTimeAugmentation.NONE);
  }

  private CxrModel(ComputationGraph network, ModelInfo info, TestTimeAugmentation tta) {
    this.network = Objects.requireNonNull(network, "network");
    this.info = Objects.requireNonNull(info, "info");
    this.tta = Objects.requireNonNull(tta, "tta");
    this.scorer = Scorer.forModel(network, info).withTta(tta);
  }

  /**
   * This model scoring with test-time augmentation: {@code predict} and {@code evaluate} give each
   * image the mean probability over the image and {@code variants - 1} mild, medical-safe variants
   * of it ({@link TestTimeAugmentation}). The network is shared, not copied.
   *
   * @param variants 1 (off) to {@value TestTimeAugmentation#MAX_VARIANTS}
   * @return a model view with that setting
   * @throws IllegalArgumentException when {@code variants} is out of range
   */
  public CxrModel withTta(int variants) {
    return new CxrModel(network, info, new TestTimeAugmentation(variants));
  }

  /**
   * @return the DL4J network (shared, not copied)
   */
  public ComputationGraph network() {
    return network;
  }

  /**
   * @return the metadata
   */
  public ModelInfo info() {
    return info;
  }

  /**
   * @return output names, in order
   */
  public List<String> labelNames() {
    return info.labelNames();
  }

  /**
   * Saves the model to one file, atomically (a crash mid-write leaves any previous file intact).
   *
   * @param file target file (conventionally {@code .zip})
   * @throws IOException when writing fails
   */
  public void save(Path file) throws IOException {
    ModelFile.write(file, network, info, false);
  }

  /**
   * Loads a model saved by {@link #save(Path)}. Switches on DL4J's oneDNN layer helpers first (see
   * {@link OneDnnHelpers#ensureEnabled()}), since DL4J picks a layer's kernels when it restores it.
   *
   * @param file the model file
   * @return the model
   * @throws dev.cxr.core.io.CxrDataException when the file is missing, is not a cxr model, or has a
   *     metadata format this version does not read
   */
  public static CxrModel load(Path file) {
    OneDnnHelpers.ensureEnabled();
    ModelFile.Contents c = ModelFile.read(file, false);
    return new CxrModel(c.network(), c.info());
  }

  /**
   * Probability per label name for one image of any size or bit depth (read and resized as in
   * training).
   *
   * @param image a PNG or JPEG file
   * @return label name to probability, in label order
   * @throws dev.cxr.core.io.CxrDataException when the image is missing or unreadable
   */
  public Map<String, Double> predict(Path image) {
    return predict(List.of(image)).get(0);
  }

  /**
   * Batch prediction.
   *
   * @param images PNG or JPEG files
   * @return one map (label name to probability) per file, in the same order
   */
  public List<Map<String, Double>> predict(List<Path> images) {
    return scorer.predict(images);
  }

  /**
   * Reads one image held in memory (a database blob, a row of Spark's {@code binaryFile} source) as
   * {@link #predict(Path)} reads a file. With {@link #predictInputs(List)} it lets a caller keep
   * going past an unreadable image while scoring the rest in batches.
   *
   * @param name the image's name (path or URI), used in error messages
   * @param data the encoded image (PNG, JPEG or DICOM)
   * @return the image prepared for this model's network
   * @throws dev.cxr.core.io.CxrDataException naming the image when the bytes cannot be read
   */
  public ModelInput prepare(String name, byte[] data) {
    return scorer.prepare(name, data);
  }

  /**
   * Scores images prepared by {@link #prepare(String, byte[])}.
   *
   * @param inputs prepared images
   * @return one map (label name to probability) per input, in the same order
   */
  public List<Map<String, Double>> predictInputs(List<ModelInput> inputs) {
    return scorer.predictInputs(inputs);
  }

  /**
   * Batch prediction that skips unreadable images.
   *
   * @param images PNG, JPEG or DICOM files
   * @param skipped where unreadable images are recorded (see {@link
   *     dev.cxr.core.data.SkipReport#line})
   * @return one map per file, in the same order; empty for a skipped image
   */
  public List<Map<String, Double>> predict(List<Path> images, DataReport skipped) {
    return scorer.predict(images, Objects.requireNonNull(skipped, "skipped"));
  }

  /**
   * Scores every usable image of a data directory against its labels.
   *
   * @param dir a data directory (NIH layout or class folders)
   * @return AUC with CI, ROC, and the confusion matrix at the model's validation threshold
   */
  public Evaluation evaluate(Path dir) {
    return evaluate(EvaluationRequest.of(dir).workers(PipelineConfig.DEFAULTS.workers()));
  }

  /**
   * Scores data as a request says (see {@link EvaluationRequest}: several directories, another
   * labels file, only the validation part of this model's training run, lenient mode, a persistent
   * pixel cache, progress); this model's test-time augmentation applies unless the request sets its
   * own.
   *
   * <pre>{@code
   * model.evaluate(EvaluationRequest.of(dir).validationSplitOnly(true));
   * }</pre>
   *
   * @param request what to score and how
   * @return one evaluation per finding
   * @throws dev.cxr.core.io.CxrDataException when no finding has both classes, or the data is not
   *     the training data and only the validation part was asked for
   */
  public Evaluation evaluate(EvaluationRequest request) {
    Objects.requireNonNull(request, "request");
    EvaluationRequest r = request.tta() == TestTimeAugmentation.NONE ? request.tta(tta) : request;
    return Evaluator.evaluate(network, info, r);
  }

  /**
   * Why the model scores an image as it does: the positive-class probability and its Grad-CAM heat
   * map (see {@link dev.cxr.core.explain.GradCam}).
   *
   * @param image a PNG, JPEG or DICOM file
   * @return the explanation; {@link Explanation#renderOverlay(int)} draws it over the image
   * @throws dev.cxr.core.io.CxrDataException when the image is missing or unreadable
   */
  public Explanation explain(Path image) {
    return explain(List.of(image)).get(0);
  }

  /**
   * Batch form of {@link #explain(Path)}.
   *
   * @param images image files
   * @return one explanation per file, in the same order
   */
  public List<Explanation> explain(List<Path> images) {
    return new Explainer(network, info, scorer).explain(images);
  }

  /**
   * Why the model scores images as it does for one of its findings (a multi-label model's, or the
   * binary model's positive one).
   *
   * @param images image files
   * @param finding one of the model's findings
   * @return one explanation per file, in the same order
   * @throws IllegalArgumentException naming the finding when the model does not predict it
   */
  public List<Explanation> explain(List<Path> images, String finding) {
    return new Explainer(network, info, scorer).explain(images, finding);
  }

  /**
   * Explains one finding for images prepared by {@link #prepare(String, byte[])}: images held in
   * memory are explained as files are (the same reading, scoring and Grad-CAM), and each overlay is
   * drawn from the bytes its image was prepared from.
   *
   * @param inputs prepared images
   * @param finding one of the model's findings
   * @return one explanation per input, in the same order
   * @throws IllegalArgumentException naming the finding when the model does not predict it
   */
  public List<Explanation> explainInputs(List<ModelInput> inputs, String finding) {
    return new Explainer(network, info, scorer).explainInputs(inputs, finding);
  }

  /**
   * Measures where this model's Grad-CAM maps point on images with radiologists' boxes: the
   * pointing game, localisation accuracy at T(IoBB) and false positives per finding, beside random
   * maps on the same boxes ({@link Localizer}).
   *
   * @param request the data, the box file and the settings
   * @return per finding, the measures
   * @throws dev.cxr.core.io.CxrDataException naming the file that cannot be read
   */
  public Localization localize(LocalizationRequest request) {
    return Localizer.localize(network, info, request);
  }

  /**
   * The same model with a softmax temperature fitted on the validation split of its own training
   * run (temperature scaling, Guo et al. 2017), stored in its metadata and applied by {@link
   * #predict}, {@link #evaluate} and {@link #explain}. The AUC and the images on each side of the
   * (moved) threshold do not change; the probabilities match observed frequencies better.
   *
   * @param dir the training data (its fingerprint is checked)
   * @return the calibrated model (sharing this one's network)
   * @throws dev.cxr.core.io.CxrDataException when the data is not the training data
   */
  public CxrModel calibrate(Path dir) {
    return calibrate(List.of(Objects.requireNonNull(dir, "dir")));
  }

  /**
   * As {@link #calibrate(Path)}, for a model trained on several data directories.
   *
   * @param dirs the training data directories, in the order they were given
   * @return the calibrated model (sharing this one's network)
   * @throws dev.cxr.core.io.CxrDataException when the data is not the training data
   */
  public CxrModel calibrate(List<Path> dirs) {
    EvaluationRequest r =
        EvaluationRequest.of(dirs.toArray(Path[]::new)).workers(PipelineConfig.DEFAULTS.workers());
    return new CxrModel(network, Evaluator.calibrate(network, info, r));
  }

  /**
   * Writes the HTML report of this model on a data directory ({@code outDir/report.html}): metrics
   * and curves, calibration, training curves, provenance and Grad-CAM galleries; see {@link Report}
   * for the options.
   *
   * @param dir a data directory
   * @param outDir where to write the report (created if missing)
   * @return the file written
   * @throws IOException when the report cannot be written
   */
  public Path report(Path dir, Path outDir) throws IOException {
    return Report.builder(network, info).data(dir).build().write(outDir);
  }
}
