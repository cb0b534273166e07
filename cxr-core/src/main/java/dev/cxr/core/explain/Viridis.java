package dev.cxr.core.explain;

/**
 * The viridis colour map (S. van der Walt, N. Smith, matplotlib 2015: perceptually uniform, legible
 * in grey print and to the common forms of colour blindness) as a 256-entry lookup table, generated
 * here from the published degree-6 polynomial fit of M. Zucker ("viridis approximation", Shadertoy,
 * CC0), which stays within 0.015 of matplotlib's table on every channel.
 */
public final class Viridis {
  /** Polynomial coefficients c0..c6 per channel (r, g, b), lowest degree first. */
  private static final double[][] COEFFICIENTS = {
    {
      0.2777273272234177,
      0.1050930431085774,
      -0.3308618287255563,
      -4.634230498983486,
      6.228269936347081,
      4.776384997670288,
      -5.435455855934631
    },
    {
      0.005407344544966578,
      1.404613529898575,
      0.214847559468213,
      -5.799100973351585,
      14.17993336680509,
      -13.74514537774601,
      4.645852612178535
    },
    {
      0.3340998053353061,
      1.384590162594685,
      0.09509516302823659,
      -19.33244095627987,
      56.69055260068105,
      -65.35303263337234,
      26.3124352495832
    }
  };

  private static final int[] TABLE = table();

  private Viridis() {}

  private static int[] table() {
    int[] t = new int[256];
    for (int i = 0; i < 256; i++) {
      double x = i / 255.0;
      int rgb = 0;
      for (double[] c : COEFFICIENTS) {
        double v = 0;
        for (int d = c.length - 1; d >= 0; d--) {
          v = v * x + c[d]; // Horner
        }
        rgb = (rgb << 8) | (int) Math.round(255 * Math.min(1, Math.max(0, v)));
      }
      t[i] = rgb;
    }
    return t;
  }

  /**
   * The colour of a value.
   *
   * @param v a value in [0, 1] (clamped)
   * @return {@code 0xRRGGBB}
   */
  public static int rgb(double v) {
    double c = Double.isNaN(v) ? 0 : Math.min(1, Math.max(0, v));
    return TABLE[(int) Math.round(c * 255)];
  }
}
