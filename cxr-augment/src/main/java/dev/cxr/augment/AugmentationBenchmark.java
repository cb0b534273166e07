package dev.cxr.augment;

import static com.google.common.base.Preconditions.checkArgument;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Objects;

/**
 * Measures single-thread augmentation throughput on a synthetic radiograph-like image, as the
 * {@code cxr bench-augment} command reports it. Each measured call is {@link
 * CxrAugmentation#apply(float[], int, int, long, long)} with a new sample index, so every image
 * draws new parameters exactly as in training.
 */
public final class AugmentationBenchmark {
  private AugmentationBenchmark() {}

  /**
   * The outcome of one measurement.
   *
   * @param images images augmented in the measured interval
   * @param seconds length of the measured interval
   * @param imagesPerSecond {@code images / seconds}, wall-clock
   * @param cpuImagesPerSecond images per second of this thread's CPU time, which excludes time the
   *     thread waited for a core on a busy machine; NaN where the JVM cannot measure it
   * @param checksum a value derived from the outputs (keeps the work observable)
   */
  public record Result(
      long images,
      double seconds,
      double imagesPerSecond,
      double cpuImagesPerSecond,
      double checksum) {}

  /**
   * Warms up for {@code warmupSeconds}, then augments images of {@code size x size} on the calling
   * thread for {@code seconds}.
   *
   * @param augmentation the configuration to measure
   * @param size image width and height, at least 8
   * @param warmupSeconds warm-up time, at least 0
   * @param seconds measured time, more than 0
   * @return the measurement
   */
  public static Result run(
      CxrAugmentation augmentation, int size, double warmupSeconds, double seconds) {
    Objects.requireNonNull(augmentation, "augmentation");
    checkArgument(size >= 8 && size <= 8192, "size must be in [8, 8192] but was %s", size);
    checkArgument(
        warmupSeconds >= 0 && warmupSeconds <= 600,
        "warmupSeconds must be in [0, 600] but was %s",
        warmupSeconds);
    checkArgument(seconds > 0 && seconds <= 600, "seconds must be in (0, 600] but was %s", seconds);
    float[] input = syntheticRadiograph(size).data();
    double checksum = 0;
    long index = 0;
    long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
    while (System.nanoTime() < end) {
      for (int i = 0; i < 16; i++) {
        float[] out = augmentation.apply(input, size, size, 0, index++);
        checksum += out[(int) (index % out.length)];
      }
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    boolean cpu = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
    long cpuStart = cpu ? threads.getCurrentThreadCpuTime() : 0;
    long images = 0;
    long start = System.nanoTime();
    long stop = start + (long) (seconds * 1e9);
    long now;
    do {
      for (int i = 0; i < 16; i++) {
        float[] out = augmentation.apply(input, size, size, 1, index++);
        checksum += out[(int) (index % out.length)];
      }
      images += 16;
      now = System.nanoTime();
    } while (now < stop);
    double elapsed = (now - start) / 1e9;
    double cpuRate =
        cpu ? images / ((threads.getCurrentThreadCpuTime() - cpuStart) / 1e9) : Double.NaN;
    return new Result(images, elapsed, images / elapsed, cpuRate, checksum);
  }

  /**
   * A deterministic image that looks roughly like a frontal chest film at {@code size x size}: a
   * bright body with two darker lung fields, a bright mediastinum and a horizontal gradient, in [0,
   * 1]. Used by the benchmark and handy for demonstrations.
   *
   * @param size width and height, at least 1
   * @return the image
   */
  public static GrayImage syntheticRadiograph(int size) {
    checkArgument(size >= 1, "size must be at least 1 but was %s", size);
    float[] p = new float[size * size];
    double s = size;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double u = x / s - 0.5;
        double v = y / s - 0.5;
        double body = (u * u) / 0.16 + (v * v) / 0.22 < 1 ? 0.75 : 0.05;
        double lungL = sq((u + 0.2) / 0.14) + sq((v + 0.02) / 0.3) < 1 ? -0.45 : 0;
        double lungR = sq((u - 0.2) / 0.14) + sq((v + 0.02) / 0.3) < 1 ? -0.45 : 0;
        double ribs = 0.04 * Math.sin(v * 60);
        p[y * size + x] = (float) Math.min(1, Math.max(0, body + lungL + lungR + ribs + 0.1 * u));
      }
    }
    return GrayImage.wrap(size, size, p);
  }

  private static double sq(double x) {
    return x * x;
  }
}
