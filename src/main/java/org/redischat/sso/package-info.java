/**
 * Single sign-on with an OpenID Connect provider: a provider's signed JWT checked against the keys
 * the issuer publishes (signature, {@code iss}, {@code aud}, {@code exp}, {@code nbf}), and the
 * identity it carries. Nothing here knows chat accounts; {@code org.redischat.accounts} binds an
 * identity to a username.
 */
package org.redischat.sso;
