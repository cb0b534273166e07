package dev.cxr.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.io.CxrDataException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PatientSplitTest {
  /** 60 patients, some with 1-3 images; 1 in 4 patients positive. */
  static List<Sample> samples() {
    List<Sample> out = new ArrayList<>();
    for (int p = 0; p < 60; p++) {
      boolean pos = p % 4 == 0;
      for (int k = 0; k <= p % 3; k++) {
        out.add(
            new Sample(
                out.size(),
                Path.of("p" + p + "_" + k + ".png"),
                "P" + p,
                pos ? new float[] {0, 1} : new float[] {1, 0},
                pos));
      }
    }
    return out;
  }

  @Test
  void noPatientInBothPartsAndStratified() {
    PatientSplit s = PatientSplit.trainValidation(samples(), 0.2, 7);
    assertThat(s.sharedPatients()).isEmpty();
    assertThat(s.train().size() + s.validation().size()).isEqualTo(samples().size());
    long valPatients = s.validation().stream().map(Sample::patientId).distinct().count();
    long valPosPatients =
        s.validation().stream().filter(Sample::positive).map(Sample::patientId).distinct().count();
    assertThat(valPatients).isEqualTo(12); // 20% of 60
    assertThat(valPosPatients).isEqualTo(3); // 20% of the 15 positive patients
  }

  @Test
  void seededAndIndependentOfInputOrder() {
    List<Sample> a = samples();
    List<Sample> b = new ArrayList<>(a);
    Collections.reverse(b);
    Set<Path> va = paths(PatientSplit.trainValidation(a, 0.25, 3).validation());
    assertThat(paths(PatientSplit.trainValidation(b, 0.25, 3).validation())).isEqualTo(va);
    assertThat(paths(PatientSplit.trainValidation(a, 0.25, 4).validation())).isNotEqualTo(va);
  }

  @Test
  void kFoldsPartitionPatients() {
    List<PatientSplit> folds = PatientSplit.kFold(samples(), 5, 1);
    assertThat(folds).hasSize(5);
    Set<Path> seen = new HashSet<>();
    for (PatientSplit f : folds) {
      assertThat(f.sharedPatients()).isEmpty();
      assertThat(f.validation()).anyMatch(Sample::positive);
      for (Sample s : f.validation()) {
        assertThat(seen.add(s.path())).as("sample in two folds: %s", s.path()).isTrue();
      }
    }
    assertThat(seen).hasSize(samples().size());
  }

  @Test
  void splitThatEmptiesAClassIsRefused() {
    List<Sample> few = new ArrayList<>();
    few.add(new Sample(0, Path.of("a.png"), "A", new float[] {0, 1}, true));
    for (int i = 1; i < 10; i++) {
      few.add(new Sample(i, Path.of(i + ".png"), "N" + i, new float[] {1, 0}, false));
    }
    assertThatThrownBy(() -> PatientSplit.trainValidation(few, 0.2, 1))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("without positive images");
    assertThatThrownBy(() -> PatientSplit.trainValidation(few, 1.5, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("validationFraction")
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> PatientSplit.kFold(few, 1, 1))
        .hasMessageContaining("folds must be >= 2 but was 1");
  }

  private static Set<Path> paths(List<Sample> s) {
    Set<Path> out = new HashSet<>();
    s.forEach(x -> out.add(x.path()));
    return out;
  }
}
