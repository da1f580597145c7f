/*
 * fixture.h -- what every cmocka unit test includes, in the order cmocka
 * needs.
 */
#ifndef CRIER_TEST_FIXTURE_H
#define CRIER_TEST_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#endif
