package dev.cxr.core.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cxr.resnet.ResNets;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex.Op;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Grad-CAM finds the last stage of every cxr ResNet and uses the exact gradient of the logit: the
 * logits it rebuilds from the last stage's maps and the output layer's weights give back the
 * network's own softmax output, and the map's pre-ReLU sum is the logit minus the bias.
 */
class GradCamTest {

  @ParameterizedTest
  @CsvSource({"18, false, s4_b2_relu", "18, true, final_relu", "50, false, s4_b3_relu"})
  void findsTheLastStageAndRebuildsTheNetworksOutput(int depth, boolean pre, String last) {
    ComputationGraph net =
        ResNets.builder()
            .depth(depth)
            .preActivation(pre)
            .width(4)
            .inputShape(1, 64, 64)
            .classes(2)
            .seed(3)
            .build();
    GradCam cam = GradCam.of(net, 1);
    assertThat(cam.targetLayer()).isEqualTo(last);
    INDArray x = Nd4j.rand(DataType.FLOAT, 3, 1, 64, 64);
    List<GradCam.Cam> cams = cam.compute(x);
    INDArray out = net.outputSingle(false, x);
    assertThat(cams).hasSize(3);
    for (int i = 0; i < 3; i++) {
      GradCam.Cam c = cams.get(i);
      assertThat(c.map().width()).isEqualTo(2);
      assertThat(c.map().height()).isEqualTo(2);
      double z0 = c.logits().get(0);
      double z1 = c.logits().get(1);
      double p1 = 1 / (1 + Math.exp(z0 - z1)); // softmax of the rebuilt logits
      assertThat(p1).isCloseTo(out.getDouble(i, 1), within(1e-5));
      assertThat(c.probabilities().get(1)).isCloseTo(out.getDouble(i, 1), within(1e-6));
      for (float v : c.map().values()) {
        assertThat(v).isGreaterThanOrEqualTo(0f);
      }
    }
  }

  @Test
  void theMapIsTheGradientWeightedSumOfTheMaps() {
    ComputationGraph net =
        ResNets.builder().depth(18).width(4).inputShape(1, 64, 64).classes(2).seed(5).build();
    INDArray x = Nd4j.rand(DataType.FLOAT, 1, 1, 64, 64);
    GradCam cam = GradCam.of(net, 0);
    INDArray a = net.feedForward(x, false).get(cam.targetLayer()); // [1, k, 2, 2]
    INDArray w = net.getLayer("output").getParam("W");
    float[] map = cam.compute(x).get(0).map().values();
    for (int y = 0; y < 2; y++) {
      for (int xx = 0; xx < 2; xx++) {
        double s = 0;
        for (int k = 0; k < a.size(1); k++) {
          s += a.getDouble(0, k, y, xx) * w.getDouble(k, 0) / 4; // alpha_k = W[k, 0] / (h w)
        }
        assertThat((double) map[y * 2 + xx]).isCloseTo(Math.max(0, s), within(1e-5));
      }
    }
  }

  @Test
  void anEnsemblesMapsOfOtherSizesAreResampledToTheLargestBeforeTheMean() {
    HeatMap small = new HeatMap(1, 1, new float[] {2f});
    HeatMap big = new HeatMap(2, 2, new float[] {0f, 4f, 8f, 12f});
    assertThat(GradCam.mean(List.of(small, big)).values()).containsExactly(1f, 3f, 5f, 7f);
    assertThat(GradCam.mean(List.of(big))).isSameAs(big);
  }

  @Test
  void aNetworkWithoutGlobalAveragePoolingIsRefused() {
    ComputationGraph net =
        new ComputationGraph(
            new NeuralNetConfiguration.Builder()
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(8, 8, 1))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(2).build(), "in")
                .addLayer(
                    "out",
                    new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(2)
                        .activation(Activation.SOFTMAX)
                        .build(),
                    "conv")
                .setOutputs("out")
                .build());
    net.init();
    assertThatThrownBy(() -> GradCam.of(net, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("global average pooling");
    for (ElementWiseVertex.Op op : new ElementWiseVertex.Op[] {Op.Average, Op.Add}) {
      ComputationGraph mean =
          new ComputationGraph(
              new NeuralNetConfiguration.Builder()
                  .graphBuilder()
                  .addInputs("in")
                  .setInputTypes(InputType.convolutional(8, 8, 1))
                  .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(2).build(), "in")
                  .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(2).build(), "in")
                  .addVertex("mean", new ElementWiseVertex(op), "c1", "c2")
                  .setOutputs("mean")
                  .build());
      mean.init();
      assertThatThrownBy(() -> GradCam.of(mean, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              op == Op.Average
                  ? "the output 'c1' (a member of the ensemble 'mean') is not a dense output layer"
                  : "the output 'mean' is not a dense output layer, nor the mean of such outputs"
                      + " (an ensemble)");
    }
    ComputationGraph resnet =
        ResNets.builder().depth(18).width(4).inputShape(1, 32, 32).classes(2).build();
    assertThatThrownBy(() -> GradCam.of(resnet, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column must be in [0, 2) but was 2");
  }
}
