package dev.cxr.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cxr.core.io.CxrDataException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * The API against a running server on a random port, with the tiny model: what a PACS router or a
 * script sends and gets back, and the answers to malformed requests.
 */
class ServerApiTest {
  static TinyModel tiny;
  static CxrServer server;

  @BeforeAll
  static void start() throws Exception {
    tiny = TinyModel.get();
    server = CxrServer.start(ServeConfig.of(tiny.file()).port(0), line -> {});
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static HttpResponse<byte[]> post(String path, String type, byte[] body) throws Exception {
    return TestClient.post(server, path, type, body);
  }

  static HttpResponse<byte[]> get(String path) throws Exception {
    return TestClient.get(server, path);
  }

  static JsonNode json(HttpResponse<byte[]> r) throws Exception {
    return ModelCard.JSON.readTree(r.body());
  }

  static String error(HttpResponse<byte[]> r) throws Exception {
    return json(r).get("error").asText();
  }

  @Test
  void predictGivesTheModelsProbabilitiesThresholdsAndId() throws Exception {
    Path image = tiny.pngs().get(0);
    HttpResponse<byte[]> r = post("/v1/predict", "image/png", Files.readAllBytes(image));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode j = json(r);
    Map<String, Double> expected = tiny.model().predict(image);
    assertThat(j.get("probabilities").get("Effusion").asDouble())
        .isCloseTo(expected.get("Effusion"), within(1e-9));
    assertThat(j.get("probabilities").get("No Finding").asDouble())
        .isCloseTo(expected.get("No Finding"), within(1e-9));
    JsonNode f = j.get("findings").get(0);
    assertThat(f.get("finding").asText()).isEqualTo("Effusion");
    double threshold = tiny.model().info().validation().thresholds(1)[0];
    assertThat(f.get("threshold").asDouble()).isEqualTo(threshold);
    boolean positive = expected.get("Effusion") >= threshold;
    assertThat(f.get("atOrAboveThreshold").asBoolean()).isEqualTo(positive);
    assertThat(j.get("positive").size()).isEqualTo(positive ? 1 : 0);
    assertThat(j.get("model").get("name").asText()).isEqualTo("tiny.zip");
    assertThat(j.get("model").get("sha256").asText())
        .isEqualTo(
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(tiny.file()))));
    assertThat(j.get("model").get("version").asText())
        .isEqualTo(tiny.model().info().libraryVersion());
    assertThat(j.get("timeMs").asDouble()).isPositive();
  }

  @Test
  void dicomAndMultipartUploadsScoreAsTheirFiles() throws Exception {
    Path dcm = tiny.dicoms().get(0);
    double expected = tiny.model().predict(dcm).get("Effusion");
    for (String type : new String[] {"application/dicom", "application/octet-stream", null}) {
      HttpResponse<byte[]> r = post("/v1/predict", type, Files.readAllBytes(dcm));
      assertThat(r.statusCode()).as(String.valueOf(type)).isEqualTo(200);
      assertThat(json(r).get("probabilities").get("Effusion").asDouble())
          .isCloseTo(expected, within(1e-9));
    }
    Path png = tiny.pngs().get(1);
    String boundary = "----cxr-test-boundary";
    ByteArrayOutputStream form = new ByteArrayOutputStream();
    form.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"chest.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    form.writeBytes(Files.readAllBytes(png));
    form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    HttpResponse<byte[]> r =
        post("/v1/predict", "multipart/form-data; boundary=" + boundary, form.toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("probabilities").get("Effusion").asDouble())
        .isCloseTo(tiny.model().predict(png).get("Effusion"), within(1e-9));
  }

  @Test
  void explainGivesTheOverlayPngOfAFinding() throws Exception {
    Path image = tiny.pngs().get(2);
    HttpResponse<byte[]> r =
        post("/v1/explain?finding=effusion&maxSide=96", "image/png", Files.readAllBytes(image));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(r.headers().firstValue("X-Cxr-Finding")).hasValue("Effusion");
    double p = Double.parseDouble(r.headers().firstValue("X-Cxr-Probability").orElseThrow());
    assertThat(p).isCloseTo(tiny.model().predict(image).get("Effusion"), within(1e-6));
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(r.body()));
    BufferedImage expected = tiny.model().explain(image).renderOverlay(96);
    assertThat(png.getWidth()).isEqualTo(expected.getWidth());
    assertThat(png.getHeight()).isEqualTo(expected.getHeight());

    HttpResponse<byte[]> bad =
        post("/v1/explain?finding=Nodule", "image/png", Files.readAllBytes(image));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(error(bad))
        .isEqualTo("finding must be one of the model's [Effusion] but was 'Nodule'");
    assertThat(error(post("/v1/explain?maxSide=9999", "image/png", new byte[] {1})))
        .isEqualTo("maxSide must be a whole number in [16, 2048] but was '9999'");
  }

  @Test
  void theModelCardHealthAndMetrics() throws Exception {
    JsonNode card = json(get("/v1/model"));
    assertThat(card.get("model").get("name").asText()).isEqualTo("tiny.zip");
    assertThat(card.get("imageSize").asInt()).isEqualTo(32);
    assertThat(card.get("findings").get(0).get("finding").asText()).isEqualTo("Effusion");
    assertThat(card.get("provenance").get("libraryVersion").asText())
        .isEqualTo(tiny.model().info().libraryVersion());
    assertThat(card.get("provenance").get("config").get("width").asInt()).isEqualTo(4);
    assertThat(card.get("network").asText()).isEqualTo("ResNet-18 original, width 4");
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    assertThat(json(get("/health/ready")).get("status").asText()).isEqualTo("ready");

    post("/v1/predict", "image/png", Files.readAllBytes(tiny.pngs().get(0)));
    post("/v1/predict", "image/png", "not an image".getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> m = get("/metrics");
    assertThat(m.statusCode()).isEqualTo(200);
    assertThat(m.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    String text = new String(m.body(), StandardCharsets.UTF_8);
    assertThat(text)
        .contains("cxr_requests_total{endpoint=\"predict\",status=\"200\"}")
        .contains("cxr_requests_total{endpoint=\"predict\",status=\"400\"}")
        .contains("cxr_errors_total{kind=\"bad_image\"}")
        .contains("cxr_request_duration_seconds_bucket{endpoint=\"predict\",le=\"0.05\"}")
        .contains("cxr_batch_size_count")
        .contains("cxr_queue_depth 0");
  }

  @Test
  void everyAnswerCarriesTheStrictContentSecurityPolicy() throws Exception {
    for (String path : List.of("/", "/app.js", "/app.css", "/v1/model", "/nope")) {
      assertThat(get(path).headers().firstValue("Content-Security-Policy"))
          .as(path)
          .hasValue(Answers.CSP);
    }
    assertThat(get("/").headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
  }

  @Test
  void badImagesGetTheLineTheCommandLinePrints() throws Exception {
    byte[] text = "Patient: Doe^John\n".getBytes(StandardCharsets.UTF_8);
    // the message of the command line's reader for a file named "upload"
    String cli =
        assertThatThrownBy(() -> tiny.model().prepare("upload", text))
            .isInstanceOf(CxrDataException.class)
            .actual()
            .getMessage();
    HttpResponse<byte[]> r = post("/v1/predict", "image/png", text);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r))
        .isEqualTo(cli)
        .isEqualTo("upload: not a PNG, JPEG or DICOM image (18 bytes)");

    HttpResponse<byte[]> empty = post("/v1/predict", "image/png", new byte[0]);
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(error(empty)).isEqualTo("upload: image is empty (0 bytes)");

    HttpResponse<byte[]> huge = post("/v1/predict", "image/png", Hostile.png46000());
    assertThat(huge.statusCode()).isEqualTo(400);
    assertThat(error(huge))
        .isEqualTo(
            "upload: not a readable PNG image: PNG image of 46000 x 46000 pixels exceeds the"
                + " limit of 16384 per side (ImageLimits, system property cxr.image.maxSide)");

    HttpResponse<byte[]> plain = post("/v1/predict", "text/plain", text);
    assertThat(plain.statusCode()).isEqualTo(415);
    assertThat(error(plain)).startsWith("unsupported content type 'text/plain': send the image's");
  }

  @Test
  void nothingInARequestNamesAFileTheServerReads() throws Exception {
    String model = tiny.file().toString();
    HttpResponse<byte[]> q =
        post("/v1/predict?model=" + model, "image/png", Files.readAllBytes(tiny.pngs().get(0)));
    assertThat(q.statusCode()).isEqualTo(400);
    assertThat(error(q))
        .isEqualTo("unknown query parameter 'model' for POST /v1/predict (it takes none)");
    HttpResponse<byte[]> card = get("/v1/model?path=" + model);
    assertThat(card.statusCode()).isEqualTo(400);
    for (String path : List.of("/tiny.zip", "/v1/../tiny.zip", "/%2e%2e/%2e%2e/etc/passwd")) {
      HttpResponse<byte[]> r = get(path);
      assertThat(r.statusCode()).as(path).isIn(400, 404);
      assertThat(r.headers().firstValue("Content-Type")).as(path).hasValue("application/json");
      assertThat(error(r)).as(path).isNotBlank();
      assertThat(new String(r.body(), StandardCharsets.ISO_8859_1)).doesNotContain("PK");
    }
    HttpResponse<byte[]> wrongMethod = get("/v1/predict");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("POST");
  }
}
