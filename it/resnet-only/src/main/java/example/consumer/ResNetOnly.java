package example.consumer;

import dev.cxr.resnet.ResNetSummary;
import dev.cxr.resnet.ResNets;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** cxr-resnet alone: a ResNet-50 for 1-channel 224 px images, and its parameter count. */
public final class ResNetOnly {
  private ResNetOnly() {}

  /**
   * Builds the network and counts its trainable parameters (DL4J's {@code numParams()} also counts
   * batch normalisation's running mean and variance).
   *
   * @return its trainable parameters
   */
  public static long parameters() {
    ComputationGraph net = ResNets.builder().depth(50).inputShape(1, 224, 224).classes(2).build();
    return ResNetSummary.of(net, InputType.convolutional(224, 224, 1)).trainableParameters();
  }

  /**
   * Entry point.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    System.out.println("ResNet-50 parameters: " + parameters());
  }
}
