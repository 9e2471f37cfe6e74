import Provider from "oidc-provider";

/** An account of the tests' identity provider: the login typed on its form is the account's e-mail. */
export type OidcAccount = { email_verified: boolean };

/**
 * A real OpenID Connect provider (`oidc-provider`) on a local port, standing in for ProConnect: one confidential
 * client that may come back only to `redirectUri`, and `accounts` by e-mail. Its development sign-in form accepts
 * any password for a known login; it then asks for consent (« Continue »). Claims as ProConnect names them.
 */
export async function startOidcProvider(options: {
  port: number;
  redirectUri: string;
  accounts: Record<string, OidcAccount>;
}) {
  const issuer = `http://127.0.0.1:${options.port}`;
  const client = { clientId: "portail-flux-test", clientSecret: "secret-de-test-du-fournisseur-oidc" };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [options.redirectUri],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    claims: { email: ["email", "email_verified"], given_name: ["given_name"], usual_name: ["usual_name"] },
    findAccount: (_context, id) => {
      const account = options.accounts[id];
      return account && { accountId: id, claims: () => ({ sub: id, email: id, ...account }) };
    },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["clé-des-cookies-du-fournisseur-de-test"] },
    pkce: { required: () => true },
  });
  const server = await new Promise<ReturnType<Provider["listen"]>>((resolve) => {
    const listening = provider.listen(options.port, "127.0.0.1", () => resolve(listening));
  });
  return {
    /** The variables that point the portal at this provider. */
    env: {
      PROCONNECT_ISSUER: issuer,
      PROCONNECT_CLIENT_ID: client.clientId,
      PROCONNECT_CLIENT_SECRET: client.clientSecret,
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
