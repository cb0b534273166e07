package dev.cxr.core.explain;

import dev.cxr.core.evaluation.TemperatureScaling;
import dev.cxr.core.image.ImageLoader;
import dev.cxr.core.provenance.ModelInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Explains a saved model's predictions: reads each image as the model's scorer does (resized to the
 * input size, min-max, the model's normalisation), runs {@link GradCam} for the positive class and
 * returns the probability (temperature-scaled when the model is calibrated, so it equals {@code
 * predict}'s) with the heat map at the input size.
 */
public final class Explainer {
  /** Images per forward pass; Grad-CAM keeps every layer's activations of the batch. */
  static final int BATCH = 8;

  private final ModelInfo info;
  private final GradCam gradCam;

  /**
   * @param network the model's network
   * @param info the model's metadata
   * @throws IllegalArgumentException when the network does not end in global average pooling and a
   *     dense output layer
   */
  public Explainer(ComputationGraph network, ModelInfo info) {
    this.info = Objects.requireNonNull(info, "info");
    this.gradCam = GradCam.of(network, info.task().positiveColumn());
  }

  /**
   * @return the Grad-CAM of the positive class
   */
  public GradCam gradCam() {
    return gradCam;
  }

  /**
   * Explains images of any size or bit depth.
   *
   * @param images PNG, JPEG or DICOM files
   * @return one explanation per image, in order
   * @throws dev.cxr.core.io.CxrDataException when an image is missing or unreadable
   */
  public List<Explanation> explain(List<Path> images) {
    Objects.requireNonNull(images, "images");
    int size = info.imageSize();
    int px = size * size;
    int pos = info.task().positiveColumn();
    String label = info.labelNames().get(pos);
    double temperature = info.validation().temperature();
    List<Explanation> out = new ArrayList<>(images.size());
    for (int from = 0; from < images.size(); from += BATCH) {
      int to = Math.min(images.size(), from + BATCH);
      float[] buf = new float[(to - from) * px];
      for (int i = from; i < to; i++) {
        float[] p = ImageLoader.load(images.get(i), size);
        info.normalisation().applyInPlace(p, 0, px);
        System.arraycopy(p, 0, buf, (i - from) * px, px);
      }
      INDArray x = Nd4j.create(buf, new long[] {to - from, 1, size, size}, DataType.FLOAT);
      List<GradCam.Cam> cams = gradCam.compute(x);
      for (int i = from; i < to; i++) {
        GradCam.Cam c = cams.get(i - from);
        double p = TemperatureScaling.apply(c.probabilities().get(pos), temperature);
        out.add(
            new Explanation(
                images.get(i), label, p, info.threshold(), c.map().resized(size, size), c.map()));
      }
    }
    return out;
  }
}
