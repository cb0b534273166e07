package dev.cxr.resnet.conv;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link DirectConvForward} and {@link DirectConvBackprop} share: cxr's own oneDNN engine (the
 * {@code org.bytedeco:dnnl} library; libnd4j's copy is linked in and not reachable from Java), a
 * per-thread cache of plans (primitives and their blocked-layout buffers) keyed by geometry, raw
 * addresses of INDArrays, and the float32 / dense C-order checks both apply to their arrays.
 */
final class OneDnn {
  private static final Logger LOG = LoggerFactory.getLogger(OneDnn.class);

  /** Cached plans per thread and kind; ResNets have a few dozen shapes, so the bound is rare. */
  static final int MAX_PLANS = 64;

  private static final Object INIT = new Object();
  private static volatile Boolean available;
  private static engine cpu;

  private OneDnn() {}

  /**
   * Whether oneDNN's library could be loaded on this machine (once per JVM; a failure is logged
   * once and answers false, and callers keep libnd4j's path).
   */
  static boolean available() {
    Boolean a = available;
    if (a == null) {
      synchronized (INIT) {
        if (available == null) {
          try {
            cpu = new engine(engine.kind.cpu, 0);
            available = true;
          } catch (Throwable t) { // UnsatisfiedLinkError on a platform the library lacks
            LOG.warn(
                "oneDNN (org.bytedeco:dnnl) unavailable, convolutions stay on libnd4j: {}",
                t.toString());
            available = false;
          }
        }
        a = available;
      }
    }
    return a;
  }

  /** The CPU engine; only after {@link #available()} answered true. */
  static engine cpu() {
    if (!available()) {
      throw new IllegalStateException("oneDNN (org.bytedeco:dnnl) is not available here");
    }
    return cpu;
  }

  /**
   * A per-thread least-recently-used map of plans, closing the plan it evicts.
   *
   * @param <K> the key (a geometry record)
   * @param <P> the plan
   */
  static <K, P extends AutoCloseable> ThreadLocal<Map<K, P>> planCache() {
    return ThreadLocal.withInitial(
        () ->
            new LinkedHashMap<>(16, 0.75f, true) {
              @Override
              protected boolean removeEldestEntry(Map.Entry<K, P> eldest) {
                if (size() > MAX_PLANS) {
                  try {
                    eldest.getValue().close();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                  return true;
                }
                return false;
              }
            });
  }

  /** {@code a} itself when it is dense C-order float32, else a C-order copy. */
  static INDArray dense(INDArray a) {
    checkFloat(a);
    return isDense(a) ? a : a.dup('c');
  }

  /** {@code a}, which must be a dense C-order float32 array because it is written into. */
  static INDArray requireDense(INDArray a, String what) {
    checkFloat(a);
    if (!isDense(a)) {
      throw new IllegalArgumentException(what + " must be a dense C-order array");
    }
    return a;
  }

  /** C-order strides (ignoring dimensions of size 1, whose stride never matters). */
  static boolean isDense(INDArray a) {
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

  /** The user's plain memory when the primitive takes that layout, else a oneDNN-owned one. */
  static memory internal(memory.desc wanted, memory.desc plain, memory user) {
    return wanted.equals(plain) ? user : new memory(wanted, cpu);
  }

  /** A memory object over no data yet; its address is set per call. */
  static memory unbound(memory.desc desc) {
    return new memory(desc, cpu, new Pointer());
  }

  /** A reorder between two layouts, or null when they are the same memory. */
  static reorder link(memory from, memory to) {
    return from == to ? null : new reorder(from, to);
  }

  /** Runs {@code r} when there is one. */
  static void copy(stream strm, reorder r, memory from, memory to) {
    if (r != null) {
      r.execute(strm, from, to);
    }
  }

  /**
   * The memory descriptors of one convolution: "any" layouts for the primitive to choose, plain
   * NCHW / OIHW ones for the caller's arrays, and the bias's.
   */
  record Layouts(
      memory.desc xAny,
      memory.desc wAny,
      memory.desc yAny,
      memory.desc bias,
      memory.desc xPlain,
      memory.desc wPlain,
      memory.desc yPlain) {

    static Layouts of(DirectConvBackprop.Geometry g) {
      memory.data_type f32 = memory.data_type.f32;
      return new Layouts(
          new memory.desc(g.src(), f32, memory.format_tag.any),
          new memory.desc(g.weights(), f32, memory.format_tag.any),
          new memory.desc(g.dst(), f32, memory.format_tag.any),
          new memory.desc(new long[] {g.o()}, f32, memory.format_tag.x),
          new memory.desc(g.src(), f32, memory.format_tag.nchw),
          new memory.desc(g.weights(), f32, memory.format_tag.oihw),
          new memory.desc(g.dst(), f32, memory.format_tag.nchw));
    }
  }

  /** A raw address for oneDNN: JavaCPP's Pointer with its address set. */
  static final class Address extends Pointer {
    Address(INDArray a) {
      address = a.data().address() + a.offset() * a.data().getElementSize();
    }
  }
}
