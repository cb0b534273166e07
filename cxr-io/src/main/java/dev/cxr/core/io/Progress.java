package dev.cxr.core.io;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of one long piece of work (decoding thousands of images, building a pixel cache, an
 * epoch): a progress bar with rate and ETA on a terminal, plain lines at every tenth of the work
 * otherwise (logs and pipes get no carriage returns). Thread-safe: worker threads may call {@link
 * #step()} at once.
 */
public final class Progress implements AutoCloseable {
  private static final Progress NONE = new Progress(null, null, "", 0, false);

  private final PrintStream out;
  private final ProgressBar bar;
  private final String task;
  private final long total;
  private final long startNanos = System.nanoTime();
  private long done;
  private long nextLineAt;

  private Progress(PrintStream out, ProgressBar bar, String task, long total, boolean lines) {
    this.out = out;
    this.bar = bar;
    this.task = task;
    this.total = total;
    this.nextLineAt = lines ? Math.max(1, total / 10) : Long.MAX_VALUE;
  }

  /** Starts progress reports for one piece of work; where they go is the factory's business. */
  @FunctionalInterface
  public interface Factory {
    /**
     * @param task what is done, e.g. {@code "pixel cache"}
     * @param total units of work (images)
     * @return the progress, closed when the work ends
     */
    Progress start(String task, long total);

    /**
     * @return a factory whose progress reports nothing
     */
    static Factory none() {
      return (task, total) -> NONE;
    }

    /**
     * @param out where to print
     * @param terminal draw a bar (true) or print plain lines (false)
     * @return a factory printing to {@code out}
     */
    static Factory console(PrintStream out, boolean terminal) {
      Objects.requireNonNull(out, "out");
      return (task, total) -> Progress.console(out, terminal, task, total);
    }

    /**
     * @return bars on standard output when a console is attached, plain lines otherwise
     */
    static Factory standardOutput() {
      return console(System.out, System.console() != null);
    }
  }

  /**
   * Progress printed to a stream.
   *
   * @param out where to print
   * @param terminal draw a bar with rate and ETA (true) or print a plain line at every tenth
   * @param task name of the work
   * @param total units of work, at least 0
   * @return the progress
   */
  public static Progress console(PrintStream out, boolean terminal, String task, long total) {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(task, "task");
    if (total < 0) {
      throw new IllegalArgumentException("total must be >= 0 but was " + total);
    }
    ProgressBar bar =
        terminal
            ? new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" img", 1)
                .showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(out))
                .build()
            : null;
    return new Progress(out, bar, task, total, !terminal);
  }

  /** One more unit done. */
  public void step() {
    stepBy(1);
  }

  /**
   * Some more units done.
   *
   * @param n units
   */
  public synchronized void stepBy(long n) {
    if (out == null) {
      return;
    }
    done += n;
    if (bar != null) {
      bar.stepBy(n);
    } else if (done >= nextLineAt && done < total) {
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      double rate = seconds > 0 ? done / seconds : 0;
      out.printf(
          Locale.ROOT,
          "%s: %d/%d (%d%%), %.1f img/s, ETA %.0f s%n",
          task,
          done,
          total,
          done * 100 / Math.max(1, total),
          rate,
          rate > 0 ? (total - done) / rate : 0);
      out.flush();
      nextLineAt += Math.max(1, total / 10);
    }
  }

  /**
   * @return units done so far
   */
  public synchronized long done() {
    return done;
  }

  /** Ends the bar (a no-op for plain lines). */
  @Override
  public synchronized void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
