package dev.cxr.resnet.conv;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import java.util.LinkedHashMap;
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
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger LOG = LoggerFactory.getLogger(DirectConvBackprop.class);

  /** Cached plans per thread; ResNets have a few dozen shapes, so the bound is rarely reached. */
  private static final int MAX_PLANS = 64;

  private static final Object INIT = new Object();
  private static volatile Boolean available;
  private static engine cpu;

  private static final ThreadLocal<Map<Geometry, Plan>> PLANS =
      ThreadLocal.withInitial(
          () ->
              new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Geometry, Plan> eldest) {
                  if (size() > MAX_PLANS) {
                    eldest.getValue().close();
                    return true;
                  }
                  return false;
                }
              });

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
    Boolean a = available;
    if (a == null) {
      synchronized (INIT) {
        if (available == null) {
          try {
            cpu = new engine(engine.kind.cpu, 0);
            available = true;
          } catch (Throwable t) { // UnsatisfiedLinkError on a platform the library lacks
            LOG.warn(
                "oneDNN (org.bytedeco:dnnl) unavailable, convolution backward stays on libnd4j: {}",
                t.toString());
            available = false;
          }
        }
        a = available;
      }
    }
    return a;
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
    if (!available()) {
      throw new IllegalStateException("oneDNN (org.bytedeco:dnnl) is not available here");
    }
    Map<Geometry, Plan> plans = PLANS.get();
    Plan plan = plans.get(g);
    if (plan == null) {
      plan = new Plan(g);
      plans.put(g, plan);
    }
    plan.run(
        dense(x),
        dense(weights),
        dense(gradOutput),
        gradInput,
        requireDense(gradWeights, "weight gradient"),
        gradBias == null ? null : requireDense(gradBias, "bias gradient"));
  }

  private static INDArray dense(INDArray a) {
    checkFloat(a);
    return isDense(a) ? a : a.dup('c');
  }

  private static INDArray requireDense(INDArray a, String what) {
    checkFloat(a);
    if (!isDense(a)) {
      throw new IllegalArgumentException(what + " must be a dense C-order array");
    }
    return a;
  }

  /** C-order strides (ignoring dimensions of size 1, whose stride never matters). */
  private static boolean isDense(INDArray a) {
    long[] shape = a.shape();
    long[] stride = a.stride();
    long expected = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      if (shape[i] != 1 && stride[i] != expected) {
        return false;
      }
      expected *= shape[i];
    }
    return true;
  }

  private static void checkFloat(INDArray a) {
    if (a.dataType() != DataType.FLOAT) {
      throw new IllegalArgumentException("float32 arrays only, got " + a.dataType());
    }
  }

  /** A raw address for oneDNN: JavaCPP's Pointer with its address set. */
  private static final class Address extends Pointer {
    Address(INDArray a) {
      address = a.data().address() + a.offset() * a.data().getElementSize();
    }
  }

  /** The primitives, layouts and oneDNN-owned buffers of one geometry on one thread. */
  private static final class Plan implements AutoCloseable {
    private final stream strm = new stream(cpu);
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
      memory.data_type f32 = memory.data_type.f32;
      memory.desc xAny = new memory.desc(g.src(), f32, memory.format_tag.any);
      memory.desc wAny = new memory.desc(g.weights(), f32, memory.format_tag.any);
      memory.desc yAny = new memory.desc(g.dst(), f32, memory.format_tag.any);
      memory.desc bDesc = new memory.desc(new long[] {g.o()}, f32, memory.format_tag.x);
      memory.desc xPlain = new memory.desc(g.src(), f32, memory.format_tag.nchw);
      memory.desc wPlain = new memory.desc(g.weights(), f32, memory.format_tag.oihw);
      memory.desc yPlain = new memory.desc(g.dst(), f32, memory.format_tag.nchw);
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
                      xAny,
                      wAny,
                      bDesc,
                      yAny,
                      s,
                      pl,
                      pr)
                  : new convolution_forward.desc(
                      prop_kind.forward_training,
                      algorithm.convolution_direct,
                      xAny,
                      wAny,
                      yAny,
                      s,
                      pl,
                      pr),
              cpu);
      convolution_backward_data.primitive_desc dataPd =
          new convolution_backward_data.primitive_desc(
              new convolution_backward_data.desc(
                  algorithm.convolution_direct, xAny, wAny, yAny, s, pl, pr),
              cpu,
              hint);
      convolution_backward_weights.primitive_desc weightsPd =
          new convolution_backward_weights.primitive_desc(
              g.bias()
                  ? new convolution_backward_weights.desc(
                      algorithm.convolution_direct, xAny, wAny, bDesc, yAny, s, pl, pr)
                  : new convolution_backward_weights.desc(
                      algorithm.convolution_direct, xAny, wAny, yAny, s, pl, pr),
              cpu,
              hint);
      Pointer none = new Pointer();
      xUser = new memory(xPlain, cpu, none);
      wUser = new memory(wPlain, cpu, none);
      gUser = new memory(yPlain, cpu, none);
      giUser = new memory(xPlain, cpu, none);
      gwUser = new memory(wPlain, cpu, none);
      gbUser = g.bias() ? new memory(bDesc, cpu, none) : null;
      xIn = internal(weightsPd.src_desc(), xPlain, xUser);
      wIn = internal(dataPd.weights_desc(), wPlain, wUser);
      gForData = internal(dataPd.diff_dst_desc(), yPlain, gUser);
      gForWeights =
          weightsPd.diff_dst_desc().equals(dataPd.diff_dst_desc())
              ? gForData
              : internal(weightsPd.diff_dst_desc(), yPlain, gUser);
      giOut = internal(dataPd.diff_src_desc(), xPlain, giUser);
      gwOut = internal(weightsPd.diff_weights_desc(), wPlain, gwUser);
      gToData = link(gUser, gForData);
      gToWeights = gForWeights == gForData ? null : link(gUser, gForWeights);
      wToData = link(wUser, wIn);
      xToWeights = link(xUser, xIn);
      giBack = link(giOut, giUser);
      gwBack = link(gwOut, gwUser);
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

    /** The user's plain memory when the primitive takes that layout, else a oneDNN-owned one. */
    private memory internal(memory.desc wanted, memory.desc plain, memory user) {
      return wanted.equals(plain) ? user : new memory(wanted, cpu);
    }

    void run(INDArray x, INDArray w, INDArray gy, INDArray gx, INDArray gw, INDArray gb) {
      xUser.set_data_handle(new Address(x));
      wUser.set_data_handle(new Address(w));
      gUser.set_data_handle(new Address(gy));
      gwUser.set_data_handle(new Address(gw));
      if (gb != null) {
        gbUser.set_data_handle(new Address(gb));
      }
      copy(gToData, gUser, gForData);
      copy(gToWeights, gUser, gForWeights);
      if (gx != null) {
        giUser.set_data_handle(new Address(gx));
        copy(wToData, wUser, wIn);
        data.execute(strm, dataArgs);
        copy(giBack, giOut, giUser);
      }
      copy(xToWeights, xUser, xIn);
      weights.execute(strm, weightArgs);
      copy(gwBack, gwOut, gwUser);
      strm._wait();
    }

    /** A reorder between two layouts, or null when they are the same memory. */
    private static reorder link(memory from, memory to) {
      return from == to ? null : new reorder(from, to);
    }

    private void copy(reorder r, memory from, memory to) {
      if (r != null) {
        r.execute(strm, from, to);
      }
    }

    @Override
    public void close() {
      strm.close();
    }
  }
}
