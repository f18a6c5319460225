/**
 * The web console: server-rendered pages under {@code /console/} on the API's listener, signed in with an
 * access key pair, reading and changing through the guarded ECS and CloudWatch Logs endpoints as the
 * signed-in user, updated live from the cluster feed by Server-Sent Events. See ARCHITECTURE.md, "Console".
 */
package dev.stevedore.server.console;
