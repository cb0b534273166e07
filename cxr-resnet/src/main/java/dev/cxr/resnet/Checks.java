package dev.cxr.resnet;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Argument checks shared by {@link ResNets.Builder}, {@link ResNetConfig}, {@link
 * DenseNets.Builder} and {@link DenseNetConfig}; messages name the value.
 */
final class Checks {

  static final int MIN_INPUT_SIZE = ResNetConfig.MIN_INPUT_SIZE;
  static final int MAX_INPUT_SIZE = ResNetConfig.MAX_INPUT_SIZE;
  static final int MAX_INPUT_CHANNELS = 256;
  static final int MAX_CLASSES = 100_000;
  static final int MAX_WIDTH = ResNetConfig.MAX_WIDTH;
  static final int MAX_STAGES = 6;
  static final int MAX_BLOCKS_PER_STAGE = 128;

  private Checks() {}

  static int inRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be in [" + min + ", " + max + "] but was " + value);
    }
    return value;
  }

  static int inputSize(String name, int value) {
    if (value < MIN_INPUT_SIZE || value > MAX_INPUT_SIZE) {
      throw new IllegalArgumentException(
          name
              + " must be in ["
              + MIN_INPUT_SIZE
              + ", "
              + MAX_INPUT_SIZE
              + "] pixels but was "
              + value);
    }
    return value;
  }

  static double dropout(double rate) {
    if (!(rate >= 0.0 && rate < 1.0)) {
      throw new IllegalArgumentException("dropout must be in [0, 1) but was " + rate);
    }
    return rate;
  }

  static double l2(double l2) {
    if (!(l2 >= 0.0) || Double.isInfinite(l2)) {
      throw new IllegalArgumentException("l2 must be finite and >= 0 but was " + l2);
    }
    return l2;
  }

  static int[] stages(int... stages) {
    return repetitions("stages", "blocks", stages);
  }

  /**
   * Checks a list of repetitions: 1 to {@value #MAX_STAGES} entries of 1 to {@value
   * #MAX_BLOCKS_PER_STAGE} each.
   *
   * @param name the parameter, e.g. {@code stages}
   * @param unit what is repeated, e.g. {@code blocks}
   * @param counts the repetitions
   * @return a copy of {@code counts}
   */
  static int[] repetitions(String name, String unit, int... counts) {
    if (counts.length < 1 || counts.length > MAX_STAGES) {
      throw new IllegalArgumentException(
          name + " must have between 1 and " + MAX_STAGES + " entries but had " + counts.length);
    }
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 1 || counts[i] > MAX_BLOCKS_PER_STAGE) {
        throw new IllegalArgumentException(
            name
                + "["
                + i
                + "] must be in [1, "
                + MAX_BLOCKS_PER_STAGE
                + "] "
                + unit
                + " but was "
                + counts[i]);
      }
    }
    return counts.clone();
  }

  static DataType floatingPoint(DataType dataType) {
    Objects.requireNonNull(dataType, "dataType");
    if (!dataType.isFPType()) {
      throw new IllegalArgumentException(
          "dataType must be a floating-point type but was " + dataType);
    }
    return dataType;
  }

  static void classesForHead(int classes, HeadActivation headActivation) {
    if (classes < headActivation.minimumClasses()) {
      throw new IllegalArgumentException(
          "classes must be >= "
              + headActivation.minimumClasses()
              + " for a "
              + headActivation
              + " head but was "
              + classes);
    }
  }

  static void inputScaling(InputScaling inputScaling, int inputChannels) {
    if (inputScaling != null && inputChannels != 1) {
      throw new IllegalArgumentException(
          "inputScaling maps a one-channel input but inputChannels was " + inputChannels);
    }
  }
}
