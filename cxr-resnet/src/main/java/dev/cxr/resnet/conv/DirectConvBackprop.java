package dev.cxr.resnet.conv;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import java.util.Map;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The backward pass of a 2-d convolution (input and weight gradients) computed by oneDNN with the
 * <em>direct</em> algorithm, with the oneDNN primitives and their blocked-layout buffers kept per
 * shape and thread.
 *
 * <h2>Why not libnd4j's {@code conv2d_bp}</h2>
 *
 * libnd4j 1.0.0-M2.1 asks oneDNN for {@code convolution_auto}, which oneDNN resolves to Winograd
 * for every 3x3 stride-1 convolution with more than 8 images per batch on AVX-512 machines. On the
 * ResNet shapes Winograd's backward pass is 5-8x slower than the direct one (DNNL_VERBOSE, 128 px,
 * batch 32, stage 4: 77 ms for backward data against 6-10 ms direct in PyTorch's oneDNN); libnd4j
 * also builds its primitive descriptors on every call. PyTorch asks for the direct algorithm, and
 * so does this class. It uses its own oneDNN build (the {@code org.bytedeco:dnnl} library), because
 * libnd4j's copy is linked in and not reachable from Java.
 *
 * <p>Arrays are NCHW (input, output gradient, input gradient) and [out, in, kH, kW] (weights and
 * their gradient), float32, C-order; other arrays are copied first. The results are written into
 * the given output arrays.
 */
public final class DirectConvBackprop {
  private static final ThreadLocal<Map<Geometry, Plan>> PLANS = OneDnn.planCache();

  /** System property that switches the direct path off for layers created afterwards. */
  public static final String SWITCH_PROPERTY = "cxr.directConvBackprop";

  private static volatile boolean enabled =
      !"false".equalsIgnoreCase(System.getProperty(SWITCH_PROPERTY, "true"));

  private DirectConvBackprop() {}

  /**
   * Whether {@link DirectConvolution} layers created from now on use this class (default true;
   * {@code -D}{@value #SWITCH_PROPERTY}{@code =false} starts the JVM with it off).
   *
   * @return the current setting
   */
  public static boolean isEnabled() {
    return enabled;
  }

  /**
   * Switches the direct path on or off for {@link DirectConvolution} layers created afterwards
   * (existing layers keep their choice); for benchmarks and comparisons.
   *
   * @param on true for oneDNN's direct backward pass, false for libnd4j's {@code conv2d_bp}
   */
  public static void setEnabled(boolean on) {
    enabled = on;
  }

  /**
   * Whether oneDNN's library could be loaded on this machine (once per JVM; a failure is logged
   * once and answers false, and callers keep libnd4j's path).
   */
  public static boolean available() {
    return OneDnn.available();
  }

  /**
   * The geometry of one convolution: batch, input channels and size, output channels, kernel,
   * stride, top/left padding, output size, whether there is a bias gradient.
   */
  public record Geometry(
      long n,
      long c,
      long h,
      long w,
      long o,
      long kh,
      long kw,
      long sh,
      long sw,
      long ph,
      long pw,
      long oh,
      long ow,
      boolean bias) {

    long[] src() {
      return new long[] {n, c, h, w};
    }

    long[] dst() {
      return new long[] {n, o, oh, ow};
    }

    long[] weights() {
      return new long[] {o, c, kh, kw};
    }

    long[] strides() {
      return new long[] {sh, sw};
    }

    long[] padLeft() {
      return new long[] {ph, pw};
    }

    /** Right/bottom padding that makes the output size come out exactly (SAME mode is uneven). */
    long[] padRight() {
      return new long[] {(oh - 1) * sh - h + kh - ph, (ow - 1) * sw - w + kw - pw};
    }
  }

  /**
   * Computes the input gradient (when {@code gradInput} is not null), the weight gradient and (when
   * {@code gradBias} is not null) the bias gradient of {@code y = conv(x, w) + b}, given the output
   * gradient.
   */
  public static void backward(
      Geometry g,
      INDArray x,
      INDArray weights,
      INDArray gradOutput,
      INDArray gradInput,
      INDArray gradWeights,
      INDArray gradBias) {
    Map<Geometry, Plan> plans = PLANS.get();
    Plan plan = plans.get(g);
    if (plan == null) {
      plan = new Plan(g);
      plans.put(g, plan);
    }
    plan.run(
        OneDnn.dense(x),
        OneDnn.dense(weights),
        OneDnn.dense(gradOutput),
        gradInput,
        OneDnn.requireDense(gradWeights, "weight gradient"),
        gradBias == null ? null : OneDnn.requireDense(gradBias, "bias gradient"));
  }

  /** The primitives, layouts and oneDNN-owned buffers of one geometry on one thread. */
  private static final class Plan implements AutoCloseable {
    private final stream strm = new stream(OneDnn.cpu());
    private final memory xUser;
    private final memory wUser;
    private final memory gUser;
    private final memory giUser;
    private final memory gwUser;
    private final memory gbUser;
    private final memory xIn;
    private final memory wIn;
    private final memory gForData;
    private final memory gForWeights;
    private final memory giOut;
    private final memory gwOut;
    private final convolution_backward_data data;
    private final convolution_backward_weights weights;
    private final reorder gToData;
    private final reorder gToWeights;
    private final reorder wToData;
    private final reorder xToWeights;
    private final reorder giBack;
    private final reorder gwBack;
    private final IntMemoryMap dataArgs = new IntMemoryMap();
    private final IntMemoryMap weightArgs = new IntMemoryMap();

