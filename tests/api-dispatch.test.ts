import type { ServerBuild } from "@remix-run/node";
import { describe, expect, it, vi } from "vitest";
import { apiDispatcher } from "~/api/dispatch.server";

// The shape of Remix's build manifest: nested routes carry their path relative to their parent.
const echo =
  (name: string) =>
  async ({ params }: { params: Record<string, string> }) =>
    Response.json({ name, params });
const route = (id: string, path: string | undefined, parentId?: string, module: object = {}) => ({
  id,
  path,
  parentId,
  module,
});
const routes = Object.fromEntries(
  [
    route("root", ""),
    route("routes/accueil", "accueil", "root", { loader: echo("accueil") }),
    route("routes/api.v1.me", "api/v1/me", "root", { loader: echo("me") }),
    route("routes/api.v1.programmes", "api/v1/programmes", "root", { loader: echo("programmes") }),
    route("routes/api.v1.programmes.$id", ":id", "routes/api.v1.programmes", { loader: echo("programme") }),
    route("routes/api.v1.programmes.deliveries", "deliveries", "routes/api.v1.programmes"),
    route("routes/api.v1.programmes.$id.split", "split", "routes/api.v1.programmes.$id", {
      methods: ["PUT"],
      action: echo("split"),
    }),
    route("routes/api.v1.openapi[.json]", "api/v1/openapi.json", "root"),
    route("routes/api.v1.oops", "api/v1/oops", "root", {
      loader: () => {
        throw new Error("panne");
      },
      action: () => {
        throw new Response("refusé", { status: 409 });
      },
    }),
    route("routes/api.v1.$", "api/v1/*", "root", { loader: echo("catch-all") }),
  ].map((r) => [r.id, r]),
) as unknown as ServerBuild["routes"];
const api = apiDispatcher({ routes } as ServerBuild);
const chosen = (pathname: string) => api.match(pathname)?.id;
const ask = (path: string, method = "GET") =>
  api.answer(new Request(`http://portail${path}`, { method }), {});

describe("the API's route for a path, as Remix would rank it", () => {
  it("joins nested paths and decodes the params", () => {
    expect(chosen("/api/v1/me")).toBe("routes/api.v1.me");
    expect(api.match("/api/v1/programmes/d%C3%A9j%C3%A0/split")).toMatchObject({
      id: "routes/api.v1.programmes.$id.split",
      params: { id: "déjà" },
    });
  });

  it("prefers a static segment to a parameter, and the catch-all last", () => {
    expect(chosen("/api/v1/programmes/deliveries")).toBe("routes/api.v1.programmes.deliveries");
    expect(chosen("/api/v1/programmes/7f3a")).toBe("routes/api.v1.programmes.$id");
    expect(chosen("/api/v1/programmes/7f3a/unknown")).toBe("routes/api.v1.$");
    expect(chosen("/api/v1/openapixjson")).toBe("routes/api.v1.$");
  });

  it("matches regardless of case and of a trailing slash, like Remix, and nothing outside the API", () => {
    expect(chosen("/API/v1/Me/")).toBe("routes/api.v1.me");
    expect(chosen("/api/v1/openapi.json")).toBe("routes/api.v1.openapi[.json]");
    expect(api.match("/accueil")).toBeNull();
  });
});

describe("the API's answer", () => {
  it("is the loader's for GET and HEAD, the action's otherwise, with the path's params", async () => {
    expect(await (await ask("/api/v1/programmes/42"))!.json()).toEqual({
      name: "programme",
      params: { id: "42" },
    });
    expect((await ask("/api/v1/me", "HEAD"))!.status).toBe(200);
    expect(await (await ask("/api/v1/programmes/42/split", "PUT"))!.json()).toMatchObject({ name: "split" });
    expect(await ask("/accueil")).toBeNull();
  });

  it("refuses a method the route does not answer with 405, the Allow header and a French message", async () => {
    const response = (await ask("/api/v1/me", "DELETE"))!;
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET");
    expect((await response.json()).message).toBe(
      "Méthode DELETE non permise sur ce point d'accès : utilisez GET.",
    );
  });

  it("answers from the route's method map when it has one, before its handlers", async () => {
    const put = (await ask("/api/v1/programmes/42/split", "PUT"))!;
    expect(await put.json()).toMatchObject({ name: "split" });
    const post = (await ask("/api/v1/programmes/42/split", "POST"))!;
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("PUT");
  });

  it("passes a thrown Response on, and turns any other error into a French 500 without details", async () => {
    expect((await ask("/api/v1/oops", "POST"))!.status).toBe(409);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = (await ask("/api/v1/oops"))!;
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(body.message).toMatch(/^Erreur interne/);
    expect(JSON.stringify(body)).not.toContain("panne");
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
  });
});
