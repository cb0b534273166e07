package dev.cxr.core.training;

import dev.cxr.core.config.Optimizer;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.resnet.HeadActivation;
import dev.cxr.resnet.ResNets;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

/** Builds the initialised ResNet a configuration describes (cxr-resnet's builder). */
public final class NetworkFactory {
  private NetworkFactory() {}

  /**
   * A new network with weights initialised from the configuration's seed.
   *
   * @param config the settings
   * @param classes number of outputs
   * @return the network
   */
  public static ComputationGraph build(PipelineConfig config, int classes) {
    IUpdater updater =
        config.optimizer() == Optimizer.ADAM
            ? new Adam(config.learningRate())
            : new Nesterovs(config.learningRate(), config.momentum());
    return ResNets.builder()
        .depth(config.depth())
        .preActivation(config.preActivation())
        .inputShape(1, config.imageSize(), config.imageSize())
        .classes(classes)
        .headActivation(HeadActivation.SOFTMAX)
        .loss(config.loss().toLossFunction())
        .width(config.width())
        .dropout(config.dropout())
        .l2(config.l2())
        .seed(config.seed())
        .updater(updater)
        .build();
  }
}
