import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { limitBodies } from "~/lib/body-limit.server";

/**
 * Every write's body is read within its route's limit, counted as it arrives (a chunked body announces no length):
 * forms 64 KB, API JSON 1 MB, imports and documents 20 MB; past it a French 413, and the server stops reading.
 * Before, three anonymous chunked 250 MB posts to /connexion took the server from 335 MB to 1.9 GB.
 */
let port = 0;
let close = () => {};

beforeAll(async () => {
  const app = express();
  app.use(limitBodies);
  app.all("*", (req, res) => res.json({ received: (req.body as Buffer).length }));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
  close = () => server.close();
});
afterAll(() => close());

/** Sends `total` bytes in 64 KB chunks without a Content-Length (chunked), or with it; stops when answered. */
function post(
  path: string,
  total: number,
  announce = false,
): Promise<{ status: number; body: Record<string, unknown>; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        headers: announce ? { "content-length": String(total) } : { "transfer-encoding": "chunked" },
      },
      (response) => {
        answered = true;
        let text = "";
        response.on("data", (d) => {
          text += d;
        });
        response.on("end", () => resolve({ status: response.statusCode!, body: JSON.parse(text), sent }));
      },
    );
    request.on("error", (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      while (!answered && sent < total) {
        const size = Math.min(chunk.length, total - sent);
        sent += size;
        if (!request.write(chunk.subarray(0, size))) return void request.once("drain", pump);
      }
      if (sent >= total) request.end();
    };
    pump();
  });
}

const MB = 1024 * 1024;

describe("body limits", () => {
  it("refuses a chunked form past 64 KB with a French 413, without reading the rest", async () => {
    const answer = await post("/connexion", 250 * MB);
    expect(answer.status).toBe(413);
    expect(answer.body.message).toMatch(/^Formulaire trop volumineux : 64 Ko au plus/);
    expect(answer.sent).toBeLessThan(50 * MB);
  });

  it("lets a form of a few KB through", async () => {
    expect(await post("/signalements/nouveau", 8 * 1024)).toMatchObject({
      status: 200,
      body: { received: 8192 },
    });
  });

  it("allows 1 MB of JSON on the API, not more", async () => {
    expect((await post("/api/v1/signalements", 900 * 1024)).status).toBe(200);
    const answer = await post("/api/v1/signalements", 3 * MB);
    expect(answer).toMatchObject({
      status: 413,
      body: { message: expect.stringMatching(/^Requête trop volumineuse/) },
    });
  });

  it("allows an import or a document its stated 20 MB, and refuses past it, announced or not", async () => {
    expect((await post("/api/v1/attributions/import", 19 * MB)).status).toBe(200);
    expect((await post("/attributions/import", 5 * MB)).status).toBe(200);
    const chunked = await post("/api/v1/attributions/import", 30 * MB);
    expect(chunked).toMatchObject({
      status: 413,
      body: { message: expect.stringMatching(/^Fichier trop volumineux : 20 Mo/) },
    });
    const announced = await post(
      "/api/v1/comites/1c4c3a4e-0000-4000-8000-000000000000/documents",
      21 * MB,
      true,
    );
    expect(announced).toMatchObject({
      status: 413,
      body: { message: expect.stringMatching(/^Document trop volumineux/) },
    });
    expect(announced.sent).toBeLessThan(21 * MB);
  });
});
