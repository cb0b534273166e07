package dev.cxr.augment;

import java.util.SplittableRandom;

/**
 * Mirrors the image left to right. <strong>Unsafe for chest radiographs</strong>: it moves the
 * heart to the right (dextrocardia, a real and rare condition), swaps the side of every finding
 * and mirrors the side marker. Package-private: the only way to use it is the explicitly named
 * opt-in {@link CxrAugmentation.Builder#horizontalFlipUnsafe(double)}.
 */
final class HorizontalFlip implements ImageTransform {
  static final HorizontalFlip INSTANCE = new HorizontalFlip();

  private HorizontalFlip() {}

  static AffineMap forward(int width) {
    return AffineMap.mirrorX(AffineMap.centreX(width));
  }

  @Override
  public GrayImage apply(GrayImage image, SplittableRandom random) {
    return Resampler.applyForward(image, forward(image.width()));
  }

  @Override
  public String describe() {
    return "horizontalFlipUnsafe()";
  }

  @Override
  public String toString() {
    return describe();
  }
}
