import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.weights.WeightFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The Java half of bench/hostile-weights.sh: reads every file of a folder with cxr's weight reader
 * (the one `cxr import` and `--pretrained` use) and prints, per file, the time to refusal and the
 * one-line message. Exits 1 when a file is accepted, a refusal takes a second or more, or a
 * message has more than one line.
 *
 * <p>Usage: java -cp cxr.jar bench/HostileCheck.java DIR
 */
public final class HostileCheck {
  public static void main(String[] args) throws Exception {
    List<Path> files;
    try (var s = Files.list(Path.of(args[0]))) {
      files = s.sorted().toList();
    }
    try {
      WeightFiles.read(files.get(0)); // warms the classes up, so the timings are the reader's
    } catch (CxrDataException expected) {
      // refused, as every file here is
    }
    boolean ok = true;
    for (Path f : files) {
      long t0 = System.nanoTime();
      String line;
      try {
        WeightFiles.read(f);
        line = "ACCEPTED";
        ok = false;
      } catch (CxrDataException e) {
        line = e.getMessage();
      } catch (Throwable e) {
        line = "NOT A CLEAN REFUSAL: " + e;
        ok = false;
      }
      double ms = (System.nanoTime() - t0) / 1e6;
      ok &= ms < 1000 && !line.contains("\n");
      System.out.printf(Locale.ROOT, "%-38s %7.1f ms  %s%n", f.getFileName(), ms, line);
    }
    System.exit(ok ? 0 : 1);
  }
}
