package dev.cxr.core.evaluation;

import dev.cxr.core.image.ImageSource;
import java.util.Objects;

/**
 * One image read and resized for a particular model: its min-max normalised pixels at the network's
 * input size, and where it came from. Made by {@link Scorer#prepare}, consumed by {@link
 * Scorer#predictInputs} and {@link dev.cxr.core.explain.Explainer#explainInputs}; splitting the two
 * lets a caller that scores many images from many sources (a Spark partition, a PACS feed, the
 * requests of {@code cxr serve}) turn an unreadable image into an error of its own and still score
 * the rest in batches, through the same code path as {@link Scorer#predict}.
 *
 * <p>The model's normalisation and any test-time variants are applied when the inputs are stacked
 * into a batch, not here, so one input serves every variant.
 */
public final class ModelInput {
  private final String name;
  private final ImageSource source;
  private final int size;
  private final float[] pixels;

  ModelInput(String name, ImageSource source, int size, float[] pixels) {
    this.name = Objects.requireNonNull(name, "name");
    this.source = Objects.requireNonNull(source, "source");
    this.size = size;
    this.pixels = pixels; // owned: made by Scorer.prepare and never handed out
  }

  /**
   * @return the image's name, as given when it was prepared
   */
  public String name() {
    return name;
  }

  /**
   * @return where the image came from (what an explanation draws its overlay from)
   */
  public ImageSource source() {
    return source;
  }

  /**
   * @return the square input size it was prepared for
   */
  public int size() {
    return size;
  }

  /** Min-max normalised pixels, {@code size * size}, row-major; never changed. */
  float[] pixels() {
    return pixels;
  }
}
