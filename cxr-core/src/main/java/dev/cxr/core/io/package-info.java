/**
 * Files: the domain exception that names a file and row, atomic writes, and progress of long work.
 * The lowest package of cxr-core; every other one may use it.
 */
package dev.cxr.core.io;
