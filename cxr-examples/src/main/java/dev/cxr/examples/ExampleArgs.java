package dev.cxr.examples;

import dev.cxr.core.config.ConfigBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The arguments of the runnable examples: positional arguments, the options an example names
 * ({@code --size N --width N --epochs N} shrink a run, e.g. for a quick look or a test), and {@code
 * --verbose}, which every example takes and which shows the native backend's log ({@link
 * BackendLog}); without it the examples print only their own output, as the {@code cxr} command
 * line does.
 *
 * <p>{@link #parse} is the first call of every example's {@code main}: it sets the log level before
 * anything loads ND4J.
 */
public final class ExampleArgs {
  /** Image size in pixels ({@code --size N}). */
  public static final String SIZE = "--size";

  /** Base width of the ResNet ({@code --width N}). */
  public static final String WIDTH = "--width";

  /** Number of epochs ({@code --epochs N}). */
  public static final String EPOCHS = "--epochs";

  /** Where to write the model ({@code --model FILE}). */
  public static final String MODEL = "--model";

  /** Shows the backend's {@code INFO} log. */
  public static final String VERBOSE = "--verbose";

  private static final Set<String> INTEGER_OPTIONS = Set.of(SIZE, WIDTH, EPOCHS);

  private final List<String> positional;
  private final Map<String, String> options;
  private final boolean verbose;

  private ExampleArgs(List<String> positional, Map<String, String> options, boolean verbose) {
    this.positional = List.copyOf(positional);
    this.options = Map.copyOf(options);
    this.verbose = verbose;
  }

  /**
   * Reads the arguments and sets the backend's log level ({@link BackendLog}); on bad arguments
   * prints the message and the usage on standard error and exits with status 2.
   *
   * @param args the arguments of {@code main}
   * @param usage the usage line, e.g. {@code "QuickStart [DATA_DIR] [--size N]"}
   * @param minPositional the positional arguments the example needs
   * @param maxPositional the most positional arguments the example takes
   * @param options the options with a value the example takes ({@link #SIZE}, {@link #WIDTH},
   *     {@link #EPOCHS}, {@link #MODEL}); {@code --verbose} is always taken
   * @return the arguments
   */
  public static ExampleArgs parse(
      String[] args, String usage, int minPositional, int maxPositional, String... options) {
    ExampleArgs parsed;
    try {
      parsed = read(args, minPositional, maxPositional, options);
    } catch (IllegalArgumentException e) {
      BackendLog.configure(false);
      System.err.println("error: " + e.getMessage());
      System.err.println("usage: " + usage);
      System.exit(2);
      throw e; // not reached
    }
    BackendLog.configure(parsed.verbose);
    return parsed;
  }

  /**
   * Reads the arguments without side effects.
   *
   * @param args the arguments
   * @param minPositional the fewest positional arguments
   * @param maxPositional the most positional arguments
   * @param allowed the options with a value that are allowed
   * @return the arguments
   * @throws IllegalArgumentException naming an unknown option, a missing or bad value, or a missing
   *     or extra argument
   */
  static ExampleArgs read(String[] args, int minPositional, int maxPositional, String... allowed) {
    Set<String> known = Set.copyOf(Arrays.asList(allowed));
    List<String> positional = new ArrayList<>();
    Map<String, String> options = new LinkedHashMap<>();
    boolean verbose = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals(VERBOSE)) {
        verbose = true;
      } else if (a.startsWith("--")) {
        if (!known.contains(a)) {
          throw new IllegalArgumentException("unknown option " + a);
        }
        if (i + 1 == args.length) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        String value = args[++i];
        if (INTEGER_OPTIONS.contains(a)) {
          positiveInteger(a, value);
        }
        options.put(a, value);
      } else {
        positional.add(a);
      }
    }
    if (positional.size() < minPositional) {
      throw new IllegalArgumentException(
          "expected at least " + minPositional + " arguments but got " + positional);
    }
    if (positional.size() > maxPositional) {
      throw new IllegalArgumentException(
          "expected at most " + maxPositional + " arguments but got " + positional);
    }
    return new ExampleArgs(positional, options, verbose);
  }

  private static int positiveInteger(String option, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + " must be a positive integer but was " + value);
  }

  /**
   * @param index 0-based position
   * @return the positional argument there, if given
   */
  public Optional<String> positional(int index) {
    return index < positional.size() ? Optional.of(positional.get(index)) : Optional.empty();
  }

  /**
   * @param option {@link #SIZE}, {@link #WIDTH} or {@link #EPOCHS}
   * @return its value, if given
   */
  public OptionalInt integer(String option) {
    String v = options.get(option);
    return v == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(v));
  }

  /**
   * @param option {@link #SIZE}, {@link #WIDTH} or {@link #EPOCHS}
   * @param otherwise the value when it is not given
   * @return its value
   */
  public int integer(String option, int otherwise) {
    return integer(option).orElse(otherwise);
  }

  /**
   * @param option an option naming a file, e.g. {@link #MODEL}
   * @param otherwise the file when it is not given
   * @return the file
   */
  public Path path(String option, Path otherwise) {
    String v = options.get(option);
    return v == null ? otherwise : Path.of(v);
  }

  /**
   * @return whether {@code --verbose} was given
   */
  public boolean verbose() {
    return verbose;
  }

  /**
   * Applies {@code --size}, {@code --width} and {@code --epochs}, those given, to a builder.
   *
   * @param builder a pipeline or configuration builder
   * @param <B> its type
   * @return the builder
   */
  public <B extends ConfigBuilder<B>> B applyTo(B builder) {
    integer(SIZE).ifPresent(builder::imageSize);
    integer(WIDTH).ifPresent(builder::width);
    integer(EPOCHS).ifPresent(builder::epochs);
    return builder;
  }
}
