package dev.cxr.serve;

import dev.cxr.core.CxrModel;
import dev.cxr.core.evaluation.ModelInput;
import dev.cxr.core.explain.Explanation;
import dev.cxr.core.io.CxrDataException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The HTTP API and the page: one table of routes (path, method, the query parameters it takes),
 * each answering asynchronously. Every answer, error or not, is counted in {@link ServeMetrics} and
 * carries the page's strict Content-Security-Policy; every error is {@code {"error": "one line",
 * "status": N}}.
 */
final class ApiHandler extends Handler.Abstract {
  /** Longest side of an overlay: the CLI's default is 1024, a page needs less. */
  static final int DEFAULT_OVERLAY_SIDE = 512;

  private static final int MAX_OVERLAY_SIDE = 2048;

  /** A route's answer: status, content type, body and extra headers. */
  private record Answer(int status, String type, byte[] body, Map<String, String> headers) {
    Answer(int status, String type, byte[] body) {
      this(status, type, body, Map.of());
    }
  }

  private record Route(
      String method,
      String endpoint,
      Set<String> parameters,
      Function<Request, CompletableFuture<Answer>> handler) {}

  private final Map<String, Route> routes = new LinkedHashMap<>();
  private final ServeMetrics metrics;
  private final Upload upload;
  private final Executor executor;
  private final Semaphore decoders;
  private volatile Ready ready; // null until the model is loaded and warmed up

  /** What serving needs once the model is loaded. */
  record Ready(CxrModel model, ModelCard card, BatchScorer scorer) {}

