package dev.cxr.resnet.conv;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import dev.cxr.resnet.conv.DirectConvBackprop.Geometry;
import java.util.Map;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward pass of a 2-d convolution, {@code y = conv(x, w) [+ b]} and optionally a ReLU after
 * it, computed by calling oneDNN directly (cxr's {@code org.bytedeco:dnnl} build, as {@link
 * DirectConvBackprop} does for the backward pass), with the primitive and its blocked-layout
 * buffers kept per shape and thread.
 *
 * <h2>Why not libnd4j's {@code conv2d}</h2>
 *
 * libnd4j 1.0.0-M2.1 builds oneDNN's primitive descriptor, the primitive and the blocked buffers of
 * every operand on every call. On ResNet-18 that overhead dominated the forward convolutions:
 * {@code cxr bench-model --conv-forward compare} measured this class 1.16x (128 px) and 1.35x (224
 * px) faster for a whole training step and 1.36x / 2.4x for inference with the same kernels
 * (docs/performance.md §11). Here the plan is made once per shape; a call sets four addresses,
 * reorders the input and the weights into the primitive's layout, runs it and reorders the output
 * back to NCHW. The algorithm is oneDNN's automatic choice for a training-kind descriptor, as
 * libnd4j's: Winograd F(4x4, 3x3) for 3x3 stride-1 convolutions on AVX-512 machines (about 2x
 * oneDNN's direct kernels on those shapes; forward only: its backward pass is the slow one, see
 * {@link DirectConvBackprop}), direct elsewhere. The ReLU of a folded convolution (the inference
 * copy) runs as oneDNN's post-op inside the primitive instead of as a second pass over the output.
 *
 * <p>Arrays are NCHW (input, output), [out, in, kH, kW] (weights) and [out] (bias), float32; inputs
 * that are not dense C-order are copied first, the output must be dense C-order.
 */
public final class DirectConvForward {

  /** System property that switches the direct forward pass off for layers created afterwards. */
  public static final String SWITCH_PROPERTY = "cxr.directConvForward";

  private static volatile boolean enabled =
      !"false".equalsIgnoreCase(System.getProperty(SWITCH_PROPERTY, "true"));

  /** A plan's identity: the convolution's geometry and whether a ReLU follows inside it. */
  private record Key(Geometry geometry, boolean relu) {}

  private static final ThreadLocal<Map<Key, Plan>> PLANS = OneDnn.planCache();

  private DirectConvForward() {}

  /**
   * Whether {@link DirectConvolution} layers created from now on run their forward pass here
   * (default true; {@code -D}{@value #SWITCH_PROPERTY}{@code =false} starts the JVM with it off).
   *
   * @return the current setting
   */
  public static boolean isEnabled() {
    return enabled;
  }

  /**
   * Switches this forward pass on or off for {@link DirectConvolution} layers created afterwards
   * (existing layers keep their choice); for benchmarks and comparisons.
   *
   * @param on true for this class's forward pass, false for libnd4j's {@code conv2d}
   */
  public static void setEnabled(boolean on) {
    enabled = on;
  }

  /**
   * Computes {@code y = conv(x, w) + b} ({@code b} only when {@code g.bias()}), then {@code max(0,
   * y)} when {@code relu}, into {@code y}.
   *
   * @param g the geometry; {@code bias} says whether {@code b} is added
   * @param relu whether a ReLU follows the convolution
   * @param x input [n, c, h, w]
   * @param w weights [o, c, kh, kw]
   * @param b bias [o] or [1, o]; ignored (may be null) when {@code g.bias()} is false
   * @param y output [n, o, oh, ow], dense C-order, written
   */
  public static void forward(
      Geometry g, boolean relu, INDArray x, INDArray w, INDArray b, INDArray y) {
    Map<Key, Plan> plans = PLANS.get();
    Key key = new Key(g, relu);
    Plan plan = plans.get(key);
    if (plan == null) {
      plan = new Plan(key);
      plans.put(key, plan);
    }
    plan.run(
        OneDnn.dense(x),
        OneDnn.dense(w),
        g.bias() ? OneDnn.dense(b) : null,
        OneDnn.requireDense(y, "convolution output"));
  }

