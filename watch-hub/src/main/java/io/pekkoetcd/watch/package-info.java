/** Placeholder until the watch hub lands; see docs/architecture.md. */
package io.pekkoetcd.watch;
