/**
 * Files: the domain exception that names a file and row, and atomic writes. The lowest package of
 * cxr-core; every other one may use it.
 */
package dev.cxr.core.io;
