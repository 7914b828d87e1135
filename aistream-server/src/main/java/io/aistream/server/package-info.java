/**
 * The aistream gateway: {@link io.aistream.server.AistreamServer}, configured by
 * {@link io.aistream.server.ServerConfig}, with a pluggable {@link io.aistream.server.ResumeStore}.
 */
package io.aistream.server;
