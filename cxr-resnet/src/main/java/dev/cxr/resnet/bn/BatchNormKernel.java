package dev.cxr.resnet.bn;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * Batch normalisation over dense NCHW float32 arrays in two passes forward and two backward, each a
 * loop over one channel's {@code N} runs of {@code H·W} contiguous floats, channels in parallel.
 *
 * <p>Why: the libnd4j ops {@link FusedBatchNormalizationLayer} used (mean, variance, {@code
 * batchnorm}, ReLU forward; ReLU mask, sum, dot, {@code batchnorm}, broadcast multiply, add
 * backward) made ten passes over the activations, and two of them were slow on NCHW: libnd4j's
 * {@code batchnorm} runs oneDNN's plain-layout {@code ncsp_bnorm} (17 ms for a 32x64x32x32 array on
 * this 2-core machine, 0.5 GB/s) and the broadcast multiply along axis 1 walks strided sub-arrays
 * (15% of a 128 px training step in a JFR profile). Here: forward one pass for the sums (double
 * accumulators) and one for {@code out = max(0, a·x + b)}; backward one pass for {@code Σg} and
 * {@code Σg·x} (the ReLU mask read from the kept output) and one for {@code dx}.
 */
public final class BatchNormKernel {

  /** System property that switches these kernels off (libnd4j's ops, as before issue 26). */
  public static final String SWITCH_PROPERTY = "cxr.batchNormKernel";

  private static volatile boolean enabled =
      !"false".equalsIgnoreCase(System.getProperty(SWITCH_PROPERTY, "true"));

  private BatchNormKernel() {}

  /**
   * Whether {@link FusedBatchNormalizationLayer}s train on these kernels (read at every call;
   * default true, {@code -D}{@value #SWITCH_PROPERTY}{@code =false} starts the JVM with them off).
   *
   * @return the current setting
   */
  public static boolean isEnabled() {
    return enabled;
  }

  /**
   * Switches the kernels on or off; for tests and comparisons.
   *
   * @param on true for these kernels, false for libnd4j's ops
   */
  public static void setEnabled(boolean on) {
    enabled = on;
  }

  /** Whether the kernels take these arrays: rank-4 NCHW, float32, default C strides. */
  static boolean applies(boolean nchw, INDArray... arrays) {
    if (!enabled || !nchw) {
      return false;
    }
    for (INDArray a : arrays) {
      if (a.rank() != 4
          || a.dataType() != DataType.FLOAT
          || !Shape.hasDefaultStridesForShape(a)
          || a.length() > Integer.MAX_VALUE) {
        return false;
      }
    }
    return true;
  }

  /** Per channel: the mean and the biased variance (as libnd4j's {@code Variance(x, false)}). */
  static void statistics(INDArray x, float[] mean, float[] var) {
    Layout l = new Layout(x);
    FloatBuffer xb = floats(x);
    channels(l.c)
        .forEach(
            c -> {
              float[] xs = new float[l.hw];
              double[] acc = new double[8]; // four sums and four sums of squares
              for (int n = 0; n < l.n; n++) {
                xb.get(l.start(n, c), xs, 0, l.hw);
                int i = 0;
                for (; i + 3 < l.hw; i += 4) { // four chains: an FP sum is one long dependency
                  acc[0] += xs[i];
                  acc[1] += xs[i + 1];
                  acc[2] += xs[i + 2];
                  acc[3] += xs[i + 3];
                  acc[4] += (double) xs[i] * xs[i];
                  acc[5] += (double) xs[i + 1] * xs[i + 1];
                  acc[6] += (double) xs[i + 2] * xs[i + 2];
                  acc[7] += (double) xs[i + 3] * xs[i + 3];
                }
                for (; i < l.hw; i++) {
                  acc[0] += xs[i];
                  acc[4] += (double) xs[i] * xs[i];
                }
              }
              double count = (double) l.n * l.hw;
              double m = (acc[0] + acc[1] + acc[2] + acc[3]) / count;
              mean[c] = (float) m;
              var[c] = (float) Math.max(0, (acc[4] + acc[5] + acc[6] + acc[7]) / count - m * m);
            });
  }

  /** {@code out = a[c]·x + b[c]}, then {@code max(0, out)} when {@code relu}. */
  static void affine(INDArray x, float[] a, float[] b, boolean relu, INDArray out) {
    Layout l = new Layout(x);
    FloatBuffer xb = floats(x);
    FloatBuffer ob = floats(out);
    float floor = relu ? 0f : Float.NEGATIVE_INFINITY;
    channels(l.c)
        .forEach(
            c -> {
              float[] xs = new float[l.hw];
              float ac = a[c];
              float bc = b[c];
              for (int n = 0; n < l.n; n++) {
                int from = l.start(n, c);
                xb.get(from, xs, 0, l.hw);
                for (int i = 0; i < l.hw; i++) {
                  xs[i] = Math.max(ac * xs[i] + bc, floor);
                }
                ob.put(from, xs, 0, l.hw);
              }
            });
  }

