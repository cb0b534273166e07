/**
 * Reproducible experiments built from the library's own parts: {@link
 * dev.cxr.examples.study.ImbalanceStudy} compares losses and the balanced sampler on phantoms at a
 * chosen class imbalance, with nested cross-validation.
 */
package dev.cxr.examples.study;
