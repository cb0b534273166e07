package dev.cxr.resnet.inference;

import dev.cxr.resnet.inference.FoldPlanner.Fold;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An inference copy of a trained {@link ComputationGraph} in which each batch normalisation is
 * folded into the convolution before it and the activation layer after it (a ReLU in a ResNet) is
 * fused into that convolution.
 *
 * <p>In test mode a batch norm is a per-channel affine map {@code y = gamma (x - mean) / sqrt(var +
 * eps) + beta}. After a convolution with weights {@code W} (output channel first) and bias {@code
 * b} (zero when it has none) it equals one convolution with
 *
 * <pre>
 *   s  = gamma / sqrt(var + eps)          (per output channel)
 *   W' = W * s                            (each output channel's filter scaled)
 *   b' = beta + (b - mean) * s
 * </pre>
 *
 * so each such pair costs one convolution (with its bias added inside oneDNN's primitive) and one
 * in-place activation instead of a convolution, a normalisation pass, and an activation pass. Batch
 * norms that do not follow a plain convolution (the BN-ReLU opening a pre-activation block, after
 * the residual addition) are copied unchanged; see {@link FoldPlanner} for the exact rules.
 *
 * <p>The copy owns its parameters. {@link #refresh()} folds the trained network's current
 * parameters into it again (a pass over the parameters, a few milliseconds for ResNet-18), so one
 * copy can score a network that is still being trained. The trained network is only read.
 *
 * <pre>{@code
 * InferenceGraph inference = InferenceGraph.of(trained);
 * INDArray probabilities = inference.refresh().output(images);
 * }</pre>
 */
public final class InferenceGraph {
  private static final String W = ConvolutionParamInitializer.WEIGHT_KEY;
  private static final String B = ConvolutionParamInitializer.BIAS_KEY;

  private final ComputationGraph trained;
  private final ComputationGraph folded;
  private final List<Fold> folds;
  private final List<String> copied; // layers whose parameters are copied unchanged

  private InferenceGraph(ComputationGraph trained, ComputationGraph folded, List<Fold> folds) {
    this.trained = trained;
    this.folded = folded;
    this.folds = folds;
    Set<String> foldedConvs = new HashSet<>();
    folds.forEach(f -> foldedConvs.add(f.conv()));
    this.copied =
        folded.getConfiguration().getVertices().keySet().stream()
            .filter(n -> !foldedConvs.contains(n))
            .filter(n -> folded.getLayer(n) != null && folded.getLayer(n).numParams() > 0)
            .toList();
  }

  /**
   * Builds the inference copy of {@code trained} and folds its current parameters into it.
   *
   * @param trained an initialised network; it is not changed, now or later
   * @return the inference copy (equal to a plain copy when nothing can be folded)
   * @throws IllegalStateException when {@code trained} is not initialised
   */
  public static InferenceGraph of(ComputationGraph trained) {
    Objects.requireNonNull(trained, "trained");
    if (trained.getVertices() == null) {
      throw new IllegalStateException("the network is not initialised: call init() first");
    }
    FoldPlanner.Plan plan = FoldPlanner.plan(trained.getConfiguration());
    ComputationGraphConfiguration conf = plan.folded();
    long n = conf.getVertices().values().stream().mapToLong(v -> v.numParams(true)).sum();
    ComputationGraph folded = new ComputationGraph(conf);
    // a given parameter array skips DL4J's random initialisation; refresh() fills it
    folded.init(Nd4j.create(trained.params().dataType(), 1, n), false);
    return new InferenceGraph(trained, folded, plan.folds()).refresh();
  }

  /**
   * The folded network, for inference only: training it would not change the trained network and
   * the next {@link #refresh()} overwrites its parameters.
   *
   * @return the folded network
   */
  public ComputationGraph network() {
    return folded;
  }

  /**
   * @return the number of batch norms folded into convolutions
   */
  public int foldedBatchNorms() {
    return folds.size();
  }

  /**
   * @return the number of activations fused into convolutions (activation layers, and the ReLUs of
   *     cxr's fused batch norms)
   */
  public int fusedActivations() {
    return (int) folds.stream().filter(f -> f.activation() != null || f.batchNormRelu()).count();
  }

  /**
   * Folds the trained network's current parameters (weights and running statistics) into this copy.
   * Call it after the trained network changed (training, {@code setParams}).
   *
   * @return this
   */
  public synchronized InferenceGraph refresh() {
    for (String name : copied) {
      folded.getLayer(name).params().assign(trained.getLayer(name).params());
    }
    for (Fold f : folds) {
      fold(f);
    }
    return this;
  }

  /**
   * Test-mode output of the single output of the folded network (no refresh).
   *
   * @param features input batch
   * @return the network output
   */
  public synchronized INDArray output(INDArray features) {
    return folded.outputSingle(false, features);
  }

  private void fold(Fold f) {
    Layer conv = trained.getLayer(f.conv());
    Layer bnLayer = trained.getLayer(f.batchNorm());
    BatchNormalization bn = (BatchNormalization) bnLayer.conf().getLayer();
    INDArray w = conv.getParam(W);
    int channels = (int) w.size(0);
    double[] mean = vector(bnLayer.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN));
    double[] var;
    if (bn.isUseLogStd()) {
      // DL4J stores log10 of the running standard deviation (without eps): var = (10^l)^2
      double[] log10Std =
          vector(bnLayer.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD));
      var = new double[channels];
      for (int c = 0; c < channels; c++) {
        var[c] = Math.pow(10, 2 * log10Std[c]);
      }
    } else {
      var = vector(bnLayer.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR));
    }
    double[] gamma =
        bn.isLockGammaBeta()
            ? constant(channels, bn.getGamma())
            : vector(bnLayer.getParam(BatchNormalizationParamInitializer.GAMMA));
    double[] beta =
        bn.isLockGammaBeta()
            ? constant(channels, bn.getBeta())
            : vector(bnLayer.getParam(BatchNormalizationParamInitializer.BETA));
    INDArray convBias = conv.getParam(B); // null for the bias-free convolutions of a ResNet
    double[] b = convBias == null ? new double[channels] : vector(convBias);
    double[] scale = new double[channels];
    double[] bias = new double[channels];
    for (int c = 0; c < channels; c++) {
      scale[c] = gamma[c] / Math.sqrt(var[c] + bn.getEps());
      bias[c] = beta[c] + (b[c] - mean[c]) * scale[c];
    }
    Layer target = folded.getLayer(f.conv());
    INDArray s = Nd4j.createFromArray(scale).castTo(w.dataType());
    Nd4j.exec(new BroadcastMulOp(w, s, target.getParam(W), 0));
    INDArray targetBias = target.getParam(B);
    targetBias.assign(Nd4j.createFromArray(bias).castTo(w.dataType()).reshape(targetBias.shape()));
  }

  private static double[] vector(INDArray a) {
    return a.toDoubleVector();
  }

  private static double[] constant(int n, double value) {
    double[] v = new double[n];
    Arrays.fill(v, value);
    return v;
  }

  /**
   * @return the folds, for tests: conv name, batch norm name, activation name or null
   */
  List<Fold> folds() {
    return folds;
  }

  /** Vertex names of the folded graph, for tests. */
  Set<String> vertexNames() {
    return Set.copyOf(folded.getConfiguration().getVertices().keySet());
  }
}
