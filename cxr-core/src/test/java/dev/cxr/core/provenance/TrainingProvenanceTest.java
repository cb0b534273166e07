package dev.cxr.core.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/** The fold and the training images a model records: round trip, old files, hostile values. */
class TrainingProvenanceTest {
  private static List<Path> images(int from, int to) {
    return IntStream.range(from, to)
        .mapToObj(i -> Path.of("data/images/" + String.format("%08d_000.png", i)))
        .toList();
  }

  @Test
  void foldAndTrainingImagesRoundTripInTheMetadata() throws Exception {
    TrainingImages trained = TrainingImages.of(images(0, 10_000)); // three JSON strings
    ModelInfo info = ModelFileTest.sample().withFold(new Fold(2, 5, 7)).withTrainingImages(trained);
    byte[] json = MetadataJson.mapper().writeValueAsBytes(info);
    assertThat(JsonLimits.problem(json)).isNull();
    ModelInfo back = MetadataJson.mapper().readValue(json, ModelInfo.class);
    assertThat(back).isEqualTo(info);
    assertThat(back.fold()).isEqualTo(new Fold(2, 5, 7));
    assertThat(back.trainingImages().size()).isEqualTo(10_000);
    assertThat(trained.toJson()).hasSize(3);
    // only the name counts: the same images elsewhere on disk are still training images
    assertThat(back.trainingImages().overlap(images(9_990, 10_010))).isEqualTo(10);
    assertThat(back.trainingImages().contains(Path.of("/other/place/00000005_000.png"))).isTrue();
    assertThat(trained.overlapWarning(images(9_990, 10_010), "evaluation"))
        .contains("warning: 10 of 20 evaluation images were used to train this model");
    assertThat(trained.overlapWarning(images(20_000, 20_005), "evaluation")).isEmpty();
  }

  @Test
  void metadataWrittenBeforeTheFieldsStillLoads() throws Exception {
    ObjectNode tree = (ObjectNode) MetadataJson.mapper().valueToTree(ModelFileTest.sample());
    tree.remove("fold");
    tree.remove("trainingImages");
    ModelInfo old = MetadataJson.mapper().treeToValue(tree, ModelInfo.class);
    assertThat(old).isEqualTo(ModelFileTest.sample());
    assertThat(old.fold()).isNull();
    assertThat(old.trainingImages()).isNull();
  }

  @Test
  void hostileValuesAreRefused() throws Exception {
    ObjectNode tree = (ObjectNode) MetadataJson.mapper().valueToTree(ModelFileTest.sample());
    tree.putArray("trainingImages").add("AAAAAAA="); // 5 bytes: not whole hashes
    assertThatThrownBy(() -> MetadataJson.mapper().treeToValue(tree, ModelInfo.class))
        .hasMessageContaining("trainingImages: 5 bytes is not a whole number of 8-byte hashes");
    tree.putArray("trainingImages").add("AAAAAAAAAAIAAAAAAAAAAQ=="); // 2 then 1: not ascending
    assertThatThrownBy(() -> MetadataJson.mapper().treeToValue(tree, ModelInfo.class))
        .hasMessageContaining("hashes not strictly ascending");
    tree.remove("trainingImages");
    tree.putObject("fold").put("index", 3).put("count", 2).put("seed", 1);
    assertThatThrownBy(() -> MetadataJson.mapper().treeToValue(tree, ModelInfo.class))
        .hasMessageContaining("fold must be 1..2 of at least 2 folds but was 3 of 2");
  }
}