  /** The primitive, layouts and oneDNN-owned buffers of one geometry on one thread. */
  private static final class Plan implements AutoCloseable {
    private final stream strm = new stream(OneDnn.cpu());
    private final memory xUser;
    private final memory wUser;
    private final memory bUser;
    private final memory yUser;
    private final memory xIn;
    private final memory wIn;
    private final memory yOut;
    private final reorder xToConv;
    private final reorder wToConv;
    private final reorder yBack;
    private final convolution_forward conv;
    private final IntMemoryMap args = new IntMemoryMap();

    Plan(Key key) {
      Geometry g = key.geometry();
      OneDnn.Layouts d = OneDnn.Layouts.of(g);
      long[] s = g.strides();
      long[] pl = g.padLeft();
      long[] pr = g.padRight();
      // training kind with oneDNN's automatic choice: for a training-kind descriptor oneDNN 2.5
      // picks its Winograd kernel on 3x3 stride-1 shapes and takes the weights in the ordinary
      // blocked layout; an inference-kind one avoids Winograd (it would want pre-transformed
      // weights) and picks brgconv, 1.5-2x slower here (measured in docs/performance.md §11)
      algorithm alg = algorithm.convolution_auto;
      prop_kind kind = prop_kind.forward_training;
      convolution_forward.desc desc =
          g.bias()
              ? new convolution_forward.desc(
                  kind, alg, d.xAny(), d.wAny(), d.bias(), d.yAny(), s, pl, pr)
              : new convolution_forward.desc(kind, alg, d.xAny(), d.wAny(), d.yAny(), s, pl, pr);
      primitive_attr attr = new primitive_attr();
      if (key.relu()) {
        post_ops ops = new post_ops();
        ops.append_eltwise(1f, algorithm.eltwise_relu, 0f, 0f);
        attr.set_post_ops(ops);
      }
      convolution_forward.primitive_desc pd =
          new convolution_forward.primitive_desc(desc, attr, OneDnn.cpu());
      xUser = OneDnn.unbound(d.xPlain());
      wUser = OneDnn.unbound(d.wPlain());
      bUser = g.bias() ? OneDnn.unbound(d.bias()) : null;
      yUser = OneDnn.unbound(d.yPlain());
      xIn = OneDnn.internal(pd.src_desc(), d.xPlain(), xUser);
      wIn = OneDnn.internal(pd.weights_desc(), d.wPlain(), wUser);
      yOut = OneDnn.internal(pd.dst_desc(), d.yPlain(), yUser);
      xToConv = OneDnn.link(xUser, xIn);
      wToConv = OneDnn.link(wUser, wIn);
      yBack = OneDnn.link(yOut, yUser);
      conv = new convolution_forward(pd);
      args.put(DNNL_ARG_SRC, xIn);
      args.put(DNNL_ARG_WEIGHTS, wIn);
      args.put(DNNL_ARG_DST, yOut);
      if (g.bias()) {
        args.put(DNNL_ARG_BIAS, bUser);
      }
    }

    void run(INDArray x, INDArray w, INDArray b, INDArray y) {
      xUser.set_data_handle(new OneDnn.Address(x));
      wUser.set_data_handle(new OneDnn.Address(w));
      yUser.set_data_handle(new OneDnn.Address(y));
      if (b != null) {
        bUser.set_data_handle(new OneDnn.Address(b));
      }
      OneDnn.copy(strm, xToConv, xUser, xIn);
      OneDnn.copy(strm, wToConv, wUser, wIn);
      conv.execute(strm, args);
      OneDnn.copy(strm, yBack, yOut, yUser);
      strm._wait();
    }

    @Override
    public void close() {
      strm.close();
    }
  }
}
