package dev.cxr.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How {@link CxrServer} serves a model: one object instead of positional overloads, built with
 * {@link #of(Path)} and with-style setters that check their argument at once.
 *
 * <pre>{@code
 * ServeConfig c = ServeConfig.of(Path.of("effusion.zip")).port(8080).queue(64);
 * }</pre>
 *
 * @param model the model file, loaded once when the server starts
 * @param host the address to listen on; loopback unless told otherwise
 * @param port the TCP port; 0 picks a free one ({@link CxrServer#port()} says which)
 * @param maxUploadBytes the largest accepted request body; a larger declared length is refused with
 *     413 before any of the body is read, a longer chunked body as soon as it passes the limit
 * @param queue images decoded and waiting for the network, at most; when full, requests get 503
 *     with {@code Retry-After}. Bodies being received are bounded too, by bytes: at most {@code
 *     queue * maxUploadBytes} at once
 * @param maxBatch images scored in one forward pass, at most (1 turns batching off)
 * @param readTimeout the longest a request body may take to arrive, from the request's start; a
 *     slower client gets 408 and its connection is closed
 * @param shutdownTimeout on stop (SIGTERM), how long requests already received may take to finish
 */
public record ServeConfig(
    Path model,
    String host,
    int port,
    long maxUploadBytes,
    int queue,
    int maxBatch,
    Duration readTimeout,
    Duration shutdownTimeout) {

  /** Default {@link #maxUploadBytes()}: 64 MiB, over any single radiograph's PNG or DICOM. */
  public static final long DEFAULT_MAX_UPLOAD = 64L << 20;

  /** {@link #DEFAULT_MAX_UPLOAD} as {@link #parseSize} reads it (the command line's default). */
  public static final String DEFAULT_MAX_UPLOAD_TEXT = "64MiB";

  /** Largest {@link #maxUploadBytes()}: 1 GiB (bodies are held in memory while decoded). */
  public static final long MAX_UPLOAD_LIMIT = 1L << 30;

  /** Default {@link #queue()}. */
  public static final int DEFAULT_QUEUE = 16;

  /** Default {@link #maxBatch()}: the batch the scorer uses everywhere else. */
  public static final int DEFAULT_MAX_BATCH = 32;

  /** Default {@link #readTimeout()}, in seconds. */
  public static final int DEFAULT_READ_TIMEOUT_SECONDS = 30;

  /** Default {@link #shutdownTimeout()}, in seconds. */
  public static final int DEFAULT_SHUTDOWN_SECONDS = 30;

  private static final Pattern SIZE =
      Pattern.compile("(\\d{1,12})\\s*(|B|KB|KiB|K|MB|MiB|M|GB|GiB|G)", Pattern.CASE_INSENSITIVE);

  /** Checks every field. */
  public ServeConfig {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535] but was " + port);
    }
    if (maxUploadBytes < 1 || maxUploadBytes > MAX_UPLOAD_LIMIT) {
      throw new IllegalArgumentException(
          "max upload must be in [1 B, 1 GiB] but was " + maxUploadBytes + " bytes");
    }
    if (queue < 1 || queue > 4096) {
      throw new IllegalArgumentException("queue must be in [1, 4096] but was " + queue);
    }
    if (maxBatch < 1 || maxBatch > 256) {
      throw new IllegalArgumentException("max batch must be in [1, 256] but was " + maxBatch);
    }
    checkPositive("read timeout", readTimeout);
    checkPositive("shutdown timeout", shutdownTimeout);
  }

  private static void checkPositive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive but was " + d);
    }
  }

  /**
   * Serves {@code model} on 127.0.0.1:8080 with the defaults above.
   *
   * @param model the model file
   * @return the configuration
   */
  public static ServeConfig of(Path model) {
    return new ServeConfig(
        model,
        "127.0.0.1",
        8080,
        DEFAULT_MAX_UPLOAD,
        DEFAULT_QUEUE,
        DEFAULT_MAX_BATCH,
        Duration.ofSeconds(DEFAULT_READ_TIMEOUT_SECONDS),
        Duration.ofSeconds(DEFAULT_SHUTDOWN_SECONDS));
  }

  /**
   * @param h the address to listen on (e.g. {@code 0.0.0.0} for every interface)
   * @return this configuration with it
   */
  public ServeConfig host(String h) {
    return new ServeConfig(
        model, h, port, maxUploadBytes, queue, maxBatch, readTimeout, shutdownTimeout);
  }

  /**
   * @param p the port, 0 for a free one
   * @return this configuration with it
   */
  public ServeConfig port(int p) {
    return new ServeConfig(
        model, host, p, maxUploadBytes, queue, maxBatch, readTimeout, shutdownTimeout);
  }

  /**
   * @param bytes the largest accepted request body
   * @return this configuration with it
   */
  public ServeConfig maxUploadBytes(long bytes) {
    return new ServeConfig(model, host, port, bytes, queue, maxBatch, readTimeout, shutdownTimeout);
  }

  /**
   * @param n images waiting for the network, at most
   * @return this configuration with it
   */
  public ServeConfig queue(int n) {
    return new ServeConfig(
        model, host, port, maxUploadBytes, n, maxBatch, readTimeout, shutdownTimeout);
  }

  /**
   * @param n images per forward pass, at most
   * @return this configuration with it
   */
  public ServeConfig maxBatch(int n) {
    return new ServeConfig(
        model, host, port, maxUploadBytes, queue, n, readTimeout, shutdownTimeout);
  }

  /**
   * @param d the longest a request body may take to arrive
   * @return this configuration with it
   */
  public ServeConfig readTimeout(Duration d) {
    return new ServeConfig(model, host, port, maxUploadBytes, queue, maxBatch, d, shutdownTimeout);
  }

  /**
   * @param d how long requests in progress may take to finish on stop
   * @return this configuration with it
   */
  public ServeConfig shutdownTimeout(Duration d) {
    return new ServeConfig(model, host, port, maxUploadBytes, queue, maxBatch, readTimeout, d);
  }

  /**
   * @return the bytes of request bodies held at once, at most
   */
  public long uploadBudgetBytes() {
    return queue * maxUploadBytes;
  }

  /**
   * Reads a size such as {@code 64MiB}, {@code 512KB}, {@code 1G} or {@code 1000} (bytes). K, M and
   * G are powers of 1024 whether written KB or KiB, as the size of a buffer is.
   *
   * @param text the size
   * @return bytes
   * @throws IllegalArgumentException naming the text when it is not a size
   */
  public static long parseSize(String text) {
    Matcher m = SIZE.matcher(Objects.requireNonNull(text, "size").trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size: write e.g. 64MiB, 512KiB, 1GiB or a number of bytes");
    }
    long n = Long.parseLong(m.group(1));
    int shift =
        switch (m.group(2).toUpperCase(Locale.ROOT)) {
          case "K", "KB", "KIB" -> 10;
          case "M", "MB", "MIB" -> 20;
          case "G", "GB", "GIB" -> 30;
          default -> 0;
        };
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("'" + text + "' is too large a size");
    }
    return n << shift;
  }

  /**
   * Writes a byte count as {@link #parseSize} reads it: {@code 64 MiB}, {@code 1000 bytes}.
   *
   * @param bytes a size
   * @return the text
   */
  public static String formatSize(long bytes) {
    for (String[] unit : new String[][] {{"30", "GiB"}, {"20", "MiB"}, {"10", "KiB"}}) {
      int shift = Integer.parseInt(unit[0]);
      if (bytes >= (1L << shift) && bytes % (1L << shift) == 0) {
        return (bytes >> shift) + " " + unit[1];
      }
    }
    return bytes + " bytes";
  }
}
