/**
 * Work-arounds for defects of the Deeplearning4j release the library is built on (1.0.0-M2.1), each
 * in a small class that names the defect it works around and switches itself off where it does not
 * apply.
 *
 * <p>{@link dev.cxr.resnet.compat.OneDnnHelpers} makes DL4J use its oneDNN layer helpers on the
 * CPU, which DL4J 1.0.0-M2.1 never does on its own (a ResNet-18 trains about five times faster with
 * them).
 */
package dev.cxr.resnet.compat;
