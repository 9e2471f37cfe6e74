import { PassThrough } from "node:stream";
import { type AppLoadContext, createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { closeDatabase } from "#db/client.server";
import { NonceContext } from "./lib/nonce";

export { apiDispatcher } from "./api/dispatch.server";
export { boot } from "./jobs/boot.server";
export { limitBodies } from "./lib/body-limit.server";
export { crossOriginWriteRefusal } from "./lib/csrf.server";
export { withLostConnectionAnswers } from "./lib/lost-connection.server";
export { publicUrl } from "./lib/route-params.server";
export { noStore, securityHeaders } from "./lib/security-headers.server";
export { trustProxySetting } from "./lib/trust-proxy";
export const shutdown = closeDatabase;

const ABORT_DELAY = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  // The Content-Security-Policy's nonce for this response (server.js): every script Remix writes inline carries it.
  const nonce = loadContext.cspNonce;
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/** Logs unexpected errors once; thrown Responses are expected answers (403, 404…) and are not logged. */
export function handleError(error: unknown, { request }: { request: Request }) {
  if (!request.signal.aborted) console.error(error);
}
