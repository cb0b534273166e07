package dev.cxr.examples.cli;

import dev.cxr.serve.CxrServer;
import dev.cxr.serve.ServeConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxr serve}: the model behind HTTP until SIGTERM or Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a model over HTTP until SIGTERM or Ctrl-C: POST /v1/predict (image bytes: PNG, JPEG"
          + " or DICOM, or a multipart form) gives the probability per finding, its threshold and"
          + " the findings at or above it; POST /v1/explain?finding=NAME the Grad-CAM overlay"
          + " PNG; GET /v1/model the provenance; /health/live, /health/ready, /metrics"
          + " (Prometheus); a page to try it at /. See docs/serve.md.",
      "On SIGTERM requests already received finish (up to "
          + ServeConfig.DEFAULT_SHUTDOWN_SECONDS
          + " s), new ones are refused."
    })
public final class ServeCommand implements Callable<Integer> {
  @Mixin VerboseOption verboseOption;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model file.")
  Path model;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every"
              + " interface: there is no authentication, put a proxy with TLS and a login in"
              + " front).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--max-upload",
      paramLabel = "SIZE",
      defaultValue = ServeConfig.DEFAULT_MAX_UPLOAD_TEXT,
      description =
          "Largest request body, e.g. 64MiB, 512KiB (default: ${DEFAULT-VALUE}); a larger"
              + " declared length gets 413 before the body is read.")
  String maxUpload;

  @Option(
      names = "--queue",
      paramLabel = "N",
      defaultValue = "" + ServeConfig.DEFAULT_QUEUE,
      description =
          "Images waiting for the model, at most (default: ${DEFAULT-VALUE}); when full, requests"
              + " get 503 with Retry-After. Uploads being received hold at most N x --max-upload"
              + " bytes.")
  int queue;

  @Option(
      names = "--max-batch",
      paramLabel = "N",
      defaultValue = "" + ServeConfig.DEFAULT_MAX_BATCH,
      description =
          "Images scored in one forward pass, at most (default: ${DEFAULT-VALUE}; 1 turns"
              + " batching off).")
  int maxBatch;

  @Option(
      names = "--read-timeout",
      paramLabel = "SECONDS",
      defaultValue = "" + ServeConfig.DEFAULT_READ_TIMEOUT_SECONDS,
      description =
          "Longest an upload may take to arrive (default: ${DEFAULT-VALUE}); a slower client gets"
              + " 408.")
  int readTimeoutSeconds;

  @Override
  public Integer call() throws Exception {
    if (readTimeoutSeconds < 1) {
      throw new IllegalArgumentException(
          "--read-timeout must be at least 1 second but was " + readTimeoutSeconds);
    }
    ServeConfig config =
        ServeConfig.of(model)
            .host(host)
            .port(port)
            .maxUploadBytes(ServeConfig.parseSize(maxUpload))
            .queue(queue)
            .maxBatch(maxBatch)
            .readTimeout(Duration.ofSeconds(readTimeoutSeconds));
    if (!loopback(host)) {
      System.err.println(
          "warning: listening on "
              + host
              + ": whoever reaches it can send images and read the model card; cxr serve has no"
              + " authentication or TLS");
    }
    CxrServer server = CxrServer.start(config, System.out::println);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("stopping: finishing the requests in progress");
                  try {
                    server.close();
                    System.out.println("stopped");
                  } catch (Exception e) {
                    System.err.println("error: while stopping: " + e);
                  }
                  System.out.flush();
                },
                "cxr-serve-stop"));
    server.join();
    return 0;
  }

  private static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false; // the server will say it cannot bind
    }
  }
}
