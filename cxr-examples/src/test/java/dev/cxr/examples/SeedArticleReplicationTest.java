package dev.cxr.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.config.Architecture;
import dev.cxr.core.config.LossSpec;
import dev.cxr.core.config.Optimizer;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.config.Schedule;
import dev.cxr.core.config.Selection;
import dev.cxr.core.data.Sampler;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The replication's configuration is the article's, field by field, whatever the library's defaults
 * become; and its banner says what differs. No training.
 */
class SeedArticleReplicationTest {
  /** The settings the article fixed, written out here, not read from the example or the library. */
  private static final Map<String, Object> ARTICLE = new LinkedHashMap<>();

  static {
    ARTICLE.put("architecture", Architecture.RESNET);
    ARTICLE.put("depth", 18);
    ARTICLE.put("preActivation", true);
    ARTICLE.put("width", 64);
    ARTICLE.put("imageSize", 256);
    ARTICLE.put("epochs", 10);
    ARTICLE.put("patience", 0); // no early stopping
    ARTICLE.put("optimizer", Optimizer.SGD);
    ARTICLE.put("learningRate", 0.01);
    ARTICLE.put("momentum", 0.9);
    ARTICLE.put("schedule", Schedule.STEP);
    ARTICLE.put("loss", LossSpec.costMatrix(1, 5, 5, 1));
    ARTICLE.put("emaDecay", 0.0); // no weight averaging
    ARTICLE.put("sampler", Sampler.NATURAL);
    ARTICLE.put("selectOn", Selection.VALIDATION); // checkpoint on the validation AUC
    ARTICLE.put("positive", "Effusion");
    ARTICLE.put("othersAsNegative", false);
    ARTICLE.put("findings", List.of());
    ARTICLE.put("standardise", false); // per-image min-max
    ARTICLE.put("dropout", 0.0);
    ARTICLE.put("l2", 0.0);
    ARTICLE.put("pretrained", null); // trained from random weights
    // "augmentation" is checked on its own: it carries the run's seed
  }

  /** Fields the article did not fix (or that do not change what is trained). */
  private static final Set<String> NOT_FROM_THE_ARTICLE =
      Set.of(
          "batchSize",
          "validationFraction",
          "seed",
          "checkpointDir",
          "workers",
          "skipBad",
          "labels");

  @Test
  void configurationIsTheArticlesFieldByField() throws Exception {
    PipelineConfig c = SeedArticleReplication.articleSettings();
    for (RecordComponent f : PipelineConfig.class.getRecordComponents()) {
      String name = f.getName();
      Object value = f.getAccessor().invoke(c);
      if (ARTICLE.containsKey(name)) {
        assertThat(value).as(name).isEqualTo(ARTICLE.get(name));
      } else if (name.equals("augmentation")) {
        CxrAugmentation rotation = CxrAugmentation.builder().rotation(10).probability(0.5).build();
        assertThat(value).as(name).isEqualTo(rotation.withSeed(c.seed()));
        assertThat(CxrAugmentation.seedArticle()).isEqualTo(rotation);
      } else {
        assertThat(NOT_FROM_THE_ARTICLE)
            .as("new PipelineConfig field %s: did the article fix it? add it to one list", name)
            .contains(name);
      }
    }
    Set<String> fields =
        Arrays.stream(PipelineConfig.class.getRecordComponents())
            .map(RecordComponent::getName)
            .collect(Collectors.toSet());
    assertThat(fields).containsAll(ARTICLE.keySet()).containsAll(NOT_FROM_THE_ARTICLE);
  }

  @Test
  void bannerListsTheArticlesSettingsAndWhatCannotBeMatched() {
    List<String> banner = SeedArticleReplication.banner(SeedArticleReplication.articleSettings());
    assertThat(banner)
        .contains(
            "  as in the article:",
            "    network            ResNet-18 pre-activation, width 64",
            "    image size         256 px",
            "    epochs             10",
            "    early stopping     off",
            "    optimizer          SGD, momentum 0.9",
            "    learning rate      0.01 (step)",
            "    loss               cost-matrix cross-entropy [[1.0, 5.0], [5.0, 1.0]]",
            "    weight averaging   none",
            "    sampler            natural",
            "    epoch chosen on    validation",
            "  not as in the article:",
            "    batch size         16, cxr's (not taken from the article)")
        .noneMatch(l -> l.contains("changed from the article"));
    assertThat(String.join("\n", banner))
        .contains("validated on its own split of ~96 images; here a fraction 0.2 of the patients")
        .contains("Keras's initialisation; here cxr-resnet's");
  }

  @Test
  void bannerNamesEverySettingChangedFromTheArticle() {
    PipelineConfig small =
        SeedArticleReplication.articleSettings().toBuilder().imageSize(32).ema(0.9).build();
    List<String> banner = SeedArticleReplication.banner(small);
    assertThat(banner)
        .contains(
            "  changed from the article on the command line:",
            "    image size         32 px (the article: 256 px)",
            "    weight averaging   exponential moving average, decay 0.9 (the article: none)")
        .doesNotContain("    image size         256 px");
  }
}
