import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lucia, serialiseSessionCookie } from "~/lib/auth.server";
import { trustProxySetting } from "~/lib/trust-proxy";

describe("TRUST_PROXY", () => {
  it("reads a hop count as a number, booleans as booleans, anything else as a list of addresses", () => {
    expect(trustProxySetting("1")).toBe(1);
    expect(trustProxySetting(" 2 ")).toBe(2);
    expect(trustProxySetting("true")).toBe(true);
    expect(trustProxySetting("false")).toBe(false);
    expect(trustProxySetting("loopback, 10.0.0.0/8")).toEqual(["loopback", "10.0.0.0/8"]);
    expect(trustProxySetting("")).toBeUndefined();
    expect(trustProxySetting(undefined)).toBeUndefined();
  });

  describe("behind one proxy (TRUST_PROXY=1), as server.js sets express up", () => {
    let base = "";
    let close = () => {};

    beforeAll(async () => {
      const app = express();
      app.set("trust proxy", trustProxySetting("1"));
      // What the server hands Remix: the client's address, and the URL (its protocol decides `Secure`).
      app.get("/seen", (req, res) => {
        const request = new Request(`${req.protocol}://${req.get("host")}${req.originalUrl}`);
        res.json({ ip: req.ip, cookie: serialiseSessionCookie(request, lucia.createBlankSessionCookie()) });
      });
      const server = app.listen(0, "127.0.0.1");
      await new Promise((resolve) => server.once("listening", resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      close = () => server.close();
    });
    afterAll(() => close());

    it("sees the client's address and HTTPS from the proxy's headers, so the session cookie is Secure", async () => {
      const seen = await fetch(`${base}/seen`, {
        headers: { "x-forwarded-for": "203.0.113.7", "x-forwarded-proto": "https" },
      }).then((response) => response.json());
      expect(seen.ip).toBe("203.0.113.7");
      expect(seen.cookie).toMatch(/; Secure/);
    });

    it("trusts one hop only: an address the client forged in front of the proxy's is ignored", async () => {
      const seen = await fetch(`${base}/seen`, {
        headers: { "x-forwarded-for": "198.51.100.1, 203.0.113.8", "x-forwarded-proto": "https" },
      }).then((response) => response.json());
      expect(seen.ip).toBe("203.0.113.8");
    });

    it("two clients behind the proxy are two addresses (the login throttle counts them apart)", async () => {
      const [a, b] = await Promise.all(
        ["203.0.113.9", "203.0.113.10"].map((ip) =>
          fetch(`${base}/seen`, { headers: { "x-forwarded-for": ip } }).then((response) => response.json()),
        ),
      );
      expect([a.ip, b.ip]).toEqual(["203.0.113.9", "203.0.113.10"]);
      expect(a.cookie).not.toMatch(/; Secure/);
    });
  });
});
