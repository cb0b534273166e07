package dev.cxr.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.config.Pretrained;
import dev.cxr.core.training.NetworkFactory;
import dev.cxr.core.training.TrainingListener;
import dev.cxr.phantoms.DemoData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning from pretrained weights: the torchvision ResNet-18 fixture (width 4) of {@link
 * ModelImportTest}, and a cxr model file, on a small phantom set.
 */
class FineTuningTest {
  @TempDir static Path shared;
  static Path data;
  static final Path RESNET = ModelImportTest.FIXTURES.resolve("resnet18.safetensors");
  static ComputationGraph source;

  @BeforeAll
  static void setUp() throws IOException {
    data = shared.resolve("data");
    DemoData.builder().images(48).otherFindings(16).seed(5).size(64).build().writeTo(data);
    source =
        ModelImport.importModel(
                new ModelImport.Request(RESNET, null, dev.cxr.core.data.NihLabels.FINDINGS, 32))
            .network();
  }

  static CxrPipeline.Builder quick() {
    return CxrPipeline.builder()
        .imageSize(32)
        .batchSize(8)
        .epochs(1)
        .augmentation(CxrAugmentation.none())
        .ema(0)
        .patience(0)
        .workers(2)
        .listener(new TrainingListener() {});
  }

  /** The convolution weights of a network, by layer name. */
  static List<String> convolutionsDifferingFrom(ComputationGraph a, ComputationGraph b) {
    List<String> differ = new ArrayList<>();
    for (Layer l : a.getLayers()) {
      if (l.conf().getLayer() instanceof ConvolutionLayer) {
        String name = l.conf().getLayer().getLayerName();
        if (!l.getParam("W").equals(b.getLayer(name).getParam("W"))) {
          differ.add(name);
        }
      }
    }
    return differ;
  }

  @Test
  void aFrozenEpochTrainsTheNewHeadOnly() {
    CxrModel model = quick().pretrained(RESNET).freezeEpochs(1).fit(data);

    PipelineConfig c = model.info().config();
    assertThat(c.pretrained().source()).isEqualTo(Pretrained.Source.TORCHVISION);
    assertThat(c.pretrained().freezeEpochs()).isEqualTo(1);
    assertThat(c.describe().get("pretrained"))
        .contains("resnet18.safetensors", "torchvision", "frozen for 1 epoch");
    assertThat(c.width()).isEqualTo(4); // the file's network, not the default width
    // the backbone is the file's, to the bit; the head is new (2 outputs) and trained
    assertThat(convolutionsDifferingFrom(model.network(), source)).isEmpty();
    assertThat(model.network().getLayer("output").getParam("W").shape()).containsExactly(32, 2);
    ComputationGraph fresh = NetworkFactory.initialised(c, c.task(), c.loss().toLossFunction());
    assertThat(model.network().getLayer("output").getParam("W"))
        .isNotEqualTo(fresh.getLayer("output").getParam("W"));
    assertThat(model.network().getConfiguration().getVertices()).containsKey("input_channels");
  }

  @Test
  void aCxrModelFileStartsAMultiLabelRunWithItsBackboneAndItsInputScaling() throws IOException {
    Path first = shared.resolve("first.zip");
    quick().pretrained(RESNET).fit(data).save(first);
    CxrModel first0 = CxrModel.load(first);

    CxrModel second =
        quick().pretrained(first).findings("Effusion", "Cardiomegaly").freezeEpochs(1).fit(data);

    assertThat(second.info().config().pretrained().source()).isEqualTo(Pretrained.Source.CXR);
    assertThat(convolutionsDifferingFrom(second.network(), first0.network())).isEmpty();
    assertThat(second.labelNames()).containsExactly("Effusion", "Cardiomegaly");
    assertThat(second.network().getConfiguration().getVertices()).containsKey("input_channels");
  }

  @Test
  void theBackboneLearnsAtItsScaledRateAfterTheFrozenEpochs() {
    PipelineConfig c =
        quick().pretrained(RESNET).freezeEpochs(2).backboneLrScale(0.1).build().config();
    ComputationGraph net = NetworkFactory.initialised(c, c.task(), c.loss().toLossFunction());

    NetworkFactory.setLearningRate(net, c, 1, 1e-3);
    assertThat(net.getLearningRate("s1_b1_conv1")).isEqualTo(0.0);
    assertThat(net.getLearningRate("output")).isEqualTo(1e-3);
    NetworkFactory.setLearningRate(net, c, 2, 1e-3);
    assertThat(net.getLearningRate("s1_b1_conv1"))
        .isCloseTo(1e-4, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void settingsThatContradictTheFileAreRefused() {
    assertThatThrownBy(() -> quick().resnet(34).pretrained(RESNET))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pretrained(...) conflicts with resnet(...)");
    assertThatThrownBy(() -> quick().freezeEpochs(1).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("call pretrained(...) too");
  }
}
