/**
 * The {@code cxr} command line (picocli): {@code java -jar cxr-examples/target/cxr.jar --help}.
 * Commands only parse options and print; the library logic lives in cxr-core and the other modules.
 */
package dev.cxr.examples.cli;
