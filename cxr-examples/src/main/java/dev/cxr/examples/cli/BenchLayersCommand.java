package dev.cxr.examples.cli;

import dev.cxr.core.training.FusedUpdater;
import dev.cxr.resnet.ResNets;
import dev.cxr.resnet.compat.OneDnnHelpers;
import dev.cxr.resnet.conv.DirectConvBackprop;
import dev.cxr.resnet.residual.AddReluVertex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cxr bench-layers}: forward and backward time of every layer of a ResNet-18 training step,
 * summed per layer type, plus libnd4j's {@code conv2d} / {@code conv2d_bp} ops called directly on
 * the same shapes (kernel time without DL4J's layer code). Each layer is the one inside a real
 * initialised network (same helpers, parameters and configuration), fed the activations of a real
 * training-mode forward pass, and run inside a workspace as {@code fit} runs it; a backward pass is
 * timed after an untimed forward pass of the same layer. Output: one tab-separated line per layer
 * type, {@code layer <type> <count> <forward ms> <backward ms>}, the same format as
 * bench/pytorch_layers.py, so that bench/compare-layers.sh can join the two.
 */
@Command(
    name = "bench-layers",
    mixinStandardHelpOptions = true,
    description =
        "Time each layer type of a ResNet-18 training step (forward and backward, ms per step) and"
            + " the raw conv2d ops; print tab-separated 'layer' lines.")
public final class BenchLayersCommand implements Callable<Integer> {
  private static final String WS = "CXR_BENCH_LAYERS";
  private static final Pattern BLOCK = Pattern.compile("s(\\d)_b\\d+_(.*)");

  @Mixin VerboseOption verboseOption;

  @Option(
      names = "--size",
      defaultValue = "224",
      description = "Image height and width (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--batch",
      defaultValue = "16",
      description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--warmup",
      defaultValue = "2",
      description = "Untimed runs of each layer first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--steps",
      defaultValue = "5",
      description = "Timed runs of each layer (default: ${DEFAULT-VALUE}).")
  int steps;

  /** Forward and backward nanoseconds and instances of one layer type. */
  private static final class Row {
    long forward;
    long backward;
    int count;
  }

  private final Map<String, Row> rows = new LinkedHashMap<>();

  @Override
  public Integer call() {
    if (size < 32 || batch < 1 || warmup < 0 || steps < 1) {
      throw new IllegalArgumentException(
          "--size must be >= 32, --batch >= 1, --warmup >= 0 and --steps >= 1 but were "
              + size
              + ", "
              + batch
              + ", "
              + warmup
              + ", "
              + steps);
    }
    OneDnnHelpers.ensureEnabled();
    ComputationGraph graph = ResNets.builder().depth(18).inputShape(1, size, size).build();
    // as training runs it; -Dcxr.fusedUpdater=false (and -Dcxr.fusedAddRelu=false) time DL4J's
    FusedUpdater.install(graph);
    DataSet data = BenchModelCommand.randomBatch(batch, size);
    System.out.printf(
        "cxr ResNet-18, %dx%d px, batch %d, %d warm-up + %d timed runs per layer; %s%n",
        size, size, batch, warmup, steps, OneDnnHelpers.describe());
    for (int i = 0; i < 2; i++) {
      graph.fit(data); // real running statistics, Adam state and JIT
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      graph.fit(data);
    }
    double stepMs = (System.nanoTime() - t0) / 1e6 / steps;

    Map<String, INDArray> acts = graph.feedForward(data.getFeatures(), true);
    acts.put("input", data.getFeatures());
    LayerWorkspaceMgr mgr = workspaces();
    WorkspaceConfiguration ws = wsConfig();
    List<String> convs = new ArrayList<>();
    for (int idx : graph.topologicalSortOrder()) {
      GraphVertex v = graph.getVertices()[idx];
      if (v.isInputVertex()) {
        continue;
      }
      INDArray[] in = inputs(graph, v, acts);
      String type = type(v);
      Row row = rows.computeIfAbsent(type, k -> new Row());
      row.count++;
      for (int i = 0; i < warmup + steps; i++) {
        try (MemoryWorkspace w = Nd4j.getWorkspaceManager().getAndActivateWorkspace(ws, WS)) {
          long a = System.nanoTime();
          INDArray out = forward(v, in, data.getLabels(), mgr);
          long b = System.nanoTime();
          backward(v, out, mgr);
          long c = System.nanoTime();
          if (i >= warmup) {
            row.forward += b - a;
            row.backward += c - b;
          }
        }
      }
      if (v.hasLayer() && v.getLayer().conf().getLayer() instanceof ConvolutionLayer) {
        convs.add(v.getVertexName());
        timeOps(graph, v, in[0], type);
      }
    }
    timeUpdater(graph, data);

    System.out.println("# type\tcount\tforward ms\tbackward ms (per training step)");
    double sum = 0;
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      Row r = e.getValue();
      double f = r.forward / 1e6 / steps;
      double b = r.backward / 1e6 / steps;
      if (!e.getKey().startsWith("op ")) {
        sum += f + b;
      }
      System.out.printf(Locale.ROOT, "layer\t%s\t%d\t%.2f\t%.2f%n", e.getKey(), r.count, f, b);
    }
    System.out.printf(Locale.ROOT, "layer\tsum of layers\t-\t%.2f\t-%n", sum);
    System.out.printf(Locale.ROOT, "layer\twhole step (fit)\t-\t%.2f\t-%n", stepMs);
    return 0;
  }

  /** Layer type of a vertex: the row it is summed into. */
  private static String type(GraphVertex v) {
    String name = v.getVertexName();
    Matcher m = BLOCK.matcher(name);
    String part = m.matches() ? m.group(2) : name;
    if (name.equals("stem_conv")) {
      return "conv 7x7 stem";
    }
    if (part.equals("proj_conv")) {
      return "conv 1x1 projection";
    }
    if (part.startsWith("conv")) {
      return "conv 3x3 stage " + m.group(1);
    }
    if (part.contains("bn")) {
      return "batch norm";
    }
    if (v instanceof AddReluVertex) {
      return "residual add + ReLU";
    }
    if (part.equals("relu")) { // DL4J's ReLU layer after a residual add (-Dcxr.fusedAddRelu=false)
      return "ReLU after add";
    }
    if (part.contains("relu")) {
      return "ReLU";
    }
    return switch (part) {
      case "stem_pool" -> "max-pool";
      case "add" -> "residual add";
      case "pool" -> "global avg pool";
      case "output" -> "dense + softmax loss";
      default -> throw new IllegalStateException("no layer type for vertex " + name);
    };
  }

  private static INDArray[] inputs(ComputationGraph g, GraphVertex v, Map<String, INDArray> acts) {
    VertexIndices[] ix = v.getInputVertices();
    INDArray[] in = new INDArray[ix.length];
    for (int i = 0; i < ix.length; i++) {
      in[i] = acts.get(g.getVertices()[ix[i].getVertexIndex()].getVertexName());
    }
    return in;
  }

  private static INDArray forward(
      GraphVertex v, INDArray[] in, INDArray labels, LayerWorkspaceMgr mgr) {
    if (v.hasLayer()) {
      Layer l = v.getLayer();
      l.setInput(in[0], mgr);
      if (l instanceof IOutputLayer out) {
        out.setLabels(labels);
      }
      return l.activate(true, mgr);
    }
    v.setInputs(in);
    return v.doForward(true, mgr);
  }

  /** Backward pass with an all-ones gradient of the output (the loss computes its own). */
  private static void backward(GraphVertex v, INDArray out, LayerWorkspaceMgr mgr) {
    if (v.hasLayer()) {
      Layer l = v.getLayer();
      INDArray eps = l instanceof IOutputLayer ? null : onesLike(out, mgr);
      if (l instanceof IOutputLayer o) {
        o.computeScore(0, true, mgr);
      }
      l.backpropGradient(eps, mgr);
    } else {
      v.setEpsilon(onesLike(out, mgr));
      v.doBackward(false, mgr);
    }
  }

  private static INDArray onesLike(INDArray a, LayerWorkspaceMgr mgr) {
    return mgr.create(ArrayType.ACTIVATION_GRAD, a.dataType(), a.shape()).assign(1);
  }

  /** libnd4j's conv2d and conv2d_bp on the layer's shapes, outputs allocated outside timing. */
  private void timeOps(ComputationGraph g, GraphVertex v, INDArray x, String type) {
    ConvolutionLayer c = (ConvolutionLayer) v.getLayer().conf().getLayer();
    INDArray w = v.getLayer().getParam("W");
    int[] k = c.getKernelSize();
    int[] s = c.getStride();
    int[] p = c.getPadding();
    long oh = (x.size(2) + 2L * p[0] - k[0]) / s[0] + 1;
    long ow = (x.size(3) + 2L * p[1] - k[1]) / s[1] + 1;
    INDArray out = Nd4j.create(x.dataType(), x.size(0), w.size(0), oh, ow);
    INDArray gradO = Nd4j.ones(x.dataType(), out.shape());
    INDArray gradI = Nd4j.create(x.dataType(), x.shape());
    INDArray gradW = Nd4j.create(w.dataType(), w.shape());
    // kH, kW, sH, sW, pH, pW, dH, dW, same mode, NCHW, weights [oC, iC, kH, kW]
    int[] iargs = {k[0], k[1], s[0], s[1], p[0], p[1], 1, 1, 0, 0, 1};
    DynamicCustomOp fwd =
        DynamicCustomOp.builder("conv2d")
            .addInputs(x, w)
            .addOutputs(out)
            .addIntegerArguments(iargs)
            .build();
    DynamicCustomOp bwd =
        DynamicCustomOp.builder("conv2d_bp")
            .addInputs(x, w, gradO)
            .addOutputs(gradI, gradW)
            .addIntegerArguments(iargs)
            .build();
    Row row = rows.computeIfAbsent("op " + type, key -> new Row());
    row.count++;
    for (int i = 0; i < warmup + steps; i++) {
      long a = System.nanoTime();
      Nd4j.exec(fwd);
      long b = System.nanoTime();
      Nd4j.exec(bwd);
      long e = System.nanoTime();
      if (i >= warmup) {
        row.forward += b - a;
        row.backward += e - b;
      }
    }
    timeDirectBackward(x, w, gradO, gradI, gradW, k, s, p, oh, ow, type);
  }

  /**
   * cxr's DirectConvBackprop on the same shapes: oneDNN's direct algorithm, primitives kept per
   * shape (the layers' own backward pass uses it unless -Dcxr.directConvBackprop=false).
   */
  private void timeDirectBackward(
      INDArray x,
      INDArray w,
      INDArray gradO,
      INDArray gradI,
      INDArray gradW,
      int[] k,
      int[] s,
      int[] p,
      long oh,
      long ow,
      String type) {
    Row row = rows.computeIfAbsent("op direct " + type, key -> new Row());
    row.count++;
    var g =
        new DirectConvBackprop.Geometry(
            x.size(0), x.size(1), x.size(2), x.size(3), w.size(0), k[0], k[1], s[0], s[1], p[0],
            p[1], oh, ow, false);
    for (int i = 0; i < warmup + steps; i++) {
      long a = System.nanoTime();
      DirectConvBackprop.backward(g, x, w, gradO, gradI, gradW, null);
      if (i >= warmup) {
        row.backward += System.nanoTime() - a;
      }
    }
  }

  /** The updater (Adam) and the parameter step, as fit applies them after backprop. */
  private void timeUpdater(ComputationGraph g, DataSet data) {
    g.setInputs(data.getFeatures());
    g.setLabels(data.getLabels());
    g.computeGradientAndScore();
    Gradient grad = g.gradient();
    Row row = rows.computeIfAbsent("updater (Adam)", k -> new Row());
    row.count = 1;
    // the updater manages its own working memory, as in fit
    LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
    for (int i = 0; i < warmup + steps; i++) {
      long a = System.nanoTime();
      g.getUpdater().update(grad, 100 + i, 0, batch, none);
      g.params().subi(g.getGradientsViewArray().reshape(g.params().shape()));
      if (i >= warmup) {
        row.forward += System.nanoTime() - a;
      }
    }
  }

  private static WorkspaceConfiguration wsConfig() {
    return WorkspaceConfiguration.builder()
        .initialSize(0)
        .overallocationLimit(0.05)
        .policyLearning(LearningPolicy.FIRST_LOOP)
        .policyReset(ResetPolicy.BLOCK_LEFT)
        .policySpill(SpillPolicy.REALLOCATE)
        .policyAllocation(AllocationPolicy.OVERALLOCATE)
        .build();
  }

  /** Every array type in one workspace, opened around each timed run (as fit does per layer). */
  private static LayerWorkspaceMgr workspaces() {
    LayerWorkspaceMgr.Builder b = LayerWorkspaceMgr.builder();
    for (ArrayType t : ArrayType.values()) {
      b.with(t, WS, wsConfig());
    }
    return b.build();
  }
}
