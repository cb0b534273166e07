/**
 * Evaluation: the one scorer used by validation, {@code evaluate} and {@code predict}, the choice
 * of operating threshold, and the evaluation of a saved model against labelled data.
 */
package dev.cxr.core.evaluation;
