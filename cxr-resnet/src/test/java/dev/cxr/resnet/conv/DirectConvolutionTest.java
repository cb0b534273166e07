package dev.cxr.resnet.conv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cxr.resnet.ResNets;
import dev.cxr.resnet.compat.OneDnnHelpers;
import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link DirectConvBackprop} against libnd4j's reference {@code conv2d_bp} (its generic im2col
 * code, oneDNN off for the call) on the shapes a ResNet has, including the ones where libnd4j's own
 * oneDNN call picks Winograd (3x3, stride 1, more than 8 images); and a whole ResNet's gradients
 * with the direct path against the same network on libnd4j's path.
 */
class DirectConvolutionTest {

  @BeforeAll
  static void helpersOn() {
    OneDnnHelpers.ensureEnabled();
  }

  @AfterEach
  void restore() {
    DirectConvBackprop.setEnabled(true);
  }

  /** n, c, h, w, out, kernel, stride, pad, bias. */
  @ParameterizedTest(name = "{0}x{1}x{2}x{3} -> {4}, k{5} s{6} p{7}, bias {8}")
  @CsvSource({
    "16, 8, 12, 12, 8, 3, 1, 1, false", // 3x3 stride 1 at batch > 8: libnd4j's Winograd case
    "9, 16, 4, 4, 16, 3, 1, 1, false", // stage-4-like: tiny maps, many channels
    "2, 1, 20, 20, 8, 7, 2, 3, false", // the stem
    "3, 8, 9, 9, 16, 1, 2, 0, false", // 1x1 stride-2 projection, odd input size
    "4, 4, 10, 11, 6, 3, 2, 1, true", // stride 2, non-square, with bias
    "1, 3, 5, 5, 2, 3, 1, 0, true" // one image, no padding
  })
  void matchesLibnd4jReference(
      int n, int c, int h, int w, int o, int k, int s, int p, boolean bias) {
    assumeTrue(DirectConvBackprop.available(), "oneDNN library not loadable on this platform");
    Nd4j.getRandom().setSeed(n * 1000L + c);
    INDArray x = Nd4j.randn(DataType.FLOAT, n, c, h, w);
    INDArray wts = Nd4j.randn(DataType.FLOAT, o, c, k, k);
    INDArray b = Nd4j.randn(DataType.FLOAT, o);
    long oh = (h + 2L * p - k) / s + 1;
    long ow = (w + 2L * p - k) / s + 1;
    INDArray gy = Nd4j.randn(DataType.FLOAT, n, o, oh, ow);

    INDArray refGx = Nd4j.create(DataType.FLOAT, x.shape());
    INDArray refGw = Nd4j.create(DataType.FLOAT, wts.shape());
    INDArray refGb = Nd4j.create(DataType.FLOAT, o);
    try (OpContext ctx = Nd4j.getExecutioner().buildContext()) {
      ctx.allowHelpers(false);
      ctx.setInputArrays(bias ? new INDArray[] {x, wts, b, gy} : new INDArray[] {x, wts, gy});
      ctx.setOutputArrays(
          bias ? new INDArray[] {refGx, refGw, refGb} : new INDArray[] {refGx, refGw});
      ctx.setIArguments(k, k, s, s, p, p, 1, 1, 0, 0, 1);
      Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").build(), ctx);
    } catch (Exception e) {
      throw new AssertionError(e);
    }

    INDArray gx = Nd4j.create(DataType.FLOAT, x.shape()).assign(Float.NaN);
    // the weight gradient is written into a view with an offset, as DL4J's gradient views are
    INDArray gwFlat = Nd4j.create(DataType.FLOAT, 7 + wts.length()).assign(Float.NaN);
    INDArray gw =
        gwFlat
            .get(org.nd4j.linalg.indexing.NDArrayIndex.interval(7, 7 + wts.length()))
            .reshape('c', wts.shape());
    INDArray gb = Nd4j.create(DataType.FLOAT, o).assign(Float.NaN);
    DirectConvBackprop.backward(
        new DirectConvBackprop.Geometry(n, c, h, w, o, k, k, s, s, p, p, oh, ow, bias),
        x,
        wts,
        gy,
        gx,
        gw,
        bias ? gb : null);

    assertClose("input gradient", gx, refGx);
    assertClose("weight gradient", gw, refGw);
    assertThat(gwFlat.getFloat(6)).as("cell before the view untouched").isNaN();
    if (bias) {
      assertClose("bias gradient", gb, refGb);
    }
  }

