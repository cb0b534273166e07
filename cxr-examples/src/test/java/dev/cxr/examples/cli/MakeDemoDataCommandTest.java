package dev.cxr.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MakeDemoDataCommandTest {
  @TempDir Path tmp;

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = new CommandLine(new MakeDemoDataCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void writesTheDatasetAndPrintsASummary() throws Exception {
    Path dir = tmp.resolve("demo");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, "--out", dir.toString(), "--n", "12", "--size", "32", "--seed", "4");
    assertThat(code).isZero();
    assertThat(err.toString()).isEmpty();
    assertThat(out.toString())
        .contains("wrote 12 phantom images")
        .contains("Effusion:   6")
        .contains("No Finding: 6")
        .contains("patients:   10")
        .contains(dir.toAbsolutePath().normalize().toString());
    assertThat(Files.readAllLines(dir.resolve("Data_Entry_2017.csv"))).hasSize(13);
  }

  @Test
  void badInputGivesOneErrorLineAndExitCode2() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, "--out", tmp.resolve("x").toString(), "--n", "2");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip()).startsWith("error: images").doesNotContain("\n");

    Path dir = tmp.resolve("demo");
    assertThat(
            run(
                new StringWriter(),
                new StringWriter(),
                "--out",
                dir.toString(),
                "--n",
                "8",
                "--size",
                "32"))
        .isZero();
    StringWriter err2 = new StringWriter();
    assertThat(run(new StringWriter(), err2, "--out", dir.toString(), "--n", "8", "--size", "32"))
        .isEqualTo(2);
    assertThat(err2.toString()).startsWith("error: ").contains("--overwrite");
    assertThat(
            run(
                new StringWriter(),
                new StringWriter(),
                "--out",
                dir.toString(),
                "--n",
                "8",
                "--size",
                "32",
                "--overwrite"))
        .isZero();
  }
}