  /**
   * @param config the limits
   * @param metrics where answers are counted
   * @param executor threads for work that must not run on the model's thread (overlays)
   */
  ApiHandler(ServeConfig config, ServeMetrics metrics, Executor executor) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.upload = new Upload(config);
    this.executor = Objects.requireNonNull(executor, "executor");
    // decoding is CPU work: more at once than cores only adds memory (a 16384 px image is 1 GiB)
    this.decoders = new Semaphore(Runtime.getRuntime().availableProcessors());
    route("POST", "/v1/predict", "predict", Set.of(), this::predict);
    route("POST", "/v1/explain", "explain", Set.of("finding", "maxSide"), this::explain);
    route("GET", "/v1/model", "model", Set.of(), r -> json(200, ready().card().json()));
    route("GET", "/health/live", "live", Set.of(), r -> json(200, status("live")));
    route("GET", "/health/ready", "ready", Set.of(), this::readiness);
    route("GET", "/metrics", "metrics", Set.of(), this::scrape);
    for (String[] f : Page.FILES) {
      byte[] body = Page.read(f[0]);
      route("GET", f[1], "page", Set.of(), r -> done(new Answer(200, f[2], body)));
    }
  }

  private void route(
      String method,
      String path,
      String endpoint,
      Set<String> parameters,
      Function<Request, CompletableFuture<Answer>> handler) {
    routes.put(path, new Route(method, endpoint, parameters, handler));
  }

  /**
   * Starts serving the model (readiness turns true).
   *
   * @param r the loaded model, its card and its scorer
   */
  void ready(Ready r) {
    this.ready = Objects.requireNonNull(r, "ready");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    Route route = routes.get(Request.getPathInContext(request));
    String endpoint = route == null ? "other" : route.endpoint();
    CompletableFuture<Answer> answer;
    try {
      if (route == null) {
        throw new ApiError(404, "not_found", "no such resource: " + describe(request));
      }
      if (!route.method().equals(request.getMethod())) {
        response.getHeaders().put(HttpHeader.ALLOW, route.method());
        throw new ApiError(
            405,
            "method",
            request.getMethod()
                + " is not allowed on "
                + Request.getPathInContext(request)
                + "; use "
                + route.method());
      }
      checkParameters(request, route);
      answer = route.handler().apply(request);
    } catch (RuntimeException | Error e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer
        .exceptionally(this::errorAnswer)
        .thenAccept(a -> send(request, response, callback, endpoint, start, a))
        .exceptionally(
            t -> {
              // a failure while answering (not one of the request's): the connection is closed
              System.err.println("cxr serve: cannot answer " + describe(request) + ": " + t);
              callback.failed(t);
              return null;
            });
    return true;
  }

  private static String describe(Request request) {
    return request.getMethod() + " " + Request.getPathInContext(request);
  }

  /**
   * Refuses any query parameter a route does not take: nothing in a request names a file the server
   * would read (a model path in a query string is refused, not ignored).
   */
  private static void checkParameters(Request request, Route route) {
    Fields query = Request.extractQueryParameters(request);
    for (String name : query.getNames()) {
      if (!route.parameters().contains(name)) {
        throw ApiError.badRequest(
            "bad_request",
            "unknown query parameter '"
                + name
                + "' for "
                + route.method()
                + " "
                + Request.getPathInContext(request)
                + (route.parameters().isEmpty()
                    ? " (it takes none)"
                    : " (it takes " + String.join(", ", route.parameters()) + ")"));
      }
    }
  }

  private Ready ready() {
    Ready r = ready;
    if (r == null) {
      throw new ApiError(
          503,
          "not_ready",
          "the model is still loading; try again in " + ApiError.RETRY_AFTER_SECONDS + " s");
    }
    return r;
  }

  private CompletableFuture<Answer> readiness(Request request) {
    ready();
    return json(200, status("ready"));
  }

  private CompletableFuture<Answer> scrape(Request request) {
    return done(new Answer(200, metrics.contentType(), metrics.scrape()));
  }

  /** {@code POST /v1/predict}: probabilities, thresholds, the findings at or above them. */
  private CompletableFuture<Answer> predict(Request request) {
    Ready r = ready();
    long start = System.nanoTime();
    return upload
        .read(request, request.getComponents().getScheduler())
        .thenCompose(image -> r.scorer().predict(decode(r.model(), image)))
        .thenApply(
            p ->
                new Answer(
                    200,
                    Answers.JSON_TYPE,
                    predictionJson(r.card(), p, System.nanoTime() - start)));
  }

  /** {@code POST /v1/explain?finding=NAME&maxSide=512}: the Grad-CAM overlay as a PNG. */
  private CompletableFuture<Answer> explain(Request request) {
    Ready r = ready();
    Fields query = Request.extractQueryParameters(request);
    String finding = query.getValue("finding");
    String chosen = finding == null || finding.isBlank() ? r.card().findings().get(0) : finding;
    int maxSide = overlaySide(query.getValue("maxSide"));
    return upload
        .read(request, request.getComponents().getScheduler())
        .thenCompose(image -> r.scorer().explain(decode(r.model(), image), chosen))
        .thenApplyAsync(e -> overlay(e, maxSide), executor);
  }

  private static int overlaySide(String given) {
    if (given == null) {
      return DEFAULT_OVERLAY_SIDE;
    }
    try {
      int side = Integer.parseInt(given.trim());
      if (side >= 16 && side <= MAX_OVERLAY_SIDE) {
        return side;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiError.badRequest(
        "bad_request",
        "maxSide must be a whole number in [16, " + MAX_OVERLAY_SIDE + "] but was '" + given + "'");
  }

  /** Reads the image for the model, at most as many at once as there are cores. */
  private ModelInput decode(CxrModel model, Upload.Image image) {
    decoders.acquireUninterruptibly();
    try {
      return model.prepare(image.name(), image.data());
    } finally {
      decoders.release();
    }
  }

  private static Answer overlay(Explanation e, int maxSide) {
    BufferedImage img = e.renderOverlay(maxSide);
    ByteArrayOutputStream png = new ByteArrayOutputStream(1 << 16);
    try {
      ImageIO.write(img, "png", png);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Cxr-Finding", e.label());
    headers.put("X-Cxr-Probability", String.format(Locale.ROOT, "%.6f", e.probability()));
    headers.put(
        "X-Cxr-Threshold",
        Double.isNaN(e.threshold()) ? "none" : String.format(Locale.ROOT, "%.6f", e.threshold()));
    return new Answer(200, "image/png", png.toByteArray(), headers);
  }

  private static byte[] predictionJson(ModelCard card, Map<String, Double> p, long nanos) {
    ObjectNode o = ModelCard.JSON.createObjectNode();
    o.set("model", card.id());
    ArrayNode findings = o.putArray("findings");
    ArrayNode positive = o.putArray("positive");
    List<String> names = card.findings();
    for (int f = 0; f < names.size(); f++) {
      double prob = p.get(names.get(f));
      double threshold = card.threshold(f);
      boolean atOrAbove = Explanation.positive(prob, threshold);
      ObjectNode one = findings.addObject();
      one.put("finding", names.get(f));
      one.put("probability", prob);
      ModelCard.number(one, "threshold", threshold);
      one.put("atOrAboveThreshold", atOrAbove);
      if (atOrAbove) {
        positive.add(names.get(f));
      }
    }
    ObjectNode all = o.putObject("probabilities");
    p.forEach(all::put);
    o.put("timeMs", Math.round(nanos / 1e4) / 100.0);
    return Answers.bytes(o);
  }

  private Answer errorAnswer(Throwable thrown) {
    Throwable t =
        thrown instanceof CompletionException && thrown.getCause() != null
            ? thrown.getCause()
            : thrown;
    ApiError e;
    if (t instanceof ApiError a) {
      e = a;
    } else if (t instanceof CxrDataException) {
      e = ApiError.badRequest("bad_image", t.getMessage()); // the line cxr predict prints
    } else if (t instanceof IllegalArgumentException) {
      e = ApiError.badRequest("bad_request", t.getMessage());
    } else if (t instanceof OutOfMemoryError) {
      e = ApiError.busy("out of memory: " + t.getMessage() + "; try again later");
    } else {
      System.err.println("cxr serve: internal error");
      t.printStackTrace();
      e = new ApiError(500, "internal", "internal error: " + t);
    }
    metrics.error(e.kind());
    Map<String, String> headers = new LinkedHashMap<>();
    if (e.status() == 503) {
      headers.put("Retry-After", Integer.toString(ApiError.RETRY_AFTER_SECONDS));
    }
    if (e.status() == 408 || e.status() == 413) {
      headers.put("Connection", "close"); // the rest of the body is not read
    }
    return new Answer(
        e.status(), Answers.JSON_TYPE, Answers.error(e.getMessage(), e.status()), headers);
  }

  private void send(
      Request request,
      Response response,
      Callback callback,
      String endpoint,
      long start,
      Answer a) {
    response.setStatus(a.status());
    HttpFields.Mutable h = response.getHeaders();
    Answers.headers(h, a.type());
    h.put(HttpHeader.CACHE_CONTROL, "no-store");
    a.headers().forEach(h::put);
    metrics.request(endpoint, a.status(), System.nanoTime() - start);
    response.write(true, ByteBuffer.wrap(a.body()), callback);
  }

  private static CompletableFuture<Answer> json(int status, byte[] body) {
    return done(new Answer(status, Answers.JSON_TYPE, body));
  }

  private static CompletableFuture<Answer> done(Answer a) {
    return CompletableFuture.completedFuture(a);
  }

  private static byte[] status(String s) {
    ObjectNode o = ModelCard.JSON.createObjectNode();
    o.put("status", s);
    return Answers.bytes(o);
  }
}