  @Test
  void resnetGradientsMatchLibnd4jPath() throws Exception {
    assumeTrue(DirectConvBackprop.available(), "oneDNN library not loadable on this platform");
    DataSet batch = batch(10, 48);

    DirectConvBackprop.setEnabled(false);
    ComputationGraph reference = resnet();
    DirectConvBackprop.setEnabled(true);
    ComputationGraph direct = resnet();

    assertThat(((DirectConvHelper) helperOf(direct.getLayer("stem_conv"))).directBackward())
        .isTrue();
    assertThat(helperOf(reference.getLayer("stem_conv")))
        .matches(h -> !(h instanceof DirectConvHelper d) || !d.directBackward(), "not direct");
    assertThat(direct.params()).isEqualTo(reference.params());

    for (ComputationGraph g : new ComputationGraph[] {reference, direct}) {
      g.setInputs(batch.getFeatures());
      g.setLabels(batch.getLabels());
      g.computeGradientAndScore();
    }
    assertThat(direct.score())
        .isCloseTo(reference.score(), org.assertj.core.data.Offset.offset(1e-5));
    assertClose(
        "all parameter gradients", direct.gradient().gradient(), reference.gradient().gradient());

    // and a few real steps stay together
    for (int i = 0; i < 3; i++) {
      reference.fit(batch);
      direct.fit(batch);
    }
    assertClose("parameters after 3 steps", direct.params(), reference.params());
  }

  @Test
  void savedModelReloadsAsDirectConvolution(@TempDir Path dir) throws Exception {
    ComputationGraph graph = resnet();
    DataSet batch = batch(4, 48);
    graph.fit(batch);
    File file = dir.resolve("m.zip").toFile();
    ModelSerializer.writeModel(graph, file, true);
    ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
    assertThat(restored.getLayer("stem_conv").conf().getLayer())
        .isInstanceOf(DirectConvolution.class);
    assertThat(restored.getLayer("stem_conv")).isInstanceOf(DirectConvolutionLayer.class);
    assertThat(restored.getConfiguration()).isEqualTo(graph.getConfiguration());
    String json = graph.getConfiguration().toJson();
    assertThat(ComputationGraphConfiguration.fromJson(json)).isEqualTo(graph.getConfiguration());
    assertThat(restored.outputSingle(false, batch.getFeatures()))
        .isEqualTo(graph.outputSingle(false, batch.getFeatures()));
  }

  private static ComputationGraph resnet() {
    return ResNets.builder().depth(18).width(8).inputShape(1, 48, 48).seed(3).build();
  }

  private static DataSet batch(int n, int size) {
    Nd4j.getRandom().setSeed(11);
    INDArray x = Nd4j.rand(DataType.FLOAT, n, 1, size, size);
    INDArray y = Nd4j.create(DataType.FLOAT, n, 2);
    for (int i = 0; i < n; i++) {
      y.putScalar(i, i % 2, 1);
    }
    return new DataSet(x, y);
  }

  /** The helper a DL4J convolution layer holds (a private field). */
  static Object helperOf(Layer layer) throws Exception {
    Field f = ConvolutionLayer.class.getDeclaredField("helper");
    f.setAccessible(true);
    return f.get(layer);
  }

  /** Largest difference relative to the largest value of {@code expected} below 2e-4. */
  static void assertClose(String what, INDArray actual, INDArray expected) {
    assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
    double scale = Math.max(1e-12, expected.amaxNumber().doubleValue());
    double diff =
        actual
            .castTo(DataType.DOUBLE)
            .sub(expected.castTo(DataType.DOUBLE))
            .amaxNumber()
            .doubleValue();
    assertThat(diff / scale)
        .as(
            what
                + ": largest difference relative to largest value "
                + Arrays.toString(expected.shape()))
        .isLessThan(2e-4);
  }
}
