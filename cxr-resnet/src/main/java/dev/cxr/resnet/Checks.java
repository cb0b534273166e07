package dev.cxr.resnet;

/**
 * Argument checks shared by {@link ResNets.Builder} and {@link ResNetConfig}; messages name the
 * value.
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
    if (stages.length < 1 || stages.length > MAX_STAGES) {
      throw new IllegalArgumentException(
          "stages must have between 1 and " + MAX_STAGES + " entries but had " + stages.length);
    }
    for (int i = 0; i < stages.length; i++) {
      if (stages[i] < 1 || stages[i] > MAX_BLOCKS_PER_STAGE) {
        throw new IllegalArgumentException(
            "stages["
                + i
                + "] must be in [1, "
                + MAX_BLOCKS_PER_STAGE
                + "] blocks but was "
                + stages[i]);
      }
    }
    return stages.clone();
  }
}
