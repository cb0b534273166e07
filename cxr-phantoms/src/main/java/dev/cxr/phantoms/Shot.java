package dev.cxr.phantoms;

import static dev.cxr.phantoms.PhantomMath.uniform;

import java.util.SplittableRandom;

/** What differs between two images of one patient: positioning, exposure and noise. */
record Shot(double shiftX, double shiftY, double rotation, double exposure, long noiseSeed) {
  /**
   * Draws the shot of one image. The order of the draws is part of the output: changing it would
   * change every generated image.
   *
   * @param r the image's own random stream
   * @return the shot
   */
  static Shot sample(SplittableRandom r) {
    return new Shot(
        uniform(r, -0.02, 0.02),
        uniform(r, -0.02, 0.02),
        uniform(r, -0.035, 0.035),
        uniform(r, 0.92, 1.08),
        r.nextLong());
  }
}
