package dev.cxr.core.explain;

import dev.cxr.core.image.ImageInfo;
import dev.cxr.core.image.ImageSource;
import dev.cxr.core.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Why a model gave an image its score: the positive-class probability and the Grad-CAM heat map of
 * the positive class at the network's input size.
 *
 * @param source the image explained: a file, or bytes held in memory
 * @param label name of the positive class
 * @param probability positive-class probability (temperature-scaled when the model is calibrated)
 * @param threshold the model's operating threshold, NaN when it has none
 * @param heatMap Grad-CAM of the positive class, upsampled to the input size (square)
 * @param coarse the same map at the resolution Grad-CAM computes it, that of the last stage (e.g.
 *     4x4 for a 128 px input): each cell covers a block of {@code inputSize / width} pixels
 */
public record Explanation(
    ImageSource source,
    String label,
    double probability,
    double threshold,
    HeatMap heatMap,
    HeatMap coarse) {

  /** Checks for nulls. */
  public Explanation {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(heatMap, "heatMap");
    Objects.requireNonNull(coarse, "coarse");
  }

  /**
   * The explanation of an image file.
   *
   * @param image the image file explained
   * @param label name of the positive class
   * @param probability positive-class probability
   * @param threshold the model's operating threshold, NaN when it has none
   * @param heatMap Grad-CAM of the positive class at the input size
   * @param coarse the same map at the resolution Grad-CAM computes it
   */
  public Explanation(
      Path image,
      String label,
      double probability,
      double threshold,
      HeatMap heatMap,
      HeatMap coarse) {
    this(ImageSource.file(image), label, probability, threshold, heatMap, coarse);
  }

  /**
   * @return the image file explained, or the name of the image in memory
   */
  public Path image() {
    return source.name();
  }

  /**
   * The caption of the overlay.
   *
   * @return e.g. {@code Effusion 0.83 (threshold 0.41)}
   */
  public String caption() {
    return Double.isNaN(threshold)
        ? String.format(Locale.ROOT, "%s %.2f (no threshold)", label, probability)
        : String.format(Locale.ROOT, "%s %.2f (threshold %.2f)", label, probability, threshold);
  }

  /**
   * Whether the operating threshold calls the image positive.
   *
   * @return probability at or above the threshold (0.5 when the model has none)
   */
  public boolean positive() {
    return positive(probability, threshold);
  }

  /**
   * Whether an operating threshold calls a probability positive: the one rule of {@code explain}
   * and {@code cxr serve}.
   *
   * @param probability a finding's probability
   * @param threshold its operating threshold, NaN when the model has none
   * @return probability at or above the threshold (0.5 when there is none)
   */
  public static boolean positive(double probability, double threshold) {
    return probability >= (Double.isNaN(threshold) ? 0.5 : threshold);
  }

  /**
   * The heat map at the image's own size (the network saw the image squeezed to a square; this
   * undoes that).
   *
   * @return the map, bilinearly resized
   * @throws dev.cxr.core.io.CxrDataException when the image can no longer be read
   */
  public HeatMap heatMapAtOriginalSize() {
    ImageInfo info = ImageInfo.of(source);
    return heatMap.resized(info.width(), info.height());
  }

  /**
   * Renders the overlay: the radiograph in grey, the heat map in viridis with transparency rising
   * with the value, a colour bar and the {@link #caption()}.
   *
   * @param maxSide longest side of the radiograph in the picture (at least 16): the image is shrunk
   *     or enlarged to it, its aspect kept
   * @return the picture
   */
  public BufferedImage renderOverlay(int maxSide) {
    return Overlay.render(this, maxSide);
  }

  /**
   * Renders the overlay with rectangles drawn over the radiograph (e.g. radiologists' boxes and the
   * boxes the map makes, see {@code cxr localize}).
   *
   * @param maxSide see {@link #renderOverlay(int)}
   * @param outlines rectangles in the pixels of the image file
   * @return the picture
   */
  public BufferedImage renderOverlay(int maxSide, java.util.List<Outline> outlines) {
    return Overlay.render(this, maxSide, java.util.List.copyOf(outlines));
  }

  /**
   * Writes the overlay as a PNG, atomically.
   *
   * @param png the file
   * @param maxSide see {@link #renderOverlay(int)}
   * @throws IOException when the file cannot be written
   */
  public void writeOverlay(Path png, int maxSide) throws IOException {
    writeOverlay(png, maxSide, java.util.List.of());
  }

  /**
   * Writes the overlay with rectangles as a PNG, atomically.
   *
   * @param png the file
   * @param maxSide see {@link #renderOverlay(int)}
   * @param outlines rectangles in the pixels of the image file
   * @throws IOException when the file cannot be written
   */
  public void writeOverlay(Path png, int maxSide, java.util.List<Outline> outlines)
      throws IOException {
    BufferedImage img = renderOverlay(maxSide, outlines);
    AtomicFiles.write(
        png,
        tmp -> {
          if (!ImageIO.write(img, "png", tmp.toFile())) {
            throw new IOException("no PNG writer available to write " + png);
          }
        });
  }
}
