package dev.cxr.core.config;

import dev.cxr.resnet.ResNetConfig;
import dev.cxr.resnet.ResNetDepth;
import java.util.List;

/**
 * Every limit of a {@link PipelineConfig} field, defined once and used by the record's compact
 * constructor, by the builders' setters (which check at once) and by the command line's help. The
 * network's own limits come from cxr-resnet, so the pipeline never accepts a size or width the
 * network would refuse.
 */
public final class Limits {
  /** Supported ResNet depths, from cxr-resnet's {@link ResNetDepth} table. */
  public static final List<Integer> DEPTHS = ResNetDepth.supported();

  /** Smallest image size in pixels (cxr-resnet's smallest input). */
  public static final int MIN_IMAGE_SIZE = ResNetConfig.MIN_INPUT_SIZE;

  /** Largest image size in pixels (cxr-resnet's largest input). */
  public static final int MAX_IMAGE_SIZE = ResNetConfig.MAX_INPUT_SIZE;

  /** Largest base width (cxr-resnet's). */
  public static final int MAX_WIDTH = ResNetConfig.MAX_WIDTH;

  /** Largest batch size. */
  public static final int MAX_BATCH_SIZE = 4096;

  /** Largest number of epochs. */
  public static final int MAX_EPOCHS = 10_000;

  /** Largest learning rate. */
  public static final double MAX_LEARNING_RATE = 10;

  /** Largest number of image-decoding threads. */
  public static final int MAX_WORKERS = 64;

  private Limits() {}

  static int depth(int depth) {
    if (!DEPTHS.contains(depth)) {
      throw new IllegalArgumentException(
          "resnet depth must be one of " + DEPTHS + " but was " + depth);
    }
    return depth;
  }

  static int inRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be in [" + min + ", " + max + "] but was " + value);
    }
    return value;
  }

  static double learningRate(double rate) {
    if (!(rate > 0 && rate <= MAX_LEARNING_RATE)) {
      throw new IllegalArgumentException(
          "learningRate must be in (0, " + MAX_LEARNING_RATE + "] but was " + rate);
    }
    return rate;
  }

  /** Checks {@code min <= value < max} (a half-open range, as for probabilities below 1). */
  static double halfOpen(String name, double value, double min, double max) {
    if (!(value >= min && value < max)) {
      throw new IllegalArgumentException(
          name + " must be in [" + min + ", " + max + ") but was " + value);
    }
    return value;
  }

  static double validationFraction(double fraction) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException(
          "validationFraction must be in (0, 1) but was " + fraction);
    }
    return fraction;
  }

  static int nonNegative(String name, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0 but was " + value);
    }
    return value;
  }

  static double nonNegativeFinite(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0 but was " + value);
    }
    return value;
  }
}
