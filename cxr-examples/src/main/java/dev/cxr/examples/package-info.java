/**
 * Runnable examples: {@link dev.cxr.examples.QuickStart} (the one-liner, then predict), {@link
 * dev.cxr.examples.SeedArticleReplication} (the article's configuration) and {@link
 * dev.cxr.examples.ComposeModules} (the modules in plain DL4J). The {@code cxr} command line lives
 * in {@code dev.cxr.examples.cli}.
 */
package dev.cxr.examples;
