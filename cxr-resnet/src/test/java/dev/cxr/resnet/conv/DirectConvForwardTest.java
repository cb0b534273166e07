package dev.cxr.resnet.conv;

import static dev.cxr.resnet.conv.DirectConvolutionTest.assertClose;
import static dev.cxr.resnet.conv.DirectConvolutionTest.helperOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cxr.resnet.ResNets;
import dev.cxr.resnet.compat.OneDnnHelpers;
import dev.cxr.resnet.inference.InferenceGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link DirectConvForward} against libnd4j's reference {@code conv2d} (its generic code, oneDNN
 * off for the call) on the shapes a ResNet has; a whole ResNet's training step and its folded
 * inference copy (where the ReLU runs inside the convolution) with the direct forward pass against
 * the same networks on libnd4j's forward pass.
 */
class DirectConvForwardTest {

  @BeforeAll
  static void helpersOn() {
    OneDnnHelpers.ensureEnabled();
  }

  @AfterEach
  void restore() {
    DirectConvForward.setEnabled(true);
  }

  /** n, c, h, w, out, kernel, stride, pad, bias, relu. */
  @ParameterizedTest(name = "{0}x{1}x{2}x{3} -> {4}, k{5} s{6} p{7}, bias {8}, relu {9}")
  @CsvSource({
    "16, 8, 12, 12, 8, 3, 1, 1, false, false", // 3x3 stride 1 at batch > 8
    "9, 16, 4, 4, 16, 3, 1, 1, false, true", // stage-4-like: tiny maps, many channels
    "2, 1, 20, 20, 8, 7, 2, 3, true, true", // the stem, folded (bias and ReLU)
    "3, 8, 9, 9, 16, 1, 2, 0, true, false", // 1x1 stride-2 projection, odd size, folded
    "4, 4, 10, 11, 6, 3, 2, 1, true, true", // stride 2, non-square
    "1, 3, 5, 5, 2, 3, 1, 0, false, false" // one image, no padding
  })
  void matchesLibnd4jReference(
      int n, int c, int h, int w, int o, int k, int s, int p, boolean bias, boolean relu) {
    assumeTrue(DirectConvBackprop.available(), "oneDNN library not loadable on this platform");
    Nd4j.getRandom().setSeed(n * 1000L + c + o);
    INDArray x = Nd4j.randn(DataType.FLOAT, n, c, h, w);
    INDArray wts = Nd4j.randn(DataType.FLOAT, o, c, k, k);
    INDArray b = Nd4j.randn(DataType.FLOAT, o);
    long oh = (h + 2L * p - k) / s + 1;
    long ow = (w + 2L * p - k) / s + 1;

    INDArray ref = reference(x, wts, bias ? b : null, k, s, p, oh, ow);
    if (relu) {
      ref = Transforms.relu(ref, false);
    }

    // the input is a view with an offset (copied first); the output is written in place
    INDArray xFlat = Nd4j.create(DataType.FLOAT, 5 + x.length());
    INDArray xView =
        xFlat.get(NDArrayIndex.interval(5, 5 + x.length())).reshape('c', x.shape()).assign(x);
    INDArray y = Nd4j.create(DataType.FLOAT, n, o, oh, ow).assign(Float.NaN);
    DirectConvForward.forward(
        new DirectConvBackprop.Geometry(n, c, h, w, o, k, k, s, s, p, p, oh, ow, bias),
        relu,
        xView,
        wts,
        bias ? b : null,
        y);
    assertClose("output", y, ref);
    if (relu) {
      assertThat(y.minNumber().floatValue()).as("ReLU applied").isGreaterThanOrEqualTo(0f);
    }
    // a second call on the cached plan with other values gives their result, not the old one
    INDArray x2 = x.mul(-0.5);
    INDArray y2 = Nd4j.create(DataType.FLOAT, n, o, oh, ow);
    DirectConvForward.forward(
        new DirectConvBackprop.Geometry(n, c, h, w, o, k, k, s, s, p, p, oh, ow, bias),
        false,
        x2,
        wts,
        bias ? b : null,
        y2);
    INDArray expected2 = reference(x2, wts, bias ? b : null, k, s, p, oh, ow);
    assertClose("second call", y2, expected2);
  }

  @Test
  void resnetTrainingStepsAndFoldedInferenceMatchLibnd4jForward() throws Exception {
    assumeTrue(DirectConvBackprop.available(), "oneDNN library not loadable on this platform");
    DataSet batch = batch(10, 48);

    DirectConvForward.setEnabled(false);
    ComputationGraph reference = resnet();
    DirectConvForward.setEnabled(true);
    ComputationGraph direct = resnet();
    assertThat(direct.params()).isEqualTo(reference.params());
    assertThat(((DirectConvHelper) helperOf(direct.getLayer("stem_conv"))).directForward())
        .isTrue();
    assertThat(((DirectConvHelper) helperOf(reference.getLayer("stem_conv"))).directForward())
        .isFalse();

    assertClose(
        "training-mode output",
        direct.outputSingle(true, batch.getFeatures()),
        reference.outputSingle(true, batch.getFeatures()));
    for (int i = 0; i < 3; i++) {
      reference.fit(batch);
      direct.fit(batch);
    }
    assertClose("parameters after 3 steps", direct.params(), reference.params());

    // the folded copies: convolutions with a bias and a ReLU (fused into the primitive here)
    DirectConvForward.setEnabled(false);
    InferenceGraph referenceFolded = InferenceGraph.of(reference);
    DirectConvForward.setEnabled(true);
    InferenceGraph directFolded = InferenceGraph.of(direct);
    assertThat(directFolded.fusedActivations()).isPositive();
    INDArray expected = reference.outputSingle(false, batch.getFeatures());
    assertClose("folded, libnd4j forward", referenceFolded.output(batch.getFeatures()), expected);
    assertClose("folded, direct forward", directFolded.output(batch.getFeatures()), expected);
  }

  /** libnd4j's generic {@code conv2d} (oneDNN off for the call), NCHW, square kernel. */
  private static INDArray reference(
      INDArray x, INDArray wts, INDArray b, int k, int s, int p, long oh, long ow) {
    INDArray out = Nd4j.create(DataType.FLOAT, x.size(0), wts.size(0), oh, ow);
    try (OpContext ctx = Nd4j.getExecutioner().buildContext()) {
      ctx.allowHelpers(false);
      ctx.setInputArrays(b != null ? new INDArray[] {x, wts, b} : new INDArray[] {x, wts});
      ctx.setOutputArrays(out);
      ctx.setIArguments(k, k, s, s, p, p, 1, 1, 0, 0, 1);
      Nd4j.exec(DynamicCustomOp.builder("conv2d").build(), ctx);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return out;
  }

  private static ComputationGraph resnet() {
    return ResNets.builder().depth(18).width(8).inputShape(1, 48, 48).seed(5).build();
  }

  private static DataSet batch(int n, int size) {
    Nd4j.getRandom().setSeed(13);
    INDArray x = Nd4j.rand(DataType.FLOAT, n, 1, size, size);
    INDArray y = Nd4j.create(DataType.FLOAT, n, 2);
    for (int i = 0; i < n; i++) {
      y.putScalar(i, i % 2, 1);
    }
    return new DataSet(x, y);
  }
}
