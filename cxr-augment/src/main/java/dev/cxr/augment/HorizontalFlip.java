package dev.cxr.augment;

import java.util.SplittableRandom;

/**
 * Mirrors the image left to right. <strong>Unsafe for chest radiographs</strong>: it moves the
 * heart to the right (dextrocardia, a real and rare condition), swaps the side of every finding and
 * mirrors the side marker. Package-private: the only ways to use it are the explicitly named opt-in
 * {@link AugmentationBuilder#horizontalFlipUnsafe(double)} and the equally named JSON step type
 * {@code horizontalFlipUnsafe}.
 *
 * <p>Unlike the other steps it fires with its own {@link #probability()}, not the configuration's:
 * so that turning it on never changes how often the safe transforms fire. As an {@link
 * ImageTransform} applied alone it always mirrors, and the random source is not used.
 *
 * <p>JSON form: {@code {"type": "horizontalFlipUnsafe", "probability": 0.5}}.
 */
final class HorizontalFlip extends GeometricStep {

  HorizontalFlip(double... probability) {
    super(StepType.HORIZONTAL_FLIP, probability);
  }

  /** A flip firing with probability {@code p}, in [0, 1]. */
  static HorizontalFlip withProbability(double p) {
    return new HorizontalFlip(p);
  }

  double probability() {
    return value(0);
  }

  @Override
  double fireProbability(double configurationProbability) {
    return probability();
  }

  @Override
  AffineMap sampleForward(SplittableRandom random, int width, int height) {
    return AffineMap.mirrorX(AffineMap.centreX(width));
  }
}
