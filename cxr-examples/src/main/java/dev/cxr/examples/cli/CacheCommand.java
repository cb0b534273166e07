package dev.cxr.examples.cli;

import dev.cxr.core.cache.PixelCacheFiles;
import dev.cxr.core.cache.PixelCacheFiles.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxr cache list|prune}: what a persistent pixel-cache directory holds, and pruning it. */
@Command(
    name = "cache",
    mixinStandardHelpOptions = true,
    description =
        "List or prune the files of a persistent pixel cache (--cache DIR of train, crossval,"
            + " evaluate, ...). Changed data gets a new cache file and the old one is never read"
            + " again; prune removes such files.",
    subcommands = {CacheCommand.ListFiles.class, CacheCommand.Prune.class})
public final class CacheCommand {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault());
  private static final Pattern AGE = Pattern.compile("(\\d{1,6})([smhdw])");

  /** {@code cxr cache list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "One line per file, least recently used first: state (current: its images are as they"
              + " were, a run on them reads it; stale: they changed or are gone; invalid: older"
              + " format or damaged, rebuilt on next use; building; leftover of a build that"
              + " died), last use, size, images, image size, the data folder, the file.")
  static final class ListFiles implements Callable<Integer> {
    @Mixin VerboseOption verboseOption;

    @Option(names = "--cache", required = true, paramLabel = "DIR", description = "The cache.")
    Path dir;

    @Override
    public Integer call() throws IOException {
      List<Entry> entries = PixelCacheFiles.list(dir);
      System.out.printf(
          Locale.ROOT,
          "%-8s  %-16s  %9s  %6s  %-9s  %s%n",
          "state",
          "last use",
          "size",
          "images",
          "pixels",
          "data / file");
      for (Entry e : entries) {
        System.out.println(line(e));
      }
      long bytes = entries.stream().mapToLong(Entry::bytes).sum();
      long current =
          entries.stream().filter(e -> e.state() == PixelCacheFiles.State.CURRENT).count();
      long others = entries.size() - current;
      System.out.printf(
          Locale.ROOT,
          "%d file(s), %s; %d current, %d not%s%n",
          entries.size(),
          mib(bytes),
          current,
          others,
          others == 0 ? "" : " (cxr cache prune --cache " + dir + " --all-but-current)");
      return 0;
    }
  }

  /** {@code cxr cache prune}. */
  @Command(
      name = "prune",
      mixinStandardHelpOptions = true,
      description =
          "Delete cache files: those unused for --older-than AGE, those no run on today's data"
              + " reads (--all-but-current), or, with both, those that are both. Each file is"
              + " deleted under its build lock: a file being built is kept and named.")
  static final class Prune implements Callable<Integer> {
    @Mixin VerboseOption verboseOption;

    @Option(names = "--cache", required = true, paramLabel = "DIR", description = "The cache.")
    Path dir;

    @Option(
        names = "--older-than",
        paramLabel = "AGE",
        description = "Only files last used at least AGE ago: a number and s, m, h, d or w (30d).")
    String olderThan;

    @Option(
        names = "--all-but-current",
        description =
            "Only files no run on the data as it is today would read: stale (images changed or"
                + " gone), invalid and leftover files. Current files are kept.")
    boolean allButCurrent;

    @Override
    public Integer call() throws IOException {
      if (olderThan == null && !allButCurrent) {
        throw new IllegalArgumentException(
            "cache prune: say what to prune: --older-than AGE, --all-but-current, or both");
      }
      Duration age = olderThan == null ? Duration.ZERO : age(olderThan);
      PixelCacheFiles.Pruned p =
          PixelCacheFiles.prune(dir, new PixelCacheFiles.PruneRequest(age, allButCurrent));
      for (Entry e : p.deleted()) {
        System.out.println("deleted  " + line(e));
      }
      for (Entry e : p.kept()) {
        if (e.detail().startsWith("in use")) {
          System.out.println("kept     " + line(e));
        }
      }
      System.out.printf(
          Locale.ROOT,
          "pruned %d file(s), %s freed; %d kept%n",
          p.deleted().size(),
          mib(p.bytesFreed()),
          p.kept().size());
      return 0;
    }
  }

  /**
   * Reads an age such as {@code 30d}.
   *
   * @param text the option's value
   * @return the duration
   * @throws IllegalArgumentException naming the option when the text is not an age
   */
  static Duration age(String text) {
    Matcher m = AGE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "--older-than: '" + text + "' is not an age such as 30d, 12h, 90m or 2w");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofDays(7 * n);
    };
  }

  private static String line(Entry e) {
    String pixels = e.width() == 0 ? "?" : e.width() + "x" + e.height();
    String images = e.images() == 0 ? "?" : Integer.toString(e.images());
    String why = e.detail().isEmpty() ? "" : " (" + e.detail() + ")";
    return String.format(
        Locale.ROOT,
        "%-8s  %-16s  %9s  %6s  %-9s  %s  %s%s",
        e.state().name().toLowerCase(Locale.ROOT),
        WHEN.format(e.lastUse()),
        mib(e.bytes()),
        images,
        pixels,
        e.data(),
        e.file().getFileName(),
        why);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
