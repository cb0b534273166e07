/**
 * cxr-core's data layer: discovery of NIH-layout and class-folder data sets, the labels file, tasks
 * (Effusion vs No Finding, multi-label), patient-level stratified splits and the {@link
 * dev.cxr.core.data.CxrDataSetIterator} data generator.
 */
package dev.cxr.core.data;
