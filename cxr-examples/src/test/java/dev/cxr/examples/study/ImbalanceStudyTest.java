package dev.cxr.examples.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.config.LossSpec;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.data.Sampler;
import dev.cxr.core.training.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImbalanceStudyTest {
  @TempDir Path dir;

  @Test
  void theArmsDifferInTheirLossOrSamplerOnly() {
    ImbalanceStudy study = new ImbalanceStudy(ImbalanceStudy.Settings.DEFAULTS);
    List<PipelineConfig> configs =
        study.arms().stream().map(a -> a.setup().apply(study.base()).build()).toList();
    assertThat(configs).hasSize(5);
    assertThat(configs.get(0).loss()).isEqualTo(LossSpec.CROSS_ENTROPY);
    assertThat(configs.get(1).loss()).isEqualTo(LossSpec.classWeights(1, 10));
    assertThat(configs.get(2).loss()).isEqualTo(LossSpec.costMatrix(1, 5, 5, 1));
    assertThat(configs.get(3).loss()).isEqualTo(LossSpec.focal(2));
    assertThat(configs.get(4).sampler()).isEqualTo(Sampler.BALANCED);
    assertThat(configs.get(4).loss()).isEqualTo(LossSpec.CROSS_ENTROPY);
    for (PipelineConfig c : configs) {
      assertThat(c.toBuilder().loss(LossSpec.CROSS_ENTROPY).sampler(Sampler.NATURAL).build())
          .isEqualTo(configs.get(0));
    }
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> new ImbalanceStudy.Settings(20, 10, 64, 6, 5, 8, 0.8, 1, 2))
        .hasMessageContaining("images must be at least 110");
    assertThatThrownBy(() -> new ImbalanceStudy.Settings(330, 10, 64, 6, 5, 8, 1.5, 1, 2))
        .hasMessageContaining("difficulty must be in [0, 1] but was 1.5");
  }

  @Test
  void aTinyStudyRunsEveryArmOnPhantomsAtThePrevalence() throws Exception {
    ImbalanceStudy.Settings s = new ImbalanceStudy.Settings(32, 3, 32, 1, 2, 2, 0.5, 1, 2);
    ImbalanceStudy study = new ImbalanceStudy(s);
    Path data = study.phantoms(dir);
    CxrTask.Labeled labeled = CxrTask.EFFUSION.label(CxrDataset.scan(data));
    assertThat(labeled.samples().stream().filter(x -> x.positive()).count()).isEqualTo(8);
    List<ImbalanceStudy.Row> seen = new ArrayList<>();
    List<ImbalanceStudy.Row> rows = study.run(dir, new TrainingListener() {}, seen::add);
    assertThat(rows).hasSize(5).isEqualTo(seen);
    for (ImbalanceStudy.Row r : rows) {
      assertThat(r.auc()).hasSize(2).allSatisfy(a -> assertThat(a).isBetween(0.0, 1.0));
      assertThat(r.averagePrecision())
          .hasSize(2)
          .allSatisfy(a -> assertThat(a).isBetween(0.0, 1.0));
      assertThat(r.sensitivity()).hasSize(2);
    }
    String table = ImbalanceStudy.table(rows);
    assertThat(table.lines()).hasSize(7);
    assertThat(table).contains("| class weights 1:3 |").contains("| balanced sampler (CE) |");
  }
}
