package dev.cxr.augment;

import dev.cxr.augment.FusedSample.Stage;
import java.util.SplittableRandom;

/**
 * Gaussian blur with a standard deviation drawn uniformly from {@code [0, maxSigma]} pixels:
 * separable (one horizontal and one vertical pass), kernel radius {@code ceil(3 sigma)}, weights
 * normalised to sum 1, replicated borders. Models focal-spot blur, patient motion and the
 * resolution differences between detectors. Off in both presets: fine pleural lines are among the
 * findings a model should learn, and blurring them away teaches it to ignore them.
 *
 * <p>Limited to sigma {@value #LIMIT} pixels.
 *
 * <p>JSON form: {@code {"type": "blur", "maxSigma": 1.0}}.
 */
public final class GaussianBlur extends AugmentationStep {
  /** The largest allowed {@code maxSigma}. */
  public static final double LIMIT = 3;

  GaussianBlur(double... maxSigma) {
    super(StepType.BLUR, maxSigma);
  }

  /**
   * A blur of up to {@code maxSigma} pixels.
   *
   * @param maxSigma in [0, 3]; 0 is the identity
   * @return the transform
   * @throws IllegalArgumentException naming {@code blur} when out of range
   */
  public static GaussianBlur upTo(double maxSigma) {
    return new GaussianBlur(maxSigma);
  }

  /**
   * Returns the largest sigma.
   *
   * @return sigma, in pixels
   */
  public double maxSigma() {
    return value(0);
  }

  @Override
  Stage stage() {
    return Stage.BLUR;
  }

  @Override
  void contribute(FusedSample sample, SplittableRandom random) {
    sample.blur(Draw.uniform(0, maxSigma(), random));
  }

  /** The normalised kernel, length {@code 2 * ceil(3 sigma) + 1}. */
  static float[] kernel(double sigma) {
    int radius = Math.max(1, (int) Math.ceil(3 * sigma));
    double[] k = new double[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      k[i + radius] = i == 0 ? 1 : Math.exp(-0.5 * i * i / (sigma * sigma));
      sum += k[i + radius];
    }
    float[] out = new float[k.length];
    for (int i = 0; i < k.length; i++) {
      out[i] = (float) (k[i] / sum);
    }
    return out;
  }

  /** Blurs {@code src} ({@code w x h}) with {@code sigma > 0}; returns a new array. */
  static float[] blur(float[] src, int w, int h, double sigma) {
    float[] k = kernel(sigma);
    int r = k.length / 2;
    float[] tmp = new float[w * h];
    float[] out = new float[w * h];
    // horizontal pass
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int x = 0; x < w; x++) {
        float acc = 0;
        if (x >= r && x + r < w) {
          int base = row + x - r;
          for (int j = 0; j < k.length; j++) {
            acc += k[j] * src[base + j];
          }
        } else {
          for (int j = -r; j <= r; j++) {
            int xx = Math.min(w - 1, Math.max(0, x + j));
            acc += k[j + r] * src[row + xx];
          }
        }
        tmp[row + x] = acc;
      }
    }
    // vertical pass, row by row so the inner loop runs along contiguous memory
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int j = -r; j <= r; j++) {
        int yy = Math.min(h - 1, Math.max(0, y + j));
        int srcRow = yy * w;
        float kj = k[j + r];
        for (int x = 0; x < w; x++) {
          out[row + x] += kj * tmp[srcRow + x];
        }
      }
    }
    return out;
  }
}
