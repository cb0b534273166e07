package dev.cxr.resnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The DL4J DenseNet computes what torchvision's computes. The fixture {@code densenet/tiny.json},
 * written by {@code bench/densenet_reference.py}, holds a tiny torchvision {@code DenseNet} (growth
 * 4, blocks (2, 2), 8 initial features, bn size 2, 3 classes, 1-channel conv0) in eval mode with
 * random batch-norm statistics: its state dict, one 1x1x32x32 input, and the outputs. The test
 * copies every state-dict tensor into the graph by the vertex-name scheme of {@link DenseNets}
 * ({@code features.a.b.param} to vertex {@code a_b}, {@code classifier} to {@code output}) and
 * compares.
 *
 * <p>Layouts: a PyTorch conv weight {@code [out, in, kh, kw]} is DL4J's convolution {@code W} as it
 * is; a PyTorch linear weight {@code [out, in]} is the transpose of DL4J's dense {@code W} {@code
 * [in, out]}; batch norm weight, bias and running mean are DL4J's gamma, beta and mean; the running
 * variance {@code v} is stored by DL4J as {@code log10(std) = 0.5 * log10(v)} (DL4J's {@code
 * useLogStd}, on by default; eps is added at use, 1e-5 as in torch).
 *
 * <p>What is compared: the head here is softmax, and softmax hides a shift common to all logits. So
 * the test checks (1) the pooled features entering the head ({@code pool}: everything before the
 * classifier: convolutions, batch norms, concatenation order, pooling) to 1e-5, (2) the logits
 * computed from DL4J's pooled features with the imported head weights to 1e-4, which pins the
 * transpose of the dense weight and the bias, and (3) the network's softmax output to 1e-5. Both
 * sides run in float32.
 */
class DenseNetTorchEqualityTest {

  private static JsonNode fixture() throws IOException {
    try (InputStream in =
        DenseNetTorchEqualityTest.class.getResourceAsStream("/densenet/tiny.json")) {
      assertThat(in).as("densenet/tiny.json on the test class path").isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }

  private static INDArray array(JsonNode tensor) {
    JsonNode shapeNode = tensor.get("shape");
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong();
    }
    JsonNode values = tensor.get("values");
    float[] data = new float[values.size()];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) values.get(i).asDouble(); // the shortest decimal of a float32: exact
    }
    return shape.length == 0 ? Nd4j.scalar(data[0]) : Nd4j.create(data, shape, 'c');
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"FUSED", "DL4J"})
  void importedTorchvisionWeightsGiveTorchvisionOutputs(BatchNormImplementation batchNorm)
      throws IOException {
    JsonNode fixture = fixture();
    JsonNode c = fixture.get("config");
    assertThat(c.get("input_shape").toString()).isEqualTo("[1,1,32,32]");
    DenseNetConfig config =
        DenseNets.builder()
            .blocks(c.get("block_config").get(0).asInt(), c.get("block_config").get(1).asInt())
            .growthRate(c.get("growth_rate").asInt())
            .initFeatures(c.get("num_init_features").asInt())
            .bnSize(c.get("bn_size").asInt())
            .classes(c.get("num_classes").asInt())
            .inputShape(1, 32, 32)
            .batchNorm(batchNorm)
            .dataType(DataType.FLOAT)
            .config();
    ComputationGraph graph = DenseNets.graph(config);

    Set<String> filled = importStateDict(graph, fixture.get("state_dict"));

    // every parameter of the graph came from the state dict
    Set<String> all = new HashSet<>(graph.paramTable().keySet());
    assertThat(filled).isEqualTo(all);

    INDArray input = array(fixture.get("input"));
    Map<String, INDArray> activations = graph.feedForward(input, false);
    INDArray pooled = activations.get("pool");
    Layer head = graph.getLayer("output");
    INDArray logits =
        pooled
            .mmul(head.getParam(DefaultParamInitializer.WEIGHT_KEY))
            .addRowVector(head.getParam(DefaultParamInitializer.BIAS_KEY));
    INDArray probabilities = activations.get("output");

    double featureDiff = maxAbsDiff(pooled, array(fixture.get("features")));
    double logitDiff = maxAbsDiff(logits, array(fixture.get("logits")));
    double probabilityDiff = maxAbsDiff(probabilities, array(fixture.get("softmax")));
    System.out.printf(
        "DenseNet vs torchvision (%s): max |diff| pooled features %.3g, logits %.3g, softmax %.3g%n",
        batchNorm, featureDiff, logitDiff, probabilityDiff);
    assertThat(featureDiff).as("pooled features").isLessThanOrEqualTo(1e-5);
    assertThat(logitDiff).as("logits").isLessThanOrEqualTo(1e-4);
    assertThat(probabilityDiff).as("softmax").isLessThanOrEqualTo(1e-5);
  }

  /**
   * Copies each state-dict tensor into the parameter of the vertex named by {@link DenseNets}'s
   * scheme; returns the graph's parameter-table keys ({@code vertex_key}) it filled.
   */
  private static Set<String> importStateDict(ComputationGraph graph, JsonNode stateDict) {
    Set<String> filled = new HashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = stateDict.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      INDArray value = array(e.getValue());
      int dot = key.lastIndexOf('.');
      String module = key.substring(0, dot);
      String param = key.substring(dot + 1);
      String vertex =
          module.equals("classifier")
              ? "output"
              : module.substring("features.".length()).replace('.', '_');
      String dl4jKey;
      if (vertex.equals("output")) {
        dl4jKey =
            param.equals("weight")
                ? DefaultParamInitializer.WEIGHT_KEY
                : DefaultParamInitializer.BIAS_KEY;
        if (param.equals("weight")) {
          value = value.transpose(); // torch [out, in], DL4J [in, out]
        }
      } else if (vertex.contains("conv")) {
        assertThat(param).as(key).isEqualTo("weight"); // bias-free convolutions
        dl4jKey = ConvolutionParamInitializer.WEIGHT_KEY; // both [out, in, kh, kw]
      } else {
        switch (param) {
          case "weight" -> dl4jKey = BatchNormalizationParamInitializer.GAMMA;
          case "bias" -> dl4jKey = BatchNormalizationParamInitializer.BETA;
          case "running_mean" -> dl4jKey = BatchNormalizationParamInitializer.GLOBAL_MEAN;
          case "running_var" -> {
            dl4jKey = BatchNormalizationParamInitializer.GLOBAL_LOG_STD;
            value = Transforms.log(value, 10.0, true).muli(0.5);
          }
          default -> throw new AssertionError("unexpected state-dict key " + key);
        }
      }
      INDArray target = graph.getLayer(vertex).getParam(dl4jKey);
      assertThat(target).as("%s -> %s %s", key, vertex, dl4jKey).isNotNull();
      assertThat(target.length()).as("%s -> %s %s", key, vertex, dl4jKey).isEqualTo(value.length());
      if (target.rank() == value.rank()) {
        assertThat(target.shape()).as(key).isEqualTo(value.shape());
      }
      target.assign(value.reshape('c', target.shape()));
      filled.add(vertex + "_" + dl4jKey);
    }
    return filled;
  }

  private static double maxAbsDiff(INDArray a, INDArray b) {
    assertThat(a.shape()).isEqualTo(b.shape());
    return Transforms.abs(a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)), false)
        .maxNumber()
        .doubleValue();
  }
}
