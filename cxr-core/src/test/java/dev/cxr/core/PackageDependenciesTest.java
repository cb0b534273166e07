package dev.cxr.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of cxr-core form layers without cycles (docs/architecture.md): read from the main
 * sources' imports, so a new import that closes a cycle fails here.
 */
class PackageDependenciesTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final Pattern IMPORT =
      Pattern.compile("^import (dev\\.cxr\\.core(?:\\.[a-z]+)*)\\.[A-Z]", Pattern.MULTILINE);

  /** Package to the cxr-core packages its main sources import. */
  static Map<String, Set<String>> graph() {
    Map<String, Set<String>> g = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES.resolve("dev/cxr/core"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = SOURCES.relativize(f.getParent()).toString().replace('/', '.');
        Set<String> deps = g.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher m = IMPORT.matcher(Files.readString(f));
        while (m.find()) {
          if (!m.group(1).equals(pkg)) {
            deps.add(m.group(1));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return g;
  }

  @Test
  void noPackageCycles() {
    Map<String, Set<String>> g = graph();
    assertThat(g)
        .containsKeys("dev.cxr.core.config", "dev.cxr.core.training", "dev.cxr.core.image");
    List<String> cycles = new ArrayList<>();
    for (String start : g.keySet()) {
      findCycles(g, start, new ArrayList<>(List.of(start)), cycles);
    }
    assertThat(cycles).isEmpty();
  }

  @Test
  void theLowLayersKnowNothingOfTheHighOnes() {
    Map<String, Set<String>> g = graph();
    // dev.cxr.core.io lives in cxr-io, which depends on no cxr module: Maven keeps it the lowest
    assertThat(g.get("dev.cxr.core.dicom")).containsOnly("dev.cxr.core.io");
    assertThat(g.get("dev.cxr.core.image")).containsOnly("dev.cxr.core.io", "dev.cxr.core.dicom");
    assertThat(g.get("dev.cxr.core.cache")).containsOnly("dev.cxr.core.io", "dev.cxr.core.image");
    for (String low :
        List.of(
            "dev.cxr.core.data",
            "dev.cxr.core.image",
            "dev.cxr.core.dicom",
            "dev.cxr.core.cache",
            "dev.cxr.core.metrics")) {
      assertThat(g.get(low))
          .as(low)
          .doesNotContain("dev.cxr.core", "dev.cxr.core.training", "dev.cxr.core.config");
    }
  }

  private static void findCycles(
      Map<String, Set<String>> g, String node, List<String> path, List<String> cycles) {
    for (String next : g.getOrDefault(node, Set.of())) {
      if (next.equals(path.get(0))) {
        cycles.add(String.join(" -> ", path) + " -> " + next);
      } else if (!path.contains(next) && next.compareTo(path.get(0)) > 0) {
        path.add(next);
        findCycles(g, next, path, cycles);
        path.remove(path.size() - 1);
      }
    }
  }
}
