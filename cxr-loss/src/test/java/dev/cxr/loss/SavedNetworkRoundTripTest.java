package dev.cxr.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * A saved network that uses each loss loads back with an equal loss (JSON round trip), and value
 * semantics.
 */
class SavedNetworkRoundTripTest {

  @TempDir Path tmp;

  static Stream<Arguments> losses() {
    return Stream.of(
        Arguments.of(new WeightedCrossEntropy(1, 5), Activation.SOFTMAX),
        Arguments.of(new WeightedCrossEntropy(), Activation.SOFTMAX),
        Arguments.of(WeightedCrossEntropy.sigmoid(7.5, 0.25), Activation.SIGMOID),
        Arguments.of(CostMatrixCrossEntropy.diagonal(2, 1, 5), Activation.SOFTMAX),
        Arguments.of(
            new CostMatrixCrossEntropy(new double[][] {{1, 1}, {10, 10}}), Activation.SOFTMAX),
        Arguments.of(new FocalLoss(), Activation.SOFTMAX),
        Arguments.of(new FocalLoss(0.5, 0.25, 0.75), Activation.SOFTMAX),
        Arguments.of(FocalLoss.sigmoid(2, 0.25, 0.5), Activation.SIGMOID));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void savedNetworkLoadsWithEqualLoss(ILossFunction loss, Activation outAct) throws Exception {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(7)
            .dataType(DataType.DOUBLE)
            .updater(new Sgd(0.1))
            .list()
            .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
            .layer(new OutputLayer.Builder(loss).nIn(4).nOut(2).activation(outAct).build())
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    Random rnd = new Random(3);
    INDArray x = LossFixtures.logits(rnd, 5, 3);
    INDArray y =
        outAct == Activation.SOFTMAX
            ? LossFixtures.oneHot(rnd, 5, 2)
            : LossFixtures.binary(rnd, 5, 2);
    DataSet ds = new DataSet(x, y);
    net.fit(ds); // one step: the loss is used, and the trained state must survive the round trip

    File file = tmp.resolve("net.zip").toFile();
    ModelSerializer.writeModel(net, file, true);
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);

    ILossFunction restoredLoss =
        ((OutputLayer) restored.getLayerWiseConfigurations().getConf(1).getLayer()).getLossFn();
    assertThat(restoredLoss).isNotSameAs(loss).isEqualTo(loss).hasSameHashCodeAs(loss);
    assertThat(restoredLoss.toString()).isEqualTo(loss.toString());
    assertThat(restored.getLayerWiseConfigurations().toJson())
        .contains("\"@class\" : \"" + loss.getClass().getName() + "\"")
        .isEqualTo(net.getLayerWiseConfigurations().toJson());
    assertThat(restored.score(ds)).isEqualTo(net.score(ds));
    assertThat(MultiLayerConfiguration.fromJson(conf.toJson())).isEqualTo(conf);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void javaSerializationRoundTrip(ILossFunction loss, Activation ignored) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(loss);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(loss);
    }
  }

  @Test
  void jsonNamesTheConfiguration() throws Exception {
    ObjectMapper mapper = JsonMappers.getMapper();
    String json =
        mapper.writerFor(ILossFunction.class).writeValueAsString(new WeightedCrossEntropy(1, 5));
    assertThat(json)
        .contains("\"@class\" : \"dev.cxr.loss.WeightedCrossEntropy\"")
        .contains("\"form\" : \"SOFTMAX\"")
        .contains("\"weights\" : [ 1.0, 5.0 ]");
    assertThat(mapper.readValue(json, ILossFunction.class))
        .isEqualTo(new WeightedCrossEntropy(1, 5));
  }

  @Test
  void loadingInvalidJsonFailsWithTheConstructorsMessage() {
    String json =
        "{\"@class\" : \"dev.cxr.loss.FocalLoss\", \"form\" : \"SOFTMAX\", \"gamma\" : -1.0}";
    assertThatThrownBy(() -> JsonMappers.getMapper().readValue(json, ILossFunction.class))
        .hasMessageContaining("gamma must be finite and >= 0 but was -1.0");
  }

  @Test
  void equalityFollowsConfiguration() {
    assertThat(new WeightedCrossEntropy(1, 5))
        .isEqualTo(WeightedCrossEntropy.softmax(1, 5))
        .isNotEqualTo(new WeightedCrossEntropy(1, 4))
        .isNotEqualTo(WeightedCrossEntropy.sigmoid(1, 5))
        .isNotEqualTo(new WeightedCrossEntropy());
    assertThat(CostMatrixCrossEntropy.diagonal(2, 1, 5))
        .isEqualTo(new CostMatrixCrossEntropy(new double[][] {{1, 5}, {5, 1}}))
        .isNotEqualTo(new CostMatrixCrossEntropy(new double[][] {{1, 5}, {10, 1}}));
    assertThat(new FocalLoss(2, 0.25, 0.75))
        .isEqualTo(FocalLoss.softmax(2, 0.25, 0.75))
        .isNotEqualTo(new FocalLoss(1, 0.25, 0.75))
        .isNotEqualTo(FocalLoss.sigmoid(2, 0.25, 0.75));
    assertThat(new FocalLoss()).isEqualTo(new FocalLoss(FocalLoss.DEFAULT_GAMMA));
  }

  @Test
  void toStringAndNameShowTheConfiguration() {
    assertThat(new WeightedCrossEntropy(1, 5).toString())
        .isEqualTo("WeightedCrossEntropy(form=SOFTMAX, weights=[1.0, 5.0])");
    assertThat(CostMatrixCrossEntropy.diagonal(2, 1, 5).name())
        .isEqualTo("CostMatrixCrossEntropy(costMatrix=[[1.0, 5.0], [5.0, 1.0]])");
    assertThat(FocalLoss.sigmoid(2, 0.25).toString())
        .isEqualTo("FocalLoss(form=SIGMOID, gamma=2.0, alpha=[0.25])");
  }

  @Test
  void isImmutable() {
    double[] w = {1, 5};
    WeightedCrossEntropy loss = new WeightedCrossEntropy(w);
    w[1] = 100;
    loss.weights()[0] = 100;
    assertThat(loss.weights()).containsExactly(1, 5);

    double[][] m = {{1, 5}, {5, 1}};
    CostMatrixCrossEntropy cm = new CostMatrixCrossEntropy(m);
    m[1][0] = 100;
    cm.costMatrix()[0][1] = 100;
    assertThat(cm.costMatrix()).isEqualTo(new double[][] {{1, 5}, {5, 1}});
    assertThat(cm.numClasses()).isEqualTo(2);

    double[] a = {0.25, 0.75};
    FocalLoss focal = new FocalLoss(2, a);
    a[0] = 9;
    focal.alpha()[1] = 9;
    assertThat(focal.alpha()).containsExactly(0.25, 0.75);
    assertThat(focal.gamma()).isEqualTo(2.0);
    assertThat(focal.form()).isEqualTo(LossForm.SOFTMAX);
  }
}
