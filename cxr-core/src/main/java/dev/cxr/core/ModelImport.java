package dev.cxr.core;

import dev.cxr.core.config.Limits;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.config.Pretrained;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.data.NihLabels;
import dev.cxr.core.image.Normalisation;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.pretrained.PretrainedWeights;
import dev.cxr.core.pretrained.TorchLayout;
import dev.cxr.core.provenance.FindingSummary;
import dev.cxr.core.provenance.ModelInfo;
import dev.cxr.core.provenance.ValidationSummary;
import dev.cxr.core.training.NetworkFactory;
import dev.cxr.core.weights.StateDict;
import dev.cxr.core.weights.WeightFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Turns a PyTorch or safetensors file into a cxr model that {@code predict}, {@code evaluate},
 * {@code explain}, {@code report} and Spark scoring use as any other ({@code cxr import}).
 *
 * <p>The outputs: a torchxrayvision file's pathologies that have NIH names (all 14 NIH findings are
 * among its 18; "Lung Lesion", "Fracture", "Lung Opacity" and "Enlarged Cardiomediastinum" are not
 * NIH findings and are dropped, as are outputs whose {@code op_threshs} entry is NaN, which that
 * model never learnt), each with its {@code op_threshs} value as the operating threshold; a
 * torchvision-layout file's outputs named by the caller, one finding per output (sigmoid), or one
 * finding for a two-output softmax head ({@code [No Finding, finding]}). The model's provenance
 * records the source file's name and SHA-256 ({@link PipelineConfig#pretrained()}); it has no
 * validation figures until it is evaluated or calibrated on data.
 */
public final class ModelImport {

  /** The image size of an import unless asked otherwise: torchvision's and torchxrayvision's. */
  public static final int DEFAULT_IMAGE_SIZE = 224;

  private ModelImport() {}

  /**
   * What to import.
   *
   * @param file the PyTorch ({@code .pt}/{@code .pth}) or safetensors file
   * @param source what made it, or null to tell it from the file
   * @param findings names of the outputs to keep, in order: for a torchxrayvision file a subset of
   *     its NIH-named pathologies (empty: all of them), for a torchvision-layout file one name per
   *     classifier output (or one name for a two-output softmax head)
   * @param imageSize the square input size the model runs at ({@link #DEFAULT_IMAGE_SIZE})
   */
  public record Request(Path file, Pretrained.Source source, List<String> findings, int imageSize) {
    /** Checks the fields. */
    public Request {
      Objects.requireNonNull(file, "file");
      findings = List.copyOf(Objects.requireNonNull(findings, "findings"));
      if (imageSize < Limits.MIN_IMAGE_SIZE || imageSize > Limits.MAX_IMAGE_SIZE) {
        throw new IllegalArgumentException(
            "imageSize must be in ["
                + Limits.MIN_IMAGE_SIZE
                + ", "
                + Limits.MAX_IMAGE_SIZE
                + "] but was "
                + imageSize);
      }
      if (source == Pretrained.Source.CXR) {
        throw new IllegalArgumentException("a cxr model file needs no import");
      }
    }

    /**
     * A request with the defaults: the source told from the file, every output the file names, 224
     * px.
     *
     * @param file the file
     * @return the request
     */
    public static Request of(Path file) {
      return new Request(file, null, List.of(), DEFAULT_IMAGE_SIZE);
    }

    /**
     * This request at another input size.
     *
     * @param size the square input size
     * @return a new request
     */
    public Request withSize(int size) {
      return new Request(file, source, findings, size);
    }
  }

