package dev.cxr.core.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.core.config.Selection;
import dev.cxr.core.data.Sampler;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/** Models saved before the sampler and selection options still read, as trained then. */
class OlderMetadataTest {
  @Test
  void metadataWithoutSamplerOrSelectionReadsAsTheOldBehaviour() throws Exception {
    ObjectNode tree = MetadataJson.mapper().valueToTree(ModelFileTest.sample());
    ObjectNode config = (ObjectNode) tree.get("config");
    assertThat(config.has("sampler")).isTrue();
    config.remove("sampler");
    config.remove("selectOn");
    assertThat(config.has("emaDecay")).isTrue();
    config.remove("emaDecay");
    ModelInfo back = MetadataJson.mapper().treeToValue(tree, ModelInfo.class);
    assertThat(back.config().sampler()).isEqualTo(Sampler.NATURAL);
    assertThat(back.config().selectOn()).isEqualTo(Selection.VALIDATION);
    assertThat(back.config().emaDecay()).as("trained without a weight average").isZero();
    assertThat(back.config().toBuilder().sampler(Sampler.NATURAL).build()).isEqualTo(back.config());
  }
}
