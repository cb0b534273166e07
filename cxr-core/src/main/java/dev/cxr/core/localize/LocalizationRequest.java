package dev.cxr.core.localize;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Localizer} measures: which images, against which boxes, and how a map becomes boxes.
 *
 * @param data the data directories (either layout)
 * @param boxes the box file ({@code BBox_List_2017.csv}), or null for the one in the first data
 *     directory
 * @param labels labels CSV, or null for the model's
 * @param findings the findings to measure (canonical or as the user typed them), empty for every
 *     finding the model predicts that has boxes
 * @param validationSplitOnly only the validation part of the model's own training run (a
 *     cross-validation fold model's held-out fold): the patients it did not train on
 * @param mapThreshold a map's boxes are its regions at or above this fraction of its maximum
 * @param seed seed of the random-map baseline
 * @param overlays overlays written per finding by the command line (0 for none)
 */
public record LocalizationRequest(
    List<Path> data,
    Path boxes,
    Path labels,
    List<String> findings,
    boolean validationSplitOnly,
    double mapThreshold,
    long seed,
    int overlays) {

  /** T(IoBB) thresholds of the table (Wang et al. 2017 report 0.1 to 0.7). */
  public static final List<Double> IOBB_THRESHOLDS = List.of(0.1, 0.25, 0.5, 0.75);

  /** Default seed of the random-map baseline. */
  public static final long DEFAULT_SEED = 42;

  /** Checks the fields. */
  public LocalizationRequest {
    data = List.copyOf(Objects.requireNonNull(data, "data"));
    if (data.isEmpty()) {
      throw new IllegalArgumentException("data must name at least one directory");
    }
    findings = List.copyOf(Objects.requireNonNull(findings, "findings"));
    if (!(mapThreshold > 0 && mapThreshold < 1)) {
      throw new IllegalArgumentException("mapThreshold must be in (0, 1) but was " + mapThreshold);
    }
    if (overlays < 0) {
      throw new IllegalArgumentException("overlays must be >= 0 but was " + overlays);
    }
  }

  /**
   * Every image with boxes in the given directories, all findings, the boxes of the first
   * directory, {@link MapBoxes#DEFAULT_THRESHOLD}, seed {@value #DEFAULT_SEED}, no overlays.
   *
   * @param dirs data directories
   * @return the request
   */
  public static LocalizationRequest of(Path... dirs) {
    List<Path> d = new ArrayList<>(List.of(dirs));
    return new LocalizationRequest(
        d, null, null, List.of(), false, MapBoxes.DEFAULT_THRESHOLD, DEFAULT_SEED, 0);
  }

  /**
   * @param file the box file, or null for the data's
   * @return this request with it
   */
  public LocalizationRequest boxes(Path file) {
    return new LocalizationRequest(
        data, file, labels, findings, validationSplitOnly, mapThreshold, seed, overlays);
  }

  /**
   * @param file labels CSV, or null for the model's
   * @return this request with it
   */
  public LocalizationRequest labels(Path file) {
    return new LocalizationRequest(
        data, boxes, file, findings, validationSplitOnly, mapThreshold, seed, overlays);
  }

  /**
   * @param names findings to measure, empty for all
   * @return this request with them
   */
  public LocalizationRequest findings(List<String> names) {
    return new LocalizationRequest(
        data, boxes, labels, names, validationSplitOnly, mapThreshold, seed, overlays);
  }

  /**
   * @param only only the patients the model did not train on
   * @return this request with it
   */
  public LocalizationRequest validationSplitOnly(boolean only) {
    return new LocalizationRequest(
        data, boxes, labels, findings, only, mapThreshold, seed, overlays);
  }

  /**
   * @param threshold fraction of a map's maximum, in (0, 1)
   * @return this request with it
   */
  public LocalizationRequest mapThreshold(double threshold) {
    return new LocalizationRequest(
        data, boxes, labels, findings, validationSplitOnly, threshold, seed, overlays);
  }

  /**
   * @param s seed of the random maps
   * @return this request with it
   */
  public LocalizationRequest seed(long s) {
    return new LocalizationRequest(
        data, boxes, labels, findings, validationSplitOnly, mapThreshold, s, overlays);
  }

  /**
   * @param n overlays per finding
   * @return this request with it
   */
  public LocalizationRequest overlays(int n) {
    return new LocalizationRequest(
        data, boxes, labels, findings, validationSplitOnly, mapThreshold, seed, n);
  }

  /**
   * The box file to read.
   *
   * @return {@link #boxes()}, or {@code BBox_List_2017.csv} in the first data directory
   */
  public Path boxFile() {
    return boxes != null ? boxes : data.get(0).resolve(BoundingBoxes.DEFAULT_FILE);
  }
}