  /**
   * Imports a file.
   *
   * @param request what to import
   * @return the model, ready to save
   * @throws CxrDataException naming the file when it is refused or does not fit
   * @throws IllegalArgumentException when the findings do not fit the file's outputs
   */
  public static CxrModel importModel(Request request) {
    StateDict weights = WeightFiles.read(request.file());
    TorchLayout layout = TorchLayout.of(weights, request.source());
    List<String> names = new ArrayList<>();
    List<Integer> rows = new ArrayList<>();
    List<Double> thresholds = new ArrayList<>();
    boolean binary = chooseOutputs(request, layout, names, rows, thresholds);
    Pretrained source =
        new Pretrained(
            request.file(), PretrainedWeights.sha256(request.file()), layout.source(), 0, 1.0);
    PipelineConfig.Builder b =
        PipelineConfig.builder()
            .pretrainedNetwork(source, layout.architecture(), layout.depth(), layout.width(), false)
            .imageSize(request.imageSize());
    if (binary) {
      b.positive(names.get(0));
    } else {
      b.findings(names.toArray(String[]::new));
    }
    PipelineConfig config = b.build();
    CxrTask task = config.task();
    ComputationGraph net =
        NetworkFactory.initialised(
            config,
            task,
            binary
                ? config.loss().toLossFunction()
                : config.loss().toMultiLabelLoss(new double[names.size()]));
    PretrainedWeights.copyAll(
        weights, layout, net, rows.stream().mapToInt(Integer::intValue).toArray());
    ValidationSummary summary;
    if (binary) {
      summary =
          new ValidationSummary(
              Double.NaN,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              ValidationSummary.UNCALIBRATED);
    } else {
      List<FindingSummary> findings = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        findings.add(
            new FindingSummary(
                task.findings().get(i),
                0,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                thresholds.isEmpty() ? Double.NaN : thresholds.get(i),
                Double.NaN,
                Double.NaN,
                ValidationSummary.UNCALIBRATED));
      }
      summary = ValidationSummary.multiLabel(Double.NaN, findings);
    }
    ModelInfo info =
        new ModelInfo(
            ModelInfo.FORMAT,
            ModelInfo.currentLibraryVersion(),
            ModelInfo.DL4J_VERSION,
            config,
            task.labelNames(),
            Normalisation.MIN_MAX,
            "imported " + source.sha256(),
            0,
            0,
            0,
            0,
            summary,
            List.of());
    return new CxrModel(net, info);
  }

  /**
   * Picks the classifier rows to keep and names them.
   *
   * @return whether the model is the one-finding softmax task
   */
  private static boolean chooseOutputs(
      Request request,
      TorchLayout layout,
      List<String> names,
      List<Integer> rows,
      List<Double> thresholds) {
    if (!layout.outputNames().isEmpty()) {
      List<String> wanted = request.findings().stream().map(CxrTask::canonical).toList();
      for (int r = 0; r < layout.classes(); r++) {
        String name = layout.outputNames().get(r).replace(' ', '_');
        if (!NihLabels.FINDINGS.contains(name)) {
          continue;
        }
        double t = layout.thresholds().isEmpty() ? Double.NaN : layout.thresholds().get(r);
        if (!layout.thresholds().isEmpty() && Double.isNaN(t) && wanted.isEmpty()) {
          continue; // a NaN op_thresh: this model never learnt that output
        }
        if (!wanted.isEmpty() && !wanted.contains(name)) {
          continue;
        }
        names.add(name);
        rows.add(r);
        if (!layout.thresholds().isEmpty()) {
          thresholds.add(t);
        }
      }
      for (String w : wanted) {
        if (!names.contains(w)) {
          throw new IllegalArgumentException(
              "findings: the file has no output '" + w + "' (it has " + layout.outputNames() + ")");
        }
      }
      if (names.size() < 2) {
        throw new IllegalArgumentException(
            "findings: a multi-label model needs two or more outputs but " + names + " remain");
      }
      return false;
    }
    if (request.findings().isEmpty()) {
      throw new IllegalArgumentException(
          "findings: the file does not name its "
              + layout.classes()
              + " outputs; name them (--findings A,B,...), one per output in order, or use the"
              + " file as --pretrained weights for fine-tuning");
    }
    if (request.findings().size() == 1 && layout.classes() == 2) {
      names.add(CxrTask.canonical(request.findings().get(0)));
      rows.add(0);
      rows.add(1);
      return true;
    }
    if (request.findings().size() != layout.classes()) {
      throw new IllegalArgumentException(
          "findings: "
              + request.findings().size()
              + " names for the file's "
              + layout.classes()
              + " outputs");
    }
    for (int r = 0; r < layout.classes(); r++) {
      names.add(CxrTask.canonical(request.findings().get(r)));
      rows.add(r);
    }
    return false;
  }
}
