package dev.cxr.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * Hostile and careless clients against a server with small limits (64 KiB uploads, a queue of 2, a
 * 1.5 s read timeout): bodies too large to read, clients that send one byte at a time, a full
 * upload budget, and a stop while a request is in progress.
 */
class AbuseTest {
  static TinyModel tiny;
  static CxrServer server;

  @BeforeAll
  static void start() throws Exception {
    tiny = TinyModel.get();
    server =
        CxrServer.start(
            ServeConfig.of(tiny.file())
                .port(0)
                .maxUploadBytes(64 << 10)
                .queue(2)
                .readTimeout(Duration.ofMillis(1500)),
            line -> {});
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /** A raw HTTP/1.1 request: the headers now, the body as the test sends it. */
  static Socket open(CxrServer s, String method, String path, String... headers)
      throws IOException {
    Socket socket = new Socket("127.0.0.1", s.port());
    socket.setSoTimeout(20_000);
    StringBuilder sb = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n");
    for (String h : headers) {
      sb.append(h).append("\r\n");
    }
    socket
        .getOutputStream()
        .write(sb.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  /** Reads an answer to its end (the server closes, or the declared length is read). */
  static String answer(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder sb = new StringBuilder();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) > 0) {
      sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      int headEnd = sb.indexOf("\r\n\r\n");
      int len = contentLength(sb);
      if (headEnd >= 0 && len >= 0 && sb.length() >= headEnd + 4 + len) {
        break;
      }
    }
    return sb.toString();
  }

  private static int contentLength(CharSequence s) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(s);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  static String body(String answer) {
    return answer.substring(answer.indexOf("\r\n\r\n") + 4);
  }

  @Test
  void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyIsRead() throws Exception {
    try (Socket s =
        open(
            server,
            "POST",
            "/v1/predict",
            "Content-Type: image/png",
            "Content-Length: " + (200L << 20))) {
      String a = answer(s); // no body was sent: the answer comes from the headers alone
      assertThat(a).startsWith("HTTP/1.1 413 ");
      assertThat(ModelCard.JSON.readTree(body(a)).get("error").asText())
          .isEqualTo(
              "upload of 209715200 bytes is over the limit of 64 KiB (--max-upload); the body"
                  + " was not read");
    }
  }

  @Test
  void aChunkedBodyIsStoppedAsSoonAsItPassesTheLimit() throws Exception {
    try (Socket s =
        open(
            server,
            "POST",
            "/v1/predict",
            "Content-Type: image/png",
            "Transfer-Encoding: chunked")) {
      OutputStream out = s.getOutputStream();
      byte[] chunk = new byte[16 << 10];
      String a = null;
      try {
        for (int i = 0; i < 64; i++) { // 1 MiB in all, far over the 64 KiB limit
          out.write(
              (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
      } catch (IOException closed) {
        // the server may close the connection while the client still sends: expected
      }
      a = answer(s);
      assertThat(a).startsWith("HTTP/1.1 413 ");
      assertThat(body(a))
          .containsPattern(
              "upload of more than \\d+ bytes is over the limit of 64 KiB \\(--max-upload\\);"
                  + " the rest was not read");
    }
  }

  @Test
  void aClientSendingOneByteAtATimeIsCutOffAndOthersAreServedMeanwhile() throws Exception {
    byte[] png = Files.readAllBytes(tiny.pngs().get(0));
    List<Socket> slow = new ArrayList<>();
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < 2; i++) {
        slow.add(
            open(
                server,
                "POST",
                "/v1/predict",
                "Content-Type: image/png",
                "Content-Length: " + png.length));
      }
      CompletableFuture<Void> trickle =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < 30; i++) {
                    for (Socket s : slow) {
                      s.getOutputStream().write(png[i]);
                      s.getOutputStream().flush();
                    }
                    Thread.sleep(100);
                  }
                } catch (IOException | InterruptedException e) {
                  // closed by the server: expected once the read timeout passes
                }
              });
      // two slow uploads hold part of the upload budget, not a thread nor the model
      HttpResponse<byte[]> ok = TestClient.post(server, "/v1/predict", "image/png", png);
      assertThat(ok.statusCode()).isEqualTo(200);
      for (Socket s : slow) {
        String a = answer(s);
        assertThat(a).startsWith("HTTP/1.1 408 ");
        assertThat(body(a)).contains("the upload did not arrive within 1.5 s (the read timeout)");
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertThat(seconds).isBetween(1.4, 10.0);
      trickle.get(10, TimeUnit.SECONDS);
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  @Test
  void aClientSendingItsHeadersOneByteAtATimeIsCutOffAtTheReadTimeout() throws Exception {
    byte[] head =
        ("POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n"
                + "X-Padding: "
                + "x".repeat(200)
                + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    try (Socket slow = new Socket("127.0.0.1", server.port())) {
      slow.setSoTimeout(20_000);
      long t0 = System.nanoTime();
      int sent = 0;
      try {
        // a byte every 100 ms: Jetty's idle timeout (1.5 s here) never fires
        for (; sent < head.length; sent++) {
          slow.getOutputStream().write(head[sent]);
          slow.getOutputStream().flush();
          Thread.sleep(100);
        }
      } catch (IOException closed) {
        // the server closed the connection: what this test waits for
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertThat(sent).as("bytes sent before the cut").isLessThan(head.length);
      assertThat(seconds).isBetween(1.4, 10.0);
      assertThat(slow.getInputStream().read()).isEqualTo(-1); // closed, nothing framed
    }
    HttpResponse<byte[]> metrics = TestClient.get(server, "/metrics");
    assertThat(new String(metrics.body(), StandardCharsets.UTF_8))
        .containsPattern("cxr_errors_total\\{kind=\"header_timeout\"\\} [1-9]");
    // and the server still serves
    byte[] png = Files.readAllBytes(tiny.pngs().get(0));
    assertThat(TestClient.post(server, "/v1/predict", "image/png", png).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aFullUploadBudgetAnswers503WithRetryAfter() throws Exception {
    // the budget is queue x max upload = 2 x 64 KiB: two uploads declaring 64 KiB hold all of it
    List<Socket> holders = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        holders.add(
            open(
                server, "POST", "/v1/predict", "Content-Type: image/png", "Content-Length: 65536"));
      }
      Thread.sleep(300); // let the server take their headers
      HttpResponse<byte[]> r =
          TestClient.post(
              server, "/v1/predict", "image/png", Files.readAllBytes(tiny.pngs().get(0)));
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
      JsonNode e = ModelCard.JSON.readTree(r.body());
      assertThat(e.get("error").asText())
          .isEqualTo("the server is busy receiving other uploads; try again in 1 s");
    } finally {
      for (Socket s : holders) {
        s.close();
      }
    }
  }

  @Test
  void stoppingLetsARequestInProgressFinishAndRefusesNewOnes() throws Exception {
    CxrServer s = CxrServer.start(ServeConfig.of(tiny.file()).port(0), line -> {});
    byte[] png = Files.readAllBytes(tiny.pngs().get(3));
    try (Socket inFlight =
        open(
            s, "POST", "/v1/predict", "Content-Type: image/png", "Content-Length: " + png.length)) {
      inFlight.getOutputStream().write(png, 0, png.length / 2);
      inFlight.getOutputStream().flush();
      Thread.sleep(200);
      CompletableFuture<Void> stopping =
          CompletableFuture.runAsync(
              () -> {
                try {
                  s.close();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(300);
      assertThat(stopping).isNotDone(); // it waits for the request in progress
      inFlight.getOutputStream().write(png, png.length / 2, png.length - png.length / 2);
      inFlight.getOutputStream().flush();
      String a = answer(inFlight);
      assertThat(a).startsWith("HTTP/1.1 200 ");
      assertThat(ModelCard.JSON.readTree(body(a)).get("probabilities").get("Effusion").asDouble())
          .isEqualTo(tiny.model().predict(tiny.pngs().get(3)).get("Effusion"));
      stopping.get(30, TimeUnit.SECONDS);
    }
    assertThat(
            CompletableFuture.supplyAsync(
                    () -> {
                      try (Socket late = new Socket("127.0.0.1", s.port())) {
                        return "connected";
                      } catch (IOException e) {
                        return "refused";
                      }
                    })
                .get(10, TimeUnit.SECONDS))
        .isEqualTo("refused");
  }
}
