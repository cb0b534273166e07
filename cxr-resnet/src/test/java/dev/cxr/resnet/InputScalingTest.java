package dev.cxr.resnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class InputScalingTest {

  @Test
  void scaledGrayInputEqualsTheThreeChannelNetworkOnTheScaledCopies() {
    ResNets.Builder b = ResNets.builder().depth(18).width(8).inputSize(32).classes(3).seed(7);
    ComputationGraph scaled = b.inputScaling(InputScaling.imageNet()).build();
    ComputationGraph plain = b.inputScaling(null).inputShape(3, 32, 32).build();
    assertThat(scaled.numParams()).isEqualTo(plain.numParams()); // the scaling has no parameters
    scaled.paramTable().forEach((name, value) -> plain.setParam(name, value));

    INDArray gray = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 1, 32, 32);
    INDArray rgb = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 32, 32);
    for (int c = 0; c < 3; c++) {
      INDArray channel =
          gray.sub(InputScaling.IMAGENET_MEAN.get(c)).div(InputScaling.IMAGENET_STD.get(c));
      rgb.get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all())
          .assign(channel.reshape(2, 32, 32));
    }
    INDArray a = scaled.outputSingle(gray);
    INDArray p = plain.outputSingle(rgb);
    assertThat(a.sub(p).amaxNumber().doubleValue()).isLessThan(1e-5);
  }

  @Test
  void oneChannelAffine() {
    InputScaling txrv = InputScaling.affine(2048, -1024);
    assertThat(txrv.channels()).isEqualTo(1);
    ComputationGraph net =
        ResNets.builder().depth(18).width(8).inputSize(32).inputScaling(txrv).build();
    assertThat(net.getConfiguration().getVertices()).containsKeys("input_scale", "input_shift");
  }

  @Test
  void badScalingsNamed() {
    assertThatThrownBy(() -> new InputScaling(List.of(1.0, 0.0), List.of(0.0, 0.0)))
        .hasMessageContaining("channel 1");
    assertThatThrownBy(() -> new InputScaling(List.of(1.0), List.of(0.0, 0.0)))
        .hasMessageContaining("1 scales but 2 shifts");
    assertThatThrownBy(
            () ->
                ResNets.builder()
                    .inputShape(3, 32, 32)
                    .inputScaling(InputScaling.imageNet())
                    .config())
        .hasMessageContaining("inputChannels was 3");
  }
}
