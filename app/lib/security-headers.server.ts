import { randomBytes } from "node:crypto";
import type { RequestHandler, Response } from "express";
import helmet from "helmet";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** This response's Content-Security-Policy nonce: the scripts Remix writes inline carry it. */
    cspNonce?: string;
  }
}

/**
 * The headers of every response (`server.js`), set by helmet: a Content-Security-Policy whose only inline scripts
 * are those bearing this response's nonce (Remix's hydration data and scroll restoration), nothing from another
 * origin, no framing, no sniffing, referrers kept within the portal. HTTPS itself is the proxy's business.
 */
export const securityHeaders: RequestHandler[] = [
  (_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    next();
  },
  helmet({
    contentSecurityPolicy: {
      directives: {
        scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
        // React writes `style` attributes (bar widths…); style sheets come from the portal only.
        styleSrc: ["'self'", "'unsafe-inline'"],
        fontSrc: ["'self'"],
        frameAncestors: ["'none'"],
        // The proxy redirects to HTTPS; on a workstation (http://localhost) upgrading would break every asset.
        upgradeInsecureRequests: null,
      },
    },
    xFrameOptions: { action: "deny" },
    referrerPolicy: { policy: "same-origin" },
  }),
];

/**
 * Pages and API answers carry personal data (households, attributions…): no browser or proxy cache keeps them.
 * `server.js` sets it after the static files, which keep their own caching; a route may still set its own.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set("Cache-Control", "no-store");
  next();
};
