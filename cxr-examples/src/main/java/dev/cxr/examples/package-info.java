/**
 * Runnable examples: {@link dev.cxr.examples.QuickStart} (the one-liner, then predict), {@link
 * dev.cxr.examples.SeedArticleReplication} (the article's configuration, every setting pinned) and
 * {@link dev.cxr.examples.ComposeModules} (the modules in plain DL4J). Each takes {@code --size N
 * --width N --epochs N} to shrink a run and {@code --verbose} for the native backend's log ({@link
 * dev.cxr.examples.ExampleArgs}); {@link dev.cxr.examples.BackendLog} keeps that log quiet for the
 * examples and the command line alike. The {@code cxr} command line lives in {@code
 * dev.cxr.examples.cli}.
 */
package dev.cxr.examples;
