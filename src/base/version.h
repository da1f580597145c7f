/*
 * version.h -- crier's version, the one place it is written: the Atom
 * generator, the RSS generator, the calendars' PRODID and `crier -V`.
 */
#ifndef CRIER_VERSION_H
#define CRIER_VERSION_H

#define CRIER_VERSION	"1.0"
#define CRIER_GENERATOR	"crier " CRIER_VERSION
#define CRIER_PRODID	"-//crier//crier " CRIER_VERSION "//EN"

#endif
