package dev.cxr.core.explain;

import dev.cxr.core.evaluation.ModelInput;
import dev.cxr.core.evaluation.Scorer;
import dev.cxr.core.provenance.ModelInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Explains a saved model's predictions. The images are read and scored by the model's {@link
 * Scorer} (the one reading and scoring path: the same resizing, normalisation, temperature and
 * test-time augmentation as {@code predict}, so an explanation's probability is {@code predict}'s),
 * and {@link GradCam} draws where the network looked for one finding, at the input size. Any model
 * {@code predict} takes is explained, a fold ensemble included (the mean of its members' maps).
 */
public final class Explainer {
  /**
   * Images per Grad-CAM forward pass: Grad-CAM keeps every layer's activations of the batch, so it
   * runs on smaller batches than scoring; the maps do not depend on the batch (inference mode).
   */
  static final int BATCH = 8;

  private final ComputationGraph network;
  private final ModelInfo info;
  private final Scorer scorer;

  /**
   * An explainer scoring as {@link Scorer#forModel} does.
   *
   * @param network the model's network
   * @param info the model's metadata
   * @throws IllegalArgumentException when the network does not end in global average pooling and a
   *     dense output layer, nor is an ensemble of such networks (see {@link GradCam})
   */
  public Explainer(ComputationGraph network, ModelInfo info) {
    this(network, info, Scorer.forModel(network, info));
  }

  /**
   * An explainer scoring through a given scorer of the model (e.g. one with test-time
   * augmentation).
   *
   * @param network the model's network
   * @param info the model's metadata
   * @param scorer the model's scorer
   */
  public Explainer(ComputationGraph network, ModelInfo info, Scorer scorer) {
    this.network = Objects.requireNonNull(network, "network");
    this.info = Objects.requireNonNull(info, "info");
    this.scorer = Objects.requireNonNull(scorer, "scorer");
    GradCam.of(network, info.task().column(0)); // fails here, not at the first image
  }

  /**
   * @return the Grad-CAM of the first finding (the binary task's positive one)
   */
  public GradCam gradCam() {
    return GradCam.of(network, info.task().column(0));
  }

  /**
   * Explains the first finding of the task: the binary task's positive finding.
   *
   * @param images image files
   * @return one explanation per file, in the same order
   * @throws dev.cxr.core.io.CxrDataException naming the first image that cannot be read
   */
  public List<Explanation> explain(List<Path> images) {
    return explain(images, info.task().findings().get(0));
  }

  /**
   * Explains one finding of the task.
   *
   * @param images image files
   * @param finding one of the task's findings, matched ignoring case, spaces and underscores
   * @return one explanation per file, in the same order
   * @throws IllegalArgumentException naming the finding when the model does not predict it
   * @throws dev.cxr.core.io.CxrDataException naming the first image that cannot be read
   */
  public List<Explanation> explain(List<Path> images, String finding) {
    Objects.requireNonNull(images, "images");
    List<ModelInput> inputs = new ArrayList<>(images.size());
    for (Path image : images) {
      inputs.add(scorer.prepare(image));
    }
    return explainInputs(inputs, finding);
  }

  /**
   * Explains one finding for images already prepared by the model's scorer (see {@link
   * ModelInput}): an image in memory is explained as a file is, and its overlay is drawn from the
   * bytes it was prepared from.
   *
   * @param inputs prepared images
   * @param finding one of the task's findings, matched ignoring case, spaces and underscores
   * @return one explanation per input, in the same order
   * @throws IllegalArgumentException naming the finding when the model does not predict it
   */
  public List<Explanation> explainInputs(List<ModelInput> inputs, String finding) {
    Objects.requireNonNull(inputs, "inputs");
    int f = findingIndex(finding);
    int column = info.task().column(f);
    String label = info.labelNames().get(column);
    double threshold = info.validation().thresholds(info.task().findings().size())[f];
    GradCam gradCam = GradCam.of(network, column);
    int size = info.imageSize();
    // the probabilities as predict gives them (test-time variants included)
    List<Map<String, Double>> probabilities = scorer.predictInputs(inputs);
    List<Explanation> out = new ArrayList<>(inputs.size());
    for (int from = 0; from < inputs.size(); from += BATCH) {
      int to = Math.min(inputs.size(), from + BATCH);
      List<GradCam.Cam> cams = gradCam.compute(scorer.features(inputs.subList(from, to)));
      for (int i = from; i < to; i++) {
        GradCam.Cam c = cams.get(i - from);
        out.add(
            new Explanation(
                inputs.get(i).source(),
                label,
                probabilities.get(i).get(label),
                threshold,
                c.map().resized(size, size),
                c.map()));
      }
    }
    return out;
  }

  /** The task's index of a finding, named in the error when the model does not predict it. */
  private int findingIndex(String finding) {
    Objects.requireNonNull(finding, "finding");
    List<String> findings = info.task().findings();
    for (int i = 0; i < findings.size(); i++) {
      if (dev.cxr.core.data.NihLabels.canonical(finding).orElse("").equals(findings.get(i))) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "finding must be one of the model's " + findings + " but was '" + finding + "'");
  }
}
