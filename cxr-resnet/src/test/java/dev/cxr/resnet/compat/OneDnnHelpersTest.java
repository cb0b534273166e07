package dev.cxr.resnet.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Tests of {@link OneDnnHelpers}: the helpers really get attached to layers, and can be switched
 * off.
 */
class OneDnnHelpersTest {

  @AfterEach
  void restoreDefault() {
    OneDnnHelpers.setEnabled(true);
  }

  @Test
  void layersGetOneDnnHelpersAfterEnsureEnabled() throws Exception {
    boolean enabled = OneDnnHelpers.ensureEnabled();

    ComputationGraph graph = tinyGraph();
    if (nativeLibraryHasOneDnn()) {
      assertThat(enabled).isTrue();
      assertThat(OneDnnHelpers.isActive()).isTrue();
      assertThat(OneDnnHelpers.describe()).isEqualTo("oneDNN layer helpers: on");
      assertThat(BaseMKLDNNHelper.mklDnnEnabled()).isTrue();
      assertThat(graph.getLayer("conv").getHelper()).isInstanceOf(MKLDNNConvHelper.class);
      assertThat(graph.getLayer("bn").getHelper()).isInstanceOf(MKLDNNBatchNormHelper.class);
      assertThat(graph.getLayer("pool").getHelper()).isInstanceOf(MKLDNNSubsamplingHelper.class);
    } else {
      assertThat(enabled).isFalse();
      assertThat(OneDnnHelpers.describe()).startsWith("oneDNN layer helpers: unavailable (");
      assertThat(graph.getLayer("conv").getHelper()).isNull();
    }
  }

  @Test
  void ensureEnabledIsIdempotent() {
    boolean first = OneDnnHelpers.ensureEnabled();
    String description = OneDnnHelpers.describe();

    assertThat(OneDnnHelpers.ensureEnabled()).isEqualTo(first);
    assertThat(OneDnnHelpers.describe()).isEqualTo(description);
  }

  @Test
  void switchedOffHelpersLeaveNewLayersOnTheBuiltInPath() {
    OneDnnHelpers.ensureEnabled();

    OneDnnHelpers.setEnabled(false);
    ComputationGraph builtIn = tinyGraph();

    assertThat(OneDnnHelpers.isActive()).isFalse();
    assertThat(OneDnnHelpers.ensureEnabled())
        .as("ensureEnabled() must respect setEnabled(false)")
        .isFalse();
    assertThat(OneDnnHelpers.describe())
        .contains("off (switched off by OneDnnHelpers.setEnabled(false))");
    assertThat(System.getProperty(OneDnnHelpers.DL4J_DISABLE_PROPERTY)).isEqualTo("true");
    assertThat(builtIn.getLayer("conv").getHelper()).isNull();
    assertThat(builtIn.getLayer("bn").getHelper()).isNull();
    assertThat(builtIn.getLayer("pool").getHelper()).isNull();
  }

  @Test
  void bridgeDefinesTheLegacyEnvironmentClassDl4jLooksFor() throws Exception {
    LegacyEnvironmentBridge bridge = new LegacyEnvironmentBridge(getClass().getClassLoader());

    Class<?> legacy = Class.forName(LegacyEnvironmentBridge.LEGACY_ENVIRONMENT_CLASS, true, bridge);
    Object instance = legacy.getMethod("getInstance").invoke(null);
    Method isUseMkldnn = legacy.getMethod("isUseMKLDNN");

    assertThat(legacy.getName()).isEqualTo("org.nd4j.nativeblas.Nd4jCpu$Environment");
    assertThat(legacy.getClassLoader()).isSameAs(bridge);
    assertThat(Modifier.isPublic(legacy.getModifiers())).isTrue();
    assertThat(instance).isInstanceOf(legacy);
    assertThat(isUseMkldnn.invoke(instance)).isEqualTo(environmentSaysUseOneDnn());
    assertThat(Class.forName(ComputationGraph.class.getName(), false, bridge))
        .as("all other classes come from the parent")
        .isSameAs(ComputationGraph.class);
  }

  /**
   * Asks ND4J directly, independently of the class under test: a CPU build with oneDNN that may use
   * it.
   */
  static boolean nativeLibraryHasOneDnn() throws Exception {
    return Nd4j.getBackend().buildInfo().contains("HAVE_ONEDNN") && environmentSaysUseOneDnn();
  }

  /**
   * ND4J's run-time switch {@code Nd4jCpu.Environment.isUseONEDNN()} (true by default, even without
   * oneDNN).
   */
  static boolean environmentSaysUseOneDnn() throws Exception {
    Class<?> environment =
        Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
    Object instance = environment.getMethod("getInstance").invoke(null);
    return (Boolean) environment.getMethod("isUseONEDNN").invoke(instance);
  }

  /**
   * conv(8, 3x3, no bias: a bias before batch norm has a zero gradient) - batch norm - relu - max
   * pool - conv(8, 3x3, stride 2) - global average - softmax(2), 32x32 grey images, float.
   */
  static ComputationGraph tinyGraph() {
    ComputationGraphConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(42)
            .dataType(DataType.FLOAT)
            .weightInit(WeightInit.RELU)
            .updater(new Adam(1e-3))
            .graphBuilder()
            .addInputs("in")
            .setInputTypes(InputType.convolutional(32, 32, 1))
            .addLayer(
                "conv",
                new ConvolutionLayer.Builder(3, 3)
                    .nOut(8)
                    .padding(1, 1)
                    .hasBias(false)
                    .activation(Activation.IDENTITY)
                    .build(),
                "in")
            .addLayer(
                "bn", new BatchNormalization.Builder().activation(Activation.RELU).build(), "conv")
            .addLayer(
                "pool",
                new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(),
                "bn")
            .addLayer(
                "conv2",
                new ConvolutionLayer.Builder(3, 3)
                    .nOut(8)
                    .stride(2, 2)
                    .activation(Activation.RELU)
                    .build(),
                "pool")
            .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv2")
            .addLayer(
                "out",
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                    .nOut(2)
                    .activation(Activation.SOFTMAX)
                    .build(),
                "gap")
            .setOutputs("out")
            .build();
    ComputationGraph graph = new ComputationGraph(conf);
    graph.init();
    return graph;
  }
}
