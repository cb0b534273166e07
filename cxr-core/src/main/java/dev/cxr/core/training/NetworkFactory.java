package dev.cxr.core.training;

import dev.cxr.core.config.Optimizer;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.data.CxrTask;
import dev.cxr.resnet.HeadActivation;
import dev.cxr.resnet.ResNets;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** Builds the initialised ResNet a configuration describes (cxr-resnet's builder). */
public final class NetworkFactory {
  private NetworkFactory() {}

  /**
   * A new network with weights initialised from the configuration's seed.
   *
   * @param config the settings
   * @param task the task: its output columns make the head (a softmax over the binary task's two
   *     classes, or one sigmoid per finding of a multi-label task)
   * @param loss the head's loss ({@link TrainingData#loss})
   * @return the network
   */
  public static ComputationGraph build(PipelineConfig config, CxrTask task, ILossFunction loss) {
    IUpdater updater =
        config.optimizer() == Optimizer.ADAM
            ? new Adam(config.learningRate())
            : new Nesterovs(config.learningRate(), config.momentum());
    return ResNets.builder()
        .depth(config.depth())
        .preActivation(config.preActivation())
        .inputShape(1, config.imageSize(), config.imageSize())
        .classes(task.labelNames().size())
        .headActivation(task.multiLabel() ? HeadActivation.SIGMOID : HeadActivation.SOFTMAX)
        .loss(loss)
        .width(config.width())
        .dropout(config.dropout())
        .l2(config.l2())
        .seed(config.seed())
        .updater(updater)
        .build();
  }
}
