/**
 * Test support shared by the modules' test suites. {@code io.pekkoetcd.testkit.raftsim} holds the seeded
 * simulation of raft-core clusters (network, crashes, safety and liveness checks); see docs/architecture.md §6.
 */
package io.pekkoetcd.testkit;
