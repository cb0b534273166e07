package dev.cxr.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void plainLinesAtEveryTenthWithRateAndEta() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (Progress p = Progress.console(new PrintStream(buf, true), false, "decode", 100)) {
      for (int i = 0; i < 100; i++) {
        p.step();
      }
      assertThat(p.done()).isEqualTo(100);
    }
    String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(9); // 10% .. 90%; the end is the caller's own line
    assertThat(lines[0]).startsWith("decode: 10/100 (10%), ").contains(" img/s, ETA ");
    assertThat(lines[8]).startsWith("decode: 90/100 (90%)");
    assertThat(buf.toString(StandardCharsets.UTF_8)).doesNotContain("\r");
  }

  @Test
  void aBarOnATerminalAndNothingFromNone() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (Progress p = Progress.Factory.console(new PrintStream(buf, true), true).start("x", 10)) {
      p.stepBy(10);
    }
    assertThat(buf.toString(StandardCharsets.UTF_8)).contains("x").contains("10/10");
    try (Progress p = Progress.Factory.none().start("y", 10)) {
      p.stepBy(10);
      assertThat(p.done()).isZero();
    }
  }
}
