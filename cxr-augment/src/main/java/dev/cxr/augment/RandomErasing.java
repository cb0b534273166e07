package dev.cxr.augment;

import dev.cxr.augment.FusedSample.Stage;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Random erasing, or cutout (Zhong et al., "Random Erasing Data Augmentation", AAAI 2020,
 * arXiv:1708.04896; DeVries and Taylor, "Improved Regularization of Convolutional Neural Networks
 * with Cutout", arXiv:1708.04552): one rectangle covering a fraction of the image drawn uniformly
 * from {@code [min(0.02, maxArea), maxArea]}, with aspect ratio drawn log-uniformly from [0.3,
 * 3.3], at a uniform position, is filled with the image's mean intensity. A flat mean fill adds no
 * texture the network could use as a shortcut.
 *
 * <p>Off in both presets: an erased rectangle can hide the very finding the label names (a small
 * effusion in a costophrenic angle), turning a positive into a mislabelled negative. Limited to
 * {@value #LIMIT} of the image.
 *
 * <p>JSON form: {@code {"type": "randomErasing", "maxArea": 0.1}}.
 */
public final class RandomErasing extends AugmentationStep {
  /** The largest allowed area fraction. */
  public static final double LIMIT = 0.4;

  private static final double MIN_AREA = 0.02;
  private static final double MIN_ASPECT = 0.3;

  RandomErasing(double... maxArea) {
    super(StepType.RANDOM_ERASING, maxArea);
  }

  /**
   * Erasing of a rectangle of up to {@code maxArea} of the image.
   *
   * @param maxArea fraction of the image area, in [0, 0.4]; 0 is the identity
   * @return the transform
   * @throws IllegalArgumentException naming {@code randomErasing} when out of range
   */
  public static RandomErasing upTo(double maxArea) {
    return new RandomErasing(maxArea);
  }

  /**
   * Returns the largest erased fraction of the image area.
   *
   * @return the fraction
   */
  public double maxArea() {
    return value(0);
  }

  @Override
  Stage stage() {
    return Stage.ERASING;
  }

  @Override
  void contribute(FusedSample sample, SplittableRandom random) {
    int[] rect = sampleRectangle(random, sample.width(), sample.height());
    if (rect != null) {
      sample.erase(rect);
    }
  }

  /** Draws the rectangle {@code {x, y, width, height}}, or null when nothing is erased. */
  int[] sampleRectangle(SplittableRandom random, int w, int h) {
    double maxArea = maxArea();
    if (maxArea == 0) {
      return null;
    }
    // drawn even when lo == maxArea, as the first release did: the later draws depend on it
    double lo = Math.min(MIN_AREA, maxArea);
    double area = (lo + (maxArea - lo) * random.nextDouble()) * w * h;
    double aspect = Draw.logUniform(MIN_ASPECT, 1 / MIN_ASPECT, random);
    int eh = (int) Math.min(h, Math.round(Math.sqrt(area * aspect)));
    int ew = (int) Math.min(w, Math.round(Math.sqrt(area / aspect)));
    if (eh == 0 || ew == 0) {
      return null;
    }
    int x = random.nextInt(w - ew + 1);
    int y = random.nextInt(h - eh + 1);
    return new int[] {x, y, ew, eh};
  }

  /** Fills the rectangle of {@code px} with the mean of {@code px}, in place. */
  static void erase(float[] px, int w, int[] rect) {
    double sum = 0;
    for (float v : px) {
      sum += v;
    }
    float mean = (float) (sum / px.length);
    for (int y = rect[1]; y < rect[1] + rect[3]; y++) {
      int start = y * w + rect[0];
      Arrays.fill(px, start, start + rect[2], mean);
    }
  }
}
