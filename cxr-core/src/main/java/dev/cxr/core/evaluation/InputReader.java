package dev.cxr.core.evaluation;

import dev.cxr.core.image.ImageLoader;
import dev.cxr.core.image.ImageSource;
import dev.cxr.core.image.Normalisation;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How an unlabelled image becomes one input row of a model's network, for the {@link Scorer}: read
 * (PNG, JPEG or DICOM, from a file or from memory), resized to the input size and min-max
 * normalised; then, when inputs are stacked into the network's input batch, the test-time variant
 * and the model's normalisation.
 */
final class InputReader {
  private final int imageSize;
  private final Normalisation normalisation;

  InputReader(int imageSize, Normalisation normalisation) {
    this.imageSize = imageSize;
    this.normalisation = Objects.requireNonNull(normalisation, "normalisation");
  }

  ModelInput prepare(Path image) {
    Objects.requireNonNull(image, "image");
    return prepare(image.toString(), ImageSource.file(image));
  }

  ModelInput prepare(String name, byte[] data) {
    Objects.requireNonNull(name, "name");
    return prepare(name, ImageSource.bytes(name, data));
  }

  private ModelInput prepare(String name, ImageSource source) {
    return new ModelInput(name, source, imageSize, ImageLoader.load(source, imageSize));
  }

  /**
   * The network's input batch {@code [n, 1, size, size]} of prepared inputs: each input's test-time
   * variant (the image itself for variant 0), normalised as the model was trained.
   */
  INDArray features(List<ModelInput> inputs, TestTimeAugmentation tta, int variant) {
    int px = imageSize * imageSize;
    float[] buf = new float[inputs.size() * px];
    for (int i = 0; i < inputs.size(); i++) {
      ModelInput in = inputs.get(i);
      if (in.size() != imageSize) {
        throw new IllegalArgumentException(
            "input '" + in.name() + "' was prepared at " + in.size() + " px, not " + imageSize);
      }
      // variant 0 is the input's own array: copied into the batch, never changed
      System.arraycopy(tta.apply(in.pixels(), imageSize, imageSize, variant), 0, buf, i * px, px);
      normalisation.applyInPlace(buf, i * px, px);
    }
    return Nd4j.create(buf, new long[] {inputs.size(), 1, imageSize, imageSize}, DataType.FLOAT);
  }
}
