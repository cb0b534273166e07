package dev.cxr.phantoms;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The findings a phantom can carry, with the NIH ChestX-ray14 label each one is written as.
 *
 * <p>Findings are combined into one NIH "Finding Labels" cell by {@link #labelOf(java.util.Set)}:
 * the labels in alphabetical order joined by {@code |}, or {@code No Finding} when the set is
 * empty, as in the official {@code Data_Entry_2017.csv}.
 */
enum Finding {
  /** Plate-like band of opacity in a lower lung zone (partial collapse). */
  ATELECTASIS("Atelectasis"),
  /** Enlarged cardiac silhouette (cardiothoracic ratio above one half). */
  CARDIOMEGALY("Cardiomegaly"),
  /** Pleural effusion: fluid density filling a costophrenic angle, with a meniscus. */
  EFFUSION("Effusion"),
  /** A small round opacity somewhere in a lung field. */
  NODULE("Nodule"),
  /**
   * Air in the pleural space: a thin visceral pleural line parallel to the chest wall, with a
   * lucent band and no lung markings beyond it; drawn in the multi-finding mode only.
   */
  PNEUMOTHORAX("Pneumothorax");

  /** The label written when an image carries no finding. */
  static final String NO_FINDING = "No Finding";

  /**
   * The findings drawn before the multi-finding mode existed: the only ones the Effusion cohorts
   * and {@link LabelsLike} draw, so that their files stay byte-identical (a {@code Pneumothorax} in
   * a real label file stays in the label only).
   */
  static final Set<Finding> LEGACY =
      Collections.unmodifiableSet(EnumSet.of(ATELECTASIS, CARDIOMEGALY, EFFUSION, NODULE));

  private final String label;

  Finding(String label) {
    this.label = label;
  }

  /** The NIH label of this finding, e.g. {@code Effusion}. */
  String label() {
    return label;
  }

  /**
   * The finding a user or a label cell names: its NIH label, ignoring case and surrounding spaces.
   * (cxr-core's {@code NihLabels} also ignores inner spaces, underscores and dashes, which none of
   * the single-word names the phantoms draw has.)
   *
   * @param name a finding name, e.g. {@code pneumothorax}
   * @return the finding, or empty when the phantoms cannot draw it
   */
  static Optional<Finding> ofName(String name) {
    for (Finding f : values()) {
      if (f.label.equalsIgnoreCase(name.trim())) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /**
   * The NIH "Finding Labels" cell for a set of findings.
   *
   * @param findings the findings of one image
   * @return the labels sorted alphabetically and joined by {@code |}, or {@code No Finding}
   */
  static String labelOf(Set<Finding> findings) {
    if (findings.isEmpty()) {
      return NO_FINDING;
    }
    return findings.stream().map(Finding::label).sorted().collect(Collectors.joining("|"));
  }
}
