package dev.cxr.serve;

import dev.cxr.core.CxrModel;
import dev.cxr.core.evaluation.ModelInput;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A cxr model behind HTTP ({@code cxr serve}): Jetty 12's core server, the API and page of {@link
 * ApiHandler}, one model thread ({@link BatchScorer}). The model is loaded once, after the server
 * listens, so {@code /health/live} answers during the load and {@code /health/ready} turns true
 * once the model is loaded and has scored and explained a warm-up image.
 *
 * <pre>{@code
 * try (CxrServer s = CxrServer.start(ServeConfig.of(Path.of("m.zip")).port(0), System.out::println)) {
 *   URI predict = s.uri().resolve("/v1/predict");
 *   ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops gracefully: new requests are refused, requests already received finish
 * (up to {@link ServeConfig#shutdownTimeout()}), then the model thread stops.
 */
public final class CxrServer implements AutoCloseable {
  /** Open connections at most; more wait in the operating system's backlog. */
  static final int MAX_CONNECTIONS = 1024;

  /** Once stopping, how long a connection may send nothing before it is cut. */
  static final Duration SHUTDOWN_IDLE = Duration.ofSeconds(5);

  /** Request headers larger than this are refused (431). */
  static final int MAX_HEADER_BYTES = 16 << 10;

  private final ServeConfig config;
  private final Server server;
  private final ServerConnector connector;
  private final ApiHandler api;
  private final ServeMetrics metrics;
  private final HeaderDeadline headerDeadline;
  private int port; // the bound port, kept after the server stops
  private volatile BatchScorer scorer; // null until the model is loaded
  private boolean closed;

  private CxrServer(ServeConfig config) {
    this.config = config;
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("cxr-serve");
    this.server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setRequestHeaderSize(MAX_HEADER_BYTES);
    // hand a request to the API as soon as its headers are in (the API reads bodies without a
    // thread): with Jetty's default, a request whose body was still arriving when SIGTERM came was
    // not yet in progress and got 503 instead of finishing (measured: bench/serve-abuse.sh)
    http.setDelayDispatchUntilContent(false);
    this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(config.host());
    connector.setPort(config.port());
    connector.setIdleTimeout(config.readTimeout().toMillis());
    this.metrics = new ServeMetrics(this::queueDepth);
    this.headerDeadline =
        new HeaderDeadline(config.readTimeout(), () -> metrics.error("header_timeout"));
    connector.addEventListener(headerDeadline);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
    this.api = new ApiHandler(config, metrics, threads);
    GracefulHandler graceful = new GracefulHandler(api);
    // Once stopping, Jetty cuts connections that send nothing for this long (1 s by default). A
    // request in progress may be an upload that pauses, so allow it more; but a client's idle
    // keep-alive connection is held open just as long, and with the read timeout here (30 s, as
    // long as the stop timeout) a stop after any keep-alive client ran out of time
    // (ServerApiTest's stop, java.net.http's pooled connection)
    graceful.setShutdownIdleTimeout(
        Math.min(SHUTDOWN_IDLE.toMillis(), config.shutdownTimeout().toMillis() / 2));
    server.setHandler(graceful);
    server.setErrorHandler(new JettyErrors());
    server.setStopTimeout(config.shutdownTimeout().toMillis());
    server.setStopAtShutdown(false); // the caller decides (cxr serve stops on SIGTERM)
  }

  /**
   * Starts listening, loads the model, warms it up and turns ready.
   *
   * @param config what to serve and how
   * @param log told what happens ({@code listening on ...}, {@code ready: ...})
   * @return the running server
   * @throws Exception when the port cannot be bound or the model cannot be loaded (a {@link
   *     dev.cxr.core.io.CxrDataException} naming the file); the server is stopped then
   */
  public static CxrServer start(ServeConfig config, Consumer<String> log) throws Exception {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(log, "log");
    CxrServer s = new CxrServer(config);
    try {
      s.server.start();
      s.port = s.connector.getLocalPort();
      log.accept("listening on " + s.uri() + " (loading " + config.model() + ")");
      long t0 = System.nanoTime();
      CxrModel model = CxrModel.load(config.model());
      ModelCard card = ModelCard.of(config.model(), model);
      long t1 = System.nanoTime();
      s.warmUp(model, card);
      s.scorer = new BatchScorer(model, config.queue(), config.maxBatch(), s.metrics::batch);
      s.api.ready(new ApiHandler.Ready(model, card, s.scorer));
      log.accept(
          String.format(
              java.util.Locale.ROOT,
              "ready: %s (sha256 %s), loaded in %.1f s, warmed up in %.1f s",
              card.id().get("name").asText(),
              card.id().get("sha256").asText().substring(0, 12),
              (t1 - t0) / 1e9,
              (System.nanoTime() - t1) / 1e9));
      return s;
    } catch (Exception | Error e) {
      s.close();
      throw e;
    }
  }

  /**
   * Scores and explains a generated image at each batch size the first batches will have, so the
   * first clients do not pay for the native kernels' first use (oneDNN prepares its kernels per
   * input shape).
   */
  private void warmUp(CxrModel model, ModelCard card) {
    int size = model.info().imageSize();
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        img.getRaster().setSample(x, y, 0, (x * 255 / size + y * 97 / size) & 0xFF);
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ModelInput one = model.prepare("warm-up", png.toByteArray());
    for (int n = 1; n <= config.maxBatch(); n *= 2) {
      model.predictInputs(Collections.nCopies(n, one));
    }
    model.explainInputs(List.of(one), card.findings().get(0)).get(0).renderOverlay(64);
  }

  private int queueDepth() {
    BatchScorer b = scorer;
    return b == null ? 0 : b.depth();
  }

  /**
   * @return the port listened on (the one chosen when the configuration said 0)
   */
  public int port() {
    return port;
  }

  /**
   * @return {@code http://host:port/}
   */
  public URI uri() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /**
   * Waits until the server has stopped (by {@link #close()} from another thread).
   *
   * @throws InterruptedException when interrupted
   */
  public void join() throws InterruptedException {
    server.join();
  }

  /**
   * Stops gracefully: refuses new requests, lets those received finish (up to the shutdown
   * timeout), then stops the model thread. Safe to call more than once, from any thread.
   */
  @Override
  public synchronized void close() throws Exception {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.stop();
    } finally {
      headerDeadline.close();
      BatchScorer b = scorer;
      if (b != null) {
        b.close();
      }
    }
  }
}
