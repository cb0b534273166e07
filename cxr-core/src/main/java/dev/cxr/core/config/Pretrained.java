package dev.cxr.core.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a fine-tuned network's starting weights came from, and how they are trained: the file, its
 * SHA-256 (checked again when the weights are read, so a run and its record cannot disagree), what
 * kind of file it is, and the fine-tuning schedule.
 *
 * @param file the weight file (a PyTorch or safetensors file, or a cxr model file)
 * @param sha256 lower-case hex SHA-256 of the file's bytes
 * @param source what made the file (and so the input scaling its stem expects)
 * @param freezeEpochs epochs at the start in which only the new head trains (backbone learning rate
 *     0); 0 trains everything from the first epoch
 * @param backboneLrScale the backbone's learning rate as a fraction of the head's, in (0, 1]
 */
public record Pretrained(
    Path file, String sha256, Source source, int freezeEpochs, double backboneLrScale) {

  /** Largest {@link #freezeEpochs()}. */
  public static final int MAX_FREEZE_EPOCHS = Limits.MAX_EPOCHS;

  /** What made a weight file. */
  public enum Source {
    /**
     * A torchvision ImageNet classifier ({@code resnet18} ... {@code densenet201}): three colour
     * channels with ImageNet's mean and standard deviation.
     */
    TORCHVISION,
    /**
     * A torchxrayvision model: one channel scaled to [-1024, 1024], 18 pathology outputs of which
     * those with NIH names are kept.
     */
    TORCHXRAYVISION,
    /** A cxr model file: its network and input as saved. */
    CXR;

    /**
     * The lower-case name used on the command line and in files.
     *
     * @return e.g. {@code "torchvision"}
     */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Checks the fields. */
  public Pretrained {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(source, "source");
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits: " + sha256);
    }
    Limits.inRange("freezeEpochs", freezeEpochs, 0, MAX_FREEZE_EPOCHS);
    if (!(backboneLrScale > 0 && backboneLrScale <= 1)) {
      throw new IllegalArgumentException(
          "backboneLrScale must be in (0, 1] but was " + backboneLrScale);
    }
  }

  /**
   * The same source with another schedule.
   *
   * @param freezeEpochs epochs with the backbone frozen
   * @param backboneLrScale the backbone's learning-rate fraction
   * @return a new record
   */
  public Pretrained withSchedule(int freezeEpochs, double backboneLrScale) {
    return new Pretrained(file, sha256, source, freezeEpochs, backboneLrScale);
  }

  /**
   * The backbone's learning rate in an epoch.
   *
   * @param epoch 0-based epoch
   * @param lr the head's learning rate in that epoch
   * @return 0 while frozen, else {@code lr * backboneLrScale}
   */
  public double backboneLearningRate(int epoch, double lr) {
    return epoch < freezeEpochs ? 0.0 : lr * backboneLrScale;
  }

  /**
   * One line for the banner.
   *
   * @return e.g. {@code "resnet18.pt (torchvision, sha256 1a2b3c4d...), backbone frozen for 2
   *     epochs, then at 0.1 x the learning rate"}
   */
  public String describe() {
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    StringBuilder s =
        new StringBuilder(name)
            .append(" (")
            .append(source.id())
            .append(", sha256 ")
            .append(sha256, 0, 12)
            .append("...)");
    if (freezeEpochs > 0) {
      s.append(", backbone frozen for ").append(freezeEpochs).append(" epoch(s)");
    }
    if (backboneLrScale < 1) {
      s.append(freezeEpochs > 0 ? ", then" : ",")
          .append(" backbone at ")
          .append(backboneLrScale)
          .append(" x the learning rate");
    }
    return s.toString();
  }
}