    Plan(Geometry g) {
      engine cpu = OneDnn.cpu();
      OneDnn.Layouts d = OneDnn.Layouts.of(g);
      long[] s = g.strides();
      long[] pl = g.padLeft();
      long[] pr = g.padRight();
      // the forward descriptor is only the hint oneDNN requires for the backward ones
      convolution_forward.primitive_desc hint =
          new convolution_forward.primitive_desc(
              g.bias()
                  ? new convolution_forward.desc(
                      prop_kind.forward_training,
                      algorithm.convolution_direct,
                      d.xAny(),
                      d.wAny(),
                      d.bias(),
                      d.yAny(),
                      s,
                      pl,
                      pr)
                  : new convolution_forward.desc(
                      prop_kind.forward_training,
                      algorithm.convolution_direct,
                      d.xAny(),
                      d.wAny(),
                      d.yAny(),
                      s,
                      pl,
                      pr),
              cpu);
      convolution_backward_data.primitive_desc dataPd =
          new convolution_backward_data.primitive_desc(
              new convolution_backward_data.desc(
                  algorithm.convolution_direct, d.xAny(), d.wAny(), d.yAny(), s, pl, pr),
              cpu,
              hint);
      convolution_backward_weights.primitive_desc weightsPd =
          new convolution_backward_weights.primitive_desc(
              g.bias()
                  ? new convolution_backward_weights.desc(
                      algorithm.convolution_direct,
                      d.xAny(),
                      d.wAny(),
                      d.bias(),
                      d.yAny(),
                      s,
                      pl,
                      pr)
                  : new convolution_backward_weights.desc(
                      algorithm.convolution_direct, d.xAny(), d.wAny(), d.yAny(), s, pl, pr),
              cpu,
              hint);
      xUser = OneDnn.unbound(d.xPlain());
      wUser = OneDnn.unbound(d.wPlain());
      gUser = OneDnn.unbound(d.yPlain());
      giUser = OneDnn.unbound(d.xPlain());
      gwUser = OneDnn.unbound(d.wPlain());
      gbUser = g.bias() ? OneDnn.unbound(d.bias()) : null;
      xIn = OneDnn.internal(weightsPd.src_desc(), d.xPlain(), xUser);
      wIn = OneDnn.internal(dataPd.weights_desc(), d.wPlain(), wUser);
      gForData = OneDnn.internal(dataPd.diff_dst_desc(), d.yPlain(), gUser);
      gForWeights =
          weightsPd.diff_dst_desc().equals(dataPd.diff_dst_desc())
              ? gForData
              : OneDnn.internal(weightsPd.diff_dst_desc(), d.yPlain(), gUser);
      giOut = OneDnn.internal(dataPd.diff_src_desc(), d.xPlain(), giUser);
      gwOut = OneDnn.internal(weightsPd.diff_weights_desc(), d.wPlain(), gwUser);
      gToData = OneDnn.link(gUser, gForData);
      gToWeights = gForWeights == gForData ? null : OneDnn.link(gUser, gForWeights);
      wToData = OneDnn.link(wUser, wIn);
      xToWeights = OneDnn.link(xUser, xIn);
      giBack = OneDnn.link(giOut, giUser);
      gwBack = OneDnn.link(gwOut, gwUser);
      data = new convolution_backward_data(dataPd);
      weights = new convolution_backward_weights(weightsPd);
      dataArgs.put(DNNL_ARG_DIFF_DST, gForData);
      dataArgs.put(DNNL_ARG_WEIGHTS, wIn);
      dataArgs.put(DNNL_ARG_DIFF_SRC, giOut);
      weightArgs.put(DNNL_ARG_SRC, xIn);
      weightArgs.put(DNNL_ARG_DIFF_DST, gForWeights);
      weightArgs.put(DNNL_ARG_DIFF_WEIGHTS, gwOut);
      if (g.bias()) {
        weightArgs.put(DNNL_ARG_DIFF_BIAS, gbUser);
      }
    }

    void run(INDArray x, INDArray w, INDArray gy, INDArray gx, INDArray gw, INDArray gb) {
      xUser.set_data_handle(new OneDnn.Address(x));
      wUser.set_data_handle(new OneDnn.Address(w));
      gUser.set_data_handle(new OneDnn.Address(gy));
      gwUser.set_data_handle(new OneDnn.Address(gw));
      if (gb != null) {
        gbUser.set_data_handle(new OneDnn.Address(gb));
      }
      OneDnn.copy(strm, gToData, gUser, gForData);
      OneDnn.copy(strm, gToWeights, gUser, gForWeights);
      if (gx != null) {
        giUser.set_data_handle(new OneDnn.Address(gx));
        OneDnn.copy(strm, wToData, wUser, wIn);
        data.execute(strm, dataArgs);
        OneDnn.copy(strm, giBack, giOut, giUser);
      }
      OneDnn.copy(strm, xToWeights, xUser, xIn);
      weights.execute(strm, weightArgs);
      OneDnn.copy(strm, gwBack, gwOut, gwUser);
      strm._wait();
    }

    @Override
    public void close() {
      strm.close();
    }
  }
}
