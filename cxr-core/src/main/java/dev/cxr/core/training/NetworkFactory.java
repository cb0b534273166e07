package dev.cxr.core.training;

import dev.cxr.core.config.Architecture;
import dev.cxr.core.config.Optimizer;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.config.Pretrained;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.pretrained.PretrainedWeights;
import dev.cxr.core.provenance.ModelFile;
import dev.cxr.resnet.DenseNets;
import dev.cxr.resnet.HeadActivation;
import dev.cxr.resnet.InputScaling;
import dev.cxr.resnet.ResNets;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Builds the initialised network a configuration describes (cxr-resnet's builders): a ResNet or a
 * DenseNet, from the configuration's seed or, when it names pretrained weights, with their backbone
 * and a new head for the task.
 */
public final class NetworkFactory {
  private NetworkFactory() {}

  /**
   * A new network with weights initialised from the configuration's seed, and the backbone of
   * {@link PipelineConfig#pretrained()} when there is one.
   *
   * @param config the settings
   * @param task the task: its output columns make the head (a softmax over the binary task's two
   *     classes, or one sigmoid per finding of a multi-label task)
   * @param loss the head's loss ({@link TrainingData#loss})
   * @return the network
   */
  public static ComputationGraph build(PipelineConfig config, CxrTask task, ILossFunction loss) {
    ComputationGraph net = initialised(config, task, loss);
    if (config.pretrained() != null) {
      PretrainedWeights.loadBackbone(config.pretrained(), net);
    }
    return net;
  }

  /**
   * The network with weights from the seed only (no pretrained weights copied).
   *
   * @param config the settings
   * @param task the task
   * @param loss the head's loss
   * @return the network
   */
  public static ComputationGraph initialised(
      PipelineConfig config, CxrTask task, ILossFunction loss) {
    IUpdater updater =
        config.optimizer() == Optimizer.ADAM
            ? new Adam(config.learningRate())
            : new Nesterovs(config.learningRate(), config.momentum());
    HeadActivation head = task.multiLabel() ? HeadActivation.SIGMOID : HeadActivation.SOFTMAX;
    InputScaling scaling = inputScaling(config);
    if (config.architecture() == Architecture.DENSENET) {
      return DenseNets.builder()
          .depth(config.depth())
          .initFeatures(config.width())
          .growthRate(config.width() / 2)
          .inputShape(1, config.imageSize(), config.imageSize())
          .classes(task.labelNames().size())
          .headActivation(head)
          .loss(loss)
          .dropout(config.dropout())
          .l2(config.l2())
          .seed(config.seed())
          .updater(updater)
          .inputScaling(scaling)
          .build();
    }
    return ResNets.builder()
        .depth(config.depth())
        .preActivation(config.preActivation())
        .inputShape(1, config.imageSize(), config.imageSize())
        .classes(task.labelNames().size())
        .headActivation(head)
        .loss(loss)
        .width(config.width())
        .dropout(config.dropout())
        .l2(config.l2())
        .seed(config.seed())
        .updater(updater)
        .inputScaling(scaling)
        .build();
  }

  /**
   * The input scaling of a configuration's network: that of its pretrained weights' source (for a
   * cxr model file, that model's own), or none.
   */
  private static InputScaling inputScaling(PipelineConfig config) {
    Pretrained p = config.pretrained();
    if (p == null) {
      return null;
    }
    if (p.source() == Pretrained.Source.CXR) {
      return inputScaling(ModelFile.readInfo(p.file()).config());
    }
    return PretrainedWeights.inputScaling(p.source());
  }

  /**
   * Sets the learning rate of an epoch: the head's {@code lr}; the backbone's as the fine-tuning
   * schedule says ({@link Pretrained#backboneLearningRate}), the same {@code lr} without one.
   *
   * <p>With a fine-tuning schedule each layer's updater configuration is set in place. DL4J's own
   * per-layer {@code setLearningRate} rebuilds the updater blocks and fails on the batch-norm
   * running statistics, which have no updater state (a NullPointerException in {@code
   * NetworkUtils.rebuildUpdaterStateArray}, 1.0.0-M2.1). In-place rates take effect because DL4J
   * groups parameters into updater blocks by equal configurations when it first builds the updater,
   * and the first call here (before any training step) makes the backbone's rate differ from the
   * head's and drops an updater not yet used, so head and backbone never share a block.
   *
   * @param net the network
   * @param config the settings
   * @param epoch 0-based epoch
   * @param lr the schedule's rate for the epoch
   */
  public static void setLearningRate(
      ComputationGraph net, PipelineConfig config, int epoch, double lr) {
    Pretrained p = config.pretrained();
    if (p == null || (p.freezeEpochs() == 0 && p.backboneLrScale() == 1.0)) {
      net.setLearningRate(lr);
      return;
    }
    double backbone = p.backboneLearningRate(epoch, lr);
    for (Layer l : net.getLayers()) {
      if (l.conf().getLayer() instanceof BaseLayer bl
          && bl.getIUpdater() != null
          && bl.getIUpdater().hasLearningRate()) {
        bl.getIUpdater().setLrAndSchedule(OUTPUT.equals(bl.getLayerName()) ? lr : backbone, null);
      }
    }
    if (net.getConfiguration().getIterationCount() == 0) {
      net.setUpdater(null); // rebuilt on the first step from the rates above: blocks split
    }
  }

  private static final String OUTPUT = "output";
}
