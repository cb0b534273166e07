package dev.cxr.resnet.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.reflect.Field;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The oneDNN helper path computes what DL4J's built-in path computes: two copies of the same small
 * network, one built with helpers and one without (DL4J picks a layer's helper when the layer is
 * created), with identical parameters, give the same outputs, loss, gradients and, after an Adam
 * step, the same parameters (including the batch-normalisation running mean and variance) within
 * float rounding.
 */
class OneDnnHelpersEquivalenceTest {

  /** Largest allowed |helper - builtIn| relative to the largest |builtIn| of the same array. */
  private static final double RELATIVE_TOLERANCE = 1e-4;

  private ComputationGraph withHelpers;
  private ComputationGraph builtIn;
  private DataSet batch;

  @BeforeEach
  void buildTwins() throws Exception {
    assertThat(OneDnnHelpers.ensureEnabled()).isEqualTo(OneDnnHelpersTest.nativeLibraryHasOneDnn());
    withHelpers = OneDnnHelpersTest.tinyGraph();
    OneDnnHelpers.setEnabled(false);
    builtIn = OneDnnHelpersTest.tinyGraph();
    OneDnnHelpers.setEnabled(true);
    builtIn.setParams(withHelpers.params().dup());

    Random random = new Random(7);
    float[] pixels = new float[6 * 32 * 32];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextFloat();
    }
    INDArray features = Nd4j.create(pixels, new long[] {6, 1, 32, 32}, 'c');
    INDArray labels = Nd4j.zeros(DataType.FLOAT, 6, 2);
    for (int i = 0; i < 6; i++) {
      labels.putScalar(i, i % 2, 1f);
    }
    batch = new DataSet(features, labels);
  }

  @AfterEach
  void restoreDefault() {
    OneDnnHelpers.setEnabled(true);
  }

  @Test
  void twinsUseDifferentPathsAndHelpersNeverFallBack() throws Exception {
    withHelpers.fit(batch);
    withHelpers.outputSingle(false, batch.getFeatures());

    if (OneDnnHelpersTest.nativeLibraryHasOneDnn()) {
      assertThat(withHelpers.getLayer("conv").getHelper()).isInstanceOf(MKLDNNConvHelper.class);
    }
    for (String layer : new String[] {"conv", "bn", "pool", "conv2"}) {
      assertThat(builtIn.getLayer(layer).getHelper()).as(layer + " of the built-in twin").isNull();
      // DL4J counts helper failures in a protected field and then silently uses its built-in code
      assertThat(helperFailures(withHelpers.getLayer(layer)))
          .as(layer + " helper failures")
          .isZero();
    }
  }

  private static int helperFailures(Object layer) throws ReflectiveOperationException {
    for (Class<?> type = layer.getClass(); type != null; type = type.getSuperclass()) {
      try {
        Field field = type.getDeclaredField("helperCountFail");
        field.setAccessible(true);
        return field.getInt(layer);
      } catch (NoSuchFieldException e) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException("helperCountFail in " + layer.getClass());
  }

  @Test
  void inferenceOutputsMatch() {
    INDArray expected = builtIn.outputSingle(false, batch.getFeatures());
    INDArray actual = withHelpers.outputSingle(false, batch.getFeatures());

    assertClose("inference output", actual, expected);
  }

  @Test
  void trainingModeScoreAndGradientsMatch() throws Exception {
    builtIn.setInputs(batch.getFeatures());
    builtIn.setLabels(batch.getLabels());
    builtIn.computeGradientAndScore();
    withHelpers.setInputs(batch.getFeatures());
    withHelpers.setLabels(batch.getLabels());
    withHelpers.computeGradientAndScore();

    assertThat(withHelpers.score()).isCloseTo(builtIn.score(), within(1e-5));
    for (String variable : builtIn.gradient().gradientForVariable().keySet()) {
      assertClose(
          "gradient " + variable,
          withHelpers.gradient().getGradientFor(variable),
          builtIn.gradient().getGradientFor(variable));
    }
    if (OneDnnHelpersTest.nativeLibraryHasOneDnn()) {
      MKLDNNBatchNormHelper bn = (MKLDNNBatchNormHelper) withHelpers.getLayer("bn").getHelper();
      assertThat(bn.getMeanCache(DataType.FLOAT)).as("the BN helper really ran").isNotNull();
    }
  }

  @Test
  void parametersAfterAdamStepsMatchIncludingRunningStatistics() {
    for (int step = 0; step < 3; step++) {
      builtIn.fit(batch);
      withHelpers.fit(batch);
    }

    for (String name : builtIn.paramTable().keySet()) {
      assertClose("parameter " + name, withHelpers.getParam(name), builtIn.getParam(name));
    }
    assertThat(builtIn.getParam("bn_mean").maxNumber().doubleValue())
        .as("running mean was updated")
        .isNotZero();
  }

  private static void assertClose(String what, INDArray actual, INDArray expected) {
    assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
    double scale = expected.amaxNumber().doubleValue();
    double difference = actual.sub(expected).amaxNumber().doubleValue();
    assertThat(difference)
        .as(what + ": max |difference| relative to max |expected| " + scale)
        .isLessThanOrEqualTo(RELATIVE_TOLERANCE * Math.max(scale, 1e-6));
  }
}
