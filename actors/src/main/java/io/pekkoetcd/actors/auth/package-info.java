/**
 * etcd's auth store ({@code auth/store.go}), pure: no Pekko, no I/O, no clock but an injected one.
 *
 * <ul>
 *   <li>{@link io.pekkoetcd.actors.auth.AuthState}: users, roles, the enabled flag and the auth
 *       revision as an immutable value; each change returns the next state or throws etcd's refusal
 *       ({@link io.pekkoetcd.actors.ServerException}); encoded as one blob that the apply layer
 *       stores in the MVCC store's meta keys in the batch of the entry that changed it.
 *   <li>{@link io.pekkoetcd.actors.auth.Permissions}: etcd's permission checks. A request's key
 *       range must be covered by the union of the user's permissions of the needed type; role root
 *       may do everything and is the only admin.
 *   <li>{@link io.pekkoetcd.actors.auth.Passwords}: bcrypt (hashing on the receiving member) and
 *       etcd's CheckPassword; {@link io.pekkoetcd.actors.auth.SimpleTokens}: etcd's simple tokens,
 *       in memory, TTL extended on use.
 *   <li>{@link io.pekkoetcd.actors.auth.AuthHolder}: the applied state and tokens one member's edge
 *       reads; written only after the apply batch that changed them is committed.
 * </ul>
 */
package io.pekkoetcd.actors.auth;