  /**
   * Per channel {@code Σg'} and {@code Σg'·x}, with {@code g' = g} where {@code mask} (the ReLU's
   * output) is positive and 0 elsewhere, or {@code g' = g} when {@code mask} is null.
   */
  static void sums(INDArray g, INDArray mask, INDArray x, double[] sumG, double[] sumGx) {
    Layout l = new Layout(x);
    FloatBuffer gb = floats(g);
    FloatBuffer mb = mask == null ? null : floats(mask);
    FloatBuffer xb = floats(x);
    channels(l.c)
        .forEach(
            c -> {
              Run r = new Run(l.hw, mb != null);
              float[] gs = r.g;
              float[] xs = r.x;
              double[] acc = new double[4];
              for (int n = 0; n < l.n; n++) {
                int from = l.start(n, c);
                r.load(gb, mb, xb, from);
                int i = 0;
                for (; i + 1 < l.hw; i += 2) {
                  acc[0] += gs[i];
                  acc[1] += gs[i + 1];
                  acc[2] += (double) gs[i] * xs[i];
                  acc[3] += (double) gs[i + 1] * xs[i + 1];
                }
                for (; i < l.hw; i++) {
                  acc[0] += gs[i];
                  acc[2] += (double) gs[i] * xs[i];
                }
              }
              sumG[c] = acc[0] + acc[1];
              sumGx[c] = acc[2] + acc[3];
            });
  }

  /** {@code dx = k[c]·g' + kx[c]·(x − mu[c]) + k0[c]}, {@code g'} masked as in {@link #sums}. */
  static void gradient(
      INDArray g,
      INDArray mask,
      INDArray x,
      float[] mu,
      float[] k,
      float[] kx,
      float[] k0,
      INDArray dx) {
    Layout l = new Layout(x);
    FloatBuffer gb = floats(g);
    FloatBuffer mb = mask == null ? null : floats(mask);
    FloatBuffer xb = floats(x);
    FloatBuffer db = floats(dx);
    channels(l.c)
        .forEach(
            c -> {
              Run r = new Run(l.hw, mb != null);
              float[] gs = r.g;
              float[] xs = r.x;
              float muc = mu[c];
              float kc = k[c];
              float kxc = kx[c];
              float k0c = k0[c];
              for (int n = 0; n < l.n; n++) {
                int from = l.start(n, c);
                r.load(gb, mb, xb, from);
                for (int i = 0; i < l.hw; i++) {
                  xs[i] = kc * gs[i] + kxc * (xs[i] - muc) + k0c;
                }
                db.put(from, xs, 0, l.hw);
              }
            });
  }

  /** The channels as a parallel stream (the common fork-join pool). */
  private static IntStream channels(int c) {
    return IntStream.range(0, c).parallel();
  }

  /** The whole buffer of a dense float array from its first element, native byte order. */
  private static FloatBuffer floats(INDArray a) {
    FloatBuffer all = a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    return all.position((int) a.offset()).slice();
  }

  /**
   * One task's copies of a run of {@code g} (masked by the ReLU's output if any) and of {@code x}.
   */
  private static final class Run {
    final float[] g;
    final float[] x;
    private final float[] mask;

    Run(int hw, boolean masked) {
      g = new float[hw];
      x = new float[hw];
      mask = masked ? new float[hw] : null;
    }

    /** Reads the run at {@code from}; {@code g} is zeroed where the mask is not positive. */
    void load(FloatBuffer gb, FloatBuffer mb, FloatBuffer xb, int from) {
      gb.get(from, g, 0, g.length);
      xb.get(from, x, 0, x.length);
      if (mask != null) {
        mb.get(from, mask, 0, mask.length);
        for (int i = 0; i < g.length; i++) {
          g[i] = mask[i] > 0 ? g[i] : 0f;
        }
      }
    }
  }

  /** N, C and H·W of an NCHW array, and where a channel's run of one image starts. */
  private record Layout(int n, int c, int hw) {
    Layout(INDArray x) {
      this((int) x.size(0), (int) x.size(1), (int) (x.size(2) * x.size(3)));
    }

    int start(int image, int channel) {
      return (image * c + channel) * hw;
    }
  }
}
