package dev.cxr.examples.cli;

import dev.cxr.augment.CxrAugmentation;
import java.util.Iterator;

/** The augmentation preset names, for picocli's help and completion: cxr-augment's one list. */
final class PresetNames implements Iterable<String> {
  @Override
  public Iterator<String> iterator() {
    return CxrAugmentation.presetNames().iterator();
  }
}
