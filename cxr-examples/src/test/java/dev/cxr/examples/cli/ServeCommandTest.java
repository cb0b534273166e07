package dev.cxr.examples.cli;

import static dev.cxr.examples.cli.CliTest.cxr;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.core.CxrModel;
import dev.cxr.examples.cli.CliTest.Result;
import dev.cxr.phantoms.DemoData;
import dev.cxr.serve.ServeConfig;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxr serve} as a process: it says where it listens and when it is ready, and on SIGTERM it
 * finishes the request in progress before it exits. Bad options and model files get the usual one
 * line and exit code 2.
 */
class ServeCommandTest {
  @TempDir static Path shared;
  static Path data;
  static Path model;

  @BeforeAll
  static void train() throws Exception {
    data = shared.resolve("data");
    DemoData.builder().images(24).seed(7).size(48).build().writeTo(data);
    model = shared.resolve("m.zip");
    Result r =
        cxr(
            "train",
            "--data",
            data.toString(),
            "--out",
            model.toString(),
            "--size",
            "32",
            "--width",
            "4",
            "--epochs",
            "1",
            "--batch",
            "8");
    assertThat(r.code()).as(r.err()).isZero();
  }

  @Test
  void sigtermFinishesTheRequestInProgressThenExits() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(CxrCli.class.getName());
    cmd.addAll(List.of("serve", "--model", model.toString(), "--port", "0"));
    // output to a file: Process.destroy() closes the pipes it would otherwise come through
    Path log = shared.resolve("serve.log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      int port = -1;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline && p.isAlive()) {
        String out = Files.readString(log);
        Matcher m = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/").matcher(out);
        if (m.find() && out.contains("ready: m.zip (sha256 ")) {
          port = Integer.parseInt(m.group(1));
          break;
        }
        Thread.sleep(100);
      }
      assertThat(port).as("a 'listening on' line").isPositive();
      Path image = data.resolve("images/00000001_000.png");
      byte[] png = Files.readAllBytes(image);
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout(60_000);
        String head =
            "POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n"
                + "Content-Length: "
                + png.length
                + "\r\n\r\n";
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(png, 0, png.length / 2);
        s.getOutputStream().flush();
        Thread.sleep(300);
        p.destroy(); // SIGTERM
        Thread.sleep(500);
        assertThat(p.isAlive())
            .as("it waits for the request in progress; output: %s", Files.readString(log))
            .isTrue();
        s.getOutputStream().write(png, png.length / 2, png.length - png.length / 2);
        s.getOutputStream().flush();
        String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(answer).startsWith("HTTP/1.1 200 ");
        double expected = CxrModel.load(model).predict(image).get("Effusion");
        assertThat(answer).contains("\"Effusion\":" + expected);
      }
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("killed by SIGTERM: 128 + 15").isEqualTo(143);
      assertThat(Files.readString(log))
          .contains("stopping: finishing the requests in progress")
          .contains("stopped");
    } finally {
      p.destroyForcibly().waitFor();
    }
  }

  @Test
  void badOptionsAndModelFilesGetOneLineAndExitCode2() throws Exception {
    Result missing = cxr("serve", "--model", shared.resolve("nope.zip").toString(), "--port", "0");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err().strip())
        .startsWith("error: ")
        .contains("nope.zip")
        .doesNotContain("\n");
    Result size = cxr("serve", "--model", model.toString(), "--max-upload", "64 furlongs");
    assertThat(size.code()).isEqualTo(2);
    assertThat(size.err().strip())
        .isEqualTo(
            "error: '64 furlongs' is not a size: write e.g. 64MiB, 512KiB, 1GiB or a number of"
                + " bytes");
    Result queue = cxr("serve", "--model", model.toString(), "--queue", "0");
    assertThat(queue.err().strip()).isEqualTo("error: queue must be in [1, 4096] but was 0");
    assertThat(ServeConfig.parseSize(ServeConfig.DEFAULT_MAX_UPLOAD_TEXT))
        .isEqualTo(ServeConfig.DEFAULT_MAX_UPLOAD);
  }
}
