package dev.cxr.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.resnet.BatchNormImplementation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code bench-model}'s --batch-norm, --step-fusion and --conv-forward ask for. */
class BenchVariantTest {

  @Test
  void defaultsAreOneNetworkOnCxrsPaths() {
    assertThat(BenchVariant.of("fused", "fused", "direct"))
        .containsExactly(new BenchVariant("", BatchNormImplementation.FUSED, true, true));
    assertThat(BenchVariant.of("fused", "fused", "dl4j"))
        .containsExactly(new BenchVariant("", BatchNormImplementation.FUSED, true, false));
  }

  @Test
  void convForwardCompareTimesDirectAgainstLibnd4jWithEverythingElseEqual() {
    List<BenchVariant> v = BenchVariant.of("fused", "fused", "compare");
    assertThat(v)
        .containsExactly(
            new BenchVariant("conv forward direct", BatchNormImplementation.FUSED, true, true),
            new BenchVariant("conv forward dl4j", BatchNormImplementation.FUSED, true, false));
    assertThat(BenchVariant.ratioLabel(v)).isEqualTo("direct/dl4j");
    List<BenchVariant> s = BenchVariant.of("fused", "compare", "direct");
    assertThat(s).extracting(BenchVariant::fused).containsExactly(true, false);
    assertThat(s).extracting(BenchVariant::directForward).containsExactly(true, true);
    assertThat(BenchVariant.ratioLabel(s)).isEqualTo("fused/dl4j");
  }

  @Test
  void twoComparesOrAnUnknownValueAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> BenchVariant.of("compare", "fused", "compare"))
        .hasMessageContaining("compare one thing at a time");
    assertThatThrownBy(() -> BenchVariant.of("fused", "fused", "winograd"))
        .hasMessage("--conv-forward must be direct, dl4j or compare but was 'winograd'");
    assertThatThrownBy(() -> BenchVariant.of("fused", "fast", "direct"))
        .hasMessage("--step-fusion must be fused, dl4j or compare but was 'fast'");
  }
}
