package dev.cxr.core.evaluation;

import dev.cxr.core.image.ImageLoader;
import dev.cxr.core.image.Normalisation;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How an unlabelled image becomes one input row of a model's network, for the {@link Scorer}: read
 * (PNG, JPEG or DICOM, from a file or from memory), resized to the input size, min-max, the model's
 * normalisation; and prepared inputs stacked into the network's input batch.
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
    return normalised(image.toString(), ImageLoader.load(image, imageSize));
  }

  ModelInput prepare(String name, byte[] data) {
    Objects.requireNonNull(name, "name");
    return normalised(name, ImageLoader.load(messageName(name), data, imageSize));
  }

  /** Min-max pixels of the input size, normalised in place as the model was trained. */
  ModelInput normalised(String name, float[] pixels) {
    normalisation.applyInPlace(pixels, 0, pixels.length);
    return new ModelInput(name, imageSize, pixels);
  }

  /** The network's input batch {@code [n, 1, size, size]} of prepared inputs. */
  INDArray features(List<ModelInput> inputs) {
    int px = imageSize * imageSize;
    float[] buf = new float[inputs.size() * px];
    for (int i = 0; i < inputs.size(); i++) {
      ModelInput in = inputs.get(i);
      if (in.size() != imageSize) {
        throw new IllegalArgumentException(
            "input '" + in.name() + "' was prepared at " + in.size() + " px, not " + imageSize);
      }
      System.arraycopy(in.pixels(), 0, buf, i * px, px);
    }
    return Nd4j.create(buf, new long[] {inputs.size(), 1, imageSize, imageSize}, DataType.FLOAT);
  }

  /** A URI such as {@code hdfs://host/a.png} is a valid Unix path; elsewhere keep the file name. */
  private static Path messageName(String name) {
    try {
      return Path.of(name);
    } catch (InvalidPathException e) {
      return Path.of(name.replaceAll("[^A-Za-z0-9._-]", "_"));
    }
  }
}
