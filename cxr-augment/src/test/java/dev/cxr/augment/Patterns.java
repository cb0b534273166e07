package dev.cxr.augment;

import java.util.SplittableRandom;

/** Test images. */
final class Patterns {
  private Patterns() {}

  /** Uniform random pixels in [0, 1). */
  static GrayImage random(int w, int h, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] p = new float[w * h];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) r.nextDouble();
    }
    return GrayImage.of(w, h, p);
  }

  /** {@code f(x, y) = ax * x + ay * y + c}. */
  static GrayImage ramp(int w, int h, float ax, float ay, float c) {
    float[] p = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        p[y * w + x] = ax * x + ay * y + c;
      }
    }
    return GrayImage.of(w, h, p);
  }

  static double mean(GrayImage img) {
    double s = 0;
    for (float v : img.toArray()) {
      s += v;
    }
    return s / (img.width() * img.height());
  }

  static double std(GrayImage img) {
    double m = mean(img);
    double s = 0;
    for (float v : img.toArray()) {
      s += (v - m) * (v - m);
    }
    return Math.sqrt(s / (img.width() * img.height()));
  }
}
