package dev.cxr.serve;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The HTTP calls of the tests, with a timeout so that a server that never answers fails a test. */
final class TestClient {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private TestClient() {}

  static HttpResponse<byte[]> post(CxrServer s, String path, String type, byte[] body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(s.uri().resolve(path))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<byte[]> get(CxrServer s, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(s.uri().resolve(path)).timeout(Duration.ofSeconds(60)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
