package dev.cxr.core.training;

import dev.cxr.core.provenance.ModelFile;
import dev.cxr.core.config.Architecture;
import dev.cxr.core.config.Optimizer;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.config.Pretrained;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.pretrained.PretrainedWeights;
import dev.cxr.resnet.DenseNets;
import dev.cxr.resnet.HeadActivation;
import dev.cxr.resnet.InputScaling;
import dev.cxr.resnet.ResNets;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Builds the initialised network a configuration describes (cxr-resnet's builders): a ResNet or a
 * DenseNet, from the configuration's seed or, when it names pretrained weights, with their
 * backbone and a new head for the task.
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
   * @param net the network
   * @param config the settings
   * @param epoch 0-based epoch
   * @param lr the schedule's rate for the epoch
   */
  public static void setLearningRate(
      ComputationGraph net, PipelineConfig config, int epoch, double lr) {
    net.setLearningRate(lr);
    Pretrained p = config.pretrained();
    if (p == null) {
      return;
    }
    double backbone = p.backboneLearningRate(epoch, lr);
    if (backbone != lr) {
      for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
        String name = l.getConfig().getLayerName();
        if (!name.equals("output") && l.numParams() > 0) {
          net.setLearningRate(name, backbone);
        }
      }
    }
  }
}
