package dev.cxr.core.data;

import dev.cxr.core.image.Normalisation;
import dev.cxr.core.image.PixelCache;
import dev.cxr.core.image.ResizedImage;
import dev.cxr.core.io.CxrDataException;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns a list of sample indices into one {@link DataSet}: loads each image through the pixel
 * cache, min-max normalises it, augments it, applies the normalisation and copies its target.
 *
 * <p>Stateless apart from the shared cache and report (both thread-safe), so several worker threads
 * may assemble batches at once.
 */
final class BatchAssembler {
  private final List<Sample> samples;
  private final int width;
  private final int height;
  private final int nOut;
  private final PixelCache cache;
  private final ImageAugmenter augmenter;
  private final Normalisation normalisation;
  private final boolean skipBad;
  private final DataReport report;

  /**
   * Creates an assembler over one data set.
   *
   * @param samples the data set, indexed by the batches' indices
   * @param size image width and height in pixels (images are resized to squares)
   * @param nOut length of each target vector
   * @param cache where decoded, resized pixels are kept
   * @param report where skipped images are recorded
   * @param augmenter augmentation, or null for none
   * @param normalisation normalisation applied after min-max and augmentation
   * @param skipBad whether unreadable images are skipped (and reported) rather than fatal
   */
  BatchAssembler(
      List<Sample> samples,
      int size,
      int nOut,
      PixelCache cache,
      DataReport report,
      ImageAugmenter augmenter,
      Normalisation normalisation,
      boolean skipBad) {
    this.samples = samples;
    this.width = size;
    this.height = size;
    this.nOut = nOut;
    this.cache = cache;
    this.report = report;
    this.augmenter = augmenter;
    this.normalisation = normalisation;
    this.skipBad = skipBad;
  }

  /**
   * Assembles one batch.
   *
   * @param idx indices into the samples, in batch order
   * @param e the epoch, handed to the augmenter so each epoch sees other augmentations
   * @return features {@code [k, 1, height, width]} and labels {@code [k, nOut]}, where {@code k} is
   *     the number of readable images
   * @throws CxrDataException if an image is unreadable and skipBad is off, or if no image of the
   *     batch is readable
   */
  DataSet assemble(int[] idx, int e) {
    int px = width * height;
    float[] features = new float[idx.length * px];
    float[] labels = new float[idx.length * nOut];
    int k = 0;
    for (int i : idx) {
      Sample s = samples.get(i);
      ResizedImage img;
      try {
        img = cache.get(s.path(), width, height);
      } catch (CxrDataException ex) {
        if (!skipBad) {
          throw ex;
        }
        report.add("unreadable image", ex.getMessage());
        continue;
      }
      int off = k * px;
      img.minMaxNormalised(features, off);
      if (augmenter != null) {
        float[] one = Arrays.copyOfRange(features, off, off + px);
        float[] aug = augmenter.apply(one, width, height, e, s.id());
        if (aug.length != px) {
          throw new IllegalStateException(
              "augmenter returned " + aug.length + " pixels, expected " + px);
        }
        System.arraycopy(aug, 0, features, off, px);
      }
      normalisation.applyInPlace(features, off, px);
      System.arraycopy(s.target(), 0, labels, k * nOut, nOut);
      k++;
    }
    if (k == 0) {
      throw new CxrDataException(null, "every image of a batch was unreadable");
    }
    // Skipped images leave room at the end; trim it so the batch has exactly k examples.
    if (k < idx.length) {
      features = Arrays.copyOf(features, k * px);
      labels = Arrays.copyOf(labels, k * nOut);
    }
    INDArray f = Nd4j.create(features, new long[] {k, 1, height, width}, DataType.FLOAT);
    INDArray l = Nd4j.create(labels, new long[] {k, nOut}, DataType.FLOAT);
    return new DataSet(f, l);
  }
}
