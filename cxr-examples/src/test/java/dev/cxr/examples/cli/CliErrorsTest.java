package dev.cxr.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.core.io.CxrDataException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Every failure of the command line: one line on stderr and a documented exit code. */
class CliErrorsTest {
  @TempDir Path dir;

  record Printed(int code, String err) {}

  static Printed handle(Throwable t, boolean verbose) {
    StringWriter text = new StringWriter();
    int code = CxrCli.exitCodeFor(t, new PrintWriter(text), verbose);
    return new Printed(code, text.toString());
  }

  @Test
  void badInputIsExitCode2InOneLine() {
    for (Throwable t :
        new Throwable[] {
          new CxrDataException(Path.of("m.zip"), "entry x: refused"),
          new IllegalArgumentException("bad --size"),
          new IllegalStateException("nothing to resume"),
          new IOException("disk full"),
          new UncheckedIOException(new IOException("gone"))
        }) {
      Printed p = handle(t, false);
      assertThat(p.code()).as(t.toString()).isEqualTo(2);
      assertThat(p.err().lines()).hasSize(1);
      assertThat(p.err()).startsWith("error: ");
    }
  }

  @Test
  void outOfMemoryIsExitCode3WithAHint() {
    Printed p = handle(new OutOfMemoryError("Java heap space"), false);
    assertThat(p.code()).isEqualTo(3);
    assertThat(p.err())
        .isEqualTo(
            "error: out of memory: Java heap space; give Java more heap (java -Xmx8g -jar cxr.jar"
                + " ...) or use a smaller --size / --batch"
                + System.lineSeparator());
  }

  @Test
  void internalErrorsAreExitCode1InOneLine() {
    Printed link = handle(new UnsatisfiedLinkError("no jnind4jcpu in java.library.path"), false);
    assertThat(link.code()).isEqualTo(1);
    assertThat(link.err().lines()).hasSize(1);
    assertThat(link.err())
        .startsWith(
            "error: the native ND4J library could not be loaded: no jnind4jcpu in"
                + " java.library.path");
    Printed wrapped =
        handle(new ExceptionInInitializerError(new UnsatisfiedLinkError("libnd4jcpu.so")), false);
    assertThat(wrapped.err()).contains("native ND4J library could not be loaded: libnd4jcpu.so");
    Printed stack = handle(new StackOverflowError(), false);
    assertThat(stack.code()).isEqualTo(1);
    assertThat(stack.err())
        .isEqualTo(
            "error: internal error: stack overflow (run again with --verbose for the stack trace)"
                + System.lineSeparator());
    Printed npe = handle(new NullPointerException("x is null"), false);
    assertThat(npe.code()).isEqualTo(1);
    assertThat(npe.err().lines()).hasSize(1);
  }

  @Test
  void verboseAddsTheStackTrace() {
    Printed p = handle(new OutOfMemoryError("Java heap space"), true);
    assertThat(p.code()).isEqualTo(3);
    assertThat(p.err().lines().count()).isGreaterThan(1);
    assertThat(p.err()).contains("at dev.cxr.examples.cli.CliErrorsTest");
  }

  /** A test-only command: Errors thrown by a command reach the handler, not the JVM. */
  @Command(name = "throw-error")
  static final class ThrowsError implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new OutOfMemoryError("Java heap space");
    }
  }

  @Test
  void anErrorThrownByACommandIsHandled() {
    CommandLine cl = CxrCli.commandLine();
    cl.addSubcommand("throw-error", new ThrowsError());
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    assertThat(CxrCli.run(cl, "throw-error")).isEqualTo(3);
    assertThat(err.toString()).startsWith("error: out of memory: Java heap space;").hasLineCount(1);
  }

  @Test
  void aHostileModelFileEndToEnd() throws IOException {
    Path model = dir.resolve("model.zip");
    Files.write(model, new byte[] {'P', 'K', 3, 4, 0, 0});
    CliTest.Result r =
        CliTest.cxr("evaluate", "--model", model.toString(), "--data", dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: " + model + ": not a cxr model").hasLineCount(1);
  }

  @Test
  void helpDocumentsTheExitCodes() {
    CliTest.Result r = CliTest.cxr("--help");
    assertThat(r.out()).contains("Exit codes:").contains("3   out of memory");
  }
}
