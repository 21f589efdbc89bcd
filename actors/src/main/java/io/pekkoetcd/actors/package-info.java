/** Placeholder; see docs/architecture.md. */
package io.pekkoetcd.actors;
