import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noStore, securityHeaders } from "~/lib/security-headers.server";

/**
 * The headers `server.js` puts on its answers, with its middlewares in its order: security headers, then static files
 * (which keep their caching), then `noStore` before pages and the API. The browser tests check the built server's
 * pages run under this policy (tests/e2e/connexion.e2e.ts).
 */
describe("security headers, as server.js sets express up", () => {
  let base = "";
  let close = () => {};
  const assets = fs.mkdtempSync(path.join(os.tmpdir(), "flux-assets-"));

  beforeAll(async () => {
    fs.writeFileSync(path.join(assets, "entry.client-abc.js"), "export {};");
    const app = express();
    app.use(securityHeaders);
    app.use("/assets", express.static(assets, { immutable: true, maxAge: "1y" }));
    app.use(noStore);
    // A page and an API answer, each showing the nonce it was given (as the load context hands it to Remix).
    app.get("/signalements", (_req, res) =>
      res.type("html").send(`<script nonce="${res.locals.cspNonce}"></script>`),
    );
    app.get("/api/v1/signalements", (_req, res) => res.json([]));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => {
    close();
    fs.rmSync(assets, { recursive: true, force: true });
  });

  const scriptSrc = (response: Response) =>
    /(?:^|;)\s*script-src ([^;]*)/.exec(response.headers.get("content-security-policy") ?? "")?.[1] ?? "";

  it("allows only the portal's scripts and inline scripts bearing this response's nonce, a new one each time", async () => {
    const [first, second] = await Promise.all([fetch(`${base}/signalements`), fetch(`${base}/signalements`)]);
    const nonces = await Promise.all(
      [first!, second!].map(async (response) => {
        const nonce = /'nonce-([A-Za-z0-9+/=]{22,})'/.exec(scriptSrc(response))?.[1];
        expect(await response.text()).toBe(`<script nonce="${nonce}"></script>`);
        return nonce;
      }),
    );
    expect(nonces[0]).not.toBe(nonces[1]);
    expect(scriptSrc(first!)).toMatch(/^'self' 'nonce-[^']+'$/);
    const policy = first!.headers.get("content-security-policy")!;
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(first!.headers.get("x-frame-options")).toBe("DENY");
    expect(first!.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("keeps pages and API answers out of every cache, while static assets keep theirs", async () => {
    const [page, api, asset] = await Promise.all(
      ["/signalements", "/api/v1/signalements", "/assets/entry.client-abc.js"].map((p) =>
        fetch(`${base}${p}`),
      ),
    );
    expect(page!.headers.get("cache-control")).toBe("no-store");
    expect(api!.headers.get("cache-control")).toBe("no-store");
    expect(asset!.status).toBe(200);
    expect(asset!.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });
});
