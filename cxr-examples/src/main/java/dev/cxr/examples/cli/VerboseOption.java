package dev.cxr.examples.cli;

import picocli.CommandLine.Option;

/** The {@code --verbose} option shared by every command (stack traces on errors). */
public final class VerboseOption {
  /** Whether to print stack traces. */
  @Option(names = "--verbose", description = "Print stack traces on errors.")
  boolean verbose;
}
