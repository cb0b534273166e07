package dev.cxr.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.IntSupplier;

/**
 * What {@code GET /metrics} shows, in Prometheus' text format, through the Prometheus Java client:
 * requests by endpoint and status, errors by kind, request latency and forward-pass batch sizes as
 * histograms, and the queue depth. A registry of its own, so two servers in one JVM (tests) do not
 * share counts.
 */
final class ServeMetrics {
  /** Latency buckets in seconds: a 64 px image scores in milliseconds, Grad-CAM in a second. */
  private static final double[] LATENCY_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests =
      Counter.builder()
          .name("cxr_requests")
          .help("HTTP requests answered, by endpoint and status")
          .labelNames("endpoint", "status")
          .register(registry);
  private final Counter errors =
      Counter.builder()
          .name("cxr_errors")
          .help(
              "requests answered with an error, by kind (bad_image, too_large, queue_full,"
                  + " timeout, ...), and connections closed because their headers were too slow"
                  + " (header_timeout)")
          .labelNames("kind")
          .register(registry);
  private final Histogram latency =
      Histogram.builder()
          .name("cxr_request_duration_seconds")
          .help("time from a request's start to its answer, by endpoint")
          .labelNames("endpoint")
          .classicOnly()
          .classicUpperBounds(LATENCY_BUCKETS)
          .register(registry);
  private final Histogram batches =
      Histogram.builder()
          .name("cxr_batch_size")
          .help("images scored per forward pass")
          .classicOnly()
          .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256)
          .register(registry);

  /**
   * @param queueDepth reads the number of images waiting for the model
   */
  ServeMetrics(IntSupplier queueDepth) {
    GaugeWithCallback.builder()
        .name("cxr_queue_depth")
        .help("images waiting for the model")
        .callback(cb -> cb.call(queueDepth.getAsInt()))
        .register(registry);
  }

  void request(String endpoint, int status, long nanos) {
    requests.labelValues(endpoint, Integer.toString(status)).inc();
    latency.labelValues(endpoint).observe(nanos / 1e9);
  }

  void error(String kind) {
    errors.labelValues(kind).inc();
  }

  void batch(int size) {
    batches.observe(size);
  }

  /**
   * @return the content type of {@link #scrape()}
   */
  String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  /**
   * @return every metric in Prometheus' text format
   */
  byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }
}
