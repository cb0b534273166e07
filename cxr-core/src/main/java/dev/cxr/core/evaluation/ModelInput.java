package dev.cxr.core.evaluation;

import java.util.Objects;

/**
 * One image read, resized and normalised for a particular model: exactly one input row of its
 * network. Made by {@link Scorer#prepare}, consumed by {@link Scorer#predictInputs}; splitting the
 * two lets a caller that scores many images from many sources (a Spark partition, a PACS feed) turn
 * an unreadable image into an error of its own and still score the rest in batches, through the
 * same code path as {@link Scorer#predict}.
 */
public final class ModelInput {
  private final String name;
  private final int size;
  private final float[] pixels;

  ModelInput(String name, int size, float[] pixels) {
    this.name = Objects.requireNonNull(name, "name");
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
   * @return the square input size it was prepared for
   */
  public int size() {
    return size;
  }

  float[] pixels() {
    return pixels;
  }
}
