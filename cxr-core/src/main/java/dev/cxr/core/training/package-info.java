/**
 * Training: one run on one split (epoch loop, validation, checkpoints and resume, early stopping),
 * cross-validation, the learning-rate finder, and progress reporting.
 */
package dev.cxr.core.training;
