package example.consumer;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.augment.GrayImage;

/** cxr-augment alone: medical-safe augmentation of a plain float image, no DL4J anywhere. */
public final class AugmentOnly {
  private AugmentOnly() {}

  /**
   * Augments a gradient image with the medical-safe preset.
   *
   * @param epoch training epoch
   * @param sample sample index
   * @return the augmented image
   */
  public static GrayImage augment(long epoch, long sample) {
    int w = 64;
    int h = 48;
    float[] px = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        px[y * w + x] = (x + y) / (float) (w + h);
      }
    }
    CxrAugmentation aug = CxrAugmentation.preset("medical-safe");
    return aug.apply(GrayImage.of(w, h, px), epoch, sample);
  }

  /**
   * Entry point.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    System.out.println(CxrAugmentation.preset("medical-safe").describe());
    System.out.println("augmented: " + augment(0, 1).width() + "x" + augment(0, 1).height());
  }
}
