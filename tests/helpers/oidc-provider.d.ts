/** The little of oidc-provider (untyped, JavaScript) that the tests' provider uses. */
declare module "oidc-provider" {
  import type { Server } from "node:http";

  type Account = { accountId: string; claims: () => Record<string, unknown> };
  type Configuration = {
    clients: Array<Record<string, unknown>>;
    claims?: Record<string, string[]>;
    findAccount: (context: unknown, id: string) => Account | undefined;
    features?: Record<string, { enabled: boolean }>;
    cookies?: { keys: string[] };
    pkce?: { required: () => boolean };
  };

  export default class Provider {
    constructor(issuer: string, configuration: Configuration);
    listen(port: number, host: string, listening: () => void): Server;
  }
}
