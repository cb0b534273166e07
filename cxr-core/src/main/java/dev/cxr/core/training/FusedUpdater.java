package dev.cxr.core.training;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DL4J's updater step (division of the gradients by the minibatch size, L2 regularisation, Adam or
 * SGD with Nesterov momentum, the running statistics' no-op "updates") as one pass over the
 * flattened gradient, parameter and updater-state arrays, with the weight average ({@link
 * WeightAverage}) folded into the same pass when there is one.
 *
 * <h2>Why</h2>
 *
 * DL4J 1.0.0-M2.1's {@code BaseMultiLayerUpdater} groups parameters into blocks of equal updater
 * configuration; the batch-norm running statistics have a no-op updater, so in a ResNet every batch
 * norm splits the Adam parameters: ResNet-18 has 41 blocks (21 Adam, 20 no-op) for 11.2 M
 * parameters. Per step it divides the gradients by the minibatch size (one op per range between
 * running statistics), then per block runs the regularisation (one op per parameter) and libnd4j's
 * {@code adam_updater} (one op per block), and the weight average makes two more passes (scale,
 * axpy). Measured on ResNet-18 (2 cores, loaded machine): the whole DL4J update took 270-810 ms per
 * call where one {@code adam_updater} over all parameters took 50-200 ms and a plain subtraction
 * over them 6-30 ms, so most of the time is neither memory traffic nor arithmetic but the many ops
 * and passes.
 *
 * <h2>What is kept</h2>
 *
 * The updater state stays DL4J's array with DL4J's layout (per block: Adam's {@code m} then {@code
 * v}, Nesterovs' {@code v}), so {@code updaterState.bin} in a model file is written and read as
 * before and a run saved with either updater resumes with the other. The update is left in the
 * gradient array and DL4J's step function subtracts it from the parameters, as before; the weight
 * average blends in {@code p - u}, the same float subtraction that step computes. Learning rates
 * and schedules are read from each block's own configuration at every step, so per-layer rates set
 * in place ({@link NetworkFactory#setLearningRate}) are honoured.
 *
 * <p>Networks it does not cover keep DL4J's updater, with one log line saying why: parameters that
 * are not {@code FLOAT}, updaters other than Adam, Nesterovs and NoOp, regularisation other than
 * L2, gradient normalisation. System property {@value #SWITCH_PROPERTY}{@code =false} keeps DL4J's
 * updater everywhere (for A/B timing).
 */
public final class FusedUpdater extends ComputationGraphUpdater {
  private static final Logger LOG = LoggerFactory.getLogger(FusedUpdater.class);

  /** System property that, set to {@code false}, keeps DL4J's updater. */
  public static final String SWITCH_PROPERTY = "cxr.fusedUpdater";

  /** Elements per task of the parallel pass: large enough that scheduling costs nothing. */
  private static final int SLICE = 1 << 16;

  private enum Kind {
    ADAM,
    NESTEROVS,
    NOOP
  }

  /**
   * One parameter of one updater block: its range in the flattened arrays, where its state starts,
   * and the per-parameter part of the update.
   */
  private record Segment(
      int block,
      Kind kind,
      int start,
      int end,
      int state,
      int blockLength,
      boolean divide,
      float l2) {}

  /** A range of one segment, the unit of the parallel pass. */
  private record Slice(Segment segment, int from, int to) {}

  private final ComputationGraph graph;
  private final List<UpdaterBlock> blocks;
  private final List<Slice> slices;
  private WeightAverage average;

  private FusedUpdater(ComputationGraph graph, INDArray state, List<Segment> segments) {
    super(graph, state);
    this.graph = graph;
    this.blocks = getUpdaterBlocks();
    List<Slice> s = new ArrayList<>();
    for (Segment seg : segments) {
      for (int from = seg.start(); from < seg.end(); from += SLICE) {
        s.add(new Slice(seg, from, Math.min(seg.end(), from + SLICE)));
      }
    }
    this.slices = List.copyOf(s);
  }

  /**
   * Whether {@link #install} installs the fused updater: unless the system property {@value
   * #SWITCH_PROPERTY} is {@code false} (read at every call).
   *
   * @return the switch's current state
   */
  public static boolean isSwitchedOn() {
    return !"false".equalsIgnoreCase(System.getProperty(SWITCH_PROPERTY, "true"));
  }

  /**
   * Gives {@code net} a fused updater that continues its current updater's state (a no-op when it
   * has one already), unless the network is not covered or {@value #SWITCH_PROPERTY} is false. DL4J
   * replaces the updater when learning rates are set ({@code setLearningRate} refreshes it), so
   * call this after that, before training.
   *
   * @param net the network about to be trained
   * @return the fused updater now in place, or null when DL4J's is kept
   */
  public static FusedUpdater install(ComputationGraph net) {
    ComputationGraphUpdater current = net.getUpdater(false);
    if (current instanceof FusedUpdater fused) {
      return fused;
    }
    if (!isSwitchedOn()) {
      return null;
    }
    // DL4J's own updater, built the way fit builds it: its blocks and state are the ones continued
    ComputationGraphUpdater dl4j = current != null ? current : net.getUpdater(true);
    List<Segment> segments = new ArrayList<>();
    String why = plan(net, dl4j, segments);
    if (why != null) {
      LOG.info("DL4J's updater kept: {}", why);
      return null;
    }
    FusedUpdater fused = new FusedUpdater(net, dl4j.getStateViewArray(), segments);
    net.setUpdater(fused);
    return fused;
  }

  /**
   * Folds the weight average into every later step's pass (instead of {@link
   * WeightAverage#update}'s own pass after the step).
   *
   * @param average the average of this updater's network
   */
  void averageInto(WeightAverage average) {
    this.average = average;
  }

  /** The segments of every block in flattened order, or why the network is not covered. */
  private static String plan(
      ComputationGraph net, ComputationGraphUpdater dl4j, List<Segment> out) {
    if (net.params().dataType() != DataType.FLOAT) {
      return "parameters are " + net.params().dataType() + ", the fused pass is for FLOAT";
    }
    if (!contiguous(net.params()) || !contiguous(net.getGradientsViewArray())) {
      return "parameters or gradients are not one contiguous array";
    }
    if (dl4j.getStateViewArray() == null || !contiguous(dl4j.getStateViewArray())) {
      return "the updater state is not one contiguous array";
    }
    List<UpdaterBlock> blocks = dl4j.getUpdaterBlocks();
    for (int b = 0; b < blocks.size(); b++) {
      UpdaterBlock ub = blocks.get(b);
      IUpdater config =
          ub.getLayersAndVariablesInBlock()
              .get(0)
              .getLayer()
              .getConfig()
              .getUpdaterByParam(ub.getLayersAndVariablesInBlock().get(0).getParamName());
      Kind kind;
      if (config instanceof Adam) {
        kind = Kind.ADAM;
      } else if (config instanceof Nesterovs) {
        kind = Kind.NESTEROVS;
      } else if (config instanceof NoOp) {
        kind = Kind.NOOP;
      } else {
        return "updater " + config.getClass().getSimpleName() + " (fused: Adam, Nesterovs, NoOp)";
      }
      int blockLength = ub.getParamOffsetEnd() - ub.getParamOffsetStart();
      for (UpdaterBlock.ParamState p : ub.getLayersAndVariablesInBlock()) {
        Trainable layer = p.getLayer();
        GradientNormalization norm = layer.getConfig().getGradientNormalization();
        if (norm != null && norm != GradientNormalization.None) {
          return "gradient normalisation " + norm + " on " + layer.getConfig().getLayerName();
        }
        float l2 = 0;
        List<Regularization> regs = layer.getConfig().getRegularizationByParam(p.getParamName());
        for (Regularization r : regs == null ? List.<Regularization>of() : regs) {
          if (!(r instanceof L2Regularization l2r) || l2 != 0) {
            return "regularisation " + r + " on " + layer.getConfig().getLayerName();
          }
          // a schedule would need the iteration: only constant L2 is planned here
          l2 = (float) l2r.getL2().valueAt(0, 0);
          if (l2r.getL2().valueAt(0, 0) != l2r.getL2().valueAt(1000, 10)) {
            return "scheduled L2 on " + layer.getConfig().getLayerName();
          }
        }
        out.add(
            new Segment(
                b,
                kind,
                p.getParamOffsetStart(),
                p.getParamOffsetEnd(),
                ub.getUpdaterViewOffsetStart()
                    + (p.getParamOffsetStart() - ub.getParamOffsetStart()),
                blockLength,
                layer.updaterDivideByMinibatch(p.getParamName()),
                l2));
      }
    }
    return null;
  }

  /**
   * Whether two arrays are the same memory. Not {@code ==}: DL4J's {@code
   * DefaultGradient.gradient()} returns a new reshaped view at every call, so DL4J's own identity
   * test ({@code BaseMultiLayerUpdater.update}) takes every step of a {@code ComputationGraph} for
   * an external gradient and goes through its slower external path (1.0.0-M2.1).
   */
  private static boolean sameMemory(INDArray a, INDArray b) {
    return a.length() == b.length()
        && a.offset() == b.offset()
        && a.data().address() == b.data().address();
  }

  private static boolean contiguous(INDArray a) {
    return a.isView() ? a.offset() == 0 && a.length() == a.data().length() : true;
  }

  /**
   * The fused pass for the network's own gradient array; an external gradient (another array) goes
   * through DL4J's path.
   */
  @Override
  public synchronized void update(
      Gradient gradient, int iteration, int epoch, int batchSize, LayerWorkspaceMgr workspaceMgr) {
    if (!sameMemory(gradient.gradient(), getFlattenedGradientsView())) {
      super.update(gradient, iteration, epoch, batchSize, workspaceMgr);
      return;
    }
    float[][] coefficients = new float[blocks.size()][];
    for (int b = 0; b < blocks.size(); b++) {
      coefficients[b] =
          coefficients(blocks.get(b).getGradientUpdater().getConfig(), iteration, epoch);
    }
    Buffers buf =
        new Buffers(
            floats(graph.getGradientsViewArray()),
            floats(getStateViewArray()),
            floats(graph.params()),
            average == null ? null : floats(average.values()),
            isMiniBatch() ? (float) batchSize : 1f,
            average == null ? 0f : (float) average.nextDecay());
    IntStream.range(0, slices.size())
        .parallel()
        .forEach(i -> pass(slices.get(i), coefficients[slices.get(i).segment().block()], buf));
  }

  private record Buffers(
      FloatBuffer g, FloatBuffer state, FloatBuffer p, FloatBuffer avg, float batch, float decay) {}

  /**
   * Per block and step: Adam {beta1, beta2, epsilon, alpha_t}; Nesterovs {learning rate, momentum};
   * NoOp nothing.
   */
  private static float[] coefficients(IUpdater config, int iteration, int epoch) {
    if (config instanceof Adam adam) {
      double lr = adam.getLearningRate(iteration, epoch);
      // as libnd4j's adam_updater: bias corrections of step t = iteration + 1 folded into the rate
      double b1t = Math.pow(adam.getBeta1(), iteration + 1);
      double b2t = Math.pow(adam.getBeta2(), iteration + 1);
      double alpha = lr * Math.sqrt(1 - b2t) / (1 - b1t);
      if (!Double.isFinite(alpha) || alpha == 0) {
        alpha = adam.getEpsilon();
      }
      return new float[] {
        (float) adam.getBeta1(), (float) adam.getBeta2(), (float) adam.getEpsilon(), (float) alpha
      };
    }
    if (config instanceof Nesterovs n) {
      return new float[] {
        (float) n.getLearningRate(iteration, epoch), (float) n.currentMomentum(iteration, epoch)
      };
    }
    return new float[0];
  }

  /**
   * One slice: gradient {@code g} (divided by the batch size where DL4J divides it, plus L2)
   * becomes the update {@code u} in place, the state advances, and the average blends in {@code p -
   * u}.
   */
  private static void pass(Slice s, float[] c, Buffers b) {
    Segment seg = s.segment();
    float div = seg.divide() ? b.batch() : 1f;
    float l2 = seg.l2();
    FloatBuffer g = b.g();
    FloatBuffer st = b.state();
    FloatBuffer p = b.p();
    FloatBuffer avg = b.avg();
    float d = b.decay();
    int shift = seg.state() - seg.start(); // state index of element i (Adam: m; v a block later)
    switch (seg.kind()) {
      case ADAM -> {
        float b1 = c[0];
        float b2 = c[1];
        float eps = c[2];
        float alpha = c[3];
        float ob1 = 1 - b1;
        float ob2 = 1 - b2;
        int vShift = shift + seg.blockLength();
        for (int i = s.from(); i < s.to(); i++) {
          float gi = g.get(i) / div;
          if (l2 != 0) {
            gi += l2 * p.get(i);
          }
          float m = b1 * st.get(i + shift) + gi * ob1;
          float v = b2 * st.get(i + vShift) + gi * gi * ob2;
          st.put(i + shift, m);
          st.put(i + vShift, v);
          float u = m * alpha / ((float) Math.sqrt(v) + eps);
          g.put(i, u);
          if (avg != null) {
            avg.put(i, WeightAverage.blend(avg.get(i), p.get(i) - u, d));
          }
        }
      }
      case NESTEROVS -> {
        float lr = c[0];
        float mu = c[1];
        for (int i = s.from(); i < s.to(); i++) {
          float gi = g.get(i) / div;
          if (l2 != 0) {
            gi += l2 * p.get(i);
          }
          float vPrev = st.get(i + shift);
          float v = mu * vPrev - lr * gi;
          st.put(i + shift, v);
          float u = mu * vPrev - (1 + mu) * v;
          g.put(i, u);
          if (avg != null) {
            avg.put(i, WeightAverage.blend(avg.get(i), p.get(i) - u, d));
          }
        }
      }
      case NOOP -> {
        for (int i = s.from(); i < s.to(); i++) {
          float u = g.get(i) / div;
          if (div != 1f) {
            g.put(i, u);
          }
          if (avg != null) {
            avg.put(i, WeightAverage.blend(avg.get(i), p.get(i) - u, d));
          }
        }
      }
    }
  }

  /** The whole buffer of a contiguous float array, native byte order, absolute indexing. */
  private static FloatBuffer floats(INDArray a) {
    return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
  }
}
