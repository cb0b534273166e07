package dev.cxr.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.config.Architecture;
import dev.cxr.core.config.Pretrained;
import dev.cxr.core.data.NihLabels;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.pretrained.PretrainedWeights;
import dev.cxr.core.provenance.FindingSummary;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * {@code cxr import} against PyTorch on the fixtures bench/pytorch_pretrained.py wrote with {@code
 * --tiny}: a torchvision ResNet-18 of width 4 (safetensors) and a torchxrayvision-style whole
 * pickled DenseNet-121 of growth 2 (zip), random weights and batch-norm statistics, and the logits
 * PyTorch computed on two 64 px images.
 */
class ModelImportTest {
  static final Path FIXTURES = fixtures();
  static JsonNode expected;
  static INDArray input;

  @TempDir Path dir;

  static Path fixtures() {
    try {
      return Path.of(ModelImportTest.class.getResource("/pretrained/expected.json").toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void read() throws IOException {
    expected = new ObjectMapper().readTree(FIXTURES.resolve("expected.json").toFile());
    input = input(FIXTURES);
  }

  static INDArray input(Path fixtures) throws IOException {
    int n = expected.get("images").asInt();
    int size = expected.get("size").asInt();
    float[] in = new float[n * size * size];
    ByteBuffer.wrap(Files.readAllBytes(fixtures.resolve("inputs.f32")))
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(in);
    return Nd4j.create(in, new long[] {n, 1, size, size}, 'c');
  }

  /** The head's pre-activations: pooled features times the head's weights plus its bias. */
  static INDArray logits(ComputationGraph net, INDArray x) {
    INDArray pool = net.feedForward(x, false).get("pool");
    return pool.mmul(net.getLayer("output").getParam("W"))
        .addRowVector(net.getLayer("output").getParam("b"));
  }

  /** Largest |difference| between cxr's logits and PyTorch's for the kept outputs. */
  static double maxLogitDifference(CxrModel model, String entry) {
    JsonNode e = expected.get("files").get(entry);
    List<String> outputs = new ArrayList<>();
    e.get("findings").forEach(f -> outputs.add(f.asText()));
    INDArray out = logits(model.network(), input);
    List<String> kept = model.info().config().task().findings();
    double max = 0;
    for (int i = 0; i < out.rows(); i++) {
      for (int j = 0; j < kept.size(); j++) {
        double ref = e.get("logits").get(i).get(outputs.indexOf(kept.get(j))).asDouble();
        max = Math.max(max, Math.abs(out.getDouble(i, j) - ref));
      }
    }
    return max;
  }

  @Test
  void aTorchvisionResNetGivesPyTorchsLogits() throws IOException {
    Path file = FIXTURES.resolve("resnet18.safetensors");
    CxrModel model =
        ModelImport.importModel(new ModelImport.Request(file, null, NihLabels.FINDINGS, 64));

    assertThat(maxLogitDifference(model, "resnet18")).isLessThan(1e-4);
    Pretrained p = model.info().config().pretrained();
    assertThat(p.source()).isEqualTo(Pretrained.Source.TORCHVISION);
    assertThat(p.sha256()).isEqualTo(PretrainedWeights.sha256(file));
    assertThat(p.file().getFileName().toString()).isEqualTo("resnet18.safetensors");
    assertThat(model.info().config().depth()).isEqualTo(18);
    assertThat(model.info().config().width()).isEqualTo(4);
    assertThat(model.labelNames()).isEqualTo(NihLabels.FINDINGS);

    // the saved file predicts as the imported network does, through cxr's own image reading
    Path saved = dir.resolve("resnet18.zip");
    model.save(saved);
    List<Map<String, Double>> probs =
        CxrModel.load(saved).predict(List.of(FIXTURES.resolve("images/img00.png")));
    double ref = expected.get("files").get("resnet18").get("logits").get(0).get(2).asDouble();
    assertThat(probs.get(0).get("Effusion")).isCloseTo(1 / (1 + Math.exp(-ref)), within(1e-4));
  }

  @Test
  void aTorchxrayvisionWholeModelKeepsItsNihPathologiesAndThresholds() {
    Path file = FIXTURES.resolve("txrv-densenet121.pt");
    CxrModel model = ModelImport.importModel(ModelImport.Request.of(file).withSize(64));

    assertThat(model.info().config().pretrained().source())
        .isEqualTo(Pretrained.Source.TORCHXRAYVISION);
    assertThat(model.info().config().architecture()).isEqualTo(Architecture.DENSENET);
    // the 14 NIH findings of its 18 outputs, in the file's order; Lung Lesion etc. dropped
    assertThat(model.labelNames()).hasSize(14).doesNotContain("Lung_Lesion", "Fracture");
    assertThat(model.labelNames().get(0)).isEqualTo("Atelectasis");
    assertThat(model.labelNames().get(1)).isEqualTo("Consolidation");
    assertThat(maxLogitDifference(model, "txrv")).isLessThan(1e-4);
    JsonNode op = expected.get("files").get("txrv").get("op_threshs");
    List<FindingSummary> findings = model.info().validation().findings();
    assertThat(findings.get(7).finding()).isEqualTo("Effusion");
    assertThat(findings.get(7).threshold()).isCloseTo(op.get(7).asDouble(), within(1e-7));
  }

  @Test
  void outputsMustBeNamedForATorchvisionFile() {
    Path file = FIXTURES.resolve("resnet18.safetensors");
    assertThatThrownBy(() -> ModelImport.importModel(ModelImport.Request.of(file)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not name its 14 outputs");
    assertThatThrownBy(
            () ->
                ModelImport.importModel(
                    new ModelImport.Request(file, null, List.of("Effusion", "Mass"), 64)))
        .hasMessageContaining("2 names for the file's 14 outputs");
  }

  @Test
  void aFileOfAnotherKindIsRefusedNamingIt() throws IOException {
    Path notWeights = dir.resolve("notes.pt");
    Files.writeString(notWeights, "these are not weights");
    assertThatThrownBy(() -> ModelImport.importModel(ModelImport.Request.of(notWeights)))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("notes.pt");
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }
}
