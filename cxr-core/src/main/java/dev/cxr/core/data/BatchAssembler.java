package dev.cxr.core.data;

import dev.cxr.core.cache.PixelCache;
import dev.cxr.core.image.Normalisation;
import dev.cxr.core.image.ResizedImage;
import dev.cxr.core.io.CxrDataException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns a list of sample indices into one {@link DataSet}: loads each image through the pixel
 * cache, min-max normalises it, augments it, applies the normalisation and copies its target.
 *
 * <p>Stateless apart from the shared cache and report and the set of images found unreadable (all
 * thread-safe), so several worker threads may assemble batches at once. With skipBad an unreadable
 * image is reported once and skipped in every epoch; a batch left without images is dropped.
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
  private final Set<Path> bad = ConcurrentHashMap.newKeySet();

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
   *     the number of readable images; null when skipBad is on and no image of the batch is
   *     readable (the batch is dropped and reported)
   * @throws CxrDataException naming the image, if an image is unreadable (running out of memory
   *     while decoding it included) and skipBad is off
   */
  DataSet assemble(int[] idx, int e) {
    int px = width * height;
    float[] features = new float[idx.length * px];
    float[] labels = new float[idx.length * nOut];
    int k = 0;
    for (int i : idx) {
      Sample s = samples.get(i);
      ResizedImage img = load(s.path());
      if (img == null) {
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
      report.add(
          "dropped batch",
          "a batch of "
              + idx.length
              + " image(s) in epoch "
              + e
              + " was dropped: none of its images is readable");
      return null;
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

  /**
   * One image through the cache; with skipBad, null for an unreadable one, reported the first time
   * and not decoded again in later epochs.
   */
  private ResizedImage load(Path file) {
    if (skipBad && bad.contains(file)) {
      return null;
    }
    PreDecoder.Loaded loaded = PreDecoder.load(file, cache, width);
    if (loaded.error() == null) {
      return loaded.image();
    }
    CxrDataException ex = loaded.error();
    if (!skipBad) {
      throw ex;
    }
    if (bad.add(file)) {
      report.add(DataReport.UNREADABLE_IMAGE, ex);
    }
    return null;
  }
}
